"""An export checks its Canvas assessment from what `canvas_rules.item_report` found in each
item where it was built, and from the shell, instead of parsing the bytes it wrote. The
messages must be exactly those `packager check` gives for the same bytes (it parses them), for
clean packages, for every per-item rule broken in the item trees (changed after they were
built, or in the templates choice items are copies of, or by a string put in such a copy) and
for the rules of the whole assessment; where the reports cannot stand for the document, the
bytes are parsed."""

from __future__ import annotations

import copy
from collections.abc import Callable
from contextlib import suppress
from typing import Any, NamedTuple

import pytest
from lxml import etree

from packager.archive import ZipEntries
from packager.packages import canvas_rules
from packager.packages.assemble import Assembled, assemble
from packager.packages.base import Output, StreamedXml
from packager.writers import qti12 as writer
from packager.writers import qti12_idents, qti12_items
from packager.xml import templates
from tests.conftest import make_ctx
from tests.unit.packages import test_qti12
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
    """The writer's items pass through `edit`, each as a copy of its own: the writer never
    changes a template's copy it returned (xml/templates.filled), so an item changed after it
    was built is checked on its tree. One the edit does not apply to is left as built. Every
    item is built by `item` then, none filled in place (xml/templates.InPlace)."""
    real = qti12_items.item

    def edited(bank: Any, question: Any) -> Any:
        element = copy.deepcopy(real(bank, question))
        with suppress(StopIteration):  # the edit looks for another item
            edit(element)
        return element

    monkeypatch.setattr(writer, "item", edited)
    monkeypatch.setattr(writer, "in_place", lambda bank: None)


