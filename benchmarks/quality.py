"""Score the per-KR analysis against a labelled set of key results.

    python benchmarks/quality.py ../shared/dev-okrs/dev_okrs.jsonl      # the real published set
    python benchmarks/quality.py tests/data/labelled_krs.jsonl          # the project's own set
    python benchmarks/quality.py FILE --errors task_like                # list the disagreements

Prints precision, recall and F1 per label (positive class), macro-F1 over both classes, overall and per
organisation (the `org` field, or `domain` when there is none).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coach.analysis import analyse

LABELS = ("task_like", "has_target", "has_baseline")


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    tp = sum(1 for gold, pred in pairs if gold and pred)
    fp = sum(1 for gold, pred in pairs if not gold and pred)
    fn = sum(1 for gold, pred in pairs if gold and not pred)
    tn = len(pairs) - tp - fp - fn
    p, r, f1 = _prf(tp, fp, fn)
    _, _, f1_neg = _prf(tn, fn, fp)
    accuracy = (tp + tn) / len(pairs) if pairs else 1.0
    return {
        "n": len(pairs),
        "pos": tp + fn,
        "precision": p,
        "recall": r,
        "f1": f1,
        "macro_f1": (f1 + f1_neg) / 2,
        "accuracy": accuracy,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path)
    parser.add_argument("--errors", choices=LABELS, help="print the records where this label disagrees")
    parser.add_argument("--by", default=None, help="group by this field (default: org, else domain)")
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"{args.path}: no such file", file=sys.stderr)
        return 2
    records = [
        json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    group_field = args.by or ("org" if any("org" in r for r in records) else "domain")
    overall: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    grouped: dict[str, dict[str, list[tuple[bool, bool]]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        analysis = analyse(record["kr"])
        for label in LABELS:
            gold = bool(record["labels"][label])
            pred = bool(getattr(analysis, label))
            overall[label].append((gold, pred))
            grouped[str(record.get(group_field, "?"))][label].append((gold, pred))
            if args.errors == label and gold != pred:
                print(f"gold={gold!s:5} pred={pred!s:5} kind={analysis.kind:12} | {record['kr'][:150]}")
    print(f"{args.path.name}: {len(records)} key results")
    print(f"{'label':14} {'n':>5} {'pos':>5} {'prec':>6} {'recall':>6} {'F1':>6} {'macroF1':>8} {'acc':>6}")
    for label in LABELS:
        s = score(overall[label])
        print(
            f"{label:14} {s['n']:5d} {s['pos']:5d} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
            f"{s['macro_f1']:8.3f} {s['accuracy']:6.3f}"
        )
    print(f"\nper {group_field} (macro-F1 task_like / has_target / has_baseline, n)")
    for group in sorted(grouped, key=lambda g: -len(grouped[g]["task_like"])):
        cells = [f"{score(grouped[group][label])['macro_f1']:.3f}" for label in LABELS]
        print(f"  {group[:48]:48} {' / '.join(cells)}  n={len(grouped[group]['task_like'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
