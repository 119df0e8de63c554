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

from packager import processes, render_pool, richtext
from packager.processes import ENV_VAR
from packager.richtext import Rendered, render

# Shapes a rich bank has, the awkward ones included (and a plain paragraph): each text below
# is one of these with a number of its own, so every text is distinct, as in a real bank.
SHAPES = [
    "A plain paragraph, number {n}, as most options are.",
    "First paragraph {n}.\n\nSecond with **bold** and *em*.",
    "- item {n}\n- another\n\n1. one\n2. two",
    "See [the guide](https://example.com/{n}) and `code {n}`.",
    "The rate is $r_{{{n}}} = \\frac{{{n}}}{{7}}$ here.",
    "$$\\sum_{{i=1}}^{{{n}}} i$$",
    "| a | b |\n|---|---:|\n| {n} | 2 |",
    "```python\nx = {n}\n```",
    "It costs $5 and $10 ({n}).",
    "Meant as math: $ x $ ({n}).",
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
    (forked workers inherit the delay, and their own copy of the list). The texts rendered
    here are listed in the result."""
    here: list[str] = []

    def slow(text: str) -> Rendered:
        here.append(text)
        time.sleep(0.001)
        return render(text)

    monkeypatch.setattr(render_pool, "render", slow)
    return here


def test_worker_renders_equal_renders_made_here(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = corpus(1200)
    expected = expected_renders(texts)
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)
    monkeypatch.setattr(render_pool, "PART", 64)
    here = slow_here(monkeypatch)
    render_pool.prerender(texts, cores=2)
    from_workers = dict(richtext._PRERENDERED)
    assert len(here) <= len(texts) - 64  # the workers rendered some
    assert from_workers, "nothing came back from the workers"
    for text, rendered in from_workers.items():
        assert rendered == expected[text], text
        assert rendered.flags == expected[text].flags
        assert not expected[text].read_without_engine  # plain paragraphs are not sent back
    # Everything rendered here or there, the checks' render() gives what it gives alone.
    assert set(here) | set(from_workers) >= {t for t in texts if not expected[t].read_without_engine}
    assert {t: render(t) for t in texts} == expected
    assert not richtext._PRERENDERED  # each handed over once, then owned by render's cache
    assert any(r.problems for r in from_workers.values())
    assert any(r.warnings for r in from_workers.values())


def test_texts_rendered_before_are_not_rendered_again(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [t for t in corpus(400) if not t.startswith("A plain")]
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)
    render_pool.prerender(texts, cores=2)  # once, as by a first load
    for text in texts:
        render(text)
    started: list[int] = []

    def no_pool(parts: Any, here: Any, there: Any, state: Any, workers: int) -> None:
        started.append(workers)  # counted, not started

    monkeypatch.setattr(render_pool, "in_forked_workers", no_pool)
    render_pool.prerender(list(texts), cores=2)  # the same bank loaded again
    assert started == []
    render_pool.prerender([f"{t} (edited)" for t in texts], cores=2)
    assert started == [1]


def test_plain_paragraphs_left_after_the_markdown_start_no_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bank loaded again: its Markdown was rendered before, its plain paragraphs (which
    render() reads without the engine) were not: no worker is worth forking for them."""
    markdown = [t for t in corpus(3000) if not t.startswith("A plain")]
    assert any("\x07" in t for t in markdown)  # render() repairs these: remembered too
    for text in markdown:
        render(text)
    plain = [f"Plain paragraph number {i}." for i in range(len(markdown))]
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)
    started: list[int] = []
    monkeypatch.setattr(render_pool, "in_forked_workers", lambda *args: started.append(args[-1]))
    more = [f"Plain paragraph {i}, after the others." for i in range(2 * len(markdown))]
    mixed = [t for pair in zip(markdown, plain, strict=True) for t in pair]
    render_pool.prerender(mixed + more, cores=2)
    assert started == []


