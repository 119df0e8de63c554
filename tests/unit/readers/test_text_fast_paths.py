"""The text reader's quick tests before a pattern, in the passes over every line of a file,
agree with the pattern alone: the same match, or none, for every line; and a pass that looks
only at the lines with its marks reads the file as one that looks at every line."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from packager.readers.text_grammar import FENCE, fence_of
from packager.readers.text_key import Line
from packager.readers.text_options import _Piece
from packager.readers.text_tables import quiz_tables

# What a fence, a table and the text around them are made of, white space of every kind.
_PIECES = ["`", "``", "```", "````", "~", "~~~", " ", "   ", "    ", "\t", "\u2003", "\xa0",
           "|", "| a | b |", "|---|---|", "-", "python", "x", "word", "\f", "\x0b"]
_lines = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)


@given(_lines)
def test_fence_of_is_the_fence_pattern(text: str) -> None:
    fast, slow = fence_of(text), FENCE.match(text)
    assert (fast and (fast.span(), fast.groupdict())) == (slow and (slow.span(), slow.groupdict()))


def _slow_quiz_tables(lines: list[Line]) -> list[Line]:
    """quiz_tables as it was: every line looked at in turn, with the fence pattern."""
    from packager.readers.text_grammar import closes_fence
    from packager.readers.text_tables import _ROW, _RULE, _Columns, _on_its_own, _question
    from packager.readers.text_tables import table_cells as cells

    out: list[Line] = []
    fence: str | None = None
    at = 0
    while at < len(lines):
        line = lines[at]
        opens = None
        if fence is not None:
            fence = None if closes_fence(line.text, fence) else fence
        elif (opens := FENCE.match(line.text)) is not None:
            fence = opens["fence"]
        if fence is not None or opens is not None:
            out.append(line)
            at += 1
            continue
        if (at + 1 < len(lines) and _ROW.match(line.text)
                and _RULE.fullmatch("".join(lines[at + 1].text.split()))):
            end = at + 2
            while end < len(lines) and _ROW.match(lines[end].text):
                end += 1
            rows = lines[at + 2:end]
            columns = _Columns(cells(line.text), [cells(row.text) for row in rows])
            if columns.ok and _on_its_own(lines, at):
                for place, row in enumerate(rows, start=1):
                    out.extend(_question(row, columns, place))
                at = end
                continue
        out.append(line)
        at += 1
    return out


_TABLE_LINES = ["| # | Question | A | B | Answer |", "|---|---|---|---|---|",
                "| 1 | Which is blue? | Sky | Grass | A |", "| 2 | 2+2? | 4 | 5 | A |",
                "```", "~~~", "    ```", "", "## Quiz", "Some text.", "---"]


@given(st.lists(st.sampled_from(_TABLE_LINES) | _lines, max_size=14))
def test_quiz_tables_reads_every_line_as_the_pattern_does(texts: list[str]) -> None:
    lines = [Line(n, text) for n, text in enumerate(texts, start=1)]
    assert quiz_tables(lines) == _slow_quiz_tables(lines)


def _slow_in_code(lines: list[Line]) -> list[bool]:
    """in_code as it was: every line looked at in turn, with the fence pattern."""
    from packager.readers.text_chunks import _MOST_REPAIRED, _block_end, _opens_inside

    inside = [False] * len(lines)
    at, retries = 0, _MOST_REPAIRED
    while at < len(lines):
        if FENCE.match(lines[at].text) is None:
            at += 1
            continue
        end = _block_end(lines, at)
        if end is None:
            break
        if retries and _opens_inside([line.text for line in lines], at, end):
            retries -= 1
            at += 1
            continue
        inside[at + 1:end + 1] = [True] * (end - at)
        at = end + 1
    return inside


_CODE_LINES = ["```", "```python", "````", "~~~", "~~~~", "    ```", "```x```", "1. Which?",
               "# 2 a comment", "- a) b", "", "text with ` a backtick", "~ tilde ~"]


@given(st.lists(st.sampled_from(_CODE_LINES) | _lines, max_size=16))
def test_in_code_reads_every_line_as_the_pattern_does(texts: list[str]) -> None:
    from packager.readers.text_chunks import in_code

    lines = [Line(n, text) for n, text in enumerate(texts, start=1)]
    assert in_code(texts) == _slow_in_code(lines)


def _slow_code_under_options(lines: list[Line]) -> list[Line]:
    """code_under_options as it was: every line looked at in turn."""
    from packager.readers.text_chunks import _block_end
    from packager.readers.text_grammar import OPTION, filled

    found: list[Line] = []
    last = before = attached = -1
    at = 0
    while at < len(lines):
        fence = FENCE.match(lines[at].text)
        opens = fence is not None and len(fence["indent"]) <= 3
        end = _block_end(lines, at) if opens else None
        if opens and end is None:
            return found + lines[at:]
        if end is None:
            found.append(lines[at])
            if not lines[at].blank:
                before, last = last, at
            at += 1
            continue
        following = filled(lines, end + 1)
        under = last >= 0 and OPTION.match(lines[last].text) is not None and (
            (following is not None and OPTION.match(lines[following].text) is not None)
            or (before >= 0 and before == attached))
        found += [Line(lines[k].number, "    " + lines[k].text)
                  if under and not lines[k].blank else lines[k] for k in range(at, end + 1)]
        attached = end if under else attached
        before, last = last, end
        at = end + 1
    return found


_OPTION_CODE_LINES = ["- [x] B", "- [ ] A", "a) one", "```", "```python", "~~~", "print(1)",
                      "", "  ", "Which?", "    ```"]


@given(st.lists(st.sampled_from(_OPTION_CODE_LINES) | _lines, max_size=16))
# The last option's block: under an option that follows a block read as an option's.
@example(["- [ ] A", "", "```", "1", "```", "- [x] B", "", "```", "2", "```", "", "Next."])
def test_code_under_options_reads_every_line_as_the_pattern_does(texts: list[str]) -> None:
    from packager.readers.text_chunks import code_under_options

    lines = [Line(n, text) for n, text in enumerate(texts, start=1)]
    assert code_under_options(lines) == _slow_code_under_options(lines)



def _slow_inline_pieces(line: Line, expected: str | None, step: int) -> list[_Piece] | None:
    """_inline_pieces as it was: each later letter's marker searched by the pattern alone."""
    from packager.readers.text_options import _LETTERED, _outside_code

    start = _LETTERED.match(line.text)
    assert start is not None
    letter = start["paren"] or start["letter"]
    if letter != (expected or ("A" if letter.isupper() else "a")):
        return None
    starts, texts, letters = [len(start["indent"])], [start.end()], [letter]
    at = start.end()
    while ord(letter) + step <= ord("Z" if letter.isupper() else "z"):
        letter = chr(ord(letter) + step)
        marker = rf"\({letter}\)" if start["paren"] else re.escape(letter + start["sep"])
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
        return None
    indent = start["indent"]
    return [_Piece(Line(line.number, indent + line.text[a:b].rstrip().rstrip(",;").rstrip()),
                   piece_letter, len(indent) + text - a)
            for a, b, text, piece_letter in zip(starts, ends, texts, letters, strict=True)]


