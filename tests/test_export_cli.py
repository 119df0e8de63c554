"""`packager export` and `packager check` through the real CLI entry point."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import CONTENT, xsd_dir


def _run(cwd: Path, *args: str, xsd: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PACKAGER_XSD_DIR", None)
    if xsd:
        env["PACKAGER_XSD_DIR"] = str(xsd_dir())
    return subprocess.run(
        [sys.executable, "-m", "packager", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path


def test_export_qti_with_no_argument_exports_every_bank_to_dist(project: Path) -> None:
    # The headline command, with no other option, over the shipped content (issue 16).
    result = _run(project, "export", "--format", "qti")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (project / "dist").iterdir())
    assert names == [
        "neon-broccoli-1.0.0.qti12.report.json",
        "neon-broccoli-1.0.0.qti12.zip",
        "sample-all-types-1.2.0.qti12.report.json",
        "sample-all-types-1.2.0.qti12.zip",
    ]
    report = json.loads((project / "dist" / "sample-all-types-1.2.0.qti12.report.json").read_text())
    statuses = {q["id"]: q["status"] for q in report["questions"]}
    assert statuses["order-steps"] == "exported"  # as matching to positions (1st, 2nd …)
    (ordering,) = [q for q in report["questions"] if q["id"] == "order-steps"]
    assert [n["kind"] for n in ordering["notes"]] == ["changed"]
    assert statuses["best-month"] == "exported"
    assert "qti12" in str(report["xsd_validated"]) or report["xsd_validated"]


def test_unsupported_question_is_an_error_listing_it(project: Path) -> None:
    result = _run(project, "export", "--format", "aiken", "content/sample-all-types.json")
    assert result.returncode == 4
    assert "'order-steps'" in result.stderr
    assert "--skip-unsupported" in result.stderr
    assert "; nothing was written\n" in result.stderr  # as for an invalid bank
    assert not (project / "dist").exists()


def test_a_format_that_carries_no_question_is_an_error_even_when_skipping(
    tmp_path: Path,
) -> None:
    """Asked for exactly that file, export fails where a release build would skip it."""
    essay = {"id": "e", "type": "essay", "prompt": "Why?"}
    bank = {
        "format": "packager.question-bank/1",
        "id": "essays",
        "title": "Essays",
        "version": "1.0.0",
        "questions": [essay],
    }
    (tmp_path / "essays.json").write_text(json.dumps(bank))
    result = _run(tmp_path, "export", "--format", "aiken", "--skip-unsupported", "essays.json")
    assert result.returncode == 4, result.stderr
    assert (
        "essays.json: no question of this bank can be exported to aiken "
        "(essay: Aiken has single-choice questions only)"
    ) in result.stderr
    assert not (tmp_path / "dist").exists()


def _bank_of_three_blanks(folder: Path) -> str:
    """A bank whose only question has three blanks: Moodle and QTI 1.2 carry it, GIFT and
    Aiken cannot (GIFT's missing-word form has one blank)."""
    question = {"id": "three", "type": "fill_in_blanks", "prompt": "[[a]], [[b]] and [[c]].",
                "blanks": {"a": ["x"], "b": ["y"], "c": ["z"]}}
    bank = {"format": "packager.question-bank/1", "id": "blanks", "title": "Blanks",
            "version": "1.0.0", "questions": [question]}
    (folder / "blanks.json").write_text(json.dumps(bank))
    return "blanks.json"


def test_skipping_a_format_that_carries_no_question_writes_the_other_formats(
    tmp_path: Path,
) -> None:
    """As `build` does with skip_unsupported: the format that can carry nothing of the bank
    is skipped and said so; the formats that carry it are written, and the export succeeds."""
    bank = _bank_of_three_blanks(tmp_path)
    result = _run(tmp_path, "export", "--format", "moodle,qti12,gift", "--skip-unsupported", bank)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == [
        "blanks-1.0.0.moodle.report.json",
        "blanks-1.0.0.moodle.xml",
        "blanks-1.0.0.qti12.report.json",
        "blanks-1.0.0.qti12.zip",
    ]
    assert (
        "skipped blanks.json gift: no question of this bank can be exported to gift "
        "(fill_in_blanks: 3 blanks: GIFT's missing-word short answer has one blank)\n"
    ) in result.stderr
    assert "wrote dist/blanks-1.0.0.moodle.xml" in result.stdout
    assert "gift" not in result.stdout
    assert "earlier export" not in result.stderr
    # An earlier export of the pair (when the bank still had a question GIFT carries) stays,
    # under the bank's current name: said (build review 32, F11).
    earlier = tmp_path / "dist" / "blanks-1.0.0.gift.txt"
    earlier.write_text("::q:: an old question {=yes ~no}\n")
    again = _run(tmp_path, "export", "--format", "moodle,gift", "--skip-unsupported", bank)
    assert again.returncode == 0, again.stderr
    assert (f"note: {Path('dist') / earlier.name} is an earlier export of this pair, not of "
            "this bank as it is now: remove it before publishing the folder") in again.stderr


def test_a_bank_that_no_format_given_can_carry_is_an_error_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    bank = _bank_of_three_blanks(tmp_path)
    (tmp_path / "other.json").write_text((CONTENT / "neon-broccoli.json").read_text())
    result = _run(tmp_path, "export", "--format", "gift,aiken", "--skip-unsupported",
                  bank, "other.json")
    assert result.returncode == 4, result.stderr
    assert (
        "blanks.json: no format given can carry this bank: no question of this bank can be "
        "exported to gift (fill_in_blanks: 3 blanks: GIFT's missing-word short answer has one "
        "blank); no question of this bank can be exported to aiken (fill_in_blanks: "
    ) in result.stderr
    assert not (tmp_path / "dist").exists()


def test_invalid_bank_exits_3_and_writes_nothing(project: Path) -> None:
    bank = project / "content" / "neon-broccoli.json"
    data = json.loads(bank.read_text())
    data["questions"][0]["choices"][0]["correct"] = True  # now two correct answers
    bank.write_text(json.dumps(data, indent=2))
    result = _run(project, "export", "--format", "qti21")
    assert result.returncode == 3
    assert "E-CORRECT-COUNT" in result.stderr
    assert "department-goals-scale" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "dist").exists()


