"""Values and units as metrics exports write them: "12.5%", "$1,200", "3,4 k", "Revenue (EUR)"."""

from __future__ import annotations

import math
import re

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
