"""`okrcoach baselines` reports: the proposals as text, JSON and Markdown. The job is
coach.baselines.suggest; the command is coach.cli.baselines."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from coach.report.words import plural

MAX_PROBLEMS_SHOWN = 50  # in text and Markdown; JSON lists them all
_STATUS = {
    "found": "found",
    "ambiguous": "ambiguous",
    "no-data": "no data",
    "already-stated": "already stated",
}


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
    text = f"{plural(len(report.proposals), 'key result')}: {parts}"
    if report.skipped:
        text += f" ({len(report.skipped)} task-like skipped)"
    if report.cycle:
        text += f"; cycle {report.cycle.start} to {report.cycle.end} ({report.cycle_source})"
    problems, files = len(report.metrics.problems), len(report.metrics.files)
    text += f"; {plural(problems, 'row problem')} in {plural(files, 'metrics file')}"
    writable = sum(1 for p in report.proposals if p.rewrite)
    return text + f"; {plural(writable, 'baseline')} can be written with --write"


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


def render_json(report: Any) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"


# --format: name -> renderer, in the order `okrcoach baselines --help` lists them.
FORMATS: dict[str, Callable[[Any], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
