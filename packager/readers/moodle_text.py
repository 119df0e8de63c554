"""Moodle XML texts → canonical rich text, and the import's running state (notes, errors, media).

A Moodle text element is `<tag format="html|moodle_auto_format|plain_text|markdown|wiki_like">
<text>…</text><file name="…" path="/" encoding="base64">…</file>…</tag>`: the files belong to
that one text (Moodle keeps a file area per text) and the text refers to them as
`@@PLUGINFILE@@/<path><name>`, URL-encoded. Images among them are extracted to `media/<name>`
(made unique when two texts carry different files of one name; a name not every system can
write made one, with a note at its `<file>`); anything else is dropped with a note, as packages
carry only images (packager/media_types.py).
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Literal, NamedTuple
from urllib.parse import quote, unquote

from packager.diagnostics import Diagnostic
from packager.limits import MAX_MEDIA_BYTES, mib
from packager.media_types import HEAD, media_type_problem
from packager.readers.html_markdown import html_to_markdown, text_to_markdown
from packager.readers.html_markdown_images import Dropped
from packager.readers.imported import ImportNote, Location, data_image
from packager.readers.moodle_multilang import Multilang
from packager.readers.xpaths import child_steps
from packager.relpath import device_safe, relpath_problem

if TYPE_CHECKING:
    from lxml import etree

    from packager.readers.base import Source

CODE = "E-MOODLE"
PLUGINFILE = "@@PLUGINFILE@@/"
_PLUGINFILE_REF = re.compile(r"@@PLUGINFILE@@/([^\s\"'<>)]+)")
# Characters a portable file name cannot hold (packager/relpath.py), replaced in media names.
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# White space Moodle itself trims and folds (PHP's trim): a no-break space is text.
_ASCII_SPACE = re.compile(r"[ \t\r\n]+")
# An image on the web (or protocol-relative): not carried by the file.
_WEB = re.compile(r"^(?:https?:)?//", re.I)
# A tag as PHP's strip_tags reads one ('<' before white space is text). It holds no '<', so
# a text of many '<' is read in linear time ('<[^>]*>' tried each '<' to the text's end).
_TAG = re.compile(r"<[^\s<>][^<>]*>")


class Picture(NamedTuple):
    """A question's Moodle 1.9 picture (`<image>`, `<image_base64>`)."""

    name: str
    data: bytes
    element: etree._Element  # where notes about it point


class _File(NamedTuple):
    """A file of one text: its bytes, its name as the source gives it, and the element that
    carries it (where a note on its name points)."""

    data: bytes
    name: str
    element: etree._Element


