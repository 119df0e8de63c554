"""The player's copy of the allow-lists (player.js) equals the sanitiser's, so the second line
of defence neither drops what the first one allows nor lets through what it refuses."""

from __future__ import annotations

import re

from packager.mathml import ATTRIBUTES, ELEMENTS
from packager.packages.player import ASSETS_DIR
from packager.richtext_allowed import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, COMMON_ATTRIBUTES

SOURCE = (ASSETS_DIR / "player.js").read_text(encoding="utf-8")
INDEX = (ASSETS_DIR / "index.html").read_text(encoding="utf-8")


def _words(name: str) -> set[str]:
    found = re.search(rf'var {name} = words\("([^"]*)"\);', SOURCE)
    assert found, name
    return set(found.group(1).split())


def test_element_lists_match():
    assert _words("HTML_TAGS") == set(ALLOWED_TAGS)
    assert _words("MATH_TAGS") == set(ELEMENTS)
    assert _words("MATH_ATTRS") == set(ATTRIBUTES)


def test_html_attribute_lists_match():
    block = re.search(r"var HTML_ATTRS = \{(.*?)\};", SOURCE, re.S)
    assert block
    pairs = re.findall(r'("\*"|\w+): words\("([^"]*)"\)', block.group(1))
    found = {key.strip('"'): set(value.split()) for key, value in pairs}
    assert found.pop("*") == set(COMMON_ATTRIBUTES)
    assert found == {k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()}


def test_no_rich_text_reaches_inner_html():
    assert "innerHTML" not in SOURCE.replace("never reaches innerHTML", "")
    for name in ("lms.js", "quiz.js"):
        assert "innerHTML" not in (ASSETS_DIR / name).read_text(encoding="utf-8")


def test_the_player_declares_a_content_security_policy():
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', INDEX)
    assert policy
    directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";") if d.strip())
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in policy.group(1)
