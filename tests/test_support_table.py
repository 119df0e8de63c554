"""docs/formats/README.md embeds the support matrix generated from the targets' LOSSES."""

from __future__ import annotations

from packager.support_table import markdown_table
from tests.conftest import ROOT


def test_docs_support_matrix_matches_the_declared_losses() -> None:
    text = (ROOT / "docs" / "formats" / "README.md").read_text(encoding="utf-8")
    embedded = text.split("<!-- table:start -->\n", 1)[1].split("<!-- table:end -->", 1)[0]
    assert embedded == markdown_table(), "regenerate it: packager formats --table"


def test_matrix_reflects_a_declared_loss() -> None:
    table = markdown_table()
    ordering = next(line for line in table.splitlines() if line.startswith("| `ordering`"))
    cells = [c.strip() for c in ordering.strip("|").split("|")][1:]
    header = [c.strip() for c in table.splitlines()[0].strip("|").split("|")][1:]
    assert dict(zip(header, cells, strict=True))["qti12"] == "changed"  # matching to positions
    assert dict(zip(header, cells, strict=True))["aiken"] == "**no**"
    assert dict(zip(header, cells, strict=True))["qti21"] == "yes"
