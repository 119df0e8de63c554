"""Blackboard's "Upload Questions" text → an imported bank, every problem located by line.

One question per line, fields separated by tabs, the type code first (Blackboard's help pages,
"Upload Questions"; docs/formats/bbtext.md): MC, MA, TF, ESS, FIB, FIB_PLUS, NUM, ORD, MAT, and
Learn Original's SR and FIL (read as essays, noted). OP, JUMBLED_SENTENCE and QUIZ_BOWL have
no canonical type: their lines are left out, each with a note. Trailing empty fields (a
spreadsheet pads its rows with them) and blank lines are ignored.

Question and answer texts are HTML for Blackboard, and go through html_to_markdown (images
cannot be in a text upload: dropped, noted); accepted answers are plain text. In a FIB_PLUS
text the `[name]` of each declared variable is the blank; the character references `&#91;` /
`&#93;` (packager's writer escapes other brackets so) are text.

Unlike Blackboard, which skips a line it cannot read, every malformed line is an error with its
line: an unknown type code, a missing question text, an answer without its correct|incorrect,
no correct answer, a number that is not one, a blank missing from the text, …
"""

from __future__ import annotations

import contextlib
import html
import itertools
import math
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Literal

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.readers.base import Source
from packager.readers.encoding import decoded, strict_head
from packager.readers.html_markdown import html_to_markdown
from packager.readers.html_markdown_images import Dropped
from packager.readers.imported import (
    EMPTY_TEXT,
    Imported,
    ImportNote,
    Location,
    is_slug,
    left_empty,
    make_bank,
    slug,
    unique,
)

NAME = "bbtext"
CODE = "E-BBTEXT"

# Question types with no canonical counterpart: skipped, each with a note.
_SKIPPED = {
    "OP": "an opinion scale (OP) question",
    "JUMBLED_SENTENCE": "a jumbled sentence question",
    "QUIZ_BOWL": "a quiz bowl question",
}
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")  # a [name] of a blank, as the text shows it
_CODES = ("MC", "MA", "TF", "ESS", "FIB", "FIB_PLUS", "NUM", "ORD", "MAT", "SR", "FIL", *_SKIPPED)
_LINE_START = re.compile("^(?:" + "|".join(sorted(_CODES, key=len, reverse=True)) + ")\t")
# A number as Blackboard's sample writes it: digits, optionally with thousands commas; ASCII
# digits only, as everywhere (packager/readers/numbers.py): `\d` alone takes `١٢`.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?", re.ASCII)
_LETTERS = string.ascii_lowercase
# A whole file must be cheap to sniff: detect() looks at this much of it.
_SNIFF_BYTES = 64 * 1024


_Kind = Literal["dropped", "changed"]


def _no_image(src: str) -> Dropped:
    return Dropped("a text upload holds no images")


