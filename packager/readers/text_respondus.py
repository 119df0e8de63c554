"""Respondus's `@` feedback lines in a text bank.

Respondus's "Standard Format" puts an answer's feedback on a line of its own right under the
answer, after `@ ` (`a. Albert Einstein`, `@ Incorrect. His theory depends on it.`). Read as
this layout's text, the line joined the option above it, shown to learners as part of the
answer (its "Correct." giving the key away), or, under the last option, was "text after the
options". It is the option's feedback. An `@` line between the question and its options
means the question's general feedback to Respondus 4 and its wrong answers' feedback to
other Respondus import tools: which cannot be told, so it is an error at its line rather than
the question's text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from packager.readers.text_grammar import OPTION
from packager.readers.text_key import Line

# An `@`, a space, the feedback: `@app.route("/")` or `@alice` under a list item is no
# feedback (Markdown's decorators and handles start lines too).
_FEEDBACK = re.compile(r"^@[ \t]+(?P<text>\S.*)$")


class Feedback(NamedTuple):
    line: int  # its first `@` line
    text: str


class Found(NamedTuple):
    lines: list[Line]  # the lines less the feedback lines under options
    feedback: dict[int, Feedback]  # by the line of the option it is under
    above_options: Line | None  # the first `@` line between a question and its options


def respondus_feedback(lines: list[Line], code: list[bool]) -> Found:
    """The `@` feedback lines under options (blank lines between, and any more `@` lines
    under those), taken out of `lines`; `code`: whether each of the file's lines (by number
    from 1) is inside fenced code, where an `@` line is the code's."""
    kept: list[Line] = []
    said: dict[int, tuple[int, list[str]]] = {}  # option line → first `@` line, its texts
    owner: int | None = None  # the option line the feedback lines met now are under
    pending: Line | None = None  # an `@` line under no option, before its next line is seen
    above_options: Line | None = None
    for line in lines:
        if line.blank:
            kept.append(line)
            continue
        inside = line.number <= len(code) and code[line.number - 1]
        found = None if inside else _FEEDBACK.match(line.text)
        if found is not None and owner is not None:
            said.setdefault(owner, (line.number, []))[1].append(found["text"].strip())
            continue
        option = not inside and OPTION.match(line.text) is not None
        if pending is not None and option and above_options is None:
            above_options = pending
        pending = (pending or line) if found is not None else None
        owner = line.number if option else None
        kept.append(line)
    feedback = {owner: Feedback(at, "\n\n".join(texts)) for owner, (at, texts) in said.items()}
    return Found(kept, feedback, above_options)
