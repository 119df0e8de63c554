"""packages/assemble.py: streamed documents give the bytes of the whole tree, and are checked.

A streamed document's children are built lazily, validated one at a time inside the shell,
and cut out of the shell's serialization; these tests compare with serializing the whole tree.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from lxml import etree

from packager.archive import ZipEntries
from packager.context import BuildContext
from packager.errors import PackagerError
from packager.packages.assemble import _forked_batch, assemble
from packager.packages.base import Output, Part
from packager.xml.serialize import SLOT_PREFIX, ChildRun, child_run, to_bytes
from packager.xml.templates import Filled, InPlace, Templates

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
Q = f"{{{QTI}}}"


def _item(ident: str, text: str = "What & why?") -> etree._Element:
    item = etree.Element(Q + "item", {"ident": ident, "title": ident}, nsmap={None: QTI})
    material = etree.SubElement(etree.SubElement(item, Q + "presentation"), Q + "material")
    etree.SubElement(material, Q + "mattext", {"texttype": "text/html"}).text = text
    return item


def _shell(runs: list[list[str]]) -> tuple[etree._Element, list[ChildRun]]:
    """questestinterop > assessment > section, a nested group per run after the first."""
    root = etree.Element(Q + "questestinterop", nsmap={None: QTI})
    assessment = etree.SubElement(root, Q + "assessment", {"ident": "A1", "title": "T"})
    section = etree.SubElement(assessment, Q + "section", {"ident": "root_section"})
    slots = []
    for n, idents in enumerate(runs):
        holder = section if n == 0 else etree.SubElement(section, Q + "section", {"ident": f"g{n}"})
        slots.append(child_run(holder, idents, _item))
    return root, slots


def _whole(runs: list[list[str]], build: Any = _item) -> bytes:
    """The reference: every run's children built in place of its marker, one whole tree."""
    root, slots = _shell(runs)
    for run in slots:
        parent = run.marker.getparent()
        assert parent is not None
        at = parent.index(run.marker)
        parent[at : at + 1] = [build(item) for item in run.items]
    return to_bytes(root)


MANY = [f"i{n}" for n in range(2100)]  # several batches: more than assemble_streamed.BATCH each
# Many small runs (a bank of many sections), batched together, then a larger one.
SECTIONS = [[f"s{n}-{k}" for k in range(n % 3 + 1)] for n in range(600)] + [MANY[:300]]
# So many runs that a batch holds more than BATCH children (assemble_streamed.SHELL_SHARE).
ONE_EACH = [[f"s{n}"] for n in range(2_600)]


@pytest.mark.parametrize("processes", [1, 2], ids=["in-process", "forked"])
@pytest.mark.parametrize(
    "runs",
    [[["i1"]], [["i1", "i2", "i3"]], [["i1", "i2"], ["i3"], ["i4", "i5"]], [MANY, MANY[:700]],
     SECTIONS, ONE_EACH],
    ids=["one", "three", "groups", "batches", "sections", "many-sections"],
)
def test_streamed_document_is_byte_for_byte_the_whole_tree(
    runs: list[list[str]], processes: int, xsd_path: Path
) -> None:
    root, slots = _shell(runs)
    output = Output()
    output.add_streamed_xml("a/a.xml", root, "qti12", slots)
    output.add("imsmanifest.xml", b"<manifest/>")
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path, processes=processes))
    assert assembled.errors == []
    assert assembled.validated == ["a/a.xml"]
    files = dict(ZipEntries(assembled.data))
    assert list(files) == ["imsmanifest.xml", "a/a.xml"]
    assert files["a/a.xml"] == _whole(runs)


@pytest.mark.parametrize("processes", [1, 2], ids=["in-process", "forked"])
def test_the_child_rule_reports_every_child_in_order_unless_output_is_unchecked(
    processes: int,
) -> None:
    runs = [MANY, ["g1", "g2"]]
    output = Output()
    root, slots = _shell(runs)
    output.add_streamed_xml("a.xml", root, None, slots, lambda path, c: (path, c.get("ident")))
    output.add("imsmanifest.xml", b"<manifest/>")
    checked = assemble(output, BuildContext(processes=processes))
    (reports,) = checked.reports.values()
    assert list(checked.reports) == ["a.xml"]
    assert reports.reports == [[("a.xml", i) for i in run] for run in runs]
    assert reports.root is root and reports.markers == [s.marker for s in slots]
    unchecked = assemble(output, BuildContext(processes=processes, validate_output=False))
    assert unchecked.reports == {}
    assert unchecked.data == checked.data


