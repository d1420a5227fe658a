"""`okrcoach rewrite` reports: the proposals as text or JSON, and as the JSON-ready data `org` reports
reuse. The job is coach.rewrite; the command is coach.cli.rewrite."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from coach.report.usage import usage_dict
from coach.report.words import plural


def proposal_dict(p: Any) -> dict[str, Any]:
    return {
        "target": p.target,
        "kind": p.kind,
        "template": p.template,
        "span": p.span.to_dict(),
        "draft": p.draft,
        "rewrite": p.text,
        "answered_by": p.answered_by,
        "rationale": p.rationale,
        "questions": p.questions,
        "initiative": p.initiative or None,
        "extra_key_results": p.extra_key_results,
        "candidates": [
            {
                "text": c.text,
                "metric": c.metric.id if c.metric else None,
                "why": c.why,
                "sure": c.confident,
            }
            for c in p.candidates
        ],
        "held_back": p.held_back,
        "from_answers": p.from_answers,
        "findings_before": p.before,
        "findings_after": p.after,
        "resolved": p.resolved,
        "model_not_used_because": p.reason,
        "dropped": p.dropped,
        "citations": [c.citation() for c in p.citations],
    }


def report_dict(report: Any) -> dict[str, Any]:
    usage = report.usage
    return {
        "file": report.document.path,
        "model": report.model,
        "note": report.note,
        "proposals": [proposal_dict(p) for p in report.proposals],
        "usage": usage_dict(usage),
    }


def render_text(report: Any) -> str:
    lines: list[str] = []
    for p in report.proposals:
        lines.append(f"{p.span}: {p.target} ({p.kind.replace('_', ' ')}) — answered by {p.answered_by}")
        lines.append(f"  draft:      {p.draft}")
        lines.append(f"  rewrite:    {p.text if p.text else '(none: answer the questions below)'}")
        if p.initiative:
            lines.append(f"  initiative: {p.initiative}")
        for extra in p.extra_key_results:
            lines.append(f"  also a KR:  {extra}")
        for n, c in enumerate(p.candidates, start=1):
            lines.append(f"  option {n}:   {c.text} — {c.why}")
        if p.held_back:
            lines.append(f"  held back:  {p.held_back}")
        if p.from_answers:
            lines.append("  completed:  with your answers")
        if p.resolved:
            lines.append(f"  resolves:   {', '.join(p.resolved)}")
        if p.rationale:
            lines.append(f"  why:        {p.rationale}")
        for question in p.questions:
            lines.append(f"  ask:        {question}")
        for passage in p.citations:
            lines.append(f"  cites:      [{passage.id}] {passage.title} — {passage.source}")
        if p.reason:
            lines.append(f"  note:       model answer not used: {p.reason}")
        lines.append("")
    usage = report.usage
    summary = f"{plural(len(report.proposals), 'proposal')}; {report.note}"
    if usage is not None:
        summary += (
            f"; {plural(usage.calls, 'model call')}, {usage.cache_hits} from cache, {usage.failures} failed; "
            f"tokens {usage.prompt_tokens} in / {usage.completion_tokens} out"
        )
        if usage.stopped:
            summary += (
                f"\nthe model stopped answering ({usage.stopped}): "
                f"{plural(usage.skipped, 'item')} went to the rules without asking it"
            )
    lines.append(summary)
    return "\n".join(lines) + "\n"


def render_json(report: Any) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"


# --format: name -> renderer, in the order `okrcoach rewrite --help` lists them.
FORMATS: dict[str, Callable[[Any], str]] = {"text": render_text, "json": render_json}
