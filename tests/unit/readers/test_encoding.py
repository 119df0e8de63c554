"""Text sources in UTF-8, or UTF-16/32 with a byte-order mark; anything else refused, located."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from packager import importing
from packager.readers.base import Source
from packager.readers.encoding import head_text, holds, not_text, text_of
from tests.conftest import ROOT

SEED = ROOT.parent / "shared" / "seeds" / "000_20f52c0d510a6e29.txt"
GIFT = "// a comment\n::Q1:: The capital of France is {=Paris ~Lyon ~Nice}\n"
AIKEN = "Où est la tour Eiffel ?\nA. Paris\nB. Lyon\nANSWER: A\n"
BBTEXT = "TF\tLa Seine traverse Paris.\ttrue\n"
ENCODINGS = ["utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]


def _encoded(text: str, encoding: str) -> bytes:
    """The text with the byte-order mark Notepad or Excel writes first."""
    marks = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
             "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}
    return marks.get(encoding, b"") + text.encode(encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_marked_text_reads_as_its_encoding(encoding: str) -> None:
    text = "Café ’quoted’ — 📈\r\nsecond line"
    assert text_of(_encoded(text, encoding)) == text
    assert head_text(_encoded(text, encoding)[:17]).startswith("Caf")


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(("text", "reader"), [
    (SEED.read_text(encoding="utf-8"), "text"),
    (GIFT, "gift"), (AIKEN, "aiken"), (BBTEXT, "bbtext"),
])
def test_every_text_format_is_told_and_read_whatever_its_mark(
    encoding: str, text: str, reader: str
) -> None:
    """As Excel's "Unicode Text" or Notepad's "UTF-16" save it: the same bank as UTF-8."""
    plain = importing.read(Source("q.txt", text.encode("utf-8"), Path()), reader).bank
    source = Source("q.txt", _encoded(text, encoding), Path())
    assert importing.detect(source) == reader
    assert importing.read(source, reader).bank == plain


def test_a_byte_that_is_not_utf8_is_located_by_line_and_character() -> None:
    data = "line one\nnaïve ’ok’ caf".encode() + b"\xe9 au lait\n"
    with pytest.raises(UnicodeDecodeError) as caught:
        text_of(data)
    problem = not_text(data, caught.value, "q.txt", "E-X")
    assert (problem.code, problem.file, problem.line, problem.column) == ("E-X", "q.txt", 2, 15)
    assert problem.message == (
        "not valid UTF-8 (byte 0xe9); the file looks saved as Windows-1252 (\"ANSI\"), where "
        "that byte is 'é'"
    )
    assert problem.hint is not None and "UTF-8" in problem.hint


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_its_mark_is_named_not_taken_for_windows_1252(encoding: str) -> None:
    """Every other byte of such a file is NUL: it was named Windows-1252 at its first é."""
    data = "1. Which café is open?\nA) Café Rouge\nB) Chez Léon\nAnswer: A\n".encode(encoding)
    with pytest.raises(UnicodeDecodeError) as caught:
        text_of(data)
    problem = not_text(data, caught.value, "q.txt", "E-X")
    kind = encoding.upper().replace("-16-", "-16")
    assert problem.message == (f"saved as {kind} without a byte-order mark: this "
                               "file must be UTF-8 (or UTF-16 with its mark)")
    assert problem.hint is not None and "UTF-8" in problem.hint


def test_windows_1252_is_named_only_when_the_file_reads_as_it() -> None:
    data = b"caf\xe9 \x81"  # 0x81 is undefined in Windows-1252
    with pytest.raises(UnicodeDecodeError) as caught:
        text_of(data)
    assert not_text(data, caught.value, "q.txt", "E-X").message == "not valid UTF-8 (byte 0xe9)"


def test_a_marked_text_that_breaks_its_encoding_says_which() -> None:
    data = codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8"  # a lone surrogate
    with pytest.raises(UnicodeDecodeError) as caught:
        text_of(data)
    assert not_text(data, caught.value, "q.txt", "E-X").message.startswith(
        "not valid UTF-16 (")


def test_a_json_bank_saved_as_utf16_is_refused_naming_it() -> None:
    from packager.readers import canonical

    data = _encoded('{"format": "packager.question-bank/1"}', "utf-16-le")
    (problem,) = canonical.read(Source("bank.json", data, Path())).diagnostics
    assert (problem.code, problem.message) == (
        "E-ENCODING", "saved as UTF-16: this file must be UTF-8")


def test_a_moodle_xml_file_saved_as_utf16_is_told_and_read() -> None:
    xml = ('<?xml version="1.0" encoding="UTF-16"?>\n<!-- exported -->\n<quiz>'
           '<question type="truefalse"><name><text>T</text></name>'
           '<questiontext format="html"><text>Paris is in France — café</text></questiontext>'
           '<answer fraction="100"><text>true</text></answer>'
           '<answer fraction="0"><text>false</text></answer></question></quiz>')
    source = Source("q.xml", _encoded(xml, "utf-16-le"), Path())
    assert importing.detect(source) == "moodle"
    (question,) = importing.read(source, "moodle").bank.questions
    assert question.prompt == "Paris is in France — café"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_its_mark_that_is_valid_utf8_is_refused_naming_it(encoding: str) -> None:
    """ASCII and ’ (0x19 0x20) in UTF-16 are valid UTF-8 bytes, NULs among them: the seed saved
    so was read as one question without options."""
    data = SEED.read_text(encoding="utf-8").replace("'", "’").encode(encoding)
    with pytest.raises(UnicodeDecodeError) as caught:
        text_of(data)
    kind = encoding.upper().replace("-16-", "-16")
    assert not_text(data, caught.value, "q.txt", "E-X").message == (
        f"saved as {kind} without a byte-order mark: this file must be UTF-8 (or UTF-16 with "
        "its mark)")


def test_a_json_bank_or_config_in_utf16_without_its_mark_must_be_utf8(tmp_path: Path) -> None:
    from packager import config
    from packager.errors import InputError
    from packager.readers import canonical

    data = '{"format": "packager.question-bank/1"}'.encode("utf-16-le")
    (problem,) = canonical.read(Source("bank.json", data, Path())).diagnostics
    assert (problem.code, problem.message) == (
        "E-ENCODING", "saved as UTF-16LE without a byte-order mark: this file must be UTF-8")
    toml = tmp_path / "packager.toml"
    toml.write_bytes('banks = ["content/*.json"]\n'.encode("utf-16-le"))
    with pytest.raises(InputError) as caught:
        config.load_config(toml, tmp_path)
    assert str(caught.value).endswith(
        "saved as UTF-16LE without a byte-order mark: this file must be UTF-8")


@settings(max_examples=3000, deadline=None)
@given(st.binary(max_size=40), st.sampled_from(
    [b"{%", b"<!--", b"...", b"\n>", b"[A]", b".)", b"Type:", b"\\", b"(", b"*", b"?", b"x", b"\n",
     b"!!!", b"<div", b"~~~", b"\n >", b"-alpha"]))
def test_holds_as_in_does(data: bytes, sign: bytes) -> None:
    assert holds(data, sign) == (sign in data)
    assert holds(data + sign + data, sign)
