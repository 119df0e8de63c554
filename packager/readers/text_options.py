"""A question's options read from its lines (text_question.py reads the rest of it).

The options are the last run of option lines of a question's body; lines indented under one,
a fenced code block under one and lines wrapped at the margin between two lettered in turn
continue it. Bullets lettered or numbered in turn are lettered or numbered options.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from packager.readers.encoding import holds
from packager.readers.text_answer_key import is_one_line_key
from packager.readers.text_grammar import (
    ENDS_QUESTION,
    FENCE,
    GITBOOK_HINT,
    KEY_LINE,
    OPTION,
    closes_fence,
    filled,
    key_mark,
)
from packager.readers.text_key import Line, NoOptions, Option, TextError, quote

# A bullet's text lettered (`A. …`, `B: …`), for `_lettered_bullets`.
_BULLET_LETTER = re.compile(r"(?P<letter>[a-z])(?P<sep>[.:)])\s+(?=\S)", re.I)
# An option numbered before its letter, as PDF-to-text dumps number a list (`1. A. …`).
_NUMBERED_LETTER = re.compile(
    r"^(?P<indent>[ \t]*)(?P<n>\d{1,2})[.)][ \t]+(?P<letter>[a-z])(?P<sep>[.)])[ \t]+(?P<text>\S.*)$",
    re.I,
)
# Its first line's start, looked for in a bank's bytes from its literal `1` (a pattern that
# starts at a line's start is tried at every byte: 0.35 s on a 27 MB file, against 0.02 s).
_FIRST_NUMBERED_LETTER = re.compile(rb"1[.)][ \t]+[Aa][.)][ \t]")
# An option's letter with no space after it (`a)decreases`): no option, but likely meant one.
_UNSPACED_LETTER = re.compile(r"^\s*\(?[a-h]\)(?=\w)", re.I)
# A bullet's text numbered (`- 1: …`, `- 2) …`, `- (3) …`), for `_numbered_bullets`.
_BULLET_NUMBER = re.compile(r"(?P<open>\()?(?P<n>\d{1,2})(?P<sep>(?(open)\)|[.:)]))\s+(?=\S)")


def options_start(body: list[Line]) -> int:
    """Where the options begin: the last run of option lines (indented lines continue one)."""
    end = len(body)
    while end > 1 and body[end - 1].blank:
        end -= 1
    start = end
    while True:
        while start > 1 and (
            OPTION.match(body[start - 1].text) or body[start - 1].blank
            or body[start - 1].text[:1].isspace()
        ):
            start -= 1
        wrapped = _wrapped_above(body, start, end)
        if wrapped is None:
            break
        start = wrapped
    while start < end and not OPTION.match(body[start].text):
        start += 1
    if start < end:
        return _lettered_after_bullets(body, _one_list(body, start, end), end)
    seen = [i for i, s in enumerate(body) if i and OPTION.match(s.text)]
    if seen:
        stray = next(s for s in body[seen[-1] + 1 :] if not s.blank and not s.text[:1].isspace())
        raise TextError(
            stray.number, f"text after the options: {quote(stray.text)}",
            ("an answer key on one line is read after the last question, a blank line over "
             "it, with only the file's end or headed sections without options after it; else "
             "key each question ('Answer: B')") if is_one_line_key(stray.text) else
            ("options numbered i), ii), iii) are not read (the first reads as an option "
             "lettered i): letter them a), b), c) and name the key by its letter")
            if _ROMAN.match(stray.text) else
            ("a GitBook hint block is read only where it holds the key or explanation ('Answer: "
             "B' in it, or right above it); for a hint to the learner, write 'Hint: …' in place "
             "of the block (it then leads the explanation, which learners see after answering)")
            if GITBOOK_HINT.match(stray.text) else
            "start the rationale with 'Explanation:' or the key with 'Answer:', or indent the "
            "line to continue the option above",
        )
    hint = "write each option on its own line starting with '- ', 'A) ' or 'a. '"
    unspaced = next((line for line in body if _UNSPACED_LETTER.match(line.text)), None)
    on_its_line = next((line for line in body if _options_after_asking(line.text)), None)
    if on_its_line is not None:  # `1. What is …? A) Paris B) Lyon`: not read, told where
        hint = (f"the options look to be on the question's line (line {on_its_line.number}); "
                "put each on a line of its own under the question ('A) …', 'B) …')")
    elif unspaced is not None:  # `a)decreases`, as a paste from a worksheet leaves it
        hint = (f"put a space after each option's letter (line {unspaced.number}: "
                f"{quote(unspaced.text.strip(), 30)})")
    elif any(_BRACKET_NUMBER.match(line.text) for line in body):
        hint = ("options numbered in brackets ('(1) …', '(2) …') are read where they run 1, 2, "
                "3 … in turn (one to a line or several), end the question's text and a key "
                "names one by its number ('Answer: (2)'); else letter them ('A) …')")
    elif not any(ENDS_QUESTION.search(line.text) for line in body):
        # Asking nothing, it may be a closing tip or note rather than a question.
        hint += ("; if it is no question (a note, a tip), delete it or put it under a "
                 "heading of its own ('## Notes'): a section that asks nothing is left out")
    raise NoOptions(body[0].number, "this question has no options", hint)


# An option A right after a question mark or colon (`France? A) Paris`), and an option B.
_A_AFTER_ASKING = re.compile(r"[?:？]\s*(?:\(a\)|a[.)])\s+\S", re.I)
_B_OPTION = re.compile(r"\s(?:\(b\)|b[.)])\s+\S", re.I)


def _options_after_asking(text: str) -> bool:
    """Whether a line holds options A and B after its question mark or colon (the first A
    after one, then a B: one scan each)."""
    found = _A_AFTER_ASKING.search(text)
    return found is not None and _B_OPTION.search(text, found.end()) is not None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _letter(line: Line) -> str | None:
    found = OPTION.match(line.text)
    return None if found is None else (found["letter"] or found["paren"] or "").lower() or None


def _wrapped_above(body: list[Line], start: int, end: int) -> int | None:
    """Where the option run goes on above `start` when lines at the margin there are the
    wrapped end of the option before (`A) The sun rises in the west and`, `sets in the
    east.`, `B) …`, as text pasted from a PDF has it): the previous letter's option, right
    above those lines (no blank line between); None otherwise."""
    first = next((i for i in range(start, end) if OPTION.match(body[i].text)), None)
    letter = _letter(body[first]) if first is not None else None
    if letter is None or letter == "a":
        return None
    above = start - 1
    while above > 0 and not body[above].blank and not OPTION.match(body[above].text):
        above -= 1
    if above < 1 or above == start - 1 or _letter(body[above]) != chr(ord(letter) - 1):
        return None
    return above


def _one_list(body: list[Line], start: int, end: int) -> int:
    """Where the options' own list begins in the run from `start`: statements of the stem in
    one bullet right over options in another (`Consider the statements:`, `+ …`, `+ …`,
    `- Only the first`), two lists in Markdown; else `start` (a stray bullet among the
    options is one of them)."""
    if start < 1 or not body[start - 1].text.rstrip().endswith(":"):
        return start
    marks = [(i, found["bullet"]) for i in range(start, end)
             if (found := OPTION.match(body[i].text)) and not body[i].text[:1].isspace()]
    if not marks or any(mark is None for _, mark in marks):
        return start
    changes = [k for k in range(1, len(marks)) if marks[k][1] != marks[k - 1][1]]
    if len(changes) != 1 or changes[0] < 2 or len(marks) - changes[0] < 2:
        return start
    return marks[changes[0]][0]


def _lettered_after_bullets(body: list[Line], start: int, end: int) -> int:
    """Where lettered options begin when bullets of the question's text run into them (`- It
    grows on trees`, `- It is sweet`, `A) Apple`): at their `A)`; else `start`."""
    first = OPTION.match(body[start].text)
    if first is None or not first["bullet"]:
        return start  # lettered from the first, or boxes
    for i in range(start + 1, end):
        if body[i].text.lstrip()[:1] in "-*+•‣◦▪":
            continue  # another bullet (a plain test: most questions are bullets only)
        found = OPTION.match(body[i].text)
        if found is None:
            continue
        if (found["letter"] or found["paren"] or "").lower() == "a":
            return i
        if not found["bullet"]:
            return start
    return start


def read_options(run: list[Line]) -> tuple[list[Option], list[int] | None]:
    """The options of their lines, and where each one's text starts after its number when
    they are numbered (`_numbered_bullets`)."""
    options: list[Option] = []
    code: tuple[str, int] | None = None  # an open code block's fence and indent
    bold: list[int] = []  # the options set in bold as a whole (`**b) 5**`)
    base = _indent(run[0].text) if run else 0  # the first option's indentation
    nested = False  # whether the last option goes on with a list under it
    style: str | None = None  # the lettered options' marker (_style)
    for line in run:
        if code is not None:  # a code block's lines as written, under its fence's indent
            fence, indent = code
            lead = line.text[:indent]
            options[-1].text += "\n" + (line.text[indent:] if lead.isspace() or not lead
                                        else line.text.lstrip())
            code = None if closes_fence(line.text, fence) else code
            continue
        match = OPTION.match(line.text)
        if (match and options and match["bullet"] and _indent(line.text) >= base + 2
                and (nested or options[-1].text.rstrip().endswith(":"))):
            # A list under an option that introduces it (`- Layout one:`, `  + a header`):
            # its text, as Markdown nests it; a stray indentation elsewhere is an option.
            options[-1].text += "\n" + line.text.strip()
            nested = True
            continue
        nested = False
        if match:
            letter = (match["letter"] or match["paren"] or "").lower() or None
            expected = chr(ord("a") + len(options))
            if match["lead"] and match["box"] is None and letter != expected:
                # "- J. K. Rowling": a bullet's text
                options.append(Option(line.number, match.string[match.end("lead"):].rstrip(),
                                       None, False, False))
                continue
            if letter is not None and letter != expected:
                if options and re.search(rf"\s(?:\({expected}\)|{expected}[.)])\s",
                                         options[-1].text, re.I):
                    raise TextError(  # `(a) 5     (b) 6`, then `(c) 7     (d) 8`
                        options[-1].line, f"option {expected.upper()} is on the line of option "
                        f"{chr(ord(expected) - 1).upper()}",
                        "write each option on its own line ('A) …', 'B) …')")
                inside = (re.search(rf"(?<=\S)\({expected}\)(?=\s*\S)", options[-1].text, re.I)
                          if options else None)
                if inside is not None:  # `(b) Due to gypsum(c) Due to slaked lime`
                    previous = options[-1].text
                    start = max(0, inside.start() - 16)
                    if start:  # from a word's start
                        start = previous.find(" ", start, inside.start()) + 1 or start
                    seen = previous[start:inside.end() + 12]
                    raise TextError(
                        options[-1].line, f"option {expected.upper()} is glued to the end of "
                        f"option {chr(ord(expected) - 1).upper()} ({quote(seen.strip())})",
                        "write each option on its own line ('A) …', 'B) …')")
                raise TextError(
                    line.number, f"option {letter.upper()} is out of order",
                    f"letter the options a, b, c … in order (expected {expected.upper()} here)",
                )
            if letter is not None and style is None:
                style = _style(match)
            box = match["box"]
            text = match["text"].rstrip()
            if match["bold"] and text.endswith(match["bold"]):
                text = text[: -len(match["bold"])].rstrip()
                bold.append(len(options))
            # A task list's box (`- [x]`) is how Markdown ticks an item, not a checkbox chosen
            # over a radio button: how many are ticked says the type.
            options.append(Option(line.number, text, letter,
                                   bool(match["mark"] or match["tick"]) or (box or " ") != " ",
                                   box is not None and not match["lead"]))
        elif not line.blank and (glued := _glued(line.text, style, len(options))):
            # `(D)27 Ω` after `(C) 9 Ω`: the next letter in its options' style, its space
            # left out as a web page's text has it, is the next option, not C's text.
            options.append(Option(line.number, glued, chr(ord("a") + len(options)), False,
                                  False))
        elif not line.blank:
            opens = FENCE.match(line.text)
            if opens:
                code = opens["fence"], len(opens["indent"])
            options[-1].text += "\n" + line.text.strip()
    if 0 < len(bold) < len(options):  # the options set in bold, not all: the key
        for index in bold:
            options[index].marked = True
    _lettered_bullets(options)
    numbering = _numbered_bullets(options)
    for option in options:
        before = key_mark(option.text)
        if before:  # an option of a tick alone keeps it as its text
            option.text, option.marked = before, True
    return options, numbering


def _style(match: re.Match[str]) -> str | None:
    """A plainly lettered option's marker for str.format, its letter `{}` in lower case and
    `{upper}` in upper case (`({})`, `{upper})`, `{}.`); None for a bulleted, bold, starred
    or ticked one."""
    if match["lead"] or match["bold"] or match["mark"] or match["tick"]:
        return None
    if match["paren"]:
        return "({})" if match["paren"].islower() else "({upper})"
    sep = match.string[match.end("letter")]
    return ("{}" if match["letter"].islower() else "{upper}") + sep


def _glued(text: str, style: str | None, count: int) -> str | None:
    """The text of a line that starts with the next option's marker in `style` with no
    space after it (`(D)27 Ω`, `d)27 Ω`), the options so far `count`; else None."""
    if style is None or count >= 26 or style.endswith("."):
        return None  # `E.g. …` continues an option: only `(e)` and `e)` are read so
    letter = chr(ord("a") + count)
    start = style.format(letter, upper=letter.upper())
    text = text.lstrip()
    if not text.startswith(start) or len(text) == len(start) or text[len(start)].isspace():
        return None
    if start == "(c)" and text[len(start)].isdigit():
        return None  # `(c)2024 ExamPrep`: a copyright line under the options
    return text[len(start):].rstrip()


def _numbered_bullets(options: list[Option]) -> list[int] | None:
    """Where each bullet's text starts after its number, when the bullets are numbered 1, 2,
    3 … in turn, alike (`- 1: …`, `- 2: …`): numbered options where a key names them by
    number (question_of); else None."""
    if len(options) < 2 or not options[0].text.lstrip("(").startswith("1") or any(
            o.letter is not None for o in options):
        return None
    found = [_BULLET_NUMBER.match(o.text) for o in options]
    if any(f is None or int(f["n"]) != i + 1 for i, f in enumerate(found)):
        return None
    if len({(f["open"], f["sep"]) for f in found if f is not None}) != 1:
        return None
    return [f.end() for f in found if f is not None]


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


def may_number_letters(data: bytes) -> bool:
    """Whether a text bank's bytes may hold options numbered before their letters (`1. A.`):
    one such start at a line's start, after spaces or tabs."""
    for found in _FIRST_NUMBERED_LETTER.finditer(data):
        at = found.start()
        while at and data[at - 1] in b" \t":
            at -= 1
        if at == 0 or data[at - 1] in b"\r\n":
            return True
    return False


def numbered_letters(lines: list[Line]) -> list[Line]:
    """The lines, each run of options numbered before their letters (`1. A. …`, `2. B. …`,
    as a PDF's text numbers a lettered list) lettered only (`A. …`): two or more lines in a
    row, numbered 1, 2, 3 … and lettered A, B, C … alike in turn. Other numbered lines, one
    alone among them, stay as they are (a question's number)."""
    found = list(lines)
    at = 0
    while at < len(lines):
        first = _NUMBERED_LETTER.match(lines[at].text)
        if first is None or first["n"] != "1" or first["letter"] not in "Aa":
            at += 1
            continue
        end = at + 1
        while end < len(lines) and end - at < 26:
            item = _NUMBERED_LETTER.match(lines[end].text)
            if (item is None or int(item["n"]) != end - at + 1
                    or item["letter"] != chr(ord(first["letter"]) + end - at)
                    or item["sep"] != first["sep"]):
                break
            end += 1
        if end - at >= 2:
            for k in range(at, end):
                item = _NUMBERED_LETTER.match(lines[k].text)
                assert item is not None
                found[k] = Line(lines[k].number,
                                f"{item['indent']}{item['letter']}{item['sep']} {item['text']}")
        at = end
    return found

# An option whose letter alone is bold, as Word and pandoc write them (`**A.** 5`), also in
# brackets (`**(a)** 5`, as course notes' quizzes have it).
_BOLD_LETTER = re.compile(r"^(?P<lead>\s*)(?P<em>\*\*|__)(?P<open>\()?(?P<letter>[a-z])"
                          r"(?P<sep>(?(open)\)|[.)]))(?P=em)(?=\s+\S)", re.I)


def bold_letters(lines: list[Line]) -> list[Line]:
    """A question's lines before its key, the bold taken off the letters of options lettered
    so in order from A (`**A.** 5`, `**B.** 6`, blank lines between) where they end the lines,
    as options do: such lines in a stem (statements `**A.** …` over the options), or one
    alone, stay as written."""
    run: list[tuple[int, re.Match[str]]] = []  # the lines so lettered that end the lines
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].blank:
            continue
        found = _BOLD_LETTER.match(lines[i].text)
        if found is None:
            break
        run.append((i, found))
    run.reverse()
    first = next((k for k, (_, found) in enumerate(run) if found["letter"] in "Aa"), len(run))
    options = run[first:]
    if len(options) < 2 or any(ord(found["letter"]) != ord(options[0][1]["letter"]) + k
                               for k, (_, found) in enumerate(options)):
        return lines
    out = list(lines)
    for at, found in options:
        text = lines[at].text
        out[at] = Line(lines[at].number,
                       text[: found.start("em")] + (found["open"] or "") + found["letter"]
                       + found["sep"] + text[found.end():])
    return out


# An option numbered in Roman numerals after the first (`ii) 5`, `(iii) 6`), not read.
_ROMAN = re.compile(r"^\s*\(?(?:ii|iii|iv|vi{0,3}|ix|x)[.)]\s", re.I)


# A lettered option's start (`(a) `, `a) `, `A. `), for `inline_options`.
_LETTERED = re.compile(r"^(?P<indent>\s*)(?:\((?P<paren>[a-z])\)|(?P<letter>[a-z])(?P<sep>[.)]))"
                       r"\s+(?=\S)", re.I)


def inline_options(body: list[Line]) -> list[Line]:
    """A question's lines before its key, options written several to a line (`(a) Oxygen
    (b) Carbon dioxide (c) Nitrogen`, two a line, or in columns, as exam papers and their
    PDFs' text have them) split one to a line, in their letters' order. Only where every
    line of the options that end the body holds more letters in turn (the last may hold
    fewer), each after a space (down columns, a run of spaces or a tab) and in its first
    letter's style, each with text, and the letters run from A without a gap: an option line
    among others holding `(b)` in its text (`(a) Both (b) and (c)`) stays as written."""
    run: list[int] = []
    for i in range(len(body) - 1, -1, -1):
        if body[i].blank:
            continue
        if _LETTERED.match(body[i].text) is None:
            break
        run.append(i)
    if not run:
        return body
    run.reverse()
    split = _in_rows(body, run) or _in_columns(body, run)
    if split is None or _letters_in_texts([p for pieces in split.values() for p in pieces]):
        return body
    return [piece for i, line in enumerate(body)
            for piece in ([p.line for p in split[i]] if i in split else [line])]


class _Piece(NamedTuple):
    """An option split off a line: its line, its letter, where its text starts after it."""

    line: Line
    letter: str
    text_at: int


def _letters_in_texts(pieces: list[_Piece]) -> bool:
    """Whether an option's text split off holds a later one's marker (`A) Both B) and`, of
    `A) Both B) and C) are right` over `B) Neither`): then the letters are the text's."""
    first = _LETTERED.match(pieces[0].line.text)
    assert first is not None
    letters = sorted(piece.letter for piece in pieces)
    for piece in pieces:
        # Only letters after its own: `(d) Both (a) and (b)` names the options before it.
        later = "".join(letter for letter in letters if letter > piece.letter)
        if not later:
            continue
        marker = rf"\([{later}]\)" if first["paren"] else rf"[{later}]{re.escape(first['sep'])}"
        if _outside_code(re.compile(rf"(?<=\s){marker}\s"), piece.line.text, piece.text_at):
            return True
    return False


def _in_rows(body: list[Line], run: list[int]) -> dict[int, list[_Piece]] | None:
    """Options lettered along the lines (`(a) 5 (b) 6`, `(c) 7 (d) 8`): each line's, by
    its index; None unless each line but the last holds two or more."""
    split: dict[int, list[_Piece]] = {}
    expected: str | None = None
    for i in run:
        pieces = _inline_pieces(body[i], expected, 1)
        if pieces is None or (len(pieces) < 2 and (i != run[-1] or not split)):
            return None
        split[i] = pieces
        expected = chr(ord(pieces[-1].letter) + 1)
    return split


def _in_columns(body: list[Line], run: list[int]) -> dict[int, list[_Piece]] | None:
    """Options lettered down the columns of n lines (`A) … D) …`, `B) … E) …`, `C) … F) …`:
    line k holds letters k, k + n, k + 2n …), all on the first line's index in their
    letters' order and the other lines gone; None unless the first line holds two or more
    and the letters run without a gap."""
    first = _LETTERED.match(body[run[0]].text)
    assert first is not None
    a = "A" if (first["paren"] or first["letter"]).isupper() else "a"
    rows = [_inline_pieces(body[i], chr(ord(a) + k), len(run)) for k, i in enumerate(run)]
    counts = [len(pieces) if pieces is not None else 0 for pieces in rows]
    # As columns are printed: n lines of c options, the last lines one fewer, two full at
    # least; one line holding a letter n on (`A. Infection by E. coli` over three more
    # options) is an initial in its text.
    columns, total = counts[0], sum(counts)
    full = sum(1 for count in counts if count == columns)
    if (len(run) < 2 or columns < 2 or full < 2 or -(-total // columns) != len(run)
            or counts != [columns] * full + [columns - 1] * (len(run) - full)):
        return None
    pieces = sorted((piece for row in rows if row is not None for piece in row),
                    key=lambda piece: piece.letter)
    return {i: pieces if k == 0 else [] for k, i in enumerate(run)}


def _inline_pieces(line: Line, expected: str | None, step: int) -> list[_Piece] | None:
    """A line's options, where it starts with the letter `expected` (A, for the first): its
    own and those `step` letters on, then `step` more … that it holds in turn; None where it
    starts with another."""
    start = _LETTERED.match(line.text)
    assert start is not None
    letter = start["paren"] or start["letter"]
    if letter != (expected or ("A" if letter.isupper() else "a")):
        return None
    starts, texts, letters = [len(start["indent"])], [start.end()], [letter]
    at = start.end()
    while ord(letter) + step <= ord("Z" if letter.isupper() else "z"):
        letter = chr(ord(letter) + step)
        written = f"({letter})" if start["paren"] else letter + start["sep"]
        if line.text.find(written, at) < 0:
            # The pattern's marker is this text as written: without it no option follows.
            # `find` is far quicker than the pattern's search, which starts with a look
            # behind and so tries each character (most option lines hold one option).
            break
        marker = re.escape(written)
        # Down columns, the gap before a column is a run of spaces or a tab, as printed
        # columns are padded: one space before `E.` is an initial (`Robert E. Lee`).
        gap = r"(?<=\s)" if step == 1 else r"(?:(?<=\t)|(?<=\s\s))"
        found = _outside_code(re.compile(rf"{gap}{marker}\s+(?=\S)"), line.text, at)
        if found is None:
            break
        starts.append(found.start())
        texts.append(found.end())
        letters.append(letter)
        at = found.end()
    ends = [*starts[1:], len(line.text)]
    if any(not line.text[text:end].strip() for text, end in zip(texts, ends, strict=True)):
        return None  # an option with no text (`(a)   (b)`, its figure lost; `A. E. coli`)
    # A comma or semicolon between them (`A) x, B) y`) is no option's text.
    indent = start["indent"]
    return [_Piece(Line(line.number, indent + line.text[a:b].rstrip().rstrip(",;").rstrip()),
                   piece_letter, len(indent) + text - a)
            for a, b, text, piece_letter in zip(starts, ends, texts, letters, strict=True)]


def _outside_code(pattern: re.Pattern[str], text: str, at: int) -> re.Match[str] | None:
    """The first match of `pattern` in `text` from `at` that is not in code: an even number
    of backticks before it (`(a) `f (b) g` (b) h`). Backticks counted once, left to right."""
    ticks, counted = text.count("`", 0, at), at
    for found in pattern.finditer(text, at):
        ticks, counted = ticks + text.count("`", counted, found.start()), found.start()
        if not ticks % 2:
            return found
    return None


