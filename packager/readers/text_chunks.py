"""A plain-text bank's lines split into its questions (readers/text.py reads the layout).

Questions start with a label (`Situation:`, `Question 3:`), a number or a rule (`---`); an
answer key that ends the file is text_answer_key.py's. Text before the first question is its
preamble; a section after the last one that can be no question, its epilogue. Where a line could start a question or belong to the one
before (a list numbered inside an explanation), the lines ahead decide (`_Ahead`).
"""

from __future__ import annotations

from bisect import bisect_right

from packager.readers.text_grammar import (
    ENDS_QUESTION,
    EXPLANATION,
    FENCE,
    KEY_LINE,
    LABEL,
    LIST_BULLET,
    OPTION,
    PART_LINE,
    SCENARIO_LABEL,
    SECTION,
    SEPARATOR,
    TEXT2QTI,
    closes_fence,
    fence_of,
    filled,
    is_marked,
    is_part_title,
    is_section_title,
    is_tail,
    list_follows,
    names_key,
    number_of,
    number_start,
    place_label,
    question_number,
    starts_question,
)
from packager.readers.text_key import LETTERS, Line, quote


def _ends_paragraph_question(
    line: Line, answered: bool, after_blank: bool, option: bool, place: int, headed: bool,
    labelled_above: bool,
) -> bool:
    """Whether this line starts a new question (the `place`th) in a file without '---'
    separators; `headed`: one whose questions start with a Markdown heading (`#### What …?`),
    where a paragraph after a question's options is that question's (its rationale);
    `labelled_above`: the line above (blank lines aside) is a label alone, whose text this is
    (`**Explanation:**`, a blank line, the rationale)."""
    if number_start(line.text) or place_label(line, place):
        return answered or after_blank
    return (answered and after_blank and not option and not labelled_above
            and not is_tail(line) and not line.text[:1].isspace()
            and (not headed or SECTION.match(line.text) is not None))


def _asks(lines: list[Line], at: int) -> bool:
    """Whether the paragraph from line `at` is a question's: it asks (`…?`), or options are in
    it or right under it (a label alone above it, `Explanation:`, then labels nothing)."""
    end = at
    while end < len(lines) and not lines[end].blank:
        if ENDS_QUESTION.search(lines[end].text) or OPTION.match(lines[end].text):
            return True
        end += 1
    below = filled(lines, end, end + 64)
    return below is not None and OPTION.match(lines[below].text) is not None


def _listed_stem(current: list[Line]) -> bool:
    """Whether a question's lines end in a list of plain bullets that a line ending in `:`
    introduces, nothing above them asks (`Which are fruits? Select all:` has options) and
    nothing names a key: a list in its stem, where options come later."""
    end = len(current)
    while end and current[end - 1].blank:
        end -= 1
    start = end
    while start and (found := OPTION.match(current[start - 1].text)) is not None and (
            found["bullet"] and not is_marked(found)):
        start -= 1
    return (0 < start < end and current[start - 1].text.rstrip(" *_").endswith(":")
            and not any("?" in line.text or names_key(line) for line in current[:start]))


def asks_over_options(lines: list[Line], at: int) -> bool:
    """Whether the paragraph from line `at` asks (`…?`) before any option in it, with an
    option at the margin next (an item of a list asking, its own list indented under it,
    is no question)."""
    k = at
    while k < len(lines) and not lines[k].blank:
        if OPTION.match(lines[k].text):
            return False
        if ENDS_QUESTION.search(lines[k].text):
            below = filled(lines, k + 1, k + 64)
            return (below is not None and OPTION.match(lines[below].text) is not None
                    and not lines[below].text[:1].isspace())
        k += 1
    return False


