"""Target `html`: one page holding the quiz player inline, under a hash-based policy."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from packager.packages import html
from packager.packages.base import Job
from packager.packages.player import ASSETS_DIR, LAUNCH, asset_bytes
from packager.writers.html import page, serialize
from tests.conftest import make_ctx
from tests.html_page import parse


def _page(load_bank, name: str, bank=None) -> bytes:
    loaded = load_bank(name)
    output = html.build(Job(bank or loaded.bank, loaded.media, make_ctx()))
    assert output.single_file
    (data,) = [part.data for part in output.parts.values()]
    return data


def _policy(root) -> dict[str, list[str]]:
    (meta,) = root.xpath('//meta[@http-equiv="Content-Security-Policy"]')
    return {d.split()[0]: d.split()[1:] for d in meta.get("content").split("; ")}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _data(root) -> dict:
    script = root.xpath("//script")[0].text
    return json.loads(script.split("window.PACKAGER_QUIZ = ")[1].split(";\nwindow.PACKAGER_MEDIA")[0])


@pytest.mark.parametrize("bank", ["neon-broccoli", "sample-all-types"])
def test_every_inline_block_is_allowed_by_its_hash_and_nothing_else_is(load_bank, bank: str):
    root = parse(_page(load_bank, bank))
    policy = _policy(root)
    scripts = [s.text for s in root.iter("script")]
    styles = [s.text for s in root.iter("style")]
    assert len(scripts) == 4 and len(styles) == 1
    assert policy["script-src"] == [_hash(s) for s in scripts]
    assert policy["style-src"] == [_hash(s) for s in styles]
    assert policy["default-src"] == ["'none'"]
    assert policy["img-src"] == ["data:"]
    assert policy["base-uri"] == ["'none'"]
    # Self-contained: nothing is loaded from anywhere.
    assert not root.xpath("//*[@src] | //link[@rel='stylesheet']")


def test_the_page_is_the_players_own_with_its_files_inline(load_bank):
    root = parse(_page(load_bank, "sample-all-types"))
    texts = [b.text for b in root.iter("script", "style")]
    for name in ("style.css", "quiz.js", "lms.js", "player.js"):
        assert (ASSETS_DIR / name).read_text(encoding="utf-8") in texts, name
    skeleton = parse(asset_bytes(LAUNCH))
    ids = [e.get("id") for e in skeleton.iter() if e.get("id")]
    assert [e.get("id") for e in root.iter() if e.get("id")] == ids
    assert root.get("lang") == "en"
    assert root.findtext(".//title") == "Café Lumière: a tour of every question type"


def test_the_page_serializes_back_to_itself(load_bank):
    # What the browser parses is what packager built: one more parse and write changes nothing.
    data = _page(load_bank, "sample-all-types")
    assert serialize(parse(data)) == data


def test_the_quiz_runs_outside_any_lms_and_shows_feedback_after_each_answer(load_bank):
    data = _data(parse(_page(load_bank, "sample-all-types")))
    assert load_bank("sample-all-types").bank.settings.show_feedback == "on_submit"
    assert data["scorm"] is None
    assert data["show_feedback"] == "immediately"


def test_the_changed_feedback_timing_is_reported():
    from packager.model import Bank

    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "b", "title": "B",
        "settings": {"show_feedback": "never"},
        "questions": [{"id": "q", "type": "true_false", "prompt": "P", "answer": True}],
    })
    (note,) = html.extra_fidelity(bank)
    assert (note.question_id, note.feature, note.kind) == (None, "show_feedback", "changed")
    practice = bank.model_copy(update={"settings": bank.settings.model_copy(
        update={"show_feedback": html.FEEDBACK})})
    assert html.extra_fidelity(practice) == []


def test_images_are_data_uris_of_the_media_files(load_bank):
    loaded = load_bank("sample-all-types")
    script = parse(_page(load_bank, "sample-all-types")).xpath("//script")[0].text
    found = re.search(r"^window\.PACKAGER_MEDIA = (.*);$", script, re.M)
    assert found
    media = json.loads(found.group(1))
    (item,) = loaded.media
    png = item.path.read_bytes()
    assert media == {"media/leads-chart.png": "data:image/png;base64," + base64.b64encode(png).decode()}
    assert "media/leads-chart.png" in json.dumps(_data(parse(_page(load_bank, "sample-all-types"))))


def test_markup_in_question_text_cannot_end_the_data_script(load_bank):
    loaded = load_bank("neon-broccoli")
    hostile = "Run `</script><script>alert(1)</script><!--` and `</SCRIPT >`."
    question = loaded.bank.questions[0].model_copy(update={"prompt": hostile})
    bank = loaded.bank.model_copy(update={"questions": [question]})
    root = parse(_page(load_bank, "neon-broccoli", bank))
    assert len(list(root.iter("script"))) == 4
    prompt = _data(root)["questions"][0]["prompt"]
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in prompt


@pytest.mark.parametrize("breaker", ["</script>", "</STYLE>", "<!--", "<script"])
def test_an_asset_that_would_break_out_of_its_block_is_refused(breaker: str):
    files = {name: asset_bytes(name) for name in ("style.css", "quiz.js", "lms.js", "player.js")}
    files["quiz-data.js"] = f"var x = '{breaker}';".encode()
    with pytest.raises(ValueError, match="cannot be inlined"):
        page(asset_bytes(LAUNCH), files, title="T", language="en")


def test_the_quiz_data_is_joined_without_a_second_escaped_copy():
    """The escaped pieces were all held beside their joined text, and the shared player
    data (question lines kept for the SCORM packages of the same bank) beside both: the
    10,000-question bench build's peak. Now each piece is escaped as it is joined."""
    import tracemalloc

    line = b'{"prompt":"<p>What <em>is</em> it?</p>","choices":["<b>a</b>","<i>b</i>"]}'
    data = [line * 100 for _ in range(400)]  # 3 MB, 4.6 MB escaped
    shared = list(data)  # as player.sharing keeps the question lines
    escaped = sum(len(piece.replace(b"<", b"\\u003c")) for piece in data)
    tracemalloc.start()
    try:
        html.page(data, "T", "en")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(shared) == 400  # still held
    assert peak < 1.75 * escaped, (peak, escaped)  # was 2.0 times: 9.3 MB, now 6.8


