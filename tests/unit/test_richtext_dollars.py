"""`$` as money or math (packager.richtext_dollars), and its validator warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from packager.richtext import MATH, render


@pytest.mark.parametrize(
    "text",
    [
        "The plan costs $5 and the upgrade $10.",
        "$5/$7 a seat",
        "From $5 to $10, then $20",
        "costs $5 and *more*",
        r"escaped \$x\$ stays text",
        # Code blocks hold code: a template literal's `${a} ${b}` (the sweep's JavaScript
        # quiz files) was warned about, with a hint that would have broken the code.
        "What does it print?\n\n```js\nconsole.log(`${a} ${b}`);\n```",
        "Indented:\n\n    echo \"$HOME $ PATH\"",
    ],
)
def test_dollars_stay_text_without_a_warning(text):
    rendered = render(text)
    assert rendered.flags & MATH == 0, rendered.xhtml
    assert "$" in rendered.xhtml and "<math" not in rendered.xhtml
    assert rendered.problems == () and rendered.warnings == ()


def test_the_currency_example_is_one_paragraph_of_text():
    assert render("The plan costs $5 and the upgrade $10.").xhtml == (
        "<p>The plan costs $5 and the upgrade $10.</p>"
    )


@pytest.mark.parametrize(
    "text",
    ["so $x^2 + 1$ holds", r"Round: $0.25 \times 53 = ?$", "$$x$$", "a $2x$ b",
     "between $5 and $10, i.e. $x$ each"],
)
def test_math_stays_math(text):
    rendered = render(text)
    assert rendered.flags & MATH, rendered.xhtml
    assert rendered.warnings == ()


@pytest.mark.parametrize(
    ("text", "shown", "why"),
    [
        ("so $ x $ holds", "'$ x $'", "cannot start or end with a space"),
        ("so $x $ holds", "'$x $'", "cannot start or end with a space"),
        ("$x$5 apples", "'$x$'", "followed by a digit does not close math"),
        ("a $5/x$7 b", "'$5/x$'", None),
    ],
)
def test_a_pair_breaking_one_rule_is_text_with_a_warning(text, shown, why):
    rendered = render(text)
    if why is None:  # breaks one rule but starts with a digit: money, no warning
        assert rendered.warnings == ()
        return
    assert "<math" not in rendered.xhtml
    ((code, warning),) = rendered.warnings
    assert code == "W-DOLLAR"
    assert warning.startswith(f"ambiguous $: {shown} shows as text") and why in warning


def test_unbalanced_braces_are_an_error_as_unreadable_math_was():
    # The engine shows such math as text; it is reported as latex2mathml reported it before.
    assert render(r"bad $\frac{1}{$ math").problems == (
        ("math", r"cannot read the math '\\frac{1}{': NoAvailableTokensError"),
    )


def test_unbalanced_braces_latex2mathml_reads_are_text_with_a_warning():
    rendered = render("so $a}$ and $$b}$$")
    assert rendered.problems == () and "<math" not in rendered.xhtml
    assert rendered.warnings == (
        ("W-DOLLAR", "ambiguous $: '$a}$' shows as text, not math: its { and } do not pair up"),
        ("W-DOLLAR", "ambiguous $: '$$b}$$' shows as text, not math: its { and } do not pair up"),
    )


def test_validate_reports_the_ambiguous_dollar_as_a_warning(tmp_path: Path):
    from packager.pipeline import check
    from packager.readers.base import Source

    bank = {
        "format": "packager.question-bank/1", "id": "d", "title": "D",
        "questions": [{
            "id": "q1", "type": "single_choice", "prompt": "Costs $ 5 $ or $5?",
            "choices": [{"id": "a", "text": "$x$5", "correct": True}, {"id": "b", "text": "No"}],
            "explanation": "Because.",
        }],
    }
    path = tmp_path / "d.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    loaded, diagnostics = check(Source.from_path(path))
    assert loaded is not None  # warnings only: the bank is valid
    found = [(d.code, d.severity.value, d.pointer) for d in diagnostics]
    assert found == [
        ("W-DOLLAR", "warning", "/questions/0/prompt"),
        ("W-DOLLAR", "warning", "/questions/0/choices/0/text"),
    ]
    assert all(d.line is not None and d.hint for d in diagnostics)


# --- dollars_as_text: one round settles the first offending `$` of every block -------------


def _one_per_round(markdown: str) -> tuple[str, frozenset[int]]:
    """The rule as first written: escape the first closing `$` followed by a digit in the
    whole text, parse again, until none is left (one parse per escaped `$`)."""
    import pyromark

    from packager.richtext_dollars import options

    data = markdown.encode()
    escaped: list[int] = []
    for _ in range(data.count(b"$")):
        at = None
        for event, span in pyromark.events_with_range(markdown, options=options()):
            if "InlineMath" in event and span["end"] < len(data) and data[span["end"]] in b"0123456789":
                at = span["end"] - 1
                break
        if at is None:
            break
        data = data[:at] + b"\\" + data[at:]
        markdown = data.decode()
        escaped = [e + 1 if e >= at else e for e in escaped]
        escaped.append(at + 1)
    return markdown, frozenset(escaped)


_PIECES = ["$", "$x$1", "$5/$7", "$a$", " ", "x", "2", "\n", "\n\n", "| a | $b$1 |\n|---|---|\n",
           "- $c$3\n", "> $d$4 ", "`$e$5`", "*$f$*6", "[$g$](u)7", "$$h$$8", "\\$", "# $i$9\n"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40))
@settings(max_examples=400, deadline=None)
def test_settling_every_block_at_once_escapes_what_one_per_round_did(pieces):
    from packager.richtext_dollars import MAX_ROUNDS, dollars_as_text

    text = "".join(pieces)
    expected = _one_per_round(text)
    markdown, ours, settled = dollars_as_text(text)
    if settled:
        assert (markdown, ours) == expected
    else:  # only a block needing more than MAX_ROUNDS escapes is left unsettled
        assert len(expected[1]) > MAX_ROUNDS


def test_many_paragraphs_take_one_parse_each_round(monkeypatch):
    import pyromark

    from packager import richtext_dollars

    calls = []
    real = pyromark.events_with_range
    monkeypatch.setattr(
        pyromark, "events_with_range", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    text = "\n\n".join(f"Paragraph {i}: $x$1 and $y$" for i in range(3000))
    markdown, ours, settled = richtext_dollars.dollars_as_text(text)
    assert settled and len(ours) == 3000 and len(calls) == 2  # one round and the check
    assert markdown.count("$x\\$1") == 3000


def test_a_paragraph_needing_too_many_rounds_is_an_error_not_minutes():
    from packager.richtext_dollars import MAX_ROUNDS, TOO_MANY_DOLLARS

    fine = render("Prices " + " ".join(["$x$1"] * MAX_ROUNDS))
    assert fine.problems == () and "<math" not in fine.xhtml
    assert render("$x$1 " * (MAX_ROUNDS + 1)).problems == (TOO_MANY_DOLLARS,)
    # 100,000 characters of it, the longest text a bank may hold: rounds are bounded.
    assert render("$x$1 " * 20_000).problems == (TOO_MANY_DOLLARS,)


def test_validate_says_how_to_write_the_dollars(tmp_path: Path):
    from packager.pipeline import check
    from packager.readers.base import Source

    bank = {
        "format": "packager.question-bank/1", "id": "d", "title": "D",
        "questions": [{"id": "q1", "type": "text", "prompt": "Prices: " + "$x$1 " * 40}],
    }
    path = tmp_path / "d.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    loaded, diagnostics = check(Source.from_path(path))
    assert loaded is None
    (error,) = [d for d in diagnostics if d.is_error]
    assert (error.code, error.pointer) == ("E-RICHTEXT", "/questions/0/prompt")
    assert "write each dollar sign as `\\$`" in error.message and "\\$" in error.hint


@pytest.mark.parametrize(("text", "finding"), [
    ("$${$", "cannot read the math '{'"), ("$$${$", "cannot read the math '{'"),
])
def test_dollar_signs_before_unbalanced_math_are_reported_too(text: str, finding: str) -> None:
    """Fuzz run 31: `${$` was an error but `$${$` (a dollar sign, then the same math) nothing,
    shown as text without a word to the author."""
    assert any(p.startswith(finding) for _, p in render(text).problems)


def test_dollar_signs_before_unpaired_braces_warn_too() -> None:
    assert any("do not pair up" in w.message for w in render("$${word$").warnings)


def test_a_lone_dollar_before_unpaired_braces_warns_when_the_engine_pairs_past_it() -> None:
    """Fuzz run 31: in `${word$word$` the engine refuses `${word$` (its braces) and makes math
    of the second and third `$`, leaving one `$` as text: no pair of text `$` showed the typo."""
    rendered = render("Let ${a$b$ be given.")
    assert rendered.warnings == (
        ("W-DOLLAR", "ambiguous $: '${a$' shows as text, not math: its { and } do not pair up"),
    )


@pytest.mark.parametrize("text", [
    "Use ${total} in the template.", "It costs $5 {approx}.", "Set ${a}$ and $b$",
    "x ${a\n\nb}$ y $c$", "a lone ${ at the end",
])
def test_a_lone_dollar_with_paired_or_no_braces_after_it_is_a_dollar_sign(text: str) -> None:
    assert render(text).warnings == ()


def test_the_lone_dollar_warning_quotes_a_long_text_shortened() -> None:
    """Review 32b: the warning quoted all of a 90,000-character would-be math."""
    ((_, warning),) = render("Let ${" + "a" * 5000 + "$b$ be.").warnings
    assert len(warning) < 120 and "…" in warning


def test_a_dollar_warning_keeps_its_code_whatever_the_text_it_quotes(tmp_path: Path) -> None:
    """The checks told a dropped title from a `$` warning by the words "is carried by no
    package" in the message: a `$` warning quoting them became W-TITLE, with the title's
    hint. Each warning now has the code it was made with."""
    from packager.pipeline import check
    from packager.readers.base import Source

    prompts = ["Try $ is carried by no package$ now.", 'See [docs](https://x.org "Docs").']
    bank = {
        "format": "packager.question-bank/1", "id": "d", "title": "D",
        "questions": [{"id": f"q{n}", "type": "essay", "prompt": prompt}
                      for n, prompt in enumerate(prompts)],
    }
    path = tmp_path / "d.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    _, diagnostics = check(Source.from_path(path))
    found = [d for d in diagnostics if d.code in ("W-DOLLAR", "W-TITLE")]
    assert [(d.code, d.message[:40]) for d in found] == [
        ("W-DOLLAR", "ambiguous $: '$ is carried by no package"),
        ("W-TITLE", "the link's title 'Docs' is carried by no"),
    ]
    assert "dollar sign" in (found[0].hint or "") and "alt text" in (found[1].hint or "")
