"""Speed of the rule path, printed as figures and ratios (never asserted in tests).

    python benchmarks/speed.py                 # 100,000 generated KRs, cold start, the lot
    python benchmarks/speed.py --krs 20000     # a quicker run

Measures, on one core:
1. rule review of N generated key results (25% objectives of 4 KRs) — KRs per second, first pass (every
   text analysed) and second pass (analysis cache warm, as when a draft is re-reviewed while editing);
2. the same texts through one precompiled regex pass (a naive single-pattern linter), and the ratio;
3. `okrcoach review examples/team-draft.yaml` cold start against `python -c pass`, median of several runs;
4. end to end: `okrcoach review N.csv -f json` in a child process (a generated CSV of --e2e-krs KRs), KRs per
   second and the child's peak memory (max RSS), and the analysis alone (`coach.analysis.analyse` per text).

With `--base DIR` (a checkout of an older commit: `git worktree add /tmp/base <commit>`), the cold start,
the end-to-end run and the analysis alone are measured for both trees in one run and printed as
before -> after with the ratio; the two JSON reports are compared byte for byte.

    python benchmarks/speed.py --base /tmp/base --krs 20000 --e2e-krs 100000
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach import engine  # noqa: E402
from coach.analysis import kr as analysis_kr  # noqa: E402
from coach.model import Document, KeyResult, Objective, Span  # noqa: E402

VERBS = [
    "Raise",
    "Grow",
    "Cut",
    "Reduce",
    "Increase",
    "Launch",
    "Ship",
    "Publish",
    "Hire",
    "Migrate",
    "Improve",
    "Build",
    "Run",
    "Lower",
    "Double",
    "Maintain",
    "Keep",
    "Reach",
    "Achieve",
    "Document",
]
METRICS = [
    "checkout completion",
    "weekly active teams",
    "p95 API latency",
    "trial-to-paid conversion",
    "NPS",
    "monthly recurring revenue",
    "first reply time",
    "churn on annual plans",
    "activation in week one",
    "support tickets per account",
    "failed card payments",
    "organic sign-ups",
    "docs page views",
    "time to first value",
    "net revenue retention",
    "open P1 bugs",
    "deploy frequency",
    "cost per event",
]
THINGS = [
    "the new invoicing page",
    "blog posts",
    "a Rust SDK",
    "the partner portal",
    "product managers",
    "customer workshops",
    "the billing service to Kubernetes",
    "help-centre articles",
    "the onboarding flow",
]
UNITS = ["%", " ms", " s", "k", " days", "", " pts"]


def generate(n: int, seed: int = 7) -> list[str]:
    """Varied, mostly unique KR texts in the shapes real drafts use."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        verb = rng.choice(VERBS)
        shape = rng.random()
        unit = rng.choice(UNITS)
        a, b = rng.randint(1, 900), rng.randint(1, 900)
        if shape < 0.35:
            text = f"{verb} {rng.choice(METRICS)} from {a}{unit} to {b}{unit}"
        elif shape < 0.55:
            text = f"{verb} {rng.choice(METRICS)} to {b}{unit} for team {i % 500}"
        elif shape < 0.75:
            text = f"{verb} {rng.randint(2, 12)} {rng.choice(THINGS)} in region {i % 97}"
        elif shape < 0.9:
            text = f"{verb} {rng.choice(THINGS)} by Q{rng.randint(1, 4)} ({rng.choice(METRICS)})"
        else:
            text = (
                f"{rng.choice(METRICS).capitalize()} below {b}{unit} for {rng.randint(2, 40)} customers #{i}"
            )
        out.append(text)
    return out


def build_document(texts: list[str]) -> Document:
    objectives = []
    for start in range(0, len(texts), 4):
        span = Span("bench.yaml", start + 1)
        krs = [
            KeyResult(f"O{start}.KR{j}", text, Span("bench.yaml", start + j + 2), owner="Sam")
            for j, text in enumerate(texts[start : start + 4])
        ]
        objectives.append(
            Objective(
                f"O{start}",
                f"Make paying us effortless for segment {start}",
                span,
                owner="Sam",
                key_results=krs,
            )
        )
    return Document("bench.yaml", "yaml", objectives, team=None)


