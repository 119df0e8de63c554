"""The single-file HTML quiz in Debian chromium, opened from disk like a file on a USB stick.

It is the SCORM player in standalone mode: the quiz answered with the key scores 100 % and all
wrong 0 %, each checked answer shows its explanation, the keyboard alone reaches every control,
axe-core finds no serious or critical violation, and the page's Content-Security-Policy stops
any script or style that is not the page's own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from packager.richtext_plain import plain_text
from tests.browser.driver import ALL_CORRECT, ALL_WRONG, answer, current
from tests.browser.test_player_access import CONTRAST, _keyboard_answer, _press_button, _tab_to
from tests.browser.test_player_hostile import SIGNAL, VECTORS
from tests.cli.test_validate import run
from tests.conftest import CONTENT, ROOT, make_ctx
from tests.player_data import quiz_data, quiz_script

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BANKS = ("neon-broccoli", "sample-all-types")
# The seed question's key and a wrong answer; sample-all-types uses the driver's answers.
KEYS = {
    "neon-broccoli": ({"department-goals-scale": "mission"}, {"department-goals-scale": "revops"}),
    "sample-all-types": (ALL_CORRECT, ALL_WRONG),
}


@pytest.fixture(scope="session")
def quizzes(tmp_path_factory: pytest.TempPathFactory, load_bank: Any) -> dict[str, Path]:
    """Each sample bank's quiz, exported and written to disk, by bank id."""
    from packager.pipeline import export

    folder = tmp_path_factory.mktemp("html-quiz")
    paths = {}
    for bank in BANKS:
        artifact = export(load_bank(bank), "html", make_ctx())
        paths[bank] = folder / artifact.name
        paths[bank].write_bytes(artifact.data)
    return paths


@pytest.fixture
def quiz(page: Any) -> Iterator[Any]:
    """open(bank): the page showing that quiz; fails on any failed request (and, through the
    page fixture, on any console error)."""
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(f"{r.url[:80]}: {r.failure}"))
    page.on("response", lambda r: failed.append(f"{r.url[:80]}: {r.status}") if r.status >= 400 else None)
    yield page
    assert not failed, "requests failed:\n" + "\n".join(failed)


