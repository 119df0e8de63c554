"""Model → JSON Schema. `python -m packager.schema` rewrites schemas/, `--check` compares.

The published schema is generated, never hand-edited, so it cannot drift from the models;
tests/test_schema.py fails when the committed file differs from what this produces.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

SCHEMA_FILE = "question-bank.schema.json"
SCHEMA_ID = "https://packager.dev/schemas/question-bank/1.json"


def schemas_root() -> Path:
    """The schemas folder: packaged in the wheel, or `<repo>/schemas` in a checkout."""
    try:
        packaged = resources.files("packager") / "_schemas"
        if packaged.is_dir():
            return Path(str(packaged))
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - defensive
        pass
    return Path(__file__).resolve().parent.parent / "schemas"


def generate() -> dict[str, Any]:
    from packager.model import Bank

    schema = Bank.model_json_schema(mode="validation")
    ordered: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "packager question bank",
        "description": (
            "A bank of scenario-based questions in the canonical format "
            "packager.question-bank/1. Field names are snake_case and equal the model's."
        ),
    }
    for key, value in schema.items():
        if key not in ("title", "description"):
            ordered[key] = value
    return ordered


def render() -> str:
    return json.dumps(generate(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def load_published() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((schemas_root() / SCHEMA_FILE).read_text(encoding="utf-8"))
    return data


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = schemas_root() / SCHEMA_FILE
    text = render()
    if "--check" in args:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run python -m packager.schema", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
