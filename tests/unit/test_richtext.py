"""packager.richtext: Markdown → sanitised, well-formed XHTML; math → MathML; media; problems."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from lxml import etree

from packager.richtext import MATH, MATHML_NS, MEDIA, RICH, SHOWS_NOTHING, Rendered, render
from packager.richtext_plain import plain_text
from packager.richtext_refused import Refused

M = f"{{{MATHML_NS}}}"


def xhtml(markdown: str) -> str:
    rendered = render(markdown)
    assert rendered.problems == (), rendered.problems
    return rendered.xhtml


def tree(markdown: str) -> etree._Element:
    return etree.fromstring(f"<div>{render(markdown).xhtml}</div>")


# -- Markdown features ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Hello", "<p>Hello</p>"),
        ("  padded  ", "<p>padded</p>"),
        ("a < b & c > d", "<p>a &lt; b &amp; c &gt; d</p>"),
        ("“curly” — ☕ 🎉 שלום José", "<p>“curly” — ☕ 🎉 שלום José</p>"),
        ("*em* and **strong**", "<p><em>em</em> and <strong>strong</strong></p>"),
        ("_em_ and __strong__", "<p><em>em</em> and <strong>strong</strong></p>"),
        ("use `a < b` here", "<p>use <code>a &lt; b</code> here</p>"),
        ("- one\n- two", "<ul><li>one</li><li>two</li></ul>"),
        ("1. one\n2. two", "<ol><li>one</li><li>two</li></ol>"),
        ("> quoted", "<blockquote><p>quoted</p></blockquote>"),
        ("### Title", "<h3>Title</h3>"),
        ("one\n\ntwo", "<p>one</p><p>two</p>"),
        ("line one\nline two", "<p>line one\nline two</p>"),
        ("hard  \nbreak", "<p>hard<br/>\nbreak</p>"),
        ("---", "<hr/>"),
        ("[site](https://example.com/a?b=1&c=2)",
         '<p><a href="https://example.com/a?b=1&amp;c=2">site</a></p>'),
        ("[mail](mailto:a@example.com)", '<p><a href="mailto:a@example.com">mail</a></p>'),
        (r"\*not em\* \$5", "<p>*not em* $5</p>"),
        ("H<sub>2</sub>O and x<sup>2</sup>", "<p>H<sub>2</sub>O and x<sup>2</sup></p>"),
        ("<b>bold</b> <i>it</i>", "<p><b>bold</b> <i>it</i></p>"),
        ("fill [[blank-1]] here", "<p>fill [[blank-1]] here</p>"),
    ],
)
def test_markdown_renders_to_expected_xhtml(markdown, expected):
    assert xhtml(markdown) == expected


def test_code_block_keeps_text_escaped_and_language_class():
    # The code is the <pre>'s own text: a pretty printer indents an element holding only a
    # <code> element, and that white space would show as part of the code.
    assert xhtml("```python\nif a < b:\n    pass\n```") == (
        '<pre class="language-python">if a &lt; b:\n    pass\n</pre>'
    )


def test_indented_code_block():
    assert xhtml("    x = 1") == "<pre>x = 1\n</pre>"


def test_code_blocks_survive_the_pretty_serializer_unchanged():
    from lxml import etree

    from packager.xml.serialize import to_bytes

    rendered = render("Before\n\n```\n  indented\n```")
    pretty = to_bytes(etree.fromstring(f"<div>{rendered.xhtml}</div>"))
    (pre,) = etree.fromstring(pretty).iter("pre")
    assert "".join(pre.itertext()) == "  indented\n"


def test_table_renders_head_and_body_without_style_attributes():
    out = xhtml("| Month | Leads |\n|---|---:|\n| January | 10 |\n| February | 25 |")
    assert out == (
        "<table><thead><tr><th>Month</th><th>Leads</th></tr></thead>"
        "<tbody><tr><td>January</td><td>10</td></tr><tr><td>February</td><td>25</td></tr>"
        "</tbody></table>"
    )
    assert "style" not in out


def test_inline_math_becomes_inline_mathml_inside_the_paragraph():
    root = tree("so $x^2 + 1$ holds")
    (p,) = root
    assert p.tag == "p"
    (math,) = p
    assert math.tag == f"{M}math"
    assert math.get("display") != "block"
    assert math.tail == " holds"
    assert [e.tag for e in math.iter(f"{M}msup")]


def test_display_math_becomes_a_math_div_with_block_mathml():
    root = tree(r"$$\frac{1}{2}$$")
    (div,) = root
    assert (div.tag, div.get("class")) == ("div", "math")
    (math,) = div
    assert math.tag == f"{M}math"
    assert math.get("display") == "block"
    assert math.find(f".//{M}mfrac") is not None


def test_display_math_inside_text_stays_in_its_paragraph_as_display_math():
    # `$$…$$` within a sentence is display math to MathJax and the LMSes' filters: a line of
    # its own. Only MathML's display says so inside a <p> (a <div> may not stand there).
    root = tree("The rule $$x^2$$ holds.")
    (p,) = root
    assert p.tag == "p" and p.text == "The rule "
    (math,) = p
    assert (math.tag, math.get("display"), math.tail) == (f"{M}math", "block", " holds.")
    (item,) = tree("- one $$y$$ two")[0]
    assert item.find(f"{M}math").get("display") == "block"


def test_mathml_keeps_its_own_attributes():
    root = tree(r"$$\left(\texttt{name}\right)$$")
    math = root.find(f".//{M}math")
    assert math.get("display") == "block"
    assert root.find(f".//{M}mo[@stretchy]") is not None
    assert root.find(f".//{M}mtext[@mathvariant='monospace']") is not None


def test_invalid_math_is_a_problem_not_an_exception():
    rendered = render(r"bad $\frac{1}^$ math")
    assert len(rendered.problems) == 1
    assert rendered.problems[0].kind == "math"
    assert rendered.problems[0].message.startswith(r"cannot read the math '\\frac{1}^'")
    etree.fromstring(f"<div>{rendered.xhtml}</div>")


# -- images -------------------------------------------------------------------------------


def test_images_are_collected_in_order_without_duplicates():
    rendered = render("![a](media/a.png) ![b](media/b.png)\n\n![a again](media/a.png)")
    assert rendered.media == ("media/a.png", "media/b.png")
    assert rendered.problems == ()


def test_image_path_is_url_decoded_but_src_kept():
    rendered = render("![chart](media/my%20chart.png)")
    assert rendered.media == ("media/my chart.png",)
    assert 'src="media/my%20chart.png"' in rendered.xhtml
    assert 'alt="chart"' in rendered.xhtml


def test_raw_img_without_alt_gets_an_empty_alt():
    rendered = render('<img src="media/x.png">')
    assert rendered.media == ("media/x.png",)
    assert rendered.problems == ()
    (img,) = tree('<img src="media/x.png">').iter("img")
    assert img.get("alt") == ""


@pytest.mark.parametrize("src", ["https://example.com/a.png", "http://x.org/b.gif",
                                 "data:image/png;base64,AAAA"])
def test_external_image_is_a_problem(src):
    rendered = render(f"![x]({src})")
    assert rendered.media == ()
    assert any("not a file in the bank's folder" in p for _, p in rendered.problems) or any(
        "no source" in p for _, p in rendered.problems
    )


# -- unsafe HTML ----------------------------------------------------------------------------

UNSAFE = [
    ("<script>alert(1)</script>", "raw HTML element <script> is not allowed", "script"),
    ("x <script>alert(1)</script> y", "raw HTML element <script> is not allowed", "script"),
    ('<iframe src="https://evil.example"></iframe>', "raw HTML element <iframe> is not allowed",
     "iframe"),
    ('<b onclick="steal()">x</b>', "event-handler attribute onclick= on <b> is not allowed",
     "onclick"),
    ('<img src="media/x.png" onerror="x()">', "event-handler attribute onerror= on <img>",
     "onerror"),
    ('<a href="javascript:alert(1)">x</a>', "unsafe URL 'javascript:alert(1)' in <a href>",
     "javascript"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "unsafe URL", "alert"),
    ('<a href="jav&#x61;script:alert(1)">x</a>', "unsafe URL", "alert"),
    ('<a href=" javascript:alert(1)">x</a>', "unsafe URL", "alert"),
    ('<a href="vbscript:x">x</a>', "unsafe URL", "vbscript"),
    ('<img src="javascript:x()">', "unsafe URL", "javascript"),
    ('<b style="color:red">x</b>', "attribute style= on <b> is not allowed", "style"),
    ('<object data="x.swf"></object>', "raw HTML element <object> is not allowed", "object"),
    ('<embed src="x.swf">', "raw HTML element <embed> is not allowed", "embed"),
    ('<form action="/x"><input name="a"></form>', "raw HTML element <form> is not allowed",
     "form"),
    ("<style>p {color: red}</style>", "raw HTML element <style> is not allowed", "color"),
    ('<svg onload="x()"></svg>', "raw HTML element <svg> is not allowed", "svg"),
]


@pytest.mark.parametrize(("markdown", "problem", "absent"), UNSAFE,
                         ids=[u[0][:30] for u in UNSAFE])
def test_unsafe_html_is_reported_and_removed(markdown, problem, absent):
    rendered = render(markdown)
    assert any(problem in p for _, p in rendered.problems), rendered.problems
    assert absent not in rendered.xhtml.lower()
    etree.fromstring(f"<div>{rendered.xhtml}</div>")


def test_markdown_javascript_link_is_reported_and_carries_no_target():
    rendered = render("[x](javascript:alert(1))")
    assert "href" not in rendered.xhtml
    assert rendered.problems == (Refused(
        "unsafe-url", "unsafe link target 'javascript:alert(1)'; links may use http, https or mailto"
    ),)


def test_allowed_html_and_comments_are_not_problems():
    rendered = render('<!-- note -->\n\n<table><tr><td colspan="2">x</td></tr></table>')
    assert rendered.problems == ()
    assert "note" not in rendered.xhtml
    assert 'colspan="2"' in rendered.xhtml


def test_output_attributes_stay_within_the_allow_list():
    from packager.richtext_allowed import ALLOWED_ATTRIBUTES

    root = tree('<a href="https://x.org" title="t" id="i" class="c">x</a> '
                '<td width="3">')
    for element in root.iter():
        for attr in element.attrib:
            assert attr in ALLOWED_ATTRIBUTES.get(element.tag, frozenset()) | {"class"}


# -- characters XML cannot carry ------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff",
                                  "\ud800"])
@pytest.mark.parametrize("template", ["plain {} text", "*em* {}", "- item {}"])
def test_xml_illegal_characters_are_replaced_and_reported(char, template):
    rendered = render(template.format(char))
    assert rendered.problems == (Refused(
        "character", f"contains the character U+{ord(char):04X}, which XML cannot carry"
    ),)
    assert char not in rendered.xhtml
    assert "\ufffd" in rendered.xhtml
    etree.fromstring(f"<div>{rendered.xhtml}</div>".encode())


@pytest.mark.parametrize("ref", ["&#7;", "&#x1F;", "&#0;", "&#xFFFF;", "&#xD800;"])
@pytest.mark.parametrize("template", ["a {} b", "<td>{}", "<b>{}</b>", "<td>x{}"])
def test_character_references_to_illegal_characters_never_crash(ref, template):
    rendered = render(template.format(ref))
    etree.fromstring(f"<div>{rendered.xhtml}</div>".encode())


@pytest.mark.parametrize("char", ["\t", "\n", "\r", "\u0085", "\u2028", "\u00a0", "\U0001f389"])
def test_legal_unusual_characters_are_not_problems(char):
    rendered = render(f"a{char}b")
    assert rendered.problems == ()
    etree.fromstring(f"<div>{rendered.xhtml}</div>".encode())


# -- helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Plain & simple", "Plain & simple"),
        ("**Bold** and *em*", "Bold and em"),
        ("Café “quoted” ☕", "Café “quoted” ☕"),
        ("x $a$ y", "x a y"),
    ],
)
def test_plain_text(markdown, expected):
    assert plain_text(markdown) == expected


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [("- a\n- b", "a b"), ("one\n\ntwo", "one two"), ("a   b", "a b"),
     ("line one\nline two", "line one line two")],
)
def test_plain_text_separates_blocks_and_collapses_white_space(markdown, expected):
    assert plain_text(markdown) == expected


def test_is_plain_paragraph():
    assert render("Just words").is_plain_paragraph
    assert not render("*em*").is_plain_paragraph
    assert not render("one\n\ntwo").is_plain_paragraph
    assert Rendered("<p>a &amp; b</p>").is_plain_paragraph


@pytest.mark.parametrize(
    ("markdown", "flags"),
    [
        ("Just words", 0),
        ("1. counted", RICH),
        ("a < b", 0),  # escaped, but still one plain paragraph
        ("*em*", RICH),
        ("Area $x^2$", RICH | MATH),
        ("$$x$$", RICH | MATH),
        ("![c](media/c.png)", RICH | MEDIA),
        ("![c](media/c.png) $y$", RICH | MEDIA | MATH),
    ],
)
def test_flags_agree_with_the_properties(markdown, flags):
    rendered = render(markdown)
    assert rendered.flags == flags
    assert bool(flags & RICH) == (not rendered.is_plain_paragraph)
    assert bool(flags & MEDIA) == bool(rendered.media)
    assert bool(flags & MATH) == rendered.has_math
    assert rendered.flags == flags  # the cached value


def test_flags_of_a_constructed_fragment():
    assert Rendered("<p>a &amp; b</p>").flags == 0
    assert Rendered("<p>a</p><p>b</p>").flags == RICH


def test_image_sources_are_rewritten_on_the_tree_whatever_the_name():
    from packager.richtext_images import with_image_sources

    rendered = render("![a](media/a%26b.png) and ![q](<media/quote\"d.png>)")
    seen: list[str] = []

    def new_src(href: str) -> str:
        seen.append(href)
        return "pkg/" + href

    out = with_image_sources(rendered.xhtml, new_src)
    assert seen == ["media/a&b.png", 'media/quote"d.png']
    assert 'src="pkg/media/a&amp;b.png"' in out and 'src="pkg/media/quote&quot;d.png"' in out
    assert with_image_sources("<p>no image</p>", new_src) == "<p>no image</p>"


def test_the_sanitiser_built_once_cleans_as_nh3_clean_does():
    """richtext keeps one nh3.Cleaner (building one per call cost more than cleaning): the
    same allow-lists, the same output, on every hostile payload of the catalogue."""
    import json

    import nh3
    import pyromark

    from packager.richtext_dollars import options
    from packager.richtext_xhtml import _NH3_ATTRIBUTES, _NH3_TAGS, cleaner

    root = Path(__file__).resolve().parents[1] / "bad_inputs"
    values = [c["value"] for c in json.loads((root / "richtext.json").read_text("utf-8"))]
    for value in values:
        html_text = pyromark.html(value, options=options())  # what richtext cleans
        expected = nh3.clean(html_text, tags=_NH3_TAGS, attributes=_NH3_ATTRIBUTES,
                             url_schemes={"http", "https", "mailto"}, link_rel=None,
                             strip_comments=True)
        assert cleaner().clean(html_text) == expected, value


def test_a_formula_used_twice_is_math_in_both_places():
    # MathML is built once per formula (richtext_mathml._mathml) and copied into each place.
    once = render("so $x_1$ holds").xhtml
    twice = render("$x_1$ and $x_1$, then\n\n$$x_1$$").xhtml
    assert twice.count("<math") == 3 and twice.count("<msub>") == 3
    assert render("so $x_1$ holds").xhtml == once
    assert 'display="block"' in twice  # the cached inline formula did not lose its display


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("    x = 1", "<pre>x = 1\n</pre>"),  # indented, last: its line break is added
        ("```\nx = 1", "<pre>x = 1</pre>"),  # an unclosed fence keeps what it holds
        ("```\nx = 1\n```\n\ntext", "<pre>x = 1\n</pre><p>text</p>"),
    ],
)
def test_the_last_line_of_a_code_block_as_markdown_it_had_it(markdown, expected):
    assert xhtml(markdown) == expected


@pytest.mark.parametrize(
    "markdown",
    [
        "intro\n\n" + "".join("  " * i + "- a\n" for i in range(300)) + "\nafter",
        "intro " + "<span>" * 300 + "deep" + "</span>" * 300 + " after",
    ],
)
def test_a_text_nested_deeper_than_libxml2_builds_is_a_problem(markdown: str) -> None:
    """libxml2 dropped the rest of the text from the 256th level on: 'after' was lost from
    every package, silently."""
    rendered = render(markdown)
    assert any(k == "deep" and "more than 255 deep" in p for k, p in rendered.problems), (
        rendered.problems)


def test_a_text_nested_a_hundred_deep_is_kept_whole() -> None:
    markdown = "intro\n\n" + "".join("  " * i + "- a\n" for i in range(100)) + "\nafter"
    rendered = render(markdown)
    assert not rendered.problems
    assert rendered.xhtml.count("<ul>") == 100 and "after" in rendered.xhtml


@pytest.mark.parametrize(
    "markdown",
    ["| Name | Value |\n|---|---|", "<table><thead><tr><th>Name</th><th>Value</th></tr></thead></table>"],
)
def test_a_table_of_header_rows_only_has_them_as_its_body(markdown: str) -> None:
    """The engine wrote an empty <tbody> (raw HTML none): QTI's XHTML needs a body with rows,
    and the QTI 2.1 export failed its XSD ('a packager bug')."""
    assert render(markdown).xhtml == (
        "<table><tbody><tr><th>Name</th><th>Value</th></tr></tbody></table>"
    )


def test_a_link_or_image_title_is_a_warning_not_silently_gone() -> None:
    """QTI's XHTML has no title on <a> or <img>: the sanitiser drops it, and nothing said so."""
    rendered = render('![chart](media/c.png "Leads by month") and [docs](https://x.org "The docs")')
    assert "title" not in rendered.xhtml
    assert rendered.warnings == (
        ("W-TITLE", "the image's title 'Leads by month' is carried by no package (QTI has no "
                    "title on links or images)"),
        ("W-TITLE", "the link's title 'The docs' is carried by no package (QTI has no title on "
                    "links or images)"),
    )
    assert render("![chart](media/c.png) and [docs](https://x.org)").warnings == ()