def _label_alone(line: Line) -> bool:
    """Whether a line is a key or explanation label with nothing after it (`**Explanation:**`,
    `Answer:`): what it labels is below."""
    # Such a line ends as a label does (text_grammar's `_LABEL_END`: a colon or a dash; or
    # `Ans.`) once the spaces and emphasis after that are off: looked at first, as this is
    # asked of every line after a question's options and most are prose.
    # Walked back, not stripped in turns: each strip copied the line (`* * * …` was quadratic).
    text, end = line.text, len(line.text)
    while end and (text[end - 1] in "*_" or text[end - 1].isspace()):
        end -= 1
    if not text.endswith(_LABEL_ENDS, 0, end):
        return False
    label = EXPLANATION.match(line.text)
    if label is not None:
        return not line.text[label.end():].strip(" \t*_")
    key = KEY_LINE.match(line.text)
    return key is not None and not key["key"].strip(" \t*_")


# What a label alone ends with (`_label_alone`): a label's colon or dash, or the full stop of
# `Ans.` (its `s` matched regardless of case, as the pattern matches it: `ſ` too).
_LABEL_ENDS = (":", "：", "–", "—", "-", "s.", "S.", "ſ.")


class _Ahead:
    """Where the next option and the next question's own start are, for `chunks`: indexes
    of the lines, searched by bisection (one pass over the file, whatever its paragraphs)."""

    def __init__(self, lines: list[Line], separators: list[bool]) -> None:
        self.options: list[int] = []
        self.keys: list[int] = []  # key and explanation lines, marked options
        self.labels: list[int] = []
        self.rules = [i for i, separator in enumerate(separators) if separator]
        self.numbers: dict[int, list[int]] = {}
        for i, line in enumerate(lines):
            option = OPTION.match(line.text)
            if option:
                self.options.append(i)
            if names_key(line):
                self.keys.append(i)
            if LABEL.match(line.text):
                self.labels.append(i)
            number = number_of(line)
            if number is not None:
                self.numbers.setdefault(number, []).append(i)

    def question_follows(self, at: int, following: int, auto: bool, in_turn: bool) -> bool:
        """Whether options and something naming a key come after line `at` before the next
        line that starts a question (a rule, a label, the number `following`; any `1.` where
        `auto`): text at `at` can be a question. A list of bullets in an explanation, or a
        list numbered in it, cannot. Options alone where the text is numbered in turn after
        the question before (`in_turn`): a question whose key is missing, which is told, is
        likelier there than a list, and taken as one it would vanish into an explanation."""
        starts = [self.labels, self.rules, self.numbers.get(following, [])]
        if auto:
            starts.append(self.numbers.get(1, []))
        found = [s[k] for s in starts if (k := bisect_right(s, at)) < len(s)]
        end = min(found, default=None)
        for lines in (self.options,) if in_turn else (self.options, self.keys):
            k = bisect_right(lines, at)
            if k == len(lines) or (end is not None and lines[k] > end):
                return False
        return True


def _block_end(lines: list[Line], at: int) -> int | None:
    """Where the fenced code block opened on line `at` closes (its last line), if it does."""
    fence = FENCE.match(lines[at].text)
    assert fence is not None
    return next((k for k in range(at + 1, len(lines))
                 if closes_fence(lines[k].text, fence["fence"])), None)


def code_under_options(lines: list[Line]) -> list[Line]:
    """The lines, each fenced code block that stands under an option at the margin indented
    so it continues that option (as Markdown would need it to be). Quiz files write an
    option's code so (`- [x] B`, a blank line, then a fenced block), though Markdown would
    end the list there. A block is the option's where another option follows it, or where
    the option follows a block read so (the last option of a list of them)."""
    found: list[Line] = []
    last = before = -1  # the last two lines that are not blank
    attached = -1  # the last line of the last block read as an option's
    copied = 0  # the lines before this one are in `found`
    # Only a line with a backtick or a tilde opens a block: the others are copied in runs.
    for at in [at for at, line in enumerate(lines) if "`" in line.text or "~" in line.text]:
        if at < copied:
            continue  # a line of a block read
        found += lines[copied:at]
        before, last = _last_two(lines, copied, at, before, last)
        copied = at + 1
        line = lines[at]
        fence = fence_of(line.text)
        opens = fence is not None and len(fence["indent"]) <= 3
        end = _block_end(lines, at) if opens else None
        if opens and end is None:  # a block never closed holds the rest of the file
            return found + lines[at:]
        if end is None:
            found.append(line)
            if not line.blank:
                before, last = last, at
            continue
        following = filled(lines, end + 1)
        under = last >= 0 and OPTION.match(lines[last].text) is not None and (
            (following is not None and OPTION.match(lines[following].text) is not None)
            or (before >= 0 and before == attached))
        for k in range(at, end + 1):
            found.append(Line(lines[k].number, "    " + lines[k].text)
                         if under and not lines[k].blank else lines[k])
        if under:
            attached = end
        before, last = last, end
        copied = end + 1
    return found + lines[copied:]


