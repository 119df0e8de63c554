"""GIFT text (Moodle's "General Import Format Technology") → an imported bank with a report.

`gift_parse.parse` reads the grammar (Moodle's, question/format/gift/format.php); this module
turns each `GiftQuestion` into canonical data. Texts follow their GIFT format: `[html]` goes
through readers/html_markdown.py (MathML → LaTeX; unsafe markup dropped with a note),
`[moodle]` (the default, Moodle's auto-format: HTML allowed, blank lines are paragraphs) the
same way, `[plain]` is escaped text, `[markdown]` is kept. TeX (`\\(…\\)`, `\\[…\\]`, `$$…$$`)
becomes packager's `$…$` math. GIFT holds no files: an `@@PLUGINFILE@@` image is dropped with a
note; a relative image path is taken from beside the GIFT file when it is a real image there
(packager's own GIFT export keeps the bank's `media/…` paths).

`$CATEGORY:` lines: the bank title is the last level of the path the categories share (all of
them, or the only one); a question in a deeper category is tagged with the rest of its path.
Ids: `[id:…]` in the `//` comment when it is a slug, else the title slugged, else `q<n>`.

Mappings that approximate (each noted): a missing-word question becomes `fill_in_blanks` (short
answers) or keeps its choices with a `_____` blank in the prompt; partial-credit answers of a
single choice, short answer or numeric question are dropped (the model has full-credit answers
only); per-answer feedback of short answers becomes `feedback.correct` when they agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import Any, Literal
from urllib.parse import unquote

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.readers import imported
from packager.readers.base import Source
from packager.readers.encoding import head_text
from packager.readers.gift_parse import (
    GiftAnswer,
    GiftQuestion,
    errors_found,
    parse,
    read_questions,
    unescape,
)
from packager.readers.gift_parse import number as _number
from packager.readers.html_markdown import html_to_markdown, text_to_markdown
from packager.readers.html_markdown_images import Dropped
from packager.readers.html_markdown_writer import dropped_link
from packager.readers.imported import (
    LOST_TEXT,
    NO_TEXT,
    Imported,
    ImportNote,
    Location,
    data_image,
)
from packager.readers.moodle_cloze import WILDCARD
from packager.readers.moodle_grading import (
    ALL_WILDCARDS,
    multi_scoring,
    ordering_changes,
    wildcard_dropped,
)
from packager.readers.moodle_multilang import Multilang, may_hold
from packager.readers.moodle_text import plain_html
from packager.readers.sniff import is_xml_or_json, whole_lines
from packager.richtext_links import links_as_text

__all__ = ["NAME", "GiftAnswer", "GiftQuestion", "detect", "parse", "read",
           "unescape"]

NAME = "gift"
CODE = "E-GIFT"
Kind = Literal["dropped", "changed"]

# GIFT's own marks: a ::title::, a $CATEGORY: line, an answer block opening with = ~ # or T/F.
# A title, a category, an answer block's opening (`{=`, `{~`, `{#`, `{T}`), an essay's empty
# block ending a line, and the comment lines Moodle's GIFT export writes above a question.
# Marks at a line's start allow spaces before them, not line ends: `\s*` after `^` ran over
# every blank line below each line start, quadratic in a file of blank lines.
_MARKS = re.compile(
    r"^[^\S\n]*::[^\n]*?::|^[^\S\n]*\$CATEGORY:|\{\s*(?:[=~#]|(?:T|F|TRUE|FALSE)\s*(?:[#}]))"
    r"|\{\s*\}[ \t]*\r?$|^//[^\S\n]*(?:question:[^\S\n]*\d+[^\S\n]+name:|\[(?:id|tag):)",
    re.M,
)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_CATEGORY_ROOT = re.compile(r"^\$(?:course|system|module|coursecategory|cat)\$/(?:top/?)?")
_MISSING_WORD = "\\_\\_\\_\\_\\_"
# Why an image beside the GIFT file's folder, not in it, is not read: a stranger's file may
# name any file of the importer's disk.
_OUTSIDE = "its path leads outside the GIFT file's folder{}: only images in that folder are read"
# An image on the web (or protocol-relative): not carried by the file.
_WEB = re.compile(r"^(?:https?:)?//", re.I)
# Where Moodle's own files are referred to (its exports keep the references, not the files).
_PLUGINFILE = "@@PLUGINFILE@@/"


def detect(data: bytes) -> bool:
    """Whether a file holds GIFT (for `import --from auto`), by its marks; never raises.
    GIFT shows them in its first question, so the first 64 KiB are judged (whole lines: a
    mark is never cut), not a large file's every line."""
    head = whole_lines(data)
    if data.startswith(b"PK") or is_xml_or_json(data):
        return False
    return _MARKS.search(head_text(head)) is not None


