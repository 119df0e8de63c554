"""Reading passages that several questions of a plain-text bank share (readers/text.py reads
the layout).

Printed tests, ExamView's narratives and teachers' documents announce a passage on a line of
its own above it: `Questions 1-2 refer to the passage below.`, `Q1 - 2 refers to …`, `For
questions 3 and 4, …`, `Use the following passage to answer questions 3–5.`, `The next two
questions are based on …`. The text under such a line, up to the first question it serves (or
the next question, rule or announcement), becomes one stimulus of the bank, used by exactly
the questions the line names, wherever in the file it stands. The lines are taken out before
the file is split into questions, so the passage is nobody's scenario or explanation.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import NamedTuple

from packager.diagnostics import Diagnostic
from packager.readers.text_answer_key import chunk_number
from packager.readers.text_chunks import asks_over_options, in_code
from packager.readers.text_grammar import (
    CODE,
    EM,
    OPTION,
    PART_LINE,
    RANGE_DASH,
    REFERS,
    SEPARATOR,
    filled,
    is_section_title,
    list_follows,
    names_key,
    number_of,
    question_number,
    starts_question,
)
from packager.readers.text_key import Line, quote

_N = r"\d{1,5}"
# What may stand before a question's number in a range (`Questions 1-2`, `Q1 - Q2`, `#3`).
_Q = r"(?:q(?:uestions?|s)?\.?\s*(?:#\s*)?|#\s*)"
_RANGE_WORD = rf"(?:{RANGE_DASH}|to\b|through\b|thru\b)"
_THROUGH = rf"\s*{_RANGE_WORD}\s*"
_AND = r"\s*(?:,\s*(?:(?:and|&)\s*)?|and\b\s*|&\s*)"
# A range (`1-2`, `3 to 5`, `Q1 - Q2`) or a list (`1 and 2`, `1, 2 and 4`) of numbers.
_NUMBERS = rf"(?P<numbers>{_N}(?:{_THROUGH}{_Q}?{_N}|(?:{_AND}{_Q}?{_N})+))"
_COUNT = r"(?P<count>two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
# A line's lead (a heading's marks, emphasis, `Directions:`), each part taken whole (`*+`,
# `?+`): a line that is no announcement (most are) is given up after one try of each form.
_LEAD = (r"^\s*+(?:#{1,6}\s++)?+(?:\*\*|__|\*|_)?+"
         r"(?:(?:directions|instructions|note)\s*+:\s*+(?:\*\*|__|\*|_)?+)?+")
_NEXT = rf"(?:next|following)\s+{_COUNT}\s+questions\b"
# What may come before `answer questions 3-5` (`Use the following passage to …`, `Read the
# story below and …`).
_READ = (r"(?:use|read|study|look\s+at|refer\s+to|consider|examine|review|see|listen\s+to)\b"
         r"[^\n]{0,160}?\banswer(?:ing)?\s+(?:the\s+)?")
# Each form of announcement (a pattern may name a group once: one pattern a form). These
# two say that the questions refer to what follows: the line announces a passage.
_REFERRING = tuple(re.compile(_LEAD + form, re.I) for form in (
    # `Questions 1-2 refer to …`, `Q1 - 2 refers to …`, `**Questions 2 to 3** are based on …`
    # (a list needs its word: `1 and 2 use the same formula.` is a sentence)
    # (spaces before a colon and after it are one run each: two runs side by side shared a
    # line's spaces every way, and a line of 100,000 took minutes)
    rf"(?:{_Q}|(?={_N}{_THROUGH}))(?={_N}){_NUMBERS}{EM}(?:\s*[:.,]{EM})?\s+{REFERS}",
    rf"the\s+{_NEXT}\s+{REFERS}",  # `The next two questions refer to …`
))
# These announce a passage where the line names one (`For questions 3-5, read the passage
# below.`): `For questions 1-10, choose the best answer.` and `Use a pencil to answer questions
# 1-5.` are instructions.
_INSTRUCTING = tuple(re.compile(_LEAD + form, re.I) for form in (
    # `2 and 3 refer to the passage below.` (a list without its word names the passage: `1
    # and 2 use the same formula.` is a sentence)
    rf"(?={_N}{_AND}){_NUMBERS}{EM}(?:\s*[:.,]{EM})?\s+{REFERS}",
    rf"for\s+{_Q}{_NUMBERS}\b",  # `For questions 3-5, …`
    rf"for\s+the\s+{_NEXT}",  # `For the next two questions, …`
    # `Use the following passage to answer questions 3–5.`, `Read the story below and answer
    # questions 1 to 5!`, `Use the chart to answer the next three questions.`
    rf"{_READ}{_Q}{_NUMBERS}\b",
    rf"{_READ}{_NEXT}",
    # `Answer questions 1-3 based on the passage below.`
    rf"answer\s+{_Q}{_NUMBERS}\s+(?:based\s+on|using|about|from|after|with)\b",
))
# Every form at once, without the groups: one look passes over a line that is none.
_ANY = re.compile(_LEAD + "(?:" + "|".join(
    re.sub(r"\(\?P<\w+>", "(?:", form.pattern[len(_LEAD):])
    for form in (*_REFERRING, *_INSTRUCTING)) + ")", re.I)
# What an instruction names to read: a kind of text, or `the following`, `below`, `this`
# right after a verb of reading (`read this`, `use the following`, `see below`), or a thing
# to read `below` (`Use the steps below to …`) that is not the questions' own parts nor
# where the learner writes (`use the space below`, `the blank lines`, `the boxes`). A bare
# `below` is as often the options' (`For questions 1-10, choose the best answer below.`).
_MATERIAL = re.compile(
    r"\b(?:passages?|texts?|story|stories|poems?|articles?|excerpts?|extracts?|tables?|charts?"
    r"|graphs?|maps?|figures?|diagrams?|pictures?|images?|information|data|case|scenario"
    r"|sources?|letter|speech|dialogue|conversation)\b"
    r"|\b(?:read|use|study|see|consider|examine|review|refer\s+to|look\s+at|listen\s+to)\s+"
    r"(?:(?:the\s+)?(?:following|below|this|these)\b"
    r"|(?:(?:the|each|all|every|both)\s+)?(?!(?:\w+\s+){0,2}?(?:questions?|answers?|options?"
    r"|choices?|statements?|items?|spaces?|blanks?|box(?:es)?)\b)(?:\w+\s+){1,3}?below\b)",
    re.I)
# Material `above` and not `below` or `following` is before the line, not under it.
_ABOVE = re.compile(r"\babove\b", re.I)
_UNDER = re.compile(r"\b(?:below|following)\b", re.I)
_NUMBER = re.compile(_N)
# A printed test's part (`Part B`, `Section 2`, a heading) or its instruction (`Indicate
# whether the statement is true or false.`), and a sentence's end (`.`, `!`, `?`, then
# quotes or brackets that close).
_PART_HEAD = re.compile(r"\s*(?:#|(?:part|section|identify|indicate|complete|match|write"
                        r"|solve|enter|choose|select|read|answer)\b)", re.I)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10}
_FIX = ("name the questions as the file numbers them ('Questions 3-4 refer to …'), or "
        "'the next two questions'")


class Passage(NamedTuple):
    """A passage as written and the questions its announcement names."""

    line: int  # the announcement's
    announcement: str  # its text, the stimulus's title
    body: str  # the lines under it, as written
    body_line: int
    first: int  # the numbers a range names (first to last), or the count of next questions
    last: int
    listed: tuple[int, ...]  # the numbers a list names (`1 and 3`), else ()
    next_count: bool  # `the next two questions`: first and last are 1 and the count

    def names(self) -> str:
        """The questions as the announcement names them, for messages."""
        if self.next_count:
            return f"the next {self.last} question{'s' if self.last != 1 else ''}"
        if self.listed:
            return "questions " + ", ".join(map(str, self.listed[:-1])) + f" and {self.listed[-1]}"
        return f"questions {self.first}-{self.last}"


def _announced(text: str) -> re.Match[str] | None:
    if _ANY.match(text) is None:
        return None
    found = next((found for form in _REFERRING if (found := form.match(text)) is not None),
                 None)
    if found is None:
        found = next((found for form in _INSTRUCTING if (found := form.match(text)) is not None),
                     None)
        if found is not None and (not _MATERIAL.search(text)
                                  or (_ABOVE.search(text) and not _UNDER.search(text))):
            return None
    return found


def announces(line: Line) -> bool:
    """Whether the line announces a passage for a range of questions, naming what to read: a
    heading that names nothing (`# Questions 1-3 are about fractions`) titles the file."""
    return _announced(line.text) is not None and _MATERIAL.search(line.text) is not None


def passages(lines: list[Line], raw: list[str], keyed: bool
             ) -> tuple[list[Line], list[Passage], list[Diagnostic], list[Passage], list[Line],
                        list[Line]]:
    """The lines with each announced passage (its announcement and its text) blank, the
    passages, what is wrong with their announcements, the instructions under a question
    that name no text of their own (taken out too, as passages without a body), the printed
    test's part titles left out at a passage's end (a passage's last paragraph may read so:
    the reader is told), and the Markdown headings left out there. `raw`: the file's lines
    as written, by number less one (a passage keeps its text exactly); `keyed`: the file
    ends in an answer key (see _passage_end)."""
    found = [(at, match) for at, line in enumerate(lines)
             if (match := _announced(line.text)) is not None]
    if not found:
        return lines, [], [], [], [], []
    code = in_code([line.text for line in lines])
    out = list(lines)
    read: list[Passage] = []
    problems: list[Diagnostic] = []
    instructions: list[Passage] = []  # with no text
    parts: list[Line] = []  # part titles left out at a passage's end
    headings: list[Line] = []  # headings left out there
    announced = {at for at, _ in found}
    # Before it, a line that names no text to read (`Questions 1-3 are about fractions.`) and
    # has none under it is the bank's description, as any text there; under a question it
    # would be that question's explanation, and is refused. So is an instruction there that
    # names text under it (`For questions 2-3, read the text below.`); one that does not
    # (`For questions 11-20, read each passage carefully.`) is left out, and told.
    first_question = next((k for k, line in enumerate(lines) if starts_question(line)),
                          len(lines))
    for at, match in found:
        if code[at]:
            continue
        line = lines[at]
        first, last, listed, count = _named(match)
        if count is None and not listed and first > last:
            problems.append(Diagnostic(
                CODE, f"{quote(line.text.strip(), 60)} names questions {first}-{last}, the "
                "larger number first", line=line.number,
                hint=f"write the range smaller number first ('Questions {last}-{first} …')"))
            continue
        end = _passage_end(lines, at, code, announced, None if count else min(listed or (first,)),
                           keyed)
        body = [k for k in range(at + 1, end) if not lines[k].blank
                and not SEPARATOR.match(lines[k].text)]
        while (len(body) > 1 and lines[body[-1] - 1].blank
               and (PART_LINE.match(lines[body[-1]].text) or is_section_title(lines[body[-1]]))):
            # A part's title over the questions (`Part B`, `## Part B`) titles what follows,
            # left out as such titles between questions are: not the passage's last line.
            (parts if PART_LINE.match(lines[body[-1]].text) else headings).append(lines[body[-1]])
            body.pop()
        if not body and (match.re not in _REFERRING
                         or (at < first_question and not _MATERIAL.search(line.text))):
            if at < first_question:
                continue  # `For questions 1-10, choose the best answer.` over question 1
            if not _UNDER.search(line.text):
                # `For questions 11-20, read each passage carefully.`: the questions carry
                # their texts; under a question's key it would be that one's explanation.
                instruction = Passage(line.number, _title(line.text), "", line.number,
                                      1 if count else first, count or last, listed,
                                      count is not None)
                if (end < len(lines) and not keyed and starts_question(lines[end])
                        and not _asks(lines, end, code)):
                    # Numbered lines under it that ask nothing (`1. Mix the flour.`), no
                    # passage of its own: left in place they would be the explanation of the
                    # question above, with no word of it.
                    problems.append(Diagnostic(
                        CODE, f"{quote(line.text.strip(), 60)}, an instruction for "
                        f"{instruction.names()}, has lines under it that are neither its "
                        f"passage nor a question ({quote(lines[end].text.strip(), 40)} asks "
                        "nothing)", line=line.number,
                        hint="if they are a passage for those questions, write them without "
                        "numbers as questions have (a bulleted list: '- Mix the flour.'); if "
                        "they belong to the question above, put them above this line"))
                    continue
                instructions.append(instruction)
                out[at] = Line(line.number, "")
                continue
        if not body:
            problems.append(Diagnostic(
                CODE, f"{quote(line.text.strip(), 60)} announces a passage, and no text "
                "follows it before the next question", line=line.number,
                hint="write the passage under this line, above the first question it serves"))
            continue
        text = "\n".join(raw[k].rstrip() for k in
                         range(lines[body[0]].number - 1, lines[body[-1]].number))
        read.append(Passage(line.number, _title(line.text), text, lines[body[0]].number,
                            1 if count else first, count or last, listed, count is not None))
        for k in range(at, end):
            out[k] = Line(lines[k].number, "")
    return out, read, problems, instructions, parts, headings


def _named(match: re.Match[str]) -> tuple[int, int, tuple[int, ...], int | None]:
    """A range's first and last numbers, a list's numbers, or the count of next questions."""
    if "count" in match.re.groupindex:
        word = match["count"].lower()
        return 0, 0, (), _WORDS.get(word) or int(word)
    numbers = [int(n) for n in _NUMBER.findall(match["numbers"])]
    # Whether the numbers are a range: the word or dash alone is looked for (with the
    # spaces around it, each space of a long run between listed numbers began a search
    # to the run's end).
    if re.search(_RANGE_WORD, match["numbers"], re.I):
        return numbers[0], numbers[-1], (), None
    return min(numbers), max(numbers), tuple(numbers), None


def _title(text: str) -> str:
    """The announcement as plain text: its heading's and emphasis's marks off."""
    text = re.sub(r"^\s*#{1,6}\s+", "", text)
    return " ".join(re.sub(r"(?<!\w)(?:\*\*|__|\*|_)|(?:\*\*|__|\*|_)(?!\w)", "", text).split())


def _passage_end(lines: list[Line], at: int, code: list[bool], announced: set[int],
                 first: int | None, keyed: bool) -> int:
    """Where the passage announced on line `at` ends (the index after it): at a question
    start with options or a key under it, or at the question numbered `first` (the first the
    announcement names) after a blank line or rule, else at the next question's start, rule
    after its text or announcement. A look ends at the next announcement, so the looks of
    all of them read the file once."""
    fallback: int | None = None
    # A start numbered `first` (after a blank line, or right under the announcement) with
    # neither options nor key under it: the end, unless the lines that follow lead to a start
    # of the same number that asks. They were the passage's (`1. Mix the flour.` over
    # question 1): such a start is a question only where an answer key at the end keys it
    # (`keyed`: a statement keyed `T`), and then only numbered lines may lead there (other
    # text, `Part B`, ends the passage, but a sentence after a list, `Serve it warm.`, is the
    # passage's: `_closes`). So is a list's first item of another number right
    # under the announcement (`1. Mix the flour.`, `2. Knead the dough.` for questions 4-5),
    # where the start that asks is numbered `first`.
    unasked: int | None = None
    begun = False  # the passage's text has started (rules right under the line are no end)
    for k in range(at + 1, len(lines)):
        line = lines[k]
        if line.blank or code[k]:
            continue
        if k in announced:
            return min(end for end in (k, fallback, unasked) if end is not None)
        if SEPARATOR.match(line.text):
            if unasked is not None:
                return unasked
            if begun and fallback is None:
                fallback = k
            continue
        starts = starts_question(line)
        if not begun and starts:
            if _asks(lines, k) or not (first is None or question_number(line) == first
                                       or list_follows(lines, k)):
                return k  # no passage under the line
            unasked, begun = k, True  # the passage's list, if a start asking follows
            continue
        after_break = lines[k - 1].blank or bool(SEPARATOR.match(lines[k - 1].text))
        if (unasked is not None and after_break and not starts and keyed
                and not (list_follows(lines, unasked) and _closes(lines, k))):
            return unasked
        if begun and starts and _asks(lines, k):
            # A question, its options under it, ends the passage even right under its text
            # or when it is not one the line names (a question above those it serves): its
            # key is no text to show. A numbered line of the passage (`1. Mix the flour.`)
            # has none.
            if unasked is not None and (question_number(line) != (
                    question_number(lines[unasked]) if first is None else first)
                                        or _opens_list(lines, unasked)):
                return unasked
            return k
        if after_break and begun and (starts or asks_over_options(lines, k)):
            if first is None or question_number(line) == first:
                if not starts:
                    return k
                unasked = k if unasked is None else unasked
            elif fallback is None:
                fallback = k
        begun = True
    return min((end for end in (fallback, unasked) if end is not None), default=len(lines))


def _opens_list(lines: list[Line], at: int) -> bool:
    """Whether the numbered line `at` has a list numbered from 1 under it (`2. Consider:`,
    `1. Heat.`, `2. Cool.`): a question's text introducing its list, not an item of the
    passage's (which the next number follows, `1. Mix the flour.`, `2. Knead …`)."""
    below = filled(lines, at + 1, at + 64)
    return below is not None and number_of(lines[below]) == 1 and number_of(lines[at]) != 0