def _open(page: Any, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_selector("main > *")


def _explanations(load_bank: Any, bank: str) -> dict[str, str]:
    loaded = load_bank(bank).bank
    return {q.id: plain_text(q.explanation) for q in loaded.questions if getattr(q, "explanation", None)}


def _words(text: str) -> str:
    # Without white space: MathML lays out "0.25×53" with spaces the plain text has not.
    return "".join(text.split())


def _answer_and_check_each(page: Any, answers: dict[str, Any], explanations: dict[str, str]) -> list[str]:
    """From the intro to the results: answer, Check answer (the explanation must show), Next,
    …, Submit. Returns the ids of the questions checked."""
    page.get_by_role("button", name="Start quiz").click()
    checked = []
    for _ in range(60):
        qid, qtype = current(page)
        if qid in answers:
            answer(page, qid, qtype, answers[qid])
            page.get_by_role("button", name="Check answer").click()
            explanation = page.locator(f'article[data-question-id="{qid}"] .feedback .explanation')
            assert explanation.is_visible(), f"no explanation after checking {qid}"
            assert _words(explanations[qid])[:60] in _words(explanation.inner_text()), qid
            checked.append(qid)
        submit = page.get_by_role("button", name="Submit quiz")
        if submit.count():
            submit.click()
            page.wait_for_selector(".results")
            return checked
        page.get_by_role("button", name="Next").click()
    raise AssertionError("the quiz never reached its last question")


@pytest.mark.parametrize("bank", BANKS)
def test_opens_from_disk_with_no_error_and_no_lms(quiz: Any, quizzes: dict[str, Path], bank: str) -> None:
    _open(quiz, quizzes[bank])
    assert quiz.locator("#quiz-title").inner_text() == quiz.title()
    assert not quiz.locator("#preview-banner").is_visible()  # not a SCORM package gone astray
    assert quiz.evaluate("window.PackagerPlayer.lms.mode") == "standalone"
    assert quiz.get_by_role("button", name="Start quiz").is_visible()


@pytest.mark.parametrize("bank", BANKS)
def test_the_key_scores_100_percent_with_every_explanation(
    quiz: Any, quizzes: dict[str, Path], load_bank: Any, artifacts: Path, bank: str
) -> None:
    _open(quiz, quizzes[bank])
    key, _ = KEYS[bank]
    checked = _answer_and_check_each(quiz, key, _explanations(load_bank, bank))
    assert sorted(checked) == sorted(key)
    assert "(100%)" in quiz.locator(".results .score").inner_text()
    assert "keeps no record" in quiz.locator(".results .saved").inner_text()
    quiz.screenshot(path=str(artifacts / f"html-quiz-{bank}-results.png"), full_page=True,
                    animations="disabled")


@pytest.mark.parametrize("bank", BANKS)
def test_all_wrong_scores_0_percent_with_every_explanation(
    quiz: Any, quizzes: dict[str, Path], load_bank: Any, bank: str
) -> None:
    _open(quiz, quizzes[bank])
    _, wrong = KEYS[bank]
    _answer_and_check_each(quiz, wrong, _explanations(load_bank, bank))
    assert "(0%)" in quiz.locator(".results .score").inner_text()
    # A practice quiz can be taken again.
    quiz.get_by_role("button", name="Start again").click()
    assert quiz.locator("article.question").count() == 1
    assert quiz.evaluate("document.activeElement.classList.contains('question-heading')")


def test_the_seed_question_shows_its_explanation(
    quiz: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], artifacts: Path
) -> None:
    """The issue's "done when": `packager export --format html content/neon-broccoli.json`
    writes the quiz, which shows the seed question, answered and checked, with its explanation."""
    code, _, err = run(["export", "--format", "html", "--out", str(tmp_path),
                        str(CONTENT / "neon-broccoli.json")], capsys)
    assert code == 0, err
    (written,) = tmp_path.glob("*.html")
    assert written.name == "neon-broccoli-1.0.0.html.html"
    _open(quiz, written)
    quiz.get_by_role("button", name="Start quiz").click()
    quiz.locator('input[data-choice-id="mission"]').check()
    quiz.get_by_role("button", name="Check answer").click()
    feedback = quiz.locator(".feedback")
    assert feedback.get_attribute("data-result") == "correct"
    assert feedback.locator(".explanation").inner_text().startswith("Explanation")
    quiz.screenshot(path=str(artifacts / "html-quiz-neon-broccoli-feedback.png"), full_page=True,
                    animations="disabled")


def test_images_are_shown_from_the_page_itself(quiz: Any, quizzes: dict[str, Path]) -> None:
    _open(quiz, quizzes["sample-all-types"])
    quiz.get_by_role("button", name="Start quiz").click()
    for _ in range(12):
        images = quiz.locator("article.question img")
        if images.count():
            break
        quiz.get_by_role("button", name="Next").click()
    assert images.count() == 1
    assert images.get_attribute("src").startswith("data:image/png;base64,")
    assert images.evaluate("img => img.complete && img.naturalWidth > 0")


def test_keyboard_only(quiz: Any, quizzes: dict[str, Path]) -> None:
    """Tab, Space, Enter and arrows alone: start, answer every type, check, move on, submit."""
    _open(quiz, quizzes["sample-all-types"])
    _press_button(quiz, quiz, "Start quiz")
    for _ in range(20):
        qid, qtype = current(quiz)
        assert quiz.evaluate("document.activeElement.classList.contains('question-heading')")
        if qid in ALL_CORRECT:
            _keyboard_answer(quiz, quiz, qid, qtype, ALL_CORRECT[qid])
            _press_button(quiz, quiz, "Check answer")
            # Focus moves to the result, which holds the explanation.
            assert quiz.evaluate("document.activeElement.classList.contains('feedback-title')")
            assert quiz.locator(".feedback .explanation").is_visible()
        if quiz.get_by_role("button", name="Submit quiz").count():
            _press_button(quiz, quiz, "Submit quiz")
            break
        _press_button(quiz, quiz, "Next")
    quiz.wait_for_selector(".results")
    assert quiz.locator(".results .score").inner_text() == "You scored 12 of 12 points (100%)."


