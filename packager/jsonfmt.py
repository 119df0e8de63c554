"""Readable JSON that stays fast for large reports.

json's C encoder only runs without `indent`; a 10,000-question report through the Python
encoder costs 0.2 s. Here each top-level key, and each item of a top-level list, gets its own
line, written compactly by the C encoder: one question per line, easy to grep and diff.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring
from typing import Any


class Encoded(str):
    """A value already encoded as compact JSON (`compact`), written as it is."""


class Pieces:
    """A value already encoded as compact JSON, in pieces that `chunks` hands on one after
    another (a record file's 15 MB are never one string), at the top level or as an item of
    a top-level list. The pieces are made as they are written: `parts` may be a generator."""

    def __init__(self, parts: Iterable[str]) -> None:
        self.parts = parts


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def c_encoder(encoder: json.JSONEncoder) -> Callable[[Any, int], Iterable[str]] | None:
    """CPython's C encoder of `encoder` (made with ensure_ascii=False, no indent), made once:
    json.dumps sets one up per call, more than half of its cost for a report's line of one
    question (10,000 lines a report). It keeps no state between calls (no `markers`: the
    values encoded hold no cycles). None on another Python: the encoder's own, per call."""
    make = getattr(json.encoder, "c_make_encoder", None)  # CPython's _json (untyped)
    if make is None:
        return None
    made: Callable[[Any, int], Iterable[str]] = make(
        None, encoder.default, encode_basestring, None, encoder.key_separator,
        encoder.item_separator, encoder.sort_keys, encoder.skipkeys, encoder.allow_nan
    )
    return made


_C_ENCODER = c_encoder(_ENCODER)


def compact(value: Any) -> Encoded:
    """`json.dumps(value, ensure_ascii=False, separators=(", ", ": "))`."""
    if isinstance(value, Encoded):
        return value
    if _C_ENCODER is None:
        return Encoded(_ENCODER.encode(value))
    return Encoded("".join(_C_ENCODER(value, 0)))


def merged(head: dict[str, Any], tail: str) -> Iterator[str]:
    """The pieces of the object of `head`'s items followed by those of `tail` (an encoded
    object with one item at least), as `compact` encodes the two merged into one dict."""
    first = compact(head)
    if first != "{}":
        yield first[:-1]
        yield ", "
        yield tail[1:]
    else:
        yield tail


def chunks(payload: dict[str, Any]) -> Iterator[str]:
    """`dumps(payload)` in pieces: an item of a top-level list, or a piece of a Pieces value,
    at a time."""
    yield "{\n"
    for n, (key, value) in enumerate(payload.items()):
        yield f",\n  {compact(key)}: " if n else f"  {compact(key)}: "
        if isinstance(value, list) and value:
            yield "[\n    "
            for i, item in enumerate(value):
                if i:
                    yield ",\n    "
                yield from item.parts if isinstance(item, Pieces) else (compact(item),)
            yield "\n  ]"
        elif isinstance(value, Pieces):
            yield from value.parts
        else:
            yield compact(value)
    yield "\n}\n"


def dumps(payload: dict[str, Any]) -> str:
    return "".join(chunks(payload))
