"""A large bank's Markdown rendered on every core, before the checks read it text by text.

Rendering is most of what checking a Markdown-rich bank costs (pulldown-cmark, nh3, lxml and
latex2mathml, about 0.1 ms a text) and each text is independent of the others. The bank's
texts are split into ranges, shared between the calling process and forked workers
(processes.shared). Each side renders every text of its ranges: this process into render's
cache; a worker sends back only what the Markdown engine rendered, which is handed to
render(). A plain paragraph is not worth sending: render() tells one by a scan of it (two
regular expressions), which is all sorting the texts for the workers would cost too. So
the texts are not sorted: a sample says how many need the engine, and a bank of plain
paragraphs starts no worker.

Workers are forked and inherit the texts. Where workers would be spawned (Windows, macOS,
`PACKAGER_START_METHOD=spawn`; processes.start_method) the calling process renders every
text itself, as it does for a small bank: a spawned worker would need a few tenths of a
second to start and 20 MB of texts pickled to it, and if it failed to start (a script without
`if __name__ == "__main__":`) the parent's write of those texts would wait for it for ever.
None start while another thread runs either: the XSDs compiling while `build` loads its banks
already use the other cores, and forking then could leave a worker a lock held for good.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import pickle
import queue
import re
import signal
import stat
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import BrokenExecutor, Future
from contextlib import ExitStack, contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, Protocol

from packager.limits import MAX_BANK_BYTES
from packager.processes import (
    forked_counters,
    in_forked_workers,
    inherit,
    inherited,
    worker_pool,
    workers_to_fork,
)
from packager.readers.encoding import holds
from packager.richtext import Rendered, forget_prerendered, prerendered, render, rendered_before
from packager.richtext_refused import Refused
from packager.richtext_screening import may_have_problems, needs_engine
from packager.richtext_warned import Warned

if TYPE_CHECKING:
    from packager.model import Question

# Texts for the Markdown engine per worker before one is worth forking (forking, the wait
# for its last part and piping results back cost a few hundredths of a second).
MIN_TEXTS = 2000
SAMPLE = 500  # texts looked at to estimate how many need the engine
PART = 256  # texts per hand-over

# What a worker sends back for one text: its index and Rendered's state (see _rendered).
Result = tuple[int, str, tuple[str, ...], tuple[Refused, ...], tuple[Warned, ...]]


@contextmanager
def rendered_ahead(
    texts: Iterable[str], cores: int, early: EarlyRendering | None = None
) -> Iterator[None]:
    """Within the block, `render()` of each of `texts` is a lookup (see prerender); what the
    block did not render is dropped at its end. `early`: a bank's rendering started before
    its model was built (see EarlyRendering), joined instead if it had a worker."""
    try:
        if early is None or not early.join():
            prerender(texts, cores)
        yield
    finally:
        forget_prerendered()


def prerender(texts: Iterable[str], cores: int) -> None:
    """Render `texts` (those not rendered before) with up to `cores` processes, when there
    are enough of them and workers can be forked; else leave them to render()."""
    if workers_to_fork(cores, 1) < 1:
        return
    listed = list(texts)
    if len(listed) < MIN_TEXTS:
        return
    if _estimated(listed, _for_the_engine, SAMPLE) < 2 * MIN_TEXTS:  # this process and one worker
        return
    todo = [text for text in dict.fromkeys(listed) if not rendered_before(text)]
    # Estimated again on what is left: a bank loaded again (preview --watch) has its
    # Markdown rendered before, and its plain paragraphs are not worth a worker.
    workers = workers_to_fork(cores, int(_estimated(todo, _for_the_engine, SAMPLE)) // MIN_TEXTS)
    if workers < 1:
        return
    # Workers inherit the texts and are handed ranges of them, not the texts themselves.
    parts = [(i, min(i + PART, len(todo))) for i in range(0, len(todo), PART)]
    results = in_forked_workers(parts, partial(_render_here, todo), _render_part, todo, workers)
    if results is not None:
        prerendered(
            {todo[index]: _rendered(result) for done in results for index, *result in done}
        )


def _estimated(items: Sequence[Any], count: Callable[[Sequence[Any]], int], size: int) -> float:
    """What `count` would find in all of `items`, from a sample of about `size` of them."""
    sample = items[:: max(1, len(items) // size)]
    return count(sample) * len(items) / max(1, len(sample))


def _for_the_engine(texts: Sequence[str]) -> int:
    return sum(map(needs_engine, texts))


def _render_here(texts: list[str], part: tuple[int, int]) -> list[Result]:
    """In this process: into render's own cache (nothing to hand over)."""
    for text in texts[part[0] : part[1]]:
        render(text)
    return []


def _render_part(texts: list[str], part: tuple[int, int]) -> list[Result]:
    """In a worker: what the Markdown engine rendered of its range, as plain values. A
    plain paragraph is skipped unrendered: it is not sent back, and this process tells it
    by the same scan when render() first sees it."""
    results: list[Result] = []
    for index in range(*part):
        if not needs_engine(texts[index]):
            continue
        rendered = render(texts[index])
        if not rendered.read_without_engine:
            results.append(
                (index, rendered.xhtml, rendered.media, rendered.problems, rendered.warnings)
            )
    return results


