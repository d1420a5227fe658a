"""Dates as teams write them in exports, and the OKR cycle (start and end) they belong to."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?", re.IGNORECASE
)
_WORDY = re.compile(
    r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})|([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))"
)
_PERIOD = re.compile(
    r"(?i)^\s*(\d{4})\s*[-_ ]?\s*(q[1-4]|h[12])\s*$|^\s*(q[1-4]|h[12])\s*[-_ ]?\s*(\d{4})\s*$"
)

_RANGE = re.compile(r"(.+?)\s*(?:\.\.|\s+to\s+|\s+[-\u2013\u2014]\s+|\u2013|\u2014)\s*(.+)", re.IGNORECASE)


class DateError(ValueError):
    """A date that cannot be read, with the text that was given."""


_ACCEPTED = "YYYY-MM-DD (2026-12-08) or the month in words (8 Dec 2026)"


def parse_date(text: str | date, *, day_first: bool | None = True) -> date:
    """Read 2026-02-12, 2026/02/12, 12/02/2026 (day first unless day_first=False), 12 Feb 2026,
    Feb 12, 2026, ISO timestamps, and Excel serial day numbers (e.g. 46065). A date object (TOML and
    YAML give those) is taken as it is.

    day_first=None: no convention is known (a date a person typed on the command line), so a numeric date
    that reads two ways (08/12/2026) is refused rather than guessed; 13/08/2026 and 08/13/2026 are read."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    raw = str(text).strip()
    value = raw.lower()
    if not value:
        raise DateError("empty date")
    m = _ISO.fullmatch(value)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), raw)
    m = _NUMERIC.fullmatch(value)
    if m:
        first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if year < 100 else 0
        if day_first is None and first != second and 1 <= first <= 12 and 1 <= second <= 12:
            one, other = long_date(date(year, second, first)), long_date(date(year, first, second))
            raise DateError(f"{raw!r} could be {one} or {other}: write it as {_ACCEPTED}")
        day, month = (first, second) if day_first in (True, None) else (second, first)
        if month > 12 and day <= 12:  # 02/13/2026 can only be month first
            day, month = month, day
        return _make(year, month, day, raw)
    m = _WORDY.fullmatch(value)
    if m:
        if m.group(1):
            day, month_name, year = int(m.group(1)), m.group(2), int(m.group(3))
        else:
            month_name, day, year = m.group(4), int(m.group(5)), int(m.group(6))
        if month_name not in _MONTHS:
            raise DateError(f"unknown month in {raw!r}")
        return _make(year, _MONTHS[month_name], day, raw)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", value):  # a spreadsheet serial day number
        return date(1899, 12, 30) + timedelta(days=int(float(value)))
    raise DateError(f"cannot read the date {raw!r} (use {_ACCEPTED})")


def long_date(day: date) -> str:
    """8 December 2026: a date as messages and reports write it."""
    return f"{day.day} {day:%B %Y}"


def _make(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"{raw!r} is not a real date") from None


@dataclass(frozen=True, slots=True)
class Cycle:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def elapsed(self, today: date) -> float:
        """The share of the cycle gone by on `today`, 0.0 to 1.0."""
        if self.days <= 0:
            return 1.0
        return min(1.0, max(0.0, (today - self.start).days / self.days))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def cycle_from_period(period: str | None) -> Cycle | None:
    """'2026-Q3' -> 1 Jul to 30 Sep 2026; 'H1 2026' -> 1 Jan to 30 Jun; a bare year -> the year;
    '2026-01-01 to 2026-03-31' (also '..' or a dash between them; what a draft's `cycle: {start, end}`
    is read as) -> those dates."""
    if not period:
        return None
    m = _RANGE.fullmatch(period.strip())
    if m:
        with contextlib.suppress(DateError):
            cycle = Cycle(parse_date(m.group(1), day_first=None), parse_date(m.group(2), day_first=None))
            return cycle if cycle.end > cycle.start else None
    m = _PERIOD.match(period)
    if m:
        year = int(m.group(1) or m.group(4))
        part = (m.group(2) or m.group(3)).lower()
        index = int(part[1])
        first = (index - 1) * (3 if part[0] == "q" else 6) + 1
        last = first + (2 if part[0] == "q" else 5)
        end = date(year + (last == 12), 1 if last == 12 else last + 1, 1) - timedelta(days=1)
        return Cycle(date(year, first, 1), end)
    if re.fullmatch(r"\s*\d{4}\s*", period):
        year = int(period)
        return Cycle(date(year, 1, 1), date(year, 12, 31))
    return None


def resolve_cycle(start: str | date | None, end: str | date | None, period: str | None) -> Cycle | None:
    """The cycle from explicit dates (flags or config) or else from the draft's period. Explicit dates that
    read two ways (01/02/2026) are refused: a person typed them, and no convention says which is meant."""
    if start and end:
        cycle = Cycle(parse_date(start, day_first=None), parse_date(end, day_first=None))
        if cycle.end <= cycle.start:
            raise DateError(f"the cycle ends ({cycle.end}) before it starts ({cycle.start})")
        return cycle
    if start or end:
        raise DateError("give both the cycle start and end (or a period such as 2026-Q3)")
    return cycle_from_period(period)


def today() -> date:
    return datetime.now().date()
