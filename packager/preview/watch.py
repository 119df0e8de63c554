"""`packager preview --watch`: rebuild when a bank or one of its images changes.

Polling (modification time and size of each file, every `interval` seconds) works alike on
Linux, macOS and Windows and on network drives, with no library of file-system events; a
review site of a few banks needs nothing faster. A folder given on the command line is
searched again on each poll, so a bank added to it is picked up.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from packager.errors import PackagerIOError
from packager.pipeline import find_banks

Snapshot = tuple[tuple[str, int, int], ...]


def snapshot(paths: Sequence[Path], read: Sequence[Path]) -> Snapshot:
    """(name, mtime in ns, size) of every bank under `paths` now and every file the last
    build read; a file that cannot be seen (deleted, being replaced) counts as (-1, -1)."""
    files = set(read)
    with contextlib.suppress(PackagerIOError):  # a path given vanished: its files show missing
        files.update(find_banks(list(paths)))
    found = []
    for path in sorted(files):
        try:
            stat = os.stat(path)
        except OSError:
            found.append((str(path), -1, -1))
        else:
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def watch(
    rebuild: Callable[[], Sequence[Path]],
    paths: Sequence[Path],
    interval: float,
    read: Sequence[Path],
) -> None:
    """Poll until Ctrl+C; call `rebuild` (which returns the files it read) on each change.

    `read` is what the first build read. The snapshot compared next is the one taken before
    a rebuild, so an edit made while it runs is seen on the following poll."""
    seen = snapshot(paths, read)
    try:
        while True:
            time.sleep(interval)
            now = snapshot(paths, read)
            if now != seen:
                read = rebuild()
                seen = now
    except KeyboardInterrupt:
        return
