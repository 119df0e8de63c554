"""QTI content (XHTML in the QTI namespace, MathML) → canonical rich text, and the images it
shows → media files of the bank.

A QTI body is XHTML whose elements live in the QTI namespace (2.1, and 3.0 for everything not
named `qti-…`), mixed with QTI's own elements. The content is copied into plain,
namespace-free HTML (MathML elements under their local names), which
`html_markdown.html_to_markdown` turns into Markdown; a QTI element still in the content at
that point has no rich-text form and is dropped with a note. An image is kept when its `src`
names a real raster image of the package (relative to the document that shows it) or, for a
single item file, a file beside it; it is stored under `media/`. An entry the package names
otherwise only in letter case or in the encoding of accents is taken, with a note
(media_spelling.EntryNames).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from packager.limits import MAX_MEDIA_BYTES, mib
from packager.media_types import HEAD, media_type_problem
from packager.readers.html_markdown import html_to_markdown
from packager.readers.html_markdown_images import Kept
from packager.readers.noted import Kind, Noted
from packager.readers.qti2_dialect import (
    MATHML_NAMESPACES,
    Dialect,
    Unreadable,
    all_text,
    local,
    namespace,
)
from packager.readers.safe_zip import Archive
from packager.relpath import escape_problem

MEDIA_FOLDER = "media"
# Where an interaction stood in the text: a private-use character per blank, which Markdown
# escaping leaves alone, replaced by the blank's `[[id]]` once the text is Markdown. From
# Unicode's supplementary private use area, which texts hold far more rarely than the
# basic one (icon fonts); one a text holds itself is told from a mark (Rich._blanks_in).
_BLANK_BASE = 0xF0000
MAX_BLANKS = 0xFFFFE - _BLANK_BASE
_BLANK_CHAR = re.compile("[\U000F0000-\U000FFFFD]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# QTI 3's shared vocabulary styles text by class: those Markdown has, as its elements.
_STYLES = {"qti-bold": "strong", "qti-italic": "em"}
# QTI 3.0's qti-catalog-info, of an item, a stimulus document or a block of their text.
CATALOG_DROPPED = ("the catalog (a glossary or other support shown beside the words that name "
                   "it) is dropped: a bank holds none")
# Elements laid out in the line of the text around them: white space at their edges and
# next to them is one space on screen.
_INLINE = frozenset({"a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "del", "dfn",
                     "em", "i", "ins", "label", "q", "s", "small", "span", "strong", "sub",
                     "sup", "u"})
# Elements whose content is not running text (kept as it is), or a line break.
_OPAQUE = frozenset({"br", "code", "img", "kbd", "math", "pre", "samp", "tt", "var"})
_WHITE = " \t\r\n\f"


def blank_mark(index: int) -> str:
    if index >= MAX_BLANKS:
        raise Unreadable(f"more than {MAX_BLANKS:,} blanks")
    return chr(_BLANK_BASE + index)


class Media:
    """The images of one source, found on demand: package entries, or files beside a single
    XML file; what was found is in `files` (bank href → bytes)."""

    def __init__(self, entries: Archive | None, base_dir: Path | None) -> None:
        self.entries = entries
        self.base_dir = base_dir
        self.files: dict[str, bytes] = {}
        self._hrefs: dict[str, str | Kept | None] = {}
        self._reasons: dict[str, list[str]] = {}  # why a path gave no image

    def href(self, src: str, document: str, note: Callable[[str], None]) -> str | Kept | None:
        """The bank href of the image `src` shown by `document` (a package path), Kept when
        the package spells its name otherwise, or None (`note` says why, when there is more
        to say than that it was not found)."""
        src = src.strip()
        if not src or _SCHEME.match(src) or src.startswith(("/", "#")):
            if src.lower().startswith(("http:", "https:")):
                note(f"image {src[:60]!r} dropped: it is on the web, not in the package")
            elif src.lower().startswith("data:"):
                note(f"image {src[:60]!r} dropped: it is written into the text (a data: "
                     "URI), which an import does not extract")
            return None
        path = posixpath.normpath(posixpath.join(posixpath.dirname(document), unquote(src)))
        if path not in self._hrefs:
            self._hrefs[path] = self._find(path, self._reasons.setdefault(path, []).append)
        for reason in self._reasons[path]:
            note(reason)
        return self._hrefs[path]

    def _find(self, path: str, note: Callable[[str], None]) -> str | Kept | None:
        escaping = escape_problem(path)  # `week:1.png` passes: renamed on import (import_media)
        if escaping is not None:
            # After normpath a path leads out of its folder only at its start.
            outside = path == ".." or path.startswith(("../", "/"))
            note(f"image {path[:60]!r} dropped: "
                 + ("it is outside the package" if outside else f"its path {escaping}"))
            return None
        respelt = None
        if self.entries is not None:
            found = self.entries.find([path])
            if found.entry is None:
                if found.note is not None:
                    note(f"image {path[:60]!r} dropped: {found.note}")
                return None
            path, respelt = found.entry, found.note
        data = self._read(path, note)
        if data is None:
            return None
        problem = media_type_problem(path, data[:HEAD])
        if problem is not None:
            note(f"{problem[0]}; dropped")
            return None
        if len(data) > MAX_MEDIA_BYTES:
            note(f"image {path!r} dropped: larger than {mib(MAX_MEDIA_BYTES)}")
            return None
        href = path if path.startswith(f"{MEDIA_FOLDER}/") else f"{MEDIA_FOLDER}/{path}"
        unportable = escape_problem(href)  # a device's name or `week:1.png`: renamed on import
        if unportable is not None:
            note(f"image {path[:60]!r} dropped: its name {unportable}")
            return None
        self.files[href] = data
        return href if respelt is None else Kept(href, respelt)

    def _read(self, path: str, note: Callable[[str], None]) -> bytes | None:
        if self.entries is not None:
            return self.entries.get(path)
        if self.base_dir is None:
            return None
        base = self.base_dir.resolve()
        file = (base / path).resolve()
        try:
            # Only files under the item's own folder: a name cannot reach anything else.
            if not file.is_relative_to(base) or not file.is_file():
                return None
            with file.open("rb") as stream:  # one byte more than allowed: _find sees it is too large
                return stream.read(MAX_MEDIA_BYTES + 1)
        except OSError as exc:  # a path longer than the system allows, say
            note(f"image {path[:60]!r} dropped: it cannot be read ({exc.strerror or exc})")
            return None


class Rich:
    """Converts the content of QTI elements of one document into Markdown."""

    def __init__(self, d: Dialect, media: Media, document: str) -> None:
        self.d = d
        self.media = media
        self.document = document
        self.notes: list[Noted] = []
        self.blanks: list[str] = []  # blank ids, by the index of their mark
        self._marked: set[int] = set()  # the marks replaced, in any text of the item
        # The notes of the content being converted, with how often each was made: the notes
        # of one content read alike, but two elements dropped are two losses.
        self._counts: dict[Noted, int] = {}

    def note(self, kind: Kind, message: str) -> None:
        said = Noted(kind, message)
        self._counts[said] = self._counts.get(said, 0) + 1

    def markdown(self, element: etree._Element) -> str:
        """The content of `element` (its text and children) as canonical rich text; what was
        lost is added to `notes`, once per message of this content (with a count)."""
        self._counts = {}
        try:
            return self._markdown(element)
        finally:
            self.notes.extend(said if n == 1 else Noted(said.kind, f"{said.message} ({n} times)")
                              for said, n in self._counts.items())
            self._counts = {}

    def _markdown(self, element: etree._Element) -> str:
        html = etree.Element("div")
        self._copy_content(element, html)
        if not len(html) and not (html.text or "").strip():
            return ""
        _collapse_between(html)
        source = etree.tostring(html, method="html", encoding="unicode")
        reasons: dict[str, str] = {}

        def image(src: str) -> str | Kept | None:
            def explain(message: str) -> None:
                reasons[f"image {src[:60]!r} dropped: not found in the source"] = message

            return self.media.href(src, self.document, explain)

        converted = html_to_markdown(source, image)
        for kind, message in converted.notes:
            self.note(kind, reasons.get(message, message))
        return self._blanks_in(converted.markdown)

    def _blanks_in(self, markdown: str) -> str:
        """The text with each blank's mark replaced by its `[[id]]`. A character of the marks'
        range that is no mark placed, or one seen twice, is the source's own: then which is
        a blank cannot be told, and the item is left out."""
        if not self.blanks or _BLANK_CHAR.search(markdown) is None:
            return markdown

        def blank(found: re.Match[str]) -> str:
            index = ord(found.group()) - _BLANK_BASE
            if index >= len(self.blanks) or index in self._marked:
                raise Unreadable(f"its text holds the character U+{ord(found.group()):X} of "
                                 "Unicode's private use area, which the reader uses to mark "
                                 "blanks")
            self._marked.add(index)
            return f"[[{self.blanks[index]}]]"

        return _BLANK_CHAR.sub(blank, markdown)

    def _copy_content(self, source: etree._Element, target: etree._Element) -> None:
        target.text = source.text
        for child in source:
            copied = self._copy(child)
            if copied is None:
                _append_text(target, child.tail)
            else:
                copied.tail = child.tail
                target.append(copied)

    def _copy(self, element: etree._Element) -> etree._Element | None:
        if not isinstance(element.tag, str):
            return None  # comments and processing instructions are never content
        if namespace(element) in MATHML_NAMESPACES:
            return _plain_copy(element)
        if not self.d.is_xhtml(element):
            if self.d.name(element) == "catalogInfo":
                self.note("dropped", CATALOG_DROPPED)
                return None
            # An element by the name it has in the source (QTI 3.0's `qti-stylesheet` was
            # named `<stylesheet>`), another vocabulary's with its prefix (Word's `<o:p>`).
            name = (local(element) if self.d.name(element) or not element.prefix
                    else f"{element.prefix}:{local(element)}")
            self.note("dropped", f"<{name}> dropped (no rich-text form)")
            return None
        name = local(element)
        if name == "object":
            return self._object(element)
        copied = etree.Element(name, _attributes(element))
        content = copied
        classes = (element.get("class") or "").split()
        for style, tag in _STYLES.items():
            if style in classes:
                content = etree.SubElement(content, tag)
        if "qti-underline" in classes:
            self.note("changed", "underline (class qti-underline) is not kept: rich text has "
                      "none")
        self._copy_content(element, content)
        return copied

    def _object(self, element: etree._Element) -> etree._Element | None:
        """An image shown with <object> (QTI 2.0 habit) is an <img>; other objects go."""
        data = element.get("data") or ""
        if (element.get("type") or "").startswith("image/") and data:
            alt = re.sub(r"\s+", " ", all_text(element)).strip()
            return etree.Element("img", {"src": data, "alt": alt})
        self.note("dropped", f"<object> {data[:60]!r} dropped")
        return None


def _collapse_between(root: etree._Element) -> None:
    """Take out white space that follows white space across the edge of an inline element
    (`of <strong>\\n bold</strong>`, `x <span> y</span>`, as editors that wrap lines write
    them): a browser shows one space, and the Markdown would keep two."""
    after_space = False

    def text(value: str | None) -> str | None:
        nonlocal after_space
        if not value:
            return value
        if after_space:
            value = value.lstrip(_WHITE)
        if value:
            after_space = value[-1] in _WHITE
        return value

    def walk(element: etree._Element) -> None:
        nonlocal after_space
        element.text = text(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _INLINE:
                walk(child)
            else:  # a block starts and ends a run of text of its own
                after_space = False
                if tag not in _OPAQUE:
                    walk(child)
                    after_space = False
            child.tail = text(child.tail)

    walk(root)


def _plain_copy(element: etree._Element) -> etree._Element:
    """A MathML subtree under local names (html_markdown reads MathML by local name)."""
    copied = etree.Element(
        local(element), _attributes(element)
    )
    copied.text = element.text
    for child in element:
        if isinstance(child.tag, str):
            inner = _plain_copy(child)
            inner.tail = child.tail
            copied.append(inner)
        else:
            _append_text(copied, child.tail)
    return copied


def _attributes(element: etree._Element) -> dict[str, str]:
    """Attributes without a namespace (xml:lang and the like have no HTML meaning here)."""
    return {str(k): str(v) for k, v in element.attrib.items() if "}" not in str(k)}


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def replace_with_text(element: etree._Element, text: str) -> None:
    """Put `text` where `element` was (keeping its tail) and take the element out."""
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    joined = text + (element.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(element)
