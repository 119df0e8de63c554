"""The body of a QTI item and its interaction → the fields of a canonical question.

`read_item` takes packager's own blocks out of the body (stimulus, scenario, scorer rubric),
picks the interaction that decides the type, lets its reader take it out of the body (inline
ones leave a blank mark), and what stays in the body, with the interaction's own `prompt`,
is the prompt. See qti2_items for the mapping of each interaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from packager.readers.imported import is_slug, slug, unique
from packager.readers.qti2_dialect import Dialect, local
from packager.readers.qti2_html import Media, blank_mark, replace_with_text
from packager.readers.qti2_items import Item, ReadItem, number

_BLOCK = ("choiceInteraction", "orderInteraction", "matchInteraction", "associateInteraction",
          "extendedTextInteraction", "gapMatchInteraction")
_INLINE = ("textEntryInteraction", "inlineChoiceInteraction")
_SCORER_VIEWS = frozenset({"scorer", "author", "tutor", "proctor", "testConstructor"})


class Unreadable(Exception):
    """The item has no canonical question: it is left out (the message says why)."""


def read_item(
    d: Dialect, root: etree._Element, document: str, label: str, qid: str, media: Media
) -> ReadItem:
    item = Item(d, root, document, label, qid, media)
    result = ReadItem(None, item.location(), item.notes)
    body = d.first(root, "itemBody")
    body = body if body is not None else etree.Element("itemBody")
    question: dict[str, Any] = {"id": qid}
    if title := item.title():
        question["title"] = title
    for ref in d.children(root, "assessmentStimulusRef"):
        if href := d.get(ref, "href"):
            result.stimulus_refs.append(href)
    for block in [c for c in body if d.is_xhtml(c) and local(c) == "div"]:
        classes = (block.get("class") or "").split()
        if "stimulus" in classes:
            result.stimulus = _stimulus(item, block)
            body.remove(block)
        elif "scenario" in classes:
            if scenario := item.markdown(block):
                question["scenario"] = scenario
            body.remove(block)
    rubric = _rubric_blocks(item, body)
    interactions = [e for e in body.iter() if (d.name(e) or "").endswith("Interaction")]
    try:
        fields, prompt = _interaction(item, body, interactions)
    except Unreadable as exc:
        item.note(root, "dropped", f"item left out: {exc}")
        return result
    if fields["type"] == "essay":
        fields.update(rubric)
    elif rubric:
        item.note(body, "dropped", "the rubric for scorers is dropped (only essays keep one)")
    text = "\n\n".join(part for part in (item.markdown(body), prompt) if part)
    if not text:
        text = question.get("title") or qid
        item.note(body, "changed", "the item has no text besides its interaction: its title "
                  "is the prompt")
    question["prompt"] = text
    question.update(fields)
    if question["type"] == "text":
        if d.children(root, "modalFeedback"):
            item.note(root, "dropped", "feedback of an item without interaction is dropped")
    else:
        item.feedback(question)
        points = item.points()
        if points is not None and points != 1:
            question["points"] = points
    result.question = question
    return result


def _stimulus(item: Item, block: etree._Element) -> tuple[str | None, str]:
    """packager's copied stimulus: an optional `p.stimulus-title` (in bold), then the body."""
    title = None
    first = block[0] if len(block) else None
    if first is not None and "stimulus-title" in (first.get("class") or "").split():
        title = item.d.text(first) or None
        block.remove(first)
    return title, item.markdown(block)


