"""packager.mathml: LaTeX becomes MathML whose text stays text, and nothing outside the
MathML allow-list is ever emitted (issue 14, item 1)."""

from __future__ import annotations

import pytest
from lxml import etree

from packager.mathml import ELEMENTS, MATHML_NS, from_latex, latex_mathml, sanitize
from packager.richtext import render
from packager.richtext_refused import Refused

TAB = "\t"


def _only_mathml(xhtml: str) -> None:
    """Every element inside <math> is an allowed MathML element; no markup in any text."""
    root = etree.fromstring(f"<div>{xhtml}</div>")
    maths = root.findall(f".//{{{MATHML_NS}}}math")
    assert maths, xhtml
    for math in maths:
        for element in math.iter():
            assert isinstance(element.tag, str)
            assert etree.QName(element).namespace == MATHML_NS
            assert etree.QName(element).localname in ELEMENTS
            assert "style" not in element.attrib and "href" not in element.attrib


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (rf'\text{{<img{TAB}src="x"{TAB}onerror="alert(1)"/>}}', '<img\tsrc="x"\tonerror="alert(1)"/>'),
        ('\\text{<img\nsrc="x"\nonerror="alert(1)"/>}', None),
        (r"\mbox{<b>bold</b>}", "<b>bold</b>"),
        (r"\textbf{<script>alert(1)</script>}", "<script>alert(1)</script>"),
        (r"\fbox{<iframe src=x></iframe>}", None),
        (r"\text{a & b < c > d}", "a & b < c > d"),
        (r"\text{&lt;svg onload=alert(1)&gt;}", "<svg onload=alert(1)>"),
    ],
)
def test_text_commands_carry_their_argument_as_inert_text(latex: str, text: str | None):
    rendered = render(f"${latex}$")
    assert rendered.problems == ()
    _only_mathml(rendered.xhtml)
    if text is not None:
        root = etree.fromstring(f"<div>{rendered.xhtml}</div>")
        # latex2mathml keeps the spaces of \\text as no-break spaces
        assert text in "".join(root.itertext()).replace("\xa0", " ")


@pytest.mark.parametrize(
    ("latex", "message"),
    [
        (r"\style{position:fixed;top:0;left:0;z-index:99999}{x}", "attribute style= on <mrow> (written with \\style)"),
        (r"\href{javascript:alert(1)}{x}", "attribute href= on <mrow> (written with \\href)"),
        (r"\href{https://example.com}{x}", "attribute href="),
        (r"\color{red;background:url(x)}{x}", "mathcolor='red;background:url(x)'"),
        (r"\color{red!50}{x}", "use a colour name such as red or blue, or #rrggbb"),
        (r"\colorbox{expression(alert(1))}{x}", "mathbackground="),
        (r"\text{&#0;}", "contains a character that XML cannot carry"),
        (r"\text{&#xD800;}", "contains a character that XML cannot carry"),
    ],
)
def test_what_cannot_be_carried_safely_is_a_located_problem(latex: str, message: str):
    rendered = render(f"Before ${latex}$ after")
    assert len(rendered.problems) == 1, rendered.problems
    ((kind, problem),) = rendered.problems
    expected = ("character" if "a character" in message else "math-style" if "style=" in message
                else "math-link" if "href=" in message else "math")
    assert kind == expected and message in problem
    assert problem.startswith(f"the math {latex!r}")
    # Nothing of the payload became MathML: the placeholder only (the bank is invalid anyway).
    assert "<math" not in rendered.xhtml


def test_hostile_math_payload_does_not_validate_and_is_not_rendered_as_markup(tmp_path):
    """The payload from the issue, in a whole bank: validate reports nothing, and no format's
    output holds an <img> element or an onerror attribute."""
    rendered = render(f'Consider $\\text{{<img{TAB}src="x"{TAB}onerror="alert(1)"/>}}$.')
    root = etree.fromstring(f"<div>{rendered.xhtml}</div>")
    assert [e for e in root.iter() if etree.QName(e).localname == "img"] == []
    assert all("onerror" not in e.attrib for e in root.iter())


def test_ordinary_math_is_unchanged_mathml():
    rendered = render(r"$$\begin{array}{l|c} a & b \\ \hline c & d\end{array}$$ and $x^2 \le \sqrt{y}$")
    assert rendered.problems == ()
    _only_mathml(rendered.xhtml)
    assert '<mtd columnalign="left"><mi>a</mi></mtd>' in rendered.xhtml
    assert "<mo>≤</mo>" in rendered.xhtml


