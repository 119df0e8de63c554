"""The body of a QTI item and its interaction → the fields of a canonical question.

`read_item` takes packager's own blocks out of the body (stimulus, scenario, scorer rubric),
picks the interaction that decides the type and lets its reader take it out of the body
(inline ones leave a blank mark; a block one leaves its own `prompt`): what stays in the body
is the prompt. See qti2_items for the mapping of each interaction.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from copy import deepcopy
from dataclasses import replace
from typing import Any

from lxml import etree

from packager.readers.imported import LOST_TEXT, is_slug, slug, unique
from packager.readers.qti2_canvas_blanks import DROPDOWNS, FILL_IN, canvas_blanks
from packager.readers.qti2_declarations import Declaration, number
from packager.readers.qti2_dialect import Dialect, Unreadable, all_text, collapse, local, namespace
from packager.readers.qti2_entries import blanks
from packager.readers.qti2_html import CATALOG_DROPPED, Media, replace_with_text
from packager.readers.qti2_items import Item, ReadItem

_BLOCK = ("choiceInteraction", "orderInteraction", "matchInteraction", "associateInteraction",
          "extendedTextInteraction", "gapMatchInteraction")
_INLINE = ("textEntryInteraction", "inlineChoiceInteraction")
_SCORER_VIEWS = frozenset({"scorer", "author", "tutor", "proctor", "testConstructor"})


# QTI 3.0's companion materials (qti-companion-materials-info), as a note names them.
_COMPANIONS = {"calculator": "a calculator", "rule": "a ruler", "protractor": "a protractor",
               "digitalMaterial": "a digital material", "physicalMaterial": "a physical material"}


def read_item(
    d: Dialect, root: etree._Element, document: str, label: str, qid: str, media: Media
) -> ReadItem:
    item = Item(d, root, document, label, qid, media)
    result = ReadItem(None, item.location(), item.notes)
    try:
        result.question = _question(item, result)
    except Unreadable as exc:
        item.note(root, "dropped", f"item left out: {exc}")
        # No question has this id: the notes say where the item was. What its reading
        # changed is in no bank; what was dropped may say why it is left out.
        result.notes[:] = [replace(n, question_id=None) for n in result.notes
                           if n.kind != "changed"]
    return result


def _question(item: Item, result: ReadItem) -> dict[str, Any]:
    """The item's question (its stimulus into `result`); Unreadable when it has none."""
    d, root, qid = item.d, item.root, item.qid
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
    for catalog in d.children(root, "catalogInfo"):
        item.note(catalog, "dropped", CATALOG_DROPPED)
    for materials in d.children(root, "companionMaterialsInfo"):
        named = [d.get(m, "label") or _COMPANIONS.get(d.name(m) or "", "material")
                 for m in materials if isinstance(m.tag, str)]
        item.note(materials, "dropped", "the companion materials the learner may use ("
                  f"{', '.join(dict.fromkeys(named)) or 'none named'}) are dropped: a bank "
                  "holds none (the prompt can say what the learner may use)")
    rubric = _rubric_blocks(item, body)
    interactions = [e for e in body.iter() if (d.name(e) or "").endswith("Interaction")]
    for interaction in interactions:
        if placeholder := (d.get(interaction, "placeholderText") or "").strip():
            item.note(interaction, "dropped", f"the answer box's placeholder text "
                      f"{placeholder[:60]!r} is dropped: a bank's box shows none")
    fields = _interaction(item, body, interactions)
    if fields["type"] == "essay":
        fields.update(rubric)
    elif rubric:
        item.note(body, "dropped", "the rubric for scorers is dropped (only essays keep one)")
    # Feedback blocks left in the body (a choice keeps its own) are feedback, not prompt.
    shown = [e for e in body.iter() if d.name(e) in ("feedbackBlock", "feedbackInline")]
    for element in shown:
        item.taking_out(element)
        replace_with_text(element, "")
    noted = len(item.notes)
    text = item.markdown(body)
    if not text and any(note.kind == "dropped" for note in item.notes[noted:]):
        raise Unreadable(LOST_TEXT)
    if not text:
        text = question.get("title") or qid
        item.note(body, "changed", "the item has no text besides its interaction: its title "
                  "is the prompt")
    question["prompt"] = text
    question.update(fields)
    if question["type"] == "text":
        if d.children(root, "modalFeedback") or shown:
            item.note(root, "dropped", "feedback of an item without interaction is dropped")
    else:
        item.feedback(question, shown)
        points = item.points()
        if points is not None and points != 1:
            question["points"] = points
        if question["type"] != "essay":  # scored by a person, who may give anything
            item.note_score_floor()
            item.note_part_scores()
    return question


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
    # The rubric's paragraphs, joined once at the end (joined per block, thousands of blocks
    # took quadratic time); a `div.rubric` replaces what came before, as it always has.
    rubric: list[str] = []
    for block in list(d.descendants(body, "rubricBlock")):
        content = d.first(block, "contentBody")
        content = content if content is not None else block
        views = set((d.get(block, "view") or "candidate").split())
        if not views & _SCORER_VIEWS:  # for candidates: its content is text, where it is
            for element in {block, content}:
                element.tag = f"{{{namespace(element)}}}div"
                element.attrib.clear()
            continue
        for part in [c for c in content if local(c) == "div" and d.is_xhtml(c)]:
            classes = (part.get("class") or "").split()
            key = "sample_answer" if "sample-answer" in classes else (
                "rubric" if "rubric" in classes else None)
            if key is not None:
                if text := item.markdown(part):
                    fields[key] = text
                    if key == "rubric":
                        rubric[:] = [text]
                content.remove(part)
        if rest := item.markdown(content):
            fields.setdefault("rubric", "")  # where the keys' order has had it
            rubric.append(rest)
        replace_with_text(block, "")
    if rubric:
        fields["rubric"] = "\n\n".join(rubric)
    return fields