def _rubric_blocks(item: Item, body: etree._Element) -> dict[str, str]:
    """Rubric blocks for scorers → rubric and sample answer (taken out of the body); those
    for candidates stay in the body as its text."""
    d = item.d
    fields: dict[str, str] = {}
    for block in list(d.descendants(body, "rubricBlock")):
        content = d.first(block, "contentBody")
        content = content if content is not None else block
        views = set((d.get(block, "view") or "candidate").split())
        if not views & _SCORER_VIEWS:
            div = etree.Element(f"{{{next(iter(d.namespaces))}}}div")
            div.text = content.text
            div.extend(list(content))
            replace_with_text(block, "")
            body.append(div)
            continue
        for part in [c for c in content if local(c) == "div" and d.is_xhtml(c)]:
            classes = (part.get("class") or "").split()
            key = "sample_answer" if "sample-answer" in classes else (
                "rubric" if "rubric" in classes else None)
            if key is not None:
                if text := item.markdown(part):
                    fields[key] = text
                content.remove(part)
        if rest := item.markdown(content):
            fields["rubric"] = "\n\n".join(filter(None, (fields.get("rubric"), rest)))
        replace_with_text(block, "")
    return fields


Reader = Callable[[Item, etree._Element, etree._Element], tuple[dict[str, Any], str]]


def _interaction(
    item: Item, body: etree._Element, interactions: list[etree._Element]
) -> tuple[dict[str, Any], str]:
    """The type fields of the question and the interaction's own prompt (Markdown)."""
    d = item.d
    names = [d.name(e) or "" for e in interactions]
    other = [n for n in names if n not in _BLOCK and n not in _INLINE]
    if other:
        raise Unreadable(f"<{other[0]}> has no canonical question type")
    blocks = [e for e, n in zip(interactions, names, strict=True) if n in _BLOCK]
    inline = [e for e, n in zip(interactions, names, strict=True) if n in _INLINE]
    if not blocks and not inline:
        return {"type": "text"}, ""
    main = blocks[0] if blocks else None
    for extra in blocks[1:] + (inline if main is not None and
                               d.name(main) != "gapMatchInteraction" else []):
        item.note(extra, "dropped", f"<{d.name(extra)}> dropped: a question has one "
                  "interaction")
        replace_with_text(extra, "")
    if main is None or d.name(main) == "gapMatchInteraction":
        return _blanks(item, body, main, inline)
    readers: dict[str, Reader] = {
        "choiceInteraction": _choice,
        "orderInteraction": _order,
        "matchInteraction": _match,
        "associateInteraction": _associate,
        "extendedTextInteraction": _essay,
    }
    prompt_element = d.first(main, "prompt")
    prompt = item.markdown(prompt_element) if prompt_element is not None else ""
    fields, _ = readers[d.name(main) or ""](item, body, main)
    replace_with_text(main, "")
    return fields, prompt


def _choice_ids(d: Dialect, choices: list[etree._Element]) -> list[str]:
    """Choice ids: packager's `c-<id>` gives back the id, a slug is kept, others derived."""
    ids = []
    for index, choice in enumerate(choices):
        ident = d.get(choice, "identifier") or ""
        rest = ident.removeprefix("c-")
        ids.append(rest if ident.startswith("c-") and is_slug(rest) else
                   ident if is_slug(ident) else slug(ident, chr(ord("a") + index % 26)))
    return unique(ids)


def _choice(item: Item, body: etree._Element, interaction: etree._Element
            ) -> tuple[dict[str, Any], str]:
    d = item.d
    decl = item.declaration(interaction)
    correct = set(decl.accepted())
    choices = d.children(interaction, "simpleChoice")
    idents = [d.get(c, "identifier") or "" for c in choices]
    single = decl.cardinality == "single" and d.get(interaction, "maxChoices") != "0"
    if len(choices) == 2 and single and correct & set(idents):
        labels = [d.text(c).lower() for c in choices]
        lowered = [i.lower() for i in idents]
        names = lowered if sorted(lowered) == ["false", "true"] else labels
        if sorted(names) == ["false", "true"]:
            truth = names[idents.index(next(i for i in idents if i in correct))]
            fields: dict[str, Any] = {"type": "true_false", "answer": truth == "true"}
            for ident, name in zip(idents, names, strict=True):
                target = (None, f"feedback_{name}")
                item.feedback_targets[ident] = item.feedback_targets[f"FB-{ident}"] = target
            return fields, ""
    if not correct & set(idents):
        raise Unreadable("no choice is declared correct")
    out = []
    for cid, ident, element in zip(_choice_ids(d, choices), idents, choices, strict=True):
        choice: dict[str, Any] = {"id": cid, "text": "", "correct": ident in correct}
        for inline in list(d.children(element, "feedbackInline")):
            if text := item.markdown(inline):
                choice["feedback"] = text
            replace_with_text(inline, "")
        choice["text"] = item.markdown(element) or ident
        if d.get(element, "fixed") == "true":
            choice["pinned"] = True
        item.feedback_targets[ident] = item.feedback_targets[f"FB-{ident}"] = (choice,
                                                                               "feedback")
        out.append(choice)
    fields = {"type": "single_choice" if single else "multiple_response", "choices": out}
    if single and len(correct & set(idents)) > 1:
        raise Unreadable("a single-choice interaction declares several correct choices")
    if not single and (item.has("sum") or (decl.mapping and (
            item.template.startswith("map_response") or item.has("mapResponse")))):
        fields["scoring"] = "partial"
    if d.get(interaction, "shuffle") == "true":
        fields["shuffle"] = True
    return fields, ""


