"""A text bank's messages quote a line as the file has it, not as the reader rewrote it.

The reader reads some lines as another layout's: a fold on one line around the answer
(`<details><summary>Answer</summary>A describing word</details>`) as `Answer: A describing
word`, a label in HTML emphasis (`<b>Answer: C</b>`) as `**Answer: C**`, a fold's summary over
a lettered line as `Answer:` alone. An error quoting the line quoted that reading, a line the
user never wrote and cannot find in the file. A reading that took words from another line (an
Obsidian callout's `> [!success]- Answer` and the `> - Paris` under it read as `Answer: Paris`)
is quoted as read: the line alone would not show what the message is about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from packager.readers.text_key import Line, quote

# The lengths the text reader's messages quote a line at (text_key.quote), longest first: a
# line short enough is quoted alike at each.
_LIMITS = (80, 60, 50, 40, 30)
_WORD = re.compile(r"\w+")


class AsWritten:
    """Rewrites a message about one line of the file: its quote of the line as read becomes
    the line as written. `written`: the file's lines; `read`: the lines as the reader took
    them (numbered from 1, as `written`'s places)."""

    def __init__(self, written: Sequence[str], read: Sequence[Line]) -> None:
        self._written = written
        self._read_lines = read
        self._read: dict[int, str] | None = None  # by number, made when first asked

    def __call__(self, line: int | None, message: str) -> str:
        if line is None or not 0 < line <= len(self._written):
            return message
        if self._read is None:
            self._read = {read.number: read.text for read in self._read_lines}
        said, raw = self._read.get(line), self._written[line - 1]
        if said is None or said.split() == raw.split() or not set(
                _WORD.findall(said.casefold())) <= set(_WORD.findall(raw.casefold())):
            return message
        for limit in _LIMITS:
            shown = quote(said, limit)
            if shown in message:
                return message.replace(shown, quote(raw, limit))
        return message