class Context:
    """One import's state: the source, the notes and errors found so far, the media kept."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.notes: list[ImportNote] = []
        self.errors: list[Diagnostic] = []
        self.media: dict[str, bytes] = {}
        self._hrefs: dict[tuple[str, bytes], str] = {}
        self._question_paths: dict[etree._Element, str] = {}
        self._child_steps: dict[etree._Element, dict[etree._Element, str]] = {}
        self._next_name: dict[str, int] = {}  # a media name → the next `-n` to try
        # The file's multilang reading (moodle_multilang.py); None when no text is multilang.
        self.multilang: Multilang | None = None

    # -- where, and what went wrong ------------------------------------------------------------
    def where(self, element: etree._Element) -> Location:
        """The element's file, line and XPath. lxml's getpath counts every preceding sibling,
        which makes locating each of n questions O(n²); the questions' own indexes are known
        (`number_questions`), so only the few levels below a question are counted here."""
        steps: list[str] = []
        node: etree._Element | None = element
        while node is not None and node not in self._question_paths:
            parent = node.getparent()
            if parent is None:
                return location(self.source.name, element)
            if parent not in self._child_steps:  # each parent's children counted once
                self._child_steps[parent] = child_steps(parent)
            steps.append(self._child_steps[parent][node])
            node = parent
        if node is None:
            return location(self.source.name, element)
        path = "/".join([self._question_paths[node], *reversed(steps)])
        line = element.sourceline
        return Location(self.source.name, line if isinstance(line, int) else None, path)

    def forget_elements(self) -> None:
        """Let go of the elements `where` counted steps from, once every question is read."""
        self._question_paths = {}
        self._child_steps = {}

    def number_questions(self, questions: list[etree._Element]) -> None:
        """Remember the XPath of each `<question>` child of the root (all of them, in order)."""
        only = len(questions) == 1
        self._question_paths = {q: "/quiz/question" if only else f"/quiz/question[{n}]"
                                for n, q in enumerate(questions, start=1)}

    def note(
        self,
        question_id: str | None,
        element: etree._Element,
        kind: Literal["dropped", "changed"],
        message: str,
    ) -> None:
        self.notes.append(ImportNote(question_id, self.where(element), kind, message))

    def error(self, element: etree._Element, message: str, hint: str | None = None) -> None:
        self.errors.append(self.where(element).diagnostic(CODE, message, hint))

    # -- texts ---------------------------------------------------------------------------------
    def raw(self, element: etree._Element | None) -> str:
        """The `<text>` of a text element, trimmed as Moodle trims it ('' when absent)."""
        if element is None:
            return ""
        # iterchildren, not find: the same child, without find's path parsing (140,000 calls
        # for 10,000 questions, half a second less)
        return self._inner(next(element.iterchildren("text"), None))

    def _inner(self, text: etree._Element | None) -> str:
        """A `<text>` element's text (`raw`)."""
        if text is None:
            return ""
        inner = text_of(text)
        if self.multilang is not None:
            inner = self.multilang.text(inner)
        return inner.strip(" \t\r\n\0\x0b")

    def rich(
        self,
        question_id: str | None,
        element: etree._Element | None,
        default_format: str = "html",
        before: Callable[[str], str] | None = None,
        picture: Picture | None = None,
    ) -> str | None:
        """Canonical rich text of a Moodle text element, None when it is empty. `before`
        rewrites the raw text first (a cloze reader marks its gaps there); a `picture` (the
        question's Moodle 1.9 image) is shown after the text, where Moodle's importer puts it."""
        if element is None:
            return None
        # Its <text> and <file>s in one pass over its children (two tag lookups took 2.7 µs
        # a text, in a tree of 10,000 questions; the pass over a text's few children 1.2).
        text, carried = None, []
        for node in element:
            if node.tag == "file":
                carried.append(node)
            elif node.tag == "text" and text is None:
                text = node
        raw = self._inner(text)
        if not raw:
            return None
        if before is not None:
            raw = before(raw)
        files = self._files(question_id, carried)
        fmt = (element.get("format") or default_format).strip()
        if picture is not None:
            src = PLUGINFILE + quote(picture.name)
            if fmt == "plain_text":
                self.note(question_id, picture.element, "dropped",
                          f"the picture {picture.name!r}: a plain-text question shows no image")
            else:
                files.setdefault(picture.name,
                                 _File(picture.data, picture.name, picture.element))
                raw += f"\n\n![]({src})" if fmt == "markdown" else f' <img src="{src}" />'
        if fmt == "markdown":
            markdown = self._markdown(question_id, element, raw, files)
        elif fmt == "plain_text":
            markdown = text_to_markdown(raw, lines=True)
        else:
            if fmt == "wiki_like":
                self.note(question_id, element, "changed",
                          "wiki-like text read as plain text with HTML (Moodle no longer "
                          "renders wiki markup)")
            if fmt in ("moodle_auto_format", "wiki_like"):
                raw = _auto_format_html(raw)
            converted = html_to_markdown(raw, lambda src: self._image(question_id, src, files))
            for kind, message in converted.notes:
                href = converted.links.get(message)
                self.note(question_id, element, kind,
                          message if href is None else _file_link(message, href, files))
            markdown = converted.markdown
        return markdown or None

    def plain(self, element: etree._Element | None) -> str | None:
        """A plain-text field (tags, short answers): the text, white space collapsed."""
        text = _ASCII_SPACE.sub(" ", self.raw(element)).strip(" ")
        return text or None

    def name(self, element: etree._Element | None) -> str | None:
        """A question's name as Moodle shows it (format_string strips its tags): plain text,
        character references decoded, white space collapsed."""
        return plain_html(self.raw(element)) or None

    def note_languages(self, question_id: str | None, element: etree._Element) -> None:
        """One note on the languages of multilang texts dropped since the last call."""
        message = self.multilang.take() if self.multilang is not None else None
        if message is not None:
            self.note(question_id, element, "dropped", message)

    def picture(self, question_id: str | None, name_element: etree._Element | None,
                data_element: etree._Element | None) -> Picture | None:
        """The question's Moodle 1.9 picture: `<image>` names it and `<image_base64>` holds
        it (Moodle's importer still reads both), each given here (None when the question
        has none); an `<image>` without its data names a file of the old course, which the
        XML file does not carry."""
        name = (name_element.text or "").strip() if name_element is not None else ""
        encoded = "".join((data_element.text or "").split()) if data_element is not None else ""
        if not name or not encoded:
            if name and name_element is not None:
                self.note(question_id, name_element, "dropped",
                          f"the picture {name!r}: the file names it without its data "
                          "(<image_base64>)")
            return None
        assert data_element is not None
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            self.error(data_element, f"the picture {name!r} is not valid base64",
                       "export the question again; the picture's content is damaged")
            return None
        # As Moodle stores it: one file name, its folders' slashes made underscores.
        return Picture(name.replace("/", "_"), data, data_element)

    # -- files ---------------------------------------------------------------------------------
    def _files(self, question_id: str | None, carried: list[etree._Element]
               ) -> dict[str, _File]:
        """A text element's `<file>`s by the name the text uses (`path` without its leading
        slash, then `name`)."""
        files: dict[str, _File] = {}
        for file in carried:
            name = (file.get("name") or "").strip()
            if not name:
                self.error(file, "a <file> has no name", "give every <file> a name attribute")
                continue
            if (file.get("encoding") or "base64") != "base64":
                self.note(question_id, file, "dropped",
                          f"file {name!r} dropped: its encoding is not base64")
                continue
            try:
                data = base64.b64decode("".join((file.text or "").split()), validate=True)
            except (binascii.Error, ValueError):
                self.error(file, f"file {name!r} is not valid base64",
                           "export the question again; the file's content is damaged")
                continue
            folder = (file.get("path") or "/").strip().strip("/")
            files[f"{folder}/{name}" if folder else name] = _File(data, name, file)
        return files

    def _image(self, question_id: str | None, src: str,
               files: dict[str, _File]) -> str | Dropped | None:
        """The bank href of an image source that names one of the text's files or holds
        its image (a `data:` URL), or why it is not kept; None when the file is not there."""
        embedded = data_image(src)
        if embedded is not None:
            return embedded if isinstance(embedded, Dropped) else self._keep(*embedded)
        if _WEB.match(src):
            return Dropped("it is on the web, not in the file (only images the file carries "
                           "are kept)")
        if not src.startswith(PLUGINFILE):
            return None
        key = unquote(src[len(PLUGINFILE):]).split("?")[0]
        file = files.get(key)
        if file is None:
            return None
        return self._keep(key, file.data, question_id, file)

    def _keep(self, key: str, data: bytes, question_id: str | None = None,
              file: _File | None = None) -> str | Dropped:
        """The href under which `data` is kept (the same for the same name and bytes), or
        why it is not; a note at the `file` that holds it where its name had to change."""
        known = self._hrefs.get((key, data))
        if known is not None:
            return known
        whole = _UNSAFE_NAME.sub("-", PurePosixPath(key).name).strip(" .") or "file"
        name = _short_name(whole)
        cut = name != whole
        problem = media_type_problem(name, data[:HEAD])
        if problem is not None:
            return Dropped(problem[0])
        # `_` before a name Windows keeps for a device (`con.png`, `nul.txt.png`), as
        # import_media names a package's images: no number after it makes it portable
        # (`nul.txt-2.png` is a device's name still).
        name = device_safe(name)
        if len(data) > MAX_MEDIA_BYTES:
            return Dropped(f"{mib(len(data))} is more than the {mib(MAX_MEDIA_BYTES)} a media "
                           "file may hold")
        # The first free of media/x.png, x-2.png …: those before the next to try are taken
        # (a file is never removed), so n files of one name take time n, not n squared.
        n = self._next_name.get(name, 1)
        while (href := _numbered(name, n)) in self.media:
            n += 1
        self._next_name[name] = n + 1
        self.media[href] = data
        self._hrefs[(key, data)] = href
        if file is not None and name != file.name:
            written = href.removeprefix("media/")
            self.note(question_id, file.element, "changed",
                      f"image {file.name!r} written as {written!r}: "
                      f"{_why_renamed(file.name, cut)}")
        return href

    def _markdown(
        self, question_id: str | None, element: etree._Element, raw: str, files: dict[str, _File]
    ) -> str:
        """Markdown is kept as written; its `@@PLUGINFILE@@/` references point at the media."""

        def sub(match: re.Match[str]) -> str:
            key = unquote(match.group(1))
            file = files.get(key)
            href = self._keep(key, file.data, question_id, file) if file is not None else None
            if not isinstance(href, str):
                why = href.reason if href is not None else "not a file carried in the file"
                self.note(question_id, element, "dropped", f"reference to {key!r} dropped: {why}")
                return ""
            return href

        return _PLUGINFILE_REF.sub(sub, raw).strip()


