"""render_pool.EarlyRendering: the texts of a bank that may hold a problem, rendered by a
forked worker (from its own parse of the bank's bytes) while this process parses the bank and
builds its model, give exactly what rendering them here gives; the check reports the same
problems in the same order with it as without it; a worker that dies or a model that fails
leaves nothing behind; and nothing starts where it should not."""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import sys
import time
from typing import Any

import pytest

from packager import render_pool, richtext
from packager.pipeline import check
from packager.processes import ENV_VAR
from packager.readers.base import Source
from packager.richtext import Rendered, render
from packager.richtext_screening import may_have_problems
from tests.conftest import CONTENT
from tests.unit.test_render_pool import (
    SHAPES,
    corpus,
    expected_renders,
    forget_renders,
    slow_here,
)


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv(ENV_VAR, "fork")  # where workers may start; one test says spawn
    monkeypatch.setattr("packager.context.usable_cores", lambda: 2)  # on a one-core runner too
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10)
    monkeypatch.setattr(render_pool, "QUESTIONS_PER_PART", 8)
    forget_renders()
    yield
    forget_renders()
    assert not multiprocessing.active_children()


def parsed(texts: list[str]) -> dict[str, Any]:
    """A parsed bank's shape: ids and names beside the texts, three texts a question."""
    questions = [
        {"id": f"q{i}", "type": "choice", "prompt": texts[i],
         "options": [{"id": "a", "text": texts[i + 1]}, {"id": "b", "text": texts[i + 2]}]}
        for i in range(0, len(texts) - 2, 3)
    ]
    return {"id": "bank", "title": "A bank", "questions": questions}


def start(early: render_pool.EarlyRendering, data: Any) -> None:
    """As the check does: the worker is started on the bank's bytes, then handed this
    process's parse of them."""
    early.start(json.dumps(data).encode())
    early.parsed(data)


