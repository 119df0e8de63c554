"""Bank → Moodle XML (one `<quiz>` document), built with lxml.

Element names follow Moodle's documented list (MoodleDocs "Moodle XML format") and what
`question/format/xml/format.php` and `question/type/ordering/questiontype.php` import. Rich
text is the rendered XHTML in `format="html"` CDATA; images travel inside the file as
base64 `<file>` elements beside the text that uses them, referenced as `@@PLUGINFILE@@/name`.

Scoring values come only from Moodle's fixed grade list (`MOODLE_GRADES`); the target module
reports anything that cannot be expressed before this writer runs, so `write` trusts the bank.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterator, Mapping, Sequence
from copy import copy
from functools import cache
from pathlib import PurePosixPath
from urllib.parse import quote

from lxml import etree

from packager.model import Bank, Question, delivery_sections
from packager.model import questions as m
from packager.model.ids import digest
from packager.richtext import Rendered, render
from packager.richtext_images import with_image_sources
from packager.richtext_plain import plain_text
from packager.writers.html_references import with_references
from packager.writers.moodle_emoticons import without_emoticons
from packager.writers.numeric_ranges import midpoint
from packager.xml.serialize import ChildRun, child_run

# Moodle's fixed list of grade values (question_bank::fraction_options_full), in percent, as
# its own export writes them. Negative values are the same list with a minus sign.
MOODLE_GRADES: tuple[str, ...] = (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30",
    "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0",
)
_GRADE_VALUES = {g: float(g) for g in MOODLE_GRADES}
PENALTY = "0.3333333"
PLUGINFILE = "@@PLUGINFILE@@/"


def grade_for(percent: float) -> str | None:
    """The grade string from Moodle's list that equals `percent` (± 0.5e-5), or None."""
    sign = "-" if percent < 0 else ""
    size = abs(percent)
    for text, value in _GRADE_VALUES.items():
        if abs(value - size) < 0.5e-5 * max(1.0, size / 100):
            return "0" if text == "0" else sign + text
    return None


# Moodle's question_categories.idnumber is a varchar(100).
_IDNUMBER_LENGTH = 100


def _category_idnumber(bank_id: str, section_id: str) -> str:
    """A section's category idnumber, `<bank>.<section>`: two ids of 64 characters make 129,
    more than Moodle's column holds; then the section's part is cut and a digest of it added,
    so that two sections' stay apart."""
    idnumber = f"{bank_id}.{section_id}"
    if len(idnumber) <= _IDNUMBER_LENGTH:
        return idnumber
    keep = _IDNUMBER_LENGTH - len(bank_id) - 1 - 17
    return f"{bank_id}.{section_id[:keep]}-{digest(section_id)}"


def match_text(text: str) -> str:
    """A matching answer as Moodle stores it (Moodle XML and GIFT): Moodle shows it through
    format_string, which strips tags, so `<p>` was an empty option and `&amp;` showed as
    `&`; its HTML characters are written as character references."""
    return html.escape(text, quote=False)


def multiple_response_fractions(q: m.MultipleResponse) -> tuple[str, str] | None:
    """(fraction of each correct choice, fraction of each wrong choice), or None if the
    number of correct choices has no exact grade in Moodle's list.

    partial: +100/n and -100/n (the canonical rule: each wrong pick costs what a right pick
    earns, never below zero; Moodle clamps at zero too). all_or_nothing: +100/n and -100,
    so any wrong pick scores zero and only the exact set scores full marks (a subset of the
    right choices still earns k/n: the loss the target module reports).
    """
    n = sum(c.correct for c in q.choices)
    right = grade_for(100.0 / n)
    if right is None:
        return None
    if q.scoring == "partial":
        wrong = grade_for(-100.0 / n)
        assert wrong is not None
        return right, wrong
    return right, "-100"


def number(value: float) -> str:
    """A number as Moodle reads it: integers without '.0', others in shortest repr."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def media_names(hrefs: list[str]) -> dict[str, str]:
    """Bank media path → file name inside the Moodle file area (basename, made unique)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for href in hrefs:
        name = PurePosixPath(href).name
        if name in used:
            stem, dot, ext = name.rpartition(".")
            name = f"{stem or ext}-{digest(href, size=4)}{dot}{ext if stem else ''}"
        used.add(name)
        names[href] = name
    return names


