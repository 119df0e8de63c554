"""Cross-field rules of a bank that JSON Schema cannot state.

Each rule yields a located `Problem`; the Bank validator raises on errors, and the canonical
reader turns problems into diagnostics with file and line. Foreign readers build Banks through
the same constructor, so every input path obeys these rules.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from packager.model.types import caseless, caseless_half

if TYPE_CHECKING:
    from packager.model.bank import Bank
    from packager.model.questions import MultipleResponse, Question, SingleChoice

BLANK_MARKER = re.compile(r"\[\[([a-z0-9][a-z0-9_-]*)\]\]")

@dataclass(frozen=True)
class Problem:
    pointer: str
    message: str
    code: str
    hint: str | None = None
    question_id: str | None = None
    is_error: bool = True


def _dupes(values: list[str]) -> list[str]:
    """The values found more than once, sorted."""
    if len(set(values)) == len(values):  # nearly always: no Counter (it runs per question)
        return []
    return sorted(v for v, n in Counter(values).items() if n > 1)


def _repeated_choices(q: SingleChoice | MultipleResponse, base: str, qid: str) -> list[Problem]:
    """Two choices a learner cannot tell apart (a copy-paste left unedited): same text once
    spaces and letter case are set aside. Worse when only one of them is correct."""
    # Most questions have none: their texts are told apart by caseless's lower-case half,
    # which two texts share whenever they share the whole, before the whole is made.
    halves = [caseless_half(" ".join(c.text.split())) for c in q.choices]
    if len(set(halves)) == len(halves):
        return []
    texts = [caseless(_spaced(c.text)) for c in q.choices]
    found = []
    for dup in _dupes(texts):
        same = [i for i, text in enumerate(texts) if text == dup]
        first, last = q.choices[same[0]], q.choices[same[-1]]
        keyed = " and only one of them is correct" if first.correct != last.correct else ""
        found.append(Problem(
            f"{base}/choices/{same[-1]}/text",
            f"choices '{first.id}' and '{last.id}' have the same text "
            f"'{_shown(first.text)}': learners cannot tell them apart{keyed}",
            "W-DUPLICATE-CHOICE",
            "reword one of them, or remove the repeat",
            qid,
            is_error=False,
        ))
    return found


def _spaced(text: str) -> str:
    """A text as it shows: runs of white space one space, none at the ends."""
    return " ".join(text.split())


def _shown(text: str, limit: int = 60) -> str:
    flat = _spaced(text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def bank_problems(bank: Bank) -> Iterator[Problem]:
    yield from _unique_ids(bank)
    for index, question in enumerate(bank.questions):
        yield from _question_problems(bank, index, question)
    yield from _section_problems(bank)
    yield from _repeated_stimuli(bank)
    yield from _deprecated_language(bank)


# The last bank whose rules were walked, and what they found: the walk of the model's
# validator, or the canonical reader's, is the one `import` checks the bank with (a second
# walk of a 10,000-question bank cost 0.17 s). One slot, held weakly: one bank at a time.
_last: tuple[weakref.ref[Bank], tuple[Problem, ...]] | None = None


def walked(bank: Bank) -> tuple[Problem, ...]:
    """Every problem of `bank_problems(bank)`, walked now and remembered for `problems_of`:
    the model's validator walks again after a field is assigned through validate_assignment,
    which changes the bank in place."""
    global _last
    found = tuple(bank_problems(bank))
    _last = (weakref.ref(bank), found)
    return found


def problems_of(bank: Bank) -> Sequence[Problem]:
    """Every problem of `bank_problems(bank)`, as last walked for this Bank object."""
    last = _last
    if last is not None and last[0]() is bank:
        return last[1]
    return walked(bank)


# The two-letter languages the IANA subtag registry deprecates, with their preferred values:
# screen readers and LMSes that pick a voice, a spell checker or a translation by the
# language know only the preferred one.
_DEPRECATED_LANGUAGES = {"in": "id", "iw": "he", "ji": "yi", "jw": "jv", "mo": "ro"}


def _deprecated_language(bank: Bank) -> Iterator[Problem]:
    primary, _, rest = bank.language.partition("-")
    preferred = _DEPRECATED_LANGUAGES.get(primary.lower())
    if preferred is not None:
        tag = preferred + (f"-{rest}" if rest else "")
        yield Problem("/language", f"the language '{bank.language}' is a deprecated code for "
                      f"'{tag}'", "W-LANGUAGE", f"write \"language\": \"{tag}\"",
                      is_error=False)


# Formats without shared stimuli (Moodle XML, GIFT, Blackboard upload text, the review page)
# write a stimulus into every question that uses it: a 300 KB bank of 2,000 questions sharing
# a stimulus of 99,000 characters wrote 200 MB of each, and 10,000 such questions (1.1 MB)
# would write a gigabyte. What a bank may have repeated so is bounded like a bank file
# (limits.MAX_BANK_BYTES, here in characters), far beyond a real bank's shared cases; the
# images such a stimulus shows are bounded where they are embedded (packages/moodle.py).
MAX_REPEATED_STIMULUS_CHARS = 256 * 2**20


def _repeated_stimuli(bank: Bank) -> Iterator[Problem]:
    uses = Counter(q.stimulus for q in bank.questions if q.stimulus is not None)
    sizes = {s.id: len(s.body) + len(s.title or "") for s in bank.stimuli}
    total = sum(sizes.get(sid, 0) * n for sid, n in uses.items())
    if total <= MAX_REPEATED_STIMULUS_CHARS:
        return
    index, largest = max(
        enumerate(bank.stimuli), key=lambda pair: sizes[pair[1].id] * uses.get(pair[1].id, 0)
    )
    yield Problem(
        f"/stimuli/{index}/body",
        f"the stimuli come to {total:,} characters once repeated in every question that uses "
        "them (formats without shared stimuli, such as Moodle XML and GIFT, write them so), "
        f"more than the {MAX_REPEATED_STIMULUS_CHARS:,} a bank may have; '{largest.id}' alone: "
        f"{sizes[largest.id]:,} characters in {uses[largest.id]:,} questions",
        "E-REPEATED-STIMULUS",
        "shorten the stimulus, or split the bank so that fewer questions share it",
    )


def _unique_ids(bank: Bank) -> Iterator[Problem]:
    dup_questions = set(_dupes([q.id for q in bank.questions]))
    seen: set[str] = set()
    for i, q in enumerate(bank.questions):
        if q.id in dup_questions:
            if q.id in seen:
                yield Problem(
                    f"/questions/{i}/id",
                    f"duplicate question id '{q.id}'",
                    "E-DUPLICATE-ID",
                    "give every question a unique id; exports derive their identifiers from it",
                    q.id,
                )
            seen.add(q.id)
    dup_stimuli = set(_dupes([s.id for s in bank.stimuli]))
    seen = set()
    for i, s in enumerate(bank.stimuli):
        if s.id in dup_stimuli and s.id in seen:
            yield Problem(
                f"/stimuli/{i}/id",
                f"duplicate stimulus id '{s.id}'",
                "E-DUPLICATE-ID",
                "give every stimulus a unique id",
            )
        seen.add(s.id)


def _question_problems(bank: Bank, index: int, q: Question) -> Iterator[Problem]:
    # Told apart by their `type`, not isinstance: this runs for every question of a bank, and
    # the classes would have to be imported here (questions.py imports this module).
    base = f"/questions/{index}"
    qid = q.id
    if q.stimulus is not None and q.stimulus not in bank.stimulus_by_id:
        known = ", ".join(sorted(bank.stimulus_by_id)) or "none defined"
        yield Problem(
            f"{base}/stimulus",
            f"stimulus '{q.stimulus}' does not exist",
            "E-UNKNOWN-STIMULUS",
            f"use the id of an entry in the bank's 'stimuli' (known: {known})",
            qid,
        )
    if q.type == "single_choice" or q.type == "multiple_response":
        choices = q.choices
        for dup in _dupes([c.id for c in choices]):
            last = max(i for i, c in enumerate(choices) if c.id == dup)
            yield Problem(
                f"{base}/choices/{last}/id",
                f"duplicate choice id '{dup}'",
                "E-DUPLICATE-ID",
                "give every choice of a question a unique id",
                qid,
            )
        yield from _repeated_choices(q, base, qid)
        n_correct = [c.correct for c in choices].count(True)
        if q.type == "single_choice" and n_correct != 1:
            yield Problem(
                f"{base}/choices",
                f"a single_choice question needs exactly one correct choice, found {n_correct}",
                "E-CORRECT-COUNT",
                'mark exactly one choice "correct": true, or use type multiple_response',
                qid,
            )
        if q.type == "multiple_response" and n_correct == 0:
            yield Problem(
                f"{base}/choices",
                "a multiple_response question needs at least one correct choice, found 0",
                "E-CORRECT-COUNT",
                'mark every right option with "correct": true',
                qid,
            )
    elif q.type == "numeric":
        from packager.model.questions import RangeAnswer

        answer = q.answer
        if isinstance(answer, RangeAnswer) and answer.min > answer.max:
            yield Problem(
                f"{base}/answer",
                f"numeric range is empty: min {answer.min:g} is greater than max "
                f"{answer.max:g}",
                "E-NUMERIC-RANGE",
                "swap min and max",
                qid,
            )
    elif q.type == "fill_in_blanks":
        markers = BLANK_MARKER.findall(q.prompt)
        if not markers and not q.blanks:
            yield Problem(
                f"{base}/prompt",
                "the prompt has no blank: a fill-in-the-blanks question needs one or more",
                "E-BLANKS",
                'mark each blank as [[b1]] in the prompt and list its answers in "blanks": '
                '{"b1": ["…"]}',
                qid,
            )
        for dup in _dupes(markers):
            yield Problem(
                f"{base}/prompt",
                f"blank [[{dup}]] appears more than once",
                "E-BLANKS",
                "use each blank id once in the prompt",
                qid,
            )
        for missing in sorted(set(markers) - set(q.blanks)):
            yield Problem(
                f"{base}/prompt",
                f"the prompt has a blank [[{missing}]] but 'blanks' has no answers for it",
                "E-BLANKS",
                f'add "{missing}": ["…"] to \'blanks\' or remove the marker',
                qid,
            )
        for unused in sorted(set(q.blanks) - set(markers)):
            yield Problem(
                f"{base}/blanks/{unused}",
                f"blank '{unused}' has answers but the prompt has no [[{unused}]] marker",
                "E-BLANKS",
                f"put [[{unused}]] where the blank goes in the prompt, or remove it from 'blanks'",
                qid,
            )
        for bid, answers in q.blanks.items():
            if not answers:
                yield Problem(
                    f"{base}/blanks/{bid}",
                    f"blank '{bid}' has no accepted answers",
                    "E-BLANKS",
                    "list at least one accepted answer",
                    qid,
                )
    elif q.type == "matching":
        # Texts that differ only in spaces look the same to learners (and to every LMS,
        # which trims them): a distractor like a match, or two prompts alike, leave the key
        # ambiguous.
        matches = {_spaced(p.match) for p in q.pairs}
        for i, d in enumerate(q.distractors):
            if _spaced(d) in matches:
                yield Problem(
                    f"{base}/distractors/{i}",
                    f"distractor '{_spaced(d)}' is also the match of a pair",
                    "E-MATCHING",
                    "a distractor must differ from every pair's match",
                    qid,
                )
        for dup in _dupes([_spaced(p.prompt) for p in q.pairs]):
            yield Problem(
                f"{base}/pairs",
                f"two pairs have the same prompt '{dup}'",
                "E-MATCHING",
                "every prompt must be distinct",
                qid,
            )
        # Pairs sharing a match share one option; written apart ('Mammal', 'Mammal '), the
        # QTI and Blackboard packages offer two options alike, each right for one pair.
        written: dict[str, str] = {}
        for i, pair in enumerate(q.pairs):
            first = written.setdefault(_spaced(pair.match), pair.match)
            if first != pair.match:
                yield Problem(
                    f"{base}/pairs/{i}/match",
                    f"the match {pair.match!r} differs from {first!r} of another pair only "
                    "in white space: learners would see two options alike",
                    "E-MATCHING",
                    "write a match shared by pairs the same in each (one option)",
                    qid,
                )
    elif q.type == "ordering":
        for dup in _dupes([_spaced(item) for item in q.items]):
            yield Problem(
                f"{base}/items",
                f"item '{dup}' appears twice, so the order is ambiguous",
                "E-ORDERING",
                "make every item distinct",
                qid,
            )
    elif q.type == "short_answer":
        keys = [
            a.text.strip() if a.case_sensitive else caseless(a.text.strip()) for a in q.answers
        ]
        for dup in _dupes(keys):
            yield Problem(
                f"{base}/answers",
                f"accepted answer '{q.answers[keys.index(dup)].text.strip()}' is listed twice",
                "W-DUPLICATE-ANSWER",
                "remove the repeated answer",
                qid,
                is_error=False,
            )
    if q.type != "text" and q.explanation is None:
        yield Problem(
            f"{base}",
            "scored question has no explanation",
            "W-NO-EXPLANATION",
            "add an 'explanation': learners see it after answering, whatever they answered",
            qid,
            is_error=False,
        )


def _section_problems(bank: Bank) -> Iterator[Problem]:
    if not bank.sections:
        return
    known = {q.id for q in bank.questions}
    placed: dict[str, str] = {}
    seen_sections: set[str] = set()
    for si, section in enumerate(bank.sections):
        base = f"/sections/{si}"
        if section.id in seen_sections:
            yield Problem(
                f"{base}/id",
                f"duplicate section id '{section.id}'",
                "E-DUPLICATE-ID",
                "give every section a unique id",
            )
        seen_sections.add(section.id)
        for qi, qid in enumerate(section.question_ids):
            if qid not in known:
                yield Problem(
                    f"{base}/question_ids/{qi}",
                    f"question '{qid}' does not exist",
                    "E-UNKNOWN-QUESTION",
                    "list ids of questions in this bank",
                    qid,
                )
            elif qid in placed:
                yield Problem(
                    f"{base}/question_ids/{qi}",
                    f"question '{qid}' is already in section '{placed[qid]}'",
                    "E-SECTION",
                    "put each question in at most one section",
                    qid,
                )
            else:
                placed[qid] = section.id
        if section.pick is not None and section.pick > len(section.question_ids):
            yield Problem(
                f"{base}/pick",
                f"pick {section.pick} is more than the section's {len(section.question_ids)} "
                "questions",
                "E-SECTION",
                "lower pick or add questions",
            )
    for qi, q in enumerate(bank.questions):
        if q.id not in placed:
            yield Problem(
                f"/questions/{qi}",
                f"question '{q.id}' is in no section",
                "E-SECTION",
                "when a bank has sections, list every question in one of them",
                q.id,
            )