def _category_levels(path: str) -> list[str]:
    """A Moodle category path as its levels ('//' is a slash in a name, '/' separates)."""
    path = _CATEGORY_ROOT.sub("", path.strip())
    return [level.replace("\x00", "/").strip()
            for level in path.replace("//", "\x00").split("/") if level.strip()]


class _LeftOut(Exception):
    """A question left out, with why (a note)."""


class _Converter:
    """GIFT texts → canonical rich text for one question, collecting its notes."""

    def __init__(self, base_dir: Path, media: dict[str, bytes]) -> None:
        self.base_dir = base_dir
        self.media = media
        # Each note once, with how often it was made: four options that each lose an image
        # are four losses, not one.
        self._counts: dict[tuple[Kind, str], int] = {}
        self.losses = 0  # how many things were dropped so far

    def note(self, kind: Kind, message: str) -> None:
        self._counts[(kind, message)] = self._counts.get((kind, message), 0) + 1
        if kind == "dropped":
            self.losses += 1

    def options(self, kind: str, texts: list[tuple[str, str]]) -> list[str]:
        """The rich texts of a question's options (or pairs' prompts) from (text, format);
        _LeftOut when some held only what was dropped (an image not kept): no text is made
        up for them, and a pair is not read as a distractor."""
        converted, lost = [], []
        for n, (text, fmt) in enumerate(texts, start=1):
            losses = self.losses
            converted.append(self.rich(text, fmt))
            if not converted[-1] and self.losses > losses:
                lost.append(n)
        if lost:
            raise _LeftOut(imported.lost_parts(kind, lost))
        return converted

    @property
    def notes(self) -> list[tuple[Kind, str]]:
        return [(kind, message if n == 1 else f"{message} ({n} times)")
                for (kind, message), n in self._counts.items()]

    def image(self, src: str) -> str | Dropped | None:
        """An image embedded as a `data:` URL, or a relative one beside the GIFT file (a
        packager export keeps `media/…` paths); each checked as any media file."""
        from packager.limits import MAX_MEDIA_BYTES, mib
        from packager.media_refs import as_source
        from packager.media_types import HEAD, media_type_problem
        from packager.relpath import has_drive, relpath_problem

        embedded = data_image(src)
        if embedded is not None:
            if isinstance(embedded, Dropped):
                return embedded
            name, data = embedded
            self.media[f"media/{name}"] = data
            return f"media/{name}"
        if "@@PLUGINFILE@@" in src:  # also a src that only contains it: no file of GIFT's
            return Dropped("a GIFT file holds no images")
        if _WEB.match(src):
            return Dropped("it is on the web, not in the file (only images beside the GIFT "
                           "file are kept)")
        # A source is a URL, as browsers and the checks read it (`c%20d.png` names `c d.png`):
        # the file is looked up, checked and kept by the name it decodes to.
        name = unquote(src)
        if "@@" in name:
            return None
        if name.startswith("/") or has_drive(name) or ".." in name.split("/"):
            return Dropped(_OUTSIDE.format(""))
        unclean = relpath_problem(name)
        if unclean is not None:
            return Dropped(f"its path {unclean}")
        path = self.base_dir / name
        try:
            if not path.resolve().is_relative_to(self.base_dir.resolve()):
                return Dropped(_OUTSIDE.format(" through a link"))
            if not path.is_file():
                return None
            size = path.stat().st_size
            if size > MAX_MEDIA_BYTES:
                return Dropped(f"{mib(size)} is more than the {mib(MAX_MEDIA_BYTES)} a media "
                               "file may hold")
            data = path.read_bytes()
        except OSError:
            return None
        problem = media_type_problem(name, data[:HEAD])
        if problem is not None:
            return Dropped(problem[0])
        self.media[name] = data
        return as_source(name)

    def rich(self, text: str | None, fmt: str) -> str:
        if not text:
            return ""
        if fmt == "plain":
            return text_to_markdown(text, lines=True)
        if fmt == "markdown":
            markdown, dropped = links_as_text(text.strip())
            for target in dict.fromkeys(dropped):
                self.note("dropped", dropped_link(target))
            return markdown
        # Moodle's TeX filters read `\$` as a dollar sign, not as the start of math.
        text = text.replace("\\$", "&#36;")
        if fmt == "moodle":
            # Moodle's auto-format: HTML may appear; a blank line is a paragraph break and a
            # single newline a line break.
            paragraphs = re.split(r"\n\s*\n", text.strip())
            text = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
        converted = html_to_markdown(text, self.image)
        for kind, message in converted.notes:
            href = converted.links.get(message)
            if href is not None and href.startswith(_PLUGINFILE):
                message = (f"link to {href[len(_PLUGINFILE):]!r} dropped: a GIFT file holds no "
                           "files (the link's text is kept)")
            self.note(kind, message)
        return converted.markdown


