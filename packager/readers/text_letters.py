"""Options lettered in ways the option pattern does not take, read as `A) …` lines where the
lines around them say they are a question's options (readers/text.py).

`A- Paris`, `B- Lyon` (as lists are lettered in Spanish, Portuguese, French and Arabic
courses): a dash after a letter also writes a grade (`B- 80%`), a blood type (`A- O-`), an
initial; so only a run of them lettered a, b, c … in turn from `a`, under a line of the stem,
with no other options after it in its question, is its options.
"""

from __future__ import annotations

import re

from packager.readers.text_grammar import OPTION, SEPARATOR, is_tail, starts_question
from packager.readers.text_key import Line

_DASHED = re.compile(r"^(?P<indent>[ \t]*)(?P<letter>[A-Za-z])[ \t]?[-–—][ \t]+(?P<text>\S.*)$")
# Its first option's start in a bank's bytes (a line's start searched from its `\n`: a pattern
# anchored at a line's start is tried at every byte). En and em dashes as UTF-8.
_FIRST_DASHED = re.compile(rb"\n[ \t]*[Aa][ \t]?(?:-|\xe2\x80\x93|\xe2\x80\x94)[ \t]")


def may_dash_letters(data: bytes) -> bool:
    """Whether a bank's bytes (LF line ends, UTF-8 or single-byte) may hold `A- ` options."""
    return _FIRST_DASHED.search(data) is not None


def dashed_options(lines: list[Line], code: list[bool]) -> tuple[list[Line], int | None]:
    """The lines, each run of `A- …` options as `A) …` lines; and the first such option's
    line number (None without). `code`: by line number − 1, whether a line is fenced code.

    A run is a question's options where nothing in its question before it is an option, a key
    or an explanation (`Explanation:`, then `A- is right because …`) and no option follows it
    there (`A- 90%`, `B- 80%` in a stem over `a) …`). A question ends at the next one's number
    or label and at a rule; and at a blank line before a line that is no key or explanation,
    in a file of neither so far (unnumbered questions between blank lines) or after a
    question's options or key (an unnumbered question after a numbered one, or an
    explanation's paragraph): a question begun so has its run as options only where a key or
    explanation follows it."""
    out = list(lines)
    first: int | None = None
    pending: list[tuple[int, str]] = []  # the question's run: its options if nothing follows
    keyed = False  # a key or explanation follows the run
    settled = False  # the question has options, a key or an explanation before the line
    unnumbered = True  # the question began at a blank line, not a number, label or rule
    gap = False  # a blank line is right above the line
    stem = False  # the last line that is not blank is a stem's: no option, key, explanation
    at = 0
    while at < len(lines):
        line = lines[at]
        if line.blank or code[line.number - 1]:
            gap, at = gap or line.blank, at + 1
            continue
        tail = is_tail(line)
        if starts_question(line) or SEPARATOR.match(line.text):
            first = _lettered(out, pending if keyed or not unnumbered else [], first)
            pending, settled, unnumbered = [], False, False
        elif gap and (unnumbered or settled) and not tail:
            first = _lettered(out, pending if keyed else [], first)
            pending, settled, unnumbered = [], False, True
        gap = False
        run = _run(lines, at) if stem and not settled else []
        if len(run) >= 2:
            pending, keyed, stem, at = run, False, False, run[-1][0] + 1
            continue
        option = OPTION.match(line.text) is not None
        if option:
            pending, settled = [], True  # options after the run: it is the stem's text
        elif tail:
            keyed, settled = bool(pending), True
        stem = not (option or tail or _DASHED.match(line.text))
        at += 1
    return out, _lettered(out, pending if keyed or not unnumbered else [], first)


def _run(lines: list[Line], at: int) -> list[tuple[int, str]]:
    """The `A- …` lines lettered in turn from `lines[at]`, blank lines and indented ones (an
    option's text wrapped) between them, each by its index with its text as `A) …`; [] unless
    it is lettered `a`."""
    found = _DASHED.match(lines[at].text)
    if found is None or found["letter"] not in "aA":
        return []
    run, expected = [(at, _as_lettered(found))], ord(found["letter"]) + 1
    for below in range(at + 1, len(lines)):
        text = lines[below].text
        following = _DASHED.match(text)
        if following is not None and ord(following["letter"]) == expected:
            run.append((below, _as_lettered(following)))
            expected += 1
        elif following is not None or not (lines[below].blank or text[:1].isspace()):
            break
    return run