def test_materialized_parts_match_the_assembled_file() -> None:
    runs = [["i1", "i2"], ["i3"]]
    root, slots = _shell(runs)
    output = Output(single_file=True)
    output.add_streamed_xml("a.xml", root, None, slots)
    assert output.parts["a.xml"].data == _whole(runs)
    assert output.parts["a.xml"].data == _whole(runs)  # asking twice does not rebuild


def _broken(ident: str) -> etree._Element:
    item = _item(ident)
    if ident.startswith("bad"):
        etree.SubElement(item, Q + "nonsense")
    return item


@pytest.mark.parametrize("processes", [1, 2], ids=["in-process", "forked"])
def test_a_child_that_breaks_the_schema_is_reported_with_its_ident(
    xsd_path: Path, processes: int
) -> None:
    root, slots = _shell([[]])
    run = ChildRun(slots[0].marker, [*MANY[:1000], "bad1", *MANY[1000:]], _broken)
    output = Output()
    output.add_streamed_xml("a/a.xml", root, "qti12", [run])
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path, processes=processes))
    assert len(assembled.errors) == 1
    assert assembled.errors[0].startswith("a/a.xml (bad1):")
    assert "nonsense" in assembled.errors[0]


@pytest.mark.parametrize("processes", [1, 2], ids=["in-process", "forked"])
def test_a_bad_child_among_many_small_runs_is_named(xsd_path: Path, processes: int) -> None:
    """Small runs are validated together; when that fails, each run on its own names the
    child at fault, as for a run of its own."""
    runs = [list(run) for run in SECTIONS]
    runs[7] = ["ok7", "bad7"]
    root, slots = _shell(runs)
    output = Output()
    output.add_streamed_xml("a/a.xml", root, "qti12", [ChildRun(s.marker, s.items, _broken)
                                                         for s in slots])
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path, processes=processes))
    assert len(assembled.errors) == 1
    assert assembled.errors[0].startswith("a/a.xml (bad7):")


@pytest.fixture
def placed_alone(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The index of each run placed alone in the shell, in order."""
    from packager.packages import assemble_streamed as module

    placed: list[int] = []
    alone = module._alone

    def counted(*args: Any) -> Any:
        placed.append(args[2])  # the run's index
        return alone(*args)

    monkeypatch.setattr(module, "_alone", counted)
    return placed


def test_a_bad_child_among_many_small_runs_is_found_by_halving(
    xsd_path: Path, placed_alone: list[int]
) -> None:
    """A failed batch of small runs placed each run alone, validating the whole shell
    (which grows with the runs) once per run: quadratic in the sections on the failing
    path. Halving places only the runs at fault alone (and a neighbour), and still names
    every child at fault and gives the whole tree's bytes."""
    runs = [[f"s{n}"] for n in range(600)]
    runs[100], runs[450] = ["bad100"], ["ok", "bad450"]
    root, slots = _shell(runs)
    output = Output()
    output.add_streamed_xml("a/a.xml", root, "qti12", [ChildRun(s.marker, s.items, _broken)
                                                         for s in slots])
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path, processes=1))
    assert [e.split(":")[0] for e in assembled.errors] == ["a/a.xml (bad100)",
                                                          "a/a.xml (bad450)"]
    assert 100 in placed_alone and 450 in placed_alone and len(placed_alone) <= 4
    assert dict(ZipEntries(assembled.data))["a/a.xml"] == _whole(runs, _broken)


def _with_marker_text(ident: str) -> etree._Element:
    """An item holding a comment that reads like a slot marker."""
    item = _item(ident)
    item.append(etree.Comment(f"{SLOT_PREFIX}{ident}"))
    return item