def _put(target: dict[str, Any], key: str, text: str) -> None:
    """A text set only when it has content: HTML of only breaks or a dropped image converts
    to nothing, which the model refuses as a feedback or explanation."""
    if text:
        target[key] = text


def _choices(q: GiftQuestion, c: _Converter, data: dict[str, Any]) -> None:
    marked = any(a.mark == "=" for a in q.answers)
    choices = []
    texts = c.options("option", [(a.text, a.format) for a in q.answers[:len(_LETTERS)]])
    for letter, a, text in zip(_LETTERS, q.answers, texts, strict=False):
        # With an '=' answer the question is a single choice (Moodle writes '=' for 100 %
        # only then); otherwise the weights say which answers are correct.
        correct = a.mark == "=" if marked else (a.weight or 0) > 0
        if marked and a.mark == "~" and (a.weight or 0) > 0:
            c.note("dropped", f"the partial credit ({a.weight:g} %) of an answer")
        if marked and a.mark == "~" and (a.weight or 0) < 0:
            c.note("changed", f"the negative mark ({a.weight:g} %) of a wrong answer: in "
                   "Moodle picking it lost that share of the marks; it now scores 0")
        choice: dict[str, Any] = {"id": letter, "text": text, "correct": correct}
        _put(choice, "feedback", c.rich(a.feedback, a.feedback_format))
        choices.append(choice)
    if len(q.answers) > len(_LETTERS):
        c.note("dropped", f"answers after the 26th ({len(q.answers) - 26})")
    n_correct = sum(ch["correct"] for ch in choices)
    data["choices"] = choices
    if marked and n_correct == 1:
        data["type"] = "single_choice"
        return
    data["type"] = "multiple_response"
    if marked:
        # Moodle makes a question with '=' answers a single choice, each '=' worth 100 %.
        data["scoring"] = "partial"
        c.note("changed", "several options are fully right: the question becomes multiple "
               "response")
        return
    if n_correct:  # else the question is left out (no option is right)
        data["scoring"], change = multi_scoring([a.weight or 0.0 for a in q.answers[:26]])
        if change is not None:
            c.note("changed", change)


def _full_credit(q: GiftQuestion, c: _Converter) -> list[GiftAnswer]:
    """The answers worth full marks; partial ones are noted as dropped."""
    kept = []
    for a in q.answers:
        if a.text == "*":
            continue
        if a.weight is None or a.weight >= 100:
            kept.append(a)
        else:  # by its weight, not by a search of `kept` (quadratic in a long answer list)
            c.note("dropped", f"the answer {a.text!r} worth {a.weight:g} %")
    return kept


