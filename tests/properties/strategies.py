"""Hypothesis strategies that build VALID canonical banks (packager.question-bank/1).

`bank_dicts()` draws JSON-ready dicts; `banks()` turns them into `packager.model.Bank` through
the model's own constructor, so every generated Bank has passed the pydantic invariants.

What a generated bank contains, on purpose:
- every question type, shared stimuli, inline scenarios, sections (with `pick`), per-choice
  feedback, pinned choices, partial scoring, exact and range numeric answers, units;
- Markdown rich text: emphasis, strong, inline code, code blocks, lists, tables, block quotes,
  headings, inline `$…$` and display `$$…$$` math, escaped Markdown characters;
- Unicode: curly quotes, dashes, emoji (BMP and astral), right-to-left words, accents
  (precomposed and combining), CJK, NBSP; XML-significant characters (`&`, `<`, `>`) in plain
  text and as harmless text in Markdown;
- nothing XML cannot carry, no raw HTML, no images or other media (so a bank needs no folder).

Banks stay small (1–8 questions) so export properties stay fast.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from packager.model import FORMAT_ID, Bank

__all__ = [
    "bank_dicts",
    "bank_json_bytes",
    "banks",
    "markdown_texts",
    "plain_texts",
    "question_dicts",
    "slugs",
]

MAX_QUESTIONS = 8

# -- words and plain text -------------------------------------------------------------------

_WORDS = (
    "coffee", "leads", "Quarter", "sales", "déjà", "vu", "José", "Núñez", "naïve", "Zoë",
    "cafe\u0301",  # combining acute accent
    "“curly”", "‘single’", "it’s", "—", "…", "☕", "🎉", "👩🏽‍💻", "שלום", "مرحبا", "日本語",
    "Ωmega", "½", "x²", "100%", "3.14", "R&D", "a < b", "b>a", "Q&A", "#1", "{braces}", "~tilde",
    "=equals", "colon:", "semi;", "\"double\"", "'single'", "back\\slash", "pipe|", "50\u00a0km",
)
_ALPHABET = st.characters(codec="utf-8", categories=("Lu", "Ll", "Lo", "Nd"))
_free_words = st.text(_ALPHABET, min_size=1, max_size=8)
_word = st.one_of(st.sampled_from(_WORDS), _free_words)


@st.composite
def plain_texts(draw: st.DrawFn, max_words: int = 6) -> str:
    """Plain text: never empty, never only white space, XML-safe, single line."""
    return " ".join(draw(st.lists(_word, min_size=1, max_size=max_words)))


# Words that are safe inside Markdown (no Markdown/HTML meaning, no '$').
_MD_WORDS = tuple(w for w in _WORDS if not set(w) & set("\\`*_[]<>&!#$|~{}"))
_md_free = st.text(st.characters(codec="utf-8", categories=("Lu", "Ll", "Lo")), min_size=1,
                   max_size=8)
_md_word = st.one_of(st.sampled_from(_MD_WORDS), _md_free)

_MATH = (
    "x^2", "a + b = c", r"\frac{1}{2}", r"\sqrt{x}", r"x_{i}", r"\alpha + \beta",
    r"0.25 \times 53", r"\sum_{i=1}^{n} i", r"e^{i\pi} + 1 = 0", r"\le 3",
)
_CODE_LINES = (
    "print('hi')", "x = [1, 2, 3]", "if a < b and b > c:", "    return a & b",
    "const s = \"<tag>\";", "# comment ☕", "for (i = 0; i < n; i++) {}",
)


@st.composite
def _inline(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(
        ["word", "word", "word", "word", "em", "strong", "code", "math", "escaped", "lt", "amp"]
    ))
    if kind == "em":
        return "*" + draw(_md_word) + "*"
    if kind == "strong":
        return "**" + draw(_md_word) + "**"
    if kind == "code":
        return "`" + draw(st.sampled_from(["a < b", "x && y", "<p>", "f(x)", "☕"])) + "`"
    if kind == "math":
        return "$" + draw(st.sampled_from(_MATH)) + "$"
    if kind == "escaped":
        return draw(st.sampled_from([r"\*not em\*", r"\_", r"\#", r"\$5"]))
    if kind == "lt":
        return "a < b"
    if kind == "amp":
        return "R & D"
    return draw(_md_word)


@st.composite
def _sentence(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(_inline(), min_size=1, max_size=6)))


@st.composite
def _block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(
        ["para", "para", "para", "ul", "ol", "code", "table", "display_math", "quote", "heading"]
    ))
    if kind == "ul":
        return "\n".join("- " + s for s in draw(st.lists(_sentence(), min_size=1, max_size=3)))
    if kind == "ol":
        items = draw(st.lists(_sentence(), min_size=1, max_size=3))
        return "\n".join(f"{i}. {s}" for i, s in enumerate(items, 1))
    if kind == "code":
        lines = draw(st.lists(st.sampled_from(_CODE_LINES), min_size=1, max_size=3))
        return "```python\n" + "\n".join(lines) + "\n```"
    if kind == "table":
        # No rows at all is a table too (the engine writes an empty <tbody> for it).
        rows = draw(st.lists(st.tuples(_md_word, _md_word), min_size=0, max_size=3))
        body = "\n".join(f"| {a} | {b} |" for a, b in rows)
        return "| Name | Value |\n|---|---:|" + ("\n" + body if body else "")
    if kind == "display_math":
        return "$$" + draw(st.sampled_from(_MATH)) + "$$"
    if kind == "quote":
        return "> " + draw(_sentence())
    if kind == "heading":
        return "### " + draw(_sentence())
    return draw(_sentence())


@st.composite
def markdown_texts(draw: st.DrawFn, max_blocks: int = 3) -> str:
    """Rich text: Markdown with no raw HTML and no images; renders without problems."""
    if draw(st.integers(0, 3)) == 0:
        return draw(plain_texts())  # plain rich text (the renderer's fast path, mostly)
    return "\n\n".join(draw(st.lists(_block(), min_size=1, max_size=max_blocks)))


slugs = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,15}", fullmatch=True)


def _renders_intact(name: str) -> bool:
    """A blank name whose marker Markdown leaves alone (`[[x-_y_]]` renders as emphasis, which
    the checker refuses: E-BLANKS)."""
    from packager.richtext import render

    return f"[[{name}]]" in render(f"a [[{name}]] b").xhtml


blank_names = slugs.filter(_renders_intact)


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value or None (None means: leave the optional field out)."""
    return st.none() | strategy


