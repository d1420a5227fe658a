"""What the objective-set job asks the model for (its answer schema and the shape check an answer passes
before it is cached, as one `Task` for the client) and what a model's set must pass before it is used.

The checks reuse the answer guard's (`coach.llm.guard`): its size and wording screen for every text, its
numbers, its topic test and its re-check. On top of them, a set answer may name only the draft's own
objective and key result ids, must account for every objective once, and may use only numbers the draft
states. Imported only when a model is asked: pydantic and the client are not needed on the rule path.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

from coach.llm import guard, scrub
from coach.llm.client import Task
from coach.model import Document, Finding, KeyResult, Objective
from coach.rewrite.answer import SYSTEM
from coach.rewrite.set_rules import SetObjective, SetProposal

MAX_OBJECTIVES = 12  # proposed objectives in one answer (a set is one to five)
MAX_IDS = 60  # ids in one list
# The token cap, sized to the schema: up to five objectives (one line and a few ids each, ~600 tokens), a
# rationale and five questions (~400), the cited ids and the JSON around them.
ANSWER_MAX_TOKENS = 1400


def answer_schema() -> Any:
    """The pydantic schema the model answers in (built lazily: pydantic is not needed on the rule path)."""
    from pydantic import BaseModel, Field

    class ProposedObjective(BaseModel):
        """One objective of the proposed set."""

        text: str = Field(description="the objective as it should read, one line, in the draft's words")
        from_objectives: list[str] = Field(description="ids of the draft objectives it keeps or merges")
        key_results: list[str] = Field(
            default_factory=list, description="ids of the draft key results it keeps"
        )

    class ObjectiveSet(BaseModel):
        """A sharper set of objectives built from the draft's own objectives and key results."""

        objectives: list[ProposedObjective] = Field(description="the proposed set, most important first")
        health_metrics: list[str] = Field(
            default_factory=list, description="ids of draft objectives to track as health metrics instead"
        )
        rationale: str = Field(description="why this set is sharper, one to three sentences")
        cited_passages: list[str] = Field(
            default_factory=list, description="ids of the GUIDANCE passages used"
        )
        questions: list[str] = Field(default_factory=list, description="questions for the team, at most five")

    return ObjectiveSet


def _ids(value: Any) -> list[str] | None:
    if (
        isinstance(value, list)
        and len(value) <= MAX_IDS
        and all(isinstance(v, str) and len(v) <= 200 for v in value)
    ):
        return value
    return None


def shape_problem(fields: dict[str, Any], secret: str | None = None) -> str | None:
    """Why a set answer cannot be used whatever the draft: size, shape, or wording (the guard's screen on
    every proposed objective, the rationale and the questions). Checked before caching."""
    objectives = fields.get("objectives")
    if not isinstance(objectives, list) or not all(isinstance(o, dict) for o in objectives):
        return "answer does not match the schema"
    if not objectives:
        return "empty answer: the model proposed no objectives"
    if len(objectives) > MAX_OBJECTIVES:
        return f"the model proposed {len(objectives)} objectives (at most {MAX_OBJECTIVES})"
    if _ids(fields.get("health_metrics") or []) is None:
        return "answer does not match the schema"
    for i, obj in enumerate(objectives, 1):
        if _ids(obj.get("from_objectives")) is None or _ids(obj.get("key_results") or []) is None:
            return "answer does not match the schema"
        one = {
            "text": obj.get("text"),
            "rationale": "",
            "initiative": "",
            "questions": [],
            "cited_passages": [],
        }
        problem = guard.shape_problem(one, secret)
        if problem:
            return f"proposed objective {i}: {problem}"
    whole = {
        "text": objectives[0].get("text"),
        "rationale": fields.get("rationale") or "",
        "initiative": "",
        "questions": fields.get("questions") or [],
        "cited_passages": fields.get("cited_passages") or [],
    }
    return guard.shape_problem(whole, secret)


OBJECTIVE_SET = Task(SYSTEM, answer_schema, ANSWER_MAX_TOKENS, check=shape_problem)


def sources(doc: Document) -> str:
    """Every text and field of the draft: the only place a set answer's numbers may come from."""
    parts: list[str] = [doc.team or "", doc.period or ""]
    for obj in doc.objectives:
        parts += [obj.text, obj.description or "", *obj.initiatives]
        for kr in obj.key_results:
            parts += [kr.text, kr.unit or "", *kr.initiatives]
            parts += [str(v) for v in (kr.baseline, kr.target, kr.current) if v is not None]
    return " ".join(parts)


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def ids_problem(fields: dict[str, Any], doc: Document) -> str | None:
    """Whether the answer names only the draft's ids, and accounts for every objective exactly once."""
    objective_ids = [o.id for o in doc.objectives]
    kr_ids = {kr.id for kr in doc.key_results()}
    named_objectives = [i for o in fields["objectives"] for i in o["from_objectives"]] + fields[
        "health_metrics"
    ]
    named_krs = [i for o in fields["objectives"] for i in o.get("key_results") or []]
    unknown = [i for i in named_objectives if i not in objective_ids] + [
        i for i in named_krs if i not in kr_ids
    ]
    if unknown:
        shown = [scrub(i[:40], None) for i in dict.fromkeys(unknown)]
        return f"the model named ids that are not in the draft: {_listed(shown)}"
    if any(not o["from_objectives"] for o in fields["objectives"]):
        return "a proposed objective names no draft objective it comes from"
    twice = sorted({i for i in named_objectives if named_objectives.count(i) > 1})
    twice += sorted({i for i in named_krs if named_krs.count(i) > 1})
    if twice:
        return f"the model used {_listed(twice)} more than once"
    left_out = [i for i in objective_ids if i not in named_objectives]
    if left_out:
        return f"the model left out {_listed(left_out)} (neither kept, merged nor a health metric)"
    return None


