"""The plain-text layout as people type it, every style mixed: generated questions written in
each way the reader accepts (labels plain, emphasised or dashed; options bulleted, lettered or
both, or as a task list; keys by letter, emphasised or restated, several listed, a marked option,
ticked boxes or a tick after the key (`(correct)`, `✓`); labels and numbers as headings;
LF or CRLF; UTF-8, with a BOM, or UTF-16) read back to the same options, key, type, prompt and
explanation. Texts hold Markdown as real banks do (emphasis, code, math, links), and in a file
ruled with `---` the scenario and explanation run to several paragraphs, a list among them. The styles meet in one file, so a rule for one (a bullet before a letter, an
emphasised label) cannot quietly break another."""

from __future__ import annotations

import codecs
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from packager.readers import text
from packager.readers.base import Source

# No label words, and no word of one letter: an option never reads as a marker or a key.
WORDS = ["team", "budget", "review", "customer", "order", "status", "refund", "call", "goal",
         "café", "naïve", "“quoted”", "sales", "leads", "plan", "ship", "📈", "José", "report",
         "check", "delay", "risk", "scope", "vendor",
         # Markdown as real banks have it inside their texts: emphasis, code, math, a link.
         "*carefully*", "`pipeline`", "$x^2$", "[guide](https://example.com/guide)"]
_words = st.lists(st.sampled_from(WORDS), min_size=2, max_size=6).map(" ".join)
# A sentence starts with a word of letters, capitalised, as sentences are (the reader tells
# the prompt, a question, from the scenario before it by where a sentence starts).
_sentence = st.tuples(st.sampled_from([w for w in WORDS if w[0].isalpha()]), _words).map(
    lambda t: f"{t[0].capitalize()} {t[1]}")
OPTION_STYLES = ["- ", "* ", "• ", "{L}) ", "{l}. ", "({l}) ", "- {L}) ", "- ({l}) ", "- {L}. ",
                 "- {L}: "]
GAPS = [" ", "\t", "\u00a0"]
KEY_LABELS = ["Answer:", "Correct answer:", "**Answer:**", "*Answer*:", "Answer –", "ANSWER:",
              "__Correct answer__:", "#### Answer:"]
KEY_FORMS = ["{L}", "({l})", "{l})", "**{L}**", "{text}"]
EXPLANATION_LABELS = ["Explanation:", "**Explanation:**", "Rationale –", "*Explanation*:", "Feedback:",
                      "General feedback -", "###### Explanation:"]
TICKS = [" (correct)", " [Correct]", " (correct answer)", " ✓", "✔", " ✅"]
STARTS = ["", "{n}. ", "Situation: ", "### Question {n}\n", "**Scenario:** ", "Question {n}: ", "Q{n}: ",
          "### {n}. ", "**Q{n}.** "]


def _paragraphs(draw: st.DrawFn, most: int) -> str:
    """One sentence or several paragraphs, one of them perhaps a list."""
    paragraphs = [draw(_sentence) + "." for _ in range(draw(st.integers(1, most)))]
    if most > 1 and draw(st.booleans()):
        paragraphs.insert(1, "\n".join(f"- {draw(_words)}" for _ in range(draw(st.integers(2, 3)))))
    return "\n\n".join(paragraphs)