def test_small_runs_whose_children_read_like_markers_are_cut_one_by_one(
    xsd_path: Path, placed_alone: list[int]
) -> None:
    """Where several runs' children end is told by the markers after them: a child holding
    a marker's text would make that ambiguous, so each run is then placed on its own."""
    runs = [["i1"], ["i2", "i3"], ["i4"]]
    root, slots = _shell(runs)
    output = Output()
    output.add_streamed_xml("a/a.xml", root, "qti12", [ChildRun(s.marker, s.items,
                                                                _with_marker_text)
                                                       for s in slots])
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path))
    assert placed_alone == [0, 1, 2]
    assert dict(ZipEntries(assembled.data))["a/a.xml"] == _whole(runs, _with_marker_text)


def _large(ident: str) -> etree._Element:
    """An item of 3,000 materials, over 256 KB: taken apart before it leaves the shell."""
    item = _item(ident)
    presentation = item[0]
    for n in range(3000):
        material = etree.SubElement(presentation, Q + "material")
        etree.SubElement(material, Q + "mattext").text = f"{n} " + "x" * 80
    return item


def _large_with_marker_text(ident: str) -> etree._Element:
    item = _large(ident)
    item.append(etree.Comment(f"{SLOT_PREFIX}{ident}"))
    return item


@pytest.mark.parametrize("runs", [[["a", "b"]], [["a"], ["b"], ["c"]]], ids=["run", "runs"])
@pytest.mark.parametrize("build", [_large, _large_with_marker_text],
                         ids=["large", "large-with-marker-text"])
def test_large_children_give_the_whole_trees_bytes(
    runs: list[list[str]], build: Any, xsd_path: Path
) -> None:
    """Small runs' large children whose bytes held a marker's text were taken apart as they
    left the shell, then placed again, each run alone, as empty items: the document lost
    their content, with no error."""
    root, slots = _shell(runs)
    output = Output()
    output.add_streamed_xml("a/a.xml", root, "qti12", [ChildRun(s.marker, s.items, build)
                                                         for s in slots])
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path))
    assert assembled.errors == []
    data = dict(ZipEntries(assembled.data))["a/a.xml"]
    assert len(data) > 256 * 1024 * len(runs) and data == _whole(runs, build)
    assert [c.tag for c in root.iter()] == [c.tag for c in _shell(runs)[0].iter()]  # as it was


def _failing(ident: str) -> etree._Element:
    if ident == "i2":
        raise PackagerError("writer failed on the second item")
    return _item(ident)


def test_a_writer_error_while_streaming_reaches_the_caller() -> None:
    root, slots = _shell([[]])
    output = Output()
    output.add_streamed_xml(
        "a/a.xml", root, None, [ChildRun(slots[0].marker, ["i1", "i2"], _failing)]
    )
    with pytest.raises(PackagerError, match="second item"):
        assemble(output, BuildContext())


def _long_then_failing(ident: str) -> etree._Element:
    if ident == "i500":  # a batch (BATCH) of 1.3 MB later: the zip entry is open by then
        raise PackagerError("writer failed in the middle of the document")
    return _item(ident, "x" * 5000)


