"""`packager preview`: write the static review site of banks; optionally open it, keep it fresh."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from packager.cli.options import QUIET, VERBOSE, Verbosity, bank_paths
from packager.cli.patterns import expand
from packager.errors import ExitCode

if TYPE_CHECKING:
    from packager.preview.site import Site

DEFAULT_OUT = Path("dist") / "preview"


def preview(
    banks: list[Path] = typer.Argument(
        None,
        help="Bank files (.json, .txt, .md) or folders of .json banks (default: content/).",
        show_default=False,
        callback=expand,
    ),
    out: Path = typer.Option(DEFAULT_OUT, "--out", "-o", help="Folder of the site."),
    open_: bool = typer.Option(
        False, "--open", help="Open the site's index in the default web browser."
    ),
    watch: bool = typer.Option(
        False,
        "--watch",
        help="Rebuild whenever a bank or one of its images changes (Ctrl+C stops).",
    ),
    interval: float = typer.Option(
        1.0, "--interval", min=0.05, help="Seconds between checks for changes (--watch)."
    ),
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
) -> None:
    """Write a static review site: every question as learners see it, with its key,
    explanation and what each export format changes. Invalid banks are listed with their
    problems (exit code 3)."""
    talk = Verbosity(quiet, verbose)
    paths = bank_paths(banks)
    site = _build(paths, out, talk)
    if open_:
        _open(out / "index.html", talk)
    if watch:
        from packager.preview.watch import watch as poll

        n = len(site.read)
        talk.info(f"watching {n} file{'s' if n != 1 else ''} for changes (Ctrl+C stops)")
        state = [site]

        def rebuild() -> Sequence[Path]:
            from packager.cli.report import print_error
            from packager.errors import PackagerError

            try:
                state[0] = _build(paths, out, talk)
            except PackagerError as error:  # keep watching: the next save may fix it
                print_error(error)
            return state[0].read

        poll(rebuild, paths, interval, site.read)
        site = state[0]
    if site.invalid:
        raise typer.Exit(int(ExitCode.INVALID_INPUT))


def _build(paths: list[Path], out: Path, talk: Verbosity) -> Site:
    import time

    from packager.cli.report import print_diagnostics
    from packager.preview.site import build_site, write_site

    started = time.perf_counter()
    site = build_site(paths)
    built = time.perf_counter()
    write_site(out, site.files)
    talk.detail(
        f"built {len(site.files)} files in {built - started:.2f} s, wrote them to "
        f"{out.resolve()} in {time.perf_counter() - built:.2f} s"
    )
    for diagnostics in site.invalid.values():  # as `validate` prints them
        print_diagnostics(list(diagnostics))
    summary = f"wrote {out / 'index.html'} ({site.banks} bank{'s' if site.banks != 1 else ''}"
    if site.invalid:
        summary += f"; {len(site.invalid)} invalid, listed with their problems"
    talk.result(summary + ")")
    if not site.banks and not site.invalid:  # a site to watch fill up, but say why it is empty
        from packager.pipeline import no_banks_found

        empty = no_banks_found(paths)
        talk.info(f"note: {empty.message}")
        for hint in empty.hints:
            talk.info(f"    hint: {hint}")
    return site


def _open(index: Path, talk: Verbosity) -> None:
    import webbrowser

    if not webbrowser.open(index.resolve().as_uri()):
        talk.info(f"note: no web browser could be started; open {index}")