class _LineError(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass
class _Texts:
    """One line's text conversions, and what they could not carry."""

    notes: list[tuple[_Kind, str]] = field(default_factory=list)

    def rich(self, text: str, what: str) -> str:
        if not text.strip():
            raise _LineError(f"the {what} is empty", "write some text in every field")
        converted = html_to_markdown(text, _no_image)
        self.notes.extend(converted.notes)
        if not converted.markdown:
            self.notes.append(("changed", left_empty(f"the {what}")))
        return converted.markdown or EMPTY_TEXT

    def note(self, message: str) -> None:
        self.notes.append(("changed", message))


def _texts(text: str) -> list[str]:
    """The text pieces of an HTML field (one piece when it holds no tag)."""
    if "<" not in text:
        return [html.unescape(text)]
    from lxml import etree

    from packager.xml.html_fragment import fragment

    try:
        return [str(t) for t in fragment(text).itertext()]
    except (etree.ParserError, ValueError):
        return [text]


def plain(text: str) -> str:
    """The text of an HTML field (a matching answer), white space at its ends removed."""
    return "".join(_texts(text)).strip()


def _split(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


def detect(data: bytes) -> bool:
    """Upload text: every non-blank line of its head starts with a known type code and a tab."""
    text = strict_head(data[:_SNIFF_BYTES])
    if text is None:
        return False
    lines = _split(text)
    if len(data) > _SNIFF_BYTES:
        lines = lines[:-1]  # the last line may be cut
    found = [line for line in lines if line.strip()]
    return bool(found) and all(_LINE_START.match(line) for line in found)


def _extra(fields: list[str], most: int, shape: str) -> None:
    if len(fields) > most:
        raise _LineError(f"{len(fields) - most} field(s) more than the type has ({shape})",
                         "remove the extra fields, or check the tabs inside the texts")


def _choices(code: str, fields: list[str], t: _Texts) -> dict[str, Any]:
    rest = fields[2:]
    if len(rest) % 2:
        raise _LineError("an answer has no correct|incorrect field after it",
                         "write each answer followed by a tab and correct or incorrect")
    if len(rest) < 4:
        raise _LineError("the question needs at least two answers",
                         "write each answer followed by a tab and correct or incorrect")
    choices: list[dict[str, Any]] = []
    for n, (text, flag) in enumerate(zip(rest[::2], rest[1::2], strict=True)):
        mark = flag.strip().lower()
        if mark not in ("correct", "incorrect"):
            raise _LineError(f"answer {n + 1} is marked {flag.strip()!r}",
                             "mark each answer correct or incorrect (in English)")
        choices.append({"id": _LETTERS[n] if n < len(_LETTERS) else f"c{n + 1}",
                        "text": t.rich(text, f"answer {n + 1}"), "correct": mark == "correct"})
    right = sum(1 for c in choices if c["correct"])
    if not right:
        raise _LineError("no answer is marked correct", "mark the right answer correct")
    single = code == "MC" and right == 1
    if code == "MC" and not single:
        t.note(f"an MC line with {right} correct answers is read as multiple answer")
    return {"type": "single_choice" if single else "multiple_response", "choices": choices}


def _true_false(fields: list[str], t: _Texts) -> dict[str, Any]:
    _extra(fields, 3, "TF, question, true|false")
    answer = fields[2].strip().lower() if len(fields) > 2 else ""
    if answer not in ("true", "false"):
        raise _LineError(f"the answer is {answer or '(empty)'!r}, not true or false",
                         "write true or false (in English) after the question")
    return {"type": "true_false", "answer": answer == "true"}


def _essay(code: str, fields: list[str], t: _Texts) -> dict[str, Any]:
    if code == "FIL":
        _extra(fields, 2, "FIL, question")
        t.note("a file response (FIL) is read as an essay: the learner types the answer")
    else:
        _extra(fields, 3, f"{code}, question, sample answer")
    if code == "SR":
        t.note("a short response (SR) is read as an essay")
    data: dict[str, Any] = {"type": "essay"}
    if len(fields) > 2 and fields[2].strip():
        data["sample_answer"] = t.rich(fields[2], "sample answer")
    return data


def _answers(values: list[str], what: str) -> list[str]:
    answers = [v.strip() for v in values]
    if not answers:
        raise _LineError(f"{what} has no accepted answer", "write each accepted answer after it")
    if not all(answers):
        raise _LineError(f"{what} has an empty answer",
                         "remove the doubled tab; between FIB_PLUS blanks one empty field")
    return answers


def _fill_in_blank(fields: list[str], t: _Texts) -> dict[str, Any]:
    answers = _answers(fields[2:], "the question")
    return {"type": "short_answer", "answers": [{"text": a} for a in answers]}


def _groups(rest: list[str]) -> list[tuple[str, list[str]]]:
    """FIB_PLUS variables and their answers: groups separated by one empty field."""
    groups: list[tuple[str, list[str]]] = []
    group: list[str] = []
    for value in [*rest, ""]:
        if value.strip():
            group.append(value.strip())
        elif group:
            groups.append((group[0], _answers(group[1:], f"the blank [{group[0]}]")))
            group = []
    if not groups:
        raise _LineError("the line names no blank",
                         "after the question: name, its answers, an empty field, the next name …")
    names = [name for name, _ in groups]
    if len(set(names)) != len(names):
        raise _LineError("a blank is named twice", "give each blank its own name")
    return groups


def _fill_in_blanks(fields: list[str], t: _Texts) -> dict[str, Any]:
    groups = _groups(fields[2:])
    text = fields[1]
    ids = unique([name if is_slug(name) else slug(name, f"blank{n}")
                  for n, (name, _) in enumerate(groups, start=1)])
    # Each [name] becomes a mark no text holds, which html_to_markdown keeps as it is.
    used = set(text)
    private = itertools.chain(range(0xE000, 0xF900), range(0xF0000, 0xFFFFE))
    mark = next((chr(c) for c in private if chr(c) not in used), None)
    if mark is None:
        raise _LineError("the question text holds every private-use character, one of which "
                         "would mark its blanks", "remove the private-use characters")
    # Every [name] of the text found once, then replaced in one pass (each looked for, then
    # replaced, in all of the text took quadratic time in the number of blanks).
    shown = set(_BRACKETED.findall(text))
    marks: dict[str, str] = {}
    for n, (name, _) in enumerate(groups):
        if "[" in name or "]" in name:
            raise _LineError(f"the blank name {name!r} holds a bracket, which the question "
                             "text cannot show", "name each blank with letters and digits")
        if name not in shown:
            raise _LineError(f"the blank [{name}] is not in the question text",
                             "write [name] in the text where each blank goes")
        marks[name] = f"{mark}{n}{mark}"
    text = _BRACKETED.sub(lambda found: marks.get(found.group(1), found.group()), text)
    prompt = t.rich(text, "question text")
    prompt = re.sub(f"{mark}(\\d+){mark}", lambda found: f"[[{ids[int(found.group(1))]}]]",
                    prompt)
    return {"type": "fill_in_blanks", "prompt": prompt,
            "blanks": {blank: answers for blank, (_, answers) in zip(ids, groups, strict=True)}}


def _number(text: str, what: str) -> float:
    value = text.strip()
    number = math.nan
    if _NUMBER.fullmatch(value):
        with contextlib.suppress(ValueError):  # "e5": an exponent without its number
            number = float(value.replace(",", ""))
    if not math.isfinite(number):  # nothing read, or more than a float holds ("1e999")
        raise _LineError(f"the {what} {value[:40] or '(empty)'!r} is not a number",
                         "write a number such as 12, 0.5 or 10,000")
    return number


def _numeric(fields: list[str], t: _Texts) -> dict[str, Any]:
    _extra(fields, 4, "NUM, question, answer, tolerance")
    value = _number(fields[2] if len(fields) > 2 else "", "answer")
    tolerance = _number(fields[3], "tolerance") if len(fields) > 3 and fields[3].strip() else 0
    if tolerance < 0:
        raise _LineError("the tolerance is negative", "write the tolerance as a positive number")
    return {"type": "numeric", "answer": {"value": value, "tolerance": tolerance}}


def _ordering(fields: list[str], t: _Texts) -> dict[str, Any]:
    if len(fields) < 4:
        raise _LineError("the question needs at least two items",
                         "write the items after the question, in the correct order")
    return {"type": "ordering",
            "items": [t.rich(item, f"item {n}") for n, item in enumerate(fields[2:], start=1)]}


def _matching(fields: list[str], t: _Texts) -> dict[str, Any]:
    rest = fields[2:]
    if len(rest) % 2 or len(rest) < 4:
        raise _LineError("a matching question needs at least two items, each with its match",
                         "write item, tab, its match, for every pair")
    pairs = []
    for n, (item, match) in enumerate(zip(rest[::2], rest[1::2], strict=True), start=1):
        if not plain(match):
            raise _LineError(f"the match of item {n} is empty", "write a match for every item")
        pairs.append({"prompt": t.rich(item, f"item {n}"), "match": plain(match)})
    return {"type": "matching", "pairs": pairs}


_Build = Callable[[list[str], _Texts], dict[str, Any]]
_BUILDERS: dict[str, _Build] = {
    "MC": lambda f, t: _choices("MC", f, t),
    "MA": lambda f, t: _choices("MA", f, t),
    "TF": _true_false,
    "ESS": lambda f, t: _essay("ESS", f, t),
    "SR": lambda f, t: _essay("SR", f, t),
    "FIL": lambda f, t: _essay("FIL", f, t),
    "FIB": _fill_in_blank,
    "FIB_PLUS": _fill_in_blanks,
    "NUM": _numeric,
    "ORD": _ordering,
    "MAT": _matching,
}


def _question_data(fields: list[str], t: _Texts) -> dict[str, Any]:
    code = fields[0].strip()
    build = _BUILDERS.get(code)
    if build is None:
        raise _LineError(f"unknown question type {code[:20]!r}",
                         "start each line with a type code and a tab: " + ", ".join(_CODES))
    if len(fields) < 2 or not fields[1].strip():
        raise _LineError("the line has no question text",
                         "the second field (after the type code and a tab) is the question")
    data = build(fields, t)
    data.setdefault("prompt", t.rich(fields[1], "question text"))
    return data


def read(source: Source) -> Imported:
    """The questions of an upload file, a malformed line left out with a note; InputError
    listing every malformed line when no line is a question."""
    text = decoded(source.data, source.name, CODE)
    errors: list[Diagnostic] = []
    questions: list[dict[str, Any]] = []
    locations: list[Location] = []
    names: list[str] = []
    line_notes: list[list[tuple[_Kind, str]]] = []
    notes: list[ImportNote] = []
    for number, line in enumerate(_split(text), start=1):
        if not line.strip():
            continue
        where = Location(source.name, line=number)
        fields = line.split("\t")
        while len(fields) > 2 and not fields[-1].strip():
            fields.pop()
        code = fields[0].strip()
        if code in _SKIPPED:
            notes.append(ImportNote(None, where, "dropped",
                                    f"{_SKIPPED[code]} has no canonical type: not imported"))
            continue
        t = _Texts()
        try:
            questions.append(_question_data(fields, t))
        except _LineError as exc:
            errors.append(where.diagnostic(CODE, exc.message, exc.hint))
            continue
        locations.append(where)
        line_notes.append(t.notes)
        # Pieces joined by a space, so that the words of two paragraphs stay apart.
        words = " ".join(_texts(fields[1])).split()
        names.append(slug(" ".join(words[:8]), f"q{len(questions)}"))
    if errors and not questions:
        raise InputError(
            f"{source.name}: {len(errors)} malformed line{'s' if len(errors) != 1 else ''}",
            diagnostics=errors,
        )
    # As Blackboard's own upload does, a malformed line fails alone: its question is left
    # out, saying why, and the others are imported.
    notes += [ImportNote(None, Location(source.name, line=d.line), "dropped",
                         f"line left out: {d.message}" + (f" ({d.hint})" if d.hint else ""))
              for d in errors]
    for question, qid, where, found in zip(questions, unique(names), locations, line_notes,
                                           strict=True):
        question["id"] = qid
        notes += [ImportNote(qid, where, kind, message) for kind, message in found]
    notes.sort(key=lambda note: note.location.line or 0)
    stem = PurePath(source.name).name.split(".")[0]
    bank, left_out = make_bank(source.name, slug(stem, "bbtext-import"),
                               stem or "Blackboard upload", questions, locations, CODE,
                               noted=notes)
    return Imported(bank, notes=notes + left_out)