def _rendered(result: list[Any]) -> Rendered:
    xhtml, media, problems, warnings = result
    return Rendered(xhtml, media, problems, warnings=warnings)


# -- while the model is built ---------------------------------------------------------------
#
# Parsing, building and checking the model of a large bank (json, pydantic, the bank's rules)
# takes this process about as long as rendering the texts a check must render (those that
# may hold a problem: richtext_screening.may_have_problems). So for a check, a worker forked
# before the parse parses the bank's bytes itself and renders them from the parsed value (whose
# strings are the bank's texts, and its ids and names, which rarely qualify), while this
# process parses and builds the model; then this process takes parts from the back while
# the worker goes on from the front. The worker parses its own copy rather than inheriting
# this process's: walking inherited objects writes their reference counts, so both sides
# paid copy-on-write faults on every page of the parsed bank.
# Loading a bank to write it out (export) does the same with every text the engine renders
# (`for_output`): the worker's head start is then most of the parse and model's time, and its
# results come back a part at a time, keyed by this process's own strings, so that this
# process never holds a second copy of the rendered texts.
#
# The two sides meet through two counters in shared memory, without a lock (a worker killed
# while holding one would leave this process waiting for good) and without cancelling queued
# tasks (Python 3.11's pool can fail when a worker dies while a cancelled task waits). Each
# side writes one counter and reads the other before taking a part; where both take the same
# part it is rendered twice, which costs only time; and what neither took (a dead worker's
# parts) this process renders at the end.

# Small: this process waits for the worker's last part or two once it has rendered its own
# (200 questions a part kept it waiting 0.2 s of a rich 10,000-question bank's load).
QUESTIONS_PER_PART = 50
MIN_EARLY_TEXTS = 1000  # wanted texts (estimated from a sample) before a worker is worth it
# A check's bank file from which size up a worker screens its questions (see _Screening):
# about 13,000 texts, whose screening here takes longer than forking a worker.
MIN_SCREENED_BYTES = 4 << 20
SAMPLE_QUESTIONS = 100
# Parts this process leaves to the worker when it takes one: the part after the worker's
# current one. (It imports the engines before it takes any: see _import_the_engines.)
LEFT_TO_THE_WORKER = 1
_FRONT, _BACK = 0, 1  # the worker's next part; the end of the parts it may take
MARK_SLICES, MARK_SLICE = 16, 1 << 16  # what _marks counts: 16 slices of 64 KiB
_UNKNOWN = 1 << 62  # the end before this process has parsed the bank: the worker's own count

# Which texts a side renders: those that may hold a problem (a check), or every one the
# Markdown engine renders (a bank loaded to be written out). Module-level functions, so a
# standby worker can be handed one through its pipe.
Wanted = Callable[[str], bool]

# What a worker sends back: per part it took, per wanted string the engine rendered, the
# string and Rendered's state. (Sending the string costs less than walking the part again
# here to find it: the string is a few of the part's thousands of values.) Each part is
# pickled as it is done, and taken in here one at a time, so that the strings the worker
# sent are freed part by part (they are copies of this process's own).
PartResult = list[tuple[str, str, tuple[str, ...], tuple[Refused, ...], tuple[Warned, ...]]]
# Sent with it: the positions within the part of the questions with a string wanted (see
# EarlyRendering.join_found).


class _Results(Protocol):
    """Where a worker's results come from: a pool's future, or a standby's pipe."""

    def arrived(self) -> Iterable[bytes]:
        """The parts sent so far, without waiting (taken in while this process renders)."""
        ...

    def result(self) -> Iterable[bytes]:
        """The rest of the parts, once the worker is done."""
        ...


class _Pooled:
    """A pool worker's results, which come back together when it is done."""

    def __init__(self, future: Future[list[bytes]]) -> None:
        self._future = future

    def arrived(self) -> Iterable[bytes]:
        return ()

    def result(self) -> Iterator[bytes]:
        yield from self._future.result()  # raises where the parts are taken in (join)


