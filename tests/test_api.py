"""The Python API (docs/api.md), through the names `packager` exports and nothing else; the
examples of docs/api.md are run as written."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import packager
from tests.conftest import CONTENT, ROOT, xsd_dir

DOCS = ROOT / "docs" / "api.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", DOCS.read_text(), re.M | re.S)


def _run(code: str) -> str:
    """Run a docs example as a script would; its standard output."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(DOCS), "exec"), {"__name__": "__main__"})
    return out.getvalue()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACKAGER_XSD_DIR", str(xsd_dir()))
    return tmp_path


def _bank(**changes: Any) -> dict[str, Any]:
    bank: dict[str, Any] = {
        "format": "packager.question-bank/1",
        "id": "api",
        "title": "API",
        "version": "2.0.0",
        "questions": [
            {
                "id": "q1",
                "type": "single_choice",
                "prompt": "Which?",
                "choices": [
                    {"id": "a", "text": "This", "correct": True},
                    {"id": "b", "text": "That"},
                ],
            }
        ],
    }
    return {**bank, **changes}


def test_the_spreadsheet_example_writes_valid_packages(here: Path) -> None:
    (csv_text,) = _blocks("csv")
    (here / "questions.csv").write_text(csv_text, encoding="utf-8")
    script = next(b for b in _blocks("python") if "csv.DictReader" in b)
    printed = _run(script)
    assert printed.splitlines() == [
        f"wrote {p.name} {p.stat().st_size} bytes"
        for p in (here / "dist" / "ops-scenarios-1.0.0.qti12.zip",
                  here / "dist" / "ops-scenarios-1.0.0.moodle.xml")
    ]
    assert sorted(p.name for p in (here / "dist").iterdir()) == [
        "ops-scenarios-1.0.0.moodle.report.json",
        "ops-scenarios-1.0.0.moodle.xml",
        "ops-scenarios-1.0.0.qti12.report.json",
        "ops-scenarios-1.0.0.qti12.zip",
    ]
    moodle = etree.parse(str(here / "dist" / "ops-scenarios-1.0.0.moodle.xml"))
    answers = moodle.xpath("//question[@type='multichoice']/answer[@fraction='100']/text")
    assert [a.xpath("string()") for a in answers] == [
        "<p>The reasons customers give for returns</p>", "<p>Orders per weekday</p>"
    ]


def test_the_spreadsheet_example_reports_a_bad_row_and_exits_3(here: Path) -> None:
    (csv_text,) = _blocks("csv")
    header, first, second = csv_text.splitlines()
    (here / "questions.csv").write_text(f"{header}\n{first}\n{second.replace(',a,', ',z,')}\n")
    script = next(b for b in _blocks("python") if "csv.DictReader" in b)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as done:
        _run(script)
    assert done.value.code == 3
    assert "/questions/1/choices" in err.getvalue()
    assert not (here / "dist").exists()


def test_the_other_uses_example_runs(here: Path) -> None:
    shutil.copytree(CONTENT, here / "content")
    (here / "packager.toml").write_text(
        'banks = ["content/*.json"]\nformats = ["gift", "qti21"]\nskip_unsupported = true\n'
    )
    script = next(b for b in _blocks("python") if "packager.build(" in b)
    lines = _run(script).splitlines()
    assert lines[0].endswith(" 12")  # the title, then its 12 questions
    assert lines[-1] == "4 built, 0 unchanged"
    assert any("aiken cannot express" in line and line.endswith(" 4") for line in lines)
    assert (here / "dist" / "SHA256SUMS").is_file()


def test_the_api_is_what_the_docs_say() -> None:
    documented = set(re.findall(r"^\| `(\w+)\(", DOCS.read_text(), re.M))
    assert documented == {"load", "validate", "export", "build"}
    for name in packager.__all__:
        assert getattr(packager, name) is not None
    assert callable(packager.build) and callable(packager.load)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        packager.nothing  # noqa: B018


