"""Clean relative POSIX paths: the only names a media reference or a package entry may have.

Zip extractors differ: some treat ``\\`` as a separator, some honour drive letters or absolute
names, some follow ``..``. A name that is not a plain relative POSIX path could land outside
the folder it is extracted to, so the bank check refuses it in a media reference and the zip
writer refuses it as an entry name (archive.py), whichever way it got there.
"""

from __future__ import annotations

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
    (on macOS) how an accent is encoded. Two names with one key are one file there."""
    return unicodedata.normalize("NFC", name).casefold()


def placed_under(root: Path, name: str) -> tuple[Path, str | None]:
    """Where `name` goes under the folder `root`, and why writing there would not stay in it
    (a phrase: an unclean name, or a symbolic link on the way, such as a `media` folder
    that is a link, leading elsewhere), or None when it stays."""
    target = root.joinpath(*name.split("/"))
    problem = relpath_problem(name)
    if problem is None and not target.resolve().is_relative_to(root.resolve()):
        problem = "leads outside the folder through a link"
    return target, problem
