"""Aiken text → an imported bank of single-choice questions, every problem located by line.

The grammar is Moodle's (question/format/aiken/format.php, MoodleDocs "Aiken format"): a
question is one or more lines of text, then its options, each on a line starting with a
capital letter and `.` or `)` and a space or tab, then the key line `ANSWER: B`. Blank lines
between questions are optional: the key line ends a question. Aiken has no markup, escapes,
feedback, titles or ids, so every text is plain text and question ids come from the text.

packager's writer prefixes `Q: ` to a question line that would read as an option or as the key,
or that is one byte long, or that reads as one so prefixed (writers/aiken.py `protect`); that
prefix is taken off again.

Unlike Moodle, which skips what it cannot read, every malformed question is an error with its
line: options before any question text, a key naming no option, fewer than two options, a
line of text between the options, a question without a key.

Aiken has no comments: Moodle reads a `// …` line as a question of its own, left unfinished
by the text line after it (an error), so a question's text is the line after. Such lines
before a question's text are left out, each with a note, rather than made part of its text
and id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.readers.base import Source
from packager.readers.encoding import decoded, strict_head
from packager.readers.html_markdown import text_to_markdown
from packager.readers.imported import Imported, ImportNote, Location, make_bank, slug, unique

NAME = "aiken"
CODE = "E-AIKEN"

# Moodle's own test (question/format/aiken/tests/aikenformat_test.php) reads "A)Correct":
# its pattern is ^[A-Z][).][ \t]? (format.php), the space after the letter optional.
_OPTION = re.compile(r"^(?P<letter>[A-Z])[.)][ \t]*(?P<text>\S.*)$")
# Moodle reads any line starting "ANSWER" as the key line.
_KEY = re.compile(r"^ANSWER\s*:?\s*(?P<letter>[A-Za-z](?![A-Za-z]))?")
_PROTECTED = re.compile(r"^Q: (?=[A-Z][.)]|ANSWER|[\x00-\x7f]$|Q: )")
# A whole file must be cheap to sniff: detect() looks at this much of it.
_SNIFF_BYTES = 64 * 1024


@dataclass
class _Problem:
    line: int  # the line of its first text line
    text: list[str] = field(default_factory=list)
    text_lines: list[int] = field(default_factory=list)  # the line of each text line
    options: list[tuple[str, str, int]] = field(default_factory=list)  # letter, text, line
    key_line: int = 0
    key_rest: str = ""  # what the ANSWER line says after its letter ("A, C"'s ", C")


def _lines(data: bytes, name: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", decoded(data, name, CODE))


def _parse(lines: list[str], errors: list[tuple[int, str, str]]) -> list[tuple[_Problem, str]]:
    """(question, key letter) pairs; problems are appended to `errors` (line, message, hint)."""
    done: list[tuple[_Problem, str]] = []
    current: _Problem | None = None
    stray: list[tuple[int, str]] = []  # text lines after the current question's options
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        key = _KEY.match(line)
        option = _OPTION.match(line)
        if key is not None:
            _between_options(stray, errors)
            stray = []
            if current is None or not current.text:
                errors.append((number, "an ANSWER line without a question before it",
                               "each question is its text, its options, then ANSWER: <letter>"))
            else:
                rest = line[key.end():].strip()  # "ANSWER: B." ends in punctuation only
                current.key_line = number
                current.key_rest = rest if any(c.isalnum() for c in rest) else ""
                done.append((current, (key.group("letter") or "").upper()))
            current = None
        elif option is not None:
            if current is not None and stray:
                if option.group("letter") <= current.options[-1][0]:
                    if current.text:  # else its options were reported already
                        errors.append((current.line, "the question has no ANSWER line",
                                       "end each question with a line ANSWER: <letter>"))
                    current = _Problem(stray[0][0])
                    for n, text in stray:
                        current.text.append(_PROTECTED.sub("", text, count=1))
                        current.text_lines.append(n)
                else:
                    _between_options(stray, errors)
                stray = []
            if current is None:
                errors.append((number, f"the option {line[:40]!r} has no question text before it",
                               "write the question on the line before its options"))
                current = _Problem(number)  # its remaining options belong to no question
            current.options.append((option.group("letter"), option.group("text"), number))
        elif current is not None and current.options:
            # The text of a new question (the current one has no key, as Moodle reads it)
            # or a line between options: the next option tells (`stray`). Lettered from the
            # start again, it is a new question's.
            stray.append((number, line))
        else:
            if current is None:
                current = _Problem(number)
            current.text.append(_PROTECTED.sub("", line, count=1))
            current.text_lines.append(number)
    _between_options(stray, errors)
    if current is not None and (current.text or current.options):
        errors.append((current.line, "the question has no ANSWER line",
                       "end each question with a line ANSWER: <letter>"))
    return done


def _between_options(stray: list[tuple[int, str]], errors: list[tuple[int, str, str]]) -> None:
    errors.extend(
        (number, f"the line {line[:40]!r} is neither an option nor the ANSWER line",
         "start each option with 'A. ' or 'A) ', and end the question with ANSWER: <letter>")
        for number, line in stray
    )


def detect(data: bytes) -> bool:
    """Aiken text: its questions parse, each ending in an `ANSWER: <letter>` line; or it is
    clearly Aiken with mistakes (`_clearly_aiken`), which the Aiken reader then locates."""
    lines = strict_head(data[:_SNIFF_BYTES])
    if lines is None:
        return False
    split = re.split(r"\r\n|\r|\n", lines)
    if len(data) > _SNIFF_BYTES:
        # The last question may be cut: judge the text up to the last key line.
        last = max((i for i, s in enumerate(split) if _KEY.match(s.strip())), default=-1)
        split = split[: last + 1]
    errors: list[tuple[int, str, str]] = []
    found = _parse(split, errors)
    if _numbered(found):
        return False  # the plain-text layout's, which takes the numbers off
    if found and not errors and all(len(p.options) >= 2 for p, _ in found):
        return True
    return _clearly_aiken(split, found)


# A question's number before its text (`1. What …?`, `2) …`).
_NUMBERED = re.compile(r"(?P<n>\d{1,4})[.)]\s+\S")


def _numbered(found: list[tuple[_Problem, str]]) -> bool:
    """Whether two or more questions each start with their number, 1, 2, 3 … in turn, as a
    teacher's numbered quiz with Aiken's `ANSWER: B` lines does: Moodle would show `1.` in
    each question, which the plain-text layout reads as its number."""
    numbers = [found_number["n"] if (found_number := _NUMBERED.match(p.text[0])) else None
               for p, _ in found if p.text]
    return len(numbers) == len(found) >= 2 and numbers == [
        str(k) for k in range(1, len(found) + 1)]


def _clearly_aiken(lines: list[str], found: list[tuple[_Problem, str]]) -> bool:
    """Whether text that does not parse as Aiken throughout is still Aiken: a question
    whose options are followed by an `ANSWER:` line naming one of them, at least half of its
    runs of options followed by such a line, and nothing that marks the plain-text layout
    (which also reads `A)` options and an `ANSWER: B` line). Judged by that layout's own
    test (readers/text.py `looks_like`) on the text without Aiken's key lines: a label such as
    `Answer:`, `Key:` or `Explanation:`, a marked option or a scenario leaves the file to it."""
    if not any(len(p.options) >= 2 and letter in {o[0] for o in p.options}
               for p, letter in found):
        return False
    runs = keyed = 0
    in_run = False
    others: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if _KEY.match(line):
            keyed += 1 if in_run else 0
            in_run = False
            continue
        others.append(raw)
        option = _OPTION.match(line) is not None
        runs += 1 if option and not in_run else 0
        in_run = option
    from packager.readers.text import looks_like

    return 2 * keyed >= runs and not looks_like("\n".join(others))


def _leading_comments(problem: _Problem) -> list[tuple[int, str]]:
    """The `//` lines (line, text) that open a question's text and are not all of it."""
    n = 0
    while n < len(problem.text) - 1 and problem.text[n].startswith("//"):
        n += 1
    return list(zip(problem.text_lines[:n], problem.text[:n], strict=True))


