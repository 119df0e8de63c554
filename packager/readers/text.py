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
from collections.abc import Iterator
from dataclasses import replace
from pathlib import PurePath
from typing import Any, Literal, NamedTuple

from packager.diagnostics import Diagnostic, Severity
from packager.errors import InputError
from packager.model import FORMAT_ID
from packager.model.ids import digest
from packager.readers.base import Source
from packager.readers.canonical import Located, ReadResult, model_from_data
from packager.readers.dropped_links import with_links_as_text
from packager.readers.encoding import head_text, holds, is_marked_wide, not_text, text_of
from packager.readers.imported import Imported, ImportNote, Location
from packager.readers.imported import slug as id_from_title
from packager.readers.local_media import with_local_media
from packager.readers.parallel import in_parts
from packager.readers.sniff import is_xml_or_json, whole_lines
from packager.readers.text_answer_key import (
    answer_blocks,
    answer_key,
    answer_key_problems,
    key_numbers,
    with_answer_blocks,
)
from packager.readers.text_as_written import AsWritten
from packager.readers.text_blocks import heading_blocks
from packager.readers.text_chunks import (
    after_folded_answers,
    code_under_options,
    in_code,
    misplaced_numbers,
    preamble,
    question_chunks,
    sections,
)
from packager.readers.text_closing import closing_text
from packager.readers.text_comments import without_comments
from packager.readers.text_grammar import (
    CODE,
    EM,
    ENDS_QUESTION,
    EXPLANATION,
    KEY_LINE,
    LABEL,
    NEWLINE,
    OPTION,
    PROMPT_LABEL,
    SCENARIO_WORDS,
    SEPARATOR,
    TEXT2QTI,
    TEXT2QTI_FEEDBACK,
    filled,
    is_marked,
    is_section_title,
    is_tail,
    number_of,
    place_label,
    starts_question,
)
from packager.readers.text_key import Line, NoKey, NoOptions, Question, TextError, quote
from packager.readers.text_letters import (
    dashed_options,
    lone_letters,
    may_dash_letters,
    may_stand_alone,
)
from packager.readers.text_markup import gitbook_hints, is_alpha_div
from packager.readers.text_page_sections import page_sections
from packager.readers.text_passages import (
    Passage,
    announces,
    first_named,
    held_questions,
    passages,
    shared_by,
)
from packager.readers.text_question import borrows_text2qti_feedback, question_of
from packager.readers.text_quiz_head import quiz_head
from packager.readers.text_quotes import page_lines
from packager.readers.text_respondus import Feedback, respondus_feedback
from packager.readers.text_settings import Settings, points_problem, question_settings

NAME = "text"
# The bank's title: a first `Title:` line, or a first Markdown heading of any level that is
# no question (`### 1. …`, `### What …?`).
_TITLE = re.compile(r"^\s*(?:title\s*:|#{1,6}\s)\s*(?P<text>.*)$", re.I)
# A line of only the tags that fold an answer away on GitHub (`<details><summary>Answer
# </summary>`, `<p>`, `</details>`): what they fold is read as if they were blank lines.
# A summary's text ends at its own closing tag: one that could run on to a later one gave the
# line 2^n ways to split it, each tried when the line turned out not to fold anything.
_FOLD = re.compile(
    r"^\s*(?:</?(?:details|p|br)\b[^<>]*>\s*"
    r"|<summary\b[^<>]*>(?:(?!</summary>)[^\n])*</summary>\s*)+$", re.I
)
_CLOSER = re.compile(r"</details", re.I)
# A fold's summary anywhere in the text, its case ASCII's only (as `str.lower` folds it): a
# search of the text itself, not of a lowered copy of a large file.
_SUMMARY = re.compile(r"<summary", re.I | re.A)
# A fold on one line around a question's answer (`<details><summary>Answer</summary>b) It has
# a private constructor.</details>`, as course notes close each question): its key line, the
# text it folds what follows the label.
_FOLDED_ANSWER = re.compile(
    r"^(?P<lead>\s*)<details\b[^<>]*>\s*<summary\b[^<>]*>\s*(?:<(?:b|strong)>\s*)?"
    r"(?:(?:show|reveal|view)\s+(?:the\s+)?)?(?:correct\s+)?answers?\s*(?:</(?:b|strong)>\s*)?"
    r"</summary>(?P<body>(?:(?!</?details)[^\n])+)</details>\s*$", re.I)
# A line led by text in HTML emphasis (`<b>Answer: C</b>`, `<i>Explanation:</i> …`).
_HTML_LABEL = re.compile(r"^(?P<lead>\s*)<(?P<tag>b|strong|i|em)>(?P<text>[^<>\n]*)</(?P=tag)>"
                         r"(?P<rest>.*)$", re.I)
_TRAILING_BREAK = re.compile(r"<br\s*/?>\s*$", re.I)
_QUIZ_TAG = re.compile(r"^\s*</?quiz\s*>\s*$", re.I)  # mkdocs-quiz's bounds of a question
# A line of only a link within the page (`**[⬆ Back to Top](#table-of-contents)**`): a
# README's navigation, nothing of a question; read as a blank line.
_NAVIGATION = re.compile(r"^\s*[*_]*\[[^\]]*\]\(#[^)\s]*\)[*_]*\s*$")
# A line of only an anchor such links go to (`<a id="answers"></a>`), which shows nothing.
_ANCHOR = re.compile(r"^\s*<a\s+(?:id|name)=[\"'][^\"'<>]*[\"']\s*>\s*</a>\s*$", re.I)
# A line of links to the site's other pages and nothing else, two or more between `|`, `·` or
# dashes (`[← Previous](01.md) | [Next →](03.md)`): a course page's navigation, read as a
# blank line. Links to the web are a rationale's references, and one link alone may be one;
# a list's bullet before them makes them an option.
_LINK = r"\[[^\]\n]*\]\((?![a-zA-Z][\w+.-]*:|//)[^)\s]*\)"
_ARROW = r"(?:[←↑→⬅⬆➡«»]\s*)?"
_NAVIGATION_LINKS = re.compile(
    rf"^\s*(?:[*_]{{1,2}}(?=\S))?{_ARROW}{_LINK}\s*{_ARROW}"
    rf"(?:[|·•–—-]\s*{_ARROW}{_LINK}\s*{_ARROW})+[*_]*\s*$")
