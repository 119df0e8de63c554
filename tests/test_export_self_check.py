"""`export` runs on what it has just built the package checks `packager check` runs (manifest
references, every file present, the Canvas rules), so a writer bug fails the export with
exit 5 instead of the LMS import (issue 16, item 4). Tested with deliberately broken writers."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.cli.test_validate import assert_no_traceback, run
from tests.conftest import CONTENT


def test_a_manifest_naming_a_missing_file_fails_the_export(
    tmp_path: Path, xsd_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    from packager.packages import cc

    real = cc.manifest

    def broken(*args: Any, **kwargs: Any) -> etree._Element:
        root = real(*args, **kwargs)
        resource = next(e for e in root.iter() if etree.QName(e).localname == "resource")
        namespace = etree.QName(resource).namespace
        etree.SubElement(resource, f"{{{namespace}}}file", href="web_resources/missing.xml")
        return root

    monkeypatch.setattr(cc, "manifest", broken)
    code, out, err = run(["export", "--format", "cc", "--out", str(tmp_path), "--xsd-dir",
                          str(xsd_path), str(CONTENT / "neon-broccoli.json")], capsys)
    assert_no_traceback(out, err)
    assert code == 5
    assert "fails packager check (a packager bug" in err
    assert "file href 'web_resources/missing.xml' is not in the package" in err
    assert list(tmp_path.glob("*.imscc")) == []


def test_a_broken_canvas_rule_fails_the_export(
    tmp_path: Path, xsd_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    from packager.packages import canvas_rules

    monkeypatch.setattr(canvas_rules, "CANVAS_QUESTION_TYPES", frozenset())
    # and no shape's rules proven under the real ones (they are kept for the process)
    monkeypatch.setattr(canvas_rules, "_SHAPE_RULES", {})
    code, _out, err = run(["export", "--format", "qti12", "--out", str(tmp_path), "--xsd-dir",
                          str(xsd_path), str(CONTENT / "neon-broccoli.json")], capsys)
    assert code == 5, err
    assert "is not a Canvas question type" in err
    assert list(tmp_path.glob("*.zip")) == []


# The Canvas rules of each item run where the item is built (in forked workers when the export
# has cores and enough items); the self-check then reads their reports. A writer bug must fail
# the export both there and where every batch is built in the exporting process.
PATHS = {"forked": ("fork", True), "one process": ("spawn", False)}


def _wide_bank(path: Path) -> Path:
    import json

    from packager.packages.assemble import MIN_PARALLEL_BATCHES
    from packager.packages.assemble_streamed import BATCH

    questions = [
        {
            "id": f"q{i}",
            "type": "single_choice",
            "prompt": f"Question {i}?",
            "choices": [{"id": "a", "text": f"Yes {i}", "correct": True}, {"id": "b", "text": "No"}],
        }
        for i in range(BATCH * MIN_PARALLEL_BATCHES + 1)
    ]
    bank = {"format": "packager.question-bank/1", "id": "wide", "title": "Wide",
            "questions": questions}
    path.write_text(json.dumps(bank), encoding="utf-8")
    return path


def _drop_points(element: etree._Element) -> None:
    for field in element.iter("{*}qtimetadatafield"):
        if field.findtext("{*}fieldlabel") == "points_possible":
            field.getparent().remove(field)  # type: ignore[union-attr]


def _first_ident(element: etree._Element) -> None:
    element.set("ident", "g_first")


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_drop_points, "item 'g_last': no points_possible in itemmetadata"),
        (_first_ident, "item 'g_first' appears twice"),
    ],
    ids=["item rule", "assessment rule"],
)
def test_a_canvas_rule_broken_in_the_built_items_fails_the_export(
    tmp_path: Path, xsd_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], path: str, edit: Any, message: str,
):
    """The first and the last item of a bank of nine batches, so that with workers they are
    built (and checked) in different processes: the first filled in place from its spec (its
    ident a string of the spec), the last built as a tree and changed after it was built."""
    from packager.packages import assemble
    from packager.processes import ENV_VAR
    from packager.writers import qti12, qti12_items

    method, pooled = PATHS[path]
    monkeypatch.setenv(ENV_VAR, method)
    monkeypatch.setattr("packager.context.usable_cores", lambda: 2)
    pools: list[bool] = []
    real_pool, real_item, real_spec = assemble._pool_for, qti12.item, qti12_items._choice_item
    real_in_place = qti12_items._choice_spec

    @contextmanager
    def pool_for(*args: Any) -> Iterator[Any]:
        with real_pool(*args) as pool:
            pools.append(pool is not None)
            yield pool

    def spec(bank: Any, question: Any) -> Any:
        made = real_spec(bank, question)
        named = {"q0": "g_first", f"q{len(bank.questions) - 1}": "g_last"}
        return made._replace(ident=named[question.id]) if question.id in named else made

    def in_place(bank: Any, question: Any) -> Any:
        last = question.id == f"q{len(bank.questions) - 1}"
        return None if last else real_in_place(bank, question)  # None: built by `item`

    def item(bank: Any, question: Any) -> etree._Element:
        element = real_item(bank, question)
        if question.id == f"q{len(bank.questions) - 1}":
            # a copy: the writer never changes a template's copy it returned
            element = copy.deepcopy(element)
            edit(element)
        return element

    monkeypatch.setattr(assemble, "_pool_for", pool_for)
    monkeypatch.setattr(qti12, "item", item)
    monkeypatch.setattr(qti12_items, "_choice_item", spec)
    monkeypatch.setattr(qti12_items, "_choice_spec", in_place)
    bank = _wide_bank(tmp_path / "wide.json")
    out = tmp_path / "out"
    code, _out, err = run(["export", "--format", "qti12", "--out", str(out), "--xsd-dir",
                          str(xsd_path), str(bank)], capsys)
    assert code == 5, err
    assert pools == [pooled]
    assert "fails packager check (a packager bug" in err
    assert message in " ".join(err.split()), err
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("path", sorted(PATHS))
def test_the_self_check_reads_the_item_reports_not_the_assessment(
    tmp_path: Path, xsd_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], path: str,
):
    from packager.packages import canvas_rules
    from packager.processes import ENV_VAR

    class NoParsing:
        """lxml.etree as canvas_rules sees it, but for parsing (the manifest is read as a
        stream elsewhere, through lxml.etree itself)."""

        def __getattr__(self, name: str) -> Any:
            return getattr(etree, name)

        def iterparse(self, *args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the export parsed its assessment again")

    monkeypatch.setenv(ENV_VAR, PATHS[path][0])
    monkeypatch.setattr("packager.context.usable_cores", lambda: 2)
    monkeypatch.setattr(canvas_rules, "etree", NoParsing())
    out = tmp_path / "out"
    code, _out, err = run(["export", "--format", "qti12", "--out", str(out), "--xsd-dir",
                          str(xsd_path), str(_wide_bank(tmp_path / "wide.json"))], capsys)
    assert code == 0, err
    assert [p.suffix for p in out.glob("wide-*.zip")] == [".zip"]


def test_a_text_package_starting_with_pk_is_no_zip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """An Aiken file whose first question's text starts 'PK' (as a zip's bytes do) was read
    as a zip by the self-check: a BadZipFile traceback, nothing written."""
    import json

    bank = json.loads((CONTENT / "neon-broccoli.json").read_text(encoding="utf-8"))
    bank["questions"][0]["scenario"] = "PK first: the pump's ratio."
    path = tmp_path / "pk.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    code, out, err = run(["export", "--format", "aiken", "--skip-unsupported", "--out",
                          str(tmp_path / "out"), str(path)], capsys)
    assert_no_traceback(out, err)
    assert code == 0
    assert (tmp_path / "out" / "neon-broccoli-1.0.0.aiken.txt").read_bytes().startswith(b"PK")
