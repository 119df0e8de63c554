"""The preview site in Debian chromium, opened from disk (file://) as a reviewer opens it.

Every page of both sample banks loads without a console error or a failed request and asks
for nothing outside the site; every question id is an anchor; every scored question's
explanation is in the DOM; "try it" hides the key and reveals it on Check answer, scoring
each type as the SCORM player does; the keyboard alone works the tools; axe-core finds no
serious or critical violation; print gives an answer key; hostile text stays inert.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from packager.model import questions as m
from packager.preview.site import build_site, write_site
from packager.richtext_plain import plain_text
from tests.browser.driver import ALL_CORRECT, ALL_WRONG, answer
from tests.conftest import ROOT
from tests.test_export_cli import _run as run_packager
from tests.test_preview import BAD_INPUTS, SIGNAL, _hostile_bank

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BANK_PAGES = {"neon-broccoli": "neon-broccoli-1.0.0", "sample-all-types": "sample-all-types-1.2.0"}


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`packager preview content/`, as the issue's "done when" runs it."""
    out = tmp_path_factory.mktemp("preview") / "site"
    result = run_packager(ROOT, "preview", "content/", "--out", str(out), xsd=False)
    assert result.returncode == 0, result.stderr
    return out


def _url(site: Path, bank: str | None = None) -> str:
    page = site / BANK_PAGES[bank] / "index.html" if bank else site / "index.html"
    return page.as_uri()


def _watch_requests(page: Any, site: Path) -> list[str]:
    """Every request that failed or left the site, as the test collects them."""
    problems: list[str] = []
    prefix = site.as_uri() + "/"
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith((prefix, "data:")) else problems.append(f"outside: {r.url}")
        ),
    )
    return problems


@pytest.fixture
def review(page: Any, preview_site: Path) -> Iterator[Any]:
    """The sample-all-types page, loaded; fails on any failed or outside request."""
    problems = _watch_requests(page, preview_site)
    page.goto(_url(preview_site, "sample-all-types"))
    page.wait_for_selector("#Tools:not([hidden])")
    yield page
    assert not problems, problems


@pytest.mark.parametrize("bank", [None, *BANK_PAGES])
def test_each_page_loads_without_errors_or_outside_requests(
    page: Any, preview_site: Path, artifacts: Path, bank: str | None
) -> None:
    problems = _watch_requests(page, preview_site)
    page.goto(_url(preview_site, bank))
    page.wait_for_load_state("load")
    if bank:
        page.wait_for_selector("#Tools:not([hidden])")  # preview.js ran under the CSP
        assert page.locator("#Shown").inner_text().endswith("questions shown")
    page.screenshot(path=str(artifacts / f"preview-{bank or 'index'}.png"))
    assert not problems, problems


@pytest.mark.parametrize("bank", BANK_PAGES)
def test_every_question_has_its_anchor_and_scored_ones_their_explanation(
    page: Any, preview_site: Path, load_bank: Any, artifacts: Path, bank: str
) -> None:
    questions = load_bank(bank).bank.questions
    for q in questions:
        page.goto(f"{_url(preview_site, bank)}#{q.id}")
        assert page.evaluate("() => document.querySelector(':target').id") == q.id
        if not isinstance(q, m.TextItem):
            shown = page.locator(f'[id="{q.id}"] .explanation').inner_text()
            assert "".join(plain_text(q.explanation or "").split()) in "".join(shown.split())
    if bank == "neon-broccoli":  # the seed question, with its explanation, on screen
        explanation = page.locator('[id="department-goals-scale"] .explanation')
        assert explanation.is_visible()
        assert "overall mission" in explanation.inner_text()
        page.locator('[id="department-goals-scale"]').screenshot(
            path=str(artifacts / "preview-seed-question.png")
        )


# -- "try it" -----------------------------------------------------------------------------------


def _verdicts(page: Any, answers: dict[str, Any], load_bank: Any) -> dict[str, str]:
    types = {q.id: q.type for q in load_bank("sample-all-types").bank.questions}
    found = {}
    for qid, value in answers.items():
        answer(page, qid, types[qid], value)
        page.locator(f'article[id="{qid}"]').get_by_role("button", name="Check answer").click()
        found[qid] = page.locator(f'article[id="{qid}"] .verdict').inner_text()
    return found


