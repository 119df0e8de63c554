"""Checks that need more than the model: rich text safety and media files on disk.

Run once per loaded bank, whatever reader produced it.
"""

from __future__ import annotations

import errno
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from packager.limits import MAX_BANK_MEDIA_BYTES, MAX_MEDIA_BYTES, mib
from packager.media_spelling import FolderNames, spelling_problem
from packager.media_types import HEAD, media_type_problem
from packager.model import BLANK_MARKER, Bank, Problem, Question
from packager.model.questions import FillInBlanks
from packager.model.walk import (
    RichField,
    bank_level_fields,
    bank_texts,
    question_rich_fields,
    question_texts,
)
from packager.relpath import (
    has_drive,
    is_device_name,
    relpath_problem,
    same_file_key,
    windows_path_limit,
)
from packager.richtext import render
from packager.richtext_refused import RefusedKind
from packager.richtext_screening import may_have_problems

if TYPE_CHECKING:
    from packager.render_pool import EarlyRendering


@dataclass(frozen=True)
class MediaFile:
    href: str  # as written in the bank, normalised ("media/chart.png")
    path: Path  # resolved file on disk


def media_path_problem(
    href: str, base_dir: Path, folders: FolderNames | None = None
) -> tuple[str, str] | None:
    """Why a media reference is unusable (message, hint), or None when it is fine.
    `folders`: the folder listings of this check run, shared by its references (each
    folder is listed once)."""
    posix = PurePosixPath(href)
    if posix.is_absolute() or has_drive(href) or href.startswith("\\"):
        return (
            f"media path {href!r} is absolute",
            "write the path relative to the bank file, e.g. media/picture.png",
        )
    if ".." in posix.parts:
        return (
            f"media path {href!r} leaves the bank's folder",
            "keep media files in the bank's folder (e.g. content/media/) and refer to them "
            "relative to the bank",
        )
    unclean = relpath_problem(str(posix))
    if unclean is not None:
        return (
            f"media path {href!r} {unclean}",
            "rename it: Windows opens a device, not a file, for such a name (con-chart.png "
            "for con.png, say)" if any(map(is_device_name, posix.parts)) else
            f"write '/' between folders ('{href.replace(chr(92), '/')}'): '\\' separates "
            "them on Windows only" if "\\" in href else
            "rename the file using letters, digits, '-', '_' and '.', with '/' between folders",
        )
    candidate = base_dir / Path(*posix.parts)
    try:
        resolved = candidate.resolve()
    except OSError:
        resolved = candidate
    if not resolved.is_relative_to(base_dir.resolve()):
        return (
            f"media path {href!r} is a link to a file outside the bank's folder",
            "copy the file into the bank's folder instead of linking to it",
        )
    try:
        is_file = resolved.is_file()
    except OSError as exc:  # False is only for a file not there: a path longer than the
        # system allows, or a folder that may not be searched, raises
        return (
            f"media file {href!r} cannot be read: {exc.strerror or exc}",
            "shorten its path: it is longer than the system allows"
            if exc.errno == errno.ENAMETOOLONG else "check its permissions",
        )
    # Whether this file system found the file is not the verdict: Windows and macOS find
    # `Photo.PNG` for `photo.png`; Linux and LMS servers do not (media_spelling.py).
    misspelt = spelling_problem(href, posix.parts, base_dir, is_file, folders or FolderNames())
    if misspelt is not None:
        return misspelt
    if not is_file:
        return (
            f"media file {href!r} does not exist",
            windows_path_limit(resolved)
            or f"put the file at {candidate} or fix the path (names are case-sensitive)",
        )
    size = resolved.stat().st_size
    if size > MAX_MEDIA_BYTES:
        return (
            f"media file {href!r} is {mib(size)}, more than the {mib(MAX_MEDIA_BYTES)} a media "
            "file may have",
            "reduce it (a picture for a screen rarely needs more than 2 MiB)",
        )
    try:
        with resolved.open("rb") as file:
            head = file.read(HEAD)
    except OSError as exc:
        return (f"media file {href!r} cannot be read: {exc.strerror or exc}", "check its permissions")
    return media_type_problem(href, head)


