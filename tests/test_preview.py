"""`packager preview`: the site's pages (built in-process) and how the site is written."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import html

from packager.errors import PackagerIOError
from packager.formats import TARGETS
from packager.model import questions as m
from packager.pipeline import export, load
from packager.preview.site import MANIFEST, Site, build_site, write_site
from packager.richtext_plain import plain_text
from tests.conftest import CONTENT, ROOT, SAMPLE_BANKS, make_ctx

BAD_INPUTS = ROOT / "tests" / "bad_inputs"
SIGNAL = "top.__pwned=1"
# Valid banks whose text looks like markup: it must reach the page as text, never as markup.
HOSTILE_TEXTS = {
    "code": f'Look:\n\n```html\n<script>{SIGNAL}</script>\n<img src=x onerror="{SIGNAL}">\n```',
    "inline": f"Inline `<img src=x onerror={SIGNAL}>` and &lt;script&gt;{SIGNAL}&lt;/script&gt;",
    "math": f"Math $\\text{{<script>{SIGNAL}</script>}}$ here",
    "link": f'A [link](https://example.com/?q="><script>{SIGNAL}</script>) here',
}
HOSTILE_PLAIN = f'"></title></h2><script>{SIGNAL}</script><b onmouseover="{SIGNAL}">'


@pytest.fixture(scope="module")
def site() -> Site:
    with pytest.MonkeyPatch.context() as patch:  # banks named as a user would: content/
        patch.chdir(ROOT)
        return build_site([Path("content")])


def _page(site: Site, name: str) -> Any:
    return html.fromstring(site.files[name])


def _bank_folder(site: Site, bank_id: str) -> str:
    return next(n.split("/")[0] for n in site.files if n.startswith(f"{bank_id}-"))


def _hostile_bank(folder: Path) -> Path:
    bank = json.loads((BAD_INPUTS / "base.json").read_text(encoding="utf-8"))
    first = bank["questions"][0]
    bank["title"] = HOSTILE_PLAIN
    bank["questions"] = []
    for n, (name, text) in enumerate(HOSTILE_TEXTS.items()):
        question = json.loads(json.dumps(first))
        question.update(id=name, prompt=text, title=HOSTILE_PLAIN, tags=[HOSTILE_PLAIN])
        question["explanation"] = text
        question["choices"][n % 2]["feedback"] = text
        bank["questions"].append(question)
    path = folder / "hostile.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    return path


# -- what a bank page shows -----------------------------------------------------------------


@pytest.mark.parametrize("bank_name", SAMPLE_BANKS)
def test_every_question_has_its_anchor_key_and_explanation(site: Site, bank_name: str) -> None:
    bank = load(CONTENT / f"{bank_name}.json").bank
    page = _page(site, f"{_bank_folder(site, bank.id)}/index.html")
    articles = page.xpath("//article[@class='question']")
    assert [a.get("id") for a in articles] == [q.id for q in bank.questions]
    for q in bank.questions:
        (article,) = page.xpath(f"//article[@id='{q.id}']")
        assert article.xpath(f".//a[@href='#{q.id}']"), q.id
        assert " ".join(plain_text(q.prompt).split()[:5]) in " ".join(
            article.text_content().split()
        )
        if isinstance(q, m.TextItem):
            assert not article.xpath(".//section[@class='answer']")
            continue
        (answer,) = article.xpath(".//section[@class='answer']")
        assert answer.xpath(".//*[@class='key']"), q.id
        if q.explanation:
            (explanation,) = answer.xpath(".//div[@class='explanation']")
            # Compared without white space: blocks (a display formula) end without a space.
            assert "".join(plain_text(q.explanation).split()) in "".join(
                explanation.text_content().split()
            )


def test_the_seed_question_shows_its_key_and_explanation(site: Site) -> None:
    page = _page(site, "neon-broccoli-1.0.0/index.html")
    (article,) = page.xpath("//article[@id='department-goals-scale']")
    (correct,) = article.xpath(".//li[span[@class='key-mark']]")
    assert correct.xpath(".//input/@value") == ["3"]  # the fourth choice, 'mission'
    assert "Key: D" in " ".join(article.xpath(".//p[@class='key']")[0].text_content().split())
    assert "support your company’s overall mission" in article.text_content()


def test_each_type_gets_its_answer_controls(site: Site) -> None:
    page = _page(site, "sample-all-types-1.2.0/index.html")

    def controls(qid: str, xpath: str) -> list[Any]:
        found: list[Any] = page.xpath(f"//article[@id='{qid}']{xpath}")
        return found

    assert len(controls("best-month", "//input[@type='radio'][@name='best-month']")) == 4
    assert controls("true-statements", "//input[@type='checkbox']")
    assert [i.get("value") for i in controls("espresso-origin", "//input")] == ["true", "false"]
    assert controls("conversion-rate", "//label[text()='Your answer']")
    assert controls("service-essay", "//textarea")
    assert len(controls("match-drinks", "//select[@data-pair]")) == 3
    assert [
        li.get("data-item") for li in controls("order-steps", "//ol[@class='ordering']/li")
    ] == [
        "0",
        "1",
        "2",
        "3",
    ]
    blanks = controls("fill-recipe", "//div[@class='prompt']//input[@data-blank]")
    assert [b.get("data-blank") for b in blanks] == ["milk", "size"]
    # No <form> on the page (Chromium's autofill walks every label once per form: F14).
    assert not page.xpath("//form") and not any(b.get("form") for b in blanks)
    (prompt,) = controls("fill-recipe", "//div[@class='prompt']")
    assert "[[" not in prompt.text_content()
    # Labels point at their controls, and every control id is unique on the page.
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    for label in page.xpath("//label[@for]"):
        assert label.get("for") in ids


def test_media_are_copied_and_the_pages_point_at_them(site: Site) -> None:
    folder = _bank_folder(site, "sample-all-types")
    page = _page(site, f"{folder}/index.html")
    sources = set(page.xpath("//img/@src"))
    assert sources == {"media/leads-chart.png"}
    assert (
        site.files[f"{folder}/media/leads-chart.png"]
        == (CONTENT / "media" / "leads-chart.png").read_bytes()
    )


def test_fidelity_notes_are_those_of_the_export_reports(site: Site) -> None:
    loaded = load(CONTENT / "sample-all-types.json")
    page = _page(site, f"{_bank_folder(site, loaded.bank.id)}/index.html")
    ctx = make_ctx(None, skip_unsupported=True, validate_output=False)
    seen_a_note = False
    for name in TARGETS:
        report = export(loaded, name, ctx).report
        for entry in report["questions"]:  # type: ignore[attr-defined]
            (block,) = page.xpath(f"//article[@id='{entry['id']}']//details[@class='fidelity']")
            rows = [
                " ".join(li.text_content().split())
                for li in block.xpath(".//li")
                if li.xpath(f"strong[contains(., '({name}):')]")
            ]
            if not entry["notes"]:
                assert not rows
                assert name in block.xpath("string(.//p[@class='kept'])")
                continue
            (row,) = rows
            for note in entry["notes"]:
                seen_a_note = True
                assert " ".join(note["message"].split()) in row, (name, entry["id"])
    assert seen_a_note


def test_same_banks_give_the_same_bytes_and_no_local_paths(site: Site) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        again = build_site([Path("content")])
    assert again.files == site.files
    for name, data in site.files.items():
        if name.endswith((".html", ".js")):
            assert str(ROOT).encode() not in data, name


def test_pages_run_only_their_own_script_files(site: Site, tmp_path: Path) -> None:
    hostile = build_site([_hostile_bank(tmp_path)])
    assert hostile.banks == 1, hostile.invalid
    for built in (site, hostile):
        for name, data in built.files.items():
            if not name.endswith(".html"):
                continue
            page = html.fromstring(data)
            (csp,) = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
            assert "script-src 'self';" in csp and "unsafe" not in csp
            assert "default-src 'none'" in csp
            for script in page.xpath("//script"):
                assert script.get("src") and not (script.text or "").strip(), name
                assert not script.get("src").startswith(("http", "/", "data:"))
            for element in page.iter():
                assert not any(a.lower().startswith("on") for a in element.attrib), name
                assert "style" not in element.attrib
                assert not (element.get("href") or "").lower().startswith("javascript")
            assert not page.xpath("//style | //iframe | //object | //embed | //base")


def test_hostile_text_reaches_the_page_as_text(tmp_path: Path) -> None:
    built = build_site([_hostile_bank(tmp_path)])
    page = html.fromstring(built.files["hostile-1.0.0/index.html"])
    assert [s.get("src") for s in page.xpath("//script")] == [
        "quiz-data.js",
        "../assets/quiz.js",
        "../assets/preview.js",
    ]
    assert page.xpath("string(//h1)") == HOSTILE_PLAIN
    (code,) = page.xpath("//article[@id='code']//div[@class='prompt']//pre")
    assert f"<script>{SIGNAL}</script>" in code.text_content()
    (inline,) = page.xpath("//article[@id='inline']//div[@class='prompt']")
    assert f"<img src=x onerror={SIGNAL}>" in inline.text_content()
    assert f"<script>{SIGNAL}</script>" in inline.text_content()
    assert page.xpath("//article[@id='math']//math")
    # The tag reaches the filter as a value, never as markup.
    assert HOSTILE_PLAIN in page.xpath("//select[@id='TagFilter']/option/@value")
    index = html.fromstring(built.files["index.html"])
    assert not index.xpath("//script")
    assert HOSTILE_PLAIN in index.text_content()


# -- the index --------------------------------------------------------------------------------


def test_index_lists_banks_with_counts_and_invalid_ones_with_their_diagnostics(
    tmp_path: Path,
) -> None:
    shutil.copy(CONTENT / "neon-broccoli.json", tmp_path / "good.json")
    cases = json.loads((BAD_INPUTS / "richtext.json").read_text(encoding="utf-8"))
    case = next(c for c in cases if "<script" in c["value"].lower())
    bad = json.loads((BAD_INPUTS / "base.json").read_text(encoding="utf-8"))
    bad["questions"][0]["prompt"] = case["value"]
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")

    built = build_site([tmp_path])
    assert built.banks == 1
    assert sorted(built.invalid) == [str(tmp_path / "bad.json"), str(tmp_path / "broken.json")]
    assert not any(n.startswith("hostile") for n in built.files)  # no page for the bad bank
    index = html.fromstring(built.files["index.html"])
    (row,) = index.xpath("//table[@class='banks']/tbody/tr")
    assert row.xpath("string(th/a/@href)") == "neon-broccoli-1.0.0/index.html"
    assert "Single choice 1" in row.text_content()
    sections = index.xpath("//section[@class='invalid']")
    assert len(sections) == 1
    text = sections[0].text_content()
    assert str(tmp_path / "bad.json") in text and str(tmp_path / "broken.json") in text
    assert case["message"] in text
    assert not index.xpath("//script")


def test_text_banks_are_previewed_like_json_ones(tmp_path: Path) -> None:
    source = tmp_path / "ops.txt"
    source.write_text(
        "Title: Ops scenarios\n\n"
        "Situation: The warehouse ships 500 orders a day; returns have doubled. "
        "What do you check first?\n"
        "- The office coffee\n"
        "- The reasons customers give for returns\n"
        "Explanation: The correct answer is the reasons customers give for returns, "
        "because they say what went wrong.\n",
        encoding="utf-8",
    )
    built = build_site([source])
    assert built.banks == 1 and not built.invalid
    (page_name,) = [n for n in built.files if n.endswith("/index.html")]
    page = html.fromstring(built.files[page_name])
    assert page.xpath("string(//h1)") == "Ops scenarios"
    assert "because they say what went wrong" in page.xpath("string(//div[@class='explanation'])")


# -- writing the site -------------------------------------------------------------------------


def test_a_rebuild_replaces_its_files_and_removes_only_its_stale_ones(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"1", "old/index.html": b"old", "old/media/a.png": b"a"})
    (out / "kept").mkdir()
    (out / "kept" / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # the user's own file
    write_site(out, {"index.html": b"2", "new/index.html": b"new"})
    assert (out / "index.html").read_bytes() == b"2"
    assert (out / "new" / "index.html").read_bytes() == b"new"
    assert not (out / "old").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / MANIFEST).read_text(encoding="utf-8") == (
        f"{hashlib.sha256(b'2').hexdigest()} 1 index.html\n"
        f"{hashlib.sha256(b'new').hexdigest()} 3 new/index.html\n"
    )
    assert sorted(p.name for p in out.iterdir()) == [
        MANIFEST,
        "index.html",
        "kept",
        "new",
        "notes.txt",
    ]


def test_a_file_no_preview_wrote_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("the user's page", encoding="utf-8")
    with pytest.raises(PackagerIOError, match="is not as packager preview wrote it"):
        write_site(out, {"index.html": b"site", "assets/preview.css": b"css"})
    assert (out / "index.html").read_text(encoding="utf-8") == "the user's page"
    assert not (out / "assets").exists()
    assert not (out / MANIFEST).exists()


def test_a_manifest_found_in_the_folder_is_believed_only_for_files_still_as_it_says(
    tmp_path: Path,
) -> None:
    """Hostile review 28: a `.packager-preview` planted in the folder (committed beside a
    repository's `dist/preview/`) named the user's files, and preview deleted or overwrote them.
    Only a file whose size and SHA-256 are the manifest's is a preview's own."""
    out = tmp_path / "site"
    (out / "docs").mkdir(parents=True)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "docs" / "README.md").write_text("mine too", encoding="utf-8")
    (out / MANIFEST).write_text(
        "notes.txt\n"  # the format before hashes, or a hand-written line
        f"{hashlib.sha256(b'other').hexdigest()} 8 docs/README.md\n", encoding="utf-8"
    )
    write_site(out, {"index.html": b"site"})
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "docs" / "README.md").read_text(encoding="utf-8") == "mine too"
    with pytest.raises(PackagerIOError, match="is not as packager preview wrote it"):
        write_site(out, {"index.html": b"site", "notes.txt": b"site's"})
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_manifest_size_too_long_for_int_is_ignored(tmp_path: Path) -> None:
    """A planted line's size of 5,000 digits: int() raised a ValueError traceback."""
    out = tmp_path / "site"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / MANIFEST).write_text(f"{'0' * 64} {'9' * 5000} notes.txt\n", encoding="utf-8")
    write_site(out, {"index.html": b"site"})
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_file_edited_since_preview_wrote_it_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"1", "old.html": b"old"})
    (out / "old.html").write_text("edited", encoding="utf-8")
    write_site(out, {"index.html": b"2"})
    assert (out / "old.html").read_text(encoding="utf-8") == "edited"
    (out / "index.html").write_text("edited", encoding="utf-8")
    with pytest.raises(PackagerIOError, match="is not as packager preview wrote it"):
        write_site(out, {"index.html": b"3"})


