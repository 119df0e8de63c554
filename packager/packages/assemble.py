"""Output → artefact bytes: every XML part validated against its XSD, serialized, compressed.

Streamed documents (StreamedXml) are built in batches of children: a batch is put in place of
its slot marker, the shell is validated and serialized with it, and the batch's bytes are cut
out, so a 50,000-question file never exists as one tree, yet its bytes are exactly what the
whole tree gives. Consecutive small runs (a section each) share a batch: their children go
just before their markers, and each marker's line ends their bytes. Lazy parts (LazyXml) are
built only when written, then dropped.

With `ctx.processes > 1` and enough work, forked workers build the batches and lazy parts and
send back their bytes in order; otherwise the calling thread builds them. Handing single
children to a thread instead was measured slower (2.7 s against 2.25 s for the 10k-question
QTI 1.2 export): the GIL hand-overs cost more than the overlap. Only deflating large
(streamed) documents runs on a thread, fed 1 MB chunks (zlib releases the GIL).

A streamed document may carry a child rule (StreamedXml.check): when output is checked, it runs
on each child where the child is built, and its reports come back in `Assembled.reports`, so
the export's self-check never parses the document again (canvas_rules.item_report).
"""

from __future__ import annotations

import gc
import io
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING, Any

from packager.packages.base import (
    ChildReports,
    Chunks,
    Entry,
    LazyXml,
    Output,
    Part,
    StreamedXml,
)
from packager.processes import mapped, start_method, worker_pool
from packager.xml.serialize import SLOT_PREFIX

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from packager.archive import ZipWriter
    from packager.context import BuildContext

BATCH = 256  # children per validation and serialization call
LAZY_GROUP = 64  # lazy parts per task for a worker process
CHUNK = 1 << 20  # bytes per zip write, and per hand-over to the compression thread
MAX_ERRORS = 20
# Enough batches to be worth a pool: forking and piping back cost about 0.1 s.
MIN_PARALLEL_BATCHES = 8

# What forked workers read: set before the pool forks, inherited by the workers.
_FORKED: tuple[Output, BuildContext] | None = None

Write = Callable[[bytes], object]
# A built batch: per part (a slice of one run), its bytes and its children's reports
# (StreamedXml.check); and the batch's validation errors.
Built = tuple[list[bytes], list[str], list[list[Any]]]
# Built batches, in order; a process pool's map.
Results = Callable[[list["_Batch"]], Iterator[Built]]


@dataclass
class Assembled:
    data: bytes
    validated: list[str] = field(default_factory=list)  # paths checked against an XSD
    errors: list[str] = field(default_factory=list)  # "path:line: message"
    # What the child rules of streamed documents reported, by path (only when checking).
    reports: dict[str, ChildReports] = field(default_factory=dict)


def _errors(schema: Any, tree: Any, where: str, limit: int = MAX_ERRORS) -> list[str]:
    """The schema's complaints about a tree, as "where:line: message" (none when there is
    no schema, or when enough errors are already known)."""
    from packager import xsd

    if schema is None or limit <= 0:
        return []
    return [str(e) for e in xsd.schema_errors(schema, tree, where)][:limit]


class _Checker:
    """Which parts get XSD validation, and the errors found (one list, capped)."""

    def __init__(self, ctx: BuildContext | None) -> None:
        self.ctx = ctx
        self.errors: list[str] = []
        self.reports: dict[str, ChildReports] = {}

    def schema(self, key: str | None) -> Any:
        from packager import xsd

        ctx = self.ctx
        if key is None or ctx is None or not ctx.validate_output:
            return None
        if xsd.needs_xsd_dir(key) and ctx.xsd_dir is None:
            return None
        return xsd.schema_for(key, ctx.xsd_dir)

    def rule(self, doc: StreamedXml) -> Callable[[str, Any], Any] | None:
        """The document's child rule, when output is checked (not under --no-validate)."""
        ctx = self.ctx
        return doc.check if ctx is not None and ctx.validate_output else None

    def check(self, schema: Any, tree: Any, where: str) -> None:
        self.add(_errors(schema, tree, where, self.limit))

    def add(self, errors: Iterable[str]) -> None:
        self.errors.extend(errors)
        del self.errors[MAX_ERRORS:]

    @property
    def limit(self) -> int:
        """How many more errors are worth finding."""
        return MAX_ERRORS - len(self.errors)


