"""Moodle XML question files (Question bank → Export → Moodle XML format) → an Imported bank.

The format is what Moodle's exporter writes (question/format/xml/format.php, and the
`export_to_xml` of the ddwtos, gapselect and ordering types): a `<quiz>` of `<question
type="…">` elements. `category` pseudo-questions set the category of the questions after them:
the path all of them share (as the GIFT reader reads `$CATEGORY`) names the bank (its last
segment), and its category gives the bank's id (its `idnumber`, when a slug) and description
(`info`; another category's is noted); a question in a deeper category is tagged with the
rest of its path (`Kappa/Lambda`). Per question: `name` → title (its markup stripped, as
Moodle shows a name; left out when it only repeats the text, as packager's writer derives
it), `questiontext` → prompt, `generalfeedback` → explanation, `defaultgrade` → points,
`idnumber` → id when a slug (else a slug of the name), `tags`/`coursetags` → tags.
Types: see moodle_types.py and moodle_cloze.py; calculated, drag-and-drop onto images and
other plug-in types have no canonical form and are dropped with a note. A text in several
languages keeps one, the same for the whole file (moodle_multilang.py), which is the bank's.

Moodle settings without a canonical counterpart that change what a question means are noted
(a hidden question, hints); the penalty and the answer numbering are not (a bank holds no
multi-try behaviour, and numbering is presentation).
"""

from __future__ import annotations

import math
import re
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, NamedTuple

from packager.errors import InputError
from packager.readers.encoding import head_text
from packager.readers.imported import Imported, Location, is_slug, make_bank, slug, unique
from packager.readers.moodle_multilang import Multilang, may_hold
from packager.readers.moodle_text import (
    CODE,
    Context,
    child,
    child_text,
    children,
    location,
    text_of,
)
from packager.readers.moodle_types import Reader, tidy
from packager.readers.parallel import in_parts
from packager.readers.safe_xml import parse_xml
from packager.readers.sniff import SNIFF_BYTES, element_names
from packager.richtext_plain import plain_text

if TYPE_CHECKING:
    from lxml import etree

    from packager.diagnostics import Diagnostic
    from packager.readers.base import Source
    from packager.readers.imported import ImportNote

NAME = "moodle"

# An optional BOM, XML declaration, comments and white space, then the <quiz> root.
_BUILDERS: dict[str, tuple[str, Any]] = {
    "multichoice": ("single_choice", Reader.multichoice),
    "oumultiresponse": ("multiple_response", Reader.oumultiresponse),
    "truefalse": ("true_false", Reader.truefalse),
    "shortanswer": ("short_answer", Reader.shortanswer),
    "numerical": ("numeric", Reader.numerical),
    "essay": ("essay", Reader.essay),
    "matching": ("matching", Reader.matching),
    "match": ("matching", Reader.matching),
    "ordering": ("ordering", Reader.ordering),
    "description": ("text", Reader.description),
    "cloze": ("fill_in_blanks", lambda r: r.gaps("cloze")),
    "multianswer": ("fill_in_blanks", lambda r: r.gaps("cloze")),
    "ddwtos": ("fill_in_blanks", lambda r: r.gaps("ddwtos")),
    "gapselect": ("fill_in_blanks", lambda r: r.gaps("gapselect")),
    # Plug-in types whose export is a core type's, fields and all.
    "ddmatch": ("matching", Reader.matching),
    "essayautograde": ("essay", Reader.essay),
    "multichoiceset": ("multiple_response", Reader.multichoiceset),
    # qtype_answersselect: an OU multiple response (its fields, its grading) that shows each
    # learner a selection of its answers.
    "answersselect": ("multiple_response", Reader.oumultiresponse),
    "order": ("ordering", Reader.order),
    "gapfill": ("fill_in_blanks", Reader.gapfill),
}
# What a plug-in type read as a core type loses: noted once per question.
_PLUGIN_AS_CORE: dict[str, str] = {
    "ddmatch": "qtype_ddmatch's drag-and-drop matching became a matching question (the "
               "learner picks each match from a list)",
    "essayautograde": "qtype_essayautograde's automatic grading (word counts, target phrases) "
                      "is not carried: the essay is graded by a person",
}
# One line of text that Markdown reads as a paragraph of exactly that text: no character with
# a meaning in Markdown or HTML, none XML cannot carry, no line break, and no block marker or
# white space at its start (the renderer reads a list marker after a Unicode space too).
_LITERAL_PARAGRAPH = re.compile(
    r"(?![-+=>0-9\s])[^\\`*_\[\]<>&!#$|~\n\r\t\x85\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]+"
)
# Prefixes of a category path that name a context, not a category.
_CONTEXT = re.compile(r"^\$[a-z0-9]+\$$")