def test_names_that_leave_the_folder_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "site"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(PackagerIOError, match="refusing to write"):
        write_site(out, {"../outside/x.html": b"x"})
    # A manifest that names a file outside (edited by hand) never leads to deleting it.
    out.mkdir(exist_ok=True)
    (out / MANIFEST).write_text("../outside/keep.txt\n", encoding="utf-8")
    write_site(out, {"index.html": b"i"})
    assert (outside / "keep.txt").exists()
    try:
        os.symlink(outside, out / "assets", target_is_directory=True)
    except OSError:  # Windows without the symlink privilege: nothing to test there
        return
    with pytest.raises(PackagerIOError, match="outside the folder through a link"):
        write_site(out, {"index.html": b"i", "assets/preview.css": b"css"})
    assert not (outside / "preview.css").exists()


def test_two_banks_with_one_id_and_version_get_a_page_each(tmp_path: Path) -> None:
    for name in ("a.json", "b.json"):
        shutil.copy(CONTENT / "neon-broccoli.json", tmp_path / name)
    built = build_site([tmp_path])
    pages = sorted(n for n in built.files if n.endswith("/index.html"))
    assert pages == ["neon-broccoli-1.0.0-2/index.html", "neon-broccoli-1.0.0/index.html"]
    index = html.fromstring(built.files["index.html"])
    links = index.xpath("//table[@class='banks']//a/@href")
    assert links == ["neon-broccoli-1.0.0/index.html", "neon-broccoli-1.0.0-2/index.html"]