class _Texts:
    """Rich text → (HTML for CDATA, files it uses); one per build, with the media bytes."""

    def __init__(self, media: Mapping[str, bytes]) -> None:
        self.media = media
        self.names = media_names(list(media))

    def html(self, rendered: Rendered) -> str:
        xhtml = without_emoticons(rendered.xhtml)
        if not rendered.media:
            return xhtml
        return with_image_sources(xhtml, self._plugin_src)

    def _plugin_src(self, href: str) -> str | None:
        name = self.names.get(href)
        return None if name is None else PLUGINFILE + quote(name)

    def files(self, parent: etree._Element, rendered_texts: list[Rendered]) -> None:
        seen: set[str] = set()
        for rendered in rendered_texts:
            for src in rendered.media:
                href = str(PurePosixPath(src))
                if href in seen or href not in self.media:
                    continue
                seen.add(href)
                f = etree.SubElement(
                    parent, "file", name=self.names[href], path="/", encoding="base64"
                )
                f.text = base64.b64encode(self.media[href]).decode("ascii")


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _plain(parent: etree._Element, tag: str, text: str) -> etree._Element:
    """`<tag><text>plain</text></tag>` (names, categories, tags, short answers)."""
    element = etree.SubElement(parent, tag)
    _sub(element, "text", text)
    return element


@cache
def _rich_template(attribute_names: tuple[str, ...]) -> etree._Element:
    """`<_ {names}="" format="html"><text/></_>`: rich's element, attributes in their order."""
    element = etree.Element("_", {name: "" for name in attribute_names})
    element.set("format", "html")
    etree.SubElement(element, "text")
    return element


