"""Whether a Moodle question's name only repeats its prompt: the shortcut for paragraphs of
literal text agrees with the rendered plain text on every prompt."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from packager.model import BLANK_MARKER
from packager.readers.moodle import _LITERAL_PARAGRAPH, _derived, derived_name
from packager.richtext_plain import plain_text

_PIECES = [
    "word", "Zoë", "📈", "“quoted”", "?", ".", ",", ":", "(x)", "%", "'", '"', "@", "/", " ",
    "  ", "\u2003", "\xa0", "\t", "\n", "-", "+", "=", ">", "1", "1.", "#", "*", "_", "$", "&",
    "[", "]", "<b>", "\\", "`", "~", "|", "!",
]
_blocks = st.lists(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join), min_size=1,
                   max_size=4)


def _reference(name: str, prompt: str) -> bool:
    """The test by rendering each candidate, as it was before the shortcut."""
    if name.removesuffix("…") not in BLANK_MARKER.sub("____", plain_text(prompt)):
        return False
    blocks = prompt.split("\n\n")
    return any(name == derived_name("\n\n".join(blocks[i:])) for i in range(len(blocks)))


@settings(max_examples=1500, deadline=None)
@given(_blocks, st.integers(0, 4), st.sampled_from(["", "…", "x"]))
@example(["\u2003- word", "word"], 0, "")  # Unicode space before a list marker
def test_the_shortcut_decides_as_the_rendered_text(blocks: list[str], at: int, end: str) -> None:
    prompt = "\n\n".join(blocks)
    for name in {
        derived_name("\n\n".join(blocks[min(at, len(blocks) - 1):])) + end,
        derived_name(prompt),
        blocks[-1].strip(),
    }:
        assert _derived(name, prompt) == _reference(name, prompt), (name, prompt)


def test_long_literal_prompts_take_the_shortcut() -> None:
    scenario = "A team “plans” its quarter; the café is busy — 📈 growth. " * 4
    question = "What should the lead do first?"
    prompt = f"{scenario}\n\n{question}"
    assert all(_LITERAL_PARAGRAPH.fullmatch(b) for b in prompt.split("\n\n"))
    assert _derived(question, prompt)
    assert _derived(derived_name(prompt), prompt)
    assert not _derived("What should the lead do", prompt)
    assert _derived(question, prompt) == _reference(question, prompt)


def test_a_long_scenario_of_markup_still_finds_the_name_of_the_prompt_after_it() -> None:
    """Review 34: the rest of the text is rendered from the first and last paragraphs only,
    each to its first 2,000 characters (from every paragraph, a prompt of 4,000 took 112 s)."""
    scenario = "\n\n".join(f"Step *{k}* of the plan." for k in range(40))
    question = "Which **step** comes first?"
    prompt = f"{scenario}\n\n{question}"
    assert _derived(derived_name(question), prompt)
    assert _derived(derived_name(prompt), prompt)
    assert not _derived("Step 7 of the plan.", prompt)