def test_banks_whose_folders_differ_only_in_letter_case_get_a_folder_each(
    tmp_path: Path,
) -> None:
    """Portability review 32 (F5): versions `1.0.0-RC1` and `1.0.0-rc1` of one bank were
    written to two folders that are one on Windows and macOS: the second bank's pages
    replaced the first's there, and the index linked both rows to one bank."""
    for name, version in (("a.json", "1.0.0-RC1"), ("b.json", "1.0.0-rc1")):
        bank = json.loads((CONTENT / "neon-broccoli.json").read_text(encoding="utf-8"))
        bank["version"] = version
        (tmp_path / name).write_text(json.dumps(bank), encoding="utf-8")
    built = build_site([tmp_path])
    pages = sorted(n for n in built.files if n.endswith("/index.html"))
    assert pages == ["neon-broccoli-1.0.0-RC1/index.html", "neon-broccoli-1.0.0-rc1-2/index.html"]
    folded = [n.casefold() for n in built.files]
    assert len(folded) == len(set(folded))


def test_a_blanks_key_is_in_the_order_and_numbers_of_the_boxes(tmp_path: Path) -> None:
    """Review 29: the key followed the JSON object's order, labelled by id, while the boxes
    carried no number: a reviewer read the first box's answers against the second."""
    bank = json.loads((BAD_INPUTS / "base.json").read_text(encoding="utf-8"))
    bank["questions"] = [{
        "id": "order", "type": "fill_in_blanks", "explanation": "Why.",
        "prompt": "The [[second]] comes after the [[first]] in this sentence.",
        "blanks": {"first": ["one", "One"], "second": ["two", "2"]},
    }]
    (tmp_path / "b.json").write_text(json.dumps(bank), encoding="utf-8")
    site = build_site([tmp_path / "b.json"])
    page = _page(site, f"{_bank_folder(site, bank['id'])}/index.html")
    key = page.xpath("//article[@id='order']//dl[@class='blanks']")[0]
    assert [(dt.text_content(), dd.text_content()) for dt, dd in
            zip(key.xpath("dt"), key.xpath("dd"), strict=True)] == [
        ("Blank 1 (second)", "two | 2"), ("Blank 2 (first)", "one | One")]
    boxes = page.xpath("//article[@id='order']//input[@data-blank]")
    assert [(b.get("data-blank"), b.get("placeholder")) for b in boxes] == [
        ("second", "blank 1"), ("first", "blank 2")]