_SCENARIO = re.compile(rf"\s*{EM}(?:{SCENARIO_WORDS}){EM}\s*:", re.I)
# A key of YAML front matter at the margin (`title: …`, `tags:`).
_FRONT_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:(?:\s|$)")
_IMG = re.compile(rb"<img", re.I)
# A question's own setting in text2qti (`Points: 2`, `Title: Addition` before its number): read
# as this layout, it became the question's text.
_TEXT2QTI_SETTING = re.compile(r"^(?:Points:[ \t]*\d+(?:\.\d+)?|Title:[ \t]*\S.*)$")
_SLUG_WORD = re.compile(r"[a-z0-9]+")
# Respondus's "Standard Format" (the import of many US universities' instructors) shares those
# settings and the `*b)` key with text2qti, and has its own: a question type's line (`Type:
# MC`, `Type: MA` multiple response, `Type: TF`, which say what the options and marks show,
# and are left out; `Type: E` essay, `Type: F` fill in, `Type: MT` matching …) and `@`
# feedback lines. Either tells a Respondus source (`respondus_sign`).
_RESPONDUS_CHOICE_TYPE = re.compile(r"^Type:[ \t]*(?:MC|MA|TF)[ \t]*$")
_RESPONDUS_TYPE = re.compile(r"^Type:[ \t]*[A-Z]{1,3}[ \t]*$")
_RESPONDUS_FEEDBACK = re.compile(r"^@[ \t]*\S")

_QUIZ_HEAD_LINE = re.compile(r"^[Qq]uiz (?:[Tt]itle|[Dd]escription):[ \t]+\S")


def _text2qti_feedback(lines: list[Line]) -> Line | None:
    """The first text2qti feedback line (`... Too early.`) right under a question's number or
    an option, in a file whose keys are text2qti's marks (`*b)`): read as the text above it,
    it showed the feedback in the question or the option."""
    found = next((line for at, line in enumerate(lines) if at and TEXT2QTI_FEEDBACK.match(
        line.text) and (number_of(lines[at - 1]) is not None or OPTION.match(lines[at - 1].text))),
        None)
    if found is None or not any((option := OPTION.match(line.text)) and option["mark"]
                                for line in lines):
        return None
    return found


def _respondus_type(lines: list[Line]) -> Line | None:
    """The first Respondus type line of a type not read (`Type: E`, `Type: MT`) over a
    question's number (blank lines between): read as its text, it made an essay a choice."""
    for at, line in enumerate(lines):
        if _RESPONDUS_TYPE.match(line.text):
            below = filled(lines, at + 1)
            if below is not None and number_of(lines[below]) is not None:
                return line
    return None


def _respondus_sign(lines: list[Line]) -> Line | None:
    """The first line that tells a Respondus source: a question type's line, or `@` feedback
    under an option (or under such feedback). An `@` line elsewhere is no sign: a decorator
    (`@app.command()`) or a handle (`@Switch01`) starts lines of Markdown and lists too."""
    above: Line | None = None
    for line in lines:
        if _RESPONDUS_TYPE.match(line.text):
            return line
        if _RESPONDUS_FEEDBACK.match(line.text) and above is not None and (
                OPTION.match(above.text) or _RESPONDUS_FEEDBACK.match(above.text)):
            return line
        if not line.blank:
            above = line
    return None


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
    if any(_SCENARIO.match(s) or is_alpha_div(s) for s in _iter_lines(text)):
        return True
    lines = NEWLINE.split(text)
    options = [found for found in map(OPTION.match, lines) if found is not None]
    if any(map(is_marked, options)):
        return True
    return bool(options) and any(KEY_LINE.match(s) or EXPLANATION.match(s) for s in lines)


def _iter_lines(text: str) -> Iterator[str]:
    """The lines of `NEWLINE.split(text)`, one at a time: a test that answers on the first
    line does not split a whole file."""
    start = 0
    for match in NEWLINE.finditer(text):
        yield text[start : match.start()]
        start = match.end()
    yield text[start:]


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
    lead: int  # Question.lead_paragraphs
    hint: int | None  # Question.hint_line
    section: Line | None  # Question.section
    titles: tuple[Line, ...]  # Question.titles


class _Lines(NamedTuple):
    """Where a question's parts are, for the model's and the checks' diagnostics."""

    question: int
    prompt: int
    explanation: int | None
    options: tuple[int, ...]


