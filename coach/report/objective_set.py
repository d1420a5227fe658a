"""`okrcoach rewrite --set` reports: the objective-set job's observations and proposed set as text,
Markdown or JSON. The job is coach.rewrite.objective_set; the command is coach.cli.rewrite_set."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from coach.report.markdown import _escape
from coach.report.usage import usage_dict
from coach.report.words import plural

_ACTION = {
    "keep": "keep",
    "reword": "reword",
    "merge": "merge",
    "reframe": "reframe (say what it should change)",
}


def report_dict(report: Any) -> dict[str, Any]:
    proposal = report.proposal
    return {
        "file": report.document.path,
        "model": report.model,
        "answered_by": report.answered_by,
        "note": report.note,
        "model_not_used_because": report.reason,
        "dropped": report.dropped,
        "observations": [
            {
                "kind": o.kind,
                "message": o.message,
                "elements": o.elements,
                "passage": o.passage,
                "codes": o.codes,
            }
            for o in report.observations
        ],
        "proposed_set": {
            "objectives": [
                {
                    "id": o.id,
                    "text": o.text,
                    "action": o.action,
                    "merged": o.merged,
                    "key_results": o.key_results,
                    "initiatives": o.initiatives,
                    "moved_in": o.moved_in,
                    "questions": o.questions,
                    "why": o.why,
                }
                for o in proposal.objectives
            ],
            "health_metrics": proposal.health_metrics,
            "dropped_key_results": proposal.dropped_krs,
            "questions": proposal.questions,
            "rationale": proposal.rationale,
        },
        "findings_before": report.before,
        "findings_after": report.after,
        "citations": [c.citation() for c in report.citations],
        "usage": usage_dict(report.usage),
    }


def _summary(report: Any) -> str:
    line = f"{plural(len(report.observations), 'observation')}; {report.note}"
    usage = report.usage
    if usage is not None:
        line += (
            f"; {plural(usage.calls, 'model call')}, {usage.cache_hits} from cache, {usage.failures} failed"
        )
    return line


def render_text(report: Any) -> str:
    proposal = report.proposal
    lines = [f"{report.document.path}: the set of {plural(len(report.document.objectives), 'objective')}", ""]
    lines.append("observations:")
    for o in report.observations:
        lines.append(f"  {o.kind}: {o.message} [{o.passage}]")
    if not report.observations:
        lines.append("  none: the set is focused")
    lines += ["", f"proposed set (answered by {report.answered_by}):"]
    for o in proposal.objectives:
        lines.append(f"  {o.id} — {_ACTION.get(o.action, o.action)}: {o.text}")
        if o.merged:
            lines.append(f"      merges:      {', '.join(o.merged)}")
        if o.key_results:
            lines.append(f"      key results: {', '.join(o.key_results)}")
        if o.moved_in:
            lines.append(f"      moved in:    {', '.join(o.moved_in)}")
        if o.initiatives:
            lines.append(f"      initiatives: {', '.join(o.initiatives)}")
        if o.why:
            lines.append(f"      why:         {o.why}")
        for question in o.questions:
            lines.append(f"      ask:         {question}")
    if proposal.health_metrics:
        lines.append(f"  health metrics, not objectives: {', '.join(proposal.health_metrics)}")
    if proposal.dropped_krs:
        lines.append(f"  key results not kept: {', '.join(proposal.dropped_krs)}")
    for question in proposal.questions:
        lines.append(f"  ask: {question}")
    if proposal.rationale:
        lines.append(f"  why: {proposal.rationale}")
    if report.after is not None:
        lines.append(
            f"  findings: {', '.join(report.before) or 'none'} -> {', '.join(report.after) or 'none'}"
        )
    for passage in report.citations:
        lines.append(f"  cites: [{passage.id}] {passage.title} — {passage.source}")
    if report.reason and report.model:
        lines.append(f"  note: model answer not used: {report.reason}")
    lines += ["", _summary(report)]
    return "\n".join(lines) + "\n"


def render_markdown(report: Any) -> str:
    proposal = report.proposal
    lines = [f"# Objective set — {_escape(report.document.path)}", "", _escape(_summary(report)), ""]
    lines += ["## Observations", ""]
    for o in report.observations:
        lines.append(f"- **{o.kind}**: {_escape(o.message)} — [{o.passage}]")
    if not report.observations:
        lines.append("- none: the set is focused")
    lines += ["", f"## Proposed set (answered by {_escape(report.answered_by)})", ""]
    for o in proposal.objectives:
        lines.append(f"- **{_escape(o.id)}** ({o.action}): {_escape(o.text)}")
        details = [
            ("merges", o.merged),
            ("key results", o.key_results),
            ("moved in", o.moved_in),
            ("initiatives", o.initiatives),
        ]
        for label, ids in details:
            if ids:
                lines.append(f"  - {label}: {_escape(', '.join(ids))}")
        if o.why:
            lines.append(f"  - why: {_escape(o.why)}")
        lines += [f"  - ask: {_escape(q)}" for q in o.questions]
    if proposal.health_metrics:
        lines.append(f"- health metrics, not objectives: {_escape(', '.join(proposal.health_metrics))}")
    if proposal.dropped_krs:
        lines.append(f"- key results not kept: {_escape(', '.join(proposal.dropped_krs))}")
    lines += [f"- ask: {_escape(q)}" for q in proposal.questions]
    if proposal.rationale:
        lines += ["", _escape(proposal.rationale)]
    if report.reason and report.model:
        lines += ["", f"> model answer not used: {_escape(report.reason)}"]
    if report.citations:
        lines += ["", "## Sources", ""]
        lines += [f"- [{p.id}] {_escape(p.title)} — {_escape(p.source)}" for p in report.citations]
    return "\n".join(lines) + "\n"


def render_json(report: Any) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"


# --format: name -> renderer, in the order `okrcoach rewrite --set --help` lists them.
FORMATS: dict[str, Callable[[Any], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
}