def _eaten_backslash(href: str, text: str) -> str | None:
    """The path as the text has it where Markdown took a Windows `\\` of it for an escape
    (`media\\_chart.png` is `media_chart.png`), else None: the message named a file the
    author never wrote. The text is unescaped once (a search per punctuation character of
    the path cost half a second a text for paths of hundreds of folders)."""
    if "\\" not in text:
        return None
    plain, where = _unescaped(text)
    at = plain.find(href)
    while at != -1:
        start, end = where[at], where[at + len(href) - 1] + 1
        if start and text[start - 1] == "\\":
            start -= 1
        if "\\" in text[start:end]:
            return text[start:end]
        at = plain.find(href, at + 1)
    return None


def _eaten_backslash_hint(written: str, href: str) -> str:
    """How to write a media path whose `\\` Markdown took for an escape: with `/` between
    folders, and without one at its start, where it would make the path absolute."""
    said = f"'{written}' reads as '{href}': in Markdown '\\' escapes the character after it"
    portable = written.replace("\\", "/").lstrip("/")
    if portable == href:  # no folder: the `\\` only led the path (`\\_chart.png`)
        return f"{said}; a media path starts with no '\\' (relative to the bank's folder)"
    return f"{said}; write '/' between folders ('{portable}')"


# Markdown's backslash escapes: a backslash before ASCII punctuation (CommonMark 2.4).
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@lru_cache(maxsize=8)
def _unescaped(text: str) -> tuple[str, tuple[int, ...]]:
    """The text with its backslash escapes taken out, and where each character stood in it
    (cached: a text with several missing images is asked once per image)."""
    pieces: list[str] = []
    where: list[int] = []
    last = 0
    for escape in _ESCAPE.finditer(text):
        pieces += [text[last:escape.start()], escape.group(1)]
        where.extend(range(last, escape.start()))
        where.append(escape.start() + 1)
        last = escape.end()
    pieces.append(text[last:])
    where.extend(range(last, len(text)))
    return "".join(pieces), tuple(where)


@dataclass(frozen=True)
class BankScan:
    """What the one pass over a bank's rich text finds, for the checks and the targets."""

    problems: list[Problem]
    # Per question id: richtext.RICH | MEDIA | MATH over its texts and its stimulus, so the
    # capability scan (capabilities.question_features) need not walk the texts again.
    flags: dict[str, int]
    media: list[str]  # every media href (normalised), in first-use order: see bank_media


def scan_bank(bank: Bank, base_dir: Path, early: EarlyRendering | None = None) -> BankScan:
    """Every text rendered (a large bank's on every core) and checked, with the flags and
    media of each question. `early`: their rendering, started while the model was built."""
    from packager.context import usable_cores
    from packager.render_pool import rendered_ahead

    with rendered_ahead(bank_texts(bank), usable_cores(), early):
        # What the early rendering's join scanned of each question's texts as it rendered
        # them, on both cores: the scan after it runs alone.
        return _scan(bank, base_dir, scanned=early.scanned if early is not None else None)


def bank_problems_found(
    bank: Bank, base_dir: Path, early: EarlyRendering | None = None
) -> list[Problem]:
    """scan_bank's problems, for a check that writes nothing from the rendering (validate,
    import): texts that cannot hold a problem (richtext_screening.may_have_problems) are not
    rendered. Most texts of a bank are such, and rendering is most of what checking one
    costs.
    `early`: their rendering, started while the model was built (joined here)."""
    from packager.context import usable_cores
    from packager.render_pool import rendered_ahead

    # A dict, not a set: the texts go to the render pool in the bank's order on every run.
    # Each maps to itself, the early rendering's key for the worker's copy of it.
    texts = {t: t for _, _, t in bank_level_fields(bank) if may_have_problems(t)}
    questions: list[tuple[int, Question]] = []  # those with such a text, and their positions
    # A worker that parsed the bank's file marked the questions of its parts with such a
    # string: only this process's own parts and those are screened here, as they are joined.
    found_by_position = early.join_found(_suspects_of) if early is not None else None
    if found_by_position is not None:
        for i in sorted(found_by_position):
            texts.update((t, t) for t in found_by_position[i])
            questions.append((i, bank.questions[i]))
    else:
        # The questions a worker found such a string in, when one screened the bank's file.
        screened = early.screened(len(bank.questions)) if early is not None else None
        for i, q in enumerate(bank.questions):
            if screened is not None and i not in screened:
                continue
            found = _suspects_of(q)
            if found:
                texts.update((t, t) for t in found)
                questions.append((i, q))
        if early is not None:  # joined once the suspects are known: the worker had that long
            early.join(texts)
    with rendered_ahead(texts, usable_cores()):
        return _scan(bank, base_dir, (texts, questions)).problems


