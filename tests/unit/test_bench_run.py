"""bench/bench.py's run(): the one place the benchmarks start commands and read their peak
memory (os.wait4), with the fallback for Windows, which has no wait4."""

from __future__ import annotations

import importlib.util
import math
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Writes more to stderr than a pipe holds, then fails: with stderr on a pipe that nobody
# reads until the end, the command and the benchmark would wait for each other.
LOUD_FAILURE = [sys.executable, "-c", "import sys; sys.stderr.write('x' * 300_000); sys.exit(3)"]


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("bench_script", ROOT / "bench" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    path = list(sys.path)  # the script puts its own folder first, to import its sibling
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]
        sys.modules.pop("profiles", None)
        sys.path[:] = path


def test_run_reports_time_memory_and_exit_code(bench: ModuleType, tmp_path: Path) -> None:
    wall, rss, code = bench.run([sys.executable, "-c", "pass"], tmp_path, dict(os.environ))
    assert code == 0 and wall > 0
    if hasattr(os, "wait4"):
        # A child's peak counts the memory of the process that started it (Linux carries the
        # spawner's high-water mark over the exec), and this test process may be large by
        # now: the size is measured from a small process, as bench.py starts its commands.
        import ast
        import subprocess

        script = (
            "import os, sys, pathlib\n"
            f"sys.path.insert(0, {str(ROOT / 'bench')!r})\n"
            "import bench\n"
            "print(bench.run([sys.executable, '-c', 'pass'], pathlib.Path('.'), dict(os.environ)))"
        )
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
            timeout=120, check=True,
        )
        _, small, code = ast.literal_eval(done.stdout)  # (wall, rss, code), as printed
        assert code == 0 and small is not None and 5 < small < 500  # an interpreter, in MB
        assert rss is not None


def test_a_failing_command_that_writes_much_is_waited_for_and_its_end_shown(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import threading

    done: list[int] = []
    # On a thread with a time limit: should the two wait for each other again, the test fails
    # instead of hanging the run.
    waiter = threading.Thread(
        target=lambda: done.append(bench.run(LOUD_FAILURE, tmp_path, dict(os.environ))[2]),
        daemon=True,
    )
    waiter.start()
    waiter.join(timeout=60)
    assert done == [3]
    assert capsys.readouterr().err == "x" * 2000


def test_without_wait4_memory_is_unknown_and_shown_so(
    bench: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(os, "wait4", raising=False)
    wall, rss, code = bench.run(LOUD_FAILURE, tmp_path, dict(os.environ))
    assert (rss, code) == (None, 3) and wall > 0
    assert bench.megabytes(rss) == "n/a" and bench.megabytes(412.4) == "412"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the command forks a worker")
def test_measure_counts_the_cpu_seconds_of_the_command_and_of_its_workers(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a shared machine the wall time says little; the CPU seconds of the command and the
    workers it forks and waits for (a build's) are its cost, and the table shows them."""
    burn = (
        "import os, time\n"
        "def busy():\n"
        "    while time.process_time() < 0.3:\n"
        "        pass\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    busy()\n"
        "    os._exit(0)\n"
        "busy()\n"
        "os.waitpid(pid, 0)\n"
    )
    row = bench.measure("plain", 1, "burn", [sys.executable, "-c", burn], tmp_path,
                        dict(os.environ), 2)
    assert row.status == "ok" and len(row.cpus) == 2
    assert all(cpu > 0.55 for cpu in row.cpus)  # 0.3 s in each process; 0.3 if one were left out
    bench.report([row], 2)
    header, line = capsys.readouterr().out.splitlines()[3:5]
    assert header.split()[4:6] == ["CPU", "s"]
    assert float(line.split()[3]) == pytest.approx(min(row.cpus), abs=0.01)


def test_without_an_account_of_children_cpu_is_unknown_and_shown_so(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "resource", None)  # Windows has no such module
    assert math.isnan(bench.cpu_seconds())
    assert bench.cpu_text([math.nan, math.nan]) == "n/a"
    assert bench.cpu_text([1.234, 0.5]) == "0.50"