def test_a_right_to_left_bank_reads_right_to_left_as_in_the_player(tmp_path: Path) -> None:
    """Review 29: an Arabic bank's page was left to right; the player sets dir="rtl"."""
    from packager.preview.markup import RIGHT_TO_LEFT

    player = (ROOT / "packager" / "packages" / "player" / "player.js").read_text(encoding="utf-8")
    listed = player.split("var RTL = [", 1)[1].split("]", 1)[0]
    assert {code.strip().strip('"') for code in listed.split(",")} == RIGHT_TO_LEFT
    bank = json.loads((BAD_INPUTS / "base.json").read_text(encoding="utf-8"))
    for language, direction in (("ar-EG", "rtl"), ("en", None)):
        bank["language"] = language
        (tmp_path / "b.json").write_text(json.dumps(bank), encoding="utf-8")
        site = build_site([tmp_path / "b.json"])
        page = _page(site, f"{_bank_folder(site, bank['id'])}/index.html")
        assert page.get("dir") == direction, language


def test_the_header_says_how_many_questions_an_attempt_draws(tmp_path: Path) -> None:
    """Review 29: a section's random pick was not in the header's count."""
    bank = json.loads((BAD_INPUTS / "base.json").read_text(encoding="utf-8"))
    first = bank["questions"][0]
    bank["questions"] = [{**first, "id": f"q{i}"} for i in range(5)]
    bank["sections"] = [{"id": "s1", "title": "One", "question_ids": ["q0", "q1", "q2"],
                         "pick": 1},
                        {"id": "s2", "title": "Two", "question_ids": ["q3", "q4"]}]
    (tmp_path / "b.json").write_text(json.dumps(bank), encoding="utf-8")
    site = build_site([tmp_path / "b.json"])
    page = _page(site, f"{_bank_folder(site, bank['id'])}/index.html")
    meta = page.xpath("//header/p[@class='meta']")[0].text_content()
    assert meta.endswith("· 5 questions · 5 points · 3 questions drawn per attempt"), meta


