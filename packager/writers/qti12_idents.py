"""Identifiers of the QTI 1.2 (Canvas) writer, and where media files go in its package.

Canvas's importer reads feedback by ident (`general_fb`, `correct_fb`, `general_incorrect_fb`,
`<answer-ident>_fb`) and reinterprets idents containing `correct`, `incorrect`, `wrong`,
`general_`, `_all`, `.` or `:`; every ident here is a letter followed by hex digits of a digest
of the bank, question and choice ids, so none can contain them (see `safe_ident`).
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import PurePosixPath

from packager.model import BLANK_MARKER, Bank, FillInBlanks, Question
from packager.model.ids import digest
from packager.richtext import render

MEDIA_FOLDER = "media"

# Substrings Canvas's importer reads as feedback markers or rewrites (checked case-insensitively).
FORBIDDEN_IN_IDENT: tuple[str, ...] = (
    "correct",
    "incorrect",
    "wrong",
    "general_",
    "_all",
    ".",
    ":",
)


# Any of them: one search rules out nearly every ident (the check runs on every answer).
_ANY_FORBIDDEN = re.compile("|".join(map(re.escape, FORBIDDEN_IN_IDENT)))


def forbidden_word(ident: str) -> str | None:
    """The part of an ident Canvas would reinterpret (feedback words, '.', ':'), or None."""
    low = ident.lower()
    if _ANY_FORBIDDEN.search(low) is None:
        return None
    return next((bad for bad in FORBIDDEN_IN_IDENT if bad in low), None)


def ident_problem(ident: str) -> str | None:
    """Why Canvas would misread this response ident, or None when it is safe."""
    if not ident[:1].isalpha():
        return "does not start with a letter"
    bad = forbidden_word(ident)
    return f"contains {bad!r}" if bad else None


def safe_ident(prefix: str, *parts: str, size: int = 6) -> str:
    """A letter prefix + hex digest: hex digits cannot spell any forbidden substring."""
    return f"{prefix}{digest(*parts, size=size)}"


def assessment_ident(bank: Bank) -> str:
    """The one identifier shared by the manifest resource, the assessment and the quiz meta."""
    return safe_ident("g", "qti12", bank.id, size=16)


def meta_resource_ident(bank: Bank) -> str:
    return safe_ident("g", "qti12-meta", bank.id, size=16)


def item_ident(bank: Bank, question: Question) -> str:
    return safe_ident("i", bank.id, question.id, size=12)


def question_ref(bank: Bank, question: Question) -> str:
    return safe_ident("q", "bank-question", bank.id, question.id, size=12)


def choice_ident(bank: Bank, question: Question, key: str) -> str:
    return safe_ident("a", bank.id, question.id, key)


def media_package_path(href: str) -> str:
    """Where a bank media file (as `MediaFile.href`) lives in the package."""
    path = str(PurePosixPath(href))
    return path if path.startswith(f"{MEDIA_FOLDER}/") else f"{MEDIA_FOLDER}/{path}"


def blank_names(bank: Bank, question: FillInBlanks) -> dict[str, str]:
    """Canvas blank variable names: the blank id where Canvas can use it, else a digest.

    Canvas puts a blank's box where `[name]` first stands in the question's stored HTML (its
    quiz.rb: `text.sub`), a code span's `a[i]` included, and its import re-serialises that
    HTML (Nokogiri), writing `&#91;` back as `[`: a name standing so in the question's own
    text is not used."""
    names: dict[str, str] = {}
    used: set[str] = set()
    # Every `[word]` of the question's own text, found once: a test per blank of the whole
    # text took a question of 10,000 blanks a minute.
    taken = set(BRACKETED.findall(_own_text(bank, question)))
    for blank_id in question.blanks:
        name = blank_id.replace("-", "_")
        attempt = 0
        while (ident_problem(f"response_{name}") is not None or not name[0].isalpha()
               or name in used or name in taken):
            name = safe_ident("b", bank.id, question.id, blank_id, *["x"] * attempt, size=4)
            attempt += 1
        used.add(name)
        names[blank_id] = name
    return names


# What Canvas would read as a blank's `[name]` (canvas_rules counts them with it too).
BRACKETED = re.compile(r"\[([^\[\]]+)\]")


def _own_text(bank: Bank, question: FillInBlanks) -> str:
    """The question's text as Canvas stores it, near enough to find `[name]` in: its HTML
    with character references decoded, the blanks left out."""
    parts = []
    if question.stimulus is not None:
        stimulus = bank.stimulus_by_id[question.stimulus]
        parts += [stimulus.title or "", render(stimulus.body).xhtml]
    if question.scenario:
        parts.append(render(question.scenario).xhtml)
    parts.append(BLANK_MARKER.sub(" ", render(question.prompt).xhtml))
    return unescape("\n".join(parts))