# An option numbered in brackets (`(1) 26`, as JEE and NEET papers number them).
_BRACKET_NUMBER = re.compile(r"^(?P<indent>\s*)\((?P<n>\d{1,2})\)\s+(?=\S)")
# A key naming a number first (`(1)`, `2`, `(2) -5`).
_NUMBER_FIRST = re.compile(r"\s*\(?\d{1,2}\)?(?![\d.,])")


def bracket_numbers(body: list[Line], tail: list[Line]) -> list[Line]:
    """A question's lines before its key, options numbered in brackets (`(1) 26`, `(2) 27`
    …, 1, 2, 3 … in turn, ending them) as numbered bullets (`- (1) 26`), which a key naming
    their numbers (`Answer: (1)`) keys (`_numbered_bullets`); only where a key line of
    `tail` names a number first: statements numbered so over lettered options, or over
    none, stay the question's text."""
    run: list[tuple[int, re.Match[str]]] = []
    for i in range(len(body) - 1, -1, -1):
        if body[i].blank:
            continue
        found = _BRACKET_NUMBER.match(body[i].text)
        if found is None:
            break
        run.append((i, found))
    run.reverse()
    if not run or not any((key := KEY_LINE.match(line.text)) and _NUMBER_FIRST.match(key["key"])
                          for line in tail):
        return body
    lines = [body[i] for i, _ in run]
    # One to a line first: an option may name others in its text (`(1) Both (2) and (3)`).
    options = _one_to_a_line(lines, split=False)
    if len(options) < 2:
        options = _one_to_a_line(lines, split=True)
    if len(options) < 2:
        return body
    return [*body[: run[0][0]], *options, *body[run[-1][0] + 1 :]]


