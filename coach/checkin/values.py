"""Numbers for check-ins and scoring: a key result's baseline, target and direction, values as teams write
them ("5,4 %", "1,350", "$12k", "done"), and the share of the way from baseline to target."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from coach.analysis.kr import analysis_of
from coach.model import KeyResult
from coach.units import UNIT_NAMES

_SIMPLE = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*(%|[a-z]{1,12})", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:[, ']\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_VALUE = re.compile(
    r"(?P<pre>[$€£])?\s*(?P<num>[+-]?(?:[\d.,']|\s(?=[\d.,']))*\d|[+-]?\.\d+)\s*(?P<unit>%|[a-zµ]+\.?)?",
    re.IGNORECASE,
)
MAX_VALUE_CHARS = 100
_UNITS = {**UNIT_NAMES, "pp": "%"}  # a check-in in percentage points reads as percent
_DONE_WORD = re.compile(
    r"\b(?:done|completed?|shipped|launched|live|released|delivered|finished|achieved|signed off)\b", re.I
)
_NEGATION = re.compile(
    r"\b(?:not|isn't|wasn't|aren't|never|no|yet to|nearly|almost)\b(?:\s+\w+){0,2}\s*$", re.I
)
_OPEN = re.compile(
    r"\b(?:not started|in progress|started|wip|blocked|to ?do|pending|ongoing|on hold|delayed|slipped)\b",
    re.I,
)
_DONE_STATUS = frozenset({"done", "yes", "y", "true", "complete", "completed", "100%", "1", "1.0", "✓", "✔"})
_OPEN_STATUS = frozenset({"no", "n", "false", "0", "0%", "not done", "open", "todo", "to do"})
_UPPER_BOUND = re.compile(
    r"\b(?:below|under|less than|fewer than|at most|no more than|within|max(?:imum)?|lower than)\b|[<≤]", re.I
)


@dataclass(frozen=True, slots=True)
class KRSpec:
    """What a key result promises, from its fields first and its text otherwise."""

    kind: str
    task_like: bool
    baseline: float | None
    target: float | None
    unit: str | None
    direction: str  # increase | decrease | maintain
    upper_bound: bool  # for maintain: keep below the target (else at or above)
    baseline_from: str | None  # "field" | "text" | None

    @property
    def has_target(self) -> bool:
        return self.task_like or self.target is not None

    @property
    def may_be_negative(self) -> bool:
        return any(v is not None and v < 0 for v in (self.baseline, self.target))


def field_number(value: float | str | None) -> float | None:
    """A baseline/target/current field as a number ("61%" -> 61.0); None for text like "TBD"."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    parsed = parse_value(value)
    return parsed[0] if parsed else None


def kr_spec(kr: KeyResult) -> KRSpec:
    analysis = analysis_of(kr)
    baseline, baseline_from = field_number(kr.baseline), "field"
    if baseline is None:
        baseline, baseline_from = analysis.baseline, "text"
    target = field_number(kr.target)
    if target is None:
        target = analysis.target
    unit = canonical_unit(kr.unit) or canonical_unit(analysis.unit) or analysis.unit or kr.unit
    if isinstance(kr.baseline, str) and not unit:
        unit = (parse_value(kr.baseline) or (0.0, None))[1]
    direction = analysis.direction or "increase"
    if baseline is not None and target is not None and direction != "maintain":
        direction = "increase" if target > baseline else "decrease" if target < baseline else "maintain"
    upper = bool(_UPPER_BOUND.search(kr.text)) or direction == "decrease"
    return KRSpec(
        kind=analysis.kind,
        task_like=analysis.task_like,
        baseline=baseline,
        target=None if analysis.task_like else target,
        unit=unit,
        direction=direction,
        upper_bound=upper,
        baseline_from=baseline_from if baseline is not None else None,
    )


def canonical_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    return _UNITS.get(unit.strip().lower().rstrip("."))


def units_differ(value_unit: str | None, kr_unit: str | None) -> bool:
    """Both name a unit we know and they are not the same one (ms against s, % against days)."""
    if value_unit is None or kr_unit is None or value_unit == kr_unit:
        return False
    a, b = canonical_unit(value_unit), canonical_unit(kr_unit)
    return a is not None and b is not None and a != b


def parse_value(text: str) -> tuple[float, str | None] | None:
    """A written value as (number, unit): "5,4 %" -> (5.4, "%"), "1,350" -> (1350, None), "$12k" -> 12000."""
    raw = text.strip()
    try:
        number = float(raw)
    except ValueError:
        pass
    else:  # "nan" and "inf" parse as floats but are not values
        return (number, None) if math.isfinite(number) and raw[-1:].isdigit() else None
    simple = _SIMPLE.fullmatch(raw)  # "45.3%", "2300 ms": most values
    if simple is not None and simple.group(2).lower() in _UNITS:
        return float(simple.group(1)), _UNITS[simple.group(2).lower()]
    if len(raw) > MAX_VALUE_CHARS:  # a check-in value is a number and a unit, not a paragraph
        return None
    match = _VALUE.fullmatch(raw)
    if match is None:
        return None
    number_text = match.group("num").strip()
    if _THOUSANDS.fullmatch(number_text):
        number_text = re.sub(r"[, ']", "", number_text)
    elif _DECIMAL_COMMA.fullmatch(number_text):
        number_text = number_text.replace(",", ".")  # "5,4" from a semicolon-separated export
    if not _NUMBER_ONLY.fullmatch(number_text):
        return None
    number = float(number_text)
    unit = match.group("unit")
    if unit and unit.lower() == "k":
        number, unit = number * 1000, None
    elif unit and canonical_unit(unit) is None and len(unit) > 1 and unit.lower() not in {"pts", "points"}:
        return None  # "3 teams": a number with a word, not a unit we can check
    prefix = match.group("pre")
    return number, canonical_unit(prefix) if prefix else (canonical_unit(unit) if unit else None)


def says_done(text: str) -> bool | None:
    """True when a value or comment says the work is done, False when it says it is not, else None."""
    lowered = " ".join(text.lower().split())
    if not lowered:
        return None
    if lowered in _DONE_STATUS:
        return True
    if lowered in _OPEN_STATUS:
        return False
    for match in _DONE_WORD.finditer(lowered):
        if not _NEGATION.search(lowered[: match.start()]):
            return True
    if _DONE_WORD.search(lowered) or _OPEN.search(lowered):
        return False
    return None


def progress(value: float, spec: KRSpec, baseline: float | None) -> float | None:
    """The share of the way from baseline to target, capped to 0..1, whichever way the target lies."""
    if spec.task_like:
        return max(0.0, min(1.0, value))
    target = spec.target
    if target is None:
        return None
    if spec.direction == "maintain" or baseline is None or baseline == target:
        if baseline is None and spec.direction != "maintain":
            return None
        holds = value <= target if spec.upper_bound else value >= target
        return 1.0 if holds else 0.0
    return max(0.0, min(1.0, (value - baseline) / (target - baseline)))


def fmt_number(value: float | None, unit: str | None = None) -> str:
    """1790.0 -> "1,790"; 5.4, "%" -> "5.4%"; 2300, "ms" -> "2,300 ms"; 12000, "$" -> "$12,000"."""
    if value is None:
        return "?"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    if unit in {"$", "€", "£"}:
        return f"-{unit}{text[1:]}" if text.startswith("-") else f"{unit}{text}"
    return f"{text}{unit}" if unit in {"%", "x"} else f"{text} {unit}"


def pct(share: float) -> str:
    return f"{round(share * 100)}%"