Reader = Callable[[Item, etree._Element], dict[str, Any]]


def _interaction(
    item: Item, body: etree._Element, interactions: list[etree._Element]
) -> dict[str, Any]:
    """The type fields of the question; the interaction leaves the body (its own prompt
    stays where it was, as text of the body)."""
    d = item.d
    if (refused := item.refused()) is not None:
        raise Unreadable(refused)
    names = [d.name(e) or "" for e in interactions]
    other = [n for n in names if n not in _BLOCK and n not in _INLINE]
    if other:
        raise Unreadable(f"<{other[0]}> has no canonical question type")
    blocks = [e for e, n in zip(interactions, names, strict=True) if n in _BLOCK]
    inline = [e for e, n in zip(interactions, names, strict=True) if n in _INLINE]
    if not blocks and not inline:
        return {"type": "text"}
    if (item.canvas.get("question_type") in (FILL_IN, DROPDOWNS) and blocks
            and all(n == "choiceInteraction" for n in names)):
        scored = {r: _scored_text(item, r) for r in
                  dict.fromkeys(d.get(e, "responseIdentifier") or "" for e in blocks)}
        return canvas_blanks(item, body, blocks, scored)
    main = blocks[0] if blocks else None
    extra = blocks[1:] + (inline if main is not None and
                          d.name(main) != "gapMatchInteraction" else [])
    if extra:
        # Keeping one part would leave the others' text in the prompt ("a wicked ."), their
        # instructions, and their conditional feedback in the explanation every learner
        # reads; its points would be the whole item's. Several parts are not one question.
        raise Unreadable(f"it has {len(interactions)} interactions "
                         f"({_listed(d, interactions)}), and a question has one")
    if main is None or d.name(main) == "gapMatchInteraction":
        return blanks(item, body, main, inline)
    readers: dict[str, Reader] = {
        "choiceInteraction": _choice,
        "orderInteraction": _order,
        "matchInteraction": _match,
        "associateInteraction": _associate,
        "extendedTextInteraction": _essay,
    }
    fields = readers[d.name(main) or ""](item, main)
    prompt = d.first(main, "prompt")
    if prompt is not None:
        prompt.tag = f"{{{namespace(prompt)}}}div"
        main.addprevious(prompt)
    replace_with_text(main, "")
    return fields


def _listed(d: Dialect, interactions: list[etree._Element], most: int = 4) -> str:
    """The interactions by name, each after the first with its line (the first few: an item
    may hold thousands)."""
    named = [f"<{d.name(e)}>" + (f" at line {e.sourceline}" if n and isinstance(
        e.sourceline, int) else "") for n, e in enumerate(interactions[:most])]
    more = len(interactions) - most
    return ", ".join(named) + (f" and {more} more" if more > 0 else "")