def test_worker_renders_equal_renders_made_here(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = corpus(600)
    expected = expected_renders(texts)
    here = slow_here(monkeypatch)
    with render_pool.early_rendering(cores=2) as early:
        start(early, parsed(texts))
        time.sleep(0.3)  # the model being built
        early.join()
    from_worker = dict(richtext._PRERENDERED)
    assert from_worker, "nothing came back from the worker"
    assert here, "this process took no part"
    assert not set(here) & set(from_worker)  # each part rendered once, on one side
    for text, rendered in from_worker.items():
        assert rendered == expected[text], text
        assert rendered.flags == expected[text].flags
        assert not expected[text].read_without_engine  # plain paragraphs are not sent back
    wanted = {t for t in texts if may_have_problems(t) and not expected[t].read_without_engine}
    assert set(here) | set(from_worker) >= wanted
    assert {t: render(t) for t in texts} == expected
    assert any(r.problems for r in from_worker.values())
    assert any(r.warnings for r in from_worker.values())


def test_only_strings_that_may_hold_a_problem_are_rendered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = corpus(300)
    slow_here(monkeypatch)
    with render_pool.early_rendering(cores=2) as early:
        start(early, parsed(texts))
        time.sleep(0.2)
        early.join()
    assert richtext._PRERENDERED
    assert all(may_have_problems(t) for t in richtext._PRERENDERED)
    assert not {"q1", "bank", "A bank", "choice"} & set(richtext._PRERENDERED)


@pytest.mark.parametrize("how", ["dies", "raises"])
def test_a_worker_that_fails_leaves_its_parts_to_this_process(
    monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    texts = corpus(300)
    expected = expected_renders(texts)
    parent = os.getpid()

    def fails_in_a_worker(text: str) -> Rendered:
        if os.getpid() != parent:
            if how == "dies":
                os._exit(1)  # as a worker killed for memory ends
            raise RuntimeError("a bug in the worker")
        return render(text)

    monkeypatch.setattr(render_pool, "render", fails_in_a_worker)
    with render_pool.early_rendering(cores=2) as early:
        start(early, parsed(texts))
        assert early._future is not None, "no worker started"
        early.join()
    assert {t: render(t) for t in texts} == expected


@pytest.mark.parametrize(
    ("method", "threads", "cores", "data"),
    [
        ("spawn", 1, 4, None),  # Windows, macOS: a worker would inherit nothing
        ("fork", 2, 4, None),  # a thread runs (the XSDs compiling): no fork
        ("fork", 1, 1, None),  # one core: nothing to share
        ("fork", 1, 4, {"questions": "not a list"}),
        ("fork", 1, 4, ["not", "a", "bank"]),
        ("fork", 1, 4, {"questions": [{"prompt": f"plain {i}"} for i in range(500)]}),
    ],
)
def test_no_worker_where_none_should_start(
    monkeypatch: pytest.MonkeyPatch, method: str, threads: int, cores: int, data: Any
) -> None:
    from packager import processes

    monkeypatch.setenv(ENV_VAR, method)
    monkeypatch.setattr(processes.threading, "active_count", lambda: threads)

    def refused(*args: Any) -> Any:
        raise AssertionError("a worker was started")

    monkeypatch.setattr(render_pool, "worker_pool", refused)
    with render_pool.early_rendering(cores=cores) as early:
        start(early, parsed(corpus(300)) if data is None else data)
        early.join()
    assert not richtext._PRERENDERED


def spy_on_starts(monkeypatch: pytest.MonkeyPatch, method: str) -> list[bool]:
    """Per call of EarlyRendering.`method` from now on: whether it started a worker."""
    starts: list[bool] = []
    real = getattr(render_pool.EarlyRendering, method)

    def counted(self: render_pool.EarlyRendering, value: Any, *rest: Any, **options: Any) -> None:
        real(self, value, *rest, **options)
        starts.append(self._future is not None)

    monkeypatch.setattr(render_pool.EarlyRendering, method, counted)
    return starts


def _bank_bytes(copies: int, rich: bool = False) -> bytes:
    """The all-types sample, its questions repeated with ids and texts of their own, and
    awkward texts (problems, warnings) among them; `rich`: Markdown that the engine
    renders without a problem instead (the bank loads)."""
    bank = json.loads((CONTENT / "sample-all-types.json").read_text(encoding="utf-8"))
    questions = []
    for n in range(copies):
        for q in bank["questions"]:
            copy = json.loads(json.dumps(q))
            copy["id"] = f"{q['id']}-{n}"
            if rich:
                copy["prompt"] += f"\n\nNumber {n}, with *emphasis*:\n\n- one\n- two"
            else:
                copy["prompt"] = SHAPES[n % len(SHAPES)].format(n=n) + " " + q["prompt"]
            questions.append(copy)
    bank["questions"] = questions
    if rich:
        bank.pop("sections", None)  # they name the sample's ids
    return json.dumps(bank).encode()


def _suspects(question: Any) -> list[str]:
    from packager.model.walk import question_texts

    return [t for t in question_texts(question) if may_have_problems(t)]


def _found_once_the_worker_took_every_part(
    early: render_pool.EarlyRendering, data: Any, questions: Any, found_in: Any
) -> Any:
    """join_found, as the check calls it once the model is built, after the worker has
    taken every part (none is screened here for being this process's own)."""
    early.parsed(data)
    early.built(questions)
    assert early._counters is not None, "no worker started"
    deadline = time.monotonic() + 60
    parts = render_pool._part_count(questions)
    while early._counters[0] < parts and time.monotonic() < deadline:
        time.sleep(0.01)
    return early.join_found(found_in)


def test_the_check_screens_only_the_questions_the_worker_marked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker marks the questions of its parts with a string that may hold a problem:
    the check screens only those, and finds what screening every question finds, also
    where the worker's narrow string screens otherwise than its text (a list item of a
    no-break space shows nothing; read as Latin-1, its bytes hold a letter, Â)."""
    from packager.readers import canonical

    bank = json.loads(_bank_bytes(40, rich=True))
    for i, q in enumerate(bank["questions"]):
        if i % 7 == 0:
            q["prompt"] = "- \u00a0"
    raw = json.dumps(bank, ensure_ascii=False).encode()
    assert render_pool._narrow(raw)
    questions = canonical.read(Source("bank.json", raw, CONTENT)).bank.questions  # type: ignore[union-attr]
    expected = {i: found for i, q in enumerate(questions) if (found := _suspects(q))}
    assert all(i in expected for i in range(0, len(questions), 7))
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10)
    screened: list[Any] = []

    def found_in(question: Any) -> list[str]:
        screened.append(question)
        return _suspects(question)

    with render_pool.early_rendering(cores=2) as early:
        early.start(raw)
        found = _found_once_the_worker_took_every_part(early, json.loads(raw), questions, found_in)
    assert found == expected
    assert len(screened) < len(questions), "every question was screened here"


def test_the_check_screens_every_question_of_a_standby_that_read_other_bytes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """The standby reads the file itself, after this process did: rewritten in between to
    the same size, its marks are of other questions, and the check screens them all."""
    from packager.readers import canonical

    def bank_bytes(shows_nothing: int) -> bytes:
        bank = json.loads(_bank_bytes(40, rich=True))
        for i, q in enumerate(bank["questions"]):
            if i % 7 in (0, 1):  # the same length in UTF-8
                q["prompt"] = "- \u00a0" if i % 7 == shows_nothing else "ab\u00e9"
        return json.dumps(bank, ensure_ascii=False).encode()

    read, rewritten = bank_bytes(0), bank_bytes(1)
    assert len(read) == len(rewritten) and read != rewritten
    path = tmp_path / "bank.json"
    path.write_bytes(rewritten)
    questions = canonical.read(Source("bank.json", read, CONTENT)).bank.questions  # type: ignore[union-attr]
    expected = {i: found for i, q in enumerate(questions) if (found := _suspects(q))}
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10)
    with render_pool.standby(cores=2), render_pool.early_rendering(cores=2) as early:
        early.start(read, str(path))
        assert isinstance(early._future, render_pool._Standby)
        found = _found_once_the_worker_took_every_part(early, json.loads(read), questions, _suspects)
    assert found == expected


@pytest.mark.parametrize(
    "text",
    ["- \u00a0", "- \u2014 \U0001f4c8", "\u00e9\u00e9 | \u00e9 |\n|---|---|\n| x | y |", "Zo\u00eb",
     "\u201cquoted\u201d text", "\u2615 *", "> \u00e9", "caf\u00e9 $5", "*\u00a0*"],
)
def test_a_narrow_string_the_worker_leaves_stands_for_a_text_the_check_would_leave(
    text: str,
) -> None:
    """What the worker does not mark (the check then never screens it) is a text
    may_have_problems refuses: read as Latin-1, characters beyond ASCII become letters."""
    for candidate in [text, *corpus(200)]:
        narrow = candidate.encode().decode("latin-1")
        if not may_have_problems(narrow) and render_pool._surely_unwanted(
            narrow, may_have_problems
        ):
            assert not may_have_problems(candidate), candidate


def test_the_check_finds_the_same_with_and_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _bank_bytes(40)
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10**9)
    alone = check(Source("bank.json", data, CONTENT))[1]
    forget_renders()
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10)
    starts = spy_on_starts(monkeypatch, "parsed")
    early = check(Source("bank.json", data, CONTENT))[1]
    assert starts == [True], "no worker started"
    assert any(d.is_error for d in alone)  # the awkward texts are reported
    assert early == alone


def _awkward_bank() -> dict[str, Any]:
    """A bank the model accepts, whose rich text holds a few problems and warnings (and
    wide characters)."""
    bank = json.loads(_bank_bytes(40, rich=True))
    questions = bank["questions"]
    questions[7]["prompt"] = "Caf\u00e9 \U0001f600 <script>alert(1)</script> and $5 or $7"
    questions[30]["explanation"] = "See ![a chart](media/missing.png)."
    questions[61]["prompt"] = "A link to [a page](javascript:alert(1))."
    return bank


def _screened_check(monkeypatch: pytest.MonkeyPatch, data: bytes) -> tuple[Any, ...]:
    """The check's diagnostics with a screening worker, how many questions the worker
    named, and the check's own screenings (may_have_problems asked in this process)."""
    from packager import checks

    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10**9)  # no rendering worker
    monkeypatch.setattr(render_pool, "MIN_SCREENED_BYTES", 0)
    named: list[set[int] | None] = []
    real = render_pool.EarlyRendering.screened

    def spied(self: render_pool.EarlyRendering, count: int) -> set[int] | None:
        named.append(real(self, count))
        return named[-1]

    asked: list[str] = []

    def counted(text: str) -> bool:
        asked.append(text)
        return may_have_problems(text)

    monkeypatch.setattr(render_pool.EarlyRendering, "screened", spied)
    monkeypatch.setattr(checks, "may_have_problems", counted)
    found = check(Source("bank.json", data, CONTENT))[1]
    forget_renders()
    return found, named, asked


@pytest.mark.parametrize("dumps", [
    lambda bank: json.dumps(bank),  # \u escapes: parsed as it is
    lambda bank: json.dumps(bank, ensure_ascii=False),  # UTF-8: parsed narrow
    lambda bank: "\ufeff" + json.dumps(bank, ensure_ascii=False),  # with a byte-order mark
])
def test_a_worker_s_screening_leaves_the_check_s_findings_as_they_were(
    monkeypatch: pytest.MonkeyPatch, dumps: Any
) -> None:
    """A bank file not worth rendering early has its questions screened by a worker while
    this process builds the model: the check then screens only the questions it names, and
    finds what it finds alone, in the same order."""
    bank = _awkward_bank()
    data = dumps(bank).encode()
    monkeypatch.setattr(render_pool, "MIN_SCREENED_BYTES", 10**9)
    alone = check(Source("bank.json", data, CONTENT))[1]
    forget_renders()
    found, named, asked = _screened_check(monkeypatch, data)
    assert any(d.is_error for d in alone)
    assert found == alone
    (screened,) = named
    assert screened is not None and 7 in screened
    assert 0 < len(screened) < len(bank["questions"])
    assert len(asked) < sum(len(render_pool._strings(q)) for q in bank["questions"]) / 2