@pytest.mark.parametrize("bank", BANKS)
def test_clean_packages_are_clean_both_ways(
    load_bank: LoadBank, bank: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assembled = _assembled(_output(load_bank, bank))
    ident = qti12_idents.assessment_ident(load_bank(bank).bank)
    assert list(assembled.reports) == [f"{ident}/{ident}.xml"]
    assert _both(assembled, monkeypatch) == ([], [])


# --- choice items: copies of a template per shape, checked from the shape and their strings --


def _templates_edited(monkeypatch: pytest.MonkeyPatch, edit: Callable[[Any], None]) -> None:
    """Every shape of choice item is built through `edit` (each edit applied to the item it is
    given), so that every copy of it breaks the rule."""
    build = qti12_items._build_choice_item

    def edited(spec: Any) -> Any:
        element = build(spec)
        with suppress(StopIteration):  # an edit that needs another shape
            edit(element)
        return element

    monkeypatch.setattr(qti12_items, "_CHOICE_ITEMS", templates.Templates(edited, remember=True))
    monkeypatch.setattr(test_qti12, "_first_item", lambda item: item)


_EDITED = {"item trees": _items_edited, "templates": _templates_edited}


@pytest.mark.parametrize(("where", "case"), [
    (where, case) for where in _EDITED for case in sorted(BROKEN_ASSESSMENTS)
    # that edit finds its item by a title, a template's string (see BROKEN_STRINGS instead)
    if (where, case) != ("templates", "true/false texts")
])
def test_a_rule_broken_in_the_items_gives_the_messages_of_packager_check(
    load_bank: LoadBank, where: str, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit, expected = BROKEN_ASSESSMENTS[case]
    _EDITED[where](monkeypatch, edit)
    parsed, reported = _both(_assembled(_output(load_bank, "sample-all-types")), monkeypatch)
    assert any(expected in p for p in reported), reported
    assert reported == parsed


_IMAGE_GONE = '<p><img src="$IMS-CC-FILEBASE$/media/gone%20away.png"/></p>'
_TWO_BLOCKS = "<p>One.</p><p>Two.</p>"


def _option(spec: Any, index: int, **change: Any) -> Any:
    options = list(spec.options)
    options[index] = options[index]._replace(**change)
    return spec._replace(options=tuple(options))


def _metadata(spec: Any, index: int, value: str) -> Any:
    metadata = list(spec.metadata)
    metadata[index] = value
    return spec._replace(metadata=tuple(metadata))


# A string of a choice item's spec that breaks a rule: (question, change of its spec, message)
BROKEN_STRINGS: dict[str, tuple[str, Callable[[Any], Any], str]] = {
    "answer ident": ("best-month", lambda s: _option(s, 0, ident="correct_answer"),
                     "answer ident 'correct_answer' contains 'correct'"),
    "answer HTML": ("best-month", lambda s: _option(s, 1, text=_TWO_BLOCKS),
                    "HTML is not wrapped in one <p> or <div>"),
    "feedback HTML": ("true-statements",
                      lambda s: s._replace(feedback=s.feedback._replace(general=_TWO_BLOCKS)),
                      "feedback 'general_fb' HTML is not wrapped in one <p> or <div>"),
    "answer feedback ident": ("best-month",
                              lambda s: _option(s, 2, feedback=("general_fb", "<p>Hm.</p>")),
                              "the general_fb condition must come first"),
    "answer feedback ident, incorrect": (
        "best-month", lambda s: _option(s, 0, feedback=("general_incorrect_fb", "<p>Hm.</p>")),
        "the general_incorrect_fb condition comes before the scoring condition"),
    "true/false texts": ("espresso-origin", lambda s: _option(s, 0, text="Yes"),
                         "exactly two answers 'True' and 'False'"),
    "question type": ("best-month", lambda s: _metadata(s, 0, "multiple_choice"),
                      "question_type 'multiple_choice' is not a Canvas question type"),
    "points": ("true-statements", lambda s: _metadata(s, 1, "many"),
               "points_possible 'many' is not a number"),
    "item ident": ("best-month", lambda s: s._replace(ident="g_twice"),
                   "item 'g_twice' appears twice"),
    "a missing file": ("code-output", lambda s: s._replace(question=s.question + _IMAGE_GONE),
                       "$IMS-CC-FILEBASE$/media/gone%20away.png names a file"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_STRINGS))
def test_a_rule_broken_by_a_string_of_a_template_copy_gives_the_messages_of_packager_check(
    load_bank: LoadBank, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    question_id, change, expected = BROKEN_STRINGS[case]
    real = qti12_items._choice_item
    twice = {question_id, "true-statements"} if case == "item ident" else {question_id}

    def changed(bank: Any, question: Any) -> Any:
        spec = real(bank, question)
        return change(spec) if question.id in twice else spec

    monkeypatch.setattr(qti12_items, "_choice_item", changed)
    parsed, reported = _both(_assembled(_output(load_bank, "sample-all-types")), monkeypatch)
    assert any(expected in p for p in reported), reported
    assert reported == parsed


# Strings put at every slot of every shape: what the rules read (idents, feedback links, HTML,
# points, question types, answers, references) and what they must not be fooled by.
_STRINGS = (
    "", " ", "a", "1", "2.5", " 3 ", "nan", "many", "correct", "a.b", "a:b", "x_all",
    "general_fb", "correct_fb", "general_incorrect_fb", "x_fb", "incorrect_fb", "True",
    "False", "Yes", "multiple_choice_question", "true_false_question", "essay_question",
    "fill_in_multiple_blanks_question", "multiple_choice", "<p>a</p>", "<div><p>a</p></div>",
    _TWO_BLOCKS, "text <p>a</p>", "<p>[a]</p>", _IMAGE_GONE, "response1",
)


@pytest.mark.parametrize("bank", ["sample-all-types", "qti12-groups"])
def test_a_template_copy_is_reported_as_its_tree_is(load_bank: LoadBank, bank: str) -> None:
    """For every shape, each slot holding each string above or any other slot's string: the
    report worked out from the shape is the report of the tree, or there is none."""
    loaded = load_bank(bank).bank
    shapes = {}
    templates.filled(etree.Element("any"))  # copies are remembered once it was asked
    for question in loaded.questions:
        if isinstance(question, qti12_items.CHOICE_TYPES):
            made = templates.filled(qti12_items.item(loaded, question))
            assert made is not None
            shapes[id(made.shape)] = made
    assert shapes
    checked = 0
    for made in shapes.values():
        rules = canvas_rules._ShapeRules.of(made)
        assert rules is not None
        for number in range(len(made.strings)):
            for string in {*_STRINGS, *made.strings}:
                strings = list(made.strings)
                strings[number] = string
                report = rules.report(strings)
                if report is not None:
                    tree = _filled(made, strings)
                    assert report == canvas_rules._tree_report("a.xml", tree), (number, string)
                    checked += 1
    assert checked > 1000


def test_template_copies_are_not_walked(
    load_bank: LoadBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the shapes are known, the rules walk no choice item's tree."""
    _assembled(_output(load_bank, "sample-all-types"))
    walked: list[str] = []
    tree_report = canvas_rules._tree_report

    def walk(path: str, item: Any) -> Any:
        walked.append(item.get("title"))
        return tree_report(path, item)

    monkeypatch.setattr(canvas_rules, "_tree_report", walk)
    assembled = _assembled(_output(load_bank, "sample-all-types"))
    assert _both(assembled, monkeypatch) == ([], [])
    assert "Best month for leads" not in walked
    assert "True statements about the quarter" not in walked
    assert "Welcome" in walked  # not a choice item


def test_copies_are_not_held_where_nobody_asks(
    load_bank: LoadBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under --no-validate no rule asks: holding every copy until it is forgotten made the
    10k export 0.3 CPU-s slower (held trees are slow to take out of the assembled shell)."""
    monkeypatch.setattr(templates, "_asked", False)
    monkeypatch.setattr(templates, "_remembered", {})
    bank = load_bank("sample-all-types").bank
    for question in bank.questions:
        if isinstance(question, qti12_items.CHOICE_TYPES):
            qti12_items.item(bank, question)
    assert templates._remembered == {}


class _Linked(NamedTuple):
    ident: str
    feedback: str  # the ident of its one itemfeedback


def _linked_item(spec: _Linked) -> Any:
    """An essay item whose one condition shows the feedback 'x_fb', a constant: the link
    holds only while the feedback's ident, a string of the spec, is 'x_fb'."""
    from packager.writers import qti12_elements as e

    item = etree.Element(f"{Q}item", {"ident": spec.ident}, nsmap=e.QTI_NSMAP)
    e.itemmetadata(item, ("essay_question", "1.0", "", "q"))
    condition, var = e.respcondition(e.resprocessing(item), continue_=True)
    e.subelement(var, "other")
    e.displayfeedback(condition, "x_fb")
    e.itemfeedback(item, spec.feedback, "<p>Seen.</p>")
    return item


def test_a_link_to_a_feedback_of_another_string_is_checked_on_the_tree() -> None:
    made = templates.Templates(_linked_item, remember=True)
    first = made(_Linked("i1", "x_fb"))
    templates.filled(first)  # asked once: copies are remembered from then on
    assert canvas_rules.item_report("a.xml", first).problems == []
    copy_ = made(_Linked("i2", "y_fb"))
    assert canvas_rules.item_report("a.xml", copy_).problems == [
        "a.xml: item 'i2': displayfeedback 'x_fb' has no itemfeedback"
    ]


def _filled(made: templates.Filled, strings: list[str]) -> Any:
    tree = copy.deepcopy(made.shape)
    elements = list(tree.iter())
    for position, attribute, number in made.slots:
        if attribute is None:
            elements[position].text = strings[number]
        else:
            elements[position].set(attribute, strings[number])
    return tree


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
