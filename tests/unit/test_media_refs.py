"""packager.media_refs.moved_images: an image's source changed where it is written, in
Markdown and in raw HTML, and nothing else (checked by rendering)."""

from __future__ import annotations

import pytest

from packager.media_refs import may_show_image, moved_images


def _to_media(href: str) -> str | None:
    return f"media/{href}" if not href.startswith(("media/", "http")) else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("![Figure 1](images/a.png)", "![Figure 1](media/images/a.png)"),
        ('![t](images/a.png "the title")', '![t](media/images/a.png "the title")'),
        ("![b](<images/a b.png>)", "![b](<media/images/a b.png>)"),
        ("![b](images/a%20b.png)", "![b](media/images/a%20b.png)"),
        ("![r][ref]\n\n[ref]: images/a.png\n", "![r][ref]\n\n[ref]: media/images/a.png\n"),
        ('<img src="images/a.png" alt="a">', '<img src="media/images/a.png" alt="a">'),
        ("<img alt='a' SRC='images/a.png'>", "<img alt='a' SRC='media/images/a.png'>"),
        ("<img src=images/a.png alt=a>", "<img src=media/images/a.png alt=a>"),
        # Written otherwise than it reads: the source is written anew.
        ("![a](./images/a.png)", "![a](media/images/a.png)"),
        # Only images: Markdown in a code span, a link and plain text stay as they were.
        ("`![x](images/a.png)` ![x](images/a.png)", "`![x](images/a.png)` ![x](media/images/a.png)"),
        ("[see](images/a.png) ![x](images/a.png)", "[see](images/a.png) ![x](media/images/a.png)"),
        ("images/a.png ![x](images/a.png)", "images/a.png ![x](media/images/a.png)"),
        # Left as it is where new_href says None.
        ("![w](media/a.png)", "![w](media/a.png)"),
    ],
)
def test_moved_images_changes_image_sources_only(text: str, expected: str) -> None:
    assert moved_images(text, _to_media) == expected


def test_a_new_path_is_written_so_that_it_reads_as_itself() -> None:
    moved = moved_images("![a](a.png) <img src='a.png'>", lambda h: "media/x (1)/a&b.png")
    assert moved == "![a](media/x%20%281%29/a%26b.png) <img src='media/x%20%281%29/a%26b.png'>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("![a](%61%62.png)", "![a](media/x%62.png)"),
        ("<img src='&#97;&amp;b.png'>", "<img src='media/x&amp;b.png'>"),
        (r"![a](a\&b.png)", r"![a](media/x\&b.png)"),
        ("![a](%C3%A9%C3%A9.png)", "![a](media/x%C3%A9.png)"),
        # The first place that reads alike: between an escaped backslash's two.
        (r"![a](\\&b.png)", r"![a](media/x\&b.png)"),
    ],
)
def test_the_end_two_paths_share_stays_as_it_was_written(text: str, expected: str) -> None:
    def renamed(href: str) -> str:
        return "media/x" + href[1:]

    assert moved_images(text, renamed) == expected


def test_a_text_without_images_is_the_same_text() -> None:
    text = "No image here, only `code` and [a link](https://example.org)."
    assert not may_show_image(text)
    assert moved_images(text, _to_media) is text
    assert may_show_image("<IMG src=a.png>") and may_show_image("![a](b.png)")


def test_images_beside_markdown_in_code_are_moved_in_a_few_renderings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A code span showing an image's Markdown made each of the text's places be tried alone,
    a rendering of the whole text each (2,000 images: 4,000 renderings, 49 s an import)."""
    from packager import richtext

    text = "`![x](images/a.png)` ![x](images/a.png) " * 200
    render = richtext.render.__wrapped__
    calls: list[str] = []

    def counted(markdown: str) -> richtext.Rendered:
        calls.append(markdown)
        return render(markdown)

    monkeypatch.setattr(richtext, "render", counted)
    moved = moved_images(text, _to_media)
    assert moved == "`![x](images/a.png)` ![x](media/images/a.png) " * 200
    assert len(calls) <= 4