class _Writer:
    def __init__(self, bank: Bank, media: Mapping[str, bytes]) -> None:
        self.bank = bank
        self.texts = _Texts(media)

    # -- rich text -------------------------------------------------------------------------
    def rich(
        self,
        parent: etree._Element,
        tag: str,
        parts: list[Rendered],
        attrib: dict[str, str] | None = None,
    ) -> etree._Element:
        """`<tag format="html"><text>CDATA</text><file/>…</tag>` from rendered fragments."""
        html_of = self.texts.html
        body = html_of(parts[0]) if len(parts) == 1 else "".join(html_of(r) for r in parts)
        return self._rich_html(parent, tag, body, parts, attrib)

    def cloze_text(self, parent: etree._Element, q: m.FillInBlanks) -> etree._Element:
        """A cloze question's text: what precedes the prompt, and the prompt, each blank its
        cloze code, every '{' of the bank's text a character reference."""
        weight = cloze_weight(self.bank.points_of(q), len(q.blanks))
        lead = self._lead(q)
        prompt = render(q.prompt)
        # Moodle finds gaps by patterns over the stored HTML (ANSWER_REGEX in
        # qtype_multianswer_extract_question, `{#n}` where it renders them), code spans too:
        # a quoted `{1:SHORTANSWER:=Paris}` was a second gap, `{#1}` a second box.
        body = "".join(with_references(self.texts.html(r), "{") for r in lead) + (
            with_references(self.texts.html(prompt), "{",
                            lambda blank: cloze_code(q, blank, weight)))
        return self._rich_html(parent, "questiontext", body, [*lead, prompt])

    def _rich_html(self, parent: etree._Element, tag: str, body: str, parts: list[Rendered],
                   attrib: dict[str, str] | None = None) -> etree._Element:
        # Nine of these per question: a copied template is about twice as fast as building.
        element = copy(_rich_template(tuple(attrib) if attrib else ()))
        element.tag = tag
        if attrib:
            for key, value in attrib.items():
                element.set(key, value)
        parent.append(element)
        if body:
            element[0].text = etree.CDATA(body)
        if any(r.media for r in parts):
            self.texts.files(element, parts)
        return element

    def rich_md(
        self, parent: etree._Element, tag: str, *markdown: str | None
    ) -> etree._Element | None:
        parts = [render(t) for t in markdown if t]
        if not parts:
            return None
        return self.rich(parent, tag, parts)

    def answer(
        self,
        parent: etree._Element,
        fraction: str,
        text: Rendered | str,
        *feedback: str | None,
    ) -> etree._Element:
        if isinstance(text, Rendered):
            answer = self.rich(parent, "answer", [text], {"fraction": fraction})
        else:
            answer = etree.SubElement(
                parent, "answer", fraction=fraction, format="moodle_auto_format"
            )
            _sub(answer, "text", text)
        self.rich_md(answer, "feedback", *feedback)
        return answer

    # -- document --------------------------------------------------------------------------
    def quiz(self) -> tuple[etree._Element, list[ChildRun]]:
        """The quiz as a shell (categories) and runs of questions built lazily (StreamedXml)."""
        root = etree.Element("quiz")
        bank = self.bank
        base = "$course$/top/" + category_part(bank.title)
        sections = delivery_sections(bank)
        self.category(root, base, bank.description, bank.id)
        if len(sections) == 1 and sections[0].implicit:
            return root, [self._run(root, sections[0].questions)]
        runs = []
        for section in sections:
            self.category(
                root, f"{base}/{category_part(section.title)}", None,
                _category_idnumber(bank.id, section.id)
            )
            runs.append(self._run(root, section.questions))
        return root, runs

    def _run(self, root: etree._Element, questions: Sequence[Question]) -> ChildRun:
        return child_run(root, questions, self.question)

    def category(
        self, root: etree._Element, path: str, info: str | None, idnumber: str
    ) -> None:
        question = _sub(root, "question")
        question.set("type", "category")
        _plain(question, "category", path)
        if info:
            self.rich_md(question, "info", info)
        _sub(question, "idnumber", idnumber)

    def question(self, q: Question) -> etree._Element:
        """One question, a root of its own: streamed into the quiz later."""
        qtype = _QTYPE[q.type]
        question = etree.Element("question")
        question.set("type", qtype)
        _plain(question, "name", _name(q))
        if isinstance(q, m.FillInBlanks):
            self.cloze_text(question, q)
        else:
            self.rich(question, "questiontext", [*self._lead(q), render(q.prompt)])
        if isinstance(q, m.TextItem):
            _sub(question, "defaultgrade", "0")
            _sub(question, "penalty", "0")
            _sub(question, "hidden", "0")
            _sub(question, "idnumber", q.id)
            self.tags(question, q)
            return question
        self.rich_md(question, "generalfeedback", q.explanation)
        _sub(question, "defaultgrade", f"{self.bank.points_of(q):.7f}")
        _sub(question, "penalty", PENALTY)
        _sub(question, "hidden", "0")
        _sub(question, "idnumber", q.id)
        self.body(question, q)
        self.tags(question, q)
        return question

    def tags(self, question: etree._Element, q: Question) -> None:
        if q.tags:
            tags = _sub(question, "tags")
            for tag in q.tags:
                _plain(tags, "tag", tag)

    def _lead(self, q: Question) -> list[Rendered]:
        """What precedes the prompt: the shared stimulus (title, body), the inline scenario."""
        lead: list[Rendered] = []
        if q.stimulus:
            stimulus = self.bank.stimulus_by_id[q.stimulus]
            if stimulus.title:
                lead.append(_strong_paragraph(stimulus.title))
            lead.append(render(stimulus.body))
        if q.scenario:
            lead.append(render(q.scenario))
        return lead

    def combined(self, question: etree._Element, q: m.ScoredQuestion, partial: bool) -> None:
        fb = q.feedback or m.NO_FEEDBACK
        self.rich(question, "correctfeedback", [render(fb.correct)] if fb.correct else [])
        if partial:
            self.rich(
                question, "partiallycorrectfeedback",
                [render(fb.incorrect)] if fb.incorrect else [],
            )
        self.rich(question, "incorrectfeedback", [render(fb.incorrect)] if fb.incorrect else [])

    # -- per type --------------------------------------------------------------------------
    def body(self, question: etree._Element, q: m.ScoredQuestion) -> None:
        fb = q.feedback or m.NO_FEEDBACK
        if isinstance(q, m.SingleChoice | m.MultipleResponse):
            single = isinstance(q, m.SingleChoice)
            _sub(question, "single", "true" if single else "false")
            _sub(question, "shuffleanswers", "true" if self.bank.shuffles(q) else "false")
            _sub(question, "answernumbering", "abc")
            _sub(question, "showstandardinstruction", "0")
            self.combined(question, q, partial=True)
            if not single:
                _sub(question, "shownumcorrect")
            if isinstance(q, m.MultipleResponse):
                fractions = multiple_response_fractions(q)
                assert fractions is not None, "reported by extra_fidelity before build"
                right, wrong = fractions
            else:
                right, wrong = "100", "0"
            for c in q.choices:
                self.answer(question, right if c.correct else wrong, render(c.text), c.feedback)
        elif isinstance(q, m.TrueFalse):
            # Moodle's true/false has per-answer feedback only: each answer carries its own
            # feedback followed by the correct/incorrect feedback that answer earns.
            true_extra = fb.correct if q.answer else fb.incorrect
            false_extra = fb.incorrect if q.answer else fb.correct
            self.answer(question, "100" if q.answer else "0", "true", q.feedback_true, true_extra)
            self.answer(
                question, "0" if q.answer else "100", "false", q.feedback_false, false_extra
            )
        elif isinstance(q, m.ShortAnswer):
            _sub(question, "usecase", "1" if any(a.case_sensitive for a in q.answers) else "0")
            for a in q.answers:
                self.answer(question, "100", _shortanswer_text(a.text.strip()), fb.correct)
            if fb.incorrect:
                # '*' is Moodle's wildcard: any other response gets the incorrect feedback.
                self.answer(question, "0", "*", fb.incorrect)
        elif isinstance(q, m.Numeric):
            if isinstance(q.answer, m.RangeAnswer):
                value, tolerance = midpoint(q.answer.min, q.answer.max)
            else:
                value, tolerance = q.answer.value, q.answer.tolerance
            answer = self.answer(question, "100", number(value), fb.correct)
            _sub(answer, "tolerance", number(tolerance))
            if fb.incorrect:
                wildcard = self.answer(question, "0", "*", fb.incorrect)
                _sub(wildcard, "tolerance", "0")
            if q.unit:
                units = _sub(question, "units")
                unit = _sub(units, "unit")
                _sub(unit, "multiplier", "1")
                _sub(unit, "unit_name", q.unit)
            _sub(question, "unitgradingtype", "0")
            _sub(question, "unitpenalty", "0.1000000")
            _sub(question, "showunits", "0" if q.unit else "3")
            _sub(question, "unitsleft", "0")
        elif isinstance(q, m.Essay):
            _sub(question, "responseformat", "editor")
            _sub(question, "responserequired", "1")
            _sub(question, "responsefieldlines", "15")
            _sub(question, "attachments", "0")
            _sub(question, "attachmentsrequired", "0")
            grader: list[Rendered] = []
            if q.rubric:
                grader += [_strong_paragraph("Rubric"), render(q.rubric)]
            if q.sample_answer:
                grader += [_strong_paragraph("Sample answer"), render(q.sample_answer)]
            self.rich(question, "graderinfo", grader)
            self.rich(question, "responsetemplate", [])
        elif isinstance(q, m.Matching):
            _sub(question, "shuffleanswers", "true")
            self.combined(question, q, partial=True)
            _sub(question, "shownumcorrect")
            for pair in q.pairs:
                sub = self.rich(question, "subquestion", [render(pair.prompt)])
                _plain(sub, "answer", match_text(pair.match))
            for distractor in q.distractors:
                sub = self.rich(question, "subquestion", [])
                _plain(sub, "answer", match_text(distractor))
        elif isinstance(q, m.Ordering):
            _sub(question, "layouttype", "VERTICAL")
            _sub(question, "selecttype", "ALL")
            _sub(question, "selectcount", str(len(q.items)))
            _sub(question, "gradingtype", "ALL_OR_NOTHING")
            _sub(question, "showgrading", "SHOW")
            _sub(question, "numberingstyle", "none")
            self.combined(question, q, partial=True)
            _sub(question, "shownumcorrect")
            for position, item in enumerate(q.items, start=1):
                self.answer(question, str(position), render(item))
        elif isinstance(q, m.FillInBlanks):
            pass  # the cloze codes are in the question text; multianswer has no more fields
        else:  # pragma: no cover - the union is exhaustive
            raise AssertionError(q)


