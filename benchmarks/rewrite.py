"""LLM rewrites of many KRs against the loopback stub model: concurrency and cache, as ratios.

    python benchmarks/rewrite.py                    # 200 KRs, 200 ms per answer, concurrency 8
    python benchmarks/rewrite.py --krs 80 --latency 0.1

Prints the cold-cache wall time against the ideal (KRs x latency / concurrency) as a ratio, and the warm
(all cached) run against the cold one.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from stub_openai import OpenAIStub, Reply  # noqa: E402

from coach.config import Config  # noqa: E402
from coach.llm import ModelSpec, Secret  # noqa: E402
from coach.llm.session import ModelSession  # noqa: E402
from coach.parse import parse_text  # noqa: E402
from coach.rewrite import rewrite_document  # noqa: E402


def draft(krs: int) -> str:
    """Objectives of four KRs, each KR direction-only (so every one gets a rewrite)."""
    lines = ["owner: Bench", "objectives:"]
    for o in range(0, krs, 4):
        lines.append("- objective: Make paying us effortless for small businesses so that they stay")
        lines.append("  key_results:")
        lines += [f"  - Improve checkout completion for cohort {o + k}" for k in range(min(4, krs - o))]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--krs", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    doc = parse_text(draft(args.krs), "bench.yaml", "yaml")
    with OpenAIStub() as stub, tempfile.TemporaryDirectory() as cache:
        stub.respond(
            lambda r: Reply.tool_args(
                {"text": "Raise checkout completion from ? to ?", "rationale": "x", "questions": ["today?"]},
                delay=args.latency,
            )
        )
        spec = ModelSpec("openai", "stub-model", stub.url, Secret("sk-bench"), 10.0, 0, "bench")

        def session() -> ModelSession:  # a fresh one per run: the warm run reads the cold run's cache
            return ModelSession(spec, cache_dir=Path(cache), concurrency=args.concurrency)

        start = time.perf_counter()
        cold = rewrite_document(doc, Config(), session=session())
        cold_s = time.perf_counter() - start
        calls = stub.count
        start = time.perf_counter()
        warm = rewrite_document(doc, Config(), session=session())
        warm_s = time.perf_counter() - start
    ideal = calls * args.latency / args.concurrency
    print(
        f"{len(cold.proposals)} rewrites ({calls} model calls, {args.latency * 1000:.0f} ms each, "
        f"concurrency {args.concurrency}):"
    )
    print(
        f"  cold cache: {cold_s:.2f} s; ideal {ideal:.2f} s; ratio {cold_s / ideal:.2f}x "
        f"(serial would be {calls * args.latency:.1f} s)"
    )
    print(
        f"  warm cache: {warm_s:.2f} s, {warm.usage.calls} calls, {warm.usage.cache_hits} cache hits; "
        f"{cold_s / warm_s:.1f}x faster than cold"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