def test_try_it_hides_the_key_until_the_answer_is_checked(review: Any, artifacts: Path) -> None:
    page = review
    scored = page.locator("article.question:has(section.answer)")
    count = scored.count()
    assert count == 11
    assert page.locator("section.answer:visible").count() == count
    page.get_by_role("button", name="Try it").click()
    assert page.get_by_role("button", name="Try it").get_attribute("aria-pressed") == "true"
    assert page.locator("section.answer:visible").count() == 0
    assert page.locator(".key-mark:visible").count() == 0
    assert page.locator(".explanation:visible").count() == 0
    article = page.locator('article[id="best-month"]')
    article.scroll_into_view_if_needed()
    answer(page, "best-month", "single_choice", "january")
    article.get_by_role("button", name="Check answer").click()
    assert article.locator(".verdict").inner_text() == "Incorrect: 0 of 2 points."
    assert article.locator(".explanation").is_visible()
    assert article.locator(".key-mark").is_visible()
    assert page.locator("section.answer:visible").count() == 1  # only the checked one
    page.screenshot(path=str(artifacts / "preview-try-it.png"))
    article.get_by_role("button", name="Try again").click()
    assert not article.locator(".explanation").is_visible()
    assert article.locator(".verdict").inner_text() == ""
    page.get_by_role("button", name="Try it").click()  # back to review: everything shows
    assert page.locator("section.answer:visible").count() == count


def test_a_one_point_verdict_says_point(review: Any) -> None:
    page = review
    page.get_by_role("button", name="Try it").click()
    one = page.locator('article[id="espresso-origin"]')  # worth 1 point
    one.scroll_into_view_if_needed()
    answer(page, "espresso-origin", "true_false", ALL_CORRECT["espresso-origin"])
    one.get_by_role("button", name="Check answer").click()
    assert one.locator(".verdict").inner_text() == "Correct: 1 of 1 point."


def test_try_it_scores_every_type_as_the_player_does(review: Any, load_bank: Any) -> None:
    page = review
    page.get_by_role("button", name="Try it").click()
    right = _verdicts(page, ALL_CORRECT, load_bank)
    for qid, verdict in right.items():
        expected = "Not scored" if qid == "service-essay" else "Correct: "
        assert verdict.startswith(expected), (qid, verdict)
    page.get_by_role("button", name="Try it").click()
    page.get_by_role("button", name="Try it").click()  # a fresh start: forms reset
    wrong = _verdicts(page, ALL_WRONG, load_bank)
    for qid, verdict in wrong.items():
        expected = "Not scored" if qid == "service-essay" else "Incorrect: 0 of"
        assert verdict.startswith(expected), (qid, verdict)


def test_ordering_items_start_shuffled_in_try_it_mode(review: Any) -> None:
    page = review
    items = page.locator('article[id="order-steps"] ol.ordering > li')
    authored = items.evaluate_all("els => els.map(e => Number(e.dataset.item))")
    assert authored == [0, 1, 2, 3]
    page.get_by_role("button", name="Try it").click()
    shuffled = items.evaluate_all("els => els.map(e => Number(e.dataset.item))")
    assert sorted(shuffled) == authored and shuffled != authored


# -- filters, keyboard, print -------------------------------------------------------------------


def test_filters_by_type_and_tag(review: Any) -> None:
    page = review
    page.select_option("#TypeFilter", "numeric")
    assert page.locator("article.question:visible").count() == 2
    assert page.locator("#Shown").inner_text() == "2 of 12 questions shown"
    page.select_option("#TypeFilter", "")
    tag = page.locator("#TagFilter option").nth(1).get_attribute("value")
    page.select_option("#TagFilter", tag)
    visible = page.locator("article.question:visible")
    assert 0 < visible.count() < 12
    for i in range(visible.count()):
        # text_content: a question off screen is not laid out (content-visibility), so its
        # inner text is empty
        assert tag in visible.nth(i).locator("[data-tag]").all_text_contents()


