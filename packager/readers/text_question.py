"""One question of a plain-text bank read from its lines (readers/text.py reads the layout).

The lines a question holds (text_chunks.py) are its stem (scenario and prompt), its options
and its tail (key lines and the explanation); the key is then found among the options
(text_key.py). Every problem is a TextError with its line.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right

from packager.model.questions import MAX_CHOICES
from packager.readers.text_grammar import (
    EM,
    ENDS_QUESTION,
    EXPLANATION,
    FENCE,
    HEADING,
    HINT,
    KEY_ENTRY,
    KEY_LINE,
    KEY_SENTENCE,
    LABEL,
    LIST_BULLET,
    LONG_NUMBER,
    LONG_NUMBER_HINT,
    OPTION,
    PROMPT_LABEL,
    SECTION,
    TEXT2QTI_FEEDBACK,
    closes_fence,
    fence_of,
    filled,
    foreign_tail,
    is_marked,
    is_section_title,
    is_tail,
    list_follows,
    names_key,
    number_of,
    number_start,
    place_label,
    starts_question,
)
from packager.readers.text_key import (
    LEAD_EMPHASIS,
    LETTERS,
    MATCH,
    WORD,
    Key,
    Line,
    Option,
    Question,
    TextError,
    as_choice,
    as_said,
    correct_options,
    letter_note,
    norm_head,
    norm_words,
    quote,
    similarity_of,
    without_option_word,
)
from packager.readers.text_options import (
    bold_letters,
    bracket_numbers,
    inline_options,
    options_start,
    read_options,
)

# A key of option numbers alone (`1`, `(2)`, `1 and 3`, `1, 3.`).
_NUMBER_KEY = re.compile(r"\(?\d{1,2}\)?(?:\s*(?:[,;/&]|\band\b)\s*\(?\d{1,2}\)?)*\.?", re.I)
# An explanation's label alone without its colon (`Explanation`, as an exam page's text has
# it under `Answer: A) …`): read as `Explanation:` once a key is read. Capitalised: a key
# wrapped onto a line of one word (`… salt water is a`, `solution`) goes on.
_BARE_LABEL = re.compile(r"\s*(?:Explanation|EXPLANATION|Rationale|RATIONALE|Solution|SOLUTION)\s*")
# A key naming a numbered option in brackets or before a dash or full stop, then more (`(2)
# -5`, its text again; `2 - Observation, since …`); not before a colon (`1: 2` is a ratio).
_BRACKETED_NUMBER_KEY = re.compile(
    r"\s*(?:\((?P<n>\d{1,2})\)|(?P<bare>\d{1,2})\s*[-–—.])\s+(?=\S)")
# Words ending in a full stop that ends no sentence.
_ABBREVIATIONS = frozenset({
    "vs.", "e.g.", "i.e.", "etc.", "cf.", "approx.", "dr.", "mr.", "mrs.", "ms.", "prof.",
    "st.", "no.", "fig.", "inc.", "ltd.", "co.", "corp.", "jr.", "sr.", "u.s.", "u.k.",
})
# Lines of a stem that say what follows and are left out: a label over the options
# (`Options:`, `**Answer Choices:**`, `### Opciones:`) and a statement of the question's type.
# (The spaces before a label's colon are taken whole: shared with those after it, a long run
# of them before other text was split every way.)
_STEM_LABEL = re.compile(
    rf"^\s*{HEADING}{EM}(?:(?:answer\s+)?(?:options|choices)|opciones|alternativas|op[cç][õo]es"
    rf"|optionen|antwortm[öo]glichkeiten|choix|propositions|opzioni|pilihan(?:\s+jawaban)?)"
    rf"{EM}\s*+:?{EM}\s*$|^\s*{EM}question\s+type{EM}\s*:",
    re.I,
)
# A question written as a Markdown heading (`### What should you do?`): its marks come off.
_HEADING_QUESTION = re.compile(r"^\s*#{1,6}\s+(?=\S.*\?[*_]*\s*$)")
# What separates a key's letters from a rationale after them ("Answer: B - two and two …").
_AFTER_LETTERS = " \t.,;:)–—-"
_IS_CORRECT = re.compile(
    r"^(?:is|are)\s+(?:the\s+)?(?:correct|right|best)(?:\s+answers?)?\b[\s.,;:–—-]*", re.I
)
# A line under a key that points onward (`➡️ [Next: Module 3](…)`, `👉 Try it in the lab.`):
# a link or a tip as often as a rationale; an admonition's markup (`!!! tip "Notes"`); a
# heading; or a label of the question's own data (`**Referencia:** …`, `Difficulty: Easy`,
# `Also accept: C`, `K-level: K1`).
_NO_RATIONALE = re.compile(r"\s*(?:[➡👉→⏩⏭▶]|!!!|\?\?\?|#|\[[^\]\n]*\]\([^)\n]*\)\s*$"
                           r"|(\*\*|__)[^*_\n]{1,40}?(?::\1|\1\s*:)"
                           r"|[^\W\d_][\w /-]{0,30}?\s*(?::(?:\s|$)|：))")
# A line of a question's own data (`Difficulty: Easy`, `**Learning Objective:** 2.1`) under
# its key, which the error for it tells apart: made the rationale as the usual hint says, it
# would be shown to learners.
_DATA_LABEL = re.compile(r"\s*(?:\*\*|__)?[^\W\d_][\w '’/-]{0,30}?(?:\*\*|__)?\s*(?::|：)")
_DATA_HINT = ("if it is the question's data (difficulty, topic, page, objective), delete it: a "
              "text bank has no place for it; if it explains the answer, start it with "
              "'Explanation:'")
# A key that goes on to the next line (`Correct answers: A, B,` then `and D`), and a line that
# names another option after it (`C is also accepted.`): no rationale, a key's part.
# (The spaces after the comma or word are taken whole: shared with those after the marks,
# a long run of them before other text was split every way.)
_KEY_GOES_ON = re.compile(r"(?:,|\band|\bor|&)\s*+[*_]*\s*$", re.I)
_NAMES_OPTION = re.compile(r"(?P<letter>[A-Za-z])(?:\s*[,)]|\s+(?:is|are|also|and|or)\b)")
# The sign of a note after a key that is its rationale (`💡 DNS translates …`).
_NOTE_SIGN = re.compile(r"\s*(?:💡|📝|ℹ)\ufe0f?\s+")
# A tick before a key under its label (`✅ B. 5`, `✅ A.`): the key's letter follows.
_TICKED = re.compile(r"^[✓✔✅☑]\ufe0f?\s*")
# A key emphasised or set as code as a whole (`Answer: **B**`, ``Respuesta: `C` ``).
_EMPHASISED = re.compile(r"^(\*\*|__|\*|_|`)(?P<key>.+)\1$")
_BOUNDARY = re.compile(r"[.!?…][\"'”’)\]]*\s+")
# A list item's marker alone before a boundary's `.` (`2. Which …?`): no sentence ends there.
_MARKER_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:\d{1,3}|[ivx]{1,5}|[A-Za-z])$", re.I)
# The fields a test bank made with ExamView prints after an item's key (`ANS: B PTS: 1 DIF:
# Easy REF: 1.2`) and on lines of their own under it or its rationale (`OBJ: 1.2.1 TOP:
# Planets`, `DIF: Cognitive Level: Apply REF: 1094`): the item's points, then data for the
# teacher (difficulty, page, objective, topic, standards), left out as a table's `Difficulty`
# column is. In capitals, as ExamView writes them; `KEY:` (its keywords) is a key's label here.
_BANK_FIELD = r"(?:PTS|DIF|REF|OBJ|TOP|MSC|NAT|STA|BLM|NOT|KEY):"
_BANK_FIELDS = re.compile(rf"(?<=\S)\s+(?={_BANK_FIELD}\s)")  # a run of spaces tried once
_BANK_FIELD_LINE = re.compile(r"\s*(?:PTS|DIF|REF|OBJ|TOP|MSC|NAT|STA|BLM|NOT):\s+\S")
# ... and those a test bank made with Pearson's TestGen prints under the key (`Answer:  B`,
# `Diff: 1    Var: 1    Page Ref: 45`, `Topic:  Cost behavior`, `AACSB:  Analytical
# thinking`): lines of them are left out where the question's tail has TestGen's own
# (`Diff: 1`, `Page Ref: 45`); elsewhere `Topic: …` under a key is refused, as before.
_TESTGEN_SIGN = re.compile(r"\s*(?:Diff:\s*\d|Page Ref:\s*\S)")
_TESTGEN_FIELD_LINE = re.compile(
    r"\s*(?:Diff|Var|Page Ref|Topic|Skill|AACSB|Objective|LO|Learning (?:Outcome|Objective)"
    r"|Bloom's|Difficulty|Question Status|Status|Keywords?|Global|Chapter|Section|Type"
    r"|Accessibility):\s*\S")
_BANK_POINTS = re.compile(r"(?<!\S)PTS:\s+(?P<n>\d{1,4}(?:\.\d{1,2})?)(?!\S)")
# A paragraph that is a list's item (`1. …`, `- …`, `(ii) …`).
_LIST_ITEM = re.compile(r"[ \t]*(?:\d{1,3}[.)]|[-*•]|\(?[ivx]{1,5}[.)])[ \t]+\S", re.I)
# A question's number as a Markdown list item's marker, and the spaces after it.
_LIST_ITEM_START = re.compile(r"(?P<marker>[ \t]*\d{1,9}[.)])[ \t]+(?=\S)")
# A paragraph of images only (`![Figure 1](images/a.png)`, `<img src="…">`).
_FIGURES = re.compile(r"(?:\s*(?:!\[[^\]\n]*\]\([^)\n]*\)|<img\b[^<>]*>))+\s*", re.I)


def _strip_labels(line: Line, place: int) -> tuple[Line, str | None, str | None]:
    """The first line of the `place`th question without its labels (`1.`, `Q1:`, `Situation:`),
    the topic a heading's label names after a dash or colon (`## Question 1 - Topic 1`,
    `### Question 2: Topic`, `### Q3: Topic`), its title (a sentence there is the question's
    text, `## Question 3 - Which …?`), and the note in brackets after its number
    (`Question 1 (2 points)`)."""
    numbered = place_label(line, place)
    text = line.text[numbered.end() :] if numbered else line.text
    title = _topic(text) if numbered and line.text.lstrip().startswith("#") else None
    if title is not None:  # `### Q1: Sums`, the question below
        return Line(line.number, ""), title, None
    note: str | None = None
    for pattern in (number_start, LABEL.match):
        match = pattern(text)
        if match:
            note = note or match.groupdict().get("note")
            topic = match.groupdict().get("topic")
            text = text[match.end() :]
            wrap = match.groupdict().get("wrap")
            if wrap:  # the emphasis around the question (`**Q3. What …?**`) comes off
                at = text.index(wrap)
                text = text[:at] + text[at + len(wrap):]
            heading = line.text.lstrip().startswith("#")
            if topic is None:
                if heading and match.groupdict().get("qn") and (title := _topic(text)):
                    text = ""  # `### Question 1: Incident Classification`, the question below
                continue
            if heading and (title := _topic(topic)) is not None:
                continue  # a heading's topic (`## Question 1 - Topic 1`)
            text = topic  # a sentence of the question (`Question 1 - Read the passage.`)
    return Line(line.number, text), title, note[1:-1].strip() if note else None


# A note after a question's number that gives its points (`(2 points)`, `[5 marks]`, `(1 pt)`,
# `(2 puntos)`, `(3 Punkte)`).
_POINTS_NOTE = re.compile(
    r"(?P<points>\d{1,4}(?:[.,]\d{1,2})?)\s*(?:points?|pts?\.?|marks?|puntos?|pontos?"
    r"|punkte?|punti|poin|nilai)(?:\s+each)?", re.I)


def _noted(note: str | None, title: str | None) -> tuple[str | None, float | None]:
    """The title and points of a question whose number a note in brackets follows: its
    points where it gives them (`2 points`), else its title where the label names no topic
    (`LO-2.1, K2`)."""
    if not note:
        return title, None
    points = _POINTS_NOTE.fullmatch(note)
    value = float(points["points"].replace(",", ".")) if points is not None else 0.0
    return (title, value) if value > 0 else (title or note, None)


def _topic(text: str) -> str | None:
    """A heading's words after its label as a topic (`Topic 1`), or None: a sentence there is
    the question's text."""
    bare = text.strip().strip("*_").strip()
    return bare if bare and bare[-1] not in ".?!:" else None


