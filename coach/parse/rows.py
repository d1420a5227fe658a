"""Rows of an OKR table (a CSV file or a Markdown table) grouped into objectives and key results.

One row per key result; the objective is repeated on each row, or left blank to mean "same as above".
Rows naming the same objective (and team) anywhere in the table join one Objective.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Protocol

from coach.model import Document, Finding, InputError, KeyResult, Level, Objective, Span, Suppression
from coach.parse.columns import ROW_TYPES, Columns
from coach.parse.common import (
    INVALID_CONFIDENCE,
    UNKNOWN_FIELD,
    clean_text,
    compact,
    diagnostic,
    new_objective,
    number_problem,
    parse_confidence,
    parse_level,
    parse_number,
    require_text,
    split_list,
    split_references,
    suppressions_from_text,
    unknown_field,
)

_KR_ONLY_FIELDS = ("baseline", "target", "current", "unit", "confidence", "id")
_NUMERIC_FIELDS = ("baseline", "target", "current", "confidence")


class Places(Protocol):
    """The 1-based (line, column) where each cell's text starts: a list, or one that works them out when
    asked (a CSV row's, see csv.py)."""

    def __len__(self) -> int: ...

    def __getitem__(self, position: int, /) -> tuple[int, int]: ...


class _Row:
    """One row's cells, looked up by field name, with where each cell's text starts."""

    __slots__ = ("cells", "columns", "line", "name", "places", "sheet", "values")

    def __init__(
        self,
        name: str,
        cells: list[str],
        line: int,
        places: Places,
        columns: Columns,
        values: dict[str, str],
        sheet: str | None = None,
    ) -> None:
        self.name = name
        self.sheet = sheet
        self.cells = cells
        self.line = line
        self.places = places
        self.columns = columns
        self.values = values

    def get(self, field: str) -> str:
        return self.values.get(field, "")

    def at(self, position: int) -> str:
        return self.cells[position].strip() if position < len(self.cells) else ""

    def span_at(self, position: int | None) -> Span:
        if position is not None and position < len(self.places):
            return Span(self.name, *self.places[position], sheet=self.sheet)
        return Span(self.name, self.line, 1, sheet=self.sheet)

    def span(self, field: str) -> Span:
        return self.span_at(self.columns.index.get(field))

    def numbered_krs(self) -> list[int]:
        return [position for position in self.columns.numbered_krs if self.at(position)]


class RowReader:
    """The rows of one table, read in order into objectives; `sheet`: the workbook sheet it is on, if any."""

    def __init__(
        self, name: str, columns: Columns, diagnostics: list[Finding], sheet: str | None = None
    ) -> None:
        self.name = name
        self.sheet = sheet
        self.columns = columns
        self.diagnostics = diagnostics
        self.objectives: list[Objective] = []
        self.teams: list[str] = []
        self.periods: list[str] = []
        self.levels: list[Level] = []
        self._by_key: dict[tuple[str, str], Objective] = {}
        self._last: Objective | None = None
        self._last_team = ""
        # Worked out once for the table rather than once per row (a large export has 100,000 rows).
        index = columns.index
        self._fields = tuple(index)
        self._cells_of = itemgetter(*index.values()) if len(index) > 1 else None
        self._width = max(index.values(), default=-1) + 1
        self._numeric = tuple(field for field in _NUMERIC_FIELDS if field in index)
        self._has_objectives = "objective" in index or "objective_id" in index
        self._extra_columns = (*columns.exported, *columns.unknown)  # kept in the key result's extra
        # What repeats from row to row (the same level, "61%", "0.6") is read once; numbers are remembered
        # once number_problem has found nothing wrong with them.
        self._fine_numbers: set[str] = set()
        self._numbers: dict[str, float | str | None] = {}
        self._confidences: dict[str, tuple[float | None, str | None]] = {}
        self._levels: dict[str, Level | None] = {}

    def add(self, cells: list[str], line: int, places: Places, under: Objective | None = None) -> None:
        """Read one row, which starts on `line`. `places` holds the 1-based line and column where each cell's
        text starts (a CSV record's quoted cell may hold line breaks, so the cells after it start on later
        lines); `under` is the objective that rows of a table without an objective column belong to (a
        Markdown table under an objective heading)."""
        if not "".join(cells).strip():  # no cell has any text
            return
        row = _Row(self.name, cells, line, places, self.columns, self._values(cells), self.sheet)
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
        if self.columns.numbered_krs:
            for position in row.numbered_krs():
                span = row.span_at(position)
                objective.key_results.append(
                    KeyResult(id="", text=clean_text(row.at(position)), span=span, team=objective.team)
                )

    def _values(self, cells: list[str]) -> dict[str, str]:
        """The stripped text of each known field's cell (a field whose cell the row lacks is left out)."""
        if self._cells_of is not None and len(cells) >= self._width:
            return dict(zip(self._fields, map(str.strip, self._cells_of(cells)), strict=False))
        return {name: cells[at].strip() for name, at in self.columns.index.items() if at < len(cells)}

    def _objective(self, row: _Row, under: Objective | None) -> Objective | None:
        values = row.values
        if not self._has_objectives and under is not None:
            return under
        team = clean_text(values.get("team", ""))
        text, objective_id = clean_text(values.get("objective", "")), values.get("objective_id", "")
        if not text and not objective_id:
            if not values.get("key_result") and not row.numbered_krs():
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
                where = row.span("objective" if "objective" in self.columns.index else "objective_id")
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
        if objective.owner is None and values.get("objective_owner"):
            objective.owner = clean_text(values["objective_owner"])
        if objective.description is None and values.get("description"):
            objective.description = clean_text(values["description"])
        parent = values.get("parent")
        if parent:
            for reference in split_references(parent):
                if reference not in objective.parents:
                    objective.parents.append(reference)
        if values.get("period"):
            period = clean_text(values["period"])
            self.periods.append(period)
            objective.extra.setdefault("period", period)
        return objective

    def _level(self, row: _Row) -> Level | None:
        value = row.values.get("level")
        if not value:
            return None
        if value in self._levels:  # a value read before without a diagnostic
            level = self._levels[value]
        elif compact(value) in ROW_TYPES:
            level = self._levels[value] = None
        else:
            level = parse_level(value, row.span("level"), self.diagnostics)
            if level is not None:
                self._levels[value] = level
        if level is not None:
            self.levels.append(level)
        return level

    def _key_result(self, objective: Objective, text: str, row: _Row, level: Level | None) -> None:
        get = row.values.get
        for field in self._numeric:
            value = get(field, "")
            if value and value not in self._fine_numbers:
                problem = number_problem(field, value)
                if problem:
                    span = row.span(field)
                    raise InputError(span.file, problem, span.line, span.col)
                self._fine_numbers.add(value)
        team = objective.team if objective.team else (clean_text(get("team", "")) or None)
        confidence, problem = self._confidence(get("confidence", ""))
        initiatives = get("initiatives")
        kr = KeyResult(
            id=get("id", ""),
            text=text,
            span=row.span("key_result"),
            owner=clean_text(get("owner", "")) or None,
            team=team,
            level=level,
            baseline=self._number(get("baseline", "")),
            target=self._number(get("target", "")),
            current=self._number(get("current", "")),
            unit=get("unit") or None,
            confidence=confidence,
            initiatives=split_list(initiatives) if initiatives else [],
        )
        if problem:
            self.diagnostics.append(diagnostic(INVALID_CONFIDENCE, problem, row.span("confidence"), kr))
        kr.suppressions = self._suppressions(row)
        for position, header in self._extra_columns:
            if row.at(position):
                kr.extra[header] = row.at(position)
        objective.key_results.append(kr)

    def _number(self, value: str) -> float | str | None:
        """parse_number of a cell's stripped text."""
        if not value:
            return None
        number = self._numbers.get(value)
        if number is None:
            number = self._numbers[value] = parse_number(value)
        return number

    def _confidence(self, value: str) -> tuple[float | None, str | None]:
        """parse_confidence of a cell's stripped text."""
        if not value:
            return None, None
        found = self._confidences.get(value)
        if found is None:
            found = self._confidences[value] = parse_confidence(value)
        return found

    def _suppressions(self, row: _Row) -> list[Suppression]:
        out: list[Suppression] = []
        ignore = row.values.get("ignore")
        if not ignore:
            return out
        for entry in ignore.split("\n"):
            if entry.strip():
                out.extend(suppressions_from_text(entry, row.span("ignore"), self.diagnostics))
        return out


def header_findings(columns: Columns, span_at: Callable[[int], Span]) -> list[Finding]:
    """DOC001 for each header cell that names no known column or repeats one; `span_at(position)`: where the
    header's cell at that position is."""
    out = [unknown_field("column", label, span_at(position)) for position, label in columns.unknown]
    for position, label, field in columns.repeated:
        message = f"column '{label}' repeats the {field.replace('_', ' ')} column (ignored)"
        out.append(diagnostic(UNKNOWN_FIELD, message, span_at(position)))
    return out


def settle(doc: Document, readers: Sequence[RowReader]) -> None:
    """The readers' objectives, in order, become the document's; its team, period and level are the ones
    every row that names one agrees on."""
    doc.objectives = [objective for reader in readers for objective in reader.objectives]
    teams = [team for reader in readers for team in reader.teams]
    periods = [period for reader in readers for period in reader.periods]
    levels = [level for reader in readers for level in reader.levels]
    if len(set(teams)) == 1:
        doc.team = teams[0]
    if len(set(periods)) == 1:
        doc.period = periods[0]
    if len(set(levels)) == 1:
        doc.level = levels[0]
