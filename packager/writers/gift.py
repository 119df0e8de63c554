"""Bank → GIFT text (Moodle's "General Import Format Technology").

Text is built from parts, each passed through `escape` (GIFT's backslash escapes for
``~ = # { } :`` and the backslash itself, newlines as ``\\n``), never by pasting raw strings.
A question whose texts are all plain paragraphs is written as plain text (Moodle's default
format); any other is marked ``[html]`` and every text of it is the rendered XHTML, because
GIFT gives answers and feedback the question text's format. A fill-in-blanks question of one
blank is GIFT's missing-word short answer: its answer block stands where the blank is.

The grammar and escapes follow Moodle's importer (question/format/gift/format.php:
`escapedchar_pre`, `readquestion`, `extract_idnumber_and_tags_from_comment`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from packager.model import Bank, Question, delivery_sections
from packager.model import questions as m
from packager.model.walk import question_texts
from packager.richtext import Rendered, render
from packager.writers.moodle import (
    category_part,
    match_text,
    multiple_response_fractions,
    number,
)
from packager.writers.moodle_emoticons import has_shortcut, without_emoticons
from packager.writers.text_blocks import blocks_utf8, join_blocks

_ESCAPES = str.maketrans({
    "\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:",
    "\n": "\\n", "\r": "",
})


_SPECIAL = re.compile(r"[\\~=#{}:\n\r]")
# What Moodle's import reads as an answer's weight at its start ($giftanswerweightregex);
# GIFT has no escape for '%', so a text starting so gets its weight written before it.
_WEIGHT = re.compile(r"%-*[0-9]{1,2}\.?[0-9]*%")
# What Moodle's import reads as a text's format at its start (parse_text_with_format); GIFT
# has no escape for '[', so a typed answer starting so gets a format written before it.
_FORMAT = re.compile(r"\[(?:moodle|html|plain|markdown)\]")


def escape(text: str) -> str:
    """Text as GIFT carries it: every special character backslash-escaped, newlines as \\n."""
    # A regex finds the rare specials far faster than str.translate walks a dict per char.
    return _SPECIAL.sub(lambda m: _ESCAPES[ord(m.group())], text) if _SPECIAL.search(text) else text


def _comment_value(text: str) -> str:
    # Inside [id:…] / [tag:…] a ']' is written '\]'; control characters cannot appear.
    return " ".join(text.split()).replace("]", "\\]")


@dataclass(frozen=True)
class Answer:
    """One answer line of a GIFT answer block, before escaping."""

    mark: str  # "=" or "~"
    text: str
    weight: str | None = None  # a grade from Moodle's list, e.g. "50" or "-100"
    feedback: str | None = None


def answer_line(answer: Answer, *, raw_text: bool = False) -> str:
    """`=text#feedback` or `~%50%text#feedback`; raw_text when the text is GIFT syntax
    already (numeric values, the short-answer wildcard, matching's `a -> b`)."""
    text = answer.text if raw_text else escape(answer.text)
    weight = answer.weight
    if weight is None and answer.mark == "~" and _WEIGHT.match(text):
        weight = "0"  # '~%50% nylon' was worth half in Moodle
    line = answer.mark
    if weight is not None:
        line += f"%{weight}%"
    line += text
    if answer.feedback:
        line += "#" + escape(answer.feedback)
    return line


def question_text(title: str | None, text: str, *, html_format: bool) -> str:
    head = f"::{escape(title)}::" if title else ""
    return head + ("[html]" if html_format else "") + escape(text)


class _Texts:
    """Renders one question's texts in the one format GIFT will give all of them."""

    def __init__(self, html_format: bool) -> None:
        self.html = html_format

    def rich(self, *markdown: str | None) -> str | None:
        parts = [render(t) for t in markdown if t]
        if not parts:
            return None
        if self.html:
            return "".join(without_emoticons(p.xhtml) for p in parts)
        # Moodle's default text format makes a paragraph of each blank-line-separated part.
        return "\n\n".join(_plain_of(p) for p in parts)


def _plain_of(rendered: Rendered) -> str:
    # A plain paragraph's text as it was read: escaping it into XHTML and back cost more
    # than the rest of the question's plain texts.
    text = rendered.paragraph_text
    return html.unescape(rendered.xhtml[3:-4]) if text is None else text


def _needs_html(bank: Bank, q: Question) -> bool:
    texts = list(question_texts(q))
    if q.stimulus:
        stimulus = bank.stimulus_by_id[q.stimulus]
        texts.append(stimulus.body)
        if stimulus.title:
            return True
    for text in texts:
        rendered = render(text)
        if not rendered.is_plain_paragraph:
            return True
        plain = _plain_of(rendered)
        # An emoticon's shortcut is kept as text in HTML only (moodle_emoticons).
        if plain.startswith("[") or any(c in plain for c in "<>&") or has_shortcut(plain):
            return True
    return False


def _shortanswer(text: str) -> str:
    return text.replace("*", "\\*")  # '*' is Moodle's short-answer wildcard


def _blank_ends_prompt(q: m.FillInBlanks) -> bool:
    """Whether nothing but white space follows the blank in a plain prompt. Moodle (and
    packager's reader) take a block that ends the question for the answers of a plain short
    answer, not a blank: written as HTML, the paragraph's `</p>` follows the block."""
    rendered = render(q.prompt)
    return rendered.is_plain_paragraph and _plain_of(rendered).rstrip().endswith(
        f"[[{next(iter(q.blanks))}]]"
    )


def _short_answer_lines(t: _Texts, answers: list[str], fb: m.Feedback) -> list[str]:
    """`=answer#correct feedback` each, and `=%0%*#incorrect feedback` (any other answer)."""
    lines = []
    for answer in answers:
        # As typed, also in an [html] question: Moodle compares a key with the response as
        # stored, decoding nothing (qtype_shortanswer), so `AT&amp;T` would be the key.
        text_ = escape(_shortanswer(answer.strip()))
        if _FORMAT.match(text_):
            # Moodle reads only the first format: '=[html]5' would be the key '5'.
            text_ = "[moodle]" + text_
        # A short answer's weight is read after its '=' too: '=%50%off' was 'off' for half.
        weight = "100" if _WEIGHT.match(text_) else None
        lines.append(answer_line(Answer("=", text_, weight, t.rich(fb.correct)), raw_text=True))
    if fb.incorrect:
        lines.append(answer_line(Answer("=", "*", "0", t.rich(fb.incorrect)), raw_text=True))
    return lines


def question(bank: Bank, q: Question) -> str:
    """One GIFT question (no trailing blank line)."""
    html_format = _needs_html(bank, q) or (
        isinstance(q, m.FillInBlanks) and _blank_ends_prompt(q))
    t = _Texts(html_format)
    lead: list[str | None] = []
    if q.stimulus:
        stimulus = bank.stimulus_by_id[q.stimulus]
        if stimulus.title:
            lead.append(f"**{_md_escape(stimulus.title)}**")
        lead.append(stimulus.body)
    lead += [q.scenario, q.prompt]
    text = t.rich(*lead) or ""
    # A tag ending in '\' is left out (reported): Moodle would read its `\]` as a bracket and
    # run on into the next tag.
    comment = f"// [id:{_comment_value(q.id)}]" + "".join(
        f" [tag:{_comment_value(tag)}]" for tag in q.tags if not tag.endswith("\\")
    )
    after_block = ""
    if isinstance(q, m.FillInBlanks):
        # GIFT's missing-word form: the answer block stands where the one blank is (several
        # blanks are refused before build). The prompt comes last and holds its marker once,
        # so the last marker of the text is the blank.
        before, _, after = text.rpartition(f"[[{next(iter(q.blanks))}]]")
        text, after_block = before, escape(after)
    head = question_text(q.title or q.id, text, html_format=html_format)
    if isinstance(q, m.TextItem):
        return f"{comment}\n{head}"
    fb = q.feedback or m.NO_FEEDBACK
    lines: list[str] = []
    if isinstance(q, m.SingleChoice):
        for c in q.choices:
            extra = fb.correct if c.correct else fb.incorrect
            lines.append(answer_line(Answer(
                "=" if c.correct else "~", t.rich(c.text) or "", None, t.rich(c.feedback, extra)
            )))
    elif isinstance(q, m.MultipleResponse):
        fractions = multiple_response_fractions(q)
        assert fractions is not None, "reported by extra_fidelity before build"
        right, wrong = fractions
        for c in q.choices:
            lines.append(answer_line(Answer(
                "~", t.rich(c.text) or "", right if c.correct else wrong, t.rich(c.feedback)
            )))
    elif isinstance(q, m.TrueFalse):
        # {TRUE#feedback for the wrong answer#feedback for the right answer}
        chosen_wrong = q.feedback_false if q.answer else q.feedback_true
        chosen_right = q.feedback_true if q.answer else q.feedback_false
        wrong = t.rich(chosen_wrong, fb.incorrect) or ""
        right = t.rich(chosen_right, fb.correct) or ""
        line = "TRUE" if q.answer else "FALSE"
        if wrong or right:
            line += "#" + escape(wrong)
        if right:
            line += "#" + escape(right)
        lines.append(line)
    elif isinstance(q, m.ShortAnswer):
        lines += _short_answer_lines(t, [a.text for a in q.answers], fb)
    elif isinstance(q, m.FillInBlanks):
        lines += _short_answer_lines(t, next(iter(q.blanks.values())), fb)
    elif isinstance(q, m.Numeric):
        if isinstance(q.answer, m.RangeAnswer):
            value = f"{number(q.answer.min)}..{number(q.answer.max)}"
        else:
            value = f"{number(q.answer.value)}:{number(q.answer.tolerance)}"
        lines.append("#" + answer_line(Answer("=", value, None, t.rich(fb.correct)), raw_text=True))
        if fb.incorrect:
            # '~#feedback': Moodle's GIFT importer turns it into a '*' answer worth 0.
            lines.append("~#" + escape(t.rich(fb.incorrect) or ""))
    elif isinstance(q, m.Matching):
        for pair in q.pairs:
            prompt = escape(t.rich(pair.prompt) or "")
            lines.append(f"={prompt} -> {escape(match_text(pair.match))}")
        for distractor in q.distractors:
            lines.append(f"= -> {escape(match_text(distractor))}")
    elif isinstance(q, m.Essay):
        pass
    else:
        raise AssertionError(f"{q.type} is unsupported in GIFT (reported before build)")
    general = t.rich(q.explanation)
    if general:
        lines.append("####" + escape(general))
    block = "\n".join(lines)
    body = f"{{\n{block}\n}}" if block else "{}"
    return f"{comment}\n{head}{body}{after_block}"


def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>&!#$|~" else c for c in text)


def category_line(path: str) -> str:
    # '/' separates levels, '//' is a slash. Moodle reads the line after its escapedchar_pre
    # and never restores the placeholders: `\:` would be named "&&058;", `\\` is a backslash.
    return "$CATEGORY: " + " ".join(path.split()).replace("\\", "\\\\")


def write(bank: Bank) -> str:
    """The GIFT text for a bank: a category per bank (and section), questions between."""
    return join_blocks(blocks(bank))


def write_pieces(bank: Bank) -> list[bytes]:
    """write() as UTF-8, in pieces (text_blocks.blocks_utf8): no whole-text str for a big
    bank."""
    return blocks_utf8(blocks(bank))


def blocks(bank: Bank) -> Iterator[str]:
    base = "$course$/top/" + category_part(bank.title)
    yield f"// {' '.join(bank.title.split())} ({bank.id} {bank.version})"
    for section in delivery_sections(bank):
        path = base if section.implicit else f"{base}/{category_part(section.title)}"
        yield category_line(path)
        yield from (question(bank, q) for q in section.questions)