def test_enter_and_space_pick_choices_and_focus_is_visible(quiz: Any, quizzes: dict[str, Path]) -> None:
    _open(quiz, quizzes["sample-all-types"])
    _press_button(quiz, quiz, "Start quiz")
    outline = "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    while current(quiz)[0] != "true-statements":
        _press_button(quiz, quiz, "Next")
    boxes = quiz.locator('article input[type="checkbox"]')
    _tab_to(quiz, quiz, lambda a: a["type"] == "checkbox")
    style, width = quiz.evaluate(outline)
    assert style != "none" and width >= 2, "a focused choice shows where the focus is"
    quiz.keyboard.press("Enter")
    assert boxes.nth(0).is_checked()
    quiz.keyboard.press("Enter")
    assert not boxes.nth(0).is_checked()
    quiz.keyboard.press("Space")
    assert boxes.nth(0).is_checked()
    quiz.keyboard.press("Tab")
    quiz.keyboard.press("Enter")
    assert boxes.nth(1).is_checked()
    _press_button(quiz, quiz, "Check answer")
    assert quiz.locator(".feedback").is_visible()
    quiz.keyboard.press("Tab")
    assert quiz.evaluate("document.activeElement.tagName") in ("BUTTON", "A")
    style, width = quiz.evaluate(outline)
    assert style != "none" and width >= 2, "a focused button shows where the focus is"


def _axe(page: Any) -> list[str]:
    result = page.evaluate(
        """async () => { const r = await axe.run(document, {resultTypes: ['violations']});
             return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', ')); }"""
    )
    return list(result)


@pytest.mark.parametrize("bank", BANKS)
def test_axe_finds_no_serious_or_critical_violation(browser: Any, quizzes: dict[str, Path], bank: str) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does it)")
    # axe-core is injected as a script the page's policy would (rightly) refuse. Reduced motion:
    # feedback fades in, and axe would measure the contrast of text still half transparent.
    context = browser.new_context(bypass_csp=True, reduced_motion="reduce")
    page = context.new_page()
    _open(page, quizzes[bank])
    page.add_script_tag(path=str(AXE))
    found = {"intro": _axe(page)}
    key, _ = KEYS[bank]
    page.get_by_role("button", name="Start quiz").click()
    for _ in range(20):
        qid, qtype = current(page)
        found[qid] = _axe(page)
        if qid in key:
            answer(page, qid, qtype, key[qid])
            page.get_by_role("button", name="Check answer").click()
            found[f"{qid} checked"] = _axe(page)
            assert page.evaluate(CONTRAST) == [], qid
        if page.get_by_role("button", name="Submit quiz").count():
            page.get_by_role("button", name="Submit quiz").click()
            break
        page.get_by_role("button", name="Next").click()
    page.wait_for_selector(".results")
    found["results"] = _axe(page)
    context.close()
    assert {screen: v for screen, v in found.items() if v} == {}


