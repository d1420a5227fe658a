"""Starting values for the rule path's rewrites from the team's own metrics exports (`rewrite --metrics`).

A rewrite that leaves its start open ("Increase week-1 activation rate from ?% to ?%", "Raise NPS from ?
to 40") is matched to a series of the team's metrics files by the baselines job (coach.baselines: the
series' name, synonyms, an offline embedding), as if the rewrite were the key result. A confident match
gives the value at the cycle start with where it was read; anything less gives nothing: no number is
guessed.

    starting_values(doc, texts, metrics, config) -> {element id: (value text, provenance)}
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from coach.config import Config
from coach.model import Document
from coach.rewrite.slots import slots


def starting_values(
    doc: Document, texts: Mapping[str, str], metrics: Any, config: Config
) -> dict[str, tuple[str, str]]:
    """For each key result id whose rewrite text (in `texts`) has an open start, the team's value for it."""
    from coach.baselines.suggest import suggest_baselines

    wanted = {
        target: text
        for target, text in texts.items()
        if any(name == "baseline" for _, _, name in slots(text))
    }
    if not wanted:
        return {}
    clone = dataclasses.replace(doc, objectives=copy.deepcopy(doc.objectives), diagnostics=[])
    for objective in clone.objectives:
        for kr in objective.key_results:
            if kr.id in wanted:
                kr.text = re.sub(r"\?%?", "", re.sub(r"\s*\bfrom\s+\?%?", "", wanted[kr.id])).strip()
                kr.baseline = kr.target = kr.current = None
    report = suggest_baselines(clone, metrics, config, embedding="hashing")
    return {
        p.kr_id: (p.value_text, f"{p.value_text} is the {p.provenance}")
        for p in report.proposals
        if p.kr_id in wanted
        and p.status == "found"
        and p.value_text
        and p.provenance
        and _fits(wanted[p.kr_id], p.value_text)
    }


_CURRENCY = re.compile(r"[$€£]")


def _fits(text: str, value: str) -> bool:
    """Whether `value` can stand at the rewrite's open start: a percentage where the rewrite counts in %, and
    the same currency as the rewrite's other numbers (a $ series never starts a share of ARR)."""
    start = next(end for _, end, name in slots(text) if name == "baseline")
    if (text[start : start + 1] == "%" or "%" in text) != value.rstrip().endswith("%"):
        return False
    return set(_CURRENCY.findall(value)) <= set(_CURRENCY.findall(text)) or not _CURRENCY.findall(text)
