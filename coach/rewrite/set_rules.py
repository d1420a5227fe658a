"""The objective-set job's rule path: what the rules and the analysis say about a team's whole set of
objectives, and the sharper set they propose. Deterministic and offline; it always runs.

It never writes a new sentence or a new number: it keeps, merges, moves and sets aside what the draft
already says, and where a new sentence is needed it asks a question instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.analysis.kr import analysis_of
from coach.analysis.similar import near_duplicates, tokens
from coach.config import Config
from coach.llm.guard import content_words
from coach.model import Document, Finding, KeyResult, Objective

# Each kind of observation and the knowledge passage it cites (knowledge/*.md).
PASSAGES = {
    "too-many-objectives": "number-of-objectives",
    "all-tasks": "initiatives-vs-krs",
    "misplaced-kr": "alignment-gaps",
    "duplicate-objective": "kr-duplicates",
    "duplicate-kr": "kr-duplicates",
    "kpi-objective": "okrs-vs-kpis",
    "project-objective": "obj-verb-what-why",
    "no-outcome-kr": "kr-outcome-not-task",
}


@dataclass(slots=True)
class Observation:
    """One thing said about the set: a stable kind, a message, the elements involved, a cited passage."""

    kind: str  # a key of PASSAGES
    message: str
    elements: list[str]  # objective and key result ids
    passage: str
    codes: list[str] = field(default_factory=list)  # the rule codes it rests on; none: the analysis


@dataclass(slots=True)
class SetObjective:
    """One objective of the proposed set."""

    id: str  # the draft objective it continues
    text: str
    action: str  # keep | reword | merge | reframe
    merged: list[str] = field(default_factory=list)  # other draft objectives merged into it
    key_results: list[str] = field(default_factory=list)  # draft key result ids it keeps
    initiatives: list[str] = field(default_factory=list)  # key results that are tasks, kept as the work
    moved_in: list[str] = field(default_factory=list)  # key results moved here from another objective
    questions: list[str] = field(default_factory=list)
    why: str = ""


@dataclass(slots=True)
class SetProposal:
    objectives: list[SetObjective]
    health_metrics: list[str] = field(default_factory=list)  # draft objectives tracked as health metrics
    dropped_krs: list[str] = field(default_factory=list)  # key results not kept (a copy of another)
    questions: list[str] = field(default_factory=list)  # about the set as a whole
    rationale: str = ""


def _words(text: str) -> set[str]:
    """A text's content words: its similarity tokens (coach.analysis.similar), stemmed, generic OKR words
    ("raise", "rate", "weekly") and numbers left out."""
    return content_words(" ".join(sorted(tokens(text))))


def _team(obj: Objective, doc: Document) -> str:
    return obj.team or doc.team or ""


def _codes(findings: list[Finding]) -> dict[str, set[str]]:
    """The codes of the findings on each element id."""
    out: dict[str, set[str]] = {}
    for f in findings:
        out.setdefault(f.target or "", set()).add(f.code)
    return out


def duplicate_pairs(
    items: list[tuple[str, str]], flagged: set[str], threshold: float
) -> list[tuple[str, str]]:
    """(first id, later id) for near-duplicate texts whose later copy the rules flagged (so that config
    and inline suppressions hold here too)."""
    pairs = near_duplicates([text for _, text in items], threshold)
    return [(items[i][0], items[j][0]) for i, j, _ in pairs if items[j][0] in flagged]


def misplaced(doc: Document) -> list[tuple[KeyResult, Objective, Objective, set[str]]]:
    """Key results that share no content word with their own objective (its text, its description and
    its other key results) but do share one with another objective's text or description: (key result,
    its objective, the objective it reads closer to, the shared words). The closest is the one sharing
    the most words, the first in the draft on a tie."""
    if len(doc.objectives) < 2:
        return []
    heads = {o.id: _words(f"{o.text} {o.description or ''}") for o in doc.objectives}
    out = []
    for obj in doc.objectives:
        for kr in obj.key_results:
            mine = _words(kr.text)
            own = heads[obj.id] | {
                w for other in obj.key_results if other is not kr for w in _words(other.text)
            }
            if not mine or mine & own:
                continue
            best: tuple[int, Objective, set[str]] | None = None
            for other_obj in doc.objectives:
                shared = mine & heads[other_obj.id]
                if other_obj is not obj and shared and (best is None or len(shared) > best[0]):
                    best = (len(shared), other_obj, shared)
            if best is not None:
                out.append((kr, obj, best[1], best[2]))
    return out


def observe(doc: Document, findings: list[Finding], config: Config) -> list[Observation]:
    """What the rules' findings and the analysis say about the set, in a stable order."""
    codes = _codes(findings)
    has = lambda element_id, code: code in codes.get(element_id, set())  # noqa: E731
    out: list[Observation] = []
    limit = int(config.thresholds["max-objectives"])
    teams: dict[str, list[Objective]] = {}
    for obj in doc.objectives:
        teams.setdefault(_team(obj, doc), []).append(obj)
    for team, objectives in teams.items():
        if any(has(o.id, "SET003") for o in objectives):
            who = f"team {team!r}" if team else "this draft"
            out.append(
                _obs(
                    "too-many-objectives",
                    f"{who} has {len(objectives)} objectives (at most {limit}): keep the ones that matter "
                    "most this cycle; the rest are business as usual",
                    [o.id for o in objectives],
                    ["SET003"],
                )
            )
    threshold = config.thresholds["duplicate-similarity"]
    flagged_objectives = {o.id for o in doc.objectives if has(o.id, "SET005")}
    for first, later in duplicate_pairs(
        [(o.id, o.text) for o in doc.objectives], flagged_objectives, threshold
    ):
        out.append(
            _obs("duplicate-objective", f"{later} repeats {first}: merge them", [first, later], ["SET005"])
        )
    krs = doc.key_results()
    flagged_krs = {kr.id for kr in krs if has(kr.id, "SET004")}
    for first, later in duplicate_pairs([(kr.id, kr.text) for kr in krs], flagged_krs, threshold):
        out.append(_obs("duplicate-kr", f"{later} repeats {first}: keep one", [first, later], ["SET004"]))
    for kr, own, other, shared in misplaced(doc):
        words = "', '".join(sorted(t for t in tokens(kr.text) if content_words(t) & shared))
        out.append(
            _obs(
                "misplaced-kr",
                f"{kr.id} reads closer to {other.id} (it shares '{words}' with it, no word with {own.id})",
                [kr.id, own.id, other.id],
            )
        )
    for obj in doc.objectives:
        if has(obj.id, "OBJ003"):
            out.append(
                _obs(
                    "kpi-objective",
                    f"{obj.id} keeps a number steady: track it as a health metric, not an objective",
                    [obj.id],
                    ["OBJ003"],
                )
            )
        if has(obj.id, "OBJ008"):
            out.append(
                _obs(
                    "project-objective",
                    f"{obj.id} names a project: say what it should change; the project is the work",
                    [obj.id],
                    ["OBJ008"],
                )
            )
        ids = [kr.id for kr in obj.key_results]
        if has(obj.id, "KR011"):
            out.append(
                _obs(
                    "all-tasks",
                    f"every key result of {obj.id} is a task ({', '.join(ids)}): they are the work; "
                    "it needs a key result that measures what the work should change",
                    [obj.id, *ids],
                    ["KR011"],
                )
            )
        elif not any(analysis_of(kr).kind == "outcome" for kr in obj.key_results):
            what = "has no key results" if not ids else "has no key result that measures an outcome"
            out.append(_obs("no-outcome-kr", f"{obj.id} {what}", [obj.id, *ids]))
    return out


