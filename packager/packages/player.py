"""The quiz player: static assets (player/) plus one generated data file, quiz-data.js.

The SCORM packages carry it as files; the HTML export (packages/html.py) inlines the same files
into one page. `scorm` below is the SCORM version the player talks to ("1.2", "2004"), or None
for a quiz outside any LMS (lms.js's standalone mode).

The player is hand-written HTML, CSS and JavaScript kept as real files next to this module;
Python never templates it. It reads `window.PACKAGER_QUIZ` from quiz-data.js, which this
module builds from the Bank: every rich text pre-rendered by `packager.richtext` (XHTML
fragments, MathML included) and image paths rewritten to the package's ASCII lower-case
media names. Because the data is a script, not JSON fetched at run time, the player also
works when index.html is opened straight from disk.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from packager.capabilities import Feature, FidelityNote, not_carried
from packager.jsonfmt import c_encoder
from packager.model import Bank, delivery_sections
from packager.model import questions as m
from packager.model.ids import digest
from packager.packages.base import Chunks
from packager.relpath import device_safe
from packager.richtext import render
from packager.richtext_images import with_image_sources
from packager.richtext_plain import plain_text

if TYPE_CHECKING:
    from packager.checks import MediaFile
    from packager.packages.base import Job

ASSETS_DIR = Path(__file__).resolve().parent / "player"
# Static files, copied byte for byte; index.html is the SCO's launch file.
ASSETS: tuple[str, ...] = ("index.html", "lms.js", "player.js", "quiz.js", "style.css")
DATA_FILE = "quiz-data.js"
LAUNCH = "index.html"
DATA_FORMAT = "packager.player/2"
# What the player shows of no question or bank: the losses of every target it is (html, SCORM).
NOT_SHOWN = not_carried(
    Feature.OBJECTIVES,
    Feature.TAGS,
    Feature.AUTHORS,
    Feature.LICENSE,
    Feature.BANK_TAGS,
    Feature.BANK_OBJECTIVES,
)



def player_notes(bank: Bank) -> list[FidelityNote]:
    """What the quiz player (SCORM, the HTML quiz) leaves out by value: an essay is not
    scored, so it shows neither its correct nor its incorrect feedback."""
    return [
        FidelityNote(q.id, Feature.FEEDBACK.value, "dropped",
                     "an essay is not scored, so the player shows neither its correct nor its "
                     "incorrect feedback (the explanation is shown)")
        for q in bank.questions
        if isinstance(q, m.Essay) and q.feedback and (q.feedback.correct or q.feedback.incorrect)
    ]


_UNSAFE_NAME = re.compile(r"[^a-z0-9._-]+")


def package_media_paths(media: list[MediaFile]) -> dict[str, str]:
    """Bank media href → path inside the package: media/<ascii lower-case name>, unique, and
    no name Windows keeps for a device."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for item in sorted(media, key=lambda f: f.href):
        parts = list(PurePosixPath(item.href).parts)
        if len(parts) > 1 and parts[0] == "media":
            parts = parts[1:]
        clean = []
        for index, part in enumerate(parts):
            # The extension apart: `図.png` folds to `.png`, which stripped was `png`, a file
            # with no extension (served as no image type by extension-typed web servers).
            stem, dot, ext = part.rpartition(".")
            if index < len(parts) - 1 or not dot or not stem:
                stem, ext = part, ""
            cleaned = _ascii(stem) or f"file-{digest(part, size=3)}"
            if ext:
                cleaned = f"{cleaned}.{_ascii(ext) or 'bin'}"
            # The bank check saw `cön.png`, no device name; folded, it is `con.png`, one.
            clean.append(device_safe(cleaned))
        path = "media/" + "/".join(clean)
        if path in taken:
            stem, dot, suffix = path.rpartition(".")
            tag = digest(item.href, size=3)
            path = f"{stem}-{tag}.{suffix}" if dot and "/" not in suffix else f"{path}-{tag}"
        taken.add(path)
        mapping[item.href] = path
    return mapping


