"""The Markdown syntax html_markdown writes text in: text escaped so that Markdown reads it
back as the same text, HTML white space collapsed, <br> breaks, code spans, link
destinations and TeX spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import quote

# What a link's `<…>` destination cannot hold as itself: an angle bracket or a line ending
# makes it no link (and the rest of the href was read as raw HTML), a backslash escapes what
# follows it; space, tab and control characters the engine would encode anyway.
_NOT_IN_DESTINATION = re.compile(r"[\x00-\x20<>\\\x7f-\x9f]")
# Markdown's own characters in text: escaped wherever they occur.
_ESCAPE = re.compile(r"([\\`*_\[\]<>|$])")
# A block marker after a line's indent. The indent holds no newline: white space running
# over the lines after it was tried from each line's start (quadratic in a run of newlines),
# and the marker is found from its own line's start all the same.
_LINE_START = re.compile(r"^([^\S\n]*)(?:([#>+=~-])|(\d+)([.)]))", re.M)
# What collapsing HTML white space to one space changes: a lone space is already that.
_SPACE = re.compile(r"[ \t\r\n\f]{2,}|[\t\r\n\f]")
# A line ending, as CommonMark reads one.
_LINE_ENDING = re.compile(r"\r\n?|\n")
# What Markdown would read as a character reference.
_REFERENCE_LIKE = re.compile(r"&(?=#?\w+;)")
# TeX in text: \(…\), \[…\] or $$…$$, each up to the first closer after at least one character.
_TEX_OPENER = re.compile(r"\\\(|\\\[|\$\$")
_TEX_CLOSER = {"\\(": "\\)", "\\[": "\\]", "$$": "$$"}
# A <br> while its block is written: only once the block is complete is it known whether
# the break stands between text (a Markdown hard break) or at the block's end, where
# Moodle's editors leave one (`<p>text<br></p>`, `<p><br></p>`) and a browser shows none,
# but Markdown would show a literal backslash. NUL is never text: lxml reads it as U+FFFD.
BREAK = "\x00"
# The edge of a block inside inline content (`<span>a<div>b</div>c</span>`, as pasted text
# has it): a line break between text, nothing at the ends of the block holding it. A
# noncharacter, which no text holds (html_markdown's parse checks).
EDGE = "\ufdd3"
# Runs of white space, breaks and edges, whole: a pattern requiring an edge in the run would
# retry from each break of a long run of breaks.
_EDGES = re.compile(f"[\\s{EDGE}{BREAK}]+")


def escape_text(text: str) -> str:
    """Plain text as Markdown that reads back as the same text."""
    return escape_line_starts(escape_inline(text))


def escape_inline(text: str) -> str:
    """Text inside a line: Markdown's characters escaped, but not a block marker, which only
    means something at the start of a line (escaped by `escape_line_starts`)."""
    # A function, not the template r"\\\1": `re` expands a template through a Python-level
    # helper (re._subx) on every call, which took four times the substitution itself on the
    # short texts an import escapes (147,000 of them in a 10,000-question Moodle XML file).
    escaped = _ESCAPE.sub(_escaped, text)
    return _REFERENCE_LIKE.sub("&amp;", escaped) if "&" in escaped else escaped


def _escaped(match: re.Match[str]) -> str:
    return "\\" + match.group()


def add_inline(parts: list[str], piece: str) -> None:
    """Append an element's inline Markdown to the pieces of a run of text: where a link
    (`[…](…)`) follows text ending in `!`, that `!` is escaped, or Markdown would read an
    image (`Important!<a href=…>` was `Important![guide](…)`)."""
    if piece.startswith("["):
        at = len(parts) - 1
        while at >= 0 and not parts[at]:
            at -= 1
        if at >= 0 and parts[at].endswith("!"):
            parts[at] = parts[at][:-1] + "\\!"
    parts.append(piece)


def escape_line_starts(markdown: str) -> str:
    if "\n" not in markdown:
        # One line: only its start can hold a marker. `sub` would try the multiline `^` at
        # every character of the text (most texts an import escapes are such lines).
        found = _LINE_START.match(markdown)
        return (markdown if found is None
                else _escape_line_start(found) + markdown[found.end():])
    return _LINE_START.sub(_escape_line_start, markdown)


def _escape_line_start(match: re.Match[str]) -> str:
    """A block marker at the start of a line, made text: `\\#`, `\\-`, `1\\.`."""
    space, mark, number, dot = match.groups()
    return f"{space}\\{mark}" if mark else f"{space}{number}\\{dot}"


# A list's marker at a block's start (`- `, `* `, `1. `, `1) `): the bullet, or the number's
# delimiter. A paragraph's line starts are escaped (escape_line_starts), so only a list's
# block starts so.
_LIST_START = re.compile(r"(?:([-*])|[0-9]{1,9}([.)])) ")
_OTHER_MARKER = {"-": "*", "*": "-", ".": ")", ")": "."}


def joined_blocks(blocks: Iterable[str]) -> str:
    """Markdown blocks, a blank line between each, a list right after a list of the same
    marker written with the other (`*` for `-`, `)` for `.`): Markdown reads two lists of
    one marker with a blank line between them as one list, loose, where HTML had two
    (`<ol><li>a</li></ol><ol><li>b</li></ol>` showed `b` as item 2)."""
    out: list[str] = []
    before: str | None = None  # the marker of the list that is the block before, if any
    for block in blocks:
        if not block.strip():
            out.append(block)
            continue
        found = _LIST_START.match(block)
        marker = None if found is None else found[1] or found[2]
        if marker is not None and marker == before:
            marker = _OTHER_MARKER[marker]
            block = _remarked(block, marker)
        out.append(block)
        before = marker
    return "\n\n".join(out)


def _remarked(listed: str, marker: str) -> str:
    """A list's block with each item's marker written with `marker` (an item's first line is
    a line of the block that does not start with white space: its other lines are indented)."""
    lines = listed.split("\n")
    for at, line in enumerate(lines):
        found = _LIST_START.match(line)
        if found is not None:
            end = found.end() - 2  # the bullet or delimiter, before the space
            lines[at] = f"{line[:end]}{marker}{line[end + 1:]}"
    return "\n".join(lines)


def collapse_space(text: str) -> str:
    """HTML white space runs as one space (a no-break space is text)."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text:
        return _SPACE.sub(" ", text)
    return text