def _strip_led_number(rest: list[Line], place: int, cut: frozenset[int]) -> list[Line]:
    """The lines after a question's first, its number taken off where a line of its own leads
    it (`✔ Domain 2 · Multiple choice`, a blank line, then `2. Which …?`; right under a line
    a page break cut from its number, `cut` the lines of such numbers): only the `place`th
    question's number, and not a list's first item."""
    at = 1 if rest and rest[0].blank else 0
    if (len(rest) <= at or number_of(rest[at]) != place or list_follows(rest, at)
            or (at == 0 and rest[0].number not in cut)):
        return rest
    found = number_start(rest[at].text) or place_label(rest[at], place)
    assert found is not None
    return [*rest[:at], Line(rest[at].number, rest[at].text[found.end() :]), *rest[at + 1:]]


def question_of(chunk: list[Line], place: int, listed: Line | None = None,
                cut: frozenset[int] = frozenset(),
                printed: frozenset[int] = frozenset(), borrowed: bool = False) -> Question:
    """The question of these lines; `listed`: its entry in the file's answer key; `cut`: the
    lines of numbers a rule cut from their text (text_chunks.misplaced_numbers); `printed`:
    the lines of numbers printed after the learner's blank or `T F` (text_quotes);
    `borrowed`: whether the file gives feedback as text2qti does (borrows_text2qti_feedback)."""
    while chunk and chunk[-1].blank:
        chunk = chunk[:-1]
    while chunk and chunk[0].blank:
        chunk = chunk[1:]
    # A section's title over the question's own start (`## Medium questions`, then `### Q6. …`
    # or `#### What is 2+3?`).
    begin = 0
    while len(chunk) - begin > 2 and is_section_title(chunk[begin]):
        after = filled(chunk, begin + 1)
        if after is None or not (starts_question(chunk[after])
                                  or _HEADING_QUESTION.match(chunk[after].text)):
            break
        begin = after
    titles = tuple(line for line in chunk[:begin] if not line.blank)
    chunk = chunk[begin:]
    rest = chunk[1:] if starts_question(chunk[0]) else _strip_led_number(chunk[1:], place, cut)
    first, title, note = _strip_labels(chunk[0], place)
    column = _content_column(chunk[0].text) if first.text.strip() else 0
    below = filled(rest) if not first.text.strip() else None
    if below is not None and (label := LABEL.match(rest[below].text)) and not label["qn"]:
        # `## Question 19`, then `**Scenario**: …`: that label comes off too
        rest = [*rest[:below], Line(rest[below].number, rest[below].text[label.end():]),
                *rest[below + 1:]]
    if title is not None and not first.text.strip():
        below = filled(rest)
        if below is None or OPTION.match(rest[below].text):
            first, title = Line(first.number, title), None  # no question below: it is one
    if (not first.text.strip() and not chunk[0].blank and not SECTION.match(chunk[0].text)
            and rest and not rest[0].blank):
        # The label alone on its line (`Q1.`), the question's text right under it: that text
        # goes on the label's paragraph (indented code cannot interrupt one), so its
        # indentation is no code's, which the blank line left for the label would make it.
        # Under a heading (`### Question 3`), a block of its own, indented lines are code.
        rest = [Line(rest[0].number, rest[0].text.lstrip()), *rest[1:]]
    chunk = [first, *rest]
    if LONG_NUMBER.match(chunk[0].text):
        raise TextError(chunk[0].number, "this question's number has more than five digits",
                        LONG_NUMBER_HINT)
    if OPTION.match(chunk[0].text):
        raise TextError(chunk[0].number, "this question has no prompt before its options",
                         "write the question (and its scenario) above the options")
    chunk, asked, given = _text2qti_feedback(chunk, borrowed)
    tail_at = _tail_start(chunk)
    if tail_at is None:
        tail_at = _after_marked_options(chunk)
    body, tail = chunk[:tail_at], chunk[tail_at:]
    body, hint = _hint(body)
    end = _true_false_statement(body, tail, listed, chunk[0].number in printed)
    statement, section = end is not None, None
    if end is not None:
        section = next((line for line in body[end:] if not line.blank), None)
        body = [*body[:end], Line(body[end - 1].number, "a) True"),
                Line(body[end - 1].number, "b) False")]
    body = bold_letters(body)  # `**A.** 5`, `**B.** 6` ending the lines: options
    body = inline_options(body)  # `(a) 5 (b) 6`: options one to a line
    body = bracket_numbers(body, tail)  # `(1) 5`, `(2) 6`, keyed `Answer: (1)`
    start = options_start(body)
    options, numbering = read_options(body[start:])
    _no_hint_offered(options, body[start:])
    for option in options:
        option.feedback = given.get(option.line)
    if len(options) == 1:
        following = chr(ord(options[0].letter or "a") + 1)  # the next option's letter
        inline = re.search(rf"\s(?:\({following}\)|{following}[.)])\s", options[0].text, re.I)
        raise TextError(
            options[0].line, "this question has one option" + (
                f": the others are on its line ({quote(inline.group(0).strip())})"
                if inline else ""),
            "write each option on its own line ('A) …', 'B) …'); a question needs two or more")
    if len(options) > MAX_CHOICES:  # before the key is matched against every one of them
        raise TextError(
            options[MAX_CHOICES].line, f"this question has {len(options)} options, more than "
            f"the {MAX_CHOICES} a question may have", "split it, or leave some options out")
    _no_key_in_stem(body[:start])
    stem = [Line(line.number, line.text[found.end() :])
            if (found := _HEADING_QUESTION.match(line.text)) else line
            for line in _without_own_label(_without_stem_labels(body[:start]), place)]
    # Its first line indented as code, where its options are not (`## What does this print?`
    # above, taken as the bank's title): a code block, as after a blank line.
    code_first = bool(stem) and _columns(stem[0].text) >= column + 4 > min(
        (_columns(line.text) for line in body[start:] if not line.blank), default=0)
    scenario, prompt, prompt_line = _stem(stem, chunk[0].number, column, code_first)
    title, points = _noted(note, title)
    q = Question(chunk[0].number, scenario, prompt, prompt_line, options, title=title,
                 points=points, statement=statement, section=section, titles=titles)
    keys = _tail(q, tail)
    if listed is not None:
        entry = KEY_ENTRY.match(listed.text)
        assert entry is not None
        said = entry["key"].strip()
        if (labelled := KEY_LINE.match(said)) is not None:  # `1. ANS: B PTS: 1`, `2. Answer: C`
            said = _without_bank_fields(q, _said(labelled)).strip()
        keys.append(_key(listed.number, said, bool(re.search(r",|\band\b|&", said)),
                         listed.text.strip()))
    if numbering and any(_NUMBER_KEY.fullmatch(key.text.strip())
                         or _BRACKETED_NUMBER_KEY.match(key.text) for key in keys):
        # Numbered options, and keyed by number: their numbers come off.
        for i, (option, number_end) in enumerate(zip(options, numbering, strict=True)):
            option.text, option.letter = option.text[number_end:], chr(ord("a") + i)
        keys = [_by_letter(key, options) for key in keys]
    q.correct = correct_options(q, keys)
    _rationales(q, keys)
    if hint:
        # Before the explanation, as in the file; a lead paragraph, no text after the key.
        q.explanation = "\n\n".join(["\n".join(line.text.strip() for line in hint if not line.blank),
                                      *([q.explanation] if q.explanation else [])])
        q.explanation_line = q.explanation_line or hint[0].number
        q.lead_paragraphs += 1
        q.hint_line = hint[0].number
    if asked is not None:
        # The question's feedback, which every learner sees after answering: first, as in
        # the file; a lead paragraph, no text after the key.
        q.explanation = "\n\n".join([asked.text, *([q.explanation] if q.explanation else [])])
        q.explanation_line = asked.number
        q.lead_paragraphs += 1
    return q


