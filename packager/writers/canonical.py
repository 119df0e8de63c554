"""Bank → canonical JSON: stable key order, defaults omitted, UTF-8 as written.

The output of importers; checked against the published schema before anything is written.
The text is exactly `json.dumps(data, indent=2, ensure_ascii=False)`. With an indent, the
standard library encodes in pure Python, one generator step per token, so pydantic-core's
encoder (in C) writes it instead: it writes strings, containers and indentation as the
standard library does, and floats as `float.__repr__` does except the nonzero ones under
1e-4 in magnitude (`0.00001` for `1e-05`). A bank holding one of those, which is rare (a
tolerance, a numeric answer), is written by the standard library.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import to_json

from packager.model import Bank

# pydantic-core writes a float as float.__repr__ does when it is 0 or at least this large in
# magnitude (and below 1e16: the model allows at most 1e15).
_SMALLEST_ALIKE = 1e-4


def write(bank: Bank) -> bytes:
    """The bank's canonical JSON text, UTF-8 encoded, ending with a newline."""
    # `format` and every question's `type` have no default, so they are always kept.
    data: dict[str, Any] = bank.model_dump(
        mode="json", exclude_none=True, exclude_defaults=True, by_alias=True
    )
    if _has_tiny_float(data):
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return to_json(data, indent=2) + b"\n"


def _has_tiny_float(data: object) -> bool:
    """Whether a JSON value holds a nonzero float under _SMALLEST_ALIKE in magnitude. Only
    containers go on the stack, and strings (most values of a bank) are passed over first."""
    stack: list[dict[str, Any] | list[Any]] = []
    values: Any = [data]
    while True:
        for value in values:
            if isinstance(value, str):
                continue
            if isinstance(value, (dict, list)):
                stack.append(value)
            elif isinstance(value, float) and value and abs(value) < _SMALLEST_ALIKE:
                return True
        if not stack:
            return False
        item = stack.pop()
        values = item.values() if isinstance(item, dict) else item