def _short_answer(q: GiftQuestion, c: _Converter, data: dict[str, Any]) -> None:
    right = _full_credit(q, c)
    kept = [a for a in right if not WILDCARD.search(a.text)]
    for a in right:
        if WILDCARD.search(a.text):
            c.note("dropped", wildcard_dropped(a.text))
    if right and not kept:
        raise _LeftOut(ALL_WILDCARDS)
    data["type"] = "short_answer"
    # As written, in an [html] question too: Moodle compares a key with the response as
    # stored, decoding nothing (qtype_shortanswer).
    data["answers"] = [{"text": a.text.replace("\\*", "*")} for a in kept]
    feedback = {(a.feedback, a.feedback_format) for a in kept if a.feedback}
    wildcard = next((a for a in q.answers if a.text == "*" and a.feedback), None)
    fb: dict[str, Any] = {}
    if len(feedback) == 1:
        _put(fb, "correct", c.rich(*feedback.pop()))
    elif feedback:
        c.note("dropped", "per-answer feedback of a short answer (the answers' feedback differs)")
    if wildcard is not None:
        _put(fb, "incorrect", c.rich(wildcard.feedback, wildcard.feedback_format))
    if fb:
        data["feedback"] = fb


def _numeric(q: GiftQuestion, c: _Converter, data: dict[str, Any]) -> None:
    data["type"] = "numeric"
    kept = _full_credit(q, c)
    if not kept:
        raise ValueError("no numeric answer is worth full marks")
    if len(kept) > 1:
        c.note("dropped", f"{len(kept) - 1} more full-credit numeric answer(s): the first is kept")
    value = kept[0].text
    if ".." in value:
        low, high = value.split("..", 1)
        data["answer"] = {"min": _number(low), "max": _number(high)}
    elif ":" in value:
        v, t = value.split(":", 1)
        data["answer"] = {"value": _number(v), "tolerance": abs(_number(t))}
    else:
        data["answer"] = {"value": _number(value)}
    fb: dict[str, Any] = {}
    _put(fb, "correct", c.rich(kept[0].feedback, kept[0].feedback_format))
    wrong = next((a for a in q.answers if a.text == "*" and a.feedback), None)
    if wrong is not None:
        _put(fb, "incorrect", c.rich(wrong.feedback, wrong.feedback_format))
    if fb:
        data["feedback"] = fb


def _ordering(q: GiftQuestion, c: _Converter, data: dict[str, Any]) -> None:
    """qtype_ordering's GIFT form: the items in their right order; Moodle's selection and
    grading settings are noted where an ordering question of the bank differs."""
    assert q.ordering is not None
    data["type"] = "ordering"
    data["items"] = c.options("item", [(a.text, a.format) for a in q.answers])
    select, count, grading = q.ordering
    n = len(q.answers)
    # Moodle's GIFT import: a count outside 2…n is the smaller of 6 and n.
    # A count of thousands of digits is no count (and int() refuses one of over 4,300).
    shown = (count if count.isdigit() and len(count) <= 6 and 2 <= int(count) <= n
             else str(min(6, n)))
    for change in ordering_changes(select, shown, grading, n):
        if change is not None:
            c.note("changed", change)


def _missing_word(q: GiftQuestion, c: _Converter, data: dict[str, Any]) -> None:
    """Text after the answer block: the block is a blank in the middle of the prompt."""
    after = c.rich(q.after, q.format)
    before_gap, after_gap = (" " if space else "" for space in q.gap_spaces)
    if data["type"] == "short_answer":
        data["type"] = "fill_in_blanks"
        blank = "[[blank]]"
        data["blanks"] = {"blank": [a["text"] for a in data.pop("answers")]}
        c.note("changed", "a missing-word short answer became fill_in_blanks")
    elif data["type"] == "essay":
        blank = _MISSING_WORD
        c.note("changed", "an empty answer block with text after it: an essay, as Moodle "
               "reads it, with '_____' in the prompt where the block was")
    else:
        blank = _MISSING_WORD
        c.note("changed", "a missing-word question: its blank is '_____' in the prompt")
    data["prompt"] = f"{data['prompt']}{before_gap}{blank}{after_gap}{after}".strip()