# A naive one-pattern linter: task verbs at the start, or any number with a unit.
NAIVE = re.compile(
    r"^(?:launch|ship|publish|hire|migrate|build|run|document)\b|\d+(?:\.\d+)?\s?(?:%|ms|s|k)\b",
    re.IGNORECASE,
)


def time_call(func: object, *args: object) -> float:
    start = time.perf_counter()
    func(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def _env(tree: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode; see cold_start
    return env


# What the `okrcoach` console script runs (pip writes one that imports main and calls it).
CONSOLE_SCRIPT = "import sys; from coach.cli import main; sys.exit(main())"


def cold_start(runs: int, trees: Sequence[Path] = (ROOT,)) -> tuple[float, list[float]]:
    """Median seconds of `python -c pass`, and of `okrcoach review examples/team-draft.yaml` per tree
    (the runs interleaved, so that other work on the machine weighs on each alike).

    As after `pip install`, each tree's bytecode is written first (`compileall`): a development
    environment with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every start, which
    is not what users get. The command is the console script's, not `python -m` (runpy costs ~5 ms)."""
    example = ROOT / "examples" / "team-draft.yaml"
    for tree in trees:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(tree / "coach")],
            check=True,
            capture_output=True,
            env=_env(tree),
        )
    base_cmd = [sys.executable, "-c", "pass"]
    cli_cmd = [sys.executable, "-c", CONSOLE_SCRIPT, "review", str(example), "--no-config"]
    base: list[float] = []
    cli: list[list[float]] = [[] for _ in trees]
    for _ in range(runs):
        base.append(time_call(subprocess.run, base_cmd))
        for tree, times in zip(trees, cli, strict=True):
            times.append(
                time_call(
                    lambda cmd, tree=tree: subprocess.run(cmd, capture_output=True, cwd=tree, env=_env(tree)),
                    cli_cmd,
                )
            )
    return statistics.median(base), [statistics.median(times) for times in cli]


CSV_HEADER = ["team", "level", "period", "objective id", "objective", "objective owner", "key result"]
CSV_HEADER += ["owner", "baseline", "target", "confidence"]


def write_csv(texts: list[str], path: Path) -> None:
    """A spreadsheet export: one row per KR, the objective's cells on its first row (4 KRs each)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for index, text in enumerate(texts):
            number, first = index // 4, index % 4 == 0
            objective = f"Make paying us effortless for segment {number}" if first else ""
            values = ("61%", "75%") if index % 3 == 0 else ("", "")
            confidence = "0.6" if index % 5 == 0 else ""
            owner = "Dana" if first else ""
            row = ["Payments", "team", "2026-Q3", f"o-{number}", objective, owner, text, "Sam", *values]
            writer.writerow([*row, confidence])


def end_to_end(tree: Path, draft: Path, report: Path) -> tuple[float, int, int]:
    """`okrcoach review DRAFT -f json > REPORT` in a child: seconds, peak RSS in KiB, exit status."""
    cmd = [sys.executable, "-m", "coach.cli", "review", str(draft), "-f", "json", "--no-config"]
    with report.open("wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=tree, env=_env(tree))
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss, child.returncode


ANALYSIS_ALONE = """
import sys, time
from coach.analysis import analyse
texts = open(sys.argv[1], encoding="utf-8").read().split("\\n")
start = time.perf_counter()
for text in texts:
    analyse(text)
