"""GIFT text → model objects (a Bank), with every problem reported by line.

Two layers: `parse` turns the text into `GiftQuestion`s (the raw, unescaped strings of each
question, answer and feedback, with its first line), and `read` builds a valid Bank from them.
The grammar follows Moodle's importer (question/format/gift/format.php): questions are
separated by blank lines, `//` lines are comments (`[id:…]` and `[tag:…]` in them are read),
`$CATEGORY:` sets a category, `::title::`, an optional `[html]`/`[moodle]`/`[plain]`/
`[markdown]` format, the answer block in `{…}` with `####` general feedback. Escapes: a
backslash before ``~ = # { } :`` or another backslash makes it literal, ``\\n`` is a newline.

Unlike Moodle we report, instead of guessing: a missing-word question (text after the
answer block), unbalanced braces, a weight outside Moodle's grade list, an empty answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.model import Bank
from packager.model.types import MAX_MAGNITUDE
from packager.readers.base import Source

NAME = "gift"

# Escaped specials become code points of Unicode plane 15 (private use) while the structure
# is parsed, and are turned back into the characters afterwards (Moodle uses placeholders).
_SPECIALS = "\\~=#{}:"
_PRIVATE = 0xF0000
_ESCAPE = re.compile(r"\\(.)", re.S)
_FORMATS = ("html", "moodle", "plain", "markdown")
_WEIGHT = re.compile(r"^%(-?[0-9]+(?:\.[0-9]+)?)%")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f])+)\]")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


# GIFT's own marks: a ::title::, a $CATEGORY: line, an answer block opening with = ~ # or T/F.
_MARKS = re.compile(
    r"^\s*::[^\n]*?::|^\s*\$CATEGORY:|\{\s*(?:[=~#]|(?:T|F|TRUE|FALSE)\s*(?:[#}]))", re.M
)


def detect(data: bytes) -> bool:
    """Whether a file holds GIFT (for `import --from auto`), by its marks; never raises."""
    head = data.lstrip()[:1]
    if head in (b"<", b"{", b"[") or data.startswith(b"PK"):
        return False
    return _MARKS.search(data.decode("utf-8-sig", errors="replace")) is not None


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


@dataclass
class GiftQuestion:
    line: int
    kind: str  # description essay multichoice truefalse shortanswer numerical matching
    title: str | None
    text: str
    format: str  # html moodle plain markdown
    answers: list[GiftAnswer] = field(default_factory=list)
    general_feedback: str | None = None
    category: str | None = None
    idnumber: str | None = None
    tags: list[str] = field(default_factory=list)
    # true/false: the answer and the feedback for a wrong and for a right answer
    truth: bool | None = None


class _Errors:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.items: list[Diagnostic] = []

    def add(self, line: int, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(
            "E-GIFT", message, file=self.source.name, line=line, hint=hint
        ))


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


def _split_feedback(raw: str) -> tuple[str, str | None]:
    text, sep, feedback = raw.partition("#")
    return text, (_restore(feedback).strip() or None) if sep else None


def parse(source: Source) -> list[GiftQuestion]:
    """Every question of a GIFT file, or InputError listing each problem with its line."""
    try:
        text = source.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source.name}: not UTF-8 text ({exc.reason})") from None
    errors = _Errors(source)
    questions: list[GiftQuestion] = []
    category: str | None = None
    for line, lines in _blocks(text):
        comments = "\n".join(s.strip() for s in lines if s.strip().startswith("//"))
        body = "\n".join(s for s in lines if not s.strip().startswith("//")).strip()
        if not body:
            continue
        if body.startswith("$CATEGORY:"):
            category = body[len("$CATEGORY:") :].strip()
            continue
        q = _question(_protect(body), line, errors)
        if q is None:
            continue
        q.category = category
        found = _ID.search(comments)
        if found:
            q.idnumber = found.group(1).replace("\\]", "]").strip()
        q.tags = [t.replace("\\]", "]").strip() for t in _TAG.findall(comments)]
        questions.append(q)
    if errors.items:
        n = len(errors.items)
        raise InputError(
            f"{source.name}: {n} GIFT error{'s' if n != 1 else ''}", diagnostics=errors.items
        )
    return questions


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
    if body[finish + 1 :].strip():
        errors.add(
            line, "text after the answer block (the missing-word form) is not supported",
            "put the answers at the end of the question",
        )
        return None
    text, fmt = _text_and_format(body[:start], "moodle")
    block = body[start + 1 : finish].strip()
    general: str | None = None
    gf = block.rfind("####")
    if gf >= 0:
        general = _text_and_format(block[gf + 4 :], fmt)[0] or None
        block = block[:gf].strip()
    q = GiftQuestion(line, "essay", title, text, fmt, general_feedback=general)
    if not block:
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
            q.answers.append(GiftAnswer("=", _text_and_format(left, fmt)[0], None,
                                        _restore(right).strip()))
        return q
    head, _, rest = block.partition("#")
    if head.strip() in ("T", "TRUE", "F", "FALSE"):
        q.kind = "truefalse"
        q.truth = head.strip().startswith("T")
        wrong, _, right = rest.partition("#")
        q.answers = [
            GiftAnswer("", "wrong", None, _restore(wrong).strip() or None),
            GiftAnswer("", "right", None, _restore(right).strip() or None),
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
        weight, raw = _weight(raw, q, errors)
        text, feedback = _split_feedback(raw)
        answer = _text_and_format(text, q.format)[0]
        if not answer:
            errors.add(q.line, "an answer is empty")
            return None
        q.answers.append(GiftAnswer(mark, answer, weight, feedback))
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
        value, feedback = _split_feedback(raw)
        value = _restore(value).strip()
        try:
            if ".." in value:
                low, high = value.split("..", 1)
                _number(low), _number(high)
            elif ":" in value:
                v, t = value.split(":", 1)
                _number(v), _number(t)
            else:
                _number(value)
        except ValueError:
            errors.add(q.line, f"numeric answer {value!r} is not a number, value:tolerance "
                       f"or min..max (finite, at most {MAX_MAGNITUDE:g} in magnitude)")
            return None
        q.answers.append(GiftAnswer("=", value, weight, feedback))
    if tilde:
        q.answers.append(GiftAnswer("~", "*", 0.0, _split_feedback(wrong)[1]))
    return q


def _number(text: str) -> float:
    """A GIFT number as the model takes it: float() also reads nan, inf and 1e400 (inf)."""
    value = float(text)
    if not abs(value) <= MAX_MAGNITUDE:  # False for NaN too
        raise ValueError(f"{text!r} is not a finite number within ±{MAX_MAGNITUDE:g}")
    return value


# -- GiftQuestion → model --------------------------------------------------------------------


def _slug(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")[:64]
    return slug if slug and _SLUG.match(slug) else fallback


def to_question(q: GiftQuestion, qid: str) -> dict[str, Any]:
    """One question as canonical data (validated when the Bank is built)."""
    data: dict[str, Any] = {"id": qid, "prompt": q.text or "(no text)"}
    if q.title and q.title != qid:
        data["title"] = q.title
    if q.tags:
        data["tags"] = q.tags
    if q.kind == "description":
        data["type"] = "text"
        return data
    if q.general_feedback:
        data["explanation"] = q.general_feedback
    letters = "abcdefghijklmnopqrstuvwxyz"
    if q.kind == "multichoice":
        weighted = any(a.weight is not None for a in q.answers)
        choices = []
        for i, a in enumerate(q.answers):
            correct = (a.weight or 0) > 0 if weighted else a.mark == "="
            choice: dict[str, Any] = {"id": letters[i % 26] * (1 + i // 26), "text": a.text,
                                      "correct": correct}
            if a.feedback:
                choice["feedback"] = a.feedback
            choices.append(choice)
        n_correct = sum(c["correct"] for c in choices)
        if weighted or n_correct != 1:
            data["type"] = "multiple_response"
            wrong_weights = [a.weight for a in q.answers if (a.weight or 0) <= 0]
            data["scoring"] = (
                "all_or_nothing" if all(w is not None and w <= -100 for w in wrong_weights)
                and n_correct > 1 else "partial"
            )
        else:
            data["type"] = "single_choice"
        data["choices"] = choices
    elif q.kind == "truefalse":
        data["type"] = "true_false"
        data["answer"] = bool(q.truth)
        fb_wrong, fb_right = q.answers[0].feedback, q.answers[1].feedback
        fb_true, fb_false = (fb_right, fb_wrong) if q.truth else (fb_wrong, fb_right)
        if fb_true:
            data["feedback_true"] = fb_true
        if fb_false:
            data["feedback_false"] = fb_false
    elif q.kind == "shortanswer":
        data["type"] = "short_answer"
        answers = [a for a in q.answers if a.text != "*"]
        data["answers"] = [{"text": a.text.replace("\\*", "*")} for a in answers]
    elif q.kind == "numerical":
        data["type"] = "numeric"
        value = q.answers[0].text
        if ".." in value:
            low, high = value.split("..", 1)
            data["answer"] = {"min": _number(low), "max": _number(high)}
        elif ":" in value:
            v, t = value.split(":", 1)
            data["answer"] = {"value": _number(v), "tolerance": abs(_number(t))}
        else:
            data["answer"] = {"value": _number(value)}
    elif q.kind == "matching":
        data["type"] = "matching"
        data["pairs"] = [
            {"prompt": a.text, "match": a.feedback or ""} for a in q.answers if a.text
        ]
        data["distractors"] = [a.feedback for a in q.answers if not a.text and a.feedback]
    else:
        data["type"] = "essay"
    return data


def read(source: Source) -> Bank:
    """A Bank from GIFT text; InputError with located diagnostics when it cannot be read."""
    from pydantic import ValidationError

    questions = parse(source)
    if not questions:
        raise InputError(f"{source.name}: no questions found")
    stem = PurePath(source.name).name.split(".")[0]
    bank_id = _slug(stem, "gift-import")
    title_source = next((q.category for q in questions if q.category), None)
    title = title_source.rstrip("/").split("/")[-1].strip() if title_source else stem
    used: set[str] = set()
    data: list[dict[str, Any]] = []
    for position, q in enumerate(questions, start=1):
        qid = _slug(q.idnumber or q.title or "", f"q{position}")
        if qid in used:
            qid = f"q{position}"
        used.add(qid)
        data.append(to_question(q, qid))
    try:
        return Bank.model_validate(
            {"format": "packager.question-bank/1", "id": bank_id, "title": title or bank_id,
             "questions": data},
            strict=False,
        )
    except ValueError as exc:
        diagnostics = []
        errors = exc.errors() if isinstance(exc, ValidationError) else []
        for err in errors:
            loc = err.get("loc", ())
            index = loc[1] if len(loc) > 1 and loc[0] == "questions" else None
            line = questions[index].line if isinstance(index, int) else None
            diagnostics.append(Diagnostic(
                "E-GIFT", str(err.get("msg")), file=source.name, line=line
            ))
        if not diagnostics:
            diagnostics.append(Diagnostic("E-GIFT", str(exc), file=source.name))
        raise InputError(f"{source.name}: the GIFT questions do not make a valid bank",
                         diagnostics=diagnostics) from None
