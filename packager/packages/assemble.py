"""Output → artefact bytes: every XML part validated against its XSD, serialized, compressed.

Streamed documents (StreamedXml) are built in batches of children (assemble_streamed.py). Lazy
parts (LazyXml) are built only when written, then dropped.

With `ctx.processes > 1` and enough work, forked workers build the batches and lazy parts and
send back their bytes in order; otherwise the calling thread builds them. Handing single
children to a thread instead was measured slower (2.7 s against 2.25 s for the 10k-question
QTI 1.2 export): the GIL hand-overs cost more than the overlap. Only deflating large
(streamed) documents runs on a thread, fed 1 MB chunks (zlib-ng releases the GIL).

A streamed document may carry a child rule (StreamedXml.check): when output is checked, it runs
on each child where the child is built, and its reports come back in `Assembled.reports`, so
the export's self-check never parses the document again (canvas_rules.item_report).
"""

from __future__ import annotations

import gc
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from typing import IO, TYPE_CHECKING

from packager.packages.assemble_checks import MAX_ERRORS, Checker, tree_errors
from packager.packages.assemble_streamed import (
    Batch,
    Built,
    Layout,
    batches_of,
    build_batch,
    write_streamed,
)
from packager.packages.assemble_zip import Write, Zip, ZipThread
from packager.packages.base import (
    ChildReports,
    Chunks,
    Entry,
    LazyXml,
    Output,
    Part,
    StreamedXml,
)
from packager.processes import mapped, on_own_thread, start_method, worker_pool

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from packager.context import BuildContext

    # What a batch or lazy part is built from: the assembly's Output, its context, and each
    # streamed document's layout by path (worked out by the first batch of it built there).
    _Forked = tuple[Output, BuildContext | None, dict[str, Layout]]

LAZY_GROUP = 64  # lazy parts per task for a worker process
# Enough batches to be worth a pool: forking and piping back cost about 0.1 s.
MIN_PARALLEL_BATCHES = 8

# What forked workers read: set while the pool forks, inherited by the workers (its layouts
# live as long as the pool, as the documents they describe); None again in this process.
_FORKED: _Forked | None = None
# Held from setting _FORKED until every worker has forked: an assembly on another thread of
# this process (the API's callers) setting its own meanwhile gave these workers its Output,
# whose documents they then cut this assembly's batches from.
_FORKING = threading.Lock()


@dataclass
class Assembled:
    data: bytes
    validated: list[str] = field(default_factory=list)  # paths checked against an XSD
    errors: list[str] = field(default_factory=list)  # "path:line: message"
    # What the child rules of streamed documents reported, by path (only when checking).
    reports: dict[str, ChildReports] = field(default_factory=dict)


def assemble(output: Output, ctx: BuildContext, into: IO[bytes] | None = None) -> Assembled:
    """The artefact: the zip of every part (fixed order), or the one part of a single file.
    With `into` (a seekable file), its bytes are written there as they are made, and
    `Assembled.data` is empty."""
    from packager import archive

    checker = Checker(ctx)
    order = archive.entry_order(list(output.entries))
    # Also compiles (or waits for) every schema before a pool forks.
    validated = sorted(p for p in order if checker.schema(output.entries[p].schema) is not None)
    with _pool_for(output, ctx) as pool:  # forked before the compression thread starts
        parts = _Builder(output, order, checker, pool)
        if output.single_file:
            document = _Document()
            for path in order:
                parts.write(path, document.write if into is None else into.write)
            return Assembled(document.data(), validated, checker.errors, checker.reports)
        writer = archive.ZipWriter(ctx.date_time, into)
        # Only large streamed documents gain from deflating on a thread; thousands of small
        # files (the items beside a streamed manifest) lose more to GIL hand-overs than they
        # gain, so they are deflated here.
        streamed = any(isinstance(e, StreamedXml) for e in output.entries.values())
        zipper = ZipThread(writer) if streamed else Zip(writer)
        try:
            for path in order:
                threaded = isinstance(output.entries[path], StreamedXml)
                with zipper.entry(path, threaded) as write:
                    parts.write(path, write)
            data = zipper.close()
        finally:
            zipper.stop()
        return Assembled(data, validated, checker.errors, checker.reports)


class _Document:
    """A single-file artefact's bytes as they are written. One piece (a text format's file,
    the HTML page) is kept as it is: copied into a buffer, a 30 MB page was held twice at its
    job's peak. Pieces after it (a streamed document's) go into a buffer."""

    def __init__(self) -> None:
        self.first: bytes | None = None
        self.buffer: io.BytesIO | None = None

    def write(self, data: bytes) -> None:
        if self.buffer is not None:
            self.buffer.write(data)
        elif self.first is None:
            self.first = data
        else:
            self.buffer = io.BytesIO(self.first)
            self.buffer.seek(0, io.SEEK_END)
            self.buffer.write(data)
            self.first = None

    def data(self) -> bytes:
        if self.buffer is not None:
            return self.buffer.getvalue()
        return self.first if self.first is not None else b""


