"""GIFT text → `GiftQuestion`s: the raw, unescaped strings of each question, answer and
feedback, with the question's first line and its text format; readers/gift.py builds a bank.

The grammar follows Moodle's importer (question/format/gift/format.php): questions are
separated by blank lines, `//` lines are comments (`[id:…]` and `[tag:…]` in them are read),
`$CATEGORY:` sets a category, `::title::`, an optional `[html]`/`[moodle]`/`[plain]`/
`[markdown]` format, the answer block in `{…}` with `####` general feedback. Each answer,
feedback and the general feedback may name its own format the same way (else the question's). Escapes: a
backslash before ``~ = # { } :`` or another backslash makes it literal, ``\\n`` is a newline.
Text after the answer block makes a missing-word question: the block stands for a blank.

Unlike Moodle we report, instead of guessing: unbalanced braces, a weight outside Moodle's
grade list, an empty answer, a number that is not finite. `read_questions` gives the questions
that read and the problems of those that do not (readers/gift.py leaves those out, noted);
`parse` refuses a file with any problem.

Questions written without a blank line between them are one question, in Moodle as here; a
question whose text holds what starts another (a `::title::` at the start of a line after its
first, or an answer block after its own) says so (`GiftQuestion.run_on`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.model.types import MAX_MAGNITUDE
from packager.readers.base import Source
from packager.readers.encoding import decoded
from packager.readers.numbers import is_written_number

NAME = "gift"

# Escaped specials become code points of Unicode plane 15 (private use) while the structure
# is parsed, and are turned back into the characters afterwards (Moodle uses placeholders).
_SPECIALS = "\\~=#{}:"
_PRIVATE = 0xF0000
_ESCAPE = re.compile(r"\\(.)", re.S)
_FORMATS = ("html", "moodle", "plain", "markdown")
_WEIGHT = re.compile(r"^%(-?[0-9]+(?:\.[0-9]+)?)%")
# Neither holds a "[": a search from each "[tag:" of a long line without its "]" went on to the
# line's end, so a comment of n of them took time n squared.
_ID = re.compile(r"\[id:((?:\\\]|[^\[\]\x00-\x1f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\[\]<>`\x00-\x1f])+)\]")
# qtype_ordering's GIFT form (core since Moodle 4.4; its import_from_gift): `>` and the number
# of items to show, then optional words for the selection, layout, grading, whether the
# grading is shown and the numbering, then one item per line. Each word must end where the
# next begins (Moodle's pattern would read `RELATIVE` as `REL` and an item `ATIVE`).
_END = r"(?![^\s])"
_ORDERING = re.compile(
    r"\s*>\s*([0-9]+)\s*"
    rf"(ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)?{_END}\s*"
    rf"(?:HORIZONTAL|HORI|H|1|VERTICAL|VERT|V|0)?{_END}\s*"
    r"(ALL_OR_NOTHING|ABSOLUTE_POSITION|ABSOLUTE|ABS|RELATIVE_NEXT_EXCLUDE_LAST|"
    r"RELATIVE_NEXT_INCLUDE_LAST|RELATIVE_ONE_PREVIOUS_AND_NEXT|RELATIVE_ALL_PREVIOUS_AND_NEXT|"
    rf"RELATIVE_TO_CORRECT|RELATIVE|REL|LONGEST_ORDERED_SUBSET|LONGEST_CONTIGUOUS_SUBSET)?{_END}\s*"
    rf"(?:SHOW|TRUE|YES|1|HIDE|FALSE|NO|0)?{_END}\s*"
    rf"(?:none|123|abc|ABCD|iii|IIII)?{_END}\s*"
    r"(.*?)\s*",
    re.S,
)


def _protect(text: str) -> str:
    def sub(match: re.Match[str]) -> str:
        c = match.group(1)
        if c == "n":
            return "\n"
        if c in _SPECIALS:
            return chr(_PRIVATE + ord(c))
        return match.group(0)

    return _ESCAPE.sub(sub, text)


def _restore(text: str) -> str:
    return "".join(
        chr(ord(c) - _PRIVATE) if ord(c) >= _PRIVATE and chr(ord(c) - _PRIVATE) in _SPECIALS
        else c
        for c in text
    )


def unescape(text: str) -> str:
    """GIFT text → the string it stands for (the inverse of writers.gift.escape)."""
    return _restore(_protect(text))


@dataclass
class GiftAnswer:
    mark: str  # "=" or "~" ("" for true/false, numeric and matching parts)
    text: str
    weight: float | None = None  # percent
    feedback: str | None = None
    # Each text's own format: an answer or feedback may open with `[html]`, `[plain]`… as the
    # question text may; without one it has the question's (Moodle's commentparser).
    format: str = "moodle"
    feedback_format: str = "moodle"


@dataclass
class GiftQuestion:
    line: int
    kind: str  # description essay multichoice truefalse shortanswer numerical matching
    title: str | None
    text: str
    format: str  # html moodle plain markdown
    answers: list[GiftAnswer] = field(default_factory=list)
    general_feedback: str | None = None
    general_feedback_format: str = "moodle"
    category: str | None = None
    idnumber: str | None = None
    tags: list[str] = field(default_factory=list)
    # true/false: the answer and the feedback for a wrong and for a right answer
    truth: bool | None = None
    # a missing-word question: the text after the answer block (the block is a blank), and
    # whether white space stands before and after the block (Moodle puts its blank exactly
    # where the block was: `is {=Paris}.` has none before the full stop)
    after: str | None = None
    gap_spaces: tuple[bool, bool] = (True, True)
    # an ordering question: its selection, number of items shown and grading, as written
    ordering: tuple[str, str, str] | None = None
    # what looks like the start of other questions in this one's text: the line of the first,
    # its text, and on how many lines such a start is
    run_on: tuple[int, str, int] | None = None


class _Errors:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.items: list[Diagnostic] = []
        self._seen: set[Diagnostic] = set()

    def add(self, line: int, message: str, hint: str | None = None) -> None:
        found = Diagnostic("E-GIFT", message, file=self.source.name, line=line, hint=hint)
        if found not in self._seen:  # six answers weighted 7% are one problem, said once
            self._seen.add(found)
            self.items.append(found)


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Questions: runs of non-blank lines, each with the number of its first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _text_and_format(raw: str, default: str) -> tuple[str, str]:
    raw = raw.strip()
    if raw.startswith("["):
        end = raw.find("]")
        name = raw[1:end] if end > 0 else ""
        if name in _FORMATS:
            return _restore(raw[end + 1 :]).strip(), name
    return _restore(raw).strip(), default


def _split_feedback(raw: str, default: str) -> tuple[str, str | None, str]:
    """(the raw text before '#', the feedback after it or None, the feedback's format)."""
    text, sep, feedback = raw.partition("#")
    if not sep:
        return text, None, default
    feedback, fmt = _text_and_format(feedback, default)
    return text, feedback or None, fmt


def parse(source: Source) -> list[GiftQuestion]:
    """Every question of a GIFT file, or InputError listing each problem with its line."""
    questions, problems = read_questions(source)
    if problems:
        raise InputError(errors_found(source, problems), diagnostics=problems)
    return questions


def errors_found(source: Source, problems: list[Diagnostic]) -> str:
    n = len(problems)
    return f"{source.name}: {n} GIFT error{'s' if n != 1 else ''}"


def read_questions(source: Source) -> tuple[list[GiftQuestion], list[Diagnostic]]:
    """The questions of a GIFT file that read, and each problem of those that do not, with
    its line (a question with a problem is not among the questions)."""
    text = decoded(source.data, source.name, "E-GIFT")
    errors = _Errors(source)
    questions: list[GiftQuestion] = []
    category: str | None = None
    for line, lines in _blocks(text):
        comments = "\n".join(s.strip() for s in lines if s.strip().startswith("//"))
        body = "\n".join(s for s in lines if not s.strip().startswith("//")).strip()
        if not body:
            continue
        if body.startswith("$CATEGORY:"):
            # Moodle's escapedchar_pre: `\\` is a backslash (other escapes it leaves mangled).
            category = body[len("$CATEGORY:") :].strip().replace("\\\\", "\\")
            continue
        # Located at its own first line, not at the comments before it ([id:…], [tag:…]).
        own = [(n, s) for n, s in enumerate(lines, start=line) if not s.strip().startswith("//")]
        before = len(errors.items)
        q = _question(_protect(body), own[0][0], errors)
        if q is None or len(errors.items) > before:
            continue
        q.category = category
        found = _ID.search(comments)
        if found:
            q.idnumber = found.group(1).replace("\\]", "]").strip()
        q.tags = [t.replace("\\]", "]").strip() for t in _TAG.findall(comments)]
        q.run_on = _run_on(own)
        questions.append(q)
    return questions, errors.items


# The start of a question: its `::title::` at the start of a line (a search from the line's
# start only, so a line is read once).
_TITLE_START = re.compile(r"[ \t]*::[^\n]*?::")


def _run_on(lines: list[tuple[int, str]]) -> tuple[int, str, int] | None:
    """Where a question's lines hold the start of another: a `::title::` opening a line after
    its first, or an answer block after its own; (line, what, on how many lines), or None."""
    first: tuple[int, str] | None = None
    count = 0
    opened = closed = False  # its own answer block's `{` and `}` met
    for index, (number, raw) in enumerate(lines):
        text = _protect(raw)
        found: str | None = None
        if index and _TITLE_START.match(text):
            found = text.strip()
        start = 0
        if not closed:
            brace = text.find("{") if not opened else -1
            opened = opened or brace >= 0
            close = text.find("}", brace + 1 if brace >= 0 else 0) if opened else -1
            closed = close >= 0
            start = close + 1
        if closed and found is None:
            other = text.find("{", start)
            if other >= 0:
                found = text[other:].strip()
        if found is not None:
            count += 1
            first = first or (number, _restore(found)[:40])
    return None if first is None else (*first, count)


def _question(body: str, line: int, errors: _Errors) -> GiftQuestion | None:
    title: str | None = None
    if body.startswith("::"):
        end = body.find("::", 2)
        if end < 0:
            errors.add(line, "the title has no closing '::'", "write ::title:: before the text")
            return None
        title = _restore(body[2:end]).strip() or None
        body = body[end + 2 :].strip()
    start, finish = body.find("{"), body.find("}")
    if start < 0 and finish < 0:
        text, fmt = _text_and_format(body, "moodle")
        return GiftQuestion(line, "description", title, text, fmt)
    if start < 0 or finish < start:
        errors.add(line, "unbalanced '{' and '}'", "escape a literal brace as \\{ or \\}")
        return None
    text, fmt = _text_and_format(body[:start], "moodle")
    after = _restore(body[finish + 1 :]).strip() or None
    gap_spaces = (body[start - 1 : start].isspace(), body[finish + 1 : finish + 2].isspace())
    block = body[start + 1 : finish].strip()
    general: str | None = None
    general_format = fmt
    gf = block.rfind("####")
    if gf >= 0:
        # Moodle reads a format only right after '####' (the rest is not trimmed first).
        rest = block[gf + 4 :]
        general, general_format = (_text_and_format(rest, fmt) if rest.startswith("[")
                                   else (_restore(rest).strip(), fmt))
        general = general or None
        block = block[:gf].strip()
    q = GiftQuestion(line, "essay", title, text, fmt, general_feedback=general,
                     general_feedback_format=general_format, after=after,
                     gap_spaces=gap_spaces)
    ordering = _ORDERING.fullmatch(block)
    if ordering is not None:
        count, select, grading, items = ordering.groups()
        q.kind = "ordering"
        q.ordering = (select or "", count, grading or "")
        # Moodle keeps each item in its own (auto) format, whatever the question's.
        q.answers = [GiftAnswer("", item, format="moodle")
                     for line in items.splitlines() if (item := _restore(line).strip())]
        return q
    if not block:  # an essay, also with text after the block (Moodle types by the block)
        return q
    if block.startswith("#"):
        return _numerical(q, block[1:], errors)
    if "~" in block:
        q.kind = "multichoice"
        return _choices(q, block, errors)
    if "=" in block and "->" in block:
        q.kind = "matching"
        for part in _parts(block):
            left, arrow, right = part[1].partition("->")
            if not arrow:
                errors.add(line, f"matching answer {_restore(part[1])!r} has no '->'")
                return None
            prompt, prompt_format = _text_and_format(left, fmt)
            q.answers.append(GiftAnswer("=", prompt, None, _restore(right).strip(),
                                        format=prompt_format))
        return q
    head, _, rest = block.partition("#")
    if head.strip() in ("T", "TRUE", "F", "FALSE"):
        q.kind = "truefalse"
        q.truth = head.strip().startswith("T")
        wrong, _, right = rest.partition("#")
        (wrong, wrong_format), (right, right_format) = (
            _text_and_format(wrong, fmt), _text_and_format(right, fmt))
        q.answers = [
            GiftAnswer("", "wrong", None, wrong or None, feedback_format=wrong_format),
            GiftAnswer("", "right", None, right or None, feedback_format=right_format),
        ]
        return q
    q.kind = "shortanswer"
    return _choices(q, block, errors)


def _parts(block: str) -> list[tuple[str, str]]:
    """(mark, raw text) for each '=' or '~' answer of a block."""
    pieces = re.split(r"([=~])", block)
    return [(pieces[i], pieces[i + 1].strip()) for i in range(1, len(pieces) - 1, 2)]


def _weight(raw: str, q: GiftQuestion, errors: _Errors) -> tuple[float | None, str]:
    match = _WEIGHT.match(raw)
    if not match:
        return None, raw
    from packager.writers.moodle import grade_for

    value = float(match.group(1))
    if grade_for(value) is None:
        errors.add(q.line, f"weight {match.group(1)}% is not in Moodle's list of grades")
    return value, raw[match.end() :]


def _choices(q: GiftQuestion, block: str, errors: _Errors) -> GiftQuestion | None:
    for mark, raw in _parts(block):
        # Moodle's multichoice gives an '=' answer full marks and reads no weight after it:
        # '=%50%off' is the right answer '%50%off' (a short answer's '=' takes a weight).
        weight, raw = ((None, raw) if mark == "=" and q.kind == "multichoice"
                       else _weight(raw, q, errors))
        text, feedback, feedback_format = _split_feedback(raw, q.format)
        answer, answer_format = _text_and_format(text, q.format)
        if not answer:
            errors.add(q.line, "an answer is empty")
            return None
        q.answers.append(GiftAnswer(mark, answer, weight, feedback, answer_format,
                                    feedback_format))
    if not q.answers:
        errors.add(q.line, "the answer block has no answers")
        return None
    return q


def _numerical(q: GiftQuestion, block: str, errors: _Errors) -> GiftQuestion | None:
    q.kind = "numerical"
    block, tilde, wrong = block.partition("~")
    parts = _parts(block) if block.strip().startswith("=") else [("=", block.strip())]
    for _, raw in parts:
        weight, raw = _weight(raw, q, errors)
        value, feedback, feedback_format = _split_feedback(raw, q.format)
        value = _restore(value).strip()
        try:
            if ".." in value:
                low, high = value.split("..", 1)
                number(low), number(high)
            elif ":" in value:
                v, t = value.split(":", 1)
                number(v), number(t)
            else:
                number(value)
        except ValueError:
            errors.add(q.line, f"numeric answer {value!r} is not a number, value:tolerance "
                       f"or min..max (finite, at most {MAX_MAGNITUDE:g} in magnitude)")
            return None
        q.answers.append(GiftAnswer("=", value, weight, feedback, q.format, feedback_format))
    if tilde:
        _, feedback, feedback_format = _split_feedback(wrong, q.format)
        q.answers.append(GiftAnswer("~", "*", 0.0, feedback, q.format, feedback_format))
    return q


def number(text: str) -> float:
    """A GIFT number as the model takes it: float() also reads nan, inf and 1e400 (inf),
    and `1_000` and `١٢`, which Moodle's is_numeric refuses."""
    if not is_written_number(text):
        raise ValueError(f"{text!r} is not a number")
    value = float(text)
    if not abs(value) <= MAX_MAGNITUDE:  # False for NaN too
        raise ValueError(f"{text!r} is not a finite number within ±{MAX_MAGNITUDE:g}")
    return value