# A key naming True or False alone, a test bank's fields after it (`T`, `F.`, `True`, `T PTS:
# 1 DIF: Easy`).
_TRUE_OR_FALSE = re.compile(rf"\s*(?:t|f|true|false)\.?(?:\s+{_BANK_FIELD}.*)?\s*", re.I)
# A statement that says it is one to judge (`True or false: the moon is a star.`, `T/F: …`,
# `The moon is a star. (True/False)`): keyed by the letter T or F, the letter is its truth
# as surely as under a printed `T F`.
_SAYS_JUDGE = r"(?:true\s*(?:or|/)\s*false|t\s*(?:or|/)\s*f)"
_JUDGE_ME = re.compile(
    rf"^\W*{_SAYS_JUDGE}\s*[:.?\-\u2013\u2014]|\(\s*{_SAYS_JUDGE}\s*\??\s*\)\W*$", re.I)
# A statement that asks for a text, not a truth: a blank to fill (ExamView's completion item,
# `The symbol for fluorine is ____.`), a question asked with a wh-word (`What is the symbol
# for fluorine?`) or an instruction (`Name the element whose symbol is T.`, `Choose the
# graph …`, its options perhaps in a figure), which is neither true nor false. Keyed T or F,
# it is keyed with a letter or a word, which a true/false question would turn into the truth
# of a statement that states nothing.
_ASKS_FOR_TEXT = re.compile(
    r"_{3,}|(?:^|[.!?:]\s+)(?:(?i:what|which|who|whom|whose|where|when|why|how)\b[^.!?]*\?"
    r"|(?:Name|Give|Write|Spell|Identify)\s+(?:the|a|an|one|its|their)\s"
    r"|(?:Choose|Pick|Calculate|Compute|Solve|Determine|Explain|Describe)\s)")
