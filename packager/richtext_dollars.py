"""`$` in rich text: a dollar sign or a math delimiter.

Math is `$…$` whose content neither starts nor ends with a space and whose closing `$` is
not followed by a digit (Pandoc's rule), or `$$…$$`. So `The plan costs $5 and the upgrade
$10.` stays text: the `$` before 10 follows a space and closes nothing, and the `$` before 5
is left without a partner, a dollar sign. pulldown-cmark, the Markdown engine, applies the
space rules itself; the digit rule is added here (`$5/$7` would otherwise be math).
What is shown as text but was probably meant as math (`$ x $`, `$x$5`) is reported as a
warning: the author either escapes the dollar (`\\$`) or fixes the delimiters. Math whose
braces do not balance is shown as text by the engine; that is reported as an error.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from packager.richtext_refused import Refused
from packager.richtext_warned import Warned

# A `$` before a digit that is not the second of a `$$`: the only texts where the engine's
# math may need undoing (a closing `$` followed by a digit), so the only ones parsed twice.
DOLLAR_DIGIT = re.compile(r"(?<!\$)\$(?=[0-9])")
_DIGITS = b"0123456789"
_SPACE = b" \t\n\r\f\v"
_EDGES = [bytes([b]) for b in _SPACE]  # one-byte slices a math edge cannot be
# Events that stay inside one paragraph, heading or cell: the others separate blocks, and a
# `$` pairs only with one in the same block.
_INLINE_TAGS = frozenset(
    ["Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"]
)


@lru_cache(maxsize=1)
def options() -> Any:
    """The engine's Markdown: CommonMark with pipe tables and `$` math."""
    import pyromark

    return pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_MATH


# Rounds of dollars_as_text: each parses the whole text again, so a hostile text of 100,000
# characters needing one round per `$` took minutes. Each round settles the first offending
# `$` of every paragraph, so only a paragraph with more than this many needs more.
MAX_ROUNDS = 16
TOO_MANY_DOLLARS = Refused(
    "dollars",
    f"has more than {MAX_ROUNDS} `$` in one paragraph that close math before a digit (as in "
    "`$5/$7`); write each dollar sign as `\\$`",
)


def dollars_as_text(markdown: str) -> tuple[str, frozenset[int], bool]:
    """The Markdown with every closing `$` of inline math that is followed by a digit
    escaped (`\\$`), so that it shows as a dollar sign; the byte offsets of those `$` in it
    (escaped here, not by the author: ambiguous_dollars still weighs them); and False when
    a paragraph needed more than MAX_ROUNDS rounds (the rest is left as the engine reads it).

    Escaping a `$` can change how the `$` signs after it in its paragraph pair, so each
    round escapes the first offending delimiter of each paragraph, heading or cell and
    parses again. A `$` pairs only within its block, so one block's escape leaves the
    others as they were: the same result as escaping one `$` of the whole text per round."""
    data = markdown.encode()
    escaped: list[int] = []
    for _ in range(MAX_ROUNDS):
        found = _first_offenders(markdown, data)
        if not found:
            return markdown, frozenset(escaped), True
        pieces, start = [], 0
        for at in found:  # ascending
            pieces += [data[start:at], b"\\"]
            start = at
        pieces.append(data[start:])
        data = b"".join(pieces)
        markdown = data.decode()
        # Each earlier insertion moves an offset one byte on.
        escaped = [e + bisect_left(found, e) for e in escaped]
        escaped.extend(at + 1 + k for k, at in enumerate(found))
    return markdown, frozenset(escaped), not _first_offenders(markdown, data)


def _first_offenders(markdown: str, data: bytes) -> list[int]:
    """The byte offset of the first closing `$` followed by a digit in each block, ascending."""
    import pyromark

    found: list[int] = []
    block, done = 0, -1
    for event, span in pyromark.events_with_range(markdown, options=options()):
        if isinstance(event, str):
            continue
        if "InlineMath" in event:
            if block != done and _digit(data, span["end"]):
                found.append(span["end"] - 1)
                done = block
        elif ends_inline_run(event):
            block += 1
    return found


