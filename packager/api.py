"""The Python API: check and export question banks, and run release builds, from a script.

    import packager

    loaded = packager.load("content/algebra.json")       # or a dict, or a packager.Bank
    packager.export(loaded, "qti12,scorm2004", out="dist")

A bank is given as a file path (`.json`, or a `.txt`/`.md` text bank), as the canonical JSON's
data (a dict, e.g. built from a spreadsheet), as a `Bank`, or as what `load` returned. Each
is checked exactly as `packager validate` checks a file. Failures raise the exceptions the
command line maps to its exit codes (`packager.errors`; each has `exit_code`, `hints` and
`diagnostics`). Nothing here prints; only `export(..., out=...)` and `build` write files.
The names exported by `packager` (`__all__`) are the stable API; docs/api.md shows examples.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from packager.diagnostics import Diagnostic
    from packager.model import Bank
    from packager.pipeline import Artifact, LoadedBank
    from packager.readers.base import Source

    BankData: TypeAlias = "str | os.PathLike[str] | Mapping[str, Any] | Bank"
    BankInput: TypeAlias = "BankData | LoadedBank"

# How a bank given as data is named in diagnostics (a file keeps its own name).
DATA_NAME = "<bank>"


def load(bank: BankInput, *, base_dir: str | os.PathLike[str] | None = None) -> LoadedBank:
    """A checked bank: `.bank` (the model), `.diagnostics` (its warnings), `.base_dir`.

    `base_dir` is the folder media paths are relative to for a bank given as data or as a
    `Bank` (default: the working folder); a file's own folder is used for a file.
    Raises `InputError` (exit code 3), whose `diagnostics` list every problem, when the bank
    is invalid, and `PackagerIOError` (6) when the file cannot be read."""
    import dataclasses

    from packager.errors import InputError
    from packager.pipeline import LoadedBank, load_source

    if isinstance(bank, LoadedBank):
        return bank
    source = _source(bank, base_dir)
    try:
        loaded = load_source(source)
    except InputError as exc:
        if source.name != DATA_NAME:
            raise
        raise InputError(exc.message, diagnostics=_unlined(exc.diagnostics)) from None
    if source.name == DATA_NAME:
        return dataclasses.replace(loaded, diagnostics=tuple(_unlined(loaded.diagnostics)))
    return loaded


def validate(
    bank: BankInput, *, base_dir: str | os.PathLike[str] | None = None
) -> list[Diagnostic]:
    """Every diagnostic of a bank, errors and warnings, in the order of the text; the bank is
    valid when none `is_error`. Each is located by `pointer` (a JSON pointer) and, for a
    file, `file`, `line` and `column`. Raises only when a file cannot be read
    (`PackagerIOError`) or data is not JSON (`InputError`)."""
    from packager.pipeline import LoadedBank, check

    if isinstance(bank, LoadedBank):
        return list(bank.diagnostics)
    source = _source(bank, base_dir)
    diagnostics = check(source)[1]
    return _unlined(diagnostics) if source.name == DATA_NAME else diagnostics


def export(
    bank: BankInput,
    formats: str | Sequence[str],
    *,
    out: str | os.PathLike[str] | None = None,
    xsd_dir: str | os.PathLike[str] | None = None,
    skip_unsupported: bool = False,
    strict: bool = False,
    validate_output: bool = True,
    base_dir: str | os.PathLike[str] | None = None,
) -> list[Artifact]:
    """Build a bank in each format (names or aliases, as `packager formats` lists them, or
    "all"); one `Artifact` per format (`.name`, `.data` bytes, `.report` the fidelity report).

    With `out`, each package and its `<name>.report.json` is written into that folder,
    every file or none. Every XML file is validated against its XSD, read from `xsd_dir`,
    else `PACKAGER_XSD_DIR`, else the XSDs `packager xsd install` stored (official-XSD
    validation is skipped when there are none); `validate_output=False` skips all output
    checks. Raises `InputError` (3) for an invalid bank, `UsageError` (2) for an unknown
    format, `UnsupportedError` (4) when a format cannot express a question (unless
    `skip_unsupported`: then a format that can express none of the bank's questions is left
    out, as `build` does, and an error only when no format given can) or, with `strict`,
    would lose content."""
    from packager.context import BuildContext, usable_cores
    from packager.formats import resolve
    from packager.pipeline import export_each, prewarm_schemas
    from packager.xsd import xsd_dir_from

    names = [t.name for t in resolve(formats if isinstance(formats, str) else ",".join(formats))]
    ctx = BuildContext(
        strict=strict,
        skip_unsupported=skip_unsupported,
        validate_output=validate_output,
        xsd_dir=xsd_dir_from(_path(xsd_dir)) if validate_output else None,
        processes=usable_cores(),
    )
    prewarm_schemas(names, ctx)  # compiles on another core while the bank loads
    loaded = load(bank, base_dir=base_dir)
    artifacts = [artifact for artifact, _ in export_each(loaded, names, ctx)[0]]
    if out is not None:
        _write(Path(out), artifacts)
    return artifacts


def build(
    config: str | os.PathLike[str] | None = None,
    *,
    out: str | os.PathLike[str] | None = None,
    force: bool = False,
    clean: bool = False,
    jobs: int | None = None,
    xsd_dir: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """`packager build`: every bank × format of a `packager.toml` (or a `pyproject.toml`
    with `[tool.packager]`; default: found in the working folder), built in parallel and
    written only when all succeeded, with `SHA256SUMS`; unchanged packages are not rebuilt
    unless `force`. Returns the build report (what `build-report.json` holds); with
    `skip_unsupported`, a format that can carry none of a bank's questions is `skipped` there
    with its `reason`, and a bank that every format skips fails. A failed job raises its
    error (`UnsupportedError`, `OutputValidationError`, …) after the other jobs finished,
    with every failure's message among its `hints`; nothing is written."""
    from packager import release

    return release.release(
        _path(config),
        out=_path(out),
        force=force,
        clean=clean,
        jobs=jobs,
        xsd_dir=_path(xsd_dir),
    )


