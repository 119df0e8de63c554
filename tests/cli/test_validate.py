"""`packager validate`: a table of broken banks with their exact diagnostics, and the exit codes.

Each broken bank in tests/fixtures/broken/ breaks exactly one rule; the test asserts the whole
list of error diagnostics (code, JSON pointer, message, line, question id), so a new spurious
error fails as surely as a missing one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from packager import __version__
from packager.cli import main
from tests.conftest import CONTENT, ROOT

BROKEN = Path(__file__).resolve().parent.parent / "fixtures" / "broken"
SLUG_HINT = "ids use lower-case letters, digits, '-' and '_', starting with a letter or digit"
NOT_ALLOWED = "is not allowed; use Markdown, or formatting tags such as <b>, <em>, <sub>, <sup>, <table>"


@dataclass(frozen=True)
class Expected:
    code: str
    pointer: str | None
    message: str  # exact, unless `fragment` is set
    line: int | None
    question_id: str | None = None
    column: int | None = None
    fragment: bool = False
    hint: str | None = None  # a fragment of the hint, when the hint is the point


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI's real entry point (main(), the single error → exit-code mapping)."""
    with pytest.raises(SystemExit) as done:
        main(args)
    out, err = capsys.readouterr()
    code = done.value.code
    return (code if isinstance(code, int) else 0), out, err