def collapse(text: str | None) -> str | None:
    # HTML white space only: a no-break space is text.
    return collapse_space(text) if text else text


def breaks(inline: str, *, edges: bool) -> str:
    """A block's inline Markdown with its breaks written: none at its end, a hard break
    (backslash, newline) between text; block `edges` too, unless the text may hold EDGE."""
    if edges and EDGE in inline:
        inline = _EDGES.sub(lambda m: _edge(m, len(inline)), inline)
    if BREAK not in inline:
        return inline
    # Breaks and white space at the end: nothing a browser shows. Walked back, not matched
    # by a pattern anchored at the end, which retries from each break of a long run.
    end = len(inline)
    while end and (inline[end - 1] == BREAK or inline[end - 1].isspace()):
        end -= 1
    return inline[:end].replace(BREAK, "\\\n")


def _edge(run: re.Match[str], length: int) -> str:
    """A run of white space and breaks holding block edges: its breaks (each a <br>); one
    break between text where it has none; nothing more at the ends."""
    if EDGE not in run.group():
        return run.group()
    kept = run.group().count(BREAK)
    return BREAK * (kept if kept or run.start() == 0 or run.end() == length else 1)


def edges(inner: str) -> tuple[str, str, str]:
    """Inline Markdown as (white space and breaks before, the rest, those after): what stays
    outside emphasis or a link around it (a break there is then at its block's end, where
    it is dropped, or before more text, where it stays a break)."""
    start, end = 0, len(inner)
    while start < end and (inner[start].isspace() or inner[start] in (BREAK, EDGE)):
        start += 1
    while end > start and (inner[end - 1].isspace() or inner[end - 1] in (BREAK, EDGE)):
        end -= 1
    return inner[:start], inner[start:end], inner[end:]


def code_span(code: str) -> str:
    """Inline code as a code span. Its line breaks (each <br> in it is one) are written as
    the spaces a code span shows them as: a blank line or a block marker after one ended
    the span, and the rest of the code was read as Markdown (a link, raw HTML)."""
    code = _LINE_ENDING.sub(" ", code)
    if not code:
        return ""  # a lone pair of backticks is text, and would pair with a later fence
    # Longer than any run of backticks in the code, which could otherwise close it.
    ticks = "`" * (longest_backticks(code) + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def longest_backticks(code: str) -> int:
    """The longest run of backticks in code (found once: a fence grown a backtick per
    search of the code took time quadratic in a long run)."""
    return max(map(len, re.findall("`+", code)), default=0)


def destination(href: str) -> str:
    """A link's href as a `<…>` destination that Markdown reads as one link to that URL:
    what the destination cannot hold percent-encoded (UTF-8, as a browser sends it), and
    the `&` of what would read as a character reference written `&amp;`."""
    href = _NOT_IN_DESTINATION.sub(lambda m: quote(m.group(), safe=""), href)
    return _REFERENCE_LIKE.sub("&amp;", href) if "&" in href else href


def tidy_lines(paragraph: str) -> str:
    if "\n" not in paragraph:  # one line (most paragraphs): no list to make
        return paragraph.strip()
    return "\n".join(line.strip() for line in paragraph.split("\n"))


def tex_spans(value: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, opener, TeX) of each TeX span, left to right. An opener with no closer
    after it is passed over at once (its closer's last place is known): a pattern searched
    again to the text's end from each such opener, so n unclosed `\\(` took time n squared."""
    last = {opener: value.rfind(closer) for opener, closer in _TEX_CLOSER.items()}
    at = 0
    while (found := _TEX_OPENER.search(value, at)) is not None:
        opener, inside = found.group(), found.end()
        if last[opener] > inside:  # a closer after at least one character
            end = value.find(_TEX_CLOSER[opener], inside + 1)
            yield found.start(), end + 2, opener, value[inside:end]
            at = end + 2
        else:
            at = found.start() + 1
