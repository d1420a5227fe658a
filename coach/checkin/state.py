"""Where each key result stands on a given day: progress against the pace of the cycle, confidence, staleness,
stalls, a linear forecast and a risk score that orders the key results for a check-in."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from coach.checkin.values import KRSpec, fmt_number, kr_spec, pct, progress
from coach.dates import Cycle
from coach.model import Document, KeyResult, Objective

if TYPE_CHECKING:
    from coach.checkin.records import CheckIn, History

DEFAULT_STALE_DAYS = 14
STALL_CHECKINS = 3  # the same value this many check-ins in a row
STALL_DAYS = 21  # or unchanged for this many days
BEHIND = -0.1  # progress this far under the pace of the cycle is behind
AHEAD = 0.25  # and this far over it is ahead (a target worth questioning)
CONFIDENCE_MOVE = 0.15  # a change in confidence smaller than this (one point of ten) is noise
ATTENTION = 1.0  # a risk at or above this needs the meeting's time
_COUNT = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


@dataclass(slots=True)
class KRState:
    kr_id: str
    objective_id: str
    objective: str
    text: str
    owner: str | None
    spec: KRSpec
    checkins: list[CheckIn]  # in the cycle, up to the check-in date, oldest first
    baseline: float | None  # the KR's, else the first check-in's value (baseline_from says which)
    baseline_from: str | None  # field | text | first check-in | None
    target: float | None
    latest_value: float | None = None
    latest_date: date | None = None
    progress: float | None = None  # 0..1 of the way from baseline to target
    expected: float = 0.0  # the share of the cycle gone by
    gap: float | None = None  # progress - expected
    confidence: float | None = None  # the latest
    confidence_from: float | None = None  # the first of the last three ratings
    confidence_steps: int = 0  # check-ins between the two
    confidence_trend: str | None = None  # falling | rising | steady
    days_since: int | None = None  # since the last check-in
    stale: bool = False
    stalled: bool = False
    stalled_for: tuple[int, int] = (0, 0)  # (check-ins, days) the value has not moved
    forecast: float | None = None  # the value at the end of the cycle, linear from the check-ins
    forecast_progress: float | None = None
    forecast_note: str = ""
    status: str = "no-data"  # no-data | no-target | no-baseline | done | ahead | on-track | behind | open
    risk: float = 0.0
    reasons: list[str] = field(default_factory=list)  # what adds to the risk, most first

    @property
    def needs_attention(self) -> bool:
        return self.risk >= ATTENTION

    @property
    def unit(self) -> str | None:
        return self.spec.unit

    def to_dict(self) -> dict[str, Any]:
        return {
            "kr_id": self.kr_id,
            "objective_id": self.objective_id,
            "text": self.text,
            "owner": self.owner,
            "kind": self.spec.kind,
            "direction": self.spec.direction,
            "unit": self.spec.unit,
            "baseline": self.baseline,
            "baseline_from": self.baseline_from,
            "target": self.target,
            "checkins": len(self.checkins),
            "latest_value": self.latest_value,
            "latest_date": self.latest_date.isoformat() if self.latest_date else None,
            "progress": _round(self.progress),
            "expected": _round(self.expected),
            "gap": _round(self.gap),
            "confidence": self.confidence,
            "confidence_from": self.confidence_from,
            "confidence_trend": self.confidence_trend,
            "days_since_checkin": self.days_since,
            "stale": self.stale,
            "stalled": self.stalled,
            "forecast": _round(self.forecast, 4),
            "forecast_progress": _round(self.forecast_progress),
            "forecast_note": self.forecast_note,
            "status": self.status,
            "risk": round(self.risk, 2),
            "needs_attention": self.needs_attention,
            "risk_reasons": list(self.reasons),
        }


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def kr_states(
    doc: Document,
    history: History | None,
    cycle: Cycle,
    now: date,
    *,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> list[KRState]:
    """Every key result's state on `now`, the riskiest first (draft order breaks ties)."""
    rows = history.checkins if history is not None else {}
    states: list[KRState] = []
    for objective in doc.objectives:
        for kr in objective.key_results:
            mine = [c for c in rows.get(kr.id, ()) if c.date <= now and c.date in cycle]
            states.append(kr_state(kr, objective, mine, cycle, now, stale_days=stale_days))
    order = {state.kr_id: index for index, state in enumerate(states)}
    states.sort(key=lambda s: (-round(s.risk, 6), s.gap if s.gap is not None else 0.0, order[s.kr_id]))
    return states