def _read_chunks(
    state: tuple[str, list[list[Line]], dict[int, Line], list[int | None], frozenset[int],
                 dict[int, Settings], dict[int, Feedback], frozenset[int], bool, bool],
    start: int, stop: int
) -> list[_Read | Diagnostic]:
    """Each of these questions read, or its diagnostic: a part of a file, read here or in a
    worker (`in_parts`). `answers`: the file's answer key, by question number; `numbers`: the
    questions' numbers the key names them by (key_numbers), none without a key; `cut`: the
    lines of numbers a rule cut from their text (misplaced_numbers); `settings`: text2qti's
    and Respondus's `Title:` and `Points:` lines, by their question's line; `feedback`:
    Respondus's `@` feedback, by the line of the option it is under; `printed`: the lines of
    numbers printed after the learner's blank or `T F` (text_quotes.page_lines); `borrowed`:
    whether the file keys its questions otherwise and gives feedback as text2qti does
    (borrows_text2qti_feedback); `untitled`: no line above the questions titles the bank (a
    key starting the first part then stands over the first question, not under a heading)."""
    name, chunks, answers, numbers, cut, settings, feedback, printed, borrowed, untitled = state
    found: list[_Read | Diagnostic] = []
    for place, chunk in enumerate(chunks[start:stop], start=start + 1):
        number = numbers[place - 1]  # `7.`, `## Question 7`
        try:
            q = question_of(chunk, place, answers.get(number) if number is not None else None,
                            cut, printed, borrowed)
        except TextError as exc:
            found.append(_told(exc, chunk, name,
                               answers.get(number) if number is not None else None,
                               first_part=place == 1 and untitled))
            continue
        if feedback:
            options = {option.line for option in q.options}
            stray = next((feedback[line.number] for line in chunk
                          if line.number in feedback and line.number not in options), None)
            if stray is not None:  # under a line read as no option: its feedback would be lost
                found.append(Diagnostic(
                    CODE, "an @ feedback line under a line that is not one of the question's "
                    "options", file=name, line=stray.line,
                    hint="put an answer's @ feedback line right under that answer"))
                continue
            for option in q.options:  # an answer's own feedback, as text2qti's `... ` gives
                if option.line in feedback:
                    option.feedback = feedback[option.line].text
        if q.line in settings:
            setting = settings[q.line]
            q.title = setting.title or q.title
            # `Points: 0` as written: the bank's check then tells it (a question earns more).
            q.points = setting.points if setting.points is not None else q.points
        lines = _Lines(q.line, q.prompt_line, q.explanation_line,
                       tuple(o.line for o in q.options))
        found.append(_Read(_question_data(q),
                           _slug(q.prompt, 6) or f"q-{digest(q.prompt)}",
                           lines, q.inferred, q.lead_paragraphs, q.hint_line,
                           q.section, q.titles))
    return found


def _told(exc: TextError, chunk: list[Line], name: str, listed: Line | None = None,
          first_part: bool = False) -> Diagnostic:
    """A question's error, with what its part's shape says of why: a summary or a key apart
    from its question, an answer key headed `Solutions`, a true/false statement (its answer
    key's entry `T`, `F`, as test banks print them) without its options. `first_part`: the
    part is the file's first, under no title."""
    message, hint = exc.message, exc.hint
    if (isinstance(exc, NoOptions) and listed is not None
            and _TRUE_FALSE_ENTRY.match(listed.text)):
        hint = ("a true/false statement needs its two options: write 'a) True' and 'b) False' "
                f"under it (the answer key's {quote(listed.text.strip(), 30)} on line "
                f"{listed.number} then names one)")
    elif isinstance(exc, NoOptions) and (
            keyed := next((line for line in chunk if (found := KEY_LINE.match(line.text))
                           and _TRUTH_LETTER.fullmatch(found["key"].strip())), None)):
        # `Answer: T` under a statement not printed to be judged (docs/formats/text.md).
        hint = (f"if it is a statement to judge true or false ({quote(keyed.text.strip(), 30)} "
                f"on line {keyed.number}), key it in words ('Answer: True', 'Answer: False') "
                "or write 'a) True' and 'b) False' under it: the letter alone names a truth "
                "only under a statement printed to be judged ('____ 1.', 'T F 1.') or that says "
                "it is one ('True or false: …', '… (T/F)'); else write its options, one to a "
                "line ('A) …')")
    if isinstance(exc, NoKey) and _titled_asking_nothing(chunk):
        hint = f"{hint}; if it is no question (a summary after the quiz), delete it"
    first = next((line for line in chunk if not line.blank), None)
    solutions = next((line for line in chunk if _SOLUTIONS.match(line.text)), None)
    if solutions is not None:
        # `Solutions` heads no answer key (worked solutions would read as keys).
        hint = _SOLUTIONS_HINT.format(solutions.number)
    elif isinstance(exc, NoOptions) and first and is_tail(first) and first_part:
        # `Answer: a` over the first question's number: the key of no question.
        message = f"a key before the first question ({quote(first.text.strip(), 40)})"
        hint = "write the key under the options of the question it keys"
    elif isinstance(exc, NoOptions) and first and is_tail(first):
        # `---`, then `**Respuesta correcta:** C`: a key on a slide of its own.
        message = "a key or explanation starts a part of its own, apart from its question"
        hint = "delete the rule ('---') or heading between the question's options and this line"
    return Diagnostic(CODE, message, file=name, line=exc.line, hint=hint)


# An answer key's entry naming True or False (`1. T`, `2. ANS: F PTS: 1`, `3) False`).
_TRUE_FALSE_ENTRY = re.compile(
    r"^\s*\d{1,5}\s*[.):–—-]?\s*(?:ANS:\s*)?(?:t|f|true|false)\b\.?(?:\s+PTS:.*)?\s*$", re.I)
# A key naming True or False by its letter (`T`, `f.`, `F PTS: 1`).
_TRUTH_LETTER = re.compile(r"[tf]\.?(?:\s+PTS:.*)?", re.I)
# A heading `Solutions` (not an answer key's, docs/formats/text.md) over a part.
_SOLUTIONS = re.compile(r"^\s*(?:#{1,6}\s+)?[*_]*solutions?[*_]*\s*:?[*_]*\s*$", re.I)
_SOLUTIONS_HINT = ("if 'Solutions' (line {}) heads the answer key, head it 'Answers' or 'Answer "
                   "key': worked solutions are no keys")


def _titled_asking_nothing(chunk: list[Line]) -> bool:
    """Whether a part is under a section's heading (`## Summary`) and asks nothing: a page's
    section rather than a question, when its lines are no key's."""
    first = next((line for line in chunk if not line.blank), None)
    return (first is not None and is_section_title(first)
            and not any(ENDS_QUESTION.search(line.text) for line in chunk))


def _question_data(q: Question) -> dict[str, Any]:
    """The question's canonical data, its "id" still to be set (it comes first)."""
    if q.statement:
        data: dict[str, Any] = {"id": None, "type": "true_false", "prompt": q.prompt,
                                "answer": q.correct == [0]}
        return _with_question_fields(data, q)
    ids = _unique([_slug(o.text, 4) or chr(ord("a") + i) for i, o in enumerate(q.options)])
    multiple = len(q.correct) > 1 or any(o.box for o in q.options)
    data = {
        "id": None,
        "type": "multiple_response" if multiple else "single_choice",
        "prompt": q.prompt,
        "choices": [
            {"id": cid, "text": o.text, "correct": i in q.correct}
            | ({"feedback": o.feedback} if o.feedback else {})
            for i, (cid, o) in enumerate(zip(ids, q.options, strict=True))
        ],
    }
    return _with_question_fields(data, q)


