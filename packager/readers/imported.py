"""What an importer returns, and what every importer needs to build one.

An import is a Bank plus the media files to write beside it (extracted from a package or a
Moodle XML `<file>`) and a report: per question, what could not be carried and what was
changed, located in the source (file and line, or file and XML path).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.model import FORMAT_ID, Bank
from packager.model.bank import sections_without
from packager.model.questions import BOUND_HINTS
from packager.model.types import caseless
from packager.readers.html_markdown_images import Dropped

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Location:
    """Where in the source: a file, and a line or an XML path in it (a package's entry name
    is the file: `quiz.zip!items/q1.xml`)."""

    file: str
    line: int | None = None
    path: str | None = None  # an XPath such as /questestinterop/item[3]/presentation

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.path:
            where += f" {self.path}"
        return where

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in (("file", self.file), ("line", self.line), ("path", self.path))
                if v is not None}

    def diagnostic(self, code: str, message: str, hint: str | None = None) -> Diagnostic:
        return Diagnostic(code, message, file=self.file, line=self.line, pointer=self.path,
                          hint=hint)


@dataclass(frozen=True)
class ImportNote:
    question_id: str | None
    location: Location
    kind: Literal["dropped", "changed"]
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "location": self.location.to_json(),
            "kind": self.kind,
            "message": self.message,
        }


@dataclass
class Imported:
    bank: Bank
    media: dict[str, bytes] = field(default_factory=dict)  # "media/x.png" → bytes
    notes: list[ImportNote] = field(default_factory=list)


# The prompt of a question its source gives no text (the model needs one), with a note.
NO_TEXT = "(no text)"
# Why a question is left out whose text held nothing but what was dropped (an image the source
# does not hold, noted on its own): every reader says it so, after the words it leaves a
# question out with. A made-up text in its place, or its title, would not be the question its
# author wrote.
LOST_TEXT = "its text held only what was dropped, as noted"
# Any other text the model needs that the source left with nothing that could be carried.
EMPTY_TEXT = "(empty)"


def left_empty(what: str) -> str:
    """The note of a text written EMPTY_TEXT: `what` names it ("answer b", "the stimulus")."""
    return f"{what} has no text that could be carried: written as {EMPTY_TEXT!r}"


def data_image(src: str) -> tuple[str, bytes] | Dropped | None:
    """The image a `data:` URL holds, as a media file name and its bytes, or why it cannot be
    kept; None when `src` is no data: URL. The name comes from the bytes (`embedded-<digest>`)
    and the extension from what they are, never from the URL's claimed type."""
    from packager.limits import MAX_MEDIA_BYTES, mib
    from packager.media_types import EXTENSIONS, HEAD, sniff

    if src[:5].lower() != "data:":
        return None
    header, comma, payload = src[5:].partition(",")
    if not comma or "base64" not in header.lower().split(";")[1:]:
        return Dropped("its data: URL is not base64 (only base64 images are kept)")
    # A bound before decoding (base64 takes 4 characters for 3 bytes, plus line breaks): a
    # text of any size is not decoded whole only to be refused.
    if len(payload) > 2 * MAX_MEDIA_BYTES:
        return Dropped(f"it is more than the {mib(MAX_MEDIA_BYTES)} a media file may hold")
    try:
        data = base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        return Dropped("its data: URL is not valid base64")
    kind = sniff(data[:HEAD])
    if kind is None:
        return Dropped("its content is not a PNG, JPEG, GIF or WebP image")
    if len(data) > MAX_MEDIA_BYTES:
        return Dropped(f"{mib(len(data))} is more than the {mib(MAX_MEDIA_BYTES)} a media file "
                       "may hold")
    name = f"embedded-{hashlib.blake2b(data, digest_size=8).hexdigest()}{EXTENSIONS[kind][0]}"
    return name, data


