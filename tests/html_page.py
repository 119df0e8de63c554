"""The single-file HTML quiz (packager/packages/html.py) read back: its inline blocks."""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from tests.conftest import ROOT

PLAYER = ROOT / "packager" / "packages" / "player"
# The player's static files the page carries inline (index.html is its skeleton).
INLINED = ("style.css", "quiz.js", "lms.js", "player.js")


def parse(page: bytes) -> etree._Element:
    parser = lxml_html.HTMLParser(no_network=True)
    root = lxml_html.document_fromstring(page, parser=parser)
    assert not parser.error_log, [str(e) for e in parser.error_log]
    return root


def elide_player(page: bytes) -> bytes:
    """The page with each static player file, checked to be inlined verbatim, replaced by its
    name: a golden keeps what the target generates, not another copy of the player."""
    from packager.writers.html import serialize

    root = parse(page)
    found = []
    for block in root.iter("script", "style"):
        for name in INLINED:
            if block.text == (PLAYER / name).read_text(encoding="utf-8"):
                block.text = f"/* packager/packages/player/{name}, inlined verbatim */"
                found.append(name)
    assert sorted(found) == sorted(INLINED), f"the page inlines {found} of the player's files"
    return serialize(root)