def test_colours_and_lengths_of_the_mathml_schema_are_kept():
    math, problems = from_latex(r"\color{#1a2B3c}{x}\hspace{1.5em}\colorbox{yellow}{y}", "inline")
    assert problems == [] and math is not None
    values = {v for e in math.iter() for v in e.attrib.values()}
    assert {"#1a2B3c", "1.5em", "yellow"} <= values


def test_sanitize_refuses_foreign_elements_and_attributes_in_mathml_from_elsewhere():
    math = etree.fromstring(
        f'<math xmlns="{MATHML_NS}" xmlns:h="http://www.w3.org/1999/xhtml">'
        '<mi onclick="x">a</mi><mi class="c" mathcolor="zz">d</mi><annotation-xml encoding="text/html"><h:img src="x"/></annotation-xml>'
        '<maction actiontype="toggle"><mi>b</mi></maction><mglyph src="x.png"/>'
        "</math>"
    )
    problems = [p for _, p in sanitize(math)]
    assert "sets the attribute onclick= on <mi>, which is not allowed" in problems
    # Written as MathML: no LaTeX command to name, and the hint of any attribute
    assert ("attribute", "sets the attribute class= on <mi>, which is not allowed") in sanitize(math)
    assert "sets mathcolor='zz' on <mi>, which is not a valid value" in " ".join(problems)
    for name in ("annotation-xml", "img", "maction", "mglyph"):
        assert f"contains the element <{name}>, which MathML in packages may not use" in problems


def test_sanitize_refuses_math_inside_math():
    """It passed every check and made the QTI 2.1 export fail its XSD (found by a fuzz run)."""
    math = etree.fromstring(f'<math xmlns="{MATHML_NS}"><mi>a</mi><math><mi>b</mi></math></math>')
    assert sanitize(math) == [("math", "contains a <math> inside <math>, which MathML does not "
                                       "allow; write the inner one's content without its <math>")]


def test_sanitize_accepts_what_latex2mathml_makes_of_ordinary_latex():
    for latex in (r"\frac{a}{b}", r"\sum_{i=1}^n i", r"\begin{pmatrix}1&2\\3&4\end{pmatrix}",
                  r"\overbrace{a+b}^{n}", r"\mathbf{x}\cdot\mathrm{d}t", r"\left(\frac12\right)"):
        math, problems = from_latex(latex, "block")
        assert problems == [], latex
        assert math is not None and sanitize(math) == []


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        # Hostile review 28: drawn over the SCORM player's header, and a white cover of the page.
        ('<mpadded voffset="150px" width="0" height="0" depth="0"><mtext>NOTICE</mtext></mpadded>',
         "sets voffset='150px' on <mpadded>, which moves or sizes the math further than "
         "packages allow (-1em to 1em)"),
        ('<mpadded lspace="-100px"><mspace width="1200px" height="900px"/></mpadded>',
         "sets lspace='-100px' on <mpadded>"),
        ('<mspace width="1200px"/>', "sets width='1200px' on <mspace>"),
        ('<mspace height="30em"/>', "sets height='30em' on <mspace>"),
        ('<mstyle mathsize="500%"><mi>x</mi></mstyle>', "sets mathsize='500%' on <mstyle>"),
        ('<mpadded voffset="-2em"><mi>x</mi></mpadded>', "sets voffset='-2em'"),
        # A fuzz run: each passed validate and failed the QTI 2.1 package's XSD ("a packager bug").
        ("<mfrac><mn>1</mn></mfrac>", "has <mfrac> with 1 child; it takes 2"),
        ("<mfrac><mn>1</mn><mn>2</mn><mn>3</mn></mfrac>", "has <mfrac> with 3 children; it takes 2"),
        ("<msubsup><mi>x</mi><mi>y</mi></msubsup>", "has <msubsup> with 2 children; it takes 3"),
        ("<mroot><mi>x</mi></mroot>", "has <mroot> with 1 child; it takes 2"),
        ("<mtable><mi>x</mi></mtable>", "has <mtable> holding more than <mtr> or <mlabeledtr>"),
        ("<mtable><mtr><mi>x</mi></mtr></mtable>", "has <mtr> holding more than <mtd>"),
        ("<mrow><mtr><mtd><mi>x</mi></mtd></mtr></mrow>", "has <mtr> outside <mtable>"),
        ("<mrow><mtd><mi>x</mi></mtd></mrow>", "has <mtd> outside <mtr>"),
        ("<mi>x</mi><none/>", "has <none> outside <mmultiscripts>"),
        ("<semantics></semantics>", "has <semantics> without one expression first"),
        ("<semantics><annotation>x</annotation></semantics>", "has <semantics> without one"),
        ("<mmultiscripts><mi>x</mi><mprescripts/></mmultiscripts>", "has <mmultiscripts> without"),
        ("<mmultiscripts><mi>x</mi><mi>a</mi></mmultiscripts>", "has <mmultiscripts> without"),
        ("<mmultiscripts><none/><mi>a</mi><mi>b</mi></mmultiscripts>", "has <mmultiscripts>"),
    ],
)
def test_sanitize_refuses_mathml_out_of_its_place_or_content_model(markup: str, message: str):
    """Lengths that move math out of its place (hostile review 28), and content models every
    target's XSD checks."""
    math = etree.fromstring(f'<math xmlns="{MATHML_NS}">{markup}</math>')
    assert [p for _, p in sanitize(math) if p.startswith(message)], sanitize(math)