def test_a_zip_given_up_in_the_middle_of_an_entry_is_let_go_of_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part that fails while its streamed entry is open (a writer's error, a full disk)
    leaves nothing for the ZipFile to finish when it is collected: it finished it on the
    staged file closed and removed by then, and Python printed 'Exception ignored in:
    <function ZipFile.__del__>' with a traceback on the user's terminal."""
    import gc
    import sys

    from packager.fsutil import staging

    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    root, slots = _shell([[]])
    output = Output()
    output.add_streamed_xml("a/a.xml", root, None, [
        ChildRun(slots[0].marker, [f"i{n}" for n in range(600)], _long_then_failing)])
    with pytest.raises(PackagerError, match="middle"), staging(tmp_path / "a.zip") as file:
        assemble(output, BuildContext(), file)
    gc.collect()
    assert [str(u.exc_value) for u in unraisable] == []
    assert list(tmp_path.iterdir()) == []


def test_small_parts_beside_a_streamed_document_are_deflated_on_this_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the streamed document goes to the compression thread: handing thousands of small
    items to it cost more in GIL hand-overs than deflating them here. The zip keeps the
    entry order either way."""
    import threading

    from packager import archive

    threads: dict[str, set[str]] = {}
    write, open_ = archive.ZipWriter.write, archive.ZipWriter.open

    def recorded(method: Any) -> Any:
        def call(self: Any, name: str, *args: Any) -> Any:
            threads.setdefault(name, set()).add(threading.current_thread().name)
            return method(self, name, *args)

        return call

    monkeypatch.setattr(archive.ZipWriter, "write", recorded(write))
    monkeypatch.setattr(archive.ZipWriter, "open", recorded(open_))
    root, slots = _shell([MANY])
    output = Output()
    output.add("imsmanifest.xml", b"<manifest/>")
    output.add_streamed_xml("a/a.xml", root, None, slots)
    for n in range(3):
        output.add(f"items/i{n}.xml", f"<item n='{n}'/>".encode())
    files = dict(ZipEntries(assemble(output, BuildContext()).data))
    assert list(files) == ["imsmanifest.xml", "a/a.xml", "items/i0.xml", "items/i1.xml",
                           "items/i2.xml"]
    assert files["a/a.xml"] == _whole([MANY]) and files["items/i2.xml"] == b"<item n='2'/>"
    here = threading.current_thread().name
    assert threads["a/a.xml"] == {"packager-zip"}
    assert {n: t for n, t in threads.items() if n != "a/a.xml"} == {
        n: {here} for n in ["imsmanifest.xml", "items/i0.xml", "items/i1.xml", "items/i2.xml"]
    }


def test_a_compression_error_reaches_the_caller_before_the_next_small_part(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from packager import archive

    write = archive.ZipWriter.write
    written: list[str] = []

    def failing(self: Any, name: str, data: bytes) -> None:
        if name == "a/a.xml":  # on the compression thread
            raise OSError("disk full while deflating")
        written.append(name)
        write(self, name, data)

    monkeypatch.setattr(archive.ZipWriter, "write", failing)
    root, slots = _shell([MANY])
    output = Output()
    output.add_streamed_xml("a/a.xml", root, None, slots)
    output.add("items/i0.xml", b"<item/>")
    with pytest.raises(OSError, match="disk full"):
        assemble(output, BuildContext())
    assert written == []  # the small part after it was never written


def test_an_empty_run_leaves_a_valid_document() -> None:
    root, slots = _shell([["i1"], []])
    output = Output(single_file=True)
    output.add_streamed_xml("a.xml", root, None, slots)
    data = assemble(output, BuildContext()).data
    parsed = etree.fromstring(data)
    assert [i.get("ident") for i in parsed.iter(Q + "item")] == ["i1"]
    assert parsed.find(f".//{Q}section[@ident='g1']") is not None
    assert b"packager-slot" not in data


def test_a_pool_is_used_only_with_processes_and_enough_batches() -> None:
    from packager.packages import assemble as module
    from packager.packages.assemble_streamed import BATCH, Batch

    def output(n: int) -> Output:
        root, slots = _shell([MANY[:n]])
        result = Output()
        result.add_streamed_xml("a.xml", root, None, slots, lambda path, c: c.get("ident"))
        return result

    many = len(MANY)
    assert many // BATCH >= module.MIN_PARALLEL_BATCHES
    with module._pool_for(output(many), BuildContext(processes=1)) as none:
        assert none is None
    with module._pool_for(output(10), BuildContext(processes=2)) as none:
        assert none is None
    with module._pool_for(output(many), BuildContext(processes=64)) as wide:
        assert wide is not None
        assert len(wide._processes) == 2  # 9 batches: not one worker per core of a big machine
    with module._pool_for(output(many), BuildContext(processes=2)) as pool:
        assert pool is not None
        # The forked worker builds a batch from the parent's Output, and runs its child rule.
        batch = Batch("a.xml", ((0, 0, 2),))
        (data,), errors, reports = pool.submit(module._forked_batch, batch).result()
        assert errors == [] and data.count(b"<item ") == 2
        assert reports == [MANY[:2]]
    assert module._FORKED is None  # what the workers read is let go with them


def test_forked_workers_build_on_a_thread_of_their_own() -> None:
    """On a forked worker's main thread, building took the free chunks of the heap it
    inherited (processes.on_own_thread): the 50,000-question QTI 1.2 export cost more per
    question than the 10,000-question one."""
    import threading

    from packager.packages import assemble as module
    from packager.packages.assemble_streamed import Batch

    def main_thread(path: str, child: Any) -> bool:
        return threading.current_thread() is threading.main_thread()

    root, slots = _shell([MANY])
    output = Output()
    output.add_streamed_xml("a.xml", root, None, slots, main_thread)
    with module._pool_for(output, BuildContext(processes=2)) as pool:
        assert pool is not None
        _, _, reports = pool.submit(module._forked_batch, Batch("a.xml", ((0, 0, 2),))).result()
    assert reports == [[False, False]]


def test_without_workers_the_main_thread_builds_on_a_thread_of_its_own() -> None:
    """A one-core export builds its streamed documents off the main thread: in the main
    arena of the heap that loading the bank left, the items' trees cost twice as much to copy
    and free. Off the main thread (a build's job), no further thread is started."""
    import threading

    def thread(path: str, child: Any) -> threading.Thread:
        return threading.current_thread()

    root, slots = _shell([MANY[:300]])
    output = Output()
    output.add_streamed_xml("a.xml", root, None, slots, thread)
    (reports,) = assemble(output, BuildContext(processes=1)).reports.values()
    assert threading.main_thread() not in reports.reports[0]
    assert len(set(reports.reports[0])) == 1

    def from_a_thread() -> None:
        (again,) = assemble(output, BuildContext(processes=1)).reports.values()
        built.extend(again.reports[0])

    built: list[threading.Thread] = []
    caller = threading.Thread(target=from_a_thread)
    caller.start()
    caller.join()
    assert set(built) == {caller}


@pytest.mark.parametrize(
    ("runs", "copied"),
    [([MANY[:300]], True), ([*SECTIONS[:60], MANY[:300]], True), (SECTIONS, False)],
    ids=["alone", "together", "many-runs"],
)
def test_children_go_into_a_copy_of_the_shell_made_where_they_are_built(
    runs: list[list[str]], copied: bool, xsd_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Children copied from templates on the building thread live in that thread's string
    dictionary of lxml: placed into the writer's shell, each name of each element was looked
    up again in the shell's (assemble_streamed.Shell). The shell itself is left as it was.
    A shell of more than COPIED_SLOTS runs is not copied: as large as the children, a copy
    for each batch cost more than it saved (a QTI 1.2 export of 10,000 sections twice the
    CPU)."""
    import threading

    from packager.packages import assemble_streamed

    root, slots = _shell(runs)
    before = to_bytes(root)
    validated: list[tuple[bool, threading.Thread]] = []
    tree_errors = assemble_streamed.tree_errors

    def recorded(schema: Any, tree: Any, where: str, limit: int = 20) -> list[str]:
        validated.append((tree is root, threading.current_thread()))
        return tree_errors(schema, tree, where, limit)

    monkeypatch.setattr(assemble_streamed, "tree_errors", recorded)
    output = Output()
    output.add_streamed_xml("a.xml", root, "qti12", slots, lambda path, child: threading.current_thread())
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path, processes=1))
    (reports,) = assembled.reports.values()
    assert validated and {on_root for on_root, _ in validated} == {not copied}
    assert {thread for _, thread in validated} == {reports.reports[-1][0]}
    assert to_bytes(root) == before
    assert dict(ZipEntries(assembled.data))["a.xml"] == _whole(runs)


def test_whole_parts_are_checked_too(xsd_path: Path) -> None:
    """Bytes and tree parts go through the same XSD check as streamed batches."""
    output = Output()
    output.add("broken.xml", b"<questestinterop", "qti12")
    bad_tree = etree.Element(Q + "questestinterop", nsmap={None: QTI})
    etree.SubElement(bad_tree, Q + "nonsense")
    output.add_xml("tree.xml", bad_tree, "qti12")
    output.add("free.txt", b"no schema, not checked")
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path))
    assert assembled.validated == ["broken.xml", "tree.xml"]
    assert [e.split(":")[0] for e in assembled.errors] == ["broken.xml", "tree.xml"]
    assert "not well-formed" in assembled.errors[0]
    assert "nonsense" in assembled.errors[1]


def test_each_schema_is_looked_up_once_per_assembly(
    xsd_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checker is asked for a part's schema twice per part (which parts are validated,
    then the check itself): xsd.schema_for, which hashes a path and waits on a future, runs
    once per key, not 20,000 times for a QTI 2.x package of 10,000 items."""
    from packager import xsd

    asked: list[str] = []
    schema_for = xsd.schema_for

    def counted(key: str, xsd_dir: Path | None) -> Any:
        asked.append(key)
        return schema_for(key, xsd_dir)

    monkeypatch.setattr(xsd, "schema_for", counted)
    output = Output()
    for n in range(3):
        output.add_lazy_xml(f"items/{n}.xml", lambda n=n: _item(f"i{n}"), "qti12")
    output.add_xml("tree.xml", _item("t"), "qti12")
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path))
    assert len(assembled.validated) == 4 and assembled.errors == []
    assert asked == ["qti12"]


_PARENT = os.getpid()


def _dies_in_a_worker(batch: Any) -> Any:
    """assemble._forked_batch, but a forked worker dies on it (a module-level function: the
    pool sends it to the worker by name)."""
    if os.getpid() != _PARENT:
        os._exit(1)
    return _forked_batch(batch)


def test_a_batch_worker_that_dies_leaves_the_batches_to_this_process(
    monkeypatch: pytest.MonkeyPatch, xsd_path: Path
) -> None:
    """A forked worker killed halfway (for memory, say): the export still gives the whole
    document, byte for byte, instead of stopping with BrokenProcessPool."""
    from packager.packages import assemble as module

    monkeypatch.setattr(module, "_forked_batch", _dies_in_a_worker)
    runs = [MANY, MANY[:700]]
    assembled = assemble(_at_a(runs), BuildContext(xsd_dir=xsd_path, processes=2))
    assert assembled.errors == []
    assert dict(ZipEntries(assembled.data))["a/a.xml"] == _whole(runs)


def _at_a(runs: list[list[str]]) -> Output:
    """An Output of one streamed document, a/a.xml, of these runs."""
    root, slots = _shell(runs)
    output = Output()
    output.add_streamed_xml("a/a.xml", root, "qti12", slots)
    return output


def test_batches_left_to_this_process_are_cut_from_their_own_document(
    monkeypatch: pytest.MonkeyPatch, xsd_path: Path
) -> None:
    """Assemblies one after another in one process (the API, build's jobs), each of a
    document at the same path and each with a worker that dies: the batches built here are
    cut from their own document's shell. Layouts kept by the document's address outlived
    the document, and a later one could be given that address."""
    from packager.packages import assemble as module

    monkeypatch.setattr(module, "_forked_batch", _dies_in_a_worker)
    for n in range(3):
        runs = [MANY, *[MANY[:100]] * n]  # each shell with n nested sections
        root, slots = _shell(runs)
        output = Output()
        output.add_streamed_xml("a/a.xml", root, "qti12", slots)
        assembled = assemble(output, BuildContext(xsd_dir=xsd_path, processes=2))
        assert assembled.errors == []
        assert dict(ZipEntries(assembled.data))["a/a.xml"] == _whole(runs), n


def test_batches_left_to_this_process_are_its_own_while_another_assembly_forks(
    monkeypatch: pytest.MonkeyPatch, xsd_path: Path
) -> None:
    """An assembly on another thread of this process (the API's callers) forks its pool after
    this one's workers forked, at the same document path: the batches a dead worker left here
    are still cut from this assembly's document. They were built from the module's _FORKED,
    which the other assembly had made its own (its items in this one's file)."""
    from contextlib import contextmanager

    from packager.packages import assemble as module

    other = _at_a([[f"other{n}" for n in range(2100)]])
    real_pool = module.worker_pool

    @contextmanager
    def then_another_assembly(*args: Any) -> Any:
        with real_pool(*args) as pool:
            pool.submit(int).result()  # this assembly's workers are forked
            module._FORKED = (other, BuildContext(xsd_dir=xsd_path, processes=2), {})
            yield pool

    monkeypatch.setattr(module, "worker_pool", then_another_assembly)
    monkeypatch.setattr(module, "_forked_batch", _dies_in_a_worker)
    runs = [MANY, MANY[:700]]
    assembled = assemble(_at_a(runs), BuildContext(xsd_dir=xsd_path, processes=2))
    assert dict(ZipEntries(assembled.data))["a/a.xml"] == _whole(runs)


def test_a_single_file_of_one_part_is_its_bytes_not_a_copy() -> None:
    # A copy held the file twice at its job's peak (the 30 MB HTML page of a 10,000-question
    # bank).
    page = b"<p>page</p>\n" * 1000
    output = Output(single_file=True)
    output.add("page.html", page)
    assert assemble(output, BuildContext(validate_output=False)).data is page


def test_a_single_streamed_file_is_written_whole() -> None:
    runs = [["i1", "i2"], ["i3"]]
    root, slots = _shell(runs)
    output = Output(single_file=True)
    output.add_streamed_xml("a.xml", root, None, slots)
    assert assemble(output, BuildContext(validate_output=False)).data == _whole(runs)


@pytest.mark.parametrize("processes", [1, 2], ids=["in-process", "forked"])
def test_markers_stay_apart_when_parents_share_an_address(
    processes: int, xsd_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A marker's text named its parent by id() and length: two parents of one length whose
    proxies had the same address (the first freed before the second was made, as a writer's
    loop over sections does) gave two markers one text, and the copy of the shell
    (assemble_streamed.Shell) put both runs' children in place of the second marker."""
    from packager.xml import serialize

    monkeypatch.setattr(serialize, "id", lambda _: 0xABC, raising=False)
    runs = [["i1"], ["i2", "i3"], ["i4"]]
    root, slots = _shell(runs)
    output = Output()
    output.add_streamed_xml("a/a.xml", root, "qti12", slots)
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path, processes=processes))
    assert assembled.errors == []
    assert dict(ZipEntries(assembled.data))["a/a.xml"] == _whole(runs)


