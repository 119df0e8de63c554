"""Image references in a bank's texts: where a text may show an image, and the one rewriter
that points its images elsewhere (an import moves them into the bank's own folder).

A reference is changed in the Markdown or HTML as written, never by re-rendering: each place
that looks like an image's source is a candidate, and what the changed text renders to is
compared with the rendering of the text as it was, its images' sources moved on the tree
(`richtext_images.with_image_sources`). So Markdown shown in a code span, a path in plain
text or a link with the same destination stays as it was.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote

from packager.errors import InputError

if TYPE_CHECKING:
    from packager.model import Bank
    from packager.model.walk import RichField

# Where an image can be in a text: a Markdown image (inline or by reference) or an <img>.
# A text without either shows none (a superset: render() decides).
_IMAGE_MARK = re.compile(r"!\[|<img", re.IGNORECASE)

# Where a source starts (group "md": a Markdown destination, inline `](…` or a reference
# definition `]: …`; group "src": an HTML `src=`), and the source as written after it.
_SOURCE = re.compile(
    r"""(?:
          (?P<md>\]\(\s*|\]:[ \t]*(?:\n[ \t]*)?)
          (?:<(?P<md_angle>[^<>\n]*)>
            |(?P<md_bare>(?:[^\s()\\<]|\\.|\((?:[^\s()\\]|\\.)*\))+))
        | (?P<src>\bsrc\s*=\s*)
          (?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))
        )""",
    re.VERBOSE | re.IGNORECASE,
)
# Backslash escapes of CommonMark: a backslash before ASCII punctuation.
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# What a written source may not hold as it is: it would end the destination or attribute, or
# be decoded (`%`, `&`, `\`). Percent-encoded, which render() decodes (`Rendered.media`).
_UNSAFE = re.compile(r"""[\s()<>"'`\\&%\[\]\x00-\x1f\x7f]""")


def may_show_image(text: str) -> bool:
    """Whether `text` may show an image (False only when it certainly shows none)."""
    return _IMAGE_MARK.search(text) is not None


def normal(href: str) -> str:
    """A media path as `Rendered.media` lists it, normalised (`./a.png` → `a.png`), as the
    checks and `richtext_images.with_image_sources` name it."""
    return str(PurePosixPath(href))


class _Place(NamedTuple):
    """A written source: text[start:end] names `href`; `markdown` when it is a Markdown
    destination (backslash escapes count), else an HTML attribute's value."""

    start: int
    end: int
    href: str
    markdown: bool


def _decoded(written: str, markdown: bool) -> str:
    """What a written source names, before normalising (`./` stays)."""
    return unquote(html.unescape(_MD_ESCAPE.sub(r"\1", written) if markdown else written))


def _places(text: str) -> list[_Place]:
    found = []
    for m in _SOURCE.finditer(text):
        name = next(g for g in ("md_angle", "md_bare", "dq", "sq", "bare") if m.group(g) is not None)
        markdown = m.group("md") is not None
        href = normal(_decoded(m.group(name), markdown))
        found.append(_Place(m.start(name), m.end(name), href, markdown))
    return found


def as_source(new: str) -> str:
    """A path as a source may hold it in Markdown and in HTML alike (what render() decodes
    percent-encoded: `c d.png` → `c%20d.png`, `a%20b.png` → `a%2520b.png`)."""
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), new)


def _replacement(written: str, place: _Place, new: str) -> str:
    """`written` (naming `place.href`) naming `new` instead, changed as little as possible:
    where the two paths end alike, that end stays as it was written (`<media/a b.png>` →
    `<media/bank/a b.png>`); the rest is written anew."""
    href = place.href
    same = 0
    for a, b in zip(reversed(href), reversed(new), strict=False):
        if a != b:
            break
        same += 1
    head, tail = href[: len(href) - same], href[len(href) - same :]
    cut = _cut(written, place.markdown, len(head))
    if cut is not None:
        # After an escaped backslash (`\\`), the place between its two may read alike
        # (`\` and `\&` as `\\` and `&`): the first place that does is kept.
        for at in (cut - 1, cut) if written[cut - 1 : cut] == "\\" else (cut,):
            if (_decoded(written[:at], place.markdown) == head
                    and _decoded(written[at:], place.markdown) == tail):
                return as_source(new[: len(new) - same]) + written[at:]
    return as_source(new)  # written otherwise than it reads (`./a.png`): written anew


