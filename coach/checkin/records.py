"""The records of a check-in history: each usable row (CheckIn), each row skipped or noted (RowProblem),
and the whole History as read (coach.checkin.history reads it; state, pack and scoring use it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One usable row of the history."""

    date: date
    kr_id: str
    value: float  # for a task-like KR: the share done, 0.0–1.0
    confidence: float | None  # 0–1
    comment: str
    line: int
    raw_value: str  # as written ("in progress", "5,4 %")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that was skipped (or, with skipped=False, kept with a part ignored), and why."""

    line: int
    kind: str  # bad-date | unknown-kr | outside-cycle | after-date | no-value | bad-value | negative |
    #            mixed-unit | duplicate | bad-confidence | no-kr
    message: str
    skipped: bool = True

    def render(self, path: str) -> str:
        return f"{path}:{self.line}: {'skipped' if self.skipped else 'note'}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "kind": self.kind, "message": self.message, "skipped": self.skipped}


@dataclass(slots=True)
class History:
    path: str
    checkins: dict[str, list[CheckIn]] = field(default_factory=dict)  # by KR id, oldest first
    problems: list[RowProblem] = field(default_factory=list)  # by line
    rows: int = 0  # data rows read (blank lines aside)
    unknown_ids: dict[str, str | None] = field(default_factory=dict)  # unknown id -> nearest known id
    delimiter: str = ","

    @property
    def kept(self) -> int:
        return sum(len(rows) for rows in self.checkins.values())

    @property
    def skipped(self) -> int:
        return sum(1 for problem in self.problems if problem.skipped)