def _digit(data: bytes, at: int) -> bool:
    return at < len(data) and data[at] in _DIGITS


def dollar_findings(
    source: str, ours: frozenset[int] = frozenset()
) -> tuple[list[Refused], list[Warned]]:
    """Problems and warnings for `$` signs shown as text, taken in pairs within a block.

    A pair breaking exactly one rule of inline math delimiters was probably meant as math: a
    warning. One breaking several (`$5 and $10`), or one and starting with a digit
    (`$5/$7`), is money. One breaking none, or a `$$` pair, was refused by the engine
    because its braces do not balance: an error when latex2mathml cannot read it either (as
    before, when the math reached it), else a warning. `ours`: offsets of `$` that dollars_as_text escaped (the author did
    not)."""
    data = source.encode()
    runs = _dollar_runs(source, data, ours)
    problems: list[Refused] = []
    warnings: list[Warned] = []
    lone: list[int] = []  # offsets of single `$` left without a partner shown as text
    i = 0
    while i + 1 < len(runs):
        (block_a, opener, size_a), (block_b, closer, size_b) = runs[i], runs[i + 1]
        if size_a == 1 and size_b > 1:
            size_b = 1  # `${$$`: the first `$` of the run would close
        elif size_a > 1 and size_b == 1:
            # `$${$`: the last `$` of the run would open (the engine reads `$$x$` as a
            # dollar sign and $x$), the others are dollar signs
            opener, size_a = opener + size_a - 1, 1
        if block_a != block_b or (size_a == 1) != (size_b == 1):
            if size_a == 1:
                lone.append(opener)
            i += 1
            continue
        reasons = _broken_rules(data, opener, closer) if size_a == 1 else []
        if reasons == [_MONEY]:
            reasons = []  # a digit after the opener alone does not keep math from being math
        inside = _as_written(data, opener + size_a, closer, ours)
        if not reasons and not _balanced(inside):
            found = _unreadable(inside, size_a)
            if found:
                problems.extend(found)
            else:
                shown = _as_written(data, opener, closer + size_b, ours)
                warnings.append(Warned(
                    "W-DOLLAR", f"ambiguous $: {shown!r} shows as text, not math: its {{ and }} "
                    "do not pair up"))
        elif len(reasons) == 1:
            shown = _as_written(data, opener, closer + 1, ours)
            if len(shown) > 40:
                shown = f"{shown[:18]}…{shown[-18:]}"
            warnings.append(Warned("W-DOLLAR", f"ambiguous $: {shown!r} shows as text, not "
                                               f"math: {reasons[0]}"))
        else:
            if size_a == 1:
                lone.append(opener)
            i += 1  # not a pair; the closer may open the next one
            continue
        i += 2
    if i < len(runs) and runs[i][2] == 1:
        lone.append(runs[i][1])
    warnings.extend(_before_unpaired_braces(data, lone, ours))
    return problems, warnings


def _before_unpaired_braces(data: bytes, lone: list[int],
                            ours: frozenset[int]) -> list[Warned]:
    """Warnings for a `$` shown as text whose would-be math up to the next `$` has braces
    that do not pair up (`${x \\mid x>0$ and $y$`: the engine refuses that math and pairs the
    second `$` with the third instead, so no pair of text `$` shows the typo)."""
    found = []
    for opener in lone:
        closer = data.find(b"$", opener + 1)
        inside = data[opener + 1 : closer]
        if closer == -1 or not inside or b"\n\n" in inside or inside[:1] in _EDGES:
            continue
        if inside[-1:] in _EDGES or _balanced(inside.decode(errors="replace")):
            continue
        shown = _as_written(data, opener, closer + 1, ours)
        if len(shown) > 40:  # a paragraph of 90,000 characters was quoted whole
            shown = f"{shown[:18]}…{shown[-18:]}"
        found.append(Warned(
            "W-DOLLAR", f"ambiguous $: {shown!r} shows as text, not math: its {{ and }} do not "
            "pair up"))
    return found


