"""A file's closing text read as its last question's explanation, told (readers/text.py).

Text after the last question's key is that question's explanation: the layout cannot tell a
rationale from a closing line (`Good luck with the exam!`, `End of quiz.`) by its words. Where
the other questions show how their explanations end, it can tell one that goes on further:
when no other question has text after its key, or each other question's is one paragraph,
the last question's text beyond that is likely the file's, and is told (not taken off: it may
be the explanation's, which the author decides). A rationale on a key's own line (`**Answer:
b** (it is in …)`) is the key's, never the file's, and is not counted.
"""

from __future__ import annotations

import re

from packager.readers.text_grammar import closes_fence, fence_of

# Questions before the last that show a pattern: with fewer, one explanation longer than
# the others is no sign.
MIN_OTHERS = 2
# A block that goes on with an explanation rather than closes a file: a list's item, fenced or
# indented code, a table, a quote, an image.
_NOT_PROSE = re.compile(r"(?:[-*+•]\s|\d{1,3}[.)]\s|```|~~~| {4}|\t|\||>|!\[)")


def _blocks(text: str) -> list[str]:
    """A text's blocks: its paragraphs, lists and fenced code, as blank lines outside code
    part them."""
    blocks: list[list[str]] = [[]]
    fence: str | None = None
    for line in text.split("\n"):
        if fence is not None:
            fence = None if closes_fence(line, fence) else fence
        elif (opens := fence_of(line)) is not None:
            fence = opens["fence"]
        elif not line.strip():
            blocks.append([])
            continue
        blocks[-1].append(line)
    return ["\n".join(block) for block in blocks if block]


def _after_key(explanation: str | None, lead: int) -> list[str]:
    """The blocks of an explanation that follow the key: less the `lead` first ones, which
    the key lines gave."""
    return _blocks(explanation)[lead:] if explanation else []


def _prose(block: str) -> bool:
    """Whether a block is prose (or a heading) that may close a file: no list, code, table,
    quote or figure, which go on with an explanation."""
    return _NOT_PROSE.match(block) is None


def closing_text(
    explanations: list[tuple[str | None, int | None, int]],
) -> tuple[int, str, str] | None:
    """The line and text of the paragraph that may be the file's closing text, and why, from
    each question's explanation, its line in the file (where the text after the key starts)
    and how many of its first paragraphs key lines gave; None where nothing says so."""
    if len(explanations) <= MIN_OTHERS:
        return None
    *others, (last, line, lead) = explanations
    paragraphs = _after_key(last, lead)
    if not paragraphs or last is None or line is None:
        return None
    counts = {len(_after_key(text, before)) for text, _, before in others}
    if counts == {0}:
        kept, why = 0, "no other question has text after its key"
    elif counts == {1}:
        kept, why = 1, "each other question's explanation is one paragraph"
    else:
        return None
    closing = next((block for block in paragraphs[kept:] if _prose(block)), None)
    if closing is None:
        return None
    tail = last.index(paragraphs[0])  # where the text after the key starts, on `line`
    return line + last.count("\n", tail, last.index(closing, tail)), closing, why