@pytest.mark.parametrize("how", ["dies", "raises", "miscounts"])
def test_a_screening_worker_that_fails_leaves_the_screening_to_the_check(
    monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    data = json.dumps(_awkward_bank()).encode()
    monkeypatch.setattr(render_pool, "MIN_SCREENED_BYTES", 10**9)
    alone = check(Source("bank.json", data, CONTENT))[1]
    forget_renders()
    real = render_pool._suspect_questions

    def fails(raw: bytes) -> Any:
        if how == "dies":
            os._exit(1)
        if how == "raises":
            raise RuntimeError("a bug in the worker")
        count, found = real(raw)
        return count + 1, found

    monkeypatch.setattr(render_pool, "_suspect_questions", fails)
    found, named, _ = _screened_check(monkeypatch, data)
    assert named == [None]
    assert found == alone


def test_a_bank_the_model_refuses_ends_its_screening_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing waits for the screening of a bank whose model fails: its worker is ended
    (the fixture checks that no process is left)."""
    bank = _awkward_bank()
    bank["questions"][3]["type"] = "no such type"
    data = json.dumps(bank).encode()

    def slow(raw: bytes) -> Any:
        time.sleep(60)

    monkeypatch.setattr(render_pool, "_suspect_questions", slow)
    started = time.perf_counter()
    found, named, _ = _screened_check(monkeypatch, data)
    assert named == [] and any(d.is_error for d in found)
    assert time.perf_counter() - started < 30


def _scanned(data: bytes) -> tuple[Any, ...]:
    """What loading a bank for output gives: its scan, and every text's rendering."""
    from packager.model.walk import bank_texts
    from packager.pipeline import load_source

    loaded = load_source(Source("bank.json", data, CONTENT))
    assert loaded.scan is not None
    renders = {text: render(text) for text in bank_texts(loaded.bank)}
    return loaded.diagnostics, loaded.scan.flags, loaded.scan.media, renders


def test_loading_for_output_renders_in_a_worker_what_loading_alone_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Export's load starts its worker before the parse too, on every text the engine
    renders (not only those that may hold a problem), and loads the same bank. The scan
    then needs every text's rendering and flags, alone once the worker is done: the join
    has put every question's texts (the worker's, plain paragraphs too) in render()'s
    cache and scanned each question's (checks.texts_scan), while the worker still rendered,
    so the scan after it does not walk every question's texts again on one core."""
    from packager import checks
    from packager.model.walk import question_texts

    data = _bank_bytes(40, rich=True)
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10**9)
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 10**9)
    alone = _scanned(data)
    forget_renders()
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10)
    starts = spy_on_starts(monkeypatch, "parsed")
    slow_here(monkeypatch)
    handed: dict[str, Rendered] = {}
    real = render_pool.prerendered
    monkeypatch.setattr(render_pool, "prerendered", lambda done: (handed.update(done),
                                                                   real(done))[1])
    rendered_in_the_scan: list[int] = []
    unscanned: list[int] = []
    real_scan = checks._scan

    def scan(bank: Any, *args: Any, **kwargs: Any) -> Any:
        before = render.cache_info().misses
        unflagged = sum(render(text)._flags is None
                        for q in bank.questions for text in question_texts(q))
        rendered_in_the_scan.append(render.cache_info().misses - before + unflagged)
        scanned = kwargs.get("scanned") or {}
        unscanned.append(sum(i not in scanned for i in range(len(bank.questions))))
        return real_scan(bank, *args, **kwargs)

    monkeypatch.setattr(checks, "_scan", scan)
    early = _scanned(data)
    assert starts == [True], "no worker started"
    assert handed, "nothing came back from the worker"
    assert not all(may_have_problems(t) for t in handed)  # not only the suspects
    assert early == alone
    assert rendered_in_the_scan == [0]
    assert unscanned == [0]


def test_a_bank_the_model_refuses_stops_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    bank = json.loads(_bank_bytes(20))
    bank["questions"][5]["points"] = "many"
    slow_here(monkeypatch)
    _, diagnostics = check(Source("bank.json", json.dumps(bank).encode(), CONTENT))
    assert [d.pointer for d in diagnostics if d.is_error] == ["/questions/5/points"]
    # the fixture asserts that no worker is left


def _text_source() -> Source:
    questions = []
    for n in range(60):
        questions.append(
            f"{n + 1}. What is $x^{{{n}}}$ when x is {n}? See [notes](https://example.com/{n}).\n"
            f"- $x = {n}$\n- {n}\n- None\n"
            f"Answer: B\n"
            f"Explanation: The power of **{n}**, by the rule $a^b$.\n"
        )
    return Source("bank.txt", "\n".join(questions).encode(), CONTENT)


def _moodle_source() -> Source:
    questions = "".join(
        f'<question type="multichoice"><name><text>Q{n}</text></name>'
        f'<questiontext format="html"><text><![CDATA[<p>What is \\(x^{{{n}}}\\) when x is {n}? '
        f'See <a href="https://example.com/{n}">notes</a>.</p>]]></text></questiontext>'
        f'<generalfeedback format="html"><text><![CDATA[<p>The power of <b>{n}</b>, by the '
        f'rule \\(a^b\\).</p>]]></text></generalfeedback><single>true</single>'
        f'<answer fraction="0"><text><![CDATA[<p>\\(x = {n}\\)</p>]]></text></answer>'
        f'<answer fraction="100"><text>{n}</text></answer></question>'
        for n in range(60))
    return Source("bank.xml", f'<?xml version="1.0"?><quiz>{questions}</quiz>'.encode(), CONTENT)


@pytest.mark.parametrize(("reader", "source"), [("text", _text_source), ("moodle", _moodle_source)])
def test_import_writes_the_same_bank_with_and_without_it(
    monkeypatch: pytest.MonkeyPatch, reader: str, source: Any
) -> None:
    """import checks the bank it writes; the worker starts as the reader has read the
    questions (render_pool.questions_read), before the bank is built, and renders from the
    questions' data: the same bank, notes and diagnostics as without it."""
    from packager.importing import import_file

    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10**9)
    alone = import_file(source(), reader, None)
    forget_renders()
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10)
    from_data = spy_on_starts(monkeypatch, "start_data")
    handed: list[str] = []
    real = render_pool.prerendered
    monkeypatch.setattr(render_pool, "prerendered", lambda done: (handed.extend(done),
                                                                   real(done))[1])
    early = import_file(source(), reader, None)
    assert from_data == [True], "no worker started from the reader's data"
    assert handed, "nothing came back from the worker"
    assert alone.ok and early.ok, (alone.error, early.error)
    assert alone.bank_text and early.bank_text == alone.bank_text
    assert early.diagnostics == alone.diagnostics
    assert alone.imported is not None and early.imported is not None
    assert early.imported.notes == alone.imported.notes


