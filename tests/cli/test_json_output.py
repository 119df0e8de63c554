"""`--format json`: exactly one JSON document on stdout in every outcome, the same exit code as
text mode, and one error-document shape (README, "Machine-readable output")."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from packager.cli import main
from tests.cli.test_validate import BROKEN, run
from tests.conftest import CONTENT, xsd_dir

BANK = CONTENT / "neon-broccoli.json"
GIFT = "::Q1:: What is 2+2? {=4 ~5}\n"


def _package(tmp: Path, capsys: pytest.CaptureFixture[str], *, broken: bool) -> str:
    """A QTI 1.2 zip exported from a sample bank; `broken` drops a file its manifest names."""
    code, _, err = run(["export", "--format", "qti12", "-o", str(tmp), "-q", str(BANK)], capsys)
    assert code == 0, err
    built = next(tmp.glob("*.zip"))
    if not broken:
        return str(built)
    damaged = tmp / "damaged.zip"
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(damaged, "w") as target:
        names = source.namelist()
        for name in names:
            if name != "imsmanifest.xml" and name.endswith(".xml") and "/" in name:
                continue  # the assessment the manifest points at
            target.writestr(name, source.read(name))
    assert len(zipfile.ZipFile(damaged).namelist()) < len(names)
    return str(damaged)


def _project(tmp: Path, bank: Path) -> str:
    (tmp / "content").mkdir()
    shutil.copy(bank, tmp / "content" / bank.name)
    (tmp / "packager.toml").write_text('banks = ["content/*.json"]\nformats = ["gift"]\n')
    return str(tmp / "packager.toml")


Case = Callable[[Path, pytest.CaptureFixture[str]], list[str]]

# command × outcome → the arguments (built in tmp_path) and the exit code both modes give.
CASES: dict[str, tuple[Case, int]] = {
    "validate-ok": (lambda t, c: ["validate", str(BANK)], 0),
    "validate-invalid": (lambda t, c: ["validate", str(BROKEN / "unknown-field.json")], 3),
    "validate-io": (lambda t, c: ["validate", str(t / "missing.json")], 6),
    "validate-usage": (lambda t, c: ["validate", "--bogus"], 2),
    "check-ok": (lambda t, c: ["check", _package(t, c, broken=False)], 0),
    "check-invalid": (lambda t, c: ["check", _package(t, c, broken=True)], 5),
    "check-io": (lambda t, c: ["check", str(t / "missing.zip")], 6),
    "check-usage": (lambda t, c: ["check"], 2),
    "build-ok": (lambda t, c: ["build", "-j", "1", "-c", _project(t, BANK)], 0),
    "build-invalid": (
        lambda t, c: ["build", "-c", _project(t, BROKEN / "unknown-field.json")], 3
    ),
    "build-io": (lambda t, c: ["build", "-c", str(t / "missing.toml")], 6),
    "build-usage": (lambda t, c: ["build", "--jobs", "0"], 2),
    "import-ok": (lambda t, c: ["import", _write(t / "q.gift", GIFT), "-o", str(t / "q.json")], 0),
    "import-invalid": (
        lambda t, c: ["import", _write(t / "q.gift", "{{{"), "--from", "gift", "-o",
                      str(t / "q.json")],
        3,
    ),
    "import-io": (lambda t, c: ["import", str(t / "missing.gift"), "-o", str(t / "q.json")], 6),
    "import-usage": (lambda t, c: ["import", str(t / "q.gift"), "--from", "gitf", "-o", "x"], 2),
}


def _write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


@pytest.fixture(autouse=True)
def _xsds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACKAGER_XSD_DIR", str(xsd_dir()))


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_json_is_one_document_with_the_exit_code_of_text_mode(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make, expected = CASES[case]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "json").mkdir()
    (tmp_path / "text").mkdir()
    code, out, err = run([*make(tmp_path / "json", capsys), "--format", "json"], capsys)
    assert code == expected, err
    document = json.loads(out)  # the whole of stdout: one document, nothing before or after
    assert isinstance(document, dict)
    assert document["exit_code"] == expected
    assert document["ok"] is (expected == 0)
    if expected:  # a failure: the error document, then what the command has to say
        assert {"ok", "exit_code", "error", "diagnostics"} <= set(document)
        kind = {2: "usage", 3: "invalid_input", 5: "invalid_output", 6: "io"}[expected]
        assert document["error"]["kind"] == kind
        assert document["error"]["message"] and isinstance(document["error"]["hints"], list)
    else:
        assert "error" not in document
    text_code, text_out, text_err = run(make(tmp_path / "text", capsys), capsys)
    assert text_code == expected, text_err
    if text_out.strip():
        with pytest.raises(json.JSONDecodeError):
            json.loads(text_out)


def test_an_invalid_bank_in_build_is_the_error_document_with_its_diagnostics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, BROKEN / "unknown-field.json")
    code, out, _ = run(["build", "-c", config, "--format", "json"], capsys)
    assert code == 3
    document = json.loads(out)
    assert document["error"]["kind"] == "invalid_input"
    assert [d["code"] for d in document["diagnostics"]] == ["E-SCHEMA"]
    assert document["diagnostics"][0]["pointer"] == "/questions/0/explaination"


def test_export_has_no_json_mode_so_an_unknown_format_named_json_is_a_text_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["export", "--format", "json", str(BANK)], capsys)
    assert code == 2
    assert out == "" and "unknown format 'json'" in err


@pytest.mark.parametrize(
    ("raised", "code", "kind"), [(KeyboardInterrupt, 130, "interrupted"), (RuntimeError, 1, "internal")]
)
def test_an_interrupt_or_a_bug_still_prints_the_error_document(
    raised: type[BaseException], code: int, kind: str,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    import packager.pipeline

    def fail(*_: object) -> None:
        raise raised("boom")

    monkeypatch.setattr(packager.pipeline, "check", fail)
    args = ["validate", "--format", "json", str(BANK)]
    if raised is RuntimeError:  # a bug keeps its traceback (exit 1), after the document
        with pytest.raises(RuntimeError):
            main(args)
        document = json.loads(capsys.readouterr().out)
    else:
        got, out, _ = run(args, capsys)
        assert got == code
        document = json.loads(out)
    assert document["exit_code"] == code and document["error"]["kind"] == kind


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["validate", "--format", "json", "x.json"], True),
        (["validate", "--format=json"], True),
        (["--version", "check", "a.zip", "--format", "json"], True),
        (["import", "a.gift", "--from", "gift", "--format", "json"], True),
        (["validate", "--format", "text"], False),
        (["validate", "--", "--format", "json"], False),  # after --: a file named --format
        (["export", "--format", "json"], False),  # export's --format names package formats
        (["schema", "--format", "json"], False),
        (["nosuchcommand", "--format", "json"], False),
        ([], False),
    ],
)
def test_json_is_requested_only_by_a_command_with_a_json_mode(
    argv: list[str], expected: bool
) -> None:
    from packager.cli import _commands, app
    from packager.cli.options import json_requested

    assert json_requested(argv, _commands(app)) is expected
