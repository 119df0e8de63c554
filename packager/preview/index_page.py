"""The site's index: every valid bank with its counts and warnings, every invalid bank with
the diagnostics `validate` gives (instead of a page)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from packager.diagnostics import Diagnostic
from packager.model import QUESTION_TYPES, Bank
from packager.preview.markup import count, el, page, to_html
from packager.preview.question_view import TYPE_NAMES


@dataclass(frozen=True)
class IndexEntry:
    source: str  # the bank file as given
    bank: Bank | None  # None: invalid
    folder: str | None  # the bank page's folder in the site
    diagnostics: Sequence[Diagnostic]


def index_page(entries: Sequence[IndexEntry]) -> bytes:
    root, body = page("Question bank review", "en", "assets/preview.css")
    header = el(body, "header", class_="site-head")
    el(header, "h1", "Question bank review")
    valid = [e for e in entries if e.bank is not None]
    invalid = [e for e in entries if e.bank is None]
    questions = sum(len(e.bank.questions) for e in valid if e.bank is not None)
    summary = f"{count(len(valid), 'bank')}, {count(questions, 'question')}"
    if invalid:
        summary += f"; {count(len(invalid), 'bank')} failed validation"
    el(header, "p", summary, class_="meta")
    main = el(body, "main", id="Main")
    if valid:
        table = el(main, "table", class_="banks")
        el(table, "caption", "Banks")
        row = el(el(table, "thead"), "tr")
        for word in ("Bank", "Version", "Questions", "By type", "Warnings"):
            el(row, "th", word, scope="col")
        rows = el(table, "tbody")
        for entry in valid:
            assert entry.bank is not None and entry.folder is not None
            _bank_row(rows, entry, entry.bank, entry.folder)
    if invalid:
        box = el(main, "section", class_="invalid")
        el(box, "h2", "Banks that failed validation")
        el(
            box,
            "p",
            "These have no page: fix the problems below (`packager validate` "
            "lists the same), then build the preview again.",
        )
        for entry in invalid:
            el(box, "h3", entry.source)
            problems = el(box, "ul", class_="diagnostics")
            for diagnostic in entry.diagnostics:
                el(problems, "li", diagnostic.format(), class_=diagnostic.severity.value)
    if not entries:
        el(main, "p", "No banks were given.")
    return to_html(root)


def _bank_row(rows: etree._Element, entry: IndexEntry, bank: Bank, folder: str) -> None:
    row = el(rows, "tr")
    head = el(row, "th", scope="row")
    el(head, "a", bank.title, href=f"{folder}/index.html")
    el(head, "code", entry.source, class_="source")
    el(row, "td", bank.version)
    el(row, "td", f"{len(bank.questions):,}", class_="number")
    types: Counter[str] = Counter(q.type for q in bank.questions)
    el(
        row,
        "td",
        ", ".join(f"{TYPE_NAMES[t]} {types[t]:,}" for t in QUESTION_TYPES if types[t]),
    )
    cell = el(row, "td")
    if not entry.diagnostics:
        el(cell, "span", "none", class_="none")
        return
    warnings = el(cell, "ul", class_="diagnostics")
    for diagnostic in entry.diagnostics:
        el(warnings, "li", diagnostic.format(), class_="warning")
