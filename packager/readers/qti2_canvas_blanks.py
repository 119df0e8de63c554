"""Canvas's fill-in-multiple-blanks and multiple-dropdowns questions in QTI 2.1 → fill_in_blanks.

Canvas exports QTI 1.2; its importer reads QTI 2.1 after its QTI migration tool converts an
export, and that conversion writes such a question (`question_type` in `instructureMetadata`)
as the text with its `[name]`s as they were, then one choice interaction a blank: the
response `response_<name>`, the blank's name as its `prompt`, a simple choice an answer
(canvas-lms `gems/plugins/qti_exporter/spec_canvas/fixtures/canvas/fimb.xml`). Canvas's
importer (`Qti::FillInTheBlank#process_canvas`) takes every choice of a fill-in blank as an
accepted answer, and of a dropdown the choices a rule adding to SCORE matches (or the declared
correct response). Each `[name]` of the text becomes the blank's `[[id]]`, as the QTI 1.2
reader reads the same questions (qti12_blanks).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from packager.readers.imported import is_slug, slug, unique
from packager.readers.qti2_dialect import Unreadable
from packager.readers.qti2_html import blank_mark, replace_with_text
from packager.readers.qti2_items import Item
from packager.readers.qti12_blanks import BRACKETED

FILL_IN = "fill_in_multiple_blanks_question"
DROPDOWNS = "multiple_dropdowns_question"
_NOT_A_NAME = frozenset("[]\0")
_JOIN = "\0"  # between a blank's candidate names, which cannot hold it


def canvas_blanks(item: Item, body: etree._Element, interactions: list[etree._Element],
                  scored: dict[str, list[str]]) -> dict[str, Any]:
    """The fields of the question; `scored`: each response's choices a rule adding to the
    score matches (the key of a dropdown)."""
    d = item.d
    dropdowns = item.canvas.get("question_type") == DROPDOWNS
    names: list[str] = []
    answers: list[list[str]] = []
    for interaction in interactions:
        response = d.get(interaction, "responseIdentifier") or ""
        prompt = d.first(interaction, "prompt")
        candidates = [n for n in dict.fromkeys((response.removeprefix("response_"),
                                                d.text(prompt) if prompt is not None else ""))
                      if n and not _NOT_A_NAME & set(n)]
        texts = {d.get(c, "identifier") or "": d.text(c)
                 for c in d.children(interaction, "simpleChoice")}
        if dropdowns:
            keys = [*item.declaration(interaction).accepted(), *scored.get(response, [])]
            accepted = [texts[k] for k in dict.fromkeys(keys) if texts.get(k)]
            if wrong := [t for k, t in texts.items() if t and t not in accepted]:
                item.note(interaction, "dropped", f"the wrong options of dropdown "
                          f"{(candidates or [response])[0]!r} ({', '.join(wrong)}): it became "
                          "a typed blank")
        else:
            accepted = [t for t in texts.values() if t]
        replace_with_text(interaction, "")
        if not candidates:
            raise Unreadable(f"the blank of response {response!r} has no name the text can "
                             "show")
        if not accepted:
            raise Unreadable(f"the blank {candidates[0]!r} has no correct answer")
        names.append(_JOIN.join(candidates))
        answers.append(list(dict.fromkeys(accepted)))
    answers_of = dict(zip(names, answers, strict=True))
    shown = _marked(item, body, names)
    if not shown:
        raise Unreadable("a fill-in-the-blanks question without a blank in its text (looked "
                         f"for {', '.join(f'[{n.split(_JOIN)[0]}]' for n in names[:5])})")
    ids = unique([name if is_slug(name) else slug(name, f"blank-{i}")
                  for i, name in enumerate(shown.values(), start=1)])
    item.rich.blanks.extend(ids)
    if dropdowns:
        item.note(body, "changed", "multiple dropdowns became fill-in-the-blanks")
    return {"type": "fill_in_blanks",
            "blanks": {blank: answers_of[joined] for blank, joined in zip(ids, shown,
                                                                           strict=True)}}


def _marked(item: Item, body: etree._Element, names: list[str]) -> dict[str, str]:
    """Each blank's `[name]` in the text (any of its candidate names, joined by NUL in
    `names`) replaced by a mark of its place among the item's blanks; the blanks shown →
    the name shown, in the order of their marks. A blank the text does not show is noted;
    one it shows twice leaves the item out (a bank's blank is one box)."""
    by_name: dict[str, str] = {}
    for joined in names:
        for name in joined.split(_JOIN):
            by_name.setdefault(name, joined)
    parts = [(e, "text") for e in body.iter() if isinstance(e.tag, str)]
    parts += [(e, "tail") for e in body.iterdescendants() if isinstance(e.tag, str)]
    base = len(item.rich.blanks)
    found: dict[str, str] = {}

    def mark(match: re.Match[str]) -> str:
        joined = by_name.get(match.group(1))
        if joined is None:
            return match.group()
        if joined in found:
            raise Unreadable(f"the blank [{match.group(1)}] is in the text twice, and a "
                             "bank's blank is one box")
        found[joined] = match.group(1)
        return blank_mark(base + len(found) - 1)

    for element, part in parts:
        text = getattr(element, part)
        if text and "[" in text:
            setattr(element, part, BRACKETED.sub(mark, text))
    for joined in dict.fromkeys(names):
        if joined not in found:
            item.note(body, "dropped", f"the blank {joined.split(_JOIN)[0]!r} does not occur "
                      "in the question text")
    return found
