"""Questions written as Markdown blockquotes, read as the layout's own lines (readers/text.py
reads the layout).

A course's quiz page quotes each question with its options as an ordered list (`> Which …?`,
`>`, `> 1.  init`, `> 1.  status`), which the page shows lettered A, B, C … (its `<style>`
line says so), and gives the key under it by letter and text (`**C.** log`). Read here: the
quote's marks come off, its items are lettered options in turn (`A) init`, `B) status`), the
key is an `Answer:` line, a `<style>` line is left out and a heading that numbers the question
(`## Problem 1`) is its label. An Obsidian answer callout under a question written plainly
(`> [!success]- Answer`), and a key quoted under the options, are read unquoted. Line
numbers are kept.
"""

from __future__ import annotations

import re

from packager.readers.encoding import holds, is_marked_wide
from packager.readers.text_grammar import EXPLANATION, KEY_LINE, OPTION, SECTION, is_part_title
from packager.readers.text_key import Line
from packager.readers.text_markup import (
    ITEM,
    holds_answer,
    lettered_item,
    may_hold_markup,
    unwrap,
    without_answer_buttons,
)
from packager.readers.text_options import (
    may_have_odd_letters,
    may_number_letters,
    numbered_letters,
    odd_letters,
)
from packager.readers.text_tables import may_hold_tables, quiz_tables

_QUOTED = re.compile(r"^ {0,3}>[ \t]?(?P<text>.*)$")
# The key under a quoted question, by letter in bold, then the option's text (`**C.** log`).
_LETTER_KEY = re.compile(r"^\s*(?:\*\*|__)[A-Za-z][.)](?:\*\*|__)(?:\s+\S.*)?$")
# A line of only a style sheet (`<style>ol { list-style-type: upper-alpha; }</style>`).
_STYLE = re.compile(r"^\s*<style\b[^<>]*>[^<>]*</style>\s*$", re.I)
# An Obsidian callout's first line (`> [!question]- What …?`, `>> [!success]- Answer`), the
# quote's marks taken off.
# Texts run to the line's end (its spaces taken off in code): a lazy text before `\s*$` tried
# each space of a run again.
_CALLOUT = re.compile(r"^\[!(?P<kind>[\w-]+)\][-+]?(?:[ \t]+(?P<title>\S.*))?$")
_BULLET = re.compile(r"^[-*+]\s+(?P<text>\S.*)$")
# The blank a test printed from ExamView leaves for the learner's letter before each
# question's number (`____\t1.\tWhich …?`, `____ 2. …`), or the T and F a printed test gives
# a true/false statement to circle (`T F 3. The sun is a star.`): the number starts the
# question.
_ANSWER_BLANK = re.compile(r"^(?:_{3,}|T[ \t]+F)[ \t]+(?=\d{1,5}[.)][ \t]+\S)")
# Searched in the bytes from each line end (`\n` leads the pattern: a search for it skips
# ahead at C speed, where `(?:^|\n)` was tried at every byte of a large file), and at the start.
_CIRCLED = re.compile(rb"\nT[ \t]+F[ \t]+\d")
# A heading that only numbers the question under it (`## Problem 1`, `### Exercise 2`).
_NUMBERING = re.compile(r"^\s*#{1,6}\s+[^\W\d_]+\s+(?P<n>\d{1,5})\s*$")


def page_lines(lines: list[Line], data: bytes) -> tuple[list[Line], frozenset[int]]:
    """A text bank's lines (`data` its bytes) with the markup of quiz pages around the layout
    read as the layout's own: mkdocs quizzes' divs and admonitions and answer buttons
    (text_markup.py), quoted questions and Obsidian callouts (here), options numbered before
    their letters or lettered otherwise (`[A]`, `A.)`; text_options.py), quizzes as tables
    (text_tables.py), a printed test's answer blanks before its numbers; and the lines whose
    blank (or `T F` to circle) was taken off. Each is looked for only where a quick look at
    the bytes finds its sign (UTF-16 and UTF-32 text cannot be looked at so)."""
    wide = is_marked_wide(data)
    if wide or may_hold_markup(data):
        lines = unwrap(lines)
    if wide or data.startswith(b">") or holds(data, b"\n>") or holds(data, b"\n >"):
        lines = quoted_questions(lines)
    if wide or may_number_letters(data):
        lines = numbered_letters(lines)
    if wide or may_have_odd_letters(data):
        lines = odd_letters(lines)
    if wide or holds(data, b"nswer"):
        lines = without_answer_buttons(lines)
    if wide or may_hold_tables(data):
        lines = quiz_tables(lines)
    if wide or holds(data, b"___") or _CIRCLED.search(data) or _CIRCLED.match(b"\n" + data[:64]):
        return _printed_test(lines)
    return lines, frozenset()


