"""The organisation review job: every draft's own review, then the ORG checks over all of them.

    review_org(org, config, jobs=..., scope=...) -> OrgReview

Per-draft findings come from `coach.engine.review_document` (in worker processes with `jobs > 1`); the
ORG checks run once over the whole organisation. Both go through the same configuration (select, ignore,
severity) and inline suppressions. With `scope` (the documents changed since a git revision, and those
they align to or from) only those are reviewed and reported; the alignment still sees everyone.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from coach.analysis.kr import analysis_of, keep
from coach.config import Config
from coach.engine import review_document
from coach.model import Document, Finding, KRAnalysis, Severity, Span, Suppression
from coach.org.load import Progress
from coach.org.model import Organisation, OrgContext, OrgFinding, OrgHit
from coach.rules import Rule, catalogue
from coach.rules.document import all_suppressions
from coach.rules.suppressions import silencing
from coach.rules.suppressions import unused as unused_finding

ConfigFor = Config | Callable[[str], Config] | None


@dataclass(slots=True)
class OrgReview:
    organisation: Organisation
    findings: list[OrgFinding] = field(default_factory=list)
    config: Config = field(default_factory=Config)
    scope: set[str] | None = None  # document paths reviewed (None: all)
    timings: dict[str, float] = field(default_factory=dict)
    rewrites: list[Any] = field(default_factory=list)  # coach.rewrite.RewriteReport, worst drafts first
    rewrite_note: str = ""

    def counts(self) -> dict[Severity, int]:
        out = dict.fromkeys(Severity, 0)
        for located in self.findings:
            out[located.finding.severity] += 1
        return out

    def at_or_above(self, level: Severity) -> list[OrgFinding]:
        return [f for f in self.findings if f.finding.severity.rank >= level.rank]

    def documents(self) -> list[Document]:
        """The team documents in the review's scope."""
        docs = [doc for team in self.organisation.teams.values() for doc in team.documents]
        return [d for d in docs if self.scope is None or d.path in self.scope]


def review_org(
    org: Organisation,
    config: ConfigFor = None,
    *,
    jobs: int = 1,
    scope: set[str] | None = None,
    embedder: Any = None,
    progress: Progress | None = None,
) -> OrgReview:
    """Review every team document, then run the ORG checks; findings are placed by team and element."""
    from coach.org import checks, checks_overlap, checks_structure  # noqa: F401  (registers the ORG rules)

    root_config = config(org.root) if callable(config) else (config or Config())
    result = OrgReview(org, config=root_config, scope=scope)
    docs = [doc for team in org.teams.values() for doc in team.documents]
    docs = [d for d in docs if scope is None or d.path in scope]
    configs = [config(d.path) if callable(config) else root_config for d in docs]
    ctx = _context(org, root_config, embedder)
    started = time.perf_counter()
    per_doc, memo = _review_documents(docs, configs, jobs, progress, ctx)
    ctx.memo.update(memo)  # what a worker computed for the ORG checks meanwhile (with jobs > 1)
    result.timings["documents"] = time.perf_counter() - started
    for doc, findings in zip(docs, per_doc, strict=True):
        team = doc.team
        for finding in findings:
            key = f"{doc.path}#{finding.target}" if finding.target else None
            item = key if key in org.items else None
            result.findings.append(OrgFinding(finding, team, item))
    started = time.perf_counter()
    result.findings.extend(org_findings(org, root_config, ctx=ctx, scope=scope, progress=progress))
    result.timings["organisation"] = time.perf_counter() - started
    return result


def _context(org: Organisation, config: Config, embedder: Any) -> OrgContext:
    if embedder is None:
        from coach.knowledge.embed import HashingEmbedder

        embedder = HashingEmbedder()
    return OrgContext(org, config.thresholds, embedder)


def org_findings(
    org: Organisation,
    config: Config,
    *,
    ctx: OrgContext | None = None,
    embedder: Any = None,
    scope: set[str] | None = None,
    progress: Progress | None = None,
) -> list[OrgFinding]:
    """The ORG checks over the organisation, configured, suppressed and re-levelled."""
    from coach.org.shared import suggestions

    rules = catalogue()
    ctx = ctx or _context(org, config, embedder)
    org.suggestions = suggestions(ctx)
    raw: list[tuple[Rule, OrgHit]] = []
    active = [r for r in rules.values() if r.scope == "organisation" and config.enabled(r.code)]
    for done, rule in enumerate(active, start=1):
        raw.extend((rule, hit) for hit in rule.check(org, ctx))
        if progress:
            progress("checking", done, len(active))
    out: list[OrgFinding] = []
    used: set[int] = set()
    for rule, hit in raw:
        item = org.items.get(hit.item) if hit.item else None
        if scope is not None and not _in_scope(org, hit, item, scope):
            continue
        suppression = _suppression(org, hit, rule.code)
        if suppression is not None:
            used.add(id(suppression))
            continue
        severity = config.severity_of(rule.code, rule.severity)
        finding = Finding(
            rule.code, rule.name, severity, hit.message, hit.span, rule.passage, item.id if item else None
        )
        out.append(OrgFinding(finding, hit.team or (item.team if item else None), hit.item))
    out.extend(_unused_suppressions(org, rules, config, used, scope))
    out.sort(key=lambda f: f.finding.sort_key())
    return out