def _file_link(note: str, href: str, files: dict[str, _File]) -> str:
    """The note on a dropped link to `href`, made to say so when the link was to a file of
    the text (a sound, a PDF): the file is dropped with it."""
    if not href.startswith(PLUGINFILE):
        return note
    key = unquote(href[len(PLUGINFILE):]).split("?")[0]
    if key in files:
        return (f"the file {key!r} and the link to it dropped (the link's text is kept): a bank "
                "carries only images, and links only to the web")
    return f"link to {key!r} dropped: the text carries no such file (the link's text is kept)"


def _why_renamed(name: str, cut: bool) -> str:
    """Why an image's name is not the one its file gives (`name`): a phrase, as import_media
    tells the names of a package's images. `cut`: its stem was longer than `_short_name`
    keeps."""
    problem = relpath_problem(name)
    if problem is not None:
        return f"its name {problem}"
    if "/" in name:
        return "its name holds folders, which are not kept"
    if cut:
        return "its name is longer than 100 bytes before its extension"
    return "its name starts with a dot or a space"


def _short_name(name: str) -> str:
    """A file name every file system stores: a stem of at most 100 bytes (a longer one is
    cut, a digest of the whole after it, so two long names stay two), and the extension."""
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 10:
        stem, dot, ext = name, "", ""
    if len(stem.encode()) <= 100:
        return name
    from packager.model.ids import digest

    cut = stem.encode()[:80].decode("utf-8", "ignore").rstrip(" .-")
    return f"{cut}-{digest(stem)}{dot}{ext}"