def test_a_small_bank_starts_no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: Any) -> None:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(render_pool, "in_forked_workers", no_pool)
    render_pool.prerender(corpus(render_pool.MIN_TEXTS - 1), cores=8)
    render_pool.prerender(corpus(3 * render_pool.MIN_TEXTS), cores=1)  # nothing to share
    # Many texts, but most are plain paragraphs: too few for the engine to share out.
    mostly_plain = [f"Plain paragraph number {i}." for i in range(20 * render_pool.MIN_TEXTS)]
    render_pool.prerender(mostly_plain + corpus(render_pool.MIN_TEXTS // 2), cores=8)


def test_without_processes_the_texts_are_rendered_later_as_usual(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = corpus(300)
    expected = expected_renders(texts)
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)

    def refused(*args: Any) -> Any:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(processes, "worker_pool", refused)
    render_pool.prerender(texts, cores=4)
    assert {t: render(t) for t in texts} == expected


@pytest.mark.parametrize(("method", "threads"), [("spawn", 1), ("fork", 2)])
def test_no_worker_is_spawned_nor_forked_beside_a_thread(
    monkeypatch: pytest.MonkeyPatch, method: str, threads: int
) -> None:
    texts = corpus(600)
    expected = expected_renders(texts)
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)
    monkeypatch.setenv(ENV_VAR, method)
    monkeypatch.setattr(processes.threading, "active_count", lambda: threads)
    started: list[int] = []
    monkeypatch.setattr(
        render_pool, "in_forked_workers", lambda *args: started.append(args[-1])
    )
    render_pool.prerender(texts, cores=4)
    assert started == []
    assert {t: render(t) for t in texts} == expected


def test_tasks_name_ranges_not_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers inherit the texts; each task is a range of them (a large task, pickled for
    every hand-over, would cost more than rendering it here)."""
    import pickle

    texts = [f"**Long** text {i}: " + "word " * 4000 for i in range(300)]
    monkeypatch.setattr(render_pool, "MIN_TEXTS", 100)
    real = processes.worker_pool
    sizes: list[int] = []

    @contextmanager
    def spied(*args: Any) -> Iterator[Any]:
        with real(*args) as pool:
            send = pool.submit

            def submit(function: Any, *args: Any) -> Any:
                sizes.append(len(pickle.dumps((function, args))))
                return send(function, *args)

            pool.submit = submit
            yield pool

    monkeypatch.setattr(processes, "worker_pool", spied)
    render_pool.prerender(texts, cores=2)
    assert sizes and max(sizes) < 1024
    assert all(render(t).xhtml.startswith("<p><strong>Long</strong> text") for t in texts)


def test_the_bank_checks_render_through_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    from packager.model.walk import bank_texts
    from packager.pipeline import check, load
    from packager.readers.base import Source
    from packager.richtext_screening import may_have_problems
    from tests.conftest import CONTENT

    seen: list[tuple[list[str], int]] = []
    monkeypatch.setattr(
        render_pool, "prerender", lambda texts, cores: seen.append((list(texts), cores))
    )
    monkeypatch.setattr("packager.context.usable_cores", lambda: 3)
    loaded = load(CONTENT / "sample-all-types.json")
    assert seen == [(list(bank_texts(loaded.bank)), 3)]
    # validate renders only what may hold a problem: those go through the pool.
    seen.clear()
    bank, _ = check(Source.from_path(CONTENT / "sample-all-types.json"))
    assert bank is not None
    [(texts, cores)] = seen
    assert cores == 3
    # In the bank's order (not a set's, which changes from run to run).
    assert texts == [t for t in dict.fromkeys(bank_texts(bank)) if may_have_problems(t)]
    assert 0 < len(texts) < len(set(bank_texts(bank)))


def test_what_the_checks_did_not_take_is_dropped() -> None:
    with render_pool.rendered_ahead([], cores=1):
        richtext.prerendered({"*one*": render("*one*"), "*two*": render("*two*")})
        render.cache_clear()
        render("*one*")
        assert set(richtext._PRERENDERED) == {"*two*"}
    assert not richtext._PRERENDERED


def test_a_spawned_worker_is_handed_what_loading_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    """A spawned build worker inherits no cache: its first job rendered every text of the
    bank again. What the parent's loading rendered reaches it pickled, through the pool's
    initializer (release_jobs.adopt), and render() takes it from there."""
    import pickle

    from packager.release_jobs import adopt

    text = "A *loaded* text with [a link](https://example.com/guide).\n\nAnd a second paragraph."
    render.cache_clear()
    done = render(text)
    handed = richtext.engine_rendered()
    assert handed[text] is done
    render.cache_clear()  # the worker's fresh process
    monkeypatch.setattr(richtext, "_render_full", lambda markdown: pytest.fail(markdown))
    try:
        adopt({}, pickle.loads(pickle.dumps(handed)))
        again = render(text)
        assert (again.xhtml, again.problems, again.warnings) == (
            done.xhtml, done.problems, done.warnings)
    finally:
        richtext.forget_prerendered()
        render.cache_clear()
