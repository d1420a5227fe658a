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
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

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
_MISSING = frozenset(
    ["n/a", "na", "nan", "null", "none", "-", "—", "–", "?", "tbd", "#n/a", "#div/0!", "#value!", "#ref!"]
)
_UNITS = {
    "%": "%", "percent": "%", "pct": "%", "perc": "%", "$": "$", "usd": "$", "us$": "$", "€": "€",
    "eur": "€", "euro": "€", "euros": "€", "£": "£", "gbp": "£", "¥": "¥", "ms": "ms", "msec": "ms",
    "millisecond": "ms", "milliseconds": "ms", "s": "s", "sec": "s", "secs": "s", "second": "s",
    "seconds": "s", "min": "min", "mins": "min", "minute": "min", "minutes": "min", "h": "h", "hr": "h",
    "hrs": "h", "hour": "h", "hours": "h", "d": "days", "day": "days", "days": "days", "x": "x",
}  # fmt: skip
_NO_UNIT = frozenset({"count", "#", "n", "number", "no.", "num", ""})
# Units recognised at the end of a header without brackets ("p95 latency ms"); never single letters.
_TRAILING_UNITS = frozenset(u for u in _UNITS if len(u) > 1 or not u.isalpha())
_VALUE = re.compile(
    r"(?P<num>\d(?:[\d.,'\u00a0\u202f]|\s(?=\d))*)\s*(?:(?P<mult>bn|mn|[kKmMbB])(?![a-zA-Z]))?"
    r"\s*(?P<unit>[^\d\s].*?)?\s*"
)
_MULTIPLIERS = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9}
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


def normalise_unit(unit: str | None) -> str | None:
    """'percent' -> '%', 'USD' -> '$', 'milliseconds' -> 'ms', 'count' -> None; others lower-cased."""
    if unit is None:
        return None
    key = unit.strip().lower().rstrip(".")
    if key in _NO_UNIT:
        return None
    return _UNITS.get(key, key)


def _bracketed_unit(text: str) -> tuple[str, str] | None:
    """'MRR ($)' -> ('MRR', '$'): the text from the first opening bracket after which nothing closes until
    the bracket that ends the header. Found by position (a pattern for it was quadratic on '((((...')."""
    body = text.rstrip()
    if not body.endswith((")", "]")):
        return None
    body = body[:-1]
    after = max(body.rfind(")"), body.rfind("]")) + 1  # an earlier bracket would close inside the unit
    starts = [i for i in (body.find("(", after), body.find("[", after)) if i >= 0]
    if not starts:
        return None
    start = min(starts)
    name = body[:start].rstrip()
    return (name, body[start + 1 :].strip()) if name else None


def split_header(header: str) -> tuple[str, str | None]:
    """A column header or metric name and its unit: 'MRR ($)' -> ('MRR', '$'), 'p95 latency ms' ->
    ('p95 latency', 'ms'), 'Sign-ups' -> ('Sign-ups', None)."""
    text = " ".join(header.split())
    bracketed = _bracketed_unit(text)
    if bracketed is not None:
        return bracketed[0].rstrip(" ,"), normalise_unit(bracketed[1])
    words = text.split(" ")
    if len(words) > 1 and words[-1].lower() in _TRAILING_UNITS:
        name = " ".join(words[:-1]).rstrip(" ,")
        name = re.sub(r"\s+in$", "", name, flags=re.IGNORECASE)
        return name, normalise_unit(words[-1])
    return text, None


def parse_value(text: str, *, decimal_comma: bool = False) -> tuple[float, str | None]:
    """A cell as a number and the unit written with it: '61%' -> (61.0, '%'), '$1,200' -> (1200.0, '$'),
    '1.2k' -> (1200.0, None), '(120)' -> (-120.0, None), '€3,4' with decimal_comma -> (3.4, '€').
    Raises ValueError with a short reason ('empty value', "'n/a' is not a number")."""
    raw = text.strip()
    if not decimal_comma and raw[-1:].isdigit() and "_" not in raw:
        try:  # most cells are plain numbers: read them at once
            number = float(raw)
        except ValueError:
            pass
        else:
            if math.isfinite(number):
                return number, None
    if not raw:
        raise ValueError("empty value")
    if raw.lower() in _MISSING:
        raise ValueError(f"{raw!r} is not a number")
    s, negative, unit = raw, False, None
    if s.startswith("(") and s.endswith(")"):  # accounting style
        s, negative = s[1:-1].strip(), True
    for _ in range(2):  # "-$120" and "$-120"
        if s[:1] in "-−+":
            negative ^= s[0] != "+"
            s = s[1:].strip()
        if s[:1] in "$€£¥":
            unit, s = s[0], s[1:].strip()
    m = _VALUE.fullmatch(s)
    if not m:
        raise ValueError(f"{raw!r} is not a number")
    tail = (m.group("unit") or "").strip()
    if tail:
        if not re.fullmatch(r"[%$€£¥]|[a-zA-Zµ/ ]{1,15}", tail):
            raise ValueError(f"{raw!r} is not a number")
        unit = normalise_unit(tail)
    parsed = _number(m.group("num"), decimal_comma)
    if parsed is None or not math.isfinite(parsed):
        raise ValueError(f"{raw!r} is not a number")
    if m.group("mult"):
        parsed *= _MULTIPLIERS[m.group("mult").lower()]
    return (-parsed if negative else parsed), unit


def _number(text: str, decimal_comma: bool) -> float | None:
    s = re.sub(r"[\s'\u00a0\u202f]", "", text)
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in s:
        grouped = re.fullmatch(r"\d{1,3}(?:,\d{3})+", s) is not None
        if (decimal_comma and s.count(",") == 1) or not grouped:
            if s.count(",") > 1:
                return None
            s = s.replace(",", ".")
        else:
            s = s.replace(",", "")
    elif s.count(".") > 1 or (decimal_comma and re.fullmatch(r"\d{1,3}\.\d{3}", s)):
        if not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
            return None
        s = s.replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None


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
