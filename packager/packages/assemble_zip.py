"""The zip of an assembled output, written entry by entry; large (streamed) documents are
deflated on a second thread, fed chunks of about CHUNK bytes (zlib-ng releases the GIL)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from packager.archive import ZipWriter

CHUNK = 1 << 20  # bytes per zip write, and per hand-over to the compression thread

Write = Callable[[bytes], object]


class Zip:
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


class ZipThread(Zip):
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
