"""The kind of a note on rich text (dropped or changed) is set where the note is made and
passed on by every reader as it is: it never follows the words of the message. The readers
decided it by looking for "dropped" in the message, so a struck-out word "dropped" made a
change a loss, and a reworded loss would have become a change."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from packager.readers import bbtext, gift, html_markdown_writer, moodle, qti12, qti21
from packager.readers.base import Source
from packager.readers.html_markdown import html_to_markdown
from packager.readers.noted import Noted
from tests.unit.readers.import_goldens import INPUTS
from tests.unit.readers.test_qti12 import _item

# Struck-out text is kept as plain text: a change, whatever the words struck out.
_STRUCK = '<span style="text-decoration: line-through">dropped</span>'
_STRUCK_NOTE = ("strikethrough (style text-decoration) is not kept: rich text has none; "
                "'dropped' now reads as plain text")


def _escaped(html: str) -> str:
    return html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;")


_SOURCES: list[tuple[ModuleType, str, bytes]] = [
    (moodle, "quiz.xml", ('<quiz><question type="essay"><name><text>Q</text></name>'
                          '<questiontext format="html"><text><![CDATA[<p>Say '
                          f"{_STRUCK} words</p>]]></text></questiontext></question></quiz>"
                          ).encode()),
    (bbtext, "quiz.txt", f"ESS\t<p>Say {_STRUCK} words</p>\tok\n".encode()),
    (gift, "quiz.gift", f"::q::[html]Say {_STRUCK} words{{}}\n".encode()),
    (qti12, "quiz.xml", _item("", "", "essay_question").replace(
        b"&lt;p&gt;Q?&lt;/p&gt;", _escaped(f"<p>Say {_STRUCK} words</p>").encode())),
    (qti21, "item.xml", (INPUTS / "qti21" / "numeric-tolerance.xml").read_bytes().replace(
        b"<p>How many", f"<p>{_STRUCK} How many".encode())),
]


@pytest.mark.parametrize(("reader", "name", "data"), _SOURCES,
                         ids=[reader.__name__.rpartition(".")[2] for reader, _, _ in _SOURCES])
def test_a_note_on_struck_text_is_a_change_whatever_the_words(
        reader: ModuleType, name: str, data: bytes) -> None:
    imported = reader.read(Source(name, data, Path(".")))
    assert [(note.kind, note.message) for note in imported.notes] == [("changed", _STRUCK_NOTE)]


def test_a_reworded_loss_stays_a_loss(monkeypatch: pytest.MonkeyPatch) -> None:
    """A link dropped, its note worded without "dropped": still a loss, in every reader."""
    monkeypatch.setattr(html_markdown_writer, "dropped_link",
                        lambda href: f"link to {href!r} left out")
    html = '<p>See <a href="ftp://example.org/x">the notes</a>.</p>'
    assert html_to_markdown(html, lambda src: None).notes == [
        Noted("dropped", "link to 'ftp://example.org/x' left out")]
    quiz = ('<quiz><question type="essay"><name><text>Q</text></name><questiontext '
            f'format="html"><text><![CDATA[{html}]]></text></questiontext></question></quiz>')
    imported = moodle.read(Source("quiz.xml", quiz.encode(), Path(".")))
    assert [(note.kind, note.message) for note in imported.notes] == [
        ("dropped", "link to 'ftp://example.org/x' left out")]
    imported = bbtext.read(Source("quiz.txt", f"ESS\t{html}\tok\n".encode(), Path(".")))
    assert [note.kind for note in imported.notes] == ["dropped"]


def test_each_note_of_the_conversion_has_the_kind_it_was_made_with() -> None:
    html = ('<p><u>Not</u> this: <script>x()</script><dl><dt>a</dt><dd>b</dd></dl>'
            '<img src="gone.png"></p>')
    assert html_to_markdown(html, lambda src: None).notes == [
        Noted("changed", "underline (<u>) is not kept: rich text has none"),
        Noted("dropped", "<script> dropped"),
        Noted("changed", "definition list written as paragraphs"),
        Noted("dropped", "image 'gone.png' dropped: not found in the source"),
    ]
