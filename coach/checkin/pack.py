"""The check-in pack: for each key result, riskiest first, the questions a manager should ask about its
state, each with the facts behind it and the guidance passage it follows.

    checkin_pack(doc, history, cycle, now, stale_days=14) -> CheckinPack

The questions follow checkin-questions (what moved and why, what is off track and why, what blocks, what
help or decision, what would raise confidence, is it still the right KR, what is the plan), chosen by the
key result's state: behind, on track, ahead (a target worth questioning), stale, stalled, task, no data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from coach.checkin.questions import Question, questions_for
from coach.checkin.records import History, RowProblem
from coach.checkin.state import (
    DEFAULT_STALE_DAYS,
    KRState,
    kr_states,
    state_facts,
)
from coach.dates import Cycle, long_date
from coach.knowledge import Passage, passages
from coach.model import Document

RULES = "rules"
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


@dataclass(slots=True)
class PackItem:
    state: KRState
    headline: str  # "behind pace; falling confidence; stalled"
    facts: list[str]
    questions: list[Question]


@dataclass(slots=True)
class CheckinPack:
    document: Document
    history_path: str
    date: date
    cycle: Cycle
    items: list[PackItem]
    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0
    kept: int = 0
    unknown_ids: dict[str, str | None] = field(default_factory=dict)
    answered_by: str = RULES
    note: str = "questions from the rules (no model)"

    @property
    def attention(self) -> list[PackItem]:
        return [item for item in self.items if item.state.needs_attention]

    @property
    def cycle_status(self) -> str:
        """running | ended | not-started: a pack made outside its cycle says so (`cycle_note`)."""
        if self.date > self.cycle.end:
            return "ended"
        return "not-started" if self.date < self.cycle.start else "running"

    @property
    def cycle_note(self) -> str | None:
        status = self.cycle_status
        if status == "ended":
            days = _days((self.date - self.cycle.end).days)
            return f"The cycle ended on {long_date(self.cycle.end)}, {days} before this check-in"
        if status == "not-started":
            days = _days((self.cycle.start - self.date).days)
            return f"The cycle starts on {long_date(self.cycle.start)}, in {days}"
        return None

    def citations(self) -> list[Passage]:
        """The cited passages, in the order they are first cited."""
        known = passages()
        seen: dict[str, Passage] = {}
        for item in self.items:
            for question in item.questions:
                if question.passage in known and question.passage not in seen:
                    seen[question.passage] = known[question.passage]
        return list(seen.values())


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def checkin_pack(
    doc: Document,
    history: History,
    cycle: Cycle,
    now: date,
    *,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> CheckinPack:
    states = kr_states(doc, history, cycle, now, stale_days=stale_days)
    behind = [s.kr_id for s in states if s.status == "behind"]
    items = [_item(state, cycle, now, stale_days, behind) for state in states]
    return CheckinPack(
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


def _item(state: KRState, cycle: Cycle, now: date, stale_days: int, behind: list[str]) -> PackItem:
    facts = state_facts(state, cycle, now, stale_days)
    questions = questions_for(state, cycle, now, stale_days, behind)
    flags = [reason for reason in state.reasons if reason != _SAID_BY_STATUS.get(state.status)]
    headline = "; ".join([_HEADLINE[state.status], *flags])
    return PackItem(state, headline, facts, questions)
