"""Output → artefact bytes: every XML part validated against its XSD, serialized, compressed.

Two stages on two threads: the calling thread runs the writers (trees, and the children of
streamed documents, built lazily one at a time); a worker thread validates, serializes and
deflates what they built. libxml2 and zlib release the GIL, so the stages overlap on two
cores, and a built tree is dropped as soon as its bytes are compressed: a 50,000-question
QTI file never exists as one tree. The bytes are exactly what serializing whole trees gives.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import IO, TYPE_CHECKING, Any, Protocol

from packager.packages.base import Output, Part, StreamedXml

if TYPE_CHECKING:
    from packager.archive import ZipWriter
    from packager.context import BuildContext

# Built children waiting for the worker: enough to keep it busy, few enough to bound memory.
QUEUE_DEPTH = 64
MAX_ERRORS = 20


@dataclass
class Assembled:
    data: bytes
    validated: list[str] = field(default_factory=list)  # paths checked against an XSD
    errors: list[str] = field(default_factory=list)  # "path: line N: message"


class _Checker:
    """Which parts get XSD validation, and the errors found (one list, capped)."""

    def __init__(self, ctx: BuildContext | None) -> None:
        self.ctx = ctx
        self.errors: list[str] = []
        self.validated: list[str] = []

    def schema(self, key: str | None) -> Any:
        from packager import xsd

        ctx = self.ctx
        if key is None or ctx is None or not ctx.validate_output:
            return None
        if xsd.needs_xsd_dir(key) and ctx.xsd_dir is None:
            return None
        return xsd.schema_for(key, ctx.xsd_dir)

    def check(self, schema: Any, tree: Any, where: str) -> None:
        if schema is None or len(self.errors) >= MAX_ERRORS or schema.validate(tree):
            return
        self.errors.extend(f"{where}:{e.line}: {e.message}" for e in schema.error_log)
        del self.errors[MAX_ERRORS:]


def assemble(output: Output, ctx: BuildContext) -> Assembled:
    """The artefact: the zip of every part (fixed order), or the one part of a single file."""
    from packager import archive

    checker = _Checker(ctx)
    order = archive.entry_order(list(output.entries))
    validated = [p for p in order if checker.schema(output.entries[p].schema) is not None]
    zipped = None if output.single_file else archive.ZipWriter(ctx.date_time)
    single = io.BytesIO()
    worker = _Worker()
    try:
        for path in order:
            _feed(worker, output.entries[path], path, checker, _sink(zipped, single, path))
        worker.finish()
    finally:
        worker.stop()
    data = zipped.close() if zipped is not None else single.getvalue()
    return Assembled(data, sorted(validated), checker.errors)


def _sink(zipped: ZipWriter | None, single: IO[bytes], path: str) -> Callable[[], _Sink]:
    if zipped is None:
        return lambda: _Unclosable(single)
    return lambda: zipped.open(path)


class _Sink(Protocol):
    """Where one part's bytes go: a zip entry stream, or the single-file buffer."""

    def write(self, data: bytes, /) -> int: ...

    def close(self) -> None: ...


class _Unclosable:
    """The single-file buffer, kept open when its one document is done."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target

    def write(self, data: bytes, /) -> int:
        return self.target.write(data)

    def close(self) -> None:
        pass


def _feed(
    worker: _Worker,
    entry: Part | StreamedXml,
    path: str,
    checker: _Checker,
    open_sink: Callable[[], _Sink],
) -> None:
    if isinstance(entry, StreamedXml):
        _feed_streamed(worker, entry, path, checker, open_sink)
    else:
        worker.put(lambda: _write_part(entry, path, checker, open_sink))


def _write_part(part: Part, path: str, checker: _Checker, open_sink: Callable[[], _Sink]) -> None:
    from packager.xml.serialize import parse_bytes, to_bytes

    schema = checker.schema(part.schema)
    if part.tree is not None:
        checker.check(schema, part.tree, path)
        data = to_bytes(part.tree)
    else:
        data = part.data
        if schema is not None:
            _check_bytes(checker, schema, data, path, parse_bytes)
    sink = open_sink()
    sink.write(data)
    sink.close()


def _check_bytes(checker: _Checker, schema: Any, data: bytes, path: str, parse: Any) -> None:
    from lxml import etree

    try:
        tree = parse(data)
    except etree.XMLSyntaxError as exc:
        checker.errors.append(f"{path}:{exc.lineno or 0}: not well-formed XML: {exc.msg}")
        return
    checker.check(schema, tree, path)


# -- streamed documents ---------------------------------------------------------------------


class _Shell:
    """A streamed document's shell, serialized once and cut at its slot markers."""

    def __init__(self, doc: StreamedXml) -> None:
        from packager.xml.serialize import to_bytes

        self.doc = doc
        self.data = to_bytes(doc.root)
        self.spans: list[tuple[int, int]] = []  # (start, end) of each marker in self.data
        start = 0
        for marker, _ in doc.slots:
            needle = f"<!--{marker.text}-->".encode()
            begin = self.data.index(needle, start)
            self.spans.append((begin, begin + len(needle)))
            start = begin + len(needle)

    def item_bytes(self, index: int, element: Any) -> bytes:
        """The element's bytes as the whole document would serialize it at slot `index`."""
        from packager.xml.serialize import to_bytes

        begin, end = self.spans[index]
        whole = to_bytes(self.doc.root)
        return whole[begin : len(whole) - (len(self.data) - end)]

    def before(self, index: int) -> bytes:
        """The shell from the previous slot's marker (or the start) to this one."""
        start = self.spans[index - 1][1] if index else 0
        return self.data[start : self.spans[index][0]]

    def after_last(self) -> bytes:
        return self.data[self.spans[-1][1] :] if self.spans else self.data

    def separator(self, index: int) -> bytes:
        """Newline and indentation between two children of this slot."""
        head = self.data[: self.spans[index][0]]
        return head[head.rindex(b"\n") :]


