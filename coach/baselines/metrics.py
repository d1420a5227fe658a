"""Read the metrics a team already exports: CSV files of dated values, one series per metric.

    load_metrics(path, *, day_first=True) -> MetricsFile
    load_all(paths, *, day_first=True) -> MetricsFile      # several files, merged

Two shapes, told apart by the header: *long* (`date,metric,value[,unit,team]`, one row per value) and
*wide* (a date column and one column per metric, as spreadsheets and dashboards export them, the unit in
the header: "Checkout completion (%)", "MRR ($)", "p95 latency ms"). The file is streamed row by row.

A row that cannot be used is skipped and reported as a `Problem` with its line, never dropped silently.
A file that cannot be read at all (empty, binary, not UTF-8, no date or value column) is an InputError.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from coach.baselines.values import normalise_unit, parse_value, split_header
from coach.dates import DateError, parse_date
from coach.model import InputError

_SAMPLE_BYTES = 65536
_DELIMITERS = (",", ";", "\t", "|")
_DATE_HEADERS = frozenset(
    {"date", "day", "period", "week", "month", "timestamp", "time", "datum", "as of", "week starting",
     "week start", "week of", "week ending", "month start", "report date", "reporting date", "datetime"}
)  # fmt: skip
_METRIC_HEADERS = frozenset({"metric", "name", "kpi", "measure", "series", "metric name", "indicator"})
_VALUE_HEADERS = frozenset({"value", "amount", "count", "val", "metric value", "actual"})
_UNIT_HEADERS = frozenset({"unit", "units", "uom"})
_TEAM_HEADERS = frozenset({"team", "squad", "group"})
_IGNORED_HEADERS = frozenset({"note", "notes", "comment", "comments", "source", "id"})
_MONTH_ONLY = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})\s*$|^\s*([a-zA-Z]{3,9})\.?\s+(\d{4})\s*$")


@dataclass(slots=True)
class Point:
    """One dated value, and where it was read."""

    date: date
    value: float
    unit: str | None
    team: str | None
    file: str
    line: int


@dataclass(slots=True)
class Series:
    """One metric's points, sorted by date."""

    name: str  # the key in MetricsFile.series: the metric, and "[team]" when several teams report it
    metric: str  # the metric's name as written, without its unit
    team: str | None = None
    unit: str | None = None
    points: list[Point] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Problem:
    """A row (or cell) that was skipped, and why."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: skipped: {self.message}"


@dataclass(slots=True)
class MetricsFile:
    files: list[str] = field(default_factory=list)
    series: dict[str, Series] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    shapes: dict[str, str] = field(default_factory=dict)  # file -> "long" | "wide"
    rows: int = 0  # data rows read, good and bad


@lru_cache(maxsize=65536)
def _read_date(text: str, day_first: bool) -> date:
    """parse_date, plus months on their own ('2026-06', 'Jun 2026'): a month's value is known at its end."""
    m = _MONTH_ONLY.match(text)
    if m:
        if m.group(1):
            year, month = int(m.group(1)), int(m.group(2))
        else:
            probe = parse_date(f"1 {m.group(3)} {m.group(4)}")  # reuses the month names of coach.dates
            year, month = probe.year, probe.month
        if not 1 <= month <= 12:
            raise DateError(f"{text.strip()!r} is not a real date")
        return date(year, month, calendar.monthrange(year, month)[1])
    return parse_date(text, day_first=day_first)


def _header_key(cell: str) -> str:
    key = re.sub(r"[_\-]+", " ", cell.strip().lower())
    key = re.sub(r"\s*[(\[][^)\]]*[)\]]\s*", " ", key)
    return " ".join(key.split())


