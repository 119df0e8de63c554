"""Moodle's gap questions → `fill_in_blanks`: cloze (multianswer) codes, and the drag-and-drop
(`ddwtos`) and select-missing-words (`gapselect`) `[[n]]` gaps.

Cloze codes follow Moodle's syntax (question/type/multianswer/questiontype.php):
`{weight:TYPE:alternative~alternative…}`, an alternative being `=answer`, `%fraction%answer` or
`answer` (worth 0), with an optional `#feedback`, read as Moodle's qtype_multianswer_extract_question
reads it: an answer runs to the first `~`, `#` or `}` not right after a backslash, `&` or `&amp;`
(and holds one character at least), a feedback to the first `~` or `}` not right after a
backslash. The text is HTML (an answer `a&lt;b` means `a<b`); of the backslashes only `\\}` and
`\\#` are undone (`\\~`, `\\\\`, `\\/` keep theirs, as in Moodle), and in a short-answer gap `\\*`
is an asterisk where a bare `*` is Moodle's wildcard.

Each gap becomes a blank `[[b1]]`, `[[b2]]`… (Moodle keeps no gap ids) whose accepted answers
are the alternatives worth 100 %. A drop-down or radio gap becomes a typed blank; a gap that has
no typed form (several right choices, a numerical tolerance) drops the question; everything else
not carried (partial credit, per-answer feedback, wrong options) is noted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from packager.readers.moodle_text import plain_html

if TYPE_CHECKING:
    from lxml import etree

    from packager.readers.moodle_text import Context

_TYPES = {
    "SHORTANSWER": "sa", "SA": "sa", "MW": "sa",
    "SHORTANSWER_C": "sac", "SAC": "sac", "MWC": "sac",
    "NUMERICAL": "num", "NM": "num",
    "MULTICHOICE": "mc", "MC": "mc", "MULTICHOICE_V": "mc", "MCV": "mc", "MULTICHOICE_H": "mc",
    "MCH": "mc", "MULTICHOICE_S": "mc", "MCS": "mc", "MULTICHOICE_VS": "mc", "MCVS": "mc",
    "MULTICHOICE_HS": "mc", "MCHS": "mc",
    "MULTIRESPONSE": "mr", "MR": "mr", "MULTIRESPONSE_H": "mr", "MRH": "mr",
    "MULTIRESPONSE_S": "mr", "MRS": "mr", "MULTIRESPONSE_HS": "mr", "MRHS": "mr",
}
_START = re.compile(r"\{([0-9]*):(" + "|".join(sorted(_TYPES, key=len, reverse=True)) + r"):")
# A code with a type and nothing after it (`{1:MULTICHOICE}`): a gap without answers.
_BARE = re.compile(r"\{[0-9]*:(?:" + "|".join(sorted(_TYPES, key=len, reverse=True)) + r")\}")
_FRACTION = re.compile(r"^%(-?[0-9]+(?:[.,][0-9]*)?)%")
_FRACTION_MARK = re.compile(r"=|%-?[0-9]+(?:[.,][0-9]*)?%")  # ANSWER_ALTERNATIVE_FRACTION_REGEX
# One run of digits before the mark: two side by side split a long run every way before a
# stray character failed it (12,000 digits and an `x`: 3.8 s).
_NUMBER = re.compile(r"^-?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?$")
_GAP = re.compile(r"\[\[([0-9]+)\]\]")
_MAX_DIGITS = 9  # in a weight or a gap number: more is no mark or option there is


def short(code: str) -> str:
    """A code or gap as a message quotes it: its start and end where it is long."""
    return code if len(code) <= 40 else code[:30] + "…" + code[-6:]


# A gap's place in the text while it is converted: one private-use character per gap, which no
# escaping touches, replaced by its [[bN]] marker afterwards.
_PLACE = 0xF0000
_PLACES = re.compile("[\U000f0000-\U000fffff]")
MAX_GAPS = 0x10000  # the places above


def place(index: int) -> str:
    """The place of gap `index` (from 0) in a text being converted."""
    return chr(_PLACE + index)


@dataclass
class Alternative:
    fraction: float
    text: str
    feedback: str
    wildcard: bool = False  # a '*' no backslash escapes: any characters, in a short-answer gap


@dataclass
class Gap:
    weight: int
    kind: str  # sa sac num mc mr
    alternatives: list[Alternative]


@dataclass
class Gaps:
    """What a gap reader found: the blanks in order, and why the question cannot be kept."""

    blanks: list[list[str]] = field(default_factory=list)
    weights: list[int] = field(default_factory=list)
    case_sensitive: bool = False
    changed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    refused: str | None = None  # the question cannot become fill_in_blanks
    malformed: str | None = None  # the text breaks Moodle's own syntax


def _split(body: str, start: int) -> tuple[list[tuple[str, str | None]], int] | None:
    """The alternatives of the code from `start` (raw answer with its fraction, raw feedback)
    and the index just past its closing brace; None when the brace never comes. Moodle's
    ANSWER_ALTERNATIVE_REGEX, read in one pass: the regex itself backtracks without end on a
    code that never closes, and a copy of the rest of the text per code made n codes take
    time n squared."""
    alternatives: list[tuple[str, str | None]] = []
    i, end = start, len(body)
    if body.startswith("~", i) and body[i + 1 : i + 2] not in ("", "}"):
        # Moodle reads each alternative as `~?` and the alternative: a code may open with one
        # (`{1:SA:~=colour~=color}`), which is no answer (`{1:SA:~}` answers "~").
        i += 1
    while True:
        first = i
        fraction = _FRACTION_MARK.match(body, i)
        i = fraction.end() + 1 if fraction else i + 1  # an answer holds a character at least
        while i < end and not (body[i] in "~#}" and not _guarded(body, i)):
            i += 1
        if i >= end:
            return None
        answer, feedback = body[first:i], None
        if body[i] == "#":
            i += 1
            opened = i
            while i < end and not (body[i] in "~}" and body[i - 1] != "\\"):
                i += 1
            if i >= end:
                return None
            feedback = body[opened:i]
        alternatives.append((answer, feedback))
        if body[i] == "}":
            return alternatives, i + 1
        i += 1  # past '~'


def _guarded(body: str, i: int) -> bool:
    """Whether the delimiter at `i` is part of an answer: Moodle's lookbehind
    `(?<!\\\\|&|&amp;)`, one backslash (whatever stands before it), `&` or `&amp;`."""
    return body[i - 1] in "\\&" or body.endswith("&amp;", 0, i)


# A short answer's wildcard: a '*' no backslash stands before (qtype_shortanswer's
# compare_string_with_wildcard; the cloze code keeps the backslash for it). The shortanswer
# reader (moodle_types) uses it too.
WILDCARD = re.compile(r"(?<!\\)\*")


def _stored(raw: str) -> str:
    """An answer or feedback as Moodle stores it: its HTML decoded, then `\\}` and `\\#` made
    `}` and `#`; every other backslash stays."""
    return plain_html(raw).replace("\\}", "}").replace("\\#", "#")


def _alternative(raw: str, feedback: str | None, kind: str) -> Alternative:
    fraction = 0.0
    if raw.startswith("="):
        fraction, raw = 100.0, raw[1:]
    else:
        found = _FRACTION.match(raw)
        if found is not None:
            fraction, raw = float(found.group(1).replace(",", ".")), raw[found.end():]
    text = _stored(raw)
    wildcard = False
    if kind in ("sa", "sac"):  # qtype_shortanswer: a bare '*' is any characters, '\\*' a '*'
        wildcard = "*" in text and WILDCARD.search(text) is not None
        if not wildcard:
            text = text.replace("\\*", "*")
    return Alternative(fraction, text, _stored(feedback or ""), wildcard)


def mark_cloze(raw: str, gaps: Gaps) -> str:
    """The question text with each cloze code replaced by its gap's place; the codes are read
    into `gaps`."""
    out: list[str] = []
    last = 0
    parsed: list[Gap] = []
    while True:
        start = _START.search(raw, last)
        if start is None:
            break
        if len(parsed) == MAX_GAPS:  # each gap's place is a private-use character
            gaps.malformed = f"the cloze question has more than {MAX_GAPS:,} gaps"
            break
        split = _split(raw, start.end())
        if split is None:
            gaps.malformed = f"the cloze code {start.group()!r}… has no closing '}}'"
            break
        alternatives, end = split
        weight = start.group(1) or "1"
        if len(weight) > _MAX_DIGITS:  # int() refuses a few thousand digits
            gaps.malformed = f"the cloze code {short(start.group())!r} weighs more than any mark"
            break
        out.append(raw[last:start.start()])
        out.append(chr(_PLACE + len(parsed)))
        kind = _TYPES[start.group(2)]
        parsed.append(Gap(int(weight), kind, [_alternative(a, f, kind) for a, f in alternatives]))
        last = end
    out.append(raw[last:])
    if gaps.malformed is None and not parsed and (bare := _BARE.search(raw)) is not None:
        gaps.malformed = f"the cloze code {short(bare.group())!r} has no answers"
    if gaps.malformed is None:
        _read_gaps(parsed, gaps)
    return "".join(out)


def _read_gaps(parsed: list[Gap], gaps: Gaps) -> None:
    if not parsed:
        gaps.malformed = "the cloze question has no {…} code"
        return
    for number, gap in enumerate(parsed, start=1):
        if gap.kind == "num":
            problem = _numerical(gap, number, gaps)
            if problem:
                return
        if gap.kind == "mr":
            gaps.refused = f"gap {number} is a multiple-response gap, which a blank cannot hold"
            return
        if gap.kind in ("sa", "sac") and _without_wildcards(gap, number, gaps):
            return
        right = list(dict.fromkeys(a.text for a in gap.alternatives if a.fraction >= 100 and a.text))
        if not right:
            gaps.malformed = f"gap {number} has no answer worth 100 %"
            return
        if gap.kind == "mc":
            gaps.changed.append(f"the options of gap {number} became a typed blank (the wrong "
                                "options are dropped)")
        if any(0 < a.fraction < 100 for a in gap.alternatives):
            gaps.dropped.append(f"partial-credit answers of gap {number}")
        if gap.kind != "mc" and any(a.fraction < 0 for a in gap.alternatives):
            gaps.dropped.append(f"negative marks of answers of gap {number} (in Moodle such an "
                                "answer took marks off; it now scores 0)")
        if any(a.feedback for a in gap.alternatives):
            gaps.dropped.append(f"per-answer feedback of gap {number}")
        gaps.case_sensitive = gaps.case_sensitive or gap.kind == "sac"
        gaps.blanks.append(right)
        gaps.weights.append(gap.weight)
    if gaps.case_sensitive and any(g.kind != "sac" for g in parsed):
        gaps.changed.append("every blank compares case-sensitively (only some gaps did)")


def _without_wildcards(gap: Gap, number: int, gaps: Gaps) -> bool:
    """A short-answer gap without its right answers that hold Moodle's wildcard '*' (a blank
    would accept them only as typed, '*' and all), each noted; True when no right answer is
    left (`gaps` says why)."""
    right = [a for a in gap.alternatives if a.fraction >= 100 and a.text]
    wild = [a for a in right if a.wildcard]
    if not wild:
        return False
    if len(wild) == len(right):
        gaps.refused = (f"every right answer of gap {number} holds Moodle's wildcard '*' "
                        f"({', '.join(repr(a.text) for a in wild)}), which a blank cannot hold")
        return True
    for answer in wild:
        gaps.dropped.append(f"the answer {answer.text!r} of gap {number}: its '*' stands for "
                            "any characters in Moodle, which a blank cannot hold")
    gap.alternatives = [a for a in gap.alternatives if a not in wild]
    return False


def _numerical(gap: Gap, number: int, gaps: Gaps) -> bool:
    """Check a numerical gap, keeping each answer's value; True when the question cannot be
    kept (`gaps` says why)."""
    for alternative in gap.alternatives:
        if alternative.text == "*":
            continue
        value, colon, tolerance = alternative.text.partition(":")
        if not _NUMBER.match(value) or (colon and not _NUMBER.match(tolerance)):
            gaps.malformed = f"gap {number} is numerical but {alternative.text!r} is no number"
            return True
        # Only an answer worth full marks is kept (the others are noted as partial credit),
        # so only its tolerance is one the blank would have to hold.
        if colon and float(tolerance.replace(",", ".")) != 0 and alternative.fraction >= 100:
            gaps.refused = (f"gap {number} accepts {value} ± {tolerance}, a tolerance a blank "
                            "cannot hold")
            return True
        alternative.text = value
    gaps.changed.append(f"numerical gap {number} became a blank accepting the number as typed")
    return False


def mark_select(raw: str, options: list[str], gaps: Gaps) -> str:
    """A ddwtos/gapselect text with each `[[n]]` replaced by its gap's place; each gap accepts
    the text of option n."""
    count = 0

    def sub(match: re.Match[str]) -> str:
        nonlocal count
        digits = match.group(1)
        n = int(digits) if len(digits) <= _MAX_DIGITS else 0
        if not 1 <= n <= len(options) or not options[n - 1]:
            gaps.malformed = (f"the gap {short(match.group())} names no option (there are "
                              f"{len(options)})")
            return match.group()
        gaps.blanks.append([options[n - 1]])
        gaps.weights.append(1)
        count += 1
        return chr(_PLACE + count - 1)

    marked = _GAP.sub(sub, raw)
    if not count and gaps.malformed is None:
        gaps.malformed = "the question text has no [[n]] gap"
    return marked


def options(ctx: Context, question: etree._Element, tag: str) -> list[str]:
    """The `<dragbox>` or `<selectoption>` texts, in order (their numbers start at 1)."""
    return [plain_html(ctx.raw(element)) for element in question.findall(tag)]


def blanks_of(prompt: str, gaps: Gaps) -> tuple[str, dict[str, Any]]:
    """The prompt with gap places turned into [[bN]] markers, and the blanks."""
    ids = [f"b{n}" for n in range(1, len(gaps.blanks) + 1)]
    marked = _PLACES.sub(lambda m: f"[[{ids[ord(m.group()) - _PLACE]}]]", prompt)
    return marked, dict(zip(ids, gaps.blanks, strict=True))


def strip_places(text: str) -> str:
    """A source text without the characters gap places use (so none is mistaken for one)."""
    return _PLACES.sub("", text)