def test_lengths_in_their_bounds_and_named_spaces_are_kept():
    """LaTeX's own spaces and sizes: \\! (negative thin space), \\hspace{-1em}, \\qquad,
    \\hspace{3cm}, \\Huge, \\smash and \\mathrlap (zero height and width)."""
    for latex in (r"a\!b", r"\hspace{-1em}x", r"a\qquad b", r"\hspace{3cm}", r"\Huge x",
                  r"\smash{x}", r"\mathrlap{x}"):
        math, problems = from_latex(latex, "inline")
        assert problems == [] and math is not None, latex
    math = etree.fromstring(f'<math xmlns="{MATHML_NS}"><mpadded voffset="0.3em" '
                            'lspace="thinmathspace"><mi>x</mi></mpadded></math>')
    assert sanitize(math) == []


def test_an_import_drops_a_length_out_of_bounds_and_keeps_the_rest():
    from packager.mathml import prune

    math = etree.fromstring(f'<math xmlns="{MATHML_NS}"><mpadded voffset="150px" width="0">'
                            "<mi>x</mi></mpadded></math>")
    assert prune(math) == [("dropped", "the MathML attribute voffset= on <mpadded> dropped")]
    assert sanitize(math) == []
    assert dict(math[0].attrib) == {"width": "0"}


@pytest.mark.parametrize("markup", [
    "<mmultiscripts><mi>x</mi><mi>a</mi><none/><mprescripts/><mi>b</mi><none/></mmultiscripts>",
    "<semantics><mi>x</mi><annotation>x</annotation><annotation>y</annotation></semantics>",
    "<mtable><mtr><mtd><mi>x</mi></mtd></mtr></mtable>",
    "<mtable><mlabeledtr><mtd><mtext>(1)</mtext></mtd><mtd><mi>x</mi></mtd></mlabeledtr></mtable>",
    "<msqrt></msqrt><msqrt><mi>a</mi><mi>b</mi></msqrt>",
])
def test_sanitize_accepts_mathml_in_its_content_model(markup: str):
    math = etree.fromstring(f'<math xmlns="{MATHML_NS}">{markup}</math>')
    assert sanitize(math) == []


@pytest.mark.parametrize(("latex", "unknown"), [(r"x + \foo", r"\foo"),
                                               (r"\frac{\blorp}{2}", r"\blorp"),
                                               (r"\text{a} \zorg^2", r"\zorg")])
def test_a_command_latex2mathml_does_not_know_is_named(latex: str, unknown: str) -> None:
    math, problems = from_latex(latex, "inline")
    assert math is None
    assert problems == [
        Refused("math", f"the math {latex!r} uses {unknown}, which packager cannot render")]


@pytest.mark.parametrize("latex", ["x", r"\sqrt{\sqrt{\frac{a}{b^{c_{d}}}}}", r"a_1 + \left(b\right)"])
def test_the_depth_given_with_the_mathml_is_how_deep_it_nests(latex: str) -> None:
    math, problems, depth = latex_mathml(latex, "block")
    assert math is not None and not problems
    deepest = max(len(list(element.iterancestors())) + 1 for element in math.iter())
    assert depth == deepest


def test_mathml_nests_as_deep_as_its_deepest_branch_wherever_that_stands() -> None:
    """latex_mathml's depth (which render() bounds) is the deepest branch's, not the last
    child's: a formula that starts deep nests as deep as one that ends so."""
    depths = [latex_mathml(latex, "inline")[2]
              for latex in (r"\sqrt{\sqrt{\sqrt{x}}} + y", r"y + \sqrt{\sqrt{\sqrt{x}}}", "y + x")]
    assert depths[0] == depths[1] > depths[2] + 3