def _sniff(sample: str) -> str:
    """The delimiter that splits the header into the most cells and the next lines into as many."""
    lines = [line for line in sample.splitlines()[:40] if line.strip() and not line.startswith("#")]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end mid-line
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        rows = list(csv.reader(lines[:20], delimiter=delimiter))
        if not rows or len(rows[0]) < 2:
            continue
        score = (sum(len(row) == len(rows[0]) for row in rows), len(rows[0]))
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _Builder:
    """Collects points per (metric, team), finds duplicates and mixed units, and builds the series."""

    def __init__(self) -> None:
        self.points: dict[tuple[str, str | None], dict[date, Point]] = {}
        self.names: dict[tuple[str, str | None], str] = {}
        self.keys: dict[tuple[str, str | None], tuple[str, str | None]] = {}
        self.out = MetricsFile()

    def problem(self, file: str, line: int, message: str) -> None:
        self.out.problems.append(Problem(file, line, message))

    def add(self, metric: str, point: Point) -> None:
        key = self.keys.get((metric, point.team))
        if key is None:
            key = self.keys[metric, point.team] = (metric.casefold(), (point.team or "").casefold() or None)
            self.names.setdefault(key, metric)
            self.points.setdefault(key, {})
        by_date = self.points[key]
        earlier = by_date.get(point.date)
        if earlier is not None and earlier.value != point.value:
            where = f"row {point.line}" + ("" if earlier.file == point.file else f" of {point.file}")
            self.problem(
                earlier.file,
                earlier.line,
                f"{metric} on {point.date}: {where} gives another value for the same date "
                f"({_show(earlier.value)} here, {_show(point.value)} there); the later row is kept",
            )
        by_date[point.date] = point

    def finish(self) -> MetricsFile:
        teams: Counter[str] = Counter(metric for metric, _ in self.points)
        for key, by_date in self.points.items():
            metric = self.names[key]
            points = sorted(by_date.values(), key=lambda p: p.date)
            units = Counter(p.unit for p in points if p.unit is not None)
            unit = max(units, key=lambda u: (units[u], -_first_seen(points, u))) if units else None
            kept = []
            for p in points:
                if p.unit is not None and p.unit != unit:
                    self.problem(
                        p.file, p.line, f"{metric}: unit {p.unit!r} differs from the series' unit {unit!r}"
                    )
                else:
                    kept.append(p)
            team = points[0].team if key[1] else None
            name = f"{metric} [{team}]" if team and teams[key[0]] > 1 else metric
            self.out.series[name] = Series(name, metric, team, unit, kept)
        self.out.problems.sort(key=lambda p: (self.out.files.index(p.file), p.line))
        return self.out


def _first_seen(points: list[Point], unit: str) -> int:
    return min(p.line for p in points if p.unit == unit)


