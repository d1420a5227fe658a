"""The rewrite job: for every objective and key result with findings, a proposal — from the model when
one is configured and its answer survives the checks, from the rules otherwise. Never worse than the draft.

    rewrite_document(doc, config, session=open_session(config, flags)) -> RewriteReport

What the job asks the model for (its system text, answer schema and shape check) is `answer.REWRITE`.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from coach.config import Config
from coach.engine import review_document
from coach.knowledge import Passage, passages, with_closest
from coach.knowledge.metrics import Metric, metrics
from coach.llm import guard
from coach.llm.session import ModelSession
from coach.model import Document, Finding, KeyResult, Objective, Span
from coach.rewrite import deterministic
from coach.rewrite.answers import Answer, answered
from coach.rewrite.candidates import Candidate
from coach.rewrite.slots import probes
from coach.rules import catalogue
from coach.rules.base import fix_of

RULES = "rules"

# A rule declares the fix that answers its findings (`@rule(..., fix=...)`); what each fix does when the
# rules answer is coach.rewrite.deterministic, and the model is asked with the template the fixes call for.
FIXES = deterministic.FIXES


def fixable(scope: str) -> frozenset[str]:
    """The codes of the rules of `scope` ("kr" or "objective") that declare a fix."""
    return frozenset(code for code, r in catalogue(organisation=False).items() if r.fix and r.scope == scope)


REWRITE_OBJ = fixable("objective")  # the objective codes a rewrite answers


@dataclass(slots=True)
class Proposal:
    target: str
    kind: str  # objective | key_result
    template: str
    span: Span
    draft: str
    text: str | None
    rationale: str
    answered_by: str  # the model's label, or "rules"
    citations: list[Passage] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    initiative: str = ""
    extra_key_results: list[str] = field(default_factory=list)
    reason: str | None = None  # why the model's answer was not used
    dropped: bool = False  # a model rewrite was dropped after the re-check
    before: list[str] = field(default_factory=list)  # finding codes on the draft
    after: list[str] = field(default_factory=list)  # finding codes on the rewrite (its ? answered)
    candidates: list[Candidate] = field(default_factory=list)  # outcome KRs a task could become
    held_back: str | None = None  # why the rules offer no rewrite text, only their questions
    from_answers: bool = False  # the text was completed with the team's answers (--answers)

    @property
    def resolved(self) -> list[str]:
        if not self.text:
            return []
        return [code for code in self.before if code not in self.after]


@dataclass(slots=True)
class RewriteReport:
    document: Document
    proposals: list[Proposal]
    model: str | None
    note: str  # who answered overall, in a sentence
    usage: Any = None  # coach.llm.client.Usage when a model was asked


@dataclass(slots=True)
class _Item:
    element: Objective | KeyResult
    objective: Objective
    kind: str
    template: str
    findings: list[Finding]


def _items(doc: Document, findings: list[Finding]) -> list[_Item]:
    by_target: dict[str, list[Finding]] = {}
    for finding in findings:
        by_target.setdefault(finding.target or "", []).append(finding)
    items: list[_Item] = []
    for obj in doc.objectives:
        mine = [f for f in by_target.get(obj.id, []) if fix_of(f.code)]
        if mine:
            items.append(_Item(obj, obj, "objective", "rewrite_objective", mine))
        for kr in obj.key_results:
            found = [f for f in by_target.get(kr.id, []) if fix_of(f.code)]
            if not found:
                continue
            fixes = {fix_of(f.code) for f in found}
            template = (
                "split_task_kr"
                if "outcome" in fixes
                else "ask_baseline"
                if fixes == {"baseline"}
                else "rewrite_kr"
            )
            items.append(_Item(kr, obj, "key_result", template, found))
    return items


def _owner(item: _Item, doc: Document) -> str | None:
    element = item.element
    return (element.owner if isinstance(element, KeyResult) else None) or item.objective.owner or doc.owner


def _rules_draft(item: _Item, doc: Document, catalogue: Mapping[str, Metric]) -> deterministic.Draft:
    if isinstance(item.element, KeyResult):
        owner = _owner(item, doc)
        return deterministic.key_result(item.element, item.objective, item.findings, owner, catalogue)
    return deterministic.objective(item.element, item.findings)


def _subject(item: _Item, doc: Document, data: str, known: set[str]) -> guard.Subject:
    """What the guard holds a model answer to: this item, and the texts its numbers may come from.

    Numbers: the item's own text and fields, its data (the team's metrics, check-ins and the user's answers
    for this element id) and the period, never another element. Topic: the first sentence of the item, of
    its objective (or its key results) and of its initiatives, and its data.
    """
    element, obj = item.element, item.objective
    if isinstance(element, KeyResult):
        fields = (element.baseline, element.target, element.current)
        own = [element.text, *(str(v) for v in fields if v is not None)]
        topic = [element.text, obj.text, obj.description or "", element.unit or "", *element.initiatives]
    else:
        own = [element.text, element.description or ""]
        topic = [*own, *(kr.text for kr in element.key_results), *element.initiatives]
    return guard.Subject(
        kind=item.kind,
        draft=element.text,
        topic=" ".join([*(guard.lead(text) for text in topic), data]),
        sources=" ".join([*own, data, doc.period or ""]),
        codes=frozenset(f.code for f in item.findings),
        known_passages=frozenset(known),
    )


def _findings_after(doc: Document, item: _Item, new_text: str, config: Config) -> list[Finding]:
    """The rules' findings on the element once its text is replaced (on a copy of its objective).

    Only the element's own objective is copied: the findings about the element come from it, and copying
    the whole draft per item would make large drafts quadratic.
    """
    clone = dataclasses.replace(doc, objectives=[copy.deepcopy(item.objective)], diagnostics=[])
    for obj in clone.objectives:
        if obj.id == item.objective.id:
            if item.kind == "objective":
                obj.text = new_text
            for kr in obj.key_results:
                if kr.id == item.element.id and item.kind == "key_result":
                    kr.text = new_text
    return [f for f in review_document(clone, config) if f.target == item.element.id]


def _fill_from_metrics(
    doc: Document,
    proposals: list[Proposal],
    team_metrics: Any,
    config: Config,
    answers: Mapping[str, Answer],
    data: dict[str, str],
) -> None:
    """Open starts filled from the team's metrics (never over the team's own answer), and the value and its
    provenance added to the element's data, so a model may use that number too."""
    from coach.rewrite.from_data import starting_values
    from coach.rewrite.slots import fill

    texts = {
        p.target: p.text
        for p in proposals
        if p.kind == "key_result" and p.text and not (answers.get(p.target) or Answer()).baseline
    }
    for target, (value, provenance) in starting_values(doc, texts, team_metrics, config).items():
        for p in proposals:
            if p.target == target and p.text:
                p.text = fill(p.text, {"baseline": value})
                p.rationale = f"{p.rationale} Start: {provenance}.".strip()
                data[target] = " ".join(filter(None, [data.get(target, ""), f"Team metrics: {provenance}."]))


