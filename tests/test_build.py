"""`packager build`: reproducible, incremental, all-or-nothing, with checksums and a report."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CONTENT, ROOT, xsd_dir

CONFIG = 'banks = ["content/*.json"]\nformats = ["all"]\nskip_unsupported = true\n'


def _project(tmp: Path, config: str = CONFIG) -> Path:
    shutil.copytree(CONTENT, tmp / "content")
    (tmp / "packager.toml").write_text(config)
    return tmp


def _build(
    cwd: Path, *args: str, env: dict[str, str] | None = None, quiet: bool = True
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PACKAGER_XSD_DIR": str(xsd_dir()), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "packager", "build", *(["--quiet"] if quiet else []), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in sorted(out.iterdir())
        if p.is_file() and p.name not in ("build-report.json", ".packager-state.json")
    }


def test_build_writes_every_package_checksums_and_report(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = _build(project)
    assert result.returncode == 0, result.stderr
    out = project / "dist"
    report = json.loads((out / "build-report.json").read_text())
    from packager.formats import TARGETS

    assert report["formats"] == sorted(TARGETS)
    assert {b["id"] for b in report["banks"]} == {"neon-broccoli", "sample-all-types"}
    assert len(report["artifacts"]) == 2 * len(TARGETS)
    sums = (out / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == len(report["artifacts"])
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    for artifact in report["artifacts"]:
        assert artifact["status"] == "built"
        assert (out / artifact["file"]).stat().st_size == artifact["size"]
    neon = next(b for b in report["banks"] if b["id"] == "neon-broccoli")
    assert neon["questions"] == 1


def test_second_run_rebuilds_nothing_and_force_gives_identical_bytes(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _build(project).returncode == 0
    first = _outputs(project / "dist")
    second = _build(project)
    assert second.returncode == 0
    report = json.loads((project / "dist" / "build-report.json").read_text())
    assert report["built"] == 0 and report["cached"] == len(report["artifacts"])
    forced = _build(project, "--force")
    assert forced.returncode == 0
    report = json.loads((project / "dist" / "build-report.json").read_text())
    assert report["built"] == len(report["artifacts"])
    assert _outputs(project / "dist") == first


def test_a_changed_bank_rebuilds_only_its_packages(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _build(project).returncode == 0
    bank = project / "content" / "neon-broccoli.json"
    data = json.loads(bank.read_text())
    data["title"] = "Neon Broccoli, revised"
    bank.write_text(json.dumps(data))
    assert _build(project).returncode == 0
    report = json.loads((project / "dist" / "build-report.json").read_text())
    built = {(a["bank"], a["status"]) for a in report["artifacts"]}
    assert built == {("neon-broccoli", "built"), ("sample-all-types", "cached")}


def test_reproducible_across_timezone_umask_cwd_and_jobs(tmp_path: Path) -> None:
    a = _project(tmp_path / "a")
    b = _project(tmp_path / "b")
    assert _build(a, "--jobs", "1", env={"TZ": "UTC"}).returncode == 0
    script = (
        "import os, sys, runpy; os.umask(0o077); sys.argv=['packager','build','--quiet','--jobs','2',"
        f"'--config',{str(b / 'packager.toml')!r}]; runpy.run_module('packager', run_name='__main__')"
    )
    env = {**os.environ, "PACKAGER_XSD_DIR": str(xsd_dir()), "TZ": "Pacific/Kiritimati"}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _outputs(a / "dist") == _outputs(b / "dist")


def test_source_date_epoch_sets_zip_timestamps(tmp_path: Path) -> None:
    import zipfile

    project = _project(tmp_path, 'banks = ["content/neon-broccoli.json"]\nformats = ["qti21"]\n')
    assert _build(project, env={"SOURCE_DATE_EPOCH": "1700000000"}).returncode == 0
    (zip_path,) = (project / "dist").glob("*.zip")
    with zipfile.ZipFile(zip_path) as archive:
        stamps = {i.date_time for i in archive.infolist()}
    assert stamps == {(2023, 11, 14, 22, 13, 20)}


def test_invalid_bank_fails_and_writes_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _build(project).returncode == 0
    before = _outputs(project / "dist")
    (project / "content" / "broken.json").write_text('{"format": "packager.question-bank/1"')
    result = _build(project, "--force")
    assert result.returncode == 3
    assert "broken.json" in result.stderr and "Traceback" not in result.stderr
    assert _outputs(project / "dist") == before


def test_unsupported_under_strict_fails_with_exit_4_and_writes_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path, 'banks = ["content/*.json"]\nformats = ["aiken"]\n')
    result = _build(project)
    assert result.returncode == 4, result.stderr
    assert not (project / "dist").exists() or not any((project / "dist").iterdir())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failing_job_leaves_the_old_outputs_and_no_temp_files(tmp_path: Path, jobs: str) -> None:
    """Workers stage their artefacts as temp files; one failed job must discard them all."""
    formats = 'banks = ["content/*.json"]\nformats = ["qti21", "aiken"]\n'
    project = _project(tmp_path, formats + "skip_unsupported = true\n")
    assert _build(project).returncode == 0
    before = _outputs(project / "dist")
    (project / "packager.toml").write_text(formats)  # aiken cannot take sample-all-types
    result = _build(project, "--force", "--jobs", jobs)
    assert result.returncode == 4, result.stderr
    after = _outputs(project / "dist")
    assert after == before
    assert not [n for n in after if n.endswith(".tmp")]


def test_clean_removes_stale_outputs_only(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        'banks = ["content/*.json"]\nformats = ["moodle", "gift"]\nskip_unsupported = true\n',
    )
    assert _build(project).returncode == 0
    keep = project / "dist" / "notes.txt"
    keep.write_text("not ours")
    (project / "packager.toml").write_text(
        'banks = ["content/*.json"]\nformats = ["moodle"]\nskip_unsupported = true\n'
    )
    # Beside packages, files packager does not write (incremental-build review 32, F3:
    # `--clean` removed a package's signature and precompressed copy, and release notes).
    moodle = next(p.name for p in (project / "dist").iterdir() if ".moodle." in p.name)
    foreign = [f"{moodle}.sig", f"{moodle}.gz", "release-notes-1.0.0.moodle.md"]
    for name in foreign:
        (project / "dist" / name).write_text("not ours")
    kept = _build(project, quiet=False)  # incremental-build review 32 (F2): stale, named
    assert kept.returncode == 0, kept.stderr
    report = json.loads((project / "dist" / "build-report.json").read_text())
    gifts = sorted(p.name for p in (project / "dist").iterdir() if p.name.endswith(".gift.txt"))
    assert len(gifts) == 2 and report["stale"] == gifts and report["removed"] == []
    assert "note: 2 outputs of earlier builds" in kept.stderr
    assert f"{gifts[0]}, {gifts[1]}; --clean removes them" in kept.stderr
    result = _build(project, "--clean")
    assert result.returncode == 0, result.stderr
    names = {p.name for p in (project / "dist").iterdir()}
    assert not any(".gift." in n for n in names)
    assert {"notes.txt", *foreign} <= names
    assert any(".moodle." in n for n in names)
    report = json.loads((project / "dist" / "build-report.json").read_text())
    assert report["removed"] == gifts and report["stale"] == []


# Aiken is the one format that cannot carry an essay (`packager formats --table`).
ESSAY_CONFIG = 'banks = ["content/*.json"]\nformats = ["moodle", "aiken"]\n'
NO_AIKEN_FOR_ESSAYS = (
    "no question of this bank can be exported to aiken "
    "(essay: Aiken has single-choice questions only)"
)


def _essays(*single_choice: str) -> dict[str, object]:
    """A bank of two essays, and a single-choice question for each id given."""
    questions: list[dict[str, object]] = [
        {"id": f"essay-{n}", "type": "essay", "prompt": f"Why {n}?"} for n in (1, 2)
    ]
    for qid in single_choice:
        choices = [{"id": "a", "text": "Yes", "correct": True}, {"id": "b", "text": "No"}]
        questions.append(
            {"id": qid, "type": "single_choice", "prompt": "Which?", "choices": choices}
        )
    return {
        "format": "packager.question-bank/1",
        "id": "essays",
        "title": "Essays",
        "version": "1.0.0",
        "questions": questions,
    }


def _essay_project(tmp: Path, config: str, bank: dict[str, object]) -> Path:
    (tmp / "content").mkdir(parents=True)
    shutil.copy(CONTENT / "neon-broccoli.json", tmp / "content")
    (tmp / "content" / "essays.json").write_text(json.dumps(bank))
    (tmp / "packager.toml").write_text(config)
    return tmp


def test_a_format_that_carries_none_of_a_bank_is_skipped_with_its_reason(
    tmp_path: Path,
) -> None:
    project = _essay_project(tmp_path, ESSAY_CONFIG + "skip_unsupported = true\n", _essays())
    result = _build(project, quiet=False)
    assert result.returncode == 0, result.stderr
    assert f"skipped essays aiken: {NO_AIKEN_FOR_ESSAYS}\n" in result.stderr
    assert "3 packages in " in result.stderr
    assert "(3 built, 0 unchanged, 1 skipped)" in result.stderr
    out = project / "dist"
    assert sorted(_outputs(out)) == [
        "SHA256SUMS",
        "essays-1.0.0.moodle.xml",
        "neon-broccoli-1.0.0.aiken.txt",
        "neon-broccoli-1.0.0.moodle.xml",
    ]
    assert "essays-1.0.0.aiken" not in (out / "SHA256SUMS").read_text()
    report = json.loads((out / "build-report.json").read_text())
    assert (report["built"], report["cached"], report["skipped"]) == (3, 0, 1)
    (skipped,) = [a for a in report["artifacts"] if a["status"] == "skipped"]
    assert skipped["bank"] == "essays" and skipped["format"] == "aiken"
    assert skipped["reason"] == NO_AIKEN_FOR_ESSAYS
    assert (skipped["file"], skipped["sha256"], skipped["size"]) == ("", "", 0)
    # What the pair would have lost, as a built pair's summary says it (they were null).
    essays = [q["id"] for q in json.loads((project / "content" / "essays.json").read_text())
              ["questions"]]
    assert (skipped["questions_exported"], skipped["questions_skipped"]) == (0, essays)
    assert [(n["question_id"], n["kind"]) for n in skipped["fidelity"]] == [
        (qid, "unsupported") for qid in essays]
    assert skipped["xsd_validated"] == []
    state = json.loads((out / ".packager-state.json").read_text())
    assert not [key for key in state["entries"] if key.endswith("essays.json::aiken")]
    # Never cached: decided again (without a writer) on the next build, which says so too.
    again = _build(project, "--format", "json")
    assert again.returncode == 0, again.stderr
    payload = json.loads(again.stdout)
    assert (payload["ok"], payload["cached"], payload["skipped"]) == (True, 3, 1)
    statuses = {(a["bank"], a["format"]): a["status"] for a in payload["artifacts"]}
    assert statuses[("essays", "aiken")] == "skipped"


def test_without_skip_unsupported_a_format_that_carries_none_fails(tmp_path: Path) -> None:
    project = _essay_project(tmp_path, ESSAY_CONFIG, _essays())
    result = _build(project)
    assert result.returncode == 4, result.stderr
    assert "aiken cannot express 2 questions" in result.stderr
    # build has no --skip-unsupported: the hint names its config key too (docs review 31)
    assert "(`build`: skip_unsupported = true in its config)" in result.stderr
    assert not (project / "dist").exists() or not any((project / "dist").iterdir())


def test_a_skipped_pair_is_stale_like_a_format_no_longer_built(tmp_path: Path) -> None:
    """Its earlier package leaves SHA256SUMS and the state at once, the folder with --clean."""
    config = ESSAY_CONFIG + "skip_unsupported = true\n"
    project = _essay_project(tmp_path, config, _essays("pick-one"))
    assert _build(project).returncode == 0
    out = project / "dist"
    stale = out / "essays-1.0.0.aiken.txt"
    assert "essays-1.0.0.aiken.txt" in (out / "SHA256SUMS").read_text()
    (project / "content" / "essays.json").write_text(json.dumps(_essays()))
    result = _build(project)
    assert result.returncode == 0, result.stderr
    assert stale.is_file()  # as a format taken out of the config: kept until --clean
    assert "essays-1.0.0.aiken.txt" not in (out / "SHA256SUMS").read_text()
    state = json.loads((out / ".packager-state.json").read_text())
    assert not [key for key in state["entries"] if key.endswith("essays.json::aiken")]
    report = json.loads((out / "build-report.json").read_text())
    assert {a["file"] for a in report["artifacts"]} == {
        "",
        "essays-1.0.0.moodle.xml",
        "neon-broccoli-1.0.0.aiken.txt",
        "neon-broccoli-1.0.0.moodle.xml",
    }
    cleaned = _build(project, "--clean")
    assert cleaned.returncode == 0, cleaned.stderr
    assert not stale.exists()
    report = json.loads((out / "build-report.json").read_text())
    assert report["removed"] == ["essays-1.0.0.aiken.txt"]
    assert (out / "neon-broccoli-1.0.0.aiken.txt").is_file()


def test_a_bank_that_every_format_skips_fails_the_build(tmp_path: Path) -> None:
    config = 'banks = ["content/*.json"]\nformats = ["aiken"]\nskip_unsupported = true\n'
    project = _essay_project(tmp_path, config, _essays())
    result = _build(project)
    assert result.returncode == 4, result.stderr
    assert (
        f"essays.json → aiken: {NO_AIKEN_FOR_ESSAYS}; no configured format can carry this "
        "bank, so it cannot be released"
    ) in " ".join(result.stderr.split())
    assert "neon-broccoli.json" not in result.stderr  # its aiken package was fine
    assert not (project / "dist").exists() or not any((project / "dist").iterdir())


def test_bad_config_is_a_clear_input_error(tmp_path: Path) -> None:
    project = _project(tmp_path, 'banks = ["content/*.json"]\nformat = ["qti12"]\n')
    result = _build(project)
    assert result.returncode == 3
    assert "format" in result.stderr and "Extra inputs are not permitted" in result.stderr


def test_unknown_format_in_config_is_a_usage_error(tmp_path: Path) -> None:
    project = _project(tmp_path, 'banks = ["content/*.json"]\nformats = ["qti99"]\n')
    result = _build(project)
    assert result.returncode == 2
    assert "unknown format 'qti99'" in result.stderr


@pytest.mark.parametrize("flag", ["--format"])
def test_json_output_is_machine_readable(tmp_path: Path, flag: str) -> None:
    project = _project(tmp_path, 'banks = ["content/*.json"]\nformats = ["moodle"]\n')
    result = _build(project, flag, "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["ok"] is True and payload["exit_code"] == 0
    assert {a["format"] for a in payload["artifacts"]} == {"moodle"}


def test_repository_config_is_valid() -> None:
    from packager.config import load_config

    config, base = load_config(None, ROOT)
    assert base == ROOT
    assert config.banks == ["content/*.json"]


def test_a_build_names_its_banks_from_the_config_whatever_the_working_folder(
        tmp_path: Path) -> None:
    """Review 29: build-report.json and the build's state named banks from the working
    folder (`sub/content/…`, or the checkout's absolute path from elsewhere), so a build run
    from another folder rebuilt every package and published where the checkout lived."""
    project = _project(tmp_path / "sub", 'banks = ["content/*.json"]\nformats = ["gift"]\n'
                                                      'skip_unsupported = true\n')
    assert _build(project).returncode == 0
    here = json.loads((project / "dist" / "build-report.json").read_text())
    state = (project / "dist" / ".packager-state.json").read_text()
    for cwd, config in ((tmp_path, "sub/packager.toml"),
                        (tmp_path.parent, str(project / "packager.toml"))):
        result = _build(cwd, "-c", config)
        assert result.returncode == 0, result.stderr
        report = json.loads((project / "dist" / "build-report.json").read_text())
        assert report["banks"] == here["banks"]
        assert [b["file"] for b in report["banks"]] == [
            "content/neon-broccoli.json", "content/sample-all-types.json"]
        assert (report["built"], report["cached"]) == (0, 2)
        assert (project / "dist" / ".packager-state.json").read_text() == state
        assert str(tmp_path) not in (project / "dist" / "build-report.json").read_text()


def test_an_xsd_dir_of_the_config_that_is_no_xsd_folder_is_named_as_the_config_s(
    tmp_path: Path,
) -> None:
    """Docs review 31: the hint said "point --xsd-dir at …" when no --xsd-dir was given."""
    project = _essay_project(tmp_path, ESSAY_CONFIG + 'xsd_dir = "../nowhere"\n', _essays())
    env = {k: v for k, v in os.environ.items() if k != "PACKAGER_XSD_DIR"}
    result = subprocess.run([sys.executable, "-m", "packager", "build"], cwd=project, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    config = project / "packager.toml"
    assert result.stderr == (
        f"error: {project / '..' / 'nowhere'} is not an XSD directory (no such folder)\n"
        f"    hint: point xsd_dir in {config} (relative to that file) at a folder laid out "
        "like shared/xsd, or leave it out and run `packager xsd install`\n")


@pytest.mark.parametrize("damage", ["null sha256", "entries a list", "entry a string",
                                    "no name", "name null", "name a path", "report emptied"])
def test_a_damaged_state_entry_rebuilds_its_package(tmp_path: Path, damage: str) -> None:
    """Incremental-build review 32 (F10): an entry whose sha256 was null matched the None of
    a deleted package, which was then "unchanged" and missing from dist/ (exit 0); other
    damage was a traceback. A damaged entry is no entry: its package is built again."""
    project = _project(tmp_path, 'banks = ["content/*.json"]\nformats = ["gift"]\n'
                       'skip_unsupported = true\n')
    assert _build(project).returncode == 0
    state_file = project / "dist" / ".packager-state.json"
    state = json.loads(state_file.read_text())
    key = "content/neon-broccoli.json::gift"
    name = state["entries"][key]["name"]
    if damage != "report emptied":  # that one vouches for a package still there
        (project / "dist" / name).unlink()
    if damage == "null sha256":
        state["entries"][key]["sha256"] = None
    elif damage == "entries a list":
        state["entries"] = []
    elif damage == "entry a string":
        state["entries"][key] = name
    elif damage == "no name":
        del state["entries"][key]["name"]
    elif damage == "name null":
        state["entries"][key]["name"] = None
    elif damage == "report emptied":  # review 32b: its nulls went into build-report.json
        state["entries"][key]["report"] = {"x": 1}
    else:
        state["entries"][key]["name"] = f"../{name}"
    state_file.write_text(json.dumps(state))
    result = _build(project)
    assert result.returncode == 0, result.stderr
    assert (project / "dist" / name).is_file()
    report = json.loads((project / "dist" / "build-report.json").read_text())
    assert {a["file"]: a["status"] for a in report["artifacts"]}[name] == "built"


def test_banks_beside_the_configs_folder_are_named_from_it_whatever_the_working_folder(
    tmp_path: Path,
) -> None:
    """Incremental-build review 32 (F6): with `ci/packager.toml` naming `../content/*.json`,
    a bank was named from the working folder: a build from the checkout's root and one from
    `ci/` keyed the state otherwise, so each rebuilt every package, and their reports named
    the banks otherwise."""
    project = _project(tmp_path)
    (project / "packager.toml").unlink()
    (project / "ci").mkdir()
    (project / "ci" / "packager.toml").write_text(
        'banks = ["../content/*.json"]\nformats = ["gift"]\nskip_unsupported = true\n'
        'out = "../dist"\n')
    assert _build(project, "-c", "ci/packager.toml").returncode == 0
    again = _build(project / "ci")
    assert again.returncode == 0, again.stderr
    report = json.loads((project / "dist" / "build-report.json").read_text())
    assert report["built"] == 0 and report["cached"] == 2
    assert sorted(b["file"] for b in report["banks"]) == [
        "../content/neon-broccoli.json", "../content/sample-all-types.json"]
