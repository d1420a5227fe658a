"""Rules about what kind of key result this is and whether it can be measured (KR001-KR009). Each reads
the KR's analysis (coach.analysis). Its owner, length and stated numbers: coach.rules.key_result_fields."""

from __future__ import annotations

import re
from collections.abc import Iterator

from coach.analysis.kr import analysis_of
from coach.model import KeyResult, Objective
from coach.rules.base import Context, rule

_PLACEHOLDER_FIELD = re.compile(r"(?i)tbd|tbc|tba|x+%?|n|\?+|-|n/a|unknown|\[.*\]|<.*>")


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
    a = analysis_of(kr)
    if a.lead_verb:
        return f"'{a.lead_verb}'"
    return _quote(kr.text, 32)


@rule(
    "KR001",
    "task-like-kr",
    "warning",
    "kr",
    "kr-outcome-not-task",
    fix="outcome",
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
    a = ctx.analysis(kr)
    if a.kind in _KIND_MESSAGES:
        yield _KIND_MESSAGES[a.kind].format(what=_what(kr)) + _why(a.reason)


@rule(
    "KR002",
    "output-count-kr",
    "warning",
    "kr",
    "kr-output-counts",
    fix="outcome",
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
    a = ctx.analysis(kr)
    if a.kind == "output_count":
        yield (
            f"counts outputs ({_what(kr)}{' ' + a.target_text if a.target_text else ''}): measure what "
            "those outputs should change, and keep the count as an initiative" + _why(a.reason)
        )


@rule(
    "KR003",
    "no-target",
    "warning",
    "kr",
    "kr-explicit-target",
    fix="start-and-end",
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
    a = ctx.analysis(kr)
    if a.task_like or a.has_target or a.placeholders or a.vague_direction or not a.metric:
        return
    yield f"names a measure ({_quote(a.metric)}) but no end value: state the target, e.g. '… to <number>'"


@rule(
    "KR004",
    "no-baseline",
    "suggestion",
    "kr",
    "kr-baseline-from-to",
    fix="baseline",
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
    a = ctx.analysis(kr)
    if a.task_like or not a.has_target or a.has_baseline or a.maintain:
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
    fix="name-a-number",
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
    a = ctx.analysis(kr)
    if a.task_like or a.placeholders or a.vague_direction or a.metric:
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
    fix="outcome",
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
    a = ctx.analysis(kr)
    if a.kind == "binary":
        yield f"is yes/no ({_what(kr)}): it shows no progress until it is done; measure what it unlocks"


@rule(
    "KR007",
    "compound-kr",
    "warning",
    "kr",
    "kr-one-measure",
    fix="one-measure",
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
    a = ctx.analysis(kr)
    if a.compound:
        yield "measures two things: split it into one key result per measure"


@rule(
    "KR008",
    "direction-only",
    "warning",
    "kr",
    "kr-direction-only",
    fix="start-and-end",
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
    a = ctx.analysis(kr)
    if a.task_like or a.has_target or a.placeholders or not a.vague_direction:
        return
    verb = f"'{a.lead_verb}'" if a.lead_verb else "a direction"
    yield f"gives {verb} but no end value: say how far, e.g. 'from <today> to <target>'"


@rule(
    "KR009",
    "placeholder-value",
    "warning",
    "kr",
    "kr-placeholders",
    fix="fill-placeholder",
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
    a = ctx.analysis(kr)
    found = list(a.placeholders)
    for name, value in (("baseline", kr.baseline), ("target", kr.target)):
        if isinstance(value, str) and _PLACEHOLDER_FIELD.fullmatch(value.strip()):
            found.append(f"{name}: {value}")
    if found:
        listed = ", ".join(repr(p) for p in found[:3])
        yield f"has a placeholder ({listed}): set the number before the cycle starts"