def _feed_streamed(
    worker: _Worker,
    doc: StreamedXml,
    path: str,
    checker: _Checker,
    open_sink: Callable[[], _Sink],
) -> None:
    state: dict[str, Any] = {}

    def begin() -> None:
        state["shell"] = _Shell(doc)
        state["schema"] = checker.schema(doc.schema)
        state["sink"] = open_sink()
        state["count"] = 0

    def child(index: int, element: Any, first: bool) -> None:
        shell: _Shell = state["shell"]
        marker = doc.slots[index][0]
        parent = marker.getparent()
        parent.replace(marker, element)
        try:
            label = element.get("ident") or element.get("identifier") or element.tag
            checker.check(state["schema"], doc.root, f"{path} ({label})")
            data = shell.item_bytes(index, element)
        finally:
            parent.replace(element, marker)
        sink: _Sink = state["sink"]
        if first:
            sink.write(shell.before(index))
        else:
            sink.write(shell.separator(index))
        sink.write(data)
        state["count"] += 1

    def empty_slot(index: int) -> None:
        shell: _Shell = state["shell"]
        before = shell.before(index)
        state["sink"].write(before[: before.rindex(b"\n")])

    def end() -> None:
        shell: _Shell = state["shell"]
        sink: _Sink = state["sink"]
        if state["count"] == 0:
            checker.check(state["schema"], doc.root, path)
        sink.write(shell.after_last())
        sink.close()

    worker.put(begin)
    for index, (_, children) in enumerate(doc.slots):
        first = True
        for element in children:
            worker.put(partial(child, index, element, first))
            first = False
        if first:
            worker.put(partial(empty_slot, index))
    worker.put(end)


# -- in memory ------------------------------------------------------------------------------


def materialize(entry: Part | StreamedXml) -> Part:
    """One entry as bytes in memory (no validation: tests validate parts themselves)."""
    from packager.xml.serialize import to_bytes

    if isinstance(entry, Part):
        return entry if entry.tree is None else Part(to_bytes(entry.tree), entry.schema, entry.tree)
    buffer = io.BytesIO()
    worker = _Worker(threaded=False)
    _feed_streamed(worker, entry, "", _Checker(None), lambda: _Unclosable(buffer))
    return Part(buffer.getvalue(), entry.schema)


# -- the worker thread ----------------------------------------------------------------------


class _Worker:
    """Runs tasks in order on one thread; the first exception stops it and is re-raised."""

    def __init__(self, threaded: bool = True) -> None:
        self._error: BaseException | None = None
        self._queue: queue.Queue[Callable[[], None] | None] | None = None
        self._thread: threading.Thread | None = None
        if threaded:
            self._queue = queue.Queue(maxsize=QUEUE_DEPTH)
            self._thread = threading.Thread(target=self._run, name="packager-assemble")
            self._thread.start()

    def _run(self) -> None:
        assert self._queue is not None
        while True:
            task = self._queue.get()
            if task is None:
                return
            if self._error is None:
                try:
                    task()
                except BaseException as exc:  # re-raised on the calling thread
                    self._error = exc

    def put(self, task: Callable[[], None]) -> None:
        if self._error is not None:
            raise self._error
        if self._queue is None:
            task()
        else:
            self._queue.put(task)

    def finish(self) -> None:
        """Wait for every task; re-raise the first failure."""
        self.stop()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        if self._thread is not None and self._queue is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
