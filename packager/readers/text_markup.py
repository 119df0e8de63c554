"""Quiz-page markup around the plain-text layout, read as the layout's own lines.

mkdocs "intelligent textbook" quizzes put a question's options in `<div class="upper-alpha"
markdown>`, a numbered (or bulleted) list the page shows lettered A, B, C …, and its answer in a
collapsible admonition (`??? question "Show Answer"`) whose text is indented under it. Read
here: the div's lines are blank, its numbered items are lettered options (`1. …` → `A) …`),
and an answer admonition is an `Explanation:` line with its text unindented under it (where
its `The correct answer is **B**` names the key). Line numbers are kept.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from packager.readers.encoding import holds
from packager.readers.text_grammar import (
    EXPLANATION,
    GITBOOK_HINT,
    KEY_LINE,
    KEY_SENTENCE,
    filled,
    is_tail,
    names_key,
)
from packager.readers.text_key import Line

# A line of one `<div …>` tag; whose class says how its list is lettered (looked for apart:
# one pattern for both backtracked over every `-alpha` of a tag that never closed).
_DIV = re.compile(r"^\s*<div\b(?P<attributes>[^<>]*)>\s*$", re.I)
_ALPHA = re.compile(r"\b(?P<case>upper|lower)-alpha\b", re.I)
_DIV_END = re.compile(r"^\s*</div>\s*$", re.I)
ITEM = re.compile(r"^(?P<indent>\s*)(?P<n>\d{1,2})[.)]\s+(?P<text>\S.*)$")
# `??? question "Show Answer"`, `???+ success "Answer"`, `!!! note "Solution"`.
_ADMONITION = re.compile(r"^\s*(?:\?\?\?\+?|!!!)\s+(?P<kind>[\w-]+)(?:\s+\"(?P<title>[^\"]*)\")?\s*$")
# An answer admonition's title: `Answer`, `Show Answer`, `Solution`, `Answer and explanation`,
# or a key or explanation label of the grammar (`Respuesta correcta`, `Erklärung`).
_ANSWER = re.compile(
    r"(?:(?:show|see|reveal|view)\s+)?(?:the\s+)?(?:correct\s+)?(?:answers?|solutions?"
    r"|explanations?)(?:\s+(?:and|&)\s+explanations?)?",
    re.I,
)


def holds_answer(kind: str, title: str | None) -> bool:
    """Whether an admonition holds the answer: by its title, or without one by its kind."""
    said = (title if title is not None else kind).strip().rstrip(":").strip()
    if _ANSWER.fullmatch(said):
        return True
    key = KEY_LINE.match(f"{said}:")
    return (key is not None and not key["key"]) or EXPLANATION.fullmatch(f"{said}:") is not None
_BODY_INDENT = 4


def may_hold_markup(data: bytes) -> bool:
    """Whether a text bank's bytes may hold this markup (a quick look before its lines are)."""
    return ((holds(data, b"<div") and holds(data, b"-alpha")) or holds(data, b"???")
            or (b"!" in data and holds(data, b"!!!")))


def _alpha_case(line: str) -> str | None:
    """`upper` or `lower` for a line that opens a lettered-list div (`<div class="upper-alpha"
    markdown>`), else None."""
    div = _DIV.match(line) if "<" in line else None
    if div is None or "class" not in div["attributes"].lower():
        return None
    alpha = _ALPHA.search(div["attributes"])
    return None if alpha is None else alpha["case"].lower()


def is_alpha_div(line: str) -> bool:
    return _alpha_case(line) is not None


def lettered_item(number: int, item: re.Match[str], letter: str) -> Line:
    """An ordered list's item (an `ITEM` match) as the lettered option it shows as."""
    return Line(number, f"{item['indent']}{letter}) {item['text']}")