def _as_lettered(found: re.Match[str]) -> str:
    return f"{found['indent']}{found['letter']}) {found['text']}"


def _lettered(out: list[Line], run: list[tuple[int, str]], first: int | None) -> int | None:
    """`out` with the run's lines as `A) …` lines; the first such line's number."""
    for index, text in run:
        out[index] = Line(out[index].number, text)
    return first if first is not None or not run else out[run[0][0]].number


# A letter alone on its line (`A.`, `b)`, `(c)`), its option's text on the next, as text
# copied from a PDF or a slide has it.
_LONE = re.compile(r"^(?P<indent>[ \t]*)(?:\((?P<paren>[A-Za-z])\)|(?P<letter>[A-Za-z])[.)])[ \t]*$")
_FIRST_LONE = re.compile(rb"\n[ \t]*(?:\([Aa]\)|[Aa][.)])[ \t]*\n")


def may_stand_alone(data: bytes) -> bool:
    """Whether a bank's bytes (LF line ends, UTF-8 or single-byte) may hold letters alone."""
    return _FIRST_LONE.search(data) is not None


def lone_letters(lines: list[Line], code: list[bool]) -> tuple[list[Line], int | None]:
    """The lines, each run of letters alone over their options' texts (`A.`, `Paris`, `B.`,
    `Lyon`) as `A) Paris` lines, the text's line left blank; and the first such option's line
    number (None without). A run is two or more letters in turn from `a`, each right over one
    line of text (no letter, number, option, key or explanation), under a line of the
    question's text (not of an explanation: no key or explanation above it in its
    paragraph), and a blank line, a key or explanation, the next question or the end
    under its last text."""
    out = list(lines)
    first: int | None = None
    above: Line | None = None  # the last line that is not blank
    keyed = False  # a key or explanation is above in its paragraph or question
    gap = False  # a blank line is right above the line
    at = 0
    while at < len(lines):
        line = lines[at]
        if line.blank:
            gap, at = True, at + 1
            continue
        # The next question starts at its number, a rule, or (unnumbered) a blank line.
        if starts_question(line) or SEPARATOR.match(line.text) or gap:
            keyed = False
        gap = False
        keyed = keyed or is_tail(line)
        # Only a letter `a` alone starts a run: the line above is looked at for it alone.
        run = (_lone_run(lines, at, code) if above is not None and not keyed
               and _LONE.match(line.text)
               and not (OPTION.match(above.text) or _LONE.match(above.text) or is_tail(above))
               else [])
        if len(run) < 2:
            above, at = line, at + 1
            continue
        first = _lettered(out, run, first)
        for index, _ in run:  # each text's own line, now in its letter's
            out[index + 1] = Line(lines[index + 1].number, "")
        above, at = lines[run[-1][0]], run[-1][0] + 2  # a letter: no stem
    return out, first


def _lone_run(lines: list[Line], at: int, code: list[bool]) -> list[tuple[int, str]]:
    """The letters alone in turn from `lines[at]` (`a`) with their texts, as `A) …` lines by
    their indexes; [] where they are no run as `lone_letters` reads one."""
    run: list[tuple[int, str]] = []
    expected = "a"
    while at + 1 < len(lines) and not code[lines[at].number - 1]:
        found = _LONE.match(lines[at].text)
        letter = (found["paren"] or found["letter"]) if found is not None else None
        text = lines[at + 1].text
        if found is None or letter is None or letter.lower() != expected or not _option_text(
                lines[at + 1]):
            break
        mark = f"({letter})" if found["paren"] else f"{letter})"
        run.append((at, f"{found['indent']}{mark} {text.strip()}"))
        expected = chr(ord(expected) + 1)
        at += 2
    if len(run) < 2:
        return []
    below = lines[at] if at < len(lines) else None
    if below is not None and not (below.blank or is_tail(below) or starts_question(below)):
        return []
    return run


def _option_text(line: Line) -> bool:
    return not (line.blank or _LONE.match(line.text) or OPTION.match(line.text)
                or is_tail(line) or starts_question(line))
