"""A key result's starting value, where its text states one: "from 31% to 45%", "30 -> 40", "currently
at 52", "(Q1: 52)", "7.5% now"; with the target of the same phrase where there is one."""

from __future__ import annotations

import re
from functools import lru_cache

from coach.analysis.numbers import _DIGIT, Quantity, _has_any, quantities
from coach.analysis.text import lazy

# A number token. The lookbehinds refuse to start inside a run of digits and commas ("9999", "1,1,1"): a match
# starting there always has a twin starting at the run's first digit, which is found first, and trying every
# position of a long run again made the searches quadratic (8,000 digits took 40 s).
_NUMTOK = (
    r"[<>~]?\s?[+\-−]?[$€£]?\s?(?<!\d)(?<![\d,],)\d[\d,]*(?:\.\d+)?\s?(?:(?:k|m|bn)(?![a-z])|million|thousand)?\s?"
    r"(?:%|(?:x|ms|s|secs?|seconds|mins?|minutes|h|hrs?|hours|days|weeks|pts|points|stars)(?![a-z])|/\d+)?"
    r"(?:\s?(?:[a-z]{1,3}/[a-z]{1,3}|/\s?[a-z]+))?"
)


_FROM_TO = lazy(
    r"\bfrom\s+(?:about\s+|around\s+|approx(?:imately|\.)?\s+|~\s?|roughly\s+|an?\s+(?:baseline|average)\s+of\s+|"
    r"(?:the\s+)?current\s+)?(?P<b>"
    + _NUMTOK
    + r")(?:/[a-z]+)?(?:\s+[a-z]+){0,3}?\s*(?:to|→|->|=>|➝|towards?|up\s+to|down\s+to)\s+"
    r"(?:at\s+least\s+|over\s+|above\s+|below\s+|under\s+|less\s+than\s+|more\s+than\s+|~\s?|about\s+)?"
    r"(?P<t>" + _NUMTOK + r"|[XN]\b|[Xx]{1,2}\s?%|tbd|\?|none\b|zero\b)",
    re.IGNORECASE,
)


_ARROW = lazy(
    r"(?P<b>" + _NUMTOK + r")(?:\s+[a-z]+){0,2}?\s*(?:→|->|=>|⇒|➡|➝|-->)\s*(?P<t>" + _NUMTOK + r")",
    re.IGNORECASE,
)


# "7.5% now", "(Q1: 52)", "from ~6.5k today", "last quarter's 1,150": a starting value stated on its own.
_BASELINE_ALONE = lazy(
    r"(?P<b>" + _NUMTOK + r")\s*(?:now|today|currently|at\s+present|at\s+the\s+moment)\b"
    r"|\(\s*(?:q[1-4]|h[12]|fy\s?\d+|\d{4}(?:[-/]\d{2,4})?|last\s+\w+|prev\w*|baseline|current|today|now|was|"
    r"start)\s*[:=]\s*(?P<b2>" + _NUMTOK + r")"
    r"|\bfrom\s+(?:about\s+|around\s+|~\s?|roughly\s+)?(?P<b3>"
    + _NUMTOK
    + r")\s*(?=\)|today|now|currently|$|[,;.](?!\d))"
    r"|\blast\s+(?:quarter|year|month|cycle|period)'s\s+(?P<b4>" + _NUMTOK + r")",
    re.IGNORECASE,
)