def unwrap(lines: list[Line]) -> list[Line]:
    """The lines with lettered-list divs and answer admonitions read as the layout's own."""
    ends = [i for i, line in enumerate(lines) if _DIV_END.match(line.text)]
    found: list[Line] = []
    at = 0
    while at < len(lines):
        line = lines[at]
        case = _alpha_case(line.text)
        k = bisect_right(ends, at)
        if case is not None and k < len(ends):
            first = "A" if case == "upper" else "a"
            found.append(Line(line.number, ""))
            for inside in lines[at + 1 : ends[k]]:
                item = ITEM.match(inside.text)
                if item is not None and 1 <= int(item["n"]) <= 26:
                    inside = lettered_item(inside.number, item,
                                           chr(ord(first) + int(item["n"]) - 1))
                found.append(inside)
            found.append(Line(lines[ends[k]].number, ""))
            at = ends[k] + 1
            continue
        admonition = _ADMONITION.match(line.text)
        if admonition is None or not holds_answer(admonition["kind"], admonition["title"]):
            found.append(line)
            at += 1
            continue
        found.append(Line(line.number, "Explanation:"))
        at += 1
        while at < len(lines) and (lines[at].blank or lines[at].text[:1] in (" ", "\t")):
            text = lines[at].text
            bare = text[1:] if text[:1] == "\t" else text[min(_BODY_INDENT, len(text) - len(text.lstrip(" "))):]
            found.append(Line(lines[at].number, bare))
            at += 1
    return found


# A quiz page's button to show the answer, copied with its text (`Show Answer`, `View Answer`,
# `[Show Answer & Explanation]`): no text of the question's. Emphasis only right at its words
# (`* Show Answer` is an option); each space run has one place in the pattern.
_ANSWER_BUTTON = re.compile(
    r"[ \t]*(?:[\[(][ \t]*)?(?:\*\*|__)?(?:[▶▼👇➤►]\ufe0f?[ \t]*)?"
    r"(?:show|view|hide|reveal|see|show[ \t]*/[ \t]*hide)[ \t]+(?:the[ \t]+)?(?:correct[ \t]+)?"
    r"answers?(?:[ \t]*(?:&|and)[ \t]*(?:explanations?|solutions?))?(?:\*\*|__)?(?:[ \t]*[\])])?[ \t]*",
    re.I)


def without_answer_buttons(lines: list[Line]) -> list[Line]:
    """The lines less those of only a button that shows the answer right over a key
    (`Show Answer`, then `The correct answer is A .`, as a quiz page's text has it): left
    out, not blank, as a blank line there would part the key from its question. Elsewhere
    (`Show answer in cm.`, an option `* Show Answer`) such words are text."""
    out: list[Line] = []
    for at, line in enumerate(lines):
        if (len(line.text) < 80 and "nswer" in line.text and _ANSWER_BUTTON.fullmatch(line.text)
                and (below := filled(lines, at + 1)) is not None
                and (KEY_LINE.match(lines[below].text) or KEY_SENTENCE.match(lines[below].text))):
            continue
        out.append(line)
    return out


_GITBOOK_END = re.compile(r"^\s*\{%-?\s*endhint\s*-?%\}\s*$")


def gitbook_hints(lines: list[Line], code: list[bool]) -> list[Line]:
    """The lines, the bounds of each GitBook hint block that holds a question's key or
    explanation blank: one holding a key or explanation line, or right under a line that
    names the key (`Answer: B`, a ticked `- [x]`), its text then the explanation. A block
    elsewhere (a hint to the learner over the key) stays as written, which the options' error
    names. `code`: by line number − 1, whether a line is fenced code."""
    out = list(lines)
    above: Line | None = None  # the last line that is not blank
    at = 0
    while at < len(lines):
        line = lines[at]
        if not GITBOOK_HINT.match(line.text) or code[line.number - 1]:
            above = line if not line.blank else above
            at += 1
            continue
        end = next((k for k in range(at + 1, len(lines))
                    if _GITBOOK_END.match(lines[k].text) or GITBOOK_HINT.match(lines[k].text)),
                   None)
        if end is None or not _GITBOOK_END.match(lines[end].text):
            above, at = line, at + 1
            continue
        if (above is not None and names_key(above)) or any(
                is_tail(inner) for inner in lines[at + 1:end]):
            out[at], out[end] = Line(line.number, ""), Line(lines[end].number, "")
        above, at = lines[end], end + 1
    return out