def _path(value: str | os.PathLike[str] | None) -> Path | None:
    return None if value is None else Path(value)


def _unlined(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics of data, located by pointer only: their lines would be those of a JSON
    text the caller never saw."""
    import dataclasses

    return [dataclasses.replace(d, line=None, column=None) for d in diagnostics]


def _source(bank: BankData, base_dir: str | os.PathLike[str] | None) -> Source:
    """The bank as the readers take it: a file's bytes, or the canonical JSON of data."""
    import json

    from packager.model import Bank
    from packager.readers.base import Source
    from packager.writers.canonical import write

    folder = Path(base_dir if base_dir is not None else Path.cwd()).resolve()
    if isinstance(bank, Bank):
        return Source(DATA_NAME, write(bank), folder)
    if isinstance(bank, Mapping):
        try:
            text = json.dumps(bank, ensure_ascii=False, indent=1)
        except (TypeError, ValueError) as exc:
            from packager.errors import InputError

            raise InputError(
                f"{DATA_NAME}: the bank data is not JSON: {exc}",
                hints=["use only dicts, lists, strings, numbers, booleans and None"],
            ) from None
        return Source(DATA_NAME, text.encode("utf-8"), folder)
    return Source.from_path(Path(bank))


def _write(out: Path, artifacts: list[Artifact]) -> None:
    from packager.fsutil import output_folder, write_all
    from packager.jsonfmt import dumps

    files: list[tuple[Path, bytes]] = []
    for artifact in artifacts:
        files.append((out / artifact.name, artifact.data))
        files.append((out / artifact.report_name, dumps(artifact.report).encode("utf-8")))
    with output_folder(out):
        write_all(files)
