"""Excel workbooks (.xlsx, .xlsm, read with openpyxl): each sheet with an OKR header row is a table read as
a CSV file is (the same header synonyms, one row per key result, coach.parse.rows).

- **Sheets.** Every visible sheet whose first rows hold an OKR header (an objective and a key result column)
  is read, in workbook order; other sheets (instructions, lookups, charts, hidden sheets) are skipped. A
  sheet per team, per quarter or per objective all work: each sheet is a table of its own, so an objective
  never continues from one sheet into the next, and the team comes from a Team column (a sheet's name is not
  taken for a team: "Sheet1" and "Q3" are not teams). Ids a sheet does not state are given across the whole
  workbook (O1, O2 ... in sheet order, O2.KR1 ...), so they stay unique; ids the sheets state are kept as
  written, and one repeated on two sheets is reported like any other repeated id.
- **Merged cells.** The value of a merged range's top-left cell applies to every cell of the range (an
  objective merged down over its key results' rows is on each of those rows).
- **Formulas.** A formula reads as the value the spreadsheet last computed and saved with the file. A formula
  cell in the table with no saved value (a file written by a program, never opened and saved in a
  spreadsheet application) is an InputError naming its cell: its value is unknown, and a review that read it
  as empty would report a missing target or text that is not missing.
- **Numbers.** A cell formatted as a percentage reads as one (0.75 shown as 75% reads "75%"); dates read as
  ISO dates ("2026-03-31"); whole numbers without a decimal point.

Positions: a span's `sheet` names the sheet, its line is the row and its column the column's number, written
`okrs.xlsx:Growth!C12` (coach.model.Span). Reading is lazy: openpyxl is imported only here, when a workbook
is read. Text edits are written into their cells (coach.write.xlsx); structural writes refuse, naming CSV.
"""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from coach.model import Document, InputError, Span, column_letters, sheet_name
from coach.parse.columns import HEADER_SEARCH, find_header, map_header
from coach.parse.common import clean_text, finish
from coach.parse.rows import RowReader, header_findings, settle

MAX_UNPACKED = 256 * 1024 * 1024  # a workbook's parts unpacked: far above any OKR workbook, below a zip bomb
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted workbook, or an Excel 97-2003 .xls
_EXPORT = "save it as an unprotected .xlsx, or export the sheet to CSV"
Row = tuple[int, list[str]]  # the row's number and its cells' text


def parse(data: bytes | str, name: str) -> Document:
    """Read a workbook's bytes (or the latin-1 text coach.parse.decode carries them in)."""
    if isinstance(data, str):
        try:
            data = data.encode("latin-1")
        except UnicodeEncodeError:
            raise InputError(name, "is not an Excel workbook (it is text)") from None
    book, formulas = _open(data, name)
    readers: list[RowReader] = []
    skipped: list[str] = []
    doc = Document(path=name, format="xlsx")
    for sheet in book.worksheets:
        title = str(sheet.title)
        if sheet.sheet_state != "visible":
            skipped.append(f"{sheet_name(title)} (hidden)")
            continue
        rows = list(_rows(sheet))
        header_at = find_header([cells for _, cells in rows])
        if header_at is None:
            found = ", ".join(c for c in map(clean_text, rows[0][1]) if c) if rows else ""
            skipped.append(f"{sheet_name(title)} ({'columns: ' + found if found else 'empty'})")
            continue
        table = rows[header_at:]
        _check_formulas(name, title, table, formulas.get(title, {}))
        try:
            readers.append(_read_sheet(doc, name, title, table))
        except InputError as error:
            raise _in_sheet(error, name, title) from None
    if not readers:
        raise InputError(
            name,
            f"no sheet has an OKR header row (an objective and a key result column in its first "
            f"{HEADER_SEARCH} rows); sheets: {'; '.join(skipped) or 'none'}",
        )
    settle(doc, readers)
    return finish(doc, "no objectives found (the sheets have a header but no rows with an objective)")


def _read_sheet(doc: Document, name: str, title: str, table: list[Row]) -> RowReader:
    header_row, header = table[0]
    columns = map_header(header)
    doc.diagnostics += header_findings(columns, lambda at: Span(name, header_row, at + 1, sheet=title))
    reader = RowReader(name, columns, doc.diagnostics, sheet=title)
    for number, cells in table[1:]:
        reader.add(cells, number, _Places(number, len(cells)))
    return reader


class _Places:
    """Where each cell of a sheet's row is: (row, column number)."""

    __slots__ = ("row", "width")

    def __init__(self, row: int, width: int) -> None:
        self.row = row
        self.width = width

    def __len__(self) -> int:
        return self.width

    def __getitem__(self, position: int) -> tuple[int, int]:
        return self.row, position + 1