# --- children filled in place (xml.templates.InPlace) -----------------------------------------


class _Spec(NamedTuple):
    ident: str
    text: str
    bad: bool  # a shape the schema refuses


def _from_spec(spec: _Spec) -> etree._Element:
    item = _item(spec.ident, spec.text)
    if spec.bad:
        etree.SubElement(item, Q + "nonsense")
    return item


def _spec_of(ident: str) -> _Spec | None:
    """Children named t… are built as trees; the others are specs, those named bad… broken."""
    if ident.startswith("t"):
        return None
    return _Spec(ident, f"What & {ident}?", ident.startswith("bad"))


def _child(ident: str) -> etree._Element:
    spec = _spec_of(ident)
    return _from_spec(spec or _Spec(ident, "What & why?", "bad" in ident))


def _in_place_output(runs: list[list[str]], check: Any = None) -> tuple[Output, etree._Element]:
    root, slots = _shell(runs)
    in_place = InPlace(Templates(_from_spec), _spec_of)
    output = Output()
    output.add_streamed_xml("a/a.xml", root, "qti12",
                            [ChildRun(s.marker, s.items, _child, in_place) for s in slots], check)
    output.add("imsmanifest.xml", b"<manifest/>")
    return output, root


# Children filled in place among children built as trees (alone, and several in a row).
MIXED = [f"t{n}" if n % 97 in (5, 40, 41, 42) else f"i{n}" for n in range(2100)]


