"""The rule path's rewrites: restructure the draft, keep the team's words, ask where a number is unknown.

Never an invented number: unknown values are written "?" and come with the question that finds them.
When no honest text can be produced (corporate fog, a KPI kept steady), the proposal has no text, only
the questions and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from coach.analysis import analyse, clean
from coach.analysis.kr import analysis_of
from coach.knowledge.metrics import Metric, metrics
from coach.model import Finding, KeyResult, Objective
from coach.rewrite import shapes
from coach.rewrite.candidates import Candidate, candidates
from coach.rules.base import fix_of

_PLACEHOLDER_TOKEN = re.compile(
    r"(?<![\w$€£])[Xx]{1,3}(?=\s?%)|(?<=[$€£])\s?[Xx]{1,3}\b|\bN\d{1,3}\b|\b(?:TBD|TBC|TBA|tbd)\b|\?{2,}|"
    r"\[\s*(?:x|X|n|N|#|\?|\.\.\.|number|value|target|baseline|tbd|TBD)?\s*\]|\b(?:XX+|NN+)\b"
)
_LETTER_PLACEHOLDER = re.compile(r"\b(to|by|of|at|from)\s[XYZN](?=\s|$|[.,;)])")


@dataclass(slots=True)
class Draft:
    """What the rule path proposes for one element."""

    text: str | None
    rationale: str
    questions: list[str] = field(default_factory=list)
    initiative: str = ""
    extra_key_results: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)  # outcome KRs a task could become


# What each fix (declared by the rules, `@rule(..., fix=...)`) does when the rules answer.
FIXES = {
    "outcome": "measure what the work should change; keep the work as the initiative",
    "fill-placeholder": "mark the placeholder ? to be set",
    "one-measure": "keep one measure; the others become key results of their own",
    "change-not-keep": "watch a steady number as a health metric; ask what must change",
    "start-and-end": "add the missing start and end values as ?",
    "name-a-number": "ask for the number that shows it, with its start and end",
    "baseline": "add the starting value as ?",
    "drop-buzzwords": "ask what will be different, without the buzzwords",
    "ask-objective": "ask what will be different, and for whom, in one sentence",
    "one-goal": "keep one goal; ask whether the other is an objective or a key result",
    "number-to-kr": "move the number to a key result",
    "say-why": "ask why it matters this cycle",
}


def _as_written(phrase: str, text: str) -> str:
    """`phrase` (the analysis reads words in lower case) as `text` writes it: "ARR", not "arr"."""
    at = text.lower().find(phrase)
    return text[at : at + len(phrase)] if at >= 0 else phrase


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _owner_hint(owner: str | None) -> str:
    return f" Ask {owner}." if owner else " Ask the key result's owner."


def _fixes(findings: list[Finding]) -> set[str | None]:
    """The fixes the findings' rules declare (see FIXES)."""
    return {fix_of(f.code) for f in findings}


def _capital(text: str | None) -> str | None:
    """A lower-case draft's rewrite starts with a capital ("increase ..." -> "Increase ..."; "eNPS" stays)."""
    if not text:
        return text
    first = text.split(" ", 1)[0]
    return text[:1].upper() + text[1:] if first.isalpha() and first.islower() else text


def key_result(
    kr: KeyResult,
    objective: Objective,
    findings: list[Finding],
    owner: str | None,
    catalogue: Mapping[str, Metric] | None = None,
) -> Draft:
    fixes = _fixes(findings)
    if "outcome" in fixes:
        text = clean(kr.text).rstrip(" .!;,")
        return _outcome(text, objective, owner, metrics() if catalogue is None else catalogue)
    draft = _measured(kr, fixes, owner)
    draft.text = _capital(draft.text)
    return draft


def _measured(kr: KeyResult, fixes: set[str | None], owner: str | None) -> Draft:
    a = analysis_of(kr)
    text = clean(kr.text).rstrip(" .!;,")
    metric = _as_written(a.metric, text) if a.metric else None
    if "fill-placeholder" in fixes:
        filled = _LETTER_PLACEHOLDER.sub(r"\1 ?", _PLACEHOLDER_TOKEN.sub("?", text))
        if not a.has_baseline and " from " not in f" {filled} ":
            target = a.target_text if a.target_text and a.target_text in filled else None
            filled = shapes.add_start(filled, target, a.direction) or filled
        return Draft(
            filled,
            "The placeholder stands where the target should be; it is marked ? to be set.",
            [f"Which number should replace the placeholder in '{text}'?" + _owner_hint(owner)],
        )
    if "one-measure" in fixes:
        head, tail = shapes.split_tail(text)
        parts = [f"{part}{tail}" for part in shapes.split_measures(head)]
        if len(parts) >= 2:
            return Draft(
                parts[0],
                "One key result, one measure: each other measure becomes a key result of its own.",
                [f"Should '{part}' be its own key result, with its own owner?" for part in parts[1:]],
                extra_key_results=parts[1:],
            )
    if "change-not-keep" in fixes:
        return Draft(
            None,
            "Keeping a number steady is a health metric: watch it beside the OKRs, and use "
            "the key result for something that must change.",
            [f"What must change this cycle, beyond keeping '{text}'?"],
        )
    if fixes & {"start-and-end", "name-a-number"}:
        if metric:
            questions = [
                f"How is {metric} measured (which number)?",
                f"What is {metric} today?" + _owner_hint(owner),
                f"Where should {metric} be at the end of the cycle?",
            ]
        else:  # no measure named: ask for one first ("How is make X better measured" read badly)
            questions = [
                f"Which number would show that '{_lower_first(text)}' happened (a rate, a count, a time)?",
                "What is that number today?" + _owner_hint(owner),
                "Where should it be at the end of the cycle?",
            ]
        # "from ? to ?" only where it attaches to the measure ("Make the funnel better from ? to ?" did not)
        spanned = None if not metric and "name-a-number" in fixes else shapes.open_span(text, a.metric)
        return Draft(
            spanned,
            "A key result needs a start and an end value; both are marked ? to be filled in."
            if spanned
            else "A key result needs a measure, and a start and an end value: answer the questions.",
            questions,
        )
    if "baseline" in fixes:
        return Draft(
            shapes.add_start(text, a.target_text, a.direction),
            "The target needs its starting value to show the ambition.",
            [f"What is {metric or 'this number'} today, and where is it recorded?" + _owner_hint(owner)],
        )
    return Draft(None, "No rewrite from the rules for these findings; see the cited guidance.", [])


