"""`okrcoach ask` reports (text, Markdown, JSON), and the metric list `okrcoach knowledge search --metrics`
prints. A renderer decides nothing: a result without a written answer is shown as the sources retrieved,
labelled so, with the reason no model answered. Passages and metrics may come from a team's files and the
answer from a model: every string is stripped of control characters (text) or escaped (Markdown)."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

WIDTH = 100
NOT_AN_ANSWER = "retrieved, not a written answer"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _line(text: object) -> str:
    """One line of shown text: no control or bidi characters (no terminal escapes), spaces collapsed."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def _paragraphs(text: str, indent: str) -> list[str]:
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", _CONTROL.sub(lambda m: "\n" if m.group(0) == "\n" else " ", text)):
        for line in paragraph.splitlines():
            if line.strip():
                out += textwrap.wrap(_line(line), WIDTH, initial_indent=indent, subsequent_indent=indent)
        out.append("")
    return out[:-1]


def _metric_facts(metric: Any) -> str:
    return f"{metric.domain}; {metric.direction}; unit: {metric.unit}"


def _source(item: Any) -> str:
    origin = f" (team: {item.path})" if getattr(item, "origin", "shipped") != "shipped" else ""
    return f"{item.source}{origin}"


# -- okrcoach ask ------------------------------------------------------------------------------------------
def _shown(result: Any) -> tuple[list[Any], list[Any]]:
    """The passages and metrics to list: every one retrieved, or with a written answer the ones it cites."""
    if result.answer is None:
        return list(result.passages), list(result.metrics)
    cited = set(result.cited)
    return [p for p in result.passages if p.id in cited], [m for m in result.metrics if m.id in cited]


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(_line(text), WIDTH, initial_indent=" " * 6, subsequent_indent=" " * 6)


def render_text(result: Any) -> str:
    lines = [f"Question: {_line(result.question)}", ""]
    written = result.answer is not None
    if written:
        lines.append(f"Answer ({_line(result.answered_by)}):")
        lines += _paragraphs(result.answer, "  ")
        lines.append("")
    else:
        lines.append(f"{NOT_AN_ANSWER.capitalize()}: {_line(result.reason or 'no model answered')}")
    lines.append(f"found by: {_line(result.retrieval)}")
    if result.retrieval_note:
        lines.append(f"note: {_line(result.retrieval_note)}")
    passages, metrics = _shown(result)
    if passages:
        lines += ["", "Passages cited:" if written else "Passages:"]
    for p in passages:
        lines.append(f"  [{_line(p.id)}] {_line(p.title)} — {_line(_source(p))}")
        if not written:
            lines += _wrapped(result.excerpts.get(p.id, ""))
    if metrics:
        lines += ["", "Metrics cited:" if written else "Metrics:"]
    for m in metrics:
        lines.append(f"  [{_line(m.id)}] {_line(m.name)} — {_line(_metric_facts(m))}")
        if not written:
            lines += _wrapped(m.definition)
        lines.append(f"      source: {_line(_source(m))}")
    if not result.passages and not result.metrics:
        lines += ["", "nothing retrieved: no passage or metric matches the question"]
    shown = {item.id for item in passages + metrics}
    others = [item.id for item in [*result.passages, *result.metrics] if item.id not in shown]
    if others:
        lines += ["", f"also retrieved: {', '.join(_line(i) for i in others)}"]
    return "\n".join(lines) + "\n"


def _md(text: object) -> str:
    """User, team or model text as Markdown that stays text: no structure, links or HTML of its own."""
    out = _line(text).replace("\\", "\\\\")
    for ch in "`*_[]<>|#!()~":
        out = out.replace(ch, "\\" + ch)
    return out


def render_markdown(result: Any) -> str:
    lines = [f"**Question:** {_md(result.question)}", ""]
    written = result.answer is not None
    if written:
        lines += [f"### Answer ({_md(result.answered_by)})", ""]
        for paragraph in re.split(r"\n\s*\n", result.answer):
            if paragraph.strip():
                lines += [_md(paragraph), ""]
    else:
        lines += [f"> _{NOT_AN_ANSWER.capitalize()}_: {_md(result.reason or 'no model answered')}", ""]
    note = f" — {_md(result.retrieval_note)}" if result.retrieval_note else ""
    lines.append(f"Found by: {_md(result.retrieval)}{note}")
    passages, metrics = _shown(result)
    if passages:
        lines += ["", "### Passages cited" if written else "### Passages", ""]
    for p in passages:
        excerpt = "" if written else f"  \n  {_md(result.excerpts.get(p.id, ''))}"
        lines.append(f"- {_md(p.id)}: **{_md(p.title)}** — {_md(_source(p))}{excerpt}")
    if metrics:
        lines += ["", "### Metrics cited" if written else "### Metrics", ""]
    for m in metrics:
        facts, source = _md(_metric_facts(m)), _md(_source(m))
        lines.append(f"- {_md(m.id)}: **{_md(m.name)}** ({facts}): {_md(m.definition)} — {source}")
    return "\n".join(lines) + "\n"


def _passage_row(p: Any, result: Any) -> dict[str, Any]:
    return {**p.citation(), "excerpt": result.excerpts.get(p.id, ""), "score": p.score, "origin": p.origin}


def metric_row(m: Any) -> dict[str, Any]:
    fields = ("id", "name", "domain", "direction", "unit", "definition", "source", "origin", "score")
    return {name: getattr(m, name) for name in fields}


def render_json(result: Any) -> str:
    data = {
        "question": result.question,
        "answered_by": result.answered_by,
        "answer": result.answer,
        "cited": list(result.cited),
        "reason": result.reason,
        "retrieval": {"method": result.retrieval, "note": result.retrieval_note},
        "passages": [_passage_row(p, result) for p in result.passages],
        "metrics": [metric_row(m) for m in result.metrics],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- okrcoach knowledge search --metrics ------------------------------------------------------------------
def render_metrics_text(found: Sequence[Any]) -> str:
    lines = [] if found else ["no metrics found"]
    for m in found:
        lines.append(f"{m.score:6.3f}  {_line(m.id)}  {_line(m.name)}")
        lines.append(f"        {_line(_metric_facts(m))}")
        lines.append(f"        source: {_line(_source(m))}")
    return "\n".join(lines) + "\n"


def render_metrics_json(found: Sequence[Any]) -> str:
    return json.dumps([metric_row(m) for m in found], indent=2, ensure_ascii=False) + "\n"


# --format: name -> renderer, in the order `okrcoach ask --help` lists them.
FORMATS: dict[str, Callable[[Any], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
}
# `okrcoach knowledge search --metrics`: the same names as the passages' SEARCH_FORMATS.
METRIC_FORMATS: dict[str, Callable[[Sequence[Any]], str]] = {
    "text": render_metrics_text,
    "json": render_metrics_json,
}