@pytest.mark.parametrize("processes", [1, 2], ids=["in-process", "forked"])
@pytest.mark.parametrize(
    ("runs", "in_place"),
    [([["i1"]], True), ([MIXED], True), ([MIXED[:300], ["t1", "i2"], MIXED[:700]], True),
     ([["t1", "t2"], ["t3"]], True), (SECTIONS, False)],
    ids=["one", "mixed", "groups", "trees", "sections"],
)
def test_children_filled_in_place_give_the_whole_trees_bytes(
    runs: list[list[str]], in_place: bool, processes: int, xsd_path: Path
) -> None:
    """Each child that is a spec is filled into a working copy of its template standing in
    place of its run's marker in a copy of the shell, validated and serialized there; the
    others are placed as trees. A shell of more than IN_PLACE_SHELL nodes (a bank of many
    sections) has its children copied and placed, each batch validated at once."""
    from packager.packages.assemble_streamed import Layout

    output, root = _in_place_output(runs)
    before = to_bytes(root)
    (doc,) = [e for e in output.entries.values() if not isinstance(e, Part)]
    assert Layout.of(doc).in_place is in_place
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path, processes=processes))
    assert assembled.errors == []
    assert dict(ZipEntries(assembled.data))["a/a.xml"] == _whole(runs, _child)
    assert to_bytes(root) == before


