"""Atomic file writes: a temp file in the same folder, fsync, rename. Never a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from packager.errors import PackagerIOError


def write_atomic(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise PackagerIOError(f"{path}: cannot write: {exc.strerror or exc}") from exc
