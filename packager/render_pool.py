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

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from packager.processes import in_forked_workers, workers_to_fork
from packager.richtext import (
    Rendered,
    forget_prerendered,
    needs_engine,
    prerendered,
    render,
    rendered_before,
)

# Texts for the Markdown engine per worker before one is worth forking (forking, the wait
# for its last part and piping results back cost a few hundredths of a second).
MIN_TEXTS = 2000
SAMPLE = 500  # texts looked at to estimate how many need the engine
PART = 256  # texts per hand-over

# What a worker sends back for one text: its index and Rendered's state (see _rendered).
Result = tuple[int, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


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
    """Render `texts` (those not rendered before) with up to `cores` processes, when there
    are enough of them and workers can be forked; else leave them to render()."""
    if workers_to_fork(cores, 1) < 1:
        return
    listed = list(texts)
    if len(listed) < MIN_TEXTS:
        return
    sample = listed[:: max(1, len(listed) // SAMPLE)]
    share = sum(map(needs_engine, sample)) / len(sample)
    if len(listed) * share < 2 * MIN_TEXTS:  # not enough for this process and one worker
        return
    todo = [text for text in dict.fromkeys(listed) if not rendered_before(text)]
    workers = workers_to_fork(cores, int(len(todo) * share) // MIN_TEXTS)
    if workers < 1:
        return
    # Workers inherit the texts and are handed ranges of them, not the texts themselves.
    parts = [(i, min(i + PART, len(todo))) for i in range(0, len(todo), PART)]
    results = in_forked_workers(parts, partial(_render_here, todo), _render_part, todo, workers)
    if results is not None:
        prerendered(
            {todo[index]: _rendered(result) for done in results for index, *result in done}
        )


def _render_here(texts: list[str], part: tuple[int, int]) -> list[Result]:
    """In this process: into render's own cache (nothing to hand over)."""
    for text in texts[part[0] : part[1]]:
        render(text)
    return []


def _render_part(texts: list[str], part: tuple[int, int]) -> list[Result]:
    """In a worker: what the Markdown engine rendered of its range, as plain values."""
    results: list[Result] = []
    for index in range(*part):
        rendered = render(texts[index])
        if not rendered.read_without_engine:
            results.append(
                (index, rendered.xhtml, rendered.media, rendered.problems, rendered.warnings)
            )
    return results


def _rendered(result: list[Any]) -> Rendered:
    xhtml, media, problems, warnings = result
    return Rendered(xhtml, media, problems, warnings=warnings)