def _last_two(lines: list[Line], start: int, stop: int, before: int,
              last: int) -> tuple[int, int]:
    """The last two lines that are not blank after `lines[start:stop]`, given the two before
    it (`before`, `last`): looked for from its end."""
    seen: list[int] = []
    k = stop - 1
    while k >= start and len(seen) < 2:
        if not lines[k].blank:
            seen.append(k)
        k -= 1
    if len(seen) == 2:
        return seen[1], seen[0]
    return (last, seen[0]) if seen else (before, last)


def in_code(texts: list[str]) -> list[bool]:
    """For each line (its text), whether it is inside a fenced code block (its closing fence too), where
    nothing starts a question (`# 1` is a comment there, `1.` a line of output); the opening
    fence may (a question's code above its prompt). A block never closed is not counted:
    read as text, as before its fence was typed."""
    inside = [False] * len(texts)
    # Only a line with a backtick or a tilde opens or closes a block: the others are not
    # looked at (a file's 120,000 lines looked at one by one, twice per read, cost 0.05 s).
    marks = [at for at, text in enumerate(texts) if "`" in text or "~" in text]
    k = 0  # the next of `marks` to look at
    retries = _MOST_REPAIRED  # each looks to the end of a block again: a few per file
    while k < len(marks):
        at = marks[k]
        fence = fence_of(texts[at])
        if fence is None:
            k += 1
            continue
        closing = next((j for j in range(k + 1, len(marks))
                        if closes_fence(texts[marks[j]], fence["fence"])), None)
        if closing is None:
            break
        end = marks[closing]
        if retries and _opens_inside(texts, at, end):
            retries -= 1
            k += 1  # its closing fence was forgotten: the next block is the one that closes
            continue
        inside[at + 1:end + 1] = [True] * (end - at)
        k = closing + 1
    return inside


# Blocks read as left unclosed (`_opens_inside`) in one file, at most.
_MOST_REPAIRED = 50


def _opens_inside(texts: list[str], at: int, end: int) -> bool:
    """Whether the block from line `at` to `end` holds a line that opens another block of
    its kind with a language (```` ```python ````): Markdown reads it as the block's text, so
    it shows the outer fence left unclosed (a typo that took in the next question's text)."""
    fence = FENCE.match(texts[at])
    assert fence is not None
    mark = fence["fence"]
    for text in texts[at + 1:end]:
        inner = FENCE.match(text)
        if (inner is not None and inner["fence"][0] == mark[0]
                and len(inner["fence"]) >= len(mark)
                and text.strip()[len(inner["fence"]):].strip()):
            return True
    return False


