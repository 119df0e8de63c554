"""Where an import puts its images, and under which names: a folder of the bank's own beside
it (`media/<bank>/`), every text of the bank pointing there, each name one every system can
write and one file on Windows and macOS for one image only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from packager.errors import InputError
from packager.model.ids import digest
from packager.readers.imported import Imported
from packager.relpath import (
    device_safe,
    escape_problem,
    is_device_name,
    portable_name,
    relpath_problem,
    same_file_key,
    windows_characters,
)

# A bank file's stem that is its media folder's name as it is: letters, digits, '_', '-' and
# inner dots, which need no escaping in a Markdown destination or an HTML attribute and no
# percent-decoding, and end in neither a dot nor a space (Windows drops those).
_CLEAN_FOLDER = re.compile(r"[\w-](?:[\w.-]*[\w-])?")


def media_folder(out: Path) -> str:
    """The folder, relative to the bank file, of the media an import writes for it:
    `media/<the bank file's stem>`. Each bank owns its folder, so banks imported into one
    folder (in one run or several, with --force or not) never write, nor show, each other's
    images (Moodle names every pasted image `image.png`). A stem that is no clean folder
    name is made one, plus a digest of the stem, so that two stems made clean alike keep
    folders of their own."""
    stem = unicodedata.normalize("NFC", out.stem)
    if _CLEAN_FOLDER.fullmatch(stem) and not is_device_name(stem):
        return f"media/{stem}"
    clean = re.sub(r"[^\w-]+", "-", stem).strip("-") or "bank"
    return f"media/{clean}-{digest(stem, size=4)}"


def into_own_folder(imported: Imported, out: Path, source: str) -> Imported:
    """The imported bank with its media under `media_folder(out)` (`media/x.png` →
    `media/<bank>/x.png`), every text of the bank pointing there (media_refs.moved_images);
    a note for each image whose name changed on the way (`_own_names`; `source` names the
    file read)."""
    if not imported.media:
        return imported
    from packager.media_refs import NotMoved, bank_with_moved_images, may_show_image
    from packager.model.walk import rich_fields
    from packager.readers.imported import ImportNote, Location

    folder = media_folder(out)
    placed = _own_names(imported.media, folder)
    renamed = [ImportNote(None, Location(source), "changed",
                          f"image {href!r} written as {new!r}: {why}")
               for href, (new, why) in sorted(placed.items()) if why is not None]

    def moved(href: str) -> str:
        return placed[href][0] if href in placed else f"{folder}/{href.removeprefix('media/')}"

    def new_href(href: str) -> str | None:
        return moved(href) if href.startswith("media/") or href in imported.media else None

    # Named `media/…` (most readers'), an image is shown only by a text with `media/`.
    others = not all(href.startswith("media/") for href in imported.media)
    fields = (f for f in rich_fields(imported.bank)
              if "media/" in f[2] or (others and may_show_image(f[2])))
    try:
        bank = bank_with_moved_images(imported.bank, fields, new_href)
    except NotMoved as exc:
        raise InputError(
            f"could not point the images of {exc.where()} at {folder}/; nothing was written"
        ) from None
    media: dict[str, bytes] = {}
    for href, image in imported.media.items():
        new = moved(href)
        if media.setdefault(new, image) != image:  # `x.png` and `media/x.png`, say
            raise InputError(
                f"the import names two media files that would both be {new!r}, with different "
                "images; nothing was written",
                hints=["rename one of them in the source, and import it again"],
            )
    return replace(imported, bank=bank, media=media, notes=[*imported.notes, *renamed])


@dataclass
class _Names:
    """The paths given to the images of one name (as Windows and macOS compare names)."""

    by_bytes: dict[bytes, str] = field(default_factory=dict)
    next: int = 1  # the next `-n` to try: those before are taken


def _own_names(media: dict[str, bytes], folder: str) -> dict[str, tuple[str, str | None]]:
    """Each media href → its path under `folder`, and why that is not the source's name (or
    None). The name is one every system can write (`portable_name`: a stranger's `con.png`
    or `week:1.png` was dropped), composed (NFC: git on a Mac commits a decomposed name
    composed, and the bank's decomposed reference then found no file on Linux), and one file
    on Windows and macOS for one image only: `Image.png` and `image.png` (two files on the
    server that made the package) share a path when they hold the same bytes, else the
    second takes `image-2.png` (the import was refused)."""
    placed: dict[str, tuple[str, str | None]] = {}
    taken: dict[str, tuple[str, bytes]] = {}  # same_file_key → (path, bytes)
    groups: dict[str, _Names] = {}
    first: dict[str, str] = {}  # same_file_key of a name → the first href of that name
    paths: dict[str, tuple[str, str]] = {}  # href → its path under `folder`, and its key
    for href in media:
        if escape_problem(href) is None:  # files() refuses the others, naming them
            nfc = unicodedata.normalize("NFC", href.removeprefix("media/"))
            path = f"{folder}/{portable_name(nfc)}"
            paths[href] = path, same_file_key(path)
    folders = _Folders(key for _, key in paths.values())
    for href in sorted(paths):
        rest = href.removeprefix("media/")
        path, key = paths[href]
        stem, dot, ext = path.rpartition(".")
        if not dot or "/" in ext:
            stem, dot, ext = path, "", ""
        group, data = groups.setdefault(key, _Names()), media[href]
        if data not in group.by_bytes:
            while True:  # n names of one key take time n, not n squared
                candidate = path if group.next == 1 else _numbered(stem, group.next, dot + ext)
                group.next += 1
                candidate_key = same_file_key(candidate)
                if candidate_key in folders:
                    continue
                held = taken.setdefault(candidate_key, (candidate, data))
                if held[1] == data:
                    break
            group.by_bytes[data] = held[0]
        new = group.by_bytes[data]
        twin = first.setdefault(key, href)
        problem, same = relpath_problem(rest), twin == href or new == placed[twin][0]
        placed[href] = new, (
            None if new == f"{folder}/{rest}"
            else f"its name {problem}" + ("" if same else f"; it differs from {twin!r} only "
                                          f"in {_how_twins_differ(rest, twin)}, and the image "
                                          "does not") if problem is not None
            else "a folder of the package has its name (or one Windows and macOS take for "
            "it)" if key in folders
            else f"the same image as {twin!r}, a name differing from it only in "
            f"{_how_twins_differ(rest, twin)}" if twin != href and same
            else f"its name differs from {twin!r} only in {_how_twins_differ(rest, twin)}, "
            "and the image does not" if twin != href
            else "its accents were written decomposed (NFD, as a Mac's zip keeps them); "
            "written composed (NFC), as git and keyboards write them")
    return placed


# What makes two names one file's name somewhere, each undone in turn to find what two names
# of one same_file_key differ in (`x./a.png` and `x/a.png` differ in no letter's case).
_SAMENESS: dict[str, Callable[[str], str]] = {
    "letter case": same_file_key,
    "how accents are encoded": lambda part: unicodedata.normalize("NFC", part),
    "a dot or a space at a name's end": lambda part: part.rstrip(" ."),
    "characters Windows cannot store, written '-'": windows_characters,
    "the '_' put before a Windows device name": device_safe,
}


def _how_twins_differ(name: str, twin: str) -> str:
    """What two media names written as one file's name differ in, and where that makes them
    one: `x/a.png` and `x./a.png` on Windows, `A.png` and `a.png` on Windows and macOS."""
    twin = twin.removeprefix("media/")

    def without(skipped: str, path: str) -> str:
        for what, same in _SAMENESS.items():
            if what != skipped:
                path = "/".join(same(part) for part in path.split("/"))
        return path

    hows = [what for what in _SAMENESS if without(what, name) != without(what, twin)]
    where = "Windows or macOS" if {"letter case", "how accents are encoded"} & {*hows} else "Windows"
    return f"{' and in '.join(hows) or 'a length cut to fit file systems'} (one file on {where})"


class _Folders:
    """The folders some of the given paths pass through, by their `same_file_key`s, as a tree
    of segments: a file may not take one's name (`a.png` beside `a.png/b.png`, which a zip
    holds, was a traceback writing the second). A tree, not a set of every prefix: a path of
    a thousand folders would add a thousand prefixes of up to its length."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._root: dict[str, Any] = {}
        for key in keys:
            node = self._root
            for part in key.split("/")[:-1]:
                node = node.setdefault(part, {})

    def __contains__(self, key: object) -> bool:
        node = self._root
        for part in str(key).split("/"):
            if part not in node:
                return False
            node = node[part]
        return True


def _numbered(stem: str, n: int, extension: str) -> str:
    """`stem-n.ext`, its last segment cut to stay within MAX_SEGMENT_BYTES (a name
    portable_name cut to 254 bytes became 256 with `-2`, which no file system stores)."""
    from packager.relpath import MAX_SEGMENT_BYTES

    head, slash, last = stem.rpartition("/")
    room = MAX_SEGMENT_BYTES - 1 - len(f"-{n}{extension}".encode("utf-8", "surrogatepass"))
    if room < 1:  # an extension of 250 bytes leaves none: the number goes after it
        return _numbered(f"{stem}{extension}", n, "")
    last = last.encode("utf-8", "surrogatepass")[:room].decode("utf-8", "ignore")
    return f"{head}{slash}{last}-{n}{extension}"
