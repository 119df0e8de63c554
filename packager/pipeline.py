"""The only orchestration: find banks, load and check them, build targets. Writes no files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packager.diagnostics import Diagnostic
from packager.errors import InputError, PackagerIOError
from packager.model import Bank
from packager.readers.base import Source

BANK_SUFFIX = ".json"


@dataclass(frozen=True)
class LoadedBank:
    bank: Bank
    source: Source
    diagnostics: tuple[Diagnostic, ...]

    @property
    def base_dir(self) -> Path:
        return self.source.base_dir


def find_banks(paths: list[Path]) -> list[Path]:
    """Expand folders to the bank files inside (recursively, sorted); keep files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob(f"*{BANK_SUFFIX}"))
                if p.is_file() and not any(part.startswith(".") for part in p.parts)
            )
        elif path.exists():
            found.append(path)
        else:
            raise PackagerIOError(
                f"{path}: no such file or folder",
                hints=["give a bank file (.json) or a folder of banks, e.g. content/"],
            )
    return list(dict.fromkeys(found))


def check(source: Source) -> tuple[Bank | None, list[Diagnostic]]:
    """Every diagnostic for one bank file: syntax, schema, model rules, rich text, media."""
    from packager.checks import check_bank
    from packager.readers import canonical

    result = canonical.read(source)
    bank, diagnostics, located = result.bank, result.diagnostics, result.located
    if bank is None or located is None:
        return None, diagnostics
    extra = [located.problem(p) for p in check_bank(bank, source.base_dir)]
    diagnostics = diagnostics + extra
    if any(d.is_error for d in extra):
        return None, diagnostics
    return bank, diagnostics


def load(path: Path) -> LoadedBank:
    """A checked bank, or InputError carrying every diagnostic."""
    source = Source.from_path(path)
    bank, diagnostics = check(source)
    if bank is None:
        n = sum(d.is_error for d in diagnostics)
        raise InputError(
            f"{path}: {n} error{'s' if n != 1 else ''}; nothing was written",
            diagnostics=diagnostics,
        )
    return LoadedBank(bank, source, tuple(diagnostics))