def question_chunks(lines: list[Line]) -> tuple[list[list[Line]], list[Line], list[Line]]:
    """The lines of each question, the printed test's part titles left out after them (see
    _without_closing_titles), and the other titles between them left out (`## Part B` over
    the next question; headings alone), for the import's notes.

    In a file whose questions start with labels or numbers, text after a question's key that
    cannot be a question (no options and key before the next one's label or number) is that
    question's: its explanation's paragraphs, or a list numbered inside it (`1.` in the fifth
    question). In a file ruled with `---`, a numbered question after a blank line starts a
    question where it can be one, though no rule comes before it."""
    code = in_code([line.text for line in lines])
    separators = [bool(SEPARATOR.match(line.text)) and not inside
                  for line, inside in zip(lines, code, strict=True)]
    ruled = any(separators)  # then blank lines split nothing
    ahead: _Ahead | None = None
    labelled = False  # the first question starts with its label or number
    # Or with a Markdown heading (`#### What is 2+3?`; section titles before it aside).
    headed: bool | None = None  # not known before the first question's own first line
    # Whether every question so far starts with the number 1 (Markdown's numbering), None
    # before the first: kept as they start, since asking it of all of them at each candidate
    # line takes time growing with the square of the questions.
    all_ones: bool | None = None
    parts: list[Line] = []  # part titles left out after a question
    titles: list[Line] = []  # the other titles left out

    def closed(chunk: list[Line]) -> None:
        """Ends a question's lines (or a section's headings, left out)."""
        if _is_section(chunk):
            titles.extend(line for line in chunk if not line.blank)
            return
        kept = _without_closing_titles(chunk, parts) if answered else chunk
        titles.extend(line for line in chunk[len(kept):]  # part titles: in `parts`
                      if not line.blank and not PART_LINE.match(line.text))
        chunks.append(kept)
    chunks: list[list[Line]] = []
    current: list[Line] = []
    blanks: list[Line] = []  # blank lines before this one: kept if the question goes on
    answered = False  # the current question has options
    waiting = False  # and its last line is a label alone, whose text comes after a blank line
    headings_only = False  # the current lines are headings that ask nothing (a section's)
    # The current lines are a question's label or number alone (`## Question 19`, `**1.**`),
    # which the label of its scenario may follow (`**Scenario**: …`): that starts no other
    # question.
    label_only = False
    facts: dict[int, tuple[bool, int | None]] = {}  # `_start_below`'s reading of lines
    keyed = False  # and a key or explanation line (of its first `scanned` lines)
    scanned = 0
    listed: tuple[int, int] | None = None  # the last numbered line read as a list's item
    stem_item: int | None = None  # the number of the last item of a list in the stem
    for at, (line, separator) in enumerate(zip(lines, separators, strict=True)):
        if line.blank:
            blanks.append(line)
            continue
        option = bool(current) and bool(OPTION.match(line.text))
        # The number the next question has: one less while the lines so far are only
        # headings, which are left out (`# 07. JIT - Quiz`, `## Questions`, then `### Q1: …`).
        place = len(chunks) + (1 if headings_only else 2)
        starts = current and not code[at] and (
            separator or (LABEL.match(line.text)
                          and not (label_only and SCENARIO_LABEL.match(line.text)))
            or (not ruled and _ends_paragraph_question(
                line, answered, bool(blanks), option, place, bool(headed),
                waiting and bool(blanks) and not _asks(lines, at)))
            # A section's title (`## Harder ones`) before the next heading question.
            or (headed and blanks and SECTION.match(line.text) and _is_section(current))
        )
        if (starts and labelled and blanks and not separator and not number_start(line.text)
                and not LABEL.match(line.text) and _listed_stem(current)
                and asks_over_options(lines, at)):
            # `1. A project has these risks:`, a bulleted list, a blank line, then `Which …?`
            # over lettered options: the list is the scenario's, not a question without a
            # key (the question sentence an unlabelled question after it).
            starts = False
        if (starts and not separator and LIST_BULLET.match(line.text)
                and not _options_below(lines, at)):
            # A bulleted label (`- **Question 2:** …`) with no options under it: an item of
            # a list (contents, references), not a question written as a list.
            starts = False
        if starts and labelled and not separator and _number_alone(line) and (
                (number_of(line) or 0) < (following := _next_number(current, place))
                or _start_below(lines, at, code, following, facts)):
            # In a file of numbered or labelled questions, a number alone (`**2.**`, `### 3`)
            # below the next question's (a file may skip one), or over text that a question
            # numbered from the next one up to it follows before any option: a step of an
            # explanation, not a question.
            starts = False
        if starts and not ruled and not answered and not separator and not headings_only:
            # A list numbered in the stem, before the options (`1. Consider the following
            # statements:`, a blank line, `1. Paris …`, `2. …`): items numbered up to the
            # question's own number, and each next one, go on with it. A first such item that
            # asks over options at the margin is a question of its own, though (`1. Name a
            # city.` / `2. Name a river.` / `Part B` / `1. Which …?` over options): read as
            # an item, it gave question 1 the list and the part's title as its scenario. So
            # is one under lines that are a list themselves (`1. Mix the flour.` right over
            # `2. Knead the dough.`): a list numbered anew is no item of that one.
            n = number_of(line)
            own = number_of(current[0]) if n is not None else None
            if own is not None and n is not None and (
                    (stem_item is not None and n == stem_item + 1)
                    or (n <= own and not asks_over_options(lines, at)
                        and not (len(current) > 1 and number_of(current[1]) == own + 1))):
                starts, stem_item = False, n
        # Candidates the lines ahead decide: in a ruled file, a numbered question after a
        # blank line with no rule before it; elsewhere (numbered or labelled questions), text
        # after a question's key that is not the next question's own start. A line's number
        # is read only where it may decide (most lines are no candidate).
        number = None
        if (ruled and not starts and blanks and answered) or (
                not ruled and starts and labelled and answered and not separator):
            number = number_of(line)
        if (not ruled and starts and number == place and listed is not None
                and at - len(blanks) - 1 == listed[0] and number == listed[1] + 1):
            # `2.` under an explanation's `1.` read as its list's item (right under it, or
            # after blank lines: a loose list), numbered as the second question is (`Steps:`,
            # `1. Check response`, `2. Call for help`): the list goes on, unless options and
            # a key (asking, options) follow before the next question's number (or a label).
            ahead = ahead or _Ahead(lines, separators)
            # Every question numbered `1.` (Markdown's numbering), this one too: a question
            # 2 after question 1 is no such file, whose `1.` in question 3's stem ends nothing.
            lead = next((line for line in current if not line.blank), None)
            auto = bool(all_ones) and (lead is None or number_of(lead) in (1, None))
            if not ahead.question_follows(at, _next_number(current, place), auto,
                                          asks_over_options(lines, at)):
                starts, listed = False, (at, number)
        ruled_candidate = ruled and not starts and number is not None and bool(blanks)
        open_candidate = (not ruled and starts and labelled and not separator
                          and number != place and not LABEL.match(line.text)
                          and not _is_section([line]))
        if (ruled_candidate or open_candidate) and answered:
            # Whether the question has its key: its lines looked at once each, and only here.
            while not keyed and scanned < len(current):
                keyed = scanned > 0 and names_key(current[scanned])
                scanned += 1
        # Numbered next after the question's own number, in a ruled file, and asking over
        # options at the margin: the next question rather than a list's item, also under a
        # question whose key is missing (which is told).
        own = number_of(current[0]) if ruled_candidate or open_candidate else None
        in_turn = (ruled_candidate and own is not None and number == own + 1
                   and asks_over_options(lines, at))
        if (ruled_candidate or open_candidate) and answered and (keyed or in_turn):
            auto = bool(all_ones)
            if listed is not None and number == listed[1] + 1 and at == listed[0] + 1:
                starts = False  # the list goes on: `2.` right under a `1.` read as one
            else:
                ahead = ahead or _Ahead(lines, separators)
                # The number after this question's own (a file may start at 6), else its place.
                following = (number + 1 if ruled_candidate and number is not None
                             else own + 1 if own is not None else place)
                starts = ahead.question_follows(at, following, auto, in_turn)
            if not starts and number is not None:
                listed = (at, number)
        if starts:
            if not _is_section(current):
                all_ones = all_ones is not False and number_of(current[0]) == 1
            closed(current)
            current, answered, keyed, scanned, waiting = [], False, False, 0, False
            stem_item = None
        elif current:
            current.extend(blanks)
        blanks = []
        if not separator:
            if not current and not chunks:
                labelled = bool(LABEL.match(line.text)) or number_of(line) is not None
            if headed is None and not is_section_title(line):
                # A heading over the options is a question; over a paragraph, the file's title.
                below = filled(lines, at + 1)
                headed = (not labelled and not chunks and SECTION.match(line.text) is not None
                          and not is_tail(line) and below is not None
                          and OPTION.match(lines[below].text) is not None)
            headings_only = (not current or headings_only) and is_section_title(line)
            label_only = (not current or label_only) and (_bare_label(line)
                                                           or _number_alone(line))
            current.append(line)
            answered = answered or option
            waiting = answered and _label_alone(line)
    if current:
        closed(current)
    return chunks, parts, titles


