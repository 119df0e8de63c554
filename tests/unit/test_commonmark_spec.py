"""The Markdown engine (pyromark, with packager's options: pipe tables and math) against the
652 examples of the CommonMark spec 0.31.2, read from the npm package commonmark-spec
(package.json; `make test` installs it, no network at test time).

The engine must give the spec's HTML on every example but those in ACCEPTED, and the accepted
ones must still differ (an engine that learns them should shorten the list). packager's own
pipeline must turn every example into well-formed XHTML or located problems, never an
exception.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from lxml import etree

from packager.richtext import render
from packager.richtext_dollars import options
from tests.conftest import ROOT

SPEC = ROOT / "node_modules" / "commonmark-spec" / "spec.txt"

# Example number → why the engine's HTML differs from the spec's.
ACCEPTED = {
    175: "a raw HTML block opening a list item: pulldown-cmark writes no line break between "
    "<li> and the block (white space only; packager drops it from the tree anyway)",
}


@lru_cache(maxsize=1)
def _examples() -> list[tuple[int, str, str, str]]:
    """(number, section, markdown, html), parsed as the package's index.js parses spec.txt."""
    if not SPEC.is_file():
        pytest.fail(f"{SPEC} is missing: run `npm ci` (or `make test`) in {ROOT}")
    text = SPEC.read_text(encoding="utf-8").replace("\r\n", "\n")
    text = re.sub(r"^<!-- END TESTS -->[\s\S]*", "", text, flags=re.M)
    examples: list[tuple[int, str, str, str]] = []
    section = ""
    pattern = r"^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$|^#{1,6} *(.*)$"
    for match in re.finditer(pattern, text, flags=re.M):
        if match.group(3) is not None:
            section = match.group(3)
            continue
        markdown, html = (g.replace("→", "\t") for g in match.group(1, 2))
        examples.append((len(examples) + 1, section, markdown, html))
    return examples


def _same(html: str) -> str:
    # A quote in text may be written " or &quot;: the spec writes the entity, the engine not.
    return html.replace("&quot;", '"')


def test_the_spec_has_all_its_examples():
    assert len(_examples()) == 652


def test_the_engine_gives_the_spec_html_except_the_accepted_differences():
    import pyromark

    differ = {
        number: section
        for number, section, markdown, html in _examples()
        if _same(pyromark.html(markdown, options=options())) != _same(html)
    }
    assert set(differ) == set(ACCEPTED), {n: differ.get(n) for n in set(differ) ^ set(ACCEPTED)}


def test_every_spec_example_renders_to_xhtml_or_problems():
    for number, _section, markdown, _html in _examples():
        rendered = render(markdown)
        etree.fromstring(f"<div>{rendered.xhtml}</div>")  # well-formed, whatever it holds
        if not rendered.problems and markdown.strip():
            assert rendered.xhtml, number
