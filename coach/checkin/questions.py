"""The questions a check-in asks about one key result, from its state: what moved and why, what is off
track and why, what blocks, what would change the confidence (the checkin-questions passage)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coach.checkin.state import (
    KRState,
    confidence_fact,
    fmt_value,
    forecast_fact,
    latest_note,
    progress_fact,
    stale_fact,
    stall_fact,
)
from coach.checkin.values import pct
from coach.dates import Cycle

MAX_QUESTIONS = 5


@dataclass(slots=True)
class Question:
    topic: str  # moved | cause | blocked | decision | confidence | measure | plan | target | data | ...
    text: str
    facts: list[str]
    passage: str  # the knowledge passage id the question follows

    def to_dict(self) -> dict[str, object]:
        return {"topic": self.topic, "text": self.text, "facts": list(self.facts), "passage": self.passage}


# -- questions ---------------------------------------------------------------------------------------------
def questions_for(
    state: KRState, cycle: Cycle, now: date, stale_days: int, behind: list[str]
) -> list[Question]:
    asked: list[tuple[int, Question]] = []  # (priority, question); lower asks first

    def ask(priority: int, topic: str, text: str, passage: str, *facts: str) -> None:
        asked.append((priority, Question(topic, text, [f for f in facts if f], passage)))

    progress, confidence = progress_fact(state), confidence_fact(state)
    forecast, note = forecast_fact(state, cycle), latest_note(state)
    end = f"{cycle.end.day} {cycle.end:%B}"
    status = state.status
    if status == "no-data":
        days = (now - cycle.start).days
        ask(
            0,
            "data",
            f"Nobody has reported on this key result in the {days} days since the cycle started. "
            "Is it still being worked on, and who owns the number?",
            "checkin-stalled-krs",
            f"no rows for {state.kr_id} in the check-in history",
            f"{pct(state.expected)} of the cycle gone",
        )
        if state.spec.task_like:
            today = "Where does the work stand today, and what is left before it is done?"
        elif state.baseline is not None:
            start = fmt_value(state, state.baseline)
            today = f"What is the number today, measured the same way as the baseline ({start})?"
        else:
            today = "What is the number today, and where did it start? Bring both to the next check-in."
        ask(
            1,
            "moved",
            today,
            "checkin-cadence",
            f"the rhythm is at least every {stale_days} days",
        )
        ask(
            3,
            "measure",
            "If it is no longer a priority, should we say so openly and record why, rather than "
            "let it drift to the end of the cycle?",
            "checkin-questions",
        )
    if not state.spec.has_target:
        moved = ""
        if len(state.checkins) >= 2:
            first, latest = state.checkins[0].value, state.latest_value
            moved = f"it moved from {fmt_value(state, first)} to {fmt_value(state, latest)}"
        ask(
            0 if status != "no-data" else 2,
            "target",
            f"What number would count as success by {end}? Without a "
            "target we cannot tell whether the movement is enough, or score it at the end.",
            "kr-explicit-target",
            "no target in the draft",
            moved,
        )
        ask(
            2,
            "measure",
            f"Does this number show that “{state.objective}” is happening, or is it the wrong measure?",
            "checkin-questions",
        )
    if status in {"behind", "on-track", "ahead", "no-target"} and state.spec.direction != "maintain":
        previous = state.checkins[-2] if len(state.checkins) >= 2 else None
        if previous is not None and previous.value != state.latest_value:
            moved = (
                f"{fmt_value(state, previous.value)} on {previous.date} → "
                f"{fmt_value(state, state.latest_value)} on {state.latest_date}"
            )
            ask(
                4 if status == "behind" else 1,
                "moved",
                "What moved it since the last check-in, and which "
                "initiative can we credit? Is that repeatable?",
                "checkin-questions",
                moved,
            )
    if status == "behind":
        if state.gap is not None:
            ask(
                0,
                "cause",
                f"{pct(state.progress or 0)} of the way at {pct(state.expected)} of the cycle. What "
                "is causing the gap: the plan, how it is carried out, or something outside the team?",
                "checkin-stalled-krs",
                progress,
            )
        else:
            ask(
                0,
                "cause",
                "It is outside its bound. What caused it, and what brings it back?",
                "checkin-stalled-krs",
                progress,
            )
        ask(
            2,
            "blocked",
            "What is blocking progress right now, and who can remove it this week?",
            "checkin-questions",
            note,
        )
        ask(
            3,
            "decision",
            "Which initiative should change first (move people, narrow the scope, re-order the "
            "work) before we touch the key result itself? What decision or help do you need from me?",
            "checkin-stalled-krs",
        )
        if forecast:
            ask(
                5,
                "forecast",
                "What would have to be true to close the rest of the gap by the end, and is it realistic?",
                "checkin-stalled-krs",
                forecast,
            )
        ask(6, "plan", "What will be different by the next check-in?", "checkin-questions")
    elif status == "on-track":
        if state.spec.direction == "maintain":
            ask(
                0,
                "risk",
                "It is holding. What would tell us early that it is starting to slip?",
                "checkin-questions",
                progress,
            )
        else:
            ask(
                2,
                "risk",
                f"What is the biggest risk to holding this pace until {end}?",
                "checkin-questions",
                progress,
                forecast,
            )
        if state.confidence is not None and state.confidence < 0.8 and state.confidence_trend != "falling":
            ask(
                3,
                "confidence",
                f"Confidence is {state.confidence:.1f}. What one thing would raise it most?",
                "kr-confidence",
                confidence,
            )
    elif status == "ahead":
        ask(
            0,
            "target",
            f"Already {pct(state.progress or 0)} of the way at {pct(state.expected)} of the cycle. "
            "Was the target set too low, or did a one-off event move the number?",
            "targets-ambition-sandbagging",
            progress,
            note,
        )
        ask(
            2,
            "measure",
            "Is the number moving because the objective is being met, or could it move without "
            "the outcome changing?",
            "checkin-questions",
        )
        elsewhere = f" such as {', '.join(behind[:2])}" if behind else ""
        ask(
            3,
            "decision",
            f"If this pace holds, should the team raise the bar, or move effort to a key result "
            f"that is behind{elsewhere}?",
            "targets-ambition-sandbagging",
        )
    elif status == "done":
        if state.spec.task_like:
            ask(
                0,
                "outcome",
                "It is marked done. Which number should move now that it has shipped, and when "
                "will we see it?",
                "kr-outcome-not-task",
                f"marked done on {state.latest_date}",
                note,
            )
            ask(
                1,
                "measure",
                "Is anything left before it counts as done for the people it is for?",
                "checkin-questions",
            )
        else:
            ask(
                0,
                "learn",
                "It has reached its target. Will it hold to the end of the cycle, and what did we "
                "learn that applies to the key results still behind?",
                "retrospective",
                progress,
            )
    elif status == "open":
        ask(
            0,
            "plan",
            f"What is left before it is done, and will it land by {end}?",
            "checkin-questions",
            progress,
            f"latest: {state.checkins[-1].raw_value}" if state.checkins else "",
        )
        ask(2, "blocked", "What is blocking it, and who can unblock it?", "checkin-questions", note)
        ask(
            3,
            "outcome",
            "When it ships, which number should move, and how will we know?",
            "kr-outcome-not-task",
        )
    # flags, whatever the status
    if state.confidence_trend == "falling":
        ask(
            1,
            "confidence",
            "Confidence is falling. What changed, and what would bring it back up?",
            "kr-confidence",
            confidence,
            progress,
        )
    elif state.confidence is not None and status == "behind" and state.confidence >= 0.7:
        ask(
            1,
            "confidence",
            f"Confidence is {state.confidence:.1f} while progress is behind pace. What makes "
            "the owner confident: is a step change coming, and when?",
            "kr-confidence",
            progress,
        )
    elif state.confidence is not None and status == "on-track" and state.confidence < 0.5:
        ask(
            1,
            "confidence",
            f"Progress is on pace but confidence is only {state.confidence:.1f}. What does "
            "the owner see coming that the number does not show yet?",
            "kr-confidence",
            progress,
        )
    if state.stale:
        ask(
            1,
            "cadence",
            "What got in the way of updating it, and can the owner bring the current "
            f"{'status' if state.spec.task_like else 'number'} to this meeting?",
            "checkin-cadence",
            stale_fact(state, stale_days),
        )
    if state.stalled:
        ask(
            1,
            "stalled",
            "The number has stopped moving. What is holding it, and is the initiative behind it "
            "still the right bet?",
            "checkin-stalled-krs",
            stall_fact(state),
        )
        if state.stalled_for[0] >= 4 and not state.spec.task_like:
            ask(
                4,
                "measure",
                "Is this still the right key result, or has the evidence shown that the measure "
                "is wrong? If so, change it openly and record why.",
                "checkin-questions",
                stall_fact(state),
            )
    if status == "no-baseline":
        ask(
            0,
            "data",
            f"The draft has no baseline and there is one check-in ({fmt_value(state, state.latest_value)}), "
            "so progress cannot be measured yet. Where did the number start, and where can we find it?",
            "baselines-finding-the-start",
            f"target {fmt_value(state, state.target)}",
        )
    if state.baseline_from == "first check-in" and state.target is not None:
        ask(
            5,
            "data",
            f"The draft has no baseline, so progress is measured from the first check-in "
            f"({fmt_value(state, state.baseline)}). Is that where the number really started?",
            "baselines-finding-the-start",
        )
    asked.sort(key=lambda pair: pair[0])
    out: list[Question] = []
    topics: set[str] = set()
    for _, question in asked:
        if question.topic in topics:
            continue
        topics.add(question.topic)
        out.append(question)
    return out[:MAX_QUESTIONS]