def _show(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def load_metrics(path: str | Path, *, day_first: bool = True) -> MetricsFile:
    """Read one metrics CSV (long or wide). Bad rows become `problems`; an unreadable file an InputError."""
    return load_all([path], day_first=day_first)


def load_all(paths: Sequence[str | Path], *, day_first: bool = True) -> MetricsFile:
    """Read several metrics files into one set of series; a later file's value wins on the same date."""
    builder = _Builder()
    for path in paths:
        name = str(path)
        if name in builder.out.files:
            continue
        builder.out.files.append(name)
        _read_file(name, builder, day_first)
    return builder.finish()


def _open(name: str) -> tuple[str, str]:
    """Check the start of the file and return (a decoded sample, the delimiter)."""
    try:
        with open(name, "rb") as handle:
            head = handle.read(_SAMPLE_BYTES)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a metrics file") from None
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    if not head.strip():
        raise InputError(name, "metrics file is empty")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(name, "is UTF-16 text; save it as UTF-8 CSV")
    if b"\x00" in head:
        raise InputError(name, "looks like a binary file (it contains NUL bytes), not a CSV export")
    sample = head.removeprefix(codecs.BOM_UTF8)
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut at the sample's end
            _not_utf8(name, sample, exc.start)
        text = sample[: exc.start].decode("utf-8")
    return text, _sniff(text)


def _not_utf8(name: str, data: bytes, at: int) -> None:
    line = data.count(b"\n", 0, at) + 1
    raise InputError(name, "is not UTF-8 text; save it as UTF-8 CSV", line=line)


def _rows(name: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record, streamed."""
    with open(name, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        line = 0
        try:
            for cells in reader:
                yield line + 1, cells
                line = reader.line_num
        except UnicodeDecodeError:
            data = Path(name).read_bytes()
            try:
                data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                _not_utf8(name, data, exc.start)
            raise
        except csv.Error as exc:
            raise InputError(name, f"cannot read the CSV: {exc}", line=line + 1) from None


def _read_file(name: str, builder: _Builder, day_first: bool) -> None:
    _, delimiter = _open(name)
    decimal_comma = delimiter == ";"
    rows = _rows(name, delimiter)
    header_line, header = 0, []
    for line, cells in rows:
        if any(c.strip() for c in cells) and not cells[0].lstrip().startswith("#"):
            header_line, header = line, cells
            break
    if not header:
        raise InputError(name, "metrics file has no header row")
    keys = [_header_key(c) for c in header]

    def find(names: frozenset[str]) -> int | None:
        return next((i for i, k in enumerate(keys) if k in names), None)

    at_date = find(_DATE_HEADERS)
    if at_date is None:
        at_date = next((i for i, k in enumerate(keys) if re.search(r"\bdate\b", k)), None)
    at_metric, at_value = find(_METRIC_HEADERS), find(_VALUE_HEADERS)
    at_unit, at_team = find(_UNIT_HEADERS), find(_TEAM_HEADERS)
    if at_date is None:
        raise InputError(
            name, "no date column: the header needs one of date, day, period, week, month", line=header_line
        )
    if at_metric is not None and at_value is None:
        raise InputError(
            name, "has a metric column but no value column (value, amount, count, val)", line=header_line
        )
    long = at_metric is not None
    wide: list[tuple[int, str, str | None]] = []
    if not long:
        used = {at_date, at_team}
        for i, cell in enumerate(header):
            if i not in used and cell.strip() and keys[i] not in _IGNORED_HEADERS | _UNIT_HEADERS:
                metric, unit = split_header(cell)
                wide.append((i, metric, unit))
        if not wide:
            raise InputError(name, "no value columns: the header has a date column only", line=header_line)
    builder.out.shapes[name] = "long" if long else "wide"

    width = 1 + max(
        i for i in (at_date, at_metric, at_value, at_unit, at_team, *(w[0] for w in wide)) if i is not None
    )
    metric_at, value_at = at_metric or 0, at_value or 0
    names: dict[tuple[str, str], tuple[str, str | None]] = {}  # long form: the cells -> the name, the unit
    for line, cells in rows:
        if not "".join(cells).strip() or cells[0].lstrip().startswith("#"):
            continue
        builder.out.rows += 1
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        raw_date = cells[at_date].strip()
        try:
            day = _read_date(raw_date, day_first)
        except DateError as exc:
            builder.problem(name, line, str(exc) if raw_date else "empty date")
            continue
        team = cells[at_team].strip() or None if at_team is not None else None
        if long:
            written_as = (cells[metric_at].strip(), cells[at_unit].strip() if at_unit is not None else "")
            if written_as not in names:
                metric, unit = split_header(written_as[0])
                names[written_as] = (metric, normalise_unit(written_as[1]) or unit)
            metric, unit = names[written_as]
            if not metric:
                builder.problem(name, line, "empty metric name")
                continue
            columns = [(value_at, metric, unit)]
        else:
            columns = wide
        for at, metric, unit in columns:
            try:
                value, written = parse_value(cells[at], decimal_comma=decimal_comma)
            except ValueError as exc:
                builder.problem(name, line, f"{exc} ({metric})")
                continue
            builder.add(metric, Point(day, value, written or unit, team, name, line))