def _with_question_fields(data: dict[str, Any], q: Question) -> dict[str, Any]:
    """The data with the question's title, points, scenario and explanation where it has
    them."""
    if q.title:
        data["title"] = q.title
    if q.points is not None:
        data["points"] = int(q.points) if q.points.is_integer() else q.points
    if q.scenario:
        data["scenario"] = q.scenario
    if q.explanation:
        data["explanation"] = q.explanation
    return data


# A Markdown link or image, whose words alone make a stimulus's id. Neither part runs past a
# `[`: each `[` of a line of thousands (`[[[…`, `[](…`) was tried to the line's end.
_LINKED = re.compile(r"!?\[([^\[\]\n]*)\]\([^)\[\n]*\)")
# What a message quotes: a path, a word (`media file 'images/a.png' does not exist`).
_QUOTED = re.compile(r"'([^'\n]{1,200})'")


class _TextLocated(Located):
    """Locates the model's and the checks' problems on the lines the text came from."""

    def __init__(self, source: Source, data: Any, questions: list[_Lines],
                 title_line: int | None, description_line: int | None,
                 stimulus_lines: list[tuple[int, int]]) -> None:
        super().__init__(source, data)
        self.questions = questions
        self.title_line = title_line
        self.description_line = description_line
        # Each passage's announcement line (its title's) and the line its text starts on.
        self.stimulus_lines = stimulus_lines

    def line_of(self, pointer: str) -> int | None:
        parts = pointer.split("/")
        if pointer == "/description" and self.description_line is not None:
            return self.description_line
        if len(parts) > 2 and parts[1] == "stimuli" and parts[2].isdigit():
            at = int(parts[2])
            if at >= len(self.stimulus_lines):
                return None
            title, body = self.stimulus_lines[at]
            return title if len(parts) > 3 and parts[3] == "title" else body
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
        """The JSON reader's diagnostic, on the line the pointer's text came from: the line
        of what its message quotes from a text of several lines (an image's path)."""
        found = super().diagnostic(code, pointer, *args, **kwargs)
        line = self.line_of(pointer)
        value = self._text_at(pointer)
        quoted = _QUOTED.search(found.message) if value and "\n" in value else None
        at = value.find(quoted[1]) if value and quoted else -1
        if line is not None and value and at >= 0:
            line += value.count("\n", 0, at)
        return replace(found, line=line, column=None)

    def _text_at(self, pointer: str) -> str | None:
        """The description, or a question's text field the pointer names
        (`/questions/0/prompt`); None for another pointer."""
        if pointer == "/description":
            value = self.data.get("description") if isinstance(self.data, dict) else None
            return value if isinstance(value, str) else None
        parts = pointer.split("/")
        if len(parts) == 4 and parts[1] == "stimuli" and parts[2].isdigit() and parts[3] == "body":
            stimuli = self.data.get("stimuli") if isinstance(self.data, dict) else None
            at = int(parts[2])
            return (stimuli[at]["body"] if isinstance(stimuli, list) and at < len(stimuli)
                    else None)
        if len(parts) != 4 or parts[1] != "questions" or not parts[2].isdigit():
            return None
        questions = self.data.get("questions") if isinstance(self.data, dict) else None
        if not isinstance(questions, list) or int(parts[2]) >= len(questions):
            return None
        value = questions[int(parts[2])].get(parts[3])
        return value if isinstance(value, str) else None


def _title(lines: list[Line]) -> tuple[str | None, int | None, list[Line]]:
    """The bank's title and its line, and the lines after it: front matter's `title:`, else a
    first `Title:` line or Markdown heading."""
    front = _front_matter(lines)
    if front is not None:
        title, title_line, lines = front
        if title is not None:
            return title, title_line, lines
    first = filled(lines)
    match = _TITLE.match(lines[first].text) if first is not None else None
    if first is None or match is None:
        return None, None, lines
    if lines[first].text.lstrip().startswith("#") and (
        starts_question(lines[first]) or place_label(lines[first], 1) or announces(lines[first])
        # A heading that asks is a question over its options, a title over a paragraph.
        or (ENDS_QUESTION.search(lines[first].text) and _options_below(lines, first))
    ):
        return None, None, lines
    return match["text"].strip() or None, lines[first].number, lines[first + 1 :]


def _options_below(lines: list[Line], at: int) -> bool:
    """Whether the first line under line `at` that is not blank is an option."""
    below = filled(lines, at + 1, at + 64)
    return below is not None and OPTION.match(lines[below].text) is not None


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
            pattern.match(text) for pattern in (LABEL, PROMPT_LABEL, KEY_LINE, EXPLANATION)
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


def _unpadded(line: str) -> str:
    """A line less the spaces at its end, and the zero-width spaces among them, as text
    copied from a web page may end (`Answer: b\u200b` named no option)."""
    line = line.rstrip()
    end = len(line)
    while end and (line[end - 1] in _ZERO_WIDTH or line[end - 1].isspace()):
        end -= 1  # one pass over the end, however its spaces alternate
    return line[:end]


_ZERO_WIDTH = "\u200b\u2060"
_ZERO_WIDTH_ENDS = tuple(_ZERO_WIDTH)


def _folded_letters(lines: list[Line], raw: list[str]) -> list[Line]:
    """The lines, a fold's summary naming the answer (`<summary>Answer</summary>`) read as
    the label `Answer:` alone where what it folds starts with a letter and no label (`b) It
    belongs to the class.`, `B — …`): that line is the key, as under `**Answer:**`. Its other
    tags stay blank lines; a fold holding `Correct answer: B` is read as before."""
    out = list(lines)
    for at, line in enumerate(lines):
        if line.text or not _ANSWER_SUMMARY.search(raw[at]):
            continue
        below = next((k for k in range(at + 1, min(at + 4, len(lines))) if lines[k].text), None)
        if below is not None and _BARE_LETTER_KEY.match(re.sub(r"[*_]", "", lines[below].text)):
            out[at] = Line(line.number, "Answer:")
    return out


