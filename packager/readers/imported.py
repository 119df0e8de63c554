"""What an importer returns, and what every importer needs to build one.

An import is a Bank plus the media files to write beside it (extracted from a package or a
Moodle XML `<file>`) and a report: per question, what could not be carried and what was
changed, located in the source (file and line, or file and XML path).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.model import FORMAT_ID, Bank
from packager.model.questions import BOUND_HINTS

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
    **extra: Any,
) -> Bank:
    """A valid Bank from canonical question data, or InputError locating each problem at the
    source of the question it is in (`locations[i]` for question i)."""
    from pydantic import ValidationError

    if not questions:
        raise InputError(f"{source_name}: no questions found")
    data = {"format": FORMAT_ID, "id": bank_id, "title": title, **extra, "questions": questions}
    try:
        return Bank.model_validate(data, strict=False)
    except ValidationError as exc:
        diagnostics: list[Diagnostic] = []
        for err in exc.errors():
            loc = err.get("loc", ())
            index = loc[1] if len(loc) > 1 and loc[0] == "questions" else None
            where = (
                locations[index]
                if isinstance(index, int) and index < len(locations)
                else Location(source_name)
            )
            field_path = "/".join(str(p) for p in loc)
            if err.get("type") == "too_long" and loc:
                context = err.get("ctx", {})
                message = (
                    f"{field_path}: allows at most {context.get('max_length')} items, found "
                    f"{context.get('actual_length')}"
                )
                diagnostics.append(where.diagnostic(code, message, BOUND_HINTS.get(str(loc[-1]))))
                continue
            diagnostics.append(where.diagnostic(code, f"{field_path}: {err.get('msg')}"))
        raise InputError(
            f"{source_name}: the imported questions do not make a valid bank",
            diagnostics=diagnostics,
        ) from None
