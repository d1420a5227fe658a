"""Inline suppressions (`# okrcoach: ignore KR001 reason`), applied in one place: which suppression
silences a finding, what a draft's review keeps, and the DOC004 finding for a suppression that silenced
nothing. The engine applies them to a draft's findings; coach.org to the ORG checks' (whose suppressions the
engine leaves alone, as it does not run those checks)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from coach.model import Document, Finding, Severity, Suppression
from coach.rules.base import Rule
from coach.rules.document import all_suppressions

# Findings about suppressions themselves (unknown code, no reason, unused) cannot be suppressed.
UNSUPPRESSIBLE = frozenset({"DOC002", "DOC003", "DOC004"})


def silencing(holders: Iterable[Sequence[Suppression]], code: str) -> Suppression | None:
    """The first suppression of `code` (or ALL) in the holders, nearest first: the element's own, its
    objective's, the draft's."""
    for suppressions in holders:
        for suppression in suppressions:
            if suppression.code in (code, "ALL"):
                return suppression
    return None


def unused(rule: Rule, suppression: Suppression, target: str | None, severity: Severity) -> Finding:
    """DOC004 (`rule`) for a suppression that silenced nothing."""
    message = f"suppression of {suppression.code} silences nothing here: remove it"
    return Finding(rule.code, rule.name, severity, message, suppression.span, rule.passage, target)


def suppress(
    doc: Document, findings: list[Finding], enabled: Callable[[str], bool], rules: dict[str, Rule]
) -> list[Finding]:
    """A draft's findings less those its suppressions silence, plus DOC004 for each suppression of an
    enabled draft rule that silenced nothing."""
    by_target: dict[str | None, list[Suppression]] = {}
    for suppression, target in all_suppressions(doc):
        by_target.setdefault(target, []).append(suppression)
    if not by_target:
        return findings
    parents = {kr.id: obj.id for obj in doc.objectives for kr in obj.key_results}  # KR -> its objective
    used: set[int] = set()
    kept: list[Finding] = []
    for finding in findings:
        if finding.code in UNSUPPRESSIBLE:
            kept.append(finding)
            continue
        targets = [t for t in (finding.target, parents.get(finding.target or "")) if t]
        match = silencing([*(by_target.get(t, ()) for t in targets), by_target.get(None, ())], finding.code)
        if match is None:
            kept.append(finding)
        else:
            used.add(id(match))
    unused_rule = rules["DOC004"]
    if enabled("DOC004"):
        for suppression, target in all_suppressions(doc):
            known = rules.get(suppression.code)
            # Suppressions of organisation checks are judged by coach.org, which runs those checks.
            if (
                id(suppression) not in used
                and known
                and known.scope != "organisation"
                and enabled(known.code)
            ):
                kept.append(unused(unused_rule, suppression, target, unused_rule.severity))
    return kept
