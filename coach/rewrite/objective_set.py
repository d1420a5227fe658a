"""The objective-set job: review a team's whole set of objectives and propose a sharper one.

    coach_set(doc, config, session=open_session(config, flags)) -> SetReport

The rules always answer first (`set_rules`: observations from the findings and the analysis, and a proposed
set that keeps, merges, moves and sets aside, never writing a new sentence or number). With a model, the
set, the rules' observations and the passages they cite are sent as `prompts/coach_objective_set.j2`; the
answer (`set_answer`) is used only when it names only the draft's ids, accounts for every objective, states
no number the draft does not, passes the guard's wording checks and, re-checked by the rules on a copy of
the draft, adds no finding the draft had not. Otherwise the rules' set stands, with the reason.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from coach.config import Config
from coach.engine import review_document
from coach.knowledge import Passage, passages, with_closest
from coach.llm.session import ModelSession
from coach.model import Document, Finding
from coach.rewrite.set_rules import Observation, SetObjective, SetProposal, observe, propose

__all__ = ["RULES", "Observation", "SetObjective", "SetProposal", "SetReport", "coach_set"]

RULES = "rules"


@dataclass(slots=True)
class SetReport:
    document: Document
    observations: list[Observation]
    proposal: SetProposal
    answered_by: str  # the model's label, or "rules"
    model: str | None
    note: str  # who answered, in a sentence
    reason: str | None = None  # why the model's answer was not used
    dropped: bool = False  # a model's set was dropped after the re-check
    citations: list[Passage] = field(default_factory=list)
    before: list[str] = field(default_factory=list)  # finding codes on the draft
    after: list[str] | None = None  # finding codes on the model's set (None: the rules' set, not re-checked)
    usage: Any = None  # coach.llm.client.Usage when a model was asked


def draft_text(doc: Document) -> str:
    """The set as the prompt shows it: one line per objective and per key result, each with its id."""
    lines: list[str] = []
    for obj in doc.objectives:
        lines.append(f"{obj.id}: {obj.text}")
        if obj.description:
            lines.append(f"  why: {obj.description}")
        lines += [f"  {kr.id}: {kr.text}" for kr in obj.key_results]
    return "\n".join(lines)


def _set_findings(doc: Document, findings: list[Finding]) -> list[Finding]:
    """The findings about the set: on objectives, and the set rules'."""
    objectives = {o.id for o in doc.objectives}
    return [f for f in findings if f.target in objectives or f.code.startswith("SET")]


def coach_set(doc: Document, config: Config | None = None, session: ModelSession | None = None) -> SetReport:
    """Review the draft's whole set of objectives and propose a sharper one.

    `session`: the model, its cache, budget and breaker (`coach.llm.session.open_session`); none, or one
    without a model, and the rules answer.
    """
    config = config or Config()
    session = session or ModelSession()
    spec = session.spec
    findings = review_document(doc, config)
    observations = observe(doc, findings, config)
    shipped = passages()
    cited = [shipped[p] for p in dict.fromkeys(o.passage for o in observations) if p in shipped]
    report = SetReport(
        doc,
        observations,
        propose(doc, observations, config),
        RULES,
        spec.label if spec else None,
        "",
        reason=session.problem,
        citations=cited,
        before=sorted({f.code for f in findings}),
    )
    client = session.client if doc.objectives else None
    if client is not None:
        client.begin_run()
        asyncio.run(_ask(client, report, findings, session.knowledge_store(), config))
        report.usage = client.usage
    if spec is None:
        report.note = (
            f"no model configured ({session.problem}): the rules answered"
            if session.problem
            else "no model configured: the rules answered (set OKRCOACH_MODEL or --model to use one)"
        )
    elif report.answered_by == RULES:
        report.note = f"{spec.label}'s set was not used ({report.reason}): the rules answered"
    else:
        report.note = f"{spec.label} answered; its set passed the checks and adds no finding"
    return report


def _grounding(report: SetReport, store: Any) -> list[Passage]:
    """The passages the observations cite, plus the closest ones from the store (when it can be reached)."""
    query = " ".join(o.message for o in report.observations) or "focus fewer objectives"
    return with_closest(report.citations, store, query)


async def _ask(client: Any, report: SetReport, findings: list[Finding], store: Any, config: Config) -> None:
    from coach.prompts import render
    from coach.rewrite import set_answer

    doc = report.document
    grounding = _grounding(report, store)
    prompt = render(
        "coach_objective_set",
        draft=draft_text(doc),
        observations=report.observations,
        findings=_set_findings(doc, findings),
        passages=grounding,
    )
    answer = await client.ask(prompt, set_answer.OBJECTIVE_SET)
    if answer.fields is None:
        report.reason = answer.reason
        return
    known = {p.id: p for p in grounding}
    secret = client.spec.api_key.reveal() if client.spec.api_key else None
    verdict = set_answer.check(
        answer.fields, doc, lambda draft: review_document(draft, config), set(known), secret
    )
    if verdict.fields is None:
        report.reason, report.dropped = verdict.reason, verdict.dropped
        return
    report.proposal = set_answer.proposal_of(verdict.fields, doc)
    report.citations = [known[i] for i in verdict.fields["cited_passages"]] or report.citations
    report.answered_by = client.spec.label
    report.reason = None
    report.after = sorted({f.code for f in verdict.after})