# A line lettered as an option is in a layout no option is read in (`A/ Paris`, `B] Lyon`,
# `C: Nice`, `D Lille`, or the letter alone over its text): with lines lettered A and B, or
# a table's row, a question's options the reader did not take, where `F` names its sixth
# option, not False.
_LETTERED = re.compile(r"^\s*[(\[]?(?P<letter>[AaBb])(?:[^\w\s]+\s*(?:\S|$)|\s+\S)")
_TABLE_ROW = re.compile(r"^\s*\|")


def _options_unread(body: list[Line]) -> bool:
    """Whether a statement's lines hold options in a layout no option is read in, or lead
    to options not written as text: its text ends with a colon (`The graph of y = 2x is:`
    over a figure)."""
    letters = {found["letter"].lower() for line in body
               if (found := _LETTERED.match(line.text)) is not None}
    if letters == {"a", "b"} or any(_TABLE_ROW.match(line.text) for line in body):
        return True
    text = next((line.text.rstrip() for line in reversed(body)
                 if not line.blank and not _FIGURES.fullmatch(line.text)), "")
    return text.endswith(":")


def _true_false_statement(body: list[Line], tail: list[Line], listed: Line | None,
                          printed: bool) -> int | None:
    """Where the statement ends in a question's body when it is one to judge true or false,
    as test banks print one (ExamView's `____ 1. The sun is a star.`, `ANS: T` under it or in
    the answer key): no option in its body and one key, naming True or False, or T or F where
    the statement was `printed` so or says it is one (`True or false: …`; a letter elsewhere is as likely a text asked for, the
    symbol `F`, or an option not read); else None. A section that asks nothing under it after a blank line (a printed test's next
    part, `## Multiple Choice` over its instruction, which an answer key leaves under the
    part's last statement) ends it."""
    said = [found["key"] for line in tail if (found := KEY_LINE.match(line.text))]
    if listed is not None and (entry := KEY_ENTRY.match(listed.text)) is not None:
        labelled = KEY_LINE.match(entry["key"])
        said.append(labelled["key"] if labelled is not None else entry["key"])
    # The key first: it is a few lines, the body may be thousands.
    if len(said) != 1 or _TRUE_OR_FALSE.fullmatch(said[0]) is None:
        return None
    if not printed and said[0].split()[0].rstrip(".").lower() in ("t", "f") and \
            _JUDGE_ME.search(" ".join(line.text.strip() for line in body if not line.blank)) is None:
        return None
    if any(OPTION.match(line.text) for line in body):
        return None
    if (first := filled(body)) is not None and is_section_title(body[first]):
        return None  # a heading (`## Chapter 1`) titles what follows: no statement to judge
    end = next((at for at in range(1, len(body))
                if body[at - 1].blank and is_section_title(body[at])), len(body))
    if _ASKS_FOR_TEXT.search(" ".join(line.text.strip() for line in body[:end])) or \
            _options_unread(body[:end]):
        return None
    if any(ENDS_QUESTION.search(line.text) or names_key(line) for line in body[end:]):
        return None
    if any(names_key(line) for line in body[:end]):
        return None  # a key over another question's (`Answer: True`, then `### …`, its key)
    return end


def borrows_text2qti_feedback(lines: list[Line]) -> bool:
    """Whether a file gives feedback as text2qti does (`... Too early.`) where it can be
    nothing else: right under an option or a key line (blank lines between)."""
    above = ""  # the last line that is not blank
    for line in lines:
        # A run of them: only the first can be under an option or a key.
        if (line.text.startswith("...") and not above.startswith("...")
                and TEXT2QTI_FEEDBACK.match(line.text)
                and (OPTION.match(above) or KEY_LINE.match(above))):
            return True
        if not line.blank:
            above = line.text
    return False


def _text2qti_feedback(chunk: list[Line], borrowed: bool
                       ) -> tuple[list[Line], Line | None, dict[int, str]]:
    """A question's lines without text2qti's feedback lines (`... Too early.`), which a file
    keyed otherwise (`Answer: b`) may borrow: each option's, by the option's line, right under
    it (blank lines between); in a file that `borrowed` them so, the question's feedback (its
    line, the marker off), right under a question's text that asks (`…?`) with options after
    it. A feedback line right under a key line (`Answer: b`) is the explanation's, the marker
    off. Another `... ` line is text: an ellipsis (`... is the capital of France.`, a gap to
    fill, `... 2, 4, 6` a sequence to go on with, in a file that gives no such feedback) or a
    continuation. A file keyed with text2qti's marks (`*b)`) never gets here with one right
    under a question or option (the file is refused: text2qti reads it whole)."""
    candidates = [at for at, line in enumerate(chunk) if at and line.text.startswith("...")]
    if not candidates:
        return chunk, None, {}
    first_option: int | None = None  # where the options start, looked for when needed
    asked: Line | None = None
    given: dict[int, str] = {}
    changed: dict[int, Line | None] = {}  # index → its new line (None: taken out)
    for at in candidates:
        up = at - 1
        while up > 0 and chunk[up].blank:
            up -= 1
        above = chunk[up]
        # Under an ellipsis line (feedback or text), it goes on with that.
        found = (TEXT2QTI_FEEDBACK.match(chunk[at].text)
                 if not above.text.startswith("...") and not above.blank else None)
        if found is None:
            continue
        text = found["text"].rstrip()
        if OPTION.match(above.text):
            given[above.number] = text
            changed[at] = None
        elif KEY_LINE.match(above.text):
            changed[at] = Line(chunk[at].number, text)
        elif borrowed and asked is None and ENDS_QUESTION.search(above.text):
            if first_option is None:
                first_option = next((k for k, line in enumerate(chunk)
                                     if OPTION.match(line.text)), len(chunk))
            below = filled(chunk, at + 1)
            if below == first_option:
                asked = Line(chunk[at].number, text)
                changed[at] = None
    if not changed:
        return chunk, asked, given
    kept = [changed.get(at, line) for at, line in enumerate(chunk)]
    return [line for line in kept if line is not None], asked, given


