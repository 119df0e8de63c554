"""A question's own settings over its number, as text2qti and Respondus's "Standard Format"
write them (`Title: Speed of Light`, `Points: 2`, then `3) Who …?`), read as its title and
points (readers/text.py); over its label too (`Points: 2`, then `Situation: …`), as a designer
writing the seed's layout gives one question more points than the others.

Both give a `Title:` line to the question under it. text2qti gives a question without a
`Points:` line 1 point, Respondus (its Word tool) the points of the last `Points:` line: the
points are read where every question has its own line, and told otherwise (`points_problem`).
A file whose only setting is a first line `Title: …` is read as before: it titles the bank.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from packager.readers.text_grammar import place_label, starts_question
from packager.readers.text_key import Line

_TITLE = re.compile(r"^Title:[ \t]*(?P<text>\S.*)$")
_POINTS = re.compile(r"^Points:[ \t]*(?P<n>\d+(?:\.\d+)?)[ \t]*$")


class Settings(NamedTuple):
    title: str | None
    points: float | None


def question_settings(lines: list[Line], bank_title: int | None
                      ) -> tuple[list[Line], dict[int, Settings]]:
    """The lines without the settings over questions' starts (a number or a label), and
    those settings by the line number of the question's start; (lines, {}) where a setting
    is over anything else or given twice to one question (the text2qti-source error then
    tells it). The line `bank_title`, a first `Title: …`, titles the bank where it is the
    only title and the only setting or over a blank line."""
    found: dict[int, Settings] = {}
    taken: list[int] = []  # the indexes of the settings' lines
    pending: list[int] = []  # settings' lines above, waiting for their question
    # The `Q<n>:` heading labels met (`### Q1: Sums`): one is a question's start where n is
    # its place among them, as the questions are read (text_chunks).
    headed = 0
    for at, line in enumerate(lines):
        if _TITLE.match(line.text) or _POINTS.match(line.text):
            pending.append(at)
        elif line.blank:
            continue
        else:
            labelled = place_label(line, headed + 1) is not None
            headed += labelled
            if not pending:
                continue
            if not (starts_question(line) or labelled):
                return lines, {}
            settings = _settings([lines[k] for k in pending])
            if settings is None:
                return lines, {}
            found[line.number] = settings
            taken += pending
            pending = []
    if pending or not found:
        return lines, {}
    titled = [number for number, setting in found.items() if setting.title is not None]
    first = taken[0]
    if len(titled) == 1 and lines[first].number == bank_title and _TITLE.match(
            lines[first].text) and ((len(found) == 1 and found[titled[0]].points is None)
                                    or lines[first + 1].blank):
        # The file's first line `Title: …`, the only title, the only setting or apart from
        # the settings under it: the bank's.
        found[titled[0]] = found[titled[0]]._replace(title=None)
        taken = taken[1:]
        if all(setting == Settings(None, None) for setting in found.values()):
            return lines, {}
    out = list(lines)
    for at in taken:
        out[at] = Line(lines[at].number, "")
    return out, found


def _settings(lines: list[Line]) -> Settings | None:
    """The title and points of a question's setting lines; None where one is given twice."""
    titles = [found["text"].strip() for line in lines if (found := _TITLE.match(line.text))]
    points = [float(found["n"]) for line in lines if (found := _POINTS.match(line.text))]
    if len(titles) > 1 or len(points) > 1:
        return None
    return Settings(titles[0] if titles else None, points[0] if points else None)


def points_problem(settings: dict[int, Settings], questions: list[int]) -> int | None:
    """The line of the first question (of `questions`, their lines) without a `Points:` line
    in a file that gives others one; None where all have one or none has."""
    if all(setting.points is None for setting in settings.values()):
        return None
    return next((line for line in questions
                 if line not in settings or settings[line].points is None), None)
