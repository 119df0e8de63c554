"""Benchmark: packager validate/export/build on generated banks, against text2qti for QTI 1.2.

Run from the repository root:  make bench
  or: python bench/bench.py --profiles rich --sizes 10000,50000 --runs 2
Profiles (bench/profiles.py): plain (one plain paragraph per text), rich (Markdown as real
explanations have it), media (plain with images). Per profile and size it times `validate`,
`export --format qti12` (and any other --formats), text2qti on the same questions, and
`build` of every format with XSD validation when PACKAGER_XSD_DIR names the XSDs. Each command
runs --runs times; the table shows the fastest run (all runs in brackets), the least CPU
seconds of the runs (user and system, worker processes included: the steadier figure on a
shared machine) and the largest peak RSS. A script, not a timed test: numbers depend on the
machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bytecode import compile_packager  # the sibling modules
from profiles import PROFILES, generate


def text2qti() -> str | None:
    """text2qti beside this Python (the venv `make bench` installs it into), else on PATH."""
    beside = Path(sys.executable).parent / "text2qti"
    return str(beside) if beside.exists() else shutil.which("text2qti")


def write_bank(n: int, profile: str, work: Path) -> None:
    generated = generate(n, profile)
    content = work / "content"
    content.mkdir(parents=True)
    text = json.dumps(generated.bank, ensure_ascii=False)
    (content / f"bench-{n}.json").write_text(text, encoding="utf-8")
    for name, data in generated.media.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_bytes(data)
    (work / "bench.md").write_text(generated.text2qti, encoding="utf-8")


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float | None, int]:
    """Wall seconds, peak RSS in MB (largest process of the tree; None where the platform
    does not say: Windows has no wait4), exit code."""
    # stderr into a file, not a pipe: a command that wrote more than a pipe holds would wait
    # for a reader while this process waits for it to end.
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        rss: float | None = None
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            code = os.waitstatus_to_exitcode(status)
            # getrusage(2): kilobytes on Linux and the BSDs, bytes on macOS.
            rss = usage.ru_maxrss / ((1 << 20) if sys.platform == "darwin" else 1024)
        else:
            code = proc.wait()
        wall = time.perf_counter() - start
        if code != 0:
            errors.seek(0)
            sys.stderr.write(errors.read().decode(errors="replace")[-2000:])
    return wall, rss, code


def cpu_seconds() -> float:
    """User and system CPU seconds of the commands run so far, with their worker processes:
    what a command cost, where the machine is shared and its wall time says little."""
    try:
        import resource
    except ImportError:  # Windows: no such account of children
        return float("nan")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def larger(peak: float | None, rss: float | None) -> float | None:
    """The larger of two peaks; None (not measured) once either is None."""
    return None if peak is None or rss is None else max(peak, rss)


def megabytes(rss: float | None) -> str:
    return "n/a" if rss is None else f"{rss:.0f}"


def cpu_text(cpus: list[float]) -> str:
    """The least CPU seconds of the runs; n/a where the system does not count them."""
    least = min(cpus)
    return "n/a" if math.isnan(least) else f"{least:.2f}"


@dataclass
class Row:
    profile: str
    n: int
    command: str
    walls: list[float]
    rss: float | None
    status: str
    cpus: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.walls)


def measure(
    profile: str, n: int, name: str, cmd: list[str], work: Path, env: dict[str, str], runs: int
) -> Row:
    row = Row(profile, n, name, [], 0.0, "ok")
    for _ in range(runs):
        cpu = cpu_seconds()
        wall, rss, code = run(cmd, work, env)
        row.cpus.append(cpu_seconds() - cpu)
        row.walls.append(wall)
        row.rss = larger(row.rss, rss)
        if code != 0:
            row.status = f"exit {code}"
    return row


def bench_size(
    profile: str, n: int, work: Path, args: argparse.Namespace, formats: list[str]
) -> list[Row]:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    packager = [sys.executable, "-m", "packager"]
    # Generated in a child process: a child's peak RSS starts from its parent's at fork, so a
    # parent holding the bank would inflate every measurement below.
    subprocess.run([sys.executable, __file__, "--generate", profile, str(n), str(work)], check=True)
    bank_file = str(work / "content" / f"bench-{n}.json")
    (work / "packager.toml").write_text(
        'banks = ["content/*.json"]\nformats = ["all"]\nskip_unsupported = true\n'
    )
    commands = [("validate", [*packager, "validate", bank_file])]
    for fmt in formats:
        out = ["--skip-unsupported", "--out", str(work / "out"), bank_file]
        commands.append((f"export {fmt}", [*packager, "export", "--format", fmt, *out]))
    if not args.no_build:
        commands.append(("build (all formats)", [*packager, "build", "--quiet", "--force"]))
    t2q = text2qti()
    if t2q is not None and n <= args.text2qti_max:
        commands.append(("text2qti (QTI 1.2)", [t2q, "bench.md"]))
    return [measure(profile, n, name, cmd, work, env, args.runs) for name, cmd in commands]


def report(rows: list[Row], runs: int) -> None:
    print(f"fastest of {runs} run(s); all runs in brackets")
    for profile in dict.fromkeys(row.profile for row in rows):
        print(f"\nprofile: {profile}")
        print(f"{'questions':>9}  {'command':<22} {'wall s':>7} {'CPU s':>6} {'q/s':>8} "
              f"{'peak MB':>8}  runs")
        mine = [row for row in rows if row.profile == profile]
        for row in mine:
            walls = ", ".join(f"{w:.2f}" for w in row.walls)
            print(
                f"{row.n:>9}  {row.command:<22} {row.best:>7.2f} {cpu_text(row.cpus):>6} "
                f"{row.n / row.best:>8.0f} "
                f"{megabytes(row.rss):>8}  [{walls}] {'' if row.status == 'ok' else row.status}"
            )
        by = {(row.n, row.command): row for row in mine}
        for n in dict.fromkeys(row.n for row in mine):
            ours, theirs = by.get((n, "export qti12")), by.get((n, "text2qti (QTI 1.2)"))
            if ours and theirs and ours.status == theirs.status == "ok":
                print(
                    f"QTI 1.2, {n} questions: packager is {theirs.best / ours.best:.1f}x "
                    "faster than text2qti (fastest runs)"
                )
    xsd = "on" if os.environ.get("PACKAGER_XSD_DIR") else "off (set PACKAGER_XSD_DIR)"
    print(f"\nXSD validation in export and build: {xsd}")
    print("packager's bytecode compiled before timing, as an install compiles it")
    if text2qti() is None:
        print("text2qti not installed: pip install -e '.[bench]'")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--profiles", default=",".join(PROFILES), help="comma list of profiles")
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma list of sizes")
    parser.add_argument(
        "--formats",
        default="qti12",
        help="comma list of formats to export one by one (names, aliases or 'all')",
    )
    parser.add_argument("--runs", type=int, default=1, help="runs of each command")
    parser.add_argument(
        "--text2qti-max",
        type=int,
        default=10000,
        help="run text2qti only up to this size (it is slow beyond)",
    )
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep the files")
    parser.add_argument("--generate", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        profile, n, folder = args.generate
        write_bank(int(n), profile, Path(folder))
        return 0
    profiles = args.profiles.split(",")
    unknown = sorted(set(profiles) - set(PROFILES))
    if unknown:
        parser.error(f"unknown profile(s) {', '.join(unknown)}; known: {', '.join(PROFILES)}")
    from packager.formats import resolve

    formats = [t.name for t in resolve(args.formats)]
    compile_packager()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="packager-bench-") as tmp:
        root = Path(args.keep or tmp)
        for profile in profiles:
            for n in (int(s) for s in args.sizes.split(",")):
                work = root / f"{profile}-{n}"
                shutil.rmtree(work, ignore_errors=True)
                rows += bench_size(profile, n, work, args, formats)
                print(f"... {profile}, {n} questions done", file=sys.stderr)
    report(rows, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
