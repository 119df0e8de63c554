"""`packager formats`: the registered targets and aliases."""

from __future__ import annotations

import typer

from packager.cli.options import QUIET, VERBOSE, Verbosity


def formats(
    table: bool = typer.Option(
        False, "--table", help="Print the feature × format support matrix (Markdown)."
    ),
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
) -> None:
    """List the export formats and LMS presets."""
    from packager.formats import ALIASES, TARGETS
    from packager.lms import LMS_TARGETS

    talk = Verbosity(quiet, verbose)

    if table:
        from packager.support_table import markdown_table

        typer.echo(markdown_table(), nl=False)
        return

    width = max(len(n) for n in TARGETS)
    for name, target in TARGETS.items():
        typer.echo(f"{name:<{width}}  {target.summary}")
        if talk.verbose:
            typer.echo(f"{'':<{width}}  {target.load().SPEC}")
    typer.echo("")
    typer.echo("aliases: " + ", ".join(f"{a} = {t}" for a, t in ALIASES.items()))
    typer.echo(
        "--lms presets: "
        + "; ".join(f"{lms} = {' + '.join(names)}" for lms, names in LMS_TARGETS.items())
    )
