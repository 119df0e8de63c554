"""Properties of the model, the canonical reader and the rich-text renderer on generated banks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from packager import richtext
from packager.model import Bank
from packager.readers import canonical
from packager.readers.base import Source
from packager.schema import SCHEMA_FILE, schemas_root
from tests.conftest import examples
from tests.properties.strategies import bank_dicts, bank_json_bytes, banks, markdown_texts

XML_FORBIDDEN = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff"


@pytest.fixture(scope="module")
def schema_validator():
    from jsonschema import Draft202012Validator

    schema = json.loads((schemas_root() / SCHEMA_FILE).read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _read(data: bytes) -> canonical.ReadResult:
    return canonical.read(Source("generated.json", data, Path("/nonexistent-bank-folder")))


def _errors(result: canonical.ReadResult) -> list[str]:
    return [d.format() for d in result.diagnostics if d.is_error]


def _parse_fragment(xhtml: str) -> etree._Element:
    return etree.fromstring(f"<div>{xhtml}</div>".encode())


@given(bank_dicts())
def test_generated_bank_dict_is_valid_for_jsonschema_alone(schema_validator, bank_dict):
    errors = [f"{e.json_path}: {e.message}" for e in schema_validator.iter_errors(bank_dict)]
    assert errors == []


@given(bank_dicts())
def test_generated_bank_json_reads_without_errors(bank_dict):
    result = _read(bank_json_bytes(bank_dict))
    assert _errors(result) == []
    assert result.bank is not None
    assert result.bank == Bank.model_validate(bank_dict)


@given(banks())
def test_bank_dump_then_read_gives_an_equal_bank(bank):
    dumped = bank.model_dump(mode="json", exclude_none=True)
    data = json.dumps(dumped, ensure_ascii=False, indent=1).encode("utf-8")
    result = _read(data)
    assert _errors(result) == []
    assert result.bank == bank
    # and the dump is a fixed point: dumping the re-read bank gives the same JSON
    assert result.bank.model_dump(mode="json", exclude_none=True) == dumped


@given(banks())
def test_bank_dump_with_nulls_and_ascii_escapes_reads_back_equal(bank):
    data = json.dumps(bank.model_dump(mode="json"), ensure_ascii=True).encode("ascii")
    result = _read(data)
    assert _errors(result) == []
    assert result.bank == bank


@given(banks())
def test_generated_bank_rich_text_renders_without_problems(bank):
    from packager.model.walk import rich_fields

    for pointer, _, text in rich_fields(bank):
        rendered = richtext.render(text)
        assert rendered.problems == (), f"{pointer}: {text!r}"
        assert rendered.media == ()
        _parse_fragment(rendered.xhtml)


# -- the renderer ---------------------------------------------------------------------------

_markdownish = st.lists(
    st.one_of(
        st.text(max_size=3),
        st.sampled_from(list("\\`*_[]<>&!#$|~\n\r\t -=+.:()\"'/")),
        st.sampled_from(["<b>", "</b>", "<script>", "<img src=", "&#7;", "&amp;", "$$",
                         "```", "| a |", "\n---\n", "![x](y.png)", "[[b]]", "<!--", "\\(",
                         "<table>", "<td>", "onclick=", "<div class=\"math\">"]),
    ),
    max_size=30,
).map("".join)


@given(_markdownish)
def test_render_never_raises_and_returns_well_formed_xhtml(text):
    rendered = richtext.render(text)
    root = _parse_fragment(rendered.xhtml)
    assert root.text is None or not root.text.strip(), "bare text outside a block element"


@given(st.text(st.characters(codec="utf-8", exclude_characters=XML_FORBIDDEN)))
def test_render_of_xml_safe_text_is_well_formed(text):
    _parse_fragment(richtext.render(text).xhtml)


@given(st.text(min_size=1).filter(lambda s: any(c in XML_FORBIDDEN for c in s)))
def test_render_reports_characters_xml_cannot_carry(text):
    rendered = richtext.render(text)
    _parse_fragment(rendered.xhtml)
    assert any("XML cannot carry" in p for _, p in rendered.problems)


@given(markdown_texts())
def test_render_of_generated_markdown_is_well_formed_and_clean(text):
    rendered = richtext.render(text)
    assert rendered.problems == ()
    _parse_fragment(rendered.xhtml)


_plain_candidates = st.text(
    st.characters(codec="utf-8", exclude_characters="\\`*_[]<>&!#$|~\n\r\t" + XML_FORBIDDEN),
    min_size=1,
)


@settings(max_examples=examples(300))
@given(_plain_candidates)
def test_render_fast_path_gives_the_same_xhtml_as_markdown(text):
    assert richtext.render(text).xhtml == richtext._render_full(text).xhtml


def test_render_fast_path_is_actually_taken_for_plain_text(monkeypatch):
    # If the fast path silently disappeared, the property above would compare full with full.
    calls = []
    monkeypatch.setattr(richtext, "_render_full", lambda text: calls.append(text))
    richtext.render.cache_clear()
    richtext.render("Just a plain sentence, with “quotes” and émoji ☕.")
    richtext.render.cache_clear()
    assert calls == []


@pytest.mark.parametrize(
    "text",
    ["café\u00a0", "\u00a0leading nbsp", "trailing\u2028", "\u3000ideographic", "x\u0085",
     "\u0085x", "a  b", "tab\u000bfree"[:3], "'quotes' and \"double\"", "שלום עולם", "🎉"],
)
def test_render_fast_path_matches_markdown_on_edge_whitespace(text):
    assert richtext.render(text).xhtml == richtext._render_full(text).xhtml