class EarlyRendering:
    """Rendering of a bank's texts that may hold a problem (or, for output, of every text
    the engine renders), started before the checks need
    them: `start` with a bank file's bytes (before they are parsed), then `parsed` with this
    process's parse of them; or `start_model` with a model's questions (import: before the
    bank is written out); `join` when the checks need them (what was rendered is then
    render()'s to hand out); `close` in any case (early_rendering does)."""

    def __init__(self, cores: int) -> None:
        self._cores = cores
        self._stack = ExitStack()
        self._questions: Sequence[Any] = []
        self._strings_of: Callable[[Sequence[Any]], list[str]] = _strings
        self._counters: Any = None
        self._future: _Results | None = None
        self._wanted: Wanted = may_have_problems
        self._screening: _Screening | None = None
        # checks.texts_scan of each question's texts (by position) as `join` rendered them
        # for output: the scan after the join then need not walk them again alone.
        self.scanned: dict[int, tuple[int, bool]] = {}
        # The worker parsed the bank file the model was built from (`start`, `parsed`,
        # `built`): the questions it marks are the model's at the same positions.
        self._marks_questions = False
        self._origin: int | None = None  # the checksum of the bytes `start` was given

    def start(self, raw: bytes, path: str | None = None, *, for_output: bool = False) -> None:
        """A worker for the bank file `raw`, which it parses itself, if its bytes hint at
        enough texts that may hold a problem, or `for_output` that the engine renders (the
        sample of `parsed` then decides): the
        standby worker when there is one and `raw` was read from the file `path`, else one
        forked now."""
        # A file over the limit is refused unread (readers/canonical.py): the worker must not
        # parse it either.
        self._wanted = needs_engine if for_output else may_have_problems
        if len(raw) > MAX_BANK_BYTES:
            return
        if _marks(raw, for_output) < MIN_EARLY_TEXTS:
            if not for_output and len(raw) >= MIN_SCREENED_BYTES:
                self._screening = _Screening.fork(raw, self._cores)
            return
        if not for_output:
            # The worker's marks are of the bytes it parsed: a standby reads the file itself,
            # which may have changed since this process read it (join_found).
            self._origin = _checksum(raw)
        taken = _take_standby(path, len(raw), self._wanted)
        if taken is None:
            self._fork(_render_json_from_front, (raw, self._wanted))
            return
        self._stack.callback(taken.stop)
        self._future, self._counters = taken, taken.counters

    def parsed(self, data: object) -> None:
        """This process's parse of the bytes given to `start`: the worker goes on if a
        sample of it has enough texts that may hold a problem, else it is stopped."""
        if self._future is None:
            return
        questions = data.get("questions") if isinstance(data, dict) else None
        if not isinstance(questions, list) or not _worth_it(questions, _strings, self._wanted):
            self.close()
            return
        self._share(questions, _strings)

    def built(self, questions: Sequence[Question]) -> None:
        """The model built from the parse handed to `parsed`: the same questions, in the
        same order, whose texts this process then renders its parts from, so that the parse
        is freed before the rendered texts pile up."""
        if self._future is not None and self._strings_of is _strings:
            self._questions, self._strings_of = questions, _model_texts
            self._marks_questions = True

    def start_model(self, questions: Sequence[Question]) -> None:
        if self._future is not None:  # begun from the reader's data (start_data)
            return
        if _worth_it(questions, _model_texts, self._wanted) and self._fork(
            _render_from_front, (questions, _model_texts, self._wanted)
        ):
            self._share(questions, _model_texts)

    def start_data(self, questions: Sequence[Any]) -> None:
        """An import's questions as its reader read them (canonical data, before its bank is
        built): both sides render their parts from those, so the worker starts while this
        process builds the bank, checks its rules and writes it out, not only during the
        writing (`start_model`). A text the model then holds otherwise is rendered by the
        checks: results are keyed by text."""
        if self._future is None and _worth_it(questions, _strings, self._wanted) and self._fork(
            _render_from_front, (questions, _strings, self._wanted)
        ):
            self._share(questions, _strings)

    def _share(
        self, questions: Sequence[Any], strings_of: Callable[[Sequence[Any]], list[str]]
    ) -> None:
        """This process's view of the parts the worker renders: the questions, how their
        strings are listed, and the end of the parts (the worker may take up to it)."""
        self._questions, self._strings_of = questions, strings_of
        self._counters[_BACK] = _part_count(questions)

    def _fork(self, task: Callable[[], list[bytes]], state: object) -> bool:
        if workers_to_fork(self._cores, 1) < 1:
            return False
        try:
            counters = forked_counters(0, _UNKNOWN)
            pool = self._stack.enter_context(
                worker_pool(1, "fork", inherit, (state, counters))
            )
            self._future = _Pooled(pool.submit(task))
        except (OSError, BrokenExecutor):  # no process could be started: render() does it all
            self.close()
            return False
        self._counters = counters
        return True

    def join(self, suspects: Mapping[str, str] | None = None) -> bool:
        """Take parts from the back until the worker's are reached, collecting the worker's
        as they come, render what neither side took, and stop the worker. False when there
        was no worker (nothing was rendered). `suspects`: every text the check renders,
        each mapped to itself (this process's own string), when the check has listed them:
        this process then renders of its parts those alone (not screened again), and keys
        the worker's results by them (without listing the worker's parts' texts)."""
        return self._joined(suspects, None)

    def join_found(self, found_in: Callable[[Question], list[str]]) -> dict[int, list[str]] | None:
        """join for a check whose worker parsed the bank file the model was built from: of
        each question that has any, its position and the texts that may hold a problem
        (`found_in`), this process screening only the questions of its own parts and those
        the worker marked in its: the worker screened its parts' strings already, and a
        screening of every question here ran alone, before the join. None when that worker
        is not there (nothing rendered or screened): the check screens every question, then
        joins."""
        if not self._marks_questions or self._wanted is not may_have_problems:
            return None
        found: dict[int, list[str]] = {}
        questions = self._questions

        def screen(at: int) -> list[str]:
            texts = found_in(questions[at])
            if texts:
                found[at] = texts
            return texts

        return found if self._joined(None, screen) else None

    def _joined(
        self, suspects: Mapping[str, str] | None, screen: Callable[[int], list[str]] | None
    ) -> bool:
        """join; `screen`: what a question (by position) has that the check renders, for
        join_found (rendered here, or matched with the worker's results)."""
        if self._future is None:
            return False
        counters, questions, strings_of = self._counters, self._questions, self._strings_of
        wanted = self._wanted if suspects is None else suspects.__contains__
        future = self._future
        taken: set[int] = set()
        results: dict[str, Rendered] = {}
        # Loading a model for output: the scan then renders every text and reads its flags
        # (checks.scan_bank). Each part's texts go into render()'s cache here, and each
        # question's are scanned (self.scanned), while the worker still renders, not one by
        # one in the scan once both are done.
        every = suspects is None and wanted is needs_engine and strings_of is _model_texts
        scanned = self.scanned

        def scan_part(part: int) -> None:
            from packager.checks import texts_scan
            from packager.model.walk import question_texts

            first = part * QUESTIONS_PER_PART
            for at, question in enumerate(_questions_of(questions, part), first):
                scanned[at] = texts_scan(question_texts(question))

        def render_part(part: int) -> None:
            if screen is None:
                _render_part_here(strings_of(_questions_of(questions, part)), wanted)
                return
            first = part * QUESTIONS_PER_PART
            for at in range(first, first + len(_questions_of(questions, part))):
                for text in screen(at):
                    render(text)

        def adopt(datas: Iterable[bytes]) -> bool:
            """The worker's parts into `results`; False if it died (or failed)."""
            try:
                for data in datas:
                    part, rendered, marked, origin = pickle.loads(data)
                    # Keyed by this process's own strings (kept as keys, the worker's copies
                    # would hold each rendered text twice).
                    own: Mapping[str, str]
                    if screen is not None:
                        first = part * QUESTIONS_PER_PART
                        if origin != self._origin:  # other bytes: its marks say nothing
                            marked = range(len(_questions_of(questions, part)))
                        own = {text: text for at in marked for text in screen(first + at)}
                    else:
                        own = suspects if suspects is not None else {
                            text: text for text in strings_of(_questions_of(questions, part))
                        }
                    for text, *state in rendered:
                        results[own.get(text, text)] = _rendered(state)
                    taken.add(part)
                    if every:
                        prerendered(results)
                        results.clear()
                        scan_part(part)
            except Exception:  # its parts not taken in are rendered here
                return False
            return True

        _import_the_engines()
        alive = True
        while True:
            part = counters[_BACK] - 1
            if part < counters[_FRONT] + LEFT_TO_THE_WORKER:
                break
            counters[_BACK] = part
            if every:
                scan_part(part)
            else:
                render_part(part)
            taken.add(part)
            # The worker's parts taken in while it still renders: taken in after this
            # process's last part, they kept the worker's core idle meanwhile.
            alive = alive and adopt(future.arrived())
        if alive:
            adopt(future.result())
        for part in range(_part_count(questions)):
            if part not in taken:
                render_part(part)
        self.close()
        prerendered(results)
        return True

    def screened(self, count: int) -> set[int] | None:
        """The positions of the questions, of the `count` this process's parse holds, whose
        strings may hold a problem, when a worker screened the bank file `start` was given
        (the other questions hold no text that may: each text of a question is one of its
        strings); else None, and the check screens them itself."""
        screening, self._screening = self._screening, None
        return None if screening is None else screening.result(count)

    def close(self) -> None:
        if self._screening is not None:
            self._screening.end()
            self._screening = None
        if self._counters is not None:  # not joined (the model failed, an interrupt): the
            self._counters[_BACK] = 0  # worker stops after its part, not after all of them
        self._future = None
        self._questions = []
        self._counters = None
        self._stack.close()