def lost_parts(kind: str, positions: list[int]) -> str:
    """Why a question is left out whose options (or items, or pairs) at `positions` (from 1)
    held nothing but what was dropped: without them it is not the question its author
    wrote, and a made-up text in their place would not be either."""
    numbers = ", ".join(map(str, positions[:-1])) + f" and {positions[-1]}" if len(
        positions) > 1 else str(positions[0])
    them = "them" if len(positions) > 1 else "it"
    return (f"the whole question: {kind}{'s' if len(positions) > 1 else ''} {numbers} held "
            f"only what was dropped, as noted; the question is not the same without {them}")


# Parts (blanks, rows, answers) a note names before "and N more": a source may hold thousands.
NAMED = 6


def first_named(terms: list[str]) -> list[str]:
    """The first NAMED of a note's terms, then how many more there are."""
    return terms[:NAMED] + ([f"{len(terms) - NAMED} more"] if len(terms) > NAMED else [])


def _whole(unit: str) -> str:
    return "a matching question" if unit in ("pair", "row") else "a fill-in-the-blanks question"


def _worth(points: float | None) -> str:
    return "its points" if points is None else f"its {points:g} point{'' if points == 1 else 's'}"


def equal_shares(values: list[float], parts: int) -> bool:
    """Whether each of `parts` parts earns the same positive value (`values`, one per part):
    the share per right pair or blank a bank's matching or fill-in-the-blanks question gives.
    Canvas splits 100 % into shares rounded to the cent, the rest on the last one (33.33,
    33.33, 33.34): within a cent per part of each other, those are equal too."""
    if not values or len(values) != parts or min(values) <= 0:
        return False
    percentages = abs(sum(values) - 100) <= 0.01 * parts
    return max(values) - min(values) <= (0.01 * parts if percentages else 1e-9 * max(values))


def shares_changed(scorer: str, unit: str, terms: str, points: float | None) -> str:
    """The note for a question its source scored per `unit` (blank, gap, pair, row), each
    right one earning what `terms` says, other than a bank's equal shares: the same words
    from every reader."""
    return (f"the shares are changed: {scorer} scores each {unit} on its own ({terms}), and "
            f"{_whole(unit)} gives each right {unit} an equal share of {_worth(points)}")


def part_credit_gained(scorer: str, unit: str, points: float | None) -> str:
    """The note for a question of two or more pairs or blanks its source scored all or
    nothing, which a bank's matching or fill-in-the-blanks question scores per part."""
    return (f"partial credit is gained: {scorer} scores it all or nothing ({_worth(points)} "
            f"for every {unit} right, else 0), and {_whole(unit)} gives each right {unit} its "
            "share")


def is_slug(text: str) -> bool:
    return _SLUG.match(text) is not None


def slug(text: str, fallback: str) -> str:
    """A stable id from a title: ASCII lower case, '-' between words, at most 64 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    found = re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-_")[:64].strip("-_")
    return found if found and is_slug(found) else fallback


class Ids:
    """Distinct ids, taken one at a time: a repeat gets `-2`, `-3` … (64 characters at most)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        # The last suffix each id took: its next repeat goes on from there (counting up from
        # -2 each time made 16,000 questions named alike take 40 s). Those skipped are taken.
        self._last: dict[str, int] = {}

    def take(self, value: str) -> str:
        n = self._last.get(value, 1)
        candidate: str | None = value if n == 1 else None
        while candidate is None or candidate in self._seen:
            n += 1
            suffix = f"-{n}"
            candidate = value[: 64 - len(suffix)] + suffix
        self._last[value] = n
        self._seen.add(candidate)
        return candidate


def unique(ids: list[str]) -> list[str]:
    """The ids with repeats made distinct (`-2`, `-3` …), in order: stable for a source."""
    taken = Ids()
    return [taken.take(value) for value in ids]