def _without_closing_titles(chunk: list[Line], parts: list[Line]) -> list[Line]:
    """A question's lines without the section titles that end them, a blank line above
    (`## Chapter 2` over the next question in a file ruled with `---`, where blank lines
    split nothing; a printed test's `Part B` over the next question anywhere): they title
    what follows, left out as titles between questions are elsewhere, not the end of this
    question's rationale, shown after it is answered. The part titles left out are added to
    `parts`: unlike a Markdown heading, such a line may be the rationale's last paragraph
    (a marking scheme's `Part a: 1 mark …`), which the reader is told of."""
    end = len(chunk)
    while end and chunk[end - 1].blank:
        end -= 1
    cut = end
    while cut and ((is_section_title(chunk[cut - 1]) and not names_key(chunk[cut - 1]))
                   or PART_LINE.match(chunk[cut - 1].text)):
        cut -= 1  # `#### Answer: A` is the key, a heading as the rest of the page
    if cut == end or not cut or not chunk[cut - 1].blank:
        return chunk
    parts.extend(line for line in chunk[cut:end] if PART_LINE.match(line.text))
    return chunk[:cut]


def after_folded_answers(chunks: list[list[Line]],
                         closers: set[int]) -> tuple[list[list[Line]], list[Line]]:
    """The chunks less the text after the `</details>` (line numbers `closers`) that closes
    a question's folded answer, and the first line of each part taken out. Such text is the
    page's, not the explanation's (`> **What next.** …` and links to the chapters after the
    last question); it is taken out only where the block holds the explanation (a key
    alone folded, the rationale may follow it openly) and the text after it has no key or
    explanation line of its own, nor an option."""
    kept: list[list[Line]] = []
    outside: list[Line] = []
    for chunk in chunks:
        last = max((i for i, line in enumerate(chunk) if line.number in closers), default=None)
        rest = [] if last is None else [line for line in chunk[last + 1:] if not line.blank]
        if (last is not None and rest and _explained(chunk[:last])
                and not any(is_tail(line) or OPTION.match(line.text) for line in rest)):
            kept.append(chunk[:last + 1])
            outside.append(rest[0])
        else:
            kept.append(chunk)
    return kept, outside