def _wide_table(columns: int, rows: int) -> str:
    """A header of `columns` columns over one-cell rows, which the engine fills out."""
    return "|h" * columns + "|\n" + "|-" * columns + "|\n" + "a\n" * rows


def test_a_table_filled_out_far_beyond_its_text_is_a_problem() -> None:
    from packager.richtext_screening import may_have_problems
    from tests.cpu_time import cpu_seconds

    text = _wide_table(256, 1024)  # 3 KB that rendered to 2.4 MB
    started = cpu_seconds()
    rendered = render(text)
    assert cpu_seconds() - started < 1.0
    ((kind, problem),) = rendered.problems
    assert kind == "expanded"
    assert problem.startswith("renders to 2,373,17")
    assert "more than the 64 times a text may: a table fills every row out" in problem
    assert rendered.xhtml == "<p></p>"
    assert may_have_problems(text)  # validate renders it too


@pytest.mark.parametrize(
    "markdown",
    [
        # A centred table of empty cells, the most a real table expands.
        "|a|b|c|d|e|f|g|h|i|j|\n" + "|:-:" * 10 + "|\n" + "|x|||||||||\n" * 300,
        _wide_table(8, 2000),
        "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 3000,
    ],
    ids=["centred-empty", "eight-columns", "full-rows"],
)
def test_real_tables_are_far_below_the_bound(markdown: str) -> None:
    assert render(markdown).problems == ()