def make_bank(
    source_name: str,
    bank_id: str,
    title: str,
    questions: list[dict[str, Any]],
    locations: list[Location],
    code: str,
    *,
    noted: Sequence[ImportNote] = (),
    **extra: Any,
) -> tuple[Bank, list[ImportNote]]:
    """A valid Bank from canonical question data, and a note for each question left out.

    A question the model refuses as read (an image-only option that no format keeps, an
    answer left empty by its source) is left out with a note that says why, and the others
    are imported: one odd question must not cost the user a whole export of hundreds. A
    problem outside every question, or a source with no question left, is an InputError
    locating each problem at the source of its question (`locations[i]` for question i);
    when nothing was found, the reader's notes so far (`noted`: items it left out) say why."""
    if not questions:
        raise InputError(
            f"{source_name}: no questions found"
            + ("; what was read was left out, for the reasons above" if noted else ""),
            diagnostics=[n.location.diagnostic(code, n.message) for n in noted],
        )
    from packager.render_pool import questions_read

    for question in questions:
        _one_spelling_of_each_answer(question)
    questions_read(questions)
    data = {"format": FORMAT_ID, "id": bank_id, "title": title, **extra, "questions": questions}
    notes: list[ImportNote] = []
    # The model checks a question's fields first and the bank's rules (keys, sections) once
    # every field is right: a question with a wrong field can hide another's broken rule, so
    # each round leaves out what the last one found.
    while True:
        bank, diagnostics = _validated(data, locations, source_name, code)
        if bank is not None:
            return bank, notes
        questions = data["questions"]
        refused = {i for i in diagnostics if i is not None}
        if None in diagnostics:  # a problem outside every question: nothing to leave out
            raise InputError(
                f"{source_name}: the imported questions do not make a valid bank",
                diagnostics=[d for found in diagnostics.values() for d in found],
            )
        if len(refused) == len(questions):
            raise InputError(
                f"{source_name}: no question can be imported: as read, "
                + ("it is not a valid question" if len(questions) == 1
                   else "none is a valid question")
                + (f" ({len(notes)} left out before)" if notes else ""),
                diagnostics=[
                    replace(d, message=_within(d.message, questions[index].get("type")))
                    for index, found in sorted(diagnostics.items()) if index is not None
                    for d in found
                ],
            )
        notes.extend(
            ImportNote(
                questions[index].get("id"),
                _where(locations, index, source_name),
                "dropped",
                "left out: as read, it is not a valid question ("
                + "; ".join(
                    _within(d.message, questions[index].get("type")) for d in diagnostics[index]
                )
                + ")",
            )
            for index in sorted(refused)
        )
        left_out = {str(questions[index].get("id")) for index in refused}
        data["questions"] = [q for i, q in enumerate(questions) if i not in refused]
        locations = [loc for i, loc in enumerate(locations) if i not in refused]
        if data.get("sections"):
            data["sections"] = sections_without(data["sections"], left_out)


def _one_spelling_of_each_answer(question: dict[str, Any]) -> None:
    """A typed answer once: the writers list a decomposed answer (`e` + U+0301) beside its NFC
    form for engines that compare code points (model.types.typed_forms); a bank's answers
    are compared in NFC, so the second spelling is the same answer. So is one differing
    only in letter case from a case-insensitive one (GIFT's `{=finally =Finally}`), as
    `validate` compares them (W-DUPLICATE-ANSWER)."""
    answers = question.get("answers")
    if question.get("type") == "short_answer" and isinstance(answers, list):
        seen: set[tuple[str, bool]] = set()
        kept = []
        for answer in answers:
            text = answer.get("text") if isinstance(answer, dict) else None
            key = _answer_key(text, bool(answer.get("case_sensitive"))) \
                if isinstance(text, str) and isinstance(answer, dict) else None
            if key is None or key not in seen:
                kept.append(answer)
            if key is not None:
                seen.add(key)
        question["answers"] = kept
    blanks = question.get("blanks")
    if question.get("type") == "fill_in_blanks" and isinstance(blanks, dict):
        for name, accepted in blanks.items():
            if isinstance(accepted, list) and all(isinstance(a, str) for a in accepted):
                firsts: dict[str, str] = {}
                for a in accepted:
                    firsts.setdefault(unicodedata.normalize("NFC", a), a)
                blanks[name] = list(firsts.values())


def _answer_key(text: str, case_sensitive: bool) -> tuple[str, bool]:
    """What makes two typed answers one: the NFC text, its letter case only when compared,
    and then only where every engine takes them for one (`caseless`: `Strasse` is not
    `Straße`)."""
    text = unicodedata.normalize("NFC", text)
    return (text, True) if case_sensitive else (caseless(text.strip()), False)


