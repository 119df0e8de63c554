"""Where things are in a bank's JSON text, computed only when reporting errors.

`PointerIndex` gives the line and column of a JSON pointer's value. `find_fault` locates what
Python's json module fails on without saying where: nesting too deep for its recursion, an
integer too long to convert, NaN and Infinity; its scanner keeps its own stack instead of
recursing, so no nesting depth can crash it.
"""

from __future__ import annotations

import bisect
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
        self.pos = match.end()
        self.skip()
        self.pos += 1  # ':'
        self.pointer = f"{container.pointer}/{_escape(json.loads(match.group()))}"


def _check_digits(number: str) -> None:
    # The json module reads a number without '.' or exponent with int(), which refuses more
    # digits than sys.get_int_max_str_digits() (0: no limit).
    limit = sys.get_int_max_str_digits()
    is_integer = not any(c in number for c in ".eE")
    if limit and is_integer and len(number.lstrip("-")) > limit:
        raise _Stop("digits", number[:12] + "…")


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
_INDEX = re.compile(r"0|[1-9][0-9]*")  # an array index as JSON pointers write it
_COUNTED = 16  # positions whose line is counted before the text's lines are listed


class PointerIndex:
    """The line and column of JSON pointers' values in a text the json module reads.

    A pointer is followed from the root through each container on its way, whose members are
    read as far as the one wanted (and no further), every value passed skipped by the json
    module's C scanner; what was read of a container is kept for the next pointer. One
    pointer costs about a parse of the text up to it; every pointer of a 10,000-question
    bank, a few parses of it (a scan of every value in Python took seconds)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._containers: dict[int, _Members | None] = {}
        self._line_starts: list[int] | None = None
        self._counted = 0

    def position(self, pointer: str) -> tuple[int, int]:
        """Where the pointer's value starts; for a pointer to nothing, where its nearest
        existing ancestor's does (the container a missing field belongs in)."""
        at = _WS.match(self.text, 0).end()  # type: ignore[union-attr]
        for part in pointer.split("/")[1:]:
            if at not in self._containers:
                opening = self.text[at : at + 1]
                self._containers[at] = _Members(at, opening == "{") if opening in "{[" else None
            members = self._containers[at]
            inside = None if members is None else members.find(
                self.text, part.replace("~1", "/").replace("~0", "~")
            )
            if inside is None:
                break
            at = inside
        return self._line_column(at)

    def _line_column(self, at: int) -> tuple[int, int]:
        text = self.text
        if self._line_starts is None and self._counted < _COUNTED:
            self._counted += 1
            return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        index = bisect.bisect_right(self._line_starts, at) - 1
        return index + 1, at - self._line_starts[index] + 1


class _Members:
    """The members of one object or array read so far: where each value starts."""

    def __init__(self, at: int, is_object: bool) -> None:
        self.is_object = is_object
        self.keys: dict[str, int] = {}
        self.items: list[int] = []
        self._next = at + 1  # where reading goes on: a value to skip, or past the opening
        self._skip = False  # whether _next is a value read already (to be skipped)
        self._done = False

    def find(self, text: str, step: str) -> int | None:
        if self.is_object:
            while step not in self.keys and self._read(text):
                pass
            return self.keys.get(step)
        if _INDEX.fullmatch(step) is None:
            return None
        wanted = int(step)
        while len(self.items) <= wanted and self._read(text):
            pass
        return self.items[wanted] if wanted < len(self.items) else None

    def _read(self, text: str) -> bool:
        """Read one more member; False when there is none."""
        if self._done:
            return False
        pos = self._next
        if self._skip:
            pos = _WS.match(text, _DECODER.raw_decode(text, pos)[1]).end()  # type: ignore[union-attr]
            if text[pos : pos + 1] == ",":
                pos += 1
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if text[pos : pos + 1] in ("}", "]", ""):
            self._done = True
            return False
        if self.is_object:
            key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
            pos = _WS.match(text, _WS.match(text, pos).end() + 1).end()  # type: ignore[union-attr]
            self.keys.setdefault(key, pos)
        else:
            self.items.append(pos)
        self._next, self._skip = pos, True
        return True
