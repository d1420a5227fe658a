"""Structural changes to CSV drafts as edits to their rows (see coach.write.structure for the contract).

A CSV draft holds one row per key result; an objective's text (and id, owner, why) sits on its first row
and is left blank or repeated on the rest. Rows are moved, removed and added whole, keeping every other
row's bytes. A row that becomes an objective's first row takes that objective's cells from the row that
carried them before (and one that stops being first takes what the objective's other rows hold there), so
the rows still group into the same objectives. A changed field replaces just its cell. A field without a
column (a `unit` in a table with no unit column, say) cannot be written in place: NotSurgical says so.
Initiatives added to a key result join its `initiatives` cell ("; " or the separator the cell uses); a
table without that column is refused rather than given one (a new column would rewrite every row), and so
is an objective's new initiative (the parser reads the column as the row's key result's).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from coach.model import Document, KeyResult, Objective
from coach.parse.columns import map_header
from coach.parse.common import clean_text
from coach.parse.csv import cell_starts, sniff_delimiter
from coach.write.elements import (
    FIELDS,
    NotSurgical,
    appended_initiatives,
    changed,
    confidence_like,
    matches,
    number_text,
    percent_text,
)
from coach.write.locate import csv_cell, csv_records

Cell = tuple[int, int, str]
_OBJECTIVE_COLUMNS = ("objective", "objective_id", "objective_owner", "description", "parent")
_CONTEXT_COLUMNS = ("team", "level", "period")
_KR_COLUMNS = {"text": "key_result", "owner": "owner", "baseline": "baseline", "target": "target"}
_KR_COLUMNS |= {"current": "current", "unit": "unit", "confidence": "confidence"}
_LIST_SEPARATOR = re.compile(r"[;\n|•]")  # what the parser splits an initiatives cell on
_MARKS = {";": "; ", "\n": "\n", "|": " | ", "•": " • "}
_OBJECTIVE_FIELD_COLUMNS = {"text": "objective", "owner": "objective_owner", "description": "description"}


def render_rows(text: str, on_disk: Document, wanted: Document, name: str) -> str:
    return _Csv(text, on_disk, name).render(wanted)


@dataclass(slots=True)
class _Row:
    cells: list[Cell]
    start: int
    end: int
    objective: Objective  # on disk
    kr: KeyResult | None  # None: a row of the objective alone


class _Csv:
    def __init__(self, text: str, on_disk: Document, name: str) -> None:
        self.text, self.on_disk, self.name = text, on_disk, name
        self.delimiter = "\t" if name.lower().endswith(".tsv") else sniff_delimiter(text)
        records = [r for r in csv_records(text, self.delimiter) if any(v.strip() for _, _, v in r[1])]
        headers = [map_header([v for _, _, v in cells]) for _, cells in records[:10]]
        found = (
            i
            for i, c in enumerate(headers)
            if c.has_key_results and {"objective", "objective_id"} & set(c.index)
        )
        header_at = next(found, 0)
        self.columns = headers[header_at]
        if self.columns.numbered_krs:
            raise NotSurgical(name, "a table with several key results per row (KR1, KR2 columns)")
        self.width = len(records[header_at][1])
        at: dict[tuple[int, int], int] = {}
        data = records[header_at + 1 :]
        for index, (first, cells) in enumerate(data):
            record = text[cells[0][0] : cells[-1][1]]
            for place in cell_starts(record, first, self.delimiter):
                at[place] = index
        owner: dict[int, tuple[Objective, KeyResult | None]] = {}
        for objective in on_disk.objectives:
            for kr in objective.key_results:
                owner[at.get((kr.span.line, kr.span.col), -1)] = (objective, kr)
            row = at.get((objective.span.line, objective.span.col), -1)
            owner.setdefault(row, (objective, None))
        if -1 in owner or len(owner) != len(data):
            raise NotSurgical(name, "not every row was matched to an objective or key result")
        self.rows: list[_Row] = []
        for index, (_, cells) in enumerate(data):
            end = data[index + 1][1][0][0] if index + 1 < len(data) else _line_end(text, cells[-1][1])
            self.rows.append(_Row(cells, cells[0][0], end, *owner[index]))
        self.anchor = {id(o): self._row_at(o) for o in on_disk.objectives}

    def _row_at(self, objective: Objective) -> _Row:
        return next(r for r in self.rows if r.objective is objective and self._carries(r))

    def _carries(self, row: _Row) -> bool:
        at = self.columns.index.get("objective")
        return at is not None and at < len(row.cells) and bool(row.cells[at][2].strip())

    # -- writing --------------------------------------------------------------------------------------

    def render(self, wanted: Document) -> str:
        found = matches(self.on_disk, wanted)
        by_kr = {id(r.kr): r for r in self.rows if r.kr is not None}
        blocks: list[str] = []
        for objective in wanted.objectives:
            old = found.get(id(objective))
            assert old is None or isinstance(old, Objective)
            if old is not None and appended_initiatives(old, objective, self.name):
                reason = "a CSV row holds a key result's initiatives, not an objective's"
                raise NotSurgical(self.name, f"{objective.id}: {reason}")
            rows: list[tuple[_Row | None, KeyResult | None]] = []
            alone = [r for r in self.rows if old is not None and r.objective is old and r.kr is None]
            rows += [(row, None) for row in alone]
            for kr in objective.key_results:
                rows.append((by_kr.get(id(found.get(id(kr)))), kr))
            if not rows:
                rows.append((None, None))
            for position, (row, wanted_kr) in enumerate(rows):
                blocks.append(self._row(objective, old, row, wanted_kr, first=position == 0))
        if not self.rows:
            raise NotSurgical(self.name, "the table has no rows")
        start, end = self.rows[0].start, self.rows[-1].end
        out = "".join(block if block.endswith("\n") else block + "\n" for block in blocks)
        if not self.text[start:end].endswith("\n"):
            out = out[:-1]
        return self.text[:start] + out + self.text[end:]

    def _row(
        self, objective: Objective, old: Objective | None, row: _Row | None, kr: KeyResult | None, first: bool
    ) -> str:
        index = self.columns.index
        values: dict[int, str] = {}  # column -> the new cell's value (a row written anew: every cell)
        if row is None:
            template = self.anchor[id(old)] if old is not None else self.rows[0]
            values = {i: "" for i in range(self.width)}
            for name in _CONTEXT_COLUMNS:
                if name in index and index[name] < len(template.cells):
                    values[index[name]] = template.cells[index[name]][2]
            if old is not None and not first:
                values |= self._objective_cells(old, continuation=True)
            elif old is not None:
                values |= self._objective_cells(old, continuation=False)
            values |= self._fields(objective, None if old is None else old, _OBJECTIVE_FIELD_COLUMNS, first)
            if kr is not None:
                values |= self._fields(kr, None, _KR_COLUMNS, True)
            return self._write([values.get(i, "") for i in range(self.width)])
        edits: dict[int, str] = {}
        if old is None or row.objective is not old or first != (row is self.anchor[id(row.objective)]):
            source = self._objective_cells(old, continuation=not first) if old is not None else {}
            if old is None:
                source = {index[n]: "" for n in _OBJECTIVE_COLUMNS if n in index}
            edits |= {i: v for i, v in source.items() if i >= len(row.cells) or row.cells[i][2] != v}
            if old is None and first:
                edits |= self._fields(objective, None, _OBJECTIVE_FIELD_COLUMNS, True)
        if old is not None and first:
            edits |= self._fields(objective, old, _OBJECTIVE_FIELD_COLUMNS, True)
        elif old is not None and self._repeats(row, old) and objective.text != old.text:
            edits[self.columns.index["objective"]] = objective.text  # a row that repeats the text
        if kr is not None and row.kr is not None:
            edits |= self._fields(kr, row.kr, _KR_COLUMNS, True) | self._initiatives(row, kr)
        return self._splice(row, edits)

    def _initiatives(self, row: _Row, kr: KeyResult) -> dict[int, str]:
        """The key result's initiatives cell with those added at its end ("; "-joined, or as it joins)."""
        assert row.kr is not None
        added = appended_initiatives(row.kr, kr, self.name)
        if not added:
            return {}
        at = self.columns.index.get("initiatives")
        if at is None:  # a new column would rewrite every row
            reason = "the table has no initiatives column (adding one would rewrite every row)"
            raise NotSurgical(self.name, f"{kr.id}: {reason}")
        if any(_LIST_SEPARATOR.search(initiative) for initiative in added):
            raise NotSurgical(self.name, f"{kr.id}: an initiative with ';', '|' or '•' cannot go in one cell")
        old = row.cells[at][2].strip() if at < len(row.cells) else ""
        mark = next((_MARKS[char] for char in _MARKS if char in old), "; ")
        return {at: mark.join([old, *added] if old else added)}

    def _repeats(self, row: _Row, objective: Objective) -> bool:
        at = self.columns.index.get("objective")
        return at is not None and clean_text(row.cells[at][2]) == objective.text

    def _objective_cells(self, objective: Objective, continuation: bool) -> dict[int, str]:
        """The objective's cells as its first row (or else its other rows) hold them."""
        rows = [r for r in self.rows if r.objective is objective]
        anchor = self.anchor[id(objective)]
        model = next((r for r in rows if r is not anchor), None) if continuation else anchor
        index = self.columns.index
        out: dict[int, str] = {}
        for name in _OBJECTIVE_COLUMNS:
            at = index.get(name)
            if at is None:
                continue
            if model is None:  # no other row to copy: repeat the text and the id, leave the rest blank
                keep = name in ("objective", "objective_id")
                out[at] = anchor.cells[at][2] if keep and at < len(anchor.cells) else ""
            else:
                out[at] = model.cells[at][2] if at < len(model.cells) else ""
        return out

    def _fields(
        self,
        wanted: Objective | KeyResult,
        old: Objective | KeyResult | None,
        table: dict[str, str],
        write: bool,
    ) -> dict[int, str]:
        if not write:
            return {}
        attributes = (
            changed(old, wanted) if old is not None else [a for a in FIELDS if getattr(wanted, a, None)]
        )
        out: dict[int, str] = {}
        for attribute in attributes:
            if attribute not in table:
                continue
            value = getattr(wanted, attribute)
            column = self.columns.index.get(table[attribute])
            if column is None:
                if value is None:
                    continue
                raise NotSurgical(self.name, f"the table has no {table[attribute].replace('_', ' ')} column")
            out[column] = self._text(attribute, value, old)
        return out

    def _text(self, attribute: str, value: object, old: Objective | KeyResult | None) -> str:
        if value is None:
            return ""
        if attribute == "confidence" and isinstance(value, float):
            raw = None
            if isinstance(old, KeyResult):
                raw = next((r.cells for r in self.rows if r.kr is old), None)
                at = self.columns.index["confidence"]
                raw_text = raw[at][2] if raw is not None and at < len(raw) else None
                return str(confidence_like(value, raw_text or "0%"))
            return percent_text(value)
        if isinstance(value, float):
            return number_text(value)
        return str(value)

    def _splice(self, row: _Row, edits: dict[int, str]) -> str:
        text = self.text
        if any(at >= len(row.cells) for at in edits):
            raise NotSurgical(self.name, "a row is shorter than the header")
        out, position = [], row.start
        for at in sorted(edits):
            start, end, source = csv_cell(text, row.cells[at], edits[at], self.delimiter)
            if not edits[at]:  # an emptied cell is written empty, without the quotes it had
                start, end, source = row.cells[at][0], row.cells[at][1], ""
            out += [text[position:start], source]
            position = end
        return "".join([*out, text[position : row.end]])

    def _write(self, cells: list[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.delimiter, lineterminator="\n").writerow(cells)
        return buffer.getvalue()


def _line_end(text: str, at: int) -> int:
    eol = text.find("\n", at)
    return len(text) if eol < 0 else eol + 1