def test_unknown_format_is_a_usage_error(project: Path) -> None:
    result = _run(project, "export", "--format", "qti13")
    assert result.returncode == 2
    assert "unknown format 'qti13'" in result.stderr


def test_missing_format_and_lms_is_a_usage_error(project: Path) -> None:
    result = _run(project, "export")
    assert result.returncode == 2
    assert "--format or --lms" in result.stderr


LMS_CASES = {
    # lms: (format and extension of each file, phrases of the printed import steps)
    "moodle": (
        ["moodle.xml", "scorm12.zip", "cc.imscc"],
        ["Question bank → Import", "SCORM package", "Restore"],
    ),
    "blackboard": (
        ["blackboard.zip", "bbtext.txt", "qti21.zip", "scorm12.zip"],
        ["Import Pool", "Upload Questions", "Question Banks", "Content Package (SCORM)"],
    ),
    "canvas": (["qti12.zip", "scorm12.zip"], ["Import Course Content", "SCORM"]),
    "brightspace": (["qti12.zip", "scorm2004.zip"], ["Import Components", "SCORM"]),
}


@pytest.mark.parametrize("bank", [("neon-broccoli", "1.0.0"), ("sample-all-types", "1.2.0")])
@pytest.mark.parametrize("lms", sorted(LMS_CASES))
def test_lms_builds_its_formats_and_prints_import_steps(
    project: Path, lms: str, bank: tuple[str, str]
) -> None:
    bank_id, version = bank
    result = _run(project, "export", "--lms", lms, "--skip-unsupported", f"content/{bank_id}.json")
    assert result.returncode == 0, result.stderr
    files, phrases = LMS_CASES[lms]
    names = {p.name for p in (project / "dist").iterdir()}
    expected = {f"{bank_id}-{version}.{f}" for f in files}
    reports = {f"{bank_id}-{version}.{f.rsplit('.', 1)[0]}.report.json" for f in files}
    assert names == expected | reports
    for phrase in phrases:
        assert phrase in result.stdout


def test_without_xsd_dir_export_says_validation_was_skipped(project: Path) -> None:
    result = _run(project, "export", "--format", "qti21", "content/neon-broccoli.json", xsd=False)
    assert result.returncode == 0, result.stderr
    assert "official-XSD validation was skipped" in result.stderr


def test_bad_xsd_dir_is_a_usage_error(project: Path) -> None:
    result = _run(project, "export", "--format", "qti21", "--xsd-dir", str(project))
    assert result.returncode == 2
    assert "catalog.xml" in result.stderr


@pytest.mark.parametrize("fmt", ["qti12", "qti21", "qti30", "scorm12", "scorm2004", "cc"])
def test_check_accepts_our_packages(project: Path, fmt: str) -> None:
    assert _run(project, "export", "--format", fmt, "--skip-unsupported").returncode == 0
    for package in sorted((project / "dist").glob(f"*.{fmt}.*")):
        if package.suffix == ".json":
            continue
        result = _run(project, "check", str(package), "--format", "json")
        assert result.returncode == 0, result.stdout
        payload = json.loads(result.stdout)
        (checked,) = payload["packages"]
        assert checked["ok"] is True
        assert any(f["schema"] for f in checked["files"]), "no file was XSD-checked"