def _hint(body: list[Line]) -> tuple[list[Line], list[Line]]:
    """A question's body without the hint under its options (`Hint: …` and the lines below
    it), and the hint's lines; (body, []) where no hint line follows the last option, lines
    that continue it (indented) or blank lines alone between them. A bulleted hint (`*
    **Hint:** …`) is no option: read as one, it was an answer offered to the learner."""
    last = next((i for i in range(len(body) - 1, -1, -1)
                 if OPTION.match(body[i].text) and not HINT.match(body[i].text)), None)
    if last is None:
        return body, []
    for at in range(last + 1, len(body)):
        if HINT.match(body[at].text):
            return body[:at], body[at:]
        if not (body[at].blank or body[at].text[:1].isspace()):
            break
    return body, []


def _no_key_in_stem(stem: list[Line]) -> None:
    """Refuses a key line above a question's options that names letters or a truth
    (`Answer: True` under a heading, over the next question): it keys no question there,
    and read as the stem's text it was shown to learners as the scenario."""
    for line in stem:
        key = KEY_LINE.match(line.text)
        if key is not None and not key["loose"] and (
                LETTERS.fullmatch(said := _said(key).strip(" *_"))
                or _TRUE_OR_FALSE.fullmatch(said)):
            raise TextError(
                line.number, f"a key above this question's options ({quote(line.text)})",
                "write the key under the options of the question it keys; a heading or a "
                "title is no question to key")


def _no_hint_offered(options: list[Option], run: list[Line]) -> None:
    """Refuses a hint bulleted as the options are that is read as one of them, above or
    between them (`- 2`, `- Hint: think`, `- 3` keyed `B`): learners would be offered the
    hint as an answer, and whether a key's letters count it is the author's guess."""
    hints = {line.number: line for line in run if HINT.match(line.text)}
    offered = next((hints[o.line] for o in options if o.line in hints), None)
    if offered is not None:
        raise TextError(
            offered.number, f"a hint among the options ({quote(offered.text)}) makes their "
            "letters ambiguous: read as an option, it would be an answer and take a letter",
            "move it under the last option, before the key: a hint there leads the explanation")


def _in_stem(chunk: list[Line]) -> list[bool]:
    """Per line of a question, whether it is above its options: a lettered option (`B)`,
    `(b)`, `[x]`) is below it, or an option is, with a line asking before that option. One
    pass from the end."""
    stem = [False] * len(chunk)
    lettered = asked = False  # below the line: a lettered option; a line asking, then options
    option_below = False
    for k in range(len(chunk) - 1, -1, -1):
        stem[k] = lettered or asked
        found = OPTION.match(chunk[k].text)
        if found is not None:
            option_below = True
            lettered = lettered or bool(found["letter"] or found["paren"] or found["box"])
        elif option_below and ENDS_QUESTION.search(chunk[k].text):
            asked = True
    return stem


# A question's label with its number and a mark (`Q1.`, `Q.1.`, `**Q1.**`, `Question 1:`), for
# `_without_own_label`; not before lower case (`Q3: revenue fell` is a quarter).
_OWN_LABEL = re.compile(r"^\s*(?:#{1,6}\s+)?(?P<em>\*\*|__)?(?:q\.?\s*|question[\s-]*)"
                        r"(?P<n>\d{1,5})[.):](?(em)(?P=em))\s+(?-i:(?=[^\sa-z]))", re.I)


def _without_own_label(stem: list[Line], place: int) -> list[Line]:
    """A stem's lines, the question's own label (numbered its place) off the start of a line
    under its first, where a case's text or a page's introduction is right over the label
    with no blank line between (`A 45-year-old man presents …`, then `Q1. What is …?`): the
    text above stays the question's scenario, as a question's text over its label. Only
    where one line under the first is so labelled, a mark after its number, and it is the
    last line before the options (the question it asks)."""
    labels = [(i, found) for i in range(1, len(stem))
              if (found := _OWN_LABEL.match(stem[i].text)) is not None]
    last = next((i for i in range(len(stem) - 1, -1, -1) if not stem[i].blank), None)
    if len(labels) != 1 or int(labels[0][1]["n"]) != place or labels[0][0] != last:
        # `Q.1. 100 units`, `Q.2. …` (a table's quarters), `Q1. Sales fell` over the
        # question's own line: the text's, not a label
        return stem
    i, found = labels[0]
    # A blank line before it: the text above is the scenario, the label's line the prompt.
    return [*stem[:i], Line(stem[i].number, ""), Line(stem[i].number, stem[i].text[found.end():]),
            *stem[i + 1:]]


def _without_stem_labels(stem: list[Line]) -> list[Line]:
    """A stem's lines less those that only label the options or state the question's type
    (`_STEM_LABEL`); not in fenced code (`# Options` is a comment there), and as a heading
    (`### Options:`) only right over the options (elsewhere it titles the question)."""
    last = next((i for i in range(len(stem) - 1, -1, -1) if not stem[i].blank), -1)
    kept: list[Line] = []
    fence: str | None = None
    for i, line in enumerate(stem):
        if fence is not None:
            fence = None if closes_fence(line.text, fence) else fence
        elif (opens := FENCE.match(line.text)) is not None:
            fence = opens["fence"]
        elif _STEM_LABEL.match(line.text) and (i == last or not line.text.lstrip().startswith("#")):
            continue
        kept.append(line)
    return kept


def _tail_start(chunk: list[Line]) -> int | None:
    """Where the key and explanation lines begin (a label in another language than English
    only after an option; a key's sentence only after the last option)."""
    optioned, seen = False, 1  # whether an option is among the lines before `seen`
    stem: list[bool] | None = None  # per line, whether it is a stem's (looked at once)
    for i in range(1, len(chunk)):
        sentence = False
        if not is_tail(chunk[i]):
            if not KEY_SENTENCE.match(chunk[i].text):
                continue
            stem = stem or _in_stem(chunk)
            if stem[i]:
                continue  # the stem's sentence (`The correct answer is x = 4. In which…?`)
            sentence = True  # after the options, or over bullets of its own (`Two reasons:`)
        if not sentence and not foreign_tail(chunk[i]):
            return i
        # Options looked for only where a foreign label asks, each line once.
        optioned = optioned or any(OPTION.match(line.text) for line in chunk[seen:i])
        seen = i
        if optioned:
            return i
    return None


# The indentation an explanation's lines may lose: all they share (see `_joined`).
_SHARED = sys.maxsize
# What ends an option's text restated at the start of a key line's rationale.
_RESTATED_END = re.compile(r"\s*(?:[.;:!]|\s[-–—])\s+")


