"""SARIF 2.1.0, for code-scanning UIs (GitHub, GitLab, VS Code's SARIF viewer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coach import __version__
from coach.engine import Review
from coach.model import Severity, Span
from coach.report import citations
from coach.report.json import dumps
from coach.rules import catalogue

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "note"}
INFO_URI = "https://github.com/okrcoach/okrcoach"


def _uri(path: str) -> str:
    if path in {"<stdin>", "-"}:
        return "stdin"
    candidate = Path(path)
    return candidate.as_posix() if not candidate.is_absolute() else candidate.as_uri()


def _location(uri: str, region: dict[str, Any], span: Span) -> dict[str, Any]:
    """The file as the artifact; in a workbook, the region's line and column are the row and the column's
    number, and the location's properties name the sheet and the cell ("C12")."""
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}
    if span.sheet is not None:
        location["properties"] = {"sheet": span.sheet, "cell": span.cell}
    return location


def render_sarif(review: Review) -> str:
    rules = catalogue()
    cited = citations()
    used = sorted({f.code for f in review.findings} | set(rules))
    index = {code: i for i, code in enumerate(used)}
    descriptors: list[dict[str, Any]] = []
    for code in used:
        rule = rules.get(code)
        if rule is None:
            descriptors.append({"id": code})
            continue
        passage = cited.get(rule.passage)
        help_text = "\n\n".join(
            f"{title}:\n{body}" for title, body in rule.docs.items() if title != "summary"
        )
        descriptors.append(
            {
                "id": code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.docs.get("What it does", rule.summary)},
                "help": {"text": help_text},
                "defaultConfiguration": {"level": _LEVEL[rule.severity]},
                "properties": {
                    "tags": [rule.family],
                    "citation": passage.citation() if passage else {"id": rule.passage},
                },
            }
        )
    results: list[dict[str, Any]] = []
    # Worked out once per file and per passage, not once a finding (the log is dropped once written).
    uris: dict[str, str] = {}
    citation_of: dict[str | None, dict[str, str] | None] = {}
    for finding in review.findings:
        file = finding.span.file
        uri = uris.get(file)
        if uri is None:
            uri = uris[file] = _uri(file)
        key = finding.passage
        if key in citation_of:
            citation = citation_of[key]
        else:
            passage = cited.get(key or "")
            citation = citation_of[key] = passage.citation() if passage else None
        region: dict[str, Any] = {
            "startLine": max(1, finding.span.line),
            "startColumn": max(1, finding.span.col),
        }
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": _LEVEL[finding.severity],
            "message": {"text": finding.message},
            "locations": [_location(uri, region, finding.span)],
            "properties": {"target": finding.target, "citation": citation},
        }
        results.append(result)
    notifications = [{"level": "error", "message": {"text": str(error)}} for error in review.errors]
    invocation: dict[str, Any] = {"executionSuccessful": not review.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "okrcoach",
                        "version": __version__,
                        "informationUri": INFO_URI,
                        "rules": descriptors,
                    }
                },
                "invocations": [invocation],
                "results": results,
            }
        ],
    }
    return dumps(log) + "\n"
