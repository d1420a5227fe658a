"""Writing a workbook (.xlsx, .xlsm): text edits go into their cells; everything else is refused.

`write_cells(path, edits)` (what coach.write.edits.write_edits does for a workbook: `rewrite --write` and
`baselines --write` when they replace a text) opens the workbook with openpyxl as it is stored (formulas
stay formulas, macros of an .xlsm are kept), finds each edited element's cell from its span (sheet, row,
column), checks that the cell still holds the text that was read, sets the new text, and reads the result
back with coach.parse.xlsx: the Document must be the one read before with only the edited texts changed.
The workbook is then replaced atomically, the previous one kept as `<path>.bak` (coach.io.write_atomic).

An objective repeated on each of its key results' rows (not merged) has each of those cells rewritten, so
the rows still form one objective; a merged objective has its range's top-left cell rewritten.

Refused with one line (InputError), before anything is written:
- a workbook openpyxl would not save whole: charts, images, shapes, pivot tables, slicers, external links,
  embedded objects, form controls, threaded comments, macros in an .xlsx, features it warns it drops;
- an edit whose cell holds a formula, or is inside a merged range but not its top-left cell;
- an edit whose cell no longer holds the text that was read (the file changed since it was read), or a
  result that would not read back as intended (a formula in the table loses its saved value, say).

Structural writes (adding an initiative, the TUI's save) and whole-file dumps still refuse a workbook with
REFUSAL, naming CSV (`refuse`, `refuse_binary`, `locate`, `dump`).
"""

from __future__ import annotations

import copy
import io
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from coach.formats import named
from coach.model import Document, InputError, KeyResult, Objective, Span, column_letters, sheet_name
from coach.parse.common import clean_text
from coach.write.locate import short

REFUSAL = "writing .xlsx is not supported: export to CSV"
_KEEP = "edit it in a spreadsheet application, or export to CSV"
# Parts of a workbook that openpyxl does not write back (or writes back without their content).
_LOST_PARTS = (
    ("xl/drawings/drawing", "drawings (charts, images or shapes)"),
    ("xl/charts/", "charts"),
    ("xl/chartsheets/", "chart sheets"),
    ("xl/pivotTables/", "pivot tables"),
    ("xl/pivotCache/", "pivot tables"),
    ("xl/externalLinks/", "external links"),
    ("xl/slicers/", "slicers"),
    ("xl/slicerCaches/", "slicers"),
    ("xl/timelines/", "timelines"),
    ("xl/embeddings/", "embedded objects"),
    ("xl/activeX/", "ActiveX controls"),
    ("xl/ctrlProps/", "form controls"),
    ("xl/threadedComments/", "threaded comments"),
    ("xl/queryTables/", "query tables"),
    ("xl/connections.xml", "data connections"),
)


def refuse(name: str) -> NoReturn:
    """The one-line InputError every structural write path gives for a workbook."""
    raise InputError(name, REFUSAL)


def refuse_binary(fmt: str, name: str) -> None:
    """Refuse before anything is read or written when `fmt` is a binary format (a workbook)."""
    known = named(fmt)
    if known is not None and known.binary:
        refuse(name)


def locate(lines: Any, targets: Any, name: str, *_: Any) -> NoReturn:
    """The format registry's locator for workbooks: there is no text to edit in place."""
    refuse(name)


def dump(*_: Any, **__: Any) -> NoReturn:
    """The format registry's dumper for workbooks."""
    from coach.write.dump import SerializeError

    raise SerializeError(REFUSAL)


# -- text edits into cells ---------------------------------------------------------------------------------


def write_cells(path: str, edits: Sequence[Any]) -> Path:
    """Write the edits (coach.write.locate.Edit) into the workbook at `path`; returns the backup's path.

    With no edits the workbook is not touched. See the module's docstring for what is refused."""
    from coach.io import backup_path, write_atomic
    from coach.parse.xlsx import parse

    target = Path(path)
    data = _read(target, path)
    if not edits:
        return backup_path(target)
    before = parse(data, path)
    book = _load(data, path)
    wanted = _apply(book, before, edits, path)
    out = io.BytesIO()
    try:
        book.save(out)
    except Exception as error:  # openpyxl raises many kinds for what it cannot write
        reason = str(error).split("\n")[0] or type(error).__name__
        raise InputError(path, f"the workbook cannot be written ({reason}); not changed") from None
    result = out.getvalue()
    _verify(result, path, before, wanted)
    if _read(target, path) != data:
        raise InputError(path, "the file changed while it was being written; not changed")
    backup = write_atomic(target, [result], backup=True)
    return backup if backup is not None else backup_path(target)


def _read(target: Path, path: str) -> bytes:
    try:
        return target.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from None


def _load(data: bytes, name: str) -> Any:
    """The workbook as stored (formulas as formulas); refused when saving it would lose content."""
    import openpyxl

    macros = name.lower().endswith(".xlsm")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # coach.parse.xlsx has read it: a sound zip
        parts = archive.namelist()
    lost = sorted({what for part in parts for prefix, what in _LOST_PARTS if part.startswith(prefix)})
    if not macros and any(part.startswith("xl/vbaProject") for part in parts):
        lost.append("macros")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        book = openpyxl.load_workbook(io.BytesIO(data), keep_vba=macros, rich_text=True)
    for sheet in book.worksheets:
        for attribute, what in (("_charts", "charts"), ("_images", "images"), ("_pivots", "pivot tables")):
            if getattr(sheet, attribute, None) and what not in lost:
                lost.append(what)
    if getattr(book, "_external_links", None) and "external links" not in lost:
        lost.append("external links")
    if book.chartsheets and "chart sheets" not in lost:
        lost.append("chart sheets")
    dropped = [str(w.message).split("\n")[0] for w in caught if "removed" in str(w.message).lower()]
    if lost or dropped:
        what = ", ".join(lost) if lost else dropped[0]
        raise InputError(name, f"not written: openpyxl cannot keep this workbook's {what}; {_KEEP}")
    return book