def test_check_reports_a_broken_package(project: Path) -> None:
    assert (
        _run(project, "export", "--format", "qti21", "content/neon-broccoli.json").returncode == 0
    )
    (package,) = (project / "dist").glob("*.qti21.zip")
    with zipfile.ZipFile(package) as archive:
        files = {i.filename: archive.read(i) for i in archive.infolist()}
    item = next(
        n
        for n in files
        if n != "imsmanifest.xml" and n.endswith(".xml") and b"assessmentItem" in files[n]
    )
    files[item] = (
        files[item]
        .replace(b"<itemBody", b"<itemBodyX", 1)
        .replace(b"</itemBody>", b"</itemBodyX>", 1)
    )
    missing = next(iter(n for n in files if n != item and n != "imsmanifest.xml"))
    del files[missing]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    broken = project / "broken.zip"
    broken.write_bytes(buffer.getvalue())
    result = _run(project, "check", str(broken))
    assert result.returncode == 5
    assert "itemBodyX" in result.stdout
    assert f"{missing!r} is not in the package" in result.stdout


def test_check_knows_a_blackboard_package(project: Path) -> None:
    """Docs review 26: packager's own Blackboard pool was an "unknown package" whose .dat
    files went unread; a file the manifest names is looked for, and each .dat is parsed."""
    assert _run(project, "export", "--format", "blackboard", "content/neon-broccoli.json",
                "-o", "dist").returncode == 0
    (package,) = (project / "dist").glob("*.blackboard.zip")
    result = _run(project, "check", str(package))
    assert result.returncode == 0, result.stdout
    assert (f"{package}: blackboard package, 3 XML files (3 with no XSD to check against: "
            "imsmanifest.xml, res00001.dat, res00002.dat): ok") in result.stdout
    with zipfile.ZipFile(package) as archive:
        files = {i.filename: archive.read(i) for i in archive.infolist()}
    files["res00001.dat"] = files["res00001.dat"][:400]
    del files["res00002.dat"]
    broken = project / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    result = _run(project, "check", str(broken))
    assert result.returncode == 5
    assert "imsmanifest.xml: resource file 'res00002.dat' is not in the package" in result.stdout
    assert "res00001.dat: not well-formed XML" in result.stdout


def test_check_says_which_files_it_had_no_xsd_for_and_refuses_unknown_xml(
    project: Path,
) -> None:
    """Docs review 31: a Moodle XML file, and any XML file whose root no schema covers
    (`<foo/>`), were "ok" with nothing checked."""
    assert _run(project, "export", "--format", "moodle", "content/neon-broccoli.json",
                "-o", "dist").returncode == 0
    (project / "dist" / "foo.xml").write_text("<foo/>")
    result = _run(project, "check", "dist")
    assert result.returncode == 5, result.stdout
    moodle = "neon-broccoli-1.0.0.moodle.xml"
    assert result.stdout.splitlines() == [
        "dist/foo.xml: xml package, 1 XML file: INVALID",
        "  foo.xml: <foo> is the root of no package format packager checks (QTI 1.2, 2.x or "
        "3.0 documents and Canvas's quiz metadata alone, packages as .zip or .imscc)",
        f"dist/{moodle}: moodle-xml package, 1 XML file (1 with no XSD to check "
        f"against: {moodle}): ok",
    ]


def test_check_names_what_is_no_package_and_a_damaged_zip_once(project: Path) -> None:
    """Docs review 31: a text bank given to check was "a truncated or damaged zip", and a
    damaged zip was said twice (its diagnostic, then the same as the error)."""
    (project / "bank.txt").write_text("1. Pick one\nA) yes\nB) no\nAnswer: A\n")
    result = _run(project, "check", "bank.txt")
    assert (result.returncode, result.stderr) == (3, (
        "error: bank.txt: not a package (a .zip or .imscc archive, or an .xml document)\n"
        "    hint: packager check checks packages; a bank is checked by packager validate\n"))
    (project / "cut.zip").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    result = _run(project, "check", "cut.zip")
    assert result.returncode == 3
    assert result.stderr.count("not a readable zip archive") == 1, result.stderr


def test_check_finds_an_image_a_qti2_item_shows_that_is_not_in_the_package(
    project: Path,
) -> None:
    """Docs review 31: with the image and its manifest entries gone, the items still showing
    it, check said ok."""
    assert _run(project, "export", "--format", "qti21", "--skip-unsupported",
                "content/sample-all-types.json", "-o", "dist").returncode == 0
    (package,) = (project / "dist").glob("*.qti21.zip")
    with zipfile.ZipFile(package) as archive:
        files = {i.filename: archive.read(i) for i in archive.infolist()}
    manifest = etree.fromstring(files["imsmanifest.xml"])
    for element in list(manifest.iter()):
        if any(str(v).startswith(("media/", "RES-MEDIA")) for v in element.attrib.values()):
            element.getparent().remove(element)
    files["imsmanifest.xml"] = etree.tostring(manifest)
    broken = project / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        for name, data in files.items():
            if not name.startswith("media/"):
                archive.writestr(name, data)
    result = _run(project, "check", str(broken))
    assert result.returncode == 5, result.stdout
    assert ("  items/best-month.xml: <img src='../media/leads-chart.png'> names "
            "'media/leads-chart.png', which is not in the package") in result.stdout.splitlines()