@st.composite
def _question(draw: st.DrawFn, number: int, ruled: bool) -> tuple[str, dict[str, object]]:
    """A question; with `ruled` (questions between `---` lines) its scenario and explanation
    may run to several paragraphs and hold a list, as the layout allows only then."""
    count = draw(st.integers(2, 5))
    size = draw(st.integers(1, 4))
    # No word in two options: a key restating one is never about as close to another (which
    # the reader refuses, never guessing; fixtures error-prefix-options and near-identical).
    shuffled = draw(st.permutations(WORDS))
    options = [" ".join(shuffled[i * size:(i + 1) * size]) for i in range(count)]
    options = [o[0].upper() + o[1:] for o in options]
    how = draw(st.sampled_from(["line", "line", "mark", "boxes", "several", "tick", "tasks"]))
    if how == "several":  # "Answers: A, C": a multiple_response
        keys = sorted(draw(st.sets(st.integers(0, count - 1), min_size=2, max_size=count)))
    elif how == "tasks":  # a Markdown task list, ticked where right
        keys = sorted(draw(st.sets(st.integers(0, count - 1), min_size=1, max_size=count)))
    else:
        keys = [draw(st.integers(0, count - 1))]
    most = 3 if ruled else 1
    scenario = _paragraphs(draw, most - 1 or 1) if draw(st.booleans()) else None
    prompt = draw(_sentence) + "?"
    explanation = _paragraphs(draw, most) if draw(st.booleans()) else None
    style = draw(st.sampled_from(OPTION_STYLES))
    gap = draw(st.sampled_from(GAPS))
    start = draw(st.sampled_from(STARTS)).format(n=number)
    # A scenario of paragraphs has its prompt as a paragraph of its own, after it.
    joint = "\n\n" if scenario and "\n" in scenario else " "
    lines = [start + (f"{scenario}{joint}{prompt}" if scenario else prompt)]
    for index, option in enumerate(options):
        letter = chr(ord("a") + index)
        if how == "mark":  # text2qti's `*b)` before the key
            marker = f"*{letter})" if index in keys else f"{letter})"
        elif how == "boxes":  # a ticked box is the key, and makes a multiple_response
            marker = "[x]" if index in keys else "[ ]"
        elif how == "tasks":
            marker = draw(st.sampled_from(["- [x]", "* [X]"])) if index in keys else "- [ ]"
        else:
            marker = style.format(L=letter.upper(), l=letter).rstrip(" ")
        tick = draw(st.sampled_from(TICKS)) if how == "tick" and index in keys else ""
        lines.append(f"{marker}{gap}{option}{tick}")
    if how == "several":
        letters = [chr(ord("A") + k) for k in keys]
        listed = ", ".join(letters[:-1]) + draw(st.sampled_from([", ", " and ", ", and "]))
        label = draw(st.sampled_from(["Answers:", "Correct answers:", "**Answers:**"]))
        lines.append(f"{label} {listed}{letters[-1]}")
    elif how == "line":
        form = draw(st.sampled_from(KEY_FORMS))
        key = keys[0]
        said = form.format(L=chr(ord("A") + key), l=chr(ord("a") + key), text=options[key])
        lines.append(f"{draw(st.sampled_from(KEY_LABELS))} {said}")
    if explanation is not None:
        lines.append(f"{draw(st.sampled_from(EXPLANATION_LABELS))} {explanation}")
    several = how in ("several", "boxes") or (how == "tasks" and len(keys) > 1)
    kind = "multiple_response" if several else "single_choice"
    want = {"options": options, "keys": keys, "type": kind, "prompt": prompt,
            "scenario": scenario, "explanation": explanation}
    return "\n".join(lines), want


@st.composite
def _bank(draw: st.DrawFn) -> tuple[str, list[dict[str, object]]]:
    count = draw(st.integers(1, 4))
    ruled = draw(st.booleans())
    drawn = [draw(_question(n, ruled)) for n in range(1, count + 1)]
    separator = "\n\n---\n\n" if ruled else "\n\n"
    # A ruled file ends with its rule too: one question alone is then still ruled.
    end = "\n\n---\n" if ruled else "\n"
    return separator.join(t for t, _ in drawn) + end, [w for _, w in drawn]


@given(_bank(), st.sampled_from(["\n", "\r\n"]), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_every_style_reads_back_as_written(
    bank: tuple[str, list[dict[str, object]]], newline: str, encoding: str
) -> None:
    source_text, wanted = bank
    data = source_text.replace("\n", newline).encode(encoding)
    assert encoding != "utf-16" or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    read = text.read(Source("styles.txt", data, Path())).bank
    assert len(read.questions) == len(wanted), source_text
    for question, want in zip(read.questions, wanted, strict=True):
        assert [c.text for c in question.choices] == want["options"], source_text
        assert [c.correct for c in question.choices] == [
            i in want["keys"] for i in range(len(question.choices))], source_text  # type: ignore[operator]
        assert question.type == want["type"], source_text
        assert question.prompt == want["prompt"], source_text
        assert question.scenario == want["scenario"], source_text
        assert question.explanation == want["explanation"], source_text
