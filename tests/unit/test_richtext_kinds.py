"""A rich-text problem's kind, set where the problem is found, chooses its hint: the words of
its message, which quote the author's addresses, class names, attributes and formulas, do not.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from packager.checks import RICHTEXT_HINTS, scan_bank
from packager.model import Bank
from packager.richtext import UNREAD_LINK, render
from packager.richtext_refused import RefusedKind

_LATEX = "write LaTeX between $"
_REMOVE = "remove it: packages must not carry scripts"

# A text, the start of its problem's message, and the start of the hint it must get. The
# checks chose the hint by words of the message, which gave the one in the comment.
CASES = [
    ('Solve <span class="math">x + 1 = 2</span>.', "class 'math' on <span>",
     "remove the class attribute"),  # LaTeX
    ("Read [the notes](math-notes.pdf) first.", "link to the file 'math-notes.pdf'",
     "link to the page's web address"),  # LaTeX
    ("Look: ![graph](https://example.org/math/graph.png)", "image 'https://example.org/math/",
     "copy the image into the bank's folder"),  # LaTeX
    ("See [the page](//example.org/images/tour).", "link '//example.org/images/tour' has no",
     "write the address with its scheme"),  # the image's
    ("See [the chart](http:///image.png).", "link 'http:///image.png' has no host",
     "write the address with its scheme"),  # the image's
    ('Read <b mathvariant="bold">this</b>.', "attribute mathvariant= on <b>",
     "remove the attribute"),  # LaTeX
    ('Is <math foo="1"><mi>a</mi></math> a letter?', "attribute foo= on <math>",
     "remove the attribute"),  # LaTeX (as <mi foo="1"> had this one)
    ('Click <a href="javascript:open_image()">here</a>.', "unsafe URL 'javascript:open_image()'",
     _REMOVE),  # the image's
    ('Look: <image src="a.png">', "raw HTML element <image>", _REMOVE),  # the image's
    (r"Solve $\text{further than packages allow} \foo$.", "the math '\\\\text{further",
     _LATEX),  # the one for math moved out of its place
    # MathML an import kept has the hint every problem of math from LaTeX has
    ("Is <math><mfrac><mi>a</mi></mfrac></math> a fraction?", "the MathML has <mfrac>",
     _LATEX),  # "remove it: … scripts …"
    ('Is <math><mi mathsize="loud">a</mi></math> a letter?', "the MathML sets mathsize=",
     _LATEX),  # LaTeX, for the "math" of mathsize=
    # A command that sets what packages do not carry on math says which and why: it had the
    # hint to write LaTeX between $…$, which it was (review40)
    (r"Follow $\href{https://example.org}{y}$.", "the math '\\\\href{https://example.org}{y}' "
     "sets the attribute href= on <mrow> (written with \\href)",
     "leave \\href out of the math"),
    (r"See $\style{color:red}{x}$.", "the math '\\\\style{color:red}{x}' sets the attribute "
     "style= on <mrow> (written with \\style)", "leave the command out and keep what it wraps"),
    (r"See $\class{big}{x}$.", "the math '\\\\class{big}{x}' sets the attribute class=",
     "leave the command out and keep what it wraps"),
    # Raw MathML names no LaTeX command: its class= was refused twice, the second time as
    # "written with \class" with the hint to leave the command out; and a colour as
    # "written with \color"
    ('See <math class="big"><mi>x</mi></math>.', "attribute class= on <math> is not allowed",
     "remove the attribute"),
    ('See <math><mi mathcolor="zz">x</mi></math>.',
     "the MathML sets mathcolor='zz' on <mi>, which is not a valid value", _LATEX),
    # Kinds that had the hint about scripts, though none is about scripts
    ("A&#1;B", "the character reference &#1;", "delete it (often an invisible control"),
    ("<ul>text<li>a</li></ul>", "text cannot stand directly inside <ul>", "put text inside <p>"),
    ("<a>here</a> now", "link <a> has no href", "give the <a> an href"),
    ('<table><tr><th scope="up">a</th></tr></table>', "scope='up' on <th>", "write scope="),
    ("|" + "h|" * 300 + "\n|" + "-|" * 300 + "\n" + "|x\n" * 300, "renders to ",
     "give each row of the table as many cells"),
    # Problems of LaTeX math that no rewriting in LaTeX mends: its depth, a bad character
    ("$" + "\\sqrt{" * 130 + "x" + "}" * 130 + "$", "the math '\\\\sqrt{",
     "nest fewer lists, quotes or elements"),  # LaTeX
    (r"Write $\text{&#1;}$.", "the math '\\\\text{&#1;}' contains a character",
     "delete it (often an invisible control"),  # LaTeX
]


def _checked(prompts: list[str], tmp_path: Path) -> list[tuple[str, str]]:
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "k", "title": "K",
        "questions": [{"id": f"q{n}", "type": "essay", "prompt": prompt}
                      for n, prompt in enumerate(prompts)],
    })
    return [(p.message, p.hint or "") for p in scan_bank(bank, tmp_path).problems
            if p.code == "E-RICHTEXT"]


@pytest.mark.parametrize(("text", "message", "hint"), CASES,
                         ids=[c[1][:30] for c in CASES])
def test_the_hint_follows_the_kind_of_problem_not_the_words_it_quotes(
    text: str, message: str, hint: str, tmp_path: Path
) -> None:
    [(found, given)] = _checked([text], tmp_path)
    assert found.startswith(message), found
    assert given.startswith(hint), given


def test_a_link_the_sanitiser_dropped_is_reported_whatever_the_other_problems_quote() -> None:
    """render() said nothing of such a link when another problem of the text held the word
    "link" or "URL", meant to be one about its links: a class or an image address quoting it
    hid the error (the text was refused for the other problem, with one reason of two)."""
    for text in ('See [x](https://[::1]/p) and <span class="link">this</span>.',
                 "See [x](https://[::1]/p) and ![](https://example.org/link.png)."):
        problems = render(text).problems
        assert len(problems) == 2 and problems[1] == UNREAD_LINK, problems
    # A problem of its links says it already.
    assert render('See <a href="javascript:x()">x</a>.').problems[0].kind == "unsafe-url"
    assert len(render('See <a href="javascript:x()">x</a>.').problems) == 1


def test_every_kind_has_its_hint() -> None:
    assert sorted(RICHTEXT_HINTS) == sorted(get_args(RefusedKind))
