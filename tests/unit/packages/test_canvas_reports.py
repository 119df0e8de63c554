"""An export checks its Canvas assessment from what `canvas_rules.item_report` found in each
item where it was built, and from the shell, instead of parsing the bytes it wrote. The
messages must be exactly those `packager check` gives for the same bytes (it parses them), for
clean packages, for every per-item rule broken in the item trees and for the rules of the
whole assessment; where the reports cannot stand for the document, the bytes are parsed."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

import pytest
from lxml import etree

from packager.archive import ZipEntries
from packager.packages import canvas_rules
from packager.packages.assemble import Assembled, assemble
from packager.packages.base import Output, StreamedXml
from packager.writers import qti12 as writer
from packager.writers import qti12_idents, qti12_items
from tests.conftest import make_ctx
from tests.unit.packages.test_qti12 import BANKS, BROKEN_ASSESSMENTS, LoadBank, Q, _output


def _assembled(output: Output) -> Assembled:
    return assemble(output, make_ctx(None))


def _streamed(output: Output) -> StreamedXml:
    (doc,) = [e for e in output.entries.values() if isinstance(e, StreamedXml)]
    return doc


def _both(assembled: Assembled, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """(what `packager check` finds parsing the bytes, what the export finds from reports)."""
    files = ZipEntries(assembled.data)
    parsed = canvas_rules.canvas_problems(files)

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the export parsed the assessment")

    with monkeypatch.context() as patch:
        patch.setattr(canvas_rules.etree, "iterparse", never)
        reported = canvas_rules.canvas_problems(files, assembled.reports)
    return parsed, reported


def _items_edited(monkeypatch: pytest.MonkeyPatch, edit: Callable[[Any], None]) -> None:
    """The writer's items pass through `edit`; one that does not apply leaves them as built."""
    real = qti12_items.item

    def edited(bank: Any, question: Any) -> Any:
        element = real(bank, question)
        with suppress(StopIteration):  # the edit looks for another item
            edit(element)
        return element

    monkeypatch.setattr(writer, "item", edited)


@pytest.mark.parametrize("bank", BANKS)
def test_clean_packages_are_clean_both_ways(
    load_bank: LoadBank, bank: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assembled = _assembled(_output(load_bank, bank))
    ident = qti12_idents.assessment_ident(load_bank(bank).bank)
    assert list(assembled.reports) == [f"{ident}/{ident}.xml"]
    assert _both(assembled, monkeypatch) == ([], [])


@pytest.mark.parametrize("case", sorted(BROKEN_ASSESSMENTS))
def test_a_rule_broken_in_the_item_trees_gives_the_messages_of_packager_check(
    load_bank: LoadBank, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit, expected = BROKEN_ASSESSMENTS[case]
    _items_edited(monkeypatch, edit)
    parsed, reported = _both(_assembled(_output(load_bank, "sample-all-types")), monkeypatch)
    assert any(expected in p for p in reported), reported
    assert reported == parsed


def _same_ident(element: Any) -> None:
    if element.get("title") == "Best month for leads":
        element.set("ident", "g_twice")
    if element.get("title") == "espresso-origin":
        element.set("ident", "g_twice")


def _missing_file(element: Any) -> None:
    mattext = element.find(f".//{Q}mattext")
    mattext.text += '<p><img src="$IMS-CC-FILEBASE$/media/gone%20away.png"/></p>'


def test_rules_of_the_whole_assessment_from_the_reports(
    load_bank: LoadBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    _items_edited(monkeypatch, lambda element: (_same_ident(element), _missing_file(element)))
    parsed, reported = _both(_assembled(_output(load_bank, "sample-all-types")), monkeypatch)
    assert any(p.endswith(": item 'g_twice' appears twice") for p in reported), reported
    assert any("$IMS-CC-FILEBASE$/media/gone%20away.png names a file" in p for p in reported)
    assert reported == parsed


def test_rules_of_the_shell_from_the_reports(
    load_bank: LoadBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = _output(load_bank, "qti12-groups")
    root = _streamed(output).root
    for element in root.iter(f"{Q}points_per_item"):
        element.getparent().remove(element)
    root.find(f"{Q}assessment").set("ident", "other")
    parsed, reported = _both(_assembled(output), monkeypatch)
    assert any("has selection_number but no points_per_item" in p for p in reported), reported
    assert any("assessment ident 'other' differs from the manifest" in p for p in reported)
    assert reported == parsed


def _nested(element: Any) -> None:
    if element.get("title") == "Best month for leads":
        inner = etree.SubElement(element, f"{Q}item", ident="g_inner")
        etree.SubElement(etree.SubElement(inner, f"{Q}itemmetadata"), f"{Q}qtimetadata")


def _shell_html(root: Any) -> None:
    material = etree.SubElement(root.find(f"{Q}assessment"), f"{Q}presentation_material")
    text = '<img src="$IMS-CC-FILEBASE$/media/gone.png"/>'
    etree.SubElement(etree.SubElement(material, f"{Q}flow_mat"), f"{Q}mattext").text = text


@pytest.mark.parametrize("case", ["an item holds an item", "the shell holds HTML"])
def test_where_reports_cannot_stand_for_the_document_it_is_parsed(
    load_bank: LoadBank, case: str
) -> None:
    from packager.packages.canvas_rules import _reported

    with pytest.MonkeyPatch.context() as patch:
        if case == "an item holds an item":
            _items_edited(patch, _nested)
        output = _output(load_bank, "sample-all-types")
        if case == "the shell holds HTML":
            _shell_html(_streamed(output).root)
        assembled = _assembled(output)
    (built,) = assembled.reports.values()
    assert _reported(built) is None
    files = ZipEntries(assembled.data)
    parsed = canvas_rules.canvas_problems(files)
    assert parsed  # the nested item has no question type; the HTML names a missing file
    assert canvas_rules.canvas_problems(files, assembled.reports) == parsed
