"""Fill-in-the-blanks items of QTI 1.2 → question fields.

Canvas (fill_in_multiple_blanks, multiple_dropdowns) writes one `response_lid` per blank,
named in the question text as `[name]`; the name is the lid's material, else its ident
without `response_`. Each blank becomes `[[id]]` in the prompt: the text is converted to
Markdown with a mark no text holds in each blank's place, and the marks become `[[id]]`
after.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from packager.readers.imported import is_slug, slug, unique
from packager.readers.qti12_choices import choice_labels
from packager.readers.qti12_xml import correct_values_by_response, descendants, kid, label_text

if TYPE_CHECKING:
    from packager.readers.qti12_items import _ItemRead

_BLANK_MARK = "\ue000{}\ue001"
_MARKED = re.compile("\ue000([0-9]+)\ue001")
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")  # a [name] of a blank, as the text shows it
# What a blank's name cannot hold: a bracket (the text could not show it) or a mark's ends.
_NOT_A_NAME = re.compile("[\\[\\]\ue000\ue001]")


def blanks(read: _ItemRead, dropdowns: bool) -> dict[str, Any] | None:
    from packager.readers.qti12_items import ItemError

    markup = read.question_html()
    # Every [name] of the text, found once (thousands of blanks each looked for, then
    # replaced, in all of the text took quadratic time).
    shown = set(_BRACKETED.findall(markup))
    by_response = correct_values_by_response(read.conditions)
    names: list[str] = []
    answers: list[list[str]] = []
    for lid in descendants(read.item, "response_lid"):
        ident = lid.get("ident") or ""
        material = kid(lid, "material")
        name = label_text(material) if material is not None else ""
        name = name or ident.removeprefix("response_")
        labels = choice_labels(lid)
        texts = {label.ident: label_text(label.element) for label in labels}
        if dropdowns:
            keys = [k for k in by_response.get(ident, []) if texts.get(k)]
            wrong = [t for k, t in texts.items() if k not in keys and t]
            if wrong:
                read.note("dropped", f"the wrong options of dropdown {name!r} "
                          f"({', '.join(wrong)}): it became a typed blank")
            accepted = [texts[k] for k in keys]
        else:
            accepted = [t for t in texts.values() if t]
        if _NOT_A_NAME.search(name):
            raise ItemError(f"the blank name {name!r} holds a bracket, which the question "
                            "text cannot show")
        if name not in shown:
            read.note("dropped", f"the blank {name!r} does not occur in the question text")
            continue
        if not accepted:
            raise ItemError(f"the blank {name!r} has no correct answer")
        names.append(name)
        answers.append(list(dict.fromkeys(accepted)))
    if not names:
        raise ItemError("a fill-in-the-blanks question without a blank in its text")
    if dropdowns:
        read.note("changed", "multiple dropdowns became fill-in-the-blanks")
    ids = unique([n if is_slug(n) else slug(n, f"blank-{i}")
                  for i, n in enumerate(names, start=1)])
    marks: dict[str, str] = {}
    for index, name in enumerate(names):
        marks.setdefault(name, _BLANK_MARK.format(index))
    markup = _BRACKETED.sub(lambda m: marks.get(m.group(1), m.group()), markup)
    data: dict[str, Any] = {"type": "fill_in_blanks"}
    read.stem(data, markup)
    def blank(mark: re.Match[str]) -> str:
        index = int(mark.group(1))
        if index < len(ids) and mark.group(1) == str(index):
            return f"[[{ids[index]}]]"
        return mark.group()

    data["prompt"] = _MARKED.sub(blank, data.get("prompt", ""))
    data["blanks"] = dict(zip(ids, answers, strict=True))
    return data
