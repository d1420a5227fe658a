"""Column headers of OKR spreadsheets and Markdown tables, as exported by common OKR tools.

"Objective Title", "objective_title" and "OBJECTIVE-TITLE" are the same header: names are compared with
case, spaces, underscores, dashes and punctuation removed (see common.compact).
"""

from __future__ import annotations

import re
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
_LOOKUP = {compact(alias): canonical for canonical, aliases in _SYNONYMS.items() for alias in aliases}
_NUMBERED_KR = re.compile(r"(?:kr|keyresult)(\d{1,2})")

# The row-type values some tools put in a "Type" column: not levels, so not worth a warning.
ROW_TYPES = frozenset({"objective", "keyresult", "kr", "goal", "initiative"})


@dataclass
class Columns:
    """Where each known field sits in a header row."""

    index: dict[str, int] = field(default_factory=dict)
    numbered_krs: list[int] = field(default_factory=list)  # "KR1", "KR2", ...: several KRs per row
    unknown: list[tuple[int, str]] = field(default_factory=list)
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
        if canonical is None:
            columns.unknown.append((position, clean_text(cell)))
        elif canonical in columns.index:
            columns.repeated.append((position, clean_text(cell), canonical))
        else:
            columns.index[canonical] = position
    return columns
