"""Bytes of a text source → its text, for every reader of a text format.

UTF-8, with or without a byte-order mark, is what the formats ask for. UTF-16 and UTF-32 are
read too when their byte-order mark says so (unambiguous: no UTF-8 text begins with one):
Excel's "Unicode Text" and Notepad's "UTF-16" save that. Anything else is refused, located
(line and column of the first byte that is not UTF-8), and named when it reads as Windows-1252
(Notepad's and Excel's "ANSI"), the usual cause.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from packager.diagnostics import Diagnostic
from packager.errors import InputError

# UTF-32's little-endian mark begins with UTF-16's: looked for first.
_MARKED = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# What a user can do about it, wherever the file came from.
HINT = "save the file as UTF-8 (Notepad, Word, Excel: Save As, then Encoding: UTF-8)"


def _marked(data: bytes) -> str | None:
    for mark, encoding in _MARKED:
        if data.startswith(mark):
            return encoding
    return None


def is_marked_wide(data: bytes) -> bool:
    """Whether the bytes are UTF-16 or UTF-32 text by their mark: a search of them for ASCII
    words finds nothing."""
    return _marked(data) is not None


def holds(data: bytes, sign: bytes) -> bool:
    """`sign in data`, for the text readers' quick looks at a whole file's bytes (a score of
    them before its lines are read). `in` looks for a few bytes by skipping a position at a
    time wherever the next byte shares its filter's bits, as the letters of a text often do;
    the regex engine looks for a literal several times faster. A byte alone `in` finds at
    memchr's speed, five to ten times the regex engine's: most signs are looked for because
    a rare layout needs them, so a sign's marks (`!`, `<`, `~`, `>`) are looked for alone
    first, and a file without one of them is not searched for the sign."""
    if len(sign) == 1:
        return sign in data
    literal, marks = _literal(sign)
    return all(mark in data for mark in marks) and literal.search(data) is not None


@lru_cache(maxsize=64)
def _literal(sign: bytes) -> tuple[re.Pattern[bytes], tuple[bytes, ...]]:
    """The sign's pattern, and its bytes other than letters, digits and white space: a
    file holds a sign only where it holds each of them, and they are rarer than letters."""
    marks = dict.fromkeys(bytes([b]) for b in sign if not bytes([b]).isalnum()
                          and not bytes([b]).isspace())
    return re.compile(re.escape(sign)), tuple(marks)


def text_of(data: bytes) -> str:
    """The text; UnicodeDecodeError when it is not UTF-8 and has no UTF-16/32 mark."""
    encoding = _marked(data)
    return data.decode(encoding) if encoding else utf8_text(data)


def utf8_text(data: bytes) -> str:
    """The UTF-8 text (its mark dropped); UnicodeDecodeError also for UTF-16 without its mark,
    which is valid UTF-8 when its characters are ASCII or a few others (’ is 0x19 0x20)."""
    if b"\0" in data and _utf16_unmarked(data):
        at = data.index(b"\0")
        raise UnicodeDecodeError("utf-8", data, at, at + 1, "UTF-16 without its byte-order mark")
    return data.decode("utf-8-sig")


def decoded(data: bytes, name: str, code: str) -> str:
    """The text, or InputError carrying `not_text`'s located diagnostic (for a reader that
    refuses a file by raising)."""
    try:
        return text_of(data)
    except UnicodeDecodeError as exc:
        problem = not_text(data, exc, name, code)
        raise InputError(f"{problem.location()}: {problem.message}",
                         diagnostics=[problem]) from None


def strict_head(head: bytes) -> str | None:
    """The first bytes of a source as text, a character cut where they end left out; None
    when they are not text (for a detector that wants text throughout, unlike head_text)."""
    try:
        return text_of(head)
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # the longest character (UTF-8, UTF-32) is 4 bytes
            return None
        return text_of(head[: exc.start])


def head_text(head: bytes) -> str:
    """The first bytes of a source as text, for telling its format: never raises (a
    character cut where the head ends, or any undecodable byte, becomes U+FFFD)."""
    encoding = _marked(head)
    if encoding:
        return head.decode(encoding, errors="replace")
    return head.decode("utf-8-sig", errors="replace")


def not_text(data: bytes, exc: UnicodeDecodeError, name: str, code: str,
             *, utf8_only: bool = False) -> Diagnostic:
    """The located diagnostic for a source text_of (or, `utf8_only`, utf8_text) refused with
    `exc`."""
    marked = _marked(data)
    if marked and exc.encoding.startswith("utf-8"):  # a reader of UTF-8 only (JSON banks)
        return Diagnostic(code, f"saved as {marked.upper()}: this file must be UTF-8",
                          file=name, hint=HINT)
    if marked:  # a marked UTF-16/32 text that breaks its own encoding
        return Diagnostic(code, f"not valid {marked.upper()} ({exc.reason})", file=name,
                          hint=HINT)
    unmarked = _utf16_unmarked(data)
    if unmarked:
        allowed = "UTF-8" if utf8_only else "UTF-8 (or UTF-16 with its mark)"
        return Diagnostic(code, f"saved as {unmarked} without a byte-order mark: this file must "
                          f"be {allowed}", file=name, hint=HINT)
    start = data.rfind(b"\n", 0, exc.start) + 1
    line = data.count(b"\n", 0, exc.start) + 1
    column = len(data[start : exc.start].decode("utf-8", errors="replace")) + 1
    byte = data[exc.start]
    message = f"not valid UTF-8 (byte 0x{byte:02x})"
    if _reads_as_ansi(data):
        character = bytes([byte]).decode("cp1252")
        shown = repr(character) if character.isprintable() else f"U+{ord(character):04X}"
        message += f'; the file looks saved as Windows-1252 ("ANSI"), where that byte is {shown}'
    return Diagnostic(code, message, file=name, line=line, column=column, hint=HINT)


def _utf16_unmarked(data: bytes) -> str | None:
    """"UTF-16LE"/"UTF-16BE" for text of that encoding without its byte-order mark: mostly
    ASCII, so every other byte of its start is NUL (no text in another encoding has them)."""
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 2:
        return None
    for parity, kind in ((1, "UTF-16LE"), (0, "UTF-16BE")):
        if head[parity::2].count(0) > 0.9 * pairs and head[1 - parity :: 2].count(0) < pairs / 4:
            return kind
    return None


def _reads_as_ansi(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:  # one of the five bytes Windows-1252 leaves undefined
        return False
    return True
