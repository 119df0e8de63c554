"""What a release build writes beside its packages (SHA256SUMS, the build report, the state
the next build compares with), and publishing: packages renamed into place, stale ones removed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packager import __version__
from packager.errors import PackagerIOError

if TYPE_CHECKING:
    from packager.jsonfmt import Encoded
    from packager.pipeline import LoadedBank
    from packager.release_jobs import JobResult

STATE_FILE = ".packager-state.json"
SUMS_FILE = "SHA256SUMS"
REPORT_FILE = "build-report.json"

# 2: entries keep Artifact.summary(), not the whole per-question report.
STATE_VERSION = 2

# What jobs send back and the state keeps of each artefact's fidelity (Artifact.summary).
SUMMARY_KEYS = ("questions_exported", "questions_skipped", "fidelity", "xsd_validated")


def read_state(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == STATE_VERSION else {}


def build_report(
    results: list[JobResult], loaded: list[LoadedBank], seconds: float
) -> dict[str, Any]:
    # Here, not at the module's top: `validate` and `export` import this module and never
    # build a report, and zlib-ng (with gzip) would load for them at every start.
    from zlib_ng import zlib_ng

    by_file = {i.source.name: i for i in loaded}
    banks = []
    for name, item in by_file.items():
        warnings = [d.to_json() for d in item.diagnostics if not d.is_error]
        banks.append(
            {
                "file": name,
                "id": item.bank.id,
                "version": item.bank.version,
                "questions": len(item.bank.questions),
                "warnings": warnings,
            }
        )
    artifacts = []
    for r in results:
        artifacts.append(
            {
                "bank": r.bank_id,
                "format": r.target,
                "file": r.name,
                "status": r.status,
                "size": r.size,
                "sha256": r.sha256,
                "seconds": round(r.seconds, 4),
                "peak_rss_mb": None if r.peak_rss_mb is None else round(r.peak_rss_mb),
                "retried": r.retried,
                "reason": r.reason,
                **{key: r.report.get(key) for key in SUMMARY_KEYS},
            }
        )
    return {
        "packager_version": __version__,
        # The packages' bytes depend on the deflate library's version too (archive.py).
        "zlib_ng_version": zlib_ng.ZLIBNG_RUNTIME_VERSION,
        "seconds": round(seconds, 3),
        "banks": banks,
        "formats": sorted({r.target for r in results}),
        "artifacts": artifacts,
        "built": sum(r.status == "built" for r in results),
        "cached": sum(r.status == "cached" for r in results),
        "skipped": sum(r.status == "skipped" for r in results),
    }


def summary_json(report: dict[str, Any]) -> Encoded:
    """A job's summary (its report's SUMMARY_KEYS, in order) as both record files write it.
    Each job encodes its own where it ran (JobResult.summary_json: in its worker, beside
    the other jobs), so that after the last job the records are text joined, not 15 MB of
    fidelity notes encoded twice (rich 10k bench bank: 0.3 CPU-s, 50k: about 1.5, on one
    core while the other waits for the build to end)."""
    from packager.jsonfmt import compact

    return compact({key: report.get(key) for key in SUMMARY_KEYS})


def state_payload(results: list[JobResult]) -> dict[str, Any]:
    return {
        "version": STATE_VERSION,
        "entries": {
            _state_key(r): {**_state_fields(r), "report": r.report}
            for r in results
            if r.status in _KEPT
        },
    }


_KEPT = ("built", "cached")  # the results the state keeps


def _state_key(r: JobResult) -> str:
    return f"{r.bank}::{r.target}"


def _state_fields(r: JobResult) -> dict[str, Any]:
    return {"name": r.name, "sha256": r.sha256, "size": r.size, "input_hash": r.input_hash}


def _state_entries(results: list[JobResult], summaries: list[Encoded]) -> Iterator[str]:
    """state_payload's entries, encoded in pieces, each job's summary as it encoded it."""
    from packager.jsonfmt import compact

    yield "{"
    for n, (r, summary) in enumerate(
        (r, summary) for r, summary in zip(results, summaries, strict=True) if r.status in _KEPT
    ):
        fields = compact(_state_fields(r))
        yield f'{", " if n else ""}{compact(_state_key(r))}: {fields[:-1]}, "report": '
        # The state keeps a job's report whole: its summary, unless it holds more.
        yield summary if list(r.report) == list(SUMMARY_KEYS) else compact(r.report)
        yield "}"
    yield "}"


def sums_text(results: list[JobResult]) -> str:
    lines = sorted(f"{r.sha256}  {r.name}" for r in results if r.sha256)
    return "\n".join(lines) + "\n"


def publish(out_dir: Path, results: list[JobResult], clean: bool) -> list[str]:
    """Rename the staged packages into place; the names of stale outputs removed (`clean`)."""
    from packager.fsutil import publish_all

    # Until the new SHA256SUMS and report are written, none is better than ones that lie
    # about the packages: a build killed while publishing leaves old and new side by side.
    for record in (SUMS_FILE, REPORT_FILE):
        _remove(out_dir / record, "nothing was replaced")
    publish_all([(r.staged, out_dir / r.name) for r in results
                 if r.status == "built" and r.staged is not None])
    return remove_stale(out_dir, results) if clean else []


def write_records(out_dir: Path, results: list[JobResult], report: dict[str, Any]) -> None:
    """SHA256SUMS, build-report.json and the state the next build compares with (`report`
    is build_report's of `results`), written as dumps writes `report` and state_payload's,
    with each job's summary as it encoded it (summary_json)."""
    from packager.fsutil import write_atomic
    from packager.jsonfmt import Pieces, merged

    summaries = [r.summary_json or summary_json(r.report) for r in results]
    artifacts = [
        Pieces(merged({k: v for k, v in artifact.items() if k not in SUMMARY_KEYS}, done))
        for artifact, done in zip(report["artifacts"], summaries, strict=True)
    ]
    write_atomic(out_dir / SUMS_FILE, sums_text(results).encode())
    _write_json(out_dir / REPORT_FILE, {**report, "artifacts": artifacts})
    state = {"version": STATE_VERSION, "entries": Pieces(_state_entries(results, summaries))}
    _write_json(out_dir / STATE_FILE, state)


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    """jsonfmt.dumps(payload) written a piece at a time, never whole in memory, all or none."""
    from packager.fsutil import publish, staging
    from packager.jsonfmt import chunks

    with staging(path) as file:
        for piece in chunks(payload):
            # A bank file's name that is not UTF-8 holds lone surrogates (os.fsdecode), which
            # only occur in JSON strings: written as JSON's escape, `\udcff`, read back alike.
            file.write(piece.encode("utf-8", "backslashreplace"))
    publish(file.staged, path)


# The name of a package an earlier build may have written: <id>-<version>.<format>.<ext>,
# the version semantic (the schema's form), the extension the format's own (checked below):
# `x-1.0.0.html.html.sig` (a signature beside a package) matched `[a-z.]+` as format `html`.
_OUTPUT_NAME = re.compile(
    r"^[a-z0-9][a-z0-9_-]*-\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?"
    r"\.(?P<fmt>[a-z0-9]+)\.(?P<ext>[a-z]+)$")


def stale_outputs(out_dir: Path, results: list[JobResult]) -> list[str]:
    """Outputs of earlier builds (our naming, a known format and its extension) that this
    build did not make: a removed bank's or format's, an old id's or version's."""
    from packager.formats import TARGETS
    from packager.relpath import posix_order

    current = {r.name for r in results}
    stale = []
    for path in sorted(out_dir.iterdir(), key=posix_order) if out_dir.is_dir() else []:
        match = _OUTPUT_NAME.match(path.name)
        if (path.is_file() and match and match["fmt"] in TARGETS
                and match["ext"] == TARGETS[match["fmt"]].load().EXTENSION
                and path.name not in current):
            stale.append(path.name)
    return stale


def remove_stale(out_dir: Path, results: list[JobResult]) -> list[str]:
    """Remove outputs of earlier builds this build did not make (stale_outputs)."""
    removed = []
    for name in stale_outputs(out_dir, results):
        _remove(out_dir / name, "the new packages are in place; SHA256SUMS and build-report.json "
                                "were not written")
        removed.append(name)
    return removed


def _remove(path: Path, state: str) -> None:
    """Remove a file of an earlier build, or say why it cannot be (it was a traceback)."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise PackagerIOError(
            f"{path}: cannot remove: {exc.strerror or exc}; {state}",
            hints=["make it writable or move it away, then build again"],
        ) from exc
