"""An answer key that ends a plain-text bank: its entries (`1. B`) or blocks (`**Question 1**`,
`**Answer**: B`, `**Explanation**: …`), matched with the questions by number."""

from __future__ import annotations

import re
from collections.abc import Mapping

from packager.diagnostics import Diagnostic
from packager.readers.text_grammar import (
    CODE,
    EM,
    HEADING,
    KEY_ENTRY,
    KEY_LINE,
    LABEL_ALONE_END,
    OPTION,
    RANGE_DASH,
    SECTION,
    SEPARATOR,
    filled,
    is_section_title,
    is_tail,
    number_of,
    question_number,
    starts_question,
)
from packager.readers.text_key import Line
from packager.readers.text_tables import table_cells

# A sign before its heading, as AI-written pages put one (`## ✅ Answer Key`).
_SIGN = r"(?:[✅✔☑🔑🗝📝📌🎯]\ufe0f?\s*)?"
# An answer key that ends the file: its heading, then one entry a question (`1. B`, `2) a, c`),
# or a block a question. Practice sets head it "Answers and Rationales", and in the languages
# the labels are read in (text_grammar) "Respuestas", "Gabarito", "Antworten", and ExamView's
# test banks "Answer Section" (its entries `1. ANS: B PTS: 1`). Not
# "Solutions": worked solutions there (`1. A is tempting, but … (B)`) would read as keys.
_KEY_WORDS = (r"(?:answer\s*key|answer\s+section|answers|key|respuestas|clave\s+de\s+respuestas|gabarito"
              r"|respostas|r[ée]ponses|corrig[ée]s?|antworten|risposte|kunci\s+jawaban)")
# A subject or quiz before `Answers` or `Answer Key` (`Biology Answers`, `Practice Test 2
# Answer Key`, `Chapter 3 Answers`): words a key's heading names, and numbers; not any word
# (`Student Answers`, `Peer Answers`, `Common Wrong Answers` are no key), nor before `Key`
# alone (`Primary Key`).
_SUBJECT_WORD = (r"(?:quiz|test|exam|examination|practice|chapter|unit|section|part|lesson|module"
                 r"|detailed|full|complete|week|final|correct|review|worksheet|assignment|homework|set|paper|mcqs?"
                 r"|questions?|biology|chemistry|physics|maths?|mathematics|science|history"
                 r"|geography|english|economics|statistics|algebra|geometry|calculus"
                 r"|[ivx]{1,4}|\d{1,4}[a-z]?)")
_SUBJECT = rf"(?:(?:{_SUBJECT_WORD}[:.]?\s+){{1,3}}(?=answers\b|answer\s*key\b))?"
_ANSWER_KEY = re.compile(
    rf"^\s*{HEADING}{_SIGN}{EM}{_SUBJECT}{_KEY_WORDS}"
    r"(?:\s+(?:and|with|&)\s+(?:explanations?|rationales?|solutions?))?"
    rf"{LABEL_ALONE_END}", re.I)
# An answer key on one line (`Answers: 1-b, 2-c, 3-c`, `Answers: 1:A; 2:B`, `**Answer Key**:
# [1-b, 2-a]`), as quiz pages and course notes end: its entries, a letter each.
_ONE_LINE_KEY = re.compile(
    rf"^\s*{HEADING}{_SIGN}{EM}{_KEY_WORDS}{EM}\s*[:：]{EM}\s*(?P<entries>[\[(]?\d.*)$", re.I)
_ONE_ENTRY = r"(?P<n>\d{1,5})\s*[-–:.)=]\s*\(?(?P<key>[a-h])\)?"
_ONE_ENTRY_AT = re.compile(_ONE_ENTRY, re.I)
# Entries one after another, a separator or spaces between (one way to split each gap: two
# `\s*` side by side would try every split of a long gap).
_ONE_ENTRIES = re.compile(
    rf"{_ONE_ENTRY}(?:\s*(?:[,;|/]\s*)?{_ONE_ENTRY.replace('?P<', '?P<x')})*", re.I)


