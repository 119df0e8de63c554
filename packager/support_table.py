"""The support matrix (feature × format) rendered from each target's declared LOSSES.

`packager formats --table` prints it; docs/formats/README.md embeds it, and a test keeps the
two in step, so the docs cannot drift from what the code declares.
"""

from __future__ import annotations

from packager.capabilities import Feature
from packager.formats import TARGETS

CELL = {None: "yes", "unsupported": "**no**", "dropped": "dropped", "changed": "changed"}


def markdown_table() -> str:
    names = list(TARGETS)
    losses = {name: TARGETS[name].load().LOSSES for name in names}
    lines = [
        "| feature | " + " | ".join(names) + " |",
        "| --- | " + " | ".join("---" for _ in names) + " |",
    ]
    for feature in Feature:
        cells = []
        for name in names:
            loss = losses[name].get(feature)
            cells.append(CELL[loss.kind if loss else None])
        lines.append(f"| `{feature.value}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