@contextmanager
def early_rendering(cores: int) -> Iterator[EarlyRendering]:
    """An EarlyRendering whose worker is stopped when the block ends, joined or not."""
    early = EarlyRendering(cores)
    try:
        yield early
    finally:
        early.close()


# The rendering of the import being read (`reading`), which its reader starts through
# `questions_read` once its questions are read: readers have one signature, `read(source)`.
_reading: EarlyRendering | None = None


@contextmanager
def reading(early: EarlyRendering) -> Iterator[None]:
    """Inside, a reader's `questions_read` starts `early` (EarlyRendering.start_data)."""
    global _reading
    _reading = early
    try:
        yield
    finally:
        _reading = None


def questions_read(questions: Sequence[Any]) -> None:
    """A reader's questions as canonical data, before it builds its bank from them: inside
    `reading` (an import), their rendering for the checks starts; elsewhere nothing."""
    if _reading is not None:
        _reading.start_data(questions)


# -- a worker forked as `validate` or `export` starts ---------------------------------------
#
# Typer parses a command's arguments in about a tenth of a second (it builds pydantic adapters
# for them), and a worker forked by the check then spent its own first tenth importing the
# engines. So `validate` and `export` fork a standby worker before their arguments are parsed
# (cli: `standby`); it imports the engines meanwhile and waits. (Export could fork no worker
# later: it compiles the XSDs on a thread while its banks load.) The first check of a bank file worth
# a worker hands it the file's name (EarlyRendering.start), and it goes on as a worker forked
# then would. It reads the file itself, only a regular file of the size this process read (a
# pipe would give it nothing to read); its results are keyed by text, so a file changed in
# between costs time, never a wrong result.
# A command line that names one bank file (`validate bank.json`), or none (then content/'s
# first: cli._standby), has the standby start on it at once, from the words alone
# (_named_bank): the check hands it the path only after typer's parse (which imports
# pydantic), the read of the file and the pipeline's imports, about a tenth of a second in
# which the standby only waited. The check takes the standby only for the file it named
# (same file, size and time of change) and hands it the path all the same: a standby that
# found the file not worth it (too few marks, changed, unreadable) waits for it.