# `html.unescape`'s pattern of a character reference, and a byte as `unquote` reads one.
_HTML_REF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
_BYTE_OR_CHAR = re.compile(r"%[0-9a-fA-F]{2}|.", re.DOTALL)

# A piece of a text as one step of `_decoded` reads it: text[start:end] decodes to `text`.
_Piece = tuple[int, int, str]


def _cut(written: str, markdown: bool, count: int) -> int | None:
    """The first place in `written` before which it decodes to the first `count` characters
    of its decoding (`_decoded`), None when that place is inside an escape or inside what
    decodes to several characters at once (`%C3` of `%C3%A9`).

    Each step of the decoding is followed back to where its pieces were written: trying
    every place with `_decoded` took the square of the source's length (a source written
    `%61%61…` or `&#97;&#97;…`)."""
    unescaped = _MD_ESCAPE.sub(r"\1", written) if markdown else written
    referenced = html.unescape(unescaped)
    at = _place(_byte_pieces(referenced), len(referenced), count)
    if at is not None:
        at = _place(_html_pieces(unescaped), len(unescaped), at)
    if at is not None and markdown:
        at = _place(_markdown_pieces(written), len(written), at)
    return at


def _place(pieces: Iterable[_Piece], length: int, count: int) -> int | None:
    """The first place in a text of `length` read as `pieces` before which they decode to
    `count` characters; None when no place between pieces does."""
    done = 0
    for start, _end, text in pieces:
        if done == count:
            return start
        done += len(text)
        if done > count:
            return None
    return length if done == count else None


def _characters(text: str, start: int, end: int) -> Iterator[_Piece]:
    return ((i, i + 1, text[i]) for i in range(start, end))


def _markdown_pieces(text: str) -> Iterator[_Piece]:
    last = 0
    for m in _MD_ESCAPE.finditer(text):
        yield from _characters(text, last, m.start())
        yield m.start(), m.end(), m.group(1)
        last = m.end()
    yield from _characters(text, last, len(text))


def _html_pieces(text: str) -> Iterator[_Piece]:
    """A named reference that is no entity's name keeps what follows the longest one it
    starts with (`&ampx` → `&x`, `&mdashes` as it is): those characters are pieces of their
    own."""
    last = 0
    for m in _HTML_REF.finditer(text):
        yield from _characters(text, last, m.start())
        written = m.group()
        decoded = html.unescape(written)
        kept = 0
        if not m.group(1).startswith("#"):
            while kept < len(decoded) and written[-1 - kept] == decoded[-1 - kept]:
                kept += 1
        if kept < len(written):
            yield m.start(), m.end() - kept, decoded[: len(decoded) - kept]
        yield from _characters(text, m.end() - kept, m.end())
        last = m.end()
    yield from _characters(text, last, len(text))


def _byte_pieces(text: str) -> Iterator[_Piece]:
    """`text` as `unquote` decodes it, in pieces: a character it leaves as it is, the bytes
    (ASCII characters or `%XX`) of one UTF-8 character, or those of one invalid sequence
    (one U+FFFD): each decodes alike wherever the text is cut around it."""
    spans: list[tuple[int, int]] = []  # where each byte of the run was written
    run = bytearray()

    def decoded_run() -> Iterator[_Piece]:
        i = 0
        for char in run.decode("utf-8", _UNIT_LENGTH):
            unit = ord(char) - 0xDC00
            char, size = ("\ufffd", unit) if 0 < unit <= 4 else (char, len(char.encode()))
            yield spans[i][0], spans[i + size - 1][1], char
            i += size
        spans.clear()
        run.clear()

    for m in _BYTE_OR_CHAR.finditer(text):
        written = m.group()
        if len(written) == 1 and written >= "\x80":
            yield from decoded_run()
            yield m.start(), m.end(), written
            continue
        spans.append(m.span())
        run.append(ord(written) if len(written) == 1 else int(written[1:], 16))
    yield from decoded_run()


