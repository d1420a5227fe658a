"""Score the per-KR analysis against a labelled set of key results.

    python benchmarks/quality.py ../shared/dev-okrs/dev_okrs.jsonl      # the real published set
    python benchmarks/quality.py tests/data/labelled_krs.jsonl          # the project's own set
    python benchmarks/quality.py FILE --errors task_like                # list the disagreements
    python benchmarks/quality.py FILE --split                           # dev, holdout and the gap
                                                    # (on by default for tests/data/labelled_krs.jsonl)

Prints precision, recall and F1 per label (positive class), macro-F1 over both classes, overall, per
organisation (the `org` field, or `domain` when there is none) and per `family` when records have one, with
the confusion (tp/fp/fn/tn and a few example ids) of the worst families.

`--split` divides the records deterministically: a record whose id hashes to 0 mod 5 (SHA-1) is holdout,
the rest dev. Tune on dev only; the holdout figure and the gap say how much of a gain is general.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coach.analysis import analyse

LABELS = ("task_like", "has_target", "has_baseline")
OWN_SET = "labelled_krs.jsonl"  # the project's own labelled set: scored dev and holdout apart by default

Pair = tuple[bool, bool, str]  # gold, predicted, record id


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(pairs: list[tuple[bool, bool]] | list[Pair]) -> dict[str, float]:
    tp = sum(1 for gold, pred, *_ in pairs if gold and pred)
    fp = sum(1 for gold, pred, *_ in pairs if not gold and pred)
    fn = sum(1 for gold, pred, *_ in pairs if gold and not pred)
    tn = len(pairs) - tp - fp - fn
    p, r, f1 = _prf(tp, fp, fn)
    _, _, f1_neg = _prf(tn, fn, fp)
    accuracy = (tp + tn) / len(pairs) if pairs else 1.0
    return {
        "n": len(pairs),
        "pos": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": p,
        "recall": r,
        "f1": f1,
        "macro_f1": (f1 + f1_neg) / 2,
        "accuracy": accuracy,
    }


def is_holdout(record_id: str) -> bool:
    """The fixed split: one record in five, by the SHA-1 of its id, is held out."""
    return int(hashlib.sha1(record_id.encode()).hexdigest(), 16) % 5 == 0


def _record_id(record: dict[str, Any], index: int) -> str:
    return str(record.get("id", index))


def evaluate(
    records: list[dict[str, Any]], group_field: str, errors: str | None = None
) -> tuple[dict[str, list[Pair]], dict[str, dict[str, list[Pair]]], dict[str, dict[str, list[Pair]]]]:
    """(overall, per group, per family) pairs of (gold, predicted, id) for every label."""
    overall: dict[str, list[Pair]] = defaultdict(list)
    grouped: dict[str, dict[str, list[Pair]]] = defaultdict(lambda: defaultdict(list))
    families: dict[str, dict[str, list[Pair]]] = defaultdict(lambda: defaultdict(list))
    for index, record in enumerate(records):
        analysis = analyse(record["kr"])
        record_id = _record_id(record, index)
        for label in LABELS:
            gold = bool(record["labels"][label])
            pred = bool(getattr(analysis, label))
            pair = (gold, pred, record_id)
            overall[label].append(pair)
            grouped[str(record.get(group_field, "?"))][label].append(pair)
            if "family" in record:
                families[str(record["family"])][label].append(pair)
            if errors == label and gold != pred:
                print(
                    f"gold={gold!s:5} pred={pred!s:5} kind={analysis.kind:12} {record_id:>10} | "
                    f"{record['kr'][:150]}\n{'':>56}reason: {analysis.reason}"
                )
    return overall, grouped, families


def _print_overall(title: str, overall: dict[str, list[Pair]]) -> None:
    print(title)
    print(f"{'label':14} {'n':>5} {'pos':>5} {'prec':>6} {'recall':>6} {'F1':>6} {'macroF1':>8} {'acc':>6}")
    for label in LABELS:
        s = score(overall[label])
        print(
            f"{label:14} {s['n']:5d} {s['pos']:5d} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
            f"{s['macro_f1']:8.3f} {s['accuracy']:6.3f}"
        )


def _print_groups(name: str, groups: dict[str, dict[str, list[Pair]]], measure: str = "macro_f1") -> None:
    title = {"macro_f1": "macro-F1", "accuracy": "accuracy"}.get(measure, measure)
    print(f"\nper {name} ({title} task_like / has_target / has_baseline, n)")
    for group in sorted(groups, key=lambda g: -len(groups[g]["task_like"])):
        cells = [f"{score(groups[group][label])[measure]:.3f}" for label in LABELS]
        print(f"  {group[:48]:48} {' / '.join(cells)}  n={len(groups[group]['task_like'])}")


def _print_worst(families: dict[str, dict[str, list[Pair]]], worst: int = 5, examples: int = 4) -> None:
    """The families with the most disagreements on any label: their confusion and a few example ids."""
    print("\nworst families (label: tp/fp/fn/tn; e.g. wrong ids)")
    errors = {
        family: sum(1 for label in LABELS for gold, pred, _ in pairs[label] if gold != pred)
        for family, pairs in families.items()
    }
    for family in sorted(errors, key=lambda f: -errors[f])[:worst]:
        if not errors[family]:
            break
        print(f"  {family} ({errors[family]} wrong of {len(families[family]['task_like'])})")
        for label in LABELS:
            pairs = families[family][label]
            s = score(pairs)
            wrong = [rid for gold, pred, rid in pairs if gold != pred]
            if wrong:
                shown = ", ".join(wrong[:examples]) + (" …" if len(wrong) > examples else "")
                print(
                    f"    {label:13} tp={s['tp']} fp={s['fp']} fn={s['fn']} tn={s['tn']}  "
                    f"macroF1={s['macro_f1']:.3f}  e.g. {shown}"
                )


def report(
    records: list[dict[str, Any]], title: str, group_field: str, errors: str | None
) -> dict[str, float]:
    overall, grouped, families = evaluate(records, group_field, errors)
    _print_overall(title, overall)
    _print_groups(group_field, grouped)
    if families:
        # a family is mostly one class, where macro-F1 says little: accuracy reads plainly
        _print_groups("family", families, "accuracy")
        _print_worst(families)
    return {label: score(overall[label])["macro_f1"] for label in LABELS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path)
    parser.add_argument("--errors", choices=LABELS, help="print the records where this label disagrees")
    parser.add_argument("--by", default=None, help="group by this field (default: org, else domain)")
    parser.add_argument(
        "--split",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="score dev and holdout (id SHA-1 %% 5 == 0) apart, and the gap (default: on for the project's "
        "own set, tests/data/labelled_krs.jsonl)",
    )
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"{args.path}: no such file", file=sys.stderr)
        return 2
    records = [
        json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    group_field = args.by or ("org" if any("org" in r for r in records) else "domain")
    split = args.split if args.split is not None else args.path.name == OWN_SET
    if not split:
        report(records, f"{args.path.name}: {len(records)} key results", group_field, args.errors)
        return 0
    dev = [r for i, r in enumerate(records) if not is_holdout(_record_id(r, i))]
    holdout = [r for i, r in enumerate(records) if is_holdout(_record_id(r, i))]
    dev_scores = report(dev, f"{args.path.name} dev: {len(dev)} key results", group_field, args.errors)
    print()
    # the holdout's disagreements are never listed: reading them is tuning on them
    held_scores = report(holdout, f"{args.path.name} holdout: {len(holdout)} key results", group_field, None)
    print("\nmacro-F1   dev  holdout  gap (dev - holdout)")
    for label in LABELS:
        gap = dev_scores[label] - held_scores[label]
        print(f"  {label:13} {dev_scores[label]:.3f}  {held_scores[label]:.3f}  {gap:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
