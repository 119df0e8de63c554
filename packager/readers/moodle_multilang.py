"""Moodle's multi-language texts: one language of each text, the one Moodle shows a learner.

Multilingual Moodle sites write a text in several languages for a filter to pick one when the
text is shown. The core filter (filter_multilang) reads a run of two or more `<span
lang="xx" class="multilang">…</span>`, only white space between them, and shows one of them;
filter_multilang2 reads blocks `{mlang xx}…{mlang}` (`{mlang xx,yy}`: several languages) and
shows those of one language, anywhere in the text. A bank has one language, so the import
keeps one, chosen as Moodle chooses for a learner whose language is the first one the file
names: that language, else its parent (`en` of `en_us`: both filters follow a language's
parents, as a regional language pack names its base one), else for a run of spans `en`
(filter_multilang ends every chain of parents there), else `other` (filter_multilang2's
fallback), else the first one there (filter_multilang's) — for each run of spans, and for
the `{mlang}` blocks of a text as a whole. A span ends at the first `</span>` after it and a block at the first `{mlang}`, as in
the filters' regular expressions, but the tags are found by a scan that looks at each once
(a regular expression that backtracks would take time n squared on a text of many unclosed
tags); where the filters' expressions backtrack further, across text that is not white space
between two spans, the spans are not a run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

# ASCII white space and case-insensitive names, as the filters' PHP expressions read them.
_FLAGS = re.I | re.A
_ANY = re.compile(r"mlang|multilang", _FLAGS)
# The filters' tags. No two quantifiers can share a run of white space, so a failing match
# backtracks over that run once.
_SPAN = (r'<span\s+(?:lang="([a-z0-9_-]+)"\s+class="multilang"'
         r'|class="multilang"\s+lang="([a-z0-9_-]+)")\s*>')
_SPAN_OPEN = re.compile(_SPAN, _FLAGS)
_NEXT_SPAN = re.compile(r"\s*" + _SPAN, _FLAGS)  # the next span of a run, after white space
_SPAN_CLOSE = re.compile(r"</span>", _FLAGS)
_MLANG_OPEN = re.compile(r"\{\s*mlang\s+([a-z0-9_-]+(?:\s*,\s*[a-z0-9_-]+)*)\s*\}", _FLAGS)
_MLANG_CLOSE = re.compile(r"\{\s*mlang\s*\}", _FLAGS)
_COMMA = re.compile(r"\s*,\s*", _FLAGS)
# The bank's language: a BCP 47 tag (packager/model/bank.py).
_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
OTHER = "other"


class _Part(NamedTuple):
    """A span or a block: where it starts and ends, where its text does, its languages."""

    start: int
    end: int
    inner: tuple[int, int]
    languages: tuple[str, ...]

    def text(self, source: str) -> str:
        return source[self.inner[0]:self.inner[1]]


def _language(name: str) -> str:
    """A language as the filters compare them (Moodle's `pt_br`)."""
    return name.lower().replace("-", "_")


def _closes(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _blocks(text: str) -> list[_Part]:
    """filter_multilang2's blocks: an opening tag, then the first closing tag after it. An
    opening tag without one after it has none after any later opening tag either."""
    closes = _closes(_MLANG_CLOSE, text)
    found: list[_Part] = []
    at = done = 0  # the first closing tag not yet passed; the end of the last block
    for opening in _MLANG_OPEN.finditer(text):
        if opening.start() < done:
            continue  # inside the last block: its text
        while at < len(closes) and closes[at][0] < opening.end():
            at += 1
        if at == len(closes):
            break
        languages = tuple(_language(n) for n in _COMMA.split(opening.group(1)))
        found.append(_Part(opening.start(), closes[at][1], (opening.end(), closes[at][0]),
                           languages))
        done = closes[at][1]
    return found


def _runs(text: str) -> list[list[_Part]]:
    """filter_multilang's runs of two or more spans, each ending at the first `</span>` after
    it (a span nested in it is its text), only white space between them."""
    closes = _closes(_SPAN_CLOSE, text)
    found: list[list[_Part]] = []
    at = done = 0
    for first in _SPAN_OPEN.finditer(text):
        if first.start() < done:
            continue
        run: list[_Part] = []
        opening: re.Match[str] | None = first
        while opening is not None:
            while at < len(closes) and closes[at][0] < opening.end():
                at += 1
            if at == len(closes):
                break
            run.append(_Part(opening.start(), closes[at][1], (opening.end(), closes[at][0]),
                             (_language(opening.group(1) or opening.group(2)),)))
            opening = _NEXT_SPAN.match(text, closes[at][1])
        if len(run) > 1:
            found.append(run)
            done = run[-1].end
    return found


def may_hold(data: bytes) -> bool:
    """Whether a file's bytes may hold a multilang text: a look at them before every text of
    the file is walked for one (37 MB: 0.05 s, the walk 0.19 s). Text not in an ASCII-based
    encoding (UTF-16, UTF-32: a 0 byte among the first) is walked. Lowered a slice at a time
    (each overlapping the next by a word's length less one): a lowered copy of the whole file
    took a fresh 37 MB of memory, and a third more time."""
    if b"\0" in data[:4]:
        return True
    for start in range(0, len(data), _SLICE):
        low = data[start:start + _SLICE + len(b"multilang") - 1].lower()
        if b"mlang" in low or b"multilang" in low:
            return True
    return False


_SLICE = 1 << 20


class Multilang:
    """One file's multilang texts: each read in one language, and the languages a question's
    texts dropped, for its note."""

    def __init__(self, language: str | None) -> None:
        self.language = language  # the file's first language: None when it names only 'other'
        # The languages looked for in turn, before 'other' and the first: the file's, its
        # parent (Moodle's regional packs, `en_us`, `es_mx`, `fr_ca`, name their base
        # language); for spans then `en`, where filter_multilang's chain of parents ends.
        chain = [language, language.partition("_")[0]] if language else []
        self._blocks = list(dict.fromkeys(chain))
        self._spans = list(dict.fromkeys([*chain, "en"]))
        self._kept: dict[str, None] = {}
        self._dropped: dict[str, None] = {}

    @classmethod
    def of(cls, texts: Iterable[str]) -> Multilang | None:
        """The file's multilang reading, from its texts in order; None when none is
        multilang."""
        found = False
        for text in texts:
            if not _ANY.search(text):
                continue
            parts = sorted([*_blocks(text), *(p for run in _runs(text) for p in run)])
            found = found or bool(parts)
            first = next((n for p in parts for n in p.languages if n != OTHER), None)
            if first is not None:
                return cls(first)
        return cls(None) if found else None

    @property
    def tag(self) -> str | None:
        """The file's language as a BCP 47 tag (`pt-br`), None when it is not one."""
        tag = (self.language or "").replace("_", "-")
        return tag if _TAG.match(tag) else None

    def text(self, text: str) -> str:
        """The text in one language: filter_multilang2's blocks first, as Moodle filters them
        before formatting (the text around them stays), then filter_multilang's runs of spans
        (each run, white space between its spans too, becomes the text of one)."""
        if not _ANY.search(text):
            return text
        blocks = _blocks(text)
        if blocks:
            chosen = self._choose([n for block in blocks for n in block.languages],
                                  self._blocks)
            text = _replaced(text, [(b.start, b.end, b.text(text) if chosen in b.languages
                                     else "") for b in blocks])
            self._dropped.update(dict.fromkeys(n for b in blocks if chosen not in b.languages
                                               for n in b.languages))
        runs = _runs(text)
        replacements: list[tuple[int, int, str]] = []
        for run in runs:
            by_language = {p.languages[0]: p for p in run}  # a repeat's text replaces, as in PHP
            chosen = self._choose(list(by_language), self._spans)
            replacements.append((run[0].start, run[-1].end, by_language[chosen].text(text)))
            self._dropped.update(dict.fromkeys(n for n in by_language if n != chosen))
        return _replaced(text, replacements) if replacements else text

    def _choose(self, languages: list[str], chain: list[str]) -> str:
        chosen = next((n for n in chain if n in languages),
                      OTHER if OTHER in languages else languages[0])
        self._kept[chosen] = None
        return chosen

    def take(self) -> str | None:
        """The note on the languages dropped since the last call (None: none was)."""
        kept, dropped = list(self._kept), list(self._dropped)
        self._kept, self._dropped = {}, {}
        if not dropped:
            return None
        language = self.language
        if language is None or kept == [language]:
            what = _names(kept)
        elif language in kept:
            others = [n for n in kept if n != language]
            what = f"{language!r} (and {_names(others)} in a text without {language!r})"
        else:
            what = f"{_names(kept)} (no text has {language!r})"
        return f"multilang text: kept {what}, dropped {_names(dropped)}"


def _replaced(text: str, replacements: list[tuple[int, int, str]]) -> str:
    """The text with each (start, end) range, in order, replaced."""
    out: list[str] = []
    last = 0
    for start, end, new in replacements:
        out += [text[last:start], new]
        last = end
    out.append(text[last:])
    return "".join(out)


def _names(languages: list[str]) -> str:
    return ", ".join(repr(n) for n in languages)