def _closes(lines: list[Line], at: int) -> bool:
    """Whether the paragraph from line `at` reads as a passage's closing text: it ends a
    sentence, and does not start as a printed test's part title or instruction does (`Part
    B`, `## True/False`, `Answer the questions below.`), over questions keyed at the end."""
    end = next((k for k in range(at, len(lines)) if lines[k].blank), len(lines))
    return (_PART_HEAD.match(lines[at].text) is None
            and _SENTENCE_END.search(lines[end - 1].text) is not None)


def _asks(lines: list[Line], at: int, code: list[bool] | None = None) -> bool:
    """Whether an option lettered or boxed, or a key, is under the question start on line
    `at`, before the next start and its second run of blank lines (so each line is looked at
    once). One run is passed over: a stem may stand a blank line above its options. Given
    `code` (which lines are fenced code), blank lines and code are all passed over, up to the
    next start: a stem may hold a code block or a table between blank lines."""
    blank_runs = 0
    for k in range(at + 1, len(lines)):
        line = lines[k]
        if line.blank or (code is not None and code[k]):
            if code is None and not lines[k - 1].blank:
                blank_runs += 1
                if blank_runs == 2:
                    return False
            continue
        if starts_question(line):
            return False
        option = OPTION.match(line.text)
        if names_key(line) or (option is not None and not option["bullet"]):
            return True
    return False