# An entry numbered before its key line (`**1. Answer: A** - IaaS`, `2. Answer: C`), in a block
# that its explanation follows (`*Explanation:* …`).
_NUMBERED_KEY = re.compile(
    r"^\s*(?:(?P<open>\*\*|__)(?P<n1>\d{1,5})[.)](?P<closed>\*\*|__)?|(?P<n2>\d{1,5})[.)])"
    r"\s+(?P<rest>\S.*)$")


# An answer key as a table (`| Q# | Answer | Why |`, `| **Q1** | **C** | $6! = 720$ |`): a
# row's question number, its key, and the cells after them (the rationale).
_TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")
_ROW_NUMBER = re.compile(r"[*_]*(?:q\s*)?(?P<n>\d{1,5})[.)]?[*_]*", re.I)
# A key table's header over its keys' column (`| Q# | Answer | Why |`).
_ANSWER_HEADER = re.compile(r"[*_]*(?:(?:correct\s+)?(?:answer|option|choice)s?|key|respuesta"
                            r"|resposta|r[ée]ponse|antwort|gabarito|答案|정답|正解)[*_]*", re.I)


def _answer_column(rows: list[Line]) -> int | None:
    """The column of a key table's keys: the one its header names so (`Answer`), or the
    second where the table has no header; None where a header names none."""
    first = next((row for row in rows if _TABLE_LINE.match(row.text)), None)
    if first is None or _ROW_NUMBER.fullmatch(table_cells(first.text)[0]):
        return 1  # no header: the number, then the key
    return next((k for k, cell in enumerate(table_cells(first.text))
                 if k and _ANSWER_HEADER.fullmatch(cell)), None)


def _row_entry(line: Line, column: int | None) -> Line:
    """A key table's row as the entry it is (`1. **C** — $6! = 720$`: its number, its key in
    `column`, the other cells the rationale); another line as it is."""
    if column is None or not _TABLE_LINE.match(line.text):
        return line
    cells = table_cells(line.text)
    number = _ROW_NUMBER.fullmatch(cells[0])
    if number is None or column >= len(cells) or not cells[column].strip("*_ "):
        return line
    why = " ".join(cell for k, cell in enumerate(cells) if k not in (0, column) and cell)
    return Line(line.number, f"{number['n']}. {cells[column]}" + (f" — {why}" if why else ""))


def _part_title(lines: list[Line], at: int, head: set[str]) -> bool:
    """Whether line `at` titles a part of an answer key between its entries (`Part A`,
    `Reading & Writing (1–54)`, `### Section 2`): a short heading, or a line naming a part or
    a range of questions, with an entry or the key's heading the nearest line above it (a
    key's wrapped end, `C`, or a note, `(C also accepted)`, is none)."""
    text = lines[at].text
    if (len(text) > 60 or _ANSWER_KEY.match(text) or OPTION.match(text)
            or not (text.lstrip().startswith("#") or _PART.search(text))):
        return False
    above = next((k for k in range(at - 1, max(at - 64, -1), -1) if not lines[k].blank), None)
    return above is not None and bool(KEY_ENTRY.match(lines[above].text)
                                      or _ANSWER_KEY.match(lines[above].text)
                                      or _titled_section(lines[above].text, head))


# What titles a part of an answer key: its word, or the range of questions it holds, or the
# type of question its part keys, as ExamView heads the parts of its `Answer Section`
# (`MULTIPLE CHOICE`, `TRUE/FALSE`, `SHORT ANSWER`).
_PART = re.compile(r"^\s*[*_]*(?:part|section|secci[oó]n|parte|partie|teil|module|unit)\b"
                   r"|^\s*(?:multiple\s+(?:choice|response)|(?:modified\s+)?true\s*/\s*false"
                   r"|yes\s*/\s*no|completion|matching|short\s+answer|essay|problem"
                   r"|numeric\s+response|other)\s*$"
                   rf"|(?:\(\d{{1,5}}(?:\s*{RANGE_DASH}\s*\d{{1,5}})?\)"
                   rf"|\d{{1,5}}\s*{RANGE_DASH}\s*\d{{1,5}})[*_]*\s*$",
                   re.I)


