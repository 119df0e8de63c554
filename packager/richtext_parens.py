"""`\\(…\\)` in rich text: LaTeX's own inline math delimiters, which Moodle and MathJax users
write, read as `$…$`.

In Markdown `\\(` is an escaped parenthesis, so the engine alone would show `(x^2)`, with any
`*` or `_` inside taken as emphasis. The delimiters are found from the engine's events (an
escape shows as a text event starting right after its backslash; code, math and HTML are
other events, so `\\(` there stays as written, as does `\\\\(`, an escaped backslash), paired
within one paragraph, cell or heading, and the source is rewritten before it is rendered.
`\\[…\\]` is not display math here: Markdown writes a bracket that is not a link as `\\[`, and
so do the importers (`[1]` in a Moodle question arrives as `\\[1\\]`); display math is `$$…$$`.
"""

from __future__ import annotations

from packager.richtext_dollars import ends_inline_run, options

_OPEN, _CLOSE = ord("("), ord(")")
_BACKSLASH = ord("\\")


def has_paren_math(markdown: str) -> bool:
    return "\\(" in markdown


def parens_as_dollars(markdown: str) -> str:
    """The Markdown with each `\\(…\\)` as `$…$` (the content's outer spaces dropped, as
    `$…$` requires). A delimiter without its partner in the same block, or math holding a
    `$`, is left as it was."""
    import pyromark

    data = markdown.encode()
    pairs: list[tuple[int, int]] = []  # (backslash of the opener, of the closer)
    opened: tuple[int, int] | None = None  # (block, backslash of the opener)
    block = 0
    for event, span in pyromark.events_with_range(markdown, options=options()):
        if isinstance(event, str):
            continue
        if "Text" in event:
            start = span["start"]
            if start == 0 or data[start - 1] != _BACKSLASH:
                continue
            char = data[start]
            if opened is not None and opened[0] == block and char == _CLOSE:
                pairs.append((opened[1], start - 1))
                opened = None
            elif char == _OPEN:
                opened = (block, start - 1)
            continue
        if ends_inline_run(event):
            block += 1
            opened = None
    # The text rebuilt once from its pieces (rebuilt after each pair, a text of many took
    # time growing with its square).
    pieces: list[bytes] = []
    last = 0  # where the text not yet in `pieces` starts
    for opener, closer in pairs:  # in order, apart
        inside = data[opener + 2 : closer].strip()
        if not inside or b"$" in inside:
            continue
        pieces += [data[last:opener], b"$", inside, b"$"]
        last = closer + 2
        if data[last : last + 1].isdigit():
            # `$x$5` would be a dollar amount (see richtext_dollars), and `$$x$$` is display
            # math: the digit is written as its character reference, which shows as it.
            pieces.append(b"&#%d;" % data[last])
            last += 1
    pieces.append(data[last:])
    return b"".join(pieces).decode()