def assemble(output: Output, ctx: BuildContext) -> Assembled:
    """The artefact: the zip of every part (fixed order), or the one part of a single file."""
    from packager import archive

    checker = _Checker(ctx)
    order = archive.entry_order(list(output.entries))
    # Also compiles (or waits for) every schema before a pool forks.
    validated = sorted(p for p in order if checker.schema(output.entries[p].schema) is not None)
    with _pool_for(output, ctx) as pool:  # forked before the compression thread starts
        parts = _Builder(output, order, checker, pool)
        if output.single_file:
            buffer = io.BytesIO()
            for path in order:
                parts.write(path, buffer.write)
            return Assembled(buffer.getvalue(), validated, checker.errors, checker.reports)
        writer = archive.ZipWriter(ctx.date_time)
        # Only large streamed documents gain from deflating on a thread; thousands of small
        # files (the items beside a streamed manifest) lose more to GIL hand-overs than they
        # gain, so they are deflated here.
        streamed = any(isinstance(e, StreamedXml) for e in output.entries.values())
        zipper = _ZipThread(writer) if streamed else _Zip(writer)
        try:
            for path in order:
                threaded = isinstance(output.entries[path], StreamedXml)
                with zipper.entry(path, threaded) as write:
                    parts.write(path, write)
            data = zipper.close()
        finally:
            zipper.stop()
        return Assembled(data, validated, checker.errors, checker.reports)


class _Builder:
    """Writes each entry's bytes; lazy parts and streamed batches come from the pool if any."""

    def __init__(
        self, output: Output, order: list[str], checker: _Checker, pool: Executor | None
    ) -> None:
        self.output = output
        self.checker = checker
        self.pool = pool
        lazy = [p for p in order if isinstance(output.entries[p], LazyXml)]
        if pool is None:
            self.lazy: Iterator[tuple[bytes, list[str]]] = (
                _build_lazy(output, p, checker) for p in lazy
            )
        else:
            groups = [lazy[i : i + LAZY_GROUP] for i in range(0, len(lazy), LAZY_GROUP)]
            self.lazy = chain.from_iterable(mapped(pool, _forked_lazy, groups))

    def write(self, path: str, write: Write) -> None:
        from packager.xml.serialize import to_bytes

        entry = self.output.entries[path]
        checker = self.checker
        if isinstance(entry, StreamedXml):
            results = None if self.pool is None else partial(mapped, self.pool, _forked_batch)
            _write_streamed(entry, path, checker, write, results)
            return
        if isinstance(entry, LazyXml):
            data, errors = next(self.lazy)
            checker.add(errors)
            write(data)
            return
        if isinstance(entry, Chunks):
            for piece in entry.pieces:
                write(piece)
            return
        schema = checker.schema(entry.schema)
        if entry.tree is not None:
            checker.check(schema, entry.tree, path)
            write(to_bytes(entry.tree))
            return
        if schema is not None and checker.limit > 0:
            from packager import xsd

            assert entry.schema is not None and checker.ctx is not None
            found = xsd.validate_bytes(entry.schema, entry.data, path, checker.ctx.xsd_dir)
            checker.add(str(e) for e in found)
        write(entry.data)


def _build_lazy(output: Output, path: str, checker: _Checker) -> tuple[bytes, list[str]]:
    from packager.xml.serialize import to_bytes

    entry = output.entries[path]
    assert isinstance(entry, LazyXml)
    tree = entry.build()
    return to_bytes(tree), _errors(checker.schema(entry.schema), tree, path, checker.limit)


def _forked_lazy(paths: list[str]) -> list[tuple[bytes, list[str]]]:
    """Lazy parts built in a forked worker, from the Output the parent was assembling."""
    assert _FORKED is not None
    output, ctx = _FORKED
    checker = _Checker(ctx)
    return [_build_lazy(output, path, checker) for path in paths]