@pytest.mark.parametrize(("html", "xhtml"), [
    # A fuzz run: an empty row group passed validate and failed the QTI 2.1 package's XSD.
    ("<table><thead/><tbody><tr><td>a</td></tr></tbody></table>",
     "<table><tbody><tr><td>a</td></tr></tbody></table>"),
    ("<table><tfoot></tfoot><tbody><tr><td>a</td></tr></tbody></table>",
     "<table><tbody><tr><td>a</td></tr></tbody></table>"),
    ("<table><tbody></tbody><tbody><tr><td>a</td></tr></tbody></table>",
     "<table><tbody><tr><td>a</td></tr></tbody></table>"),
    ("<table><thead><tr><th>h</th></tr></thead><tbody></tbody></table>",
     "<table><tbody><tr><th>h</th></tr></tbody></table>"),
    # rows without cells, groups out of order or twice, spans no number from 1 to 1000
    ("<table><tfoot><tr><td>f</td></tr></tfoot></table>",
     "<table><tbody><tr><td>f</td></tr></tbody></table>"),
    ("<table><tbody><tr/><tr><td>a</td></tr></tbody></table>",
     "<table><tbody><tr><td>a</td></tr></tbody></table>"),
    ("<table><tbody><tr><td>a</td></tr></tbody><thead><tr><th>h</th></tr></thead></table>",
     "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>a</td></tr></tbody></table>"),
    ("<table><thead><tr><th>h</th></tr></thead><thead><tr><th>i</th></tr></thead>"
     "<tbody><tr><td>a</td></tr></tbody></table>",
     "<table><thead><tr><th>h</th></tr><tr><th>i</th></tr></thead>"
     "<tbody><tr><td>a</td></tr></tbody></table>"),
    ("<table><tbody><tr><td colspan='99999999999' rowspan='2'>a</td>"
     "<td colspan='x'>b</td></tr></tbody></table>",
     '<table><tbody><tr><td rowspan="2">a</td><td>b</td></tr></tbody></table>'),
    # more digits than int() converts (4,300): a ValueError traceback before
    (f"<table><tr><td colspan='{'1' * 5000}'>a</td></tr></table>",
     "<table><tbody><tr><td>a</td></tr></tbody></table>"),
])
def test_tables_are_put_in_the_shape_xhtml_wants(html: str, xhtml: str):
    rendered = render(html)
    assert rendered.problems == ()
    assert rendered.xhtml == xhtml