_QTYPE: dict[str, str] = {
    "single_choice": "multichoice",
    "multiple_response": "multichoice",
    "true_false": "truefalse",
    "short_answer": "shortanswer",
    "numeric": "numerical",
    "essay": "essay",
    "matching": "matching",
    "ordering": "ordering",
    "fill_in_blanks": "cloze",
    "text": "description",
}


def embedded_groups(bank: Bank) -> Iterator[list[str]]:
    """The rich texts of each element the writer gives its own files, as written: a text
    appears once per element that carries it (the feedback beside every accepted answer,
    a stimulus in every question that uses it). packages/moodle.py bounds the base64 these
    add up to before anything is built; tests check this against the written file."""
    if bank.description:
        yield [bank.description]
    for q in bank.questions:
        stimulus = bank.stimulus_by_id[q.stimulus].body if q.stimulus else None
        yield [t for t in (stimulus, q.scenario, q.prompt) if t]
        if isinstance(q, m.TextItem):
            continue
        if q.explanation:
            yield [q.explanation]
        fb = q.feedback or m.NO_FEEDBACK
        correct, incorrect = [fb.correct] if fb.correct else [], [fb.incorrect] if fb.incorrect else []
        if isinstance(q, m.SingleChoice | m.MultipleResponse | m.Matching | m.Ordering):
            yield from (correct, incorrect, incorrect)  # combined feedback, partial as incorrect
        if isinstance(q, m.SingleChoice | m.MultipleResponse):
            for c in q.choices:
                yield [c.text]
                yield [c.feedback] if c.feedback else []
        elif isinstance(q, m.TrueFalse):
            extra = (fb.correct, fb.incorrect) if q.answer else (fb.incorrect, fb.correct)
            yield [t for t in (q.feedback_true, extra[0]) if t]
            yield [t for t in (q.feedback_false, extra[1]) if t]
        elif isinstance(q, m.ShortAnswer):
            for _ in q.answers:
                yield correct
            yield incorrect
        elif isinstance(q, m.Numeric):
            yield from (correct, incorrect)
        elif isinstance(q, m.Essay):
            yield [t for t in (q.rubric, q.sample_answer) if t]
        elif isinstance(q, m.Matching):
            yield from ([pair.prompt] for pair in q.pairs)
        elif isinstance(q, m.Ordering):
            yield from ([item] for item in q.items)


