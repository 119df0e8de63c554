"""Bank → canonical JSON text: stable key order, defaults omitted, UTF-8 as written.

The output of importers; checked against the published schema before anything is written.
"""

from __future__ import annotations

import json
from typing import Any

from packager.model import Bank


def write(bank: Bank) -> str:
    # `format` and every question's `type` have no default, so they are always kept.
    data: dict[str, Any] = bank.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