def _rationales(q: Question, keys: list[Key]) -> None:
    """What a key line says after its letters, when it is no restatement of the key
    (`Answer: a. Because two plus three is five.`), leads the explanation: it was dropped."""
    found: list[tuple[int, str]] = []
    for key in keys:
        key = key._replace(text=without_option_word(key.text, q.options))
        noted = letter_note(key.text, q.options)
        if noted is not None:
            found.append((key.line, noted["note"]))  # `Answer: C (two plus three)`
            continue
        letters = LETTERS.match(key.text)
        rest = key.text[letters.end() :].lstrip(_AFTER_LETTERS) if letters else ""
        rest = _IS_CORRECT.sub("", rest, count=1)
        label = EXPLANATION.match(rest)  # `Answer: B. Explanation: …` on one line
        rest = rest[label.end():] if label is not None else rest
        if not WORD.search(rest[:200]):
            continue
        said = as_said(norm_head(rest, 64))
        correct = [q.options[i].text for i in q.correct]
        restated = _restated(said.text, correct)
        if restated is None:
            continue  # `Answer: b) Mars`, `A and F - 2FA, PIN`: the options' texts again
        if restated:
            # A sentence that goes on after the option's text (`B) SUSE and openSUSE are
            # known for YaST`) is the rationale, which starts with the option's name; after a
            # full stop (`b) Mars. It is red.`) the name alone goes.
            rest = _after_restated(rest, correct)
        found.append((key.line, rest))
    if found:
        q.lead_paragraphs = len(found)
        q.explanation = "\n\n".join([rest for _, rest in found]
                                     + ([q.explanation] if q.explanation else []))
        q.explanation_line = q.explanation_line or found[0][0]


def _restated(said: str, correct: list[str]) -> bool | None:
    """Whether a key line's (normalised) text after its letters starts by restating a correct
    option: None where it is nothing more than their texts, one after another (`and` between
    them aside), as a key of several options restates them, or a word or two more (`Mars
    (4th planet)`, `443/TCP`: the option's text again, not a rationale)."""
    words = said.split()
    if any(norm_words(text)[:len(words)] == words for text in correct):
        return None  # the start of the option's text (`(a) Melting of candle` for `Melting
        # of candle wax when heated`), as a page cuts a key short: no rationale
    choices = [as_choice(norm_words(text)) for text in correct]
    at, first = 0, True
    while said[at:].strip():
        key = as_said(said[at:].strip().removeprefix("and ").strip())
        score, end = max((similarity_of(choice, key) for choice in choices), default=(0.0, 0))
        if score < MATCH:
            return None if not first and len(key.words) < 3 else not first
        at, first = said.index(key.text, at) + max(end, 1), False
    return None


def _after_restated(rest: str, options: list[str]) -> str:
    """A key line's text after its letters less the option's text it starts with, where a
    full stop (or `;`, `:`, a dash) ends that: the rest is the rationale; else all of it."""
    for option in options:
        bare = option.strip().rstrip(".")
        if bare and rest[: len(bare)].casefold() == bare.casefold():
            after = _RESTATED_END.match(rest, len(bare))
            if after is not None and WORD.search(rest[after.end():]):
                return rest[after.end():]
    return rest


def _after_marked_options(chunk: list[Line]) -> int:
    """Where a question without key or explanation lines ends its options: with options that
    mark the key (`- [x]`, `*b)`), a paragraph after them (a blank line between) is the
    rationale, unlabelled, as after a key line; the blank line before it is returned."""
    marks = [(i, OPTION.match(line.text)) for i, line in enumerate(chunk) if i]
    options = [(i, found) for i, found in marks if found is not None]
    if not any(is_marked(found) for _, found in options):
        return len(chunk)
    last = options[-1][0]
    for i in range(last + 1, len(chunk)):
        line = chunk[i]
        if not line.blank and not line.text[:1].isspace():
            return i - 1 if chunk[i - 1].blank else len(chunk)
    return len(chunk)

def _by_letter(key: Key, options: list[Option]) -> Key:
    """A key of numbered options' numbers (`Answer: 1 and 3`) as their letters; any other
    key as it is (it restates an option's text)."""
    said = key.text.strip()
    bracketed = None if _NUMBER_KEY.fullmatch(said) else _BRACKETED_NUMBER_KEY.match(said)
    if bracketed is not None:  # `(2) -5`: the option's number, then its text again
        n = int(bracketed["n"] or bracketed["bare"])
        if not 1 <= n <= len(options):
            raise TextError(key.line, f"the key names option {n}, but the question has "
                             f"{len(options)} numbered options (1–{len(options)})",
                             "name one of its options")
        return key._replace(text=f"({chr(ord('a') + n - 1)}) {said[bracketed.end():]}")
    if not _NUMBER_KEY.fullmatch(said):
        return key
    numbers = [int(n) for n in re.findall(r"\d+", said)]
    count = len(options)
    beyond = next((n for n in numbers if not 1 <= n <= count), None)
    if beyond is not None:
        raise TextError(key.line, f"the key names option {beyond}, but the question has "
                         f"{count} numbered options (1–{count})", "name one of its options")
    same_text = [i + 1 for i, o in enumerate(options) if o.text.strip() == said.rstrip(".")]
    if same_text and same_text != numbers:
        raise TextError(key.line, f"the key {quote(said)} is both an option's number and "
                         f"option {same_text[0]}'s text", "restate the option in full")
    return key._replace(text=", ".join(chr(ord("A") + n - 1) for n in numbers))


