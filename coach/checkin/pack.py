"""The check-in pack: for each key result, riskiest first, the questions a manager should ask about its
state, each with the facts behind it and the guidance passage it follows.

    checkin_pack(doc, history, cycle, now, stale_days=14) -> CheckinPack

The questions follow checkin-questions (what moved and why, what is off track and why, what blocks, what
help or decision, what would raise confidence, is it still the right KR, what is the plan), chosen by the
key result's state: behind, on track, ahead (a target worth questioning), stale, stalled, task, no data.

With a model session (`session=open_session(config, flags)`), the model is asked, per key result, for the
manager's questions and a one-paragraph summary from the facts the rules computed (`coach.checkin.ask`);
an answer the guard refuses, and every failure, leaves that key result the rules' questions, with the reason.
Without a model the pack is exactly the rules' pack.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from coach.checkin.questions import Question, questions_for
from coach.checkin.records import History
from coach.checkin.result import NO_MODEL, RULES, CheckinPack, PackItem
from coach.checkin.state import (
    DEFAULT_STALE_DAYS,
    KRState,
    kr_states,
    state_facts,
)
from coach.dates import Cycle
from coach.model import Document

if TYPE_CHECKING:
    from coach.llm.session import ModelSession

__all__ = ["NO_MODEL", "RULES", "CheckinPack", "PackItem", "ask_model", "checkin_pack"]
_HEADLINE = {
    "no-data": "no check-ins",
    "no-target": "no target to judge it by",
    "no-baseline": "no baseline to measure from",
    "done": "done",
    "ahead": "ahead of pace",
    "on-track": "on track",
    "behind": "behind pace",
    "open": "not done yet",
}


_SAID_BY_STATUS = {  # the risk reason a status headline already says
    "no-data": "no check-ins",
    "no-target": "no target",
    "no-baseline": "no baseline",
    "behind": "behind pace",
    "open": "not done yet",
    "ahead": "far ahead: check the target",
}


def checkin_pack(
    doc: Document,
    history: History,
    cycle: Cycle,
    now: date,
    *,
    stale_days: int = DEFAULT_STALE_DAYS,
    session: ModelSession | None = None,
) -> CheckinPack:
    """The pack for `now`. `session`: the model, its cache, budget, concurrency and breaker
    (`coach.llm.session.open_session`); none, or one without a model, and the rules answer."""
    states = kr_states(doc, history, cycle, now, stale_days=stale_days)
    behind = [s.kr_id for s in states if s.status == "behind"]
    items = [_item(state, cycle, now, stale_days, behind) for state in states]
    pack = CheckinPack(
        document=doc,
        history_path=history.path,
        date=now,
        cycle=cycle,
        items=items,
        problems=list(history.problems),
        rows=history.rows,
        kept=history.kept,
        unknown_ids=dict(history.unknown_ids),
    )
    if session is not None:
        ask_model(pack, session)
    return pack


def ask_model(pack: CheckinPack, session: ModelSession) -> None:
    """Each key result's questions from the model where its answer passes the guard; the rules' stand
    elsewhere, each with the reason. `checkin_pack(..., session=...)` calls it; so does the TUI, on the
    rule pack its engine built."""
    if session.spec is None or session.client is None:
        if session.problem:
            pack.model_problem = session.problem
            pack.note = f"no model used ({session.problem}): the rules answered"
            for item in pack.items:
                item.reason = session.problem
        return
    from coach.checkin import ask

    label, client = session.spec.label, session.client
    pack.model = label
    briefs = [
        ask.brief(
            item.state, item.headline, item.facts, item.questions, pack.cycle, pack.date, pack.document.period
        )
        for item in pack.items
    ]
    for item, reply in zip(pack.items, ask.ask_all(client, briefs), strict=True):
        if reply.reason is not None:
            item.reason = reply.reason
            continue
        item.questions = [Question("model", text, [], ask.GUIDANCE) for text in reply.questions]
        item.summary, item.cited, item.answered_by = reply.summary, reply.cited, label
    pack.usage = client.usage
    by_model = sum(1 for item in pack.items if item.answered_by != RULES)
    pack.answered_by = label if by_model else RULES
    total = len(pack.items)
    if not total:
        pack.note = f"{label} was not asked: the draft has no key results"
    elif by_model == total:
        pack.note = f"questions from {label} for all {total} key results"
    elif by_model:
        pack.note = (
            f"questions from {label} for {by_model} of {total} key results, from the rules for the rest"
        )
    else:
        pack.note = f"questions from the rules for every key result: {label} gave no usable answer"


def _item(state: KRState, cycle: Cycle, now: date, stale_days: int, behind: list[str]) -> PackItem:
    facts = state_facts(state, cycle, now, stale_days)
    questions = questions_for(state, cycle, now, stale_days, behind)
    flags = [reason for reason in state.reasons if reason != _SAID_BY_STATUS.get(state.status)]
    headline = "; ".join([_HEADLINE[state.status], *flags])
    return PackItem(state, headline, facts, questions)
