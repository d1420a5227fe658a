"""Everything, machine-readable: documents with per-KR analysis, findings with citations."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from coach import __version__
from coach.engine import Review
from coach.knowledge import Passage
from coach.model import Document, Finding, KeyResult, Objective
from coach.report import citations


def _value(value: object) -> object:
    return value.value if hasattr(value, "value") else value


def _kr(kr: KeyResult) -> dict[str, Any]:
    return {
        "id": kr.id,
        "text": kr.text,
        "span": kr.span.to_dict(),
        "owner": kr.owner,
        "team": kr.team,
        "level": _value(kr.level),
        "parents": kr.parents,
        "baseline": kr.baseline,
        "target": kr.target,
        "current": kr.current,
        "unit": kr.unit,
        "confidence": kr.confidence,
        "initiatives": kr.initiatives,
        "analysis": kr.analysis.to_dict() if kr.analysis else None,
    }


def _objective(obj: Objective) -> dict[str, Any]:
    return {
        "id": obj.id,
        "text": obj.text,
        "span": obj.span.to_dict(),
        "owner": obj.owner,
        "team": obj.team,
        "level": _value(obj.level),
        "parents": obj.parents,
        "description": obj.description,
        "initiatives": obj.initiatives,
        "key_results": [_kr(kr) for kr in obj.key_results],
    }


def document_dict(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.path,
        "format": doc.format,
        "team": doc.team,
        "level": _value(doc.level),
        "owner": doc.owner,
        "period": doc.period,
        "objectives": [_objective(obj) for obj in doc.objectives],
    }


def finding_dict(finding: Finding, related: Sequence[Passage] = ()) -> dict[str, Any]:
    passage = citations().get(finding.passage or "")
    extra = {"related": [{**p.citation(), "score": p.score} for p in related]} if related else {}
    return {
        **extra,
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "span": finding.span.to_dict(),
        "target": finding.target,
        "citation": passage.citation() if passage else None,
    }


def review_dict(review: Review, related: Mapping[int, Sequence[Passage]] | None = None) -> dict[str, Any]:
    related = related or {}
    counts = review.counts()
    return {
        "tool": {"name": "okrcoach", "version": __version__},
        "documents": [document_dict(doc) for doc in review.documents],
        "findings": [finding_dict(f, related.get(i, ())) for i, f in enumerate(review.findings)],
        "errors": [
            {"file": e.file, "line": e.line, "col": e.col, "message": e.message} for e in review.errors
        ],
        "summary": {
            "files": len(review.documents),
            "objectives": sum(len(d.objectives) for d in review.documents),
            "key_results": sum(len(d.key_results()) for d in review.documents),
            "findings": {severity.value: n for severity, n in counts.items()},
            "unreadable_files": len(review.errors),
        },
    }


def render_json(review: Review, related: Mapping[int, Sequence[Passage]] | None = None) -> str:
    return json.dumps(review_dict(review, related), indent=2, ensure_ascii=False) + "\n"