@pytest.mark.parametrize("html", [
    "<table></table>", "<table><thead/></table>", "<table><caption>c</caption></table>",
    "<p>a</p><table><tr><td>a</td></tr></table><table><tbody></tbody></table>",
])
def test_a_table_with_no_rows_is_a_problem(html: str):
    assert render(html).problems == (Refused("table-rows", "has a table with no rows"),)


def test_a_table_with_two_captions_is_a_problem():
    html = "<table><caption>a</caption><caption>b</caption><tr><td>x</td></tr></table>"
    assert render(html).problems == (
        Refused("table-captions", "has a table with more than one caption"),
    )


def test_an_unclosed_tag_leaves_no_empty_paragraph_after_the_text() -> None:
    """Docs review 31: the parser's repair reopened `<b>` around the text's last line break,
    and the wrapping made an empty bold paragraph of it: a gap under the question."""
    assert render("What <b>unclosed?").xhtml == "<p>What <b>unclosed?</b></p>"
    assert render("a <b>b</b> c").xhtml == "<p>a <b>b</b> c</p>"


@pytest.mark.parametrize("text", ["<p>", "</p>", "<br>", "<b></b>", "&nbsp;", "#", "- ", "1. ",
                                  ">", "<!-- c -->", "<p>\u3000</p><p> <b>\u2003</b></p>"])