def _choice_ids(d: Dialect, choices: list[etree._Element]) -> list[str]:
    """Choice ids: packager's `c-<id>` gives back the id, a slug is kept, others derived."""
    ids = []
    for index, choice in enumerate(choices):
        ident = d.get(choice, "identifier") or ""
        rest = ident.removeprefix("c-")
        ids.append(rest if ident.startswith("c-") and is_slug(rest) else
                   ident if is_slug(ident) else slug(ident, chr(ord("a") + index % 26)))
    return unique(ids)


def _choice(item: Item, interaction: etree._Element) -> dict[str, Any]:
    d = item.d
    decl = item.declaration(interaction)
    correct = set(decl.accepted())
    choices = d.children(interaction, "simpleChoice")
    idents = [d.get(c, "identifier") or "" for c in choices]
    most = d.get(interaction, "maxChoices")
    # qti-sdk's items: one correct value of a single response, `maxChoices="0"`. The
    # declaration is what is scored; the number of boxes is only how it is shown. Several
    # correct values of a single response say it is the declaration that is wrong.
    single = decl.cardinality == "single" and (number(most) != 0 or len(correct) < 2)
    if single and decl.identifier in item.decls and number(most) not in (None, 1):
        allows = "any number of" if number(most) == 0 else f"up to {most}"
        item.note(interaction, "changed", f"the interaction lets a learner pick {allows} "
                  f"choices (maxChoices {most}), but its response takes one (cardinality "
                  "single): it is read as a single choice")
    if len(choices) == 2 and single and correct & set(idents):
        labels = [_label(d, c).lower() for c in choices]
        lowered = [i.lower() for i in idents]
        names = lowered if sorted(lowered) == ["false", "true"] else labels
        if sorted(names) == ["false", "true"]:
            truth = names[idents.index(next(i for i in idents if i in correct))]
            fields: dict[str, Any] = {"type": "true_false", "answer": truth == "true"}
            for ident, name, element in zip(idents, names, choices, strict=True):
                if text := _inline_feedback(item, element):
                    fields[f"feedback_{name}"] = text
                for named in _feedback_names(item, ident):
                    item.feedback_targets[named] = (None, f"feedback_{name}")
            return fields
    if not correct & set(idents):
        raise Unreadable(_no_key(item, decl.identifier, set(idents)))
    out = []
    for cid, ident, element in zip(_choice_ids(d, choices), idents, choices, strict=True):
        choice: dict[str, Any] = {"id": cid, "text": "", "correct": ident in correct}
        if text := _inline_feedback(item, element):
            choice["feedback"] = text
        choice["text"] = _shown(item, element, "choice")
        if d.get(element, "fixed") == "true":
            choice["pinned"] = True
        for named in _feedback_names(item, ident):
            item.feedback_targets[named] = (choice, "feedback")
        out.append(choice)
    _told_apart(item, choices, [c["text"] for c in out], "choices")
    fields = {"type": "single_choice" if single else "multiple_response", "choices": out}
    if single and len(correct & set(idents)) > 1:
        raise Unreadable("a single-choice interaction declares several correct choices")
    if not single and (item.has("sum") or item.scored_by_mapping(decl)):
        fields["scoring"] = "partial"
        if item.scored_by_mapping(decl):
            _check_partial(item, decl, idents, correct)
    if d.get(interaction, "shuffle") == "true":
        fields["shuffle"] = True
    return fields


def _feedback_names(item: Item, ident: str) -> list[str]:
    """The identifiers of a choice's own modal feedback: its own, `FB-<choice>`, and in a
    Canvas item (its QTI migration tool's) `<choice>_fb`, or `FEEDBACK_<n>_fb` for a choice
    `RESPONSE_<n>` (an answer id that is a number, which an identifier cannot be, gets those
    prefixes)."""
    names = [ident, f"FB-{ident}"]
    if item.canvas:
        names.append(f"{ident}_fb")
        if ident.startswith("RESPONSE_"):
            names.append(f"FEEDBACK_{ident.removeprefix('RESPONSE_')}_fb")
    return names


