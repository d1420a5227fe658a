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

from coach.config import Config
from coach.model import Document, Finding, InputError, Severity
from coach.rules import Context, Hit, Rule, catalogue
from coach.rules.suppressions import suppress


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


def review_document(doc: Document, config: Config | None = None) -> list[Finding]:
    """Run every enabled rule on one parsed draft."""
    config = config or Config()
    rules = catalogue(organisation=False)  # ORG suppressions are coach.org's to judge (see below)
    ctx = Context(document=doc, thresholds=config.thresholds)

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
    findings = suppress(doc, raw, config.enabled, rules)
    if config.severity:  # re-levelled codes; none: every finding keeps its rule's level
        for index, finding in enumerate(findings):
            level = config.severity_of(finding.code, finding.severity)
            if level is not finding.severity:
                findings[index] = dataclasses.replace(finding, severity=level)
    findings.sort(key=Finding.sort_key)
    return findings


def _parts(rule: Rule) -> tuple[Callable[..., Iterable[Any]], str, str, Severity, str]:
    return rule.check, rule.code, rule.name, rule.severity, rule.passage


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