def test_a_text_that_shows_nothing_is_an_error(text: str) -> None:
    """Fuzz run 31: an option `<p>` (or `&nbsp;`, `#`…) validated and was a blank option in
    every package, and Aiken had none to write; only a text left with no element was refused."""
    assert render(text).problems == (SHOWS_NOTHING,)


@pytest.mark.parametrize("text", ["---", "![i](media/x.png)", "$x$", "```\ncode\n```", "👍", "1",
                                  "&nbsp;\n\n<b>x</b>", "<!-- c --><b> </b>y"])
def test_a_text_of_no_letter_that_shows_something_is_fine(text: str) -> None:
    assert SHOWS_NOTHING not in render(text).problems


@pytest.mark.parametrize("text", ["*Café* “quoted” — ☕ 🎉 שלום", "<b>naïve</b> ő\u00a0€", "$x$ é 😀"])
def test_characters_beyond_ascii_survive_the_parse_of_rendered_html(text: str) -> None:
    """The rendered HTML reaches libxml2 as UTF-8 bytes (faster than a str): read as any
    other encoding, every character beyond ASCII would come out as several."""
    expected = etree.fromstring(f"<div>{render(text).xhtml}</div>")
    shown = "".join(expected.itertext())
    for character in "".join(c for c in text if not c.isascii() and not c.isspace()):
        assert character in shown
    assert len(shown) <= len(text)