def _active(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => { const a = document.activeElement; const s = getComputedStyle(a);
             return { tag: a.tagName.toLowerCase(), id: a.id, type: a.type || '',
                      text: (a.textContent || '').trim(), checked: !!a.checked,
                      pressed: a.getAttribute('aria-pressed'),
                      outline: s.outlineStyle, outlineWidth: s.outlineWidth,
                      question: a.closest('article') ? a.closest('article').id : '' }; }"""
    )


def _tab_to(page: Any, wanted: Any, limit: int = 60) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = _active(page)
        if wanted(active):
            return active
    raise AssertionError(f"Tab never reached the control; focus is on {_active(page)}")


def test_keyboard_alone_tries_a_question(review: Any) -> None:
    page = review
    skip = _tab_to(page, lambda a: a["tag"] == "a")
    assert skip["text"] == "Skip to the questions" and skip["outline"] != "none"
    toggle = _tab_to(page, lambda a: a["id"] == "TryIt")
    assert toggle["outline"] != "none" and toggle["outlineWidth"] != "0px"
    page.keyboard.press("Space")
    assert _active(page)["pressed"] == "true"
    radio = _tab_to(page, lambda a: a["type"] == "radio" and a["question"] == "best-month")
    assert not radio["checked"] and radio["outline"] != "none"
    page.keyboard.press("ArrowDown")  # the second choice, February: the key
    page.keyboard.press("Enter")  # Enter picks too, and does not send the form
    picked = _active(page)
    assert picked["checked"] and picked["question"] == "best-month"
    assert page.locator('article[id="best-month"] .verdict').inner_text() == ""
    _tab_to(page, lambda a: a["text"] == "Check answer")
    page.keyboard.press("Enter")
    verdict = page.locator('article[id="best-month"] .verdict')
    assert verdict.inner_text() == "Correct: 2 of 2 points."
    assert page.locator('article[id="best-month"] .explanation').is_visible()
    # In a text box, Enter checks the answer (as a form's submit would).
    box = page.locator('article[id="barista-word"]').get_by_label("Your answer")
    box.focus()
    page.keyboard.type("barista")
    page.keyboard.press("Enter")
    assert page.locator('article[id="barista-word"] .verdict').inner_text().startswith("Correct")


def test_print_gives_an_answer_key(review: Any, artifacts: Path) -> None:
    page = review
    page.get_by_role("button", name="Try it").click()  # even from try-it mode
    page.emulate_media(media="print")
    assert page.locator("section.answer:visible").count() == 11
    assert not page.locator("#Tools").is_visible()
    styles = page.locator("article.question").first.evaluate(
        "a => { const s = getComputedStyle(a); return [s.breakInside, s.pageBreakInside]; }"
    )
    assert "avoid" in styles
    page.screenshot(path=str(artifacts / "preview-print.png"))


# -- accessibility and hostile content ----------------------------------------------------------


def _axe(page: Any) -> list[str]:
    found: list[str] = page.evaluate(
        """async () => {
             const r = await axe.run(document, { resultTypes: ["violations"] });
             return r.violations.filter(v => ["serious", "critical"].includes(v.impact))
               .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
           }"""
    )
    return found


@pytest.mark.parametrize("bank", [None, *BANK_PAGES])
def test_axe_finds_no_serious_or_critical_violation(
    browser: Any, preview_site: Path, bank: str | None
) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does it)")
    # axe-core is injected as a script the page's policy (rightly) refuses.
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(_url(preview_site, bank))
        page.add_script_tag(path=str(AXE))
        assert _axe(page) == []
        if bank:  # and in try-it mode, with one answer checked
            page.get_by_role("button", name="Try it").click()
            page.locator(".response button.check").first.click()
            assert _axe(page) == []
    finally:
        context.close()


def test_hostile_text_stays_inert(page: Any, tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, build_site([_hostile_bank(tmp_path)]).files)
    problems = _watch_requests(page, out)
    page.goto((out / "hostile-1.0.0" / "index.html").as_uri())
    page.wait_for_selector("#Tools:not([hidden])")
    page.get_by_role("button", name="Try it").click()
    for button in page.locator(".response button.check").all():
        button.click()
    page.mouse.move(10, 10)
    page.locator("h1").hover()
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("article.question pre").first.inner_text().find(f"<script>{SIGNAL}") >= 0
    page.goto((out / "index.html").as_uri())
    assert page.evaluate("() => window.__pwned") is None
    assert not problems, problems


def test_the_policy_stops_inline_script_that_got_into_a_page(
    browser: Any, preview_site: Path, tmp_path: Path
) -> None:
    """Defence in depth: were a sanitiser bug to let markup through, the page's own
    Content-Security-Policy still refuses to run it (and says so on the console)."""
    from lxml import html

    folder = tmp_path / "site"
    shutil.copytree(preview_site, folder)
    page_file = folder / BANK_PAGES["neon-broccoli"] / "index.html"
    tree = html.fromstring(page_file.read_bytes())
    prompt = tree.xpath("//div[@class='prompt']")[0]
    prompt.append(html.fragment_fromstring(f"<script>{SIGNAL}</script>"))
    prompt.append(html.fragment_fromstring(f'<img src="x" onerror="{SIGNAL}">'))
    prompt.append(html.fragment_fromstring(f'<a id="Bad" href="javascript:{SIGNAL}">x</a>'))
    page_file.write_bytes(html.tostring(tree, doctype="<!DOCTYPE html>"))
    context = browser.new_context()
    try:
        page = context.new_page()
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
        page.goto(page_file.as_uri())
        page.wait_for_selector("#Tools:not([hidden])")  # the page's own script still runs
        page.click("#Bad")
        assert page.evaluate("() => window.__pwned") is None
        assert any("Content Security Policy" in text for text in refused), refused
    finally:
        context.close()


# A table of 14 columns and an inline formula of 80 terms, each wider than a question.
WIDE = {"wide-table": "| " + " | ".join(f"heading {i}" for i in range(14)) + " |\n|"
        + "---|" * 14 + "\n| " + " | ".join(f"value-{i}" for i in range(13)) + " | LASTCELL |",
        "long-math": "Simplify $" + "+".join(f"x_{{{i}}}" for i in range(80)) + "=9999$ now."}
# Whether the element's end can be brought into view and is then what is painted there.
REACHABLE = """(e) => {
  e.scrollIntoView({block: 'center', inline: 'end'});
  const r = e.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return hit !== null && (hit === e || e.contains(hit));
}"""


def test_what_is_wider_than_its_question_can_be_scrolled_to(page: Any, tmp_path: Path) -> None:
    """The question clips what its text draws (hostile math); a wide table or formula scrolls
    sideways on its own, so its end can be seen (review 29: both were cut off, unreachable)."""
    bank = json.loads((BAD_INPUTS / "base.json").read_text(encoding="utf-8"))
    first = bank["questions"][0]
    bank["questions"] = [{**first, "id": name, "prompt": text} for name, text in WIDE.items()]
    (tmp_path / "wide.json").write_text(json.dumps(bank), encoding="utf-8")
    out = tmp_path / "site"
    write_site(out, build_site([tmp_path / "wide.json"]).files)
    page.set_viewport_size({"width": 800, "height": 700})
    page.goto((out / f"{bank['id']}-{bank['version']}" / "index.html").as_uri())
    last_cell = page.locator("#wide-table td", has_text="LASTCELL")
    last_number = page.locator("#long-math mn", has_text="9999")
    for end in (last_cell, last_number):
        assert end.evaluate(REACHABLE), end


def test_matches_are_listed_as_the_player_lists_them(page: Any, tmp_path: Path) -> None:
    """Review 29: the page listed matches by code point ("Banana, apple, cherry, zucchini,
    Éclair"); the player sorts them for the bank's language."""
    bank = json.loads((BAD_INPUTS / "base.json").read_text(encoding="utf-8"))
    bank["questions"] = [{
        "id": "fruit", "type": "matching", "prompt": "Match them.", "explanation": "So.",
        "pairs": [{"prompt": "red", "match": "cherry"}, {"prompt": "yellow", "match": "Banana"},
                  {"prompt": "green", "match": "apple"}],
        "distractors": ["Éclair", "zucchini"]}]
    (tmp_path / "b.json").write_text(json.dumps(bank), encoding="utf-8")
    out = tmp_path / "site"
    write_site(out, build_site([tmp_path / "b.json"]).files)
    page.goto((out / f"{bank['id']}-{bank['version']}" / "index.html").as_uri())
    page.wait_for_selector("#Tools:not([hidden])")
    shown = page.locator("#fruit select").first.locator("option").all_inner_texts()
    assert shown == ["Choose a match", "apple", "Banana", "cherry", "Éclair", "zucchini"]