def _no_key(item: Item, response: str, idents: set[str]) -> str:
    """Why a choice item has no key: the response processing may name the sets of choices
    it accepts (`match` with a `multiple` of values: IMS's "Chocolate Milk" accepts two),
    which a question, having one key, is not read from."""
    d = item.d
    if response not in item.decls:
        # IMS's own QTI 2.0 choice_multiple example names MR01 and declares RESPONSE.
        names = [repr(name) for name in itertools.islice(item.decls, 4)]
        declared = ", ".join(names[:3]) + (", …" if len(names) > 3 else "") or "none"
        named = (f"response {response!r} is not declared" if response
                 else "responseIdentifier is missing")
        return (f"the interaction's {named} (declared: {declared}), so no choice is known "
                "to be correct")
    lines: list[str] = []
    sets: dict[frozenset[str], None] = {}  # a dict: a list's `in` is quadratic
    for match in d.descendants(item.processing, "match"):
        operands = [e for e in match if isinstance(e.tag, str)]
        if len(operands) != 2 or not any(d.name(e) == "variable" and
                                         d.get(e, "identifier") == response for e in operands):
            continue
        other = next((e for e in operands if not (d.name(e) == "variable" and
                                                  d.get(e, "identifier") == response)), None)
        if other is None:
            continue  # the response matched with itself: no choice named
        values = [other] if d.name(other) == "baseValue" else (
            [e for e in other if d.name(e) == "baseValue"]
            if d.name(other) in ("multiple", "ordered") else [])
        chosen = frozenset(d.text(v) for v in values)
        if chosen and chosen <= idents and chosen not in sets:
            sets[chosen] = None
            lines.append(str(match.sourceline))
    why = "no correctResponse or mapping names a correct choice"
    if len(sets) > 1:
        return (f"{why}, and the response processing accepts {len(sets)} different sets of "
                f"choices (lines {', '.join(lines[:-1])} and {lines[-1]}): a question has one "
                "correct set")
    if sets:
        return (f"{why}; the response processing names the set of choices it accepts (line "
                f"{lines[0]}), which is not read as the key")
    return "no choice is declared correct (no correctResponse or mapping names one)"


def _check_partial(item: Item, decl: Declaration, idents: list[str], correct: set[str]) -> None:
    """Note how the mapping's per-choice scores differ from partial scoring (each correct
    pick earns points/#correct, each wrong pick loses as much, never below 0), if they do."""
    points = item.points() or 1.0  # None: the bank default, which a reader's bank keeps at 1
    right = [i for i in idents if i in correct]
    each = points / len(right)
    scores: dict[str, float] = {}
    for key, value, _ in decl.mapping:
        scores.setdefault(key, value)

    def same(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)

    wrong = [i for i in idents if i not in correct]
    faithful = (
        all(same(scores.get(i, decl.default_value), each) for i in right)
        and all(same(scores.get(i, decl.default_value), -each) for i in wrong)
        and (not wrong or (decl.lower_bound is not None and same(decl.lower_bound, 0)))
        and (decl.upper_bound is None or decl.upper_bound >= points or same(decl.upper_bound,
                                                                             points))
    )
    if not faithful and decl.mapping_element is not None:
        item.note(decl.mapping_element, "changed", "the choices' scores change: the response "
                  f"processing gives {item.mapping_terms(decl, 'choice')}; partial scoring "
                  f"gives each correct choice {each:g} and each wrong one {-each:g}, the total "
                  "at least 0")


def _label(d: Dialect, choice: etree._Element) -> str:
    """A choice's text without the feedback it holds ("True <feedbackInline>Right!…")."""
    parts = [choice.text or ""]
    for child in choice:
        if d.name(child) != "feedbackInline":
            parts.append(all_text(child))
        parts.append(child.tail or "")
    return collapse("".join(parts))


def _inline_feedback(item: Item, choice: etree._Element) -> str | None:
    """The feedback a choice holds (its feedbackInline elements, taken out of it): shown to
    a learner who picks it."""
    texts = []
    for inline in list(item.d.children(choice, "feedbackInline")):
        if text := item.markdown(inline):
            texts.append(text)
        replace_with_text(inline, "")
    return "\n\n".join(texts) or None


def _order(item: Item, interaction: etree._Element) -> dict[str, Any]:
    d = item.d
    choices = {d.get(c, "identifier") or "": c for c in d.children(interaction, "simpleChoice")}
    order = [ident for ident in item.declaration(interaction).correct if ident in choices]
    if len(order) < 2:
        raise Unreadable("the order interaction has no correct order")
    if d.get(interaction, "shuffle") == "true":
        for ident, element in choices.items():
            if d.get(element, "fixed") == "true":
                item.note(element, "dropped", f"the order item {ident!r} keeps its place when "
                          "the others are shuffled; an ordering question shuffles every item")
    items = [_shown(item, choices[i], "order item") for i in order]
    _told_apart(item, [choices[i] for i in order], items, "order items")
    return {"type": "ordering", "items": items}