# A fold's summary that names the answer, and a line that starts with a letter as a key's
# does (`b) …`, `(b) …`, `B. …`, `B — …`, `B` alone).
_ANSWER_SUMMARY = re.compile(r"<summary\b[^<>]*>\s*(?:<(?:b|strong)>\s*)?(?:(?:show|reveal|view)"
                             r"\s+(?:the\s+)?)?(?:correct\s+)?answers?\s*(?:</(?:b|strong)>\s*)?"
                             r"</summary>", re.I)
_BARE_LETTER_KEY = re.compile(r"\s*(?:\(?[a-h]\)\s|[a-h]\.\s|[a-h]\s*[—–-]\s|[a-h]\s*$)", re.I)


def _wrapper(line: str) -> str:
    """A line as this layout reads it: a blank line where it only folds an answer away,
    links within the page or to other pages (navigation) or anchors such links; a rule
    (`---`) where it wraps an mkdocs-quiz question (`<quiz>`); a key or explanation label set
    in HTML emphasis as Markdown's (`<b>Resposta Correta: C</b><br>` is `**Resposta Correta:
    C**`); a key line where a fold on one line holds the answer."""
    if (_FOLD.match(line) or _NAVIGATION.match(line) or _NAVIGATION_LINKS.match(line)
            or _ANCHOR.match(line)):
        return ""
    if _QUIZ_TAG.match(line):
        return "---"
    folded = _FOLDED_ANSWER.match(line)
    if folded is not None and folded["body"].strip():
        return f"{folded['lead']}Answer: {folded['body'].strip()}"
    found = _HTML_LABEL.match(line)
    if found is not None:
        mark = "**" if found["tag"].lower() in ("b", "strong") else "*"
        rest = _TRAILING_BREAK.sub("", found["rest"])
        label = f"{found['lead']}{mark}{found['text']}{mark}{rest}"
        if KEY_LINE.match(label) or EXPLANATION.match(label):
            return label.rstrip()
    return line.rstrip()


_COMMENTED_HINT = ("delete the comment's marks (<!-- and -->) to keep the question; else "
                   "delete the comment to quiet this warning")


def _commented(line: Line) -> str:
    """What is told of an HTML comment, on `line`, that holds a question's options or key."""
    return (f"the HTML comment {quote(line.text.strip(), 40)} holds a question's options or "
            "key, which no page shows: it is left out")


def read_result(source: Source) -> ReadResult:
    """Every diagnostic of a text bank, and its Bank when there was no error."""
    return _read_notes(source)[0]


