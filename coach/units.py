"""Unit spellings and the one name each stands for, shared by the KR analysis and the check-in reader."""

from __future__ import annotations

UNIT_NAMES: dict[str, str] = {
    "%": "%", "percent": "%", "pct": "%",
    "pp": "pp", "percentage point": "pp", "percentage points": "pp",
    "x": "x", "×": "x",
    "ms": "ms", "msec": "ms", "millisecond": "ms", "milliseconds": "ms",
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "min": "min", "mins": "min", "minute": "min", "minutes": "min",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "d": "days", "day": "days", "days": "days",
    "week": "weeks", "weeks": "weeks",
    "month": "months", "months": "months",
    "year": "years", "years": "years",
    "pts": "pts", "point": "pts", "points": "pts",
    "star": "stars", "stars": "stars",
    "$": "$", "usd": "$", "€": "€", "eur": "€", "£": "£", "gbp": "£",
}  # fmt: skip
