"""Numbers as a draft writes them: a value with its unit ('61.2%', '$132,400', '412 ms'), a baseline in
the style of the target it goes with ('$1.01M' beside '$1.2M'), and a key result's text stating its
baseline. Used by coach.baselines.suggest; nothing here reads files."""

from __future__ import annotations

import re

from coach.analysis import analyse
from coach.analysis.numbers import MAGNITUDE

AGREES = (
    0.005  # a stated number within 0.5% of the data agrees with it (and a rounded baseline may differ so)
)

_CURRENCIES = {"$", "€", "£", "¥"}

_MAGNITUDE = MAGNITUDE  # the analysis reads these spellings; the same ones are written

# A number with a magnitude, as in '$1.2M', '150k', '3 bn': the spelling (and space) the target uses.
_ABBREVIATED = re.compile(
    r"\d(?:[\d,]*\d)?(?:\.\d+)?(?P<mag>\s?(?:k|mm|bn|million|billion|thousand|m|b))(?![a-z])", re.IGNORECASE
)


def decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if "e" in text or text.endswith(".0") else len(text.split(".")[1])


def plain(value: float) -> str:
    """1040 -> '1,040', 61.2 -> '61.2': at most four decimals, no trailing zeros."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{min(4, decimals(value))}f}".rstrip("0").rstrip(".")


def _with_unit(number: str, negative: bool, unit: str | None) -> str:
    sign = "-" if negative else ""
    if unit in _CURRENCIES:
        return f"{sign}{unit}{number}"
    if not unit:
        return sign + number
    return f"{sign}{number}{unit}" if unit in {"%", "x"} else f"{sign}{number} {unit}"


def format_value(value: float, unit: str | None) -> str:
    """61.2 and '%' -> '61.2%', 132400 and '$' -> '$132,400', 412 and 'ms' -> '412 ms'."""
    return _with_unit(plain(abs(value)), value < 0, unit)


def format_like(value: float, unit: str | None, target_text: str | None) -> str:
    """`value` written as the target is: abbreviated when the target is ('$1.2M' -> '$1.01M', '150k' ->
    '132.4k'): exact when three decimals do it, else with the fewest decimals that keep it within AGREES
    of the data ('$1.01M' for 1,013,456); written out in full when the target is, or when nothing is close."""
    m = _ABBREVIATED.search(target_text or "")
    if m is None or not value:
        return format_value(value, unit)
    spelling = m.group("mag")
    scale = _MAGNITUDE[spelling.strip().lower()]
    for tolerance in (1e-9, AGREES):  # exact if 3 decimals do it ('$132.4k'), else rounded ('$1.01M')
        for places in range(4):
            number = round(abs(value) / scale, places)
            if number and abs(number * scale - abs(value)) <= tolerance * abs(value):
                return _with_unit(plain(number) + spelling, value < 0, unit)
    return format_value(value, unit)


def state_baseline(text: str, value_text: str, value: float) -> str | None:
    """The KR text stating its baseline: 'to 75%' gains 'from 61% '; other forms ('below 300 ms') gain
    ' (from 412 ms)'. None when the result would not read back with that baseline (within AGREES: it may
    be written rounded, as '$1.01M') and the same target."""
    before = analyse(text)
    if before.has_baseline:
        return None
    target = before.target_text
    m = re.search(rf"\bto\s+(?:{re.escape(target)})", text) if target else None
    if m:
        new = f"{text[: m.start()]}from {value_text} {text[m.start() :]}"
    else:
        stripped = text.rstrip()
        end = len(stripped.rstrip(".;"))
        new = f"{stripped[:end]} (from {value_text}){stripped[end:]}"
    after = analyse(new)  # it must read back with this baseline and the same target
    same = after.baseline is not None and abs(after.baseline - value) <= max(1e-6, AGREES * abs(value))
    return new if same and after.target == before.target else None