def _unit_length(error: UnicodeError) -> tuple[str, int]:
    """A decoding error's replacement that tells how many bytes it replaces (one U+FFFD
    each, in `unquote`'s own decoding): a lone surrogate, which no decoded text holds."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return chr(0xDC00 + error.end - error.start), error.end


_UNIT_LENGTH = "packager.media_refs.unit_length"
codecs.register_error(_UNIT_LENGTH, _unit_length)


def moved_images(text: str, new_href: Callable[[str], str | None]) -> str | None:
    """`text` with each image whose source names `href` (a bank's media path, as
    `normal` gives it) showing `new_href(href)` instead (None: left as it is), and nothing
    else changed. Markdown images (inline or by reference) and raw HTML `<img src>` alike.
    None when no choice among the places that look like a source does that."""
    from packager.richtext import render
    from packager.richtext_images import with_image_sources

    before = render(text)
    moved = {normal(h): new_href(normal(h)) for h in before.media}
    targets = {old: new for old, new in moved.items() if new is not None and new != old}
    if not targets:
        return text

    def shown(xhtml: str) -> str:
        # Every image's source as the href it names, however it was written.
        return with_image_sources(xhtml, lambda href: href)

    wanted = shown(with_image_sources(before.xhtml, targets.get))
    edits = [(p, _replacement(text[p.start:p.end], p, targets[p.href]))
             for p in _places(text) if p.href in targets]

    def edited(chosen: list[tuple[_Place, str]]) -> str:
        parts: list[str] = []
        last = 0
        for place, replacement in chosen:
            parts += [text[last:place.start], replacement]
            last = place.end
        return "".join(parts) + text[last:]

    def shows(candidate: str, xhtml: str) -> bool:
        return shown(render(candidate).xhtml) == xhtml

    whole = edited(edits)
    if shows(whole, wanted):
        return whole
    # Some place was no image's source (a code span showing Markdown, a link to the same
    # path): keep those whose edit the engine shows as an image's source. One rendering
    # tells them all, each place edited to a path of its own; tried one by one, each a
    # rendering of the whole text, 2,000 places took 50 s.
    mark = _unused_folder(before.media)
    marked = edited([(p, _replacement(text[p.start:p.end], p, f"{mark}{i}/{targets[p.href]}"))
                     for i, (p, _) in enumerate(edits)])
    shown_at = {href.partition("/")[0] for href in render(marked).media}
    some = edited([e for i, e in enumerate(edits) if f"{mark}{i}" in shown_at])
    return some if shows(some, wanted) else None


def _unused_folder(hrefs: Iterable[str]) -> str:
    """A name none of `hrefs` begins with (one `x` more than any begins with), to which a
    number is added: letters and digits, which read alike wherever a source may be written."""
    return "x" * (1 + max((len(h) - len(h.lstrip("x")) for h in hrefs), default=0))


def _where(pointer: str, question_id: str | None) -> str:
    return f"{pointer} (question {question_id!r})" if question_id else pointer


class NotMoved(Exception):
    """A text whose images `moved_images` could not point elsewhere."""

    def __init__(self, pointer: str, question_id: str | None) -> None:
        super().__init__(pointer)
        self.pointer = pointer
        self.question_id = question_id

    def where(self) -> str:
        return _where(self.pointer, self.question_id)


class TextTooLong(InputError):
    """A text its images' new paths make longer than a text may be: refused as the bank's
    validation would refuse it, but naming why it grew (it passed validate as it was)."""

    def __init__(self, pointer: str, question_id: str | None, length: int) -> None:
        from packager.model.types import MAX_TEXT_CHARS

        super().__init__(
            f"the text of {_where(pointer, question_id)} would be {length:,} characters long "
            f"once its image paths are rewritten, more than the {MAX_TEXT_CHARS:,} a text may "
            "have; nothing was written",
            hints=["shorten it or split it, or move long material into a stimulus shared by "
                   "several questions"],
        )


def bank_with_moved_images(
    bank: Bank, fields: Iterable[RichField], new_href: Callable[[str], str | None]
) -> Bank:
    """The bank with the images of these of its rich fields moved (`moved_images`), the
    bank itself when none changed; NotMoved for a text that could not be, TextTooLong for
    one its new paths make too long."""
    from packager.model.types import MAX_TEXT_CHARS
    from packager.model.walk import with_texts

    changed: dict[str, str] = {}
    for pointer, question_id, text in fields:
        new = moved_images(text, new_href)
        if new is None:
            raise NotMoved(pointer, question_id)
        if len(new) > MAX_TEXT_CHARS:  # the one check of a text the new paths can fail
            raise TextTooLong(pointer, question_id, len(new))
        if new != text:
            changed[pointer] = new
    return with_texts(bank, changed)