_standby: _Standby | None = None


class _Named(NamedTuple):
    """The bank file a command line names, what its check wants rendered, and the file's
    identity when the standby was forked (os.stat: device, inode, size, time of change)."""

    path: str
    wanted: Wanted
    identity: tuple[int, int, int, int]


@contextmanager
def standby(cores: int, args: Sequence[str] = (), *, for_output: bool = False) -> Iterator[None]:
    """A standby worker for the block, where workers are forked; stopped at its end. `args`:
    the command's words after its name; `for_output`: the command writes its banks out."""
    global _standby
    wanted = needs_engine if for_output else may_have_problems
    made = _Standby.fork(cores, _named_bank(args, wanted))
    _standby = made
    try:
        yield
    finally:
        untaken = _standby is made
        _standby = None
        if made is not None:
            # Nothing reads an untaken standby's work (a usage error, a failed read, another
            # file): ended at once, where joining it waited out its parse of a large bank.
            made.end() if untaken else made.join()


def _named_bank(args: Sequence[str], wanted: Wanted) -> _Named | None:
    """The one bank file among a command line's words (a regular `.json` file no larger than
    a bank may be), before they are parsed; None if they name none or several. An option's
    value taken for it (`--out x.json`) costs the standby's time, never a wrong result."""
    named = [word for word in args if not word.startswith("-") and word.endswith(".json")]
    if len(named) != 1:
        return None
    try:
        found = os.stat(named[0])
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_BANK_BYTES:
        return None
    return _Named(named[0], wanted, _identity(found))


def _identity(found: os.stat_result) -> tuple[int, int, int, int]:
    return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns


def _take_standby(path: str | None, size: int, wanted: Wanted) -> _Standby | None:
    """The standby worker, handed the bank file `path` of `size` bytes; None if there is
    none, or the file is not a regular file of that size, or the standby went on another
    file the command line named (it is stopped then)."""
    global _standby
    taken = _standby
    if taken is None or path is None:
        return None
    try:
        found = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode) or found.st_size != size:
        return None
    named = taken.named
    if named is not None and (named.identity != _identity(found) or named.wanted is not wanted):
        taken.stop()  # busy with another file, or rendering what this check does not want
        return None
    _standby = None
    return taken if taken.hand(path, wanted) else None


class _Screening:
    """For the check of a bank file whose texts are not worth rendering early (few may hold
    a problem: a bank of plain paragraphs), a worker forked with the file's bytes screens its
    questions' strings while this process parses the file and builds and checks the model:
    the check then screens only the questions it names. The worker parses its own copy
    (see EarlyRendering) of this process's own bytes, so it screens the very strings this
    process parses."""

    def __init__(self, process: Any, connection: Any) -> None:
        self._process = process
        self._connection = connection

    @classmethod
    def fork(cls, raw: bytes, cores: int) -> _Screening | None:
        if workers_to_fork(cores, 1) < 1:
            return None
        context = multiprocessing.get_context("fork")
        try:
            here, there = context.Pipe(duplex=False)
            process = context.Process(
                target=_screening_main, args=(raw, there, here), daemon=True
            )
            process.start()
        except OSError:  # no process could be started: the check screens every question
            return None
        there.close()
        return cls(process, here)

    def result(self, count: int) -> set[int] | None:
        """The worker's positions, if it screened `count` questions; None if it failed."""
        try:
            found = self._connection.recv()
        except (EOFError, OSError):  # it died, or failed (nothing sent)
            found = None
        self.end()
        if found is None or found[0] != count:
            return None
        return set(found[1])

    def end(self) -> None:
        """Killed: a worker whose result nothing reads (the model failed) is not waited for.
        (Killed, not terminated: see _Standby.end.)"""
        self._connection.close()
        self._process.kill()
        self._process.join()