# The next option numbered in brackets on a line (`(1) Oxygen (2) Carbon dioxide`).
_NEXT_BRACKET_NUMBER = re.compile(r"[ \t]\((?P<n>\d{1,2})\)[ \t]+(?=\S)")


def _one_to_a_line(lines: list[Line], *, split: bool) -> list[Line]:
    """The options of lines each starting `(n)`, as numbered bullets one to a line, where they
    run 1, 2, 3 … in turn; `split`: several to a line (`(1) Oxygen (2) Carbon dioxide`, as
    exam papers print them), split where the next number in turn stands. None where they do
    not run so."""
    options: list[Line] = []
    for line in lines:
        found = _BRACKET_NUMBER.match(line.text)
        assert found is not None
        if int(found["n"]) != len(options) + 1:
            return []
        start = found.end()
        at = start
        while split and (after := _NEXT_BRACKET_NUMBER.search(line.text, at)) is not None:
            at = after.end()
            if int(after["n"]) != len(options) + 2:
                continue  # a number in the option's text, not the next option
            options.append(Line(line.number, f"{found['indent']}- "
                                f"({len(options) + 1}) {line.text[start:after.start()].strip()}"))
            start = after.end()
        options.append(Line(line.number, f"{found['indent']}- ({len(options) + 1}) "
                            f"{line.text[start:].strip()}"))
    return options


