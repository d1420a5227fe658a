"""Rules about one key result's owner, length and stated fields (KR010, KR012-KR018): who owns it, whether
it only maintains a KPI, whether its numbers, direction and confidence agree. Its kind and measurability:
coach.rules.key_result."""

from __future__ import annotations

import re
from collections.abc import Iterator

from coach.analysis import MAX_KR_CHARS
from coach.analysis.kr import analysis_of
from coach.model import KeyResult, Objective
from coach.rules.base import Context, rule
from coach.rules.key_result import _quote


def resolved_owner(kr: KeyResult, objective: Objective, ctx: Context) -> str | None:
    return kr.owner or objective.owner or ctx.document.owner


@rule(
    "KR010",
    "kr-without-owner",
    "suggestion",
    "kr",
    "kr-ownership",
    triggers=("Raise checkout completion from 61% to 75%",),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  owner: Dana\n  key_results:\n"
        "  - Raise checkout completion from 61% to 75%\n",
    ),
)
def without_owner(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result has no owner (on the KR, its objective or the document).

    What it does
    Flags key results with no `owner` anywhere above them.

    Why it matters
    A key result that everyone owns is one nobody checks in on. One named person keeps it current and
    answers for it at check-ins.

    Example
    key_results: ["Raise checkout completion from 61% to 75%"]  (no owner)

    Use instead
    key_results: [{text: "Raise checkout completion from 61% to 75%", owner: "Dana Reyes"}]
    """
    if not resolved_owner(kr, objective, ctx):
        yield "has no owner: name one person who answers for it (owner field, or '(owner: Name)' in Markdown)"


@rule(
    "KR012",
    "kpi-maintenance-kr",
    "suggestion",
    "kr",
    "obj-not-kpi-maintenance",
    fix="change-not-keep",
    triggers=("Maintain 99.9% uptime", "Keep churn below 2%"),
    passes=("Raise uptime from 99.5% to 99.9%",),
)
def kpi_maintenance(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result keeps a KPI where it is ("maintain", "keep").

    What it does
    Flags key results that hold a metric steady rather than change it.

    Why it matters
    Keeping a healthy number healthy is business as usual. Track it as a health metric beside the OKRs;
    spend key results on what must change this cycle.

    Example
    Maintain 99.9% uptime

    Use instead
    Track uptime as a health metric; as a key result, change something: "Cut customer-visible incidents
    from 9 to 3"
    """
    a = ctx.analysis(kr)
    if a.maintain:
        yield "keeps a KPI steady: that is a health metric to watch, not a change to achieve this cycle"


@rule(
    "KR013",
    "kr-too-long",
    "suggestion",
    "kr",
    "kr-measurable",
    triggers=(
        "Make sure that by the end of the quarter the support team has looked at every ticket that came "
        "in through any channel and has written back to the customer with an answer or a plan and a date "
        "for the answer",
    ),
    passes=("Median first reply time from 9 h to 2 h",),
)
def too_long(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result is too long to read at a glance.

    What it does
    Flags key results longer than `max-kr-words` words (default 35).

    Why it matters
    A key result is read in every check-in. Long ones usually hide several measures or an explanation
    that belongs in a description.

    Example
    A 50-word sentence that explains the context, the plan and the measure.

    Use instead
    One measure with its start and target; the context goes into the objective's description.
    """
    limit = int(ctx.threshold("max-kr-words"))
    if len(kr.text) <= 2 * limit:
        return  # more than `limit` words take at least 2 * limit + 1 characters (a space between each)
    words = len(kr.text.split())
    if words > limit:
        yield f"is {words} words long (limit {limit}): keep the measure and its numbers; notes go elsewhere"


@rule(
    "KR018",
    "kr-past-analysis-limit",
    "warning",
    "kr",
    "kr-measurable",
    triggers=("Raise checkout completion from 61% to 75%" + "; and tell the team how it went" * 40,),
    passes=("Raise checkout completion from 61% to 75%",),
)
def past_analysis_limit(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result is longer than the coach reads.

    What it does
    Flags key results longer than 1,000 characters. Only their first 1,000 characters are analysed (kind,
    numbers, baseline, target), so findings about the rest are missing.

    Why it matters
    A key result is one line that anyone can score at a glance. Past a thousand characters it is a
    document pasted into a cell, or text that went into the wrong field, and no finding about it can be
    trusted to cover it all.

    Example
    A key result that carries the whole plan, its history and the meeting notes.

    Use instead
    One measure with its start and target; the rest goes into the objective's description or a linked doc.
    """
    if len(kr.text) > MAX_KR_CHARS:
        yield (
            f"is {len(kr.text):,} characters long: only the first {MAX_KR_CHARS:,} were analysed; keep one "
            "measure on one line and move the rest to the description"
        )


_DEADLINE = re.compile(
    r"(?i)\b(?:by|before|until|in|no later than)\s+(?:the\s+)?(?:end\s+of\s+)?(?:q[1-4]|h[12]|fy\d{2,4}|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|\d{1,2}\s+\w+|the\s+(?:quarter|year|month|cycle|sprint)|"
    r"(?:this|next)\s+(?:quarter|year|month))"
)


@rule(
    "KR014",
    "deadline-not-target",
    "warning",
    "kr",
    "kr-explicit-target",
    fix="start-and-end",
    triggers=("Improve onboarding satisfaction by end of Q3", "Grow partner revenue by March"),
    passes=("Grow partner revenue from $80k to $140k by March",),
)
def deadline_not_target(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result gives a date but no target value.

    What it does
    Flags outcome key results whose only number-like part is a deadline ("by March", "by end of Q3").

    Why it matters
    The cycle already sets the deadline. A date says when, not how much, so the key result still has no
    end value.

    Example
    Grow partner revenue by March

    Use instead
    Grow partner revenue from $80k to $140k by March
    """
    a = ctx.analysis(kr)
    if a.task_like or a.has_target or a.placeholders:
        return
    m = _DEADLINE.search(kr.text)
    if m:
        yield f"has a date ({_quote(m.group(0))}) but no target: a deadline is not an end value"


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


def numbers(kr: KeyResult) -> tuple[float | None, float | None]:
    """(baseline, target): from the fields when given, else from the text."""
    a = analysis_of(kr)
    baseline = _number(kr.baseline)
    target = _number(kr.target)
    if baseline is None:
        baseline = a.baseline
    if target is None:
        target = a.target
    return baseline, target


_UP = frozenset({"increase", "grow", "raise", "boost", "lift", "double", "triple", "expand", "improve"})
_DOWN = frozenset(
    {"reduce", "decrease", "lower", "cut", "halve", "shrink", "shorten", "minimise", "minimize"}
)


@rule(
    "KR015",
    "target-direction-mismatch",
    "warning",
    "kr",
    "kr-baseline-from-to",
    triggers=("Reduce churn from 3% to 5%", "Increase NPS from 40 to 40"),
    passes=("Reduce churn from 5% to 3%", "Increase NPS from 31 to 45"),
)
def direction_mismatch(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result's target is the same as its baseline, or moves the wrong way.

    What it does
    Compares the baseline and target (from the text or the fields) with the direction the key result
    names ("reduce", "increase").

    Why it matters
    A target equal to the start needs no work; one that moves the wrong way is usually a typo that would
    make the key result meaningless at grading time.

    Example
    Reduce churn from 3% to 5%

    Use instead
    Reduce churn from 5% to 3%
    """
    a = ctx.analysis(kr)
    if a.maintain:
        return
    baseline, target = numbers(kr)
    if baseline is None or target is None:
        return
    if baseline == target:
        yield f"target equals the baseline ({target:g}): set the value it should reach"
        return
    lead = (a.lead_verb or "").lower()
    stem = lead[:-1] if lead.endswith("s") else lead
    if (stem in _UP or lead in _UP) and target < baseline:
        yield f"says '{a.lead_verb}' but the target ({target:g}) is below the baseline ({baseline:g})"
    elif (stem in _DOWN or lead in _DOWN) and target > baseline:
        yield f"says '{a.lead_verb}' but the target ({target:g}) is above the baseline ({baseline:g})"


@rule(
    "KR016",
    "invalid-confidence",
    "error",
    "kr",
    "kr-confidence",
    triggers=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - text: Raise checkout completion from 61% to 75%\n    confidence: 140\n",
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - text: Raise checkout completion from 61% to 75%\n    confidence: 0.6\n",
    ),
)
def invalid_confidence(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result's confidence is not a number between 0 and 1 (or 0–100%, or 1–10).

    What it does
    Flags a `confidence` that cannot be read or falls outside the accepted scales. The parsers normalise
    0–1, percentages and 1–10 scores to 0–1 and report anything else.

    Why it matters
    Confidence drives check-in questions and risk ordering; a wrong value silently misorders them.

    Example
    confidence: "high-ish"

    Use instead
    confidence: 0.6    (or 60%, or 6/10)
    """
    if kr.confidence is not None and not 0.0 <= kr.confidence <= 1.0:
        yield f"confidence {kr.confidence:g} is outside 0–1: use 0–1, a percentage, or a 1–10 score"


@rule(
    "KR017",
    "already-achieved",
    "suggestion",
    "kr",
    "kr-baseline-from-to",
    triggers=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - text: Raise checkout completion from 61% to 75%\n    current: 78\n",
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - text: Raise checkout completion from 61% to 75%\n    current: 66\n",
    ),
)
def already_achieved(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result's current value already meets its target.

    What it does
    Compares the `current` field with the target (and the direction from the baseline) and flags key
    results already met.

    Why it matters
    A target met before the cycle is not a goal: it is sandbagging, or the target was set before the
    latest data came in.

    Example
    baseline: 61, target: 75, current: 78

    Use instead
    Re-set the target from today's value (78) to one that needs real change.
    """
    current = _number(kr.current)
    if current is None:
        return
    baseline, target = numbers(kr)
    if target is None:
        return
    direction = ctx.analysis(kr).direction
    if baseline is not None and baseline != target:
        direction = "increase" if target > baseline else "decrease"
    met = (direction == "decrease" and current <= target) or (direction != "decrease" and current >= target)
    if met and (direction in {"increase", "decrease"} or baseline is not None):
        yield f"current value ({current:g}) already meets the target ({target:g}): raise the ambition"
