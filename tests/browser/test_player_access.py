"""The player for every learner: keyboard only, phone width, reduced motion, contrast, lang;
and for every situation: no LMS (preview, file://), an LMS whose calls fail."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.driver import ALL_CORRECT, current, open_sco, run_quiz, set_values

pytestmark = pytest.mark.browser
BANK = "sample-all-types"


def _active(frame: Any) -> dict[str, Any]:
    return frame.evaluate(
        """() => { const a = document.activeElement; return {
             tag: a.tagName.toLowerCase(), type: a.type || '', text: (a.textContent || '').trim(),
             choice: a.dataset.choiceId || '', item: a.dataset.item || '', blank: a.dataset.blank || '',
             label: a.labels && a.labels.length ? a.labels[0].textContent.trim() : '',
             value: a.value === undefined ? '' : String(a.value), checked: !!a.checked }; }"""
    )


def _tab_to(page: Any, frame: Any, wanted: Any, limit: int = 40) -> dict[str, Any]:
    for _ in range(limit):
        active = _active(frame)
        if wanted(active):
            return active
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached the wanted control; focus is on {_active(frame)}")


def _press_button(page: Any, frame: Any, text: str) -> None:
    _tab_to(page, frame, lambda a: a["tag"] == "button" and a["text"] == text)
    page.keyboard.press("Enter")


def _keyboard_answer(page: Any, frame: Any, qid: str, qtype: str, value: Any) -> None:
    if qtype == "single_choice":
        _tab_to(page, frame, lambda a: a["type"] == "radio")
        for _ in range(30):
            if _active(frame)["choice"] == value and _active(frame)["checked"]:
                return
            if _active(frame)["choice"] == value:
                page.keyboard.press("Space")
            else:
                page.keyboard.press("ArrowDown")
        raise AssertionError(f"could not pick {value}")
    if qtype == "multiple_response":
        for cid in value:
            _tab_to(page, frame, lambda a, cid=cid: a["choice"] == cid)
            page.keyboard.press("Space")
    elif qtype == "true_false":
        _tab_to(page, frame, lambda a: a["type"] == "radio")
        if value:
            page.keyboard.press("Space")
        else:
            page.keyboard.press("ArrowDown")
    elif qtype in ("short_answer", "numeric", "essay"):
        _tab_to(page, frame, lambda a: a["label"] == "Your answer" or a["label"].startswith("Your answer"))
        page.keyboard.type(value)
    elif qtype == "matching":
        options = frame.evaluate(
            "() => [...document.querySelectorAll('select')].map(s => [...s.options].map(o => o.text))"
        )
        for i, text in enumerate(value):
            _tab_to(page, frame, lambda a: a["tag"] == "select")
            for _ in range(len(options[i]) + 1):
                selected = frame.evaluate(
                    "() => document.activeElement.options[document.activeElement.selectedIndex].text"
                )
                if selected == text:
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Tab")
    elif qtype == "ordering":
        for target, item in enumerate(value):
            while True:
                order = [int(x) for x in frame.locator("li.order-item").evaluate_all(
                    "els => els.map(e => e.dataset.item)")]
                if order.index(item) <= target:
                    break
                _tab_to(page, frame, lambda a, item=item: a["item"] == str(item) and a["text"].startswith("Up"))
                page.keyboard.press("Enter")
                page.wait_for_timeout(50)
    elif qtype == "fill_in_blanks":
        for blank, text in value.items():
            _tab_to(page, frame, lambda a, blank=blank: a["blank"] == blank)
            page.keyboard.type(text)


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_keyboard_only_completion(page: Any, site: Any, version: str) -> None:
    frame = open_sco(page, site(BANK, version))
    page.locator("#sco").focus()
    _press_button(page, frame, "Start quiz")
    for _ in range(20):
        qid, qtype = current(frame)
        # focus moves to the new question's heading
        assert frame.evaluate("document.activeElement.classList.contains('question-heading')")
        if qid in ALL_CORRECT:
            _keyboard_answer(page, frame, qid, qtype, ALL_CORRECT[qid])
        if frame.get_by_role("button", name="Submit quiz").count():
            _press_button(page, frame, "Submit quiz")
            break
        _press_button(page, frame, "Next")
    frame.wait_for_selector(".results")
    assert frame.locator(".results .score").inner_text() == "You scored 12 of 12 points (100%)."
    assert frame.evaluate("document.activeElement.id") == "results-heading"
    values = set_values(page, version)
    status = values["cmi.core.lesson_status"] if version == "1.2" else values["cmi.success_status"]
    assert status == "passed"


def test_phone_viewport_has_no_horizontal_scrolling(browser: Any, site: Any) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    frame = open_sco(page, site(BANK, "1.2"))
    assert frame.evaluate("window.innerWidth") == 320
    frame.get_by_role("button", name="Start quiz").click()
    for _ in range(12):
        overflow = frame.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{current(frame)[0]} scrolls sideways by {overflow}px"
        next_button = frame.get_by_role("button", name="Next")
        if not next_button.count():
            break
        next_button.click()
    context.close()


def test_reduced_motion_turns_animation_off(browser: Any, site: Any) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    frame = open_sco(page, site("neon-broccoli", "2004"))
    frame.get_by_role("button", name="Start quiz").click()
    frame.locator('input[data-choice-id="mission"]').check()
    frame.get_by_role("button", name="Check answer").click()
    assert frame.locator(".feedback").evaluate("e => getComputedStyle(e).animationName") == "none"
    context.close()


def test_language_labels_and_landmarks(page: Any, site: Any) -> None:
    frame = open_sco(page, site(BANK, "2004"))
    assert frame.evaluate("document.documentElement.lang") == "en"
    assert frame.title() == "Café Lumière: a tour of every question type"
    assert frame.locator("main").count() == 1
    assert frame.locator("[aria-live]").count() >= 1
    frame.get_by_role("button", name="Start quiz").click()
    for _ in range(12):
        unlabeled = frame.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea')].filter(e =>
                   !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).length""")
        assert unlabeled == 0, current(frame)
        buttons = frame.evaluate(
            "() => [...document.querySelectorAll('button')].filter(b => !b.textContent.trim()).length")
        assert buttons == 0
        next_button = frame.get_by_role("button", name="Next")
        if not next_button.count():
            break
        next_button.click()


