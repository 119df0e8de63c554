"""The links of an imported text bank that no package can carry, kept as their text.

A Markdown quiz written for a site links to the site's own pages (`**See:** [Chapter 11 -
Aliases](index.md#aliases)`). `validate` and `export` of such a file refuse the link
(E-RICHTEXT: the author can fix the text); an import, like the HTML importers, keeps what the
link says and notes the target it dropped (richtext_links.links_as_text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from packager.model.walk import rich_fields, with_texts
from packager.readers.html_markdown_writer import dropped_link
from packager.readers.imported import Imported, ImportNote, Location
from packager.richtext_links import links_as_text


def with_links_as_text(imported: Imported, file: str,
                       line_of: Callable[[str, str], int | None]) -> Imported:
    """`imported` with each link no package can carry replaced by its text, a note for each
    (in `file`, at `line_of(pointer, note)`: the line of the field's text the note quotes);
    `imported` itself when there is none."""
    changed: dict[str, str] = {}
    notes: list[ImportNote] = []
    for pointer, question_id, text in rich_fields(imported.bank):
        new, dropped = links_as_text(text)
        if dropped:
            changed[pointer] = new
            for href in dict.fromkeys(dropped):
                message = dropped_link(href)
                location = Location(file, line=line_of(pointer, message))
                notes.append(ImportNote(question_id, location, "dropped", message))
    if not changed:
        return imported
    return replace(imported, bank=with_texts(imported.bank, changed),
                   notes=sorted([*imported.notes, *notes],
                                key=lambda note: note.location.line or 0))