def _order(item: Item, body: etree._Element, interaction: etree._Element
           ) -> tuple[dict[str, Any], str]:
    d = item.d
    choices = {d.get(c, "identifier") or "": c for c in d.children(interaction, "simpleChoice")}
    order = [ident for ident in item.declaration(interaction).correct if ident in choices]
    if len(order) < 2:
        raise Unreadable("the order interaction has no correct order")
    return {"type": "ordering", "items": [item.markdown(choices[i]) for i in order]}, ""


def _pairs(item: Item, interaction: etree._Element) -> list[tuple[str, str]]:
    return [tuple(v.split()[:2]) for v in item.declaration(interaction).accepted()  # type: ignore[misc]
            if len(v.split()) == 2]


def _match(item: Item, body: etree._Element, interaction: etree._Element
           ) -> tuple[dict[str, Any], str]:
    d = item.d
    sets = d.children(interaction, "simpleMatchSet")
    if len(sets) != 2:
        raise Unreadable("a match interaction needs two match sets")
    sources, targets = (d.children(s, "simpleAssociableChoice") for s in sets)
    texts = {d.get(t, "identifier") or "": d.text(t) for t in targets}
    matched: dict[str, list[str]] = {}
    for first, second in _pairs(item, interaction):
        source, target = (second, first) if first in texts else (first, second)
        matched.setdefault(source, []).append(target)
    pairs, used = [], set()
    for element in sources:
        found = [t for t in matched.get(d.get(element, "identifier") or "", []) if texts.get(t)]
        if not found:
            item.note(element, "dropped", "a prompt without a correct match is dropped")
            continue
        if len(found) > 1:
            item.note(element, "dropped", "a prompt keeps only its first correct match")
        pairs.append({"prompt": item.markdown(element), "match": texts[found[0]]})
        used.add(texts[found[0]])
    if len(pairs) < 2:
        raise Unreadable("a matching question needs two prompts with a correct match")
    distractors = [t for t in dict.fromkeys(texts.values()) if t and t not in used]
    fields: dict[str, Any] = {"type": "matching", "pairs": pairs}
    if distractors:
        fields["distractors"] = distractors
    return fields, ""


def _associate(item: Item, body: etree._Element, interaction: etree._Element
               ) -> tuple[dict[str, Any], str]:
    d = item.d
    choices = {d.get(c, "identifier") or "": c
               for c in d.children(interaction, "simpleAssociableChoice")}
    pairs = [{"prompt": item.markdown(choices[a]), "match": d.text(choices[b])}
             for a, b in _pairs(item, interaction) if a in choices and b in choices]
    if len(pairs) < 2:
        raise Unreadable("an associate interaction needs two correct pairs")
    item.note(interaction, "changed", "the associate interaction's pairs become matching "
              "pairs (first of each pair → second)")
    return {"type": "matching", "pairs": pairs}, ""