def _obs(kind: str, message: str, elements: list[str], codes: list[str] | None = None) -> Observation:
    return Observation(kind, message, elements, PASSAGES[kind], codes or [])


def _root(merged_into: dict[str, str], obj_id: str) -> str:
    while obj_id in merged_into:
        obj_id = merged_into[obj_id]
    return obj_id


def propose(doc: Document, observations: list[Observation], config: Config) -> SetProposal:
    """The rules' proposed set, from their observations: duplicates merged into the first copy, KPI
    objectives set aside as health metrics, copied key results dropped, misplaced ones moved, the tasks of
    an all-task objective kept as its work; a question wherever a new sentence is needed."""
    by_kind: dict[str, list[Observation]] = {}
    for o in observations:
        by_kind.setdefault(o.kind, []).append(o)
    ids = lambda kind, at: [o.elements[at] for o in by_kind.get(kind, [])]  # noqa: E731
    merged_into: dict[str, str] = {}
    for first, later in (o.elements for o in by_kind.get("duplicate-objective", [])):
        if _root(merged_into, first) != later:
            merged_into[later] = _root(merged_into, first)
    health = [i for i in ids("kpi-objective", 0) if i not in merged_into]
    dropped = [i for i in ids("duplicate-kr", 1)]
    home = {kr.id: obj.id for obj in doc.objectives for kr in obj.key_results}
    moves = {o.elements[0]: o.elements[2] for o in by_kind.get("misplaced-kr", [])}
    for kr_id, target in moves.items():
        home[kr_id] = moves[kr_id] = _root(merged_into, target)
    for kr_id in home:
        home[kr_id] = _root(merged_into, home[kr_id])
    all_tasks, projects = set(ids("all-tasks", 0)), set(ids("project-objective", 0))
    no_outcome = set(ids("no-outcome-kr", 0))
    proposal = SetProposal([], health_metrics=health, dropped_krs=dropped)
    for obj in doc.objectives:
        if obj.id in merged_into or obj.id in health:
            continue
        merged = [o.id for o in doc.objectives if o.id != obj.id and _root(merged_into, o.id) == obj.id]
        kept = [kr.id for o in doc.objectives for kr in o.key_results if home[kr.id] == obj.id]
        kept = [k for k in kept if k not in dropped]
        item = SetObjective(obj.id, obj.text, "merge" if merged else "keep", merged, kept)
        item.moved_in = [k for k in kept if k in moves]
        reasons = [f"merges {', '.join(merged)} (the same objective)"] if merged else []
        if item.moved_in:
            reasons.append(f"takes {', '.join(item.moved_in)} (they read closer to it)")
        tasks_only = bool(kept) and all(analysis_of(kr).task_like for kr in _krs(doc, kept))
        if obj.id in all_tasks or (merged and tasks_only):
            item.action = "reframe"
            item.initiatives, item.key_results = kept, []
            reasons.append("its key results are tasks: they become its initiatives")
            item.questions.append(f"What should {', '.join(kept)} change, and which number would show it?")
        if obj.id in projects:
            item.action = "reframe"
            reasons.append("it names a project: the project becomes the work")
            item.questions.append(f"What should '{obj.text}' change, and for whom?")
        if obj.id in no_outcome and item.action != "reframe":
            outcome = any(analysis_of(kr).kind == "outcome" for kr in _krs(doc, kept))
            if not outcome:
                item.questions.append(f"Which result would show that '{obj.text}' is happening?")
        item.why = "; ".join(reasons) or "kept as written"
        proposal.objectives.append(item)
    limit = int(config.thresholds["max-objectives"])
    teams: dict[str, list[str]] = {}
    by_id = {o.id: o for o in doc.objectives}
    for item in proposal.objectives:
        teams.setdefault(_team(by_id[item.id], doc), []).append(item.id)
    for kept_ids in teams.values():
        if len(kept_ids) > limit and by_kind.get("too-many-objectives"):
            proposal.questions.append(
                f"Which {limit} of {', '.join(kept_ids)} matter most this cycle? "
                "The others are business as usual: health metrics, or next cycle."
            )
    proposal.rationale = _rationale(proposal, merged_into, moves)
    return proposal


def _krs(doc: Document, ids: list[str]) -> list[KeyResult]:
    wanted = set(ids)
    return [kr for kr in doc.key_results() if kr.id in wanted]


def _rationale(proposal: SetProposal, merged_into: dict[str, str], moves: dict[str, str]) -> str:
    kept = len(proposal.objectives)
    parts = [f"{kept} objective{'' if kept == 1 else 's'} kept"]
    if merged_into:
        parts.append(", ".join(f"{later} merged into {first}" for later, first in merged_into.items()))
    if proposal.health_metrics:
        parts.append(f"{', '.join(proposal.health_metrics)} tracked as health metrics")
    if moves:
        parts.append(", ".join(f"{kr} moved to {to}" for kr, to in moves.items()))
    if proposal.dropped_krs:
        parts.append(f"{', '.join(proposal.dropped_krs)} dropped (copies)")
    return "; ".join(parts) + "."
