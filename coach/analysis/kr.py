"""A key result's analysis: its text's (`coach.analysis.analyse`, kept per text, as drafts repeat texts and
the TUI re-reviews on every edit), completed by the key result's structured fields (baseline, target,
unit, placeholders).

Every job reads a key result's analysis through `analysis_of(kr)`, which keeps it by what it depends on
(the text and those fields), never on the document: an edited key result is simply analysed anew, and
nothing has to reset anything. A shared analysis is never changed by its readers."""

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


_Key = tuple[str, object, object, str | None]
_KEPT: dict[_Key, KRAnalysis] = {}
_KEEP_AT_MOST = 262_144  # analyses kept at once; past that the store starts again (a few hundred MB at most)


def _key(kr: KeyResult) -> _Key:
    baseline, target = kr.baseline, kr.target
    # a number and its type: True == 1 and 1.0 == 1 must not share an entry (bool is not a field value)
    return (kr.text, (type(baseline), baseline), (type(target), target), kr.unit)


def analysis_of(kr: KeyResult) -> KRAnalysis:
    """The key result's analysis, kept by its text and fields."""
    key = _key(kr)
    found = _KEPT.get(key)
    if found is None:
        found = _keep(key, analyse_kr(kr))
    return found


def keep(kr: KeyResult, analysis: KRAnalysis) -> None:
    """Keep an analysis made elsewhere (by an organisation review's worker process) for this key result."""
    _keep(_key(kr), analysis)


def _keep(key: _Key, analysis: KRAnalysis) -> KRAnalysis:
    if len(_KEPT) >= _KEEP_AT_MOST:
        _KEPT.clear()
    _KEPT[key] = analysis
    return analysis


def forget() -> None:
    """Drop every kept analysis (benchmarks measure the analysis cold)."""
    _KEPT.clear()
    _cached_analysis.cache_clear()
