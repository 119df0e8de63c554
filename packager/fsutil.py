"""Atomic file writes: a temp file in the same folder, then a rename. Never a half-written file."""

from __future__ import annotations

import os
from pathlib import Path

from packager.errors import PackagerIOError


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and a rename: readers see the old file or the new one."""
    publish(stage(path, data), path)


def stage(path: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`, to be published (renamed) or discarded.

    A parallel build stages each artefact in its worker and publishes them all only when
    every job succeeded, so a failed build leaves the old files untouched.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A fixed temp name per process (not tempfile: its first use seeds a random
        # generator, 0.1 s); O_EXCL so two writers never share one.
        tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            # No fsync: the rename already guarantees readers see the old or the new file,
            # never a part; fsync only adds power-loss durability (0.15 s per 8 MB here).
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)  # whatever the umask
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise PackagerIOError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    return tmp


def publish(tmp: Path, path: Path) -> None:
    """Rename a staged file into place (atomic within one file system)."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PackagerIOError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def discard(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
