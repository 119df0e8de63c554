"""QTI 3.0 validated with MathML's schema stubbed out when a document cannot reach it
(xsd.MATHML_IMPORTERS): the verdict, errors and their lines must be those of the full
official schema on every document, valid or not, with or without MathML.

The documents: every QTI 3.0 golden and example, each broken at every element in turn
(removed, doubled, renamed, given a bad attribute or value, given a stray child), and
hand-made ones that use MathML, whose verdict from the stub alone would differ.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from packager import xsd

ROOT = Path(__file__).resolve().parents[2]
QTI = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
M = xsd.MATHML_NS


@pytest.fixture(scope="module")
def full(xsd_path: Path) -> Any:
    return xsd._compile("qti30", xsd_path)


@pytest.fixture(scope="module")
def stubbed(xsd_path: Path) -> xsd.StubbedMathML:
    stub = xsd._stubbed("qti30", xsd_path)
    assert stub is not None
    return xsd.StubbedMathML("qti30", xsd_path, stub)


def _verdict(schema: Any, tree: Any) -> list[tuple[int, str]]:
    return [(e.line, e.message) for e in xsd.schema_errors(schema, tree, "doc")]


def _originals(xsd_path: Path) -> list[etree._ElementTree]:
    files = sorted((ROOT / "tests" / "golden").glob("*/qti30/**/*.xml"))
    files += sorted((xsd_path / "examples").glob("qti30_assessment_*.xml"))
    trees = [etree.parse(str(f)) for f in files]
    assert len(trees) >= 20
    return trees


def _broken(tree: etree._ElementTree) -> Iterator[etree._ElementTree]:
    """The tree broken at each element in turn, one of six ways (by the element's index)."""
    for index in range(sum(1 for _ in tree.getroot().iter(etree.Element))):
        for kind in (index % 6, (index + 3) % 6):
            copied = copy.deepcopy(tree)
            element = list(copied.getroot().iter(etree.Element))[index]
            parent = element.getparent()
            if kind == 0 and parent is not None:
                parent.remove(element)
            elif kind == 1 and parent is not None:
                element.addnext(copy.deepcopy(element))
            elif kind == 2:
                element.tag = f"{{{QTI}}}qti-bogus"
            elif kind == 3:
                element.set("bogus", "1")
            elif kind == 4 and element.attrib:
                element.set(sorted(element.attrib)[0], "not a value !")
            else:
                element.append(etree.Element(f"{{{QTI}}}p"))
            yield copied


def test_every_document_and_its_breakages_get_the_full_schemas_verdict(
    xsd_path: Path, full: Any, stubbed: xsd.StubbedMathML
) -> None:
    documents = invalid = with_stub = 0
    for original in _originals(xsd_path):
        for tree in [original, *_broken(original)]:
            expected = _verdict(full, tree)
            assert _verdict(stubbed, tree) == expected, etree.tostring(tree)[:300]
            documents += 1
            invalid += bool(expected)
            with_stub += stubbed.for_tree(tree) is stubbed.stubbed
    assert documents > 1000 and invalid > documents // 3
    assert with_stub > documents // 2  # most goldens hold no math


def _item(body: str, root_attributes: str = "") -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(
        f'<qti-assessment-item xmlns="{QTI}" xmlns:m="{M}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'identifier="i1" title="t" adaptive="false" time-dependent="false" {root_attributes}>'
        f"<qti-item-body>{body}</qti-item-body></qti-assessment-item>"
    ))


MATH_CASES = {
    "an unknown MathML element in math": _item("<p><m:math><m:bogus/></m:math></p>"),
    "a bad MathML attribute value": _item('<p><m:math display="sideways"><m:mi>x</m:mi></m:math></p>'),
    "MathML outside math": _item("<p><m:mi>x</m:mi></p>"),  # not expected there
    "a MathML-namespace attribute": _item('<p m:mathvariant="bold">x</p><bogus/>'),
    "an xsi:type naming a MathML type": _item('<p xsi:type="m:annotation-xml.model">x</p>'),
    "the namespace spelt with a character reference": etree.ElementTree(etree.fromstring(
        f'<qti-assessment-item xmlns="{QTI}" identifier="i1" title="t" adaptive="false" '
        'time-dependent="false"><qti-item-body><p><math '
        'xmlns="http://www.w3.org/1998/&#77;ath/MathML"><bogus/></math></p>'
        "</qti-item-body></qti-assessment-item>"
    )),
}


# The cases on which the stub alone would give another verdict than the full schema.
STUB_ALONE_DIFFERS = {
    "an unknown MathML element in math",
    "a bad MathML attribute value",
    "an xsi:type naming a MathML type",
    "the namespace spelt with a character reference",
}


@pytest.mark.parametrize("case", sorted(MATH_CASES))
def test_a_document_that_reaches_mathml_gets_the_full_schema(
    case: str, full: Any, stubbed: xsd.StubbedMathML
) -> None:
    tree = MATH_CASES[case]
    expected = _verdict(full, tree)
    assert expected  # each case is invalid
    assert stubbed.for_tree(tree) is not stubbed.stubbed
    assert _verdict(stubbed, tree) == expected
    assert (_verdict(stubbed.stubbed, tree) != expected) is (case in STUB_ALONE_DIFFERS)