def shared_by(found: list[Passage], chunks: list[list[Line]]
              ) -> tuple[list[tuple[Passage, list[int]]], list[Diagnostic]]:
    """Each passage with the indexes of the questions (`chunks`) it serves, and what its
    announcement names wrongly: a question the file does not have, or one another passage
    serves. Questions are named by their own numbers, or by their places in the file where
    none is numbered (or every one `1.`, as Markdown lists number). A passage costs the
    questions it takes, or one look where it names a missing or taken one (a file of
    thousands of announcements naming `1-99999` is read in time)."""
    numbers, starts, by_number = _numbered(chunks)
    present = sorted(by_number)
    served: list[tuple[Passage, list[int]]] = []
    problems: list[Diagnostic] = []
    owner: dict[int, Passage] = {}
    for passage in found:
        if passage.next_count:
            after = bisect_right(starts, passage.line)
            following = len(chunks) - after
            if following < passage.last:
                problems.append(Diagnostic(
                    CODE, f"{quote(passage.announcement, 60)} names {passage.names()}, and "
                    f"{following} follow{'s' if following == 1 else ''} it", line=passage.line,
                    hint=f"count the questions under the passage, or {_FIX}"))
                continue
            named: Iterable[int] = range(after, after + passage.last)  # indexes already
        else:
            missing = ([n for n in passage.listed if n not in by_number] if passage.listed
                       else _missing(present, passage.first, passage.last))
            if missing:
                problems.append(Diagnostic(
                    CODE, f"{quote(passage.announcement, 60)} names {passage.names()}, and the "
                    f"file has no question {_either(missing)}", line=passage.line,
                    hint=f"correct the range: {_FIX}"))
                continue
            named = (_named_after(by_number[n], starts, passage.line)
                     for n in (passage.listed or range(passage.first, passage.last + 1)))
        wanted: list[int] = []
        for i in named:
            if i in owner:
                other = owner[i]
                problems.append(Diagnostic(
                    CODE, f"{quote(passage.announcement, 60)} names {passage.names()}, and the "
                    f"passage on line {other.line} ({other.names()}) serves question "
                    f"{numbers[i] or i + 1} too: a question has one passage", line=passage.line,
                    hint="correct the ranges so that no question is in two ('Questions 1-2 …', "
                    "'Questions 3-4 …')"))
                break
            wanted.append(i)
        else:
            owner.update(dict.fromkeys(wanted, passage))
            served.append((passage, sorted(wanted)))
    return served, problems