def run_module(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    env.pop("PACKAGER_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "packager", *args], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=120,
    )


def assert_no_traceback(*outputs: str) -> None:
    for text in outputs:
        assert "Traceback" not in text, text
        assert 'File "' not in text, text


BROKEN_BANKS: dict[str, Expected] = {
    # -- JSON syntax and encoding ------------------------------------------------------------
    "malformed-json": Expected("E-JSON-SYNTAX", None, "invalid JSON: Expecting ',' delimiter",
                               4, column=3),
    "duplicate-json-key": Expected("E-DUPLICATE-KEY", None,
                                   "the key 'title' appears twice in the same object", 5),
    "non-utf8": Expected("E-ENCODING", None, "not valid UTF-8 (byte 0xe9); the file looks saved as "
                         "Windows-1252 (\"ANSI\"), where that byte is 'é'", 4),
    # -- JSON Schema: types, strings, fields -------------------------------------------------
    "wrong-type-title": Expected("E-SCHEMA", "/title", "expected string, got number 42", 4),
    "wrong-type-correct": Expected("E-SCHEMA", "/questions/0/choices/0/correct",
                                   'expected boolean, got string "yes"', 14, "q1"),
    "empty-title": Expected("E-SCHEMA", "/title", "must not be empty", 4),
    "whitespace-only-prompt": Expected("E-VALUE", "/questions/0/prompt",
                                       "must not be empty or only white space", 9, "q1"),
    "unknown-field": Expected("E-SCHEMA", "/questions/0/explaination",
                              "unknown field 'explaination'", 21, "q1"),
    "unknown-top-level-field": Expected("E-SCHEMA", "/author", "unknown field 'author'", 24),
    "missing-required-prompt": Expected("E-SCHEMA", "/questions/0",
                                        "missing required field 'prompt'", 6, "q1"),
    "missing-required-title": Expected("E-SCHEMA", "", "missing required field 'title'", 1),
    "bad-slug-question-id": Expected("E-SCHEMA", "/questions/0/id",
                                     '"Question 1" is not a valid id', 7, "Question 1",
                                     hint=SLUG_HINT),
    "bad-slug-bank-id": Expected("E-SCHEMA", "/id", '"-broken" is not a valid id', 3,
                                 hint=SLUG_HINT),
    "bad-format-const": Expected(
        "E-SCHEMA", "/format",
        'must be "packager.question-bank/1", found "packager.question-bank/2"', 2),
    "bad-version": Expected("E-SCHEMA", "/version", '"1.0" does not have the expected form', 24,
                            fragment=True, hint="semantic version"),
    "bad-language": Expected("E-SCHEMA", "/language", '"English" does not have the expected form',
                             24, fragment=True, hint="BCP 47"),
    "unknown-question-type": Expected("E-SCHEMA", "/questions/0/type",
                                      "unknown question type 'hotspot'", 8, "q1",
                                      hint="single_choice, multiple_response"),
    "missing-question-type": Expected("E-SCHEMA", "/questions/0", "the question has no 'type'",
                                      6, "q1"),
    "empty-questions": Expected("E-SCHEMA", "/questions", "needs at least 1 item, found 0", 5),
    "too-few-choices": Expected("E-SCHEMA", "/questions/0/choices",
                                "needs at least 2 items, found 1", 10, "q1"),
    "points-zero": Expected("E-SCHEMA", "/questions/0/points", "must be greater than 0, found 0",
                            22, "q1"),
    "points-negative": Expected("E-SCHEMA", "/questions/0/points",
                                "must be greater than 0, found -1", 22, "q1"),
    "passing-score-above-one": Expected("E-SCHEMA", "/settings/passing_score",
                                        "must be at most 1, found 1.5", 25),
    "numeric-negative-tolerance": Expected("E-SCHEMA", "/questions/1/answer/tolerance",
                                           "must be at least 0, found -0.5", 30, "q2"),
    "control-character": Expected(
        "E-VALUE", "/questions/0/prompt",
        "contains the control character U+0007, which XML cannot carry; remove it", 9, "q1"),
    # -- the model's rules -------------------------------------------------------------------
    "duplicate-question-id": Expected("E-DUPLICATE-ID", "/questions/1/id",
                                      "duplicate question id 'q1'", 24, "q1"),
    "duplicate-choice-id": Expected("E-DUPLICATE-ID", "/questions/0/choices/1/id",
                                    "duplicate choice id 'a'", 17, "q1"),
    "duplicate-stimulus-id": Expected("E-DUPLICATE-ID", "/stimuli/1/id",
                                      "duplicate stimulus id 's1'", 30),
    "single-choice-no-correct": Expected(
        "E-CORRECT-COUNT", "/questions/0/choices",
        "a single_choice question needs exactly one correct choice, found 0", 10, "q1"),
    "single-choice-two-correct": Expected(
        "E-CORRECT-COUNT", "/questions/0/choices",
        "a single_choice question needs exactly one correct choice, found 2", 10, "q1"),
    "multiple-response-no-correct": Expected(
        "E-CORRECT-COUNT", "/questions/0/choices",
        "a multiple_response question needs at least one correct choice, found 0", 10, "q1"),
    "unknown-stimulus": Expected("E-UNKNOWN-STIMULUS", "/questions/0/stimulus",
                                 "stimulus 'missing-scenario' does not exist", 22, "q1",
                                 hint="known: none defined"),
    "section-unknown-question": Expected("E-UNKNOWN-QUESTION", "/sections/0/question_ids/1",
                                         "question 'q9' does not exist", 30, "q9"),
    "question-in-no-section": Expected("E-SECTION", "/questions/1",
                                       "question 'q2' is in no section", 23, "q2"),
    "question-in-two-sections": Expected("E-SECTION", "/sections/1/question_ids/0",
                                         "question 'q1' is already in section 's1'", 36, "q1"),
    "pick-larger-than-section": Expected("E-SECTION", "/sections/0/pick",
                                         "pick 2 is more than the section's 1 questions", 31),
    "blank-marker-without-answers": Expected(
        "E-BLANKS", "/questions/1/prompt",
        "the prompt has a blank [[colour]] but 'blanks' has no answers for it", 27, "q2"),
    "blank-answers-without-marker": Expected(
        "E-BLANKS", "/questions/1/blanks/colour",
        "blank 'colour' has answers but the prompt has no [[colour]] marker", 32, "q2"),
    "numeric-min-greater-than-max": Expected(
        "E-NUMERIC-RANGE", "/questions/1/answer",
        "numeric range is empty: min 5 is greater than max 3", 28, "q2"),
    "matching-distractor-equals-match": Expected(
        "E-MATCHING", "/questions/1/distractors/1",
        "distractor 'Italy' is also the match of a pair", 40, "q2"),
    "ordering-duplicate-items": Expected(
        "E-ORDERING", "/questions/1/items",
        "item 'Grind' appears twice, so the order is ambiguous", 28, "q2"),
    # -- media -------------------------------------------------------------------------------
    "media-absolute-path": Expected("E-MEDIA", "/questions/0/prompt",
                                    "media path '/etc/chart.png' is absolute", 9, "q1"),
    "media-dotdot-escape": Expected("E-MEDIA", "/questions/0/prompt",
                                    "media path '../../secret/chart.png' leaves the bank's folder",
                                    9, "q1"),
    "media-missing-file": Expected("E-MEDIA", "/questions/0/prompt",
                                   "media file 'media/missing.png' does not exist", 9, "q1"),
    "external-image-url": Expected(
        "E-RICHTEXT", "/questions/0/prompt",
        "image 'https://example.com/chart.png' is not a file in the bank's folder; packages "
        "must be self-contained", 9, "q1"),
    # -- rich text ---------------------------------------------------------------------------
    "unsafe-html-script": Expected("E-RICHTEXT", "/questions/0/prompt",
                                   f"raw HTML element <script> {NOT_ALLOWED}", 9, "q1"),
    "unsafe-html-iframe": Expected("E-RICHTEXT", "/questions/0/prompt",
                                   f"raw HTML element <iframe> {NOT_ALLOWED}", 9, "q1"),
    "unsafe-html-onclick": Expected("E-RICHTEXT", "/questions/0/choices/1/text",
                                    "event-handler attribute onclick= on <b> is not allowed",
                                    18, "q1"),
    "unsafe-html-javascript-href": Expected("E-RICHTEXT", "/questions/0/explanation",
                                            "unsafe URL 'javascript:alert(1)' in <a href>",
                                            21, "q1"),
    "invalid-math": Expected("E-RICHTEXT", "/questions/0/prompt",
                             "cannot read the math '\\\\frac{1}{': NoAvailableTokensError", 9, "q1",
                             hint="LaTeX"),
}


def test_every_broken_fixture_is_in_the_table():
    on_disk = {p.stem for p in BROKEN.glob("*.json")}
    assert on_disk == set(BROKEN_BANKS)
    assert len(BROKEN_BANKS) >= 30


def _error_diagnostics(out: str) -> list[dict[str, object]]:
    payload = json.loads(out)
    return [d for d in payload["diagnostics"] if d["severity"] == "error"]


def assert_diagnostic(found: dict[str, object], expected: Expected, file: str) -> None:
    assert found["code"] == expected.code
    assert found.get("pointer") == expected.pointer
    if expected.fragment:
        assert expected.message in str(found["message"])
    else:
        assert found["message"] == expected.message
    assert found.get("line") == expected.line
    if expected.column is not None:
        assert found.get("column") == expected.column
    assert found.get("question_id") == expected.question_id
    assert found["file"] == file
    if expected.hint is not None:
        assert expected.hint in str(found.get("hint"))


@pytest.mark.parametrize("name", sorted(BROKEN_BANKS))
def test_broken_bank_exits_3_with_exact_diagnostic(name: str, capsys):
    expected = BROKEN_BANKS[name]
    path = str(BROKEN / f"{name}.json")
    code, out, err = run(["validate", "--format", "json", path], capsys)
    assert code == 3, err
    assert_no_traceback(out, err)
    errors = _error_diagnostics(out)
    assert len(errors) == 1, errors
    assert_diagnostic(errors[0], expected, path)
    assert json.loads(out)["valid"] is False


@pytest.mark.parametrize(("name", "has_hint"), [
    ("control-character", True),  # pydantic-level errors carry a hint too
    ("duplicate-choice-id", True),
    ("malformed-json", True),
    ("unsafe-html-script", True),
])
def test_broken_bank_text_output_names_file_line_pointer_and_question(
    name: str, has_hint: bool, capsys
):
    expected = BROKEN_BANKS[name]
    path = str(BROKEN / f"{name}.json")
    code, out, err = run(["validate", path], capsys)
    assert code == 3
    assert_no_traceback(out, err)
    assert f"{path}:{expected.line}" in err
    assert f"error {expected.code}" in err
    if expected.pointer:
        assert f"at {expected.pointer}:" in err
    if expected.question_id:
        assert f"question '{expected.question_id}'" in err
    assert ("hint:" in err) is has_hint
    assert "1 bank checked: 1 error, 0 warnings" in err


# -- media on disk (real files and links) ---------------------------------------------------


def _bank_with_prompt(folder: Path, prompt: str) -> Path:
    base = json.loads((BROKEN / "media-missing-file.json").read_text(encoding="utf-8"))
    base["questions"][0]["prompt"] = prompt
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bank.json"
    path.write_text(json.dumps(base, indent=2), encoding="utf-8")
    return path


def test_symlink_pointing_outside_the_bank_folder_is_an_error(tmp_path: Path, capsys):
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    bank_dir = tmp_path / "bank"
    (bank_dir / "media").mkdir(parents=True)
    (bank_dir / "media" / "chart.png").symlink_to(outside)
    path = _bank_with_prompt(bank_dir, "Look:\n\n![chart](media/chart.png)")
    code, out, err = run(["validate", "--format", "json", str(path)], capsys)
    assert code == 3
    assert_no_traceback(out, err)
    (found,) = _error_diagnostics(out)
    assert_diagnostic(found, Expected(
        "E-MEDIA", "/questions/0/prompt",
        "media path 'media/chart.png' is a link to a file outside the bank's folder", 9, "q1",
        hint="copy the file into the bank's folder"), str(path))


def test_symlinked_folder_pointing_outside_is_an_error(tmp_path: Path, capsys):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    (bank_dir / "media").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    path = _bank_with_prompt(bank_dir, "![chart](media/chart.png)")
    code, out, _ = run(["validate", "--format", "json", str(path)], capsys)
    assert code == 3
    (found,) = _error_diagnostics(out)
    assert found["code"] == "E-MEDIA"
    assert "is a link to a file outside the bank's folder" in str(found["message"])


def test_existing_media_file_and_symlink_inside_the_folder_are_fine(tmp_path: Path, capsys):
    bank_dir = tmp_path / "bank"
    (bank_dir / "media").mkdir(parents=True)
    (bank_dir / "media" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (bank_dir / "media" / "alias.png").symlink_to(bank_dir / "media" / "chart.png")
    path = _bank_with_prompt(bank_dir, "![a](media/chart.png) ![b](media/alias.png)")
    code, out, _err = run(["validate", "--format", "json", str(path)], capsys)
    assert code == 0, out
    assert _error_diagnostics(out) == []


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path, capsys):
    data = json.loads((BROKEN / "single-choice-two-correct.json").read_text(encoding="utf-8"))
    q = data["questions"][0]
    q["stimulus"] = "nope"
    q["explanation"] = "<script>x()</script>"
    q["choices"][1]["id"] = "a"
    path = tmp_path / "many.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    code, out, _ = run(["validate", "--format", "json", str(path)], capsys)
    assert code == 3
    codes = sorted(d["code"] for d in _error_diagnostics(out))
    assert codes == ["E-CORRECT-COUNT", "E-DUPLICATE-ID", "E-RICHTEXT", "E-UNKNOWN-STIMULUS"]
    lines = [d["line"] for d in json.loads(out)["diagnostics"]]
    assert lines == sorted(lines), "diagnostics are not in file order"


def test_character_reference_to_a_control_character_is_reported(tmp_path: Path, capsys):
    # Regression: nh3 decoded &#7; into a character lxml refused (exit 1 with a traceback);
    # then it was silently replaced. Now it is a located error.
    data = json.loads((BROKEN / "media-missing-file.json").read_text(encoding="utf-8"))
    data["questions"][0]["prompt"] = "<td>&#7;"
    path = tmp_path / "ref.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(["validate", str(path)], capsys)
    assert_no_traceback(out, err)
    assert code == 3
    assert "the character reference &#7; names no character XML can carry" in out + err


def test_a_folder_of_broken_banks_reports_every_file(capsys):
    code, out, err = run(["validate", "--format", "json", str(BROKEN)], capsys)
    assert code == 3
    assert_no_traceback(out, err)
    payload = json.loads(out)
    assert len(payload["files"]) == len(BROKEN_BANKS)
    assert all(not f["valid"] and f["errors"] == 1 for f in payload["files"])


# -- sample banks, --format json, --strict --------------------------------------------------


@pytest.mark.parametrize("bank", ["neon-broccoli", "sample-all-types"])
def test_sample_bank_is_valid(bank: str, capsys):
    code, out, err = run(["validate", str(CONTENT / f"{bank}.json")], capsys)
    assert code == 0, err
    assert "1 bank checked: 0 errors, 0 warnings" in err
    assert_no_traceback(out, err)


def test_content_folder_is_valid_as_json(capsys):
    code, out, err = run(["validate", "--format", "json", str(CONTENT)], capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert payload["valid"] is True
    assert payload["diagnostics"] == []
    assert sorted(Path(f["file"]).name for f in payload["files"]) == [
        "neon-broccoli.json", "sample-all-types.json"]


def test_validate_defaults_to_content_folder():
    result = run_module("validate")
    assert result.returncode == 0, result.stderr
    assert "2 banks checked: 0 errors, 0 warnings" in result.stderr
    assert_no_traceback(result.stdout, result.stderr)


def test_json_format_lists_diagnostics_with_file_line_and_pointer(capsys):
    path = str(BROKEN / "duplicate-choice-id.json")
    code, out, _ = run(["validate", "--format", "json", path], capsys)
    assert code == 3
    payload = json.loads(out)
    assert payload["valid"] is False
    assert payload["files"] == [{"file": path, "valid": False, "errors": 1, "warnings": 0}]
    (diag,) = payload["diagnostics"]
    assert {"file", "line", "column", "pointer", "code", "message", "severity", "hint",
            "question_id"} <= set(diag)


def _bank_without_explanation(tmp_path: Path) -> Path:
    data = json.loads((BROKEN / "media-missing-file.json").read_text(encoding="utf-8"))
    data["questions"][0]["prompt"] = "Pick one."
    del data["questions"][0]["explanation"]
    path = tmp_path / "no-explanation.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_missing_explanation_is_a_warning_with_exit_0(tmp_path: Path, capsys):
    path = _bank_without_explanation(tmp_path)
    code, out, _err = run(["validate", "--format", "json", str(path)], capsys)
    assert code == 0
    (diag,) = json.loads(out)["diagnostics"]
    assert (diag["code"], diag["severity"], diag["pointer"], diag["question_id"]) == (
        "W-NO-EXPLANATION", "warning", "/questions/0", "q1")
    assert diag["message"] == "scored question has no explanation"


def test_strict_turns_the_missing_explanation_warning_into_exit_3(tmp_path: Path, capsys):
    path = _bank_without_explanation(tmp_path)
    code, out, err = run(["validate", "--strict", str(path)], capsys)
    assert code == 3
    assert "W-NO-EXPLANATION" in err
    assert "(--strict: warnings count as errors)" in err
    code, out, _ = run(["validate", "--strict", "--format", "json", str(path)], capsys)
    assert code == 3
    assert json.loads(out)["valid"] is False


# -- exit codes and the other entry points --------------------------------------------------


def test_missing_path_exits_6_with_one_clear_message(tmp_path: Path, capsys):
    missing = tmp_path / "nope.json"
    code, out, err = run(["validate", str(missing)], capsys)
    assert code == 6
    assert f"{missing}: no such file or folder" in err
    assert_no_traceback(out, err)


def test_missing_path_exits_6_from_the_command_line(tmp_path: Path):
    result = run_module("validate", str(tmp_path / "nope.json"))
    assert result.returncode == 6
    assert "no such file or folder" in result.stderr
    assert_no_traceback(result.stdout, result.stderr)


def test_unknown_command_exits_2():
    result = run_module("frobnicate")
    assert result.returncode == 2
    assert "frobnicate" in result.stderr
    assert_no_traceback(result.stdout, result.stderr)


def test_unknown_option_exits_2(capsys):
    code, out, err = run(["validate", "--no-such-option"], capsys)
    assert code == 2
    assert_no_traceback(out, err)


def test_version_prints_the_package_version(capsys):
    code, out, _ = run(["--version"], capsys)
    assert code == 0
    assert out.strip() == f"packager {__version__}"


def test_python_dash_m_packager_help_works():
    result = run_module("--help")
    assert result.returncode == 0, result.stderr
    for command in ("validate", "schema", "export"):
        assert command in result.stdout
    assert_no_traceback(result.stdout, result.stderr)


def test_python_dash_m_packager_version_works():
    result = run_module("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"packager {__version__}"


def test_console_script_points_at_main():
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "packager"]
    assert script.value == "packager.cli:main"


def test_schema_command_prints_the_published_schema(capsys):
    from packager.schema import SCHEMA_FILE, schemas_root

    code, out, err = run(["schema"], capsys)
    assert code == 0
    assert out == (schemas_root() / SCHEMA_FILE).read_text(encoding="utf-8")
    assert json.loads(out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert_no_traceback(out, err)


@pytest.mark.parametrize("name", sorted(BROKEN_BANKS))
def test_every_broken_bank_diagnostic_carries_a_hint(name: str, capsys):
    # Issue 2: each problem says what is wrong *and how to fix it*.
    code, out, _ = run(["validate", "--format", "json", str(BROKEN / f"{name}.json")], capsys)
    assert code == 3
    for diagnostic in _error_diagnostics(out):
        assert diagnostic.get("hint"), f"{diagnostic['code']} at {diagnostic.get('pointer')} has no hint"


def test_many_diagnostics_print_one_per_line_with_their_hints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """They are printed in one call (rich takes about 0.1 ms a call): each still on its
    own line, its hint under it, markup-like text in a message printed as written."""
    from packager.cli.report import print_diagnostics
    from packager.diagnostics import Diagnostic, Severity

    diagnostics = [
        Diagnostic("E-ONE", "a [bold]literal[/bold] bracket", file="b.json", line=3,
                   pointer="/questions/0/prompt", question_id="q1", hint="fix [it]"),
        Diagnostic("W-TWO", "a warning", Severity.WARNING, file="b.json", line=9),
        Diagnostic("E-THREE", "no hint", file="b.json", pointer=""),
    ]
    print_diagnostics(diagnostics)
    assert capsys.readouterr().err.splitlines() == [
        "b.json:3: error E-ONE question 'q1' at /questions/0/prompt: a [bold]literal[/bold] "
        "bracket",
        "    hint: fix [it]",
        "b.json:9: warning W-TWO: a warning",
        "b.json: error E-THREE at /: no hint",
    ]


_AWKWARD = [  # tabs after wide characters, an escape sequence, markup-like text
    ("E-ONE", "😀\t中\ttab\t[bold]x[/bold] \x1b[31m", "a\tb.json", "q\x07", "hint\twith tab"),
    ("W-TWO", "plain", None, None, None),
]


def _awkward() -> list[Any]:
    from packager.diagnostics import Diagnostic, Severity

    return [Diagnostic(code, message, Severity.ERROR if code[0] == "E" else Severity.WARNING,
                       file=file, line=3 if file else None, pointer="/q/0" if file else None,
                       question_id=qid, hint=hint)
            for code, message, file, qid, hint in _AWKWARD]


def test_diagnostics_no_terminal_reads_are_rich_s_text_without_its_layout(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Where stderr is no terminal (a CI log, a file), the lines are written without rich,
    which took a second for a bank of 10,000 errors: byte for byte what rich wrote (its tab
    stops count a wide character as two columns)."""
    import io

    from rich.console import Console
    from rich.text import Text

    from packager.cli.report import _parts, print_diagnostics

    expected = io.StringIO()
    console = Console(file=expected, highlight=False, soft_wrap=True, emoji=False)
    console.print(Text("\n").join(Text.assemble(*line) for d in _awkward() for line in _parts(d)))
    print_diagnostics(_awkward())
    written = capsys.readouterr().err
    assert written == expected.getvalue()
    assert written.splitlines()[0].startswith("a       b.json:3: error E-ONE question 'q\\x07'")


def test_diagnostics_on_a_terminal_are_coloured(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from packager.cli import report

    screen = io.StringIO()
    monkeypatch.setattr(report, "_console", lambda: Console(
        file=screen, force_terminal=True, color_system="standard", highlight=False,
        soft_wrap=True, emoji=False))
    report.print_diagnostics(_awkward())
    assert "\x1b[31merror\x1b[0m" in screen.getvalue()
    assert "\x1b[33mwarning\x1b[0m" in screen.getvalue()


def test_backslashes_before_brackets_are_printed_as_written(capsys):
    """Rich's markup read `\\[` as an escaped bracket whatever escape() made of the text: a
    message naming LaTeX's `\\[` or a Windows path `C:\\[x]` lost its backslash, and a path
    ending in one got a second."""
    from packager.cli.report import print_diagnostics, print_error
    from packager.diagnostics import Diagnostic
    from packager.errors import InputError

    print_diagnostics([Diagnostic("E-ONE", "write \\[ or \\(", file="C:\\[x]\\b.json",
                                  hint="not \\[b]")])
    print_error(InputError("C:\\new\\ and \\[", hints=["\\[x"]))
    assert capsys.readouterr().err.splitlines() == [
        "C:\\[x]\\b.json: error E-ONE: write \\[ or \\(",
        "    hint: not \\[b]",
        "error: C:\\new\\ and \\[",
        "    hint: \\[x",
    ]


def test_a_folder_without_banks_is_an_error_not_a_pass(tmp_path: Path, capsys):
    """`validate empty/` said "0 banks checked" and exited 0: a CI step pointed at the wrong
    folder passed having checked nothing. It is a usage error, as for export."""
    code, out, err = run(["validate", str(tmp_path)], capsys)
    assert code == 2
    assert "error: no banks found in " + str(tmp_path) in err
    code, out, _ = run(["validate", "--format", "json", str(tmp_path)], capsys)
    assert code == 2
    assert json.loads(out)["ok"] is False


def test_a_folder_of_text_banks_says_how_to_name_them(tmp_path: Path, capsys):
    """A folder is searched for .json banks only (its README.md is no bank): a folder that
    holds only text banks says so, and how to give them."""
    (tmp_path / "ops.txt").write_text("1. Q?\n- a\n- b\nAnswer: A\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "more.md").write_text("1. Q?\n- a\n- b\nAnswer: A\n", encoding="utf-8")
    (tmp_path / ".drafts").mkdir()  # hidden, as find_banks skips it: not counted
    (tmp_path / ".drafts" / "old.txt").write_text("1. Q?\n- a\n- b\nAnswer: A\n", encoding="utf-8")
    for command in (["validate"], ["export", "--format", "gift", "--out", str(tmp_path / "d")]):
        code, _, err = run([*command, str(tmp_path)], capsys)
        assert code == 2
        assert "2 text files" in err and "name them" in err, err
        assert f"{tmp_path / 'ops.txt'}" in err


def test_control_characters_from_a_bank_reach_no_terminal_raw(tmp_path: Path) -> None:
    """A message quoting a stranger's file printed its escape sequences as they were: the
    bank could retitle the terminal, clear it, or hide the lines after (`ESC[8m`)."""
    bank = tmp_path / "quiz\x1b[8m.md"
    bank.write_text("What is 2+3?\n- yes\n- no\n"
                    "Answer: \x1b]0;PWNED\x07\x1b[2J\x1b[31mred \x9b1m\n", encoding="utf-8")
    done = run_module("validate", str(bank))
    assert done.returncode == 3
    assert not any(c in done.stderr for c in "\x1b\x07\x9b"), done.stderr
    assert '"Answer: \\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mred \\x9b1m"' in done.stderr
    assert "quiz\\x1b[8m.md:4: error E-TEXT" in done.stderr
    done = run_module("import", str(bank), "--out", str(tmp_path / "x.json"))
    assert done.returncode == 3 and "\x1b" not in done.stderr + done.stdout


@pytest.mark.parametrize("command", [["validate"], ["export", "-f", "qti"], ["preview"]])
def test_given_nothing_where_there_is_no_content_folder_is_a_usage_error(
    command: list[str], tmp_path: Path
) -> None:
    """Docs review 31: "content: no such file or folder" (exit 6) named a path the user never
    typed."""
    result = run_module(*command, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, (
        "error: no banks given, and no content/ folder here (read when none are given)\n"
        "    hint: give bank files or folders, e.g. packager validate quiz.json banks/\n"))
    assert list(tmp_path.iterdir()) == []
