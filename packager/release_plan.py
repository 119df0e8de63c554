"""What a release build is to do: the banks it loads, what decides that a package is built
again, and the plan (jobs to run, packages kept) against the state the last build left."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from packager import __version__
from packager.context import BuildContext
from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.pipeline import LoadedBank, load_source
from packager.readers.base import Source
from packager.release_jobs import JobResult
from packager.release_records import read_state
from packager.relpath import posix_order

# The distributions whose versions change package bytes: Markdown (pyromark), sanitising
# (nh3), math (latex2mathml), serialising (lxml), the model's defaults (pydantic), deflating
# (zlib-ng).
OUTPUT_DEPENDENCIES = ("lxml", "pyromark", "nh3", "latex2mathml", "pydantic", "zlib-ng")


def _toolchain() -> str:
    """What besides packager's own files decides the bytes: the output libraries' versions,
    libxml2's, zlib-ng's (a source build of the package may link another) and Python's minor
    version."""
    import sys
    from importlib import metadata

    from lxml import etree
    from zlib_ng import zlib_ng

    parts = [f"python={sys.version_info[0]}.{sys.version_info[1]}",
             f"libz-ng={zlib_ng.ZLIBNG_RUNTIME_VERSION}",
             f"libxml2={'.'.join(map(str, etree.LIBXML_VERSION))}"]
    for name in OUTPUT_DEPENDENCIES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=?")
    return ";".join(parts)


@lru_cache(maxsize=1)
def packager_fingerprint() -> str:
    """Version plus a hash of packager's own files: a changed writer or player rebuilds; so
    does an upgraded library that renders or compresses the output (_toolchain)."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    digest.update(_toolchain().encode() + b"\0")
    suffixes = {".py", ".js", ".css", ".html", ".xsd", ".json"}
    files = (p for p in root.rglob("*") if p.suffix in suffixes and p.is_file())
    # Named and ordered alike on every system: the input hashes the state keeps are.
    for path in sorted(files, key=posix_order):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def bank_hash(loaded: LoadedBank) -> str:
    """The bank file and every media file it uses (read once per bank, not per target)."""
    digest = hashlib.sha256(loaded.source.fingerprint()[0].encode())
    for media in loaded.media:
        data = media.path.read_bytes()
        # Each part with its length: unframed, an image's tail could pass for the next href
        # (b.png = P2 + b"media/b.png\0" + P3 hashed as a.png = P1 + b"media/b.png\0" + P2 did).
        digest.update(len(media.href.encode()).to_bytes(8, "big") + media.href.encode())
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def input_hash(loaded: LoadedBank, target: str, ctx: BuildContext, bank: str = "") -> str:
    """What decides whether (bank, target) must be rebuilt; `bank` is bank_hash(loaded)."""
    digest = hashlib.sha256()
    for part in (
        packager_fingerprint(),
        target,
        f"strict={ctx.strict};skip={ctx.skip_unsupported};epoch={ctx.epoch}",
        f"xsd={xsd_state(ctx.xsd_dir) if ctx.xsd_dir and ctx.validate_output else False}",
        bank or bank_hash(loaded),
    ):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=4)
def xsd_state(xsd_dir: Path) -> str:
    """What the packages were validated against: "pinned" for a folder whose every pinned
    file matches packager's pins, else a digest of what differs (a package validated against
    edited or missing XSDs is not validated against these). Cached for one build's pairs;
    plan() clears it."""
    from packager.xsd_store import verify

    found = verify(xsd_dir)
    if found.ok:
        return "pinned"
    return hashlib.sha256(repr((found.missing, found.mismatched)).encode()).hexdigest()


def expand_banks(patterns: list[str], base: Path, out: Path | None = None) -> list[Path]:
    """Bank files matching the globs (relative to the working folder when under it, to be
    read; load_all names them relative to `base`). A pattern of several that matches no file
    is an error: a Mac or Windows finds `Extra/*.json` in `extra/`, Linux (CI) does not, and
    the release went out without those banks. Hidden files are left out, as a folder's walk
    leaves them (pipeline), unless the pattern spells the hidden name: a Mac writes `._a.json`
    (AppleDouble) beside `a.json` on a network share or a USB drive, which failed the build.
    So are the files of the output folder `out` and the reports packager writes beside
    packages: with `out = "content/dist"`, every build after the first read its own records
    as banks and failed."""
    from packager.errors import UsageError
    from packager.pipeline import packager_report

    written = out.resolve() if out is not None else None
    if written is not None and base.resolve().is_relative_to(written):
        # `out = "."`: the banks' own folder (or one above it). Its packages are no JSON and
        # its reports are left out below; leaving out all it holds left out every bank.
        written = None

    found: list[Path] = []
    cwd = Path.cwd()
    for pattern in patterns:
        problem = _pattern_problem(pattern)
        if problem is not None:
            raise UsageError(
                f"banks pattern {pattern!r} {problem}",
                hints=["write it relative to the config file's folder, with '/' between "
                       "folders (every system reads it so): content/*.json"])
        spelt = set(pattern.split("/"))

        def bank(path: Path, spelt: set[str] = spelt) -> bool:
            hidden = any(part.startswith(".") and part not in spelt
                         for part in path.relative_to(base).parts)
            return (path.is_file() and not hidden and not packager_report(path.name)
                    and (written is None or not path.resolve().is_relative_to(written)))

        matched = sorted(filter(bank, base.glob(pattern)), key=posix_order)
        if not matched and len(patterns) > 1:
            raise UsageError(
                f"banks pattern {pattern!r} matches no bank file under {base}",
                hints=["names are case-sensitive on Linux, where CI builds: write folders and "
                       "files as they are spelt; remove the pattern if it is not needed"])
        for path in matched:
            found.append(Path(os.path.relpath(path, cwd)) if path.is_relative_to(cwd) else path)
    return list(dict.fromkeys(found))


