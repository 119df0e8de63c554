"""JSON syntax of a canonical bank file: its text parsed, refusing repeated keys and
non-finite numbers, or the one diagnostic that says why it is not acceptable JSON (syntax,
or a number or nesting beyond the parser's limits).
"""

from __future__ import annotations

import json
import re
from typing import Any

from packager.diagnostics import Diagnostic
from packager.readers.jsonpos import MAX_DEPTH, Fault, find_fault


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


# A `\\uD800`-`\\uDFFF` escape after an even run of backslashes (an escape, not escaped): a
# high half with its low half, or either alone.
_SURROGATE_ESCAPE = re.compile(
    r"(?<!\\)(?:\\\\)*\\u(?:[dD][89abAB][0-9a-fA-F]{2}(?P<low>\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    r"|[dD][c-fC-F][0-9a-fA-F]{2})"
)
# Whether the text may hold one, by one pattern search: a text with an emoji is four bytes a
# character, which substring searches for `\\ud` and `\\uD` crawl through six times slower.
_SURROGATE_HINT = re.compile(r"\\u[dD]")


def _lone_surrogate(text: str, name: str) -> Diagnostic | None:
    """A `\\ud800` escape without its other half: JSON's decoder makes it a string that no
    UTF-8 file, terminal or JSON report can hold (a fuzz run: tracebacks in validate
    --format json and preview)."""
    if _SURROGATE_HINT.search(text) is None:
        return None
    for found in _SURROGATE_ESCAPE.finditer(text):
        escape = found.group().lstrip("\\")
        if found["low"] is None:
            line = text.count("\n", 0, found.end()) + 1
            return Diagnostic(
                "E-JSON-SYNTAX",
                f"\\{escape[:5]} is half of a character's escape pair, alone",
                file=name,
                line=line,
                column=found.end() - 5 - (text.rfind("\n", 0, found.end()) + 1),
                hint="write the character itself, or both halves of its escape "
                     "(\\ud83d\\ude00 for 😀)",
            )
    return None


def parse(text: str, name: str, *, escaped: bool = True) -> tuple[Any, Diagnostic | None]:
    """The JSON value, or the one diagnostic that says why the text is not acceptable JSON.
    `escaped`: False when the text holds no `\\u` (its file's bytes were searched)."""
    lone = _lone_surrogate(text, name) if escaped else None
    if lone is not None:
        return None, lone
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant
        ), None
    except json.JSONDecodeError as exc:
        return None, Diagnostic(
            "E-JSON-SYNTAX",
            f"invalid JSON: {exc.msg}",
            file=name,
            line=exc.lineno,
            column=exc.colno,
            hint="check for a missing comma, quote or bracket just before this position",
        )
    except _DuplicateKey as exc:
        return None, Diagnostic(
            "E-DUPLICATE-KEY",
            f"the key {exc.key!r} appears twice in the same object",
            file=name,
            line=_key_line(text, exc.key),
            hint="JSON keeps only the last value; remove the repeated key",
        )
    except (ValueError, RecursionError):
        # NaN/Infinity (refused by _no_constant), an integer longer than int() converts, or
        # nesting deeper than the parser's recursion: the json module does not say where.
        return None, limit_diagnostic(find_fault(text), name)


class _NonFinite(ValueError):
    pass


def _no_constant(literal: str) -> Any:
    raise _NonFinite(literal)


_FAULTS = {
    "non-finite": (
        "E-JSON-SYNTAX",
        "{token} is not a JSON number",
        "write a finite number such as 0 or 2.5; JSON has no NaN or Infinity",
    ),
    "digits": (
        "E-JSON-LIMIT",
        "the integer {token} has more digits than can be read",
        "numbers in a bank are at most 1e15 in magnitude",
    ),
    "depth": (
        "E-JSON-LIMIT",
        "JSON nested deeper than the parser reads (about 1,000 levels)",
        f"a bank needs at most 6 levels of nesting, and here it is {MAX_DEPTH} deep already: "
        "look for unclosed brackets",
    ),
}


def limit_diagnostic(fault: Fault | None, name: str) -> Diagnostic:
    if fault is None:  # not expected: find_fault looks for every case parse catches
        return Diagnostic(
            "E-JSON-LIMIT",
            "the JSON cannot be read (a number or nesting beyond the parser's limits)",
            file=name,
            hint="look for an over-long number or deeply nested brackets",
        )
    code, message, hint = _FAULTS[fault.kind]
    return Diagnostic(
        code,
        message.format(token=fault.token),
        file=name,
        line=fault.line,
        column=fault.column,
        # A pointer 100 levels deep is noise: the line and column say where.
        pointer=None if fault.kind == "depth" else fault.pointer,
        hint=hint,
    )


def _key_line(text: str, key: str) -> int | None:
    needle = json.dumps(key)
    first = text.find(needle)
    second = text.find(needle, first + 1) if first >= 0 else -1
    return text.count("\n", 0, second) + 1 if second >= 0 else None
