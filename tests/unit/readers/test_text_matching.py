"""The text reader's fast key matching makes the decisions of the plain one it replaced.

The reference below is the matching as first written (difflib, the whole key normalised, each
option split per comparison). The reader now normalises only the key's head, splits once,
and uses cydifflib when installed; these properties hold that to the same option, the same
scores and the same error, on the fixtures and on generated restatements.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from packager.readers import (
    text,
    text_answer_key,
    text_chunks,
    text_grammar,
    text_key,
    text_markup,
    text_options,
    text_question,
)
from packager.readers.base import Source
from packager.writers.canonical import write

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "inputs" / "text"
SEED = Path(__file__).resolve().parents[4] / "shared" / "seeds" / "000_20f52c0d510a6e29.txt"


def _reference_similarity(option: text_key._Choice, key: text_key._Said) -> tuple[float, int]:
    """`_similarity` as first written, on the texts alone, with difflib."""
    opt, said_text = option.text, key.text
    if not opt:
        return 0.0, 0
    if said_text.startswith(opt) and said_text[len(opt) : len(opt) + 1] in ("", " "):
        return 1.0, len(opt)
    words, said = opt.split(), said_text.split()
    said = said[: len(words) + len(words) // 4 + 3]
    shared = len(set(words).intersection(said)) / len(set(words))
    if len(words) >= 6 and shared < 0.6:
        return shared / 2, 0
    ends = [0]
    for word in said:
        ends.append(ends[-1] + len(word) + 1)
    total = sum(len(w) + 1 for w in words)
    best, matched = (0.0, 0), 0
    blocks = difflib.SequenceMatcher(None, words, said, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in blocks:
        if tag == "equal":
            matched += ends[j2] - ends[j1]
        elif tag == "replace" and max(i2 - i1, j2 - j1) <= 3:
            a, b = " ".join(words[i1:i2]), " ".join(said[j1:j2])
            alike = sum(m.size for m in difflib.SequenceMatcher(None, a, b).get_matching_blocks())
            matched += alike + 1 if alike else 0
        if tag != "delete":
            best = max(best, (2 * matched / (total + ends[j2]), ends[j2] - 1))
    return best


def _reference_norm(value: str) -> str:
    value = re.sub(r"['‘’‛`´]", "", unicodedata.normalize("NFKC", value).casefold())
    return " ".join(re.findall(r"\w+", value))


def _reference_slug(value: str, words: int) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower().replace("'", ""))[:words])[:48].strip("-")


@pytest.fixture
def reference(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Switches the reader to the reference matching (whole key, difflib) when called."""

    def switch() -> None:
        for module in (text_question, text_key):  # the reader imports them by name too
            monkeypatch.setattr(module, "similarity_of", _reference_similarity)
            monkeypatch.setattr(module, "norm_head", lambda value, count: _reference_norm(value))

    return switch


def _decision(key: str, options: list[str], plural: bool = False) -> object:
    opts = [text_key.Option(i + 2, o, None, False, False) for i, o in enumerate(options)]
    try:
        return text_key._match_text(text_key.Key(1, key, plural, key), opts)
    except text_key.TextError as exc:
        return exc.message


def _outcome(data: bytes, name: str) -> object:
    result = text.read_result(Source(name, data, CASES))
    if result.bank is None:
        return [(d.line, d.message) for d in result.diagnostics]
    return write(result.bank)


@pytest.mark.parametrize("path", [*sorted(CASES.glob("*.txt")), SEED], ids=lambda p: p.stem)
def test_every_fixture_reads_as_with_the_reference(
    path: Path, reference: Callable[[], None]
) -> None:
    data = path.read_bytes()
    fast = _outcome(data, path.name)
    reference()
    assert _outcome(data, path.name) == fast


WORDS = ["the", "team", "goal", "your", "you're", "company’s", "leads", "sales", "it’s", "isn't",
         "scale", "revenue", "Paris", "Parisian", "and", "café", "naïve", "“quoted”", "a", "b",
         "RevOps", "data", "ﬁnal", "Ｆull", "e\u0301t\u00e9", "—", "🙂", "3.5", "x-y"]
_phrase = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)