def _name(q: Question) -> str:
    if q.title:
        return q.title
    text = plain_text(q.prompt)
    if isinstance(q, m.FillInBlanks):
        from packager.model import BLANK_MARKER

        text = BLANK_MARKER.sub("____", text)
    return text if len(text) <= 80 else text[:79].rstrip() + "…"


def category_part(title: str) -> str:
    """One level of a Moodle category path (Moodle XML and GIFT). Moodle splits a path at
    each '/' no other '/' touches and trims every level (question/format.php
    split_category_path), so a slash in a title is written '//', and a title starting or
    ending with one gets a space there, as Moodle's own export writes it: 'Unit 1/' then
    '/Intro' would make 'Unit 1///Intro', one level."""
    part = title.replace("/", "//")
    if part.startswith("/"):
        part = " " + part
    if part.endswith("/"):
        part += " "
    return part


def _strong_paragraph(text: str) -> Rendered:
    return Rendered(f"<p><strong>{html.escape(text, quote=False)}</strong></p>")


def _shortanswer_text(text: str) -> str:
    # '*' is a wildcard in Moodle's short answers; '\*' is a literal asterisk.
    return text.replace("*", "\\*")


# A short-answer gap's answer as qtype_multianswer reads it back: an answer ends at a '~', '#'
# or '}' no backslash, '&' or '&amp;' stands right before; the entities are then decoded and
# only '\}' and '\#' unescaped, every other backslash kept ('\~' would be an answer with its
# backslash). So '}' and '#' are escaped, '~' and '\' written as character references, and '&'
# as one that ends in no '&amp;'; '*' is escaped as the gaps are short answers, where a '*'
# no backslash stands before is a wildcard (qtype_shortanswer). Quotes are references too:
# the code stands in the question's HTML, where a quote could end an attribute.
_CLOZE_SPECIAL = str.maketrans({
    "}": "\\}", "#": "\\#", "*": "\\*", "~": "&#126;", "\\": "&#92;", "&": "&#38;",
    "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;",
})


def cloze_escape(answer: str) -> str:
    """A short-answer gap's answer inside a cloze code, in the HTML of the question text."""
    return answer.translate(_CLOZE_SPECIAL)


def cloze_weight(points: float, blanks: int) -> int:
    """Each blank's weight: Moodle's cloze mark is the sum of whole-number blank weights, so
    points are kept when they divide evenly among the blanks, else every blank weighs 1."""
    share = points / blanks
    return int(share) if share == int(share) and share >= 1 else 1


def cloze_code(q: m.FillInBlanks, blank: str, weight: int = 1) -> str:
    kind = "SHORTANSWER_C" if q.case_sensitive else "SHORTANSWER"
    answers = "~".join(f"%100%{cloze_escape(a.strip())}" for a in q.blanks[blank])
    return f"{{{weight}:{kind}:{answers}}}"


def write(bank: Bank, media: Mapping[str, bytes]) -> tuple[etree._Element, list[ChildRun]]:
    """The Moodle XML document for a bank, streamed; `media` maps media paths to bytes."""
    return _Writer(bank, media).quiz()