def _screening_main(raw: bytes, connection: Any, other_end: Any) -> None:
    """In the screening worker: how many questions the bank file `raw` has and the positions
    of those with a string that may hold a problem, sent; nothing if anything fails."""
    other_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's; it ends this
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the command's handler: no traceback
    gc.disable()  # as processes.inherit
    try:
        found = _suspect_questions(raw)
        if found is not None:
            connection.send(found)
    except Exception:  # not UTF-8, not JSON: the check fails, or screens every question
        pass
    finally:
        connection.close()


def _suspect_questions(raw: bytes) -> tuple[int, list[int]] | None:
    """The number of questions of the bank file `raw`, and the positions of those with a
    string that may hold a problem (its parse as _render_json's, each string decoded)."""
    narrow = _narrow(raw)
    data = json.loads(raw.decode("latin-1") if narrow else raw)
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, list):
        return None
    found = []
    for index, question in enumerate(questions):
        for text in _strings(question):
            if narrow and not text.isascii():
                text = _from_narrow(text)
            if may_have_problems(text):
                found.append(index)
                break
    return len(questions), found


class _Standby:
    """The standby worker's process, the pipe to it and the counters it meets this process
    by (see _render_parts)."""

    def __init__(
        self, process: Any, connection: Any, counters: Any, named: _Named | None = None
    ) -> None:
        self._process = process
        self._connection = connection
        self.counters = counters
        self.named = named  # the file it starts on unhanded, if worth it (_named_bytes)
        self._ended = False  # the worker's end marker was received

    @classmethod
    def fork(cls, cores: int, named: _Named | None = None) -> _Standby | None:
        if workers_to_fork(cores, 1) < 1:
            return None
        context = multiprocessing.get_context("fork")
        try:
            counters = forked_counters(0, _UNKNOWN)
            here, there = context.Pipe()
            process = context.Process(
                target=_standby_main, args=(there, here, counters, named), daemon=True
            )
            process.start()
        except OSError:  # no process could be started: the check forks its own, or renders
            return None
        there.close()
        return cls(process, here, counters, named)

    def hand(self, path: str, wanted: Wanted) -> bool:
        try:
            self._connection.send((path, wanted))
        except OSError:  # the worker died
            return False
        return True

    def arrived(self) -> Iterator[bytes]:
        while not self._ended and self._connection.poll():
            yield from self._received()

    def result(self) -> Iterator[bytes]:
        """What the worker rendered, a pickled part at a time; EOFError if it died
        (EarlyRendering.join)."""
        while not self._ended:
            yield from self._received()

    def _received(self) -> Iterator[bytes]:
        data = self._connection.recv_bytes()
        if data:
            yield data
        else:
            self._ended = True

    def stop(self) -> None:
        """Told by the closed pipe: a waiting worker ends at once, a working one after its
        part, when its results find no reader. Not waited for here: a worker that rendered
        a large bank takes a few hundredths of a second to end (standby() waits, later)."""
        self.counters[_BACK] = 0
        self._connection.close()

    def join(self) -> None:
        self.stop()
        self._process.join()

    def end(self) -> None:
        self.stop()
        # Killed: a SIGTERM would meet the handler the command set before the fork
        # (cli._terminated), and the worker would print its KeyboardInterrupt.
        self._process.kill()
        self._process.join()


def _standby_main(connection: Any, other_end: Any, counters: Any, named: _Named | None) -> None:
    """In the standby worker: the bank file the command line `named` (if worth it:
    _named_bytes) or else the one it is handed rendered (_render_json), the engines imported
    first (while it waits, when no file is named), the results sent back a part at a time. Ends
    quietly when the pipe closes or anything fails: this process then renders the rest."""
    other_end.close()  # this process's end: without it the closed pipe is never seen here
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's; it stops this
    gc.disable()  # as processes.inherit
    parts: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    # Each part is sent as it is done, while the next is rendered: this process takes them
    # in between its own parts (EarlyRendering.join). From a thread, so that a full pipe
    # holds the sending, never the rendering.
    sender = threading.Thread(target=_send_parts, args=(connection, parts), daemon=True)
    try:
        # A named file is looked at first: its check never hands over a bank of plain
        # paragraphs, for which importing the engines cost 0.05 CPU-s for nothing.
        raw = None if named is None else _named_bytes(named)
        if named is None:
            _import_the_engines()  # meanwhile: a file may be handed over at any moment
        if raw is None or named is None:
            path, wanted = connection.recv()
            raw = _regular_file(path, MAX_BANK_BYTES + 1)
        else:
            wanted = named.wanted
        _import_the_engines()
        sender.start()
        _render_json(raw, counters, wanted, parts.put)
        parts.put(b"")  # the end
    except Exception:  # the pipe closed, or the file changed: see the docstring
        pass
    finally:
        parts.put(None)
        if sender.is_alive():
            sender.join()


def _send_parts(connection: Any, parts: queue.SimpleQueue[bytes | None]) -> None:
    """In the standby worker: the parts put in `parts` sent, until None."""
    try:
        while (data := parts.get()) is not None:
            connection.send_bytes(data)
    except OSError:  # the pipe closed: this process no longer reads
        pass