def test_the_data_of_questions_read_is_rendered_as_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """start_data: both sides render from the questions' canonical data (dicts, before a
    bank is built), and each text renders as it does here."""
    texts = corpus(600)
    expected = expected_renders(texts)
    here = slow_here(monkeypatch)
    with render_pool.early_rendering(cores=2) as early, render_pool.reading(early):
        render_pool.questions_read(parsed(texts)["questions"])
        assert early._future is not None, "no worker started"
        time.sleep(0.3)  # the bank being built
        early.join()
    from_worker = dict(richtext._PRERENDERED)
    assert from_worker and here
    for text, rendered in from_worker.items():
        assert rendered == expected[text], text
    assert {t: render(t) for t in texts} == expected
    render_pool.questions_read(parsed(texts)["questions"])  # outside an import: nothing


def test_closed_without_a_join_the_worker_stops_after_its_part(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The model failed, or the user pressed Ctrl-C: the block's end does not wait for the
    worker to render the whole bank."""
    texts = [f"See [{i}](https://example.com)" for i in range(3000)]  # 1,000 parts: 3 each
    monkeypatch.setattr(render_pool, "QUESTIONS_PER_PART", 1)

    def slow(text: str) -> Rendered:
        time.sleep(0.005)
        return render(text)

    monkeypatch.setattr(render_pool, "render", slow)  # 15 s in all
    with render_pool.early_rendering(cores=2) as early:
        start(early, parsed(texts))
        assert early._future is not None
        time.sleep(0.2)
        started = time.perf_counter()
    assert time.perf_counter() - started < 2.0


def test_a_parse_that_finds_too_few_texts_stops_the_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bytes hint at many texts (one text full of `$`); this process's parse shows a few:
    the worker forked on the hint is stopped and nothing comes back from it."""
    data = parsed(["$a$ " * 5000, "b", "c"] + [f"plain {i}" for i in range(30)])
    with render_pool.early_rendering(cores=2) as early:
        early.start(json.dumps(data).encode())
        assert early._future is not None, "the bytes' hint started no worker"
        early.parsed(data)
        assert early._future is None
        early.join()
    assert not richtext._PRERENDERED


def test_bytes_that_do_not_parse_leave_no_worker_and_the_syntax_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = json.dumps(parsed(corpus(300)))
    broken = text[: len(text) // 2].encode()  # cut off: the worker's parse fails too
    starts = spy_on_starts(monkeypatch, "start")
    bank, diagnostics = check(Source("bank.json", broken, CONTENT))
    assert starts == [True], "no worker started"
    assert bank is None
    assert [d.code for d in diagnostics] == ["E-JSON-SYNTAX"]
    # the fixture asserts that no worker is left


def test_the_marks_of_a_bank_file_estimate_its_suspect_texts() -> None:
    """Counted on slices of the bytes, not all of them: close to the count of the whole file
    for a large one, none for a bank of plain texts."""
    marked = [f"Solve $x_{i}$ or see [notes](https://example.com/{i}) <b>now</b>"
              for i in range(20000)]
    raw = json.dumps(parsed(marked + [f"plain {i}" for i in range(20000)])).encode()
    whole = raw.count(b"$") // 2 + raw.count(b"<") + raw.count(b"](")
    assert abs(render_pool._marks(raw) - whole) < whole * 0.1
    assert render_pool._marks(json.dumps(parsed([f"plain {i}" for i in range(3000)])).encode()) == 0


def test_the_worker_is_started_before_the_model_is_imported(tmp_path: Any) -> None:
    """pipeline._check forks the worker before pydantic and the models are imported (about
    0.1 s of this process's time, which the worker needs none of). In a fresh interpreter:
    a module-level import of the model in the renderer, the render pool or the pipeline
    would fail this."""
    import subprocess
    import sys

    bank = tmp_path / "bank.json"
    bank.write_bytes(_bank_bytes(2))
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from packager import render_pool\n"
        "seen = []\n"
        "real = render_pool.EarlyRendering.start\n"
        "def start(self, raw, path=None, **options):\n"
        "    seen.append('pydantic' in sys.modules or 'packager.model' in sys.modules)\n"
        "    real(self, raw, path, **options)\n"
        "render_pool.EarlyRendering.start = start\n"
        "from packager.pipeline import check\n"
        "from packager.readers.base import Source\n"
        f"bank, diagnostics = check(Source.from_path(Path({str(bank)!r})))\n"
        "assert seen == [False], seen\n"
        "assert diagnostics and 'pydantic' in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_a_file_over_the_size_limit_starts_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader refuses it unread (readers/canonical.py); the worker must not parse it."""
    raw = json.dumps(parsed(corpus(300))).encode()
    with render_pool.early_rendering(cores=2) as early:
        early.start(raw)
        assert early._future is not None, "no worker for a file within the limit"
    monkeypatch.setattr(render_pool, "MAX_BANK_BYTES", len(raw) - 1)
    with render_pool.early_rendering(cores=2) as early:
        early.start(raw)
        assert early._future is None


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        # nesting deeper than json's recursion limit: the worker's parse raises, as ours does
        (b'{"questions": ' + b"[" * 100_000 + b"]" * 100_000 + b', "n": "' + b"$a$ " * 40
         + b'"}', "E-JSON-LIMIT"),
        # a key twice: json keeps the last; the reader refuses the bank and never joins
        (b'{"questions": [{"prompt": "' + b"$a$ " * 40 + b'"}], "questions": []}',
         "E-DUPLICATE-KEY"),
        # not UTF-8: the worker fails to decode it, the reader says where
        (b'{"questions": [{"prompt": "' + b"$a$ " * 40 + b'\xff"}]}', "E-ENCODING"),
    ],
    ids=["deep", "duplicate-key", "not-utf8"],
)
def test_hostile_bytes_leave_no_worker_and_the_reader_s_error(
    monkeypatch: pytest.MonkeyPatch, raw: bytes, code: str
) -> None:
    """The worker parses the file's bytes before the reader has looked at them: whatever they
    hold, the check gives the reader's diagnostic and leaves no worker behind."""
    starts = spy_on_starts(monkeypatch, "start")
    bank, diagnostics = check(Source("bank.json", raw, CONTENT))
    assert starts == [True], "no worker started"
    assert bank is None
    assert [d.code for d in diagnostics] == [code], diagnostics
    # the fixture asserts that no worker is left


