"""CSV/TSV exports of OKR tools and spreadsheets: a header row, then one row per key result."""

from __future__ import annotations

import csv
import io

from coach.model import Document, InputError, Span
from coach.parse.columns import Columns, map_header
from coach.parse.common import UNKNOWN_FIELD, clean_text, diagnostic, finish, unknown_field
from coach.parse.rows import RowReader

_DELIMITERS = (",", ";", "\t")
_SNIFF_LINES = 5
_HEADER_SEARCH = 10  # a title row or two above the header is common in spreadsheet exports


def parse(text: str, name: str) -> Document:
    delimiter = "\t" if name.lower().endswith(".tsv") else sniff_delimiter(text)
    records = _records(text, name, delimiter)
    if not records:
        raise InputError(name, "no rows found (expected a header row, then one row per key result)")
    lines = text.split("\n")
    header_at = _find_header(records)
    start, _, header = records[header_at]
    columns = map_header(header)
    _check_columns(columns, name, start)
    doc = Document(path=name, format="csv")
    header_cols = cell_columns(lines[start - 1], delimiter)
    for position, label in columns.unknown:
        doc.diagnostics.append(unknown_field("column", label, _span(name, start, header_cols, position)))
    for position, label, field in columns.repeated:
        message = f"column '{label}' repeats the {field.replace('_', ' ')} column (ignored)"
        doc.diagnostics.append(diagnostic(UNKNOWN_FIELD, message, _span(name, start, header_cols, position)))
    reader = RowReader(name, columns, doc.diagnostics)
    for start, _, cells in records[header_at + 1 :]:
        reader.add(cells, start, cell_columns(lines[start - 1], delimiter))
    doc.objectives = reader.objectives
    if len(set(reader.teams)) == 1:
        doc.team = reader.teams[0]
    if len(set(reader.periods)) == 1:
        doc.period = reader.periods[0]
    if len(set(reader.levels)) == 1:
        doc.level = reader.levels[0]
    return finish(doc, "no objectives found (the table has a header but no rows with an objective)")


def sniff_delimiter(text: str) -> str:
    """The delimiter used most on the first few non-empty lines, outside quotes (comma when in doubt)."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    lines = [line for line in text.split("\n", 200)[:200] if line.strip()][:_SNIFF_LINES]
    for char in "\n".join(lines):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def cell_columns(line: str, delimiter: str) -> list[int]:
    """The 1-based column where each cell's text starts on a physical line (past an opening quote)."""
    cols: list[int] = []
    index, length = 0, len(line)
    while True:
        start = index
        while start < length and line[start] == " ":
            start += 1
        if start < length and line[start] == '"':
            cols.append(start + 2)
            scan = start + 1
            while scan < length:
                if line[scan] == '"':
                    if line.startswith('""', scan):
                        scan += 2
                        continue
                    scan += 1
                    break
                scan += 1
            else:
                return cols  # the quoted cell runs on past this line
            index = line.find(delimiter, scan)
        else:
            cols.append(start + 1)
            index = line.find(delimiter, index)
        if index < 0:
            return cols
        index += len(delimiter)


def _records(text: str, name: str, delimiter: str) -> list[tuple[int, int, list[str]]]:
    """Each non-blank record with the physical lines it spans (a quoted cell may hold line breaks)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, int, list[str]]] = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if any(value.strip() for value in cells):
                records.append((start, end, cells))
    except csv.Error as error:
        start = end + 1
        raise InputError(name, f"invalid CSV in the row that starts here: {error}", line=start) from None
    return records


def _find_header(records: list[tuple[int, int, list[str]]]) -> int:
    for position, (_, _, cells) in enumerate(records[:_HEADER_SEARCH]):
        columns = map_header(cells)
        if columns.has_key_results and ("objective" in columns.index or "objective_id" in columns.index):
            return position
    return 0


def _check_columns(columns: Columns, name: str, line: int) -> None:
    missing = []
    if "objective" not in columns.index and "objective_id" not in columns.index:
        missing.append("an objective column")
    if not columns.has_key_results:
        missing.append("a key result column")
    if missing:
        found = ", ".join(clean_text(label) for label in columns.names if label.strip()) or "none"
        raise InputError(name, f"missing {' and '.join(missing)}; found columns: {found}", line=line)


def _span(name: str, line: int, cols: list[int], position: int) -> Span:
    return Span(name, line, cols[position] if position < len(cols) else 1)