def _explained(lines: list[Line]) -> bool:
    """Whether these lines (a question's, up to a `</details>`) hold its explanation: an
    explanation line, a key line with a rationale after its key, or text after the key."""
    first = next((i for i, line in enumerate(lines) if is_tail(line)), None)
    if first is None:
        return False
    for line in lines[first:]:
        key = KEY_LINE.match(line.text)
        if EXPLANATION.match(line.text) or (key is not None and _rationale(key["key"])):
            return True
        if not line.blank and key is None:
            return True
    return False


def _rationale(said: str) -> bool:
    """Whether a key line's text goes on past its letters with a rationale: a sentence of six
    words or more (`b.** Namespace ist … nützlich, filtert aber …`), not an option's text
    restated (`B) The fourth planet, Mars`) or more letters (`A, B and D`)."""
    letters = LETTERS.match(said.strip(" *_"))
    rest = said.strip(" *_")[letters.end():] if letters is not None else said
    return len(rest.replace("*", " ").replace("_", " ").split()) >= 6


def _next_number(current: list[Line], place: int) -> int:
    """The number the question after the current one has: one more than its own (a file
    may start at 6), else its place in the file."""
    lead = next((line for line in current if not line.blank), None)
    own = number_of(lead) if lead is not None else None
    return own + 1 if own is not None else place