def to_question(q: GiftQuestion, qid: str, c: _Converter) -> dict[str, Any]:
    """One question as canonical data (validated when the Bank is built)."""
    # A missing word may open the prompt (`{=Paris} is the capital.`): the text after it
    # is the question's, and none before it is no missing text.
    losses = c.losses
    prompt = c.rich(q.text, q.format)
    data: dict[str, Any] = {"id": qid, "prompt": prompt or ("" if q.after else NO_TEXT)}
    if not prompt and not q.after:
        if c.losses > losses:  # an image not kept: NO_TEXT is no question its author wrote
            raise _LeftOut(f"the whole question: {LOST_TEXT}")
        c.note("changed", f"the question has no text: its prompt is {NO_TEXT!r}")
    # packager's writer names an untitled question by its id, given in `[id:…]` too: that
    # name is no title. A title that only slugs to the id (`::colours::`) is one.
    if q.title and q.title != q.idnumber:
        data["title"] = " ".join(q.title.split())
    if q.tags:
        data["tags"] = q.tags
    if q.kind == "description":
        data["type"] = "text"
        return data
    _put(data, "explanation", c.rich(q.general_feedback, q.general_feedback_format))
    if q.kind == "multichoice":
        _choices(q, c, data)
    elif q.kind == "truefalse":
        data["type"] = "true_false"
        data["answer"] = bool(q.truth)
        wrong = c.rich(q.answers[0].feedback, q.answers[0].feedback_format)
        right = c.rich(q.answers[1].feedback, q.answers[1].feedback_format)
        fb_true, fb_false = (right, wrong) if q.truth else (wrong, right)
        if fb_true:
            data["feedback_true"] = fb_true
        if fb_false:
            data["feedback_false"] = fb_false
    elif q.kind == "shortanswer":
        _short_answer(q, c, data)
    elif q.kind == "numerical":
        _numeric(q, c, data)
    elif q.kind == "matching":
        data["type"] = "matching"
        # An answer with an empty prompt (`= -> x`, or `<p></p>` in HTML) is a distractor.
        prompts = c.options("pair", [(a.text, a.format) for a in q.answers])
        # A match as Moodle shows it: format_string strips its tags, the browser decodes its
        # character references.
        matches = [plain_html(a.feedback or "") for a in q.answers]
        data["pairs"] = [{"prompt": p, "match": match}
                         for p, match in zip(prompts, matches, strict=True) if p]
        data["distractors"] = [match for p, match in zip(prompts, matches, strict=True)
                               if not p and match]
    elif q.kind == "ordering":
        _ordering(q, c, data)
    else:
        data["type"] = "essay"
    if q.after is not None:
        _missing_word(q, c, data)
    return data


def _texts(q: GiftQuestion) -> Iterator[str]:
    """Every text of a question (title, category, tags, text, answers, feedback)."""
    for item in (q, *q.answers):
        for value in vars(item).values():
            if isinstance(value, str):
                yield value
            elif isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))


def _one_language(q: GiftQuestion, multilang: Multilang) -> str | None:
    """Every text of the question in the file's one language, as the Moodle XML reader reads
    multilang texts (moodle_multilang.py: a Moodle GIFT export holds them as they were
    written); the note on the languages dropped, if any."""
    for item in (q, *q.answers):
        for name, value in vars(item).items():
            if isinstance(value, str):
                setattr(item, name, multilang.text(value))
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                setattr(item, name, [multilang.text(v) for v in value])
    return multilang.take()


