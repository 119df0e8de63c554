"""An import keeps the text of a link no package can carry and notes the target it dropped
(readers/dropped_links.py): a text bank's Markdown links to its site's own pages (the
intelligent-textbook quizzes of text sweep 3, `**See:** [Chapter 11](index.md#aliases)`),
and a GIFT `[markdown]` text's, as the HTML importers already do. `validate` of the text
bank still refuses such a link, with a hint that speaks of links, not images."""

from __future__ import annotations

from pathlib import Path

from packager.pipeline import check
from packager.readers import gift, text
from packager.readers.base import Source

QUIZ = (
    "1. Which command shows a variable?\n\n"
    "A) echo $HOME\nB) ls\n\n"
    "Answer: A\n\n"
    "Explanation: echo prints it.\n\n"
    "**See:** [Chapter 11 - Viewing Variables](index.md#viewing-variables)\n\n"
    "2. Which one is [a file](notes.txt)?\n\n"
    "A) notes.txt\nB) [the web page](https://example.org/)\n\n"
    "Answer: A\n"
)


def test_a_text_banks_local_links_keep_their_text_with_a_note(tmp_path: Path) -> None:
    imported = text.read(Source("quiz.md", QUIZ.encode(), tmp_path))
    first, second = imported.bank.questions
    assert first.explanation == ("echo prints it.\n\n"
                                 "**See:** Chapter 11 - Viewing Variables")
    assert second.prompt == "Which one is a file?"
    assert second.choices[1].text == "[the web page](https://example.org/)"
    dropped = [(n.question_id, n.location.line, n.message) for n in imported.notes
               if n.kind == "dropped"]
    assert dropped == [
        (first.id, 10, "link to 'index.md#viewing-variables' dropped "
         "(only http, https and mailto are kept)"),
        (second.id, 12, "link to 'notes.txt' dropped (only http, https and mailto are kept)"),
    ]


def test_validate_still_refuses_the_link_and_says_how_to_mend_it(tmp_path: Path) -> None:
    _, diagnostics = check(Source("quiz.md", QUIZ.encode(), tmp_path))
    errors = [d for d in diagnostics if d.is_error]
    assert [(d.code, d.line) for d in errors] == [("E-RICHTEXT", 10), ("E-RICHTEXT", 12)]
    assert all("image" not in (d.hint or "") for d in errors)
    assert "packager import" in (errors[0].hint or "")


def test_a_gift_markdown_texts_local_link_keeps_its_text(tmp_path: Path) -> None:
    data = (b"::Q1:: [markdown]See [the chapter](index.md#x) and `[a](b.md)`. Which? "
            b"{=yes ~no}\n")
    imported = gift.read(Source("quiz.gift", data, tmp_path))
    assert imported.bank.questions[0].prompt == "See the chapter and `[a](b.md)`. Which?"
    assert [n.message for n in imported.notes] == [
        "link to 'index.md#x' dropped (only http, https and mailto are kept)"]
