"""Numbers and parser limits: a bank either fails validation with a located error (exit 3)
or exports to every format; non-finite, absurd, deeply nested and huge input never crash."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from packager.cli import main
from packager.diagnostics import Diagnostic
from packager.formats import TARGETS
from packager.pipeline import check
from packager.readers import canonical
from packager.readers.base import Source
from packager.readers.jsonpos import MAX_DEPTH, find_fault

HEAD = '{"format": "packager.question-bank/1", "id": "b", "title": "T",\n'


def _bank(question_fields: str, settings: str = "") -> str:
    return (
        HEAD
        + (f' "settings": {{{settings}}},\n' if settings else "")
        + ' "questions": [\n  {"id": "q1", "type": "numeric", "prompt": "How many?",\n   '
        + question_fields
        + "}\n]}"
    )


def _errors(text: str) -> list[Diagnostic]:
    bank, diagnostics = check(Source("b.json", text.encode(), Path(".")))
    errors = [d for d in diagnostics if d.is_error]
    assert bank is None and errors
    return errors


@pytest.mark.parametrize(
    ("fields", "settings", "code", "pointer", "message"),
    [
        ('"answer": {"value": NaN}', "", "E-JSON-SYNTAX", "/questions/0/answer/value",
         "NaN is not a JSON number"),
        ('"answer": {"value": Infinity}', "", "E-JSON-SYNTAX", "/questions/0/answer/value",
         "Infinity is not a JSON number"),
        ('"answer": {"min": -Infinity, "max": 1}', "", "E-JSON-SYNTAX",
         "/questions/0/answer/min", "-Infinity is not a JSON number"),
        ('"answer": {"value": 1}', '"default_points": NaN', "E-JSON-SYNTAX",
         "/settings/default_points", "NaN is not a JSON number"),
        ('"answer": {"value": 1e400}', "", "E-SCHEMA", "/questions/0/answer/value",
         "must be at most 1e+15, found a number beyond the range of a double"),
        ('"answer": {"value": 2, "tolerance": 1e400}', "", "E-SCHEMA",
         "/questions/0/answer/tolerance",
         "must be at most 1e+15, found a number beyond the range of a double"),
        ('"answer": {"min": -1e400, "max": 0}', "", "E-SCHEMA", "/questions/0/answer/min",
         "must be at least -1e+15, found a number beyond the range of a double"),
        ('"answer": {"value": 1e16}', "", "E-SCHEMA", "/questions/0/answer/value",
         "must be at most 1e+15, found 1e+16"),
        ('"answer": {"value": 1}, "points": 1e400', "", "E-SCHEMA", "/questions/0/points",
         "must be at most 1e+06, found a number beyond the range of a double"),
        ('"answer": {"value": 1}, "points": 2000000', "", "E-SCHEMA", "/questions/0/points",
         "must be at most 1e+06, found 2000000"),
        ('"answer": {"value": 1}', '"default_points": 1e400', "E-SCHEMA",
         "/settings/default_points",
         "must be at most 1e+06, found a number beyond the range of a double"),
        ('"answer": {"value": 1}', '"passing_score": 1e400', "E-SCHEMA",
         "/settings/passing_score",
         "must be at most 1, found a number beyond the range of a double"),
    ],
)
def test_non_finite_and_absurd_numbers_are_located_errors(
    fields: str, settings: str, code: str, pointer: str, message: str
) -> None:
    (error,) = _errors(_bank(fields, settings))
    assert (error.code, error.pointer, error.message) == (code, pointer, message)
    assert error.file == "b.json" and error.line is not None and error.hint


def test_nan_inside_a_string_is_text_not_a_number() -> None:
    bank, diagnostics = check(
        Source("b.json", _bank('"answer": {"value": 1}, "unit": "NaN Infinity"').encode(),
               Path("."))
    )
    assert bank is not None and not [d for d in diagnostics if d.is_error]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 1e300])
def test_the_model_refuses_non_finite_numbers_from_any_caller(value: float) -> None:
    from pydantic import ValidationError

    from packager.model import Bank

    data: dict[str, Any] = json.loads(_bank('"answer": {"value": 1}'))
    data["questions"][0]["answer"]["value"] = value
    with pytest.raises(ValidationError):
        Bank.model_validate(data)


def test_numbers_at_the_bounds_export_to_every_format(tmp_path: Path, ctx: Any) -> None:
    from packager.pipeline import export, load

    questions = [
        {"id": "q1", "type": "numeric", "prompt": "Big", "points": 1e6,
         "answer": {"value": -1e15, "tolerance": 1e15}},
        {"id": "q2", "type": "numeric", "prompt": "Range",
         "answer": {"min": -1e15, "max": 1e15}},
        {"id": "q3", "type": "numeric", "prompt": "Small", "points": 1e-9,
         "answer": {"value": 1e-300, "tolerance": 0}},
        {"id": "q4", "type": "single_choice", "prompt": "Every format", "points": 1e6,
         "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}]},
    ]
    bank = {"format": "packager.question-bank/1", "id": "b", "title": "T",
            "settings": {"default_points": 1e6}, "questions": questions}
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    loaded = load(path)
    for name in TARGETS:
        artifact = export(loaded, name, replace(ctx, skip_unsupported=True))
        assert artifact.data, name


def test_gift_import_never_produces_non_finite_numbers() -> None:
    from packager.errors import InputError
    from packager.readers import gift

    text = "::a:: A {#nan}\n\n::b:: B {#1e400:1}\n\n::c:: C {#-inf..3}\n\n::d:: D {#1:1e999}\n"
    with pytest.raises(InputError) as raised:
        gift.read(Source("q.gift", text.encode(), Path(".")))
    lines = [d.line for d in raised.value.diagnostics]
    assert lines == [1, 3, 5, 7]
    assert all("finite" in d.message for d in raised.value.diagnostics)


# -- parser limits ---------------------------------------------------------------------------


def test_nesting_100000_deep_is_a_located_error() -> None:
    text = HEAD + ' "metadata": ' + "[" * 100_000 + "]" * 100_000 + ', "questions": []}'
    (error,) = _errors(text)
    assert error.code == "E-JSON-LIMIT"
    # Docs review 31: "more than 100 levels deep" named a limit that is not one (the parser
    # reads about 1,000); 100 deep is where the error points.
    assert error.message == "JSON nested deeper than the parser reads (about 1,000 levels)"
    # The bank's own object is level 1, so the bracket opening level 101 is the 100th.
    assert (error.line, error.column) == (2, 13 + MAX_DEPTH)
    assert error.hint == ("a bank needs at most 6 levels of nesting, and here it is 100 deep "
                          "already: look for unclosed brackets")


@pytest.mark.parametrize("depth", [500, 900, 990, 2000])
def test_nesting_the_parser_reads_but_the_checks_recurse_through_never_crashes(
    depth: int,
) -> None:
    text = HEAD + ' "questions": ' + "[" * depth + "]" * depth + "}"
    assert _errors(text)


def test_an_integer_of_5000_digits_is_a_located_error() -> None:
    (error,) = _errors(_bank('"answer": {"value":\n' + "7" * 5000 + "}"))
    assert error.code == "E-JSON-LIMIT"
    assert error.pointer == "/questions/0/answer/value"
    assert error.message.startswith("the integer 777777777777")
    assert (error.line, error.column) == (5, 1)


def test_a_bank_larger_than_the_limit_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(canonical, "MAX_BANK_BYTES", 2**20)
    (error,) = _errors(" " * (3 * 2**20) + _bank('"answer": {"value": 1}'))
    assert error.code == "E-TOO-LARGE"
    assert error.message == "the file is 3 MiB; a bank may be at most 1 MiB"


def test_find_fault_skips_strings_and_reports_the_first_fault() -> None:
    fault = find_fault('{"a": "NaN [[[", "b": [1, {"c": -Infinity}]}')
    assert fault is not None
    assert (fault.kind, fault.token, fault.pointer, fault.column) == (
        "non-finite", "-Infinity", "/b/1/c", 33)
    assert find_fault('{"a": [1.5e300, "x"]}') is None


@pytest.mark.parametrize(
    "text",
    [
        _bank('"answer": {"value": NaN}'),
        HEAD + ' "metadata": ' + "{\"a\": " * 50_000 + "1" + "}" * 50_000 + "}",
        _bank('"answer": {"value": ' + "9" * 5000 + "}"),
    ],
    ids=["nan", "deep", "digits"],
)
@pytest.mark.parametrize("command", ["validate", "export"])
def test_the_cli_exits_3_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, command: str
) -> None:
    path = tmp_path / "b.json"
    path.write_text(text, encoding="utf-8")
    args = [command, str(path)]
    if command == "export":
        args += ["--format", "qti21", "--out", str(tmp_path / "out")]
    with pytest.raises(SystemExit) as done:
        main(args)
    _, err = capsys.readouterr()
    assert done.value.code == 3, err
    assert "Traceback" not in err and "b.json:" in err
    assert not (tmp_path / "out").exists()


# -- math that nests deep -------------------------------------------------------------------

# Each level of these is two or three MathML elements.
_NESTING = {"sqrt": ("\\sqrt{", "}"), "frac": ("\\frac{1}{", "}"), "sup": ("x^{", "}")}


def _math_bank(kind: str, levels: int) -> dict[str, Any]:
    opening, closing = _NESTING[kind]
    math = f"${opening * levels}x{closing * levels}$"
    bank = _choice_bank(f"Which? {math}")
    question = bank["questions"][0]
    question["scenario"] = f"Read {math} here."
    question["explanation"] = f"- item\n  - deeper {math}\n\n> quoted {math}"
    question["choices"][0].update(text=f"A {math}", feedback=f"Yes: {math}")
    return bank


@pytest.mark.parametrize("kind", sorted(_NESTING))
def test_math_whose_mathml_nests_too_deep_is_a_located_error(kind: str) -> None:
    """130 levels of `\\sqrt` are a short text whose MathML nests 260 deep: it passed every
    check, then export and preview ended in a traceback (libxml2 parses no deeper than 255)."""
    text = json.dumps(_math_bank(kind, 130))
    errors = _errors(text)
    assert {e.code for e in errors} == {"E-RICHTEXT"}
    assert {e.pointer for e in errors} >= {"/questions/0/prompt", "/questions/0/explanation"}
    assert all("MathML elements deep, more than a text may" in e.message for e in errors)


@pytest.mark.parametrize("kind", sorted(_NESTING))
def test_the_deepest_math_accepted_exports_to_every_format(
        kind: str, tmp_path: Path, ctx: Any) -> None:
    """The check and the writers agree: what validates, every writer writes."""
    from packager.errors import InputError
    from packager.pipeline import export, load

    levels = 130
    while levels and [d for d in check(Source(
            "b.json", json.dumps(_math_bank(kind, levels)).encode(), tmp_path))[1] if d.is_error]:
        levels -= 1
    assert levels > 100  # a formula a person writes is far shallower
    path = tmp_path / "b.json"
    path.write_text(json.dumps(_math_bank(kind, levels)), encoding="utf-8")
    loaded = load(path)
    for name in TARGETS:
        try:
            export(loaded, name, ctx)
        except InputError as exc:  # only a format's own refusal (the scenario for Aiken)
            assert "cannot express" in exc.message, (name, exc.message)


# -- output collisions -----------------------------------------------------------------------


def _png(red: int) -> bytes:
    """A 1x1 PNG of one colour: two different images for the same name in two folders."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(bytes([0, red, 0, 0]))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(
        b"IEND", b"")


