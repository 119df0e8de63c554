"""render_pool: a large bank's Markdown rendered by forked workers gives exactly what
rendering it here gives, and nothing starts for a small bank, where workers would be
spawned, or where processes cannot be had."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from packager import render_pool, richtext
from packager.processes import ENV_VAR
from packager.richtext import Rendered, render

# Shapes a rich bank has, the awkward ones included: each text below is one of these with a
# number of its own, so every text is distinct (as in a real bank) and none is cached.
SHAPES = [
    "First paragraph {n}.\n\nSecond with **bold** and *em*.",
    "- item {n}\n- another\n\n1. one\n2. two",
    "See [the guide](https://example.com/{n}) and `code {n}`.",
    "The rate is $r_{{{n}}} = \\frac{{{n}}}{{7}}$ here.",
    "$$\\sum_{{i=1}}^{{{n}}} i$$",
    "| a | b |\n|---|---:|\n| {n} | 2 |",
    "```python\nx = {n}\n```",
    "It costs $5 and $10 ({n}).",
    "Raw <script>alert({n})</script> text",
    "<p onclick='x()'>click {n}</p>",
    "[bad](javascript:alert({n}))",
    "![chart](media/chart-{n}.png)",
    "A bell \x07 rings {n}.\n\nTwice.",
    "$\\cssId{{x}}{{{n}}}$",
    "    indented code {n}",
    "Unicode — “quotes” 🎉 {n}\n\n*ok*",
]


def corpus(n: int) -> list[str]:
    rng = random.Random(n)
    return [rng.choice(SHAPES).format(n=i) for i in range(n)]


def expected_renders(texts: list[str]) -> dict[str, Rendered]:
    forget_renders()
    expected = {t: render(t) for t in texts}
    forget_renders()
    return expected


def forget_renders() -> None:
    render.cache_clear()
    richtext._PRERENDERED.clear()
    richtext._ENGINE_RENDERED.clear()


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv(ENV_VAR, "fork")  # where workers may start; one test says spawn
    forget_renders()
    yield
    forget_renders()


def slow_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """This process renders slowly, so the workers take part however loaded the machine is
    (forked workers inherit the delay).
    The texts rendered here are listed in what it returns."""
    here: list[str] = []

    def slow(text: str) -> Rendered:
        here.append(text)
        time.sleep(0.002)
        return render(text)

    monkeypatch.setattr(render_pool, "render", slow)
    return here


def test_worker_renders_equal_renders_made_here(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = corpus(600)
    expected = expected_renders(texts)
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)
    here = slow_here(monkeypatch)
    render_pool.prerender(texts, cores=2)
    from_workers = dict(richtext._PRERENDERED)
    needing = {t for t in texts if richtext.plain_paragraph(t) is None}
    assert len(set(here)) <= len(needing) - render_pool.CHUNK  # the workers rendered some
    assert all(t in expected for t in from_workers)
    for text, rendered in from_workers.items():
        assert rendered == expected[text], text
    got = {t: render(t) for t in texts}
    assert got == expected
    assert not richtext._PRERENDERED  # each handed over once, then owned by render's cache
    # The workers' results carry everything the checks read: problems, warnings, media, flags.
    assert any(r.problems for r in from_workers.values())
    for text, rendered in from_workers.items():
        assert rendered.flags == expected[text].flags


def test_every_text_is_rendered_once_whoever_renders_it(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = corpus(400)
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)
    calls: list[str] = []

    def counted(text: str) -> Rendered:
        calls.append(text)
        return render(text)

    monkeypatch.setattr(render_pool, "render", counted)
    render_pool.prerender(texts, cores=2)
    # Rendered here or by a worker: every text that needs the engine is one or the other.
    needing = {t for t in texts if richtext.plain_paragraph(t) is None}
    assert set(calls) | set(richtext._PRERENDERED) == needing


def test_texts_rendered_before_are_not_rendered_again(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = corpus(400)
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)
    render_pool.prerender(texts, cores=2)  # once, as by a first load
    for text in texts:
        render(text)
    started: list[int] = []

    def no_pool(workers: int, texts: list[str]) -> Any:
        started.append(workers)
        raise OSError("counted, not started")

    monkeypatch.setattr(render_pool, "_pool", no_pool)
    render_pool.prerender(list(texts), cores=2)  # the same bank loaded again
    assert started == []
    edited = [f"{t} (edited)" for t in texts]
    render_pool.prerender(edited, cores=2)
    assert started == [1]


def test_a_small_bank_starts_no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(workers: int, texts: list[str]) -> Any:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(render_pool, "_pool", no_pool)
    render_pool.prerender(corpus(render_pool.MIN_TEXTS - 1), cores=8)
    render_pool.prerender(corpus(5000), cores=1)  # one core: nothing to share


def test_plain_paragraphs_are_not_sent_to_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    monkeypatch.setattr(render_pool, "_pool", lambda workers, texts: started.append(workers))
    render_pool.prerender([f"Plain paragraph number {i}." for i in range(10_000)], cores=8)
    assert started == []


def test_without_processes_the_texts_are_rendered_later_as_usual(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = corpus(300)
    expected = expected_renders(texts)
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)

    def refused(workers: int, texts: list[str]) -> Any:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(render_pool, "_pool", refused)
    render_pool.prerender(texts, cores=4)
    assert {t: render(t) for t in texts} == expected


def test_where_workers_would_be_spawned_the_texts_are_rendered_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = corpus(600)
    expected = expected_renders(texts)
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)
    monkeypatch.setenv(ENV_VAR, "spawn")
    started: list[int] = []
    monkeypatch.setattr(render_pool, "_pool", lambda workers, texts: started.append(workers))
    render_pool.prerender(texts, cores=4)
    assert started == []
    assert {t: render(t) for t in texts} == expected


def test_no_worker_starts_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    monkeypatch.setattr(render_pool, "_pool", lambda workers, texts: started.append(workers))
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)
    monkeypatch.setattr(render_pool.threading, "active_count", lambda: 2)
    render_pool.prerender(corpus(1000), cores=4)
    assert started == []


def test_the_bank_checks_render_through_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    from packager.model.walk import bank_texts
    from packager.pipeline import check
    from packager.readers.base import Source
    from tests.conftest import CONTENT

    seen: list[tuple[list[str], int]] = []
    real = render_pool.prerender

    def spy(texts: Any, cores: int) -> None:
        texts = list(texts)
        seen.append((texts, cores))
        real(texts, cores)

    monkeypatch.setattr(render_pool, "prerender", spy)
    monkeypatch.setattr("packager.context.usable_cores", lambda: 3)
    bank, _ = check(Source.from_path(CONTENT / "sample-all-types.json"))
    assert bank is not None
    assert seen == [(list(bank_texts(bank)), 3)]
    assert not richtext._PRERENDERED  # every text handed over was taken, or dropped


def test_what_the_checks_did_not_take_is_dropped() -> None:
    texts = ["Plain one.", "Plain two."]
    with render_pool.rendered_ahead(texts, cores=1):
        assert set(richtext._PRERENDERED) == set(texts)
        render("Plain one.")
        assert set(richtext._PRERENDERED) == {"Plain two."}
    assert not richtext._PRERENDERED


def test_tasks_name_ranges_not_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A task as large as a pipe's buffer blocks the pool's task thread mid-write, where
    Pool.terminate() can wait for it for ever (seen: an import that hung). Workers get the
    texts once, as they start; each task is a range of them."""
    import pickle

    texts = [f"**Long** text {i}: " + "word " * 4000 for i in range(300)]
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)
    real = render_pool._pool
    sizes: list[int] = []

    @contextmanager
    def spied(workers: int, texts: list[str]) -> Iterator[Any]:
        with real(workers, texts) as pool:
            send = pool.apply_async

            def apply_async(function: Any, args: tuple[Any, ...]) -> Any:
                sizes.append(len(pickle.dumps((function, args))))
                return send(function, args)

            pool.apply_async = apply_async
            yield pool

    monkeypatch.setattr(render_pool, "_pool", spied)
    render_pool.prerender(texts, cores=2)
    assert sizes and max(sizes) < 1024
    assert all(render(t).xhtml.startswith("<p><strong>Long</strong> text") for t in texts)