def _put(d: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        d[key] = value


# Numbers of hundredths, and whole numbers up to the model's bound (1e15): value ± tolerance
# then passes ±1e15 (bounds the QTI 1.2 and Blackboard readers read back), and 1e15 ± 3.67
# has bounds no double holds.
_numbers = (st.integers(-100_000, 100_000).map(lambda n: n / 100)
            | st.integers(-10**15, 10**15).map(float) | st.sampled_from([-1e15, 1e15]))
_tolerances = (st.integers(0, 500).map(lambda n: n / 100)
               | st.integers(0, 10**15).map(float) | st.just(1e15))
_points = st.sampled_from([0.5, 1, 2, 3, 2.5, 10])


# -- questions ------------------------------------------------------------------------------


@st.composite
def _distinct(draw: st.DrawFn, strategy: st.SearchStrategy[str], n_min: int, n_max: int,
              key: Any = None) -> list[str]:
    return draw(st.lists(strategy, min_size=n_min, max_size=n_max,
                         unique_by=key or (lambda s: s.strip())))


_FEEDBACK_WORDS = st.sampled_from(["correct", "general", "incorrect", "general_incorrect"])


@st.composite
def _choices(draw: st.DrawFn, *, single: bool) -> list[dict[str, Any]]:
    n = draw(st.integers(2, 6))
    # Ids that are also feedback names of QTI 1.2 (correct_fb, general_fb …) come up often.
    ids = draw(st.lists(_FEEDBACK_WORDS | slugs, min_size=n, max_size=n, unique=True))
    if single:
        correct = {draw(st.integers(0, n - 1))}
    else:
        correct = set(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True)))
    pin_last = draw(st.booleans()) and draw(st.booleans())
    choices = []
    for i, cid in enumerate(ids):
        c: dict[str, Any] = {"id": cid, "text": draw(markdown_texts(max_blocks=2))}
        if i in correct:
            c["correct"] = True
        elif draw(st.booleans()):
            c["correct"] = False
        _put(c, "feedback", draw(_opt(markdown_texts(max_blocks=1))))
        if pin_last and i == n - 1:
            c["pinned"] = True
        choices.append(c)
    return choices