def test_numeric_keys_are_written_as_people_write_numbers(tmp_path: Path) -> None:
    """Review 29: '1e-07' and '1000000000000000.0 ± 1e-06' (Python's repr) in the key."""
    bank = json.loads((BAD_INPUTS / "base.json").read_text(encoding="utf-8"))
    bank["questions"] = [
        {"id": "big", "type": "numeric", "prompt": "How many?", "explanation": "So.",
         "answer": {"value": 1e15, "tolerance": 1e-06}},
        {"id": "small", "type": "numeric", "prompt": "How small?", "explanation": "So.",
         "answer": {"value": 1e-07}},
        {"id": "zero", "type": "numeric", "prompt": "How much?", "explanation": "So.",
         "answer": {"value": -0.0, "tolerance": 0.5}},
    ]
    (tmp_path / "b.json").write_text(json.dumps(bank), encoding="utf-8")
    site = build_site([tmp_path / "b.json"])
    page = _page(site, f"{_bank_folder(site, bank['id'])}/index.html")
    keys = [" ".join(p.text_content().split()) for p in page.xpath("//p[@class='key']")]
    assert any("1000000000000000 ± 0.000001" in k for k in keys), keys
    assert any("0.0000001" in k for k in keys), keys
    assert any(k.startswith("Key: 0 ± 0.5") for k in keys), keys
    assert not any("e-0" in k or ".0 " in k for k in keys), keys