def _stem(lines: list[Line], first: int, column: int = 0, code_first: bool = False
          ) -> tuple[str | None, str, int]:
    """Scenario (or None), prompt and the prompt's line number; `column`: where the
    question's text starts on its first line; `code_first`: that line starts indented code."""
    labelled = [i for i, line in enumerate(lines) if PROMPT_LABEL.match(line.text)]
    if labelled:  # "Question: …" starts the prompt
        at = labelled[-1]
        bare = Line(lines[at].number, PROMPT_LABEL.sub("", lines[at].text))
        lines = [*lines[:at], bare, *lines[at + 1 :]]
    lines, code_at, code_end = _indented_code(lines, column, code_first)
    coded = code_at is not None
    stem = "\n".join(line.text.rstrip() for line in lines)
    # A stem that opens with the code (its question a heading above) keeps its indentation.
    opens_code = coded and all(line.blank for line in lines[:code_at])
    lead = len(stem) - len(stem.lstrip("\n" if opens_code else None))
    stem = stem[lead:].rstrip()
    if not stem:
        raise TextError(first, "this question has no prompt before its options",
                         "write the question (and its scenario) above the options")
    end = len(stem)  # where the text the prompt is read from ends
    if labelled:
        start = max(sum(len(s.text) + 1 for s in lines[: labelled[-1]]) - lead, 0)
    elif "```" in stem or "~~~" in stem:
        start = 0  # a code block's lines are no paragraphs or sentences to split at
    else:
        breaks = list(re.finditer(r"\n[ \t]*\n", stem))
        if coded:  # nor is a blank line inside indented code: the question is below it
            code_ends = sum(len(line.text.rstrip()) + 1 for line in lines[:code_end]) - 1 - lead
            breaks = [found for found in breaks if found.start() >= code_ends]
        # Figures under the question go with it: the question is read from the text above.
        while breaks and _FIGURES.fullmatch(stem, breaks[-1].end(), end):
            end = breaks.pop().start()
        # So do the items of a list under a question (`Which are correct?`, then `1. …`).
        k, above = len(breaks), end
        while k and _LIST_ITEM.match(stem, breaks[k - 1].end(), above) and not (
                ENDS_QUESTION.search(stem, breaks[k - 1].end(), above)):
            k, above = k - 1, breaks[k - 1].start()
        if k < len(breaks) and ENDS_QUESTION.search(stem, 0, above):
            del breaks[k:]
            end = above
        start = breaks[-1].end() if breaks else 0
    if not labelled and ENDS_QUESTION.search(stem, 0, end):
        strong = ([m.start() for m in re.finditer(r"\*\*|__", stem)]
                  if "**" in stem or "__" in stem else [])
        for match in reversed(list(_BOUNDARY.finditer(stem, start, end - 1))):
            following = stem[match.end() : match.end() + 8].lstrip("\"'“‘([*_")
            if _MARKER_BEFORE.search(stem, max(0, match.start() - 9), match.start()):
                continue
            # A sentence starts upper case, with a digit, or with Spanish's `¿` or `¡`.
            if ((following[:1].isupper() or following[:1].isdigit() or following[:1] in "¿¡")
                    and _splits(stem, match, bisect_right(strong, match.start()))):
                start = match.end()
                break
    # Chunks hold consecutive lines, so counting newlines gives the prompt's line.
    line = lines[0].number + "\n".join(s.text for s in lines).count("\n", 0, lead + start)
    scenario = stem[:start].rstrip() if opens_code else stem[:start].strip()
    return scenario or None, stem if opens_code and not start else stem[start:].strip(), line


def _content_column(text: str) -> int:
    """Where the text of a question numbered as a Markdown list item (`1. `, `10) `) starts,
    as CommonMark counts it (a tab to the next multiple of four; five spaces or more after
    the number are one and code); 0 on any other line (`Q1.`, a heading, a label)."""
    found = _LIST_ITEM_START.match(text)
    if found is None:
        return 0
    marker = len(found["marker"].expandtabs(4))
    spaces = len(found.group(0).expandtabs(4)) - marker
    return marker + (spaces if spaces <= 4 else 1)


def _indented_code(lines: list[Line], column: int, code_first: bool = False
                   ) -> tuple[list[Line], int | None, int]:
    """A stem's lines, each indented code block among them (lines after a blank line, or the
    first with `code_first`, outside fenced code, indented four columns or more beyond where
    the question's text starts, `column`, as in a Markdown list item) indented by four
    columns at its least indented line (under `1. `, by 7 or 8 alike); where the first block
    starts (None: none), and where the last one ends (0: none). Split from the text above as a paragraph,
    the block's first line lost its indentation and the block became the prompt, as text.
    Lines indented less are the question's paragraphs, as Markdown reads them (`1. What?`,
    then four spaces: Python Markdown's list items indent their paragraphs so)."""
    deep = column + 4
    found: list[Line] = []
    fence: str | None = None
    code_at: int | None = None
    code_end = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if fence is not None:
            fence = None if closes_fence(line.text, fence) else fence
        elif (opens := fence_of(line.text)) is not None:
            fence = opens["fence"]
        elif (lines[i - 1].blank if i else code_first) and _columns(line.text) >= deep:
            end = i
            while end < len(lines) and (lines[end].blank or _columns(lines[end].text) >= deep):
                end += 1
            while lines[end - 1].blank:
                end -= 1
            cut = min(_columns(b.text) for b in lines[i:end] if not b.blank) - 4
            found.extend(b if b.blank or not cut else Line(
                b.number, " " * (_columns(b.text) - cut) + b.text.lstrip(" \t"))
                for b in lines[i:end])
            code_at = i if code_at is None else code_at
            i = code_end = end
            continue
        found.append(line)
        i += 1
    return found, code_at, code_end


def _columns(text: str) -> int:
    """The columns a line is indented by, a tab to the next multiple of four (Markdown's)."""
    return len(text[: len(text) - len(text.lstrip(" \t"))].expandtabs(4))


def _splits(stem: str, boundary: re.Match[str], strong_before: int) -> bool:
    """Whether a sentence ends at `boundary`, after `strong_before` strong-emphasis marks:
    not after an abbreviation ("vs."), nor inside emphasis (`**Down. Check what?**`)."""
    end = boundary.start() + 1
    words = stem[max(0, end - 12) : end].split()  # the longest abbreviation is shorter
    if words and words[-1].lstrip("\"'“‘([*_").lower() in _ABBREVIATIONS:
        return False
    return strong_before % 2 == 0


