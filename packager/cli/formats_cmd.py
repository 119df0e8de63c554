"""`packager formats`: the registered targets and aliases."""

from __future__ import annotations

import typer


def formats(
    table: bool = typer.Option(
        False, "--table", help="Print the feature × format support matrix (Markdown)."
    ),
) -> None:
    """List the export formats and LMS presets."""
    from packager.formats import ALIASES, TARGETS
    from packager.lms import LMS_TARGETS

    if table:
        from packager.support_table import markdown_table

        typer.echo(markdown_table(), nl=False)
        return

    width = max(len(n) for n in TARGETS)
    for name, target in TARGETS.items():
        typer.echo(f"{name:<{width}}  {target.summary}")
    typer.echo("")
    typer.echo("aliases: " + ", ".join(f"{a} = {t}" for a, t in ALIASES.items()))
    typer.echo(
        "--lms presets: "
        + "; ".join(f"{lms} = {' + '.join(names)}" for lms, names in LMS_TARGETS.items())
    )