def test_build_stays_the_function_after_the_command_line_ran() -> None:
    """A submodule named like an API function would replace it on the package once
    imported (the release builds' module was packager/build.py)."""
    code = (
        "import packager.cli, packager.cli.build, packager.release\n"
        "from packager import build, export, load, validate\n"
        "assert all(callable(f) for f in (build, export, load, validate)), build\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_importing_packager_loads_nothing_heavy() -> None:
    code = (
        "import sys; import packager\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('packager', 'lxml', 'pydantic', 'typer', 'typing')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "['packager']", result.stderr


def test_load_a_file_gives_the_bank_its_warnings_and_its_folder() -> None:
    loaded = packager.load(CONTENT / "neon-broccoli.json")
    assert isinstance(loaded, packager.LoadedBank)
    assert isinstance(loaded.bank, packager.Bank) and loaded.bank.id == "neon-broccoli"
    assert loaded.base_dir == CONTENT.resolve()
    assert not [d for d in loaded.diagnostics if d.is_error]
    assert packager.load(loaded) is loaded


def test_an_invalid_file_is_located_by_line_and_data_by_pointer_only(tmp_path: Path) -> None:
    broken = _bank(questions=[{"id": "q1", "type": "single_choice", "prompt": "?"}])
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken, indent=2))
    with pytest.raises(packager.InputError) as from_file:
        packager.load(path)
    with pytest.raises(packager.InputError) as from_data:
        packager.load(broken)
    assert from_file.value.exit_code == from_data.value.exit_code == 3
    (in_file,) = from_file.value.diagnostics
    (in_data,) = from_data.value.diagnostics
    assert (in_file.file, in_file.line) == (str(path), 7) and in_file.pointer == "/questions/0"
    assert (in_data.file, in_data.line, in_data.column) == ("<bank>", None, None)
    assert (in_data.pointer, in_data.message) == (in_file.pointer, in_file.message)
    assert packager.validate(broken) == [in_data]


def test_validate_takes_data_a_bank_model_and_a_file(tmp_path: Path) -> None:
    data = _bank(description="![chart](media/chart.png)")
    model = packager.Bank.model_validate(data)
    for bank in (data, model):
        found = packager.validate(bank, base_dir=tmp_path)
        missing, no_explanation = sorted(found, key=lambda d: d.code)  # E- before W-
        assert missing.is_error and missing.pointer == "/description"
        assert "media file 'media/chart.png' does not exist" in missing.message
        assert not no_explanation.is_error and no_explanation.code == "W-NO-EXPLANATION"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    assert packager.validate(data, base_dir=tmp_path) == [no_explanation]
    assert packager.validate(model, base_dir=tmp_path) == [no_explanation]
    (tmp_path / "bank.json").write_text(json.dumps(data))
    (in_file,) = packager.validate(str(tmp_path / "bank.json"))
    assert in_file.code == "W-NO-EXPLANATION" and in_file.line == 1


def test_data_that_is_not_json_is_an_input_error() -> None:
    with pytest.raises(packager.InputError, match="not JSON") as caught:
        packager.validate(_bank(title=object()))
    assert caught.value.exit_code == 3


def test_export_returns_bytes_and_writes_only_with_out(here: Path) -> None:
    artifacts = packager.export(_bank(), ["gift", "qti21"], xsd_dir=xsd_dir())
    assert [a.name for a in artifacts] == ["api-2.0.0.gift.txt", "api-2.0.0.qti21.zip"]
    assert all(isinstance(a, packager.Artifact) for a in artifacts)
    assert artifacts[0].data.startswith(b"// ") or b"::" in artifacts[0].data
    assert zipfile.ZipFile(io.BytesIO(artifacts[1].data)).testzip() is None
    assert "imsmanifest.xml" in artifacts[1].report["xsd_validated"]  # type: ignore[operator]
    assert list(here.iterdir()) == []
    again = packager.export(_bank(), "gift,qti21", out=here / "out")
    assert [a.data for a in again] == [a.data for a in artifacts]  # reproducible
    written = {p.name: p.read_bytes() for p in (here / "out").iterdir()}
    assert written["api-2.0.0.qti21.zip"] == artifacts[1].data
    assert json.loads(written["api-2.0.0.gift.report.json"])["summary"]["exported"] == 1