class _Builder:
    """Writes each entry's bytes; lazy parts and streamed batches come from the pool if any."""

    def __init__(
        self, output: Output, order: list[str], checker: Checker, pool: Executor | None
    ) -> None:
        self.output = output
        self.checker = checker
        self.pool = pool
        # What a worker that died left to this process is built from this assembly's own
        # state, never from _FORKED, which an assembly on another thread may have replaced.
        self.forked: _Forked = (output, checker.ctx, {})
        lazy = [p for p in order if isinstance(output.entries[p], LazyXml)]
        if pool is None:
            self.lazy: Iterator[tuple[bytes, list[str]]] = (
                _build_lazy(output, p, checker) for p in lazy
            )
        else:
            groups = [lazy[i : i + LAZY_GROUP] for i in range(0, len(lazy), LAZY_GROUP)]
            here = partial(_lazy_from, self.forked)
            self.lazy = chain.from_iterable(mapped(pool, _forked_lazy, groups, here))

    def write(self, path: str, write: Write) -> None:
        from packager.xml.serialize import to_bytes

        entry = self.output.entries[path]
        checker = self.checker
        if isinstance(entry, StreamedXml):
            if self.pool is not None:
                here = partial(_batch_from, self.forked)
                write_streamed(entry, path, checker, write,
                               partial(mapped, self.pool, _forked_batch, here=here))
            elif threading.current_thread() is threading.main_thread():
                # Built here, on a thread of its own (processes.on_own_thread): in the main
                # arena of the heap that loading the bank left, copying and freeing the items'
                # trees cost twice as much.
                on_own_thread(lambda _: write_streamed(entry, path, checker, write), None)
            else:
                write_streamed(entry, path, checker, write)
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


def _build_lazy(output: Output, path: str, checker: Checker) -> tuple[bytes, list[str]]:
    from packager.xml.serialize import to_bytes

    entry = output.entries[path]
    assert isinstance(entry, LazyXml)
    tree = entry.build()
    return to_bytes(tree), tree_errors(checker.schema(entry.schema), tree, path, checker.limit)


def _forked_lazy(paths: list[str]) -> list[tuple[bytes, list[str]]]:
    """Lazy parts built in a forked worker, from the Output the parent was assembling, on a
    thread of their own (processes.on_own_thread: not in the main arena of the heap the
    worker inherited)."""
    return on_own_thread(_lazy_in_worker, paths)


def _lazy_in_worker(paths: list[str]) -> list[tuple[bytes, list[str]]]:
    assert _FORKED is not None
    return _lazy_from(_FORKED, paths)


def _lazy_from(forked: _Forked, paths: list[str]) -> list[tuple[bytes, list[str]]]:
    output, ctx, _ = forked
    checker = Checker(ctx)
    return [_build_lazy(output, path, checker) for path in paths]


@contextmanager
def _pool_for(output: Output, ctx: BuildContext) -> Iterator[Executor | None]:
    """Worker processes for streamed documents and lazy parts, when there are cores and
    enough work to pay for forking (about 0.02 s) and piping the bytes back; else None."""
    units = 0.0
    for entry in output.entries.values():
        if isinstance(entry, StreamedXml):
            units += len(batches_of(entry, ""))
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
    # At least four units of work per worker: on a many-core machine, forking one worker per
    # core for a few batches would cost more than it saves.
    size = min(ctx.processes, max(2, int(units // 4)))
    # processes.worker_pool: a dead worker neither hangs its end nor loses a batch
    # (processes.mapped); the collector stays off in the workers as export turned it off.
    with worker_pool(size, "fork", gc.disable) as pool:
        with _FORKING:
            _FORKED = (output, ctx, {})
            try:
                pool.submit(int).result()  # forks every worker now, before any thread starts
            finally:
                _FORKED = None  # the workers have their copy; this process never reads it
        yield pool


def materialize(entry: Entry) -> Part:
    """One entry as bytes in memory (not validated: tests validate parts themselves)."""
    from packager.xml.serialize import to_bytes

    if isinstance(entry, LazyXml):
        tree = entry.build()
        if entry.reused:  # kept in the Part: a copy the next part's build leaves alone
            tree = copy(tree)
        return Part(to_bytes(tree), entry.schema, tree)
    if isinstance(entry, Chunks):
        return Part(entry.joined())
    if isinstance(entry, Part):
        return entry if entry.tree is None else Part(to_bytes(entry.tree), entry.schema, entry.tree)
    buffer = io.BytesIO()
    write_streamed(entry, "", Checker(None), buffer.write)
    return Part(buffer.getvalue(), entry.schema)


def _forked_batch(batch: Batch) -> Built:
    """A batch built in a forked worker, from the Output the parent was assembling, on a
    thread of its own (as _forked_lazy)."""
    return on_own_thread(_batch_in_worker, batch)


def _batch_in_worker(batch: Batch) -> Built:
    assert _FORKED is not None
    return _batch_from(_FORKED, batch)


def _batch_from(forked: _Forked, batch: Batch) -> Built:
    output, ctx, layouts = forked
    doc = output.entries[batch.path]
    assert isinstance(doc, StreamedXml)
    layout = layouts.get(batch.path)
    if layout is None:
        layout = layouts[batch.path] = Layout.of(doc)
    checker = Checker(ctx)
    schema = checker.schema(doc.schema)
    return build_batch(doc, layout, batch, schema, MAX_ERRORS, checker.rule(doc))
