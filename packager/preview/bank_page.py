"""The page of one valid bank: its metadata, the review tools, every question in bank order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from lxml import etree

from packager.capabilities import FidelityNote
from packager.diagnostics import Diagnostic
from packager.formats import TARGETS
from packager.model import QUESTION_TYPES, Bank, delivery_sections
from packager.preview.markup import count, el, page, to_html
from packager.preview.question_view import (
    TYPE_NAMES,
    FidelityBlocks,
    Texts,
    points_text,
    question_article,
)

# Page element ids hold capitals: question ids (the anchors) are lower-case slugs, so no
# question can take one of them.
ASSETS = "../assets"
DATA_SCRIPT = "quiz-data.js"  # the SCORM player's data for this bank (scoring in "try it")
_QUESTIONS = "packager-questions"  # the shell's marker where the questions go


def bank_page(
    bank: Bank,
    warnings: Sequence[Diagnostic],
    notes: Mapping[str, Sequence[FidelityNote]],
    media_paths: dict[str, str],
) -> bytes:
    """The page's bytes. `notes`: every target's fidelity notes of this bank, by target name."""
    root, body = page(f"{bank.title} (review)", bank.language, f"{ASSETS}/preview.css")
    el(body, "a", "Skip to the questions", href="#Questions", class_="skip")
    header = el(body, "header", class_="site-head")
    nav = el(header, "nav")
    nav.set("aria-label", "Preview site")
    el(nav, "a", "All banks", href="../index.html")
    el(header, "h1", bank.title)
    scored = [q for q in bank.questions if q.type != "text"]
    total = sum(bank.points_of(q) for q in scored)
    sections = delivery_sections(bank)
    # A section's random pick: learners get fewer questions than the bank holds.
    drawn = sum(min(s.pick, len(s.questions)) if s.pick else len(s.questions) for s in sections)
    el(
        header,
        "p",
        f"{bank.id} · version {bank.version} · {count(len(bank.questions), 'question')} · "
        f"{points_text(total)}"
        + (f" · {count(drawn, 'question')} drawn per attempt"
           if any(s.pick for s in sections) else ""),
        class_="meta",
    )
    main = el(body, "main", id="Main")
    texts = Texts(media_paths)
    _bank_details(main, bank, warnings, notes, texts)
    _tools(main, bank)
    by_question: dict[str, list[tuple[str, Sequence[FidelityNote]]]] = {
        q.id: [] for q in bank.questions
    }
    for name in TARGETS:
        grouped: dict[str | None, list[FidelityNote]] = {}
        for note in notes[name]:
            grouped.setdefault(note.question_id, []).append(note)
        for q in bank.questions:
            by_question[q.id].append((name, grouped.get(q.id, [])))
    el(main, "div", class_="questions", id="Questions").append(etree.Comment(_QUESTIONS))
    for src in (DATA_SCRIPT, f"{ASSETS}/quiz.js", f"{ASSETS}/preview.js"):
        el(body, "script", "", src=src)
    # The questions are serialized one by one into the shell's place for them: the page of a
    # large bank never exists as one tree (10,000 questions: 600,000 elements, ~400 MB).
    before, after = to_html(root).split(f"<!--{_QUESTIONS}-->".encode())
    pieces = [before]
    fidelity = FidelityBlocks()
    for number, q in enumerate(bank.questions, 1):
        article = question_article(bank, q, number, texts, by_question[q.id], fidelity)
        pieces.append(etree.tostring(article, method="html", encoding="utf-8"))
    pieces.append(after)
    return b"".join(pieces)


def _bank_details(
    main: etree._Element,
    bank: Bank,
    warnings: Sequence[Diagnostic],
    notes: Mapping[str, Sequence[FidelityNote]],
    texts: Texts,
) -> None:
    if bank.description:
        texts.block(main, bank.description, "description")
    facts = el(main, "dl", class_="facts")
    meta = bank.metadata
    for label, values in (
        ("Authors", meta.authors),
        ("Licence", [meta.license] if meta.license else []),
        ("Tags", meta.tags),
        ("Objectives", meta.objectives),
    ):
        if values:
            el(facts, "dt", label)
            el(facts, "dd", "; ".join(values))
    settings = bank.settings
    el(facts, "dt", "Settings")
    passing = (
        "no pass mark"
        if settings.passing_score is None
        else f"pass mark {round(settings.passing_score * 100, 2):g} %"
    )
    el(
        facts,
        "dd",
        f"{passing}; feedback shown {settings.show_feedback.replace('_', ' ')}; "
        f"choices {'shuffled' if settings.shuffle_choices else 'in authored order'}",
    )
    if bank.sections:
        el(facts, "dt", "Sections")
        dd = el(facts, "dd")
        items = el(dd, "ul")
        for section in delivery_sections(bank):
            picked = f", {section.pick} drawn at random" if section.pick else ""
            el(
                items,
                "li",
                f"{section.title or section.id}: {count(len(section.questions), 'question')}{picked}",
            )
    bank_notes = [(name, n) for name in TARGETS for n in notes[name] if n.question_id is None]
    if bank_notes:
        box = el(main, "section", class_="bank-notes")
        el(box, "h2", "Export notes for the whole bank")
        items = el(box, "ul")
        for name, note in bank_notes:
            el(items, "li", f"{TARGETS[name].summary}: {note.message}")
    if warnings:
        box = el(main, "section", class_="warnings")
        el(box, "h2", f"Validation warnings ({len(warnings)})")
        items = el(box, "ul")
        for diagnostic in warnings:
            el(items, "li", diagnostic.format())


def _tools(main: etree._Element, bank: Bank) -> None:
    """Try-it toggle and filters: hidden until preview.js runs, as they need it."""
    tools = el(main, "div", class_="toolbar", id="Tools", role="region", hidden="hidden")
    tools.set("aria-label", "Review tools")
    el(tools, "button", "Try it: hide the key", type="button", id="TryIt", aria_pressed="false")
    types: Counter[str] = Counter(q.type for q in bank.questions)
    type_field = el(tools, "span", class_="filter")
    el(type_field, "label", "Type", for_="TypeFilter")
    select = el(type_field, "select", id="TypeFilter")
    el(select, "option", f"All types ({len(bank.questions)})", value="")
    for name in QUESTION_TYPES:
        if types[name]:
            el(select, "option", f"{TYPE_NAMES[name]} ({types[name]})", value=name)
    tags = Counter(tag for q in bank.questions for tag in dict.fromkeys(q.tags))
    tag_field = el(tools, "span", class_="filter")
    el(tag_field, "label", "Tag", for_="TagFilter")
    select = el(tag_field, "select", id="TagFilter")
    el(select, "option", "All tags", value="")
    for tag in sorted(tags):
        el(select, "option", f"{tag} ({tags[tag]})", value=tag)
    el(tools, "p", "", id="Shown", role="status", class_="shown")
