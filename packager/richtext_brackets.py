"""`\\(…\\)` and `\\[…\\]` in rich text: LaTeX's own math delimiters, which Moodle and MathJax
users write, read as `$…$` and `$$…$$`.

In Markdown `\\(` is an escaped parenthesis, so the engine alone would show `(x^2)`, with any
`*` or `_` inside taken as emphasis. The delimiters are found from the engine's events (an
escape shows as a text event starting right after its backslash; code, math and HTML are
other events, so `\\(` there stays as written, as does `\\\\(`, an escaped backslash), paired
within one paragraph, cell or heading, and the source is rewritten before it is rendered.
"""

from __future__ import annotations

from packager.richtext_dollars import ends_inline_run, options

_OPENERS = {ord("("): (ord(")"), "$"), ord("["): (ord("]"), "$$")}
_BACKSLASH = ord("\\")


def has_brackets(markdown: str) -> bool:
    return "\\(" in markdown or "\\[" in markdown


def brackets_as_dollars(markdown: str) -> str:
    """The Markdown with each `\\(…\\)` as `$…$` and each `\\[…\\]` as `$$…$$` (the content's
    outer spaces dropped, as `$…$` requires; `$$…$$` too where a digit follows). A delimiter
    without its partner in the same block, or math holding a `$`, is left as it was."""
    import pyromark

    data = markdown.encode()
    pairs: list[tuple[int, int, str]] = []  # (backslash of the opener, of the closer, delimiter)
    opened: tuple[int, int, int, str] | None = None  # (block, at, closing byte, delimiter)
    block = 0
    for event, span in pyromark.events_with_range(markdown, options=options()):
        if isinstance(event, str):
            continue
        if "Text" in event:
            start = span["start"]
            if start == 0 or data[start - 1] != _BACKSLASH:
                continue
            char = data[start]
            if opened is not None and opened[0] == block and char == opened[2]:
                pairs.append((opened[1], start - 1, opened[3]))
                opened = None
            elif char in _OPENERS:
                closing, delimiter = _OPENERS[char]
                opened = (block, start - 1, closing, delimiter)
            continue
        if ends_inline_run(event):
            block += 1
            opened = None
    for opener, closer, delimiter in reversed(pairs):
        inside = data[opener + 2 : closer].strip()
        if not inside or b"$" in inside:
            continue
        if data[closer + 2 : closer + 3].isdigit():
            # `$x$5` would be a dollar amount (see richtext_dollars); `$$` inside a line is
            # inline math too, and has no such rule.
            delimiter = "$$"
        math = delimiter.encode() + inside + delimiter.encode()
        data = data[:opener] + math + data[closer + 2 :]
    return data.decode()