def read(source: Source) -> Imported:
    """An imported bank from GIFT text, with a note per thing dropped or changed; a question
    that cannot be read is left out, noted; InputError with located diagnostics when no
    question can be read."""
    questions, problems = read_questions(source)
    if problems and not questions:
        raise InputError(errors_found(source, problems), diagnostics=problems)
    if all(q.kind == "description" for q in questions) and not detect(source.data):
        # Text with no answer block is GIFT's description; a file of nothing else, with none
        # of GIFT's marks (a ::title::, $CATEGORY), is no quiz: the seed's plain text named
        # --from gift was one "question" holding all of it.
        raise InputError(
            f"{source.name}: no GIFT question (a text with its {{…}} answer block) in it",
            diagnostics=[Diagnostic("E-GIFT", "no question has an answer block ({=right "
                                    "~wrong}); all of it would be descriptions",
                                    file=source.name, line=questions[0].line if questions else None,
                                    hint="for a quiz in the plain-text layout: --from text")])
    found: list[ImportNote] = [
        ImportNote(None, Location(source.name, line=d.line), "dropped",
                   f"the whole question: {d.message}" + (f"; {d.hint}" if d.hint else ""))
        for d in problems
    ]
    # One language for the whole file before anything is read of it (categories and titles
    # too), as the Moodle XML reader keeps it.
    multilang = (Multilang.of(text for q in questions for text in _texts(q))
                 if may_hold(source.data) else None)
    if multilang is not None:
        for q in questions:  # one note for the categories, which every question repeats
            q.category = multilang.text(q.category) if q.category else q.category
        if (categories := multilang.take()) is not None:
            found.append(ImportNote(None, Location(source.name, line=questions[0].line),
                                    "dropped", f"categories: {categories}"))
    dropped_languages = [_one_language(q, multilang) if multilang is not None else None
                         for q in questions]
    stem = PurePath(source.name).name.split(".")[0]
    paths = [_category_levels(q.category) for q in questions if q.category]
    shared: list[str] = paths[0] if paths else []
    for levels in paths[1:]:
        n = 0
        while n < min(len(shared), len(levels)) and shared[n] == levels[n]:
            n += 1
        shared = shared[:n]
    title = shared[-1] if shared else stem
    media: dict[str, bytes] = {}
    data: list[dict[str, Any]] = []
    locations: list[Location] = []
    ids = imported.unique([
        q.idnumber if q.idnumber and imported.is_slug(q.idnumber)
        else imported.slug(q.title or "", f"q{n}")
        for n, q in enumerate(questions, start=1)
    ])
    for q, qid, languages in zip(questions, ids, dropped_languages, strict=True):
        rest = _category_levels(q.category)[len(shared):] if q.category else []
        if rest:
            q.tags = [*q.tags, "/".join(rest)]
        c = _Converter(source.base_dir, media)
        if languages is not None:
            c.note("dropped", languages)
        location = Location(source.name, line=q.line)
        try:
            data.append(to_question(q, qid, c))
            locations.append(location)
        except _LeftOut as exc:
            c.note("dropped", str(exc))
        except ValueError as exc:  # the question's other notes are of what is not imported
            found.append(ImportNote(qid, location, "dropped", f"the whole question: {exc}"))
            continue
        found.extend(ImportNote(qid, location, kind, message) for kind, message in c.notes)
        if q.run_on is not None:
            line, what, n = q.run_on
            more = f", and {n - 1} more line{'s' if n > 2 else ''} like it" if n > 1 else ""
            found.append(ImportNote(
                qid, Location(source.name, line=line), "changed",
                f"the question's text holds what looks like another question ({what!r}{more}): "
                "without a blank line before it, GIFT reads it as part of this question, as "
                "Moodle does; separate questions with a blank line"))
    # In the order of the source: the notes of a question left out as it was parsed among
    # those of the others.
    found.sort(key=lambda note: note.location.line or 0)
    extra = {"language": multilang.tag} if multilang is not None and multilang.tag else {}
    bank, left_out = imported.make_bank(source.name, imported.slug(stem, "gift-import"),
                                        title or stem or "GIFT import", data, locations, CODE,
                                        noted=found, **extra)
    return Imported(bank, media, found + left_out)


