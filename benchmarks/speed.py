"""Speed of the rule path, printed as figures and ratios (never asserted in tests).

    python benchmarks/speed.py                 # 100,000 generated KRs, cold start, the lot
    python benchmarks/speed.py --krs 20000     # a quicker run

Measures, on one core:
1. rule review of N generated key results (25% objectives of 4 KRs) — KRs per second, first pass (every
   text analysed) and second pass (analysis cache warm, as when a draft is re-reviewed while editing);
2. the same texts through one precompiled regex pass (a naive single-pattern linter), and the ratio;
3. `okrcoach review examples/team-draft.yaml` cold start against `python -c pass`, median of several runs.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach import engine  # noqa: E402
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


def cold_start(runs: int) -> tuple[float, float]:
    example = ROOT / "examples" / "team-draft.yaml"
    base_cmd = [sys.executable, "-c", "pass"]
    cli_cmd = [sys.executable, "-m", "coach.cli", "review", str(example), "--no-config"]
    base, cli = [], []
    for _ in range(runs):
        base.append(time_call(subprocess.run, base_cmd))
        cli.append(time_call(lambda cmd: subprocess.run(cmd, capture_output=True, cwd=ROOT), cli_cmd))
    return statistics.median(base), statistics.median(cli)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--krs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7, help="cold-start runs")
    args = parser.parse_args(argv)

    texts = generate(args.krs)
    unique = len(set(texts))
    regex_s = time_call(lambda ts: [NAIVE.search(t) for t in ts], texts)
    doc = build_document(texts)
    engine._cached_analysis.cache_clear()
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
    base, cli = cold_start(args.runs)
    print(
        f"cold start: okrcoach review examples/team-draft.yaml {cli * 1000:.0f} ms vs python -c pass "
        f"{base * 1000:.0f} ms = {cli / base:.1f}x (goal <= 4x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