def first_named(instructions: list[Passage], chunks: list[list[Line]]) -> list[int | None]:
    """For each instruction left out, the index of the first question (`chunks`) it names, as
    a passage's are found (`shared_by`), or None where the file has no such question."""
    _, starts, by_number = _numbered(chunks)
    firsts: list[int | None] = []
    for instruction in instructions:
        if instruction.next_count:
            after = bisect_right(starts, instruction.line)
            firsts.append(after if after < len(chunks) else None)
            continue
        first = min(instruction.listed or (instruction.first,))
        firsts.append(_named_after(by_number[first], starts, instruction.line)
                      if first in by_number else None)
    return firsts


def _numbered(chunks: list[list[Line]]
              ) -> tuple[list[int | None], list[int], dict[int, list[int]]]:
    """The questions' numbers (their places where none is numbered, or every one `1.`, as
    Markdown lists number), their first lines, and the indexes of each number's questions."""
    numbers = [chunk_number(chunk) for chunk in chunks]
    if all(n is None or n == 1 for n in numbers):
        numbers = list(range(1, len(chunks) + 1))
    starts = [next((line.number for line in chunk if not line.blank), 0) for chunk in chunks]
    by_number: dict[int, list[int]] = {}
    for i, n in enumerate(numbers):
        if n is not None:
            by_number.setdefault(n, []).append(i)
    return numbers, starts, by_number