@pytest.mark.parametrize("processes", [1, 2], ids=["in-process", "forked"])
def test_a_shell_of_long_titles_has_its_children_placed_not_filled_in_place(
    processes: int, xsd_path: Path
) -> None:
    """A shell of few nodes but many bytes (a bank title of 100,000 characters) keeps the
    batch path: filled in place, every child would serialize (and hold) the whole title."""
    from packager.packages.assemble_streamed import IN_PLACE_SHELL_BYTES, Layout

    runs = [MIXED[:600]]
    output, root = _in_place_output(runs)
    long_title = "T" * (IN_PLACE_SHELL_BYTES + 1)
    root.find(f"{Q}assessment").set("title", long_title)
    (doc,) = [e for e in output.entries.values() if not isinstance(e, Part)]
    assert Layout.of(doc).in_place is False
    assembled = assemble(output, BuildContext(xsd_dir=xsd_path, processes=processes))
    assert assembled.errors == []
    expected = _whole(runs, _child).replace(b'title="T"', f'title="{long_title}"'.encode(), 1)
    assert dict(ZipEntries(assembled.data))["a/a.xml"] == expected


@pytest.mark.parametrize("processes", [1, 2], ids=["in-process", "forked"])
def test_the_rule_is_told_how_a_child_filled_in_place_was_made(processes: int) -> None:
    def rule(path: str, child: Any, made: Filled | None = None) -> tuple[str, str, list[str]]:
        return path, child.get("ident"), [] if made is None else list(made.strings)

    runs = [MIXED, ["t1", "g2"]]
    output, _ = _in_place_output(runs, rule)
    (reports,) = assemble(output, BuildContext(processes=processes)).reports.values()
    assert reports.reports == [
        [("a/a.xml", i, [] if i.startswith("t") else [i, f"What & {i}?"]) for i in run]
        for run in runs
    ]


