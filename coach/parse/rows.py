"""Rows of an OKR table (a CSV file or a Markdown table) grouped into objectives and key results.

One row per key result; the objective is repeated on each row, or left blank to mean "same as above".
Rows naming the same objective (and team) anywhere in the table join one Objective.
"""

from __future__ import annotations

from coach.model import Finding, InputError, Level, Objective, Span, Suppression
from coach.parse.columns import ROW_TYPES, Columns
from coach.parse.common import (
    INVALID_CONFIDENCE,
    clean_text,
    compact,
    diagnostic,
    new_key_result,
    new_objective,
    number_problem,
    parse_confidence,
    parse_level,
    parse_number,
    require_text,
    split_list,
    split_references,
    suppressions_from_text,
)

_KR_ONLY_FIELDS = ("baseline", "target", "current", "unit", "confidence", "id")


class _Row:
    """One row's cells, looked up by field name, with where each cell's text starts."""

    def __init__(
        self, name: str, cells: list[str], line: int, places: list[tuple[int, int]], columns: Columns
    ) -> None:
        self.name = name
        self.cells = cells
        self.line = line
        self.places = places
        self.columns = columns
        self.values = {name: cells[at].strip() for name, at in columns.index.items() if at < len(cells)}

    def get(self, field: str) -> str:
        return self.values.get(field, "")

    def at(self, position: int) -> str:
        return self.cells[position].strip() if position < len(self.cells) else ""

    def span_at(self, position: int | None) -> Span:
        if position is not None and position < len(self.places):
            return Span(self.name, *self.places[position])
        return Span(self.name, self.line, 1)

    def span(self, field: str) -> Span:
        return self.span_at(self.columns.index.get(field))

    def numbered_krs(self) -> list[int]:
        return [position for position in self.columns.numbered_krs if self.at(position)]


class RowReader:
    def __init__(self, name: str, columns: Columns, diagnostics: list[Finding]) -> None:
        self.name = name
        self.columns = columns
        self.diagnostics = diagnostics
        self.objectives: list[Objective] = []
        self.teams: list[str] = []
        self.periods: list[str] = []
        self.levels: list[Level] = []
        self._by_key: dict[tuple[str, str], Objective] = {}
        self._last: Objective | None = None
        self._last_team = ""

    def add(
        self, cells: list[str], line: int, places: list[tuple[int, int]], under: Objective | None = None
    ) -> None:
        """Read one row, which starts on `line`. `places` holds the 1-based line and column where each cell's
        text starts (a CSV record's quoted cell may hold line breaks, so the cells after it start on later
        lines); `under` is the objective that rows of a table without an objective column belong to (a
        Markdown table under an objective heading)."""
        if not any(value.strip() for value in cells):
            return
        row = _Row(self.name, cells, line, places, self.columns)
        objective = self._objective(row, under)
        if objective is None:
            return
        level = self._level(row)
        if level is not None and objective.level is None:
            objective.level = level
        kr_text = clean_text(row.get("key_result"))
        if kr_text:
            self._key_result(objective, kr_text, row, level)
        else:
            filled = [field for field in _KR_ONLY_FIELDS if row.get(field)]
            if filled and not row.numbered_krs():
                message = f"key result has no text (the key result cell is empty but '{filled[0]}' is filled)"
                where = row.span("key_result")
                raise InputError(self.name, message, where.line, where.col)
            if row.get("owner") and objective.owner is None:
                objective.owner = clean_text(row.get("owner"))
            objective.suppressions.extend(self._suppressions(row))
        for position in row.numbered_krs():
            kr = new_key_result(clean_text(row.at(position)), row.span_at(position))
            kr.team = objective.team
            objective.key_results.append(kr)

    def _objective(self, row: _Row, under: Objective | None) -> Objective | None:
        index = self.columns.index
        team = clean_text(row.get("team"))
        text, objective_id = clean_text(row.get("objective")), row.get("objective_id")
        if "objective" not in index and "objective_id" not in index and under is not None:
            return under
        if not text and not objective_id:
            if not row.get("key_result") and not row.numbered_krs():
                return None  # a row of notes, totals or other cells: nothing to read
            if self._last is None:
                message = (
                    "key result has no objective (the objective cell is empty and no row above names one)"
                )
                where = row.span("objective")
                raise InputError(self.name, message, where.line, where.col)
            objective = self._last
            team = team or self._last_team
        else:
            key = (team.casefold(), objective_id.casefold() or text.casefold())
            found = self._by_key.get(key)
            if found is None:
                where = row.span("objective" if "objective" in index else "objective_id")
                text = require_text(text, "objective", self.name, where.line, where.col)
                found = new_objective(text, where)
                found.id = objective_id
                found.team = team or None
                self._by_key[key] = found
                self.objectives.append(found)
            objective = found
        self._last, self._last_team = objective, team
        if team:
            self.teams.append(team)
        if objective.owner is None and row.get("objective_owner"):
            objective.owner = clean_text(row.get("objective_owner"))
        if objective.description is None and row.get("description"):
            objective.description = clean_text(row.get("description"))
        for parent in split_references(row.get("parent")):
            if parent not in objective.parents:
                objective.parents.append(parent)
        if row.get("period"):
            period = clean_text(row.get("period"))
            self.periods.append(period)
            objective.extra.setdefault("period", period)
        return objective

    def _level(self, row: _Row) -> Level | None:
        value = row.get("level")
        if not value or compact(value) in ROW_TYPES:
            return None
        level = parse_level(value, row.span("level"), self.diagnostics)
        if level is not None:
            self.levels.append(level)
        return level

    def _key_result(self, objective: Objective, text: str, row: _Row, level: Level | None) -> None:
        kr = new_key_result(text, row.span("key_result"))
        kr.id = row.get("id")
        kr.owner = clean_text(row.get("owner")) or None
        kr.team = objective.team if objective.team else (clean_text(row.get("team")) or None)
        kr.level = level
        for field in ("baseline", "target", "current", "confidence"):
            problem = number_problem(field, row.get(field))
            if problem:
                span = row.span(field)
                raise InputError(span.file, problem, span.line, span.col)
        kr.baseline = parse_number(row.get("baseline"))
        kr.target = parse_number(row.get("target"))
        kr.current = parse_number(row.get("current"))
        kr.unit = row.get("unit") or None
        kr.initiatives = split_list(row.get("initiatives"))
        kr.confidence, problem = parse_confidence(row.get("confidence"))
        if problem:
            self.diagnostics.append(diagnostic(INVALID_CONFIDENCE, problem, row.span("confidence"), kr))
        kr.suppressions = self._suppressions(row)
        for position, header in self.columns.unknown:
            if row.at(position):
                kr.extra[header] = row.at(position)
        objective.key_results.append(kr)

    def _suppressions(self, row: _Row) -> list[Suppression]:
        out: list[Suppression] = []
        for entry in row.get("ignore").split("\n"):
            if entry.strip():
                out.extend(suppressions_from_text(entry, row.span("ignore"), self.diagnostics))
        return out
