"""packages/assemble.py: streamed documents give the bytes of the whole tree, and are checked.

A streamed document's children are built lazily, validated one at a time inside the shell,
and cut out of the shell's serialization; these tests compare with serializing the whole tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from packager.archive import read_zip
from packager.context import BuildContext
from packager.errors import PackagerError
from packager.packages.assemble import assemble
from packager.packages.base import Output
from packager.xml.serialize import fill_slots, slot_marker, to_bytes

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
Q = f"{{{QTI}}}"


def _item(ident: str, text: str = "What & why?") -> etree._Element:
    item = etree.Element(Q + "item", {"ident": ident, "title": ident}, nsmap={None: QTI})
    material = etree.SubElement(etree.SubElement(item, Q + "presentation"), Q + "material")
    etree.SubElement(material, Q + "mattext", {"texttype": "text/html"}).text = text
    return item


def _shell(
    runs: list[list[str]],
) -> tuple[etree._Element, list[tuple[etree._Element, Iterator[etree._Element]]]]:
    """questestinterop > assessment > section, a nested group per run after the first."""
    root = etree.Element(Q + "questestinterop", nsmap={None: QTI})
    assessment = etree.SubElement(root, Q + "assessment", {"ident": "A1", "title": "T"})
    section = etree.SubElement(assessment, Q + "section", {"ident": "root_section"})
    slots = []
    for n, idents in enumerate(runs):
        holder = section if n == 0 else etree.SubElement(section, Q + "section", {"ident": f"g{n}"})
        slots.append((slot_marker(holder), (_item(i) for i in idents)))
    return root, slots


def _whole(runs: list[list[str]]) -> bytes:
    root, slots = _shell(runs)
    fill_slots(slots)
    return to_bytes(root)


@pytest.mark.parametrize(
    "runs",
    [[["i1"]], [["i1", "i2", "i3"]], [["i1", "i2"], ["i3"], ["i4", "i5"]]],
    ids=["one", "three", "groups"],
)
def test_streamed_document_is_byte_for_byte_the_whole_tree(
    runs: list[list[str]], xsd_path: Path
) -> None:
    root, slots = _shell(runs)
    output = Output()
    output.add_streamed_xml("a/a.xml", root, "qti12", slots)
    output.add("imsmanifest.xml", b"<manifest/>")
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path))
    assert assembled.errors == []
    assert assembled.validated == ["a/a.xml"]
    files = read_zip(assembled.data)
    assert list(files) == ["imsmanifest.xml", "a/a.xml"]
    assert files["a/a.xml"] == _whole(runs)


def test_materialized_parts_match_the_assembled_file() -> None:
    runs = [["i1", "i2"], ["i3"]]
    root, slots = _shell(runs)
    output = Output(single_file=True)
    output.add_streamed_xml("a.xml", root, None, slots)
    assert output.parts["a.xml"].data == _whole(runs)
    assert output.parts["a.xml"].data == _whole(runs)  # asking twice does not rebuild


def test_a_child_that_breaks_the_schema_is_reported_with_its_ident(xsd_path: Path) -> None:
    root, slots = _shell([["i1", "bad", "i3"]])
    marker, items = slots[0]

    def broken() -> Iterator[etree._Element]:
        for item in items:
            if item.get("ident") == "bad":
                etree.SubElement(item, Q + "nonsense")
            yield item

    output = Output()
    output.add_streamed_xml("a/a.xml", root, "qti12", [(marker, broken())])
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path))
    assert len(assembled.errors) == 1
    assert assembled.errors[0].startswith("a/a.xml (bad):")
    assert "nonsense" in assembled.errors[0]


def test_a_writer_error_while_streaming_reaches_the_caller() -> None:
    root, slots = _shell([["i1"]])
    marker, _ = slots[0]

    def failing() -> Iterator[etree._Element]:
        yield _item("i1")
        raise PackagerError("writer failed on the second item")

    output = Output()
    output.add_streamed_xml("a/a.xml", root, None, [(marker, failing())])
    with pytest.raises(PackagerError, match="second item"):
        assemble(output, BuildContext())


def test_an_empty_run_leaves_a_valid_document() -> None:
    root, slots = _shell([["i1"], []])
    output = Output(single_file=True)
    output.add_streamed_xml("a.xml", root, None, slots)
    data = assemble(output, BuildContext()).data
    parsed = etree.fromstring(data)
    assert [i.get("ident") for i in parsed.iter(Q + "item")] == ["i1"]
    assert parsed.find(f".//{Q}section[@ident='g1']") is not None
    assert b"packager-slot" not in data
