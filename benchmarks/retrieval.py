"""Knowledge retrieval: quality on tests/data/retrieval.jsonl and speed, for each embedding.

    python benchmarks/retrieval.py                  # ONNX and hashing, in a temporary cache
    python benchmarks/retrieval.py --embedding onnx

Prints recall@1/@3/@5 and MRR (a hit is the first expected passage; recall@k also counts any expected
passage), per query kind; the index build time; query latency p50/p95 after load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.knowledge.store import KnowledgeStore, StoreSettings  # noqa: E402

QUERIES = ROOT / "tests" / "data" / "retrieval.jsonl"


def load_queries(path: Path = QUERIES) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(store: KnowledgeStore, queries: list[dict[str, object]], k: int = 5) -> dict[str, object]:
    """recall@1/3/5 (any expected id in the top k), MRR of the first expected id, latencies in ms."""
    hits: dict[int, list[bool]] = defaultdict(list)
    by_kind: dict[str, list[bool]] = defaultdict(list)
    reciprocal: list[float] = []
    latencies: list[float] = []
    misses: list[tuple[str, list[str], list[str]]] = []
    for query in queries:
        expected = [str(e) for e in query["expected"]]  # type: ignore[attr-defined]
        start = time.perf_counter()
        found = [p.id for p in store.retrieve(str(query["query"]), k)]
        latencies.append((time.perf_counter() - start) * 1000)
        for cut in (1, 3, 5):
            hits[cut].append(any(e in found[:cut] for e in expected))
        by_kind[str(query.get("kind", "?"))].append(any(e in found[:3] for e in expected))
        rank = found.index(expected[0]) + 1 if expected[0] in found else 0
        reciprocal.append(1 / rank if rank else 0.0)
        if not hits[3][-1]:
            misses.append((str(query["query"]), expected, found[:3]))
    latencies.sort()
    return {
        "recall": {cut: sum(v) / len(v) for cut, v in hits.items()},
        "recall@3_by_kind": {kind: sum(v) / len(v) for kind, v in by_kind.items()},
        "mrr": statistics.fmean(reciprocal),
        "p50_ms": latencies[len(latencies) // 2],
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1],
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--embedding", choices=("onnx", "hashing", "both"), default="both")
    parser.add_argument("--misses", action="store_true", help="list the queries missed at k=3")
    args = parser.parse_args(argv)
    queries = load_queries()
    kinds = ["onnx", "hashing"] if args.embedding == "both" else [args.embedding]
    for kind in kinds:
        with tempfile.TemporaryDirectory() as cache:
            store = KnowledgeStore(StoreSettings(cache_dir=Path(cache), embedding=kind))
            report = store.build()
            store.retrieve("warm up", 3)
            result = evaluate(store, queries)
        recall = result["recall"]
        print(
            f"{kind} ({store.embedder.id}): {report.passages} passages, {report.chunks} chunks, "
            f"index built in {report.seconds:.2f} s"
        )
        print(
            f"  recall@1 {recall[1]:.3f}  recall@3 {recall[3]:.3f}  recall@5 {recall[5]:.3f}  "  # type: ignore[index]
            f"MRR {result['mrr']:.3f}  on {len(queries)} queries"
        )
        kinds_line = ", ".join(f"{k} {v:.2f}" for k, v in result["recall@3_by_kind"].items())  # type: ignore[attr-defined]
        print(f"  recall@3 by kind: {kinds_line}")
        print(f"  query latency after load: p50 {result['p50_ms']:.2f} ms, p95 {result['p95_ms']:.2f} ms")
        if args.misses:
            for query, expected, found in result["misses"]:  # type: ignore[attr-defined]
                print(f"    miss: {query!r} expected {expected} got {found}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
