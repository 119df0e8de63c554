"""`validate` renders only the texts that may hold a problem (richtext_screening.may_have_problems).

The premise: a text the model accepts (no character XML cannot carry, not blank) that the
predicate passes over renders with no problem, no warning and no media. It is tried on
Markdown made of every construct the engine knows here except those the predicate looks for,
and on the hostile catalogue, where it must never pass over a text that render() reports
something about.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from packager import render_pool
from packager.richtext import render
from packager.richtext_screening import may_have_problems
from packager.xml.chars import XML_FORBIDDEN
from tests.conftest import examples
from tests.properties.test_hostile_richtext import FRAGMENTS

# Markdown without raw HTML, links, images, references, math or dollars: emphasis, headings
# (ATX and setext), lists, quotes, rules, code (fenced, indented, inline), tables, hard
# breaks, entity names, unusual white space, punctuation the engine reads.
CONSTRUCTS = [
    "word", "Ünïcødé ✓ 😀", " ", "  \n", "\n", "\n\n", "\r\n", "\t", "    ", "\u00a0", "\u3000",
    "\u0085", "*", "**", "_", "__", "~", "~~", "`", "``", "```", "```python\n", "~~~\n", "#",
    "# ", "###### ", "=", "===", "-", "- ", "+ ", "* ", "1. ", "1) ", "0. ", "> ", ">", "---",
    "***", "|", "| a | b |\n|---|:-:|\n| 1 | 2 |\n", ":", "!", "]", ")", "(", "{", "}", "&",
    "&amp;", "&copy;", "&nbsp;", "&bogus;", "#top", "'", '"', "/", "https://example.com",
    "www.example.com", "mailto:a@b.c", "javascript:alert(1)", "{#id}", "^", "%",
]


def _accepted(text: str) -> bool:
    """What the model lets through to the checks (model/types.py _xml_safe)."""
    return XML_FORBIDDEN.search(text) is None and bool(text) and not text.isspace()


safe_markdown = (
    st.lists(st.sampled_from(CONSTRUCTS), min_size=1, max_size=20)
    .map("".join)
    .filter(lambda text: _accepted(text) and not may_have_problems(text))
)
hostile = (
    st.lists(st.sampled_from(FRAGMENTS + CONSTRUCTS), min_size=1, max_size=14)
    .map("".join)
    .filter(_accepted)
)


def _clean(text: str) -> bool:
    rendered = render(text)
    return not rendered.problems and not rendered.warnings and not rendered.media


@settings(max_examples=examples(500), deadline=None)
@given(safe_markdown)
def test_text_without_what_may_fail_renders_without_problems(text: str) -> None:
    assert _clean(text), (text, render(text))


@settings(max_examples=examples(500), deadline=None)
@given(hostile)
def test_every_text_with_a_problem_is_a_suspect(text: str) -> None:
    assert may_have_problems(text) or _clean(text), (text, render(text))


def test_the_predicate_is_no_blanket() -> None:
    """It passes over most real prose (else validate gains nothing) and flags what fails."""
    assert not may_have_problems("**Why:** the *second* option\n\n- keeps\n- costs less")
    assert not may_have_problems("R&D costs rose; see the table.\n\n| a |\n|---|\n| 1 |")
    for text in ("<b>x</b>", "[x](javascript:y)", "![i](a.png)", "$x$", "\\(x\\)", "&#0;",
                 "costs $5"):
        assert may_have_problems(text), text


def test_what_the_predicate_leaves_to_the_model_is_refused_by_it() -> None:
    """Blank text and characters XML cannot carry are not looked for: the model refuses them
    before any check renders a text."""
    from pydantic import TypeAdapter, ValidationError

    from packager.model.types import RichText

    for text in (" ", "", "a\x07b", "\ud800", "\uffff", "x\x0b"):
        assert not may_have_problems(text)
        try:
            TypeAdapter(RichText).validate_python(text)
        except ValidationError:
            continue
        raise AssertionError(f"the model accepted {text!r}")


# Nesting deeper than a package keeps, without any character the other clauses look for:
# render() reports it, so the predicate must not pass over it (validate said nothing, export
# failed on it).
DEEP = [
    ">" * 300 + " quoted",
    "- " * 140 + "listed",
    "".join("  " * i + "- a\n" for i in range(140)),
    "1. " * 140 + "numbered",
    "*x " * 260 + "y" + "*" * 260,
]


def test_text_nested_too_deep_is_not_passed_over() -> None:
    for text in DEEP:
        assert render(text).problems, text[:40]
        assert may_have_problems(text), text[:40]


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(["> ", ">", "- ", "* ", "+ ", "1. ", "  ", "\n", "*", "_",
                                 "word "]), min_size=100, max_size=400).map("".join))
def test_structure_heavy_text_is_passed_over_only_when_it_renders_clean(text: str) -> None:
    if _accepted(text) and not may_have_problems(text):
        assert _clean(text), text[:80]


@settings(max_examples=examples(500), deadline=None)
@given(hostile)
def test_a_text_the_worker_leaves_unmarked_is_one_the_check_would_leave(text: str) -> None:
    """validate's worker parses the bank file's UTF-8 as Latin-1 and marks the questions with
    a string may_have_problems wants; the check screens only those (render_pool.join_found).
    Where it trusts the narrow string's "no" (_surely_unwanted), the text must say no too."""
    narrow = text.encode("utf-8").decode("latin-1")
    if not may_have_problems(narrow) and render_pool._surely_unwanted(narrow, may_have_problems):
        assert not may_have_problems(text), text