def test_the_policy_stops_scripts_and_styles_that_are_not_the_pages_own(
    browser: Any, quizzes: dict[str, Path]
) -> None:
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    _open(page, quizzes["neon-broccoli"])
    page.evaluate(
        f"""() => {{ const s = document.createElement('script'); s.textContent = '{SIGNAL}';
                   document.body.appendChild(s);
                   const st = document.createElement('style'); st.textContent = 'body {{ display: none }}';
                   document.head.appendChild(st);
                   const i = document.createElement('img'); i.src = 'https://example.invalid/x.png';
                   document.body.appendChild(i); }}"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("getComputedStyle(document.body).display") != "none"
    assert len(refused) == 3, refused
    context.close()


def test_hostile_question_html_stays_inert(browser: Any, tmp_path: Path, load_bank: Any) -> None:
    """Every classic injection vector, written into the quiz data past the sanitiser, as if a
    future sanitiser bug let it through: the player's allow-list copy and the policy hold."""
    from packager.packages import html, player

    bank = load_bank("neon-broccoli").bank
    data = quiz_data(bank, None, {})
    data["show_feedback"] = html.FEEDBACK
    data["questions"][0]["prompt"] = "".join(VECTORS)
    data["questions"][0]["explanation"] = "".join(reversed(VECTORS))
    script = quiz_script(data) + player.media_script({})
    path = tmp_path / "hostile.html"
    path.write_bytes(b"".join(html.page([script], bank.title, bank.language)))
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open(page, path)
    page.get_by_role("button", name="Start quiz").click()
    page.locator('input[data-choice-id="mission"]').check()
    page.get_by_role("button", name="Check answer").click()
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None and dialogs == []
    names = page.evaluate(
        "() => [...document.querySelectorAll('.prompt *, .explanation *')].map(e => e.localName)")
    assert not {"script", "iframe", "svg", "style", "form", "object", "embed", "base", "meta",
                "link", "input", "details", "video"} & set(names), names
    attributes = page.evaluate(
        "() => [...document.querySelectorAll('.prompt *, .explanation *')].flatMap(e => e.getAttributeNames())")
    assert not [a for a in attributes if a.startswith("on") or a in ("style", "srcdoc")], attributes
    context.close()



def test_a_formula_wider_than_its_question_can_be_scrolled_to(page: Any, tmp_path: Path) -> None:
    """The player clips what a question draws (hostile math); an inline formula wider than
    the question scrolls sideways on its own, so a learner on a phone sees all of it."""
    from packager.pipeline import export, load
    from tests.browser.test_preview import REACHABLE, WIDE
    from tests.test_preview import BAD_INPUTS

    bank = json.loads((BAD_INPUTS / "base.json").read_text(encoding="utf-8"))
    bank["questions"] = [{**bank["questions"][0], "id": "long-math", "prompt": WIDE["long-math"]}]
    (tmp_path / "wide.json").write_text(json.dumps(bank), encoding="utf-8")
    artifact = export(load(tmp_path / "wide.json"), "html", make_ctx())
    (tmp_path / artifact.name).write_bytes(artifact.data)
    page.set_viewport_size({"width": 390, "height": 800})
    _open(page, tmp_path / artifact.name)
    _press_button(page, page, "Start quiz")
    assert page.locator("article.question mn", has_text="9999").evaluate(REACHABLE)


def test_a_stimulus_named_like_an_objects_property_is_shown_in_the_review(
        quiz: Any, tmp_path: Path) -> None:
    """The results' review shows each shared stimulus once, then 'shown above': a stimulus
    whose id is a property every object has (`constructor`) was taken for one shown already,
    and the review never showed its text."""
    from packager.pipeline import export, load

    questions = [{"id": f"q{n}", "type": "single_choice", "stimulus": "constructor",
                  "prompt": f"Question {n}?", "explanation": "Because.",
                  "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}]}
                 for n in (1, 2)]
    bank = {"format": "packager.question-bank/1", "id": "case", "title": "Case",
            "stimuli": [{"id": "constructor", "title": "The case", "body": "Read the case study."}],
            "questions": questions}
    (tmp_path / "case.json").write_text(json.dumps(bank), encoding="utf-8")
    artifact = export(load(tmp_path / "case.json"), "html", make_ctx())
    (tmp_path / artifact.name).write_bytes(artifact.data)
    _open(quiz, tmp_path / artifact.name)
    quiz.get_by_role("button", name="Start quiz").click()
    quiz.locator('input[data-choice-id="a"]').check()
    quiz.get_by_role("button", name="Next").click()
    quiz.locator('input[data-choice-id="a"]').check()
    quiz.get_by_role("button", name="Submit quiz").click()
    quiz.wait_for_selector(".results")
    review = quiz.locator(".results .review")
    assert review.locator("aside.scenario").count() == 1
    assert "Read the case study." in review.inner_text()


def test_a_passage_a_text_bank_announces_is_shown_once_in_the_review(
        quiz: Any, tmp_path: Path) -> None:
    """A text bank's `Questions 1-2 refer to the passage below.` is one stimulus of questions
    1 and 2 (readers/text_passages.py): the results' review shows each passage once, over its
    first question, and 'shown above' under the next one."""
    from packager.importing import import_file
    from packager.pipeline import export, load
    from tests.unit.readers.import_goldens import INPUTS

    out = tmp_path / "two-passages.json"
    assert import_file(INPUTS / "text-passages" / "two-passages.txt", "text", out).ok
    artifact = export(load(out), "html", make_ctx())
    (tmp_path / artifact.name).write_bytes(artifact.data)
    _open(quiz, tmp_path / artifact.name)
    quiz.get_by_role("button", name="Start quiz").click()
    for n in range(4):
        qid, _ = current(quiz)
        quiz.locator(f'article[data-question-id="{qid}"] input').first.check()
        quiz.get_by_role("button", name="Next" if n < 3 else "Submit quiz").click()
    quiz.wait_for_selector(".results")
    review = quiz.locator(".results .review")
    assert review.locator("aside.scenario").count() == 2
    shown = review.inner_text()
    assert shown.count("Ada Lovelace wrote the first published program") == 1
    assert shown.count("weaves algebraic patterns") == 1
    assert shown.count("(shown above)") == 2
