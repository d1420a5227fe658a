"""GitLab Code Quality JSON (`artifacts: reports: codequality`): a list of issues, one a finding.

Severity: suggestion -> info, warning -> minor, error -> major; a file that could not be read -> blocker.
GitLab compares a merge request's issues with the target branch's by `fingerprint`, so it must not change
when a key result only moves: it is a hash of the code, the file and the element's text (its id where it
has no text, the message for a finding about the file), plus how many identical issues came before it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from coach.engine import Review
from coach.model import Severity
from coach.report.github import ci_path
from coach.report.json import dumps

SEVERITY = {Severity.SUGGESTION: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}


def _texts(review: Review) -> dict[tuple[str, str], str]:
    """Each objective's and key result's text by (file, id): what a fingerprint rests on."""
    texts: dict[tuple[str, str], str] = {}
    for doc in review.documents:
        for objective in doc.objectives:
            texts[(doc.path, objective.id)] = objective.text
            for kr in objective.key_results:
                texts[(doc.path, kr.id)] = kr.text
    return texts


def _fingerprint(parts: tuple[str, ...], seen: dict[tuple[str, ...], int]) -> str:
    occurrence = seen.get(parts, 0)
    seen[parts] = occurrence + 1
    key = "\0".join((*parts, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def _issue(
    description: str, check: str, fingerprint: str, severity: str, path: str, line: int
) -> dict[str, Any]:
    return {
        "description": description,
        "check_name": check,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": path, "lines": {"begin": max(1, line)}},
    }


def render_gitlab(review: Review, root: Path | None = None) -> str:
    """The Code Quality report; `root`: what paths are made relative to (default: the working directory)."""
    texts = _texts(review)
    seen: dict[tuple[str, ...], int] = {}
    issues: list[dict[str, Any]] = []
    for finding in review.findings:
        path = ci_path(finding.span.file, root) or "stdin"
        target = finding.target or ""
        element = texts.get((finding.span.file, target)) or target or finding.message
        parts = (finding.code, path, " ".join(element.split()))
        cite = f" [{finding.passage}]" if finding.passage else ""
        issues.append(
            _issue(
                f"{finding.code} {finding.message}{cite}",
                finding.code,
                _fingerprint(parts, seen),
                SEVERITY[finding.severity],
                path,
                finding.span.line,
            )
        )
    for error in review.errors:
        path = ci_path(error.file, root) or "stdin"
        fingerprint = _fingerprint(("input-error", path, error.message), seen)
        issues.append(_issue(error.message, "input-error", fingerprint, "blocker", path, error.line or 1))
    return dumps(issues) + "\n"