CONTRAST = """() => {
  function rgb(c) { const m = c.match(/[\\d.]+/g).map(Number); return m; }
  function lum(c) { const [r, g, b] = rgb(c).slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; }
  function bg(e) { while (e) { const c = getComputedStyle(e).backgroundColor;
    if (rgb(c).length < 4 || rgb(c)[3] > 0) { if (c !== 'rgba(0, 0, 0, 0)') return c; }
    e = e.parentElement; } return 'rgb(255, 255, 255)'; }
  const out = [];
  document.querySelectorAll('h1, h2, h3, h4, p, label, button, li, .feedback-title, .verdict, th, td')
    .forEach(e => { if (!e.textContent.trim() || !e.offsetParent) return;
      const a = lum(getComputedStyle(e).color), b = lum(bg(e));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) out.push(e.tagName + '.' + e.className + ': ' + ratio.toFixed(2)); });
  return out; }"""


def test_text_contrast_is_at_least_aa(page: Any, site: Any) -> None:
    frame = open_sco(page, site(BANK, "1.2"))
    assert frame.evaluate(CONTRAST) == []
    frame.get_by_role("button", name="Start quiz").click()
    frame.get_by_role("button", name="Next").click()
    assert frame.evaluate(CONTRAST) == []
    run_quiz(frame, {"best-month": "january", "true-statements": ["total-53"]})
    frame.evaluate("document.querySelectorAll('.feedback').forEach(e => e.style.animation = 'none')")
    assert frame.evaluate(CONTRAST) == []


def test_preview_mode_without_an_lms(page: Any, site: Any) -> None:
    frame_page = page
    frame_page.goto(site(BANK, "2004", page="sco/index.html"))
    banner = frame_page.locator("#preview-banner")
    assert banner.is_visible()
    assert "Preview mode" in banner.inner_text()
    run_quiz(frame_page.main_frame, ALL_CORRECT)
    assert "not sent" in frame_page.locator(".saved").inner_text()


def test_runs_from_disk(page: Any, site: Any) -> None:
    index = site.root / f"{BANK}-scorm12" / "sco" / "index.html"
    page.goto(index.as_uri())
    assert page.locator("#preview-banner").is_visible()
    run_quiz(page.main_frame, ALL_CORRECT)
    assert page.locator(".results .score").inner_text() == "You scored 12 of 12 points (100%)."


@pytest.mark.parametrize("broken", ["throw", "false"])
@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_lms_errors_never_break_the_quiz(page: Any, site: Any, version: str, broken: str) -> None:
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    frame = open_sco(page, site(BANK, version, query=f"&broken={broken}"))
    run_quiz(frame, ALL_CORRECT)
    assert frame.locator(".results .score").inner_text() == "You scored 12 of 12 points (100%)."
    log = frame.evaluate("window.PackagerPlayer.lms.log")
    assert log, "failed LMS calls are recorded"
    assert any("[packager player] LMS" in w for w in warnings)
