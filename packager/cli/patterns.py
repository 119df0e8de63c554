"""File arguments given as patterns (`exports/*.zip`), expanded here as a POSIX shell would.

Windows' cmd and PowerShell pass `exports\\*.zip` to the program as typed, and typer expands
patterns itself only when it reads sys.argv (packager hands it the arguments: cli._run). So
every command's file arguments go through `expand` (a typer callback), on every system: an
argument that names an existing file or folder is kept as it is, whatever its characters.
"""

from __future__ import annotations

import glob
from pathlib import Path, PurePath

from packager.errors import UsageError

_MAGIC = frozenset("*?[")


def expand(paths: list[Path] | None) -> list[Path] | None:
    """The arguments with each pattern replaced by the files and folders it matches,
    sorted; UsageError for a pattern that matches nothing."""
    if not paths:
        return paths
    found: list[Path] = []
    for path in paths:
        text = str(path)
        if not is_pattern(text) or path.exists():
            found.append(path)
            continue
        # By the POSIX form: Windows' glob gives `\\` between folders, which sorts otherwise.
        matches = sorted(glob.glob(text, recursive=True), key=lambda m: PurePath(m).as_posix())
        if not matches:
            raise UsageError(f"{text}: no file matches this pattern",
                             hints=["check the folder and the pattern (* is any name, "
                                    "** any folders below)"])
        found.extend(Path(match) for match in matches)
    return found


def is_pattern(text: str) -> bool:
    """Whether an argument holds a pattern's characters (expanded unless a file is named so)."""
    return not _MAGIC.isdisjoint(text)