def kr_state(
    kr: KeyResult,
    objective: Objective,
    checkins: list[CheckIn],
    cycle: Cycle,
    now: date,
    *,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> KRState:
    spec = kr_spec(kr)
    baseline, baseline_from = spec.baseline, spec.baseline_from
    if baseline is None and len(checkins) >= 2 and not spec.task_like:
        baseline, baseline_from = checkins[0].value, "first check-in"
    state = KRState(
        kr_id=kr.id,
        objective_id=objective.id,
        objective=objective.text,
        text=kr.text,
        owner=kr.owner or objective.owner,
        spec=spec,
        checkins=checkins,
        baseline=baseline,
        baseline_from=baseline_from,
        target=spec.target,
        expected=cycle.elapsed(now),
    )
    if checkins:
        latest = checkins[-1]
        state.latest_value, state.latest_date = latest.value, latest.date
        state.days_since = (now - latest.date).days
        state.stale = state.days_since > stale_days
        state.progress = progress(latest.value, spec, baseline)
        if state.progress is not None and spec.direction != "maintain" and not spec.task_like:
            state.gap = state.progress - state.expected
        _confidence(state)
        _stall(state, now)
        _forecast(state, cycle)
    elif kr.confidence is not None:
        state.confidence = kr.confidence
    state.status = _status(state)
    state.risk, state.reasons = _risk(state, stale_days)
    return state


def _confidence(state: KRState) -> None:
    rated = [c for c in state.checkins if c.confidence is not None][-3:]
    if not rated:
        return
    state.confidence = rated[-1].confidence
    if len(rated) < 2:
        return
    first, last = rated[0].confidence, rated[-1].confidence
    assert first is not None and last is not None
    state.confidence_from, state.confidence_steps = first, len(rated) - 1
    change = round(last - first, 6)
    state.confidence_trend = (
        "falling" if change <= -CONFIDENCE_MOVE else "rising" if change >= CONFIDENCE_MOVE else "steady"
    )


def _stall(state: KRState, now: date) -> None:
    if state.progress is not None and state.progress >= 1.0:
        return  # done is not stalled
    run = 1
    for previous in reversed(state.checkins[:-1]):
        if previous.value != state.checkins[-1].value:
            break
        run += 1
    if run < 2:
        return
    days = (now - state.checkins[-run].date).days
    state.stalled_for = (run, days)
    state.stalled = run >= STALL_CHECKINS or days >= STALL_DAYS


def _forecast(state: KRState, cycle: Cycle) -> None:
    points = [((c.date - cycle.start).days, c.value) for c in state.checkins]
    if state.spec.task_like:
        state.forecast_note = "a task: done or not, no forecast"
        return
    if len({x for x, _ in points}) < 2:
        state.forecast_note = f"not enough points ({len(points)} check-in{'s' if len(points) != 1 else ''})"
        return
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x, _ in points)
    state.forecast = mean_y + slope * (cycle.days - mean_x)
    state.forecast_progress = progress(state.forecast, state.spec, state.baseline)
    state.forecast_note = f"linear from {n} check-ins"


def _status(state: KRState) -> str:
    spec = state.spec
    if not state.checkins:
        return "no-data"
    if not spec.has_target:
        return "no-target"
    if state.progress is None:  # a target, but one check-in and no baseline to measure from
        return "no-baseline"
    if spec.task_like:
        return "done" if state.progress >= 1.0 else "open"
    if spec.direction == "maintain":
        return "on-track" if state.progress >= 1.0 else "behind"
    if state.progress >= 1.0:
        return "done" if state.expected >= 0.9 else "ahead"
    assert state.gap is not None
    if state.gap >= AHEAD:
        return "ahead"
    return "behind" if state.gap < BEHIND else "on-track"


def _risk(state: KRState, stale_days: int) -> tuple[float, list[str]]:
    """Points for each warning sign; the reasons read as a list, largest first."""
    parts: list[tuple[float, str]] = []
    if not state.checkins:
        parts.append((4.0, "no check-ins"))
    if not state.spec.has_target:
        parts.append((2.0, "no target"))
    elif state.baseline is None and not state.spec.task_like and state.spec.direction != "maintain":
        parts.append((1.5, "no baseline"))
    if state.status == "behind":
        if state.gap is not None:
            parts.append((min(3.0, 1.0 - state.gap * 5), "behind pace"))
        else:
            parts.append((2.5, "outside its bound"))
    if state.status == "open" and state.expected >= 0.5:
        parts.append((1.0 + 2 * (state.expected - 0.5), "not done yet"))
    if state.status == "ahead" and state.gap is not None and state.gap >= 0.4:
        parts.append((1.0, "far ahead: check the target"))
    if state.confidence_trend == "falling" and state.confidence_from is not None:
        assert state.confidence is not None
        drop = state.confidence_from - state.confidence
        parts.append((min(3.0, 1.0 + drop * 5), "falling confidence"))
    if state.confidence is not None and state.confidence < 0.5:
        parts.append((1.0, "low confidence"))
    if state.stale and state.days_since is not None:
        parts.append((min(3.0, 1.5 + (state.days_since - stale_days) / stale_days), "stale"))
    if state.stalled:
        parts.append((1.5, "stalled"))
    if (
        state.forecast_progress is not None
        and state.forecast_progress < 0.7
        and state.status in {"on-track", "behind"}
    ):
        parts.append((0.5, "forecast short of target"))
    parts.sort(key=lambda part: -part[0])
    return sum(points for points, _ in parts), [reason for _, reason in parts]