def _recheck(doc: Document, item: _Item, proposal: Proposal, config: Config) -> None:
    """The rules' findings on a rule-path rewrite as it will read once its ? are answered, and the rewrite
    held back when it would add a finding or resolve none (never worse than the draft)."""
    assert proposal.text is not None
    best: list[str] | None = None
    # a key result's ? stand for numbers; an objective's text is read as it is
    for probe in probes(proposal.text) if item.kind == "key_result" else [proposal.text]:
        codes = [
            f.code
            for f in _findings_after(doc, item, probe, config)
            if f.code in proposal.before or fix_of(f.code)
        ]
        if best is None or len(codes) < len(best):
            best = codes
        if not set(best) - set(proposal.before):
            break  # rising numbers add nothing: no need to try falling ones
    proposal.after = best or []
    added = sorted(set(proposal.after) - set(proposal.before))
    if added or not proposal.resolved:
        proposal.held_back = (
            f"the rewrite would add {', '.join(added)}" if added else "the rewrite would resolve nothing"
        )
        proposal.text = None
        proposal.extra_key_results = []


def _context(
    item: _Item, grounding: list[Passage], data: str, owner: str | None, metrics: list[dict[str, str]]
) -> dict[str, Any]:
    obj = item.objective
    return {
        "metrics": metrics,
        "objective": obj.text,
        "description": obj.description or "",
        "key_result": item.element.text,
        "key_results": [kr.text for kr in obj.key_results],
        "findings": item.findings,
        "passages": grounding,
        "data": data,
        "owner": owner or "",
    }


def _metric_grounding(item: _Item, proposal: Proposal, store: Any) -> list[dict[str, str]]:
    """For a task: the rules' outcome candidates, then the store's closest catalogue metrics (when it can be
    reached), at most five, as the prompt shows them."""
    if item.template != "split_task_kr":
        return []
    out = {c.metric.id: (c.metric, c.why) for c in proposal.candidates if c.metric}
    if store is not None:
        try:
            query = f"{item.element.text} {item.objective.text}"
            for metric in store.retrieve_metrics(query, 3, exclude=set(out)):
                out.setdefault(metric.id, (metric, ""))
        except Exception:  # retrieval only enriches the prompt; the rules' candidates suffice
            pass
    fields = ("name", "direction", "unit", "definition")
    return [{**{k: getattr(m, k) for k in fields}, "why": why} for m, why in list(out.values())[:5]]


def _grounding(item: _Item, store: Any) -> list[Passage]:
    """The passages the findings cite, plus the closest ones from the store (when it can be reached)."""
    shipped = passages()
    cited = [shipped[f.passage] for f in item.findings if f.passage in shipped]
    return with_closest(cited, store, " ".join(f.message for f in item.findings))