def read(source: Source) -> Imported:
    """The single-choice questions of an Aiken file; InputError listing every problem."""
    errors: list[tuple[int, str, str]] = []
    found = _parse(_lines(source.data, source.name), errors)
    questions: list[dict[str, Any]] = []
    locations: list[Location] = []
    extra: list[tuple[int, Location, str]] = []  # question index, where, what was dropped
    for problem, letter in found:
        letters = [o[0] for o in problem.options]
        if len(problem.options) < 2:
            errors.append((problem.line, "a question needs at least two options",
                           "write each option on its own line as 'A. text'"))
            continue
        if len(set(letters)) != len(letters):
            errors.append((problem.line, f"the options repeat a letter ({''.join(letters)})",
                           "give each option its own letter"))
            continue
        if letter not in letters:
            errors.append((problem.line, f"ANSWER {letter or '(empty)'} names no option "
                           f"(the options are {', '.join(letters)})",
                           "write ANSWER: followed by the letter of the correct option"))
            continue
        comments = _leading_comments(problem)
        prompt = text_to_markdown("\n".join(problem.text[len(comments):]))
        questions.append({
            "id": "",
            "type": "single_choice",
            "prompt": prompt,
            "choices": [
                {"id": option.lower(), "text": text_to_markdown(text), "correct": option == letter}
                for option, text, _ in problem.options
            ],
        })
        locations.append(Location(source.name, line=problem.text_lines[len(comments)]))
        extra.extend(
            (len(questions) - 1, Location(source.name, line=number),
             f"the line {text[:40]!r} before the question: Aiken has no comments (Moodle "
             "reads such a line as a question of its own, without options, and refuses it)")
            for number, text in comments
        )
        if problem.key_rest:
            # Moodle reads the letter alone as well: the rest would go unsaid.
            extra.append((len(questions) - 1, Location(source.name, line=problem.key_line),
                          f"the ANSWER line goes on after its letter ({problem.key_rest[:40]!r}):"
                          f" an Aiken question has one key, {letter}"))
    if errors:
        errors.sort()
        raise InputError(
            f"{source.name}: {len(errors)} Aiken error{'s' if len(errors) != 1 else ''}",
            diagnostics=[Diagnostic(CODE, message, file=source.name, line=line, hint=hint)
                         for line, message, hint in errors],
        )
    ids = unique([
        slug(" ".join(problem.text[len(_leading_comments(problem))].split()[:8]), f"q{n}")
        for n, (problem, _) in enumerate(found, start=1)
    ])
    for question, qid in zip(questions, ids, strict=True):
        question["id"] = qid
    stem = PurePath(source.name).name.split(".")[0]
    notes = [ImportNote(ids[i], where, "dropped", message) for i, where, message in extra]
    bank, left_out = make_bank(source.name, slug(stem, "aiken-import"), stem or "Aiken import",
                               questions, locations, CODE, noted=notes)
    return Imported(bank, notes=notes + left_out)