# -- the standby worker validate forks before its arguments are parsed -----------------------


def _bank_file(tmp_path: Any, copies: int = 40) -> tuple[Any, bytes]:
    path = tmp_path / "bank.json"
    data = _bank_bytes(copies)
    path.write_bytes(data)
    return path, data


def _checked_alone_then_no_pool(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> tuple[Any, Any]:
    """A bank file and its check's diagnostics without a worker; from then on, a worker
    forked by the check fails the test (the standby should serve it)."""
    path, _ = _bank_file(tmp_path)
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10**9)
    alone = check(Source.from_path(path))[1]
    forget_renders()
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10)

    def refused(*args: Any) -> Any:
        raise AssertionError("a worker was forked although the standby was there")

    monkeypatch.setattr(render_pool, "worker_pool", refused)
    return path, alone


def test_the_standby_takes_a_bank_file_and_the_check_finds_the_same(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    path, alone = _checked_alone_then_no_pool(monkeypatch, tmp_path)
    slow_here(monkeypatch)  # the standby takes parts too
    with render_pool.standby(cores=2):
        assert render_pool._standby is not None, "no standby forked"
        found = check(Source.from_path(path))[1]
        assert render_pool._standby is None, "the check did not take the standby"
    assert any(d.is_error for d in alone)
    assert found == alone
    # the fixture asserts that the standby has ended


def test_the_standby_renders_what_rendering_here_gives(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    texts = corpus(600)
    expected = expected_renders(texts)
    path = tmp_path / "bank.json"
    path.write_bytes(json.dumps(parsed(texts)).encode())
    here = slow_here(monkeypatch)
    with render_pool.standby(cores=2), render_pool.early_rendering(cores=2) as early:
        raw = path.read_bytes()
        early.start(raw, str(path))
        assert isinstance(early._future, render_pool._Standby)
        early.parsed(parsed(texts))
        time.sleep(0.3)  # the model being built
        early.join()
    from_worker = dict(richtext._PRERENDERED)
    assert from_worker, "nothing came back from the standby"
    assert not set(here) & set(from_worker)
    for text, rendered in from_worker.items():
        assert rendered == expected[text], text
    assert {t: render(t) for t in texts} == expected


def test_the_standby_s_parts_are_taken_in_while_this_process_renders(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """Each part the standby sends as it is done, and this process takes in between its own
    parts: once it had rendered its last, it took in every part of the worker alone (0.1 s
    of a rich 10,000-question export's load) while the worker's core was idle."""
    texts = corpus(600)
    expected = expected_renders(texts)
    path = tmp_path / "bank.json"
    path.write_bytes(json.dumps(parsed(texts)).encode())
    slow_here(monkeypatch)
    taken_in: list[int] = []  # per part taken in while rendering here, the parts done here
    real_arrived = render_pool._Standby.arrived

    def arrived(self: render_pool._Standby) -> Any:
        for data in real_arrived(self):
            taken_in.append(len(data))
            yield data

    monkeypatch.setattr(render_pool._Standby, "arrived", arrived)
    with render_pool.standby(cores=2), render_pool.early_rendering(cores=2) as early:
        early.start(path.read_bytes(), str(path))
        early.parsed(parsed(texts))
        time.sleep(0.3)  # the model being built: the standby has done parts meanwhile
        early.join()
    assert taken_in, "no part of the standby's was taken in before this process's last"
    assert {t: render(t) for t in texts} == expected


def test_the_standby_starts_on_the_bank_file_its_command_line_names(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """Before the check hands it the file (typer's parse, the read and the model's imports
    came first): it has rendered parts by the time the check starts, and the check takes it
    and finds what it finds alone."""
    path, alone = _checked_alone_then_no_pool(monkeypatch, tmp_path)
    with render_pool.standby(2, ["--format", "json", str(path)]):
        standby = render_pool._standby
        assert standby is not None and standby.named is not None
        deadline = time.monotonic() + 30
        while standby.counters[0] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert standby.counters[0] > 0, "the standby took no part before it was handed one"
        found = check(Source.from_path(path))[1]
        assert render_pool._standby is None, "the check did not take the standby"
    assert any(d.is_error for d in alone)
    assert found == alone


@pytest.mark.parametrize("what", ["another file", "for output", "too few marks"])
def test_a_standby_on_a_named_file_serves_only_that_file_s_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, what: str
) -> None:
    """Named another file (an option's value, a file rewritten; one not worth a worker, for
    which the standby waits), or for the texts an export renders: the check stops it and
    forks its own worker."""
    path, data = _bank_file(tmp_path)
    other = tmp_path / "other.json"
    other.write_bytes(data if what != "too few marks" else b'{"questions": []}')
    named = str(path if what == "for output" else other)
    alone = check(Source.from_path(path))[1]
    forget_renders()
    with render_pool.standby(2, [named], for_output=what == "for output"):
        standby = render_pool._standby
        assert standby is not None
        with render_pool.early_rendering(cores=2) as early:
            early.start(data, str(path))
            assert render_pool._standby is standby, "the standby was taken"
            assert early._future is not None and early._future is not standby
            early.parsed(json.loads(data))
            early.join()
        assert richtext._PRERENDERED, "no worker rendered anything"
        assert check(Source.from_path(path))[1] == alone


def test_a_named_file_of_plain_paragraphs_is_not_read_whole(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """The standby reads the slices the marks are counted on; only a file worth a worker
    is read whole, and then it is the file's bytes."""
    monkeypatch.setattr(render_pool, "MARK_SLICE", 64)  # several slices of a small file
    read: list[int] = []
    real_opened = render_pool._opened

    @contextlib.contextmanager
    def opened(path: str) -> Any:
        with real_opened(path) as file:
            real_read = file.read

            def counted(size: int = -1) -> bytes:
                data = real_read(size)
                read.append(len(data))
                return data

            monkeypatch.setattr(file, "read", counted)
            yield file

    monkeypatch.setattr(render_pool, "_opened", opened)
    plain = tmp_path / "plain.json"
    plain.write_bytes(json.dumps(parsed([f"plain {i}" for i in range(3000)])).encode())
    named = render_pool._named_bank([str(plain)], may_have_problems)
    assert named is not None
    assert render_pool._named_bytes(named) is None
    assert read and max(read) <= 64 and sum(read) < plain.stat().st_size // 4
    path, data = _bank_file(tmp_path)
    named = render_pool._named_bank([str(path)], may_have_problems)
    assert named is not None
    assert render_pool._named_bytes(named) == data


@pytest.mark.parametrize("named", ["plain paragraphs", "worth a worker", "none"])
def test_a_standby_imports_the_engines_only_where_it_may_render(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, named: str
) -> None:
    """The standby looks at the file its command line names before importing the engines:
    a bank of plain paragraphs is never handed to it, and the import cost it 0.05 CPU-s.
    Named none, it imports them while it waits for a file."""
    plain = tmp_path / "plain.json"
    plain.write_bytes(json.dumps(parsed([f"plain {i}" for i in range(3000)])).encode())
    worthy, _ = _bank_file(tmp_path)
    looked, imported = tmp_path / "looked", tmp_path / "imported"
    real_named_bytes = render_pool._named_bytes

    def named_bytes(named: Any) -> bytes | None:
        found = real_named_bytes(named)
        looked.touch()
        return found

    monkeypatch.setattr(render_pool, "_named_bytes", named_bytes)
    monkeypatch.setattr(render_pool, "_import_the_engines", imported.touch)
    words = {"plain paragraphs": [str(plain)], "worth a worker": [str(worthy)], "none": []}
    with render_pool.standby(2, words[named]):
        deadline = time.monotonic() + 30
        waited_for = imported if named == "none" else looked
        while not waited_for.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert waited_for.exists(), "the standby did not start"
        if named == "worth a worker":
            while not imported.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
        time.sleep(0.1)
        assert imported.exists() == (named != "plain paragraphs")


def test_the_named_bank_is_one_regular_json_file_among_the_words(tmp_path: Any) -> None:
    bank = tmp_path / "bank.json"
    bank.write_bytes(b"{}")
    other = tmp_path / "other.json"
    other.write_bytes(b"{}")
    (tmp_path / "folder.json").mkdir()
    (tmp_path / "bank.txt").write_bytes(b"x")

    def named(*words: Any) -> str | None:
        found = render_pool._named_bank([str(w) for w in words], may_have_problems)
        return None if found is None else found.path

    assert named("--format", "json", bank) == str(bank)
    assert named(bank, "--out", tmp_path) == str(bank)
    assert named(bank, other) is None  # several banks: which one is checked first is typer's
    assert named(tmp_path / "folder.json") is None
    assert named(tmp_path / "gone.json") is None
    assert named(tmp_path / "bank.txt") is None
    assert named(tmp_path) is None
    assert named("-") is None


@pytest.mark.parametrize("what", ["another size", "a folder", "no file", "no path"])
def test_the_standby_is_handed_only_the_regular_file_that_was_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, what: str
) -> None:
    """A pipe or device would give it nothing to read (the check would wait for good); a
    file of another size is not what this process read."""
    path, data = _bank_file(tmp_path)
    given: str | None = {
        "another size": str(path),
        "a folder": str(tmp_path),
        "no file": str(tmp_path / "gone.json"),
        "no path": None,
    }[what]
    raw = data + b" " if what == "another size" else data
    with render_pool.standby(cores=2), render_pool.early_rendering(cores=2) as early:
        early.start(raw, given)
        assert render_pool._standby is not None, "the standby was taken"
        assert early._future is not None and not isinstance(early._future, render_pool._Standby)
        early.parsed(json.loads(data))
        early.join()
    assert richtext._PRERENDERED, "the worker forked instead rendered nothing"


@pytest.mark.parametrize("when", ["before its path", "after its path"])
def test_a_standby_that_dies_leaves_the_work_to_this_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, when: str
) -> None:
    texts = corpus(300)
    expected = expected_renders(texts)
    path = tmp_path / "bank.json"
    path.write_bytes(json.dumps(parsed(texts)).encode())
    with render_pool.standby(cores=2), render_pool.early_rendering(cores=2) as early:
        taken = render_pool._standby
        assert taken is not None
        if when == "before its path":
            taken._process.kill()
            taken._process.join()
        early.start(path.read_bytes(), str(path))
        if when == "after its path":
            assert early._future is taken
            taken._process.kill()
        early.parsed(parsed(texts))
        early.join()
    assert {t: render(t) for t in texts} == expected


def test_a_standby_is_stopped_when_the_model_fails_or_nothing_takes_it(
    tmp_path: Any,
) -> None:
    path, data = _bank_file(tmp_path)
    started = time.monotonic()
    with render_pool.standby(cores=2):
        pass  # a command that checks no bank
    with render_pool.standby(cores=2), render_pool.early_rendering(cores=2) as early:
        early.start(data, str(path))
        assert isinstance(early._future, render_pool._Standby)
        # the model fails: the check closes without joining
    assert time.monotonic() - started < 10
    # the fixture asserts that no worker is left


def test_a_busy_standby_nothing_takes_is_ended_without_waiting_for_its_work(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """A command that fails before its check (a usage error after the standby started on the
    named file) does not wait for the standby's parse and rendering of that file."""
    path, _ = _bank_file(tmp_path)
    monkeypatch.setattr(render_pool, "_render_json", lambda *args: time.sleep(60))
    with render_pool.standby(2, [str(path)]):
        standby = render_pool._standby
        assert standby is not None and standby.named is not None
        time.sleep(0.3)  # the worker is in its (slow) rendering
        started = time.monotonic()
    assert time.monotonic() - started < 10
    assert not standby._process.is_alive()


@pytest.mark.parametrize(("method", "cores"), [("spawn", 4), ("fork", 1)])
def test_no_standby_where_no_worker_may_fork(
    monkeypatch: pytest.MonkeyPatch, method: str, cores: int
) -> None:
    monkeypatch.setenv(ENV_VAR, method)
    with render_pool.standby(cores=cores):
        assert render_pool._standby is None


def spy_on_the_standby(monkeypatch: pytest.MonkeyPatch, parsing: bool = False) -> list[str]:
    """From now on, whether a standby was forked, and whether (and for which texts) a bank
    file was handed to it, in order; `parsing`: also when the CLI's arguments were parsed."""
    events: list[str] = []
    if parsing:
        from packager import cli

        real_app = cli.app

        def app(**kwargs: Any) -> Any:
            events.append("arguments parsed")
            return real_app(**kwargs)

        monkeypatch.setattr(cli, "app", app)
    real_fork = render_pool._Standby.fork.__func__  # type: ignore[attr-defined]
    real_take = render_pool._take_standby

    def fork(cls: Any, cores: int, named: Any = None) -> Any:
        made = real_fork(cls, cores, named)
        events.append("forked" if made is not None else "none")
        if made is not None and named is not None:
            events.append(f"named {named.path}")
        return made

    def take(path: str | None, size: int, wanted: Any) -> Any:
        taken = real_take(path, size, wanted)
        events.append(f"taken {path} for {wanted.__name__}" if taken is not None else "not taken")
        return taken

    monkeypatch.setattr(render_pool._Standby, "fork", classmethod(fork))
    monkeypatch.setattr(render_pool, "_take_standby", take)
    return events


def test_validate_forks_the_standby_before_typer_parses_and_reports_the_same(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from packager import cli

    path, _ = _bank_file(tmp_path)
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10**9)
    assert cli._run(["validate", "--format", "json", str(path)]) == 3
    alone = json.loads(capsys.readouterr().out)
    forget_renders()
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10)
    events = spy_on_the_standby(monkeypatch, parsing=True)
    assert cli._run(["validate", "--format", "json", str(path)]) == 3
    assert json.loads(capsys.readouterr().out) == alone
    assert events == [
        "forked", f"named {path}", "arguments parsed", f"taken {path} for may_have_problems"
    ]
    events.clear()
    assert cli._run(["formats"]) == 0  # only validate forks one
    assert events == ["arguments parsed"]


@pytest.mark.parametrize("words", [[], ["--format", "json"], ["content"], ["-"]])
def test_validate_given_no_bank_starts_the_standby_on_the_first_in_content(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, words: list[str]
) -> None:
    """Given no bank, validate reads content/: the standby starts on its first bank as it
    forks, as on a bank the command line names, not once typer has parsed the arguments and
    the check has found the bank. Words that may be banks (a folder, stdin) name none."""
    from packager import cli

    (tmp_path / "content").mkdir()
    for name in ("b.json", "a.json"):
        _bank_file(tmp_path)[0].rename(tmp_path / "content" / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10)
    events = spy_on_the_standby(monkeypatch, parsing=True)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"{}")))
    cli._run(["validate", *words])
    first = os.path.join("content", "a.json")
    named = [f"named {first}"] if words in ([], ["--format", "json"]) else []
    assert events[: 2 + len(named)] == ["forked", *named, "arguments parsed"]
    if named:
        assert f"taken {first} for may_have_problems" in events


