"""`packager import` (GIFT, the plain-text layout, detected or named): the imported bank is
canonical, valid and faithful, and nothing is written for a source that fails."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CONTENT, ROOT, xsd_dir


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "packager", *args],
        cwd=cwd,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        check=False,
    )


def test_gift_export_imports_back_to_the_same_question(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        "export",
        "--format",
        "gift",
        "--out",
        str(tmp_path),
        str(CONTENT / "neon-broccoli.json"),
    )
    assert result.returncode == 0, result.stderr
    gift = tmp_path / "neon-broccoli-1.0.0.gift.txt"
    out = tmp_path / "imported.json"
    result = _run(tmp_path, "import", str(gift), "--from", "gift", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert _run(tmp_path, "validate", str(out)).returncode == 0
    original = json.loads((CONTENT / "neon-broccoli.json").read_text())["questions"][0]
    (imported,) = json.loads(out.read_text())["questions"]
    assert imported["type"] == "single_choice"
    assert [c["text"] for c in imported["choices"]] == [c["text"] for c in original["choices"]]
    key = [c["text"] for c in imported["choices"] if c.get("correct")]
    assert key == [c["text"] for c in original["choices"] if c.get("correct")]
    assert imported["explanation"] == original["explanation"]
    assert original["scenario"] in imported["prompt"] and original["prompt"] in imported["prompt"]


def test_import_refuses_to_overwrite_and_reports_bad_gift(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gift"
    bad.write_text("::t:: What? {=yes ~no\n")
    out = tmp_path / "bank.json"
    result = _run(tmp_path, "import", str(bad), "--from", "gift", "--out", str(out))
    assert result.returncode == 3
    assert "bad.gift:1" in result.stderr
    assert not out.exists()
    out.write_text("{}")
    result = _run(tmp_path, "import", str(bad), "--from", "gift", "--out", str(out))
    assert result.returncode == 2 and "--force" in result.stderr


@pytest.mark.parametrize("name", ["bank.txt", "bank.MD"])
def test_a_bank_file_named_as_a_text_bank_is_a_usage_error(tmp_path: Path, name: str) -> None:
    """The bank written is JSON: under a text bank's name it was checked as a text bank and
    refused with errors located in the source (a fuzz run's finding)."""
    source = tmp_path / "q.gift"
    source.write_text("::Q1:: What is 2+2? {=4 ~3 ~5}\n")
    result = _run(tmp_path, "import", str(source), "--out", str(tmp_path / name))
    assert result.returncode == 2, result.stderr
    stem = name.split(".")[0]
    assert f"import writes a JSON bank; name it {stem}.json" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.gift"]


def test_import_from_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = _run(tmp_path, "import", "x", "--from", "docx", "--out", "y.json")
    assert result.returncode == 2 and "cannot import from 'docx'" in result.stderr


SEED = ROOT.parent / "shared" / "seeds" / "000_20f52c0d510a6e29.txt"


def _without_ids(question: dict[str, object]) -> dict[str, object]:
    kept = {k: v for k, v in question.items() if k not in ("id", "title", "tags")}
    choices = kept.get("choices")
    if isinstance(choices, list):
        kept["choices"] = [{k: v for k, v in c.items() if k != "id"} for c in choices]
    return kept


def test_the_seed_imports_as_the_hand_made_bank(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    result = _run(tmp_path, "import", str(SEED), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "read as the plain-text layout (detected" in result.stderr
    (imported,) = json.loads(out.read_text())["questions"]
    (original,) = json.loads((CONTENT / "neon-broccoli.json").read_text())["questions"]
    assert _without_ids(imported) == _without_ids(original)
    assert _run(tmp_path, "validate", str(out)).returncode == 0
    again = tmp_path / "again.json"
    assert _run(tmp_path, "import", str(SEED), "--from", "text", "--out", str(again)).returncode == 0
    assert again.read_bytes() == out.read_bytes()


def test_id_and_title_override_the_file_name(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    result = _run(tmp_path, "import", str(SEED), "--from", "text", "--id", "neon",
                  "--title", "Neon Broccoli", "--out", str(out))
    assert result.returncode == 0, result.stderr
    bank = json.loads(out.read_text())
    assert (bank["id"], bank["title"]) == ("neon", "Neon Broccoli")
    result = _run(tmp_path, "import", str(SEED), "--id", "Not A Slug", "--out", str(out),
                  "--force")
    assert result.returncode == 2 and "--id 'Not A Slug' is not a valid bank id" in result.stderr


def test_a_broken_text_source_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "sky.txt"
    source.write_text("Which city is in Texas?\n- Paris\n- Paris, Texas\n"
                      "Explanation: The correct answer is Paris, Texas.\n")
    out = tmp_path / "sky.json"
    result = _run(tmp_path, "import", str(source), "--out", str(out))
    assert result.returncode == 3
    assert "sky.txt:4" in result.stderr and "more than one option" in result.stderr
    assert not out.exists()


def test_auto_detects_gift(tmp_path: Path) -> None:
    source = tmp_path / "quiz.txt"  # the name says nothing: the content decides
    source.write_text("::two:: What is 1 + 1? {=2 ~3}\n")
    out = tmp_path / "quiz.json"
    result = _run(tmp_path, "import", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "read as GIFT" in result.stderr
    assert json.loads(out.read_text())["questions"][0]["type"] == "single_choice"


def test_auto_refuses_what_it_cannot_tell(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    result = _run(tmp_path, "import", str(CONTENT / "neon-broccoli.json"), "--out", str(out))
    assert result.returncode == 2 and "cannot tell its format (JSON" in result.stderr
    source = tmp_path / "prose.dat"
    source.write_text("Just some notes.\n")
    result = _run(tmp_path, "import", str(source), "--out", str(out))
    assert result.returncode == 2 and "name it with --from: " in result.stderr
    assert not out.exists()
    # Named as text, it is read as the plain-text layout, whose errors say what is missing.
    source = source.rename(tmp_path / "prose.txt")
    result = _run(tmp_path, "import", str(source), "--out", str(out))
    assert result.returncode == 3 and "prose.txt:1: error E-TEXT: this question has no options" in (
        result.stderr)
    assert not out.exists()


def test_several_sources_into_a_folder_with_a_json_report(tmp_path: Path) -> None:
    (tmp_path / "one.gift").write_text("::a:: One? {=yes ~no}\n")
    (tmp_path / "two.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.gift").write_text("::t:: What? {=yes ~no\n")
    out = tmp_path / "banks"
    result = _run(tmp_path, "import", "one.gift", "two.txt", "bad.gift", "--out-dir", str(out),
                  "--format", "json")
    assert result.returncode == 3, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False
    by_source = {s["source"]: s for s in report["sources"]}
    assert by_source["one.gift"]["detected"] == "gift" and by_source["one.gift"]["ok"]
    assert by_source["two.txt"]["detected"] == "text" and by_source["two.txt"]["questions"] == 1
    assert by_source["bad.gift"]["ok"] is False
    assert by_source["bad.gift"]["diagnostics"][0]["line"] == 1
    assert sorted(p.name for p in out.iterdir()) == ["one.json", "two.json"]


def test_a_source_named_for_a_windows_device_gives_a_bank_windows_can_write(
    tmp_path: Path,
) -> None:
    """Portability review 32 (F10): `aux.gift` gave `aux.json`, the AUX device on Windows
    ("exists", then "is not a file"); `week 1: intro.gift` a name Windows cannot store."""
    (tmp_path / "aux.gift").write_text("::a:: One? {=yes ~no}\n")
    (tmp_path / "week 1: intro.gift").write_text("::b:: Two? {=yes ~no}\n")
    result = _run(tmp_path, "import", "aux.gift", "week 1: intro.gift", "--out-dir", "banks")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "banks").iterdir()) == [
        "_aux.json", "week 1- intro.json"]


def test_a_hidden_source_gives_a_bank_a_folder_walk_finds(tmp_path: Path) -> None:
    """Review 33: a source named `.gift` (only an extension) wrote `banks/.gift.json`, a
    hidden file that `validate banks` passed over ("no banks found in banks")."""
    (tmp_path / ".gift").write_text("::a:: One? {=yes ~no}\n")
    (tmp_path / ".quiz.gift").write_text("::b:: Two? {=yes ~no}\n")
    result = _run(tmp_path, "import", ".gift", ".quiz.gift", "--out-dir", "banks")
    assert result.returncode == 0, result.stderr
    assert "wrote banks/gift.json (1 question)" in result.stdout + result.stderr
    assert sorted(p.name for p in (tmp_path / "banks").iterdir()) == ["gift.json", "quiz.json"]
    assert _run(tmp_path, "validate", "banks").returncode == 0


def test_out_and_out_dir_are_exclusive_and_one_is_needed(tmp_path: Path) -> None:
    (tmp_path / "one.gift").write_text("::a:: One? {=yes ~no}\n")
    assert _run(tmp_path, "import", "one.gift").returncode == 2
    result = _run(tmp_path, "import", "one.gift", "one.gift", "--out", "x.json")
    assert result.returncode == 2 and "use --out-dir for several sources" in result.stderr


def test_every_exported_format_with_a_reader_imports_back_by_detection(tmp_path: Path) -> None:
    """Export the sample bank to every format packager also reads, import all of them in one
    run (auto-detected), and validate every bank written."""
    from packager.formats import READERS, TARGETS

    formats = [name for name in READERS if name in TARGETS]
    result = _run(tmp_path, "export", "--format", ",".join(formats), "--skip-unsupported",
                  "--out", str(tmp_path / "dist"), str(CONTENT / "sample-all-types.json"))
    assert result.returncode == 0, result.stderr
    packages = sorted(p for p in (tmp_path / "dist").iterdir() if not p.name.endswith(".json"))
    assert len(packages) == len(formats)
    result = _run(tmp_path, "import", *map(str, packages), "--out-dir", str(tmp_path / "banks"),
                  "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    detected = {s["detected"] for s in report["sources"]}
    assert detected == set(formats)
    banks = sorted((tmp_path / "banks").glob("*.json"))
    assert len(banks) == len(formats)
    result = _run(tmp_path, "validate", *map(str, banks))
    assert result.returncode == 0, result.stdout + result.stderr


def _zip_bytes(entries: dict[str, bytes], compress: bool = True) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            archive.writestr(info, data)
    return buffer.getvalue()


def _later_version(zipped: bytes) -> bytes:
    """The central directory asking for zip version 13.6 to extract (a fuzz run: zipfile's
    NotImplementedError, a traceback)."""
    at = zipped.index(b"PK\x01\x02") + 6
    return zipped[:at] + (136).to_bytes(2, "little") + zipped[at + 2 :]


def _damaged(zipped: bytes) -> bytes:
    """Eight zero bytes over the start of the first entry's compressed data."""
    start = 30 + len("imsmanifest.xml") + 20  # past its local header and name
    return zipped[:start] + bytes(8) + zipped[start + 8 :]


MANIFEST = (b'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><resources>'
            b'<resource identifier="r" type="imsqti_xmlv1p2" href="q.xml"><file href="q.xml"/>'
            b"</resource></resources></manifest>")
MALICIOUS = {
    "xxe.xml": (b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b"<quiz><question type=\"description\"><questiontext><text>&x;</text>"
                b"</questiontext></question></quiz>", "declares XML entities"),
    "laughs.xml": (b'<!DOCTYPE quiz [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
                   b"<quiz>&b;</quiz>", "declares XML entities"),
    "external-dtd.xml": (b'<!DOCTYPE quiz SYSTEM "http://127.0.0.1:9/evil.dtd"><quiz>'
                         b'<question type="description"><name><text>x</text></name>'
                         b"<questiontext><text>&ext;</text></questiontext></question></quiz>",
                         "refers to an external DTD"),
    "slip.zip": (_zip_bytes({"imsmanifest.xml": MANIFEST, "../../evil.xml": b"<x/>"}),
                 "has the segment '..'"),
    "bomb.zip": (_zip_bytes({"imsmanifest.xml": MANIFEST, "q.xml": b" " * (8 << 20)}),
                 "like a zip bomb"),
    "truncated.zip": (_zip_bytes({"imsmanifest.xml": MANIFEST * 50})[:300],
                      "not a readable zip archive"),
    # A damaged deflate stream (zeros over its Huffman tables): zlib.error, a traceback.
    "damaged.zip": (_damaged(_zip_bytes({"imsmanifest.xml": MANIFEST * 40})), "cannot be read"),
    "later-version.zip": (_later_version(_zip_bytes({"imsmanifest.xml": MANIFEST})),
                          "not a readable zip archive (zip file version 13.6)"),
    "latin1.xml": ("<quiz><question type=\"description\"><questiontext><text>café</text>"
                   "</questiontext></question></quiz>".encode("latin-1"), "not well-formed XML"),
}


def test_malicious_files_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    for name, (data, message) in MALICIOUS.items():
        source = tmp_path / name
        source.write_bytes(data)
        out = tmp_path / "out" / f"{name}.json"
        from_ = "qti12" if name.endswith(".zip") else "moodle"
        result = _run(tmp_path, "import", str(source), "--from", from_, "--out", str(out))
        assert "Traceback" not in result.stderr, (name, result.stderr)
        assert result.returncode in (2, 3), (name, result.returncode, result.stderr)
        assert message in result.stderr, (name, result.stderr)
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*")), name


def test_packager_check_refuses_the_hostile_zips_as_import_does(tmp_path: Path) -> None:
    """`check` reads other tools' packages too: the same limits, names and damage checks."""
    for name, (data, message) in MALICIOUS.items():
        if not name.endswith(".zip"):
            continue
        package = tmp_path / name
        package.write_bytes(data)
        result = _run(tmp_path, "check", str(package), "--xsd-dir", str(xsd_dir()))
        assert "Traceback" not in result.stderr, (name, result.stderr)
        assert result.returncode == 3, (name, result.returncode, result.stderr)
        assert message in result.stderr, (name, result.stderr)


def test_the_cli_starts_without_loading_the_model() -> None:
    """`packager --help` stays fast: no command module imports pydantic or lxml at start-up."""
    code = "import sys, packager.cli; print('pydantic' in sys.modules, 'lxml.etree' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.split() == ["False", "False"]


def test_hostile_html_in_an_upload_text_is_dropped_and_reported(tmp_path: Path) -> None:
    source = tmp_path / "q.txt"
    source.write_text('MC\t<p>Pick <script>alert(1)</script><img src=x onerror=alert(1)> '
                      '<a href="javascript:x">y</a></p>\tA <b onclick="x">b</b>\tcorrect\t'
                      "B\tincorrect\n", encoding="utf-8")
    out = tmp_path / "q.json"
    result = _run(tmp_path, "import", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    for note in ("<script> dropped", "link to 'javascript:x' dropped", "image 'x' dropped"):
        assert note in result.stderr
    written = out.read_text(encoding="utf-8")
    for unsafe in ("<script", "onerror", "onclick", "javascript:"):
        assert unsafe not in written


def test_hostile_html_in_a_text_bank_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "s.txt"
    source.write_text("Situation: A <script>alert(1)</script> firm. What now?\n"
                      "- One\n- Two\nAnswer: A\n", encoding="utf-8")
    out = tmp_path / "banks" / "s.json"
    result = _run(tmp_path, "import", str(source), "--out", str(out))
    assert result.returncode == 3
    assert f"{source}:1: error E-RICHTEXT" in result.stderr, result.stderr
    assert "raw HTML element <script> is not allowed" in result.stderr
    assert "packager-import-" not in result.stderr
    assert not out.exists()


def test_an_image_a_text_bank_lacks_is_looked_for_beside_it_not_at_the_destination(
    tmp_path: Path,
) -> None:
    """The import carries a text bank's images from beside it (tests/test_import_text_media.py):
    one that is not there is to be put there, not beside the bank the import would write."""
    source = tmp_path / "s.txt"
    source.write_text("Situation: A firm <img src=x>. What now?\n- One\n- Two\nAnswer: A\n",
                      encoding="utf-8")
    out = tmp_path / "banks" / "s.json"
    result = _run(tmp_path, "import", str(source), "--out", str(out))
    assert result.returncode == 3
    assert f"{source}:1: error E-MEDIA" in result.stderr, result.stderr
    assert f"put the file at {tmp_path / 'x'} or fix the path" in result.stderr, result.stderr
    assert "packager-import-" not in result.stderr
    assert not out.exists()


def _stray_body(between: str) -> dict[str, str]:
    """Sources whose question text is a pasted page, `between` its end and what follows."""
    return {
        "q.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>\n<quiz><question type="multichoice">'
            "<name><text>Q1</text></name><questiontext format=\"html\"><text><![CDATA["
            f"<p>Which one?</p>{between}<p>Pick carefully.</p>]]></text></questiontext>"
            "<single>true</single>"
            '<answer fraction="100" format="html"><text>A</text></answer>'
            '<answer fraction="0" format="html"><text>B</text></answer></question></quiz>\n'
        ),
        "q.gift": f"::Q1::[html]<p>Which one?</p>{between}<p>Pick carefully.</p>{{=A ~B}}\n",
        "upload.txt": f"MC\t<p>Which one?</p>{between}<p>Pick carefully.</p>\tA\tcorrect\t"
        "B\tincorrect\n",
    }


# `</body><body>`: lxml.html raised an AssertionError, a traceback instead of a bank.
# `</body></html>` then more: lxml's tree builder dropped what follows, silently.
@pytest.mark.parametrize("between", ["</body><body>", "</body></html> "])
def test_html_that_closes_its_body_and_goes_on_imports_whole(
    tmp_path: Path, between: str
) -> None:
    for name, text in _stray_body(between).items():
        source = tmp_path / name
        source.write_text(text, encoding="utf-8")
        out = tmp_path / f"{name}.json"
        result = _run(tmp_path, "import", str(source), "--out", str(out))
        assert result.returncode == 0, (name, result.stderr)
        assert "Traceback" not in result.stderr
        (question,) = json.loads(out.read_text(encoding="utf-8"))["questions"]
        assert question["prompt"] == "Which one?\n\nPick carefully.", name


ENTITY_ITEM = (
    b'<?xml version="1.0"?>\n<!DOCTYPE q [<!ENTITY a "x">]>\n'
    b'<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="i1" '
    b'title="t" adaptive="false" timeDependent="false">&a;<itemBody><p>hi</p></itemBody>'
    b"</assessmentItem>"
)


def test_packager_check_reports_a_document_that_declares_entities(tmp_path: Path) -> None:
    """Unexpanded references reached libxml2's validator: 'Internal error in XML Schema
    validation', a traceback. The document is reported instead, alone or in a package."""
    single = tmp_path / "item.xml"
    single.write_bytes(ENTITY_ITEM)
    zipped = tmp_path / "package.zip"
    zipped.write_bytes(_zip_bytes({"imsmanifest.xml": MANIFEST, "q.xml": ENTITY_ITEM}))
    for package, part in ((single, "item.xml"), (zipped, "q.xml")):
        result = _run(tmp_path, "check", str(package), "--xsd-dir", str(xsd_dir()))
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode == 5, (result.returncode, result.stderr)
        assert f"{part}:1: declares XML entities" in result.stdout, result.stdout


def test_a_folder_given_to_import_says_to_give_its_files(tmp_path: Path) -> None:
    """Asked before reading: Windows refuses to open a folder as 'permission denied'."""
    (tmp_path / "exports").mkdir()
    result = _run(tmp_path, "import", "exports", "--out-dir", "banks")
    assert result.returncode != 0 and "exports: is a folder, expected a file" in result.stderr
    assert "a pattern such as exports" in result.stderr and not (tmp_path / "banks").exists()


def test_a_text_bank_whose_content_fits_no_format_is_read_by_its_name(tmp_path: Path) -> None:
    """Every question of it lacks its key, so none looks like the layout: the text reader's
    located errors, not "cannot tell its format"; a file of another name still gets that."""
    (tmp_path / "quiz.md").write_text("1. What?\n- yes\n- no\n\n2. Why?\n- so\n- not\n")
    result = _run(tmp_path, "import", "quiz.md", "--out-dir", "out")
    assert result.returncode == 3, result.stderr
    assert "read as the plain-text layout (by its name: its content fits no format" in result.stderr
    assert "quiz.md:1: error E-TEXT: no key" in result.stderr
    assert "quiz.md:5: error E-TEXT: no key" in result.stderr
    assert not (tmp_path / "out").exists()
    (tmp_path / "quiz.dat").write_bytes((tmp_path / "quiz.md").read_bytes())
    result = _run(tmp_path, "import", "quiz.dat", "--out-dir", "out")
    assert result.returncode == 2 and "cannot tell its format" in result.stderr


def test_an_unwritten_bank_s_problems_are_located_in_its_source(tmp_path: Path) -> None:
    """A text bank's check errors are on its own lines, as validate gives them; another
    source's name its question and field, never a line of the bank that was not written."""
    (tmp_path / "quiz.md").write_text(
        "1. What?\n- yes\n- no <script>x</script>\nAnswer: A\n\n2. Why?\n- so\n- not\nAnswer: B\n")
    result = _run(tmp_path, "import", "quiz.md", "--out-dir", "out")
    assert result.returncode == 3, result.stderr
    assert "quiz.md:3: error E-RICHTEXT question 'what' at /questions/0/choices/1/text" in (
        result.stderr)
    assert "out/quiz.json" not in result.stderr and not (tmp_path / "out").exists()
    # No reader writes such a bank from another format (they drop or escape what a check
    # refuses), so the other path is asked directly.
    from packager.diagnostics import Diagnostic
    from packager.importing import _in_source
    from packager.readers.base import Source

    found = Diagnostic("E-RICHTEXT", "raw HTML", file=str(tmp_path / "out" / "quiz.json"),
                       line=12, column=5, question_id="q1", pointer="/questions/0/prompt")
    (moved,) = _in_source([found], Source("quiz.gift", b"", tmp_path), "gift",
                          tmp_path / "out" / "quiz.json")
    assert (moved.file, moved.line, moved.column) == ("quiz.gift", None, None)
    assert (moved.question_id, moved.pointer) == ("q1", "/questions/0/prompt")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_single_mkdocs_quiz_block_is_markdown_not_moodle_xml(
        tmp_path: Path, encoding: str) -> None:
    """`<quiz>` around one question is well-formed XML with Moodle's root: it was read as an
    empty Moodle file ("no questions found"); it is the plain-text layout. Saved as UTF-16
    (Notepad), it was Moodle XML still (review 29: the check read the undecoded bytes)."""
    (tmp_path / "q.md").write_text("<quiz>\nWhat is 2+2?\n- [x] 4\n- [ ] 5\n</quiz>\n",
                                   encoding=encoding)
    result = _run(tmp_path, "import", "q.md", "-o", "q.json")
    assert result.returncode == 0, result.stderr
    (question,) = json.loads((tmp_path / "q.json").read_text())["questions"]
    assert [c.get("correct", False) for c in question["choices"]] == [True, False]


def test_an_import_of_a_bank_another_import_is_writing_stops_naming_it(tmp_path: Path) -> None:
    """Two imports to one --out both found no file to overwrite and the last one won; the
    bank's lock (`.NAME.lock` beside it) makes the second stop, naming the first."""
    source = tmp_path / "quiz.gift"
    source.write_text("::q::Pick one {=yes ~no}\n", encoding="utf-8")
    out = tmp_path / "bank.json"
    lock = tmp_path / ".bank.json.lock"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock.write_text(f"{holder.pid} {socket.gethostname()}\n")
        result = _run(tmp_path, "import", str(source), "--out", str(out))
        assert result.returncode == 6, result.stderr
        assert f"{out}: another packager process (pid {holder.pid} on " in result.stderr
        assert f"if no such process runs, delete {lock}" in result.stderr
    finally:
        holder.kill()
        holder.wait()
    assert not out.exists()
    assert lock.read_text() == f"{holder.pid} {socket.gethostname()}\n"  # left to its holder
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock.write_text(f"{dead.pid} {socket.gethostname()}\n")  # a killed import's
    result = _run(tmp_path, "import", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["questions"][0]["prompt"] == "Pick one"
    assert not lock.exists()


def test_a_bank_of_the_longest_name_a_file_may_have_is_imported(tmp_path: Path) -> None:
    """Review 33: a source of a 250-character stem makes a bank of 255 bytes, legal on every
    system, whose lock `.NAME.lock` (261 bytes) was "File name too long" (exit 6)."""
    source = tmp_path / f"{'a' * 250}.gift"
    source.write_text("::q::Pick one {=yes ~no}\n", encoding="utf-8")
    result = _run(tmp_path, "import", str(source), "--out-dir", "out")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{'a' * 250}.json"]


def test_a_failed_import_into_a_new_folder_leaves_no_folder(tmp_path: Path) -> None:
    source = tmp_path / "quiz.gift"
    source.write_text("::q::Pick one {=yes ~no\n", encoding="utf-8")  # the block never closes
    result = _run(tmp_path, "import", str(source), "--out", str(tmp_path / "new" / "bank.json"))
    assert result.returncode == 3, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quiz.gift"]


def test_out_names_a_json_bank_file_and_out_dir_a_folder(tmp_path: Path) -> None:
    """Docs review 31: `-o newdir/` wrote a bank file named `newdir` (the slash is gone when
    packager sees it), `-o` an existing folder said "exists, pass --force", `--out-dir` a
    file said "File exists"."""
    source = tmp_path / "quiz.gift"
    source.write_text("::q::Pick one {=yes ~no}\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "afile").write_text("x")
    cases = {
        ("-o", "newdir/"): "error: --out newdir: a bank file's name ends in .json",
        ("-o", "content"): "error: --out content: names the bank file to write, not a folder",
        ("--out-dir", "afile"): "error: --out-dir afile: is a file, expected a folder",
    }
    for args, message in cases.items():
        result = _run(tmp_path, "import", "quiz.gift", *args)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(message + "\n"), result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "content", "quiz.gift"]
    assert not any((tmp_path / "content").iterdir())