def _read_notes(source: Source) -> tuple[ReadResult, list[ImportNote]]:
    """`read_result`, and the notes of an import: keys read from restatements that differ
    from their options."""
    if b"\r" in source.data and not is_marked_wide(source.data):
        # Every line end as LF: the quick looks at the bytes below search for b"\n>" and the
        # like, which a file with CR alone (classic Mac OS) never holds. Lines keep their
        # numbers (CRLF and CR each end one line).
        source = replace(source, data=source.data.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
    try:
        text = text_of(source.data)
    except UnicodeDecodeError as exc:
        return ReadResult(None, [not_text(source.data, exc, source.name, "E-ENCODING")], None), []
    if "\ufeff" in text:
        # A byte-order mark inside the text, as files saved by Notepad and joined (`copy /b
        # a.txt+b.txt`, `cat`) hold one where each began: no character; on a line's start it
        # hid the question's number (`2.` read as a scenario, or as text after a key).
        text = text.replace("\ufeff", "")
    # Without a CR the lines are str.split's, twice as fast as the pattern's on a large file.
    split = NEWLINE.split(text) if "\r" in text else text.split("\n")
    # Lines inside fenced code are the code's: no fold, navigation or label is read there.
    code = in_code(split) if _may_fence_code(source.data) else [False] * len(split)
    # `_unpadded` called only for a line that ends, less its spaces, in a zero-width one.
    lines = [Line(n, _wrapper(s) if ("<" in s or "](" in s) and not inside
                  else bare if not (bare := s.rstrip()).endswith(_ZERO_WIDTH_ENDS)
                  else _unpadded(bare))
             for (n, s), inside in zip(enumerate(split, start=1), code, strict=True)]
    # A tag's `<` looked for in the bytes first (memchr's speed): a search of the decoded
    # text for a tag's name tries each character.
    tagged = is_marked_wide(source.data) or b"<" in source.data
    if tagged and _SUMMARY.search(text):
        lines = _folded_letters(lines, split)
    lines, commented = (without_comments(lines, code) if holds(source.data, b"<!--")
                         else (lines, []))
    if holds(source.data, b"{%") or is_marked_wide(source.data):
        lines = gitbook_hints(lines, code)
    # The lines that close a folded answer (`</details>`), which the page's text may follow.
    closers = ({n for n, s in enumerate(split, start=1) if "</details" in s.lower()
                and _FOLD.match(s) and not code[n - 1]} if tagged and _CLOSER.search(text)
               else set())
    lines, printed = page_lines(lines, source.data)
    typed = holds(source.data, b"Type:")
    if typed or is_marked_wide(source.data):
        lines = [Line(line.number, "") if _RESPONDUS_CHOICE_TYPE.match(line.text) else line
                 for line in lines]
    head = quiz_head(lines)  # text2qti's `Quiz title:`, `Quiz description:`
    # `Title:`, `Points:` over questions; a first `Title:` line over one alone is the bank's,
    # unless a quiz head titles the bank.
    lines, settings = (question_settings(head.rest, None if head.title else _title(head.rest)[1])
                       if holds(source.data, b"Title:") or holds(source.data, b"Points:")
                       or is_marked_wide(source.data) else (head.rest, {}))
    title, title_line, lines = (head.title[1], head.title[0], lines) if head.title else _title(lines)
    dashed: int | None = None  # the first option lettered `A- …`
    if is_marked_wide(source.data) or may_dash_letters(source.data):
        lines, dashed = dashed_options(lines, code)
    alone: int | None = None  # the first option whose letter is alone on its line
    if is_marked_wide(source.data) or may_stand_alone(source.data):
        lines, alone = lone_letters(lines, code)
    every_line = lines  # for a text2qti source's sign (Respondus's `@` lines are one)
    feedback: dict[int, Feedback] = {}  # Respondus's `@` feedback, by its option's line
    if b"@" in source.data or is_marked_wide(source.data):
        lines, feedback, above_options = respondus_feedback(lines, code)
        if above_options is not None:
            return ReadResult(None, [Diagnostic(
                CODE, "an @ feedback line between the question and its options: Respondus 4 "
                "reads it as the question's general feedback, other Respondus tools as its "
                "wrong answers' feedback", file=source.name, line=above_options.number,
                hint="for feedback every learner sees after answering, write it after the "
                "options as 'Explanation: …'; for an answer's own feedback, put its @ line "
                "right under that answer")], None), []
    as_written = AsWritten(split, lines)  # a message quotes the line as the file has it
    setting = _text2qti_setting(source.data, lines)
    if setting is None and (head.title or head.description or settings):
        # In a text2qti or Respondus source, its other syntax (`... feedback`, a second head,
        # `Type: E`) is its own, not the question's text it would read as.
        setting = next((line for line in lines if TEXT2QTI.match(line.text)
                        or _RESPONDUS_TYPE.match(line.text)), None)
    if setting is None and (typed or is_marked_wide(source.data)):
        setting = _respondus_type(lines)
    dotted = holds(source.data, b"...")  # text2qti's feedback mark: asked twice below
    if setting is None and (dotted or is_marked_wide(source.data)):
        setting = _text2qti_feedback(lines)
    if setting is None and (holds(source.data, b"uiz ") or is_marked_wide(source.data)):
        # A quiz head not at the file's start (text2qti refuses it): read, it was the text of
        # the question above.
        setting = next((line for line in lines if _QUIZ_HEAD_LINE.match(line.text)), None)
    if setting is not None:
        told = (_respondus_source(setting, source.name) if _RESPONDUS_TYPE.match(setting.text)
                else _text2qti_source(setting, source.name, lines))
        return ReadResult(None, [replace(told, message=as_written(told.line, told.message))],
                          None), []
    lines, answers, diagnostics = answer_key(lines)
    blocks: dict[int, list[Line]] = {}
    if not answers:
        lines, blocks, diagnostics = answer_blocks(lines)
    if answers or blocks:
        # The rule over the answer key separates no questions: with it the file was ruled,
        # where blank lines split nothing ('### Q1' … '### Q2' were one question).
        while lines and (lines[-1].blank or SEPARATOR.match(lines[-1].text)):
            lines = lines[:-1]
    # A passage that questions share is taken out first: else it is the description, a
    # question's scenario or the explanation of the question above it.
    lines, found, passage_problems, instructions, passage_titles, passage_headings = passages(
        lines, split, bool(answers or blocks))
    diagnostics += passage_problems
    description, lines = preamble(heading_blocks(lines))
    if _may_fence_code(source.data):
        lines = code_under_options(lines)
    chunks, part_titles, titles = question_chunks(lines)
    chunks, page_left = page_sections(chunks, description)
    chunks, left_out = sections(chunks)
    chunks, outside = after_folded_answers(chunks, closers) if closers else (chunks, [])
    cut, cut_numbers = misplaced_numbers(chunks)
    keyed = answers or blocks
    numbers: list[int | None] = key_numbers(keyed, chunks) if keyed else [None] * len(chunks)
    if keyed:
        lacking = set(keyed).difference(numbers)
        diagnostics += answer_key_problems(
            keyed, numbers, held_questions(found, lacking) if found and lacking else {})
    if blocks:
        chunks = with_answer_blocks(chunks, numbers, blocks)
    served, passage_problems = shared_by(found, chunks) if found else ([], [])
    instructed = first_named(instructions, chunks) if instructions else []
    diagnostics = [replace(d, file=source.name) for d in diagnostics + passage_problems]
    questions: list[_Read] = []
    borrowed = dotted and borrows_text2qti_feedback(lines)
    for part in in_parts(_read_chunks, (source.name, chunks, answers, numbers, cut_numbers,
                                        settings, feedback, printed, borrowed,
                                        title_line is None and not head.title),
                         len(chunks)):
        for read in part:
            if isinstance(read, Diagnostic):
                diagnostics.append(read)
            else:
                questions.append(read)
    unpointed = points_problem(settings, [read.lines.question for read in questions])
    if unpointed is not None:
        diagnostics.append(Diagnostic(
            CODE, "this question has no 'Points:' line, where others have one", file=source.name,
            line=unpointed, hint="text2qti gives it 1 point, Respondus the points of the "
            "'Points:' line before it: write a 'Points:' line over each question, or over none"))
    if not questions and not diagnostics:
        diagnostics.append(Diagnostic(
            CODE, "no questions found", file=source.name, line=1,
            hint="write a scenario, its options as '- ' lines and 'Explanation: The correct "
            "answer is …' (see docs/formats/text.md)",
        ))
    if diagnostics:
        # A key or options hidden in a comment may be why a question failed ("no key"): told.
        diagnostics += [Diagnostic("W-TEXT-LEFT-OUT", _commented(hidden), Severity.WARNING,
                                   file=source.name, line=hidden.number, hint=_COMMENTED_HINT)
                        for hidden in commented]
        # So may an answer key headed `Solutions`, left out as a section.
        diagnostics += [Diagnostic("W-TEXT-LEFT-OUT", f"the section {quote(title.text.strip())} "
                                   "is left out", Severity.WARNING, file=source.name,
                                   line=title.number, hint=_SOLUTIONS_HINT.format(title.number))
                        for title in left_out if _SOLUTIONS.match(title.text)]
        diagnostics = [replace(d, message=as_written(d.line, d.message)) for d in diagnostics]
        return ReadResult(None, _text2qti_first(diagnostics, every_line, source.name), None), []
    # NFC: macOS may spell the name decomposed (`cafe\u0301.txt`); the id takes the letter
    # without its accent either way (`cafe`).
    stem = unicodedata.normalize("NFC", PurePath(source.name).stem)
    bank_id = id_from_title(stem, "text-bank")
    for read, qid in zip(questions, _unique([q.slug for q in questions]), strict=True):
        read.data["id"] = qid
    data: dict[str, Any] = {"format": FORMAT_ID, "id": bank_id, "title": title or stem}
    described = [part[1] for part in (head.description, description) if part is not None]
    if described:
        data["description"] = "\n\n".join(described)
    stimulus_ids = _unique([_slug(_LINKED.sub(r"\1", passage.body), 6) or "passage"
                            for passage, _ in served])
    if served:
        data["stimuli"] = [{"id": sid, "title": passage.announcement, "body": passage.body}
                           for sid, (passage, _) in zip(stimulus_ids, served, strict=True)]
    for sid, (_, indexes) in zip(stimulus_ids, served, strict=True):
        for i in indexes:
            questions[i].data["stimulus"] = sid
    data["questions"] = [q.data for q in questions]
    located = _TextLocated(source, data, [q.lines for q in questions], title_line,
                           (head.description or description or (None, None))[0],
                           [(passage.line, passage.body_line) for passage, _ in served])
    from packager.render_pool import questions_read

    questions_read(data["questions"])  # an import's checks start rendering them
    bank, problems = model_from_data(data, located)
    inferred = [(read.data["id"], *read.inferred) for read in questions if read.inferred]
    notes: list[ImportNote] = []
    warnings: list[Diagnostic] = []

    def tell(code: str, kind: Literal["dropped", "changed"], line: int, message: str, hint: str,
             question_id: str | None = None, check: bool = True) -> None:
        """A reading the reviewer should look at: a note of `import`, and a warning of
        `validate`/`export`/`build` where the text file is the bank."""
        message = as_written(line, message)
        notes.append(ImportNote(question_id, Location(source.name, line), kind,
                                f"{message}: check it" if check else message))
        warnings.append(Diagnostic(code, message, Severity.WARNING, file=source.name,
                                   line=line, question_id=question_id, hint=hint))

    for qid, line, letters, message in inferred:
        tell("W-KEY-RESTATED", "changed", line, message, f"check it; to say so, name the "
             f"option by letter ('Answer: {letters}') or restate it as written", qid)
    # A section under a true/false statement (a printed test's next part) is left out too.
    left_out = sorted([*left_out, *(read.section for read in questions if read.section)])
    left = (
        (left_out, "the section {} asks nothing and names no key", "if it is a question, give it "
         "a question sentence, its options and its key; else delete it to quiet this warning"),
        (page_left, "the section {} is a heading over a list, beside the questions, with no "
         "options or key", "if it is a question, give it a label (Question N:), its options and "
         "its key; else delete it to quiet this warning"),
        (outside, "the text {} after a question's folded answer (</details>) asks nothing and "
         "names no key", "if it belongs to the explanation, move it inside the <details> "
         "block; else delete it to quiet this warning"),
        (sorted([*passage_titles, *part_titles]),
         "the line {} reads as the title of the part after it",
         "if it belongs to the explanation or passage above, end it with a full stop; else "
         "delete it to quiet this warning"),
    )
    for lines_left, message, hint in left:
        for dropped in lines_left:
            tell("W-TEXT-LEFT-OUT", "dropped", dropped.number,
                 message.format(quote(dropped.text.strip(), 40)) + ": it is left out", hint,
                 check=False)
    for hidden in commented:
        tell("W-TEXT-LEFT-OUT", "dropped", hidden.number, _commented(hidden), _COMMENTED_HINT,
             check=False)
    for instruction, first in zip(instructions, instructed, strict=True):
        tell("W-TEXT-LEFT-OUT", "dropped", instruction.line,
             f"{quote(instruction.announcement, 60)}, an instruction for "
             f"{instruction.names()}, has no text of its own under it: it is left out",
             "if a passage belongs to it, write the passage under this line, above the first "
             "question it serves; else delete the line to quiet this warning",
             None if first is None else questions[first].data["id"], check=False)
    closing = closing_text([(read.data.get("explanation"), read.lines.explanation, read.lead)
                            for read in questions])
    if closing is not None:
        tell("W-TEXT-CLOSING", "changed", closing[0], f"{quote(closing[1].strip(), 50)} is read "
             f"as the last question's explanation, though {closing[2]}",
             "if it closes the file rather than explains the question, delete it or put it "
             "under a heading of its own ('## Notes'), which is left out",
             questions[-1].data["id"])
    for line, message in cut:
        tell("W-TEXT-SPLIT", "changed", line, message, "a rule (---) inside a question, as a "
             "PDF's page break leaves, splits it: delete the rule, or move the text to its "
             "question")
    notes += [ImportNote(read.data["id"], Location(source.name, read.hint), "changed",
                         "the hint is kept at the start of the explanation, which learners see "
                         "after answering: a bank has no place for a hint")
              for read in questions if read.hint is not None]
    notes += [ImportNote(read.data["id"], Location(source.name, read.lines.question), "changed",
                         "a statement keyed T or F, with no options, is a true/false question")
              for read in questions if read.data["type"] == "true_false"]
    # Titles the questions stand under: the author knows they are titles, so only the
    # import, which writes a bank without them, says so (not validate, each time). A part
    # title closing a question's or passage's lines, which may be its last paragraph, is
    # warned of above instead.
    notes += [ImportNote(None, Location(source.name, title.number), "dropped",
                         f"the title {quote(title.text.strip(), 40)} is left out: a bank holds "
                         "no titles over its questions")
              for title in sorted([*passage_headings, *titles,
                                   *(t for read in questions for t in read.titles)])]
    if alone is not None:
        notes.append(ImportNote(None, Location(source.name, alone), "changed",
                                "letters alone on their lines ('A.', 'B.' …) are read with the "
                                "line under each as options A), B) …"))
    if dashed is not None:
        notes.append(ImportNote(None, Location(source.name, dashed), "changed",
                                "options lettered 'A- …', 'B- …' are read as options A), B) …"))
    notes += [_shared_note(source.name, passage, sid, [questions[i].data["id"] for i in indexes])
              for sid, (passage, indexes) in zip(stimulus_ids, served, strict=True)]
    if description is not None:
        notes.insert(0, ImportNote(None, Location(source.name, description[0]), "changed",
                                   "the text before the first question is the bank's "
                                   "description"))
    problems = problems + warnings  # validate sorts them by line
    notes.sort(key=lambda note: note.location.line or 0)  # in the file's order, as those
    return ReadResult(bank, problems, located), notes


def _shared_note(name: str, passage: Passage, sid: str, ids: list[str]) -> ImportNote:
    """The note of a passage read as a stimulus that the questions `ids` share."""
    return ImportNote(None, Location(name, passage.line), "changed",
                      f"the passage under {quote(passage.announcement, 60)} (from line "
                      f"{passage.body_line}) is the stimulus '{sid}', shown with "
                      f"{passage.names()}: " + ", ".join(f"'{qid}'" for qid in ids))


def _text2qti_first(diagnostics: list[Diagnostic], lines: list[Line],
                    name: str) -> list[Diagnostic]:
    """The diagnostics, led by one that says so when the file is a text2qti source: its
    feedback, points and answer lines are what this layout cannot read, and the errors
    about them say less than where to read it whole."""
    sign = next((line for line in lines if TEXT2QTI.match(line.text)), None)
    if sign is None:
        respondus = _respondus_sign(lines)
        return diagnostics if respondus is None else [_respondus_source(respondus, name),
                                                      *diagnostics]
    return [_text2qti_source(sign, name, lines), *diagnostics]


def _text2qti_setting(data: bytes, lines: list[Line]) -> Line | None:
    """The first line of `lines` (the file's, after its title) that is a text2qti question's
    setting. The lines are looked at only where the file's bytes have the words at a line's
    start (searched in the bytes: a search of a large decoded text is several times slower),
    or cannot be searched so (UTF-16/32, CR line ends)."""
    if (not is_marked_wide(data) and b"\n" in data
            and not holds(data, b"\nPoints:") and not holds(data, b"\nTitle:")):
        return None
    return next((line for line in lines if _TEXT2QTI_SETTING.match(line.text)), None)


def _text2qti_source(sign: Line, name: str, lines: list[Line]) -> Diagnostic:
    """The error for a text2qti source; for a question's `Title:` or `Points:` line, which
    Respondus's format has too, one that names both, or Respondus where its own signs are in
    the file (a `Type:` line, `@` feedback) and text2qti's are not."""
    if _TEXT2QTI_SETTING.match(sign.text) and not any(TEXT2QTI.match(line.text)
                                                      for line in lines):
        if _respondus_sign(lines) is not None:
            return _respondus_source(sign, name)
        return Diagnostic(
            CODE, f"this is a text2qti or Respondus source ({quote(sign.text.strip(), 40)} is "
            "their syntax), which the plain-text layout reads only in part", file=name,
            line=sign.number,
            hint="for text2qti, convert it (text2qti FILE writes FILE.zip) and import that zip, "
            "which keeps its points; for Respondus, " + _RESPONDUS_HINT)
    return Diagnostic(
        CODE, f"this is a text2qti source ({quote(sign.text.strip(), 40)} is its syntax), "
        "which the plain-text layout reads only in part", file=name, line=sign.number,
        hint="convert it with text2qti (text2qti FILE writes FILE.zip), then import that zip: "
        "packager import FILE.zip --out bank.json keeps its feedback and points",
    )


_RESPONDUS_HINT = ("'Title:' and 'Points:' lines are read right over a question's number or "
                   "label ('3.', 'Situation:'; blank lines between), an @ feedback line under "
                   "an answer as its feedback; "
                   "questions of other types (Type: E, F, MT …) are not: delete those "
                   "questions, or publish the questions from Respondus to your LMS and import "
                   "the QTI package it exports (packager import FILE.zip)")


def _respondus_source(sign: Line, name: str) -> Diagnostic:
    return Diagnostic(
        CODE, f"this is a Respondus source ({quote(sign.text.strip(), 40)} is its syntax), "
        "which the plain-text layout reads only in part (its numbered questions, lettered "
        "options, *b) keys, Type: MC/MA/TF, Title: and Points: lines, @ feedback under "
        "answers)", file=name,
        line=sign.number,
        hint=_RESPONDUS_HINT[0].upper() + _RESPONDUS_HINT[1:])


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
    if b"[" in source.data or b"<" in source.data or is_marked_wide(source.data):
        located = result.located
        imported = with_links_as_text(
            imported, source.name,
            lambda pointer, message: located.diagnostic(CODE, pointer, message).line
            if located is not None else None)
    if not _may_show_images(source.data):
        return imported
    return with_local_media(imported, source, result.located)


def _may_fence_code(data: bytes) -> bool:
    """Whether a text bank's bytes may hold a fenced code block (looked for in the bytes: a
    search of the decoded text, or of each line, is several times slower on a large file)."""
    # A byte alone is looked for at memchr's speed: most banks hold no backtick or tilde.
    return (is_marked_wide(data) or (b"`" in data and holds(data, b"```"))
            or (b"~" in data and holds(data, b"~~~")))


def _may_show_images(data: bytes) -> bool:
    """Whether a text bank's bytes may hold an image (`![`, `<img`): a quick look at a large
    file before its texts are walked. UTF-16 and UTF-32 text is not looked into."""
    return (is_marked_wide(data) or holds(data, b"![")
            or (b"<" in data and _IMG.search(data) is not None))