# What a line of options lettered in a row or down columns is made of: markers of each
# style, gaps of one space, two and a tab, a backtick (a marker inside code is none).
_OPTION_PIECES = ["(a) ", "a) ", "A. ", "a. ", "(b) ", "b) ", "B) ", "B. ", "b.", "(c)", "c) ",
                  "C. ", "d) ", "(e) ", "E. ", "D) ", " ", "  ", "\t", "`", "x", "E. coli", ","]


@given(st.sampled_from(["(a) ", "a) ", "A. ", "a. ", "  (a) ", "b) ", "A) "]),
       st.lists(st.sampled_from(_OPTION_PIECES), max_size=12).map("".join),
       st.sampled_from([None, "a", "b", "A", "c"]), st.integers(1, 3))
@example("(a) ", " (b) y (c) z", None, 1)
@example("A. ", "\t\tC. y", None, 2)
@example("a) ", " `b) y` b) z", None, 1)
def test_inline_pieces_finds_what_the_pattern_alone_finds(
        first: str, rest: str, expected: str | None, step: int) -> None:
    from packager.readers.text_options import _inline_pieces

    line = Line(1, first + "x" + rest)
    assert _inline_pieces(line, expected, step) == _slow_inline_pieces(line, expected, step)


# What an option's words are made of: letters of several scripts, digits, `_`, apostrophes
# and quotes of each kind, punctuation, compatibility forms NFKC changes (ﬁ, ², full-width).
_WORD_PIECES = ["a", "B", "é", "ß", "İ", "ſ", "ﬁ", "²", "Ａ", "١", "_", "'", "’", "‘", "‛", "`",
                "´", "“", "”", '"', ".", ",", "-", "—", "📈", " ", "  ", "\t", "\n", "\xa0", "x1"]


@given(st.lists(st.sampled_from(_WORD_PIECES), max_size=16).map("".join))
@example("don’t stop_now, “quoted” costs.")
@example("it‛s a `b` c‘d ﬁx")  # each apostrophe alone in a text
@example("it‛s")
@example("it`s")
@example("it‘s")
def test_norm_words_are_the_patterns_words(text: str) -> None:
    import unicodedata

    from packager.readers.text_key import _APOSTROPHE, WORD, norm_words

    folded = _APOSTROPHE.sub("", unicodedata.normalize("NFKC", text).casefold())
    assert norm_words(text) == WORD.findall(folded)
