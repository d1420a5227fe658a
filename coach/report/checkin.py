"""Renderers for the check-in pack (Markdown, text, JSON) and the end-of-cycle scorecard (text, Markdown,
JSON).

Who wrote each key result's questions (the model, by label, or the rules, and why) is said wherever a model
was configured; without one the Markdown is the rules' pack as it always was, and the JSON carries the note
and each key result's `answered_by` beside its usual keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from coach.checkin.result import RULES, CheckinPack, PackItem
from coach.checkin.scoring import Scorecard
from coach.dates import long_date
from coach.knowledge import Passage, passages
from coach.report.usage import usage_dict
from coach.report.words import plural

PACK_SCHEMA = "okrcoach.checkin-pack/1"
SCORE_SCHEMA = "okrcoach.scorecard/1"


def _team(doc: Any) -> str:
    return str(doc.team or Path(doc.path).stem)


def _md(text: str) -> str:
    """User text inside Markdown: keep it from turning into markup."""
    return " ".join(str(text).split()).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


# -- the check-in pack -------------------------------------------------------------------------------------
def render_pack_markdown(pack: CheckinPack) -> str:
    doc, cycle = pack.document, pack.cycle
    elapsed = min(max((pack.date - cycle.start).days, 0), cycle.days)
    period = f"{doc.period}: " if doc.period else ""
    lines = [
        f"# Check-in questions — {_md(_team(doc))}, {long_date(pack.date)}",
        "",
        f"Cycle {period}{cycle.start} to {cycle.end}, day {elapsed} of {cycle.days} "
        f"({round(cycle.elapsed(pack.date) * 100)}% gone). Check-ins from `{pack.history_path}`: "
        f"{plural(pack.rows, 'row')}, {pack.kept} used, {pack.rows - pack.kept} not used.",
        "",
        *_outside_the_cycle(pack),
        _summary(pack),
        "",
        *([f"_{_md(_sentence(pack.note))}_", ""] if pack.model_asked else []),
    ]
    for number, item in enumerate(pack.items, 1):
        lines += _pack_item(number, item, pack.model_asked)
    if pack.problems:
        lines += ["## Rows not used", ""]
        lines += [
            f"- `{pack.history_path}:{p.line}` {'skipped' if p.skipped else 'note'}: {_md(p.message)}"
            for p in pack.problems
        ]
        lines.append("")
    lines += _sources(pack.citations())
    return "\n".join(lines).rstrip("\n") + "\n"


def _outside_the_cycle(pack: CheckinPack) -> list[str]:
    note = pack.cycle_note
    if note is None:
        return []
    if pack.cycle_status == "ended":
        advice = "The questions look back on a finished cycle; `okrcoach score` gives its scorecard."
    else:
        advice = "Check-ins dated outside the cycle are not used."
    return [f"**{note}**. {advice}", ""]


def _summary(pack: CheckinPack) -> str:
    attention = pack.attention
    total = len(pack.items)
    counts: dict[str, int] = {}
    for item in pack.items:
        counts[item.state.status] = counts.get(item.state.status, 0) + 1
    order = ("behind", "open", "no-data", "no-target", "no-baseline", "on-track", "ahead", "done")
    label = {
        "no-data": "without check-ins",
        "no-target": "without a target",
        "no-baseline": "without a baseline",
        "open": "tasks not done",
    }
    spread = ", ".join(f"{counts[s]} {label.get(s, s.replace('-', ' '))}" for s in order if s in counts)
    if not attention:
        return f"**None of the {plural(total, 'key result')} needs attention** ({spread})."
    named = "; ".join(
        f"{item.state.kr_id} ({', '.join(item.headline.split('; ')[:2])})" for item in attention
    )
    noun = "key result needs" if len(attention) == 1 else "key results need"
    return f"**{len(attention)} of {total} {noun} attention**: {named}. ({spread}.)"


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


def _who(item: PackItem) -> str:
    """Who wrote the item's questions, in a sentence (the reason when the rules did although a model was
    asked)."""
    if item.answered_by != RULES:
        return f"Questions from {item.answered_by}."
    if item.reason:
        return f"Questions from the rules: {item.reason}."
    return "Questions from the rules."


def _pack_item(number: int, item: PackItem, model_asked: bool = False) -> list[str]:
    state = item.state
    owner = f" · owner {_md(state.owner)}" if state.owner else ""
    lines = [
        f"## {number}. {state.kr_id} — {_md(state.text)}",
        "",
        f"**{item.headline[0].upper()}{item.headline[1:]}**{owner} · objective {state.objective_id}: "
        f"{_md(state.objective)}",
        "",
    ]
    lines += [f"- {_md(fact)}" for fact in item.facts]
    if model_asked:
        lines += ["", f"_{_md(_who(item))}_"]
        if item.summary:
            lines += ["", f"> {_md(item.summary)}"]
    lines += ["", "Ask:", ""]
    for index, question in enumerate(item.questions, 1):
        lines.append(f"{index}. {_md(question.text)}")
        because = f"_Because_ {'; '.join(_md(f) for f in question.facts)}. " if question.facts else ""
        lines.append(f"   {because}[{question.passage}]")
    lines.append("")
    return lines


def _sources(cited: Iterable[Passage]) -> list[str]:
    lines = ["## Sources cited", ""]
    lines += [f"- **[{p.id}]** {p.title} — {p.source}" for p in cited]
    return [*lines, ""]


def pack_dict(pack: CheckinPack) -> dict[str, Any]:
    doc, cycle = pack.document, pack.cycle
    return {
        "schema": PACK_SCHEMA,
        "file": doc.path,
        "team": doc.team,
        "period": doc.period,
        "date": pack.date.isoformat(),
        "cycle": {
            "start": cycle.start.isoformat(),
            "end": cycle.end.isoformat(),
            "elapsed": round(cycle.elapsed(pack.date), 3),
            "status": pack.cycle_status,
            "note": pack.cycle_note,
        },
        "history": {
            "file": pack.history_path,
            "rows": pack.rows,
            "used": pack.kept,
            "unknown_ids": pack.unknown_ids,
            "problems": [p.to_dict() for p in pack.problems],
        },
        "answered_by": pack.answered_by,
        "model": pack.model,
        "note": pack.note,
        "usage": usage_dict(pack.usage),
        "summary": {
            "key_results": len(pack.items),
            "need_attention": [item.state.kr_id for item in pack.attention],
        },
        "key_results": [
            {
                **item.state.to_dict(),
                "headline": item.headline,
                "facts": item.facts,
                "questions": [q.to_dict() for q in item.questions],
                "answered_by": item.answered_by,
                "model_not_used_because": item.reason,
                "model_summary": item.summary or None,
            }
            for item in pack.items
        ],
        "citations": [p.citation() for p in pack.citations()],
    }


def render_pack_json(pack: CheckinPack) -> str:
    return json.dumps(pack_dict(pack), indent=2, ensure_ascii=False) + "\n"


def render_pack_text(pack: CheckinPack) -> str:
    """The pack as plain text: the same facts and questions as the Markdown, and who answered each."""
    doc, cycle = pack.document, pack.cycle
    elapsed = min(max((pack.date - cycle.start).days, 0), cycle.days)
    period = f"{doc.period}: " if doc.period else ""
    summary = _summary(pack).replace("**", "")
    lines = [
        f"Check-in questions — {_team(doc)}, {long_date(pack.date)}",
        f"Cycle {period}{cycle.start} to {cycle.end}, day {elapsed} of {cycle.days} "
        f"({round(cycle.elapsed(pack.date) * 100)}% gone); check-ins from {pack.history_path}: "
        f"{pack.kept} of {plural(pack.rows, 'row')} used",
        *([f"{pack.cycle_note}."] if pack.cycle_note else []),
        summary,
        _sentence(pack.note),
        "",
    ]
    for number, item in enumerate(pack.items, 1):
        state = item.state
        owner = f" · owner {state.owner}" if state.owner else ""
        lines += [
            f"{number}. {state.kr_id}  {' '.join(state.text.split())}",
            f"   {_sentence(item.headline)[:-1]}{owner} · objective {state.objective_id}",
            *(f"   - {fact}" for fact in item.facts),
            f"   {_who(item)}",
            *([f"   Summary: {item.summary}"] if item.summary else []),
        ]
        lines += [
            f"   {index}) {' '.join(q.text.split())} [{q.passage}]"
            for index, q in enumerate(item.questions, 1)
        ]
        lines.append("")
    if pack.problems:
        lines.append("Rows not used:")
        lines += [f"  {p.render(pack.history_path)}" for p in pack.problems]
        lines.append("")
    lines.append("Sources cited:")
    lines += [f"  [{p.id}] {p.title} — {p.source}" for p in pack.citations()]
    return "\n".join(lines) + "\n"


# -- the scorecard -----------------------------------------------------------------------------------------
def _score(value: float | None) -> str:
    return "  –  " if value is None else f"{value:.2f}"


def _card_citations(card: Scorecard) -> list[Passage]:
    known = passages()
    ids = dict.fromkeys(n.passage for n in [*card.interpretation, *card.questions] if n.passage in known)
    return [known[i] for i in ids]


def render_score_text(card: Scorecard) -> str:
    doc = card.document
    period = f", {doc.period}" if doc.period else ""
    lines = [f"Scores — {_team(doc)}{period} (as of {card.date})", ""]
    for objective in card.objectives:
        lines.append(
            f"{objective.objective_id}  {_score(objective.score)}  {' '.join(objective.text.split())}"
        )
        for kr in objective.key_results:
            lines.append(f"  {kr.kr_id}  {_score(kr.score)}  {' '.join(kr.text.split())}")
            source = f" ({kr.current_from})" if kr.current_from and kr.score is not None else ""
            lines.append(f"  {' ' * len(kr.kr_id)}        {kr.working}{source}")
        lines.append("")
    overall = "nothing scored" if card.overall is None else f"{card.overall:.2f} ({card.band})"
    lines += [f"Overall {overall}", "", "What the scores say:"]
    lines += [f"  - {n.text} [{n.passage}]" for n in card.interpretation]
    lines += ["", "Retrospective questions:"]
    lines += [f"  - {n.text} [{n.passage}]" for n in card.questions]
    lines += ["", "Sources cited:"]
    lines += [f"  [{p.id}] {p.title} — {p.source}" for p in _card_citations(card)]
    return "\n".join(lines) + "\n"


def render_score_markdown(card: Scorecard) -> str:
    doc = card.document
    period = f", {doc.period}" if doc.period else ""
    overall = "nothing scored" if card.overall is None else f"**{card.overall:.2f}** ({card.band})"
    lines = [
        f"# Scores — {_md(_team(doc))}{period}",
        "",
        f"As of {long_date(card.date)}. Overall {overall}.",
        "",
    ]
    for objective in card.objectives:
        lines += [
            f"## {objective.objective_id} — {_md(objective.text)}: {_score(objective.score).strip()}",
            "",
        ]
        lines += ["| Key result | Score | Working |", "|---|---|---|"]
        for kr in objective.key_results:
            lines.append(f"| {kr.kr_id} {_md(kr.text)} | {_score(kr.score).strip()} | {_md(kr.working)} |")
        lines.append("")
    lines += ["## What the scores say", ""]
    lines += [f"- {_md(n.text)} [{n.passage}]" for n in card.interpretation]
    lines += ["", "## Retrospective questions", ""]
    lines += [f"- {_md(n.text)} [{n.passage}]" for n in card.questions]
    lines.append("")
    lines += _sources(_card_citations(card))
    return "\n".join(lines).rstrip("\n") + "\n"


def score_dict(card: Scorecard) -> dict[str, Any]:
    return {
        "schema": SCORE_SCHEMA,
        "file": card.document.path,
        "team": card.document.team,
        "period": card.document.period,
        "date": card.date.isoformat(),
        "overall": None if card.overall is None else round(card.overall, 2),
        "band": card.band,
        "objectives": [
            {
                "objective_id": o.objective_id,
                "text": o.text,
                "score": None if o.score is None else round(o.score, 2),
                "key_results": [kr.to_dict() for kr in o.key_results],
            }
            for o in card.objectives
        ],
        "interpretation": [n.to_dict() for n in card.interpretation],
        "questions": [n.to_dict() for n in card.questions],
        "history": None
        if card.history_path is None
        else {"file": card.history_path, "problems": [p.to_dict() for p in card.problems]},
        "citations": [p.citation() for p in _card_citations(card)],
    }


def render_score_json(card: Scorecard) -> str:
    return json.dumps(score_dict(card), indent=2, ensure_ascii=False) + "\n"


# --format: name -> renderer, in the order `okrcoach checkin --help` and `okrcoach score --help` list them.
PACK_FORMATS: dict[str, Callable[[CheckinPack], str]] = {
    "markdown": render_pack_markdown,
    "text": render_pack_text,
    "json": render_pack_json,
}
SCORE_FORMATS: dict[str, Callable[[Scorecard], str]] = {
    "text": render_score_text,
    "markdown": render_score_markdown,
    "json": render_score_json,
}


def render_score(card: Scorecard, fmt: str) -> str:
    """The scorecard in `fmt` (text for a name it does not know)."""
    return SCORE_FORMATS.get(fmt, render_score_text)(card)


__all__ = [
    "PACK_FORMATS",
    "SCORE_FORMATS",
    "pack_dict",
    "render_pack_json",
    "render_pack_markdown",
    "render_pack_text",
    "render_score",
    "score_dict",
]