def _dollar_runs(source: str, data: bytes, ours: frozenset[int]) -> list[tuple[int, int, int]]:
    """(block, byte offset, length) of each run of `$` shown as text (not escaped by the
    author, not in code, math or HTML)."""
    import pyromark

    runs: list[tuple[int, int, int]] = []
    block = 0
    code = False  # inside a code block, whose text is code (`${a}` of a template literal)
    for event, span in pyromark.events_with_range(source, options=options()):
        if isinstance(event, str):  # a line break or rule: no text
            continue
        if _is_code_block(event.get("Start")) or _is_code_block(event.get("End")):
            code = "Start" in event
        if "Text" in event and not code:
            at = data.find(b"$", span["start"], span["end"])
            while at != -1:
                if at in ours or not _escaped(data, at):
                    last = runs[-1] if runs else None
                    if last is not None and last[0] == block and last[1] + last[2] == at:
                        runs[-1] = (block, last[1], last[2] + 1)
                    else:
                        runs.append((block, at, 1))
                at = data.find(b"$", at + 1, span["end"])
            continue
        if ends_inline_run(event):
            block += 1
    return runs


def _is_code_block(tag: object) -> bool:
    """Whether an engine event's tag (`{'CodeBlock': …}` or 'CodeBlock') is a code block."""
    return tag == "CodeBlock" or (isinstance(tag, dict) and "CodeBlock" in tag)


def ends_inline_run(event: Mapping[str, object]) -> bool:
    """Whether an engine event (not a text one) starts or ends a block: math delimiters pair
    only within one paragraph, heading or cell."""
    tag: object = event.get("Start") or event.get("End")
    if isinstance(tag, dict):
        tag = next(iter(tag))
    return tag is not None and tag not in _INLINE_TAGS


def _as_written(data: bytes, start: int, end: int, ours: frozenset[int]) -> str:
    """The source between two offsets without the backslashes dollars_as_text put in."""
    return bytes(data[k] for k in range(start, end) if k + 1 not in ours).decode(
        errors="replace"
    )


def _unreadable(latex: str, size: int) -> list[Refused]:
    """Why math with unbalanced braces cannot be read, as latex2mathml says it (the engine
    before this one passed such math on to it); [] when latex2mathml would read it."""
    from packager.mathml import from_latex

    return from_latex(latex, "inline" if size == 1 else "block")[1]


def _balanced(latex: str) -> bool:
    depth = 0
    for match in re.finditer(r"\\.|[{}]", latex, re.S):
        brace = match.group()
        if brace == "{":
            depth += 1
        elif brace == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


_SPACES = "math between $ signs cannot start or end with a space"
_DIGIT = "a $ followed by a digit does not close math"
_MONEY = "money"  # `$5`: no rule, but money far more often than math


def _broken_rules(data: bytes, opener: int, closer: int) -> list[str]:
    """Why two `$` shown as text do not delimit math, one entry per rule broken (spaces at
    the edges, a digit after the closer) or sign of money (a digit after the opener)."""
    reasons = []
    if data[opener + 1] in _SPACE or data[closer - 1] in _SPACE:
        reasons.append(_SPACES)
    if _digit(data, closer + 1):
        reasons.append(_DIGIT)
    if _digit(data, opener + 1):
        reasons.append(_MONEY)
    return reasons


def _escaped(data: bytes, at: int) -> bool:
    """Whether the byte at `at` follows an odd number of backslashes."""
    start = at
    while start > 0 and data[start - 1] == 0x5C:
        start -= 1
    return (at - start) % 2 == 1