def _parsed_xhtml(html_text: str) -> str:
    """What _to_xhtml gives for the engine's HTML of a text without raw HTML when it parses
    it: the reference of richtext_xhtml.simple_blocks_xhtml."""
    from unittest import mock

    from packager import richtext

    with mock.patch.object(richtext, "simple_blocks_xhtml", return_value=None):
        return richtext._to_xhtml(
            html_text, [], raw_html=False, unended_code=False, references=False
        ).xhtml


@pytest.mark.parametrize(
    ("markdown", "taken"),
    [
        ("*a* and **b** and `c`\n\nsecond  line\nsoft break", True),
        ("x &amp; y < z > w \u00a0nbsp&nbsp;here ]]> \"q\" 'a' zoë 😀 e\u0301", True),
        ("a\n\n\n\n**b _c_ d**\n\n`` ` ``", True),
        ("a\\\nb", False),  # a hard break: <br>
        ("*a* ** **", True),
        ("a\n\n- b\n- *c*\nd\n\n1. e\n2. `f`\n\ng", True),  # tight lists
        ("- a\n\n- b", False),  # a loose list: paragraphs in its items
        ("- a\n  - b", False),  # a list in a list
        ("3. a", False),  # <ol start="3">
        ("- a\n-\n- b", False),  # an empty item
        ("&copy; &#169; &#xa9;", True),  # references the engine decodes
        ("a\r\nb", True),
        ("a `` b", True),
        ("a\u2003*b*\u2003\n\n\u2003c", True),
        ("`\u2003` \u3000*b*", True),  # shown by its last text run only
        ("- \u2003\n- *\u00a0* >", True),
        ("a [x](https://example.com/a/b) *[y](http://h)*", True),  # links to plain addresses
        ("- [`x`](https://a.b/c)\n- **[y](https://a-b.c/d~e_f.g)**", True),
        ('[x](https://a.b "t")', True),  # the sanitiser drops the title (the checks warn)
        ("[x](https://a.b/?q)", False),  # an address of more than the plain shape
        ("[x](https://a.b/c&d) [y](HTTPS://A.B) [z](https://a.b/ü)", False),
        ("x [](https://a.b)", False),  # an empty link (XML writes <a href="…"/>)
        ("[x](javascript:y)", False),  # the sanitiser drops the address: <a>x</a>
    ],
)
def test_paragraphs_are_made_xhtml_without_a_parse_as_the_parse_makes_them(
    markdown: str, taken: bool
) -> None:
    """Paragraphs of text, emphasis and code spans skip libxml2's parse and serialization
    (richtext_xhtml.simple_blocks_xhtml): the string they give is the parse's, character for
    character; anything else is left to the parse."""
    import pyromark

    from packager.richtext_dollars import options
    from packager.richtext_xhtml import cleaner, simple_blocks_xhtml

    html_text = pyromark.html(markdown, options=options())
    cleaned = cleaner().clean(html_text)
    fast = simple_blocks_xhtml(cleaned)
    assert (fast is not None) is taken, cleaned
    if fast is not None:
        assert fast == _parsed_xhtml(html_text)
        assert render(markdown).xhtml == fast


