"""Rules about one key result. Each reads the KR's analysis (coach.analysis) and its fields."""

from __future__ import annotations

import re
from collections.abc import Iterator

from coach.analysis import MAX_KR_CHARS
from coach.model import KeyResult, Objective
from coach.rules.base import Context, rule

_KIND_MESSAGES = {
    "task": "names work to do ({what}), not the result it should produce: measure the outcome and list the "
    "work as an initiative",
    "milestone": "is a milestone ({what}): it is done or not done; measure what finishing it should change",
    "capability": "describes a capability ({what}), not a result: measure how people use it or what it "
    "changes",
    "coverage": "counts coverage of your own work ({what}): measure the effect that coverage should have",
}


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return f"'{text[:limit].rstrip()}…'" if len(text) > limit else f"'{text}'"


def _why(reason: str) -> str:
    """The analysis' reason, quoted so the writer sees which words decided the kind."""
    return f" (read as: {reason})" if reason else ""


def _what(kr: KeyResult) -> str:
    a = kr.analysis
    if a is not None and a.lead_verb:
        return f"'{a.lead_verb}'"
    return _quote(kr.text, 32)


@rule(
    "KR001",
    "task-like-kr",
    "warning",
    "kr",
    "kr-outcome-not-task",
    triggers=(
        "Launch the new invoicing page",
        "Migrate billing to Stripe",
        "Admins can export audit logs",
        "Canary deployments for every service",
        "100% of roles have a written job description",
        "Pricing page redesign is live",
    ),
    passes=(
        "Raise checkout completion from 61% to 75%",
        "Cut p95 API latency below 300 ms",
        "Publish 4 help-centre articles",
    ),
)
def task_like(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result names a task, deliverable, milestone or capability instead of an outcome.

    What it does
    Flags key results whose head clause is an activity ("launch", "migrate", "build"), a deliverable
    ("a Rust SDK"), a finished state ("X is live"), a capability ("admins can ...") or coverage of the owner's
    own work ("100% of roles have a job description").

    Why it matters
    A task can be finished while nothing improves. Key results say how you will know the objective is
    happening; the work that should get you there belongs in initiatives.

    Example
    Launch the self-serve invoicing page

    Use instead
    Raise the share of invoices paid without a support ticket from 58% to 80% (initiative: launch the
    self-serve invoicing page)
    """
    a = kr.analysis
    if a is not None and a.kind in _KIND_MESSAGES:
        yield _KIND_MESSAGES[a.kind].format(what=_what(kr)) + _why(a.reason)


@rule(
    "KR002",
    "output-count-kr",
    "warning",
    "kr",
    "kr-output-counts",
    triggers=(
        "Publish 5 blog posts",
        "Hire 2 product managers",
        "Run 3 customer workshops",
        "Ship 4 new integrations",
    ),
    passes=("Grow organic sign-ups from 900 to 1,500 a month", "Reach 500 paying customers"),
)
def output_count(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result counts outputs ("publish 5 posts") rather than their effect.

    What it does
    Flags key results that count things the team produces or does — posts, workshops, hires, releases —
    even when a number makes them look measurable.

    Why it matters
    Five posts can be published and read by nobody. The count measures effort, which the team fully
    controls; a key result should measure what that effort is meant to change.

    Example
    Publish 5 blog posts about the new API

    Use instead
    Grow monthly API sign-ups from blog referrals from 40 to 120 (initiative: publish 5 posts)
    """
    a = kr.analysis
    if a is not None and a.kind == "output_count":
        yield (
            f"counts outputs ({_what(kr)}{' ' + a.target_text if a.target_text else ''}): measure what "
            "those outputs should change, and keep the count as an initiative" + _why(a.reason)
        )


def _is_outcome(kr: KeyResult) -> bool:
    return kr.analysis is not None and not kr.analysis.task_like


@rule(
    "KR003",
    "no-target",
    "warning",
    "kr",
    "kr-explicit-target",
    triggers=("Weekly active teams on the mobile app", "Churn for annual plans"),
    passes=(
        "Weekly active teams on the mobile app reach 2,000",
        "Improve payout reliability",
        "Launch the referral programme",
    ),
)
def no_target(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result names a measure but no end value.

    What it does
    Flags outcome key results that name what to measure (a metric) without saying where it should end.

    Why it matters
    Without a number, nobody can tell at the end of the cycle whether the key result was met, and every
    reader imagines a different ambition.

    Example
    Weekly active teams on the mobile app

    Use instead
    Weekly active teams on the mobile app from 1,200 to 2,000
    """
    a = kr.analysis
    if a is None or a.task_like or a.has_target or a.placeholders or a.vague_direction or not a.metric:
        return
    yield f"names a measure ({_quote(a.metric)}) but no end value: state the target, e.g. '… to <number>'"


@rule(
    "KR004",
    "no-baseline",
    "suggestion",
    "kr",
    "kr-baseline-from-to",
    triggers=("Raise checkout completion to 75%", "Cut p95 API latency below 300 ms"),
    passes=("Raise checkout completion from 61% to 75%", "Publish 5 blog posts", "NPS up from 31 to 45"),
)
def no_baseline(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result states a target but not where it starts.

    What it does
    Flags outcome key results with an end value but no starting value, in the text ("from X to Y",
    "currently X") or in a `baseline` field.

    Why it matters
    "75%" is ambitious from 40% and trivial from 74%. Without the start, nobody can judge the ambition,
    and progress during the cycle has no reference.

    Example
    Raise checkout completion to 75%

    Use instead
    Raise checkout completion from 61% to 75%
    """
    a = kr.analysis
    if a is None or a.task_like or not a.has_target or a.has_baseline or a.maintain:
        return
    if a.quantifier in {"zero", "none", "no", "never", "eliminate", "eliminates", "eliminated"}:
        return  # "zero P1 incidents" starts wherever it starts; the target alone is the point
    yield (
        "states a target but no starting value: write it as 'from <baseline> to <target>' (ask the owner "
        "for today's value if nobody knows it)"
    )


@rule(
    "KR005",
    "not-measurable",
    "warning",
    "kr",
    "kr-measurable",
    triggers=(
        "Customers love the new editor",
        "Our docs feel delightful",
        "Everything is fine, no changes needed",
    ),
    passes=("Editor CSAT from 3.9 to 4.4", "Improve payout reliability", "No customer waits more than a day"),
)
def not_measurable(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result names no measure at all.

    What it does
    Flags outcome key results with no number and no recognisable metric: a feeling or a state described
    in words only.

    Why it matters
    A key result is the evidence that the objective is happening. If nobody can say how it would be
    checked, it is a second objective, not a key result.

    Example
    Customers love the new editor

    Use instead
    Editor CSAT from 3.9 to 4.4, and share of documents edited in the new editor from 20% to 60%
    """
    a = kr.analysis
    if a is None or a.task_like or a.placeholders or a.vague_direction or a.metric:
        return
    if a.has_target and (a.target is not None or a.quantifier not in {"no", "none", "never"}):
        return  # a number, "all", "zero ..." or a cadence is something to check against
    yield (
        "names nothing that can be measured: say which number would show this (a rate, count, time, "
        "score) and its target"
    )


@rule(
    "KR006",
    "binary-kr",
    "suggestion",
    "kr",
    "kr-binary",
    triggers=("SOC 2 Type II achieved", "Get board approval for the 2027 budget", "Pass the ISO 27001 audit"),
    passes=("Reduce audit findings from 14 to 3", "Raise checkout completion from 61% to 75%"),
)
def binary(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result is a yes/no milestone: achieved, approved, passed.

    What it does
    Flags key results that can only be fully met or not met at all: a certification, an approval, a pass.

    Why it matters
    A yes/no key result shows no progress until the last day and cannot be graded. It is usually a
    milestone on the way to an outcome that can be measured.

    Example
    SOC 2 Type II achieved

    Use instead
    Enterprise deals lost to security review from 6 to 1 (initiative: SOC 2 Type II audit)
    """
    a = kr.analysis
    if a is not None and a.kind == "binary":
        yield f"is yes/no ({_what(kr)}): it shows no progress until it is done; measure what it unlocks"


@rule(
    "KR007",
    "compound-kr",
    "warning",
    "kr",
    "kr-one-measure",
    triggers=(
        "Reduce p95 latency below 300 ms and error rate below 0.5%",
        "Grow sign-ups by 20% and cut churn to 3%",
    ),
    passes=("Reduce p95 latency from 480 ms to 300 ms", "Grow MRR from $120k to $180k"),
)
def compound(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result measures two things at once.

    What it does
    Flags key results that join two measures with their own targets ("… and …").

    Why it matters
    When one half is met and the other is not, the key result cannot be scored honestly, and the two
    measures often have different owners.

    Example
    Reduce p95 latency below 300 ms and error rate below 0.5%

    Use instead
    Two key results: "p95 latency from 480 ms to below 300 ms" and "error rate from 1.2% to below 0.5%"
    """
    a = kr.analysis
    if a is not None and a.compound:
        yield "measures two things: split it into one key result per measure"


@rule(
    "KR008",
    "direction-only",
    "warning",
    "kr",
    "kr-direction-only",
    triggers=("Improve payout reliability", "Increase trial-to-paid conversion", "Optimise onboarding"),
    passes=("Increase trial-to-paid conversion from 8% to 12%", "Weekly active teams"),
)
def direction_only(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result says which way to go but not how far ("improve", "increase").

    What it does
    Flags outcome key results led by a direction word — improve, increase, reduce, optimise, enhance —
    with no end value.

    Why it matters
    Any change in the right direction meets it, so it cannot be failed and says nothing about ambition.

    Example
    Increase trial-to-paid conversion

    Use instead
    Increase trial-to-paid conversion from 8% to 12%
    """
    a = kr.analysis
    if a is None or a.task_like or a.has_target or a.placeholders or not a.vague_direction:
        return
    verb = f"'{a.lead_verb}'" if a.lead_verb else "a direction"
    yield f"gives {verb} but no end value: say how far, e.g. 'from <today> to <target>'"


@rule(
    "KR009",
    "placeholder-value",
    "warning",
    "kr",
    "kr-placeholders",
    triggers=("Reduce refund handling time to X days", "Reach N10 weekly active teams", "NPS to [TBD]"),
    passes=("Reduce refund handling time from 6 to 2 days",),
)
def placeholder(kr: KeyResult, objective: Objective, ctx: Context) -> Iterator[str]:
    """Key result holds a placeholder where a number should be (X%, N, TBD).

    What it does
    Flags placeholder values in the text ("X%", "N10", "[TBD]", "??") or in the baseline/target fields.

    Why it matters
    A placeholder means the target has not been set. Left in, it survives into the cycle and the key
    result cannot be scored.

    Example
    Reduce refund handling time to X days

    Use instead
    Reduce refund handling time from 6 days to 2 days
    """
    a = kr.analysis
    found = list(a.placeholders) if a is not None else []
    for name, value in (("baseline", kr.baseline), ("target", kr.target)):
        if isinstance(value, str) and _PLACEHOLDER_FIELD.fullmatch(value.strip()):
            found.append(f"{name}: {value}")
    if found:
        listed = ", ".join(repr(p) for p in found[:3])
        yield f"has a placeholder ({listed}): set the number before the cycle starts"


_PLACEHOLDER_FIELD = re.compile(r"(?i)tbd|tbc|tba|x+%?|n|\?+|-|n/a|unknown|\[.*\]|<.*>")


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
    a = kr.analysis
    if a is not None and a.maintain:
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
    a = kr.analysis
    if a is None or a.task_like or a.has_target or a.placeholders:
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
    a = kr.analysis
    baseline = _number(kr.baseline)
    target = _number(kr.target)
    if baseline is None and a is not None:
        baseline = a.baseline
    if target is None and a is not None:
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
    a = kr.analysis
    if a is None or a.maintain:
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
    direction = kr.analysis.direction if kr.analysis else None
    if baseline is not None and baseline != target:
        direction = "increase" if target > baseline else "decrease"
    met = (direction == "decrease" and current <= target) or (direction != "decrease" and current >= target)
    if met and (direction in {"increase", "decrease"} or baseline is not None):
        yield f"current value ({current:g}) already meets the target ({target:g}): raise the ambition"