# Text right inside the root: an mkdocs-quiz block, never a Moodle export.
_MARKDOWN_QUIZ = re.compile(r"<quiz\s*>\s*[^<\s]")


def detect(data: bytes) -> bool:
    """A Moodle XML file: its root element is <quiz> (read by a parser, which knows the
    document's encoding: UTF-16 too) holding elements: a Markdown quiz block of mkdocs-quiz
    (`<quiz>` around a question's text) holds none."""
    names = element_names(data)
    # As text in its own encoding: a UTF-16 Markdown file's bytes never match a pattern.
    return names[:1] == ["quiz"] and _MARKDOWN_QUIZ.search(head_text(data[:SNIFF_BYTES])) is None


def read(source: Source) -> Imported:
    root = parse_xml(source.data, source.name)
    if root.tag != "quiz":
        raise InputError(
            f"{source.name}: not a Moodle XML file (the root element is <{root.tag}>)",
            diagnostics=[location(source.name, root).diagnostic(
                CODE, f"the root element is <{root.tag}>, not <quiz>",
                "export the questions from Moodle as 'Moodle XML format'")],
        )
    ctx = Context(source)
    walk = _Walk(ctx)
    walk.run(root)
    # What was read keeps no element: the tree (some 170 MB for 10,000 questions) is freed
    # before the bank is built, not once it is, after the checks' render worker has forked
    # from this process (the workers took some 0.18 CPU-s more at 10,000 questions).
    ctx.forget_elements()
    del root
    if ctx.errors:
        raise InputError(f"{source.name}: {len(ctx.errors)} problem(s) in the Moodle XML file",
                         diagnostics=ctx.errors)
    stem = PurePath(source.name).stem
    bank_id = walk.bank_id if walk.bank_id else slug(stem, "moodle-bank")
    extra: dict[str, Any] = {}
    if walk.description:
        extra["description"] = walk.description
    if ctx.multilang is not None and ctx.multilang.tag is not None:
        extra["language"] = ctx.multilang.tag  # the language kept of each multilang text
    bank, left_out = make_bank(source.name, bank_id, walk.title or stem or bank_id,
                               walk.questions, walk.locations, CODE, noted=ctx.notes, **extra)
    return Imported(bank, ctx.media, ctx.notes + left_out)