def _validated(
    data: dict[str, Any], locations: list[Location], source_name: str, code: str
) -> tuple[Bank | None, dict[int | None, list[Diagnostic]]]:
    """The bank, or None and every problem, located, by the position of the question it is
    in (None: outside every question)."""
    from pydantic import ValidationError

    from packager.model.bank import InvariantError

    try:
        return Bank.model_validate(data, strict=False), {}
    except ValidationError as exc:
        errors = _closest_members(exc.errors())
    found: dict[int | None, list[Diagnostic]] = {}

    def add(index: int | None, diagnostic: Diagnostic) -> None:
        found.setdefault(index, []).append(diagnostic)

    for err in errors:
        loc = err.get("loc", ())
        cause = err.get("ctx", {}).get("error")
        if isinstance(cause, InvariantError):  # the bank's rules, each located by pointer
            for problem in cause.problems:
                index = _question_at(problem.pointer)
                where = _where(locations, index, source_name)
                add(index, where.diagnostic(code, f"{problem.pointer.lstrip('/')}: "
                                                  f"{problem.message}", problem.hint))
            continue
        position = loc[1] if len(loc) > 1 and loc[0] == "questions" else None
        index = position if isinstance(position, int) else None
        where = _where(locations, index, source_name)
        field_path = "/".join(str(p) for p in loc)
        if err.get("type") == "too_long" and loc:
            context = err.get("ctx", {})
            message = (
                f"{field_path}: allows at most {context.get('max_length')} items, found "
                f"{context.get('actual_length')}"
            )
            add(index, where.diagnostic(code, message, BOUND_HINTS.get(str(loc[-1]))))
            continue
        add(index, where.diagnostic(code, f"{field_path}: {err.get('msg')}"))
    return None, found


def _closest_members(errors: list[Any]) -> list[Any]:
    """pydantic's errors with a value that fits no member of a union (a numeric answer is
    `{value, tolerance}` or `{min, max}`) told by the member it comes closest to, the one with
    the fewest errors, its name left out of the path: `answer/value: Input should be less than
    or equal to 1000000000000000`, not that and `answer/RangeAnswer/min: Field required`,
    `… value: Extra inputs are not permitted` …"""
    placed = [(err, _member_at(err["loc"])) for err in errors]
    members: dict[tuple[Any, ...], Counter[str]] = {}
    for err, at in placed:
        if at is not None:
            members.setdefault(err["loc"][:at], Counter())[err["loc"][at]] += 1
    closest = {prefix: min(counts, key=lambda m: (counts[m], m))
               for prefix, counts in members.items()}
    return [err if at is None else {**err, "loc": err["loc"][:at] + err["loc"][at + 1:]}
            for err, at in placed if at is None or closest[err["loc"][:at]] == err["loc"][at]]


def _member_at(loc: tuple[Any, ...]) -> int | None:
    """Where a union's member is named in an error's path: as its class (capitalised),
    where fields and question types are in lower case."""
    return next((i for i, part in enumerate(loc) if isinstance(part, str) and part[:1].isupper()),
                None)


def _within(message: str, kind: object) -> str:
    """A problem's message with its field named inside the question (`choices/0/text`), not
    by the question's position among those read, which the note does not need."""
    path, colon, rest = message.partition(": ")
    parts = path.split("/")
    if colon and parts[:1] == ["questions"] and len(parts) > 2 and parts[1].isdigit():
        parts = parts[3:] if parts[2] == kind else parts[2:]
        return f"{'/'.join(parts)}: {rest}" if parts else rest
    return message


def _question_at(pointer: str) -> int | None:
    parts = pointer.split("/")
    return int(parts[2]) if len(parts) > 2 and parts[1] == "questions" and parts[2].isdigit() else None


def _where(locations: list[Location], index: int | None, source_name: str) -> Location:
    return locations[index] if index is not None and index < len(locations) else Location(source_name)