# ExamView prints its answer section on a page of its own, under the test's title again and
# its version (`ID: A`, also at the top of the test): `Biology Test 1`, then `Answer Section`,
# or both on one line.
_VERSION = re.compile(r"^\s*ID:\s*[A-Z]\s*$")
_TITLED_SECTION = re.compile(r"^\s*(?P<title>\S.*?)\s+answer\s+section\s*$", re.I)
_PAGE_HEAD_LINES = 3  # of a title (its lines) and a version over the answer section
_TITLE_CHARS = 200  # a longer line titles nothing


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _head(lines: list[Line]) -> set[str]:
    """The file's lines before its first question (its title, instructions), folded."""
    found: set[str] = set()
    for line in lines:
        if starts_question(line):
            break
        if not line.blank and len(line.text) <= _TITLE_CHARS:
            found.add(_folded(line.text))
    return found


def _titled_section(text: str, head: set[str]) -> bool:
    """Whether a line is ExamView's `Answer Section` after the test's title (`Biology Test 1
    Answer Section`): a title the file's head has."""
    found = _TITLED_SECTION.match(text) if len(text) <= _TITLE_CHARS else None
    return found is not None and _folded(found["title"]) in head


def _page_head(lines: list[Line], at: int, head: set[str]) -> int:
    """Where the page head over an answer key's heading at `at` starts: the lines right above
    it that repeat the file's head (its title) or give ExamView's version (`ID: A`), with a
    blank line (or the file's start) above them; `at` where there are none. They are the
    page's, not the last question's (read as its text, they made it 'a question with no
    options')."""
    start = k = at
    taken = 0
    while k > 0 and taken < _PAGE_HEAD_LINES:
        k -= 1
        text = lines[k].text
        if lines[k].blank:
            continue
        if not (_VERSION.match(text) or (len(text) <= _TITLE_CHARS and _folded(text) in head)):
            break
        start, taken = k, taken + 1
    return start if start == 0 or lines[start - 1].blank else at


def is_one_line_key(text: str) -> bool:
    """Whether a line is an answer key on one line (`Answers: 1-b, 2-c`), wherever it is."""
    found = _ONE_LINE_KEY.match(text) if "1" in text else None
    return found is not None and bool(_ONE_ENTRIES.fullmatch(_entries(found)))


def _entries(found: re.Match[str]) -> str:
    """A one-line key's entries, less brackets and a full stop around them (`[1-b, 2-a].`)."""
    return found["entries"].rstrip().removesuffix(".").rstrip("])").lstrip("[(").strip()


def _one_line_key(lines: list[Line]) -> tuple[int, dict[int, Line]] | None:
    """An answer key on one line after the last question (`Answers: 1-b, 2-c, 3-c`): its
    index and its entries as lines of their own (`1. b`). Its entries number 1, 2, 3 … in
    turn; a blank line or rule over it (right under a rationale, `Key: 1-a, 2-b` is its
    text); after it come only the file's end, or a rule or heading (a summary, references)
    and no key or option line (then questions follow it)."""
    for at in range(len(lines) - 1, -1, -1):
        text = lines[at].text
        found = _ONE_LINE_KEY.match(text) if "1" in text else None
        if found is None:
            if KEY_LINE.match(text) or OPTION.match(text):
                return None  # a question's key or option: a file's key comes after them
            continue
        entries = _entries(found)
        keys = list(_ONE_ENTRY_AT.finditer(entries))
        after = filled(lines, at + 1)
        if (at == 0 or not (lines[at - 1].blank or SEPARATOR.match(lines[at - 1].text))
                or not _ONE_ENTRIES.fullmatch(entries) or len(keys) < 2
                or [int(k["n"]) for k in keys] != list(range(1, len(keys) + 1))
                or (after is not None and not (SEPARATOR.match(lines[after].text)
                                               or SECTION.match(lines[after].text)))):
            return None
        return at, {int(k["n"]): Line(lines[at].number, f"{k['n']}. {k['key']}") for k in keys}
    return None