def _named_after(indexes: list[int], starts: list[int], line: int) -> int:
    """Of the questions numbered alike (`indexes`), the one an announcement on `line` names:
    the first after it, else the first."""
    return next((i for i in indexes if starts[i] > line), indexes[0])


def held_questions(found: list[Passage], numbers: set[int]) -> dict[int, str]:
    """For each of `numbers` (questions an answer key names and the file lacks) that starts a
    line of a passage's text, a hint saying so: a question with neither options nor key
    under it (a short answer keyed at the end) reads as the passage's numbered paragraph."""
    hints: dict[int, str] = {}
    for passage in found:
        for offset, text in enumerate(passage.body.split("\n")):
            line = Line(passage.body_line + offset, text)
            n = question_number(line) if starts_question(line) else None
            if n is None or n not in numbers or n in hints:
                continue
            served = (n in passage.listed if passage.listed
                      else not passage.next_count and passage.first <= n <= passage.last)
            fix = ("a blank line between the passage's text and it" if served else
                   f"the passage (its announcement and text) under question {n}, above the "
                   "questions it serves")
            hints[n] = (f"question {n} (line {line.number}) is read as the text of the passage "
                        f"announced on line {passage.line}, for {passage.names()}: write {fix}")
    return hints


def _either(numbers: list[int]) -> str:
    """`5`, `5 or 7`, `5, 7 or 9`; the first five of more, then `…`."""
    if len(numbers) > 5:
        return ", ".join(map(str, numbers[:5])) + " …"
    return " or ".join(filter(None, (", ".join(map(str, numbers[:-1])), str(numbers[-1]))))


def _missing(present: list[int], first: int, last: int) -> list[int]:
    """The first number from `first` to `last` that is not in `present` (sorted, each once),
    as a list; [] when every one is."""
    start = bisect_left(present, first)
    if bisect_right(present, last) - start == last - first + 1:
        return []
    # present[start + k] == first + k up to the first gap: bisect for it.
    low, high = 0, min(len(present) - start, last - first + 1)
    while low < high:
        middle = (low + high) // 2
        if present[start + middle] == first + middle:
            low = middle + 1
        else:
            high = middle
    return [first + low]
