"""Bank → canonical JSON text: stable key order, defaults omitted, UTF-8 as written.

The output of importers; checked against the published schema before anything is written.
The text is exactly `json.dumps(data, indent=2, ensure_ascii=False)`: with an indent, the
standard library encodes in pure Python, one generator step per token, so `dumps_indented`
writes the same text with one function call per container instead (strings still go through
the standard library's C escaper). Anything it does not expect falls back to `json.dumps`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import repeat
from json.encoder import encode_basestring
from typing import Any

from packager.model import Bank

_INFINITY = float("inf")


def write(bank: Bank) -> str:
    # `format` and every question's `type` have no default, so they are always kept.
    data: dict[str, Any] = bank.model_dump(
        mode="json", exclude_none=True, exclude_defaults=True, by_alias=True
    )
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
        if not all(isinstance(key, str) for key in value):
            raise _Unexpected
        if value:
            _items(value.items(), "{}", newline, out)
        else:
            out.append("{}")
    elif isinstance(value, list | tuple):
        if value:
            _items(zip(repeat(None), value), "[]", newline, out)
        else:
            out.append("[]")
    else:
        raise _Unexpected


def _items(
    items: Iterable[tuple[str | None, Any]], brackets: str, newline: str, out: list[str]
) -> None:
    """A container's items (at least one), one a line, each `key: ` first when it has one."""
    inner = newline + "  "
    separator = brackets[0] + inner
    after_item = "," + inner
    for key, item in items:
        out.append(separator)
        if key is not None:
            out.append(encode_basestring(key))
            out.append(": ")
        if isinstance(item, str):
            out.append(encode_basestring(item))
        else:
            _value(item, inner, out)
        separator = after_item
    out.append(newline + brackets[1])


def _float(value: float) -> str:
    # As json's encoder writes floats (allow_nan=True).
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)
