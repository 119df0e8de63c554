"""Benchmark: packager import of a 10,000-question text file and Moodle XML file, against
validating the bank the import writes (issue: import takes no longer than that validation).

Run from the repository root:  make bench-import   (or: python bench/import_bench.py --size 10000)
The text file is in the seed's layout (../shared/seeds/000_…txt) with variety: every scenario,
option and explanation its own; bulleted and lettered options; the key restated in the
explanation (sometimes with a typo, straight quotes or a clause after it), named by letter or on
an `Answer:` line (half of those labels in bold, `**Answer:** B`); every explanation is Markdown
as the `rich` profile writes it (2-3 paragraphs, emphasis, and lists, links, math, tables and
code in their shares of the questions). The Moodle XML file is the `rich` profile of bench/profiles.py (explanations
of 2-3 paragraphs with emphasis, lists, links, math, tables and code; option feedback on a
third of the questions), exported with `packager export --format moodle`: HTML that the
importer must really convert, not one paragraph. It is timed only where
`packager import --from moodle` exists. Each command runs --runs times (default 2); the table
shows the median wall time, and the median CPU seconds (user and system, worker processes
included): on a shared machine the CPU seconds are the steadier figure, and `import` runs its
readers (and the checks) on every core, so the two differ.
A script, not a timed test: numbers depend on the machine (and on what else runs on it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bytecode import compile_packager
from profiles import everyday_paragraph as _paragraph
from profiles import everyday_sentence as _sentence
from profiles import generate, rich_explanation

from bench import cpu_seconds, larger, megabytes, run  # the sibling scripts


def _restated(rng: random.Random, option: str, rest: str) -> str:
    """The option as an explanation restates it: mostly as written, else with a small
    difference the reader forgives (a dropped letter, straight quotes, a clause after it)."""
    kind = rng.random()
    words = option.split()
    at = max(range(len(words)), key=lambda i: len(words[i]))  # a typo in the longest word
    # Not where the word comes again just after: difflib would align the option's word with
    # that one, and the reader would (rightly, by its rules) find no option restated.
    if kind < 0.15 and words[at].lower() not in rest.lower():
        words[at] = words[at][:-2] + words[at][-1]
        return " ".join(words)
    if kind < 0.25:
        return option.replace("“", '"').replace("”", '"').replace("’", "'")
    if kind < 0.35:
        return option.rstrip(".") + ", because " + _sentence(rng, 6).lower()
    return option


def generate_text(n: int, seed: int = 11) -> str:
    """n questions in the seed's layout, separated by '---', each different."""
    rng = random.Random(seed)
    out: list[str] = ["Title: Import bench"]
    for i in range(n):
        scenario = f"{_paragraph(rng, rng.randint(300, 700))} (case {i + 1})"
        prompt = _sentence(rng, rng.randint(8, 14)).rstrip(".") + "?"
        count = rng.choice([3, 4, 4, 4, 5])
        options = [
            " ".join(_sentence(rng, rng.randint(6, 14)) for _ in range(rng.choice([1, 1, 2, 3])))
            for _ in range(count)
        ]
        key = rng.randrange(count)
        style = rng.random()
        lettered = style < 0.35
        lines = [
            f"Situation: {scenario} {prompt}"
            if rng.random() < 0.8
            else f"Scenario: {scenario}\n\n{prompt}"
        ]
        for j, option in enumerate(options):
            mark = f"{'ABCDE'[j]})" if style < 0.2 else f"{'abcde'[j]}." if lettered else "-"
            lines.append(f"{mark} {option}")
        # Rationales as the `rich` profile writes them: Markdown the reader keeps and the
        # checks render (emphasis, lists, links, math, tables, code), not one plain paragraph.
        rest = rich_explanation(rng)
        how = rng.random()
        if how < 0.2:  # an Answer: line, and a rationale that does not restate the key
            bold = rng.random() < 0.5  # as Markdown files label them
            lines.append(f"**Answer:** {'ABCDE'[key]}" if bold else f"Answer: {'ABCDE'[key]}")
            lines.append(f"**Explanation:** {rest}" if bold else f"Explanation: {rest}")
        elif how < 0.3 and lettered:  # the explanation names the key by letter
            lines.append(f"Explanation: The correct answer is {'ABCDE'[key]}. {rest}")
        else:  # the seed's way: the explanation restates the key
            lines.append(
                f"Explanation: The correct answer is {_restated(rng, options[key], rest)} {rest}"
            )
        out.append("\n".join(lines))
    return "\n---\n".join(out) + "\n"


