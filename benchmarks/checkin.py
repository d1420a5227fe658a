"""Speed of the check-in job, printed as figures and ratios (never asserted in tests).

    python benchmarks/checkin.py                 # 5,000 generated KRs, ~12 check-ins each
    python benchmarks/checkin.py --krs 1000      # a quicker run

Measures, on one core, the best of --repeat runs (the machine may be busy):
1. reading the history CSV alone with the standard csv module (the floor: no dates, no numbers, no ids);
2. read_history (parse, validate and sort every row), kr_states, checkin_pack (states and questions)
   and the Markdown rendering;
and prints key results per second for parse + pack + render, and the ratio to reading the CSV alone.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.checkin.history import read_history  # noqa: E402
from coach.checkin.pack import checkin_pack  # noqa: E402
from coach.checkin.state import kr_states  # noqa: E402
from coach.dates import Cycle  # noqa: E402
from coach.model import Document, KeyResult, Objective, Span  # noqa: E402
from coach.report.checkin import render_pack_markdown  # noqa: E402

CYCLE = Cycle(date(2026, 1, 1), date(2026, 3, 31))
NOW = date(2026, 3, 27)
METRICS = ["checkout completion", "trial-to-paid conversion", "weekly active teams", "invoices paid on time"]


def _kr_text(index: int, rng: random.Random) -> tuple[str, str]:
    """A key result's text and the shape of its numbers: up, down, task, keep, none."""
    shape = rng.choices(["up", "down", "task", "keep", "none"], weights=[5, 2, 1, 1, 1])[0]
    metric = f"{rng.choice(METRICS)} in region {index}"
    if shape == "up":
        start = rng.randint(10, 60)
        return f"Raise {metric} from {start}% to {start + rng.randint(5, 30)}%", shape
    if shape == "down":
        start = rng.randint(800, 3000)
        return f"Cut p95 load time of page {index} from {start} ms to {start // 2} ms", shape
    if shape == "task":
        return f"Launch self-serve reminders for segment {index}", shape
    if shape == "keep":
        return f"Keep payment disputes in region {index} below 0.{rng.randint(2, 5)}% of payments", shape
    return f"Improve customer satisfaction with invoicing in region {index}", shape


def build(krs: int, folder: Path, seed: int = 7) -> tuple[Document, Path]:
    rng = random.Random(seed)
    doc = Document(path="bench.yaml", format="yaml", team="Bench", period="2026-Q1")
    shapes: dict[str, str] = {}
    objective: Objective | None = None
    for index in range(krs):
        if index % 4 == 0:
            objective = Objective(
                f"O{index // 4 + 1}", f"Customers in market {index} get paid faster", Span("b")
            )
            doc.objectives.append(objective)
        assert objective is not None
        text, shape = _kr_text(index, rng)
        kr = KeyResult(f"{objective.id}.KR{len(objective.key_results) + 1}", text, Span("b", index + 1))
        objective.key_results.append(kr)
        shapes[kr.id] = shape
    path = folder / "history.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "kr_id", "value", "confidence", "comment"])
        for kr_id, shape in shapes.items():
            value = rng.uniform(10, 60) if shape != "down" else rng.uniform(800, 3000)
            confidence = rng.randint(4, 9)
            for week in range(rng.randint(10, 14)):
                day = CYCLE.start + timedelta(days=7 * week + rng.randint(0, 2))
                value *= 1 + rng.uniform(-0.02, 0.05) * (-1 if shape == "down" else 1)
                confidence = max(1, min(10, confidence + rng.choice([-1, 0, 0, 1])))
                if shape == "task":
                    cell = "done" if week > 9 else "in progress"
                elif shape == "keep":
                    cell = f"{rng.uniform(0.1, 0.4):.2f}%"
                else:
                    cell = f"{value:.1f}" + ("%" if shape in {"up", "none"} else " ms")
                note = "waiting on platform, see ticket" if rng.random() < 0.1 else ""
                writer.writerow([day.isoformat(), kr_id, cell, f"{confidence}/10", note])
    return doc, path


def best_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--krs", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        doc, path = build(args.krs, Path(folder))
        size = path.stat().st_size

        def csv_alone() -> int:
            with path.open(encoding="utf-8", newline="") as handle:
                return sum(1 for _ in csv.reader(handle))

        t_csv, rows = best_time(csv_alone, args.repeat)
        t_parse, history = best_time(lambda: read_history(path, doc, CYCLE, now=NOW), args.repeat)
        t_state, _ = best_time(lambda: kr_states(doc, history, CYCLE, NOW), args.repeat)
        t_pack, pack = best_time(lambda: checkin_pack(doc, history, CYCLE, NOW), args.repeat)
        t_render, text = best_time(lambda: render_pack_markdown(pack), args.repeat)
    total = t_parse + t_pack + t_render
    print(
        f"{args.krs:,} key results, {rows - 1:,} check-in rows ({size / 1e6:.1f} MB), best of {args.repeat}"
    )
    print(f"  csv module alone           {t_csv * 1000:8.1f} ms")
    kept = f"{history.kept:,} kept, {history.skipped:,} skipped"
    print(f"  read_history (parse)       {t_parse * 1000:8.1f} ms   {kept}")
    print(f"  kr_states                  {t_state * 1000:8.1f} ms")
    print(f"  checkin_pack (states + Qs) {t_pack * 1000:8.1f} ms   {len(pack.attention):,} need attention")
    print(f"  Markdown                   {t_render * 1000:8.1f} ms   {len(text) / 1e6:.1f} MB")
    print(f"  parse + pack + render      {total * 1000:8.1f} ms   {args.krs / total:,.0f} KR/s")
    print(f"  ratio to the csv module alone: {total / t_csv:.1f}x (parse alone {t_parse / t_csv:.1f}x)")


if __name__ == "__main__":
    main()
