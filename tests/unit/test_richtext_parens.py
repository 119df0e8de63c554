"""`\\(…\\)` is math, as `$…$` is; where it is not a delimiter (code, an escaped backslash,
no partner in the block) it stays as written, and `\\[…\\]` stays an escaped bracket."""

from __future__ import annotations

import pytest

from packager.richtext import render
from packager.richtext_parens import parens_as_dollars

SAME_AS = [
    (r"a \(x^2\) b", "a $x^2$ b"),
    (r"a \( x^2 \) b", "a $x^2$ b"),
    (r"\(a*b*c\) and \(a_1 + b_1\)", "$a*b*c$ and $a_1 + b_1$"),
    (r"\(\frac{a}{b}\) and \(\sqrt{2}\)", r"$\frac{a}{b}$ and $\sqrt{2}$"),
    (r"**\(z^2\)** in bold", "**$z^2$** in bold"),
    ("| \\(x\\) | b |\n|---|---|\n| 1 | 2 |", "| $x$ | b |\n|---|---|\n| 1 | 2 |"),
    ("- \\(x\\)\n- \\(y\\)", "- $x$\n- $y$"),
]


@pytest.mark.parametrize(("brackets", "dollars"), SAME_AS)
def test_brackets_render_as_dollar_math(brackets: str, dollars: str) -> None:
    assert render(brackets) == render(dollars)
    assert "<math" in render(brackets).xhtml


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        (r"`\(c\)`", "<p><code>\\(c\\)</code></p>"),
        (r"\\(y\\)", "<p>\\(y\\)</p>"),  # escaped backslashes, not delimiters
        (r"open \( only", "<p>open ( only</p>"),
        ("para \\(x\n\ny\\)", "<p>para (x</p><p>y)</p>"),  # no partner in its paragraph
        (r"\(\)", "<p>()</p>"),  # nothing inside
        (r"\(a$b\)", "<p>(a$b)</p>"),  # a $ inside would end the math
        (r"\(x\]", "<p>(x]</p>"),  # not partners
        (r"See \[1\] and \[a\]", "<p>See [1] and [a]</p>"),  # brackets, as importers write
    ],
)
def test_what_is_not_a_pair_of_delimiters_stays_as_written(markdown: str, shown: str) -> None:
    assert render(markdown).xhtml == shown
    assert not render(markdown).problems


def test_a_digit_after_the_math_does_not_make_it_a_dollar_amount() -> None:
    rendered = render(r"\(x\)5 and \(y\)")
    assert rendered.xhtml.count("<math") == 2
    assert "$" not in rendered.xhtml and not rendered.warnings
    assert rendered.xhtml.startswith('<p><math xmlns="http://www.w3.org/1998/Math/MathML">')
    assert "</math>5 and <math" in rendered.xhtml
    assert "display" not in rendered.xhtml  # inline, as `\(…\)` is


def test_the_math_sanitiser_still_has_the_last_word() -> None:
    rendered = render(r"\(\text{<img src=x onerror=alert(1)>}\)")
    assert "<img" not in rendered.xhtml and "&lt;img" in rendered.xhtml
    assert render(r"\(\cssId{x}{y}\)").problems  # refused as it is between $ signs


def test_the_rewrite_keeps_everything_else_byte_for_byte() -> None:
    text = "Emoji 🎉 “quotes” \\(x\\) — and `\\(code\\)` \\\\(kept\\\\) \\[1\\]"
    assert parens_as_dollars(text) == "Emoji 🎉 “quotes” $x$ — and `\\(code\\)` \\\\(kept\\\\) \\[1\\]"
