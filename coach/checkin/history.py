"""Check-in history: read a team's check-in export (where each key result stands: coach.checkin.state).

    read_history(path, doc, cycle, now=...) -> History      # streamed; bad rows become RowProblems

The CSV has one row per check-in: `date,kr_id,value,confidence[,comment]` (header names are matched with
their common synonyms, the delimiter is sniffed). Confidence is normalised to 0–1: a value up to 1 is taken
as is, above 1 and up to 10 is a 1–10 score (/10), above 10 and up to 100 a percentage (/100); "70%" and
"7/10" say their scale. A row that cannot be used is reported with its line and skipped, never dropped
silently. Values, targets and the per-KR facts are in coach.checkin.values and coach.checkin.state.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import itertools
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from coach.checkin.records import CheckIn, History, RowProblem
from coach.checkin.values import KRSpec, kr_spec, parse_value, says_done, units_differ
from coach.dates import Cycle, DateError, parse_date
from coach.model import Document, InputError
from coach.parse.common import clean_text, parse_confidence
from coach.parse.csv import sniff_delimiter

_COLUMNS = {
    "date": (
        "date",
        "day",
        "checkindate",
        "checkin",
        "updated",
        "updatedon",
        "updatedat",
        "timestamp",
        "week",
    ),
    "kr": ("kr", "krid", "keyresult", "keyresultid", "keyresults", "kr#", "keyresultname", "keyresulttitle"),
    "value": ("value", "progress", "current", "actual", "currentvalue", "actualvalue", "progressvalue"),
    "confidence": ("confidence", "conf", "confidencelevel", "confidencescore"),
    "comment": ("comment", "comments", "note", "notes", "remark", "remarks"),
}
_HEADER = {alias: name for name, aliases in _COLUMNS.items() for alias in aliases}
_REQUIRED = ("date", "kr", "value")
_ALL = ("date", "kr", "value", "confidence", "comment")
_NO_VALUE = frozenset({"", "n/a", "na", "-", "--", "none", "null", "nan", "tbd", "?", "unknown"})


def read_history(
    path: str | Path, doc: Document, cycle: Cycle, *, now: date | None = None, day_first: bool = True
) -> History:
    """Read a check-in CSV row by row. Rows dated after `now` are reported and left out."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            return parse_history(handle, name, doc, cycle, now=now, day_first=day_first)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None


def parse_history(
    lines: Iterable[bytes],
    name: str,
    doc: Document,
    cycle: Cycle,
    *,
    now: date | None = None,
    day_first: bool = True,
) -> History:
    """The history from raw lines (a binary file, or a list of bytes in tests)."""
    text_lines = _decoded(lines, name)
    head = list(itertools.islice(text_lines, 5))
    if not any(line.strip() for line in head):
        raise InputError(name, "file is empty (expected a header: date, kr_id, value, confidence, comment)")
    first = next(i for i, line in enumerate(head) if line.strip())
    delimiter = None
    if head[first].strip().lower().startswith("sep=") and len(head[first].strip()) == 5:
        delimiter = head[first].strip()[4]  # Excel's "sep=;" line
        head[first] = "\n"
    if delimiter is None:
        delimiter = sniff_delimiter("".join(head))
    reader = csv.reader(itertools.chain(head, text_lines), delimiter=delimiter, skipinitialspace=True)
    return _Reader(name, doc, cycle, now, day_first, delimiter).read(reader)


def _decoded(lines: Iterable[bytes], name: str) -> Iterator[str]:
    for number, raw in enumerate(lines, 1):
        if number == 1:
            if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise InputError(name, "is UTF-16 text; save it as UTF-8", line=1)
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if b"\x00" in raw:
            raise InputError(name, "looks like a binary file (it contains NUL bytes)", line=number)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            message = f"not valid UTF-8 at line {number} (byte 0x{raw[error.start]:02x}); save it as UTF-8"
            raise InputError(name, message, line=number) from None


def _compact(label: str) -> str:
    return "".join(ch for ch in label.lower() if ch.isalnum() or ch == "#")