# -- facts: the sentences a manager reads -------------------------------------------------------------------
def fmt_value(state: KRState, value: float | None, digits: int | None = None) -> str:
    """A value in the KR's unit; `digits` rounds an estimate to that many significant digits."""
    if value is not None and digits is not None and value:
        value = round(value, max(0, digits - 1 - math.floor(math.log10(abs(value)))))
    return fmt_number(value, state.unit)


def progress_fact(state: KRState) -> str:
    if state.progress is None:
        return ""
    if state.spec.task_like:
        if state.progress >= 1:
            return f"done with {pct(1 - state.expected)} of the cycle left"
        done = (
            f"{pct(state.progress)} done" if state.progress > 0 else f"still “{state.checkins[-1].raw_value}”"
        )
        return f"{done} at {pct(state.expected)} of the cycle"
    if state.spec.direction == "maintain":
        bound = "at most" if state.spec.upper_bound else "at least"
        held = "holding" if state.progress >= 1 else "outside its bound"
        return (
            f"{held}: {fmt_value(state, state.latest_value)} against {bound} {fmt_value(state, state.target)}"
        )
    return (
        f"{pct(state.progress)} of the way from {fmt_value(state, state.baseline)} "
        f"to {fmt_value(state, state.target)} "
        f"at {pct(state.expected)} of the cycle"
    )


def confidence_fact(state: KRState) -> str:
    if state.confidence_trend in {"falling", "rising"} and state.confidence_from is not None:
        verb = "fell" if state.confidence_trend == "falling" else "rose"
        steps = _COUNT.get(state.confidence_steps, str(state.confidence_steps))
        plural = "s" if state.confidence_steps != 1 else ""
        return (
            f"confidence {verb} from {state.confidence_from:.1f} to {state.confidence:.1f} "
            f"in {steps} check-in{plural}"
        )
    if state.confidence is not None:
        return f"confidence {state.confidence:.1f}"
    return ""


def stale_fact(state: KRState, stale_days: int) -> str:
    return f"{state.days_since} days since the last check-in (the rhythm is at least every {stale_days} days)"


def stall_fact(state: KRState) -> str:
    count, days = state.stalled_for
    value = (
        f"“{state.checkins[-1].raw_value}”" if state.spec.task_like else fmt_value(state, state.latest_value)
    )
    return f"unchanged at {value} for the last {count} check-ins ({days} days)"


def forecast_fact(state: KRState, cycle: Cycle) -> str:
    if state.forecast is None or state.forecast_progress is None:
        return ""
    share = (
        "past the target" if state.forecast_progress >= 1 else f"{pct(state.forecast_progress)} of the way"
    )
    return f"at this rate it ends the cycle ({cycle.end}) near {fmt_value(state, state.forecast, 3)}, {share}"


def latest_note(state: KRState) -> str:
    comment = " ".join(state.checkins[-1].comment.split()) if state.checkins else ""
    return f"last note: “{comment[:120]}”" if comment else ""


def state_facts(state: KRState, cycle: Cycle, now: date, stale_days: int) -> list[str]:
    out: list[str] = []
    if not state.checkins:
        out.append(
            f"no check-in since the cycle started on {cycle.start} ({(now - cycle.start).days} days ago)"
        )
    else:
        assert state.latest_date is not None
        latest = (
            state.checkins[-1].raw_value if state.spec.task_like else fmt_value(state, state.latest_value)
        )
        out.append(
            f"latest {latest} on {state.latest_date} ({_count_checkins(len(state.checkins))} this cycle)"
        )
    out.append(progress_fact(state))
    if state.baseline_from == "first check-in" and state.target is not None:
        out.append(
            "no baseline in the draft: progress is measured from the first check-in, "
            f"{fmt_value(state, state.baseline)}"
        )
    if not state.spec.has_target:
        out.append("no target in the draft")
    out.append(confidence_fact(state))
    if state.stale:
        out.append(stale_fact(state, stale_days))
    if state.stalled:
        out.append(stall_fact(state))
    out.append(forecast_fact(state, cycle))
    out.append(latest_note(state))
    return [fact for fact in out if fact]


def _count_checkins(n: int) -> str:
    return f"{n} check-in" if n == 1 else f"{n} check-ins"
