"""What the rule path's rewrites (no model) do to real key results, printed as shares (never asserted).

    python benchmarks/rewrite_quality.py ../shared/dev-okrs/dev_okrs.jsonl
    python benchmarks/rewrite_quality.py tests/data/labelled_krs.jsonl

Each key result is rewritten as a one-objective draft under its own objective, with no model. It prints how
many key results have findings a rule can fix, how many get a rewrite text and why the others do not (the
rules have no text for them, or the never-worse check held the text back because, its ? answered, it would
add a finding or resolve none). For every rewrite offered, it prints the share that
- adds a finding the draft did not have once its ? are answered (goal <= 1%; a ? is a question the rewrite
  asks, with the question that finds it, not a defect),
- resolves at least one of the draft's findings (goal >= 95%),
- still holds scaffold text ("[the number that shows ...]") (goal: none),
and, for the key results labelled task-like, the share whose rewrite is itself an outcome KR (goal >= 75%),
and how (a catalogue metric the rules are sure of, the objective's own measure, or another rule's rewrite),
with the seconds for the whole set and per 1,000 key results (goal <= 5 s).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.analysis import analyse  # noqa: E402
from coach.config import Config  # noqa: E402
from coach.model import Document, KeyResult, Objective, Span  # noqa: E402
from coach.rewrite import RULES, rewrite_document  # noqa: E402
from coach.rewrite.slots import probes  # noqa: E402


def _document(row: dict[str, object], index: int) -> Document:
    span = Span("bench.yaml", 2)
    kr = KeyResult("kr1", str(row["kr"]), Span("bench.yaml", 3), owner="Sam")
    objective = Objective("o1", str(row.get("objective") or "Objective"), span, owner="Sam", key_results=[kr])
    return Document(f"row-{index}.yaml", "yaml", [objective], team=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path, help="a JSON-lines file of labelled key results (kr, objective)")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines() if line.strip()]
    config = Config()
    offered = adds = resolves = scaffold = fixable = 0
    added: dict[str, int] = {}
    held: dict[str, int] = {}
    task_like = task_outcome = 0
    how: dict[str, int] = {}
    started = time.perf_counter()
    for index, row in enumerate(rows):
        report = rewrite_document(_document(row, index), config)
        kr_proposals = [p for p in report.proposals if p.kind == "key_result" and p.answered_by == RULES]
        labelled_task = bool((row.get("labels") or {}).get("task_like"))
        task_like += labelled_task
        for proposal in kr_proposals:
            fixable += 1
            if not proposal.text:
                if labelled_task and proposal.candidates:
                    how["choices only"] = how.get("choices only", 0) + 1
                why = proposal.held_back or "the rules have no text (questions only)"
                why = "would add a finding" if why.startswith("the rewrite would add") else why
                held[why] = held.get(why, 0) + 1
                continue
            offered += 1
            new = set(proposal.after) - set(proposal.before)
            adds += bool(new)
            for code in new:
                added[code] = added.get(code, 0) + 1
            resolves += bool(proposal.resolved)
            scaffold += "[the number" in proposal.text or "[a number" in proposal.text
            if labelled_task and not analyse(next(probes(proposal.text))).task_like:
                task_outcome += 1
                chosen = next((c for c in proposal.candidates if c.text == proposal.text), None)
                way = (
                    "a catalogue metric"
                    if chosen is not None and chosen.metric is not None
                    else "the objective's own measure"
                    if chosen is not None
                    else "another rule's rewrite (not read as a task)"
                )
                how[way] = how.get(way, 0) + 1
    seconds = time.perf_counter() - started
    share = lambda part, whole: f"{part / whole:.1%}" if whole else "n/a"  # noqa: E731
    print(f"{args.path.name}: {len(rows)} key results, {fixable} with findings a rule can fix")
    print(f"  rewrite text offered:       {offered:5} = {share(offered, fixable):>6}; not offered:")
    for why, n in sorted(held.items(), key=lambda kv: -kv[1]):
        print(f"    {why}: {n}")
    print(f"  add a finding:              {adds:5} = {share(adds, offered):>6} (goal <= 1%)")
    common = ", ".join(f"{code} {n}" for code, n in sorted(added.items(), key=lambda kv: -kv[1])[:6])
    print(f"    the findings added, most common first: {common or 'none'}")
    print(f"  resolve at least one:       {resolves:5} = {share(resolves, offered):>6} (goal >= 95%)")
    print(f"  hold scaffold text:         {scaffold:5} = {share(scaffold, offered):>6} (goal: none)")
    print(
        f"  task-like drafts rewritten as an outcome KR: {task_outcome} of {task_like} = "
        f"{share(task_outcome, task_like)} (goal >= 75%): "
        + ", ".join(
            f"{n} by {way}" for way, n in sorted(how.items(), key=lambda kv: -kv[1]) if way != "choices only"
        )
        + f"; outcome candidates offered as choices, no text: {how.get('choices only', 0)}"
    )
    print(f"  {seconds:.1f} s in all, {seconds / max(len(rows), 1) * 1000:.2f} s per 1,000 KRs (goal <= 5 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