def _choice_bank(prompt: str, version: str = "1.0.0") -> dict[str, Any]:
    return {"format": "packager.question-bank/1", "id": "b", "title": "T", "version": version,
            "questions": [{"id": "q1", "type": "single_choice", "prompt": prompt,
                           "explanation": "E",
                           "choices": [{"id": "a", "text": "A", "correct": True},
                                       {"id": "b", "text": "B"}]}]}


def test_two_media_one_path_never_become_one_file(tmp_path: Path, ctx: Any) -> None:
    """ok.png and media/ok.png: a package keeps both images apart, or refuses up front."""
    import io
    import zipfile

    from packager.errors import InputError
    from packager.pipeline import export, load

    (tmp_path / "media").mkdir()
    top, nested = _png(255), _png(0)
    (tmp_path / "ok.png").write_bytes(top)
    (tmp_path / "media" / "ok.png").write_bytes(nested)
    path = tmp_path / "b.json"
    path.write_text(json.dumps(_choice_bank("![x](ok.png) ![y](media/ok.png)")))
    loaded = load(path)
    refused = []
    for name in TARGETS:
        try:
            artifact = export(loaded, name, ctx)
        except InputError as exc:
            pair = exc.message.split(" would both be ")
            assert pair[1] == "'media/ok.png' in the package", exc.message
            assert pair[0] in ("media 'ok.png' and 'media/ok.png'", "media 'media/ok.png' and 'ok.png'")
            refused.append(name)
            continue
        if artifact.name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(artifact.data)) as archive:
                images = [archive.read(n) for n in archive.namelist() if n.endswith(".png")]
            assert sorted(images) == sorted([top, nested]), name
    assert set(refused) <= {"qti12", "qti21", "qti30"}  # their writers map ok.png under media/