def _images(d: Dialect, element: etree._Element) -> list[etree._Element]:
    return [e for e in element.iter() if local(e) == "img" and d.is_xhtml(e)]


def _shown(item: Item, element: etree._Element, what: str) -> str:
    """The rich text of a choice the question cannot do without: one that shows nothing
    (an image that is not kept and has no alt text to stand for it) leaves the question
    out."""
    text = item.markdown(element)
    if not text:
        d = item.d
        ident = d.get(element, "identifier")
        if _images(d, element):
            raise Unreadable(f"the {what} {ident!r} shows only an image that is not kept, and "
                             "it has no alt text")
        if any(isinstance(e.tag, str) for e in element.iterdescendants()):
            # What it held is noted as dropped: nothing is made up in its place (such as
            # its identifier, which a learner never saw).
            raise Unreadable(f"the {what} {ident!r} shows nothing that can be carried")
        raise Unreadable(f"the {what} {ident!r} is empty")
    return text


def _told_apart(item: Item, elements: list[etree._Element], texts: list[str], what: str) -> None:
    """Leave the question out when two of `elements` showing images read alike without them
    (the same alt text, "flag" for every flag): nothing tells them apart. A kept image gives
    its own href, so only dropped ones read alike."""
    d = item.d
    seen: dict[str, etree._Element] = {}
    for element, text in zip(elements, texts, strict=True):
        first = seen.setdefault(text, element)
        if first is not element and (_images(d, first) or _images(d, element)):
            raise Unreadable(f"the {what} {d.get(first, 'identifier')!r} and "
                             f"{d.get(element, 'identifier')!r} both read {text!r} once their "
                             "images are dropped: nothing tells them apart")


def _match_text(item: Item, element: etree._Element) -> str:
    """The text of a match, which is plain text: an image in it counts as its alt text
    (noted); a match that is only an image without alt text leaves the question out."""
    d = item.d
    if not _images(d, element):
        return d.text(element)
    ident = d.get(element, "identifier")
    copied = deepcopy(element)
    alts = []
    for image in _images(d, copied):
        alts.append(collapse(image.get("alt")))
        replace_with_text(image, f" {alts[-1]} ")
    text = d.text(copied)
    if not text:
        raise Unreadable(f"the match {ident!r} is an image without alt text, and a match is "
                         "plain text")
    if all(alts):
        item.note(element, "changed", f"the image of the match {ident!r} is given by its alt "
                  "text: a match is plain text")
    else:
        item.note(element, "dropped", f"an image without alt text in the match {ident!r} is "
                  "dropped: a match is plain text")
    return text


def _match(item: Item, interaction: etree._Element) -> dict[str, Any]:
    d = item.d
    sets = d.children(interaction, "simpleMatchSet")
    if len(sets) != 2:
        raise Unreadable("a match interaction needs two match sets")
    sources, targets = (d.children(s, "simpleAssociableChoice") for s in sets)
    texts = {d.get(t, "identifier") or "": _match_text(item, t) for t in targets}
    matched: dict[str, list[str]] = {}
    for first, second in item.pairs(interaction):
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
        pairs.append({"prompt": _shown(item, element, "match prompt"), "match": texts[found[0]]})
        used.add(texts[found[0]])
    if len(pairs) < 2:
        raise Unreadable("a matching question needs two prompts with a correct match")
    distractors = [t for t in dict.fromkeys(texts.values()) if t and t not in used]
    item.note_pair_scoring(item.declaration(interaction), "pair")
    fields: dict[str, Any] = {"type": "matching", "pairs": pairs}
    if distractors:
        fields["distractors"] = distractors
    return fields


def _associate(item: Item, interaction: etree._Element) -> dict[str, Any]:
    d = item.d
    choices = {d.get(c, "identifier") or "": c
               for c in d.children(interaction, "simpleAssociableChoice")}
    pairs = [{"prompt": _shown(item, choices[a], "associate choice"),
              "match": _match_text(item, choices[b])}
             for a, b in item.pairs(interaction) if a in choices and b in choices]
    if len(pairs) < 2:
        raise Unreadable("an associate interaction needs two correct pairs")
    item.note(interaction, "changed", "the associate interaction's pairs become matching "
              "pairs (first of each pair → second)")
    item.note_pair_scoring(item.declaration(interaction), "pair")
    return {"type": "matching", "pairs": pairs}