class _Walk:
    """One pass over the questions: categories, ids, then each question's fields."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.title: str | None = None
        self.bank_id: str | None = None
        self.description: str | None = None
        self.questions: list[dict[str, Any]] = []
        self.locations: list[Location] = []

    def run(self, root: etree._Element) -> None:
        current: tuple[str, ...] = ()
        categories: list[tuple[etree._Element, tuple[str, ...]]] = []
        placed: list[tuple[etree._Element, tuple[str, ...]]] = []
        elements = list(root.iterchildren("question"))
        self.ctx.number_questions(elements)
        # One language for the whole file, as Moodle shows it to one learner.
        if may_hold(self.ctx.source.data):
            self.ctx.multilang = Multilang.of(text_of(text) for text in root.iter("text"))
        for element in elements:
            qtype = (element.get("type") or "").strip()
            if qtype == "category":
                current = _category_path(self.ctx.raw(element.find("category")))
                categories.append((element, current))
                continue
            if not qtype:
                self.ctx.error(element, "a <question> has no type attribute",
                               'give it one, e.g. type="multichoice"')
                continue
            placed.append((element, current))
        shared = self.categories(categories)
        ids = unique([self.question_id(element, n) for n, (element, _) in enumerate(placed, 1)])
        todo = [(qid, element, "/".join(path[len(shared):]) or None)
                for qid, (element, path) in zip(ids, placed, strict=True)]
        # Questions are read independently, but for the media: a name is made unique against
        # those kept before it. A file whose questions carry no <file> is read in parts.
        parts = (in_parts(_read_part, (self, todo), len(todo))
                 if next(root.iter("file"), None) is None
                 else [_read_part((self, todo), 0, len(todo))])
        for part in parts:
            self.questions += part.questions
            self.locations += part.locations
            self.ctx.notes += part.notes
            self.ctx.errors += part.errors

    def categories(self, categories: list[tuple[etree._Element, tuple[str, ...]]]
                   ) -> tuple[str, ...]:
        """The path every category shares (as the GIFT reader reads `$CATEGORY`), whatever
        order the file lists them in. The first category of that path is the bank's; the
        description of any other is noted."""
        paths = [path for _, path in categories if path]
        shared = paths[0] if paths else ()
        for path in paths[1:]:
            n = 0
            while n < min(len(shared), len(path)) and shared[n] == path[n]:
                n += 1
            shared = shared[:n]
        bank = next((element for element, path in categories if path == shared), None)
        if bank is not None:
            self.bank_category(bank, shared)
        for element, path in categories:
            info = element.find("info")
            if element is not bank and info is not None and self.ctx.raw(info):
                self.ctx.note(None, info, "dropped", f"the description of the category "
                              f"{'/'.join(path)!r}: a bank has one description"
                              + (f", its category's ({self.title!r})" if bank is not None
                                 and self.title else ""))
        if categories:  # one note for the languages of every category's texts
            self.ctx.note_languages(None, categories[0][0] if bank is None else bank)
        return shared

    def bank_category(self, element: etree._Element, path: tuple[str, ...]) -> None:
        if path:
            self.title = path[-1]
        idnumber = (element.findtext("idnumber") or "").strip()
        if is_slug(idnumber):
            self.bank_id = idnumber
        self.description = self.ctx.rich(None, element.find("info"), "moodle_auto_format")

    def question_id(self, element: etree._Element, n: int) -> str:
        idnumber = (child_text(element, "idnumber") or "").strip()
        if is_slug(idnumber):
            return idnumber
        return slug(self.ctx.name(child(element, "name")) or "", f"q{n}")

    def question(self, qid: str, element: etree._Element, category: str | None) -> None:
        qtype = (element.get("type") or "").strip()
        known = _BUILDERS.get(qtype)
        if known is None:
            self.ctx.note(qid, element, "dropped",
                          f"the whole question: Moodle's {qtype!r} type has no canonical form")
            return
        canonical, build = known
        if self.ctx.multilang is not None:
            # What was dropped before (names read for the ids, a question left out) is not
            # this question's to note.
            self.ctx.multilang.take()
        q: dict[str, Any] = {"id": qid, "type": canonical}
        reader = Reader(self.ctx, element, q)
        if canonical != "text":
            reader.put("explanation", reader.rich(reader.field("generalfeedback")))
            reader.put("points", self.points(qid, reader.field("defaultgrade")))
        if not build(reader):
            return
        if qtype in _PLUGIN_AS_CORE:
            self.ctx.note(qid, element, "changed", _PLUGIN_AS_CORE[qtype])
        # The plug-in's own import takes a missing mode for 1 (a set number left out).
        if qtype == "answersselect" and (
                element.findtext("answersselectmode") or "1").strip() != "0":
            self.ctx.note(qid, element, "changed", "qtype_answersselect shows each learner a "
                          "selection of its answers (some right and wrong ones left out): "
                          "every answer is shown")
        name = self.ctx.name(reader.field("name"))
        # packager's writer names an untitled question by the plain text of its prompt, which
        # may hold what reads as a tag: that name is compared as written.
        written = self.ctx.plain(reader.field("name"))
        if name is not None and not (written is not None and _derived(written, q["prompt"])):
            q["title"] = name
        tags = [t for t in (self.ctx.plain(tag) for tag in element.iterfind("tags/tag"))
                if t is not None]
        tags += [t for t in (self.ctx.plain(tag) for tag in element.iterfind("coursetags/tag"))
                 if t is not None]
        if category is not None:
            tags.append(category)
        if tags:
            q["tags"] = list(dict.fromkeys(tags))
        self.notes(qid, element, reader.field("hidden"))
        self.questions.append(q)
        self.locations.append(self.ctx.where(element))

    def points(self, qid: str, grade: etree._Element | None) -> float | None:
        if grade is None or not (grade.text or "").strip():
            return None
        try:
            value = float((grade.text or "").strip())
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.ctx.error(grade, f"defaultgrade {grade.text!r} is not a number")
            return None
        if value <= 0:
            self.ctx.note(qid, grade, "changed", f"a default grade of {value:g} became the "
                          "bank's default points (a scored question is worth more than 0)")
            return None
        return None if value == 1 else tidy(value)

    def notes(self, qid: str, element: etree._Element, hidden: etree._Element | None) -> None:
        self.ctx.note_languages(qid, element)
        if hidden is not None and (hidden.text or "").strip() not in ("", "0"):
            self.ctx.note(qid, hidden, "dropped", "the question was hidden in Moodle; it is "
                          "an ordinary question of the bank")
        for hint in children(element, "hint"):
            options = _hint_options(hint, element.get("type"))
            if self.ctx.raw(hint):
                self.ctx.note(qid, hint, "dropped", "a hint (shown between tries in Moodle)"
                              + (f", with its options: {options}" if options else ""))
            elif options:  # Moodle keeps a hint of options only
                self.ctx.note(qid, hint, "dropped",
                              f"a hint's options (shown between tries in Moodle): {options}")


def _hint_options(hint: etree._Element, qtype: str | None) -> str:
    """What a hint's options do, as a phrase ('' without any): `shownumcorrect` and
    `clearwrong` by their presence (Moodle's import_hint), and the OU multiple-response
    type's `options` when not empty or 0 (show each option's feedback; no core type reads
    it)."""
    found = []
    if hint.find("shownumcorrect") is not None:
        found.append("show the number of right picks")
    if hint.find("clearwrong") is not None:
        found.append("clear the wrong picks")
    if qtype == "oumultiresponse" and (hint.findtext("options") or "").strip() not in ("", "0"):
        found.append("show each option's feedback")
    return ", ".join(found)


class _Part(NamedTuple):
    """What reading some of the questions adds to the bank and the report."""

    questions: list[dict[str, Any]]
    locations: list[Location]
    notes: list[ImportNote]
    errors: list[Diagnostic]


def _read_part(state: tuple[_Walk, list[tuple[str, etree._Element, str | None]]], start: int,
               stop: int) -> _Part:
    """The questions `todo[start:stop]` read (`in_parts`: here or in a worker), each from its
    id, element and category tag; the walk and its context are left as they were."""
    walk, todo = state
    ctx = walk.ctx
    kept = walk.questions, walk.locations, ctx.notes, ctx.errors
    walk.questions, walk.locations, ctx.notes, ctx.errors = [], [], [], []
    try:
        for qid, element, tag in todo[start:stop]:
            walk.question(qid, element, tag)
        return _Part(walk.questions, walk.locations, ctx.notes, ctx.errors)
    finally:
        walk.questions, walk.locations, ctx.notes, ctx.errors = kept


def derived_name(prompt: str) -> str:
    """The name packager's writer gives a question without a title (writers/moodle.py)."""
    from packager.model import BLANK_MARKER

    return _shortened(BLANK_MARKER.sub("____", plain_text(prompt)))


