"""The shared vocabulary of the engine: documents, objectives, key results, findings.

Everything here is plain data. Parsers build it, rules read it, renderers print it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How much a finding matters, ordered like Vale's levels."""

    SUGGESTION = "suggestion"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (use one of: {names})") from None


_SEVERITY_RANK = {Severity.SUGGESTION: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class Level(StrEnum):
    COMPANY = "company"
    DEPARTMENT = "department"
    TEAM = "team"
    INDIVIDUAL = "individual"

    @classmethod
    def parse(cls, value: str | None) -> Level | None:
        """Accept common spellings ("Company", "org", "dept", "squad", "personal")."""
        if value is None:
            return None
        key = str(value).strip().lower()
        if not key:
            return None
        return _LEVEL_SYNONYMS.get(key)


_LEVEL_SYNONYMS = {
    "company": Level.COMPANY,
    "corporate": Level.COMPANY,
    "organisation": Level.COMPANY,
    "organization": Level.COMPANY,
    "org": Level.COMPANY,
    "global": Level.COMPANY,
    "department": Level.DEPARTMENT,
    "dept": Level.DEPARTMENT,
    "division": Level.DEPARTMENT,
    "function": Level.DEPARTMENT,
    "group": Level.DEPARTMENT,
    "team": Level.TEAM,
    "squad": Level.TEAM,
    "tribe": Level.TEAM,
    "small team": Level.TEAM,
    "individual": Level.INDIVIDUAL,
    "personal": Level.INDIVIDUAL,
    "person": Level.INDIVIDUAL,
}


@dataclass(frozen=True, slots=True)
class Span:
    """Where an element came from: 1-based line and column in a file. In a workbook, `sheet` names the sheet,
    the line is the row and the column the column's number: `okrs.xlsx:Growth!C12`."""

    file: str
    line: int = 1
    col: int = 1
    end_line: int | None = None
    end_col: int | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None:
            return f"{self.file}:{sheet_name(self.sheet)}!{self.cell}"
        return f"{self.file}:{self.line}:{self.col}"

    @property
    def cell(self) -> str:
        """The A1 reference of the line and column ("C12")."""
        return f"{column_letters(self.col)}{self.line}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "line": self.line, "col": self.col}
        if self.end_line is not None:
            out["end_line"] = self.end_line
        if self.end_col is not None:
            out["end_col"] = self.end_col
        if self.sheet is not None:
            out["sheet"] = self.sheet
            out["cell"] = self.cell
        return out


def column_letters(number: int) -> str:
    """A spreadsheet column's letters: 1 -> "A", 27 -> "AA"."""
    letters = ""
    number = max(number, 1)
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_name(name: str) -> str:
    """A sheet's name as a cell reference writes it: quoted ('Team A') unless it is one plain word."""
    if name.replace("_", "a").isalnum() and not name[:1].isdigit():
        return name
    return "'" + name.replace("'", "''") + "'"


@dataclass(slots=True)
class Suppression:
    """An inline "okrcoach: ignore CODE because ..." in the draft."""

    code: str
    reason: str
    span: Span


@dataclass(slots=True)
class KRAnalysis:
    """The facts about one key result that the rules use (see coach.analysis)."""

    kind: str  # outcome | task | output_count | binary | milestone | capability | coverage
    task_like: bool
    has_target: bool
    has_baseline: bool
    metric: str | None = None
    baseline: float | None = None
    target: float | None = None
    unit: str | None = None
    direction: str | None = None  # increase | decrease | maintain | None
    target_text: str | None = None
    baseline_text: str | None = None
    quantifier: str | None = None  # all | every | zero | none | 100% ...
    placeholders: list[str] = field(default_factory=list)
    lead_verb: str | None = None
    vague_direction: bool = False
    compound: bool = False
    maintain: bool = False
    reason: str = ""  # which clause and words decided the kind

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "task_like": self.task_like,
            "has_target": self.has_target,
            "has_baseline": self.has_baseline,
            "metric": self.metric,
            "baseline": self.baseline,
            "target": self.target,
            "unit": self.unit,
            "direction": self.direction,
            "target_text": self.target_text,
            "baseline_text": self.baseline_text,
            "quantifier": self.quantifier,
            "placeholders": list(self.placeholders),
            "lead_verb": self.lead_verb,
            "vague_direction": self.vague_direction,
            "compound": self.compound,
            "maintain": self.maintain,
            "reason": self.reason,
        }


@dataclass(slots=True)
class KeyResult:
    id: str
    text: str
    span: Span
    owner: str | None = None
    team: str | None = None
    level: Level | None = None
    parents: list[str] = field(default_factory=list)
    baseline: float | str | None = None
    target: float | str | None = None
    current: float | str | None = None
    unit: str | None = None
    confidence: float | None = None
    initiatives: list[str] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Objective:
    id: str
    text: str
    span: Span
    owner: str | None = None
    team: str | None = None
    level: Level | None = None
    parents: list[str] = field(default_factory=list)
    description: str | None = None  # the "why", when the draft states it apart from the title
    key_results: list[KeyResult] = field(default_factory=list)
    initiatives: list[str] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Finding:
    """One thing the coach says about a draft."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    passage: str | None = None  # id of the knowledge passage the rule cites
    target: str | None = None  # id of the objective / key result it is about

    def sort_key(self) -> tuple[str, str, int, int, str]:
        # A workbook's findings by sheet (in name order), then row and column.
        return (self.span.file, self.span.sheet or "", self.span.line, self.span.col, self.code)


@dataclass(slots=True)
class Document:
    path: str
    format: str
    objectives: list[Objective] = field(default_factory=list)
    team: str | None = None
    level: Level | None = None
    owner: str | None = None
    period: str | None = None
    parents: list[str] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)  # whole-document
    # Problems the parser noticed but could read past (unknown fields, ...): code, message, span.
    diagnostics: list[Finding] = field(default_factory=list)

    def key_results(self) -> list[KeyResult]:
        return [kr for obj in self.objectives for kr in obj.key_results]


class InputError(Exception):
    """A user's input cannot be read. Always names the file and, where known, the line."""

    def __init__(self, file: str, message: str, line: int | None = None, col: int | None = None) -> None:
        self.file = file
        self.line = line
        self.col = col
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.message}"
