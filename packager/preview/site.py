"""The preview site: which files it has (built from the banks) and how they reach the disk.

Layout of the output folder:

    index.html                  every bank; invalid ones with their diagnostics
    assets/preview.css, preview.js, quiz.js (the SCORM player's scoring, for "try it")
    <bank-id>-<version>/index.html      the bank's page
    <bank-id>-<version>/quiz-data.js    the SCORM player's data of the bank
    <bank-id>-<version>/media/…         its images, named as in the SCORM package

Nothing refers to anything outside the folder, so it works from disk, a USB stick or any
static web server. The same banks give the same bytes: no dates, no absolute paths.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packager.diagnostics import Diagnostic
from packager.errors import InputError, PackagerIOError
from packager.formats import TARGETS
from packager.fsutil import output_folder, remove_stale_stagings, write_all
from packager.model import Bank
from packager.packages.player import asset_bytes, package_media_paths, quiz_data_pieces
from packager.pipeline import fidelity_notes, find_banks, load
from packager.preview.bank_page import DATA_SCRIPT, bank_page
from packager.preview.index_page import IndexEntry, index_page
from packager.relpath import placed_under, relpath_problem, same_file_key

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
OWN_ASSETS = ("preview.css", "preview.js")
# What the last run wrote, a line a file: its SHA-256, its size and its name. A file still
# as written is replaced or, once no bank makes it any more, removed; any other file in the
# folder is never touched, whatever the manifest names (it lies in the folder, where anyone
# who gave the folder could have put one).
MANIFEST = ".packager-preview"
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Site:
    files: dict[str, bytes]  # relative POSIX path in the output folder -> bytes
    read: tuple[Path, ...]  # every bank and media file read: what --watch polls
    banks: int  # valid banks (each has a page)
    invalid: dict[str, Sequence[Diagnostic]]  # bank file that failed validation -> why


def build_site(paths: list[Path]) -> Site:
    """Read every bank under `paths` (as `validate` finds them) and build the site's files.
    An invalid bank is listed on the index with its diagnostics; an unreadable file raises
    PackagerIOError like every command."""
    # The pages' trees are millions of short-lived objects: the collector's scans of them
    # found nothing to free (as in pipeline.export).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(find_banks(paths))
    finally:
        if enabled:
            gc.enable()


def _build(sources: list[Path]) -> Site:
    files: dict[str, bytes] = {}
    read: list[Path] = list(sources)
    entries: list[IndexEntry] = []
    folders: set[str] = set()
    for path in sources:
        try:
            loaded = load(path)
        except InputError as error:
            # Named as its diagnostics name it (`/` between folders everywhere): the same
            # banks give the same site on every system.
            entries.append(IndexEntry(path.as_posix(), None, None, error.diagnostics))
            continue
        bank = loaded.bank
        folder = _folder(bank, folders)
        media_paths = package_media_paths(loaded.media)
        notes = {name: fidelity_notes(loaded, name) for name in TARGETS}
        warnings = [d for d in loaded.diagnostics if not d.is_error]
        files[f"{folder}/index.html"] = bank_page(bank, warnings, notes, media_paths)
        data = quiz_data_pieces(bank, None, media_paths)  # None: no LMS
        files[f"{folder}/{DATA_SCRIPT}"] = b"".join(data)
        for media in loaded.media:
            files[f"{folder}/{media_paths[media.href]}"] = _read(media.path)
            read.append(media.path)
        entries.append(IndexEntry(path.as_posix(), bank, folder, warnings))
    files["index.html"] = index_page(entries)
    for name in OWN_ASSETS:
        files[f"assets/{name}"] = (ASSETS_DIR / name).read_bytes()
    files["assets/quiz.js"] = asset_bytes("quiz.js")
    invalid = {e.source: e.diagnostics for e in entries if e.bank is None}
    return Site(files, tuple(read), len(entries) - len(invalid), invalid)


def _folder(bank: Bank, taken: set[str]) -> str:
    """`<id>-<version>` as a portable folder name, unique among this site's banks."""
    base = _UNSAFE_IN_NAME.sub("-", f"{bank.id}-{bank.version}").rstrip(".") or "bank"
    name, n = base, 1
    # Compared as Windows and macOS compare names: `t-1.0.0-RC1` and `t-1.0.0-rc1` are one
    # folder there, and the second bank's pages replaced the first's.
    while same_file_key(name) in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(same_file_key(name))
    return name


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PackagerIOError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def write_site(out: Path, files: Mapping[str, bytes]) -> None:
    """Write the site into `out`: every file or none (staged, then renamed), under the
    folder's lock. Files an earlier preview wrote and this one does not are removed; a file
    that is not as a preview wrote it (the user's own, or one edited since) is never
    overwritten or removed."""
    with output_folder(out):
        root = out.resolve()
        previous = _previous_names(out)
        for name in sorted(files):
            target = _inside(root, name)
            if name not in previous and target.exists():
                raise PackagerIOError(
                    f"{out / name}: exists and is not as packager preview wrote it; "
                    "nothing was written",
                    hints=["give an empty or new folder with --out, or move the file away"],
                )
        manifest = "".join(
            f"{hashlib.sha256(files[name]).hexdigest()} {len(files[name])} {name}\n"
            for name in sorted(files)
        ).encode()
        targets = [(_inside(root, name), files[name]) for name in sorted(files)]
        # What a killed preview left in the site's folders (the lock's cleanup looks only at
        # the top one).
        remove_stale_stagings([target for target, _ in targets])
        # Renamed first, a manifest naming the old files and the new ones while they are
        # renamed: a run stopped halfway (Ctrl-C ends --watch) made the folder refuse every
        # later preview. The new one alone is renamed last.
        old = (out / MANIFEST).read_bytes() if (out / MANIFEST).is_file() else b""
        write_all([(out / MANIFEST, old + manifest), *targets, (out / MANIFEST, manifest)])
        for name in sorted(previous - files.keys()):
            stale = _inside(root, name)
            stale.unlink(missing_ok=True)
            for folder in stale.relative_to(root).parents[:-1]:  # a bank's folder, emptied
                with contextlib.suppress(OSError):  # not empty: something else lives there
                    (root / folder).rmdir()


def _previous_names(out: Path) -> set[str]:
    """The files the manifest names that are still as it says a preview wrote them."""
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return set()
    except (OSError, UnicodeDecodeError) as exc:
        raise PackagerIOError(f"{out / MANIFEST}: cannot read: {exc}") from exc
    root = out.resolve()
    found: set[str] = set()
    for line in text.splitlines():
        digest, size, name = [*line.split(" ", 2), "", ""][:3]
        # A line not as written (an edited or planted manifest) is ignored, never followed;
        # a size of 15 digits at most, as int() refuses 4,300 or more.
        sized = size.isascii() and size.isdigit() and len(size) <= 15
        if not sized or relpath_problem(name) is not None:
            continue
        target, problem = placed_under(root, name)
        if problem is None and _written_as(target, digest, int(size)):
            found.add(name)
    return found


def _written_as(path: Path, digest: str, size: int) -> bool:
    try:
        if not path.is_file() or path.stat().st_size != size:
            return False
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest() == digest
    except OSError:
        return False


def _inside(root: Path, name: str) -> Path:
    """The path of a site file, refused unless it stays inside the output folder (a clean
    relative name, and no symbolic link on the way that leads elsewhere)."""
    target, problem = placed_under(root, name)
    if problem is not None:
        raise PackagerIOError(f"{root}: refusing to write {name!r}: the name {problem}")
    return target
