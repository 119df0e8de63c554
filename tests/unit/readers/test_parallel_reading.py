"""Large imports read their questions in forked workers (readers/parallel.py): the bank, the
notes and every diagnostic must be those of one process reading alone, which is also what
happens where workers would be spawned (Windows, macOS, PACKAGER_START_METHOD=spawn).

The thresholds are lowered here so that a few questions are shared out, one or two at a time,
between this process and two workers."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from packager.errors import InputError
from packager.processes import ENV_VAR
from packager.readers import (
    blackboard,
    cc,
    moodle,
    parallel,
    qti2_package,
    qti12,
    qti12_package,
    qti21,
    qti30,
    text,
)
from packager.readers.base import Source
from packager.writers.canonical import write
from tests.conftest import SAMPLE_BANKS, make_ctx, record_pool_starts
from tests.unit.readers.import_goldens import INPUTS


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """Small thresholds, three usable cores, and the start method of every pool made."""
    made = record_pool_starts(monkeypatch)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "PART", 2)
    monkeypatch.setattr("packager.context.usable_cores", lambda: 3)
    return made


def _who_reads(state: int, start: int, stop: int) -> list[tuple[int, int]]:
    """Each index with the process that read it; this process (`state`) dawdles, so that
    the workers are sure to read some."""
    if os.getpid() == state:
        time.sleep(0.02)
    return [(i, os.getpid()) for i in range(start, stop)]


def test_parts_come_back_in_order_and_workers_read_some(
    pools: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, "fork")
    parts = parallel.in_parts(_who_reads, os.getpid(), 41)
    read = [item for part in parts for item in part]
    assert [i for i, _ in read] == list(range(41))
    assert {pid for _, pid in read} - {os.getpid()}
    assert pools == ["fork"]


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_where_workers_would_not_be_forked_this_process_reads_all(
    method: str, pools: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, method)
    parts = parallel.in_parts(_who_reads, os.getpid(), 41)
    assert parts == [[(i, os.getpid()) for i in range(41)]]
    assert pools == []


def test_a_small_source_is_read_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "fork")
    monkeypatch.setattr("packager.context.usable_cores", lambda: 8)
    count = parallel.MIN_ITEMS - 1
    assert parallel.in_parts(_who_reads, -1, count) == [[(i, os.getpid()) for i in range(count)]]


def _both(monkeypatch: pytest.MonkeyPatch, read: Any) -> tuple[Any, Any]:
    """What `read()` gives with forked workers, and alone (as with spawned ones)."""
    monkeypatch.setenv(ENV_VAR, "fork")
    forked = read()
    monkeypatch.setenv(ENV_VAR, "spawn")
    return forked, read()


def _text_result(data: bytes) -> Any:
    result = text.read_result(Source("bank.txt", data, INPUTS / "text"))
    return (write(result.bank) if result.bank else None, result.diagnostics)


TEXT_CASES = sorted(p.name for p in (INPUTS / "text").glob("*.txt"))


@pytest.mark.parametrize("name", TEXT_CASES)
def test_every_text_case_reads_the_same_in_parts(
    name: str, pools: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (INPUTS / "text" / name).read_bytes()
    forked, alone = _both(monkeypatch, lambda: _text_result(data))
    assert forked == alone


def _text_bank(count: int) -> bytes:
    """Questions of every kind, some of them broken, and repeated prompts (ids get -2 …)."""
    questions = []
    for i in range(count):
        prompt = f"Which one is number {i % 7}?"
        if i % 5 == 0:
            questions.append(f"{prompt}\n- one\n- two\nExplanation: nothing names the key.")
        elif i % 3 == 0:
            questions.append(f"Situation: case {i}.\n{prompt}\na. one\nb. two\nc. three\n"
                             "Answer: C\nExplanation: The correct answer is C.")
        else:
            questions.append(f"{prompt}\n- the first one\n- the second one\n"
                             "Explanation: The correct answer is the secnd one, because.")
    return ("Title: Parts\n" + "\n---\n".join(questions) + "\n").encode()


def test_a_text_bank_with_errors_reads_the_same_in_parts(
    pools: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    forked, alone = _both(monkeypatch, lambda: _text_result(_text_bank(23)))
    assert pools == ["fork"]
    assert forked == alone
    assert forked[0] is None and len(forked[1]) == 5  # questions 0, 5, 10 … have no key
    assert [d.line for d in forked[1]] == sorted(d.line for d in forked[1])
    good = _text_result(_text_bank(23).replace(b"Explanation: nothing names the key.", b"Answer: A"))
    assert good[0] is not None and b'"id": "which-one-is-number-0-2"' in good[0]


def _without_files(path: Path) -> bytes:
    """A Moodle fixture without its <file>s (a file's media names depend on those before)."""
    root = etree.fromstring(path.read_bytes())
    for file in list(root.iter("file")):
        parent = file.getparent()
        assert parent is not None
        parent.remove(file)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _moodle_result(data: bytes) -> Any:
    try:
        imported = moodle.read(Source("quiz.xml", data, INPUTS / "moodle"))
    except InputError as exc:
        return None, exc.message, exc.diagnostics
    return write(imported.bank), imported.notes, imported.media


MOODLE_CASES = sorted(p.name for p in (INPUTS / "moodle").glob("*.xml"))


@pytest.mark.parametrize("name", MOODLE_CASES)
def test_every_moodle_case_reads_the_same_in_parts(
    name: str, pools: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _without_files(INPUTS / "moodle" / name)
    forked, alone = _both(monkeypatch, lambda: _moodle_result(data))
    assert pools == ["fork"]
    assert forked == alone
    assert forked[1]  # notes, each located at its question: their order is checked


def test_moodle_errors_in_parts_are_reported_in_order(
    pools: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = etree.fromstring(_without_files(INPUTS / "moodle" / "moodle-export.xml"))
    for grade in root.iter("defaultgrade"):
        grade.text = "lots"
    data = etree.tostring(root)
    forked, alone = _both(monkeypatch, lambda: _moodle_result(data))
    assert forked == alone
    lines = [d.line for d in forked[2]]
    assert len(lines) > 5 and lines == sorted(lines)


def test_moodle_media_are_named_by_one_process(
    pools: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (INPUTS / "moodle" / "awkward.xml").read_bytes()
    forked, alone = _both(monkeypatch, lambda: _moodle_result(data))
    assert pools == []
    assert forked == alone and forked[2]


def _package_result(reader: Any, data: bytes) -> Any:
    imported = reader.read(Source("package.zip", data, Path(".")))
    return write(imported.bank), imported.notes, imported.media


_PACKAGE_READERS = {"qti21": (qti21, qti2_package), "qti30": (qti30, qti2_package),
                    "qti12": (qti12, qti12_package), "cc": (cc, qti12_package),
                    "blackboard": (blackboard, blackboard)}


@pytest.mark.parametrize("bank", SAMPLE_BANKS)
@pytest.mark.parametrize("target", list(_PACKAGE_READERS))
def test_every_package_item_reads_the_same_in_parts(
    bank: str, target: str, load_bank: Any, pools: list[str | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Items with images (found by whichever process reads them), stimuli, sections."""
    from packager.pipeline import export

    reader, module = _PACKAGE_READERS[target]
    here, read_part = os.getpid(), module._read_part

    def dawdling(state: Any, start: int, stop: int) -> Any:  # so that workers read some
        if os.getpid() == here:
            time.sleep(0.05)
        return read_part(state, start, stop)

    monkeypatch.setattr(module, "_read_part", dawdling)

    data = export(load_bank(bank), target, make_ctx(None, skip_unsupported=True)).data
    forked, alone = _both(monkeypatch, lambda: _package_result(reader, data))
    assert pools == ["fork"]
    assert forked == alone
    if bank == "sample-all-types":
        assert forked[2]  # images came back from the workers that found them


def test_blackboard_images_that_would_share_a_name_are_named_by_one_process(
    load_bank: Any, pools: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two different files stored under one name get `-2` by the order they are met: such a
    package is read in one process, in order."""
    import io
    import zipfile

    from packager.pipeline import export

    data = export(load_bank("sample-all-types"), "blackboard",
                  make_ctx(None, skip_unsupported=True)).data
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        files = {i.filename: source.read(i) for i in source.infolist()}
    image = next(name for name in files if name.endswith(".png"))
    twin = image.rsplit("/", 1)[0] + "/other/" + image.rsplit("/", 1)[1]
    files[twin] = files[image][:-1] + b"\x00"  # another file, stored under the same name
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in files.items():
            target.writestr(name, content)
    forked, alone = _both(monkeypatch, lambda: _package_result(blackboard, out.getvalue()))
    assert pools == []
    assert forked == alone