def _suspects_of(question: Question) -> list[str]:
    """The question's texts that may hold a problem."""
    return [t for t in question_texts(question) if may_have_problems(t)]


# The texts that may hold a problem (each mapped to itself), and the questions (with their
# positions) that have any.
Suspects = tuple[Mapping[str, str], Sequence[tuple[int, Question]]]
# A question's texts_scan: its texts' flags, and whether the scan looks closer at it.
TextsScan = tuple[int, bool]


def texts_scan(texts: Iterable[str]) -> TextsScan:
    """The flags (richtext.RICH | …) over these texts, and whether any of them has a
    problem, a warning or media, which the scan then looks at closer."""
    flags, look_closer = 0, False
    for text in texts:
        rendered = render(text)
        flags |= rendered.flags
        if rendered.problems or rendered.media or rendered.warnings:
            look_closer = True
    return flags, look_closer


def _scan(
    bank: Bank,
    base_dir: Path,
    suspects: Suspects | None = None,
    scanned: Mapping[int, TextsScan] | None = None,
) -> BankScan:
    """Render every text, for the flags and the writers; or, given `suspects`, only those
    texts of those questions (and the flags are not filled in): a check then visits a few
    hundred questions of a 10,000-question bank, not all of them. `scanned`: texts_scan of
    the texts of questions (by position) done before."""
    texts, questions = (None, enumerate(bank.questions)) if suspects is None else suspects
    problems: list[Problem] = []
    # Each href's problem (message, hint) or None, and its first use (pointer, question).
    seen_media: dict[str, _Seen] = {}
    hrefs: dict[str, None] = {}
    folders = FolderNames()

    def check(fields: Iterable[RichField]) -> None:
        for pointer, qid, text in fields:
            rendered = render(text)
            for kind, message in rendered.problems:
                problems.append(Problem(pointer, message, "E-RICHTEXT", RICHTEXT_HINTS[kind], qid))
            for code, message in rendered.warnings:  # a `$` meant as math, or a dropped title
                hint = _TITLE_HINT if code == "W-TITLE" else _DOLLAR_HINT
                problems.append(Problem(pointer, message, code, hint, qid, is_error=False))
            for href in rendered.media:
                hrefs[str(PurePosixPath(href))] = None
                if href not in seen_media:
                    seen_media[href] = _Seen(
                        media_path_problem(href, base_dir, folders), pointer, qid
                    )
                found = seen_media[href].problem
                if found is not None:
                    hint = found[1]
                    written = _eaten_backslash(href, text) if found[0].endswith(
                        "does not exist") else None
                    if written is not None:
                        hint = _eaten_backslash_hint(written, href)
                    problems.append(Problem(pointer, found[0], "E-MEDIA", hint, qid))

    check(bank_level_fields(bank))
    stimulus_flags = {s.id: render(s.body).flags for s in bank.stimuli} if texts is None else {}
    flags: dict[str, int] = {}
    for i, q in questions:
        found = scanned.get(i) if scanned else None
        if found is None:
            found = texts_scan(question_texts(q) if texts is None else
                               (text for text in question_texts(q) if text in texts))
        text_flags, look_closer = found
        used = text_flags | (stimulus_flags.get(q.stimulus, 0) if q.stimulus else 0)
        # Pointers are built only for a question with something to report: most questions
        # have neither problems nor media, and their pointers would be thrown away.
        if look_closer:
            check(question_rich_fields(q, f"/questions/{i}"))
        if isinstance(q, FillInBlanks):
            problems.extend(_misplaced_blanks(q, i))
        flags[q.id] = used
    problems.extend(_one_file_elsewhere(seen_media, base_dir))
    total = sum(
        _on_disk(base_dir, h).stat().st_size
        for h, seen in seen_media.items()
        if seen.problem is None
    )
    if total > MAX_BANK_MEDIA_BYTES:
        problems.append(
            Problem(
                "",
                f"the bank's media files add up to {mib(total)}, more than the "
                f"{mib(MAX_BANK_MEDIA_BYTES)} one bank may use",
                "E-MEDIA",
                "use smaller images, or split the bank",
            )
        )
    return BankScan(problems, flags, list(hrefs))


