"""Column headers of OKR spreadsheets and Markdown tables, as exported by common OKR tools.

"Objective Title", "objective_title" and "OBJECTIVE-TITLE" are the same header: names are compared with
case, spaces, underscores, dashes and punctuation removed (see common.compact).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from coach.parse.common import clean_text, compact

_SYNONYMS = {
    "objective": ("objective", "objective title", "objective name", "objectives", "goal", "goal title", "o"),
    "key_result": (
        "key result",
        "key results",
        "kr",
        "krs",
        "key result title",
        "key result name",
        "kr title",
        "kr name",
        "result",
        "measure",
    ),
    "team": ("team", "team name", "department", "group", "squad"),
    "level": ("level", "goal level", "objective level", "type"),
    "owner": ("owner", "assignee", "kr owner", "key result owner", "responsible", "lead", "dri"),
    "objective_owner": ("objective owner", "goal owner"),
    "description": ("why", "objective description", "rationale"),
    "baseline": ("baseline", "start", "start value", "starting value", "initial value", "from"),
    "target": ("target", "target value", "goal value", "end value", "to"),
    "current": ("current", "current value", "progress value", "actual"),
    "unit": ("unit", "units", "metric unit"),
    "confidence": ("confidence", "confidence level"),
    "parent": ("parent", "parents", "parent objective", "aligned to", "aligns to", "supports"),
    "id": ("id", "kr id", "key result id"),
    "objective_id": ("objective id", "goal id"),
    "initiatives": ("initiatives", "initiative", "projects"),
    "period": ("period", "quarter", "cycle"),
    "ignore": ("ignore", "suppress", "okrcoach ignore"),
}
# Columns OKR tools and spreadsheet exports add beside the OKR itself: read into the key result's extra fields
# under the header as written, never warned about as unknown (a clean export passes --fail-on warning).
# "Department" and "Quarter" are read above, as the team and the period.
_EXPORTED = (
    "progress", "progress %", "percent complete", "completion", "status", "state", "health",
    "due", "due date", "deadline", "target date", "start date", "end date", "notes", "note", "comments",
    "comment", "url", "link", "links", "last updated", "updated", "updated at", "last modified", "modified",
    "tags", "tag", "labels", "label",
)  # fmt: skip
_LOOKUP = {compact(alias): canonical for canonical, aliases in _SYNONYMS.items() for alias in aliases}
_EXPORT_NAMES = frozenset(compact(alias) for alias in _EXPORTED) - _LOOKUP.keys()
_NUMBERED_KR = re.compile(r"(?:kr|keyresult)(\d{1,2})")

HEADER_SEARCH = 10  # rows searched for the header: a title row or two above it is common in spreadsheets

# The row-type values some tools put in a "Type" column: not levels, so not worth a warning.
ROW_TYPES = frozenset({"objective", "keyresult", "kr", "goal", "initiative"})


@dataclass
class Columns:
    """Where each known field sits in a header row."""

    index: dict[str, int] = field(default_factory=dict)
    numbered_krs: list[int] = field(default_factory=list)  # "KR1", "KR2", ...: several KRs per row
    unknown: list[tuple[int, str]] = field(default_factory=list)
    exported: list[tuple[int, str]] = field(default_factory=list)  # progress, status, due date, notes ...
    repeated: list[tuple[int, str, str]] = field(default_factory=list)  # (index, header, field it repeats)
    names: list[str] = field(default_factory=list)

    @property
    def has_key_results(self) -> bool:
        return "key_result" in self.index or bool(self.numbered_krs)


def map_header(cells: list[str]) -> Columns:
    columns = Columns(names=[clean_text(cell) for cell in cells])
    for position, cell in enumerate(cells):
        name = compact(cell)
        if not name:  # "", "#", "No." etc.: a row number or a spacer column
            continue
        canonical = _LOOKUP.get(name)
        if canonical is None and _NUMBERED_KR.fullmatch(name):
            columns.numbered_krs.append(position)
            continue
        if canonical is None and name in _EXPORT_NAMES:
            columns.exported.append((position, clean_text(cell)))
        elif canonical is None:
            columns.unknown.append((position, clean_text(cell)))
        elif canonical in columns.index:
            columns.repeated.append((position, clean_text(cell), canonical))
        else:
            columns.index[canonical] = position
    return columns


def missing_columns(columns: Columns) -> list[str]:
    """What an OKR table's header lacks: "an objective column", "a key result column" (none: it is one)."""
    missing = []
    if "objective" not in columns.index and "objective_id" not in columns.index:
        missing.append("an objective column")
    if not columns.has_key_results:
        missing.append("a key result column")
    return missing


def find_header(rows: Sequence[Sequence[str]]) -> int | None:
    """Which of the first HEADER_SEARCH rows is an OKR header (objective and key result columns), or None."""
    for position, cells in enumerate(rows[:HEADER_SEARCH]):
        if not missing_columns(map_header(list(cells))):
            return position
    return None