def _named_bytes(named: _Named) -> bytes | None:
    """In the standby worker: the bytes of the file the command line named if the check
    would hand it over (EarlyRendering.start's test, on the same bytes); else None (and
    unreadable too), and the worker waits for a path. The slices the test counts are read
    first: a bank of plain paragraphs is not read whole for nothing."""
    try:
        with _opened(named.path) as file:
            size = os.fstat(file.fileno()).st_size

            def at(start: int) -> bytes:
                file.seek(start)
                return file.read(MARK_SLICE)

            worth = _marks_in(at, size, named.wanted is needs_engine) >= MIN_EARLY_TEXTS
            if size > MAX_BANK_BYTES or not worth:
                return None
            file.seek(0)
            raw = file.read(MAX_BANK_BYTES + 1)
    except OSError:
        return None
    return raw if len(raw) <= MAX_BANK_BYTES else None


def _regular_file(path: str, limit: int) -> bytes:
    """At most `limit` bytes of the regular file `path`; OSError for anything else."""
    with _opened(path) as file:
        return file.read(limit)


@contextmanager
def _opened(path: str) -> Iterator[BinaryIO]:
    """The regular file `path` open to read; OSError for anything else. Opened without
    blocking and checked once open: a file replaced by a pipe after this process looked at
    it (_take_standby) would hold the worker, and the check joining it, for good."""
    # O_BINARY: Windows would read in text mode, "\r\n" as "\n" and stopping at a ^Z byte.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError(f"{path} is not a regular file")
        yield file


def _worth_it(
    questions: Sequence[Any], strings_of: Callable[[Sequence[Any]], list[str]], wanted: Wanted
) -> bool:
    def suspects(sample: Sequence[Any]) -> int:
        return sum(map(wanted, strings_of(sample)))

    return _estimated(questions, suspects, SAMPLE_QUESTIONS) >= MIN_EARLY_TEXTS


def _marks(raw: bytes, for_output: bool = False) -> int:
    """A rough count, from a bank file's bytes alone, of its texts that may hold a problem:
    math (`$`; LaTeX's backslashes, which JSON writes `\\\\`), HTML, links. Not `[` nor
    a lone backslash: JSON's arrays and escapes are full of them. `for_output`: also of the
    texts the engine renders (paragraph breaks, which JSON writes `\\n\\n`, and emphasis).
    It decides whether a worker is forked before the parse; a sample of the parse then
    decides whether it goes on.
    Counted on slices spread over the file: counting all of a 30 MB file took 0.06 s."""
    return _marks_in(lambda start: raw[start : start + MARK_SLICE], len(raw), for_output)


