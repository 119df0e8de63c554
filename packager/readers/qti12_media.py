"""The images of a QTI 1.2 or Common Cartridge package (shared by the `qti12` and `cc`
readers), found as its documents refer to them and stored under `media/`.

Images: `$IMS-CC-FILEBASE$/x` is resolved where the exporters put it (Canvas: the package root
or `web_resources/`; Moodle: the folder of the QTI file), a relative `src` against the QTI
file's folder. Found images are stored under `media/` (keeping their folders), only when they
are PNG, JPEG, GIF or WebP images with a clean relative name. An image the package names
otherwise only in letter case or in the encoding of accents is taken, with a note
(media_spelling.EntryNames).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from packager.media_types import HEAD, media_type_problem
from packager.readers.html_markdown_images import Kept
from packager.readers.safe_zip import Archive
from packager.relpath import escape_problem

FILEBASES = ("$IMS-CC-FILEBASE$/", "%24IMS-CC-FILEBASE%24/", "$IMS_CC_FILEBASE$/")


class Media:
    """Images of a package, stored under `media/` as questions refer to them."""

    def __init__(self, archive: Archive | None) -> None:
        self.archive = archive
        self.files: dict[str, bytes] = {}
        # Why a source gave no image, by (folder, source), when there is more to say than
        # that it is not in the package.
        self.reasons: dict[tuple[str, str], str] = {}

    def resolver(self, folder: str) -> Callable[[str], str | Kept | None]:
        """The image callback for a document in `folder` of the package."""
        return lambda src: self.resolve(src, folder)

    def explainer(self, folder: str) -> Callable[[str], str | None]:
        """Why a source the resolver of `folder` gave no image for was left out (None: it
        is not in the package)."""
        return lambda src: self.reasons.get((folder, src))

    def resolve(self, src: str, folder: str) -> str | Kept | None:
        given, src = src, src.strip()
        base = next((b for b in FILEBASES if src.startswith(b)), None)
        if base is not None:
            path = src[len(base):]
            candidates = [path, f"web_resources/{path}", f"{folder}/{path}"]
        elif _external(src):
            self.reasons[(folder, given)] = ("an import keeps only images inside the source, "
                                             "never fetches one")
            return None
        else:
            candidates = [f"{folder}/{src}", src]
        if self.archive is None:
            return None
        # Each candidate is a path in the package, never an address: `a:b.png` is that file
        # (urlsplit took `a:` for a scheme and looked for `b.png`); only a query or a
        # fragment is no part of its name.
        names = [posixpath.normpath(unquote(c.partition("#")[0].partition("?")[0]).lstrip("/"))
                 for c in candidates]
        found = self.archive.find(names)
        if found.entry is None:
            if found.note is not None:
                self.reasons[(folder, given)] = found.note
            return None
        href, refused = self._store(found.entry, self.archive[found.entry])
        if refused is not None:
            self.reasons[(folder, given)] = refused
        if href is not None and found.note is not None:
            return Kept(href, found.note)
        return href

    def _store(self, name: str, data: bytes) -> tuple[str | None, str | None]:
        """The href `name` is stored under, or None and why it is not."""
        for prefix in ("web_resources/",):
            name = name.removeprefix(prefix)
        href = name if name.startswith("media/") else f"media/{name}"
        problem = escape_problem(href)  # a device's name or `week:1.png`: renamed on import
        if problem is not None:
            return None, f"its name {href!r} {problem}"
        refused = media_type_problem(href, data[:HEAD])
        if refused is not None:
            return None, refused[0]
        self.files[href] = data
        return href, None


def _external(src: str) -> bool:
    """Whether an image source is an address outside the package: a scheme, a rooted path,
    or what urlsplit refuses ("http://[x", an unclosed IPv6 host), which no package holds."""
    try:
        return bool(urlsplit(src).scheme) or src.startswith("/")
    except ValueError:
        return True