def _numbered(name: str, n: int) -> str:
    """media/name for the first file of a name, then media/stem-n.ext."""
    if n == 1:
        return f"media/{name}"
    stem, dot, ext = name.rpartition(".")
    return f"media/{stem}-{n}{dot}{ext}" if dot else f"media/{name}-{n}"


# A question's children looked up by name: lxml's find/findall/findtext parse their argument
# as a path on every call, which cost about as much as the lookup (some 30 lookups a
# question and one per text, 0.2-0.3 s of a 10,000-question import); iterchildren takes a tag.
def child(element: etree._Element, tag: str) -> etree._Element | None:
    """`element.find(tag)` for a tag name: its first child of that name, or None."""
    return next(element.iterchildren(tag), None)


def first_children(element: etree._Element) -> dict[str, etree._Element]:
    """`child(element, tag)` for every tag at once: one pass over the children. A question's
    readers look up some 16 of its children; in a tree of 10,000 questions each lookup
    (lxml matching the tag) took about 1.3 µs, the pass over a question's 18 children 8."""
    found: dict[str, etree._Element] = {}
    for node in element:
        tag = node.tag
        if isinstance(tag, str) and tag not in found:  # not a comment's
            found[tag] = node
    return found


def children(element: etree._Element, tag: str) -> list[etree._Element]:
    """`element.findall(tag)` for a tag name: its children of that name, in order."""
    return list(element.iterchildren(tag))


def child_text(element: etree._Element, tag: str) -> str | None:
    """`element.findtext(tag)` for a tag name: its first such child's text ('' for none),
    or None without such a child."""
    found = child(element, tag)
    return None if found is None else found.text or ""


def text_of(text: etree._Element) -> str:
    """A `<text>` element's text, untrimmed."""
    inner = text.text or ""
    if len(text):
        # HTML written as XML elements instead of escaped text (hand-made files): kept.
        from lxml import etree

        inner += "".join(etree.tostring(child, encoding="unicode") for child in text)
    return inner


def plain_html(fragment: str) -> str:
    """Text of a fragment of HTML: tags removed, character references decoded, white space
    collapsed."""
    return _ASCII_SPACE.sub(" ", html.unescape(_TAG.sub("", fragment))).strip(" ")


def location(file: str, element: etree._Element) -> Location:
    line = element.sourceline
    return Location(file, line if isinstance(line, int) else None,
                    element.getroottree().getpath(element))


def _auto_format_html(text: str) -> str:
    """Moodle's auto-format: HTML where written, a blank line starts a paragraph and a line
    break is a break (Moodle's text_to_html)."""
    paragraphs = _PARAGRAPH_BREAK.split(text.strip())
    return "".join(f"<p>{p.strip().replace(chr(10), '<br>')}</p>" for p in paragraphs if p.strip())
