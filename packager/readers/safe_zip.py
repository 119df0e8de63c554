"""Zip packages from strangers: every entry checked before anything is read or written.

Names must be clean relative paths (no `..`, absolute paths, drive letters), no entry may
be a symbolic link, and the archive is bounded in entry count, in total
uncompressed size and in compression ratio (zip bombs); sizes are checked as declared and
again as read, since a header can lie. A truncated or corrupt zip is an InputError.

A backslash in a name is a folder separator, as unzip and Windows' own extractor take it:
zips made by older Windows tools (PowerShell 5's Compress-Archive among them) write
`items\\q1.xml`, and the manifest inside says `items/q1.xml`. The name is checked as it is
then read (`..\\evil` is `../evil`, refused).
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.media_spelling import EntryNames, Spelt
from packager.relpath import escape_problem, same_file_key

CODE = "E-ZIP"
MANIFEST = "imsmanifest.xml"
# Entries: a QTI 2.x or 3.0 package holds a file per question (and its media): packager
# itself writes 10,002 for a 10,000-question bank, and banks run to about 90,000 questions.
MAX_ENTRIES = 200_000
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024


def is_zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06")


def _refuse(name: str, message: str, hint: str | None = None) -> InputError:
    return InputError(
        f"{name}: {message}", diagnostics=[Diagnostic(CODE, message, file=name, hint=hint)]
    )


# Files an OS adds where it zips or browses a folder: Finder's settings, Windows' thumbnail
# cache and folder settings.
_OS_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


def is_os_litter(entry: str) -> bool:
    """Whether a zip entry is what an OS adds, never a file of the package: macOS's
    AppleDouble files (`._q1.xml`: a file's resource fork and extended attributes, binary
    whatever the name), which its Compress puts under `__MACOSX/`, and `_OS_FILES`."""
    name = entry.rpartition("/")[2]
    return entry.partition("/")[0] == "__MACOSX" or name in _OS_FILES or name.startswith("._")


def _under_os_litter(entry: str) -> bool:
    """Whether a folder of `entry` is what an OS adds (`__MACOSX/`, `.DS_Store/`)."""
    folders = entry.split("/")[:-1]
    return any(is_os_litter(folder) for folder in folders)


def _package_folder(entries: Iterable[str]) -> str | None:
    """The folder a package was zipped together with (`quiz/imsmanifest.xml`, the rest under
    `quiz/`, nothing beside it but what an OS adds), or None. That litter is never the
    folder: `__MACOSX/imsmanifest.xml` is no package's manifest."""
    names = list(entries)
    folders = {e.partition("/")[0] for e in names
               if e.count("/") == 1 and e.endswith(f"/{MANIFEST}") and not _under_os_litter(e)}
    if len(folders) != 1:
        return None
    [folder] = folders
    prefix = f"{folder}/"
    if all(e.startswith(prefix) or is_os_litter(e) for e in names):
        return folder
    return None


