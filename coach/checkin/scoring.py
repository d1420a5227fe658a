"""End-of-cycle scoring: each key result from 0.0 to 1.0, each objective, the whole set, what the pattern
says, and the retrospective questions that follow (scoring-grading, targets-ambition-sandbagging,
retrospective).

    score_document(doc, history=None, now=...) -> Scorecard

A numeric key result scores the share of the way from baseline to target it covered, whichever way the
target lies, capped to 0..1; the current value is the latest check-in, else the draft's `current` field.
Without a baseline (none in the draft, fewer than two check-ins to take the first from), it scores as a
fraction of the target: latest / target for a metric to raise, target / latest for one to lower (1.0 at or
under the target), capped to 0..1, and the scorecard says it was scored without a baseline. A
task or binary key result scores 1.0 when the latest check-in (value or comment) says it is done; otherwise
it is not scored and the scorecard asks. An objective's score is the mean of its scored key results; the
overall score is the mean of the objectives' scores, so each objective counts once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from coach.checkin.values import field_number, fmt_number, kr_spec, progress, says_done
from coach.model import Document, KeyResult

if TYPE_CHECKING:
    from coach.checkin.records import CheckIn, History, RowProblem

VERY_LOW = 0.3  # below this, something structural is broken (scoring-grading)
HEALTHY = (0.6, 0.8)  # around 0.6–0.7 is healthy ambition for stretch goals; 0.8 and up is high
FULL = 0.999


def band(score: float) -> str:
    """very-low (< 0.3) | low (< 0.6) | healthy (0.6 to < 0.8) | high (< 1.0) | full (1.0)."""
    if score >= FULL:
        return "full"
    if score < VERY_LOW:
        return "very-low"
    if score < HEALTHY[0]:
        return "low"
    return "healthy" if score < HEALTHY[1] else "high"


@dataclass(slots=True)
class Note:
    """A sentence of interpretation or a retrospective question, with the passage it follows."""

    text: str
    passage: str
    target: str | None = None  # the KR or objective it is about; None for the whole set

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "passage": self.passage, "target": self.target}


@dataclass(slots=True)
class KRScore:
    kr_id: str
    objective_id: str
    text: str
    kind: str
    direction: str
    unit: str | None
    baseline: float | None
    target: float | None
    current: float | None
    current_from: str | None  # "check-in 2026-03-27" | "draft" | None
    score: float | None
    working: str  # how the score was reached, or why there is none
    band: str | None = None
    without_baseline: bool = False  # scored as a fraction of the target (no baseline to measure from)

    def to_dict(self) -> dict[str, object]:
        return {
            "kr_id": self.kr_id,
            "objective_id": self.objective_id,
            "text": self.text,
            "kind": self.kind,
            "direction": self.direction,
            "unit": self.unit,
            "baseline": self.baseline,
            "target": self.target,
            "current": self.current,
            "current_from": self.current_from,
            "score": None if self.score is None else round(self.score, 2),
            "band": self.band,
            "working": self.working,
            "without_baseline": self.without_baseline,
        }


@dataclass(slots=True)
class ObjectiveScore:
    objective_id: str
    text: str
    key_results: list[KRScore]
    score: float | None  # mean of the scored key results

    @property
    def unscored(self) -> list[KRScore]:
        return [kr for kr in self.key_results if kr.score is None]


@dataclass(slots=True)
class Scorecard:
    document: Document
    date: date
    objectives: list[ObjectiveScore]
    overall: float | None
    band: str | None
    interpretation: list[Note] = field(default_factory=list)
    questions: list[Note] = field(default_factory=list)
    history_path: str | None = None
    problems: list[RowProblem] = field(default_factory=list)

    def key_results(self) -> list[KRScore]:
        return [kr for objective in self.objectives for kr in objective.key_results]


def score_document(doc: Document, history: History | None = None, *, now: date) -> Scorecard:
    rows = history.checkins if history is not None else {}
    objectives: list[ObjectiveScore] = []
    for objective in doc.objectives:
        scores = [score_kr(kr, objective.id, rows.get(kr.id, [])) for kr in objective.key_results]
        objectives.append(ObjectiveScore(objective.id, objective.text, scores, _mean(scores)))
    means = [o.score for o in objectives if o.score is not None]
    overall = sum(means) / len(means) if means else None
    card = Scorecard(
        document=doc,
        date=now,
        objectives=objectives,
        overall=overall,
        band=band(overall) if overall is not None else None,
        history_path=history.path if history is not None else None,
        problems=list(history.problems) if history is not None else [],
    )
    card.interpretation = _interpret(card)
    card.questions = _questions(card)
    return card


def _mean(scores: list[KRScore]) -> float | None:
    values = [s.score for s in scores if s.score is not None]
    return sum(values) / len(values) if values else None


def score_kr(kr: KeyResult, objective_id: str, checkins: list[CheckIn]) -> KRScore:
    spec = kr_spec(kr)
    latest = checkins[-1] if checkins else None
    current, current_from = None, None
    if latest is not None:
        current, current_from = latest.value, f"check-in {latest.date}"
    elif kr.current is not None:
        current, current_from = field_number(kr.current), "draft"
    out = KRScore(
        kr.id,
        objective_id,
        kr.text,
        spec.kind,
        spec.direction,
        spec.unit,
        spec.baseline,
        spec.target,
        current,
        current_from,
        None,
        "",
    )
    if spec.task_like:
        done = _task_done(kr, latest)
        out.working = f"done ({current_from})" if done else "a task: say whether it was done"
        out.score = 1.0 if done else None
    elif spec.target is None:
        out.working = "no target: it cannot be scored"
    elif current is None:
        out.working = "no current value (no check-in, no `current` in the draft)"
    else:
        baseline = spec.baseline
        if baseline is None and len(checkins) >= 2 and spec.direction != "maintain":
            baseline = checkins[0].value
            out.baseline = baseline
        share = progress(current, spec, baseline)
        if share is None:
            share = _fraction_of_target(current, spec.target, spec.direction)
            out.without_baseline = share is not None
            out.working = (
                "no baseline: give one to score the distance covered"
                if share is None
                else _fraction_working(spec.unit, spec.direction, spec.target, current)
            )
            out.score = share
        else:
            out.score = share
            out.working = _working(
                spec.unit, spec.direction, spec.upper_bound, baseline, spec.target, current
            )
    if out.score is not None:
        out.band = band(out.score)
    return out


def _fraction_of_target(current: float, target: float, direction: str) -> float | None:
    """A score without a baseline: latest / target for a metric to raise, target / latest for one to lower
    (at or under the target scores 1.0), capped to 0..1. None where a ratio means nothing: a target at or
    below zero to raise, or a negative one to lower."""
    if direction == "decrease":
        if target < 0:
            return None
        return 1.0 if current <= target else target / current
    if target <= 0:
        return None
    return max(0.0, min(1.0, current / target))


def _fraction_working(unit: str | None, direction: str, target: float, current: float) -> str:
    ratio = (target, current) if direction == "decrease" else (current, target)
    return (
        f"{fmt_number(current, unit)} against a target of {fmt_number(target, unit)}: "
        f"{fmt_number(ratio[0])} / {fmt_number(ratio[1])} (scored as a fraction of the target, without a "
        "baseline)"
    )


def _task_done(kr: KeyResult, latest: CheckIn | None) -> bool:
    if latest is not None:
        if latest.value >= 1.0:
            return True
        return says_done(latest.raw_value) is None and says_done(latest.comment) is True
    return isinstance(kr.current, str) and says_done(kr.current) is True


def _working(
    unit: str | None, direction: str, upper: bool, baseline: float | None, target: float, current: float
) -> str:
    def show(value: float | None) -> str:
        return fmt_number(value, unit)

    if direction == "maintain" or baseline is None or baseline == target:
        bound = "at most" if upper else "at least"
        return f"{show(current)} against {bound} {show(target)}"
    covered, distance = current - baseline, target - baseline
    return (
        f"{show(baseline)} → {show(current)} against a target of {show(target)}: "
        f"{fmt_number(covered if distance > 0 else -covered)} of {fmt_number(abs(distance))}"
    )


def _interpret(card: Scorecard) -> list[Note]:
    notes: list[Note] = []
    scored = [kr for kr in card.key_results() if kr.score is not None]
    full = [kr for kr in scored if kr.score is not None and kr.score >= FULL]
    if card.overall is None:
        notes.append(
            Note(
                "Nothing could be scored: no key result has both a target and a current value.",
                "kr-explicit-target",
            )
        )
        return notes
    shown = f"{card.overall:.2f}"
    if len(scored) >= 2 and len(full) == len(scored):
        notes.append(
            Note(
                "Every scored key result reached 1.0. Perfect scores across the board suggest the "
                "targets were not a stretch: look for sandbagging before setting the next ones.",
                "targets-ambition-sandbagging",
            )
        )
    elif len(scored) >= 3 and len(full) / len(scored) >= 0.75:
        notes.append(
            Note(
                f"{len(full)} of {len(scored)} scored key results reached 1.0: check whether those "
                "targets asked for real progress.",
                "targets-ambition-sandbagging",
            )
        )
    overall = {
        "very-low": f"Overall {shown}: scores this low suggest something structural is broken — the wrong "
        "measure, an unrealistic target, missing resources, or goals the team could not influence.",
        "low": f"Overall {shown}: below the 0.6–0.7 band of healthy stretch goals. Name the cause of each "
        "miss in the retrospective before planning the next cycle.",
        "healthy": f"Overall {shown}: in the 0.6–0.7 band that usually means healthy ambition — stretched "
        "enough to be ambitious, grounded enough to be believed.",
        "high": f"Overall {shown}: above the 0.6–0.7 band. Strong delivery, or targets that did not stretch; "
        "compare with the confidence the team had at planning.",
        "full": f"Overall {shown}: everything hit in full.",
    }[card.band or "low"]
    if card.band != "full" or not notes:
        notes.append(Note(overall, "scoring-grading"))
    for objective in card.objectives:
        if objective.score is not None and objective.score < VERY_LOW and len(card.objectives) > 1:
            notes.append(
                Note(
                    f"{objective.objective_id} scored {objective.score:.2f}: look at that objective "
                    "as a whole — was it one the team could influence?",
                    "scoring-grading",
                    objective.objective_id,
                )
            )
    for kr in card.key_results():
        if kr.without_baseline:
            notes.append(
                Note(
                    f"{kr.kr_id} was scored without a baseline, as a fraction of the target "
                    f"({kr.score:.2f}): that counts where it ended, not how far it moved. State where it "
                    "started next cycle.",
                    "baselines-finding-the-start",
                    kr.kr_id,
                )
            )
    unscored = [kr for kr in card.key_results() if kr.score is None]
    if unscored:
        ids = ", ".join(kr.kr_id for kr in unscored)
        notes.append(
            Note(
                f"{len(unscored)} key result(s) not scored ({ids}); the means leave them out.",
                "scoring-grading",
            )
        )
    return notes


def _questions(card: Scorecard) -> list[Note]:
    out = [
        Note(
            "What did we achieve, what did we learn, and what would we do differently next cycle?",
            "retrospective",
        )
    ]
    for kr in card.key_results():
        if kr.score is None:
            if kr.kind in {"task", "milestone", "binary"} or "task" in kr.working:
                text = (
                    f"{kr.kr_id}: was it done? Score 1.0 if it was delivered, 0.0 if not — and which "
                    "outcome did it change?"
                )
                out.append(Note(text, "kr-outcome-not-task", kr.kr_id))
            elif kr.target is None:
                text = (
                    f"{kr.kr_id}: what number would have counted as success? Set one before the next cycle."
                )
                out.append(Note(text, "kr-explicit-target", kr.kr_id))
            else:
                out.append(
                    Note(f"{kr.kr_id}: what is the final number? ({kr.working})", "scoring-grading", kr.kr_id)
                )
        elif kr.band == "very-low":
            out.append(
                Note(
                    f"{kr.kr_id} scored {kr.score:.2f}: was the target realistic, was it the right "
                    "measure, and could the team move it? Which cause fits: execution, hypothesis, the "
                    "initiatives, authority, or the wrong key result?",
                    "retrospective",
                    kr.kr_id,
                )
            )
        elif kr.band == "low":
            out.append(
                Note(
                    f"{kr.kr_id} scored {kr.score:.2f}: which cause fits — execution, hypothesis, the "
                    "initiatives, authority, or the wrong key result — and what changes next cycle?",
                    "retrospective",
                    kr.kr_id,
                )
            )
        elif kr.band == "full":
            out.append(
                Note(
                    f"{kr.kr_id} reached 1.0: was it a stretch or did it come easily? Would you set "
                    "it higher next time?",
                    "targets-ambition-sandbagging",
                    kr.kr_id,
                )
            )
    return out