def _ascii(name: str) -> str:
    """`name` folded to lower-case ASCII letters, digits, `.`, `_` and `-` (empty when nothing
    of it is ASCII)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _UNSAFE_NAME.sub("-", folded.lower()).strip("-.")


class _Renderer:
    """Markdown → XHTML string for the player, with image sources pointing into the package."""

    def __init__(self, media_paths: dict[str, str]) -> None:
        self.media_paths = media_paths

    def html(self, markdown: str | None) -> str | None:
        if markdown is None:
            return None
        rendered = render(markdown)
        if not rendered.media:
            return rendered.xhtml
        return with_image_sources(rendered.xhtml, self.media_paths.get)


def _question(bank: Bank, q: m.Question, r: _Renderer) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": q.id,
        "type": q.type,
        "title": q.title,
        "prompt": r.html(q.prompt),
        "prompt_text": plain_text(q.prompt),
        "scenario": r.html(q.scenario),
        "stimulus": q.stimulus,  # its id in the data's `stimuli`
        "points": bank.points_of(q),
    }
    if isinstance(q, m.TextItem):
        return out
    out["explanation"] = r.html(q.explanation)
    out["feedback_correct"] = r.html(q.feedback.correct) if q.feedback else None
    out["feedback_incorrect"] = r.html(q.feedback.incorrect) if q.feedback else None
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        out["choices"] = [
            {
                "id": c.id,
                "html": r.html(c.text),
                "correct": c.correct,
                "feedback": r.html(c.feedback),
                "pinned": c.pinned,
            }
            for c in q.choices
        ]
        out["shuffle"] = bank.shuffles(q)
        if isinstance(q, m.MultipleResponse):
            out["scoring"] = q.scoring
    elif isinstance(q, m.TrueFalse):
        out["answer"] = q.answer
        out["feedback_true"] = r.html(q.feedback_true)
        out["feedback_false"] = r.html(q.feedback_false)
    elif isinstance(q, m.ShortAnswer):
        out["answers"] = [{"text": a.text, "case_sensitive": a.case_sensitive} for a in q.answers]
    elif isinstance(q, m.Numeric):
        if isinstance(q.answer, m.RangeAnswer):
            out["min"] = q.answer.min
            out["max"] = q.answer.max
        else:
            out["value"] = q.answer.value
            out["tolerance"] = q.answer.tolerance
        out["unit"] = q.unit
    elif isinstance(q, m.Essay):
        out["sample_answer"] = r.html(q.sample_answer)
        out["rubric"] = r.html(q.rubric)
    elif isinstance(q, m.Matching):
        options = list(dict.fromkeys([p.match for p in q.pairs] + list(q.distractors)))
        positions = {option: i for i, option in enumerate(options)}
        out["pairs"] = [{"html": r.html(p.prompt), "match": positions[p.match]} for p in q.pairs]
        out["options"] = options
    elif isinstance(q, m.Ordering):
        out["items"] = [r.html(item) for item in q.items]
    elif isinstance(q, m.FillInBlanks):
        out["blanks"] = [{"id": b, "answers": list(q.blanks[b])} for b in q.blank_order()]
        out["case_sensitive"] = q.case_sensitive
    return out


def _head(bank: Bank, scorm: str | None, r: _Renderer, show_feedback: str) -> dict[str, Any]:
    """The player data but its questions and fingerprint."""
    index = {q.id: i for i, q in enumerate(bank.questions)}
    shown = {q.stimulus for q in bank.questions if q.stimulus}
    return {
        "format": DATA_FORMAT,
        "scorm": scorm,
        "id": bank.id,
        "version": bank.version,
        "title": bank.title,
        "description": r.html(bank.description),
        "language": bank.language,
        "passing_score": bank.settings.passing_score,
        "show_feedback": show_feedback,
        # Once each, however many questions show it.
        "stimuli": {s.id: {"title": s.title, "html": r.html(s.body)}
                    for s in bank.stimuli if s.id in shown},
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "pick": s.pick,
                "questions": [index[q.id] for q in s.questions],
            }
            for s in delivery_sections(bank)
        ],
    }


def _fingerprint(head: dict[str, Any], questions: _Lines) -> str:
    """The digest of the data's compact JSON (`_compact` of the head with its questions),
    hashed from the question lines without ever joining them: a large bank never holds
    that string. The player ignores suspend data saved by another version of the bank
    (quiz.js)."""
    marker = _compact([_SENTINEL])
    before, after = _compact({**head, "questions": [_SENTINEL]}).split(marker)
    hashed = questions.hashed(before).copy()
    hashed.update(b"]" + after)
    return hashed.hexdigest()


_SENTINEL = "\x00packager-questions\x00"
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_C_JSON = c_encoder(_JSON)


def _compact(value: object) -> bytes:
    """Compact UTF-8 JSON for the script; U+2028/2029 are legal in JSON but ended
    JavaScript string literals before ES2019."""
    text = _JSON.encode(value) if _C_JSON is None else "".join(_C_JSON(value, 0))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode("utf-8")


class _Lines:
    """Each question of the player data as one line of compact JSON, and the digest of
    what precedes them in the data and of them (`hashed`)."""

    def __init__(self, lines: list[bytes]) -> None:
        self.lines = lines
        self._hashed: dict[bytes, hashlib.blake2b] = {}

    def hashed(self, before: bytes) -> hashlib.blake2b:
        """blake2b of `before`, `[` and the lines joined by commas: kept for the next target
        of the bank, whose head differs only in keys that sort after "questions" (scorm,
        show_feedback), so before them it hashes the same: the bulk of the data."""
        hashed = self._hashed.get(before)
        if hashed is None:
            hashed = hashlib.blake2b(before + b"[", digest_size=4)
            for index, line in enumerate(self.lines):
                if index:
                    hashed.update(b",")
                hashed.update(line)
            self._hashed = {before: hashed}
        return hashed


# The question lines of the bank last built while `sharing()`: the targets that carry the
# player (Target.shares, "player") build them alike, and a build runs such targets of a bank
# one after another in one worker (release), so they are built once: a third of each job.
_SHARED: dict[tuple[int, tuple[tuple[str, str], ...]], tuple[Bank, _Lines]] | None = None


@contextmanager
def sharing() -> Iterator[None]:
    """Keep the question lines of one bank for the quiz data built within (see _SHARED)."""
    global _SHARED
    _SHARED = {}
    try:
        yield
    finally:
        _SHARED = None


def _question_lines(bank: Bank, media_paths: dict[str, str]) -> _Lines:
    """Each question of the player data as one line of compact JSON."""
    key = (id(bank), tuple(sorted(media_paths.items())))
    if _SHARED is not None and key in _SHARED:
        return _SHARED[key][1]
    r = _Renderer(media_paths)
    lines = _Lines([_compact(_question(bank, q, r)) for q in bank.questions])
    if _SHARED is not None:
        _SHARED.clear()  # one bank at a time
        _SHARED[key] = (bank, lines)  # the bank kept alive, so its id is not reused
    return lines


def quiz_data_pieces(
    bank: Bank, scorm: str | None, media_paths: dict[str, str], show_feedback: str | None = None
) -> list[bytes]:
    """quiz-data.js, everything the player needs (see quiz.js for how it is used), in pieces:
    one global assignment with stable bytes for the same bank, each question one line of it,
    so a large bank never holds its data as one dict, nor the script joined. `show_feedback`
    replaces the bank's setting (the practice quiz's)."""
    head = _head(bank, scorm, _Renderer(media_paths), show_feedback or bank.settings.show_feedback)
    lines = _question_lines(bank, media_paths)
    head["fingerprint"] = _fingerprint(head, lines)
    return _script_pieces(head, lines.lines)


def _script_pieces(head: dict[str, Any], questions: list[bytes]) -> list[bytes]:
    # json's C encoder runs only without indent (10,000 questions: 2 s -> 0.2 s); one question
    # per line keeps the file readable in reviews and diffs.
    header = (
        f"/* Generated by packager from the bank {head['id']} {head['version']}: "
        "the quiz player's data (see player.js). */\n"
    ).encode()
    pieces = [header, b"window.PACKAGER_QUIZ = ", _compact(head)[:-1], b',"questions":[\n']
    for index, line in enumerate(questions):
        if index:
            pieces.append(b",\n")
        pieces.append(line)
    pieces.append(b"\n]};\n")
    return pieces


def media_script(uris: dict[str, str]) -> bytes:
    """The single-file quiz's images: package path -> data: URI, as a global (see player.js)."""
    return b"window.PACKAGER_MEDIA = " + _compact(uris) + b";\n"


def asset_bytes(name: str) -> bytes:
    return (ASSETS_DIR / name).read_bytes()


def player_files(job: Job, scorm: str) -> dict[str, bytes | Chunks]:
    """Every file of the SCO: static assets, quiz-data.js (in pieces) and the media."""
    media_paths = package_media_paths(job.media)
    files: dict[str, bytes | Chunks] = {name: asset_bytes(name) for name in ASSETS}
    files[DATA_FILE] = Chunks(quiz_data_pieces(job.bank, scorm, media_paths))
    media = job.media_bytes()
    for href, path in media_paths.items():
        files[path] = media[href]
    return files
