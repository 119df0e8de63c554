"""Links no package can carry, turned into their text, for an import.

A quiz written for a site links to the site's own pages (`[Chapter 11](index.md#aliases)`),
which go nowhere once the question is in an LMS; `render` refuses such a link in a bank
(`link_problem`). An import keeps what the link says and notes where it led, as the HTML
importers do with a link they drop. The links are found from the engine's events, so a link
shown in a code span stays as written, and the text is kept only when it reads as it did
with the links gone and has the same blanks (`[*a](b.md)*` would become emphasis,
`[[[b](a.md)]]` a blank `[[b]]`: left as they are, and refused).
"""

from __future__ import annotations

from typing import Any

from packager.model import BLANK_MARKER
from packager.richtext_dollars import options
from packager.richtext_urls import link_problem


def links_as_text(markdown: str) -> tuple[str, list[str]]:
    """`markdown` with each link `link_problem` refuses replaced by its text as written
    (`[See **this**](index.md)` → `See **this**`), and the targets so dropped, in order;
    the text as it is, and no targets, when it has no such link or dropping them would
    change how the rest reads."""
    if "[" not in markdown and "<" not in markdown:
        return markdown, []
    data = markdown.encode()
    events = _events(markdown)
    dropped: list[str] = []
    cuts: list[tuple[int, int, int, int]] = []  # the link's bytes, and its text's
    link: list[int] | None = None  # start, end, text start, text end of the link being read
    for event, span in events:
        start, end = span["start"], span["end"]
        if link is not None:
            if not isinstance(event, str) and "End" in event and event["End"] == "Link":
                cuts.append((link[0], link[1], link[2], link[3]))
                link = None
            else:  # the link's text (links do not nest)
                link[2], link[3] = min(link[2], start), max(link[3], end)
        elif not isinstance(event, str) and "Start" in event:
            opened = event["Start"]
            if isinstance(opened, dict) and "Link" in opened:
                target = opened["Link"]
                href = target["dest_url"]
                if target["link_type"] == "Email":
                    href = f"mailto:{href}"
                if link_problem(href) is not None:
                    dropped.append(href)
                    link = [start, end, end, start]
    if not cuts:
        return markdown, []
    parts: list[bytes] = []
    last = 0
    for start, end, text_start, text_end in cuts:
        parts += [data[last:start], data[text_start:text_end] if text_start < text_end else b""]
        last = end
    new = (b"".join(parts) + data[last:]).decode()
    if _reading(_events(new), set()) != _reading(events, {start for start, *_ in cuts}):
        return markdown, []
    if "[[" in new and BLANK_MARKER.findall(new) != BLANK_MARKER.findall(markdown):
        return markdown, []  # `[[[b](a.md)]]` would become a blank `[[b]]`
    return new, dropped


def _events(markdown: str) -> list[tuple[Any, Any]]:
    """The engine's events for `markdown`, each with its byte range."""
    import pyromark

    return list(pyromark.events_with_range(markdown, options=options()))


def _reading(events: list[tuple[Any, Any]], without: set[int]) -> list[Any]:
    """These events without their places, the links starting at the bytes `without` left
    out, neighbouring text events joined and a block's trailing spaces dropped: what the text
    shows. Text is gathered in pieces and joined once a run ends (joined as it came, a text
    of many short runs took time growing with its square)."""
    shown: list[Any] = []
    run: list[str] = []  # the text events since the last other event
    skipping = False  # inside a link being left out (links do not nest)
    for event, span in events:
        if not isinstance(event, str):
            if skipping and "End" in event and event["End"] == "Link":
                skipping = False
                continue
            if "Start" in event and span["start"] in without:
                opened = event["Start"]
                if isinstance(opened, dict) and "Link" in opened:
                    skipping = True
                    continue
            if "Text" in event:
                run.append(event["Text"])
                continue
        if run:
            text = "".join(run)
            # spaces before a block's end are not shown (an empty link there leaves one)
            shown.append({"Text": text.rstrip(" ") if isinstance(event, dict)
                          and "End" in event else text})
            run = []
        shown.append(event)
    if run:
        shown.append({"Text": "".join(run)})
    return shown
