"""Line and column of every JSON value, by JSON pointer; only computed when reporting errors.

The scanner keeps its own stack instead of recursing, so no nesting depth can crash it, and
`find_fault` uses it to locate what Python's json module fails on without saying where:
nesting too deep for its recursion, an integer too long to convert, NaN and Infinity.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
import sys
from dataclasses import dataclass

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
_NON_FINITE = re.compile(r"NaN|-?Infinity")

MAX_DEPTH = 100
"""Nesting that `find_fault` reports as too deep; a bank itself needs 6 levels."""


@dataclass(frozen=True)
class Fault:
    """Where the first value lies that the json module cannot turn into a bank value."""

    kind: str  # "depth", "digits" or "non-finite"
    token: str  # the literal, shortened for a long number; "" for depth
    line: int
    column: int
    pointer: str


class _Stop(Exception):
    def __init__(self, kind: str, token: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.token = token


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@dataclass
class _Container:
    pointer: str
    is_object: bool
    index: int = 0


class _Scanner:
    def __init__(self, text: str, *, check_faults: bool = False) -> None:
        self.text = text
        self.pos = 0
        self.pointer = ""  # the value being read, for a fault's location
        self.found: dict[str, tuple[int, int]] = {}
        self.check_faults = check_faults
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_col(self, pos: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._line_starts, pos) - 1
        return index + 1, pos - self._line_starts[index] + 1

    def skip(self) -> None:
        self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def scan(self) -> None:
        """Read one JSON document; ValueError or IndexError where it is malformed."""
        stack: list[_Container] = []
        self.pointer = ""
        while True:
            if self._value(stack):
                continue  # entered a non-empty container: read its first member
            while stack:  # after a value: close containers, or step to the next member
                container = stack[-1]
                self.skip()
                sep = self.text[self.pos : self.pos + 1]
                self.pos += 1
                if sep == ("}" if container.is_object else "]"):
                    stack.pop()
                    continue
                if sep != ",":
                    raise ValueError("',' or a closing bracket expected")
                container.index += 1
                self._member(container)
                break
            else:
                return

    def _value(self, stack: list[_Container]) -> bool:
        """Read the value at `self.pointer`; True when it opens a non-empty container."""
        self.skip()
        self.found[self.pointer] = self.line_col(self.pos)
        char = self.text[self.pos : self.pos + 1]
        if char in ("{", "["):
            if self.check_faults and len(stack) >= MAX_DEPTH:
                raise _Stop("depth", "")
            self.pos += 1
            self.skip()
            if self.text[self.pos : self.pos + 1] == ("}" if char == "{" else "]"):
                self.pos += 1
                return False
            stack.append(_Container(self.pointer, char == "{"))
            self._member(stack[-1])
            return True
        match = (_STRING if char == '"' else _SCALAR).match(self.text, self.pos)
        if not match:
            if self.check_faults:
                literal = _NON_FINITE.match(self.text, self.pos)
                if literal:
                    raise _Stop("non-finite", literal.group())
            raise ValueError("value expected")
        if self.check_faults and char != '"':
            _check_digits(match.group())
        self.pos = match.end()
        return False

    def _member(self, container: _Container) -> None:
        """Read up to the next member's value: its key and ':' in an object."""
        if not container.is_object:
            self.pointer = f"{container.pointer}/{container.index}"
            return
        self.skip()
        match = _STRING.match(self.text, self.pos)
        if not match:
            raise ValueError("key expected")
        key_pos = self.pos
        self.pos = match.end()
        self.skip()
        self.pos += 1  # ':'
        self.pointer = f"{container.pointer}/{_escape(json.loads(match.group()))}"
        self.found[self.pointer + "#key"] = self.line_col(key_pos)


def _check_digits(number: str) -> None:
    # The json module reads a number without '.' or exponent with int(), which refuses more
    # digits than sys.get_int_max_str_digits() (0: no limit).
    limit = sys.get_int_max_str_digits()
    is_integer = not any(c in number for c in ".eE")
    if limit and is_integer and len(number.lstrip("-")) > limit:
        raise _Stop("digits", number[:12] + "…")


def pointer_positions(text: str) -> dict[str, tuple[int, int]]:
    """Map JSON pointer → (line, column) of its value; `<pointer>#key` → position of the key."""
    scanner = _Scanner(text)
    with contextlib.suppress(ValueError, IndexError):
        scanner.scan()
    return scanner.found


def find_fault(text: str) -> Fault | None:
    """The first NaN/Infinity literal, over-long integer, or nesting deeper than MAX_DEPTH."""
    scanner = _Scanner(text, check_faults=True)
    try:
        scanner.scan()
    except _Stop as stop:
        line, column = scanner.line_col(scanner.pos)
        return Fault(stop.kind, stop.token, line, column, scanner.pointer)
    except (ValueError, IndexError):
        return None
    return None


_DECODER = json.JSONDecoder()
_INDEX = re.compile(r"0|[1-9][0-9]*")  # an array index as the scan writes it


def position(text: str, pointer: str) -> tuple[int, int] | None:
    """What `locate(pointer_positions(text), pointer)` gives, for one pointer of a document
    the json module reads: the path is followed and every value beside it skipped by the
    json module's C scanner, so a few pointers cost a fraction of the scan of all of them."""
    at = _WS.match(text, 0).end()  # type: ignore[union-attr]
    for step in (part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]):
        inside = _child(text, at, step)
        if inside is None:
            break
        at = inside
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _child(text: str, at: int, step: str) -> int | None:
    """Where the member `step` of the container at `at` starts, or None without one."""
    opening = text[at : at + 1]
    if opening not in ("{", "[") or (opening == "[" and _INDEX.fullmatch(step) is None):
        return None
    closing = "}" if opening == "{" else "]"
    wanted = int(step) if opening == "[" else -1
    pos = _WS.match(text, at + 1).end()  # type: ignore[union-attr]
    index = 0
    while text[pos : pos + 1] not in (closing, ""):
        if opening == "{":
            key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
            pos = _WS.match(text, _WS.match(text, pos).end() + 1).end()  # type: ignore[union-attr]
            if key == step:
                return pos
        elif index == wanted:
            return pos
        pos = _WS.match(text, _DECODER.raw_decode(text, pos)[1]).end()  # type: ignore[union-attr]
        if text[pos : pos + 1] == ",":
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
        index += 1
    return None


def locate(positions: dict[str, tuple[int, int]], pointer: str) -> tuple[int, int] | None:
    """Position of the pointer, or of its nearest existing ancestor (e.g. for a missing key)."""
    current = pointer
    while True:
        if current in positions:
            return positions[current]
        if not current:
            return None
        current = current.rsplit("/", 1)[0]