def test_the_standby_reads_only_a_regular_file_and_never_blocks(tmp_path: Any) -> None:
    """A pipe put where the bank file was, after this process looked at it: opening it to
    read would wait for a writer for good."""
    fifo = tmp_path / "bank.json"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(OSError, match="not a regular file"):
        render_pool._regular_file(str(fifo), 100)
    assert time.monotonic() - started < 5
    plain = tmp_path / "plain.json"
    plain.write_bytes(b"0123456789")
    assert render_pool._regular_file(str(plain), 4) == b"0123"


def test_a_standby_handed_a_pipe_leaves_the_work_here_without_waiting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """The file became a pipe between this process's look at it and the worker's open: the
    worker ends, and the check renders everything here."""
    import threading

    texts = corpus(300)
    expected = expected_renders(texts)
    raw = json.dumps(parsed(texts)).encode()
    regular = tmp_path / "regular.json"
    regular.write_bytes(raw)
    fifo = tmp_path / "bank.json"
    os.mkfifo(fifo)
    done: list[bool] = []
    with render_pool.standby(cores=2):  # forked before os.stat is patched: the worker's is real
        standby = render_pool._standby
        assert standby is not None
        real_stat = os.stat
        monkeypatch.setattr(os, "stat", lambda path, *a, **k: real_stat(
            regular if str(path) == str(fifo) else path, *a, **k))

        def check() -> None:
            with render_pool.early_rendering(cores=2) as early:
                early.start(raw, str(fifo))
                assert isinstance(early._future, render_pool._Standby)
                early.parsed(parsed(texts))
                early.join()
            done.append(True)

        thread = threading.Thread(target=check, daemon=True)
        thread.start()
        thread.join(60)
        monkeypatch.undo()
        waited = thread.is_alive()
        if waited:  # let the block end: the worker would wait on the pipe for good
            standby._process.kill()
            thread.join(60)
    assert not waited, "the check waited for the worker"
    assert done == [True]
    assert {t: render(t) for t in texts} == expected


