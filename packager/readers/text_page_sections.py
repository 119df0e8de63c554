"""Sections of a course page around labelled questions: `### Learning Objectives` over the
questions, `### Activities` and `### Discussion Questions` after them, each a heading over a
list of bullets (as course generators write assessments, one section a part of the course),
named as such a part is (`_PAGE_PART`).

They ask nothing a learner answers and name no key, but their bullets read as options: the
objectives became a question with no key, and the activities the last explanation's text
(exit 0). A heading at the level of the one over the questions (`### Assessment Questions`)
or above ends what the questions are; under it, a section of headings and bullets only is
left out (text.py warns W-TEXT-LEFT-OUT). A heading deeper than that (`#### Why not B`) stays
an explanation's.
"""

from __future__ import annotations

import re

from packager.readers.text_grammar import (
    LABEL,
    LIST_BULLET,
    OPTION,
    is_section_title,
    is_tail,
    names_key,
    starts_question,
)
from packager.readers.text_key import Line

_LEVEL = re.compile(r"^\s*(#{1,6})\s")
# What such a section is called, the whole heading: a shared case (`### Case Study: Acme`,
# `## Project Activities` a later question works on) or an explanation's own part (`### Key
# points`, `### Further reading`) is not one.
# (Its closing marks and spaces are taken whole, possessive: shared with those after a colon it
# may have, a long run of them before other text was split every way.)
_PAGE_PART = re.compile(
    r"^\s*#{1,6}\s+[*_]*(?:(?:learning\s+)?objectives|learning\s+(?:outcomes|goals)"
    r"|(?:suggested\s+|practice\s+|hands-on\s+|follow-up\s+)?activities"
    r"|discussion(?:\s+(?:questions|prompts))?|reflection(?:\s+questions)?|next\s+steps"
    r"|assessment\s+questions|objetivos(?:\s+de\s+aprendizaje)?|actividades)[*_]*+\s*+:?[*_]*\s*$",
    re.I)


# How far a question's start is looked for in its lines, and the most lines a page's section
# has (a few headings and a short list): a chunk of 160,000 headings is none, and was read
# line by line twice more.
_REACH = 32
_LONGEST = 400


def page_sections(chunks: list[list[Line]], description: tuple[int, str] | None,
                  ) -> tuple[list[list[Line]], list[Line]]:
    """The chunks less the course page's sections around labelled questions, and the first
    heading of each left out. `description`: the text before the first question, whose last heading
    is the one over the questions."""
    if not any(starts_question(line) for chunk in chunks for line in chunk[:3]):
        return chunks, []  # questions without labels: a heading may start one
    level = _last_level(description[1].split("\n")) if description else None
    own: int | None = None  # the level of the last question's label where it is a heading
    kept: list[list[Line]] = []
    left: list[Line] = []
    for chunk in chunks:
        # A question's start is under a few section titles at most (question_of reads it so).
        start = next((i for i, line in enumerate(chunk[:_REACH]) if starts_question(line)),
                     None)
        if start is None:
            if _is_page_section(chunk, _above(level, own)):
                left.append(next(line for line in chunk if not line.blank))
                level = _last_level([line.text for line in chunk]) or level
            else:
                kept.append(chunk)
            continue
        level = _last_level([line.text for line in chunk[:start]]) or level
        own = _last_level([chunk[start].text])
        cut = _section_after_key(chunk, start, _above(level, own))
        kept.append(chunk[:cut])
        if cut < len(chunk):
            left.append(chunk[cut])
    return kept, left


def _above(level: int | None, own: int | None) -> int | None:
    """The level a page's section is headed at: that of the heading over the questions, and
    above the questions' own where their labels are headings (`# 1. Content Filtering`): a
    heading at their level after one is its part (`# Explanation:`, `# References:`)."""
    if level is None or own is None:
        return level
    return min(level, own - 1)


def _last_level(texts: list[str]) -> int | None:
    """The level of the last Markdown heading among these lines, or None."""
    for text in reversed(texts):
        found = _LEVEL.match(text)
        if found is not None:
            return len(found[1])
    return None


def _section_after_key(chunk: list[Line], start: int, level: int | None) -> int:
    """Where a page's section starts after the question's key or explanation (a heading at
    `level` or above after a blank line, headings and bullets to the chunk's end), or the
    chunk's end. One pass: a paragraph or key after a heading makes it the explanation's."""
    if level is None:
        return len(chunk)
    keyed = next((i for i in range(start + 1, len(chunk)) if is_tail(chunk[i])), None)
    if keyed is None:
        return len(chunk)
    cut: int | None = None
    bulleted = item = False
    for i in range(keyed + 1, len(chunk)):
        line = chunk[i]
        if line.blank:
            continue
        if _heading(line, None):
            if (cut is None and chunk[i - 1].blank and _heading(line, level)
                    and _PAGE_PART.match(line.text)):
                cut, bulleted = i, False
            item = False
        elif not names_key(line) and _plain_bullet(line):
            bulleted = item = True
        elif not (item and line.text[:1].isspace()):
            cut, item = None, False  # a paragraph or a key: the explanation goes on
    return cut if cut is not None and bulleted else len(chunk)


def _is_page_section(lines: list[Line], level: int | None) -> bool:
    """Whether lines are a page's section: a heading at `level` or above (any level where no
    heading was seen over the questions), then headings and plain bullets only (an item's
    lines indented under it), no key."""
    filled = [line for line in lines if not line.blank]
    if not filled or len(filled) > _LONGEST or not _heading(filled[0], level, asking=True):
        return False
    bulleted = item = named = False
    headings = asking = 0
    for line in filled:
        if _heading(line, None, asking=True):
            headings += 1
            asking += not is_section_title(line)
            named = named or _PAGE_PART.match(line.text) is not None
            item = False
        elif not names_key(line) and _plain_bullet(line):
            bulleted = item = True
        elif not (item and line.text[:1].isspace()):
            return False  # a paragraph or a key: text of a question or an explanation
    # A heading that asks (`## Section 2: What is Hadoop?`) titles a section of several
    # headings; alone over bullets it may be a question written as a heading.
    return bulleted and named and (not asking or headings > 1)


def _plain_bullet(line: Line) -> bool:
    """Whether a line is a list's item with a bullet, not lettered or boxed as an option."""
    if not LIST_BULLET.match(line.text):
        return False
    option = OPTION.match(line.text)
    return option is None or not (option["letter"] or option["paren"] or option["box"])


def _heading(line: Line, level: int | None, asking: bool = False) -> bool:
    """Whether a line is a section's heading (no label; asking nothing unless `asking`), at
    `level` or above."""
    found = _LEVEL.match(line.text)
    return (found is not None and not is_tail(line)
            and (is_section_title(line) or (asking and not LABEL.match(line.text)))
            and (level is None or len(found[1]) <= level))
