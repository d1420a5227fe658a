"""A model server that accepts requests and never answers: what a rewrite costs, as a ratio of one timeout.

    python benchmarks/hung_server.py                  # 24 items, --timeout 2, default retries and concurrency
    python benchmarks/hung_server.py --timeout 10

The circuit breaker should make the whole run cost about one timeout (ratio near 1), whatever the number
of items, the retries or the concurrency; without it, a run cost timeout x (retries + 1) per wave of
`concurrency` items. Also prints how many requests reached the server and how many of them the client hung
up on (each one it gives up on must be closed, so that a local server stops generating).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from stub_openai import OpenAIStub, Reply  # noqa: E402

from coach.config import Config  # noqa: E402
from coach.llm import DEFAULT_RETRIES, ModelSpec, Secret  # noqa: E402
from coach.llm.session import ModelSession  # noqa: E402
from coach.parse import parse_text  # noqa: E402
from coach.rewrite import rewrite_document  # noqa: E402


def draft(items: int) -> str:
    """Objectives of two direction-only KRs each: every objective and KR gets a rewrite (3 per objective)."""
    lines = ["objectives:"]
    for o in range(max(1, items // 3)):
        lines.append(f"- objective: Make paying us effortless for segment {o}")
        lines.append("  key_results:")
        lines.append(f"  - Improve checkout completion in segment {o}")
        lines.append(f"  - Improve refund speed in segment {o}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=24)
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--retries", type=int, default=DEFAULT_RETRIES)
    args = parser.parse_args(argv)
    doc = parse_text(draft(args.items), "hung.yaml", "yaml")
    with OpenAIStub() as stub:
        stub.respond(Reply.tool_args({"text": "Raise checkout completion from ? to ?", "rationale": "x"}))
        spec = ModelSpec("openai", "stub-model", stub.url, Secret("sk-bench-0123456789"), args.timeout)
        warm_up = parse_text(draft(3), "w.yaml", "yaml")
        rewrite_document(warm_up, Config(), session=ModelSession(spec))  # warm up imports
        stub.reset()
        stub.respond(Reply.hang())
        spec = ModelSpec(
            "openai", "stub-model", stub.url, Secret("sk-bench-0123456789"), args.timeout, args.retries
        )
        start = time.perf_counter()
        report = rewrite_document(doc, Config(), session=ModelSession(spec))
        elapsed = time.perf_counter() - start
        deadline = time.monotonic() + 5
        while stub.hangups < stub.count and time.monotonic() < deadline:
            time.sleep(0.05)
        requests, hangups = stub.count, stub.hangups
    print(
        f"hung server, {len(report.proposals)} items, timeout {args.timeout:g} s, "
        f"{args.retries} retries: {elapsed:.2f} s = {elapsed / args.timeout:.2f}x one timeout"
    )
    print(f"  requests that reached the server: {requests}; connections the client closed: {hangups}")
    reasons = sorted({p.reason or "" for p in report.proposals})
    for reason in reasons:
        count = sum(1 for p in report.proposals if p.reason == reason)
        print(f"  {count:3} x {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
