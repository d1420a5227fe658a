"""`okrcoach baselines`: argument handling, printing and writing back. The job itself is in
coach.baselines.suggest, the renderers in coach.report.baselines.

okrcoach baselines draft.yaml --metrics metrics.csv           # a proposed baseline per key result
okrcoach baselines draft.yaml --metrics metrics.csv --write   # write the found ones in (atomic, .bak)
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from coach.cli.options import add_config, add_embedding, add_format, add_input_format
from coach.model import InputError
from coach.report.baselines import FORMATS
from coach.report.words import plural


def add_parser(sub: Any) -> None:
    bl = sub.add_parser(
        "baselines", help="propose each key result's baseline from the team's metrics exports"
    )
    bl.add_argument("path", help="one draft file; '-' reads stdin (needs --input-format)")
    bl.add_argument(
        "--metrics",
        metavar="FILE",
        action="append",
        required=True,
        help="a CSV export of dated values (long: date,metric,value; wide: a column per metric); repeatable",
    )
    bl.add_argument(
        "--cycle-start", metavar="DATE", help="the cycle's first day (default: [cycle] or the period)"
    )
    bl.add_argument("--cycle-end", metavar="DATE", help="the cycle's last day")
    bl.add_argument(
        "--method", choices=("last", "mean"), help="last value before the start (default), or a mean"
    )
    bl.add_argument(
        "--window", type=int, metavar="N", help="with --method mean: the last N values (default 4)"
    )
    bl.add_argument(
        "--write", action="store_true", help="write the found baselines into the draft (.bak kept)"
    )
    add_format(bl, FORMATS, default="text")
    add_config(bl)
    add_embedding(bl, "for matching names (default auto)")
    add_input_format(bl)
    bl.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coach.baselines.metrics import load_all
    from coach.baselines.suggest import suggest_baselines
    from coach.config import config_for_input
    from coach.dates import DateError, resolve_cycle
    from coach.parse import load

    if args.write and args.path == "-":
        raise InputError("<stdin>", "--write needs a file, not stdin")
    if args.window is not None and args.window < 1:
        raise InputError("--window", "--window must be 1 or more")
    doc = load(args.path, args.input_format)
    config = config_for_input(args.path, config_file=args.config, no_config=args.no_config)
    metrics = load_all(args.metrics, day_first=config.baseline_settings.day_first)  # checked when read
    cycle, source = None, "given"
    if args.cycle_start or args.cycle_end:
        start = args.cycle_start or config.cycle.get("start")
        end = args.cycle_end or config.cycle.get("end")
        try:
            cycle = resolve_cycle(start, end, None)
        except DateError as exc:
            raise InputError("--cycle-start" if args.cycle_start else "--cycle-end", str(exc)) from None
        source = "--cycle-start/--cycle-end"
    report = suggest_baselines(
        doc,
        metrics,
        config,
        cycle=cycle,
        method=args.method,
        window=args.window,
        embedding=args.embedding,
        cycle_source=source,
    )
    sys.stdout.write(FORMATS[args.format](report))
    if args.write:
        _write(report, args)
    return 0


def _write(report: Any, args: argparse.Namespace) -> None:
    from coach.baselines.suggest import write_baselines
    from coach.parse import detect_format

    out = sys.stderr if args.format == "json" else sys.stdout
    fmt = args.input_format or detect_format(args.path) or "yaml"
    count, backup = write_baselines(report, args.path, fmt)
    open_ = sum(1 for p in report.proposals if p.status in {"no-data", "ambiguous"})
    if count:
        print(f"wrote {plural(count, 'baseline')} into {args.path} (previous version in {backup})", file=out)
    else:
        print("nothing written: no baseline was found in the data for a key result that lacks one", file=out)
    if open_:
        print(
            f"{plural(open_, 'key result')} still {'needs' if open_ == 1 else 'need'} a baseline: "
            "ask the people named above",
            file=out,
        )