def answer_key(lines: list[Line]) -> tuple[list[Line], dict[int, Line], list[Diagnostic]]:
    """The lines before an answer key that ends the file (`Answer key:` then `1. B`, `2. A, C`
    …, as teachers' documents list them), or the lines less one on one line (`Answers: 1-b,
    2-c`, `_one_line_key`), and its entries by question number; the lines unchanged without
    one. Problems: a number twice."""
    end = len(lines)
    at = end - 1
    head = _head(lines)
    while at >= 0 and (lines[at].blank or KEY_ENTRY.match(lines[at].text)
                       or _TABLE_LINE.match(lines[at].text) or SEPARATOR.match(lines[at].text)
                       or _part_title(lines, at, head)):
        at -= 1
    if at < 0 or at == end - 1 or not (_ANSWER_KEY.match(lines[at].text)
                                       or _titled_section(lines[at].text, head)):
        one = _one_line_key(lines)
        if one is None:
            return lines, {}, []
        # Rules after it separate what follows the quiz (a summary, references), not
        # questions: with them the file would be ruled, where blank lines split nothing.
        at = one[0]
        return [*lines[:at], *(Line(line.number, "") if SEPARATOR.match(line.text) else line
                               for line in lines[at + 1:])], one[1], []
    entries: dict[int, Line] = {}
    problems: list[Diagnostic] = []
    column = _answer_column(lines[at + 1:])
    for line in lines[at + 1 :]:
        line = _row_entry(line, column)
        entry = KEY_ENTRY.match(line.text)
        if entry is None:
            continue
        n = int(entry["n"])
        if n in entries:
            problems.append(Diagnostic(
                CODE, f"the answer key names question {n} twice (lines {entries[n].number} "
                f"and {line.number})", line=line.number, hint="keep one of them"))
        entries[n] = line
    return lines[:_page_head(lines, at, head)], entries, problems


def answer_blocks(lines: list[Line]) -> tuple[list[Line], dict[int, list[Line]],
                                               list[Diagnostic]]:
    """The lines before an answer key of blocks that ends the file (`## Answer Key`, then per
    question `**Question 1**`, its statement again, `**Answer**: B`, `**Explanation**: …`, as
    AI-written quizzes give them), and each block's key and explanation lines by question
    number; the lines unchanged without one. Problems: a number twice."""
    # The last heading; headings are short lines (a length is cheaper than a pattern).
    at = next((i for i in range(len(lines) - 1, -1, -1)
               if len(lines[i].text) < 64 and _ANSWER_KEY.match(lines[i].text)), None)
    if at is None:
        return lines, {}, []
    blocks: dict[int, list[Line]] = {}
    problems: list[Diagnostic] = []
    current: list[Line] | None = None
    for line in lines[at + 1 :]:
        if line.blank and current is None:
            continue
        start = _block_start(line)
        if start is not None:
            number, opening = start
            if number is None:
                return lines, {}, []  # a question's start with no number
            if number in blocks:
                problems.append(Diagnostic(
                    CODE, f"the answer key names question {number} twice (line {line.number})",
                    line=line.number, hint="keep one of them"))
            current = blocks[number] = opening
        elif current is None:
            if not (SEPARATOR.match(line.text) or is_section_title(line)):
                return lines, {}, []  # text, not a question's block: no answer key of blocks
        elif not SEPARATOR.match(line.text) and not (is_section_title(line) and not current):
            current.append(line)
    # A block's key and explanation: from its first key or explanation line (what comes
    # before restates the question). Options before it make it a question, not a key.
    found: dict[int, list[Line]] = {}
    for n, block in blocks.items():
        tail = next((i for i, line in enumerate(block) if is_tail(line)), None)
        if tail is None or any(OPTION.match(line.text) for line in block[:tail]):
            return lines, {}, []
        found[n] = block[tail:]
    if not found:
        return lines, {}, []
    return lines[:at], found, problems