def _essay(item: Item, body: etree._Element, interaction: etree._Element
           ) -> tuple[dict[str, Any], str]:
    fields: dict[str, Any] = {"type": "essay"}
    correct = item.declaration(interaction).correct
    if correct:
        from packager.readers.html_markdown import text_to_markdown

        fields["sample_answer"] = text_to_markdown(correct[0])
    return fields, ""


def _blanks(item: Item, body: etree._Element, gap_match: etree._Element | None,
            inline: list[etree._Element]) -> tuple[dict[str, Any], str]:
    """Text entries, inline choices and the gaps of a gap match → [[blanks]]; one text entry
    on its own is a short answer or numeric question."""
    d = item.d
    if gap_match is None and len(inline) == 1 and d.name(inline[0]) == "textEntryInteraction":
        alone = _alone(inline[0])
        decl = item.declaration(inline[0])
        if decl.base_type in ("float", "integer"):
            return _numeric(item, inline[0], alone), ""
        if alone and decl.cardinality == "single":
            return _short_answer(item, inline[0]), ""
    prompt = ""
    slots: list[tuple[etree._Element, str, list[str], bool]] = []  # element, response, answers
    for entry in inline:
        decl = item.declaration(entry)
        if d.name(entry) == "inlineChoiceInteraction":
            texts = {d.get(c, "identifier"): d.text(c) for c in d.children(entry,
                                                                         "inlineChoice")}
            answers = [texts[k] for k in decl.accepted() if texts.get(k)]
            item.note(entry, "changed", "an inline choice becomes a blank typed in; its "
                      "other options are dropped")
        else:
            answers = decl.typed()
        sensitive = any(cs for _, _, cs in decl.mapping) or not decl.mapping
        slots.append((entry, decl.identifier, answers, sensitive))
    if gap_match is not None:
        prompt_element = d.first(gap_match, "prompt")
        prompt = item.markdown(prompt_element) if prompt_element is not None else ""
        texts = {d.get(g, "identifier"): d.text(g) for g in d.children(gap_match, "gapText")}
        answers_of: dict[str, list[str]] = {}
        for first, second in _pairs(item, gap_match):
            word, target = (texts.get(first), second) if first in texts else (
                texts.get(second), first)
            if word:
                answers_of.setdefault(target, []).append(word)
        for gap in d.descendants(gap_match, "gap"):
            ident = d.get(gap, "identifier") or ""
            slots.append((gap, ident, answers_of.get(ident, []), True))
        item.note(gap_match, "changed", "the gap match becomes blanks typed in; its word "
                  "choices are dropped")
        for child in list(gap_match):
            if d.name(child) in ("gapText", "gapImg", "prompt"):
                replace_with_text(child, "")
    order = {e: i for i, e in enumerate(body.iter())}
    slots.sort(key=lambda s: order.get(s[0], 0))
    ids = unique([_blank_id(response, n) for n, (_, response, _, _) in enumerate(slots, 1)])
    blanks: dict[str, list[str]] = {}
    for blank, (element, _, answers, _) in zip(ids, slots, strict=True):
        if not answers:
            raise Unreadable(f"the blank {blank!r} has no correct answer")
        item.rich.blanks.append(blank)
        replace_with_text(element, blank_mark(len(item.rich.blanks) - 1))
        blanks[blank] = list(dict.fromkeys(answers))
    if gap_match is not None:
        _unwrap(gap_match)
    fields: dict[str, Any] = {"type": "fill_in_blanks", "blanks": blanks}
    cases = {s[3] for s in slots}
    if len(cases) > 1:
        item.note(body, "changed", "blanks differ in case sensitivity: all compare case")
    if True in cases:
        fields["case_sensitive"] = True
    return fields, prompt


def _blank_id(response: str, n: int) -> str:
    rest = response.removeprefix("RESPONSE-")
    return rest if rest != response and is_slug(rest) else (
        response if is_slug(response) else slug(response, f"blank-{n}"))