def test_export_forks_the_standby_before_typer_parses_and_writes_the_same(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """Export compiles the XSDs on a thread while its banks load, so no worker can be
    forked then: the standby, forked first, renders the bank from its file instead."""
    import shutil

    from packager import cli

    path = tmp_path / "bank.json"
    path.write_bytes(_bank_bytes(30, rich=True))
    shutil.copytree(CONTENT / "media", tmp_path / "media")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    args = ["export", "--format", "qti12", "--skip-unsupported", "--no-validate", str(path)]
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10**9)
    assert cli._run([*args, "--out", str(tmp_path / "alone")]) == 0
    forget_renders()
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10)
    events = spy_on_the_standby(monkeypatch)
    assert cli._run([*args, "--out", str(tmp_path / "early")]) == 0
    assert events == ["forked", f"named {path}", f"taken {path} for needs_engine"]
    written = sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert written == sorted(p.name for p in (tmp_path / "early").iterdir())
    for name in written:
        assert (tmp_path / "alone" / name).read_bytes() == (tmp_path / "early" / name).read_bytes()


def test_what_the_standby_rendered_is_keyed_by_this_process_s_own_strings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """Its results come back a part at a time and are keyed by the strings this process
    parsed: the worker's copies are freed, not held beside them for the rest of the run."""
    _from_the_standby(monkeypatch, tmp_path, corpus(600), json.dumps)


def _from_the_standby(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, texts: list[str], dumps: Any
) -> dict[str, Rendered]:
    """What the standby sent back of a bank of `texts` written by `dumps`, once each
    result is checked to be keyed by one of this process's own strings."""
    path = tmp_path / "bank.json"
    path.write_bytes(dumps(parsed(texts)).encode())
    data = parsed(texts)
    own = {id(text) for text in render_pool._strings(data)}
    slow_here(monkeypatch)
    with render_pool.standby(cores=2), render_pool.early_rendering(cores=2) as early:
        early.start(path.read_bytes(), str(path))
        assert isinstance(early._future, render_pool._Standby)
        early.parsed(data)
        time.sleep(0.3)
        early.join()
    assert richtext._PRERENDERED, "nothing came back from the standby"
    assert all(id(text) in own for text in richtext._PRERENDERED)
    return dict(richtext._PRERENDERED)


