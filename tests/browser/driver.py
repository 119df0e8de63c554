"""Drive the quiz player like a learner (mouse or keyboard) and read what the LMS received."""

from __future__ import annotations

from typing import Any

# Answers for content/sample-all-types.json, by question id. Choice answers are choice ids;
# matching answers are match texts per pair; ordering answers are authored item indices.
ALL_CORRECT: dict[str, Any] = {
    "best-month": "february",
    "true-statements": ["total-53", "conversion-quarter"],
    "espresso-origin": True,
    "barista-word": "Barista",
    "conversion-rate": "13.25",
    "price-range": "3",
    "service-essay": "Greet regulars by name and follow up on every catering order.",
    "match-drinks": ["Steamed milk and foam", "Hot water", "Ice cream"],
    "order-steps": [0, 1, 2, 3],
    "fill-recipe": {"milk": "steamed", "size": "small"},
    "code-output": "with-brackets",
}
ALL_WRONG: dict[str, Any] = {
    "best-month": "january",
    "true-statements": ["march-lowest", "no-contracts"],
    "espresso-origin": False,
    "barista-word": "latte",
    "conversion-rate": "99",
    "price-range": "10",
    "service-essay": "No idea.",
    "match-drinks": ["Orange juice", "Orange juice", "Orange juice"],
    "order-steps": [3, 2, 1, 0],
    "fill-recipe": {"milk": "cold", "size": "huge"},
    "code-output": "error",
}
# 2 + 1 (partial: one of two right picks) + 0 + 1 (trimmed, any case) + 1 (13.2 is within
# 13.25 ± 0.05) + 0 + essay unscored + 2/3 (two pairs of three) + 0 + 1/2 (one blank of two)
# + 1 = 7.1667 of 12 points = 59.72 %: just under the 60 % pass mark.
MIXED: dict[str, Any] = {
    "best-month": "february",
    "true-statements": ["total-53"],
    "espresso-origin": False,
    "barista-word": "  BARISTA ",
    "conversion-rate": "13.2",
    "price-range": "3.6",
    "service-essay": "Some thoughts.",
    "match-drinks": ["Steamed milk and foam", "Hot water", "Orange juice"],
    "order-steps": [1, 0, 2, 3],
    "fill-recipe": {"milk": "microfoam", "size": "large"},
    "code-output": "with-brackets",
}
SCORED_IDS = [q for q in ALL_CORRECT]


def open_sco(page: Any, url: str, init: dict[str, Any] | None = None) -> Any:
    """Load the host page (optionally with CMI data to resume from); return the SCO's frame."""
    if init is not None:
        import json

        page.add_init_script(f"window.HOST_INIT = {json.dumps(init)};")
    page.goto(url)
    handle = page.wait_for_selector("#sco")
    frame = handle.content_frame()
    frame.wait_for_selector("main > *")
    return frame


def current(frame: Any) -> tuple[str, str]:
    article = frame.locator("article.question")
    return article.get_attribute("data-question-id"), article.get_attribute("data-type")


def answer(frame: Any, qid: str, qtype: str, value: Any) -> None:
    q = frame.locator(f'article[data-question-id="{qid}"]')
    if qtype in ("single_choice", "multiple_response"):
        for cid in [value] if isinstance(value, str) else value:
            q.locator(f'input[data-choice-id="{cid}"]').check()
    elif qtype == "true_false":
        q.get_by_label("True" if value else "False", exact=True).check()
    elif qtype in ("short_answer", "numeric", "essay"):
        q.get_by_label("Your answer").fill(value)
    elif qtype == "matching":
        for i, text in enumerate(value):
            q.locator("select").nth(i).select_option(label=text)
    elif qtype == "ordering":
        moved = False
        for target, item in enumerate(value):
            while True:
                items = [int(x) for x in q.locator("li.order-item").evaluate_all(
                    "els => els.map(e => e.dataset.item)")]
                if items.index(item) <= target:
                    break
                q.locator(f'li[data-item="{item}"] button', has_text="Up").click()
                moved = True
        if not moved:
            # The shuffled start was already this order (1 in 24 for four items): the player
            # counts an untouched list as unanswered, so move the first item down and back.
            first = value[0]
            q.locator(f'li[data-item="{first}"] button', has_text="Down").click()
            q.locator(f'li[data-item="{first}"] button', has_text="Up").click()
    elif qtype == "fill_in_blanks":
        for blank, text in value.items():
            q.locator(f'input[data-blank="{blank}"]').fill(text)
    else:
        raise AssertionError(f"no driver for {qtype}")


def run_quiz(frame: Any, answers: dict[str, Any], check: bool = False, submit: bool = True) -> None:
    """From the intro (or a resumed question) to the results: answer, Next, …, Submit."""
    start = frame.get_by_role("button", name="Start quiz")
    if start.count():
        start.click()
    for _ in range(60):
        qid, qtype = current(frame)
        if qid in answers:
            answer(frame, qid, qtype, answers[qid])
            if check:
                frame.get_by_role("button", name="Check answer").click()
        submit_button = frame.get_by_role("button", name="Submit quiz")
        if submit_button.count():
            if submit:
                submit_button.click()
                frame.wait_for_selector(".results")
            return
        frame.get_by_role("button", name="Next").click()
    raise AssertionError("the quiz never reached its last question")


def calls(page: Any) -> list[dict[str, Any]]:
    return page.evaluate("window.HOST_CALLS")


def set_values(page: Any, version: str) -> dict[str, str]:
    """The last value the SCO set for each CMI element."""
    name = "LMSSetValue" if version == "1.2" else "SetValue"
    out: dict[str, str] = {}
    for call in calls(page):
        if call["name"] == name:
            out[call["args"][0]] = call["args"][1]
    return out


def failed_calls(page: Any) -> list[dict[str, Any]]:
    return [c for c in calls(page) if c["result"] == "false"]


def interactions(page: Any, version: str) -> list[dict[str, str]]:
    """cmi.interactions.n.* as the SCO wrote them, one dict per n, in order."""
    values = set_values(page, version)
    found: dict[int, dict[str, str]] = {}
    for key, value in values.items():
        if key.startswith("cmi.interactions."):
            n, field = key[len("cmi.interactions."):].split(".", 1)
            found.setdefault(int(n), {})[field] = value
    return [found[n] for n in sorted(found)]


def screenshot(page: Any, path: Any, max_height: int | None = None) -> None:
    """The SCO's whole page (the frame grown to its content), animations finished."""
    height = page.evaluate(
        """() => { const f = document.getElementById('sco');
                   const h = f.contentDocument.documentElement.scrollHeight;
                   f.style.height = h + 'px'; document.body.style.height = 'auto';
                   document.documentElement.style.height = 'auto'; return h; }"""
    )
    page.wait_for_timeout(100)
    box = page.locator("#sco").bounding_box()
    clip = {"x": box["x"], "y": box["y"], "width": box["width"],
            "height": min(height, max_height) if max_height else height}
    page.screenshot(path=str(path), full_page=True, clip=clip, animations="disabled")
    page.evaluate(
        """() => { document.getElementById('sco').style.height = '';
                   document.body.style.height = ''; document.documentElement.style.height = ''; }"""
    )