@st.composite
def _type_fields(draw: st.DrawFn, qtype: str) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if qtype in ("single_choice", "multiple_response"):
        d["choices"] = draw(_choices(single=qtype == "single_choice"))
        _put(d, "shuffle", draw(_opt(st.booleans())))
        if qtype == "multiple_response":
            _put(d, "scoring", draw(_opt(st.sampled_from(["all_or_nothing", "partial"]))))
    elif qtype == "true_false":
        d["answer"] = draw(st.booleans())
        _put(d, "feedback_true", draw(_opt(markdown_texts(max_blocks=1))))
        _put(d, "feedback_false", draw(_opt(markdown_texts(max_blocks=1))))
    elif qtype == "short_answer":
        texts = draw(_distinct(plain_texts(max_words=3), 1, 3, key=lambda s: s.strip().casefold()))
        answers = []
        for text in texts:
            a: dict[str, Any] = {"text": text}
            _put(a, "case_sensitive", draw(_opt(st.booleans())))
            answers.append(a)
        d["answers"] = answers
    elif qtype == "numeric":
        if draw(st.booleans()):
            answer: dict[str, Any] = {"value": draw(_numbers)}
            _put(answer, "tolerance", draw(_opt(_tolerances)))
        else:
            low, high = sorted((draw(_numbers), draw(_numbers)))
            answer = {"min": low, "max": high}
        d["answer"] = answer
        _put(d, "unit", draw(_opt(st.sampled_from(["kg", "m/s²", "%", "€", "contracts"]))))
    elif qtype == "essay":
        _put(d, "sample_answer", draw(_opt(markdown_texts())))
        _put(d, "rubric", draw(_opt(markdown_texts())))
    elif qtype == "matching":
        n = draw(st.integers(2, 4))
        prompts = draw(_distinct(markdown_texts(max_blocks=1), n, n))
        n_distractors = draw(st.integers(0, 2))
        matches = draw(_distinct(plain_texts(max_words=3), n + n_distractors, n + n_distractors))
        d["pairs"] = [{"prompt": p, "match": m} for p, m in zip(prompts, matches[:n], strict=True)]
        if n_distractors or draw(st.booleans()):
            d["distractors"] = matches[n:]
    elif qtype == "ordering":
        d["items"] = draw(_distinct(markdown_texts(max_blocks=1), 2, 5))
    elif qtype == "fill_in_blanks":
        ids = draw(st.lists(blank_names, min_size=1, max_size=3, unique=True))
        pieces = [draw(_sentence()) for _ in range(len(ids) + 1)]
        prompt = pieces[0]
        for bid, piece in zip(ids, pieces[1:], strict=True):
            prompt += f" [[{bid}]] {piece}"
        d["prompt"] = prompt
        d["blanks"] = {
            bid: draw(_distinct(plain_texts(max_words=2), 1, 3, key=lambda s: s.strip().casefold()))
            for bid in ids
        }
        _put(d, "case_sensitive", draw(_opt(st.booleans())))
    return d


QUESTION_TYPES = (
    "single_choice", "multiple_response", "true_false", "short_answer", "numeric", "essay",
    "matching", "ordering", "fill_in_blanks", "text",
)


@st.composite
def question_dicts(
    draw: st.DrawFn, qid: str, stimulus_ids: tuple[str, ...] = (), qtype: str | None = None
) -> dict[str, Any]:
    """One valid question dict with the given id; `stimulus` (if any) names one of stimulus_ids."""
    qtype = qtype or draw(st.sampled_from(QUESTION_TYPES))
    q: dict[str, Any] = {"id": qid, "type": qtype}
    _put(q, "title", draw(_opt(plain_texts(max_words=4))))
    if stimulus_ids and draw(st.integers(0, 2)) > 0:
        q["stimulus"] = draw(st.sampled_from(stimulus_ids))
    _put(q, "scenario", draw(_opt(markdown_texts())))
    q["prompt"] = draw(markdown_texts())
    if draw(st.booleans()):
        q["tags"] = draw(st.lists(plain_texts(max_words=2), max_size=2))
    if draw(st.integers(0, 3)) == 0:
        q["objectives"] = draw(st.lists(plain_texts(), max_size=2))
    if qtype != "text":
        _put(q, "explanation", draw(st.one_of(markdown_texts(), markdown_texts(), st.none())))
        if draw(st.booleans()):
            fb: dict[str, Any] = {}
            _put(fb, "correct", draw(_opt(markdown_texts(max_blocks=1))))
            _put(fb, "incorrect", draw(_opt(markdown_texts(max_blocks=1))))
            q["feedback"] = fb
        _put(q, "points", draw(_opt(_points)))
    q.update(draw(_type_fields(qtype)))
    return q


