"""Which options a plain-text question's key names (readers/text.py reads the layout).

A key names options by letter (`B`, `(b)`, `A and C`, `AB`) or restates their text; a
restatement may differ from its option in small ways (a typo, quotes, a clause after it), so
it is matched by similarity over words: it must be at least MATCH alike and MARGIN ahead of
the runner-up, else reading stops with the candidates. The parts of a question as read
(Line, Option, Key, Question) and the located error (TextError) live here, below the reader.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import accumulate
from typing import NamedTuple

try:  # difflib's own algorithm compiled: the same blocks in the same order, 5-6x faster
    from cydifflib import SequenceMatcher  # type: ignore[import-untyped]
except ImportError:  # not installed where it has no wheel (pyproject.toml): only slower
    from difflib import SequenceMatcher

# The explanation's restatement of the key.
_NAMED_KEY = r"(?:the\s+)?(?:correct|right|best)\s+(?:answer\s+is|answers\s+are|answer(?P<s>s)?\s*[:：])"
_KEY_PHRASE = re.compile(rf"\b{_NAMED_KEY}\s*", re.I)
# A letter's lead word (`Answer: Option B`, `The correct answer is choice (b).`).
OPTION_WORD = re.compile(r"^(?:option|choice)\s+(?=\(?[a-z]\b)", re.I)
# ... its letter in quotes (`Answer: Option 'B'`, as a quiz site prints it).
_QUOTED_OPTION = re.compile(r"^(?:option|choice)\s+['‘\"“](?P<letter>[a-z])['’\"”](?=\W|$)",
                            re.I)
# What the phrase names, emphasised or set as code (`The correct answer is **B**.`).
LEAD_EMPHASIS = re.compile(r"^(\*\*|__|\*|_|`)(?P<inner>[^*_`\n]{1,80}?)\1")
# Also "The answer is …", where nothing else names the key: beside an `Answer:` line it is as
# likely prose about a wrong answer ("many think the answer is A, but …").
_LOOSE_KEY_PHRASE = re.compile(rf"\b(?:{_NAMED_KEY}|the\s+(?:answer\s+is|answers\s+are)\b)\s*", re.I)
# Options named by letter: "B", "(b)", "b)", "A and C", "a, c and d", then the sentence ends.
_ITEM = r"(?:\(\s*[a-z]\s*\)|[a-z]\)|[a-z](?![\w'’]))"
LETTERS = re.compile(
    rf"^[\"'“‘]?(?P<items>{_ITEM}(?:\s*(?:[,;/&+]|\band\b)\s*(?:and\s+)?{_ITEM})*)[\"'”’]?"
    r"(?=\s*$|\s*[.,;:!?]|\s+(?:because|since|as|is|are|[—–-])(?!\w)|(?<=\)))",
    re.I,
)
_LETTER = re.compile(r"[a-z](?![\w'’])", re.I)
_LETTER_RUN = re.compile(r"[A-Z]{2,10}")  # capitals run together: `AB` for A and B
WORD = re.compile(r"\w+")
_APOSTROPHE = re.compile(r"['‘’‛`´]")
# Restatement matching: how alike a restatement must be, and how far ahead of the runner-up.
MATCH = 0.85
# Where a key's sentence ends: a ';', or a full stop (with quotes or brackets after it) before
# a capital.
_SENTENCE_END = re.compile(r";|[.!?…][\"'”’)\]]*\s+(?=[\"'“‘(]*[A-Z])")
MARGIN = 0.05
# An option's text in bold as a whole (`- **Dolphin**`), which marks no key among bullets.
_BOLD_WHOLE = re.compile(r"(\*\*|__)[^*_\n]+\1")


class TextError(Exception):
    def __init__(self, line: int, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


# The errors whose hint the reader may make better from what it sees around the question (an
# answer key's entry, the part's first line): raised as their own kinds, so that the hint
# follows what the error is, not how its message is worded.
class NoOptions(TextError):
    """A question with no options."""


class NoKey(TextError):
    """A question whose key nothing names."""


class Line(NamedTuple):  # a tuple: a file has a line object per line
    number: int
    text: str

    @property
    def blank(self) -> bool:
        # What `strip` takes off is what `isspace` tests: the same, without a copy of the line.
        return not self.text or self.text.isspace()


@dataclass
class Option:
    line: int
    text: str
    letter: str | None
    marked: bool  # text2qti's *b) or a ticked [x] box
    box: bool  # a [ ] / [x] box: pick every right one (multiple_response)
    feedback: str | None = None  # shown to a learner who picks it (text2qti's `... ` under it)


class Key(NamedTuple):
    line: int
    text: str  # what names the option(s): letters or restated text
    plural: bool  # "answers": may name several
    sentence: str  # quoted in errors


@dataclass
class Question:
    line: int
    scenario: str | None
    prompt: str
    prompt_line: int
    options: list[Option]
    explanation: str | None = None
    explanation_line: int | None = None
    correct: list[int] = field(default_factory=list)
    # (line, letters, note) when the key restates its options with differences
    inferred: tuple[int, str, str] | None = None
    title: str | None = None
    points: float | None = None
    # The explanation's first paragraphs that a key line's rationale gave (`**Answer: b**
    # (it is in …)`), before what follows the key.
    lead_paragraphs: int = 0
    hint_line: int | None = None  # a hint's, kept in the explanation
    # A statement keyed T or F with no options of its own: its options True and False were
    # added to read the key, and it is a true/false question.
    statement: bool = False
    section: Line | None = None  # the title of a section under a statement, left out
    titles: tuple[Line, ...] = ()  # section titles over its own start, left out



# -- the key ---------------------------------------------------------------------------------


def correct_options(q: Question, keys: list[Key]) -> list[int]:
    """Indices of the correct options: explicit markers first, else the explanation's. A key
    that restates its options with differences (a typo) is told in `q.inferred`."""
    explicit: list[tuple[int, list[int]]] = []
    marked = [i for i, o in enumerate(q.options) if o.marked]
    if marked:
        explicit.append((q.options[marked[0]].line, marked))
    for key in keys:
        chosen, alike = _resolve(key, q.options, key_line=True)
        explicit.append((key.line, chosen))
        if len(explicit) == 1:  # the key that decides
            _tell_inferred(q, key, chosen, alike)
    restated = _restatement(q)
    if not explicit:
        restated = restated or _restatement(q, _LOOSE_KEY_PHRASE)
        if restated is None:
            bold = [i for i, o in enumerate(q.options) if _BOLD_WHOLE.fullmatch(o.text)]
            raise NoKey(
                q.line, "no key: nothing says which option is correct",
                f"if the bold option ({_letters(bold)}) is the key, add a line 'Answer: "
                f"{_letters(bold)}': only a lettered option in bold ('**b) …**') marks it"
                if len(bold) == 1 else
                "add a line 'Answer: B', or start the explanation with 'The correct answer is …'",
            )
        chosen, alike = _resolve(restated, q.options)
        _tell_inferred(q, restated, chosen, alike)
        return chosen
    first_line, first = explicit[0]
    for line, chosen in explicit[1:]:
        if sorted(chosen) != sorted(first):
            raise TextError(line, f"this key ({_letters(chosen)}) contradicts the key on line "
                             f"{first_line} ({_letters(first)})", "keep one of them")
    if restated is not None:
        # A restatement that names an option is a second key; one that does not is just prose.
        try:
            said = _resolve(restated, q.options)[0]
        except TextError:
            said = first
        if sorted(said) != sorted(first):
            raise TextError(
                restated.line, f"the explanation names {_letters(said)}, but the key on line "
                f"{first_line} is {_letters(first)}", "make them agree",
            )
    return first


def _tell_inferred(q: Question, key: Key, chosen: list[int], alike: float) -> None:
    """Record in `q` that the key restates its options with differences (a typo, a word
    more): a reading a reviewer may want to see (validate warns, import lists it)."""
    if alike >= 1.0:
        return
    named = _letters(chosen)
    if len(chosen) == 1:  # a restatement of one option starts with it: the words can be told
        found = _differences(q.options[chosen[0]].text, key.text)
        named += f" ({'; '.join(found)})" if found else ""
    q.inferred = (key.line, _letters(chosen),
                  f"the key is read as {named}: {quote(key.sentence, 60)} "
                  f"restates {'them' if len(chosen) > 1 else 'it'} with differences "
                  f"({int(alike * 100)}% alike)")  # floored: never a rounded-up 100 %


def _differences(option: str, said: str, most: int = 3) -> list[str]:
    """How `said` restates `option`, word by word: `"your" for "you’re"`, `"the" left out`.
    Words after the option's last (a clause that follows it) are not differences."""
    words = option.split()
    told = said.split()[: len(words) + len(words) // 4 + 3]
    found = []
    opcodes = SequenceMatcher(None, [_norm(w) for w in words], [_norm(w) for w in told],
                              autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        theirs, ours = " ".join(told[j1:j2]), " ".join(words[i1:i2])
        if tag == "replace":
            found.append(f"{quote(theirs, 30)} for {quote(ours, 30)}")
        elif tag == "delete":
            found.append(f"{quote(ours, 30)} left out")
        elif tag == "insert" and i1 < len(words):
            found.append(f"{quote(theirs, 30)} added")
    return found[:most]


def without_option_word(text: str, options: list[Option]) -> str:
    """A key's text less `Option`/`Choice` before a letter (`Option B`, `Option 'B'`), where
    no option's own text starts so (options named `Option A`, `Option B` are restated as
    written)."""
    if OPTION_WORD.match(text) and not any(OPTION_WORD.match(o.text) for o in options):
        return OPTION_WORD.sub("", text, count=1)
    quoted = _QUOTED_OPTION.match(text)
    if quoted and not any(OPTION_WORD.match(o.text) for o in options):
        return quoted["letter"] + text[quoted.end():]
    return text


def _restatement(q: Question, phrase: re.Pattern[str] = _KEY_PHRASE) -> Key | None:
    if q.explanation is None or q.explanation_line is None:
        return None
    match = phrase.search(q.explanation)
    if match is None:
        return None
    line = q.explanation_line + q.explanation.count("\n", 0, match.start())
    plural = "answers" in match.group(0).lower()
    sentence = q.explanation[match.start() :]
    said = LEAD_EMPHASIS.sub(r"\g<inner>", q.explanation[match.end() :].strip(), count=1)
    return Key(line, said, plural, sentence)


def _resolve(
    key: Key, options: list[Option], key_line: bool = False
) -> tuple[list[int], float]:
    """The options a key names, by letter or by restating their text, and how alike the
    restatement is to them (the least of theirs; 1.0 by letter or as written); TextError
    otherwise. On a `key_line` a letter's option text after it must agree with it; in an
    explanation, what follows a letter is prose ("… is B. Venus is too hot")."""
    line = key.line
    if not key.text:
        raise TextError(line, "the key is empty", "name the option, e.g. 'Answer: B'")
    key = key._replace(text=without_option_word(key.text, options))
    run = _LETTER_RUN.fullmatch(key.text.strip().rstrip("."))
    if run is not None and key_line:
        chosen = [ord(c) - ord("A") for c in run.group(0)]
        named = _norm(run.group(0))
        if (len(set(chosen)) == len(chosen) and max(chosen) < len(options)
                and not any(_norm(o.text) == named for o in options)):
            _own_letters(key, chosen, options)
            return chosen, 1.0  # `Correct Answer: AB`: A and B, where no option is "AB"
    noted = letter_note(key.text, options) if key_line else None
    if noted is not None and ord(noted["letter"].lower()) - ord("a") < len(options):
        chosen = [ord(noted["letter"].lower()) - ord("a")]  # `Answer: C (two plus three)`
        _not_a_text(key, noted["letter"], chosen, options)
        return chosen, 1.0
    letters = LETTERS.match(key.text)
    if letters:
        chosen = [ord(m.group(0).lower()) - ord("a") for m in
                  _LETTER.finditer(re.sub(r"\band\b", " ", letters["items"], flags=re.I))]
        beyond = [index for index in chosen if index >= len(options)]
        if beyond and (said := _true_false(letters["items"], options)) is not None:
            return [said], 1.0  # `ANS: T` under `a. True`, `b. False`
        if beyond:
            try:  # an option's text that starts like a letter ("J. K. Rowling")
                return _match_text(key, options)
            except TextError:
                raise TextError(line, f"the key names option {chr(ord('A') + beyond[0])}, but "
                                 f"the question has {len(options)} options ({_letters([0])}–"
                                 f"{_letters([len(options) - 1])})", "name one of its options"
                                 ) from None
        _not_a_text(key, letters["items"], chosen, options)
        _own_letters(key, chosen, options)
        chosen = list(dict.fromkeys(chosen))
        if key_line and len(chosen) == 1:
            _letter_agrees(key, key.text[letters.end() :], chosen[0], options)
        return chosen, 1.0
    return _match_text(key, options)


def _true_false(items: str, options: list[Option]) -> int | None:
    """The option a key `T` or `F` names where the options are True and False, as test banks
    key a true/false question (`ANS: T`); None otherwise."""
    word = {"t": "true", "f": "false"}.get(items.strip().lower())
    texts = [_norm(o.text) for o in options]
    return texts.index(word) if word is not None and sorted(texts) == ["false", "true"] else None


# A letter an option's text starts with, where the layout did not letter the options.
_OWN_LETTER = re.compile(r"^\(?([a-z])[.)]\s", re.I)


def _own_letters(key: Key, chosen: list[int], options: list[Option]) -> None:
    """Options the layout did not letter whose texts start with letters of their own (`- x)
    6`, `- A) 6`, `- B) 5`): a key's letter names an option by its place, which must then be
    the option that starts with the letter, else TextError (the place is a guess)."""
    if not options or options[0].letter is not None:
        return
    own = [found.group(1).lower() if (found := _OWN_LETTER.match(o.text)) else None
           for o in options]
    for index in chosen:
        letter = chr(ord("a") + index)
        if letter in own and own.index(letter) != index:
            other = own.index(letter)
            raise TextError(key.line, f"the key names option {letter.upper()} by its place, "
                            f"{quote(options[index].text, 60)}, but the option "
                            f"{quote(options[other].text, 60)} starts with the letter "
                            f"{letter.upper()}", "restate the option's text in the key, or "
                            "letter the options A) …, B) … in order, one option a line")


def _not_a_text(key: Key, items: str, chosen: list[int], options: list[Option]) -> None:
    """A key's letters that are another option's text too (`C` where option d reads "C")
    name no option for sure: TextError."""
    named = _norm(items)
    # An option equals it only if its first words and one more are all it has.
    more = len(named.split()) + 1
    same_text = [i for i, o in enumerate(options) if norm_head(o.text, more) == named]
    if same_text and sorted(same_text) != sorted(chosen):
        raise TextError(key.line, f"the key {quote(items)} is both an option's letter and "
                        "another option's text",
                        f"name the option by letter: {_letters(same_text)} for the one that "
                        f"reads {quote(items)}, {_letters(chosen)} for the one it letters (or "
                        "letter the options A), B), C)…)")


# A letter, then a note in brackets (`C (starts with a number)`). The spaces after the note
# are taken whole (possessive): shared with the spaces after a missing full stop, a long run
# of them before other text was split every way.
_LETTER_NOTE = re.compile(r"^(?P<letter>[a-z])\s+(?P<note>\([^()\n]*\))\s*+[.!]?\s*$", re.I)


def letter_note(said: str, options: list[Option]) -> re.Match[str] | None:
    """A key that names a lettered option by its letter with a note in brackets after it
    (`Answer: C (two plus three)`); None where the options have no letters, where `C (…)` is
    as likely an option's text restated (a language, a grade)."""
    if not options or options[0].letter is None:
        return None
    return _LETTER_NOTE.match(said)


# What may stand between a key's letter and the option's text it restates (`B. `, `b) `,
# `B - `): a dash only before a space, as `-1` is a text.
_LETTER_GAP = re.compile(r"^\s*[.,:;)]?\s*(?:[–—-]\s+)?")


def _letter_agrees(key: Key, after: str, chosen: int, options: list[Option]) -> None:
    """A letter followed by an option's text (`Answer: b) Mars`) checks itself: the text must
    not restate another option. Text restating none is prose ("B, since …")."""
    # The text exactly another option's: the words compared below leave out signs, so
    # `Answer: B. 5 4 3 2 1` agreed with B `-5 -4 -3 -2 -1`, and `A) -1` has no word at all.
    bare = _bare(_LETTER_GAP.sub("", after, count=1))
    same = [i for i, o in enumerate(options) if _bare(o.text) == bare]
    best = same[0] if len(same) == 1 and _bare(options[chosen].text) != bare else chosen
    if best == chosen:
        if not WORD.search(after[:200]):
            return  # "B", "B." or "(b)" alone
        choices = [as_choice(norm_words(o.text)) for o in options]
        said = as_said(norm_head(after, max(c.reach for c in choices) + 1))
        if not said.text:
            return
        scores = [similarity_of(c, said)[0] for c in choices]
        best = max(range(len(options)), key=scores.__getitem__)
        if scores[best] < MATCH or scores[chosen] >= scores[best] - MARGIN:
            best = chosen
    if best != chosen:
        raise TextError(
            key.line, f"{quote(key.sentence)} names option {_letters([chosen])} by letter "
            f"but restates {_letters([best])} {quote(options[best].text, 60)}",
            "make the letter and the text name the same option",
        )


def _match_text(key: Key, options: list[Option]) -> tuple[list[int], float]:
    # The key can be a whole explanation: only its start can restate the options.
    said = key.text[: sum(len(o.text) + 40 for o in options)]
    choices = [as_choice(norm_words(o.text)) for o in options]
    if key.plural:
        # Several options are listed in one sentence ("Paris and Rome; Lyon is …").
        said = _listed(said, choices)
    # A single key chooses one option, and comparing one reads no more of the key than its
    # words, a quarter more and three (`similarity_of`): one word more is all that can count.
    reach = max(c.reach for c in choices) + 1
    rest = _norm(said) if key.plural else norm_head(said, reach)
    if not rest:  # no word in it ("<", "📈"): only the very same option text names one
        return _same_symbols(key, options), 1.0
    chosen: list[int] = []
    alike = 1.0
    while rest:
        restated = as_said(rest)
        ranked = sorted(
            ((*similarity_of(c, restated), i) for i, c in enumerate(choices) if i not in chosen),
            key=lambda r: -r[0],
        )
        if not ranked or ranked[0][0] < MATCH:
            if chosen:
                break
            raise TextError(
                key.line, f"{quote(key.sentence)} names none of the options; closest: "
                + _candidates(ranked[:2], options),
                "restate the option's text, or name it by letter (e.g. 'Answer: B')",
            )
        if len(ranked) > 1 and ranked[1][0] > ranked[0][0] - MARGIN:
            same = _exactly(key, options, [r for r in ranked if r[0] > ranked[0][0] - MARGIN])
            if same is not None and not chosen:
                return [same], 1.0  # `5 4 3 2 1` beside `-5 -4 -3 -2 -1`: signs are no words
            raise TextError(
                key.line, f"{quote(key.sentence)} matches more than one option about equally: "
                + _candidates(ranked[:2], options),
                "name the option by its letter instead (e.g. 'Answer: B')",
            )
        chosen.append(ranked[0][2])
        alike = min(alike, ranked[0][0])
        if not key.plural:
            if rest[ranked[0][1] :].startswith(" and ") or "&" in said:
                _one_named(key, said, ranked[0][1], choices, chosen[0])
            break
        rest = re.sub(r"^(?:and|&)\s+", "", rest[ranked[0][1] :].lstrip())
    return chosen, alike


def _first_sentence(text: str) -> str:
    """The text up to a ';' or the end of its first sentence."""
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def _listed(said: str, choices: list[_Choice]) -> str:
    """What of a key naming several options lists them: its first sentence, and each part
    after a ';' that is one option's text and nothing more (`Answers: Paris; Lyon`); a part
    that says more is prose ("Paris and Rome; Lyon is …")."""
    end = len(_first_sentence(said))
    while end < len(said) and said[end] == ";":
        part = _first_sentence(said[end + 1 :])
        words = _norm(part)
        restated = as_said(words)
        if not words or not any(
            score >= MATCH and at >= len(words) for score, at in
            (similarity_of(choice, restated) for choice in choices)
        ):
            break
        end += 1 + len(part)
    return said[:end]


def _one_named(key: Key, said: str, end: int, choices: list[_Choice], chosen: int) -> None:
    """A singular key restating one option "and" another ("The correct answer is apple and
    banana") names two: an error, not the first of them. ", and …" is prose going on."""
    said = _first_sentence(said)
    if re.search(r",\s*(?:and|&)\s", said):
        return
    # `rest` held the words one option can use; the other needs as many again.
    reach = max(c.reach for c in choices) + 1
    after = norm_head(said, 3 * reach)[end:].lstrip()
    conjunction = re.match(r"and ", after)  # an "&" is punctuation, gone from `after`
    if conjunction is None and "&" not in said:
        return
    other = as_said(after[conjunction.end() :] if conjunction else after)
    for i, choice in enumerate(choices):
        if i != chosen and similarity_of(choice, other)[0] >= MATCH:
            raise TextError(
                key.line, f"{quote(key.sentence)} names {_letters(sorted([chosen, i]))}, but "
                "'The correct answer is' names one option",
                "for several, write 'The correct answers are …' (or 'Answer: A, C')",
            )


def _exactly(key: Key, options: list[Option],
             tied: list[tuple[float, int, int]]) -> int | None:
    """Among options the key matches about equally that have the same words (`5 4 3 2 1`,
    `-5 -4 -3 -2 -1`: the words compared leave out signs), the one whose text is the key's as
    written, or None. Options whose words differ (`Reduce cost`, `Reduce costs`) stay the
    error: a typo may have made the key one of them exactly."""
    words = {tuple(norm_words(options[i].text)) for _, _, i in tied}
    bare = _bare(key.text)
    if len(words) != 1 or (bare.isdigit() and 0 < int(bare) <= len(options)):
        return None  # words apart; or `1`, which may name the first option by its place
    same = [i for _, _, i in tied if _bare(options[i].text) == bare]
    return same[0] if len(same) == 1 else None


def _bare(text: str) -> str:
    """Text as written, less the end's punctuation and the quotes, emphasis or code marks
    around it."""
    return text.strip().rstrip(".!;,").strip().strip("\"'“”‘’*_`").strip()


def _same_symbols(key: Key, options: list[Option]) -> list[int]:
    """The option whose text is the key's, when the key has no word to compare."""
    bare = _bare(key.text)
    same = [i for i, o in enumerate(options) if o.text.strip() == bare]
    if len(same) != 1:
        raise TextError(key.line, f"{quote(key.sentence)} names none of the options",
                         "name the option by its letter (e.g. 'Answer: B')")
    return same


def _norm(text: str) -> str:
    """Text for comparison only: case, quotes, apostrophes and punctuation do not count."""
    return " ".join(norm_words(text))


def norm_words(text: str) -> list[str]:
    """The words of `_norm(text)`: quotes and other punctuation are not words."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # Each `in` runs at memchr's speed; the pattern's `sub` tries every character.
    if ("'" in text or "’" in text or "`" in text or "‘" in text or "‛" in text
            or "´" in text):
        text = _APOSTROPHE.sub("", text)
    # No white space is a word's character, so a word never spans two tokens, and a token
    # that is all letters and digits (`str.isalnum`: what `\w` matches, less `_`) is a word
    # itself: the pattern runs only on tokens with punctuation (`costs.`, `“quoted”`).
    words: list[str] = []
    for token in text.split():
        if token.isalnum():
            words.append(token)
        else:
            words += WORD.findall(token)
    return words


def norm_head(text: str, count: int) -> str:
    """The first `count` words of `_norm(text)`, or all of it, without normalising a long
    text to its end. Cut just before an ASCII space, a text normalises as its two parts do:
    the space is a starter no character composes with (NFKC; casefold and the apostrophe
    removal go char by char) and separates words; so the pieces' words are the whole's."""
    words: list[str] = []
    start = 0
    while len(words) < count:
        cut = text.find(" ", start + 8 * (count - len(words)))  # ~8 characters a word
        if cut < 0:
            words += norm_words(text[start:])
            break
        words += norm_words(text[start:cut])
        start = cut
    return " ".join(words[:count])


class _Choice(NamedTuple):
    """A normalised option, split once for every key it is compared with."""

    text: str
    words: list[str]
    distinct: set[str]
    length: int  # its words with a space after each (when it has words)
    reach: int  # how many words of a key can count: its own, a quarter more and three


def as_choice(words: list[str]) -> _Choice:
    text = " ".join(words)  # `_norm`: no \w character is white space, so text.split() == words
    return _Choice(text, words, set(words), len(text) + 1, len(words) + len(words) // 4 + 3)


class _Said(NamedTuple):
    """A normalised key, split once for every option it is compared with."""

    text: str
    words: list[str]
    ends: list[int]  # ends[j]: where its first j words end, each with the space after it


def as_said(text: str) -> _Said:
    words = text.split()
    return _Said(text, words, list(accumulate(map((1).__add__, map(len, words)), initial=0)))


# The words of an option aligned with a key: difflib's time grows with the cube of an option
# of few distinct words ("a b c a b c …": 2,000 of them took 6 s a comparison, and a key is
# compared with every option). A longer option is judged on its first 64 words.
_ALIGNED = 64


def similarity_of(option: _Choice, key: _Said) -> tuple[float, int]:
    """How well `key` starts with `option` (0..1), and where in `key` that match ends.

    difflib aligns their words; a word replaced by at most a few others counts the characters
    the two spellings share (a typo costs a letter, not a word). The score is difflib's ratio
    of the option and the key's prefix up to the end of an aligned run, at the best such end:
    a clause after the option does not count against it, a key that goes on inside a word
    ("Parisian" for "Paris") does. Words, not characters, keep this fast: a character-level
    match of 250-character options cost 3 ms each."""
    if not option.text:
        return 0.0, 0
    size = len(option.text)
    if key.text.startswith(option.text) and key.text[size : size + 1] in ("", " "):
        return 1.0, size
    if len(option.words) > _ALIGNED:
        option = as_choice(option.words[:_ALIGNED])
    words = option.words
    said = key.words[: option.reach]
    shared = len(option.distinct.intersection(said)) / len(option.distinct)
    if len(words) >= 6 and shared < 0.6:
        # Most words differ: no small difference; skip the alignment (most of the time spent)
        return shared / 2, 0
    ends, total = key.ends, option.length
    best, matched = (0.0, 0), 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, words, said, autojunk=False).get_opcodes():
        if tag == "equal":
            matched += ends[j2] - ends[j1]
        elif tag == "replace" and max(i2 - i1, j2 - j1) <= 3:
            a, b = " ".join(words[i1:i2]), " ".join(said[j1:j2])
            alike = sum(m.size for m in SequenceMatcher(None, a, b).get_matching_blocks())
            matched += alike + 1 if alike else 0  # and the space after, when the words are alike
        if tag != "delete":
            best = max(best, (2 * matched / (total + ends[j2]), ends[j2] - 1))
    return best


def _letters(indices: list[int]) -> str:
    return " and ".join(chr(ord("A") + i) for i in indices)


def quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return '"' + (text if len(text) <= limit else text[: limit - 1].rstrip() + "…") + '"'


def _candidates(ranked: list[tuple[float, int, int]], options: list[Option]) -> str:
    return "; ".join(
        f"{_letters([i])} {quote(options[i].text, 60)} ({score:.0%} alike, line "
        f"{options[i].line})" for score, _, i in ranked
    )
