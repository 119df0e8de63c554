"""CLI conventions (issue 15, item 7): -h/-V, completion, -q/-v on every command, "did you
mean", `-` for stdin/stdout, help text that keeps [tool.packager], and logs on stderr."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from packager.cli import app
from tests.cli.test_validate import run
from tests.conftest import CONTENT, ROOT, xsd_dir

BANK = CONTENT / "neon-broccoli.json"


def _module(
    *args: str, cwd: Path = ROOT, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "packager", *args], cwd=cwd, env=full_env, input=stdin,
        capture_output=True, timeout=120, check=False,
    )


# -- -h, -V, completion ---------------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["validate"], ["export"], ["build"], ["import"]])
def test_h_is_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, short, _ = run([*command, "-h"], capsys)
    assert code == 0
    code, long, _ = run([*command, "--help"], capsys)
    assert code == 0
    assert short == long and "Usage: packager" in short


def test_capital_v_is_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    from packager import __version__

    assert run(["-V"], capsys)[:2] == (0, f"packager {__version__}\n")
    assert run(["--version"], capsys)[:2] == (0, f"packager {__version__}\n")


def test_show_completion_prints_a_bash_script_and_installs_nothing(tmp_path: Path) -> None:
    # The script is for the shell the command runs in, detected from its parent processes:
    # run from bash here, whatever runs the tests (`; true` keeps bash from exec'ing it).
    command = f"'{sys.executable}' -m packager --show-completion || exit $?; true"
    result = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, capture_output=True, timeout=120, check=False,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    script = result.stdout.decode()
    assert "_packager_completion()" in script and "_PACKAGER_COMPLETE=complete_bash" in script
    assert "complete -o default -F _packager_completion packager" in script
    assert list(tmp_path.iterdir()) == []


def test_help_keeps_square_brackets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["build", "--help"], capsys)
    assert code == 0
    assert "[tool.packager]" in out


# -- -q / -v --------------------------------------------------------------------------------


def _leaf_commands() -> dict[str, object]:
    """Every command, those of sub-groups (`xsd install`) included."""
    found: dict[str, object] = {}

    def walk(group: object, prefix: str) -> None:
        for name, command in getattr(group, "commands", {}).items():
            if hasattr(command, "commands"):
                walk(command, f"{prefix}{name} ")
            else:
                found[prefix + name] = command

    walk(typer.main.get_command(app), "")
    return found


@pytest.mark.parametrize("name", sorted(_leaf_commands()))
def test_every_command_takes_quiet_and_verbose(name: str) -> None:
    command = _leaf_commands()[name]
    options = {opt for p in getattr(command, "params", ()) for opt in p.opts}
    assert {"-q", "--quiet", "-v", "--verbose"} <= options


@pytest.mark.parametrize("command", [["validate"], ["export", "--format", "gift"], ["schema"]])
def test_quiet_and_verbose_together_are_a_usage_error(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([*command, "-q", "-v"], capsys)
    assert code == 2 and "--quiet and --verbose contradict each other" in err


def test_quiet_prints_only_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["validate", str(BANK)], capsys)
    assert code == 0 and "1 bank checked" in err
    assert run(["validate", "-q", str(BANK)], capsys) == (0, "", "")
    args = ["export", "--format", "gift", "-o", str(tmp_path), "--no-validate", str(BANK)]
    code, out, _ = run(args, capsys)
    assert code == 0 and out.startswith("wrote ")
    assert run([*args, "-q"], capsys) == (0, "", "")
    assert (tmp_path / "neon-broccoli-1.0.0.gift.txt").is_file()
    code, _, err = run(["validate", "-q", str(tmp_path / "missing.json")], capsys)
    assert code == 6 and "no such file or folder" in err


def test_verbose_adds_timings_and_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["validate", "-v", str(BANK)], capsys)
    assert code == 0
    assert f"{BANK}: checked in " in err
    args = ["export", "--format", "gift", "-o", str(tmp_path), "-v", "--no-validate", str(BANK)]
    code, _, err = run(args, capsys)
    assert code == 0
    assert f"formats: gift; output: {tmp_path}" in err and "packages built in" in err
    source = tmp_path / "q.gift"
    source.write_bytes(GIFT)
    args = ["import", str(source), "--from", "gift", "-o", str(tmp_path / "q.json"), "-v"]
    code, _, err = run(args, capsys)
    assert code == 0
    assert f"{source}: read as GIFT (--from)" in err and f"{source}: imported in " in err


def test_build_verbose_names_the_config_and_times_each_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    (tmp_path / "packager.toml").write_text('formats = ["gift"]\nskip_unsupported = true\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACKAGER_XSD_DIR", str(xsd_dir()))
    code, out, err = run(["build", "-v", "-j", "1"], capsys)
    assert code == 0 and out == ""
    assert f"config: {tmp_path / 'packager.toml'}; banks: 2; formats: gift" in err
    assert "banks loaded in " in err
    assert re.search(r"^built neon-broccoli-1\.0\.0\.gift\.txt \(\d+\.\d\d s\)$", err, re.M)
    assert run(["build", "-q", "-j", "1", "--force"], capsys) == (0, "", "")


# -- did you mean ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["export", "--format", "qit"], "unknown format 'qit' (did you mean 'qti'?)"),
        (["export", "--lms", "moodel"], "unknown LMS 'moodel' (did you mean 'moodle'?)"),
        (["import", "x.gift", "--from", "gitf", "-o", "x.json"],
         "cannot import from 'gitf' (did you mean 'gift'?)"),
    ],
)
def test_a_mistyped_name_gets_a_suggestion(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(args, capsys)
    assert code == 2
    assert expected in err


def test_no_suggestion_when_nothing_is_close(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["export", "--format", "zzzz"], capsys)
    assert code == 2 and "unknown format 'zzzz'\n" in err and "did you mean" not in err


def test_a_mistyped_config_key_gets_a_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.packager]\nformts = ["gift"]\n')
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["build"], capsys)
    assert code == 3
    assert "tool.packager.formts: Extra inputs are not permitted (did you mean 'formats'?)" in err


def test_a_mistyped_question_type_gets_a_suggestion_in_the_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = json.loads(BANK.read_text())
    bank["questions"][0]["type"] = "multiple_choice"
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(bank))
    code, out, _ = run(["validate", "--format", "json", str(path)], capsys)
    assert code == 3
    [diagnostic] = json.loads(out)["diagnostics"]
    assert diagnostic["pointer"] == "/questions/0/type"
    assert "unknown question type 'multiple_choice' (did you mean" in diagnostic["message"]
    assert "'multiple_response'" in diagnostic["message"]


# -- `-` for stdin and stdout ---------------------------------------------------------------


def test_validate_reads_a_bank_from_stdin_with_media_relative_to_the_current_folder(
    tmp_path: Path,
) -> None:
    data = (CONTENT / "sample-all-types.json").read_bytes()
    result = _module("validate", "-", cwd=CONTENT, stdin=data)
    assert result.returncode == 0, result.stderr
    assert b"1 bank checked: 0 errors" in result.stderr
    elsewhere = _module("validate", "--format", "json", "-", cwd=tmp_path, stdin=data)
    assert elsewhere.returncode == 3
    document = json.loads(elsewhere.stdout)
    assert document["files"][0]["file"] == "<stdin>"
    assert any("leads-chart.png" in d["message"] for d in document["diagnostics"])


def test_stdin_is_one_bank_alone(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["validate", "-", str(BANK)], capsys)
    assert code == 2 and "- (stdin) is one bank" in err


@pytest.mark.parametrize("fmt", ["gift", "aiken", "moodle", "bbtext", "html"])
def test_export_to_stdout_is_the_file_export_writes(fmt: str, tmp_path: Path) -> None:
    bank = CONTENT / "sample-all-types.json"
    env = {"PACKAGER_XSD_DIR": str(xsd_dir())}
    folder = _module("export", "--format", fmt, "--skip-unsupported", "-o", str(tmp_path),
                     str(bank), env=env)
    assert folder.returncode == 0, folder.stderr
    [written] = [p for p in tmp_path.iterdir() if not p.name.endswith(".report.json")]
    piped = _module("export", "--format", fmt, "--skip-unsupported", "-o", "-", str(bank),
                    env=env)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == written.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "qti12"], "qti12 is a .zip package, not one text file"),
        (["--format", "scorm"], "use one of: moodle, gift, aiken, bbtext, html\n"),
        (["--format", "cc"], "cc is a .imscc package, not one text file"),
        (["--format", "gift,aiken"], "-o - writes one bank in one format to stdout"),
        (["--format", "gift", str(CONTENT / "sample-all-types.json")],
         "-o - writes one bank in one format to stdout; got 2 banks"),
    ],
)
def test_export_to_stdout_refuses_packages_and_several_files(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["export", *args, "-o", "-", str(BANK)], capsys)
    assert code == 2 and out == ""
    assert message in err


# -- progress and logs on stderr ------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="pty is POSIX-only; the console is the same")
def test_the_build_progress_bar_is_drawn_on_stderr(tmp_path: Path) -> None:
    """With stderr on a terminal (so the bar is drawn) and stdout redirected, as in
    `packager build > log`, stdout stays empty."""
    import pty

    shutil.copytree(CONTENT, tmp_path / "content")
    (tmp_path / "packager.toml").write_text('formats = ["gift", "aiken", "qti12"]\n'
                                            "skip_unsupported = true\n")
    primary, secondary = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", "COLUMNS": "100",
           "PACKAGER_XSD_DIR": str(xsd_dir())}
    env.pop("NO_COLOR", None)
    with subprocess.Popen(
        [sys.executable, "-m", "packager", "build", "-j", "1"], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=secondary,
    ) as process:
        os.close(secondary)
        stdout, _ = process.communicate(timeout=120)
    terminal = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the other end is closed: everything is read
            break
        if not chunk:
            break
        terminal += chunk
    os.close(primary)
    assert process.returncode == 0, terminal.decode(errors="replace")
    assert stdout == b""
    assert b"building" in terminal and b"6/6" in terminal


GIFT = b"::Q1:: What is 2+2? {=4 ~5}\n"


def test_import_reads_stdin_with_from_and_writes_the_bank_to_stdout(tmp_path: Path) -> None:
    piped = _module("import", "-", "--from", "gift", "-o", "-", cwd=tmp_path, stdin=GIFT)
    assert piped.returncode == 0, piped.stderr
    bank = json.loads(piped.stdout)
    assert [q["prompt"] for q in bank["questions"]] == ["What is 2+2?"]
    assert b"wrote - (1 question" in piped.stderr
    assert list(tmp_path.iterdir()) == []
    written = _module("import", "-", "--from", "gift", "-o", "q.json", cwd=tmp_path, stdin=GIFT)
    assert written.returncode == 0, written.stderr
    assert written.stdout.startswith(b"wrote q.json")
    assert json.loads((tmp_path / "q.json").read_bytes()) == bank


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-", "-o", "q.json"], "reading stdin needs --from"),
        (["-", "--from", "gift", "--out-dir", "d"], "a source on stdin has no name for --out-dir"),
        (["-", "x.gift", "--from", "gift", "--out-dir", "d"], "- (stdin) is one source"),
        (["-", "--from", "gift", "-o", "-", "--format", "json"],
         "-o - writes the bank to stdout, where --format json writes its report"),
    ],
)
def test_import_stdio_misuse_is_a_usage_error(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["import", *args], capsys)
    assert code == 2 and message in err


def test_import_to_stdout_refuses_a_bank_with_media(tmp_path: Path) -> None:
    source = ROOT / "tests" / "fixtures" / "inputs" / "moodle" / "packager-export.xml"
    result = _module("import", str(source), "-o", "-", cwd=tmp_path)
    assert result.returncode == 2
    assert b"media files, which stdout cannot carry; nothing was written" in result.stderr
    assert result.stdout == b"" and list(tmp_path.iterdir()) == []


# -- file patterns, as Windows' shells pass them ------------------------------------------------


def test_patterns_are_expanded_as_a_shell_would(tmp_path: Path) -> None:
    from packager.cli.patterns import expand
    from packager.errors import UsageError

    for name in ("b.txt", "a.txt", "c.gift", "odd[1].txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.txt").write_text("x", encoding="utf-8")
    assert expand([tmp_path / "*.txt"]) == [tmp_path / n for n in ("a.txt", "b.txt", "odd[1].txt")]
    assert expand([tmp_path / "**" / "*.txt"]) == [
        tmp_path / n for n in ("a.txt", "b.txt", "odd[1].txt", "sub/d.txt")]
    literal = tmp_path / "odd[1].txt"  # a name with a pattern's characters, kept as it is
    assert expand([literal, Path("-"), tmp_path / "c.gift"]) == [
        literal, Path("-"), tmp_path / "c.gift"]
    assert expand(None) is None and expand([]) == []
    with pytest.raises(UsageError, match="no file matches this pattern"):
        expand([tmp_path / "*.xml"])


def test_every_command_expands_a_pattern_given_as_typed(tmp_path: Path) -> None:
    """`packager import exports\\*.zip` in cmd or PowerShell: the program gets the pattern
    itself (typer expands only what it reads from sys.argv, and packager hands it them)."""
    seed = ROOT.parent / "shared" / "seeds" / "000_20f52c0d510a6e29.txt"
    (tmp_path / "in").mkdir()
    for name in ("one.txt", "two.txt"):
        shutil.copy(seed, tmp_path / "in" / name)
    result = _module("import", "in/*.txt", "--out-dir", "banks", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert sorted(p.name for p in (tmp_path / "banks").iterdir()) == ["one.json", "two.json"]
    for command in (["validate"], ["preview", "--out", "site"],
                    ["export", "--format", "gift,moodle", "--out", "dist"]):
        result = _module(*command, "banks/*.json", cwd=tmp_path)
        assert result.returncode == 0, (command, result.stderr.decode())
    assert sorted(p.name for p in (tmp_path / "dist").glob("*.gift.txt")) == [
        "one-1.0.0.gift.txt", "two-1.0.0.gift.txt"]
    result = _module("check", "dist/*.xml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().count("moodle.xml: moodle-xml package, 1 XML file (1 with") == 2
    result = _module("validate", "nowhere/*.json", cwd=tmp_path)
    assert result.returncode == 2 and b"nowhere/*.json: no file matches this pattern" in (
        result.stderr)


def test_output_redirected_in_a_code_page_is_utf8_not_a_traceback(tmp_path: Path) -> None:
    """On Windows, stdout and stderr redirected to a file or pipe are in the ANSI code page;
    a message with an arrow or an emoji ended in a UnicodeEncodeError. PYTHONIOENCODING puts
    a stream in that state here."""
    bank = tmp_path / "quiz.txt"
    bank.write_bytes(b"{\\rtf1\\ansi Situation: x}")  # refused with a hint holding an arrow
    env = {"PYTHONIOENCODING": "cp1252"}
    result = _module("validate", "--format", "json", str(bank), env=env)
    assert result.returncode == 3, result.stderr.decode("utf-8", "replace")
    (problem,) = json.loads(result.stdout.decode("utf-8"))["diagnostics"]
    assert "Format → Make Plain Text" in problem["hint"]
    result = _module("validate", str(bank), env=env)
    assert result.returncode == 3 and "Format → Make Plain Text" in result.stderr.decode("utf-8")


@pytest.mark.skipif(os.name != "posix", reason="Windows sends no SIGTERM")
def test_sigterm_ends_a_command_as_ctrl_c_does(tmp_path: Path) -> None:
    """Review 30: SIGTERM (`timeout`, `docker stop`, a cancelled CI job) killed the command
    outright: no cleanup, its lock and temporary files left, its workers running on. It is
    an interruption now: exit 130, "Interrupted.", no traceback."""
    import signal
    import time

    waiting = subprocess.Popen(
        [sys.executable, "-m", "packager", "import", "-", "--from", "gift", "-o",
         str(tmp_path / "bank.json")],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(3)  # reading the standard input, which never ends
    waiting.send_signal(signal.SIGTERM)
    _, err = waiting.communicate(timeout=60)
    assert (waiting.returncode, err) == (130, b"Interrupted.\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("args", [
    ("export", "-f", "gift", "-o", "-", str(BANK)), ("validate", "--format", "json", str(BANK)),
    ("schema",)])
def test_a_standard_output_that_cannot_be_written_is_an_error(args: tuple[str, ...]) -> None:
    """Review 30: `> /dev/full` (a full disk) ended in a traceback, twice for JSON output."""
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "packager", *args], cwd=ROOT, stdout=full,
                              stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              timeout=120, check=False)
    assert (done.returncode, done.stderr) == (
        6, b"error: cannot write the output: No space left on device\n")


@pytest.mark.parametrize("args", [("schema",), ("--help",), ("export", "-f", "gift", "-o", "-",
                                                            str(BANK))])
def test_a_reader_that_closed_the_pipe_ends_the_command_quietly_with_6(
    args: tuple[str, ...]
) -> None:
    """Docs review 31: `packager schema | true` exited 1, "a bug", with nothing said (typer's
    own broken-pipe handling)."""
    reading, writing = os.pipe()
    os.close(reading)  # the reader is gone before the command writes
    try:
        done = subprocess.run([sys.executable, "-m", "packager", *args], cwd=ROOT, stdout=writing,
                              stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              timeout=120, check=False)
    finally:
        os.close(writing)
    assert (done.returncode, done.stderr) == (6, b"")
