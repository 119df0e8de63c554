"""Line and column of every JSON value, by JSON pointer; only computed when reporting errors."""

from __future__ import annotations

import contextlib
import re

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.found: dict[str, tuple[int, int]] = {}
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_col(self, pos: int) -> tuple[int, int]:
        import bisect

        index = bisect.bisect_right(self._line_starts, pos) - 1
        return index + 1, pos - self._line_starts[index] + 1

    def skip(self) -> None:
        self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def value(self, pointer: str) -> None:
        self.skip()
        self.found[pointer] = self.line_col(self.pos)
        char = self.text[self.pos : self.pos + 1]
        if char == "{":
            self.pos += 1
            self.skip()
            if self.text[self.pos : self.pos + 1] == "}":
                self.pos += 1
                return
            while True:
                self.skip()
                match = _STRING.match(self.text, self.pos)
                if not match:
                    raise ValueError("key expected")
                import json

                key = json.loads(match.group())
                key_pos = self.pos
                self.pos = match.end()
                self.skip()
                self.pos += 1  # ':'
                child = f"{pointer}/{_escape(key)}"
                self.value(child)
                self.found.setdefault(child, self.line_col(key_pos))
                self.found[child + "#key"] = self.line_col(key_pos)
                self.skip()
                sep = self.text[self.pos : self.pos + 1]
                self.pos += 1
                if sep == "}":
                    return
                if sep != ",":
                    raise ValueError("',' or '}' expected")
        elif char == "[":
            self.pos += 1
            self.skip()
            if self.text[self.pos : self.pos + 1] == "]":
                self.pos += 1
                return
            index = 0
            while True:
                self.value(f"{pointer}/{index}")
                index += 1
                self.skip()
                sep = self.text[self.pos : self.pos + 1]
                self.pos += 1
                if sep == "]":
                    return
                if sep != ",":
                    raise ValueError("',' or ']' expected")
        elif char == '"':
            match = _STRING.match(self.text, self.pos)
            if not match:
                raise ValueError("bad string")
            self.pos = match.end()
        else:
            match = _SCALAR.match(self.text, self.pos)
            if not match:
                raise ValueError("bad value")
            self.pos = match.end()


def pointer_positions(text: str) -> dict[str, tuple[int, int]]:
    """Map JSON pointer → (line, column) of its value; `<pointer>#key` → position of the key."""
    scanner = _Scanner(text)
    with contextlib.suppress(ValueError, IndexError):
        scanner.value("")
    return scanner.found


def locate(positions: dict[str, tuple[int, int]], pointer: str) -> tuple[int, int] | None:
    """Position of the pointer, or of its nearest existing ancestor (e.g. for a missing key)."""
    current = pointer
    while True:
        if current in positions:
            return positions[current]
        if not current:
            return None
        current = current.rsplit("/", 1)[0]
