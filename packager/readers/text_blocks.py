"""A question's key and explanation as heading blocks of their own after its options, read as
the layout's own lines (readers/text.py reads the layout).

Course generators write a question's options, then `### Answer Key` over its key line
(`*   **Correct Option:** **B**`), then `### Explanation` over its text, and perhaps a
`### Distractor Analysis`, the blocks often between rules (`---`). Read here: the rules and
blank lines between such blocks are one blank line, the key's heading is left out (over the
key alone, `**B**`, it is a key label `Answer:`, which takes the line under it) and the
explanation's heading is an `Explanation:` line, so the blocks are the question's tail; a
heading block right after the explanation that can be no question (it names no key and asks
nothing) goes on with the explanation, its heading kept as written right under its text (a
blank line before a heading would end the question). Line numbers are kept.
"""

from __future__ import annotations

import re

from packager.readers.text_grammar import (
    EM,
    ENDS_QUESTION,
    EXPLANATION,
    KEY_LINE,
    LABEL_ALONE_END,
    OPTION,
    SECTION,
    SEPARATOR,
    filled,
    is_section_title,
    is_tail,
    names_key,
    starts_question,
)
from packager.readers.text_key import Line

# A heading over a question's key alone (`### Answer Key`, `## Correct answer`, `### Answer`).
_KEY_HEADING = re.compile(
    rf"^\s*#{{1,6}}\s+{EM}(?:answer(?:\s+key|s)?|key|(?:the\s+)?correct\s+(?:answer|option"
    rf"|choice)s?){LABEL_ALONE_END}",
    re.I,
)


def _heads_block(text: str) -> bool:
    """Whether a heading may head a key or explanation block (looked at before any line is)."""
    if _KEY_HEADING.match(text):
        return True
    bare = text.rstrip().rstrip(":*_").rstrip()
    label = EXPLANATION.match(bare + ":")
    return label is not None and label.end() == len(bare) + 1


def _kind(lines: list[Line], at: int) -> str | None:
    """`key` for a heading over a key line (`### Answer Key`, then `**Correct Option:** B`),
    `label` for one over anything else (the key alone, `**B**`), `explanation` for an
    explanation label as a heading alone (`### Explanation`), else None."""
    text = lines[at].text
    if not _heads_block(text) or is_tail(lines[at]):
        return None  # `### Answer: B`, `# Explanation:`: the layout's own lines already
    below = filled(lines, at + 1, at + 64)
    if below is None or SEPARATOR.match(lines[below].text) or SECTION.match(lines[below].text):
        return None
    if _KEY_HEADING.match(text):  # over a key line, or over the key alone (`**B**`)
        return "key" if KEY_LINE.match(lines[below].text) else "label"
    return "explanation"


def _block_end(lines: list[Line], at: int) -> int:
    """Where the block of the heading on line `at` ends: after its last line that is not
    blank, before the next rule or heading."""
    end = at + 1
    while (end < len(lines) and not SEPARATOR.match(lines[end].text)
           and not SECTION.match(lines[end].text)):
        end += 1
    while lines[end - 1].blank:
        end -= 1
    return end


def _cannot_ask(lines: list[Line], at: int, end: int) -> bool:
    """Whether a section heading's block (lines `at` to `end`) can be no question: no
    question's label or number, nothing that names a key or asks."""
    return not any(starts_question(line) or names_key(line) or ENDS_QUESTION.search(line.text)
                   for line in lines[at:end])


def _between(line: Line) -> bool:
    return line.blank or SEPARATOR.match(line.text) is not None


def _after_options(lines: list[Line], at: int) -> bool:
    """Whether line `at` is among a question's options or after them: an option comes before
    it, and no heading or question's start between."""
    for i in range(at, -1, -1):
        text = lines[i].text
        if OPTION.match(text):
            return True
        if text.lstrip()[:1] == "#" or starts_question(lines[i]):
            return False
    return False


def _notes(lines: list[Line], kept: list[Line | None], end: int) -> int:
    """Joins the heading blocks right after an explanation's (from line `end`) that can be no
    question to it, right under its text; returns where the last one joined ends."""
    while True:
        at = end
        while at < len(lines) and _between(lines[at]):
            at += 1
        if at == len(lines) or not is_section_title(lines[at]) or _heads_block(lines[at].text):
            return end
        block_end = _block_end(lines, at)
        if not _cannot_ask(lines, at, block_end):
            return end
        for i in range(end, at):
            kept[i] = None
        end = block_end


def heading_blocks(lines: list[Line]) -> list[Line]:
    """The lines with a question's key and explanation heading blocks (after its options)
    read as its tail; the lines unchanged without them. Only the lines about such headings
    are looked at (each once)."""
    # A `#` looked for first, at memchr's speed: most lines have none.
    heads = [i for i, line in enumerate(lines)
             if "#" in line.text and line.text.lstrip()[:1] == "#" and _heads_block(line.text)]
    if not heads:
        return lines
    kept: list[Line | None] = list(lines)
    joined = (-1, -1)  # the lines of the blocks last joined
    for head in heads:
        kind = _kind(lines, head) if head >= joined[1] else None
        above = head - 1
        while above >= 0 and _between(lines[above]):
            above -= 1
        if kind is None or above < 0 or not (
                joined[0] <= above < joined[1] or _after_options(lines, above)):
            continue
        if above + 1 < head:  # the rules and blank lines between: one blank line
            kept[above + 1] = Line(lines[above + 1].number, "")
            for i in range(above + 2, head):
                kept[i] = None
        # A key heading over the key alone is a key label over it (`Answer:`, then `**B**`).
        label = {"key": "", "label": "Answer:"}.get(kind, "Explanation:")
        kept[head] = Line(lines[head].number, label)
        end = _block_end(lines, head)
        joined = (head, _notes(lines, kept, end) if kind == "explanation" else end)
    return [line for line in kept if line is not None]
