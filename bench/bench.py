"""Benchmark: packager export/build on generated scenario banks, against text2qti for QTI 1.2.

Run from the repository root:  make bench   (or: python bench/bench.py --sizes 1000,10000)
Prints wall time, questions per second and peak RSS per command, then the text2qti ratio.
A script, not a timed test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "revenue",
    "pipeline",
    "customer",
    "retention",
    "marketing",
    "qualified",
    "leads",
    "sales",
    "team",
    "goals",
    "strategy",
    "mission",
    "department",
    "quarterly",
    "growth",
    "onboarding",
    "churn",
    "forecast",
    "budget",
    "priorities",
    "scale",
    "alignment",
    "metrics",
    "café",
    "naïve",
    "résumé",
    "coördinate",
    "Zoë",
    "José",
    "“quoted”",
    "‘single’",
    "—",
    "☕",
    "📈",
]


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, chars: int) -> str:
    out: list[str] = []
    while sum(len(s) + 1 for s in out) < chars:
        out.append(sentence(rng, rng.randint(8, 16)))
    return " ".join(out)


def generate(n: int, seed: int = 7) -> tuple[dict[str, object], str]:
    """The same n questions as a canonical bank and as text2qti Markdown."""
    rng = random.Random(seed)
    questions = []
    md = [f"Quiz title: Bench {n}", "Quiz description: Generated scenario bank", ""]
    for i in range(n):
        scenario = paragraph(rng, 600)
        prompt = sentence(rng, 12).rstrip(".") + "?"
        choices = [sentence(rng, 10) for _ in range(4)]
        correct = rng.randrange(4)
        explanation = paragraph(rng, 1200)
        questions.append(
            {
                "id": f"q{i:06d}",
                "type": "single_choice",
                "scenario": scenario,
                "prompt": prompt,
                "choices": [
                    {"id": f"c{j}", "text": c, "correct": j == correct}
                    for j, c in enumerate(choices)
                ],
                "explanation": explanation,
            }
        )
        md.append(f"{i + 1}.  {scenario} {prompt}")
        md.append(f"... {explanation}")
        for j, c in enumerate(choices):
            letter = "abcd"[j]
            md.append(f"{'*' if j == correct else ''}{letter}) {c}")
        md.append("")
    bank = {
        "format": "packager.question-bank/1",
        "id": f"bench-{n}",
        "title": f"Bench {n}",
        "version": "1.0.0",
        "questions": questions,
    }
    return bank, "\n".join(md)


def write_bank(n: int, work: Path) -> None:
    bank, md = generate(n)
    (work / "content").mkdir(parents=True)
    text = json.dumps(bank, ensure_ascii=False)
    (work / "content" / f"bench-{n}.json").write_text(text, encoding="utf-8")
    (work / "bench.md").write_text(md, encoding="utf-8")


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (largest process of the tree), exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0 and proc.stderr is not None:
        sys.stderr.write(proc.stderr.read().decode(errors="replace")[-2000:])
    return wall, usage.ru_maxrss / 1024, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--formats", default="all", help="comma list for per-format exports")
    parser.add_argument(
        "--text2qti-max",
        type=int,
        default=10000,
        help="run text2qti only up to this size (it is slow beyond)",
    )
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--generate", nargs=2, metavar=("N", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        write_bank(int(args.generate[0]), Path(args.generate[1]))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    packager = [sys.executable, "-m", "packager"]
    from packager.formats import resolve

    formats = [t.name for t in resolve(args.formats)]
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    has_t2q = shutil.which("text2qti") is not None
    rows: list[tuple[int, str, float, float, float, str]] = []
    ratios: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="packager-bench-") as tmp:
        root = Path(tmp)
        for n in sizes:
            work = root / str(n)
            # Generated in a child process: a child's peak RSS starts from its parent's at
            # fork, so a parent holding the bank would inflate every measurement below.
            subprocess.run([sys.executable, __file__, "--generate", str(n), str(work)], check=True)
            bank_file = work / "content" / f"bench-{n}.json"
            (work / "packager.toml").write_text(
                'banks = ["content/*.json"]\nformats = ["all"]\nskip_unsupported = true\n'
            )
            for fmt in formats:
                wall, rss, code = run(
                    [
                        *packager,
                        "export",
                        "--format",
                        fmt,
                        "--skip-unsupported",
                        "--out",
                        str(work / "out"),
                        str(bank_file),
                    ],
                    work,
                    env,
                )
                rows.append(
                    (n, f"export {fmt}", wall, n / wall, rss, "ok" if code == 0 else f"exit {code}")
                )
                if fmt == "qti12":
                    qti12_time = wall
            if not args.no_build:
                wall, rss, code = run([*packager, "build", "--quiet", "--force"], work, env)
                rows.append(
                    (
                        n,
                        "build (all formats)",
                        wall,
                        n / wall,
                        rss,
                        "ok" if code == 0 else f"exit {code}",
                    )
                )
            if has_t2q and n <= args.text2qti_max:
                wall, rss, code = run(["text2qti", "bench.md"], work, env)
                rows.append(
                    (
                        n,
                        "text2qti (QTI 1.2)",
                        wall,
                        n / wall,
                        rss,
                        "ok" if code == 0 else f"exit {code}",
                    )
                )
                if code == 0 and "qti12" in formats:
                    ratios[n] = wall / qti12_time
            print(f"... {n} questions done", file=sys.stderr)
    print(
        f"{'questions':>9}  {'command':<24} {'wall s':>8} {'q/s':>10} {'peak RSS MB':>12}  status"
    )
    for n, name, wall, qps, rss, status in rows:
        print(f"{n:>9}  {name:<24} {wall:>8.2f} {qps:>10.0f} {rss:>12.0f}  {status}")
    xsd = "on" if os.environ.get("PACKAGER_XSD_DIR") else "off (set PACKAGER_XSD_DIR)"
    print(f"XSD validation: {xsd}")
    for n, ratio in ratios.items():
        print(f"QTI 1.2, {n} questions: packager is {ratio:.1f}x faster than text2qti")
    if not has_t2q:
        print("text2qti not installed: pip install -e '.[bench]'")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
