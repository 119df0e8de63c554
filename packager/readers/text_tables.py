"""Quizzes written as a Markdown table, one question a row (`| # | Question | A | B | C | D |
Answer | Explanation |`, or one `Options` column), read as the plain-text layout's own lines.

Course notes and generated lessons keep short quizzes so. A table is a quiz only where its
header names a question column of text, an answer column naming an option in every row and
the options (two or more letter columns from A in turn, or one column of options), with no
column a question may need besides them, and where it stands on its own, not in a question's
text or explanation (there a table is the question's data). Any other table (`| Topic | Key
Point |`, an answer key's `| # | Answer |`, an item analysis) stays as written. Each row
becomes `N. question`, its options `A) …`, `Answer: …` and `Explanation: …`, all on the
row's line number, a blank line after each; columns no learner needs (`DOK`, `Standard`)
are left out.
"""

from __future__ import annotations

import re

from packager.readers.encoding import holds
from packager.readers.text_grammar import (
    OPTION,
    SECTION,
    SEPARATOR,
    closes_fence,
    fence_of,
    is_tail,
    starts_question,
)
from packager.readers.text_key import Line

# A table's row: `| … |` (the last `|` may be missing, as hand-written tables leave it);
# indented four spaces or more it is code.
_ROW = re.compile(r"^ {0,3}\|.*$")
# The rule under a table's header, its spaces taken out: `|---|:---:|`.
_RULE = re.compile(r"\|?:?-{2,}:?(?:\|:?-{2,}:?)*\|?")
_QUESTION = re.compile(r"questions?|question\s+text|prompt|stem")
_NUMBER = re.compile(r"#|no\.?|nr\.?|n[°º]|q\s*#?|q\.?\s*no\.?|number|s(?:r|l)?\.?\s*no\.?"
                     r"|item(?:\s+no\.?)?")
_LETTER = re.compile(r"(?:(?:option|choice)\s+)?\(?(?P<letter>[a-h])\)?[.)]?")
_OPTIONS = re.compile(r"options|choices|answer\s+choices|alternatives")
_ANSWER = re.compile(r"(?:correct\s+)?answer|correct\s+(?:option|choice)|key|answer\s+key|correct")
_EXPLANATION = re.compile(r"(?:answer\s+)?(?:explanation|rationale)|why|feedback|reason"
                          r"|justification")
# Columns a quiz table may hold that no learner needs: left out. Any other (`Code`,
# `Passage`) may be what a question needs: such a table stays as written.
_METADATA = re.compile(r"dok|standards?|difficulty|level|topics?|tags?|points?|marks?|score"
                       r"|bloom'?s?(?:\s+level)?|lo|objectives?|outcomes?|category|skills?"
                       r"|source|id|chapter|unit|section|week|type|page|subject|references?")
# An answer cell naming an option by letter (`B`, `**B**`, `(b)`, `B) Fanout`, `B. …`).
_LETTER_ANSWER = re.compile(r"[*_`\s]*\(?(?P<letter>[a-h])\)?[*_`]*(?:[.):\s]|$)", re.I)
# A question cell holding only its number or label (`3`, `Q1`, `Item 4`): no question's text.
_BARE_NUMBER = re.compile(r"[*_\s]*(?:(?:q|item|question|no)\.?\s*)?#?\d{1,5}[.)]?[*_\s]*", re.I)
_LEADING_NUMBER = re.compile(r"^\s*(?:\*\*|__)?\d{1,5}[.)](?:\*\*|__)?\s+")
_BREAK = re.compile(r"<br\s*/?>", re.I)


def may_hold_tables(data: bytes) -> bool:
    """Whether a text bank's bytes may hold a quiz table: a row and a header's rule."""
    return b"|" in data and holds(data, b"--")


def table_cells(text: str) -> list[str]:
    """A Markdown table row's cells, stripped, `\\|` a bar inside a cell."""
    inner = text.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def _name(cell: str) -> str:
    return " ".join(cell.strip("*_ `:").split()).lower()