def _on_disk(base_dir: Path, href: str) -> Path:
    return base_dir / Path(*PurePosixPath(href).parts)


class _Seen(NamedTuple):
    """A media href of a bank: why it is unusable (message, hint) or None, and its first use."""

    problem: tuple[str, str] | None
    pointer: str
    question_id: str | None


def _one_file_elsewhere(seen: Mapping[str, _Seen], base_dir: Path) -> list[Problem]:
    """E-MEDIA where two media paths are one file on Windows and macOS (`chart.png`,
    `Chart.png`): a package unpacked there would show one image for both, or, where the two
    are one file here too (links), hold it twice under names that clash there. On Windows
    and macOS one of two such spellings is not the name on disk, which media_path_problem
    reports; links make both real names on Linux, and the verdict must not differ."""
    first: dict[str, str] = {}
    found = []
    for href, use in seen.items():  # in first-use order
        if use.problem is not None:
            continue
        name = str(PurePosixPath(href))
        twin = first.setdefault(same_file_key(name), name)
        if twin == name:
            continue
        try:
            same = _on_disk(base_dir, twin).samefile(_on_disk(base_dir, name))
        except OSError:  # gone since it was checked: its own check says so next time
            continue
        found.append(Problem(
            use.pointer,
            f"media paths {twin!r} and {name!r} are one file on Windows and macOS (letter "
            "case and the encoding of accents do not count there), and here "
            + ("two names of one file (links): a package would hold it twice, under names "
               "that clash when unpacked there" if same else
               "two different files: unpacked there, one image would replace the other"),
            "E-MEDIA",
            f"write {twin!r} in every reference to it" if same else
            "rename one of the two files, and the references to it",
            use.question_id,
        ))
    return found


_DOLLAR_HINT = (
    "write \\$ for a dollar sign; write math between $ signs with no space inside them, "
    "and no digit right after the closing one, e.g. $x^2$, or between $$ and $$"
)


_TITLE_HINT = "say it in the text, or in the image's alt text, and drop the title"
_REMOVE_HINT = "remove it: packages must not carry scripts, event handlers or embedded pages"
# The hint for each kind of rich-text problem (its kind is set where it is found).
RICHTEXT_HINTS: dict[RefusedKind, str] = {
    "address": "write the address with its scheme, e.g. https://example.org/page",
    "attribute": ("remove the attribute: packages keep only what every LMS shows alike (no "
                  "layout or styles)"),
    "character": ("delete it (often an invisible control character pasted from another program), "
                  "or write the character you meant"),
    "class": "remove the class attribute: packages carry no styles for it",
    "deep": "nest fewer lists, quotes or elements inside each other (a few levels read best)",
    "dollars": _DOLLAR_HINT,
    "element": _REMOVE_HINT,
    "expanded": "give each row of the table as many cells as its header has, or fewer columns",
    "file-link": ("link to the page's web address (https://…), or keep the link's text without "
                  "the link (`packager import` does that for a text bank, noting each link)"),
    "handler": _REMOVE_HINT,
    "image": "copy the image into the bank's folder and use a relative path",
    "math": "write LaTeX between $…$ (inline) or $$…$$ (display), e.g. $x^2 + 1$",
    "math-link": ("leave \\href out of the math: packages carry no links in math, where they "
                  "would escape the checks links get (safe schemes, a host); link the words "
                  "beside it, e.g. $x^2$ ([source](https://example.org))"),
    "math-style": ("leave the command out and keep what it wraps (\\style{…}{x} as x; also "
                   "\\class and \\cssId): packages keep only what every LMS shows alike (no "
                   "styles, classes or ids); for a colour write \\color{red}{x}"),
    "math-bounds": ("keep the space, shift or size within the bounds named, or leave it out: "
                    "math is drawn in its own line and box"),
    "nesting": ("put text inside <p>, <li> or <td>, and close each tag inside the one around it, "
                "e.g. <em>a <b>b</b></em>"),
    "no-href": "give the <a> an href (https://…), or keep its text without the <a> tags",
    "nothing": "write what learners should see here, or remove the field where it is optional",
    "scope": "write scope=\"row\" or \"col\" (or rowgroup, colgroup), or leave it out",
    "table-captions": "keep one <caption>, first in the table; say the rest in the text around it",
    "table-rows": "write its rows (<tr><td>…</td></tr>), or remove the table",
    "unsafe-url": _REMOVE_HINT,
}