def _pattern_problem(pattern: str) -> str | None:
    """Why a `banks` pattern would mean another thing on another system, or None (an
    absolute one was a traceback from pathlib)."""
    if not pattern.strip() or str(PurePosixPath(pattern)) == ".":  # `./` too: pathlib's tracebacks
        return "names no file"
    if PurePosixPath(pattern).is_absolute() or PureWindowsPath(pattern).anchor:
        return "is absolute (patterns are relative to the config file's folder)"
    if "\\" in pattern:
        return "has '\\' between folders: Linux and macOS read it as part of a name"
    return None


def load_all(paths: list[Path], base: Path) -> list[LoadedBank]:
    """Load every bank; one InputError with the diagnostics of all invalid banks. Each is
    named by its path from `base` (the config's folder, where the globs start), so messages,
    build-report.json and the state a build keeps are the same from any working folder and
    wherever the checkout lives."""
    loaded: list[LoadedBank] = []
    diagnostics: list[Diagnostic] = []
    bad: list[str] = []
    root = base.resolve()
    for path in paths:
        source, full = Source.from_path(path), path.resolve()
        if full.is_relative_to(root):
            source = dataclasses.replace(source, name=full.relative_to(root).as_posix())
        else:  # a bank beside the config's folder (banks = ["../content/*.json"]): from
            # `base` too, not from the working folder (which keyed the state: a build run
            # from elsewhere rebuilt every package, and its report named the banks otherwise)
            try:  # the path as globbed (a symlink keeps its own name), not resolved
                source = dataclasses.replace(source, name=Path(
                    os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix())
            except ValueError:  # another drive (Windows): no relative path
                source = dataclasses.replace(source, name=full.as_posix())
        try:
            item = load_source(source)
            loaded.append(dataclasses.replace(item, source=item.source.without_data()))
        except InputError as exc:
            diagnostics.extend(exc.diagnostics)
            bad.append(source.name)
    if bad:
        raise InputError(
            f"{len(bad)} invalid bank{'s' if len(bad) != 1 else ''} ({', '.join(bad)}); "
            "nothing was built",
            diagnostics=diagnostics,
        )
    ids: dict[str, str] = {}
    for item in loaded:
        other = ids.setdefault(item.bank.id, item.source.name)
        if other != item.source.name:
            raise InputError(
                f"banks {other} and {item.source.name} have the same id '{item.bank.id}'",
                hints=["output names derive from the bank id; give each bank its own"],
            )
    return loaded


def _sha256_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _usable(entry: object) -> dict[str, Any] | None:
    """A state entry that can vouch for a package: a name in the folder, the hashes as
    strings. A damaged one (a null sha256 matched the None of a missing file: the package
    counted as unchanged; a missing name was a KeyError) is no entry."""
    if not isinstance(entry, dict):
        return None
    name = entry.get("name")
    if not (isinstance(name, str) and name and "/" not in name and "\\" not in name
            and name not in (".", "..")):
        return None
    if not all(isinstance(entry.get(k), str) for k in ("sha256", "input_hash")):
        return None
    if not isinstance(entry.get("size"), int) or not _summary(entry.get("report")):
        return None
    return entry


def _summary(report: object) -> bool:
    """Whether a state entry's report is the summary a build wrote (fidelity_summary): the
    build report copies its fields, which a damaged one filled with nulls."""
    if not isinstance(report, dict):
        return False
    lists = ("questions_skipped", "fidelity", "xsd_validated")
    return (isinstance(report.get("questions_exported"), int)
            and all(isinstance(report.get(key), list) for key in lists))


@dataclass
class BuildPlan:
    loaded: list[LoadedBank]
    targets: list[str]
    todo: list[tuple[LoadedBank, str, str]]  # bank, target, input hash
    cached: list[JobResult]
    out: Path


def plan(
    loaded: list[LoadedBank], targets: list[str], ctx: BuildContext, out: Path, force: bool
) -> BuildPlan:
    xsd_state.cache_clear()  # read again by each build: an API caller may edit them between
    # Forced, nothing is taken from the state: not read (its JSON holds every artefact's
    # fidelity notes, 15 MB for the 10,000-question bench bank).
    state = {} if force else read_state(out).get("entries", {})
    if not isinstance(state, dict):  # a hand-edited or damaged state: as if none
        state = {}
    todo: list[tuple[LoadedBank, str, str]] = []
    cached: list[JobResult] = []
    for item in loaded:
        bank = bank_hash(item)
        for target in targets:
            digest = input_hash(item, target, ctx, bank)
            key = f"{item.source.name}::{target}"
            entry = _usable(state.get(key))
            if (
                not force
                and entry
                and entry["input_hash"] == digest
                and _sha256_file(out / entry["name"]) == entry["sha256"]
            ):
                cached.append(
                    JobResult(
                        item.source.name,
                        item.bank.id,
                        target,
                        "cached",
                        name=entry["name"],
                        sha256=entry["sha256"],
                        size=entry.get("size", 0),
                        report=entry.get("report", {}),
                        input_hash=digest,
                    )
                )
            else:
                todo.append((item, target, digest))
    return BuildPlan(loaded, targets, todo, cached, out)


