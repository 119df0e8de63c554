"""Bank → Aiken text: single-choice questions only, one line per question and per option.

Aiken (MoodleDocs "Aiken format") has no markup, no escapes, no feedback and no title:

    Question text on one line
    A. first option
    B. second option
    ANSWER: B

Moodle's importer treats a line starting with a capital letter followed by ". " or ") " as
an option and a line starting with "ANSWER" as the key, so every text is flattened to one
line of plain text, and a question line that would read as an option or as the key, or that
Moodle would skip as shorter than two bytes, is prefixed with "Q: " (`protect`;
docs/formats/aiken.md says so).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

from packager.model import Bank
from packager.model import questions as m
from packager.richtext import render
from packager.richtext_plain import plain_text
from packager.writers.text_blocks import blocks_utf8, join_blocks

LETTERS = string.ascii_uppercase
_LOOKS_LIKE_OPTION = re.compile(r"^(?:[A-Z][.)]|ANSWER)")


_BLOCKS = frozenset(
    ["p", "div", "pre", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "blockquote", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr"]
)


def flat(markdown: str) -> str:
    """Rich text as one line of plain text: blocks and cells separated, white space collapsed."""
    rendered = render(markdown)
    if rendered.is_plain_paragraph:
        return plain_text(markdown)  # its white space collapsed already
    root = etree.fromstring(f"<div>{rendered.xhtml}</div>")
    return " ".join(_text(root).split())


# Each option is flattened twice, by the export's check of options one line cannot tell apart
# (packages/aiken.extra_fidelity) and by the writer: cached, bounded as render's cache is; so
# is a passage, shared by its questions. A question's scenario and prompt are flattened once:
# cached, they were 28 MB of the 10,000-question bench bank's Aiken job (its peak: 56 MB).
one_line = lru_cache(maxsize=1 << 18)(flat)


def _text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        block = isinstance(child.tag, str) and child.tag in _BLOCKS
        if block:
            parts.append(" ")
        parts.append(_text(child))
        if block:
            parts.append(" ")
        parts.append(child.tail or "")
    return "".join(parts)


def protect(line: str) -> str:
    """Prefix 'Q: ' to a question line that Moodle would read as an option or as the key, or
    would pass over: its import skips a line shorter than two bytes (`strlen($nowline) < 2`),
    so the options of a question '?' would stand before any question, and Moodle would
    refuse the file.
    A line that reads as one so prefixed ('Q: 5', 'Q: Q: 5') gets one more, as a reader
    takes one prefix off."""
    rest = line.removeprefix("Q: ")
    if _misread(line) or (rest != line and (_misread(rest) or rest.startswith("Q: "))):
        return "Q: " + line
    return line


def _misread(line: str) -> bool:
    return bool(_LOOKS_LIKE_OPTION.match(line)) or len(line.encode()) < 2


def question(bank: Bank, q: m.SingleChoice) -> str:
    parts: list[str] = []
    if q.stimulus:
        stimulus = bank.stimulus_by_id[q.stimulus]
        if stimulus.title:
            parts.append(" ".join(stimulus.title.split()))
        parts.append(one_line(stimulus.body))  # shared by its questions
    if q.scenario:
        parts.append(flat(q.scenario))
    parts.append(flat(q.prompt))
    lines = [protect(" ".join(parts))]
    key = ""
    for letter, choice in zip(LETTERS, q.choices, strict=False):
        lines.append(f"{letter}. {one_line(choice.text)}")
        if choice.correct:
            key = letter
    lines.append(f"ANSWER: {key}")
    return "\n".join(lines)


def write(bank: Bank) -> str:
    """The Aiken text for the single-choice questions of a bank (others are removed before)."""
    return join_blocks(blocks(bank))


def write_pieces(bank: Bank) -> list[bytes]:
    """write() as UTF-8, in pieces (text_blocks.blocks_utf8)."""
    return blocks_utf8(blocks(bank))


def blocks(bank: Bank) -> Iterator[str]:
    return (question(bank, q) for q in bank.questions if isinstance(q, m.SingleChoice))