def _printed_test(lines: list[Line]) -> tuple[list[Line], frozenset[int]]:
    """A test printed from ExamView as text: the learner's blank before each question's
    number taken off, and where there are such blanks, its parts' titles over their
    instructions after the first question (`Multiple Choice`, then `Identify the choice that
    best …`) made headings, so that each is a section that asks nothing, left out (with its
    warning); and the lines whose blank was taken off."""
    out = [Line(line.number, line.text[blank.end():])
           if (blank := _ANSWER_BLANK.match(line.text)) else line for line in lines]
    printed = frozenset(a.number for a, b in zip(out, lines, strict=True) if a != b)
    if not printed:
        return lines, printed
    first = next(k for k, (a, b) in enumerate(zip(out, lines, strict=True)) if a != b)
    for at in range(first + 1, len(out) - 1):  # the first part's title, with its
        # instruction, stays the bank's description (headed, the title would be the bank's)
        if is_part_title(out, at):
            out[at] = Line(out[at].number, f"## {out[at].text.strip()}")
    return out, printed


def _quote_end(lines: list[Line], at: int) -> int:
    """Where the blockquote from line `at` ends: after its quoted lines and the lines a
    paragraph of it runs on to without a mark (Markdown's lazy continuation)."""
    end = at
    paragraph = False  # the line before is a quoted paragraph's, not blank or an item
    while end < len(lines):
        quoted = _QUOTED.match(lines[end].text)
        if quoted is None and not (paragraph and not lines[end].blank):
            break
        text = quoted["text"] if quoted is not None else lines[end].text
        paragraph = bool(text.strip()) and ITEM.match(text) is None
        end += 1
    return end


def _options(texts: list[str]) -> int | None:
    """Where the quote's ordered list of options starts: two or more items that end it, all
    numbered `1.` or numbered 1, 2, 3 … in turn, after a blank line under the question's
    text; None otherwise."""
    end = len(texts)
    while end and not texts[end - 1].strip():
        end -= 1
    start = end
    while start and ITEM.match(texts[start - 1]):
        start -= 1
    numbers = [int(found["n"]) for text in texts[start:end] if (found := ITEM.match(text))]
    if (end - start < 2 or start < 2 or texts[start - 1].strip()
            or not any(text.strip() for text in texts[: start - 1])):
        return None
    if len(numbers) > 26 or (numbers != [1] * len(numbers)
                             and numbers != list(range(1, len(numbers) + 1))):
        return None
    return start


def quoted_questions(lines: list[Line]) -> list[Line]:
    """The lines, each blockquoted question with ordered options (and a key after it) read as
    the layout's own; the lines unchanged without one."""
    found: list[Line] = []
    any_found = False
    at = 0
    while at < len(lines):
        quoted = _QUOTED.match(lines[at].text)
        if quoted is None:
            found.append(lines[at])
            at += 1
            continue
        callout = _CALLOUT.match(quoted["text"])
        if callout is not None and callout["kind"].lower() == "question" and callout["title"]:
            at = _callout(lines, at, callout["title"].rstrip(), found)
            any_found = True
            continue
        end = _quote_end(lines, at)
        if callout is not None and holds_answer(callout["kind"], callout["title"]):
            _answer_callout(lines[at:end], callout["title"] or callout["kind"], found)
            any_found = True
            at = end
            continue
        texts = [found_text["text"] if (found_text := _QUOTED.match(line.text)) else
                 line.text.strip() for line in lines[at:end]]
        said = KEY_LINE.match(texts[0])
        if said is not None and not said["loose"] and _under_options(found):
            # A key quoted under the options (`> ✅ **Answer: C — Elasticity**`, its
            # rationale quoted under it), as study notes set it off: its quoted lines only
            # (a question right under it, no blank line between, is the next one's).
            while at < end and _QUOTED.match(lines[at].text) is not None:
                found.append(Line(lines[at].number, texts[0]))
                texts = texts[1:]
                at += 1
            any_found = True
            continue
        start = _options(texts)
        below = None if start is None else next(
            (k for k in range(end, len(lines)) if not lines[k].blank), None)
        key = None if below is None else lines[below]
        if start is None or key is None or below is None or not (
                _LETTER_KEY.match(key.text) or KEY_LINE.match(key.text)):
            found.extend(lines[at:end])
            at = end
            continue
        any_found = True
        _label_heading(found)
        for k, (line, text) in enumerate(zip(lines[at:end], texts, strict=True)):
            item = ITEM.match(text) if k >= start else None
            found.append(lettered_item(line.number, item, chr(ord("A") + k - start))
                         if item is not None else Line(line.number, text))
        found.extend(lines[end:below])
        if _LETTER_KEY.match(key.text):
            found.append(Line(key.number, f"Answer: {key.text.strip()}"))
        else:
            found.append(key)
        at = below + 1
    if not any_found:
        return lines
    return [Line(line.number, "") if _STYLE.match(line.text) else line for line in found]


