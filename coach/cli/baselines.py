"""`okrcoach baselines`: argument handling, printing and writing back. The job itself is in
coach.baselines.suggest.

okrcoach baselines draft.yaml --metrics metrics.csv           # a proposed baseline per key result
okrcoach baselines draft.yaml --metrics metrics.csv --write   # write the found ones in (atomic, .bak)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date
from typing import Any

from coach.model import InputError

MAX_PROBLEMS_SHOWN = 50  # in text and Markdown; JSON lists them all
_STATUS = {
    "found": "found",
    "ambiguous": "ambiguous",
    "no-data": "no data",
    "already-stated": "already stated",
}


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
    bl.add_argument("--format", "-f", choices=("text", "json", "markdown"), default="text")
    bl.add_argument("--config", metavar="FILE", help="use this config file instead of searching for one")
    bl.add_argument("--no-config", action="store_true", help="ignore config files; use the defaults")
    bl.add_argument(
        "--embedding", choices=("auto", "onnx", "hashing"), help="for matching names (default auto)"
    )
    bl.add_argument("--input-format", choices=("yaml", "markdown", "csv", "json"))


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
    day_first = config.baselines.get("day-first", True)
    if not isinstance(day_first, bool):
        raise InputError(config.source or "[baselines]", "[baselines] day-first must be true or false")
    metrics = load_all(args.metrics, day_first=day_first)
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
    if args.format == "json":
        sys.stdout.write(json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(report))
    else:
        sys.stdout.write(render_text(report))
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
        print(f"wrote {count} baseline(s) into {args.path} (previous version in {backup})", file=out)
    else:
        print("nothing written: no baseline was found in the data for a key result that lacks one", file=out)
    if open_:
        print(f"{open_} key result(s) still need a baseline: ask the people named above", file=out)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def report_dict(report: Any) -> dict[str, Any]:
    """Everything, as JSON-ready data."""
    proposals = []
    for p in report.proposals:
        item = _jsonable(dataclasses.asdict(p))
        item["provenance_text"] = str(p.provenance) if p.provenance else None
        proposals.append(item)
    return {
        "file": report.document.path,
        "metrics": list(report.metrics.files),
        "shapes": dict(report.metrics.shapes),
        "rows": report.metrics.rows,
        "cycle": None
        if report.cycle is None
        else {"start": report.cycle.start.isoformat(), "end": report.cycle.end.isoformat()},
        "cycle_source": report.cycle_source,
        "method": report.method,
        "window": report.window,
        "embedding": report.embedding,
        "note": report.note,
        "counts": report.counts(),
        "skipped": list(report.skipped),
        "proposals": proposals,
        "problems": [dataclasses.asdict(problem) for problem in report.metrics.problems],
        "series": {
            name: {"unit": s.unit, "team": s.team, "points": len(s.points)}
            for name, s in report.metrics.series.items()
        },
    }


def _match_text(p: Any) -> str:
    c = p.match
    return f"{c.series} ({c.method} match, confidence {c.confidence:.2f})" if c else ""


def _trend_text(p: Any) -> str | None:
    t = p.trend
    if t is None:
        return None
    change = f", {t.change_pct:+.1f}%" if t.change_pct is not None else ""
    return (
        f"{t.slope_text(p.unit)} over {t.points} values from {t.since} to {t.until}{change}; "
        f"at that pace {t.projection_text(p.unit)} by {t.projected_to}"
    )


def _proposal_lines(p: Any) -> list[str]:
    lines = [f"{p.span}: {p.kr_id}  {p.kr_text}"]
    status = _STATUS[p.status]
    if p.status == "ambiguous":
        options = " or ".join(f"{c.series} ({c.method}, {c.confidence:.2f})" for c in p.candidates[:2])
        status += f": {options}"
    elif p.match is not None:
        status += f": {_match_text(p)}"
    if p.finding and p.status in {"no-data", "ambiguous"}:
        status += f" ({p.finding} stays)"
    lines.append(f"  status:    {status}")
    if p.value_text is not None:
        label = "data says:" if p.status == "already-stated" else "baseline: "
        lines.append(f"  {label} {p.value_text} ({p.provenance})")
    trend = _trend_text(p)
    if trend:
        lines.append(f"  trend:     {trend}")
    lines += [f"  check:     {check}" for check in p.checks]
    lines += [f"  note:      {note}" for note in p.notes]
    if p.rewrite:
        lines.append(f"  rewrite:   {p.rewrite}")
    if p.question:
        lines.append(f"  question:  {p.question}")
        lines.append(f"  ask:       {p.ask or 'nobody is named as owner'}")
    lines.append(f"  cites:     [{p.citation}]")
    return lines


def _summary(report: Any) -> str:
    counts = report.counts()
    parts = ", ".join(f"{n} {_STATUS[s]}" for s, n in counts.items())
    text = f"{len(report.proposals)} key results: {parts}"
    if report.skipped:
        text += f" ({len(report.skipped)} task-like skipped)"
    if report.cycle:
        text += f"; cycle {report.cycle.start} to {report.cycle.end} ({report.cycle_source})"
    problems, files = len(report.metrics.problems), len(report.metrics.files)
    text += f"; {problems} row problem(s) in {files} metrics file(s)"
    writable = sum(1 for p in report.proposals if p.rewrite)
    return text + f"; {writable} baseline(s) can be written with --write"


def _problem_lines(report: Any) -> list[str]:
    problems = report.metrics.problems
    shown = [str(problem) for problem in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        shown.append(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more (--format json lists them all)")
    return shown


def render_text(report: Any) -> str:
    lines: list[str] = []
    if report.note:
        lines += [f"note: {report.note}", ""]
    for p in report.proposals:
        lines += [*_proposal_lines(p), ""]
    if report.metrics.problems:
        lines += ["metrics file problems:", *(f"  {line}" for line in _problem_lines(report)), ""]
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Any) -> str:
    lines = [f"## Baselines for `{report.document.path}`", ""]
    if report.note:
        lines += [f"> {report.note}", ""]
    lines += ["| Key result | Status | Baseline | Where it comes from | Checks |", "|---|---|---|---|---|"]
    for p in report.proposals:
        where = str(p.provenance) if p.provenance else (p.question or "")
        checks = "; ".join(p.checks) if p.checks else ""
        row = [f"**{p.kr_id}** {p.kr_text}", _STATUS[p.status], p.value_text or "", where, checks]
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    questions = [p for p in report.proposals if p.question]
    if questions:
        lines += ["", "### Questions to ask", ""]
        lines += [f"- **{p.kr_id}** ({p.ask or 'no owner named'}): {p.question}" for p in questions]
    rewrites = [p for p in report.proposals if p.rewrite]
    if rewrites:
        lines += ["", "### With the baselines written in", ""]
        lines += [f"- **{p.kr_id}** {p.rewrite}" for p in rewrites]
    if report.metrics.problems:
        lines += ["", "<details><summary>Metrics file problems</summary>", ""]
        lines += [f"- `{line}`" for line in _problem_lines(report)]
        lines += ["", "</details>"]
    lines += ["", _summary(report)]
    return "\n".join(lines) + "\n"