class Archive(Mapping[str, bytes]):
    """The file entries of a checked zip, read on access (each at most once).

    A package zipped together with its folder is read as if that folder were the zip's root
    (`folder` names it), as Moodle takes the folder of the manifest it finds for the
    package's: every entry is checked first, as named in the zip. `in_folder=False` keeps
    the zip's own root (a package checked for LMSes that look at the root only)."""

    def __init__(self, data: bytes, name: str, *, in_folder: bool = True) -> None:
        self.name = name
        self.folder: str | None = None
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            # NotImplementedError: a zip of a later version than zipfile reads (a fuzz run)
            raise _refuse(name, f"not a readable zip archive ({exc})",
                          "the file is truncated or damaged: download or export it again"
                          ) from None
        if len(infos) > MAX_ENTRIES:
            raise _refuse(name, f"holds {len(infos):,} entries, more than {MAX_ENTRIES:,}")
        self._infos: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            entry = info.filename.replace("\\", "/")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise _refuse(name, f"the entry {entry!r} is a symbolic link")
            if info.is_dir():
                continue
            # Read into memory, never extracted by name: only a name that could lead out of
            # a folder is refused; one Windows cannot store (`week:1.png`) is renamed where an
            # import writes it (import_media._own_names).
            problem = escape_problem(entry)
            if problem is not None:
                raise _refuse(name, f"the entry name {entry!r} {problem}",
                              "a package whose names leave its folder is refused unread")
            if entry in self._infos:
                raise _refuse(name, f"the entry {entry!r} appears twice")
            if info.flag_bits & 0x1:
                raise _refuse(name, f"the entry {entry!r} is encrypted")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise _refuse(name, f"unpacks to more than {MAX_TOTAL_BYTES:,} bytes")
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise _refuse(name, f"the entry {entry!r} is compressed more than "
                              f"{MAX_RATIO}:1, like a zip bomb")
            self._infos[entry] = info
        if in_folder and MANIFEST not in self._infos:
            self.folder = _package_folder(self._infos)
            if self.folder is not None:
                self._infos = self._in_folder(self.folder)
        self._names = EntryNames(self._infos, self.folder)

    def _in_folder(self, folder: str) -> dict[str, zipfile.ZipInfo]:
        """The entries under `folder`, named from it; each name is checked again as it now
        reads (`quiz/C:/x` is `C:/x`, a drive, refused as at the zip's root)."""
        cut = len(folder) + 1
        infos: dict[str, zipfile.ZipInfo] = {}
        for entry, info in self._infos.items():
            if not entry.startswith(f"{folder}/"):
                continue
            problem = escape_problem(entry[cut:])
            if problem is not None:
                raise _refuse(self.name, f"the entry name {entry!r} {problem} in the folder "
                              f"{folder!r}, read as the package's root",
                              "a package whose names leave its folder is refused unread")
            infos[entry[cut:]] = info
        return infos

    def find(self, candidates: Iterable[str]) -> Spelt:
        """The entry a reference means, of the names it may mean (`candidates`, likeliest
        first): named exactly, else spelt otherwise only in letter case or in the encoding
        of accents (media_spelling.EntryNames), with the note the import report gives."""
        return self._names.find(candidates)

    def __contains__(self, entry: object) -> bool:
        # By name: Mapping's own test reads (and decompresses) the entry, up to 1 GB each time.
        return entry in self._infos

    def __getitem__(self, entry: str) -> bytes:
        info = self._infos[entry]
        stored = info.filename.replace("\\", "/")  # as the zip holds it, folder and all
        try:
            with self._zip.open(info) as stream:
                data = stream.read(info.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
                NotImplementedError) as exc:  # zlib.error: a damaged deflate stream
            raise _refuse(self.name, f"the entry {stored!r} cannot be read ({exc})",
                          "the file is truncated or damaged: download or export it again"
                          ) from None
        if len(data) > info.file_size:
            raise _refuse(self.name, f"the entry {stored!r} is larger than its header says")
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)


def misnamed_manifest(archive: Archive, code: str) -> InputError | None:
    """The refusal of a package whose manifest is named otherwise than `imsmanifest.xml` but
    for letter case (`IMSMANIFEST.XML`), or None. Moodle and Canvas look for the manifest by
    that name exactly and do not import such a package, so no reader takes it either: the
    message names the entry where "no imsmanifest.xml" would hide it, at the zip's root or,
    if none is there, in a folder (`quiz/IMSMANIFEST.XML`). Likewise a manifest in
    a folder the Archive could not take for the package's root (other files beside it, two
    packages, a folder in a folder): the message names the folder."""
    if MANIFEST in archive:
        return None
    nested = sorted((e for e in archive
                     if e.rpartition("/")[2] == MANIFEST and not _under_os_litter(e)),
                    key=lambda e: (e.count("/"), e))
    if nested:
        folder = nested[0].rpartition("/")[0]
        message = f"the package's {MANIFEST} is in the folder {folder!r}, not at the zip's root"
        return InputError(f"{archive.name}: {message}", diagnostics=[Diagnostic(
            code, message, file=f"{archive.name}!{nested[0]}",
            hint=f"zip the contents of {folder!r} (with {MANIFEST} at the zip's root), "
                 "then import it again")])
    spelt = archive.find([MANIFEST])
    entry = spelt.entry
    if entry is None and spelt.note is None:
        # None at the root, even misnamed: one in a folder zipped with the package
        # (`quiz/IMSMANIFEST.XML`), which the folder rule looks for by its right name only.
        key = same_file_key(MANIFEST)
        entry = min((e for e in archive if same_file_key(e.rpartition("/")[2]) == key
                     and not _under_os_litter(e)),
                    key=lambda e: (e.count("/"), e), default=None)
    if entry is None:
        return None
    folder = entry.rpartition("/")[0]
    message = (f"the package's manifest is named {entry!r}: LMSes read it only as "
               f"{MANIFEST!r}, in lower case")
    return InputError(f"{archive.name}: {message}", diagnostics=[Diagnostic(
        code, message, file=f"{archive.name}!{entry}",
        hint=f"rename {entry!r} to {f'{folder}/' if folder else ''}{MANIFEST} in the zip, "
             "then import it again")])
