"""What every reader gets: the bytes, and a name and folder for messages and media."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import BinaryIO

from packager.errors import InputError, PackagerIOError
from packager.limits import MAX_STDIN_BYTES, mib

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
STDIN_NAME = "<stdin>"  # the name a source read from standard input goes by


def is_text_source(name: str) -> bool:
    """Whether a bank file is in the plain-text layout (readers/text.py), by its name: here,
    not there, so a JSON bank's check does not import that reader."""
    return PurePath(name).suffix.lower() in TEXT_SUFFIXES


@dataclass(frozen=True)
class Source:
    # Shown in messages and written in reports, e.g. "content/algebra.json": `/` between
    # folders on every system, so a report read by a script (build-report.json, the
    # diagnostics of --format json, the state a build keeps) is the same on Windows.
    name: str
    data: bytes
    base_dir: Path  # media paths are relative to this folder
    # Set by without_data(): the dropped bytes' sha256 (hex) and size.
    kept: tuple[str, int] | None = None
    path: str | None = None  # the file the bytes were read from (from_path)

    def fingerprint(self) -> tuple[str, int]:
        """sha256 (hex) and size of the file's bytes, also once they are dropped."""
        if self.kept is not None:
            return self.kept
        return hashlib.sha256(self.data).hexdigest(), len(self.data)

    def without_data(self) -> Source:
        """This source without its bytes (137 MB for 50,000 questions), keeping their
        fingerprint: a build's parent, which every worker forks from, needs nothing more."""
        return replace(self, data=b"", kept=self.fingerprint())

    @classmethod
    def from_path(cls, path: Path) -> Source:
        # Asked first: Windows refuses to open a folder as "permission denied".
        if path.is_dir():
            raise PackagerIOError(
                f"{path}: is a folder, expected a file",
                hints=[f"give the files in it, or a pattern such as {path / '*.xml'}"],
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PackagerIOError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        return cls(name=path.as_posix(), data=data, base_dir=path.resolve().parent,
                   path=str(path))

    @classmethod
    def from_stdin(cls, stream: BinaryIO, base_dir: Path) -> Source:
        """Standard input as a source named <stdin>, refused beyond MAX_STDIN_BYTES."""
        data = stream.read(MAX_STDIN_BYTES + 1)  # one byte more shows a longer input
        if len(data) > MAX_STDIN_BYTES:
            raise InputError(
                f"<stdin>: more than {mib(MAX_STDIN_BYTES)}; nothing was read",
                hints=["give the file's name instead of -"],
            )
        return cls(name=STDIN_NAME, data=data, base_dir=base_dir)
