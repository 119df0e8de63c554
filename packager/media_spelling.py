"""A media reference must spell the file's name as the folder holds it, on every system.

Windows and macOS find `media/photo.png` by `media/Photo.PNG` (their file systems ignore
letter case), and macOS finds `café.png` whatever the encoding of its accent (é as one
character, or e and a combining accent: the two print alike). Linux, and the LMS servers
packages end up on, find neither. Asking the file system whether a reference names a file
gave a bank that validated on one system and failed on another; and a bank using two spellings
of one file gave packages holding it twice, under names that clash when unpacked on Windows.

So a reference is compared, segment by segment, with the names the folders list: letter case
must match on every system, and a name that differs only so is named in the hint. The encoding
of accents is let pass where the system found the file (an HFS+ disk stores every name
decomposed, whatever was typed); where it did not, the hint names the file it meant.

A package being imported is read the other way round (`EntryNames`): its author's system
found its files by any such spelling, and it is no bank yet, so a reference spelt otherwise
than its entry takes the entry, with a note.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from packager.relpath import same_file_key

# The most spellings of one reference named in a hint (a Linux folder may hold
# `photo.png`, `Photo.png` and `PHOTO.png`).
_MAX_NAMED = 3


class FolderNames:
    """The names in the folders that media references lead through, each folder listed once
    per check run: a bank refers to thousands of images, mostly in one folder."""

    def __init__(self) -> None:
        self._listed: dict[Path, dict[str, list[str]] | None] = {}

    def spellings(self, base_dir: Path, parts: Sequence[str]) -> list[str] | None:
        """The paths under `base_dir` (relative, `/` between segments, sorted) whose segments
        equal `parts` but for letter case and the encoding of accents; None when a folder on
        the way cannot be listed (its names cannot be compared)."""
        found = [""]
        for part in parts:
            key = same_file_key(part)
            longer: list[str] = []
            for path in found:
                names = self._by_key(base_dir / path if path else base_dir)
                if names is None:
                    return None
                longer.extend(f"{path}/{name}" if path else name for name in names.get(key, ()))
            found = longer
        return sorted(found)

    def _by_key(self, folder: Path) -> dict[str, list[str]] | None:
        if folder not in self._listed:
            self._listed[folder] = _names_by_key(folder)
        return self._listed[folder]


def _names_by_key(folder: Path) -> dict[str, list[str]] | None:
    """same_file_key → the names in `folder` that have it; empty when there is no such folder,
    None when it cannot be listed (searchable but not readable, say)."""
    if not folder.is_dir():
        return {}
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    by_key: dict[str, list[str]] = {}
    for name in names:
        by_key.setdefault(same_file_key(name), []).append(name)
    return by_key


def spelling_problem(
    href: str, parts: Sequence[str], base_dir: Path, is_file: bool, folders: FolderNames
) -> tuple[str, str] | None:
    """Why the reference `href` (its segments `parts`) does not spell the name of a file in
    `base_dir` as the folders list it (message, hint), or None when it does, or when there is
    no file by any spelling (`is_file`: whether the file system found one by this one)."""
    spellings = folders.spellings(base_dir, parts)
    written = "/".join(parts)
    if spellings is None or written in spellings:
        return None
    if is_file and _nfc(written) in map(_nfc, spellings):
        # Only the encoding of accents differs, and this system found the file: a Mac disk
        # of the older kind (HFS+) stores every name decomposed, so its user could not write
        # the name otherwise; packages name the file as the reference does.
        return None
    files = [path for path in spellings if (base_dir / path).is_file()]
    if files:
        return _misspelt(href, written, files[:_MAX_NAMED])
    if is_file:  # found, but by no name its folder lists: a Windows short name (PHOTO~1.PNG)
        return (
            f"media path {href!r} is not the name the file has on disk",
            "write the name exactly as the folder shows it: Linux and LMS servers find a file "
            "by that name only",
        )
    return None


def _misspelt(href: str, written: str, on_disk: list[str]) -> tuple[str, str]:
    """The problem of a reference that differs from the names on disk only in letter case or
    the encoding of accents: the same whether or not this system found the file by it."""
    actual = on_disk[0]
    accents = written.casefold() != actual.casefold()
    how = _how_differs(written, actual)
    message = (
        f"media path {href!r} differs from the file's name on disk in {how}: Linux and LMS "
        "servers would find no file by it"
    )
    if len(on_disk) > 1:  # only where names differing so can sit side by side (Linux)
        names = " and ".join(repr(path) for path in on_disk)
        return message, (f"the files are named {names} on disk: write the name of the one "
                         "meant exactly as it is")
    if accents and actual != _nfc(actual):
        return message, (f"the file is named {actual!r} on disk, its accents written as separate "
                         "marks (as a Mac, or a zip made on one, may write them): rename the "
                         "file, typing the name the reference has")
    if accents:
        return message, (f"the file is named {actual!r} on disk, and the reference writes its "
                         "accents as separate marks: type the reference anew, exactly as the "
                         "file is named")
    return message, f"the file is named {actual!r} on disk: write the name exactly as it is"


def _how_differs(written: str, actual: str) -> str:
    """How two names with one same_file_key differ: in letter case, in the encoding of
    accents, or both."""
    case = _nfc(written) != _nfc(actual)
    accents = written.casefold() != actual.casefold()
    return " and ".join(
        (["letter case"] if case else [])
        + (["how its accents are encoded (é as one character, or as e and a combining accent: "
            "the two look alike)"] if accents else [])
    )


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


# -- in a package being imported ------------------------------------------------------------


class Spelt(NamedTuple):
    """What a reference names in a package: the entry (None: none, or which cannot be
    told), and what the import report says of it (None: nothing to say): the other spelling
    taken, or why none was."""

    entry: str | None
    note: str | None

    @property
    def why_none(self) -> str:
        """What follows "not in the package" where no entry was taken: `: ` and why (several
        spellings), or nothing."""
        return f": {self.note}" if self.entry is None and self.note is not None else ""


class EntryNames:
    """The entries of a package, looked up by the names its documents give them.

    The author's system found a file whatever the letter case, and (a Mac) whatever the
    encoding of accents, so packages reach an import naming files otherwise than their
    documents do: a Mac's Finder zips `café.png` with its accent decomposed while the
    document says it composed; a Windows tool refers to `chart.png` and stores `Chart.png`.
    A reference that names no entry exactly takes the one entry named so but for letter case
    and the encoding of accents, and says so; of several such entries it takes none, since
    which is meant cannot be told.

    `folder` is the folder the names are read from (a package zipped together with its
    folder): the notes name the entries they take as the zip holds them."""

    def __init__(self, names: Collection[str], folder: str | None = None) -> None:
        self._names = names
        self._stored = "" if folder is None else f"{folder}/"
        # same_file_key → entries, built at the first reference naming no entry exactly: a
        # package of 200,000 entries whose documents spell every name right never pays for it.
        self._by_key: dict[str, list[str]] | None = None

    def find(self, candidates: Iterable[str]) -> Spelt:
        """The first of `candidates` (the names a reference may mean, likeliest first) that
        an entry has. Else the first candidate that entries have but for letter case and the
        encoding of accents: its one entry, with the note that says so; of several, none,
        with the note that says why."""
        candidates = list(candidates)
        for name in candidates:
            if name in self._names:
                return Spelt(name, None)
        for name in candidates:
            found = self._spellings(name)
            if len(found) == 1:
                return Spelt(found[0], f"taken from the package's "
                             f"{self._stored + found[0]!r}, whose name "
                             f"differs in {_how_differs(name, found[0])}")
            if found:
                shown = ", ".join(repr(self._stored + entry) for entry in found[:_MAX_NAMED])
                more = ", …" if len(found) > _MAX_NAMED else ""
                return Spelt(None, f"the package holds no file of that name, but {len(found)} "
                             f"whose names differ from it only in letter case or in how "
                             f"accents are encoded ({shown}{more}): which is meant cannot be "
                             "told")
        return Spelt(None, None)

    def _spellings(self, name: str) -> list[str]:
        if self._by_key is None:
            self._by_key = {}
            for entry in self._names:
                self._by_key.setdefault(same_file_key(entry), []).append(entry)
        return sorted(self._by_key.get(same_file_key(name), ()))
