"""Bank → Blackboard's "Upload Questions" text: one tab-delimited line per question.

The columns are Blackboard's (help.blackboard.com, Learn Original "Upload Questions" and
Ultra "Upload or import questions"), the type code first:

    MC|MA  question  (answer  correct|incorrect)…      TF   question  true|false
    ESS    question  [sample answer]                   FIB  question  (accepted answer)…
    FIB_PLUS  question with [name]…  name  answer…  (empty field)  name  answer…
    NUM    question  answer  [tolerance]               ORD  question  (item, in order)…
    MAT    question  (left  matching right)…

Blackboard reads question and answer texts as HTML, so rich text is written as packager's
XHTML (a plain paragraph as its escaped text, without `<p>`). A field cannot hold a tab or a
line break: inside HTML they are written as the character references `&#9;` / `&#10;`
(`<pre>` keeps its lines). Accepted answers and blank answers are compared with what the
learner types, so they are written as plain text, tabs and line breaks as spaces
(packages/bbtext.py reports it). In a FIB_PLUS question every `[` and `]` of the text is a
character reference, so that only the blanks read as `[name]`.

Images cannot travel in a text upload: each `<img>` is replaced by its alt text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from decimal import Decimal

from lxml import etree

from packager.model import BLANK_MARKER, Bank, Question
from packager.model import questions as m
from packager.richtext import render
from packager.writers.numeric_ranges import midpoint

# Line endings of Blackboard's own sample upload file; its reader takes any.
NEWLINE = "\r\n"

_BRACKET_REFS = str.maketrans({"[": "&#91;", "]": "&#93;"})
_BREAKS = re.compile(r"[\t\r\n]+")


def _without_images(xhtml: str) -> str:
    """The fragment with each <img> replaced by its alt text (on the tree, never a pattern)."""
    if "<img" not in xhtml:
        return xhtml
    wrapper = etree.fromstring(f"<div>{xhtml}</div>")
    for img in list(wrapper.iter("img")):
        parent = img.getparent()
        assert parent is not None  # the wrapper is no <img>
        text = (img.get("alt") or "") + (img.tail or "")
        previous = img.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(img)
    return (wrapper.text or "") + "".join(
        etree.tostring(child, encoding="unicode") for child in wrapper
    )


def html_field(*markdown: str | None) -> str:
    """Rich texts as one HTML field: a lone plain paragraph as its escaped text."""
    parts = [render(text) for text in markdown if text]
    if len(parts) == 1 and parts[0].is_plain_paragraph:
        xhtml = parts[0].xhtml[3:-4]
    else:
        xhtml = _without_images("".join(p.xhtml for p in parts))
    return _whitespace_refs(xhtml)


def _whitespace_refs(text: str) -> str:
    """Tabs and line breaks as character references: a bbtext record is one line.
    str.replace, not str.translate with a table: translate maps each character through a
    dict lookup, replace scans in C, which on a bank's long texts is what counts."""
    if "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    return text


def escaped_field(text: str) -> str:
    """Plain text in a field Blackboard reads as HTML (a matching answer)."""
    return _whitespace_refs(html.escape(text, quote=False))


def answer_field(text: str) -> str:
    """An accepted answer, compared with the learner's text: plain, on one line."""
    return _BREAKS.sub(" ", text).strip()


def number(value: float) -> str:
    """A number in plain decimal notation (no exponent, no thousands separator)."""
    if value == int(value):
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def question_html(bank: Bank, q: Question) -> str:
    """The question field: stimulus (title in bold), scenario, prompt, and a numeric unit."""
    lead: list[str | None] = []
    if q.stimulus:
        stimulus = bank.stimulus_by_id[q.stimulus]
        if stimulus.title:
            lead.append(f"<p><strong>{html.escape(stimulus.title, quote=False)}</strong></p>")
        lead.append(html_field(stimulus.body))
    lead.append(html_field(q.scenario) if q.scenario else None)
    if isinstance(q, m.FillInBlanks):
        # Only the blanks may read as [name]: every other bracket becomes a reference.
        pieces = BLANK_MARKER.split(html_field(q.prompt))
        prompt = "".join(
            f"[{piece}]" if i % 2 else piece.translate(_BRACKET_REFS)
            for i, piece in enumerate(pieces)
        )
        lead = [text.translate(_BRACKET_REFS) if text else None for text in lead]
    else:
        prompt = html_field(q.prompt)
    if isinstance(q, m.Numeric) and q.unit:
        prompt = _paragraph(prompt) + f"<p>Unit: {escaped_field(q.unit)}</p>"
    texts = [text for text in (*lead, prompt) if text]
    if len(texts) == 1:
        return texts[0]
    return "".join(_paragraph(text) for text in texts)


def _paragraph(field: str) -> str:
    # A plain paragraph is written bare; beside other blocks it needs its <p> again.
    return field if field.startswith("<") else f"<p>{field}</p>"


def line(bank: Bank, q: Question) -> str:
    """One question's line (without its line ending); text items are unsupported."""
    fields = [question_html(bank, q)]
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        code = "MC" if isinstance(q, m.SingleChoice) else "MA"
        for c in q.choices:
            fields += [html_field(c.text), "correct" if c.correct else "incorrect"]
    elif isinstance(q, m.TrueFalse):
        code = "TF"
        fields.append("true" if q.answer else "false")
    elif isinstance(q, m.Essay):
        code = "ESS"
        if q.sample_answer:
            fields.append(html_field(q.sample_answer))
    elif isinstance(q, m.ShortAnswer):
        code = "FIB"
        fields += [answer_field(a.text) for a in q.answers]
    elif isinstance(q, m.FillInBlanks):
        code = "FIB_PLUS"
        for n, name in enumerate(BLANK_MARKER.findall(q.prompt)):
            # Each variable's answers; an empty field separates one variable from the next.
            fields += [""] * (n > 0) + [name, *(answer_field(a) for a in q.blanks[name])]
    elif isinstance(q, m.Numeric):
        code = "NUM"
        a = q.answer
        value, tolerance = (
            (a.value, a.tolerance)
            if isinstance(a, m.ExactAnswer)
            else midpoint(a.min, a.max)
        )
        fields.append(number(value))
        if tolerance:
            fields.append(number(tolerance))
    elif isinstance(q, m.Ordering):
        code = "ORD"
        fields += [html_field(item) for item in q.items]
    elif isinstance(q, m.Matching):
        code = "MAT"
        for pair in q.pairs:
            fields += [html_field(pair.prompt), escaped_field(pair.match)]
    else:
        raise AssertionError(f"{q.type} is unsupported in bbtext (reported before build)")
    return "\t".join([code, *fields])


def lines(bank: Bank) -> Iterator[str]:
    return (line(bank, q) for q in bank.questions)


def write_pieces(bank: Bank) -> list[bytes]:
    """write() as UTF-8 without a byte-order mark, one piece a line, never joined (a build
    writes them one after another)."""
    return [(text + NEWLINE).encode("utf-8") for text in lines(bank)]