def _elements(doc: Document) -> Iterator[tuple[int, int | None, Objective | KeyResult]]:
    for oi, objective in enumerate(doc.objectives):
        yield oi, None, objective
        for ki, kr in enumerate(objective.key_results):
            yield oi, ki, kr


def _apply(book: Any, before: Document, edits: Sequence[Any], name: str) -> Document:
    """Set each edit's cell(s) in `book`; returns the Document the result must read back as."""
    at: dict[tuple[str | None, int, int], list[tuple[int, int | None, Objective | KeyResult]]] = {}
    for oi, ki, element in _elements(before):
        span = element.span
        at.setdefault((span.sheet, span.line, span.col), []).append((oi, ki, element))
    wanted = copy.deepcopy(before)
    done: set[tuple[int, int | None]] = set()
    cells: dict[tuple[str, int, int], str] = {}
    for edit in edits:
        old, new, span = clean_text(edit.old), clean_text(edit.new), edit.span
        if not new:
            raise InputError(name, f"{edit.target}: the new text is empty")
        found = [(oi, ki) for oi, ki, e in at.get((span.sheet, span.line, span.col), []) if e.text == old]
        if not found or span.sheet is None:
            raise InputError(
                name,
                f"{edit.target}: '{short(old)}' is no longer at {_where(span)}; the file changed since "
                "it was read",
            )
        oi, ki = found[0]
        if (oi, ki) in done:
            raise InputError(name, f"{edit.target}: edited twice")
        done.add((oi, ki))
        objective = before.objectives[oi]
        rows = [span.line]
        if ki is None:  # an objective: its text on each of its key results' rows, where it is repeated
            rows += [kr.span.line for kr in objective.key_results if kr.span.sheet == span.sheet]
        sheet = book[span.sheet]
        for cell in _cells(sheet, span, sorted(set(rows)), old, edit.target, name):
            if cells.setdefault(cell, new) != new:
                raise InputError(name, f"{edit.target}: {_where(span)} is edited twice")
        element = wanted.objectives[oi] if ki is None else wanted.objectives[oi].key_results[ki]
        element.text = new
    for (title, row, column), text in cells.items():
        book[title].cell(row, column).value = text
    return wanted


Cell = tuple[str, int, int]  # sheet title, row, column


def _cells(sheet: Any, span: Span, rows: list[int], old: str, target: str, name: str) -> list[Cell]:
    """The cells holding the element's text: its own, and (for an objective) the same column on its key
    results' rows that hold the same text; a merged range's top-left cell stands for the range."""
    from coach.parse.xlsx import _text

    merged = {(r, c): block for block in sheet.merged_cells.ranges
              for r in range(block.min_row, block.max_row + 1)
              for c in range(block.min_col, block.max_col + 1)}  # fmt: skip
    out: list[Cell] = []
    for row in rows:
        place = f"{sheet_name(sheet.title)}!{column_letters(span.col)}{row}"
        block = merged.get((row, span.col))
        if block is not None and (block.min_row, block.min_col) != (row, span.col):
            if row != span.line:
                continue  # a row of the merged range whose top-left cell is written
            message = f"{target}: {place} is inside the merged range {block.coord}, not its first cell"
            raise InputError(name, message + "; not changed")
        cell = sheet.cell(row, span.col)
        if cell.data_type == "f":
            raise InputError(name, f"{target}: {place} holds a formula ({cell.value}); not changed")
        text = clean_text(_text(cell))
        if row != span.line and not text:
            continue  # a blank objective cell on a key result's row stays blank
        if text != old:
            if row == span.line:
                message = f"{target}: {place} no longer holds '{short(old)}'"
                raise InputError(name, message + "; the file changed since it was read")
            message = f"{target}: {place} holds '{short(text)}', not the objective's text"
            raise InputError(name, message + "; not changed")
        out.append((str(sheet.title), row, span.col))
    return out


def _verify(result: bytes, name: str, before: Document, wanted: Document) -> None:
    """Read the written workbook back: the Document must be `wanted` (only the edited texts changed)."""
    from coach.parse.xlsx import parse

    try:
        after = parse(result, name)
    except InputError as error:
        message = f"the written workbook would not read back ({error.message})"
        raise InputError(name, message + "; not changed") from None
    if after == wanted:
        return
    for (_, _, old), (_, _, new), (_, _, expected) in zip(_elements(before), _elements(after),
                                                          _elements(wanted), strict=False):  # fmt: skip
        if new != expected:
            raise InputError(name, f"the write would also change {old.id} at {_where(old.span)}; not changed")
    raise InputError(name, "the written workbook would read back differently; not changed")


def _where(span: Span) -> str:
    return f"{sheet_name(span.sheet)}!{span.cell}" if span.sheet is not None else f"line {span.line}"