def test_a_media_file_named_like_the_cc_assessment_moves_the_assessment(
    tmp_path: Path, ctx: Any
) -> None:
    from packager.checks import MediaFile
    from packager.packages import cc
    from packager.packages.base import Job
    from packager.pipeline import load

    path = tmp_path / "b.json"
    path.write_text(json.dumps(_choice_bank("plain")))
    (tmp_path / "b.qti.xml").write_bytes(_png(1))
    bank = load(path).bank
    output = cc.build(Job(bank, [MediaFile("b.qti.xml", tmp_path / "b.qti.xml")], ctx))
    assert {"web_resources/b.qti.xml", "web_resources/b-assessment.qti.xml"} <= set(
        output.entries)


def test_two_files_at_one_package_path_are_an_input_error() -> None:
    from packager.errors import InputError
    from packager.packages.base import Output

    output = Output()
    output.add("media/x.png", b"1")
    with pytest.raises(InputError, match=re.escape("two files would be stored at 'media/x.png'")):
        output.add("media/x.png", b"2")


@pytest.mark.parametrize(("versions", "said"), [
    (("1.0.0", "1.0.0"), "have the same id 'b' and version 1.0.0"),
    # One file name on Windows and macOS: the second export replaced the first, and both
    # were reported written.
    (("1.0.0-RC1", "1.0.0-rc1"), "versions 1.0.0-RC1 and 1.0.0-rc1, which differ only in "
                                 "letter case"),
])
def test_two_banks_whose_packages_share_a_name_are_refused_before_writing(
    versions: tuple[str, str], said: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, version in zip(("one.json", "two.json"), versions, strict=True):
        (tmp_path / name).write_text(json.dumps(_choice_bank(name, version)))
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as done:
        main(["export", str(tmp_path / "one.json"), str(tmp_path / "two.json"),
              "--format", "gift", "--out", str(out)])
    err = capsys.readouterr().err
    assert done.value.code == 3
    assert said in err
    assert not out.exists()


def test_a_version_longer_than_64_characters_is_a_located_error() -> None:
    (error,) = _errors(json.dumps(_choice_bank("p", "1.0.0-" + "a" * 59), indent=1))
    assert (error.code, error.pointer) == ("E-SCHEMA", "/version")
    assert error.message == "must be at most 64 characters long"
