"""A large bank's Markdown rendered on every core, before the checks read it text by text.

Rendering is most of what checking a Markdown-rich bank costs (pulldown-cmark, nh3, lxml and
latex2mathml, about 0.1 ms a text) and each text is independent of the others. Chunks of
texts are shared between the calling process and workers (processes.shared); the results are
handed to render(), so every later `render()` of them is a lookup.

Workers are forked, and inherit the texts. Where workers would be spawned (Windows, macOS,
`PACKAGER_START_METHOD=spawn`; processes.start_method) the calling process renders every
text itself, as it does for a small bank: a spawned worker would need a few tenths of a
second to start and 20 MB of texts pickled to it, and if it failed to start (a script without
`if __name__ == "__main__":`) the parent's write of those texts would wait for it for ever.
None start while another thread runs either: the XSDs compiling while `build` loads its banks
already use the other cores, and forking then could leave a worker a lock held for good.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from typing import Any

from packager.processes import shared, start_method, worker_pool
from packager.richtext import (
    Rendered,
    forget_prerendered,
    plain_paragraph,
    prerendered,
    render,
    rendered_before,
)

# Texts to render (through the Markdown engine) per worker: fewer are rendered sooner than
# forked and piped back.
MIN_TEXTS = 2000
CHUNK = 64  # texts per hand-over: large enough that pickling is a small part of it
MAX_WORKERS = 7

# What a worker sends back for one text: Rendered's state (see _rendered).
Result = tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


@contextmanager
def rendered_ahead(texts: Iterable[str], cores: int) -> Iterator[None]:
    """Within the block, `render()` of each of `texts` is a lookup (see prerender); what the
    block did not render is dropped at its end."""
    try:
        prerender(texts, cores)
        yield
    finally:
        forget_prerendered()


def prerender(texts: Iterable[str], cores: int) -> None:
    """Render, with up to `cores` processes, those of `texts` that need the Markdown engine
    and were not rendered before, when there are enough of them; sort out the plain
    paragraphs on the way. Each is handed to render() (richtext.prerendered)."""
    todo: list[str] = []
    plain: dict[str, Rendered] = {}
    for text in texts:
        rendered = plain_paragraph(text)
        if rendered is not None:
            plain[text] = rendered  # done while sorting: render() of it is then a lookup
        elif not rendered_before(text):
            todo.append(text)
    prerendered(plain, by_engine=False)
    todo = list(dict.fromkeys(todo))
    workers = min(cores - 1, MAX_WORKERS, len(todo) // MIN_TEXTS)
    if workers < 1:
        return
    if threading.active_count() > 1 or start_method() != "fork":
        return
    # Workers are given the texts once, as they start (a forked one inherits them), and then
    # only ranges of them: a task as large as a pipe's buffer would block the pool's task
    # thread mid-write, where Pool.terminate() could wait for it forever.
    parts = [(i, min(i + CHUNK, len(todo))) for i in range(0, len(todo), CHUNK)]
    try:
        with _pool(workers, todo) as pool:
            results = shared(parts, partial(_render_here, todo), _render_part, pool, workers)
    except OSError:  # no processes to be had (a sandbox, a limit): render here, later
        return
    from_workers: dict[str, Rendered] = {}
    for (begin, end), done in zip(parts, results, strict=True):
        if done is not None:
            from_workers.update(zip(todo[begin:end], map(_rendered, done), strict=True))
    prerendered(from_workers, by_engine=True)


def _pool(workers: int, texts: list[str]) -> AbstractContextManager[Any]:
    return worker_pool(workers, "fork", _adopt, texts)


_TEXTS: list[str] = []  # in a worker: the texts it renders ranges of


def _adopt(texts: list[str]) -> None:
    """A worker's start: the texts (inherited: nothing is pickled), and no garbage collection (rendering leaves no cycles
    worth collecting, and a forked worker's first full collection would touch, and so copy,
    the whole heap it inherited)."""
    global _TEXTS
    _TEXTS = texts
    gc.disable()


def _render_here(texts: list[str], part: tuple[int, int]) -> None:
    """In this process: into render's own cache."""
    for text in texts[part[0] : part[1]]:
        render(text)


def _render_part(part: tuple[int, int]) -> list[Result] | None:
    """In a worker: each text's Rendered, as plain values (cheaper to pickle back). Never
    None: the type is the one processes.shared gives both sides."""
    results: list[Result] = []
    for text in _TEXTS[part[0] : part[1]]:
        rendered = render(text)
        results.append((rendered.xhtml, rendered.media, rendered.problems, rendered.warnings))
    return results


def _rendered(result: Result) -> Rendered:
    xhtml, media, problems, warnings = result
    return Rendered(xhtml, media, problems, warnings=warnings)