def _marks_in(at: Callable[[int], bytes], size: int, for_output: bool) -> int:
    """_marks of a file of `size` bytes whose slice from a position `at` gives."""
    step = max(MARK_SLICE, size // MARK_SLICES)
    slices = [at(start) for start in range(0, size, step)]
    marks = sum(
        part.count(b"$") // 2 + part.count(b"<") + part.count(b"](") + part.count(b"\\\\")
        + (part.count(b"\\n\\n") + part.count(b"*") // 2 if for_output else 0)
        for part in slices
    )
    return marks * size // max(1, sum(map(len, slices)))


def _strings(value: object) -> list[str]:
    """Every string value in a parsed JSON value, in document order (not the keys)."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is str:
            found.append(item)
        elif type(item) is dict:
            stack.extend(reversed(item.values()))
        elif type(item) is list:
            stack.extend(reversed(item))
    return found


def _model_texts(questions: Sequence[Question]) -> list[str]:
    from packager.model.walk import question_texts  # not at the top: see pipeline._check

    return [text for q in questions for text in question_texts(q)]


def _part_count(questions: Sequence[Any]) -> int:
    return -(-len(questions) // QUESTIONS_PER_PART)


def _questions_of(questions: Sequence[Any], part: int) -> Sequence[Any]:
    return questions[part * QUESTIONS_PER_PART : (part + 1) * QUESTIONS_PER_PART]


def _render_json_from_front() -> list[bytes]:
    """In the worker (its state: processes.inherit): the bank file's bytes parsed, then its
    parts rendered as _render_from_front does. A file that does not parse fails here as it
    does in this process, whose check then never joins."""
    (raw, wanted), counters = inherited()
    return _render_json(raw, counters, wanted)


def _render_json(
    raw: bytes, counters: Any, wanted: Wanted, sent: Callable[[bytes], None] | None = None
) -> list[bytes]:
    """A bank file's bytes parsed, then its parts rendered as _render_parts does."""
    narrow = _narrow(raw)
    data = json.loads(raw.decode("latin-1") if narrow else raw)
    questions = data.get("questions") if isinstance(data, dict) else None
    listed = questions if isinstance(questions, list) else []
    decoded = _from_narrow if narrow else None
    origin = _checksum(raw) if wanted is may_have_problems else None
    return _render_parts(listed, _strings, counters, wanted, sent, decoded, origin)


def _checksum(raw: bytes) -> int:
    """What tells the bytes a worker parsed from those this process did (a file rewritten
    in between, to the same size)."""
    return zlib.crc32(raw)


# Parsing a bank file as json.loads(raw) does (it decodes the whole file first) took a rich
# 10,000-question bank's worker 0.15 s: one emoji makes the decoded text four bytes a
# character (26 MB of UTF-8, a 95 MB string, 23,000 page faults). The worker renders a few of
# the strings, so it parses the bytes read as Latin-1 (one character a byte: JSON's syntax is
# ASCII, and every byte of a multi-byte UTF-8 character is above it: 0.055 s), screens those
# narrow strings, and decodes only those it wants (_from_narrow). A narrow string screens as
# its text does but for characters beyond ASCII (its length, a letter that is not one): a
# text screened wrongly is rendered by this process instead (results are keyed by the real
# text), which costs time, never a wrong result.


def _narrow(raw: bytes) -> bool:
    """Whether json.loads of `raw` read as Latin-1 gives json.loads(raw)'s strings read as
    Latin-1: UTF-8 without a byte-order mark (json.loads decodes one, and UTF-16), and no
    \\u escape (it would put a character among the bytes)."""
    return raw[:1] in _ASCII_OPENINGS and b"\x00" not in raw[:4] and not holds(raw, b"\\u")


# How a file json.loads would decode as UTF-8 starts (not with a BOM or a UTF-16 byte).
_ASCII_OPENINGS = (b"{", b"[", b" ", b"\t", b"\r", b"\n")


def _from_narrow(text: str) -> str:
    """A string parsed from UTF-8 read as Latin-1, decoded (UnicodeDecodeError if the file is
    not UTF-8: the worker fails, and this process renders what it left)."""
    return text if text.isascii() else text.encode("latin-1").decode("utf-8")


def _render_from_front() -> list[bytes]:
    (questions, strings_of, wanted), counters = inherited()
    return _render_parts(questions, strings_of, counters, wanted)


def _render_parts(
    questions: Sequence[Any],
    strings_of: Callable[[Sequence[Any]], list[str]],
    counters: Any,
    wanted: Wanted,
    sent: Callable[[bytes], None] | None = None,
    decoded: Callable[[str], str] | None = None,
    origin: int | None = None,
) -> list[bytes]:
    """In the worker: parts from the front until this process's parts are reached; per
    part, what the engine rendered of its strings, pickled (see PartResult): returned
    together, or each handed to `sent` as it is done. `decoded`: what each string `wanted`
    stands for (strings parsed narrow: _from_narrow). `origin`: the checksum of the bank
    file's bytes the questions were parsed from, sent with each part (see join_found)."""
    parts = _part_count(questions)
    done: list[bytes] = []
    while True:
        part = counters[_FRONT]
        if part >= min(counters[_BACK], parts):
            return done
        counters[_FRONT] = part + 1
        results: PartResult = []
        marked: list[int] = []  # the part's questions with a string wanted (their places in it)
        for at, question in enumerate(_questions_of(questions, part)):
            hit = False
            for text in strings_of([question]):
                if not wanted(text):
                    if decoded is None or _surely_unwanted(text, wanted):
                        continue
                    text = decoded(text)
                    if not wanted(text):
                        continue
                elif decoded is not None:
                    text = decoded(text)
                hit = True
                rendered = render(text)
                if not rendered.read_without_engine:
                    state = (rendered.xhtml, rendered.media, rendered.problems, rendered.warnings)
                    results.append((text, *state))
            if hit:
                marked.append(at)
        data = pickle.dumps((part, results, marked, origin), pickle.HIGHEST_PROTOCOL)
        if sent is None:
            done.append(data)
        else:
            sent(data)


def _surely_unwanted(narrow: str, wanted: Wanted) -> bool:
    """Whether the text a narrow string (see _from_narrow) stands for is not `wanted`, when
    the narrow string is not. For may_have_problems, a narrow string screens as its text but
    where characters beyond ASCII count: as letters (U+00C0-U+00FF are, and the bytes of an
    emoji or a dash begin with one) in a text without an ASCII letter, and in the engine's
    rendering of a text that may hold a table. Those texts are decoded and screened again
    (the check screens only the questions the worker marked)."""
    if narrow.isascii() or wanted is not may_have_problems:
        return True
    return _ASCII_LETTER.search(narrow) is not None and not ("|" in narrow and "-" in narrow)


_ASCII_LETTER = re.compile(r"[A-Za-z]")


def _import_the_engines() -> None:
    """What rendering imports (about a tenth of a second), imported before this process
    takes a part, while the worker goes on rendering: taken first, a part would keep this
    process busy that long, and the worker could reach it meanwhile."""
    import latex2mathml.converter  # noqa: F401
    import lxml.etree  # noqa: F401
    import nh3  # noqa: F401
    import pyromark  # noqa: F401


def _render_part_here(texts: list[str], wanted: Wanted) -> None:
    """`texts` rendered here, those `wanted`."""
    for text in texts:
        if wanted(text):
            render(text)