print(time.perf_counter() - start)
"""


def analysis_alone(tree: Path, texts_file: Path) -> float:
    """Seconds for `coach.analysis.analyse` over every text once (no cache), in a child of `tree`."""
    run = subprocess.run(
        [sys.executable, "-c", ANALYSIS_ALONE, str(texts_file)],
        capture_output=True,
        text=True,
        cwd=tree,
        env=_env(tree),
        check=True,
    )
    return float(run.stdout.strip())


def _change(label: str, before: float | None, after: float, unit: str, better_low: bool = True) -> str:
    if before is None:
        return f"{label}: {after:,.{0 if after >= 100 else 2}f} {unit}"
    ratio = before / after if better_low else after / before
    digits = 0 if after >= 100 else 2
    return f"{label}: {before:,.{digits}f} -> {after:,.{digits}f} {unit} ({ratio:.1f}x better)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--krs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10, help="cold-start runs")
    parser.add_argument("--e2e-krs", type=int, default=100_000, help="KRs in the end-to-end CSV (0: skip)")
    parser.add_argument("--base", type=Path, help="an older checkout to measure beside this one")
    args = parser.parse_args(argv)
    trees = [args.base, ROOT] if args.base else [ROOT]

    texts = generate(args.krs)
    unique = len(set(texts))
    regex_s = time_call(lambda ts: [NAIVE.search(t) for t in ts], texts)
    doc = build_document(texts)
    analysis_kr.forget()
    first_s = time_call(engine.review_document, doc)
    second_s = time_call(engine.review_document, doc)
    n = len(texts)
    print(f"rule review, {n:,} generated KRs ({unique:,} distinct texts), one core:")
    print(
        f"  first pass (every text analysed): {first_s:6.2f} s = {n / first_s:>9,.0f} KRs/s "
        f"(goal 100,000 KRs/s: {n / first_s / 100_000:.2f}x of goal)"
    )
    print(
        f"  second pass (analysis cached):    {second_s:6.2f} s = {n / second_s:>9,.0f} KRs/s "
        f"({n / second_s / 100_000:.2f}x of goal)"
    )
    print(f"  one precompiled regex pass:       {regex_s:6.3f} s = {n / regex_s:>9,.0f} texts/s")
    print(
        f"  ratio review/regex: first pass {first_s / regex_s:.1f}x, "
        f"cached {second_s / regex_s:.1f}x (goal <= 3x)"
    )
    base, cli = cold_start(args.runs, trees)
    before = cli[0] / base if args.base else None
    print(
        _change(
            f"cold start, okrcoach review examples/team-draft.yaml (python -c pass {base * 1000:.0f} ms; "
            f"{' -> '.join(f'{t * 1000:.0f} ms' for t in cli)}), times python -c pass",
            before,
            cli[-1] / base,
            "x (goal <= 4x)",
        )
    )
    if args.e2e_krs:
        _end_to_end(args.e2e_krs, trees)
    return 0


def _end_to_end(n: int, trees: list[Path]) -> None:
    texts = generate(n)
    with tempfile.TemporaryDirectory() as folder:
        draft = Path(folder) / f"{n}.csv"
        write_csv(texts, draft)
        texts_file = Path(folder) / "texts.txt"
        texts_file.write_text("\n".join(texts), encoding="utf-8")
        runs = []
        for index, tree in enumerate(trees):
            report = Path(folder) / f"report-{index}.json"
            seconds, peak_kib, status = end_to_end(tree, draft, report)
            runs.append((seconds, peak_kib, status, report, analysis_alone(tree, texts_file)))
        before = runs[0] if len(runs) > 1 else None
        seconds, peak_kib, status, report, alone = runs[-1]
        print(f"end to end, okrcoach review {n:,}-KR CSV -f json > file (exit {status}):")
        print(
            "  "
            + _change("KRs/s", n / before[0] if before else None, n / seconds, "KR/s (goal >= 30,000)", False)
        )
        print(
            "  "
            + _change(
                "peak memory (max RSS of the child)",
                before[1] / 1024 if before else None,
                peak_kib / 1024,
                "MB (goal <= 500)",
            )
        )
        print(
            "  "
            + _change(
                "analysis alone (coach.analysis.analyse, every text once)",
                n / before[4] if before else None,
                n / alone,
                "KR/s (goal >= 50,000)",
                False,
            )
        )
        if before:
            same = before[3].read_bytes() == report.read_bytes()
            print(
                "  the two JSON reports are "
                + ("identical" if same else "different (expected where the analysis changed in between)")
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
