"""Moodle's emoticon filter and the bank's text (writers/moodle_emoticons.py).

`moodle_filter` follows filter/emoticon/classes/text_filter.php (replace_emoticons): the text
split at <span>, <script> and <pre> tags, the zones a nolink span, a script or a pre opens
skipped, every shortcut replaced with an image elsewhere (attributes of other tags included).
"""

from __future__ import annotations

import re
from pathlib import Path

from packager.model import Bank
from packager.pipeline import LoadedBank, export
from packager.readers import gift as gift_reader
from packager.readers.base import Source
from packager.writers.moodle_emoticons import SHORTCUTS, without_emoticons
from tests.conftest import make_ctx

_IMAGE = '<img class="icon emoticon" alt="x" src="s">'
_ZONES = re.compile(r"(</?(?:span|script|pre)[^>]*>)", re.I | re.S)
_EXCLUDED = [re.compile(p, re.I | re.S) for p in
             (r"^<script", r'^<span[^>]+class="nolink[^"]*"', r"^<pre")]


def moodle_filter(text: str) -> str:
    result, exclude = [], 0
    for fragment in (f for f in _ZONES.split(text) if f):
        if exclude == 0 and any(p.search(fragment) for p in _EXCLUDED):
            exclude += 1
        if exclude > 0:
            if any(end in fragment for end in ("</span", "</script", "</pre")):
                exclude -= 1
                if exclude == 1:
                    exclude -= 1
            elif any(start in fragment for start in ("<span", "<script", "<pre")):
                exclude += 1
        elif "<span" not in fragment or "</span" not in fragment:
            for shortcut in SHORTCUTS:
                fragment = fragment.replace(shortcut, _IMAGE)
        result.append(fragment)
    return "".join(result)


def test_the_filter_draws_what_is_not_protected() -> None:
    """The emulation can fail: the raw text gets images, in prose and in code."""
    assert moodle_filter("<p>O(n) and <code>f(y)</code></p>").count("<img") == 2


def test_each_shortcut_is_kept_as_text_in_prose_code_and_links() -> None:
    xhtml = ('<p>Linear search is O(n) :) and <code>g(h)</code>; binary O(log n). '
             '<a href="https://e.org/x_(n)">f(y)</a> ( ) <strong>8-)</strong></p>')
    written = without_emoticons(xhtml)
    assert "<img" not in moodle_filter(written)
    assert written == (
        '<p>Linear search is O<span class="nolink">(n)</span> <span class="nolink">:)</span> '
        'and <code>g<span class="nolink">(h)</span></code>; binary O(log n). '
        '<a href="https://e.org/x_%28n%29">f<span class="nolink">(y)</span></a> '
        '<span class="nolink">( )</span> <strong><span class="nolink">8-)</span></strong></p>')


def test_every_default_shortcut_is_protected() -> None:
    xhtml = "<p>" + " | ".join(f"a{s}b" for s in SHORTCUTS) + "</p>"
    assert "<img" in moodle_filter(xhtml)
    assert "<img" not in moodle_filter(without_emoticons(xhtml))


def test_text_the_filter_skips_or_a_span_cannot_hold_is_left_as_it_is() -> None:
    for xhtml in [
        "<pre><code>f(y) :)</code></pre>",
        '<p><span class="nolink">(n)</span></p>',
        '<p><math xmlns="http://www.w3.org/1998/Math/MathML"><mtext>(n)</mtext></math></p>',
        "<p>no shortcut here (none)</p>",
    ]:
        assert without_emoticons(xhtml) == xhtml


def _bank() -> LoadedBank:
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "emo", "title": "Emo",
        "questions": [{
            "id": "q1", "type": "single_choice", "prompt": "Linear search takes which time?",
            "choices": [{"id": "a", "text": "O(n)", "correct": True},
                        {"id": "b", "text": "O(log n)"}],
            "explanation": "It looks at each of the `(n)` items in turn :)",
        }],
    })
    return LoadedBank(bank, Source("emo.json", b"", Path(".")), ())


def test_moodle_xml_keeps_the_shortcuts_as_text() -> None:
    text = export(_bank(), "moodle", make_ctx()).data.decode("utf-8")
    assert '<![CDATA[<p>O<span class="nolink">(n)</span></p>]]>' in text
    assert ('<code><span class="nolink">(n)</span></code> items in turn '
            '<span class="nolink">:)</span>') in text
    for html in re.findall(r"<!\[CDATA\[(.*?)\]\]>", text, re.S):
        assert "<img" not in moodle_filter(html)


def test_gift_writes_a_question_with_a_shortcut_as_html_and_reads_it_back() -> None:
    """A plain question in Moodle's auto-format could hold no span: it is written [html]."""
    data = export(_bank(), "gift", make_ctx()).data
    text = data.decode("utf-8")
    assert "::q1::[html]<p>Linear search takes which time?</p>{" in text
    assert '=<p>O<span class\\="nolink">(n)</span></p>' in text
    (q,) = gift_reader.read(Source("emo.gift", data, Path("."))).bank.questions
    assert [c.text for c in q.choices] == ["O(n)", "O(log n)"]
    assert q.explanation == "It looks at each of the `(n)` items in turn :)"


def test_a_blank_named_like_a_shortcut_stays_a_blank() -> None:
    """Fuzz run 31 (round trip): a blank named `8-o` (surprise) was wrapped in its marker,
    `[[<span>8-o</span>]]`, and the cloze code never replaced it: the blank was lost."""
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "emo", "title": "Emo",
        "questions": [{"id": "q", "type": "fill_in_blanks", "prompt": "Type [[8-o]] now 8-o",
                       "blanks": {"8-o": ["coffee"]}}],
    })
    loaded = LoadedBank(bank, Source("emo.json", b"", Path(".")), ())
    text = export(loaded, "moodle", make_ctx()).data.decode("utf-8")
    assert ('Type {1:SHORTANSWER:%100%coffee} now <span class="nolink">8-o</span>' in text)
    gift = export(loaded, "gift", make_ctx()).data.decode("utf-8")
    assert "Type {\n=coffee\n} now" in gift.replace("\\", "")