def _block_start(line: Line) -> tuple[int | None, list[Line]] | None:
    """The question number a line starts a block of (None: a question's start with none),
    and the block's first lines: a number before its key line (`**1. Answer: A** - IaaS`:
    that key line), or a question's start (`**Question 1**`: none, the question restated
    follows); None for a line that starts no block."""
    keyed = _NUMBERED_KEY.match(line.text)
    if keyed is not None:
        said = (keyed["open"] if keyed["open"] and not keyed["closed"] else "") + keyed["rest"]
        if KEY_LINE.match(said):
            return int(keyed["n1"] or keyed["n2"]), [Line(line.number, said)]
    return (question_number(line), []) if starts_question(line) else None


def with_answer_blocks(chunks: list[list[Line]], numbers: list[int | None],
                       blocks: dict[int, list[Line]]) -> list[list[Line]]:
    """Each question's lines, its answer key block's after them (a blank line between);
    `numbers`: the questions' numbers as the key names them (key_numbers)."""
    joined: list[list[Line]] = []
    for chunk, n in zip(chunks, numbers, strict=True):
        block = blocks.get(n) if n is not None else None
        joined.append(chunk if block is None else [*chunk, Line(block[0].number, ""), *block])
    return joined


def chunk_number(chunk: list[Line]) -> int | None:
    """The number of a question's lines: of its first line, section titles over it aside."""
    lead = next((line for line in chunk
                 if not line.blank and not (is_section_title(line) and number_of(line) is None)),
                None)
    return question_number(lead) if lead is not None else None


def key_numbers(answers: Mapping[int, object], chunks: list[list[Line]]) -> list[int | None]:
    """Each question's number as an answer key names it: its own (`7.`, `## Question 7`);
    where no question has one and the key numbers exactly 1 to the count of questions (a
    worksheet's questions, then `Answer key` and `1. B`, `2. C` …), its place in the file."""
    numbers = [chunk_number(chunk) for chunk in chunks]
    if (all(n is None for n in numbers)
            and sorted(answers) == list(range(1, len(chunks) + 1))):
        return list(range(1, len(chunks) + 1))
    return numbers


def answer_key_problems(answers: Mapping[int, Line | list[Line]], numbers: list[int | None],
                        hints: Mapping[int, str]) -> list[Diagnostic]:
    """An answer key needs its questions numbered apart, and names only questions the file
    has. `numbers`: the questions' (key_numbers); `hints`: a better hint than to number the
    questions, for a number the file lacks (a question read as a passage's text)."""
    known = [n for n in numbers if n is not None]
    lines = {n: entry if isinstance(entry, Line) else entry[0] for n, entry in answers.items()}
    first = next(iter(lines.values()))
    numbered = set(known)
    if len(numbered) != len(known):
        return [Diagnostic(CODE, "an answer key names questions by number, and this file "
                           "numbers two questions alike", line=first.number,
                           hint="number the questions 1, 2, 3 … as the answer key does")]
    if not known:
        listed = len(lines)
        return [Diagnostic(
            CODE, f"the answer key lists {listed} answer{'s' if listed != 1 else ''} by number "
            f"(1 to {max(lines)}), and the file has {len(numbers)} question"
            f"{'s' if len(numbers) != 1 else ''}, none numbered", line=first.number,
            hint="number each question as the answer key names it (1., 2., …), or give the "
            "key one line a question, from 1 to the last")]
    return [
        Diagnostic(CODE, f"the answer key names question {n}, which the file does not have",
                   line=line.number,
                   hint=hints.get(n, "number each question as the answer key names it"))
        for n, line in lines.items() if n not in numbered
    ]
