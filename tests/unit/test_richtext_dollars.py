"""`$` as money or math (packager.richtext_dollars), and its validator warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from packager.richtext import MATH, render


@pytest.mark.parametrize(
    "text",
    [
        "The plan costs $5 and the upgrade $10.",
        "$5/$7 a seat",
        "From $5 to $10, then $20",
        "costs $5 and *more*",
        r"escaped \$x\$ stays text",
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
    (warning,) = rendered.warnings
    assert warning.startswith(f"ambiguous $: {shown} shows as text") and why in warning


def test_unbalanced_braces_are_an_error_as_unreadable_math_was():
    # The engine shows such math as text; it is reported as latex2mathml reported it before.
    assert render(r"bad $\frac{1}{$ math").problems == (
        r"cannot read the math '\\frac{1}{': NoAvailableTokensError",
    )


def test_unbalanced_braces_latex2mathml_reads_are_text_with_a_warning():
    rendered = render("so $a}$ and $$b}$$")
    assert rendered.problems == () and "<math" not in rendered.xhtml
    assert rendered.warnings == (
        "ambiguous $: '$a}$' shows as text, not math: its { and } do not pair up",
        "ambiguous $: '$$b}$$' shows as text, not math: its { and } do not pair up",
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
