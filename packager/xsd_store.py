"""The official XSDs in the user's cache: installed from a source, checked against pins.

packager does not ship the official XSDs. `packager xsd install` fetches each file the
manifest (xsd_manifest.json, written by tools/xsd_manifest.py) pins, checks its SHA-256 and
size, and only when every file matched renames the staged folder into place, so a refused
or interrupted install leaves the previous one (or none), never a mix. The installed folder
is laid out like shared/xsd (catalog.xml plus one folder per standard), which is what
packager.xsd reads.

Sources: by default each upstream file comes from the repository and commit it was taken
from (the bytes the hash pins), the files written for the folder (catalog, drivers) from
this package, and the one patched copy is derived from its original; `--from` takes a folder
or zip laid out like shared/xsd, or an http(s) URL under which that layout is served.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePosixPath

from packager.diagnostics import Diagnostic
from packager.errors import InputError, PackagerError, PackagerIOError, UsageError

CACHE_ENV = "PACKAGER_CACHE_DIR"
MANIFEST_FORMAT = "packager.xsd-manifest/1"
MISMATCH = "E-XSD-HASH"
UNREADABLE = "E-XSD-READ"
_DOWNLOADS_AT_ONCE = 8
_TIMEOUT_SECONDS = 60
_STAGING = ".xsd-staging-"
# A staging folder this old belongs to an install that was killed, not one still running.
_ABANDONED_AFTER_SECONDS = 3600
_MAX_ZIP_BYTES = 256 * 1024 * 1024  # the whole shared/xsd folder zips to about 1 MiB


@dataclass(frozen=True)
class PinnedFile:
    path: str
    sha256: str
    size: int
    url: str | None = None
    shipped: bool = False
    derived_from: str | None = None
    # (old, new) byte replacements turning derived_from into this file. Bytes, not a parse:
    # the original binds the reserved XML namespace to a prefix, and libxml2 refuses to
    # parse it at all (that is why the patched copy exists); the hash checks the result.
    replace: tuple[tuple[bytes, bytes], ...] = ()


@dataclass(frozen=True)
class Verification:
    """How a folder compares with the manifest."""

    files: int
    missing: tuple[str, ...]
    mismatched: tuple[tuple[str, str, str], ...]  # path, pinned sha256, found sha256

    @property
    def ok(self) -> bool:
        return not self.missing and not self.mismatched


@dataclass(frozen=True)
class Installed:
    directory: Path
    files: int
    size: int
    source: str


@lru_cache(maxsize=1)
def pinned_files() -> tuple[PinnedFile, ...]:
    raw = json.loads((resources.files("packager") / "xsd_manifest.json").read_text("utf-8"))
    if raw.get("format") != MANIFEST_FORMAT:
        raise PackagerError(f"xsd_manifest.json is not {MANIFEST_FORMAT}")
    return tuple(
        PinnedFile(
            path=e["path"],
            sha256=e["sha256"],
            size=e["bytes"],
            url=e.get("url"),
            shipped=bool(e.get("shipped")),
            derived_from=e.get("derived_from"),
            replace=tuple((old.encode(), new.encode()) for old, new in e.get("replace", ())),
        )
        for e in raw["files"]
    )


def cache_root() -> Path:
    """packager's cache folder: PACKAGER_CACHE_DIR, else the platform's user cache folder."""
    raw = os.environ.get(CACHE_ENV)
    if raw:
        return Path(raw).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_cache_dir("packager", appauthor=False))


def installed_dir() -> Path:
    return cache_root() / "xsd"


def verify(directory: Path) -> Verification:
    """Compare every pinned file in a folder with its pin (other files are ignored)."""
    files = pinned_files()
    missing: list[str] = []
    mismatched: list[tuple[str, str, str]] = []
    for pinned in files:
        try:
            found = _sha256((directory / pinned.path).read_bytes())
        except OSError:
            missing.append(pinned.path)
            continue
        if found != pinned.sha256:
            mismatched.append((pinned.path, pinned.sha256, found))
    return Verification(len(files), tuple(missing), tuple(mismatched))


def install(source: str | None) -> Installed:
    """Fetch, verify and publish every pinned file; raise (installing nothing) on a problem."""
    read, derives, described = _reader(source)
    files = pinned_files()
    direct = [f for f in files if not (derives and f.derived_from)]
    with ThreadPoolExecutor(_DOWNLOADS_AT_ONCE) as pool:
        fetched = pool.map(lambda f: _checked(f, read), direct)
        results = {f.path: result for f, result in zip(direct, fetched, strict=True)}
    for pinned in files:
        if pinned.path not in results:
            original = results.get(pinned.derived_from or "")
            results[pinned.path] = (
                _matching(pinned, _derive(pinned, original))
                if isinstance(original, bytes)
                else Diagnostic(UNREADABLE, f"not derived: {pinned.derived_from} is missing",
                                file=pinned.path)
            )
    contents = {path: r for path, r in results.items() if isinstance(r, bytes)}
    if len(contents) < len(results):
        problems = [r for r in results.values() if isinstance(r, Diagnostic)]
        raise _refusal(problems, described, from_upstream=source is None)
    return _publish(contents, described)


def _reader(source: str | None) -> tuple[Callable[[PinnedFile], bytes], bool, str]:
    """How to read one pinned file from the source; whether patched copies are derived."""
    if source is None:
        return _read_default, True, "the pinned upstream locations"
    if source.startswith(("http://", "https://")):
        base = source if source.endswith("/") else source + "/"
        return (lambda f: _download(base + urllib.parse.quote(f.path), f.size)), False, source
    path = Path(source).expanduser()
    if path.is_dir():
        return (lambda f: _read_file(path / f.path, f.size)), False, str(path)
    if path.is_file():
        return _zip_reader(path), False, str(path)
    raise UsageError(
        f"{source}: no such folder or zip, and not an http(s) URL",
        hints=["give a folder or zip laid out like shared/xsd, or an http(s) URL serving one"],
    )


def _read_default(pinned: PinnedFile) -> bytes:
    if pinned.shipped:
        return (resources.files("packager") / "xsd_local" / pinned.path).read_bytes()
    if pinned.url is None:
        raise PackagerError(f"xsd_manifest.json gives no source for {pinned.path}")
    return _download(pinned.url, pinned.size)


def _zip_reader(path: Path) -> Callable[[PinnedFile], bytes]:
    from packager.readers.safe_zip import Archive

    data = _read_file(path, _MAX_ZIP_BYTES)
    if len(data) > _MAX_ZIP_BYTES:
        raise InputError(f"{path}: larger than {_MAX_ZIP_BYTES:,} bytes; not an XSD set")
    archive = Archive(data, path.name, in_folder=False)
    # The layout may sit at the top of the zip or in one folder (a zipped xsd/ folder).
    catalogs = sorted((n for n in archive if PurePosixPath(n).name == "catalog.xml"), key=len)
    prefix = str(PurePosixPath(catalogs[0]).parent) + "/" if catalogs else ""
    prefix = "" if prefix == "./" else prefix

    def read(pinned: PinnedFile) -> bytes:
        name = prefix + pinned.path
        try:
            return archive[name]
        except KeyError:
            raise FileNotFoundError(f"{path.name} has no entry {name}") from None

    return read


def _read_file(path: Path, limit: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(limit + 1)  # one byte more shows a longer file


def _download(url: str, limit: int) -> bytes:
    from packager import __version__

    request = urllib.request.Request(url, headers={"User-Agent": f"packager/{__version__}"})
    with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as response:
        data: bytes = response.read(limit + 1)  # one byte more shows a longer file
    return data


def _checked(pinned: PinnedFile, read: Callable[[PinnedFile], bytes]) -> bytes | Diagnostic:
    try:
        data = read(pinned)
    except (OSError, urllib.error.URLError, PackagerError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        return Diagnostic(UNREADABLE, f"could not be read: {reason}", file=pinned.path)
    return _matching(pinned, data)


def _matching(pinned: PinnedFile, data: bytes) -> bytes | Diagnostic:
    found = _sha256(data)
    if found == pinned.sha256 and len(data) == pinned.size:
        return data
    return Diagnostic(
        MISMATCH,
        f"does not match its pin: SHA-256 {found} ({len(data):,} bytes read), "
        f"expected {pinned.sha256} ({pinned.size:,} bytes)",
        file=pinned.path,
    )


def _derive(pinned: PinnedFile, original: bytes) -> bytes:
    for old, new in pinned.replace:
        original = original.replace(old, new)
    return original


def _refusal(problems: Iterable[Diagnostic], source: str, from_upstream: bool) -> PackagerError:
    listed = list(problems)
    tampered = any(d.code == MISMATCH for d in listed)
    first = listed[0]
    message = (
        f"{len(listed)} of the pinned XSD files from {source} could not be installed "
        f"(first: {first.file} {first.message}); nothing was installed"
    )
    hints = [
        "an upstream file changed or the download was altered or cut: try again, or install "
        "--from a copy you trust (a folder, zip or mirror laid out like shared/xsd)"
        if from_upstream
        else "--from needs every file of the set this packager pins, unmodified, laid out "
        "like shared/xsd (without --from, packager fetches each from its pinned location)"
    ]
    error_class = InputError if tampered else PackagerIOError
    return error_class(message, hints=hints, diagnostics=listed)


def _publish(contents: dict[str, bytes], source: str) -> Installed:
    from packager.fsutil import file_lock

    # One install at a time: two at once left one with a raw "Directory not empty" between
    # the other's renames.
    with file_lock(installed_dir()):
        return _publish_locked(contents, source)


def _publish_locked(contents: dict[str, bytes], source: str) -> Installed:
    root = cache_root()
    target = installed_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(root)
        stage = Path(tempfile.mkdtemp(prefix=_STAGING, dir=root))
    except OSError as exc:
        raise PackagerIOError(f"cannot write to the cache folder {root}: {exc}") from None
    try:
        for path, data in contents.items():
            destination = stage / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
        _swap_in(stage, target)
    except OSError as exc:
        raise PackagerIOError(f"cannot install the XSDs into {target}: {exc}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return Installed(target, len(contents), sum(map(len, contents.values())), source)


def _remove_abandoned(root: Path) -> None:
    now = time.time()
    for leftover in root.glob(_STAGING + "*"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > _ABANDONED_AFTER_SECONDS:
                shutil.rmtree(leftover)


def _swap_in(stage: Path, target: Path) -> None:
    """Replace target by stage with two renames: a reader finds the old folder, the new one
    or, between the renames, none (and says so); never a mix of the two."""
    old = stage.with_name(stage.name + "-old")
    had_old = target.exists()
    if had_old:
        os.replace(target, old)
    try:
        os.replace(stage, target)
    except BaseException:  # Ctrl-C between the renames left no installed copy at all
        if had_old:
            os.replace(old, target)
        raise
    if had_old:
        shutil.rmtree(old, ignore_errors=True)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
