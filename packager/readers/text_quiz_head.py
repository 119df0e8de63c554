"""A text2qti quiz's head (`Quiz title: …`, `Quiz description: …` over its questions), read as
text2qti reads it: the bank's title and description (readers/text.py).

text2qti takes each only before the questions, the title before the description; a title goes
on over lines indented under it up to a blank line, a description over indented lines and the
blank lines between them (its paragraphs), its indentation that of its second line.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from packager.readers.text_grammar import filled
from packager.readers.text_key import Line

_QUIZ_TITLE = re.compile(r"^[Qq]uiz [Tt]itle:[ \t]+(?P<text>\S.*)$")
_QUIZ_DESCRIPTION = re.compile(r"^[Qq]uiz [Dd]escription:[ \t]+(?P<text>\S.*)$")


class QuizHead(NamedTuple):
    title: tuple[int, str] | None  # its line and text
    description: tuple[int, str] | None
    rest: list[Line]  # the lines after the head


def quiz_head(lines: list[Line]) -> QuizHead:
    """The head of a text2qti quiz at the lines' start (after blank lines), and the lines after
    it; (None, None, lines) without one."""
    at = filled(lines)
    title = description = None
    if at is not None and (found := _QUIZ_TITLE.match(lines[at].text)):
        texts, after = _indented(lines, at + 1, paragraphs=False)
        title = lines[at].number, " ".join([found["text"].strip(), *texts])
        at = filled(lines, after)
    if at is not None and (found := _QUIZ_DESCRIPTION.match(lines[at].text)):
        texts, after = _indented(lines, at + 1, paragraphs=True)
        description = lines[at].number, "\n".join([found["text"].rstrip(), *texts]).rstrip()
        at = after
    if title is None and description is None:
        return QuizHead(None, None, lines)
    return QuizHead(title, description, lines[at:] if at is not None else [])


def _indented(lines: list[Line], start: int, paragraphs: bool) -> tuple[list[str], int]:
    """The texts of the lines indented from `start` on that go on a title (`paragraphs`
    False: up to a blank line) or a description (blank lines between kept as empty texts),
    less the indentation of the first; and where they end."""
    texts: list[str] = []
    indent: str | None = None
    end = at = start
    while at < len(lines):
        text = lines[at].text.expandtabs(4)
        if not text.strip():
            if not paragraphs:
                break
            texts.append("")
        else:
            if indent is None:
                indent = text[: len(text) - len(text.lstrip(" "))]
                if len(indent) < 2:
                    break
            if not text.startswith(indent):
                break
            texts.append(text[len(indent):].rstrip())
            end = at + 1
        at += 1
    return texts[: end - start], end
