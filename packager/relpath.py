"""Clean relative POSIX paths: the only names a media reference or a package entry may have.

Zip extractors differ: some treat ``\\`` as a separator, some honour drive letters or absolute
names, some follow ``..``. A name that is not a plain relative POSIX path could land outside
the folder it is extracted to, so the bank check refuses it in a media reference and the zip
writer refuses it as an entry name (archive.py), whichever way it got there.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path, PurePath, PurePosixPath

# Separators and drive markers of other systems, characters Windows cannot store in a name,
# and control characters: none has a place in a portable relative path.
_FORBIDDEN = re.compile(r'[\\:*?"<>|\x00-\x1f\x7f]')
# The longest name of one file or folder Windows, macOS and Linux all store (ext4 and APFS
# count UTF-8 bytes, NTFS UTF-16 units: 255 bytes fit all three).
MAX_SEGMENT_BYTES = 255
# Names Windows gives to devices, whatever extension follows (writing `con.png` writes to the
# console and leaves no file): the rule of Python's ntpath.isreserved, not in 3.11's library.
_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in "123456789\u00b9\u00b2\u00b3"}
)


def relpath_problem(name: str, *, devices: bool = True) -> str | None:
    """Why `name` is not a clean relative POSIX path (a phrase), or None when it is.
    `devices=False` lets Windows' device names pass, where a name is only read, never made a
    file's (a zip entry read into memory)."""
    if not name:
        return "is empty"
    if name.startswith("/"):
        return "is absolute"
    bad = _FORBIDDEN.search(name)
    if bad is not None:
        char = bad.group()
        shown = f"'{char}'" if char.isprintable() else f"U+{ord(char):04X}"
        return f"contains {shown}, which is not portable in a file name"
    for part in name.split("/"):
        if part in ("", ".", ".."):
            return f"has the segment {part!r}" if part else "has an empty segment"
        if part != part.rstrip(" ."):
            return f"has the segment {part!r}, which ends in a dot or a space"
        if devices and is_device_name(part):
            return f"has the segment {part!r}, a name Windows keeps for a device"
        if len(part.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES:
            return (f"has a segment of more than {MAX_SEGMENT_BYTES} bytes "
                    f"({part[:24]!r}…), longer than file systems store")
    return None


# What may take a name read from a zip somewhere else when it is used as a path: separators
# of other systems, control characters. `:` only as a drive (`C:`), at the start.
_ESCAPING = re.compile(r'[\\\x00-\x1f\x7f]')


def escape_problem(name: str) -> str | None:
    """Why `name`, joined to a folder, could lead out of it or not be one name (a phrase), or
    None: the test of a name that is read, never written as it is (a zip entry read into
    memory). Characters Windows cannot store (`week:1.png`, `what?.png`, `a:b.png`) pass: a
    name that is to be written is made portable first (`portable_name`). A drive is refused
    only as a folder (`C:`, `C:/evil`): `a:b.png`, which a Linux or macOS zip stores at its
    root, is one name with a colon in it, written `a-b.png` wherever an import writes it."""
    if not name:
        return "is empty"
    if name.startswith("/"):
        return "is absolute"
    if has_drive(name) and name[2:3] in ("", "/"):
        return f"starts with {name[:2]!r}, a Windows drive"
    bad = _ESCAPING.search(name)
    if bad is not None:
        char = bad.group()
        return f"contains {char!r}" if char.isprintable() else f"contains U+{ord(char):04X}"
    for part in name.split("/"):
        if part in ("", ".", ".."):
            return f"has the segment {part!r}" if part else "has an empty segment"
    return None


def windows_characters(segment: str) -> str:
    """`segment` with each character Windows cannot store in a name written `-`."""
    return _FORBIDDEN.sub("-", segment)


def portable_name(name: str) -> str:
    """`name` (a clean relative path by `escape_problem`) with every segment one Windows,
    macOS and Linux can all write: characters Windows refuses become `-`, a trailing dot or
    space goes, a device name gets `_` before it, a segment too long is cut before its
    extension. A name `relpath_problem` passes is returned unchanged."""
    parts = []
    for part in name.split("/"):
        part = device_safe(windows_characters(part).rstrip(" .") or "file")
        if len(part.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES:
            stem, dot, ext = part.rpartition(".")
            if not (dot and stem and len(ext) < 16):
                stem, dot, ext = part, "", ""
            # One byte spare for device_safe's `_`.
            room = MAX_SEGMENT_BYTES - 1 - len(f"{dot}{ext}".encode("utf-8", "surrogatepass"))
            # Cut as bytes, once (a character at a time re-encoded the name each time); a
            # character the cut split in two is left out.
            cut = stem.encode("utf-8", "surrogatepass")[:room].decode("utf-8", "ignore")
            part = device_safe(f"{cut.rstrip(' .') or 'file'}{dot}{ext}")
        parts.append(part)
    return "/".join(parts)


# Windows without long paths enabled answers "no such file" for a path of MAX_PATH (260)
# characters or more: a file the author can see was said not to exist, and a write into a
# deep synced folder failed with "No such file or directory" (portability review 32).
ON_WINDOWS = os.name == "nt"
WINDOWS_MAX_PATH = 260


def windows_path_limit(path: Path) -> str | None:
    """The hint for a file Windows may not reach for its path's length, or None."""
    length = len(str(path.absolute()))
    if not ON_WINDOWS or length < WINDOWS_MAX_PATH:
        return None
    return (f"Windows may not reach a file whose path is {length} characters long (more than "
            f"{WINDOWS_MAX_PATH - 1}) unless long paths are enabled: use a shorter folder, or "
            "enable them (Microsoft: 'Maximum Path Length Limitation')")


def has_drive(name: str) -> bool:
    """Whether a name starts with a Windows drive (`C:`): a letter and a colon, so that
    `1: notes.txt` is a name with a colon, not a drive."""
    return name[:1].isascii() and name[:1].isalpha() and name[1:2] == ":"


def is_device_name(segment: str) -> bool:
    """Whether Windows takes a file or folder of this name for a device (`con.png`, `LPT1`)."""
    return segment.partition(".")[0].rstrip(" ").upper() in _DEVICES


def device_safe(segment: str) -> str:
    """`segment` as a file or folder name Windows can write: `_` put before a device name
    (`con.png` → `_con.png`), anything else unchanged. For names packager makes itself (from
    an id, or a media name folded to ASCII), which are valid although a device's name: refusing
    them would refuse a valid bank. A slug never starts with `_`, so an id's name cannot meet
    another id's."""
    return f"_{segment}" if is_device_name(segment) else segment


def id_file_name(ident: str, suffix: str) -> str:
    """The name of the file a package holds for a bank, question or stimulus id (`.xml`
    after it): the one way from an id to a file name, so that no writer makes `aux.xml`,
    which Windows would write to a device. Identifiers inside the XML stay the ids."""
    return device_safe(f"{ident}{suffix}")


def posix_order(path: PurePath) -> PurePosixPath:
    """The key that sorts paths alike on every system: as POSIX paths, folder by folder, by
    code point, as Linux sorts them. Windows' own order ignores letter case (`Zeta.json`
    comes after `alpha.json` there, before it here): a report's banks came in another order."""
    return PurePosixPath(path.as_posix())


def same_file_key(name: str) -> str:
    """What Windows and macOS compare of a name: letter case does not count on either, nor
    (on macOS) how an accent is encoded. Two names with one key are one file there. Case is
    compared letter by letter (NTFS's upcase table, APFS), not by str.casefold's full
    folding, which made `Maße.png` and `Masse.png`, two files everywhere, one name (review
    32, F4): a character whose capital is more than one letter (`ß`, `ﬁ`) stays as it is."""
    return "".join(upper if len(upper := c.upper()) == 1 else c
                   for c in unicodedata.normalize("NFC", name))


def placed_under(root: Path, name: str) -> tuple[Path, str | None]:
    """Where `name` goes under the folder `root`, and why writing there would not stay in it
    (a phrase: an unclean name, or a symbolic link on the way, such as a `media` folder
    that is a link, leading elsewhere), or None when it stays."""
    target = root.joinpath(*name.split("/"))
    problem = relpath_problem(name)
    if problem is None and not target.resolve().is_relative_to(root.resolve()):
        problem = "leads outside the folder through a link"
    return target, problem