def test_ordering_items_are_said_to_be_shuffled_for_learners(site: Site) -> None:
    """Review 29: the items are listed in the right order with no word that learners get
    them shuffled (choices said so)."""
    page = _page(site, f"{_bank_folder(site, 'sample-all-types')}/index.html")
    (article,) = page.xpath("//article[@id='order-steps']")
    notes = [p.text_content() for p in article.xpath(".//p[@class='note']")]
    assert "Learners see these items shuffled." in notes


def test_a_preview_stopped_while_renaming_leaves_a_folder_the_next_one_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review 30: Ctrl-C (how --watch stops) or a kill after some pages were renamed, before
    the manifest, made every later preview refuse the folder ("not as packager preview wrote
    it"), and left the temporary files of its subfolders for good."""
    from packager import fsutil

    out = tmp_path / "site"
    write_site(out, {"index.html": b"1", "bank/index.html": b"old"})
    (out / "bank" / ".index.html.0123456789.tmp").write_bytes(b"a killed run's")
    real, renamed = fsutil._replace, []

    def stopped(tmp: Path, path: Path) -> None:
        if len(renamed) == 2:  # the manifest of both, then one page
            raise KeyboardInterrupt
        renamed.append(path.name)
        real(tmp, path)

    monkeypatch.setattr(fsutil, "_replace", stopped)
    with pytest.raises(KeyboardInterrupt):
        write_site(out, {"index.html": b"2", "bank/index.html": b"new"})
    monkeypatch.setattr(fsutil, "_replace", real)
    assert (out / "bank" / "index.html").read_bytes() == b"new"  # renamed before the stop
    write_site(out, {"index.html": b"3", "bank/index.html": b"newer"})
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        MANIFEST, "bank/index.html", "index.html"]
    assert (out / MANIFEST).read_text(encoding="utf-8") == (
        f"{hashlib.sha256(b'newer').hexdigest()} 5 bank/index.html\n"
        f"{hashlib.sha256(b'3').hexdigest()} 1 index.html\n")
