"""A key result's analysis: its text's (`coach.analysis.analyse`, kept per text, as drafts repeat texts and
the TUI re-reviews on every edit), completed by the key result's structured fields (baseline, target,
unit, placeholders). Every job reads a key result's analysis through `analyse_kr`."""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from coach.analysis import analyse
from coach.model import KeyResult, KRAnalysis

_cached_analysis = lru_cache(maxsize=131072)(analyse)
_NUMERIC = (int, float)
_FIELD_PLACEHOLDER = re.compile(r"(?i)^\s*(?:tbd|tbc|tba|x+%?|n|\?+|\[.*\]|<.*>)\s*$")


def analyse_kr(kr: KeyResult) -> KRAnalysis:
    """The text's analysis, completed by the KR's structured fields (baseline, target, unit)."""
    base = _cached_analysis(kr.text)
    baseline_field = (
        kr.baseline if isinstance(kr.baseline, _NUMERIC) and not isinstance(kr.baseline, bool) else None
    )
    target_field = kr.target if isinstance(kr.target, _NUMERIC) and not isinstance(kr.target, bool) else None
    placeholder_fields = [
        str(value)
        for value in (kr.baseline, kr.target)
        if isinstance(value, str) and _FIELD_PLACEHOLDER.match(value)
    ]
    if baseline_field is None and target_field is None and not kr.unit and not placeholder_fields:
        return base
    a = dataclasses.replace(base, placeholders=list(base.placeholders))  # the cached one is shared
    if baseline_field is not None:
        a.has_baseline = True
        if a.baseline is None:
            a.baseline = float(baseline_field)
    if target_field is not None:
        a.has_target = True
        if a.target is None:
            a.target = float(target_field)
    if kr.unit and not a.unit:
        a.unit = kr.unit
    return a