class _Reader:
    def __init__(
        self, name: str, doc: Document, cycle: Cycle, now: date | None, day_first: bool, delimiter: str
    ) -> None:
        self.name, self.cycle, self.now, self.day_first = name, cycle, now, day_first
        self.history = History(path=name, delimiter=delimiter)
        self.specs: dict[str, KRSpec] = {}
        self.index: dict[str, str] = {}  # lowercased id or text -> KR id
        texts: dict[str, list[str]] = {}
        for kr in doc.key_results():
            self.specs[kr.id] = kr_spec(kr)
            self.index.setdefault(kr.id.lower(), kr.id)
            texts.setdefault(clean_text(kr.text).lower(), []).append(kr.id)
        for text, ids in texts.items():
            if len(ids) == 1:  # two KRs with the same text: only their ids tell them apart
                self.index.setdefault(text, ids[0])
        self.seen: dict[tuple[str, date], int] = {}  # (KR, date) -> index in its list
        self.dates: dict[str, date] = {}
        self.confidences: dict[str, tuple[float | None, str | None]] = {}
        self.ids: dict[str, str] = {}  # as written -> KR id

    def read(self, reader: Iterator[list[str]]) -> History:
        line_num = 0
        columns: dict[str, int] | None = None
        for cells in reader:
            start, line_num = line_num + 1, reader.line_num  # type: ignore[attr-defined]
            if not "".join(cells).strip():
                continue
            if columns is None:
                columns = self._header(cells, start)
                continue
            self.history.rows += 1
            self._row(cells, columns, start)
        if columns is None:
            raise InputError(self.name, "file is empty (expected a header: date, kr_id, value, confidence)")
        for rows in self.history.checkins.values():
            rows.sort(key=lambda row: (row.date, row.line))
        self.history.problems.sort(key=lambda problem: problem.line)
        return self.history

    def _header(self, cells: list[str], line: int) -> dict[str, int]:
        columns: dict[str, int] = {}
        for position, label in enumerate(cells):
            key = _HEADER.get(_compact(label))
            if key is not None and key not in columns:
                columns[key] = position
        missing = [key for key in _REQUIRED if key not in columns]
        if missing:
            names = {"date": "date", "kr": "kr_id (or key result)", "value": "value (or progress)"}
            found = ", ".join(repr(clean_text(cell)) for cell in cells if cell.strip()) or "nothing"
            message = (
                f"missing column(s) {', '.join(names[m] for m in missing)} in the header (found {found}); "
                "expected date, kr_id, value, confidence, comment"
            )
            raise InputError(self.name, message, line=line)
        return columns

    def _problem(self, line: int, kind: str, message: str, skipped: bool = True) -> None:
        self.history.problems.append(RowProblem(line, kind, message, skipped))

    def _row(self, cells: list[str], columns: dict[str, int], line: int) -> None:
        width = len(cells)
        raw_date, raw_kr, raw_value, raw_confidence, comment = (
            cells[position].strip() if position < width else ""
            for position in (columns.get(key, width) for key in _ALL)
        )
        if not raw_kr:
            self._problem(line, "no-kr", "no key result id")
            return
        kr_id = self._kr_id(raw_kr, line)
        if kr_id is None:
            return
        day = self.dates.get(raw_date)
        if day is None:  # dates repeat across a history: read each spelling once
            try:
                day = self.dates[raw_date] = parse_date(raw_date, day_first=self.day_first)
            except DateError as error:
                self._problem(line, "bad-date", f"{kr_id}: {error}")
                return
        if not self.cycle.start <= day <= self.cycle.end:
            self._problem(
                line,
                "outside-cycle",
                f"{kr_id}: dated {day}, outside the cycle {self.cycle.start} to {self.cycle.end}",
            )
            return
        if self.now is not None and day > self.now:
            self._problem(line, "after-date", f"{kr_id}: dated {day}, after the check-in date {self.now}")
            return
        value = self._value(kr_id, raw_value, comment, line)
        if value is None:
            return
        known = self.confidences.get(raw_confidence)
        if known is None:
            known = self.confidences[raw_confidence] = parse_confidence(raw_confidence or None)
        confidence, problem = known
        if problem:
            self._problem(line, "bad-confidence", f"{kr_id}: {problem}; the row is kept without it", False)
        checkin = CheckIn(day, kr_id, value, confidence, comment, line, raw_value)
        rows = self.history.checkins.setdefault(kr_id, [])
        earlier = self.seen.get((kr_id, day))
        if earlier is not None:
            replaced = rows[earlier]
            message = f"{kr_id} on {day} again at line {line}; the later row is kept"
            self._problem(replaced.line, "duplicate", message)
            rows[earlier] = checkin
            return
        self.seen[(kr_id, day)] = len(rows)
        rows.append(checkin)

    def _kr_id(self, raw: str, line: int) -> str | None:
        found = self.ids.get(raw)
        if found is not None:
            return found
        key = clean_text(raw).lower()
        found = self.index.get(key)
        if found is not None:
            self.ids[raw] = found
            return found
        if key not in self.history.unknown_ids:
            close = difflib.get_close_matches(key, list(self.index), n=1, cutoff=0.6)
            self.history.unknown_ids[key] = self.index[close[0]] if close else None
        hint = self.history.unknown_ids[key]
        shown = clean_text(raw)[:60]
        message = f"unknown key result {shown!r}" + (f" (did you mean {hint}?)" if hint else "")
        self._problem(line, "unknown-kr", message + " — not in the draft")
        return None

    def _value(self, kr_id: str, raw: str, comment: str, line: int) -> float | None:
        spec = self.specs[kr_id]
        if raw.lower() in _NO_VALUE:
            if spec.task_like and says_done(comment):
                return 1.0
            shown = f"{raw!r}" if raw else "an empty value"
            self._problem(line, "no-value", f"{kr_id}: {shown} is not a number")
            return None
        if spec.task_like:
            done = says_done(raw)
            if done is not None:
                return 1.0 if done else 0.0
        parsed = parse_value(raw)
        if parsed is None:
            expected = "a number, or done / in progress" if spec.task_like else "a number"
            self._problem(line, "bad-value", f"{kr_id}: value {raw!r} is not {expected}")
            return None
        number, unit = parsed
        if spec.task_like:  # a task's progress as a share: 0.4, 40 or 40%
            return min(1.0, max(0.0, number / 100 if unit == "%" or number > 1 else number))
        if number < 0 and not spec.may_be_negative:
            self._problem(line, "negative", f"{kr_id}: value {raw!r} is negative; this key result cannot be")
            return None
        if units_differ(unit, spec.unit):
            message = f"{kr_id}: value {raw!r} is in {unit}, the key result in {spec.unit} (mixed units)"
            self._problem(line, "mixed-unit", message)
            return None
        return number


__all__ = [
    "CheckIn",
    "History",
    "KRSpec",
    "RowProblem",
    "kr_spec",
    "parse_history",
    "read_history",
]
