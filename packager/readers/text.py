"""Plain-text scenario banks (the layout of the seed document) → a Bank, every problem by line.

A question is a stem (the scenario; its last question sentence, a last paragraph of its own or
a `Question:` line is the prompt), its options (lines starting `- `, `* `, `• `, `A) `, `a. `, `(a) `, `[ ] `,
text2qti's `*b) ` for a marked key) and a tail: `Explanation:` (or `Rationale:`, `Feedback:`;
all of it is the explanation)
and `Answer:` / `Correct answer:` lines. A question starts with `Situation:`, `Scenario:`,
`Question 3:` or a number (`1.`). When the file has `---` lines, they alone separate questions
and blank lines are paragraph breaks; otherwise a blank line after the options ends a question,
unless an option, the answer or the explanation follows. An optional first `Title:` line (or
Markdown `# heading`, or front matter's `title:`) titles the bank; its id is the file name.

The key is an `Answer:` line or a marked option, else the explanation's `The correct answer is
…` sentence, naming the option by letter or restating its text. Restatements are matched with a
similarity that forgives case, quotes, apostrophes, punctuation, small typos and a clause after
the option; when no option matches well enough or two match about equally, it is an error
quoting the key and the candidates, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import replace
from pathlib import PurePath
from typing import Any, NamedTuple

from packager.diagnostics import Diagnostic, Severity
from packager.errors import InputError
from packager.model import FORMAT_ID
from packager.model.ids import digest
from packager.model.questions import MAX_CHOICES
from packager.readers.base import Source
from packager.readers.canonical import Located, ReadResult, model_from_data
from packager.readers.encoding import head_text, is_marked_wide, not_text, text_of
from packager.readers.imported import Imported, ImportNote, Location
from packager.readers.local_media import with_local_media
from packager.readers.parallel import in_parts
from packager.readers.sniff import is_xml_or_json, whole_lines
from packager.readers.text_key import (
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
    norm_head,
    norm_words,
    quote,
    similarity_of,
)

NAME = "text"
CODE = "E-TEXT"

_NEWLINE = re.compile(r"\r\n|\r|\n")
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|_{3,}|\*{3,})\s*$")
# The bank's title: a first `Title:` line, or a first Markdown heading of any level that is
# no question (`### 1. …`, `### What …?`).
_TITLE = re.compile(r"^\s*(?:title\s*:|#{1,6}\s)\s*(?P<text>.*)$", re.I)
# A label may be emphasised as Markdown has it (`**Answer:** B`, `*Explanation*: …`).
_EM = r"(?:\*\*|__|\*|_)?"
# A label may be a Markdown heading too (`### Question 3`, `#### Answer: B`).
_HEADING = r"(?:#{1,6}\s+)?"
# A bullet's text lettered (`A. …`, `B: …`), for `_lettered_bullets`.
_BULLET_LETTER = re.compile(r"(?P<letter>[a-z])(?P<sep>[.:)])\s+(?=\S)", re.I)
# A line of only the tags that fold an answer away on GitHub (`<details><summary>Answer
# </summary>`, `<p>`, `</details>`): what they fold is read as if they were blank lines.
_FOLD = re.compile(
    r"^\s*(?:</?(?:details|p)\b[^<>]*>\s*|<summary\b[^<>]*>[^\n]*?</summary>\s*)+$", re.I
)
# Words ending in a full stop that ends no sentence.
_ABBREVIATIONS = frozenset({
    "vs.", "e.g.", "i.e.", "etc.", "cf.", "approx.", "dr.", "mr.", "mrs.", "ms.", "prof.",
    "st.", "no.", "fig.", "inc.", "ltd.", "co.", "corp.", "jr.", "sr.", "u.s.", "u.k.",
})
# An answer key that ends the file: its heading, then one entry a question (`1. B`, `2) a, c`).
_ANSWER_KEY = re.compile(
    rf"^\s*{_HEADING}{_EM}(?:answer\s*key|answers|key)\s*{_EM}\s*:?\s*{_EM}\s*$", re.I
)
_KEY_ENTRY = re.compile(r"^\s*(?:q\s*)?(?P<n>\d{1,4})\s*[.):–—-]\s*(?P<key>\S.*)$", re.I)
_SECTION = re.compile(r"^\s*#{1,6}\s")  # a Markdown heading
_QUIZ_TAG = re.compile(r"^\s*</?quiz\s*>\s*$", re.I)  # mkdocs-quiz's bounds of a question
# A line of only a link within the page (`**[⬆ Back to Top](#table-of-contents)**`): a
# README's navigation, nothing of a question; read as a blank line.
_NAVIGATION = re.compile(r"^\s*[*_]*\[[^\]]*\]\(#[^)\s]*\)[*_]*\s*$")
# A question written as a Markdown heading (`### What should you do?`): its marks come off.
_HEADING_QUESTION = re.compile(r"^\s*#{1,6}\s+(?=\S.*\?[*_]*\s*$)")
# A question's own label: `Situation:`, `Question 3:`, or a Markdown heading `### Question 3`.
_LABEL = re.compile(
    rf"^\s*{_HEADING}{_EM}(?:situation|scenario|question\s*\d+){_EM}\s*(?:[:.]{_EM}\s*|$)",
    re.I,
)
_PROMPT_LABEL = re.compile(rf"^\s*{_EM}(?:question|prompt){_EM}\s*:{_EM}\s*", re.I)
# A number, also as a Markdown heading (`### 3.`) or emphasised on its own (`**Q3.**`).
_NUMBER = re.compile(
    rf"^\s*{_HEADING}(?:(?P<em>\*\*|__)(?:q\s*)?(?P<n1>\d{{1,4}})[.):]?(?P=em)"
    r"|(?:q\s*)?(?P<n2>\d{1,4})[.)])\s+",
    re.I,
)
# `Q2:` is a question's label only where 2 is its place in the file: in a business scenario
# `Q3: revenue fell` is as likely a quarter.
_Q_NUMBER = re.compile(r"^\s*q\s*(?P<n>\d{1,4})\s*:\s+", re.I)
# A Markdown list may letter its items (`- A) …`, `- (a) …`) or tick them as a task list
# (`- [x] …`): the bullet then only starts the line. `- A. …` only where every item of the
# list is lettered so (`_lettered_bullets`): one alone is as likely an initial (`- A. Christie`).
_OPTION = re.compile(
    r"^\s*(?P<lead>[-*•‣◦▪]\s+(?=\*?[a-z]\)\s|\([a-z]\)\s|\[[ x*]\]\s))?"
    r"(?:(?P<mark>\*)?(?P<letter>[a-z])[.)]|\((?P<paren>[a-z])\)|(?P<bullet>[-*•‣◦▪])"
    r"|\[(?P<box>[ x*])\])\s+(?P<text>\S.*)$",
    re.I,
)
# After a label: a colon, or a dash as text pasted from Word has it ("Answer – B"; a hyphen
# only before a space, so "Answer-based" is no label).
_LABEL_END = rf"{_EM}\s*(?:[:：]|[–—]|-(?=\s)){_EM}\s*"
# A key or explanation label may be a list item when emphasised (`*   **Correct Answer:** A`).
_BULLETED = r"(?:[-*•]\s+(?=\*\*|__))?"
_KEY_LINE = re.compile(
    rf"^\s*{_BULLETED}{_HEADING}{_EM}(?:(?:(?:the\s+)?correct\s+answer(?P<s1>s)?|answer(?P<s2>s)?"
    r"|ans|(?P<loose>key(?P<s3>s)?|correct))" + _LABEL_END
    + rf"|ans\.{_EM}\s+)(?P<key>.*)$",
    re.I,
)
# What separates a key's letters from a rationale after them ("Answer: B - two and two …").
_AFTER_LETTERS = " \t.,;:)–—-"
_IS_CORRECT = re.compile(
    r"^(?:is|are)\s+(?:the\s+)?(?:correct|right|best)(?:\s+answers?)?\b[\s.,;:–—-]*", re.I
)
# "Feedback:" too: what a rationale is called where a document was written for an LMS.
_EXPLANATION = re.compile(
    rf"^\s*{_BULLETED}{_HEADING}{_EM}(?P<label>explanation|rationale|(?:general\s+)?feedback)"
    + _LABEL_END, re.I,
)
# A key emphasised as a whole (`Answer: **B**`).
_EMPHASISED = re.compile(r"^(\*\*|__|\*|_)(?P<key>.+)\1$")
_SCENARIO = re.compile(rf"\s*{_EM}(?:situation|scenario){_EM}\s*:", re.I)
# A mark after an option's text that makes it the key: `(correct)`, `[correct answer]`, a tick.
# Looked for in the last characters only: searched through a whole text, a pattern starting
# with a run of spaces tried each space again (quadratic in an option of spaces).
_KEY_MARK = re.compile(r"(?:[(\[] ?correct(?: answer)? ?[)\]]|[✓✔✅]\ufe0f?)$", re.I)
_KEY_MARK_REACH = len("[ correct answer ]")
# A key of YAML front matter at the margin (`title: …`, `tags:`).
_FRONT_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:(?:\s|$)")
# Lines only text2qti's own syntax has (quiz title, feedback, file upload, question groups): a
# file with them was written for text2qti, whose zip `import` reads whole.
_TEXT2QTI = re.compile(
    r"^(?:[Qq]uiz [Tt]itle:|[Qq]uiz description:|\.\.\.[ \t]+\S|\^{3,}\s*$|(?:END_)?GROUP\s*$)"
)
# A question's own setting in text2qti (`Points: 2`, `Title: Addition` before its number): read
# as this layout, it became the question's text.
_IMG = re.compile(rb"<img", re.I)
_TEXT2QTI_SETTING = re.compile(r"^(?:Points:[ \t]*\d+(?:\.\d+)?|Title:[ \t]*\S.*)$")
_SLUG_WORD = re.compile(r"[a-z0-9]+")
_BOUNDARY = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_ENDS_QUESTION = re.compile(r"\?[\"'”’)\]*_]*$")


def detect(data: bytes) -> bool:
    """Whether a file holds this layout (for `import --from auto`); never raises. The first
    64 KiB (whole lines) hold the first questions, and are judged instead of a large file."""
    head = whole_lines(data)
    if data.startswith(b"PK") or is_xml_or_json(data):
        return False
    return looks_like(head_text(head))


def looks_like(text: str) -> bool:
    """Whether text reads as this layout: a scenario label, or options with a key (a key line,
    a marked option as text2qti's `*b)`, a ticked box) or a rationale."""
    if any(_SCENARIO.match(s) for s in _iter_lines(text)):
        return True
    lines = _NEWLINE.split(text)
    options = [found for found in map(_OPTION.match, lines) if found is not None]
    if any(map(_is_marked, options)):
        return True
    return bool(options) and any(_KEY_LINE.match(s) or _EXPLANATION.match(s) for s in lines)


def _iter_lines(text: str) -> Iterator[str]:
    """The lines of `_NEWLINE.split(text)`, one at a time: a test that answers on the first
    line does not split a whole file."""
    start = 0
    for match in _NEWLINE.finditer(text):
        yield text[start : match.start()]
        start = match.end()
    yield text[start:]


# -- lines → questions -----------------------------------------------------------------------


def _is_tail(line: Line) -> bool:
    return bool(_KEY_LINE.match(line.text) or _EXPLANATION.match(line.text))


def _numbered(line: Line, place: int) -> re.Match[str] | None:
    """The line's `Q<place>:` label, when it has that one."""
    found = _Q_NUMBER.match(line.text)
    return found if found is not None and int(found["n"]) == place else None


def _ends_paragraph_question(
    line: Line, answered: bool, after_blank: bool, option: bool, place: int
) -> bool:
    """Whether this line starts a new question (the `place`th) in a file without '---'
    separators."""
    if _NUMBER.match(line.text) or _numbered(line, place):
        return answered or after_blank
    return (answered and after_blank and not option and not _is_tail(line)
            and not line.text[:1].isspace())


class _Ahead:
    """Where the next option and the next question's own start are, for `_goes_on`: indexes
    of the lines, searched by bisection (one pass over the file, whatever its paragraphs)."""

    def __init__(self, lines: list[Line], separators: list[bool]) -> None:
        self.options: list[int] = []
        self.keys: list[int] = []  # key and explanation lines, marked options
        self.labels: list[int] = []
        self.rules = [i for i, separator in enumerate(separators) if separator]
        self.numbers: dict[int, list[int]] = {}
        for i, line in enumerate(lines):
            option = _OPTION.match(line.text)
            if option:
                self.options.append(i)
            if _keys(line):
                self.keys.append(i)
            if _LABEL.match(line.text):
                self.labels.append(i)
            number = _number_of(line)
            if number is not None:
                self.numbers.setdefault(number, []).append(i)

    def question_follows(self, at: int, following: int, auto: bool) -> bool:
        """Whether options and something naming a key come after line `at` before the next
        line that starts a question (a rule, a label, the number `following`; any `1.` where
        `auto`): text at `at` can be a question. A list of bullets in an explanation, or a
        list numbered in it, cannot."""
        starts = [self.labels, self.rules, self.numbers.get(following, [])]
        if auto:
            starts.append(self.numbers.get(1, []))
        found = [s[k] for s in starts if (k := bisect_right(s, at)) < len(s)]
        end = min(found, default=None)
        for lines in (self.options, self.keys):
            k = bisect_right(lines, at)
            if k == len(lines) or (end is not None and lines[k] > end):
                return False
        return True


def _keys(line: Line) -> bool:
    """Whether the line names a question's key: a key or explanation line, a marked option."""
    if _is_tail(line):
        return True
    option = _OPTION.match(line.text)
    return option is not None and _is_marked(option)


def _is_marked(option: re.Match[str]) -> bool:
    """Whether an option line marks itself the key (`*b)`, `[x]`, `… (correct)`)."""
    return bool(option["mark"] or option["box"] in ("x", "X", "*")
                or _key_mark(option["text"]) is not None)


def _number_of(line: Line) -> int | None:
    """The question number the line starts with (`3.`, `### 3.`, `**Q3.**`, `Q3:`)."""
    found = _NUMBER.match(line.text) or _Q_NUMBER.match(line.text)
    if found is None:
        return None
    groups = found.groupdict()
    return int(groups.get("n1") or groups.get("n2") or groups["n"])


def _chunks(lines: list[Line]) -> list[list[Line]]:
    """The lines of each question.

    In a file whose questions start with labels or numbers, text after a question's key that
    cannot be a question (no options and key before the next one's label or number) is that
    question's: its explanation's paragraphs, or a list numbered inside it (`1.` in the fifth
    question). In a file ruled with `---`, a numbered question after a blank line starts a
    question where it can be one, though no rule comes before it."""
    separators = [bool(_SEPARATOR.match(line.text)) for line in lines]
    ruled = any(separators)  # then blank lines split nothing
    ahead: _Ahead | None = None
    labelled = False  # the first question starts with its label or number
    numbers: list[int | None] = []  # the numbers questions start with
    chunks: list[list[Line]] = []
    current: list[Line] = []
    blanks: list[Line] = []  # blank lines before this one: kept if the question goes on
    answered = False  # the current question has options
    keyed = False  # and a key or explanation line (of its first `scanned` lines)
    scanned = 0
    listed: tuple[int, int] | None = None  # the last numbered line read as a list's item
    for at, (line, separator) in enumerate(zip(lines, separators, strict=True)):
        if line.blank:
            blanks.append(line)
            continue
        option = bool(current) and bool(_OPTION.match(line.text))
        place = len(chunks) + 2
        starts = current and (
            separator or _LABEL.match(line.text)
            or (not ruled and _ends_paragraph_question(line, answered, bool(blanks), option,
                                                       place))
        )
        # Candidates the lines ahead decide: in a ruled file, a numbered question after a
        # blank line with no rule before it; elsewhere (numbered or labelled questions), text
        # after a question's key that is not the next question's own start. A line's number
        # is read only where it may decide (most lines are no candidate).
        number = None
        if (ruled and not starts and blanks and answered) or (
                not ruled and starts and labelled and answered and not separator):
            number = _number_of(line)
        ruled_candidate = ruled and not starts and number is not None and bool(blanks)
        open_candidate = (not ruled and starts and labelled and not separator
                          and number != place and not _LABEL.match(line.text)
                          and not _is_section([line]))
        if (ruled_candidate or open_candidate) and answered:
            # Whether the question has its key: its lines looked at once each, and only here.
            while not keyed and scanned < len(current):
                keyed = scanned > 0 and _keys(current[scanned])
                scanned += 1
        if (ruled_candidate or open_candidate) and answered and keyed:
            auto = bool(numbers) and all(n == 1 for n in numbers)
            if listed is not None and number == listed[1] + 1 and at == listed[0] + 1:
                starts = False  # the list goes on: `2.` right under a `1.` read as one
            else:
                ahead = ahead or _Ahead(lines, separators)
                following = number + 1 if ruled_candidate and number is not None else place
                starts = ahead.question_follows(at, following, auto)
            if not starts and number is not None:
                listed = (at, number)
        if starts:
            if not _is_section(current):
                chunks.append(current)
                numbers.append(_number_of(current[0]))
            current, answered, keyed, scanned = [], False, False, 0
        elif current:
            current.extend(blanks)
        blanks = []
        if not separator:
            if not current and not chunks:
                labelled = bool(_LABEL.match(line.text)) or _number_of(line) is not None
            current.append(line)
            answered = answered or option
    if current and not _is_section(current):
        chunks.append(current)
    return chunks


def _is_section(chunk: list[Line]) -> bool:
    """Whether these lines are a section's Markdown headings (`## 6. Practice questions`), not
    a question: headings only, none a question's label or asking a question."""
    if not chunk[0].text.lstrip().startswith("#"):
        return False
    return all(
        line.blank or (_SECTION.match(line.text) is not None and not _LABEL.match(line.text)
                       and not _ENDS_QUESTION.search(line.text))
        for line in chunk
    )


def _strip_labels(line: Line, place: int) -> Line:
    """The first line of the `place`th question without its labels (`1.`, `Q1:`, `Situation:`)."""
    numbered = _numbered(line, place)
    text = line.text[numbered.end() :] if numbered else line.text
    for pattern in (_NUMBER, _LABEL):
        match = pattern.match(text)
        if match:
            text = text[match.end() :]
    return Line(line.number, text)


def _question(chunk: list[Line], place: int, listed: Line | None = None) -> Question:
    """The question of these lines; `listed`: its entry in the file's answer key."""
    number = _number_of(chunk[0]) if listed is not None else None
    while chunk and chunk[-1].blank:
        chunk = chunk[:-1]
    while chunk and chunk[0].blank:
        chunk = chunk[1:]
    chunk = [_strip_labels(chunk[0], place), *chunk[1:]]
    if _OPTION.match(chunk[0].text):
        raise TextError(chunk[0].number, "this question has no prompt before its options",
                         "write the question (and its scenario) above the options")
    tail_at = next((i for i, s in enumerate(chunk) if i and _is_tail(s)), None)
    if tail_at is None:
        tail_at = _after_marked_options(chunk)
    body, tail = chunk[:tail_at], chunk[tail_at:]
    start = _options_start(body)
    options = _options(body[start:])
    if len(options) > MAX_CHOICES:  # before the key is matched against every one of them
        raise TextError(
            options[MAX_CHOICES].line, f"this question has {len(options)} options, more than "
            f"the {MAX_CHOICES} a question may have", "split it, or leave some options out")
    stem = [Line(line.number, line.text[found.end() :])
            if (found := _HEADING_QUESTION.match(line.text)) else line for line in body[:start]]
    scenario, prompt, prompt_line = _stem(stem, chunk[0].number)
    q = Question(chunk[0].number, scenario, prompt, prompt_line, options)
    keys = _tail(q, tail)
    if listed is not None:
        entry = _KEY_ENTRY.match(listed.text)
        assert entry is not None and int(entry["n"]) == number
        said = entry["key"].strip()
        keys.append(Key(listed.number, said, bool(re.search(r",|\band\b|&", said)),
                         listed.text.strip()))
    q.correct = correct_options(q, keys)
    _rationales(q, keys)
    return q


def _rationales(q: Question, keys: list[Key]) -> None:
    """What a key line says after its letters, when it is no restatement of the key
    (`Answer: a. Because two plus three is five.`), leads the explanation: it was dropped."""
    found: list[tuple[int, str]] = []
    for key in keys:
        letters = LETTERS.match(key.text)
        rest = key.text[letters.end() :].lstrip(_AFTER_LETTERS) if letters else ""
        rest = _IS_CORRECT.sub("", rest, count=1)
        if not WORD.search(rest[:200]):
            continue
        said = as_said(norm_head(rest, 64))
        if any(similarity_of(as_choice(norm_words(q.options[i].text)), said)[0] >= MATCH
               for i in q.correct):
            continue  # `Answer: b) Mars`: the option's text again
        found.append((key.line, rest))
    if found:
        q.explanation = "\n\n".join([rest for _, rest in found]
                                     + ([q.explanation] if q.explanation else []))
        q.explanation_line = q.explanation_line or found[0][0]


def _after_marked_options(chunk: list[Line]) -> int:
    """Where a question without key or explanation lines ends its options: with options that
    mark the key (`- [x]`, `*b)`), a paragraph after them (a blank line between) is the
    rationale, unlabelled, as after a key line; the blank line before it is returned."""
    marks = [(i, _OPTION.match(line.text)) for i, line in enumerate(chunk) if i]
    options = [(i, found) for i, found in marks if found is not None]
    if not any(_is_marked(found) for _, found in options):
        return len(chunk)
    last = options[-1][0]
    for i in range(last + 1, len(chunk)):
        line = chunk[i]
        if not line.blank and not line.text[:1].isspace():
            return i - 1 if chunk[i - 1].blank else len(chunk)
    return len(chunk)


def _preamble(lines: list[Line]) -> tuple[tuple[int, str] | None, list[Line]]:
    """Text before the first question (an introduction, instructions) and its line, with the
    lines after it; None where the file starts with a question. It is such text when a
    question's own start (its label or number) follows it after a blank line or rule, and it
    has no option or key line of its own (else it is a question without its label)."""
    first = next((i for i, line in enumerate(lines) if not line.blank), None)
    if first is None or _starts_question(lines[first]):
        return None, lines
    for at in range(first + 1, len(lines)):
        line = lines[at]
        if _OPTION.match(line.text) or _is_tail(line) or _TEXT2QTI.match(line.text):
            return None, lines
        if _starts_question(line) and (lines[at - 1].blank or _SEPARATOR.match(lines[at - 1].text)):
            kept = [s.text for s in lines[first:at] if not _SEPARATOR.match(s.text)]
            text = "\n".join(kept).strip()
            return ((lines[first].number, text) if text else None), lines[at:]
    return None, lines


def _starts_question(line: Line) -> bool:
    return bool(_LABEL.match(line.text)) or _number_of(line) is not None


def _answer_key(lines: list[Line]) -> tuple[list[Line], dict[int, Line], list[Diagnostic]]:
    """The lines before an answer key that ends the file (`Answer key:` then `1. B`, `2. A, C`
    …, as teachers' documents list them), and its entries by question number; the lines
    unchanged without one. Problems: a number twice."""
    end = len(lines)
    at = end - 1
    while at >= 0 and (lines[at].blank or _KEY_ENTRY.match(lines[at].text)):
        at -= 1
    if at < 0 or at == end - 1 or not _ANSWER_KEY.match(lines[at].text):
        return lines, {}, []
    entries: dict[int, Line] = {}
    problems: list[Diagnostic] = []
    for line in lines[at + 1 :]:
        entry = _KEY_ENTRY.match(line.text)
        if entry is None:
            continue
        n = int(entry["n"])
        if n in entries:
            problems.append(Diagnostic(
                CODE, f"the answer key names question {n} twice (lines {entries[n].number} "
                f"and {line.number})", line=line.number, hint="keep one of them"))
        entries[n] = line
    return lines[:at], entries, problems

def _options_start(body: list[Line]) -> int:
    """Where the options begin: the last run of option lines (indented lines continue one)."""
    end = len(body)
    while end > 1 and body[end - 1].blank:
        end -= 1
    start = end
    while start > 1 and (
        _OPTION.match(body[start - 1].text) or body[start - 1].blank
        or body[start - 1].text[:1].isspace()
    ):
        start -= 1
    while start < end and not _OPTION.match(body[start].text):
        start += 1
    if start < end:
        return start
    seen = [i for i, s in enumerate(body) if i and _OPTION.match(s.text)]
    if seen:
        stray = next(s for s in body[seen[-1] + 1 :] if not s.blank and not s.text[:1].isspace())
        raise TextError(
            stray.number, f"text after the options: {quote(stray.text)}",
            "start the rationale with 'Explanation:' or the key with 'Answer:', or indent the "
            "line to continue the option above",
        )
    raise TextError(
        body[0].number, "this question has no options",
        "write each option on its own line starting with '- ', 'A) ' or 'a. '",
    )


def _options(run: list[Line]) -> list[Option]:
    options: list[Option] = []
    for line in run:
        match = _OPTION.match(line.text)
        if match:
            letter = (match["letter"] or match["paren"] or "").lower() or None
            expected = chr(ord("a") + len(options))
            if match["lead"] and match["box"] is None and letter != expected:
                # "- J. K. Rowling": a bullet's text
                options.append(Option(line.number, match.string[match.end("lead"):].rstrip(),
                                       None, False, False))
                continue
            if letter is not None and letter != expected:
                raise TextError(
                    line.number, f"option {letter.upper()} is out of order",
                    f"letter the options a, b, c … in order (expected {expected.upper()} here)",
                )
            box = match["box"]
            # A task list's box (`- [x]`) is how Markdown ticks an item, not a checkbox chosen
            # over a radio button: how many are ticked says the type.
            options.append(Option(line.number, match["text"].rstrip(), letter,
                                   bool(match["mark"]) or (box or " ") != " ",
                                   box is not None and not match["lead"]))
        elif not line.blank:
            options[-1].text += "\n" + line.text.strip()
    _lettered_bullets(options)
    for option in options:
        before = _key_mark(option.text)
        if before:  # an option of a tick alone keeps it as its text
            option.text, option.marked = before, True
    return options


def _lettered_bullets(options: list[Option]) -> None:
    """Bullets whose texts are lettered a, b, c … in turn, alike (`- A. …`, `- B: …`), are
    lettered options: their letters come off. One alone is as likely an initial."""
    if len(options) < 2 or options[0].letter is not None or options[0].text[:1] not in "Aa":
        return
    found = [_BULLET_LETTER.match(o.text) if o.letter is None else None for o in options]
    if any(f is None for f in found):
        return
    marks = {(f["letter"].isupper(), f["sep"]) for f in found if f is not None}
    letters = [f["letter"].lower() for f in found if f is not None]
    if len(marks) != 1 or letters != [chr(ord("a") + i) for i in range(len(options))]:
        return
    for option, f in zip(options, found, strict=True):
        if f is not None:
            option.text, option.letter = option.text[f.end() :], f["letter"].lower()


def _key_mark(text: str) -> str | None:
    """The text before a mark after it that makes it the key (`(correct)`, `✓`), or None
    without one."""
    tail = text[-_KEY_MARK_REACH:]
    found = _KEY_MARK.search(tail)
    if found is None:
        return None
    return text[: len(text) - len(tail) + found.start()].rstrip()


def _stem(lines: list[Line], first: int) -> tuple[str | None, str, int]:
    """Scenario (or None), prompt and the prompt's line number."""
    labelled = [i for i, line in enumerate(lines) if _PROMPT_LABEL.match(line.text)]
    if labelled:  # "Question: …" starts the prompt
        at = labelled[-1]
        bare = Line(lines[at].number, _PROMPT_LABEL.sub("", lines[at].text))
        lines = [*lines[:at], bare, *lines[at + 1 :]]
    stem = "\n".join(line.text.rstrip() for line in lines)
    lead = len(stem) - len(stem.lstrip())
    stem = stem.strip()
    if not stem:
        raise TextError(first, "this question has no prompt before its options",
                         "write the question (and its scenario) above the options")
    if labelled:
        start = max(sum(len(s.text) + 1 for s in lines[: labelled[-1]]) - lead, 0)
    elif "```" in stem or "~~~" in stem:
        start = 0  # a code block's lines are no paragraphs or sentences to split at
    else:
        breaks = list(re.finditer(r"\n[ \t]*\n", stem))
        start = breaks[-1].end() if breaks else 0
    if not labelled and _ENDS_QUESTION.search(stem):
        strong = ([m.start() for m in re.finditer(r"\*\*|__", stem)]
                  if "**" in stem or "__" in stem else [])
        for match in reversed(list(_BOUNDARY.finditer(stem, start, len(stem) - 1))):
            following = stem[match.end() : match.end() + 8].lstrip("\"'“‘([*_")
            if ((following[:1].isupper() or following[:1].isdigit())
                    and _splits(stem, match, bisect_right(strong, match.start()))):
                start = match.end()
                break
    # Chunks hold consecutive lines, so counting newlines gives the prompt's line.
    line = lines[0].number + "\n".join(s.text for s in lines).count("\n", 0, lead + start)
    return stem[:start].strip() or None, stem[start:].strip(), line


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
    first_label = ""
    after_blank = False
    for line in tail:
        key = _KEY_LINE.match(line.text)
        if key and key["loose"] and q.explanation_line is not None:
            key = None  # "Key: …" inside a rationale is its prose, not the key
        label = _EXPLANATION.match(line.text)
        if label and q.explanation_line is not None and "feedback" in label["label"].lower():
            label = None  # "Feedback — customers said…" inside a rationale is its prose
        if key:
            said = key["key"].strip()
            emphasised = _EMPHASISED.match(said)
            said = emphasised["key"].strip() if emphasised else said
            plural = bool(key["s1"] or key["s2"] or key["s3"])
            keys.append(Key(line.number, said, plural, line.text.strip()))
        elif label:
            if q.explanation_line is not None:
                raise TextError(
                    line.number,
                    f"a second explanation ('{_label(label)}:' after {first_label}) in one "
                    "question",
                    "separate questions with a blank line or '---', or join the two",
                )
            q.explanation_line = line.number
            first_label = f"'{_label(label)}:'"
            explanation.append(line.text[label.end() :])
        elif q.explanation_line is not None:
            explanation.append(line.text.rstrip())
        elif after_blank and not line.text[:1].isspace():
            # A paragraph of its own after the key is the rationale, unlabelled (a `> 💡 …`
            # note, or paragraphs under `#### Answer: B`).
            q.explanation_line = line.number
            first_label = f"the paragraph on line {line.number}"
            explanation.append(line.text.rstrip())
        elif not line.blank:
            raise TextError(line.number, f"text after the answer: {quote(line.text)}",
                             "start the rationale with 'Explanation:'")
        after_blank = line.blank
    q.explanation = "\n".join(explanation).strip() or None
    return keys


def _label(found: re.Match[str]) -> str:
    """An explanation's label as written, spaces made one: `Feedback`, `General feedback`."""
    return " ".join(found["label"].split())


# -- questions → bank ------------------------------------------------------------------------


def _slug(text: str, words: int) -> str:
    # Cut just before an ASCII space, a text gives its two parts' words (as in `norm_head`):
    # the first words of a long text come from its start alone.
    cut = text.find(" ", 16 * words)
    if cut >= 0:
        parts = _slug_words(text[:cut], words)
        if len(parts) < words:
            parts = _slug_words(text, words)
    else:
        parts = _slug_words(text, words)
    return "-".join(parts)[:48].strip("-")


def _slug_words(text: str, words: int) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_WORD.findall(ascii_text.lower().replace("'", ""))[:words]


def _unique(slugs: list[str]) -> list[str]:
    """The slugs, a repeated one suffixed -2, -3 …"""
    seen: set[str] = set()
    last: dict[str, int] = {}  # the last suffix tried per slug: no rescans from 2
    result: list[str] = []
    for slug in slugs:
        candidate, n = slug, last.get(slug, 1)
        while candidate in seen:
            n += 1
            candidate = f"{slug}-{n}"
        last[slug] = n
        seen.add(candidate)
        result.append(candidate)
    return result


class _Read(NamedTuple):
    """A question as read: all the bank needs of it, and small to pickle (`in_parts`)."""

    data: dict[str, Any]  # its canonical data, "id" still None
    slug: str  # its id, before the ids are made unique
    lines: _Lines
    inferred: tuple[int, str, str] | None  # Question.inferred


class _Lines(NamedTuple):
    """Where a question's parts are, for the model's and the checks' diagnostics."""

    question: int
    prompt: int
    explanation: int | None
    options: tuple[int, ...]


def _read_chunks(
    state: tuple[str, list[list[Line]], dict[int, Line]], start: int, stop: int
) -> list[_Read | Diagnostic]:
    """Each of these questions read, or its diagnostic: a part of a file, read here or in a
    worker (`in_parts`). `answers`: the file's answer key, by question number."""
    name, chunks, answers = state
    found: list[_Read | Diagnostic] = []
    for place, chunk in enumerate(chunks[start:stop], start=start + 1):
        number = _number_of(chunk[0]) if answers else None
        try:
            q = _question(chunk, place, answers.get(number) if number is not None else None)
        except TextError as exc:
            found.append(Diagnostic(CODE, exc.message, file=name, line=exc.line, hint=exc.hint))
            continue
        lines = _Lines(q.line, q.prompt_line, q.explanation_line,
                       tuple(o.line for o in q.options))
        found.append(_Read(_question_data(q), _slug(q.prompt, 6) or f"q-{digest(q.prompt)}",
                           lines, q.inferred))
    return found


def _question_data(q: Question) -> dict[str, Any]:
    """The question's canonical data, its "id" still to be set (it comes first)."""
    ids = _unique([_slug(o.text, 4) or chr(ord("a") + i) for i, o in enumerate(q.options)])
    multiple = len(q.correct) > 1 or any(o.box for o in q.options)
    data: dict[str, Any] = {
        "id": None,
        "type": "multiple_response" if multiple else "single_choice",
        "prompt": q.prompt,
        "choices": [
            {"id": cid, "text": o.text, "correct": i in q.correct}
            for i, (cid, o) in enumerate(zip(ids, q.options, strict=True))
        ],
    }
    if q.scenario:
        data["scenario"] = q.scenario
    if q.explanation:
        data["explanation"] = q.explanation
    return data


class _TextLocated(Located):
    """Locates the model's and the checks' problems on the lines the text came from."""

    def __init__(self, source: Source, data: Any, questions: list[_Lines],
                 title_line: int | None) -> None:
        super().__init__(source, data)
        self.questions = questions
        self.title_line = title_line

    def line_of(self, pointer: str) -> int | None:
        parts = pointer.split("/")
        if len(parts) < 3 or parts[1] != "questions" or not parts[2].isdigit():
            return self.title_line
        if int(parts[2]) >= len(self.questions):
            return None
        q = self.questions[int(parts[2])]
        field_name = parts[3] if len(parts) > 3 else ""
        if field_name == "choices" and len(parts) > 4 and parts[4].isdigit():
            index = int(parts[4])
            return q.options[index] if index < len(q.options) else q.question
        if field_name == "explanation" and q.explanation is not None:
            return q.explanation
        return q.prompt if field_name == "prompt" else q.question

    def _where(self, pointer: str) -> tuple[int, int] | None:
        return None  # no JSON text: line_of knows the lines

    def diagnostic(self, code: str, pointer: str, *args: Any, **kwargs: Any) -> Diagnostic:
        """The JSON reader's diagnostic, on the line the pointer's text came from."""
        found = super().diagnostic(code, pointer, *args, **kwargs)
        return replace(found, line=self.line_of(pointer), column=None)


def _title(lines: list[Line]) -> tuple[str | None, int | None, list[Line]]:
    """The bank's title and its line, and the lines after it: front matter's `title:`, else a
    first `Title:` line or Markdown heading."""
    front = _front_matter(lines)
    if front is not None:
        title, title_line, lines = front
        if title is not None:
            return title, title_line, lines
    first = next((i for i, line in enumerate(lines) if not line.blank), None)
    match = _TITLE.match(lines[first].text) if first is not None else None
    if first is None or match is None or (
        lines[first].text.lstrip().startswith("#")
        and (_starts_question(lines[first]) or _ENDS_QUESTION.search(lines[first].text))
    ):
        return None, None, lines
    return match["text"].strip() or None, lines[first].number, lines[first + 1 :]


def _front_matter(lines: list[Line]) -> tuple[str | None, int | None, list[Line]] | None:
    """The `title:` of a Markdown file's YAML front matter (a first line `---`, `key: value`
    lines, a closing `---` or `...`), its line, and the lines after it; None without front
    matter. A block holding a line of this layout (`Situation:`, `Answer:`, an option at the
    margin) is a question between separators, not front matter."""
    if not lines or lines[0].text.strip() != "---":
        return None
    end = next((i for i, line in enumerate(lines) if i and line.text.strip() in ("---", "...")),
               None)
    if end is None:
        return None
    title: str | None = None
    title_line: int | None = None
    for line in lines[1:end]:
        text = line.text
        if line.blank or text[:1].isspace():
            continue  # a value's continuation, or an item of a list
        if not _FRONT_KEY.match(text) or any(
            pattern.match(text) for pattern in (_LABEL, _PROMPT_LABEL, _KEY_LINE, _EXPLANATION)
        ):
            return None
        key, _, value = text.partition(":")
        if key.strip().lower() == "title":
            title, title_line = _yaml_scalar(value), line.number
    return title, title_line, lines[end + 1 :]


def _yaml_scalar(value: str) -> str | None:
    """A one-line YAML value as written (its quotes taken off); None for a block (`>`, `|`)."""
    value = value.strip()
    if value[:1] in (">", "|") or not value:
        return None
    if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value.strip() or None


def _wrapper(line: str) -> str:
    """A line as this layout reads it: a blank line where it only folds an answer away or
    links within the page; a rule (`---`) where it wraps an mkdocs-quiz question (`<quiz>`)."""
    if _FOLD.match(line) or _NAVIGATION.match(line):
        return ""
    if _QUIZ_TAG.match(line):
        return "---"
    return line.rstrip()


def read_result(source: Source) -> ReadResult:
    """Every diagnostic of a text bank, and its Bank when there was no error."""
    return _read_notes(source)[0]


def _read_notes(source: Source) -> tuple[ReadResult, list[ImportNote]]:
    """`read_result`, and the notes of an import: keys read from restatements that differ
    from their options."""
    try:
        text = text_of(source.data)
    except UnicodeDecodeError as exc:
        return ReadResult(None, [not_text(source.data, exc, source.name, "E-ENCODING")], None), []
    # Without a CR the lines are str.split's, twice as fast as the pattern's on a large file.
    split = _NEWLINE.split(text) if "\r" in text else text.split("\n")
    lines = [Line(n, _wrapper(s) if "<" in s or "](#" in s else s.rstrip())
             for n, s in enumerate(split, start=1)]
    title, title_line, lines = _title(lines)
    every_line = lines  # for a text2qti source's sign
    setting = _text2qti_setting(source.data, lines)
    if setting is not None:
        return ReadResult(None, [_text2qti_source(setting, source.name)], None), []
    lines, answers, diagnostics = _answer_key(lines)
    description, lines = _preamble(lines)
    chunks = _chunks(lines)
    if answers:
        diagnostics += _answer_key_problems(answers, chunks)
    diagnostics = [replace(d, file=source.name) for d in diagnostics]
    questions: list[_Read] = []
    for part in in_parts(_read_chunks, (source.name, chunks, answers), len(chunks)):
        for read in part:
            if isinstance(read, Diagnostic):
                diagnostics.append(read)
            else:
                questions.append(read)
    if not questions and not diagnostics:
        diagnostics.append(Diagnostic(
            CODE, "no questions found", file=source.name, line=1,
            hint="write a scenario, its options as '- ' lines and 'Explanation: The correct "
            "answer is …' (see docs/formats/text.md)",
        ))
    if diagnostics:
        return ReadResult(None, _text2qti_first(diagnostics, every_line, source.name), None), []
    stem = PurePath(source.name).stem
    bank_id = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")[:64] or "text-bank"
    for read, qid in zip(questions, _unique([q.slug for q in questions]), strict=True):
        read.data["id"] = qid
    data: dict[str, Any] = {"format": FORMAT_ID, "id": bank_id, "title": title or stem}
    if description is not None:
        data["description"] = description[1]
    data["questions"] = [q.data for q in questions]
    located = _TextLocated(source, data, [q.lines for q in questions], title_line)
    bank, problems = model_from_data(data, located)
    inferred = [(read.data["id"], *read.inferred) for read in questions if read.inferred]
    notes = [ImportNote(qid, Location(source.name, line), "changed", f"{message}: check it")
             for qid, line, _, message in inferred]
    if description is not None:
        notes.insert(0, ImportNote(None, Location(source.name, description[0]), "changed",
                                   "the text before the first question is the bank's "
                                   "description"))
    # Where the text file is the bank, the reviewer hears of it from validate and export.
    problems = problems + [
        Diagnostic("W-KEY-RESTATED", message, Severity.WARNING, file=source.name, line=line,
                   question_id=qid, hint=f"check it; to say so, name the option by letter "
                   f"('Answer: {letters}') or restate it as written")
        for qid, line, letters, message in inferred
    ]
    return ReadResult(bank, problems, located), notes


def _answer_key_problems(answers: dict[int, Line], chunks: list[list[Line]]) -> list[Diagnostic]:
    """An answer key needs its questions numbered apart, and names only questions the file
    has."""
    numbers = [_number_of(chunk[0]) for chunk in chunks]
    known = [n for n in numbers if n is not None]
    first = next(iter(answers.values()))
    if len(set(known)) != len(known):
        return [Diagnostic(CODE, "an answer key names questions by number, and this file "
                           "numbers two questions alike", line=first.number,
                           hint="number the questions 1, 2, 3 … as the answer key does")]
    return [
        Diagnostic(CODE, f"the answer key names question {n}, which the file does not have",
                   line=line.number, hint="number each question as the answer key names it")
        for n, line in answers.items() if n not in known
    ]


def _text2qti_first(diagnostics: list[Diagnostic], lines: list[Line],
                    name: str) -> list[Diagnostic]:
    """The diagnostics, led by one that says so when the file is a text2qti source: its
    feedback, points and answer lines are what this layout cannot read, and the errors
    about them say less than where to read it whole."""
    sign = next((line for line in lines if _TEXT2QTI.match(line.text)), None)
    if sign is None:
        return diagnostics
    return [_text2qti_source(sign, name), *diagnostics]


def _text2qti_setting(data: bytes, lines: list[Line]) -> Line | None:
    """The first line of `lines` (the file's, after its title) that is a text2qti question's
    setting. The lines are looked at only where the file's bytes have the words at a line's
    start (searched in the bytes: a search of a large decoded text is several times slower),
    or cannot be searched so (UTF-16/32, CR line ends)."""
    if (not is_marked_wide(data) and b"\n" in data
            and b"\nPoints:" not in data and b"\nTitle:" not in data):
        return None
    return next((line for line in lines if _TEXT2QTI_SETTING.match(line.text)), None)


def _text2qti_source(sign: Line, name: str) -> Diagnostic:
    return Diagnostic(
        CODE, f"this is a text2qti source ({quote(sign.text.strip(), 40)} is its syntax), "
        "which the plain-text layout reads only in part", file=name, line=sign.number,
        hint="convert it with text2qti (text2qti FILE writes FILE.zip), then import that zip: "
        "packager import FILE.zip --out bank.json keeps its feedback and points",
    )


def read(source: Source) -> Imported:
    """A Bank from a text file, with notes of the keys read from restatements that differ
    from their options; InputError with located diagnostics when it cannot be read."""
    result, notes = _read_notes(source)
    errors = sum(d.is_error for d in result.diagnostics)
    if result.bank is None or errors:
        raise InputError(
            f"{source.name}: {errors} error{'s' if errors != 1 else ''} in the text bank",
            diagnostics=result.diagnostics,
        )
    imported = Imported(result.bank, notes=notes)
    if not _may_show_images(source.data):
        return imported
    return with_local_media(imported, source, result.located)


def _may_show_images(data: bytes) -> bool:
    """Whether a text bank's bytes may hold an image (`![`, `<img`): a quick look at a large
    file before its texts are walked. UTF-16 and UTF-32 text is not looked into."""
    return is_marked_wide(data) or b"![" in data or _IMG.search(data) is not None