def rewrite_document(
    doc: Document,
    config: Config | None = None,
    *,
    session: ModelSession | None = None,
    data: dict[str, str] | None = None,
    answers: Mapping[str, Answer] | None = None,
    metric_catalogue: Mapping[str, Metric] | None = None,
    team_metrics: Any = None,
) -> RewriteReport:
    """Propose rewrites for every element with findings.

    `session`: the model, its cache, budget, concurrency and breaker (`coach.llm.session.open_session`);
    none, or one without a model, and the rules answer. A session used for several drafts shares its budget,
    cache use and breaker between them.
    `data`: the team's own facts per element id (metrics, check-ins, the user's answers to the questions).
    A model answer may use numbers only from its element's own text and fields and from that element's data.
    `answers`: the team's answers to the questions, by element id (coach.rewrite.answers): the rules' text
    completed with them (the chosen outcome, its numbers), re-checked like any rewrite; the model is not
    asked about an element the team answered.
    `team_metrics`: the team's metrics exports (coach.baselines.metrics.MetricsFile): an open start of a rule
    rewrite is filled from the series it matches, with where it was read (coach.rewrite.from_data).
    `metric_catalogue`: the outcome metrics (the shipped catalogue and a team's own; default the shipped one).
    """
    config = config or Config()
    session = session or ModelSession()
    spec, spec_problem = session.spec, session.problem
    findings = review_document(doc, config)
    items = _items(doc, findings)
    shipped = passages()
    proposals: list[Proposal] = []
    answers = answers or {}
    known = metrics() if metric_catalogue is None else metric_catalogue
    for item in items:
        floor = _rules_draft(item, doc, known)
        answer = answers.get(item.element.id)
        text = floor.text if answer is None else answered(floor.text, floor.candidates, answer, known)
        cited = list({f.passage: shipped[f.passage] for f in item.findings if f.passage in shipped}.values())
        proposals.append(
            Proposal(
                target=item.element.id,
                kind=item.kind,
                template=item.template,
                span=item.element.span,
                draft=item.element.text,
                text=text,
                rationale=floor.rationale,
                answered_by=RULES,
                citations=cited,
                questions=floor.questions,
                initiative=floor.initiative,
                extra_key_results=floor.extra_key_results,
                candidates=floor.candidates,
                from_answers=answer is not None and text != floor.text,
                reason=spec_problem,
                before=[f.code for f in item.findings],
            )
        )
    data = dict(data or {})  # the caller's stays as it was: the team's metrics and answers are added here
    if team_metrics is not None:
        _fill_from_metrics(doc, proposals, team_metrics, config, answers, data)
    usage = None
    client = session.client if items else None
    if client is not None:
        client.begin_run()
        store = session.knowledge_store()
        for element, answer in answers.items():
            data[element] = " ".join(filter(None, [data.get(element, ""), answer.describe()]))
        asked = [(i, p) for i, p in zip(items, proposals, strict=True) if not p.from_answers]
        asyncio.run(_ask_all(client, doc, [i for i, _ in asked], [p for _, p in asked], store, config, data))
        usage = client.usage
    for item, proposal in zip(items, proposals, strict=True):
        if proposal.text and proposal.answered_by == RULES:
            _recheck(doc, item, proposal, config)
    if spec is None:
        note = (
            f"no model configured ({spec_problem}): the rules answered"
            if spec_problem
            else "no model configured: the rules answered (set OKRCOACH_MODEL or --model to use one)"
        )
    else:
        by_model = sum(1 for p in proposals if p.answered_by != RULES)
        note = f"{spec.label} answered {by_model} of {len(proposals)}; the rules answered the rest"
    return RewriteReport(doc, proposals, spec.label if spec else None, note, usage)


async def _ask_all(
    client: Any,
    doc: Document,
    items: list[_Item],
    proposals: list[Proposal],
    store: Any,
    config: Config,
    data: dict[str, str],
) -> None:
    from coach.prompts import render
    from coach.rewrite.answer import REWRITE

    async def one(item: _Item, proposal: Proposal) -> None:
        grounding = _grounding(item, store)
        element_data = data.get(item.element.id, "")
        grounded = _metric_grounding(item, proposal, store)
        prompt = render(item.template, **_context(item, grounding, element_data, _owner(item, doc), grounded))
        answer = await client.ask(prompt, REWRITE)
        if answer.fields is None:
            proposal.reason = answer.reason
            return
        known = {p.id: p for p in grounding}
        subject = _subject(item, doc, element_data, set(known))
        secret = client.spec.api_key.reveal() if client.spec.api_key else None
        verdict = guard.check(
            answer.fields, subject, lambda text: _findings_after(doc, item, text, config), secret
        )
        if verdict.fields is None:
            proposal.dropped, proposal.reason = verdict.dropped, verdict.reason
            return
        fields = verdict.fields
        proposal.text = fields["text"]
        proposal.rationale = fields["rationale"]
        proposal.questions = fields["questions"]
        proposal.initiative = fields["initiative"] or proposal.initiative
        proposal.extra_key_results = []
        proposal.citations = [known[i] for i in fields["cited_passages"]] or proposal.citations
        proposal.answered_by = client.spec.label
        proposal.reason = None
        proposal.after = [f.code for f in verdict.after]

    await asyncio.gather(*(one(item, proposal) for item, proposal in zip(items, proposals, strict=True)))