def test_export_errors_carry_the_command_lines_exit_codes(here: Path) -> None:
    essay = {"id": "e", "type": "essay", "prompt": "Why?"}
    bank = _bank(questions=[*_bank()["questions"], essay])
    with pytest.raises(packager.UsageError, match="unknown format 'qit'") as usage:
        packager.export(bank, "qit")
    with pytest.raises(packager.UnsupportedError, match="'e'") as unsupported:
        packager.export(bank, "aiken", out=here / "out")
    assert (usage.value.exit_code, unsupported.value.exit_code) == (2, 4)
    assert not (here / "out").exists()
    (aiken,) = packager.export(bank, "aiken", skip_unsupported=True)
    # The one exported keeps its authored order only where the importing site does not
    # shuffle (Aiken has no shuffle setting): a note.
    assert aiken.report["summary"] == {"exported": 1, "skipped": 1, "dropped_or_changed": 1}


def test_build_writes_everything_or_raises_and_writes_nothing(here: Path) -> None:
    shutil.copytree(CONTENT, here / "content")
    config = 'banks = ["content/*.json"]\nformats = ["gift", "aiken"]\n'
    (here / "packager.toml").write_text(config + "skip_unsupported = true\n")
    report = packager.build(jobs=1)
    assert (report["built"], report["cached"]) == (4, 0)
    before = {p.name: p.read_bytes() for p in (here / "dist").iterdir()}
    assert "SHA256SUMS" in before and "build-report.json" in before
    assert packager.build(jobs=1)["cached"] == 4
    (here / "packager.toml").write_text(config)  # aiken cannot take sample-all-types
    with pytest.raises(packager.UnsupportedError) as failed:
        packager.build(force=True, jobs=2)
    assert failed.value.exit_code == 4
    assert any("sample-all-types.json → aiken" in hint for hint in failed.value.hints)
    after = {p.name: p.read_bytes() for p in (here / "dist").iterdir()}
    assert after.keys() == before.keys() and after["SHA256SUMS"] == before["SHA256SUMS"]


def test_build_skips_a_format_that_carries_none_of_a_bank_before_its_writer(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def writer_started(job: object) -> None:
        raise AssertionError("the aiken writer ran for a bank it can carry nothing of")

    monkeypatch.setattr("packager.packages.aiken.build", writer_started)  # jobs=1: in this process
    (here / "content").mkdir()
    essay = {"id": "e", "type": "essay", "prompt": "Why?"}
    (here / "content" / "essays.json").write_text(json.dumps(_bank(questions=[essay])))
    config = 'banks = ["content/*.json"]\nskip_unsupported = true\n'
    (here / "packager.toml").write_text(config + 'formats = ["gift", "aiken"]\n')
    report = packager.build(jobs=1)
    assert (report["built"], report["cached"], report["skipped"]) == (1, 0, 1)
    gift, aiken = report["artifacts"]
    assert (gift["format"], gift["status"]) == ("gift", "built")
    assert (aiken["format"], aiken["status"], aiken["file"]) == ("aiken", "skipped", "")
    assert aiken["reason"] == (
        "no question of this bank can be exported to aiken "
        "(essay: Aiken has single-choice questions only)"
    )
    (here / "packager.toml").write_text(config + 'formats = ["aiken"]\n')
    with pytest.raises(packager.UnsupportedError) as failed:
        packager.build(jobs=1)
    assert failed.value.exit_code == 4
    assert any(
        hint.startswith("content/essays.json → aiken: no question of this bank")
        and hint.endswith("so it cannot be released")
        for hint in failed.value.hints
    )