def _essay(item: Item, interaction: etree._Element) -> dict[str, Any]:
    fields: dict[str, Any] = {"type": "essay"}
    decl = item.declaration(interaction)
    correct = decl.correct
    accepted = _scored_text(item, decl.identifier)
    if correct or accepted:
        from packager.readers.html_markdown import text_to_markdown

        fields["sample_answer"] = text_to_markdown(correct[0] if correct else accepted[0])
    if accepted or (correct and item.template.startswith(("match_correct", "map_response"))):
        shown = ", ".join(repr(a) for a in (accepted or list(correct))[:5])
        item.note(item.processing if item.processing is not None else interaction, "changed",
                  f"the response processing checks this answer box against {shown} itself: "
                  "an essay is scored by a person, so no answer is marked right (the first "
                  "is its sample answer)")
    return fields


def _scored_text(item: Item, response: str) -> list[str]:
    """The text values the response processing compares `response` with (`match` or
    `stringMatch` against a baseValue) in the test of a rule that gives points: a typed
    answer it scores itself, as Canvas's conversion of Respondus' fill-in-the-blank does.
    A rule that gives 0 (or a comparison under `not`) names an answer that is not right."""
    d = item.d
    found: list[str] = []
    if item.processing is None:
        return found
    for branch in item.processing.iter():
        if not isinstance(branch.tag, str) or d.name(branch) not in (
                "responseIf", "responseElseIf"):
            continue
        parts = [e for e in branch if isinstance(e.tag, str)]
        if not parts or not _gives_points(d, parts[1:]):
            continue
        for test in parts[0].iter():
            if isinstance(test.tag, str) and d.name(test) in ("match", "stringMatch") and not (
                    _negated(d, test, branch)):
                found.extend(_compared(d, test, response))
    return list(dict.fromkeys(found))


def _negated(d: Dialect, test: etree._Element, branch: etree._Element) -> bool:
    """Whether `test` stands under a `not` within the rule `branch`."""
    for up in test.iterancestors():
        if up is branch:
            return False
        if d.name(up) == "not":
            return True
    return False


def _gives_points(d: Dialect, rules: list[etree._Element]) -> bool:
    """Whether a rule's body may raise a score: sets it to more than 0, adds to it, or sets
    it to another expression; a score is SCORE or an outcome named so (Respondus' QUE_SCORE,
    in Canvas's conversions), not the bounds MAXSCORE and MINSCORE."""
    for rule in rules:
        outcome = (d.get(rule, "identifier") or "").upper()
        if (d.name(rule) != "setOutcomeValue" or not outcome.endswith("SCORE")
                or outcome in ("MAXSCORE", "MINSCORE")):
            continue
        value = [e for e in rule if isinstance(e.tag, str)]
        if len(value) != 1 or _raises(d, value[0], outcome):
            return True
    return False


def _raises(d: Dialect, value: etree._Element, outcome: str) -> bool:
    """Whether an outcome's new value may be more than 0 or than it was: not a number of 0
    or less, a `sum` of the outcome and such numbers, or the outcome less a number of 0 or
    more (a rule taking a point off for an answer names no answer the box accepts)."""
    parts = [e for e in value if isinstance(e.tag, str)]

    def own(e: etree._Element) -> bool:
        return d.name(e) == "variable" and (d.get(e, "identifier") or "").upper() == outcome

    def at_most_0(e: etree._Element) -> bool:
        return d.name(e) == "baseValue" and (number(d.text(e)) or 0) <= 0

    name = d.name(value)
    if name == "baseValue":
        return not at_most_0(value)
    if name == "sum":
        return not all(own(e) or at_most_0(e) for e in parts)
    if name == "subtract" and len(parts) == 2 and own(parts[0]):
        return not (d.name(parts[1]) == "baseValue" and (number(d.text(parts[1])) or 0) >= 0)
    return True


def _compared(d: Dialect, test: etree._Element, response: str) -> list[str]:
    operands = [e for e in test if isinstance(e.tag, str)]
    if len(operands) != 2 or not any(d.name(e) == "variable" and d.get(e, "identifier")
                                      == response for e in operands):
        return []
    return [d.text(e) for e in operands if d.name(e) == "baseValue" and d.text(e)]
