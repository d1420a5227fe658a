"""CSV/TSV exports of OKR tools and spreadsheets: a header row, then one row per key result."""

from __future__ import annotations

import csv
import io
from itertools import accumulate

from coach.model import Document, InputError, Span
from coach.parse.columns import Columns, find_header, map_header, missing_columns
from coach.parse.common import clean_text, finish
from coach.parse.rows import RowReader, header_findings, settle

_DELIMITERS = (",", ";", "\t")
_SNIFF_LINES = 5


def parse(text: str, name: str) -> Document:
    delimiter = "\t" if name.lower().endswith(".tsv") else sniff_delimiter(text)
    records = _records(text, name, delimiter)
    if not records:
        raise InputError(name, "no rows found (expected a header row, then one row per key result)")
    lines = text.split("\n")
    header_at = find_header([cells for _, _, cells in records]) or 0
    start, _, header = records[header_at]
    columns = map_header(header)
    _check_columns(columns, name, start)
    doc = Document(path=name, format="csv")
    header_places = _places(lines, records[header_at], delimiter)
    doc.diagnostics += header_findings(columns, lambda position: _span(name, start, header_places, position))
    reader = RowReader(name, columns, doc.diagnostics)
    for record in records[header_at + 1 :]:
        start, end, cells = record
        if start == end and '"' not in lines[start - 1]:
            reader.add(cells, start, _PlainPlaces(cells, start, len(delimiter)))
        else:
            reader.add(cells, start, _places(lines, record, delimiter))
    settle(doc, [reader])
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


def cell_starts(record: str, line: int, delimiter: str) -> list[tuple[int, int]]:
    """The 1-based (line, column) where each cell's text starts in a record that begins on `line`.

    `record` is the record's text, its physical lines joined with line breaks (a quoted cell may hold some).
    A cell's text starts past its opening quote, if quoted, and past the whitespace (line breaks too) before
    its words. Cells are split like the csv module's strict reader, which has already accepted the record: a
    quote opens a quoted cell only as its first character.
    """
    if '"' not in record and "\n" not in record:
        return _plain_cell_starts(record, line, delimiter)
    starts: list[tuple[int, int]] = []
    counted = line_start = 0  # line breaks are counted up to `counted`; the current line starts at line_start
    index, size = 0, len(record)
    while True:
        if record.startswith('"', index):
            close = index + 1
            while (close := record.find('"', close)) >= 0 and record.startswith('""', close):
                close += 2
            close = size if close < 0 else close
            text = _skip_spaces(record, index + 1, close)
            start = text if text < close else index + 1
            stop = record.find(delimiter, close)
        else:
            stop = record.find(delimiter, index)
            start = _skip_spaces(record, index, size if stop < 0 else stop)
        breaks = record.count("\n", counted, start)
        if breaks:
            line += breaks
            line_start = record.rfind("\n", counted, start) + 1
        counted = start
        starts.append((line, start - line_start + 1))
        if stop < 0:
            return starts
        index = stop + len(delimiter)


def _plain_cell_starts(record: str, line: int, delimiter: str) -> list[tuple[int, int]]:
    """`cell_starts` of a one-line record without quotes (most rows): the cells are the split record."""
    cells = record.split(delimiter)
    step = len(delimiter)
    columns = accumulate([len(cell) + step for cell in cells], initial=1)
    # accumulate gives one column more than there are cells: the end of the last one
    return [
        (line, column + len(cell) - len(cell.lstrip())) for column, cell in zip(columns, cells, strict=False)
    ]


class _PlainPlaces:
    """`cell_starts` of a one-line record without quotes, whose cells are the split record, each place worked
    out when asked: a row needs the places of one or two of its cells, seldom all."""

    __slots__ = ("cells", "line", "step")

    def __init__(self, cells: list[str], line: int, step: int) -> None:
        self.cells = cells
        self.line = line
        self.step = step

    def __len__(self) -> int:
        return len(self.cells)

    def __getitem__(self, position: int) -> tuple[int, int]:
        cells = self.cells
        cell = cells[position]
        before = sum(map(len, cells[:position])) + position * self.step
        return self.line, before + 1 + len(cell) - len(cell.lstrip())


def _skip_spaces(text: str, index: int, end: int) -> int:
    """Past the whitespace from `index` (not beyond `end`): what clean_text drops from a cell's front."""
    while index < end and text[index].isspace():
        index += 1
    return index


def _records(text: str, name: str, delimiter: str) -> list[tuple[int, int, list[str]]]:
    """Each non-blank record with the physical lines it spans (a quoted cell may hold line breaks)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, int, list[str]]] = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if "".join(cells).strip():  # a cell with text
                records.append((start, end, cells))
    except csv.Error as error:
        start = end + 1
        raise InputError(name, f"invalid CSV in the row that starts here: {error}", line=start) from None
    return records


def _check_columns(columns: Columns, name: str, line: int) -> None:
    missing = missing_columns(columns)
    if missing:
        found = ", ".join(clean_text(label) for label in columns.names if label.strip()) or "none"
        raise InputError(name, f"missing {' and '.join(missing)}; found columns: {found}", line=line)


def _places(lines: list[str], record: tuple[int, int, list[str]], delimiter: str) -> list[tuple[int, int]]:
    start, end, _ = record
    text = lines[start - 1] if start == end else "\n".join(lines[start - 1 : end])
    return cell_starts(text, start, delimiter)


def _span(name: str, line: int, places: list[tuple[int, int]], position: int) -> Span:
    return Span(name, *places[position]) if position < len(places) else Span(name, line, 1)