def _number_alone(line: Line) -> bool:
    """Whether a line is a question's number and nothing else (`**2.**`, `### 2`, `2.`)."""
    found = number_start(line.text)
    return found is not None and not line.text[found.end():].strip()


def _start_below(lines: list[Line], at: int, code: list[bool], following: int,
                 facts: dict[int, tuple[bool, int | None]]) -> bool:
    """Whether a question numbered from `following` (the next question's number) up to the
    number alone on line `at` starts under it before an option does (within 200 lines: a
    question's text is shorter): `**2.**` or `### 3`, a step's text, then `### 2` or `2.
    Which …?`. Not an item of a list numbered from 1 (`1) …`, `2) …` in its stem), nor another
    label (`**Scenario:**`), nor a line of fenced code (`code`). `facts` keeps each line's
    (option?, number) once read: the looks of numbers close together cover the same lines."""
    own = number_of(lines[at]) or 0
    seen: set[int] = set()
    for k in range(at + 1, min(at + 201, len(lines))):
        if code[k]:
            continue  # `# 2. sort the list` is a comment of its code
        if k not in facts:
            facts[k] = (OPTION.match(lines[k].text) is not None, question_number(lines[k]))
        option, number = facts[k]
        if option:
            return False
        if number is not None:
            if following <= number <= own and number - 1 not in seen:
                return True
            seen.add(number)
    return False


def _options_below(lines: list[Line], at: int) -> bool:
    """Whether an option comes under line `at` before another question's label does (within
    200 lines; statements numbered in the question's text are no label)."""
    for line in lines[at + 1:at + 201]:
        if LABEL.match(line.text):
            return False
        if OPTION.match(line.text):
            return True
    return False


def _bare_label(line: Line) -> bool:
    """Whether a line is a question's label with nothing after it (`## Question 19`)."""
    label = LABEL.match(line.text)
    return label is not None and not line.text[label.end():].strip(" \t*_#")


def _is_section(chunk: list[Line]) -> bool:
    """Whether these lines are a section's Markdown headings (`## 6. Practice questions`), not
    a question: headings only, none a question's label or asking a question."""
    if not chunk[0].text.lstrip().startswith("#"):
        return False
    return all(line.blank or is_section_title(line) for line in chunk)


def misplaced_numbers(chunks: list[list[Line]]) -> tuple[list[tuple[int, str]], frozenset[int]]:
    """Where a rule (`---`, a page break of a PDF's text) seems to cut a numbered question
    from its number, as (line, message): the question after numbered `n` starts with other
    text and has `n + 1` further down (the text before it ends question `n`), or has no number
    while question `n` holds a paragraph numbered `n + 1` (that question's own text). And the
    lines of the numbers so cut off (question_of takes one right under that text off)."""
    found: list[tuple[int, str]] = []
    numbers: list[int] = []
    previous: int | None = None
    for at, chunk in enumerate(chunks):
        lead = next((line for line in chunk if not line.blank), None)
        if lead is not None and is_section_title(lead):  # titles over the question: left out
            lines = [line for line in chunk if not line.blank]
            begin = 0
            while (len(lines) - begin > 1 and is_section_title(lines[begin])
                   and number_of(lines[begin]) is None):
                begin += 1
            lead = lines[begin]
        own = number_of(lead) if lead is not None else None
        if own is not None or lead is None or LABEL.match(lead.text) or previous is None:
            previous = own
            continue
        led = next((line for i, line in enumerate(chunk) if i
                    and (chunk[i - 1].blank or chunk[i - 1] is lead)
                    and number_of(line) == previous + 1), None)
        if led is not None:
            numbers.append(led.number)
            found.append((lead.number, f"the text before question {previous + 1}'s number "
                          f"(line {led.number}) is read as its scenario: "
                          f"{quote(lead.text.strip(), 50)}"))
        else:
            inside = next((line for i, line in enumerate(chunks[at - 1]) if i
                           and chunks[at - 1][i - 1].blank
                           and number_of(line) == previous + 1), None)
            if inside is not None:
                found.append((inside.number, f"question {previous + 1}'s number and text are "
                              f"read as question {previous}'s, and the lines after the rule as "
                              f"question {previous + 1}: {quote(lead.text.strip(), 50)}"))
        previous = None
    return found, frozenset(numbers)