def test_given_the_check_s_suspects_this_process_renders_those_and_keys_by_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A check that has listed the texts it renders (each mapped to itself) hands them to
    join: this process renders of its parts those alone, without screening its texts again,
    and keys the worker's results by those strings, without listing the worker's parts."""
    texts = corpus(600)
    data = parsed(texts)
    suspects = {t: t for t in render_pool._strings(data) if may_have_problems(t)}
    here = slow_here(monkeypatch)
    with render_pool.early_rendering(cores=2) as early:
        start(early, data)
        assert early._future is not None, "no worker started"

        def screened(text: str) -> bool:
            raise AssertionError(f"screened again: {text!r}")

        listed: set[str] = set()  # the questions whose texts this process listed

        def strings_of(questions: list[dict[str, Any]]) -> list[str]:
            listed.update(q["id"] for q in questions)
            return render_pool._strings(questions)

        early._wanted, early._strings_of = screened, strings_of
        time.sleep(0.3)
        early.join(suspects)
    assert here, "this process took no part"
    assert set(here) <= set(suspects)
    assert richtext._PRERENDERED, "nothing came back from the worker"
    own = {id(text) for text in suspects.values()}
    assert all(id(text) in own for text in richtext._PRERENDERED)
    from_worker = {q["id"] for q in data["questions"]
                   if set(render_pool._strings(q)) & set(richtext._PRERENDERED)}
    assert from_worker and not from_worker & listed


def test_once_the_model_is_built_the_parse_is_no_longer_held(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """This process renders its parts from the model's questions, which hold the same
    texts, so that the parse is freed while the rendered texts pile up."""
    from packager.readers import canonical

    data = _bank_bytes(20, rich=True)
    slow_here(monkeypatch)
    with render_pool.early_rendering(cores=2) as early:
        early.start(data, for_output=True)
        bank = canonical.read(Source("bank.json", data, CONTENT), on_parsed=early.parsed).bank
        assert bank is not None and early._future is not None, "no worker started"
        early.built(bank.questions)
        assert early._questions is bank.questions
        early.join()
    handed = dict(richtext._PRERENDERED)
    assert handed, "nothing came back from the worker"
    forget_renders()
    assert all(rendered == render(text) for text, rendered in handed.items())


# -- the worker's parse of a UTF-8 file read as Latin-1 ---------------------------------------

_WIDE_TEXTS = [
    "Café, naïve, zoë: “quoted” — résumé, $x$.",
    "A chart \U0001F4C8 and a cup \u2615, 日本語のテキスト [a link](https://example.com/é).",
    'Escapes: a "quote", a back\\slash, a tab\tand\nlines, a slash / too.',
    "Plain ASCII only.",
    "— –",  # no letter and a mark: a suspect, though its narrow form has a letter (â)
]


@pytest.mark.parametrize(
    ("encoded", "narrow"),
    [
        (lambda data: json.dumps(data, ensure_ascii=False).encode(), True),
        (lambda data: json.dumps(data, ensure_ascii=False, indent=2).encode(), True),
        (lambda data: json.dumps(data).encode(), False),  # \u escapes
        (lambda data: b"\xef\xbb\xbf" + json.dumps(data, ensure_ascii=False).encode(), False),
        (lambda data: json.dumps(data, ensure_ascii=False).encode("utf-16"), False),
        (lambda data: json.dumps(data, ensure_ascii=False).encode("utf-16-le"), False),
    ],
    ids=["utf-8", "utf-8 indented", "ascii escapes", "bom", "utf-16", "utf-16 no bom"],
)
def test_the_worker_s_narrow_parse_gives_json_loads_s_strings(encoded: Any, narrow: bool) -> None:
    """Read as Latin-1, a UTF-8 file parses to strings of one byte a character however
    wide its text's; each decoded is json.loads's string. A file that reading could get
    wrong (an escape, a byte-order mark, UTF-16) is parsed by json.loads."""
    raw = encoded(parsed(_WIDE_TEXTS * 3))
    assert render_pool._narrow(raw) is narrow
    expected = render_pool._strings(json.loads(raw))
    if narrow:
        found = render_pool._strings(json.loads(raw.decode("latin-1")))
        assert [render_pool._from_narrow(s) for s in found] == expected


def test_bytes_that_are_not_utf_8_fail_the_narrow_decoding() -> None:
    """The reader refuses such a bank; the worker fails at the string (this process then
    renders what the worker left), never rendering a string json.loads would not give."""
    raw = json.dumps(parsed(["caf\u00e9 au lait $x$"] * 3), ensure_ascii=False).encode()
    raw = raw.replace("\u00e9".encode(), b"\xe9")  # Latin-1's é, not UTF-8's
    assert render_pool._narrow(raw)
    with pytest.raises(UnicodeDecodeError):
        render_pool._render_json(raw, [0, 1 << 62], may_have_problems)


def test_the_standby_renders_a_bank_of_wide_characters_as_render_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """A bank written as UTF-8 with accents and emoji: the standby's results (from its
    Latin-1 parse) are keyed by this process's strings and are what rendering here gives."""
    texts = [f"{text} Café \U0001F4C8 “{n}”" for n, text in enumerate(corpus(600))]
    expected = expected_renders(texts)
    sent = _from_the_standby(
        monkeypatch, tmp_path, texts, lambda data: json.dumps(data, ensure_ascii=False)
    )
    assert any(not text.isascii() for text in sent)
    assert all(done == expected[text] for text, done in sent.items())


def test_the_check_of_a_bank_of_wide_characters_finds_the_same_with_the_standby(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """Written as UTF-8, with texts whose narrow form screens otherwise ("— –" has a letter
    read as Latin-1): what the standby skipped, this process renders; the same report."""
    bank = json.loads(_bank_bytes(40))
    # Not those whose texts JSON writes with a \\u escape (control characters): the file
    # would be parsed by json.loads.
    bank["questions"] = [q for q in bank["questions"]
                         if "\\u" not in json.dumps(q, ensure_ascii=False)]
    for n, question in enumerate(bank["questions"]):
        question["prompt"] = _WIDE_TEXTS[n % len(_WIDE_TEXTS)] + f" {n} " + question["prompt"]
        if n % 7 == 0:
            question["prompt"] = _WIDE_TEXTS[-1]
    path = tmp_path / "bank.json"
    path.write_bytes(json.dumps(bank, ensure_ascii=False).encode())
    assert render_pool._narrow(path.read_bytes())
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10**9)
    alone = check(Source.from_path(path))[1]
    forget_renders()
    monkeypatch.setattr(render_pool, "MIN_EARLY_TEXTS", 10)
    with render_pool.standby(2, [str(path)]):
        found = check(Source.from_path(path))[1]
        assert render_pool._standby is None, "the check did not take the standby"
    assert any(d.is_error for d in alone)
    assert found == alone


def test_a_named_word_that_is_no_regular_bank_file_starts_no_work(tmp_path: Any) -> None:
    """The command line's words are a stranger's: a pipe or a folder named like a bank, a
    missing file, or two banks give the standby nothing to open (a pipe would hold it, and
    the check joining it, for good)."""
    folder = tmp_path / "folder.json"
    folder.mkdir()
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    one.write_text("{}")
    two.write_text("{}")
    words = [[str(folder)], [str(tmp_path / "missing.json")], [str(one), str(two)]]
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe.json"
        os.mkfifo(pipe)
        words.append([str(pipe)])
    for named in words:
        assert render_pool._named_bank(named, may_have_problems) is None, named
    assert render_pool._named_bank(["--out", str(one)], may_have_problems) is not None