def _alone(element: etree._Element) -> bool:
    """Whether an inline interaction has no text before it in its paragraph."""
    parent = element.getparent()
    if parent is None:
        return True
    before = (parent.text or "") + "".join((c.tail or "") for c in parent
                                           if c is not element and parent.index(c) <
                                           parent.index(element))
    return not before.strip() and len(parent) == 1


def _unwrap(element: etree._Element) -> None:
    """Put an element's text and children in its place."""
    parent = element.getparent()
    assert parent is not None
    index = parent.index(element)
    children = list(element)
    tail = element.tail or ""
    if children:
        element.tail = None  # it goes after the children
    replace_with_text(element, element.text or "")
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if children:
        children[-1].tail = (children[-1].tail or "") + tail


def _short_answer(item: Item, element: etree._Element) -> dict[str, Any]:
    decl = item.declaration(element)
    if decl.mapping:
        entries = [(k, cs) for k, v, cs in decl.mapping if v > 0 and k.strip()]
    else:
        entries = [(k, True) for k in decl.correct if k.strip()]
    if not entries:
        raise Unreadable("the text entry has no correct answer")
    replace_with_text(element, "")
    return {"type": "short_answer",
            "answers": [{"text": k, "case_sensitive": cs} for k, cs in entries]}


def _numeric(item: Item, element: etree._Element, alone: bool) -> dict[str, Any]:
    decl = item.declaration(element)
    fields: dict[str, Any] = {"type": "numeric"}
    if alone and (unit := (element.tail or "").strip()):
        fields["unit"] = unit
        element.tail = None
    answer = _numeric_rule(item, decl.identifier)
    if answer is None:
        value = number(next(iter(decl.accepted()), None))
        if value is None:
            raise Unreadable("the numeric entry has no correct value")
        answer = {"value": value}
    fields["answer"] = answer
    replace_with_text(element, "")
    return fields


def _numeric_rule(item: Item, response: str) -> dict[str, Any] | None:
    """The accepted values from the response processing: `equal` (exact, absolute or
    relative tolerance) or a `gte`/`lte` range."""
    d = item.d
    for equal in d.descendants(item.processing, "equal"):
        value = _compared(item, equal, response)
        if value is None:
            continue
        mode = d.get(equal, "toleranceMode") or "exact"
        tolerances = [number(t) for t in (d.get(equal, "tolerance") or "0").split()]
        low, high = (tolerances + tolerances)[:2] if tolerances else (0.0, 0.0)
        if low is None or high is None or low < 0 or high < 0:
            continue
        if mode == "relative":
            low, high = abs(value[1]) * low / 100, abs(value[1]) * high / 100
            item.note(equal, "changed", "a relative tolerance becomes an absolute one")
        if mode == "exact":
            return {"value": value[1]}
        if low != high:
            return {"min": value[1] - low, "max": value[1] + high}
        return {"value": value[1], "tolerance": low}
    bounds: dict[str, float] = {}
    for name in ("gte", "gt", "lte", "lt"):
        for element in d.descendants(item.processing, name):
            found = _compared(item, element, response)
            if found is None:
                continue
            lower = (name in ("gte", "gt")) == found[0]
            bounds.setdefault("min" if lower else "max", found[1])
            if name in ("gt", "lt"):
                item.note(element, "changed", "a strict bound becomes an inclusive one")
    return bounds if len(bounds) == 2 and bounds["min"] <= bounds["max"] else None


def _compared(item: Item, element: etree._Element, response: str) -> tuple[bool, float] | None:
    """(the variable comes first, the number) when `element` compares `response` with a
    number, else None."""
    d = item.d
    operands = [c for c in element if isinstance(c.tag, str)]
    if len(operands) != 2:
        return None
    names = [d.name(o) for o in operands]
    if "variable" not in names or "baseValue" not in names:
        return None
    variable = operands[names.index("variable")]
    if d.get(variable, "identifier") != response:
        return None
    value = number(d.text(operands[names.index("baseValue")]))
    return None if value is None else (names[0] == "variable", value)