def _in_scope(org: Organisation, hit: OrgHit, item: Any, scope: set[str]) -> bool:
    """In a --changed-since review: about a document in scope, or about the whole organisation."""
    if item is not None:
        return item.document.path in scope
    return hit.span.file in scope or hit.span.file == org.root


def _suppression(org: Organisation, hit: OrgHit, code: str) -> Suppression | None:
    """An inline suppression of `code` on the element, its objective, or its draft."""
    item = org.items.get(hit.item) if hit.item else None
    holders: list[Sequence[Suppression]] = []
    if item is not None:
        holders += [item.element.suppressions, item.objective.suppressions, item.document.suppressions]
    elif hit.team in org.teams:
        holders += [doc.suppressions for doc in org.teams[hit.team].documents if doc.path == hit.span.file]
    return silencing(holders, code)


def _unused_suppressions(
    org: Organisation, rules: dict[str, Rule], config: Config, used: set[int], scope: set[str] | None
) -> list[OrgFinding]:
    """DOC004 for suppressions of ORG codes that silenced nothing (the engine leaves those to us)."""
    unused = rules["DOC004"]
    if not config.enabled("DOC004"):
        return []
    out: list[OrgFinding] = []
    seen: set[int] = set()
    for team in org.teams.values():
        for doc in team.documents:
            if scope is not None and doc.path not in scope:
                continue
            for suppression, target in all_suppressions(doc):
                rule = rules.get(suppression.code)
                if rule is None or rule.scope != "organisation" or id(suppression) in used | seen:
                    continue
                seen.add(id(suppression))
                if not config.enabled(rule.code):
                    continue
                finding = unused_finding(
                    unused, suppression, target, config.severity_of(unused.code, unused.severity)
                )
                key = f"{doc.path}#{target}" if target else None
                out.append(OrgFinding(finding, team.name, key if key in org.items else None))
    return out


# -- per-document reviews, in this process or in forked workers -------------------------------------------

_WORK: list[tuple[Document, Config]] = []  # what forked workers review (inherited, never pickled)
_CONTEXT: list[OrgContext] = []  # the organisation, for the worker that precomputes the ORG checks' data


def _review_documents(
    docs: list[Document], configs: list[Config], jobs: int, progress: Progress | None, ctx: OrgContext
) -> tuple[list[list[Finding]], dict[str, Any]]:
    """Each document's findings; with jobs > 1 (and fork), in workers, one of which meanwhile computes
    what the ORG checks need from the organisation alone (coach.org.shared.precompute)."""
    total = len(docs)
    context = None
    if jobs > 1 and total > 1:
        from coach.org.load import _fork_context

        context = _fork_context()
    if context is None:
        out = []
        for done, (doc, config) in enumerate(zip(docs, configs, strict=True), start=1):
            out.append(review_document(doc, config))
            if progress and (done % 25 == 0 or done == total):
                progress("reviewing", done, total)
        return out, {}
    from concurrent.futures import ProcessPoolExecutor

    _WORK[:] = list(zip(docs, configs, strict=True))
    _CONTEXT[:] = [ctx]
    # Forked workers share the parent's objects copy-on-write; a cycle collection in a worker would touch
    # (and so copy) all of them. Frozen objects are left out of collections.
    gc.freeze()
    chunk = max(1, min(64, total // (jobs * 4) or 1))
    ranges = [(start, min(start + chunk, total)) for start in range(0, total, chunk)]
    out = []
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            precomputed = pool.submit(_precompute)
            for (start, _), batch in zip(ranges, pool.map(_review_range, ranges), strict=True):
                for offset, (findings, analyses) in enumerate(batch):
                    for kr, fields in zip(docs[start + offset].key_results(), analyses, strict=True):
                        keep(kr, KRAnalysis(*fields))  # the worker's, so the ORG checks need not redo it
                    out.append([_finding(row) for row in findings])
                if progress:
                    progress("reviewing", len(out), total)
            memo = precomputed.result()
    finally:
        gc.unfreeze()
        _WORK.clear()
        _CONTEXT.clear()
    return out, memo


def _precompute() -> dict[str, Any]:
    from coach.org.shared import precompute

    return precompute(_CONTEXT[0])


# Results travel back from the workers as tuples of plain values: pickling those is several times cheaper
# than pickling dataclasses, and the parent unpickles every one of them.
_ANALYSIS_FIELDS = KRAnalysis.__slots__
_Row = tuple[Any, ...]


def _review_range(bounds: tuple[int, int]) -> list[tuple[list[_Row], list[_Row]]]:
    """In a worker: review documents start..end of _WORK; send back findings and per-KR analyses."""
    out = []
    for doc, config in _WORK[bounds[0] : bounds[1]]:
        findings = [_row(f) for f in review_document(doc, config)]
        analyses = [
            tuple(getattr(analysis_of(kr), name) for name in _ANALYSIS_FIELDS) for kr in doc.key_results()
        ]
        out.append((findings, analyses))
    return out


def _row(f: Finding) -> _Row:
    span = f.span
    return (
        f.code,
        f.name,
        f.severity.value,
        f.message,
        f.passage,
        f.target,
        span.file,
        span.line,
        span.col,
        span.end_line,
        span.end_col,
    )


def _finding(row: _Row) -> Finding:
    code, name, severity, message, passage, target, *span = row
    return Finding(code, name, Severity(severity), message, Span(*span), passage, target)