def _outcome(task: str, objective: Objective, owner: str | None, catalogue: Mapping[str, Metric]) -> Draft:
    """A task: keep it as the initiative and propose what it should change, from the outcome catalogue or
    the objective's own measure; the numbers stay ? until the team gives them."""
    found = candidates(task, clean(objective.text), catalogue)
    own = _objective_outcome(objective)
    if own is not None and not any(c.confident for c in found):
        found = [own, *found][:3]
    # only a sure match is written; the others are offered as choices (on tasks written apart from the
    # catalogue, a match on one word of a metric's name was right about one time in ten)
    chosen = next((c for c in found if c.confident), None)
    if found:
        names = "; ".join(f"({n}) {c.text.split(' from ')[0]}" for n, c in enumerate(found, start=1))
        which = f"Which of these would show that '{_lower_first(task)}' worked: {names}? Or name your own."
    else:
        which = (
            f"When '{_lower_first(task)}' is done, what will be different for the people it serves? "
            "Name one number that would show it (a rate, a count, a time)."
        )
    return Draft(
        text=chosen.text if chosen else None,
        rationale="The draft names work to do: keep it as the initiative, measure what it should change."
        + (
            " The rules are not sure which outcome fits: choose one of the options, or name your own."
            if chosen is None and found
            else ""
        ),
        questions=[
            which,
            "What is that number today, and where is it recorded?" + _owner_hint(owner),
            "What should it be at the end of the cycle?",
        ],
        initiative=task,
        candidates=found,
    )


def _objective_outcome(objective: Objective) -> Candidate | None:
    """The objective's own measure as an outcome KR ("Grow the number of clubs" -> "Increase the number of
    clubs from ? to ?"), when it names one and says which way it should move."""
    text = clean(objective.text)
    a = analyse(text)
    if not a.metric or a.task_like or a.compound or a.direction not in ("increase", "decrease"):
        return None
    if re.search(r"\s(?:and|&|or)\s|,", a.metric):  # "onboarding and activation": one measure per KR
        return None
    verb = "Increase" if a.direction == "increase" else "Reduce"
    text = f"{verb} {_as_written(a.metric, text)} from ? to ?"
    return Candidate(None, text, "your objective names it", confident=True)


def objective(obj: Objective, findings: list[Finding]) -> Draft:
    fixes = _fixes(findings)
    text = clean(obj.text).rstrip(" .!;,")
    questions: list[str] = []
    new: str | None = text
    reasons: list[str] = []
    if fixes & {"drop-buzzwords", "ask-objective"}:
        fog = shapes.buzzwords(text) if "drop-buzzwords" in fixes else []
        what = (
            "without " + ", ".join(f"'{word}'" for word in fog[:4])
            if fog
            else "without the buzzwords"
            if "drop-buzzwords" in fixes
            else "in one short sentence"
        )
        return Draft(
            None,
            "The rules cannot write this objective for you; answer the questions and rewrite it.",
            [
                f"What will be different at the end of the cycle, and for whom? (Say it {what}.)",
                "Why does it matter now?",
            ],
        )
    if "one-goal" in fixes:
        parts = shapes.split_goals(text)
        if len(parts) >= 2:
            new = parts[0]
            questions += [
                f"Is '{part}' a separate objective, or a key result of this one?" for part in parts[1:]
            ]
            reasons.append("one goal per objective")
    if "number-to-kr" in fixes and new:
        questions.append(f"Which key result should carry the number from '{text}'?")
        reasons.append("numbers belong in key results")
        new = shapes.without_numbers(new)
    if "say-why" in fixes:  # asked, never written as "so that ?"
        questions.append("Why does this matter this cycle, and for whom?")
    if new == text:  # nothing the rules can write: only the questions
        new = None
    return Draft(_capital(new), "; ".join(reasons).capitalize() + "." if reasons else "", questions)
