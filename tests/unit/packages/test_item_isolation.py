"""Every item carries its own question's strings, whatever its writer caches.

The large writers build items as copies of a tree cached per shape and fill in each
question's strings (xml.templates, the QTI 2.x skeletons, the Blackboard templates). A string
a fill forgets would leak the text of the question that made the tree into the next ones of
its shape. Here every question appears twice, as an A copy and a B copy of the same shape whose
every text carries the copy's marker; an item holding both markers took a string from its twin
(or from whichever question made its template). This holds for any caching, in any order.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from lxml import etree

from packager.model import Bank
from packager.pipeline import LoadedBank, export
from packager.readers.base import Source
from tests.conftest import CONTENT, bank_path, make_ctx

MARKERS = ("zqA", "zqB")
_TEXT_KEYS = {
    "prompt", "scenario", "explanation", "text", "title", "correct", "incorrect", "feedback",
    "feedback_true", "feedback_false", "rubric", "sample_answer", "items", "match",
}


def _marked(value: Any, marker: str, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _marked(v, marker, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_marked(v, marker, key) for v in value]
    if isinstance(value, str) and key in _TEXT_KEYS:
        return f"{value} {marker}"
    return value


def _twin_bank(name: str) -> LoadedBank:
    data = Bank.model_validate_json(bank_path(name).read_bytes()).model_dump(
        mode="json", exclude_none=True
    )
    twins = []
    for marker in MARKERS:
        for question in data["questions"]:
            copy = _marked(question, marker)
            copy["id"] = f"{question['id']}-{marker.lower()}"
            twins.append(copy)
    data["questions"] = twins
    data.pop("sections", None)
    return LoadedBank(Bank.model_validate(data), Source(f"{name}.json", b"", CONTENT), ())


def _items(target: str, artefact: bytes) -> list[bytes]:
    """The serialized items of an artefact: item documents, or item elements of a pool."""
    if target == "moodle":
        documents = [artefact]
    else:
        with zipfile.ZipFile(io.BytesIO(artefact)) as archive:
            documents = [archive.read(n) for n in archive.namelist() if n.endswith((".xml", ".dat"))]
    items: list[bytes] = []
    for document in documents:
        root = etree.fromstring(document)
        local = etree.QName(root).localname
        if local in ("assessmentItem", "qti-assessment-item"):
            items.append(document)
            continue
        names = {"question"} if target == "moodle" else {"item"}
        for element in root.iter("{*}*"):
            if etree.QName(element).localname in names:
                items.append(etree.tostring(element))
    return items


def _check_isolation(bank: str, target: str) -> None:
    loaded = _twin_bank(bank)
    artefact = export(loaded, target, make_ctx(None, skip_unsupported=True, validate_output=False))
    marked = [i for i in _items(target, artefact.data) if any(m.encode() in i for m in MARKERS)]
    for marker in MARKERS:
        assert any(marker.encode() in item for item in marked), f"no {marker} item"
    for item in marked:
        held = [m for m in MARKERS if m.encode() in item]
        assert len(held) == 1, f"an item of {target} holds strings of both twins: {item[:300]!r}"


@pytest.mark.parametrize("bank", ["sample-all-types", "qti2-edge-cases", "qti12-groups"])
@pytest.mark.parametrize("target", ["qti12", "qti21", "qti30", "blackboard", "cc", "moodle"])
def test_no_item_holds_a_string_of_another_question(bank: str, target: str) -> None:
    _check_isolation(bank, target)


def test_a_fill_that_forgets_its_texts_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: when filling a copy sets attributes but no texts, the check fails."""
    from packager.writers import qti12_items
    from packager.xml import templates

    fill = templates.Working.fill  # a copy's and an item filled in place alike

    def attributes_only(self: Any, texts: list[str]) -> Any:
        slots = self.slots
        self.slots = [slot for slot in slots if slot[1] is not None]
        try:
            return fill(self, texts)
        finally:
            self.slots = slots

    monkeypatch.setattr(
        qti12_items, "_CHOICE_ITEMS", templates.Templates(qti12_items._build_choice_item)
    )
    monkeypatch.setattr(templates.Working, "fill", attributes_only)
    with pytest.raises(AssertionError, match="holds strings of both twins"):
        _check_isolation("sample-all-types", "qti12")