@pytest.mark.parametrize(
    "cleaned",
    [
        "<p><em></em>a</p>",  # XML writes an empty element <em/>
        "<p>a</p>\n<p></p>",
        "<p>a\rb</p>",  # XML writes a carriage return &#13;
        "<p>a &quot; b</p>",
        "<p>a</p> <p>b</p>",  # white space between paragraphs the engine does not write
        "<p>a<p>b</p></p>",
        "<p> </p>",  # shows nothing: the parse path says so
        "<p>&nbsp;</p>",
        "<p>\u3000<em>\u2003</em>\n</p>\n<ul>\n<li><code> </code></li>\n</ul>",  # nor here
        "<p><em>" * 201 + "a" + "</em></p>" * 201,  # nesting toward libxml2's limit
    ],
)
def test_paragraphs_the_string_path_cannot_tell_are_left_to_the_parse(cleaned: str) -> None:
    from packager.richtext_xhtml import simple_blocks_xhtml

    assert simple_blocks_xhtml(cleaned) is None


def test_the_string_path_gives_what_the_parse_gives_on_every_hostile_payload():
    import json

    import pyromark

    from packager.richtext_dollars import options
    from packager.richtext_xhtml import cleaner, simple_blocks_xhtml
    from packager.xml.chars import XML_FORBIDDEN

    root = Path(__file__).resolve().parents[1] / "bad_inputs"
    values = [c["value"] for c in json.loads((root / "richtext.json").read_text("utf-8"))]
    # As render() hands them on: characters XML cannot carry replaced. Not with character
    # references, which may decode to such characters: _to_xhtml then takes the parse.
    for value in [XML_FORBIDDEN.sub("\ufffd", value) for value in values if "&#" not in value]:
        html_text = pyromark.html(value, options=options())
        fast = simple_blocks_xhtml(cleaner().clean(html_text))
        if fast is not None:
            assert fast == _parsed_xhtml(html_text), value


def test_a_text_rendered_without_the_engine_has_nothing_to_escape():
    """Rendered.xhtml of a plain paragraph is the text between <p> tags, unescaped: render()
    reads a text without the engine only when it holds no `&`, `<` or `>`."""
    from packager.richtext_screening import needs_engine

    for mark in "&<>":
        assert needs_engine(f"a {mark} b")
        assert render(f"a {mark} b").xhtml == f"<p>a {html.escape(mark)} b</p>"
    rendered = render("It's \"quoted\" — naïve 😀")
    assert rendered.read_without_engine
    assert rendered.xhtml == "<p>It's \"quoted\" — naïve 😀</p>"
