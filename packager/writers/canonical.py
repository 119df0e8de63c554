"""Bank → canonical JSON text: stable key order, defaults omitted, UTF-8 as written.

The output of importers; checked against the published schema before anything is written.
The text is exactly `json.dumps(data, indent=2, ensure_ascii=False)`: with an indent, the
standard library encodes in pure Python, one generator step per token, so `dumps_indented`
writes the same text with one function call per container instead (strings still go through
the standard library's C escaper). Anything it does not expect falls back to `json.dumps`.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from packager.model import Bank

_INFINITY = float("inf")


def write(bank: Bank) -> str:
    # `format` and every question's `type` have no default, so they are always kept.
    data: dict[str, Any] = bank.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return dumps_indented(data) + "\n"


class _Unexpected(Exception):
    """A value or key json.dumps would treat in its own way: let it."""


def dumps_indented(data: Any) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False)`, the same text, faster."""
    out: list[str] = []
    try:
        _value(data, "\n", out)
    except (_Unexpected, RecursionError):
        return json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(out)


def _value(value: Any, newline: str, out: list[str]) -> None:
    """Append the JSON of `value`, whose container's items start with `newline` (a newline and
    the container's indent)."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        after_item = "," + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unexpected
            out.append(separator)
            out.append(encode_basestring(key))
            out.append(": ")
            if isinstance(item, str):
                out.append(encode_basestring(item))
            else:
                _value(item, inner, out)
            separator = after_item
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        after_item = "," + inner
        for item in value:
            out.append(separator)
            if isinstance(item, str):
                out.append(encode_basestring(item))
            else:
                _value(item, inner, out)
            separator = after_item
        out.append(newline + "]")
    else:
        raise _Unexpected


def _float(value: float) -> str:
    # As json's encoder writes floats (allow_nan=True).
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)
