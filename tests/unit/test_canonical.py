"""packager.readers.canonical: the collector paused while a bank loads; the schema read only where
the model refused; diagnostics located at the values they name."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from packager.diagnostics import Diagnostic
from packager.readers import canonical, canonical_schema
from packager.readers.base import Source

GOOD = b"""{"format": "packager.question-bank/1", "id": "b", "title": "B",
 "questions": [{"id": "q", "type": "text", "prompt": "Read"}]}"""


def _source(data: bytes) -> Source:
    return Source(name="b.json", data=data, base_dir=Path("."))


@pytest.fixture
def gc_state() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("data", [GOOD, b"{", b'{"a": 1, "a": 2}', b"\xff", b'{"format": 1}'])
def test_read_restores_an_enabled_collector(gc_state: None, data: bytes):
    gc.enable()
    canonical.read(_source(data))
    assert gc.isenabled()


def test_read_leaves_a_disabled_collector_disabled(gc_state: None):
    gc.disable()
    result = canonical.read(_source(GOOD))
    assert result.bank is not None
    assert not gc.isenabled()


def test_collector_is_paused_during_the_load(gc_state: None, monkeypatch: pytest.MonkeyPatch):
    seen: list[bool] = []
    real = canonical._model_from_data

    def spy(*args: object) -> object:
        seen.append(gc.isenabled())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(canonical, "_model_from_data", spy)
    gc.enable()
    canonical.read(_source(GOOD))
    assert seen == [False]
    assert gc.isenabled()


def test_collector_restored_when_the_load_raises(gc_state: None, monkeypatch: pytest.MonkeyPatch):
    def boom(*args: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(canonical, "_model_from_data", boom)
    gc.enable()
    with pytest.raises(RuntimeError):
        canonical.read(_source(GOOD))
    assert gc.isenabled()


# -- only the refused questions are checked against the schema; pointers followed one by one

BROKEN = Path(__file__).resolve().parents[1] / "fixtures" / "broken"


def _full_and_flagged(data: object, source: Source) -> tuple[list[object], list[object]]:
    located = canonical.Located(source, data)
    bank, _, refusal = canonical._model_from_data(data, located)
    assert bank is None and refusal is not None

    def ordered(diagnostics: list[Diagnostic]) -> list[tuple[object, ...]]:
        # As the pipeline orders them (pipeline._check): by where they are.
        return sorted((d.line or 0, d.column or 0, d.pointer, d.message) for d in diagnostics)

    return (
        ordered(canonical_schema.schema_diagnostics(data, canonical.Located(source, data))),
        ordered(canonical_schema.schema_diagnostics(data, canonical.Located(source, data),
                                             refusal.flagged)),
    )


def _refused_by_the_model() -> list[Path]:
    """The broken banks the model refuses (the others fail JSON or a rule of meaning)."""
    import json

    refused = []
    for path in sorted(BROKEN.glob("*.json")):
        try:
            data = json.loads(path.read_bytes().decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            continue
        located = canonical.Located(_source(path.read_bytes()), data)
        if canonical._model_from_data(data, located)[0] is None:
            refused.append(path)
    return refused


@pytest.mark.parametrize("path", _refused_by_the_model(), ids=lambda p: p.stem)
def test_the_refused_questions_alone_give_the_schema_diagnostics_of_the_whole_bank(path: Path):
    import json

    source = _source(path.read_bytes())
    data = json.loads(source.data.decode("utf-8-sig"))
    full, flagged = _full_and_flagged(data, source)
    assert flagged == full


def _many_questions(bad: set[int], count: int = 300) -> bytes:
    import json

    questions = [
        {"id": f"q{i}", "type": "single_choice", "prompt": f"Which {i}?",
         "points": -1 if i in bad else 1,
         "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}]}
        for i in range(count)
    ]
    bank = {"format": "packager.question-bank/1", "id": "b", "title": "B", "questions": questions}
    return json.dumps(bank, indent=1).encode()


@pytest.mark.parametrize("bad", [{7}, {0, 150, 299}, set(range(0, 300, 10))])
def test_diagnostics_are_located_at_the_value_they_name(bad: set[int]):
    data = _many_questions(bad)
    lines = data.decode().split("\n")
    result = canonical.read(_source(data))
    assert [d.pointer for d in result.diagnostics] == [f"/questions/{i}/points" for i in sorted(bad)]
    for diagnostic in result.diagnostics:  # up to 30: lines counted, then listed
        assert diagnostic.line is not None and diagnostic.column is not None
        line = lines[diagnostic.line - 1]
        assert line[diagnostic.column - 1 :] == "-1,"
        assert line.lstrip().startswith('"points"')
        assert diagnostic.message == "must be greater than 0, found -1"


def test_a_bank_wrong_around_its_questions_is_checked_whole():
    import json

    bank = json.loads(_many_questions({3}))
    bank["title"] = 5
    result = canonical.read(_source(json.dumps(bank).encode()))
    assert sorted(str(d.pointer) for d in result.diagnostics) == ["/questions/3/points", "/title"]


def test_json_schema_is_no_name_for_the_schema_key():
    """The model read "$schema" by its Python name too, which the schema refuses: a bank
    refused for a question lost that error once the schema read the question alone."""
    import json

    bank = json.loads(_many_questions(set(), count=2))
    bank["json_schema"] = "x"
    alone = canonical.read(_source(json.dumps(bank).encode()))
    assert [d.pointer for d in alone.diagnostics] == ["/json_schema"]
    assert alone.bank is None
    bank["questions"][1]["points"] = -1
    both = canonical.read(_source(json.dumps(bank).encode()))
    assert sorted(str(d.pointer) for d in both.diagnostics) == ["/json_schema", "/questions/1/points"]
    del bank["json_schema"]
    bank["$schema"] = "schemas/question-bank.schema.json"
    bank["questions"][1]["points"] = 1
    assert canonical.read(_source(json.dumps(bank).encode())).bank is not None


def test_an_unknown_field_is_named_by_an_escaped_pointer_at_its_value():
    import json

    bank = json.loads(_many_questions(set(), count=1))
    bank["questions"][0]["a/b~c"] = 17
    data = json.dumps(bank, indent=1)
    (found,) = canonical.read(_source(data.encode())).diagnostics
    assert found.pointer == "/questions/0/a~1b~0c"
    assert found.message == "unknown field 'a/b~c'"
    line = data.split("\n")[found.line - 1]
    assert line[found.column - 1 :] == "17"


def test_each_missing_field_is_named_and_every_unknown_one() -> None:
    """Review 31: a bank missing id, title and questions got "missing required field 'id'"
    three times; of two unknown fields only the first was named."""
    data = b'{"format": "packager.question-bank/1", "colour": 1, "size": 2}'
    found = sorted(d.message for d in canonical.read(_source(data)).diagnostics)
    assert found == [
        "missing required field 'id'", "missing required field 'questions'",
        "missing required field 'title'", "unknown fields 'colour', 'size'",
    ]


def test_an_error_nested_as_deep_as_json_reads_is_reported_not_raised():
    """The pointer index skips values with the json module's C scanner, which recurses: an
    unknown field nested almost as deep as json.loads reads, beside another error, ends in
    a located diagnostic, never a RecursionError."""
    import json

    bank = json.loads(_many_questions(set(), count=1))
    bank["title"] = 5
    # First, so that locating the title skips it.
    text = '{"deep": ' + "[" * 960 + "]" * 960 + ", " + json.dumps(bank)[1:]
    result = canonical.read(_source(text.encode()))
    assert result.bank is None
    assert result.diagnostics and all(d.line is not None for d in result.diagnostics)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (b'{"a": "plain caf\xc3\xa9 \xe2\x98\x95 $x$ \\\\frac"}', True),
        (b'{"a": "\\u00e9"}', False),  # any \u escape: it may write a control character
        (b'{"a": "\\\\u"}', False),  # an escaped backslash before u: looked at all the same
        ('{"a": "\ufffe"}'.encode(), False),
        ('{"a": "\uffff"}'.encode(), False),
        ('{"a": "\uf000 \ufffd"}'.encode(), True),  # the same first byte, harmless
        (b'{"a": "ab\\bc"}', False),  # JSON's short escapes of U+0008 and U+000C
        (b'{"a": "x\\f"}', False),
        (b'{"a": "\\\\\\fy"}', False),  # an escaped backslash, then \f
        (b'{"a": "\\\\beta \\\\\\\\frac"}', True),  # escaped backslashes before letters
    ],
)
def test_no_unsafe_characters_is_false_where_a_string_may_hold_one(raw: bytes, clean: bool):
    assert canonical.no_unsafe_characters(raw) is clean


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("\\u0007", 0x7),
        ("\\u001f", 0x1F),
        ("\\ufffe", 0xFFFE),
        ("\ufffe", 0xFFFE),  # written as itself: no escape to find
        ("\uffff", 0xFFFF),
        ("\\b", 0x8),  # review 30: passed, then export ended in lxml's traceback
        ("\\f", 0xC),
    ],
)
def test_a_character_xml_cannot_carry_is_refused_however_it_is_written(written: str, code: int):
    """The model skips its per-text search where the file cannot hold one
    (no_unsafe_characters): every way of writing one must still be found."""
    data = GOOD.replace(b'"Read"', f'"Read {written} this"'.encode())
    result = canonical.read(_source(data))
    assert result.bank is None
    messages = [d.message for d in result.diagnostics]
    assert any(f"control character U+{code:04X}" in m for m in messages), messages
    assert [d.pointer for d in result.diagnostics] == ["/questions/0/prompt"]


@pytest.mark.parametrize(("value", "column", "half"), [
    ('"\\ud800"', 29, "\\ud800"),  # a high half alone
    ('"x\\uDC00y"', 30, "\\uDC00"),  # a low half alone
    ('"\\\\\\ud83d"', 31, "\\ud83d"),  # after an escaped backslash, still an escape
])
def test_half_of_an_escape_pair_is_a_located_syntax_error(
    value: str, column: int, half: str
) -> None:
    """JSON's decoder made it a string no UTF-8 file, terminal or report holds: a fuzz run
    found tracebacks in `validate --format json` and `preview` (in a setting; in a text the
    model refused it as a control character). Refused as syntax now, in any field."""
    from packager.readers.canonical_json import parse

    data, problem = parse('{"questions": [], "title": ' + value + "}", "b.json")
    assert data is None and problem is not None
    assert (problem.code, problem.line, problem.column) == ("E-JSON-SYNTAX", 1, column)
    assert problem.message == f"{half} is half of a character's escape pair, alone"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_half_of_an_escape_pair_is_found_when_a_bank_file_is_read(bom: bytes) -> None:
    """The reader looks for `\\u` once, in the file's bytes, and skips the search of the
    decoded text where there is none: a file that holds one is searched (with or without
    a byte-order mark)."""
    data = bom + GOOD.replace(b'"Read"', b'"Read \\ud800 this"')
    result = canonical.read(_source(data))
    assert result.bank is None
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("E-JSON-SYNTAX", "\\ud800 is half of a character's escape pair, alone")
    ]


@pytest.mark.parametrize("value", ['"\\ud83d\\ude00"', '"\\\\ud800"', '"C:\\\\uDC00"'])
def test_escape_pairs_and_escaped_backslashes_are_fine(value: str) -> None:
    from packager.readers.canonical_json import parse

    data, problem = parse('{"title": ' + value + "}", "b.json")
    assert problem is None and isinstance(data["title"], str)
    data["title"].encode("utf-8")  # a whole character, or text


def test_the_short_escape_search_is_bounded_on_hostile_sizes() -> None:
    """A file of escapes costs a bounded look (then the per-text check decides); one long run
    of backslashes one look."""
    import time

    many = b'{"a": "' + b"\\n" * 300_000 + b'"}'
    long_run = b'{"a": "' + b"\\" * 2_000_000 + b'x"}'
    started = time.perf_counter()
    assert canonical.no_unsafe_characters(many) is False  # left to the per-text check
    assert canonical.no_unsafe_characters(long_run) is True  # escaped backslashes only
    assert time.perf_counter() - started < 5