def said(fields: dict[str, Any]) -> str:
    return " ".join([*(o["text"] for o in fields["objectives"]), fields["rationale"], *fields["questions"]])


def invented(fields: dict[str, Any], doc: Document) -> str | None:
    """Numbers the answer states that the draft's texts and fields do not."""
    new = sorted(guard.numbers(said(fields)) - guard.numbers(sources(doc)))
    if not new:
        return None
    verb = "is" if len(new) == 1 else "are"
    return f"the model invented numbers: it used {_listed(new)}, which {verb} not in the draft"


def off_topic(fields: dict[str, Any], doc: Document) -> str | None:
    """Whether a proposed objective is about something its draft objectives and key results are not."""
    by_id = {o.id: o for o in doc.objectives}
    kr_text = {kr.id: kr.text for kr in doc.key_results()}
    for i, proposed in enumerate(fields["objectives"], 1):
        own = [by_id[o] for o in proposed["from_objectives"]]
        topic = [guard.lead(o.text) for o in own] + [o.description or "" for o in own]
        topic += [guard.lead(kr_text[k]) for k in proposed.get("key_results") or []]
        subject = guard.Subject("objective", own[0].text, " ".join(topic), "", frozenset())
        problem = guard.off_topic(proposed["text"], subject)
        if problem:
            return f"proposed objective {i}: {problem}"
    return None


def apply(doc: Document, fields: dict[str, Any]) -> Document:
    """A copy of the draft holding the proposed set: each proposed objective is a copy of the first draft
    objective it comes from, with its text and the key results it keeps; health metrics are left out."""
    by_id = {o.id: o for o in doc.objectives}
    krs: dict[str, KeyResult] = {kr.id: kr for kr in doc.key_results()}
    objectives: list[Objective] = []
    for proposed in fields["objectives"]:
        first = by_id[proposed["from_objectives"][0]]
        obj = dataclasses.replace(copy.deepcopy(first), text=proposed["text"], key_results=[])
        obj.key_results = [copy.deepcopy(krs[k]) for k in proposed.get("key_results") or []]
        objectives.append(obj)
    return dataclasses.replace(doc, objectives=objectives)


def clean(raw: dict[str, Any], known_passages: set[str]) -> dict[str, Any]:
    """The answer's fields, whitespace folded, cited ids limited to the passages the prompt gave."""
    return {
        "objectives": [
            {
                "text": " ".join(str(o.get("text") or "").split()),
                "from_objectives": list(dict.fromkeys(o.get("from_objectives") or [])),
                "key_results": list(o.get("key_results") or []),
            }
            for o in raw["objectives"]
        ],
        "health_metrics": list(dict.fromkeys(raw.get("health_metrics") or [])),
        "rationale": " ".join(str(raw.get("rationale") or "").split()),
        "questions": [" ".join(q.split()) for q in raw.get("questions") or [] if q.strip()],
        "cited_passages": [c for c in raw.get("cited_passages") or [] if c in known_passages],
    }


def worse(before: list[Finding], after: list[Finding]) -> str | None:
    """Why the proposed set is worse than the draft by the rules' own measure (as `guard.recheck` says
    it): a finding the draft had not, more findings, or a worse one. A set need not resolve a finding of
    each key result, so, unlike a rewrite, it may resolve none."""
    new = sorted({f.code for f in after} - {f.code for f in before})
    if new:
        return f"it brings new findings ({', '.join(new)})"
    worst = max((f.severity.rank for f in before), default=0)
    if len(after) > len(before) or max((f.severity.rank for f in after), default=0) > worst:
        return "it has more or worse findings than the draft"
    return None


def check(
    raw: dict[str, Any],
    doc: Document,
    review: Callable[[Document], list[Finding]],
    known_passages: set[str],
    secret: str | None = None,
) -> guard.Verdict:
    """The one decision on a set answer. `review(doc)`: the rules' findings on a draft, so the draft and
    the proposed set are measured the same way; the set must add no finding the draft had not."""
    problem = shape_problem(raw, secret)
    if problem:
        return guard.Verdict(reason=problem)
    fields = clean(raw, known_passages)
    problem = ids_problem(fields, doc) or invented(fields, doc) or off_topic(fields, doc)
    if problem:
        return guard.Verdict(reason=problem)
    before, after = review(doc), review(apply(doc, fields))
    problem = worse(before, after)
    if problem:
        found = ", ".join(sorted({f.code for f in after})) or "none"
        return guard.Verdict(
            reason=f"dropped after the re-check: {problem} (proposed set: {found})", dropped=True, after=after
        )
    return guard.Verdict(fields=fields, after=after)


def proposal_of(fields: dict[str, Any], doc: Document) -> SetProposal:
    """A checked answer as the job's proposed set."""
    by_id = {o.id: o for o in doc.objectives}
    home = {kr.id: obj.id for obj in doc.objectives for kr in obj.key_results}
    items: list[SetObjective] = []
    for proposed in fields["objectives"]:
        first, *merged = proposed["from_objectives"]
        kept = proposed["key_results"]
        same = proposed["text"] == by_id[first].text
        action = "merge" if merged else "keep" if same else "reword"
        moved = [k for k in kept if home[k] not in proposed["from_objectives"]]
        items.append(SetObjective(first, proposed["text"], action, merged, kept, moved_in=moved))
    kept_anywhere = {k for o in items for k in o.key_results}
    dropped = [
        kr.id
        for obj in doc.objectives
        if obj.id not in fields["health_metrics"]
        for kr in obj.key_results
        if kr.id not in kept_anywhere
    ]
    return SetProposal(items, fields["health_metrics"], dropped, fields["questions"], fields["rationale"])
