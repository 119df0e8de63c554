"""Target `html`: one self-contained HTML page per bank, a practice quiz with no LMS.

It is the SCORM quiz player (packages/player.py and player/) in one file: the same page,
scripts, styles and data, inlined by writers/html.py, with the images as data: URIs. It opens
from a USB stick or an e-mail attachment, talks to no LMS (lms.js's standalone mode) and, as
a practice quiz, grades each answer when it is checked and shows the explanation.
"""

from __future__ import annotations

import base64
import io

from packager.capabilities import Feature, FidelityNote, Loss
from packager.media_types import sniff
from packager.model import Bank
from packager.packages import player
from packager.packages.base import Job, Output
from packager.writers import html as writer

NAME = "html"
SPEC = "HTML Living Standard (WHATWG), one self-contained page, https://html.spec.whatwg.org/"
EXTENSION = "html"
LOSSES: dict[Feature, Loss] = {
    Feature.ESSAY: Loss(
        "changed",
        "essays are shown with their sample answer and rubric once checked, but not scored; "
        "they count for nothing in the quiz score",
    ),
    **player.NOT_SHOWN,
}

_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WebP": "image/webp"}


# The practice quiz's feedback: after each checked answer, whatever the bank's setting.
FEEDBACK = "immediately"


def extra_fidelity(bank: Bank) -> list[FidelityNote]:
    notes = player.player_notes(bank)
    if bank.settings.show_feedback != FEEDBACK:
        notes.append(FidelityNote(
            None, "show_feedback", "changed",
            f"the practice quiz shows feedback and the explanation after each checked answer; "
            f"the bank's show_feedback {bank.settings.show_feedback!r} applies to LMS packages",
        ))
    return notes


def _data_uri(data: bytes) -> str:
    kind = sniff(data)
    assert kind is not None  # validated media are images of one of these kinds
    return f"data:{_MIME[kind]};base64,{base64.b64encode(data).decode('ascii')}"


def page(data: list[bytes], title: str, language: str) -> list[bytes]:
    """The quiz page, in pieces (writer.page), for the player's data script (quiz-data.js
    and the media table, in pieces: the data of 10,000 questions is 30 MB, joined once,
    here)."""
    files = {name: player.asset_bytes(name) for name in player.ASSETS}
    # Inline script text is raw: "</script>" in a question would end the block. JSON outside
    # strings has no "<", and in a string (or the header comment) \u003c is the same text.
    # Each piece escaped as it is joined, never all at once: a list of them beside the joined
    # text held the data twice more (10k bench bank: the build's peak, +54 MB in its job).
    # BytesIO hands its buffer over without a copy.
    joined = io.BytesIO()
    for index, piece in enumerate(data):
        joined.write(piece.replace(b"<", b"\\u003c"))
        data[index] = b""
    data.clear()
    files[player.DATA_FILE] = joined.getvalue()
    return writer.page(player.asset_bytes(player.LAUNCH), files, title=title, language=language)


def build(job: Job) -> Output:
    bank = job.bank
    paths = player.package_media_paths(job.media)
    media = job.media_bytes()
    uris = {path: _data_uri(media[href]) for href, path in paths.items()}
    data = player.quiz_data_pieces(bank, None, paths, show_feedback=FEEDBACK)
    data.append(player.media_script(uris))
    del media, uris
    output = Output(single_file=True)
    output.add_chunks(f"{bank.id}.html", page(data, bank.title, bank.language))
    return output