@contextmanager
def _pool_for(output: Output, ctx: BuildContext) -> Iterator[Executor | None]:
    """Worker processes for streamed documents and lazy parts, when there are cores and
    enough work to pay for forking (about 0.02 s) and piping the bytes back; else None."""
    units = 0.0
    for entry in output.entries.values():
        if isinstance(entry, StreamedXml):
            units += len(_batches(entry, ""))
        elif isinstance(entry, LazyXml):
            units += 1 / LAZY_GROUP
    # Workers read the parent's Output (whose builders are closures, which cannot be pickled)
    # as inherited memory; where workers are spawned (Windows, macOS) this thread builds all.
    if ctx.processes < 2 or units < MIN_PARALLEL_BATCHES or start_method() != "fork":
        yield None
        return
    from packager import xsd

    xsd.finish_prewarm()  # never fork while libxml2 compiles on another thread
    global _FORKED
    _FORKED = (output, ctx)
    # At least four units of work per worker: on a many-core machine, forking one worker per
    # core for a few batches would cost more than it saves.
    size = min(ctx.processes, max(2, int(units // 4)))
    try:
        # processes.worker_pool: a dead worker neither hangs its end nor loses a batch
        # (processes.mapped); the collector stays off in the workers as export turned it off.
        with worker_pool(size, "fork", gc.disable) as pool:
            pool.submit(int).result()  # forks every worker now, before any thread starts
            yield pool
    finally:
        _FORKED = None


def materialize(entry: Entry) -> Part:
    """One entry as bytes in memory (not validated: tests validate parts themselves)."""
    from packager.xml.serialize import to_bytes

    if isinstance(entry, LazyXml):
        tree = entry.build()
        return Part(to_bytes(tree), entry.schema, tree)
    if isinstance(entry, Chunks):
        return Part(entry.joined())
    if isinstance(entry, Part):
        return entry if entry.tree is None else Part(to_bytes(entry.tree), entry.schema, entry.tree)
    buffer = io.BytesIO()
    _write_streamed(entry, "", _Checker(None), buffer.write)
    return Part(buffer.getvalue(), entry.schema)


# -- streamed documents ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Batch:
    """Up to BATCH children of a document: slices (run, start, stop) of consecutive runs.
    Small runs go together (a document of one run per section would otherwise validate
    and serialize its whole shell once per section: quadratic in the sections)."""

    path: str
    parts: tuple[tuple[int, int, int], ...]


def _batches(doc: StreamedXml, path: str) -> list[_Batch]:
    slices = [
        (index, start, min(start + BATCH, len(run.items)))
        for index, run in enumerate(doc.slots)
        for start in range(0, len(run.items), BATCH)
    ]
    batches: list[_Batch] = []
    group: list[tuple[int, int, int]] = []
    size = 0
    for part in slices:
        if group and size + part[2] - part[1] > BATCH:
            batches.append(_Batch(path, tuple(group)))
            group, size = [], 0
        group.append(part)
        size += part[2] - part[1]
    if group:
        batches.append(_Batch(path, tuple(group)))
    return batches


@dataclass
class _Layout:
    """Where a shell's serialization is cut: the bytes and each run's marker span."""

    shell: bytes
    spans: list[tuple[int, int]]

    @classmethod
    def of(cls, doc: StreamedXml) -> _Layout:
        from packager.xml.serialize import to_bytes

        shell = to_bytes(doc.root)
        spans: list[tuple[int, int]] = []
        position = 0
        for run in doc.slots:
            needle = f"<!--{run.marker.text}-->".encode()
            begin = shell.index(needle, position)
            position = begin + len(needle)
            spans.append((begin, position))
        return cls(shell, spans)


def _write_streamed(
    doc: StreamedXml,
    path: str,
    checker: _Checker,
    write: Write,
    results: Results | None = None,
) -> None:
    layout = _Layout.of(doc)
    shell = layout.shell
    schema = checker.schema(doc.schema)
    position = 0  # how much of the shell is written
    batches = _batches(doc, path)
    rule = checker.rule(doc)
    if results is None:
        done: Iterator[Built] = (
            _build_batch(doc, layout, b, schema, checker.limit, rule) for b in batches
        )
    else:
        done = results(batches)

    def parts_done() -> Iterator[tuple[bytes, list[Any]]]:
        for datas, errors, found in done:
            checker.add(errors)
            yield from zip(datas, found, strict=True)

    parts = parts_done()
    reports: list[list[Any]] = []
    for index, run in enumerate(doc.slots):
        begin, end = layout.spans[index]
        before = shell[position:begin]  # ends with the newline and indentation of the slot
        if not run.items:  # an empty run: no blank line where it would have been
            write(before[: before.rindex(b"\n")])
        reports.append([])
        for start in range(0, len(run.items), BATCH):
            data, found = next(parts)
            reports[-1].extend(found)
            write(before if start == 0 else before[before.rindex(b"\n") :])
            write(data)
        position = end
    if not batches:
        checker.check(schema, doc.root, path)
    if rule is not None:
        checker.reports[path] = ChildReports(doc.root, [r.marker for r in doc.slots], reports)
    write(shell[position:])


def _build_batch(
    doc: StreamedXml,
    layout: _Layout,
    batch: _Batch,
    schema: Any,
    limit: int,
    rule: Callable[[str, Any], Any] | None,
) -> Built:
    """Build one batch of children at their markers; per part, their bytes as the whole
    document would serialize them there and what `rule` reports of each child (nothing
    without a rule); and the validation errors (named by child) if any."""
    built: list[tuple[int, list[Any]]] = []
    reports: list[list[Any]] = []
    for index, start, stop in batch.parts:
        run = doc.slots[index]
        children = [run.build(item) for item in run.items[start:stop]]
        built.append((index, children))
        # On the trees, where they are built: the export's self-check then never parses them.
        reports.append([] if rule is None else [rule(batch.path, child) for child in children])
    if len(built) > 1:
        together = _together(doc, layout, built, schema, limit, batch.path)
        if together is not None:
            return together, [], reports
    datas: list[bytes] = []
    errors: list[str] = []
    for index, children in built:
        data, found = _alone(doc, layout, index, children, schema, limit, batch.path)
        datas.append(data)
        errors.extend(found)
    return datas, errors[:limit], reports


def _alone(
    doc: StreamedXml,
    layout: _Layout,
    index: int,
    children: list[Any],
    schema: Any,
    limit: int,
    path: str,
) -> tuple[bytes, list[str]]:
    """One run's children in place of its marker: their bytes, and the errors found."""
    from packager.xml.serialize import to_bytes

    run = doc.slots[index]
    parent: Any = run.marker.getparent()
    at = parent.index(run.marker)
    parent[at : at + 1] = children  # in place of the marker
    errors: list[str] = []
    whole = b""
    try:
        if _errors(schema, doc.root, path, limit):
            errors = _locate_errors(doc, parent, at, children, schema, path)[:limit]
        whole = to_bytes(doc.root)
    finally:
        _take_out(parent, at, len(children), len(whole) - len(layout.shell))
        parent.insert(at, run.marker)
    begin, end = layout.spans[index]
    return whole[begin : len(whole) - (len(layout.shell) - end)], errors


_SLOT = f"<!--{SLOT_PREFIX}".encode()


def _together(
    doc: StreamedXml,
    layout: _Layout,
    built: list[tuple[int, list[Any]]],
    schema: Any,
    limit: int,
    path: str,
) -> list[bytes] | None:
    """The bytes of several runs' children from one validation and one serialization:
    each run's children go just before its marker, whose line then ends their bytes. None
    when the shell with them is invalid (each run is then placed alone, to name the
    children at fault), or when a child's bytes hold a marker's text (where they end could
    not be told)."""
    from packager.xml.serialize import to_bytes

    placed: list[tuple[Any, Any, int]] = []
    whole = b""
    try:
        for index, children in built:
            marker = doc.slots[index].marker
            parent: Any = marker.getparent()
            at = parent.index(marker)
            parent[at:at] = children
            placed.append((parent, marker, len(children)))
        if _errors(schema, doc.root, path, limit):
            return None
        whole = to_bytes(doc.root)
    finally:
        # The children's bytes, shared out by count: what _take_out needs is their size.
        grown = len(whole) - len(layout.shell)
        total = max(1, sum(count for _, _, count in placed))
        for parent, marker, count in placed:
            at = parent.index(marker)
            _take_out(parent, at - count, count, grown * count // total)
    shell = layout.shell
    if whole.count(_SLOT) != shell.count(_SLOT):
        return None
    # whole = shell[:b1] D1 shell[line1:b2] D2 … Dn shell[line_n:], where b is where a
    # marker starts in the shell and line where the line it stands on starts.
    begins = [layout.spans[index][0] for index, _ in built]
    position = begins[0]
    datas: list[bytes] = []
    for k, begin in enumerate(begins):
        line = shell.rindex(b"\n", 0, begin)
        if k + 1 < len(begins):
            following = shell[line : begins[k + 1]]
            end = whole.find(following, position)
        else:
            following = shell[line:]
            end = len(whole) - len(following) if whole.endswith(following) else -1
        if end < position:
            return None
        datas.append(whole[position:end])
        position = end + len(following)
    return datas


# A child of this many bytes (about 10,000 elements) is taken apart before it leaves the shell.
_LARGE_CHILD = 1 << 18


def _take_out(parent: Any, at: int, count: int, size: int) -> None:
    """Take `count` children out of the shell from `at`; `size`: their bytes (0 unknown).

    lxml takes time quadratic in a subtree's size to move it out of its document: a QTI 1.2
    matching question of 400 pairs (160,000 response labels) took 40 s. Children that large
    on average are first taken apart from their leaves up, one element per move."""
    if size > _LARGE_CHILD * count:
        for child in parent[at : at + count]:
            for element in reversed(list(child.iter())):
                holder = element.getparent()
                if element is not child and holder is not None:
                    holder.remove(element)
    del parent[at : at + count]


def _locate_errors(
    doc: StreamedXml, parent: Any, at: int, children: list[Any], schema: Any, path: str
) -> list[str]:
    """A batch failed: validate its children one by one, to name the ones at fault."""
    errors: list[str] = []
    del parent[at : at + len(children)]
    try:
        for child in children:
            parent.insert(at, child)
            label = child.get("ident") or child.get("identifier") or child.tag
            errors.extend(_errors(schema, doc.root, f"{path} ({label})"))
            parent.remove(child)
    finally:
        parent[at:at] = children
    return errors


def _forked_batch(batch: _Batch) -> Built:
    """A batch built in a forked worker, from the Output the parent was assembling."""
    assert _FORKED is not None
    output, ctx = _FORKED
    doc = output.entries[batch.path]
    assert isinstance(doc, StreamedXml)
    checker = _Checker(ctx)
    schema = checker.schema(doc.schema)
    return _build_batch(doc, _layouts(doc), batch, schema, MAX_ERRORS, checker.rule(doc))


_LAYOUT_CACHE: dict[int, _Layout] = {}


def _layouts(doc: StreamedXml) -> _Layout:
    layout = _LAYOUT_CACHE.get(id(doc))
    if layout is None:
        layout = _LAYOUT_CACHE[id(doc)] = _Layout.of(doc)
    return layout


# -- compression thread ---------------------------------------------------------------------


class _Zip:
    """The zip, written entry by entry; `_run` runs each step (here, or on a thread)."""

    def __init__(self, writer: ZipWriter) -> None:
        self._writer = writer

    def _run(self, task: Callable[[], None], threaded: bool) -> None:
        task()

    @contextmanager
    def entry(self, name: str, threaded: bool = False) -> Iterator[Write]:
        """A write function for one entry: small entries are written whole; large ones are
        streamed in CHUNK-sized pieces, never joined. `threaded`: the steps may run on the
        compression thread, if there is one."""
        stream: list[Any] = []
        pending: list[bytes] = []
        size = 0

        def flush() -> None:
            nonlocal size
            if not stream:
                stream.append(None)  # opened by the first task
                self._run(lambda: stream.__setitem__(0, self._writer.open(name)), threaded)
            chunk = b"".join(pending)
            pending.clear()
            size = 0
            self._run(lambda: stream[0].write(chunk), threaded)

        def write(data: bytes) -> None:
            nonlocal size
            pending.append(data)
            size += len(data)
            if size >= CHUNK:
                flush()

        yield write
        if not stream:  # a small entry: one step
            data = b"".join(pending)
            self._run(lambda: self._writer.write(name, data), threaded)
            return
        if pending:
            flush()
        self._run(lambda: stream[0].close(), threaded)

    def close(self) -> bytes:
        return self._writer.close()

    def stop(self) -> None:
        pass


class _ZipThread(_Zip):
    """Deflates on a second thread, fed chunks of about CHUNK bytes in entry order."""

    def __init__(self, writer: ZipWriter) -> None:
        super().__init__(writer)
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue(maxsize=8)
        self._error: BaseException | None = None  # what the thread failed with, not yet raised
        self._failed = False
        self._thread: threading.Thread | None = threading.Thread(
            target=self._loop, name="packager-zip"
        )
        self._thread.start()

    def _loop(self) -> None:
        while (task := self._queue.get()) is not None:
            if not self._failed:
                try:
                    task()
                except BaseException as exc:  # re-raised on the calling thread
                    self._error = exc
                    self._failed = True
            self._queue.task_done()

    def _raise_failure(self) -> None:
        """Raise what the thread failed with, handing it over: kept here, it would tie this
        object, its traceback's frames and the half-written zip into a cycle that only the
        collector frees, in an order that makes the zip complain as it is finalized."""
        if self._failed:
            error, self._error = self._error, None
            try:
                raise error or RuntimeError("the compression thread failed")
            finally:
                error = None  # nor in this frame, which its traceback holds

    def _run(self, task: Callable[[], None], threaded: bool) -> None:
        if not threaded:
            self._queue.join()  # the zip is written in order: the thread's steps first
        self._raise_failure()
        if threaded:
            self._queue.put(task)
        else:
            task()

    def close(self) -> bytes:
        self.stop()
        self._raise_failure()
        return self._writer.close()

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