def test_valid_math_is_valid(full: Any, stubbed: xsd.StubbedMathML) -> None:
    tree = _item("<p><m:math><m:mi>x</m:mi><m:mo>+</m:mo><m:mn>1</m:mn></m:math></p>")
    assert _verdict(full, tree) == _verdict(stubbed, tree) == []


def test_the_stub_compiles_no_mathml(stubbed: xsd.StubbedMathML) -> None:
    """What makes it fast: MathML's own elements are not declared."""
    alone = etree.ElementTree(etree.fromstring(f'<mi xmlns="{M}">x</mi>'))
    assert not stubbed.stubbed.validate(alone)


def test_without_a_prewarmed_full_schema_schema_for_stubs(
    xsd_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xsd, "_PENDING", {})
    assert isinstance(xsd.schema_for("qti30", xsd_path), xsd.StubbedMathML)
    assert not isinstance(xsd.schema_for("qti21", xsd_path), xsd.StubbedMathML)


def test_prewarm_compiles_the_stubbed_schema_only_when_told_there_is_no_math(
    xsd_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[str] = []

    def compile_natively(key: str, directory: Path | None) -> object:
        compiled.append(key)
        return object()

    monkeypatch.setattr(xsd, "_compile_natively", compile_natively)
    monkeypatch.setattr(xsd, "_PENDING", {})
    xsd.prewarm(["qti30", "imscp"], xsd_path, mathml=False)
    xsd.prewarm(["qti30"], xsd_path)  # a later call (a job runner's) starts nothing more
    xsd.finish_prewarm()
    assert sorted(compiled) == ["imscp", "qti30+mathml-stub"]
    assert isinstance(xsd.schema_for("qti30", xsd_path), xsd.StubbedMathML)
    monkeypatch.setattr(xsd, "_PENDING", {})
    xsd.prewarm(["qti30"], xsd_path)
    xsd.finish_prewarm()
    assert compiled[2:] == ["qti30"]
    assert not isinstance(xsd.schema_for("qti30", xsd_path), xsd.StubbedMathML)


def test_a_folder_whose_qti30_xsd_needs_more_of_mathml_falls_back_to_the_full_schema(
    xsd_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stub declares `math` only: an entry XSD that refers to another MathML name does
    not compile with it, and the full schema serves every document."""
    import shutil

    folder = tmp_path / "xsd"
    shutil.copytree(xsd_path / "qti30", folder / "qti30")
    shutil.copy(xsd_path / "catalog.xml", folder / "catalog.xml")
    entry = folder / xsd.ENTRY_SCHEMAS["qti30"]
    entry.write_text(entry.read_text(encoding="utf-8").replace(
        'ref="m3:math"', 'ref="m3:mrow"', 1), encoding="utf-8")
    monkeypatch.setattr(xsd, "_PENDING", {})
    assert xsd._stubbed("qti30", folder) is None
    full = object()  # not compiled again here: it takes seconds
    compile_stubbed = xsd._compile
    monkeypatch.setattr(
        xsd, "_compile", lambda key, d: full if key == "qti30" else compile_stubbed(key, d)
    )
    assert xsd.schema_for("qti30", folder) is full


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b'{"prompt": "What is 2 + 2?"}', False),
        (b'{"prompt": "What is $2 + 2$?"}', True),
        (b'{"prompt": "What is \\\\(2 + 2\\\\)?"}', True),
        (b'{"prompt": "What is \\\\[2 + 2\\\\]?"}', True),
        (b'{"prompt": "What is \\u0024x\\u0024?"}', True),
        (b'{"prompt": "<MATH><mi>x</mi></MATH>"}', True),
        (b'{"prompt": "Line one\\nline two"}', False),
    ],
)
def test_may_hold_math(tmp_path: Path, text: bytes, expected: bool) -> None:
    from packager.pipeline import may_hold_math

    bank = tmp_path / "bank.json"
    bank.write_bytes(text)
    assert may_hold_math(bank) is expected
    assert may_hold_math(tmp_path / "missing.json") is True


@pytest.mark.parametrize("sign", [b"$", b"\\\\(", b"\\\\[", b"\\\\u", b"MaTh"])
def test_may_hold_math_finds_a_sign_across_two_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sign: bytes
) -> None:
    from packager import pipeline

    monkeypatch.setattr(pipeline, "_MATH_PIECE", 4)
    bank = tmp_path / "bank.json"
    for before in range(9):  # the sign at every place against the pieces' ends
        bank.write_bytes(b"x" * before + sign + b"y" * 9)
        assert pipeline.may_hold_math(bank) is True, before
    bank.write_bytes(b"x" * 30)
    assert pipeline.may_hold_math(bank) is False


def test_may_hold_math_stops_reading_at_the_first_sign(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build asks before loading the banks, which read each file again: a bank with
    math is not read whole twice."""
    import io

    from packager import pipeline

    read: list[int] = []
    real_open = Path.open

    class Counted(io.BufferedReader):
        def read(self, size: int | None = -1) -> bytes:
            data = super().read(size)
            read.append(len(data))
            return data

    def counted_open(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if self.name == "bank.json" and mode == "rb":
            return Counted(real_open(self, "rb", buffering=0))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counted_open)
    bank = tmp_path / "bank.json"
    bank.write_bytes(b'{"prompt": "$x$"}' + b" " * (3 << 20))
    assert pipeline.may_hold_math(bank) is True
    assert sum(read) <= 1 << 20