_BASELINE_STATED = lazy(
    r"(?:\b|(?=\())(?:(?:up|down|increas(?:e|ed|ing)|grow(?:n|ing)?|ris(?:e|en|ing)|improv(?:e|ed|ing)|reduc(?:e|ed|ing)|"
    r"drop(?:ped|ping)?|decreas(?:e|ed|ing)|mov(?:e|ed|ing)|go(?:ing)?|rais(?:e|ed|ing)|lower(?:ed|ing)?|cut"
    r"|climb(?:ed|ing)?|fall(?:ing|en)?|shrink(?:ing)?)\s+from"
    r"|currently(?:\s+(?:at|is|are|around|about|sits?\s+at|stands?\s+at))?|today(?:'s)?(?:\s+(?:at|is|value))?"
    r"|now\s+at|baseline(?:\s+(?:of|is|was|=|at|value))?|starting\s+(?:at|from|point(?:\s+of)?)"
    r"|\(\s*(?:(?:q[1-4]|h[12]|fy\s?\d{2,4}|\d{4}|last\s+\w+)\s+)?(?:was|were|now|current|today)"
    r"|(?<=[:,;]\s)(?:was|were)|last\s+(?:quarter|year|cycle|month|period)(?:\s+(?:was|were|at))?"
    r"|(?:vs\.?|versus|compared\s+(?:to|with)|against)(?:\s+(?:a|an|the))?"
    r"|(?:in|as\s+of)\s+(?:q[1-4]|h[12]|fy\s?\d{2,4}|\d{4})\s*(?:was|were|:)|(?:it|this|that|which)\s+(?:was|were))"
    r"\s*[:=]?\s*(?:~\s?|about\s+|around\s+|roughly\s+|approx(?:imately|\.)?\s+|only\s+|just\s+)?(?P<b>"
    + _NUMTOK
    + r")",
    re.IGNORECASE,
)


# What each starting-value pattern cannot match without: a pattern runs only where the lowered text holds one
# of these (most key results hold none, and the patterns cost 10-30 µs each). Every pattern is searched with
# IGNORECASE, so the lowered text holds its literal words; a non-ASCII text, whose case folding `str.lower`
# might not mirror, always runs the patterns. tests/test_analysis_gates.py holds each list to its pattern.
_FROM_WORDS = ("from",)
_ARROWS = ("→", "->", "=>", "⇒", "➡", "➝")
# "(Q1 was 52)" needs "was" and "(Q1: 52)" a colon, so neither needs its bracket.
_STATED_WORDS = (
    "from", "current", "today", "now", "baseline", "starting", "was", "were", "last", "vs", "versus",
    "compared", "against", ":",
)  # fmt: skip
_ALONE_WORDS = ("now", "today", "currently", "present", "moment", "from", "last", ":", "=")


def _any_in(needed: tuple[str, ...], lowered: str) -> bool:
    """Whether a pattern guarded by `needed` can match `lowered` at all (always true for non-ASCII text)."""
    return not lowered.isascii() or _has_any(needed, lowered)


@lru_cache(maxsize=8192)
def _first_quantity(fragment: str) -> Quantity | None:
    """The first quantity in a short matched fragment ("31%", "~6.5k"); fragments repeat across key results,
    so the answer is kept (a Quantity is never changed once made)."""
    found = quantities(fragment, fragment.lower())
    return found[0] if found else None


def _baseline(cleaned: str, lowered: str) -> tuple[Quantity | None, Quantity | None, str | None]:
    """(baseline, target-from-the-same-phrase, baseline_text) where the text states a starting value."""
    if not _DIGIT.search(cleaned):
        return None, None, None  # every way of stating a start needs a number
    for pattern, needed in ((_FROM_TO, _FROM_WORDS), (_ARROW, _ARROWS)):
        m = pattern.search(cleaned) if _any_in(needed, lowered) else None
        if m:
            base = _first_quantity(m.group("b"))
            if base:
                return base, _first_quantity(m.group("t")), m.group(0)
    m = _BASELINE_STATED.search(cleaned) if _any_in(_STATED_WORDS, lowered) else None
    if m:
        base = _first_quantity(m.group("b"))
        if base:
            return base, None, m.group(0)
    if not _any_in(_ALONE_WORDS, lowered):
        return None, None, None
    for m in _BASELINE_ALONE.finditer(cleaned):
        value = next(v for v in (m.group("b"), m.group("b2"), m.group("b3"), m.group("b4")) if v)
        base = _first_quantity(value)
        if base:
            return base, None, m.group(0).strip()
    return None, None, None
