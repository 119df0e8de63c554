"""HTML comments in a plain-text bank (`<!-- … -->`): a page shows nothing of them (GitHub, an
editor's preview), so they hold nothing of the bank. A draft question commented out was read
as a question, and refused for its `-->` line ("text after the answer"). Lines from one that
starts a line to the line it ends are left out; one holding an option or a key line is told,
as the author may have meant to keep that question."""

from __future__ import annotations

import re

from packager.readers.text_grammar import OPTION, is_tail
from packager.readers.text_key import Line

_OPEN = re.compile(r"^\s*<!--")
_CLOSE = "-->"


def without_comments(lines: list[Line], code: list[bool]) -> tuple[list[Line], list[Line]]:
    """The lines less those of HTML comments that start and end lines (`code`: the lines of
    fenced code, whose `<!--` is code), and the first line of each comment that holds an
    option or key line."""
    kept: list[Line] = []
    told: list[Line] = []
    at, closed = 0, True  # closed: a later comment may still find its end
    while at < len(lines):
        line = lines[at]
        if not closed or code[at] or not _OPEN.match(line.text):
            kept.append(line)
            at += 1
            continue
        end, close = at, line.text.find(_CLOSE, line.text.index("<!--") + 4)
        while close < 0 and end + 1 < len(lines):
            end += 1
            close = lines[end].text.find(_CLOSE)
        if close < 0:
            closed = False  # no `-->` below: none of the comments below ends either
            continue
        if lines[end].text[close + len(_CLOSE):].strip():
            kept.extend(lines[at : end + 1])  # text after its end on the line: as written
            at = end + 1
            continue
        inside = [Line(line.number, line.text.replace("<!--", "").replace(_CLOSE, ""))
                  for line in lines[at : end + 1]]
        if any(OPTION.match(line.text.strip()) or is_tail(line) for line in inside):
            told.append(lines[at])
        at = end + 1
    return kept, told
