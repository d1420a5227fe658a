"""The review job: analyse every key result, run the rules, apply config and suppressions.

    review_document(doc, config) -> list[Finding]
    review(paths, config) -> Review

Plain data in, plain data out; renderers in coach.report turn a Review into text, JSON, SARIF, Markdown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from coach.analysis.kr import analyse_kr
from coach.config import Config
from coach.model import Document, Finding, InputError, Severity, Suppression
from coach.rules import Context, Hit, Rule, catalogue
from coach.rules.document import all_suppressions


@dataclass(slots=True)
class Review:
    """The result of reviewing one or more drafts."""

    documents: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)  # files that could not be read

    def counts(self) -> dict[Severity, int]:
        out = dict.fromkeys(Severity, 0)
        for finding in self.findings:
            out[finding.severity] += 1
        return out

    def at_or_above(self, level: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity.rank >= level.rank]


def _suppressions_by_target(doc: Document) -> dict[str | None, list[Suppression]]:
    out: dict[str | None, list[Suppression]] = {}
    for suppression, target in all_suppressions(doc):
        out.setdefault(target, []).append(suppression)
    return out


def _parents(doc: Document) -> dict[str, str]:
    """KR id -> objective id, so an objective's suppressions cover its key results."""
    return {kr.id: obj.id for obj in doc.objectives for kr in obj.key_results}


def review_document(doc: Document, config: Config | None = None) -> list[Finding]:
    """Run every enabled rule on one parsed draft."""
    config = config or Config()
    rules = catalogue(organisation=False)  # ORG suppressions are coach.org's to judge (see below)
    ctx = Context(document=doc, thresholds=config.thresholds)
    for kr in doc.key_results():
        kr.analysis = analyse_kr(kr)

    raw: list[Finding] = []
    active = [r for r in rules.values() if not r.parser_only and config.enabled(r.code)]
    # (check, code, name, severity, passage) per rule: read once, not once per key result
    kr_rules = [_parts(r) for r in active if r.scope == "kr"]
    objective_rules = [_parts(r) for r in active if r.scope == "objective"]
    document_rules = [_parts(r) for r in active if r.scope == "document"]
    append = raw.append
    for objective in doc.objectives:
        for check, code, name, severity, passage in objective_rules:
            for message in check(objective, ctx):
                append(Finding(code, name, severity, message, objective.span, passage, objective.id))
        for kr in objective.key_results:
            for check, code, name, severity, passage in kr_rules:
                for message in check(kr, objective, ctx):
                    append(Finding(code, name, severity, message, kr.span, passage, kr.id))
    for check, code, name, severity, passage in document_rules:
        for hit in check(doc, ctx):
            assert isinstance(hit, Hit)
            append(Finding(code, name, severity, hit.message, hit.span, passage, hit.target))
    for diagnostic in doc.diagnostics:
        known = rules.get(diagnostic.code)
        if known is not None:
            if not config.enabled(known.code):
                continue
            diagnostic = dataclasses.replace(
                diagnostic, name=known.name, severity=known.severity, passage=known.passage
            )
        raw.append(diagnostic)
    findings = _apply_suppressions(doc, raw, config, rules)
    if config.severity:  # re-levelled codes; none: every finding keeps its rule's level
        for index, finding in enumerate(findings):
            level = config.severity_of(finding.code, finding.severity)
            if level is not finding.severity:
                findings[index] = dataclasses.replace(finding, severity=level)
    findings.sort(key=Finding.sort_key)
    return findings


def _parts(rule: Rule) -> tuple[Callable[..., Iterable[Any]], str, str, Severity, str]:
    return rule.check, rule.code, rule.name, rule.severity, rule.passage


_UNSUPPRESSIBLE = frozenset({"DOC002", "DOC003", "DOC004"})


def _apply_suppressions(
    doc: Document, findings: list[Finding], config: Config, rules: dict[str, Rule]
) -> list[Finding]:
    by_target = _suppressions_by_target(doc)
    if not by_target:
        return findings
    parents = _parents(doc)
    used: set[int] = set()
    kept: list[Finding] = []
    for finding in findings:
        if finding.code in _UNSUPPRESSIBLE:
            kept.append(finding)
            continue
        targets: list[str | None] = [t for t in (finding.target, parents.get(finding.target or "")) if t]
        targets.append(None)  # the whole document
        match = None
        for target in targets:
            match = next((s for s in by_target.get(target, ()) if s.code in (finding.code, "ALL")), None)
            if match is not None:
                break
        if match is None:
            kept.append(finding)
        else:
            used.add(id(match))
    unused_rule = rules["DOC004"]
    if config.enabled("DOC004"):
        for suppression, target in all_suppressions(doc):
            known = rules.get(suppression.code)
            # Suppressions of organisation checks are judged by coach.org, which runs those checks.
            if (
                id(suppression) not in used
                and known
                and known.scope != "organisation"
                and config.enabled(known.code)
            ):
                kept.append(
                    Finding(
                        unused_rule.code,
                        unused_rule.name,
                        unused_rule.severity,
                        f"suppression of {suppression.code} silences nothing here: remove it",
                        suppression.span,
                        unused_rule.passage,
                        target,
                    )
                )
    return kept


def review(
    paths: Sequence[str],
    config: Config | Callable[[str], Config] | None = None,
    *,
    input_format: str | None = None,
) -> Review:
    """Parse and review each path; unreadable files are collected in `errors`, the rest goes on.

    `config` is one Config for all paths, or a function giving each path its own (the CLI finds the
    nearest config file per input).
    """
    from coach.parse import load

    result = Review()
    for path in paths:
        try:
            doc = load(path, input_format)
        except InputError as exc:
            result.errors.append(exc)
            continue
        doc_config = config(path) if callable(config) else config
        result.documents.append(doc)
        result.findings.extend(review_document(doc, doc_config))
    return result


def review_documents(docs: Iterable[Document], config: Config | None = None) -> Review:
    result = Review()
    for doc in docs:
        result.documents.append(doc)
        result.findings.extend(review_document(doc, config))
    return result