def _shortened(text: str) -> str:
    return text if len(text) <= 80 else text[:79].rstrip() + "…"


def _derived(name: str, prompt: str) -> bool:
    """Whether `name` only repeats the prompt, as packager's writer names an untitled
    question: from the prompt proper, which follows any stimulus or scenario in the text."""
    from packager.model import BLANK_MARKER

    blocks = prompt.split("\n\n")
    if all(_LITERAL_PARAGRAPH.fullmatch(block) for block in blocks):
        # Paragraphs of literal text (a scenario, then the question): their plain text is
        # their words, so nothing needs rendering, and only a name's length of them counts,
        # from a block that starts as the name does (no such block starts with white space).
        first = name.removesuffix("…").split(" ", 1)[0]
        return any(block.startswith(first[:1]) and name == _shortened(_start(blocks, i))
                   for i, block in enumerate(blocks))
    # The name is the start of the prompt proper's plain text: a cheap test rules most out.
    if name.removesuffix("…") not in BLANK_MARKER.sub("____", plain_text(prompt)):
        return False
    n = len(blocks)
    starts = [*range(min(n, _TRIES)), *range(max(_TRIES, n - _TRIES), n)]
    return any(name == derived_name(_head(blocks, i)) for i in starts)


# The prompt proper (after any scenario) is looked for from the first and the last of these
# many blocks, each rendered to its first 2,000 characters, where a name's 80 are unless
# markup outweighs the text: every block rendered with all after it took time quadratic in
# a prompt of thousands of paragraphs. A name misjudged so only repeats the
# prompt's start, kept as a title or left for the writer to make again.
_TRIES = 8
_HEAD = 2000


def _head(blocks: list[str], at: int) -> str:
    """The blocks from `at` on, to their first `_HEAD` characters."""
    parts, size = [], 0
    for k in range(at, len(blocks)):
        parts.append(blocks[k])
        size += len(blocks[k]) + 2
        if size >= _HEAD:
            break
    return "\n\n".join(parts)[:_HEAD]


def _start(blocks: list[str], at: int) -> str:
    """The words of `blocks[at:]`, one space apart, as far as `_shortened` reads them: their
    81 first characters."""
    parts, size = [], -1
    for k in range(at, len(blocks)):
        words = " ".join(blocks[k].split())
        parts.append(words)
        size += len(words) + 1
        if size > 80:
            break
    return " ".join(parts)


def _category_path(text: str) -> tuple[str, ...]:
    """A category path's segments without its context prefix (`$course$`) and `top`; `//`
    is a slash inside a segment."""
    segments = [s.replace("\x00", "/").strip(" \t\r\n")
                for s in text.replace("//", "\x00").split("/")]
    segments = [s for s in segments if s]
    if segments and _CONTEXT.match(segments[0]):
        segments = segments[1:]
    if segments and segments[0] == "top":
        segments = segments[1:]
    return tuple(segments)