@st.composite
def _restatement(draw: st.DrawFn) -> tuple[str, list[str], bool]:
    options = draw(st.lists(_phrase, min_size=2, max_size=5))
    kind = draw(st.sampled_from(["exact", "typo", "drop", "clause", "prefix", "other", "plural"]))
    target = draw(st.sampled_from(options))
    words = target.split()
    if kind == "typo" and words:
        at = draw(st.integers(0, len(words) - 1))
        words[at] = words[at][:-1] or "z"
    elif kind == "drop" and len(words) > 1:
        del words[draw(st.integers(0, len(words) - 1))]
    elif kind == "prefix":
        words = words[: max(1, len(words) // 2)]
    elif kind == "other":
        words = draw(_phrase).split()
    elif kind == "plural":
        words = [*words, "and", *draw(st.sampled_from(options)).split()]
    tail = draw(st.sampled_from(["", ".", ", because it is right.", " — the rest of it", "!"]))
    quoted = draw(st.sampled_from(["{}", "“{}”", "'{}'"])).format(" ".join(words))
    return quoted + tail + " " + draw(_phrase), options, kind == "plural"


@given(_restatement())
@settings(max_examples=400, deadline=None)
def test_generated_restatements_choose_as_the_reference(
    case: tuple[str, list[str], bool],
) -> None:
    key, options, plural = case
    fast = _decision(key, options, plural)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text_key, "similarity_of", _reference_similarity)
        patch.setattr(text_key, "norm_head", lambda value, count: _reference_norm(value))
        assert _decision(key, options, plural) == fast


# Long enough to be cut (a head is cut ~8 characters a word on), with what normalisation
# changes: composing and combining marks, ligatures, fractions, no-break space, apostrophes.
_text = st.lists(
    st.sampled_from([*"ab’'` -.,\u00a0\u0301\u0308ﬁ½ÉßİΣ①\t\n", "e\u0301", "word ", "x"]),
    max_size=300,
).map("".join)


@given(_text, st.integers(0, 12))
@settings(max_examples=500, deadline=None)
def test_the_head_of_a_text_is_the_start_of_its_normal_form(value: str, count: int) -> None:
    assert text_key.norm_head(value, count) == " ".join(_reference_norm(value).split()[:count])
    assert text_key._norm(value) == _reference_norm(value)


@given(_text, st.sampled_from([4, 6]))
@settings(max_examples=300, deadline=None)
def test_slugs_are_the_reference_slugs(value: str, words: int) -> None:
    assert text._slug(value * 5, words) == _reference_slug(value * 5, words)


@given(st.lists(st.sampled_from(WORDS), max_size=30), st.lists(st.sampled_from(WORDS), max_size=30))
@settings(max_examples=300, deadline=None)
def test_the_sequence_matcher_aligns_as_difflib(a: list[str], b: list[str]) -> None:
    fast = text_key.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert [tuple(op) for op in fast] == difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    x, y = " ".join(a[:3]), " ".join(b[:3])
    assert [tuple(m) for m in text_key.SequenceMatcher(None, x, y).get_matching_blocks()] == [
        tuple(m) for m in difflib.SequenceMatcher(None, x, y).get_matching_blocks()
    ]


def test_without_cydifflib_the_reader_uses_difflib_and_decides_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where cydifflib has no wheel it is not installed (pyproject.toml): the reader imported
    then matches with difflib, and every fixture reads to the same bank or errors."""
    import importlib.util
    import sys

    monkeypatch.setitem(sys.modules, "cydifflib", None)  # its import raises ImportError
    # The matching module loaded again, under its own name (the reader's modules import it
    # from there; its dataclasses look it up there), those modules over it, then the reader.
    loaded = []
    for name, path in (("packager.readers.text_key", text_key.__file__),
                       ("packager.readers.text_grammar", text_grammar.__file__),
                       ("packager.readers.text_chunks", text_chunks.__file__),
                       ("packager.readers.text_answer_key", text_answer_key.__file__),
                       ("packager.readers.text_markup", text_markup.__file__),
                       ("packager.readers.text_options", text_options.__file__),
                       ("packager.readers.text_question", text_question.__file__),
                       ("_text_without_cydifflib", text.__file__)):
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, name, module)
        spec.loader.exec_module(module)
        loaded.append(module)
    plain_key, *_, plain_question, plain = loaded
    assert plain.question_of is plain_question.question_of
    assert plain_question.similarity_of is plain_key.similarity_of
    assert plain_key.SequenceMatcher is difflib.SequenceMatcher
    assert text_key.SequenceMatcher is not difflib.SequenceMatcher  # cydifflib, here
    for path in [*sorted(CASES.glob("*.txt")), SEED]:
        result = plain.read_result(Source(path.name, path.read_bytes(), CASES))
        outcome = ([(d.line, d.message) for d in result.diagnostics] if result.bank is None
                   else write(result.bank))
        assert outcome == _outcome(path.read_bytes(), path.name), path.name


def _label_alone_by_patterns(line: str) -> bool:
    """`text_chunks._label_alone` by its patterns alone, without its look at the line's end."""
    from packager.readers.text_grammar import EXPLANATION, KEY_LINE

    label = EXPLANATION.match(line)
    if label is not None:
        return not line[label.end():].strip(" \t*_")
    key = KEY_LINE.match(line)
    return key is not None and not key["key"].strip(" \t*_")


_LABEL_PIECES = ["Answer", "ANS", "anſ", "Ans", "answer", "Correct answer", "Explanation",
                 "Rationale", "Key", "Respuesta", "答案", "解析", "Distractor analysis", "### ",
                 "- ", "✅ ", "**", "__", "*", "_", ":", "：", " - ", "–", "—", "-", ".", " ",
                 "\t", "\xa0", "\u2003", "B", "(b)", "word", "1"]


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.sampled_from(_LABEL_PIECES), max_size=8).map("".join))
def test_label_alone_looks_at_the_end_as_its_patterns_read_it(line: str) -> None:
    from packager.readers.text_key import Line

    assert text_chunks._label_alone(Line(1, line)) == _label_alone_by_patterns(line)


def test_labels_alone() -> None:
    from packager.readers.text_key import Line

    for alone in ("**Explanation:**", "Answer:", "Ans. ", "**Answer** — ", "答案：", "Key: *_ "):
        assert text_chunks._label_alone(Line(1, alone)), alone
    for said in ("Answer: B", "Explanation: it is.", "Answer. B", "Value status trust."):
        assert not text_chunks._label_alone(Line(1, said)), said