@pytest.mark.parametrize("processes", [1, 2], ids=["in-process", "forked"])
def test_a_child_filled_in_place_that_breaks_the_schema_is_named(
    xsd_path: Path, processes: int
) -> None:
    """As a child built as a tree is (the bad t… one)."""
    runs = [[*MIXED[:1000], "bad1", *MIXED[1000:1500], "tbad", *MIXED[1500:]]]
    output, _ = _in_place_output(runs)
    errors = assemble(output, BuildContext(xsd_dir=xsd_path, processes=processes)).errors
    assert [e.split(":")[0] for e in errors] == ["a/a.xml (bad1)", "a/a.xml (tbad)"]
    assert all("nonsense" in e for e in errors)


def test_many_small_runs_share_a_few_batches() -> None:
    """Each batch validates and serializes the whole shell, which grows with the runs: in
    batches of BATCH children, 20,000 sections of one question each took 79 passes over
    it (quadratic: 10 CPU-s for a QTI 1.2 export, in one process)."""
    from packager.packages.assemble_streamed import BATCH, SHELL_SHARE, batches_of
    from packager.packages.base import StreamedXml

    root, slots = _shell([[f"s{n}"] for n in range(10_000)])
    batches = batches_of(StreamedXml(root, None, slots), "a.xml")
    assert len(batches) == SHELL_SHARE
    assert [part[0] for batch in batches for part in batch.parts] == list(range(10_000))
    root, slots = _shell([MANY, ["x"], MANY[:10]])  # a few runs: batches of BATCH at most
    assert [sum(stop - start for _, start, stop in batch.parts)
            for batch in batches_of(StreamedXml(root, None, slots), "a.xml")] == [
        BATCH] * 8 + [52 + 1 + 10]
