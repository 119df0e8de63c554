"""What the QTI 2.1 and QTI 3.0 writers share: identifiers, package paths, numbers, titles,
and the documents a package holds.

The scoring plan is qti_plan.py's, its rules qti_rules.py's, rich text qti_richtext.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import quote

from lxml import etree

from packager.model import Bank, Question, Stimulus
from packager.model.ids import digest, ncname
from packager.model.invariants import BLANK_MARKER
from packager.relpath import id_file_name
from packager.richtext_plain import plain_text

# Outcome, response and feedback identifiers (the conventional QTI names).
RESPONSE = "RESPONSE"
SCORE = "SCORE"
MAXSCORE = "MAXSCORE"
PASS = "PASS"
FEEDBACK = "FEEDBACK"  # multiple identifier: conditional feedback set by response processing
FEEDBACKMODAL = "FEEDBACKMODAL"  # single identifier, default EXPLANATION: always shown
EXPLANATION = "EXPLANATION"
CORRECT = "CORRECT"
INCORRECT = "INCORRECT"

MEDIA_FOLDER = "media"


# ---------------------------------------------------------------- identifiers and paths


def item_identifier(bank: Bank, q: Question) -> str:
    return _joined(bank.id, q.id)


@lru_cache(maxsize=131072)
def _joined(bank_id: str, question_id: str) -> str:
    return ncname("", bank_id, question_id)


def item_href(q: Question) -> str:
    return f"items/{id_file_name(q.id, '.xml')}"


def stimulus_identifier(bank: Bank, s: Stimulus) -> str:
    return ncname("stimulus-", bank.id, s.id)


def stimulus_href(s: Stimulus) -> str:
    return f"stimuli/{id_file_name(s.id, '.xml')}"


def test_identifier(bank: Bank) -> str:
    return ncname("test-", bank.id)


def test_href(bank: Bank) -> str:
    return id_file_name(bank.id, ".xml")


def part_identifier(bank: Bank) -> str:
    return ncname("part-", bank.id)


def section_identifier(section_id: str) -> str:
    return ncname("section-", section_id)


@lru_cache(maxsize=131072)
def choice_identifier(choice_id: str) -> str:
    return ncname("c-", choice_id)


@lru_cache(maxsize=131072)
def source_identifier(prompt: str) -> str:
    return ncname("p-", digest(prompt, size=4))


@lru_cache(maxsize=131072)
def target_identifier(match: str) -> str:
    return ncname("m-", digest(match, size=4))


@lru_cache(maxsize=131072)
def order_identifier(item: str) -> str:
    return ncname("o-", digest(item, size=4))


@lru_cache(maxsize=131072)
def blank_response(blank_id: str) -> str:
    return ncname(f"{RESPONSE}-", blank_id)


@lru_cache(maxsize=131072)
def feedback_identifier(choice_ident: str) -> str:
    return ncname("FB-", choice_ident)


@lru_cache(maxsize=131072)
def media_path(href: str) -> str:
    """Where a bank media file goes in a package: under media/ (kept as is when already there)."""
    posix = str(PurePosixPath(href))
    return posix if posix.startswith(f"{MEDIA_FOLDER}/") else f"{MEDIA_FOLDER}/{posix}"


def url(path: str) -> str:
    """A package path as a URL reference (a media file named `50%.png` is `50%25.png`)."""
    return quote(path, safe="/")


def relative_href(from_document: str, to_path: str) -> str:
    """A relative URL from one package file to another (both package paths)."""
    depth = from_document.count("/")
    return "../" * depth + to_path


def fmt_number(value: float) -> str:
    """A float as QTI writes it: integers without '.0', others in shortest round-trip form."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def item_title(q: Question) -> str:
    if q.title:
        return q.title
    return _title_of(q.prompt)


@lru_cache(maxsize=131072)
def _title_of(prompt: str) -> str:
    first_paragraph = prompt.strip().split("\n\n", 1)[0]
    text = BLANK_MARKER.sub("___", plain_text(first_paragraph))
    return text if len(text) <= 80 else text[:79].rstrip() + "…"


# ---------------------------------------------------------------- documents


@dataclass(frozen=True)
class Document:
    """One XML document of a QTI package, with what its manifest resource needs to say."""

    href: str  # package path, e.g. "items/q1.xml"
    build: Callable[[], etree._Element]  # the tree, built when the package writes it
    schema: str  # XSD key (packager/xsd.py)
    kind: str  # "item" | "test" | "stimulus"
    identifier: str
    title: str
    media: tuple[str, ...] = ()  # package paths of media files it shows
    depends: tuple[str, ...] = ()  # package paths of documents it refers to
    interaction: str | None = None
    keywords: tuple[str, ...] = ()
    feedback: bool = False  # has modal feedback
    # Its tree is a working copy that the next document built of its package reuses
    # (qti_build.Workbench): serialize it before building another.
    reused: bool = False

    @property
    def root(self) -> etree._Element:
        """The document's tree, built on each access (a package builds it once, late)."""
        return self.build()