def _tail(q: Question, tail: list[Line]) -> list[Key]:
    """Reads the explanation into q; returns the key lines."""
    keys: list[Key] = []
    explanation: list[str] = []
    said_at: int | None = None  # the line the explanation's text starts on
    first_label = ""
    after_blank = False
    pending: tuple[int, bool] | None = None  # an empty key line's number, plural
    indent = 0  # of the line the explanation starts on
    bank_fields = False  # a test bank's key (`ANS: B PTS: 1`): its fields' lines are left out
    testgen = any(_TESTGEN_SIGN.match(line.text) for line in tail)
    # An option at the margin in the explanation after a key: with a key under it, the
    # next question's, swallowed (its first line lettered as an option starts none).
    listed: Line | None = None
    for at, line in enumerate(tail):
        if ((bank_fields and _BANK_FIELD_LINE.match(line.text))
                or (testgen and _TESTGEN_FIELD_LINE.match(line.text))):
            continue
        if keys and q.explanation_line is None and _BARE_LABEL.fullmatch(line.text):
            line = Line(line.number, line.text.rstrip() + ":")  # `Explanation` under the key
        key = KEY_LINE.match(line.text)
        if key and (key["loose"] or key["intl"]) and q.explanation_line is not None:
            key = None  # "Key: …" inside a rationale is its prose, not the key
        label = EXPLANATION.match(line.text)
        if label and q.explanation_line is not None and (
                "feedback" in label["label"].lower() or label["intl"]):
            # "Feedback — customers said…", "Distractor analysis: …", "说明：…" inside a
            # rationale are its prose (the last two labelled it before they were labels)
            label = None
        if pending is not None and not line.blank and not key and not label:
            # `**Answer:**` alone on its line, the key on the next
            keys.append(_key(line.number, line.text, pending[1], line.text.strip()))
            pending = None
        elif key:
            if listed is not None:
                raise TextError(
                    line.number,
                    f"a second key ({quote(line.text)}) under this question's explanation, "
                    f"with options above it from line {listed.number} ({quote(listed.text)}):"
                    " it looks like a question of its own",
                    "if it is one, label it ('Question: …'): its first line starts as an "
                    "option does; if the lines are the explanation's, leave the key out",
                )
            plural = bool(key["s1"] or key["s2"] or key["s3"] or key["intl"])
            said = _without_bank_fields(q, _said(key))
            bank_fields = (bank_fields or said != _said(key)
                           or line.text.lstrip().startswith("ANS:"))
            if not key["key"].strip() and pending is None:
                pending = (line.number, plural)
            else:
                keys.append(_key(line.number, said, plural, line.text.strip()))
        elif label:
            if q.explanation_line is not None and not any(map(str.strip, explanation)):
                explanation = []  # blank lines only (a folded key's tags): no explanation yet
            elif q.explanation_line is not None:
                raise TextError(
                    line.number,
                    f"a second explanation ('{_label(label)}:' after {first_label}) in one "
                    "question",
                    "separate questions with a blank line or '---', or join the two",
                )
            q.explanation_line = line.number
            first_label = f"'{_label(label)}:'"
            # Its text's own indentation starts where the label's does: after a list's
            # bullet (`* **Explanation:**`, a nested list under it) where it has one.
            bullet = LIST_BULLET.match(line.text)
            indent = bullet.end() if bullet else len(line.text) - len(line.text.lstrip())
            explanation.append(line.text[label.end() :])
            said_at = line.number if explanation[-1].strip() else None
        elif q.explanation_line is not None:
            explanation.append(line.text.rstrip())
            if said_at is None and explanation[-1].strip():
                said_at = line.number  # under a label alone (`??? question "Show Answer"`)
        elif after_blank and (line.blank or not line.text[:1].isspace()):
            # A paragraph of its own after the key is the rationale, unlabelled (a `> 💡 …`
            # note, or paragraphs under `#### Answer: B`). After two blank lines (the tags of
            # a folded `<details>` block) it may be indented, as the block is.
            q.explanation_line = line.number
            said_at = None if line.blank else line.number
            first_label = f"the paragraph on line {line.number}"
            indent = _SHARED if line.blank else 0
            explanation.append(line.text.rstrip())
        elif q.explanation_line is None and (note := _NOTE_SIGN.match(line.text)):
            # `💡 Because …` right under the key: the rationale, as AI-written quizzes mark it
            q.explanation_line = said_at = line.number
            first_label = f"the note on line {line.number}"
            explanation.append(line.text[note.end() :].rstrip())
        elif (keys and q.explanation_line is None and not line.blank
              and not line.text[:1].isspace()
              and not ENDS_QUESTION.search(line.text) and not _NO_RATIONALE.match(line.text)
              and not _KEY_GOES_ON.search(keys[-1].sentence)
              and not _names_option(line.text, q.options)
              and not any(KEY_LINE.match(below.text) or OPTION.match(below.text)
                          for below in tail[at + 1 :])):
            # The rationale on the line right under the key (`**Answer: B**`, then
            # `Reproducibility is key …`), as often as after a blank line; not with a key
            # or an option below it (the next question, written without a blank line), nor
            # where it asks (the next question's).
            q.explanation_line = said_at = line.number
            first_label = f"the text on line {line.number}"
            explanation.append(line.text.rstrip())
        elif q.explanation_line is None and KEY_SENTENCE.match(line.text):
            # `The correct answer is option A.` right under the options: the explanation.
            q.explanation_line = said_at = line.number
            first_label = f"the sentence on line {line.number}"
            explanation.append(line.text.rstrip())
        elif not line.blank:
            raise TextError(line.number, f"text after the answer: {quote(line.text)}",
                            _DATA_HINT if _DATA_LABEL.match(line.text)
                            else LONG_NUMBER_HINT if LONG_NUMBER.match(line.text)
                            else "start the rationale with 'Explanation:'")
        after_blank = line.blank
        if (listed is None and keys and q.explanation_line is not None
                and not line.text[:1].isspace() and OPTION.match(line.text)):
            listed = line
    if pending is not None:  # an empty key, said to be one
        keys.append(Key(pending[0], "", pending[1], ""))
    q.explanation = _joined(explanation, indent) or None
    if said_at is not None:
        q.explanation_line = said_at
    return keys


def _without_bank_fields(q: Question, said: str) -> str:
    """What a key line says, less a test bank's fields after its letters (`B PTS: 2 DIF:
    Easy`); their points are `q`'s."""
    fields = _BANK_FIELDS.search(said)
    if fields is None or not said[: fields.start()].strip():
        return said
    points = _BANK_POINTS.search(said, fields.start())
    if points is not None:
        q.points = float(points["n"])
    return said[: fields.start()]


def _names_option(text: str, options: list[Option]) -> bool:
    """Whether a line starts by naming an option by its letter (`C is also accepted.`, `D,
    too`); a capital `A` before a noun is an article (`A DDoS attack …`)."""
    found = _NAMES_OPTION.match(text)
    return found is not None and ord(found["letter"].lower()) - ord("a") < len(options)


def _joined(explanation: list[str], indent: int) -> str:
    """An explanation's lines as one text, less the indentation its lines under the label's
    share up to the label's own (`indent`: an explanation indented under its question, in a
    `<details>` block): kept, a list's first item stood apart from its others, and a
    paragraph became code. Deeper, it is the text's own (code under `Explanation:`), except
    under a label alone on its line, whose text starts on the next: there the first line's
    indentation goes (as the whole text is stripped), so the others' shared one goes too
    (a list indented under `- **Explanation:**` deeper than its bullet stays one level)."""
    if not explanation:
        return ""
    body = explanation[1:]
    shared = min((len(line) - len(line.lstrip()) for line in body if line.strip()), default=0)
    cut = min(shared, indent) if explanation[0].strip() else shared
    return "\n".join([explanation[0].strip(), *(line[cut:] for line in body)]).strip()


def _said(found: re.Match[str]) -> str:
    """What a key line says after its label; the mark of emphasis that opened before the
    label and closes only after the key taken off (`**Answer: A**`, `**Answer: A.** Because
    …`, `__Answer: b__`)."""
    said = found["key"]
    lead = LIST_BULLET.sub("", found.string[: found.start("key")], count=1)
    for mark in ("**", "__"):
        if lead.count(mark) % 2 == 1 and mark in said:
            at = said.index(mark)
            return said[:at] + said[at + len(mark):]
    return said


def _key(line: int, said: str, plural: bool, sentence: str) -> Key:
    """A key as a key line says it, its emphasis (`**B**`) taken off (an `Option` before a
    letter comes off where the options are known: text_key.without_option_word)."""
    said = _TICKED.sub("", said.strip(), count=1)
    emphasised = _EMPHASISED.match(said)
    # Wholly (`**B**`), or its letters before a rationale (`**B** — because …`).
    said = (emphasised["key"].strip() if emphasised
            else LEAD_EMPHASIS.sub(r"\g<inner>", said, count=1))
    return Key(line, said, plural, sentence)


def _label(found: re.Match[str]) -> str:
    """An explanation's label as written, spaces made one: `Feedback`, `General feedback`."""
    return " ".join(found["label"].split())