# -- the bank -------------------------------------------------------------------------------


@st.composite
def _sections(draw: st.DrawFn, question_ids: list[str]) -> list[dict[str, Any]]:
    order = draw(st.permutations(question_ids))
    n_sections = draw(st.integers(1, min(3, len(order))))
    cuts = sorted(draw(st.lists(st.integers(1, len(order) - 1), min_size=n_sections - 1,
                                max_size=n_sections - 1, unique=True))) if n_sections > 1 else []
    bounds = [0, *cuts, len(order)]
    ids = draw(st.lists(slugs, min_size=n_sections, max_size=n_sections, unique=True))
    sections = []
    for sid, start, end in zip(ids, bounds, bounds[1:], strict=False):
        members = list(order[start:end])
        s: dict[str, Any] = {"id": sid, "title": draw(plain_texts(max_words=3)),
                             "question_ids": members}
        _put(s, "pick", draw(_opt(st.integers(1, len(members)))))
        sections.append(s)
    return sections


@st.composite
def bank_dicts(
    draw: st.DrawFn,
    min_questions: int = 1,
    max_questions: int = MAX_QUESTIONS,
    question_types: tuple[str, ...] = QUESTION_TYPES,
) -> dict[str, Any]:
    """A JSON-ready dict of a valid bank (optional fields are left out rather than null)."""
    bank: dict[str, Any] = {
        "format": FORMAT_ID,
        "id": draw(slugs),
        "title": draw(plain_texts()),
    }
    _put(bank, "description", draw(_opt(markdown_texts())))
    _put(bank, "language", draw(_opt(st.sampled_from(["en", "en-GB", "fr", "de-CH", "he", "ar",
                                                      "pt-BR", "zh-Hans"]))))
    _put(bank, "version", draw(_opt(st.sampled_from(["1.0.0", "0.1.0", "2.10.3", "1.0.0-rc.1",
                                                     "1.2.3+build.5"]))))
    if draw(st.booleans()):
        meta: dict[str, Any] = {}
        if draw(st.booleans()):
            meta["authors"] = draw(st.lists(plain_texts(max_words=3), max_size=2))
        _put(meta, "license", draw(_opt(st.sampled_from(["CC-BY-4.0", "MIT", "© José"]))))
        if draw(st.booleans()):
            meta["tags"] = draw(st.lists(plain_texts(max_words=2), max_size=3))
        if draw(st.booleans()):
            meta["objectives"] = draw(st.lists(plain_texts(), max_size=2))
        bank["metadata"] = meta
    if draw(st.booleans()):
        settings: dict[str, Any] = {}
        _put(settings, "shuffle_choices", draw(_opt(st.booleans())))
        _put(settings, "passing_score", draw(_opt(st.sampled_from([0, 0.5, 0.6, 0.75, 1]))))
        _put(settings, "default_points", draw(_opt(_points)))
        _put(settings, "show_feedback",
             draw(_opt(st.sampled_from(["immediately", "on_submit", "never"]))))
        bank["settings"] = settings
    stimulus_ids = draw(st.lists(slugs, max_size=2, unique=True))
    if stimulus_ids or draw(st.booleans()):
        stimuli = []
        for sid in stimulus_ids:
            s: dict[str, Any] = {"id": sid}
            _put(s, "title", draw(_opt(plain_texts(max_words=4))))
            s["body"] = draw(markdown_texts())
            stimuli.append(s)
        bank["stimuli"] = stimuli
    question_ids = draw(st.lists(slugs, min_size=min_questions, max_size=max_questions,
                                 unique=True))
    bank["questions"] = [
        draw(question_dicts(qid, tuple(stimulus_ids), draw(st.sampled_from(question_types))))
        for qid in question_ids
    ]
    if draw(st.booleans()):
        bank["sections"] = draw(_sections(question_ids))
    return bank


def banks(**kwargs: Any) -> st.SearchStrategy[Bank]:
    """Valid `Bank`s, built through `Bank.model_validate` (all invariants enforced)."""
    return bank_dicts(**kwargs).map(Bank.model_validate)


def bank_json_bytes(bank_dict: dict[str, Any]) -> bytes:
    """The canonical JSON bytes of a bank dict, as an author would save it."""
    return (json.dumps(bank_dict, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
