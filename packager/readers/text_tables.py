"""Quizzes written as a Markdown table, one question a row (`| # | Question | A | B | C | D |
Answer | Explanation |`, or one `Options` column), read as the plain-text layout's own lines.

Course notes and generated lessons keep short quizzes so. A table is a quiz only where its
header names a question column, an answer column and the options (two or more letter columns
from A in turn, or one column of options); any other table (`| Topic | Key Point |`, an answer
key's `| # | Answer |`) stays as written. Each row becomes `N. question`, its options `A) …`,
`Answer: …` and `Explanation: …`, all on the row's line number, a blank line after each; other
columns (`DOK`, `Standard`) are left out. Line numbers are kept.
"""

from __future__ import annotations

import re

from packager.readers.text_grammar import FENCE, closes_fence
from packager.readers.text_key import Line

# A table's row: `| … |` (the last `|` may be missing, as hand-written tables leave it).
_ROW = re.compile(r"^\s*\|.*$")
# The rule under a table's header: `|---|:---:|`.
_RULE = re.compile(r"^\s*(?:\|\s*)?:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_QUESTION = re.compile(r"questions?|question\s+text|prompt|stem|item")
_NUMBER = re.compile(r"#|no\.?|nr\.?|n[°º]|q\s*#?|q\.?\s*no\.?|number|sr\.?\s*no\.?")
_LETTER = re.compile(r"(?:(?:option|choice)\s+)?\(?(?P<letter>[a-h])\)?[.)]?")
_OPTIONS = re.compile(r"options|choices|answer\s+choices|alternatives")
_ANSWER = re.compile(r"(?:correct\s+)?(?:answer|option|choice)|key|answer\s+key|correct")
_EXPLANATION = re.compile(r"explanation|rationale|why|feedback|reason|justification")
_BREAK = re.compile(r"<br\s*/?>", re.I)


def may_hold_tables(data: bytes) -> bool:
    """Whether a text bank's bytes may hold a quiz table: a row and a header's rule."""
    return b"|" in data and b"--" in data


def _cells(text: str) -> list[str]:
    """A row's cells, `\\|` a bar inside a cell."""
    inner = text.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def _name(cell: str) -> str:
    return " ".join(cell.strip("*_ `:").split()).lower()


class _Columns:
    """Which column holds what, from a quiz table's header; `ok` only for a quiz's."""

    def __init__(self, header: list[str]) -> None:
        names = [_name(cell) for cell in header]
        self.number = next((k for k, n in enumerate(names) if _NUMBER.fullmatch(n)), None)
        self.question = next((k for k, n in enumerate(names) if _QUESTION.fullmatch(n)), None)
        self.explanation = next((k for k, n in enumerate(names)
                                 if _EXPLANATION.fullmatch(n)), None)
        letters = [(k, found["letter"]) for k, n in enumerate(names)
                   if k not in (self.number, self.question)
                   and (found := _LETTER.fullmatch(n)) is not None]
        run = [k for k, (_, letter) in enumerate(letters) if letter == chr(ord("a") + k)]
        self.letters = [letters[k][0] for k in run] if run == list(range(len(run))) else []
        self.options = next((k for k, n in enumerate(names) if _OPTIONS.fullmatch(n)), None)
        taken = {self.number, self.question, self.explanation, self.options, *self.letters}
        self.answer = next((k for k, n in enumerate(names)
                            if k not in taken and _ANSWER.fullmatch(n)), None)
        self.ok = (self.question is not None and self.answer is not None
                   and (len(self.letters) >= 2 or self.options is not None))


def quiz_tables(lines: list[Line]) -> list[Line]:
    """The lines, each quiz table's rows as questions in the layout's lines."""
    out: list[Line] = []
    fence: str | None = None  # an open code block's: a table in code is the code's
    at = 0
    while at < len(lines):
        line = lines[at]
        opens: re.Match[str] | None = None
        if fence is not None:
            fence = None if closes_fence(line.text, fence) else fence
        elif (opens := FENCE.match(line.text)) is not None:
            fence = opens["fence"]
        if fence is not None or opens is not None:
            out.append(line)
            at += 1
            continue
        if (at + 1 < len(lines) and _ROW.match(line.text) and "|" in lines[at + 1].text
                and _RULE.match(lines[at + 1].text)):
            columns = _Columns(_cells(line.text))
            if columns.ok:
                end = at + 2
                while end < len(lines) and _ROW.match(lines[end].text):
                    end += 1
                for place, row in enumerate(lines[at + 2:end], start=1):
                    out.extend(_question(row, columns, place))
                at = end
                continue
        out.append(line)
        at += 1
    return out


def _question(row: Line, columns: _Columns, place: int) -> list[Line]:
    """A quiz table's row as a question's lines, on the row's line number."""
    cells = _cells(row.text)

    def cell(k: int | None) -> str:
        return cells[k] if k is not None and k < len(cells) else ""

    number = cell(columns.number).strip("*_ .")
    texts: list[str] = [f"{number if number.isdigit() else place}. "
                        + " ".join(_BREAK.split(cell(columns.question)))]
    if columns.options is not None:
        # One cell of options: one a line where `<br>` parts them, else as written (the
        # layout splits `A) x B) y` on one line).
        texts.extend(part.strip() for part in _BREAK.split(cell(columns.options)) if part.strip())
    else:
        texts.extend(f"{chr(ord('A') + k)}) {cell(column)}"
                     for k, column in enumerate(columns.letters) if cell(column))
    texts.append(f"Answer: {cell(columns.answer)}")
    explanation = [part.strip() for part in _BREAK.split(cell(columns.explanation))]
    if any(explanation):
        texts.append(f"Explanation: {explanation[0]}")
        texts.extend(explanation[1:])
    return [*(Line(row.number, text) for text in texts), Line(row.number, "")]
