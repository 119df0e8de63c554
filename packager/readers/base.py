"""What every reader gets: the bytes, and a name and folder for messages and media."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packager.errors import PackagerIOError


@dataclass(frozen=True)
class Source:
    name: str  # shown in messages, e.g. "content/algebra.json"
    data: bytes
    base_dir: Path  # media paths are relative to this folder

    @classmethod
    def from_path(cls, path: Path) -> Source:
        try:
            data = path.read_bytes()
        except IsADirectoryError as exc:
            raise PackagerIOError(f"{path}: is a folder, expected a file") from exc
        except OSError as exc:
            raise PackagerIOError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        return cls(name=str(path), data=data, base_dir=path.resolve().parent)