def test_line_endings_do_not_change_the_hashes():
    files = {name: asset_bytes(name) for name in ("style.css", "quiz.js", "lms.js", "player.js")}
    files["quiz-data.js"] = b"var a = 1;\nvar b = 2;\n"
    unix = page(asset_bytes(LAUNCH), files, title="T", language="en")
    files = {name: data.replace(b"\n", b"\r\n") for name, data in files.items()}
    assert page(asset_bytes(LAUNCH), files, title="T", language="en") == unix


@pytest.mark.parametrize("title", [
    "\ue000inline-0\ue000 and \ue000inline-4\ue000",
    "\ue000inline-1\ue000",  # the whole heading, as markers were once: took the quiz data
    "<packager-inline-1>",
    "<packager-inline-0> <packager-inline-4>",
])
def test_a_title_that_looks_like_an_inline_marker_stays_the_title(title: str):
    # Block texts go in after serializing, in place of markers; a title (escaped text) that
    # holds the same characters must stay the title, and every block keep its own text.
    files = {name: asset_bytes(name) for name in ("style.css", "quiz.js", "lms.js", "player.js")}
    files["quiz-data.js"] = "var café = '☕';\n".encode()
    root = parse(b"".join(page(asset_bytes(LAUNCH), files, title=title, language="en")))
    assert root.findtext(".//title") == title
    assert root.findtext(".//h1") == title
    texts = [b.text for b in root.iter("style", "script")]
    assert texts[0] == files["style.css"].decode()
    assert "var café = '☕';\n" in texts


def test_the_page_keeps_each_inlined_file_as_a_piece_of_its_own(load_bank):
    """Joined into the page, the quiz data of 10,000 questions (30 MB) was held twice while
    the page was written; the pieces are written one after another instead."""
    files = {name: asset_bytes(name) for name in ("style.css", "quiz.js", "lms.js", "player.js")}
    files["quiz-data.js"] = b"var a = 1;\n"
    pieces = page(asset_bytes(LAUNCH), files, title="T", language="en")
    assert any(piece is files["quiz-data.js"] for piece in pieces)
    loaded = load_bank("neon-broccoli")
    output = html.build(Job(loaded.bank, loaded.media, make_ctx()))
    assert [type(entry).__name__ for entry in output.entries.values()] == ["Chunks"]