# Letters written otherwise, as quiz sites print them: in square brackets (`[A] Nitrogen`) or
# with a full stop and a bracket (`A.) 4 protons`), for `odd_letters`.
_ODD_LETTER = re.compile(r"^(?P<indent>[ \t]*)(?:\[(?P<square>[a-h])\]|(?P<dotted>[a-h])\.\))[ \t]+(?=\S)",
                         re.I)


def may_have_odd_letters(data: bytes) -> bool:
    """Whether a text bank's bytes may hold options lettered `[A]` or `A.)`."""
    return holds(data, b"[A]") or holds(data, b"[a]") or holds(data, b".)")


# A question's number under a bullet (`  • 26. The nitrogen atom …`), as a quiz page's text has it.
_BULLETED_NUMBER = re.compile(r"^\s*[•▪◦‣]\s+(?=\d{1,5}[.)]\s+\S)")


def odd_letters(lines: list[Line]) -> list[Line]:
    """The lines, each run of options lettered in square brackets (`[A] …`, `[B] …`) or with
    a full stop and a bracket (`A.) …`) lettered as options are (`(A) …`, `A) …`): two or more
    lines, blank lines between aside, lettered A, B, C … in turn alike, with a key line next
    (`Answer: B [Hydrogen]`); a bullet right over them before a number (`• 26. The nitrogen
    atom …`) comes off that question's number. One alone (`[a] see the note`), and a run
    with no key under it (statements over options, footnotes, references), stay as
    written."""
    found = list(lines)
    at = 0
    while at < len(lines):
        first = _ODD_LETTER.match(lines[at].text)
        if first is None or (first["square"] or first["dotted"]) not in "Aa":
            at += 1
            continue
        run = [(at, first)]
        k = at + 1
        while k < len(lines) and len(run) < 26:
            if lines[k].blank:
                k += 1
                continue
            item = _ODD_LETTER.match(lines[k].text)
            letter = chr(ord(first["square"] or first["dotted"]) + len(run))
            if item is None or (item["square"] or item["dotted"]) != letter or (
                    bool(item["square"]) != bool(first["square"])):
                break
            run.append((k, item))
            k += 1
        below = filled(lines, run[-1][0] + 1)
        if len(run) >= 2 and below is not None and KEY_LINE.match(lines[below].text):
            # Only over a key: statements `[A] …` over options, footnotes `[a] …`, a
            # reference list stay as written.
            for i, item in run:
                letter = item["square"] or item["dotted"]
                mark = f"({letter})" if item["square"] else f"{letter})"
                found[i] = Line(lines[i].number, f"{item['indent']}{mark} {lines[i].text[item.end():]}")
            above = at - 1
            bullet = _BULLETED_NUMBER.match(lines[above].text) if above >= 0 else None
            if bullet is not None:  # `• 26. …` right over `A.)`: the question's number
                found[above] = Line(lines[above].number, lines[above].text[bullet.end():])
        at = run[-1][0] + 1
    return found