def sections(chunks: list[list[Line]]) -> tuple[list[list[Line]], list[Line]]:
    """The chunks less those that are sections around the questions, not questions, and the
    title line of each left out. Such a section starts with section titles, and names no key,
    asks nothing and has no lettered option: between or before questions it has no option at
    all (`## Part 2: Differences` over a line that introduces it, `## 8. Practice` over a
    lesson's text); after the last, at most a list of bullets under its titles (`## Quiz
    Statistics` and a list of figures). None is left out of a file that has no question."""
    if len(chunks) < 2:
        return chunks, []
    kept: list[list[Line]] = []
    titles: list[Line] = []
    for at, chunk in enumerate(chunks):
        title = _section_title(chunk, listing=at == len(chunks) - 1)
        if title is None:
            kept.append(chunk)
        else:
            titles.append(title)
    return (kept, titles) if kept else (chunks, [])


def _section_title(chunk: list[Line], listing: bool) -> Line | None:
    """The title of a chunk that is a section (see `sections`), None for a question's;
    `listing`: a list of bullets may follow its titles."""
    last = [line for line in chunk if not line.blank]
    first_option = next((i for i, line in enumerate(last) if OPTION.match(line.text)), len(last))
    if (not last or not is_section_title(last[0])
            or (first_option < len(last) and not listing)
            # Text of its own before a list would be a question's, keyed or not.
            or (first_option < len(last)
                and not all(is_section_title(line) for line in last[:first_option]))
            or any(names_key(line) or ENDS_QUESTION.search(line.text) or _lettered(line)
                   for line in last)):
        return None
    return last[0]


def _lettered(line: Line) -> bool:
    """Whether a line is an option lettered or boxed (`a) …`, `- [ ] …`, `**b) …**`)."""
    found = OPTION.match(line.text)
    return found is not None and bool(found["letter"] or found["paren"] or found["box"])


def _letter_key(line: Line) -> bool:
    """Whether a line is a key naming options by letter (`Answer: a`, `**Answer:** B, C`)."""
    key = KEY_LINE.match(line.text)
    return (key is not None and not key["loose"]
            and LETTERS.match(key["key"].strip(" \t*_")) is not None)


def preamble(lines: list[Line]) -> tuple[tuple[int, str] | None, list[Line]]:
    """Text before the first question (an introduction, instructions) and its line, with the
    lines after it; None where the file starts with a question. It is such text when a
    question's own start (its label or number) follows it after a blank line or rule, and it
    has no option or key line of its own (else it is a question without its label)."""
    first = filled(lines)
    if first is None or starts_question(lines[first]) or _letter_key(lines[first]):
        return None, lines  # a key first is a question's, out of place: told as such
    for at in range(first + 1, len(lines)):
        line = lines[at]
        # A label first: a quiz written as a list bullets it (`* **Question 1:** …`), with
        # options under it (else the item of a list of contents).
        starts = starts_question(line) and (not LIST_BULLET.match(line.text)
                                            or _options_below(lines, at))
        if (not starts and OPTION.match(line.text)) or is_tail(line) or TEXT2QTI.match(line.text):
            return None, lines
        if starts and (lines[at - 1].blank or SEPARATOR.match(lines[at - 1].text)):
            if list_follows(lines, at) and not is_part_title(lines, first):
                # `1. …`, `2. …` under it: a list of the first question's; under a printed
                # test's part title, its statements to judge true or false
                return None, lines
            kept = [s.text for s in lines[first:at] if not SEPARATOR.match(s.text)]
            text = "\n".join(kept).strip()
            return ((lines[first].number, text) if text else None), lines[at:]
    return None, lines