def _misplaced_blanks(q: FillInBlanks, index: int) -> list[Problem]:
    """Blanks the rendered prompt does not show exactly as written: each marker once, in its
    running text. Elsewhere (an HTML attribute, a link's address, an image or math) no writer
    can put an answer box (QTI left the question without one; Moodle's cloze code broke out
    of the attribute), and a marker that rendering makes of character references or escapes
    (`&#91;&#91;b&#93;&#93;`, `\\[\\[b\\]\\]`) would be a second box, or one with no answers:
    the writers find blanks in the rendered text."""
    rendered = render(q.prompt)
    if rendered.read_without_engine:
        return []  # the text as written, escaped: its markers are the source's
    from lxml import etree

    shown: list[str] = []  # in XHTML text, where an answer box can go
    hidden: list[str] = []  # in attributes, comments and MathML
    for node in etree.fromstring(f"<div>{rendered.xhtml}</div>").iter():
        is_xhtml = isinstance(node.tag, str) and not node.tag.startswith("{")
        (shown if is_xhtml else hidden).extend(BLANK_MARKER.findall(node.text or ""))
        if isinstance(node.tag, str):
            for value in node.attrib.values():
                hidden.extend(BLANK_MARKER.findall(str(value)))
        parent = node.getparent()
        if parent is not None and node.tail:
            in_xhtml = not str(parent.tag).startswith("{")
            (shown if in_xhtml else hidden).extend(BLANK_MARKER.findall(node.tail))
    written = Counter(BLANK_MARKER.findall(q.prompt))
    times = Counter(shown)
    in_hiding = set(hidden)
    problems: list[Problem] = []
    for name in dict.fromkeys([*written, *shown, *hidden]):
        if name not in in_hiding and not times[name]:
            message = (
                f"the rendered prompt does not show the blank [[{name}]], so no answer box can "
                "go there: Markdown read part of its name as formatting (`-_x_` as emphasis), "
                "or it stands in markup the sanitiser removes (a comment)"
            )
            hint = (f"write [[{name}]] in the running text of the prompt, under a name without "
                    "`_` after `-` or at its ends")
        elif name in in_hiding:
            message = (
                f"the blank [[{name}]] is inside an HTML attribute, a link address, an image "
                "or math, where no answer box can go"
            )
            hint = f"put [[{name}]] in the running text of the prompt, and only there"
        elif times[name] > written[name]:
            message = (
                f"the rendered prompt shows [[{name}]] where its text has no such marker: "
                "character references or escapes (&#91;, \\[) around a name make a blank's "
                "marker too"
            )
            hint = f"write [[{name}]] once, where its answer box goes, and nowhere else"
        else:
            continue
        problems.append(Problem(f"/questions/{index}/prompt", message, "E-BLANKS", hint, q.id))
    return problems


def bank_media(bank: Bank, base_dir: Path) -> list[MediaFile]:
    """Every media file a valid bank refers to, in first-use order."""
    hrefs: dict[str, None] = {}
    for text in bank_texts(bank):
        for href in render(text).media:
            hrefs[str(PurePosixPath(href))] = None
    return media_files(list(hrefs), base_dir)


def media_files(hrefs: list[str], base_dir: Path) -> list[MediaFile]:
    """The files on disk of normalised media hrefs (a BankScan's, or bank_media's)."""
    return [MediaFile(h, (base_dir / Path(*PurePosixPath(h).parts)).resolve()) for h in hrefs]
