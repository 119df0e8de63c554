"""`packager export`: build packages for banks, write them atomically to the output folder."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from packager.cli.options import NO_XSDS_NOTE, QUIET, STDIO, VERBOSE, Verbosity, bank_paths
from packager.cli.patterns import expand

if TYPE_CHECKING:
    from packager.pipeline import Artifact

# What the command built, kept until the process ends: see cli._exit_now.
_KEPT: list[object] = []


def export(
    banks: list[Path] = typer.Argument(
        None, help="Bank files or folders (default: every bank in content/).", show_default=False,
        callback=expand,
    ),
    format_: str = typer.Option(
        None,
        "--format",
        "-f",
        help="Comma list of formats or aliases (qti = qti12, scorm = scorm12), or 'all'. "
        "See 'packager formats'.",
    ),
    lms: str = typer.Option(
        None,
        "--lms",
        help="Formats for an LMS: canvas, blackboard, moodle, brightspace (comma list); "
        "prints how to import each file.",
    ),
    out: Path = typer.Option(
        Path("dist"),
        "--out",
        "-o",
        help="Output folder; - writes one bank in one single-file format (gift, aiken, moodle, "
        "bbtext, html) to stdout.",
    ),
    xsd_dir: Path = typer.Option(
        None,
        "--xsd-dir",
        help="Folder of official XSDs laid out like shared/xsd (or set PACKAGER_XSD_DIR; "
        "default: the copy `packager xsd install` installed); "
        "every XML file written is validated against them.",
    ),
    skip_unsupported: bool = typer.Option(
        False,
        "--skip-unsupported",
        help="Export what each format can express; list skipped questions in the report. A "
        "format that can express none of a bank's questions is skipped, as in 'packager "
        "build' (exit 4 when no format given can).",
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Fail (exit 4) if the format would drop or change anything."
    ),
    no_validate: bool = typer.Option(
        False, "--no-validate",
        help="Skip the output checks (XSDs, manifest references, Canvas's rules).",
    ),
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
) -> None:
    """Export banks to QTI, SCORM or native LMS formats."""
    from packager.cli.report import print_diagnostics
    from packager.context import BuildContext, usable_cores
    from packager.errors import PackagerError, UsageError
    from packager.formats import resolve
    from packager.fsutil import output_folder, write_all
    from packager.jsonfmt import dumps
    from packager.lms import IMPORT_STEPS, resolve_lms
    from packager.pipeline import export as export_one
    from packager.pipeline import (
        export_each,
        find_banks,
        kept_for_good,
        load,
        no_banks_found,
        prewarm_schemas,
    )
    from packager.xsd import xsd_dir_from

    talk = Verbosity(quiet, verbose)
    if not format_ and not lms:
        raise UsageError(
            "give --format or --lms",
            hints=["e.g. packager export --format qti, or packager export --lms moodle"],
        )
    lms_pairs = resolve_lms(lms) if lms else []
    names = [t.name for t in resolve(format_)] if format_ else []
    names = list(dict.fromkeys([*names, *(fmt for _, fmt in lms_pairs)]))
    ctx = BuildContext(
        strict=strict,
        skip_unsupported=skip_unsupported,
        validate_output=not no_validate,
        xsd_dir=None if no_validate else xsd_dir_from(xsd_dir),
        processes=usable_cores(),
    )
    given = bank_paths(banks)
    files = find_banks(given)
    if not files:
        raise no_banks_found(given)
    to_stdout = str(out) == STDIO
    if to_stdout:
        _refuse_stdout(files, names)
    talk.detail(f"formats: {', '.join(names)}; output: {'stdout' if to_stdout else out}")
    talk.detail(f"XSDs: {ctx.xsd_dir or 'none'}")
    prewarm_schemas(names, ctx, files)  # libxml2 compiles on the other core while banks load
    started = time.perf_counter()
    with kept_for_good():
        loaded = [load(path) for path in files]  # raises before anything is written
    n = len(loaded)
    talk.detail(f"{n} bank{'s' if n != 1 else ''} loaded in {time.perf_counter() - started:.2f} s")
    _KEPT.append(loaded)  # freed with the process (see cli.main), not object by object
    _refuse_same_names(loaded)
    for item in loaded:
        print_diagnostics([d for d in item.diagnostics if not d.is_error and not quiet])
    if to_stdout:
        artifact = export_one(loaded[0], names[0], ctx)
        sys.stdout.buffer.write(artifact.data)
        sys.stdout.buffer.flush()
        talk.detail(f"{artifact.name}: {len(artifact.data):,} bytes to stdout")
        return
    # Locked first, so an unusable output folder is reported before the work, not after.
    with output_folder(out):
        started = time.perf_counter()
        artifacts: list[tuple[Artifact, str]] = []
        # bank file, format, why, an earlier export of the pair in the folder
        skipped: list[tuple[str, str, str, Path | None]] = []
        try:
            for item in loaded:
                built, carries_none = export_each(item, names, ctx)
                artifacts += built
                skipped += [(item.source.name, name, why, _earlier(out, item, name))
                            for name, why in carries_none]
        except PackagerError as failed:  # every package or none: say so, as for a bad bank
            failed.message += "; nothing was written"
            raise
        talk.detail(f"{len(artifacts)} packages built in {time.perf_counter() - started:.2f} s")
        outputs: list[tuple[Path, bytes]] = []
        for artifact, _ in artifacts:
            outputs.append((out / artifact.name, artifact.data))
            report = dumps(artifact.report).encode("utf-8")
            outputs.append((out / artifact.report_name, report))
        write_all(outputs)  # every file or none
    for artifact, name in artifacts:
        target = out / artifact.name
        report_path = out / artifact.report_name
        summary = artifact.report["summary"]
        assert isinstance(summary, dict)
        extra = ""
        if summary["skipped"]:
            extra += f", {summary['skipped']} skipped"
        if summary["dropped_or_changed"]:
            n = summary["dropped_or_changed"]
            extra += f", {n} fidelity note{'s' if n != 1 else ''} (see {report_path.name})"
        talk.result(f"wrote {target} ({len(artifact.data):,} bytes{extra})")
        for lms_name, fmt in lms_pairs:
            if fmt == name:
                talk.result(f"    import into {IMPORT_STEPS[(lms_name, fmt)]}")
    for source_name, name, why, earlier in skipped:
        talk.info(f"skipped {source_name} {name}: {why}")
        if earlier is not None:
            talk.info(f"note: {earlier} is an earlier export of this pair, not of this bank as "
                      "it is now: remove it before publishing the folder")
    _tell_build_records(out, [(artifact.name, artifact.data) for artifact, _ in artifacts], talk)
    if ctx.xsd_dir is None and not no_validate:
        talk.info(NO_XSDS_NOTE)


def _tell_build_records(out: Path, written: list[tuple[str, bytes]], talk: Verbosity) -> None:
    """Say when the export gave other bytes to packages a build's SHA256SUMS lists (a release
    engineer re-exporting one package into dist/ at another time): the records no longer
    describe them, and nothing said so (build review 32)."""
    import hashlib

    from packager.release_records import REPORT_FILE, SUMS_FILE

    try:
        lines = (out / SUMS_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return  # no build's records here (or none readable): nothing they could misstate
    listed = {name: digest for digest, _, name in (line.partition("  ") for line in lines)}
    replaced = [name for name, data in written
                if name in listed and listed[name] != hashlib.sha256(data).hexdigest()]
    if replaced:
        talk.info(f"note: {out} holds a build's records: {SUMS_FILE} and {REPORT_FILE} no "
                  f"longer describe {', '.join(replaced)}; the next `packager build` into it "
                  "writes them again")


def _refuse_stdout(files: list[Path], names: list[str]) -> None:
    """`-o -` is one file on stdout: one bank, one format that is a single file (not a zip)."""
    from packager.errors import UsageError
    from packager.formats import TARGETS

    if len(files) != 1 or len(names) != 1:
        raise UsageError(
            f"-o - writes one bank in one format to stdout; got {len(files)} "
            f"bank{'s' if len(files) != 1 else ''} and {len(names)} "
            f"format{'s' if len(names) != 1 else ''}",
            hints=["give one bank and one --format, or an output folder: -o dist"],
        )
    extension = TARGETS[names[0]].load().EXTENSION
    if extension in _ARCHIVES:
        single = [n for n, t in TARGETS.items() if t.load().EXTENSION not in _ARCHIVES]
        raise UsageError(
            f"{names[0]} is a .{extension} package, not one text file: it cannot go to stdout",
            hints=[f"write it to a folder (-o dist), or use one of: {', '.join(single)}"],
        )


_ARCHIVES = ("zip", "imscc")  # package EXTENSIONs that are zip files (packages/base.py)


def _refuse_same_names(loaded: list[Any]) -> None:
    """Two banks with one id and version would write the same files: one would be lost. So
    would versions that differ only in letter case (`1.0.0-RC1`, `1.0.0-rc1`) on Windows and
    macOS, whose file systems take the two file names for one."""
    from packager.errors import InputError
    from packager.relpath import same_file_key

    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for item in loaded:
        key = (item.bank.id, same_file_key(item.bank.version))
        other, version = seen.setdefault(key, (item.source.name, item.bank.version))
        if other != item.source.name:
            same = (f"version {version}" if version == item.bank.version else
                    f"versions {version} and {item.bank.version}, which differ only in letter "
                    "case (one file name on Windows and macOS)")
            raise InputError(
                f"banks {other} and {item.source.name} have the same id '{key[0]}' and "
                f"{same}: their exports would overwrite each other; nothing was written",
                hints=["give each bank its own id, or export them separately"],
            )


def _earlier(out: Path, item: Any, name: str) -> Path | None:
    """The package of (bank, format) an earlier export left in `out`, if any: skipped now,
    it keeps the bank's current name and version but not its current questions (build
    review 32)."""
    from packager.formats import TARGETS
    from packager.pipeline import artifact_name

    path = out / artifact_name(item.bank, name, TARGETS[name].load().EXTENSION)
    return path if path.is_file() else None