def test_check_without_xsd_dir_is_a_usage_error(project: Path) -> None:
    result = _run(project, "check", "whatever.zip", xsd=False)
    assert result.returncode == 2
    assert "PACKAGER_XSD_DIR" in result.stderr


def test_check_reads_every_package_of_a_folder(project: Path) -> None:
    """`packager check dist` checks a release (a Windows shell does not expand dist\\*.zip)."""
    built = _run(project, "export", "--format", "qti12,qti21,moodle,gift", "--skip-unsupported")
    assert built.returncode == 0, built.stderr
    packages = sorted(
        p.name for p in (project / "dist").iterdir() if p.suffix in (".zip", ".imscc", ".xml")
    )
    assert packages and any(p.endswith(".xml") for p in packages)
    result = _run(project, "check", "dist", "--format", "json")
    assert result.returncode == 0, result.stdout
    checked = [Path(p["package"]).name for p in json.loads(result.stdout)["packages"]]
    assert checked == packages  # sorted, and nothing else (not the GIFT text, not reports)
    (project / "empty").mkdir()
    result = _run(project, "check", "empty")
    assert result.returncode == 2
    assert "no packages in this folder" in result.stderr


def test_reports_exported_into_the_bank_folder_are_not_read_as_banks(tmp_path: Path) -> None:
    """Docs review 31: exported into the bank folder, the reports (and a build's report) were
    read as banks by every later command on the folder, which then failed."""
    (tmp_path / "content").mkdir()
    shutil.copy(CONTENT / "neon-broccoli.json", tmp_path / "content")
    assert _run(tmp_path, "export", "-q", "-f", "gift,qti,html", "-o", "content",
                "content").returncode == 0
    (tmp_path / "content" / "build-report.json").write_text("{}")
    assert len(list((tmp_path / "content").glob("*.report.json"))) == 3
    result = _run(tmp_path, "validate", "content")
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert "1 bank checked: 0 errors, 0 warnings" in result.stderr


def test_an_export_that_changes_a_builds_package_says_its_records_no_longer_describe_it(
    project: Path,
) -> None:
    """Build review 32 (F5): `export -o dist` after `build` replaced a package that
    dist/SHA256SUMS listed, and `sha256sum -c` then failed without a word from packager.
    The same bytes (the same SOURCE_DATE_EPOCH) are nothing to say."""
    (project / "packager.toml").write_text('banks = ["content/*.json"]\nformats = ["qti12"]\n'
                                           "skip_unsupported = true\n")
    assert _run(project, "build", "--quiet").returncode == 0
    same = _run(project, "export", "--format", "qti12", "-o", "dist", "content/neon-broccoli.json")
    assert same.returncode == 0 and "no longer describe" not in same.stderr
    env_epoch = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000",
                 "PACKAGER_XSD_DIR": str(xsd_dir())}
    other = subprocess.run(
        [sys.executable, "-m", "packager", "export", "--format", "qti12", "-o", "dist",
         "content/neon-broccoli.json"],
        cwd=project, env=env_epoch, capture_output=True, text=True, check=False)
    assert other.returncode == 0, other.stderr
    assert ("note: dist holds a build's records: SHA256SUMS and build-report.json no longer "
            "describe neon-broccoli-1.0.0.qti12.zip") in other.stderr


def test_check_names_entries_an_unzip_on_windows_or_macos_cannot_keep(project: Path) -> None:
    """Portability review 32 (F9): a package holding `media/Image.png` and `media/image.png`
    (one file on Windows and macOS: unzipped there, one image replaces the other) was "ok";
    one holding `media/a:b.png` (no file Windows can name) too, once import read such names."""
    assert _run(project, "export", "--format", "qti21", "content/neon-broccoli.json").returncode == 0
    (package,) = (project / "dist").glob("*.qti21.zip")
    with zipfile.ZipFile(package) as archive:
        files = {i.filename: archive.read(i) for i in archive.infolist()}
    files["media/Image.png"] = files["media/image.png"] = files["media/a:b.png"] = b"x"
    twins = project / "twins.zip"
    with zipfile.ZipFile(twins, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    result = _run(project, "check", str(twins))
    assert result.returncode == 5, result.stdout
    assert ("media/image.png: the entries 'media/Image.png' and 'media/image.png' are one file "
            "on Windows and macOS") in result.stdout
    assert "media/a:b.png: the entry name contains ':'" in result.stdout