def _in_sheet(error: InputError, name: str, title: str) -> InputError:
    """A reader's error at a row and column, as the sheet's cell: "okrs.xlsx: Growth!C12: ..."."""
    if error.file != name:
        return error
    if error.line is None:
        return InputError(name, f"sheet {sheet_name(title)}: {error.message}")
    cell = f"{column_letters(error.col or 1)}{error.line}"
    return InputError(name, f"{sheet_name(title)}!{cell}: {error.message}")


# -- opening the workbook ----------------------------------------------------------------------------------


def _open(data: bytes, name: str) -> tuple[Any, dict[str, dict[tuple[int, int], str]]]:
    """The workbook with formulas' saved values, and each sheet's formula cells that have none."""
    if data.startswith(_OLE):
        raise InputError(
            name, f"is a password-protected (encrypted) workbook or an Excel 97-2003 .xls file: {_EXPORT}"
        )
    if not data.startswith(b"PK"):
        raise InputError(name, "is not an Excel workbook (an .xlsx file is a zip archive; this is not one)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
        if sum(part.file_size for part in parts) > MAX_UNPACKED:
            raise InputError(name, f"workbook is too large (unpacks to over {MAX_UNPACKED // 2**20} MiB)")
        has_formulas = any(_has_formula(archive, part.filename) for part in parts)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise InputError(name, f"is a damaged workbook or not one ({error})") from None
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a core install without the spreadsheet dependency
        raise InputError(name, "reading .xlsx needs openpyxl (pip install openpyxl)") from None
    try:
        with warnings.catch_warnings():  # "Data Validation extension is not supported" and the like
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
            raw = openpyxl.load_workbook(io.BytesIO(data), keep_links=False) if has_formulas else None
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        reason = str(error).split("\n")[0] or type(error).__name__
        raise InputError(name, f"cannot be read as an Excel workbook ({reason})") from None
    return book, _unsaved_formulas(book, raw) if raw is not None else {}


def _has_formula(archive: zipfile.ZipFile, part: str) -> bool:
    if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
        return False
    xml = archive.read(part)
    return b"</f>" in xml or b"<f " in xml or b"<f>" in xml


def _unsaved_formulas(book: Any, raw: Any) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet, the (row, column) of each formula whose value was never saved, and the formula."""
    out: dict[str, dict[tuple[int, int], str]] = {}
    for sheet in raw.worksheets:
        if sheet.title not in book.sheetnames:
            continue
        values = book[sheet.title]
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                saved = values.cell(cell.row, cell.column)
                # A formula whose value is text, even empty text, is saved with type "str"; openpyxl reads
                # an empty saved value as None, so only a number-typed None means "never computed".
                if saved.value is None and saved.data_type == "n":
                    out.setdefault(sheet.title, {})[(cell.row, cell.column)] = str(cell.value)
    return out


def _check_formulas(name: str, title: str, table: list[Row], unsaved: dict[tuple[int, int], str]) -> None:
    if not unsaved:
        return
    header_row, header = table[0]
    named = {at + 1 for at, label in enumerate(header) if label.strip()}
    for (row, column), formula in sorted(unsaved.items()):
        if row > header_row and column in named:
            raise InputError(
                name,
                f"{sheet_name(title)}!{column_letters(column)}{row}: the formula {formula} has no saved "
                "value (the file was written by a program and never recalculated); open and save it in a "
                "spreadsheet application, or export the sheet to CSV",
            )


# -- cells as text -----------------------------------------------------------------------------------------


def _rows(sheet: Any) -> Iterator[Row]:
    """Each row that has text, as its cells' text; a merged range's cells all hold its top-left value."""
    width, height = sheet.max_column, sheet.max_row
    merged: dict[tuple[int, int], str] = {}
    for block in sheet.merged_cells.ranges:
        top = _text(sheet.cell(block.min_row, block.min_col))
        for row in range(block.min_row, min(block.max_row, height) + 1):
            for column in range(block.min_col, min(block.max_col, width) + 1):
                merged[row, column] = top
    for number, row in enumerate(sheet.iter_rows(max_col=width, max_row=height), start=1):
        cells = [merged.get((number, at), "") if (number, at) in merged else _text(cell)
                 for at, cell in enumerate(row, start=1)]  # fmt: skip
        if any(cell.strip() for cell in cells):
            yield number, cells


def _text(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int | float):
        if "%" in str(cell.number_format):
            return _number(value * 100) + "%"
        return _number(value)
    return str(value)


def _number(value: float) -> str:
    """A number as people write it: 12 (not 12.0), 0.3 (not 0.30000000000000004)."""
    if isinstance(value, int):
        return str(value)
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"
