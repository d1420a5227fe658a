"""How well the outcome-metric catalogue is found for a task-like key result: recall@k (goal: recall@3 >=
0.8), printed per method and domain (never asserted).

    python benchmarks/metric_retrieval.py                      # tests/data/task_metrics.jsonl, every method
    python benchmarks/metric_retrieval.py --k 5 --method onnx

A row of the labelled set is a task-like key result, its objective, and the catalogue metrics a coach would
accept as the outcome it should move. A hit is any accepted metric among the k retrieved for "task +
objective". Methods: `rules` (what the rule path proposes, coach.rewrite.candidates: it may propose none,
so it also prints how often it proposes any, how often the rewrite text it writes is an accepted metric,
and its precision), `lexical` (rare shared words with the metric's name and the work that moves it),
`hashing` and `onnx` (the knowledge store's offline embeddings, cosine over name, definition and work).
Rows with no acceptable metric in the catalogue count as misses (the catalogue's gaps, not the ranking's).

The set was written with the catalogue in view, so its wording leans towards the catalogue's and these
figures are optimistic: judge a method on task KRs written apart from it too (those of
tests/data/labelled_krs.jsonl predate the catalogue).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.analysis.similar import tokens  # noqa: E402
from coach.analysis.text import _base  # noqa: E402
from coach.knowledge.embed import EmbeddingUnavailable, select_embedder  # noqa: E402
from coach.knowledge.metrics import Metric, metrics  # noqa: E402
from coach.rewrite.candidates import candidates  # noqa: E402

Ranker = Callable[[str], list[str]]


def _words(text: str) -> set[str]:
    return {_base(word) for word in tokens(text) if len(word) > 2}


def lexical(catalogue: dict[str, Metric]) -> Ranker:
    fields = {
        k: (_words(m.name + " " + " ".join(m.moved_by)), _words(m.definition)) for k, m in catalogue.items()
    }
    frequency = Counter(word for strong, weak in fields.values() for word in strong | weak)
    size = len(fields)

    def rank(query: str) -> list[str]:
        words = _words(query)
        scores = {
            key: sum(
                math.log(size / frequency[w]) * (2 if w in strong else 1)
                for w in words
                if w in strong or w in weak
            )
            for key, (strong, weak) in fields.items()
        }
        return sorted(scores, key=lambda key: -scores[key])

    return rank


def embedded(catalogue: dict[str, Metric], kind: str) -> Ranker:
    embedder = select_embedder(kind).embedder
    keys = list(catalogue)
    matrix = embedder.embed([catalogue[k].text() for k in keys])

    def rank(query: str) -> list[str]:
        scores = matrix @ embedder.embed([query])[0]
        return [keys[i] for i in scores.argsort()[::-1]]

    return rank


def _rules(rows: list[dict[str, object]], catalogue: dict[str, Metric], k: int) -> None:
    started = time.perf_counter()
    hits = proposed = written = written_ok = 0
    by_domain: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        found = candidates(str(row["kr"]), str(row.get("objective", "")), catalogue, k)
        accepted = set(row["metrics"])  # type: ignore[call-overload]
        hit = bool({c.metric.id for c in found if c.metric} & accepted)
        hits += hit
        proposed += bool(found)
        chosen = next((c for c in found if c.confident), None)  # what the rule path writes
        if chosen is not None and chosen.metric is not None:
            written += 1
            written_ok += chosen.metric.id in accepted
        by_domain[str(row["domain"])][0] += hit
        by_domain[str(row["domain"])][1] += 1
    seconds = time.perf_counter() - started
    n = len(rows)
    print(f"  rules    recall@{k} {hits / n:.2f} ({hits}/{n}; goal >= 0.8), {seconds:.1f} s")
    print(
        f"           proposes candidates for {proposed / n:.0%}; "
        f"precision of those {hits / max(proposed, 1):.2f}; "
        f"writes a metric as the rewrite for {written / n:.0%}, an accepted one {written_ok}/{written} = "
        f"{written_ok / max(written, 1):.2f}"
    )
    print("           " + ", ".join(f"{d} {h}/{m}" for d, (h, m) in sorted(by_domain.items())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", nargs="?", type=Path, default=ROOT / "tests" / "data" / "task_metrics.jsonl")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--method", choices=("rules", "lexical", "hashing", "onnx"), action="append")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines() if line.strip()]
    catalogue = metrics()
    print(
        f"{args.path.name}: {len(rows)} task-like key results, {len(catalogue)} catalogue metrics, k={args.k}"
    )
    labelled = sum(bool(row["metrics"]) for row in rows)
    print(f"  rows with an acceptable metric in the catalogue: {labelled} (the most any method can find)")
    for method in args.method or ["rules", "lexical", "hashing", "onnx"]:
        if method == "rules":
            _rules(rows, catalogue, args.k)
            continue
        try:
            started = time.perf_counter()
            rank = lexical(catalogue) if method == "lexical" else embedded(catalogue, method)
        except EmbeddingUnavailable as error:
            print(f"  {method:8} unavailable: {error}")
            continue
        hits, by_domain = 0, defaultdict(lambda: [0, 0])
        for row in rows:
            found = set(rank(f"{row['kr']} {row.get('objective', '')}")[: args.k]) & set(row["metrics"])
            hits += bool(found)
            by_domain[row["domain"]][0] += bool(found)
            by_domain[row["domain"]][1] += 1
        seconds = time.perf_counter() - started
        recall = hits / len(rows)
        print(f"  {method:8} recall@{args.k} {recall:.2f} ({hits}/{len(rows)}; goal >= 0.8), {seconds:.1f} s")
        print("           " + ", ".join(f"{d} {h}/{n}" for d, (h, n) in sorted(by_domain.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