class _Columns:
    """Which column holds what, from a quiz table's header and rows; `ok` only for a quiz's:
    a question column of text, an answer column naming an option in every row, two or more
    option columns lettered from A in turn or one column of options, and no column a
    question may need besides them (`Code`, `Passage`)."""

    def __init__(self, header: list[str], rows: list[list[str]]) -> None:
        names = [_name(cell) for cell in header]

        def column(pattern: re.Pattern[str], taken: set[int | None]) -> int | None:
            return next((k for k, n in enumerate(names)
                         if k not in taken and pattern.fullmatch(n)), None)

        self.number = column(_NUMBER, set())
        # `| Question | Stem | …` numbers its items in `Question`: the text is the question.
        asking = [k for k, n in enumerate(names) if k != self.number and _QUESTION.fullmatch(n)]
        self.question = next((k for k in asking if not all(
            _BARE_NUMBER.fullmatch(_cell(row, k)) for row in rows)), None)
        self.explanation = column(_EXPLANATION, {self.number, self.question})
        letters = [(k, found["letter"]) for k, n in enumerate(names)
                   if k not in (self.number, self.question)
                   and (found := _LETTER.fullmatch(n)) is not None]
        run = [k for k, (_, letter) in enumerate(letters) if letter == chr(ord("a") + k)]
        self.letters = [letters[k][0] for k in run] if run == list(range(len(run))) else []
        self.options = column(_OPTIONS, {self.number, self.question, self.explanation})
        taken = {self.number, self.question, self.explanation, self.options, *self.letters}
        self.answer = column(_ANSWER, taken)
        taken.add(self.answer)
        others = [n for k, n in enumerate(names) if k not in taken and not _METADATA.fullmatch(n)]
        self.ok = (self.question is not None and self.answer is not None and not others
                   and (len(self.letters) >= 2 or self.options is not None)
                   and bool(rows) and all(self._keyed(row) for row in rows))

    def _keyed(self, row: list[str]) -> bool:
        """Whether a row's answer names one of its options: by letter, or as its text."""
        said = _cell(row, self.answer)
        letter = _LETTER_ANSWER.match(said)
        if self.options is not None:
            return letter is not None
        texts = [_cell(row, k).casefold() for k in self.letters]
        if letter is not None and ord(letter["letter"].lower()) - ord("a") < len(texts):
            return True
        return said.strip("*_ ").casefold() in texts


def _cell(row: list[str], k: int | None) -> str:
    return row[k] if k is not None and k < len(row) else ""


def quiz_tables(lines: list[Line]) -> list[Line]:
    """The lines, each quiz table's rows as questions in the layout's lines."""
    out: list[Line] = []
    fence: str | None = None  # an open code block's: a table in code is the code's
    copied = 0  # the lines before this one are in `out`
    # Only a line with a bar starts a table, and only one with a backtick or a tilde opens or
    # closes a code block: the others are copied as they are, in runs, unlooked at (a file's
    # 120,000 lines looked at one by one cost a tenth of a second).
    for at in [at for at, line in enumerate(lines)
               if "|" in line.text or "`" in line.text or "~" in line.text]:
        if at < copied:
            continue  # a row of a table read
        out += lines[copied:at]
        copied = at + 1
        line = lines[at]
        opens: re.Match[str] | None = None
        if fence is not None:
            fence = None if closes_fence(line.text, fence) else fence
        elif (opens := fence_of(line.text)) is not None:
            fence = opens["fence"]
        if (fence is None and opens is None and at + 1 < len(lines) and "|" in line.text
                and _ROW.match(line.text) and "|" in lines[at + 1].text
                and _RULE.fullmatch("".join(lines[at + 1].text.split()))):
            end = at + 2
            while end < len(lines) and _ROW.match(lines[end].text):
                end += 1
            rows = lines[at + 2:end]
            columns = _Columns(table_cells(line.text), [table_cells(row.text) for row in rows])
            if columns.ok and _on_its_own(lines, at):
                for place, row in enumerate(rows, start=1):
                    out.extend(_question(row, columns, place))
                copied = end
                continue
        out.append(line)
    return out + lines[copied:]


def _on_its_own(lines: list[Line], at: int) -> bool:
    """Whether the table from line `at` stands on its own, not in a question's text or
    explanation: at the file's start, or under a heading, a rule or a paragraph that holds
    no question's start, option, key or explanation line (`Answer these:`)."""
    above = at - 1
    while above >= 0 and lines[above].blank:
        above -= 1
    if above < 0 or SECTION.match(lines[above].text) or SEPARATOR.match(lines[above].text):
        return True
    while above >= 0 and not lines[above].blank:
        line = lines[above]
        if (starts_question(line) or OPTION.match(line.text) or is_tail(line)
                or SEPARATOR.match(line.text)):
            return False
        above -= 1
    return True


def _question(row: Line, columns: _Columns, place: int) -> list[Line]:
    """A quiz table's row as a question's lines, on the row's line number."""
    cells = table_cells(row.text)
    number = _cell(cells, columns.number).strip("*_ .")
    asked = [part.strip()
             for part in _BREAK.split(_LEADING_NUMBER.sub("", _cell(cells, columns.question)))]
    texts: list[str] = [f"{number if number.isdigit() else place}. {asked[0]}", *asked[1:]]
    if columns.options is not None:
        # One cell of options: one a line where `<br>` parts them, else as written (the
        # layout splits `A) x B) y` on one line).
        texts.extend(part.strip() for part in _BREAK.split(_cell(cells, columns.options))
                     if part.strip())
    else:
        texts.extend(f"{chr(ord('A') + k)}) {_cell(cells, column)}"
                     for k, column in enumerate(columns.letters) if _cell(cells, column))
    texts.append(f"Answer: {_cell(cells, columns.answer)}")
    explanation = [part.strip() for part in _BREAK.split(_cell(cells, columns.explanation))]
    if any(explanation):
        texts.append(f"Explanation: {explanation[0]}")
        texts.extend(explanation[1:])
    return [*(Line(row.number, text) for text in texts), Line(row.number, "")]