def _under_options(found: list[Line]) -> bool:
    """Whether the last line read that is not blank is an option's."""
    above = next((line for line in reversed(found) if not line.blank), None)
    return above is not None and OPTION.match(above.text) is not None


def _answer_callout(quote: list[Line], title: str, found: list[Line]) -> None:
    """An Obsidian answer callout under a question written plainly (`> [!success]- Answer`,
    then `> **Correct Answer: A**`, `>`, `> Because …`) read into `found` unquoted: its title
    a blank line where a key or explanation line follows, else their label (`Answer:`)."""
    texts = [quoted["text"] if (quoted := _QUOTED.match(line.text)) else line.text.strip()
             for line in quote[1:]]
    first = next((text for text in texts if text.strip()), "")
    above = next((line for line in reversed(found) if not line.blank), None)
    # After a key line (`**Answer: A**`, then the callout) it holds the rationale.
    labelled = (KEY_LINE.match(first) or EXPLANATION.match(first)
                or (above is not None and KEY_LINE.match(above.text)))
    found.append(Line(quote[0].number, "" if labelled else f"{title.strip().rstrip(':')}:"))
    found.extend(Line(line.number, text) for line, text in zip(quote[1:], texts, strict=True))


def _label_heading(found: list[Line]) -> None:
    """A heading right above a quoted question that only numbers it (`## Problem 1`, blank
    lines between) made its label (`Question 1`)."""
    above = len(found) - 1
    while above >= 0 and found[above].blank:
        above -= 1
    if above < 0 or not SECTION.match(found[above].text):
        return
    numbering = _NUMBERING.match(found[above].text)
    if numbering is not None:
        found[above] = Line(found[above].number, f"Question {numbering['n']}")


def _callout(lines: list[Line], at: int, title: str, found: list[Line]) -> int:
    """An Obsidian question callout from line `at` (simple-quiz-plugin's: `> [!question]-
    What …?`, its options `> - Berlin` or a task list `> - [x] Berlin`, then perhaps an
    answer callout in it, `>> [!success]- Answer`, restating the correct options `>> -
    Berlin`) read into `found` as a question: its title the question, its items the options,
    the answer's items one key line (`Answers: Paris; Lyon`). Returns where it ends."""
    if found and not found[-1].blank:  # a callout right under another is a question too
        found.append(Line(lines[at].number, ""))
    found.append(Line(lines[at].number, title))
    at += 1
    answer: Line | None = None  # the answer callout's line
    said: list[str] = []
    options: dict[str, int] = {}  # each plain bullet's text, and its place in `found`
    while at < len(lines) and (quoted := _QUOTED.match(lines[at].text)) is not None:
        text = quoted["text"]
        nested = _QUOTED.match(text)
        if nested is None and _CALLOUT.match(text):
            break  # the next callout, right under this one
        if nested is None:
            bullet = _BULLET.match(text) if answer is None else None
            if bullet is not None and not bullet["text"].startswith("["):
                options.setdefault(bullet["text"].rstrip(), len(found))
            found.append(Line(lines[at].number, text))
        elif answer is None:
            callout = _CALLOUT.match(nested["text"])
            if callout is None or not holds_answer(callout["kind"], callout["title"]):
                found.append(Line(lines[at].number, text))
            else:
                answer = Line(lines[at].number, "")
        elif (item := _BULLET.match(nested["text"])) is not None:
            said.append(item["text"].rstrip())
        elif nested["text"].strip():
            said.append(nested["text"].strip())  # a key written without a bullet
        at += 1
    if answer is None or not said:
        return at  # no key there: the question has none (an error of its own)
    if said and all(text in options for text in said):  # as written: those options ticked
        for text, place in options.items():
            box = "x" if text in said else " "
            found[place] = Line(found[place].number, f"- [{box}] {text}")
    else:  # restated otherwise: matched as a key line's restatement is, or refused
        label = "Answers" if len(said) > 1 else "Answer"
        found.append(Line(answer.number, f"{label}: {', '.join(said)}"))
    return at
