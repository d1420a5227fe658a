"""Asking the model for one key result's check-in questions, and deciding whether its answer may be used.

    ask_all(client, [brief(...) for each key result]) -> [Reply, ...]

The model gets what the rule pack already computed for that key result (its values, trend, confidence,
staleness, comments, expected progress and the rules' own questions), fenced as data in
prompts/checkin_pack.j2. An answer replaces the rule questions only when it passes the answer's shape check
(`coach.checkin.answer`, before caching) and states no number that is not in that key result's data, the
period or the dates (`coach.llm.guard.invented`); otherwise the Reply says why, in plain words, and the
rules' questions stand.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from coach.checkin.questions import Question
from coach.checkin.state import KRState, fmt_value
from coach.checkin.values import pct
from coach.dates import Cycle, long_date
from coach.knowledge import passages
from coach.llm import guard

if TYPE_CHECKING:
    from coach.llm.client import ModelClient

TEMPLATE = "checkin_pack"
GUIDANCE = "checkin-questions"  # the passage every model question follows (the prompt is built on it)


@dataclass(frozen=True, slots=True)
class Brief:
    """One key result as the model is asked about it."""

    kr_id: str
    draft: str  # the key result's text
    context: dict[str, Any]  # the template's variables
    sources: str  # every text the answer's numbers may come from
    known_passages: frozenset[str]


@dataclass(slots=True)
class Reply:
    """The model's questions and summary once the guard passed them, or why the rules answer instead."""

    questions: list[str] = field(default_factory=list)
    summary: str = ""
    cited: list[str] = field(default_factory=list)
    reason: str | None = None


def _checkin_line(state: KRState, index: int) -> str:
    checkin = state.checkins[index]
    value = checkin.raw_value if state.spec.task_like else fmt_value(state, checkin.value)
    parts = [f"{checkin.date}: {value}"]
    if checkin.confidence is not None:
        parts.append(f"confidence {checkin.confidence:.1f}")
    comment = " ".join(checkin.comment.split())
    if comment:
        parts.append(f"comment: {comment[:200]}")
    return ", ".join(parts)


def _numbers_line(state: KRState) -> str:
    start = f"baseline {fmt_value(state, state.baseline)}"
    if state.baseline_from:
        start += f" (from {state.baseline_from})"
    parts = [start, f"target {fmt_value(state, state.target)}"]
    if state.progress is not None:
        parts.append(f"{pct(state.progress)} of the way")
    parts.append(f"{pct(state.expected)} of the cycle gone")
    if state.confidence is not None:
        parts.append(f"latest confidence {state.confidence:.1f}")
    if state.days_since is not None:
        parts.append(f"{state.days_since} days since the last check-in")
    return "; ".join(parts)


def brief(
    state: KRState,
    headline: str,
    facts: list[str],
    questions: list[Question],
    cycle: Cycle,
    now: date,
    period: str | None,
) -> Brief:
    """What the model is told about one key result, and the texts its answer's numbers may come from:
    exactly the data the prompt shows (the key result, its objective, its numbers, facts and check-ins,
    the rules' questions) and the period and dates."""
    elapsed = min(max((now - cycle.start).days, 0), cycle.days)
    when = (
        f"{period + ': ' if period else ''}{cycle.start} to {cycle.end} ({long_date(cycle.start)} to "
        f"{long_date(cycle.end)}); check-in on {now} ({long_date(now)}), day {elapsed} of {cycle.days}"
    )
    checkins = [_checkin_line(state, i) for i in range(len(state.checkins))]
    rule_questions = [q.text for q in questions]
    shipped = passages()
    cited = dict.fromkeys([GUIDANCE, *(q.passage for q in questions)])
    grounding = [shipped[pid] for pid in cited if pid in shipped]
    numbers = _numbers_line(state)
    context: dict[str, Any] = {
        "objective": state.objective,
        "key_result": f"{state.kr_id}: {state.text}",
        "owner": state.owner or "",
        "cycle": when,
        "status": headline,
        "numbers": numbers,
        "facts": "\n".join(f"- {fact}" for fact in facts),
        "checkins": "\n".join(f"- {line}" for line in checkins) or "- none this cycle",
        "rule_questions": "\n".join(f"- {text}" for text in rule_questions),
        "passages": grounding,
    }
    sources = " ".join(
        [
            state.kr_id,
            state.text,
            state.objective,
            when,
            headline,
            numbers,
            *facts,
            *checkins,
            *rule_questions,
        ]
    )
    return Brief(state.kr_id, state.text, context, sources, frozenset(p.id for p in grounding))


def judge(fields: dict[str, Any], item: Brief, secret: str | None) -> Reply:
    """The guard's decision on one answer: its shape and wording, then its numbers (only this key
    result's data, the period and the dates)."""
    from coach.checkin.answer import shape_problem

    problem = shape_problem(fields, secret)
    if problem:
        return Reply(reason=problem)
    questions = [" ".join(q.split()) for q in fields["questions"] if q.strip()]
    summary = " ".join(str(fields["summary"]).split())
    subject = guard.Subject(
        kind="key_result", draft=item.draft, topic=item.draft, sources=item.sources, codes=frozenset()
    )
    said = {"text": summary, "rationale": "", "initiative": "", "questions": questions}
    problem = guard.invented(said, subject)
    if problem:
        return Reply(reason=problem)
    cited = [pid for pid in fields.get("cited_passages") or [] if pid in item.known_passages]
    return Reply(questions, summary, list(dict.fromkeys(cited)))


def ask_all(client: ModelClient, briefs: list[Brief]) -> list[Reply]:
    """Ask about every key result (the session's concurrency, budget, cache and breaker apply); one Reply
    per brief, in order. Blocking: it runs its own event loop."""
    if not briefs:
        return []
    client.begin_run()
    return asyncio.run(_ask_all(client, briefs))


async def _ask_all(client: ModelClient, briefs: list[Brief]) -> list[Reply]:
    from coach.checkin.answer import CHECKIN
    from coach.prompts import render

    secret = client.spec.api_key.reveal() if client.spec.api_key else None

    async def one(item: Brief) -> Reply:
        answer = await client.ask(render(TEMPLATE, **item.context), CHECKIN)
        if answer.fields is None:
            return Reply(reason=answer.reason or "the model gave no answer")
        return judge(answer.fields, item, secret)

    return list(await asyncio.gather(*(one(item) for item in briefs)))
