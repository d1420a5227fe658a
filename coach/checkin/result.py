"""What the check-in job returns: the pack (`CheckinPack`) and one `PackItem` per key result, with who wrote
its questions. Plain data, no model access: the reports read it (`coach.report.checkin`) without importing
the job (`coach.checkin.pack`), which asks the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from coach.checkin.questions import Question
from coach.checkin.records import RowProblem
from coach.checkin.state import KRState
from coach.dates import Cycle, long_date
from coach.knowledge import Passage, passages
from coach.model import Document

RULES = "rules"
NO_MODEL = "no model configured: the rules answered (set OKRCOACH_MODEL or --model to use one)"


@dataclass(slots=True)
class PackItem:
    state: KRState
    headline: str  # "behind pace; falling confidence; stalled"
    facts: list[str]
    questions: list[Question]
    answered_by: str = RULES  # the model's label, or "rules"
    reason: str | None = None  # why the rules' questions stand although a model was asked
    summary: str = ""  # the model's paragraph on where the key result stands
    cited: list[str] = field(default_factory=list)  # passages the model's answer cites


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
    answered_by: str = RULES  # the model's label when it wrote any key result's questions
    note: str = NO_MODEL  # who answered, in a sentence
    model: str | None = None  # the model asked, by label; None: none was
    model_problem: str | None = None  # why none was asked although one was configured
    usage: Any = None  # coach.llm.client.Usage when a model was asked

    @property
    def model_asked(self) -> bool:
        """A model was configured (used, or refused for a reason): the reports say who answered."""
        return self.model is not None or self.model_problem is not None

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
            for passage in [*(question.passage for question in item.questions), *item.cited]:
                if passage in known and passage not in seen:
                    seen[passage] = known[passage]
        return list(seen.values())


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