def write_sources(n: int, work: Path, env: dict[str, str], moodle: bool) -> None:
    work.mkdir(parents=True, exist_ok=True)
    (work / "bank.txt").write_text(generate_text(n), encoding="utf-8")
    if moodle:
        bank = generate(n, "rich").bank
        (work / "bank.json").write_text(json.dumps(bank, ensure_ascii=False), encoding="utf-8")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "packager",
                "export",
                "--format",
                "moodle",
                "--out",
                str(work / "moodle"),
                str(work / "bank.json"),
            ],
            cwd=work,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (exported,) = (work / "moodle").glob("*.xml")
        exported.rename(work / "bank.xml")


def moodle_available() -> bool:
    """Whether `packager import --from moodle` exists in this checkout."""
    from importlib.util import find_spec

    from packager.formats import READERS

    return "moodle" in READERS and find_spec(READERS["moodle"].module) is not None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep the files")
    parser.add_argument("--write-sources", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    n, packager = args.size, [sys.executable, "-m", "packager"]
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    moodle = moodle_available()
    if args.write_sources:
        write_sources(int(args.write_sources[0]), Path(args.write_sources[1]), env, moodle)
        return 0
    compile_packager()
    rows: list[tuple[str, str, str, list[float], list[float], float | None, str]] = []
    with tempfile.TemporaryDirectory(prefix="packager-import-bench-") as tmp:
        work = Path(args.keep or tmp)
        # Written by a child process: Linux carries a process's peak memory over into every
        # command it starts (the high-water mark survives the exec), so a parent that had
        # held the generated banks would inflate each command's peak below.
        subprocess.run(
            [sys.executable, __file__, "--write-sources", str(n), str(work)], check=True
        )
        sources = [("text", work / "bank.txt")] + (
            [("moodle", work / "bank.xml")] if moodle else []
        )
        for kind, source in sources:
            out = work / f"imported-{kind}.json"
            commands = [
                (
                    "import",
                    f"import {source.name}",
                    [*packager, "import", str(source), "--out", str(out), "--force"],
                ),
                (
                    "import named",
                    f"import --from {kind}",
                    [
                        *packager,
                        "import",
                        str(source),
                        "--from",
                        kind,
                        "--out",
                        str(out),
                        "--force",
                    ],
                ),
                ("validate", f"validate {out.name}", [*packager, "validate", str(out)]),
            ]
            if kind == "text":
                commands.append(
                    (
                        "validate source",
                        f"validate {source.name}",
                        [*packager, "validate", str(source)],
                    )
                )
            for key, name, cmd in commands:
                walls, cpus, status = [], [], "ok"
                peak: float | None = 0.0
                for _ in range(args.runs):
                    cpu = cpu_seconds()
                    wall, rss, code = run(cmd, work, env)
                    cpu = cpu_seconds() - cpu
                    walls.append(wall)
                    cpus.append(cpu)
                    peak = larger(peak, rss)
                    status = status if code == 0 else f"exit {code}"
                rows.append((kind, key, name, walls, cpus, peak, status))
            print(f"... {kind} done", file=sys.stderr)
    print(f"{n} questions, {args.runs} runs each (median; all runs in brackets)")
    print(f"{'source':<7} {'command':<32} {'median s':>9} {'CPU s':>6} {'q/s':>8} {'peak MB':>8}"
          "  runs / status")
    medians: dict[tuple[str, str], tuple[float, float]] = {}
    for kind, key, name, walls, cpus, peak, status in rows:
        median, cpu = statistics.median(walls), statistics.median(cpus)
        medians[kind, key] = median, cpu
        runs = ", ".join(f"{w:.2f}" for w in walls)
        print(
            f"{kind:<7} {name:<32} {median:>9.2f} {cpu:>6.2f} {n / median:>8.0f} {megabytes(peak):>8}  "
            f"[{runs}] {status}"
        )
    for kind, _ in sources:
        (imported, imported_cpu), (validated, validated_cpu) = (
            medians[kind, "import"], medians[kind, "validate"])
        print(f"{kind}: import / validate of the imported bank = {imported / validated:.1f} "
              f"(CPU {imported_cpu / validated_cpu:.1f})")
    if not moodle:
        print("moodle: skipped (no `packager import --from moodle` in this checkout yet)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
