"""qtype_gapfill (Marcus Green's gap fill plug-in) → `fill_in_blanks`.

Its export is a core question's fields plus its own settings: `delimitchars` (two characters
around each gap in the question text, `[]` by default), `answerdisplay` (gapfill: typed;
dropdown or dragdrop: picked from every answer), `casesensitive`, `noduplicates` and
`disableregex`. The question text marks each gap (`The [cat] sat on the [mat]`); the plug-in
grades a gap against the answer of fraction 100 in its place, the answers of fraction 0 being
distractors offered with them. A gap's answer is a regular expression unless `disableregex`
is set; `|` separates alternatives either way; an answer holding two `!` (`[!!]`) is right when
the gap is left empty.

A gap becomes a blank accepting its alternatives, where each is a literal text: an answer that
only escapes characters (`\\$`) reads as that text, one with `.` as written (noted); any other
pattern (`colou?r`, `\\s+`) has no list of answers, and the question is dropped saying so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from packager.readers.imported import first_named
from packager.readers.moodle_cloze import MAX_GAPS, Gaps, place, short
from packager.readers.moodle_text import plain_html

# The characters with a meaning in a PCRE pattern, besides `.`, `|` and `\` (read apart).
_PATTERN = frozenset("^$*+?()[]{}")
_BLANK_IS_RIGHT = re.compile(r"!.*!")  # the plug-in's own test for a gap right when empty
_UNESCAPED_BAR = re.compile(r"(?<!\\)\|")
# How the learner gave an answer other than by typing it, by `answerdisplay`.
_PICKED = {"dropdown": "pick from a list", "dragdrop": "drag into the gaps"}


@dataclass(frozen=True)
class Settings:
    delimiters: str  # open and close
    regex: bool
    display: str


def mark_gapfill(raw: str, settings: Settings, rights: list[str], distractors: int,
                 gaps: Gaps) -> str:
    """The question text with each gap replaced by its place; gap n accepts the alternatives
    of the n-th right answer (as the plug-in grades it, not the text between the delimiters,
    which is the same where the question was saved by Moodle's form)."""
    opening, closing = settings.delimiters[0], settings.delimiters[1]
    if len(rights) > MAX_GAPS:  # each gap's place is a private-use character
        gaps.malformed = f"the question has more than {MAX_GAPS:,} gaps"
        return raw
    out: list[str] = []
    last = count = 0
    for start, end in _gaps(raw, opening, closing):
        count += 1
        if count <= len(rights):
            out += (raw[last:start], place(count - 1))
            last = end
    marked = "".join(out) + raw[last:]
    if count != len(rights):
        gaps.malformed = (f"the question text has {count} gap(s) between '{opening}' and "
                          f"'{closing}' and the question {len(rights)} right answer(s)")
        return marked
    dotted: list[int] = []
    anywhere: int | None = None
    for number, right in enumerate(rights, start=1):
        answer = plain_html(right)
        if _BLANK_IS_RIGHT.search(answer):
            gaps.refused = (f"gap {number} ({short(answer)}) is right when left empty, which "
                            "a blank cannot be")
            return marked
        parts = _UNESCAPED_BAR.split(answer) if settings.regex else answer.split("|")
        accepted: list[str] = []
        for part in parts:
            literal = _literal(part) if settings.regex else (part, False)
            if literal is None:
                gaps.refused = (f"gap {number} ({short(answer)}) is a regular expression, "
                                "which a blank's list of answers cannot carry (in Moodle, write "
                                "its answers as alternatives, a|b, or tick 'Disable regex')")
                return marked
            text, dot = literal
            if dot and number not in dotted:
                dotted.append(number)
            if text.strip() and text.strip() not in accepted:
                accepted.append(text.strip())
        if not accepted:
            gaps.malformed = f"gap {number} has no answer"
            return marked
        if settings.regex and len(parts) > 1 and anywhere is None:
            anywhere = number
        gaps.blanks.append(accepted)
        gaps.weights.append(1)
    if dotted:
        named = ", ".join(first_named([str(n) for n in dotted]))
        gaps.changed.append(f"a '.' in gap {named} matched any character in Moodle "
                            "(a regular expression); the blank accepts the '.' itself")
    if anywhere is not None:
        gaps.changed.append(f"Moodle accepted an answer holding one of a gap's alternatives "
                            f"among other words (gap {anywhere}); a blank accepts one of them "
                            "alone")
    picked = _PICKED.get(settings.display)
    if picked is not None:
        wrong = ("" if not distractors else "; the wrong answer offered with them is dropped"
                 if distractors == 1 else f"; the {distractors} wrong answers offered with them "
                 "are dropped")
        gaps.changed.append(f"the answers to {picked} became typed blanks (each accepts its "
                            f"right answers{wrong})")
    return marked


def _gaps(text: str, opening: str, closing: str) -> Iterator[tuple[int, int]]:
    """The spans of the gaps, as the plug-in's pattern `\\[(.*?)\\]` finds them (a gap ends at
    the first closing delimiter on its line), in one pass: where a line has no closing
    delimiter after an opening one, no gap starts on the rest of it (the pattern, tried at
    each opening delimiter, scanned to the line's end from every one)."""
    at = 0
    line_end = -1  # where the line of the last opening delimiter ends
    while (start := text.find(opening, at)) >= 0:
        if start > line_end:
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
        end = text.find(closing, start + 1, line_end)
        if end >= 0:
            yield start, end + 1
            at = end + 1
        else:
            at = line_end + 1


def _literal(pattern: str) -> tuple[str, bool] | None:
    """The text a pattern matches when it matches one text only (an escaped character is
    itself; `.` is read as written), and whether it holds such a `.`; None for any other
    pattern."""
    out: list[str] = []
    dot = False
    at = 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            escaped = pattern[at + 1:at + 2]
            if not escaped or escaped.isalnum():  # \s, \d, \1 …: classes and references
                return None
            out.append(escaped)
            at += 2
            continue
        if char in _PATTERN:
            return None
        dot = dot or char == "."
        out.append(char)
        at += 1
    return "".join(out), dot




def shared_answer(gaps: Gaps) -> bool:
    """Whether two blanks accept one same answer (compared as the blanks compare answers)."""
    seen: set[str] = set()
    for accepted in gaps.blanks:
        keys = {text if gaps.case_sensitive else text.lower() for text in accepted}
        if keys & seen:
            return True
        seen |= keys
    return False
