"""The working state of a draft as JSON, for the recovery file: everything the Document holds (spans,
ids, suppressions, extra fields, parser diagnostics), so a recovered draft is the draft as it was."""

from __future__ import annotations

from typing import Any

from coach.model import Document, Finding, KeyResult, Level, Objective, Severity, Span, Suppression


def _level(level: Level | None) -> str | None:
    return level.value if level is not None else None


def _span(span: Span) -> dict[str, Any]:
    return span.to_dict()


def _span_from(data: dict[str, Any]) -> Span:
    return Span(
        str(data.get("file", "")),
        int(data.get("line", 1)),
        int(data.get("col", 1)),
        data.get("end_line"),
        data.get("end_col"),
    )


def _suppressions(items: list[Suppression]) -> list[dict[str, Any]]:
    return [{"code": s.code, "reason": s.reason, "span": _span(s.span)} for s in items]


def _suppressions_from(items: list[dict[str, Any]]) -> list[Suppression]:
    return [Suppression(str(i["code"]), str(i.get("reason") or ""), _span_from(i["span"])) for i in items]


def _common(element: Objective | KeyResult) -> dict[str, Any]:
    return {
        "id": element.id,
        "text": element.text,
        "span": _span(element.span),
        "owner": element.owner,
        "team": element.team,
        "level": _level(element.level),
        "parents": list(element.parents),
        "initiatives": list(element.initiatives),
        "suppressions": _suppressions(element.suppressions),
        "extra": {str(k): v for k, v in element.extra.items() if isinstance(v, str | int | float | bool)},
    }


def state_dict(doc: Document) -> dict[str, Any]:
    """Everything the Document holds, as JSON-ready data (analysis aside: it is recomputed)."""
    return {
        "path": doc.path,
        "format": doc.format,
        "team": doc.team,
        "level": _level(doc.level),
        "owner": doc.owner,
        "period": doc.period,
        "parents": list(doc.parents),
        "suppressions": _suppressions(doc.suppressions),
        "diagnostics": [
            {
                "code": d.code,
                "name": d.name,
                "severity": d.severity.value,
                "message": d.message,
                "span": _span(d.span),
                "passage": d.passage,
                "target": d.target,
            }
            for d in doc.diagnostics
        ],
        "objectives": [
            {
                **_common(objective),
                "description": objective.description,
                "key_results": [
                    {
                        **_common(kr),
                        "baseline": kr.baseline,
                        "target": kr.target,
                        "current": kr.current,
                        "unit": kr.unit,
                        "confidence": kr.confidence,
                    }
                    for kr in objective.key_results
                ],
            }
            for objective in doc.objectives
        ],
    }


def _fill(element: Objective | KeyResult, data: dict[str, Any]) -> None:
    element.owner = data.get("owner")
    element.team = data.get("team")
    element.level = Level.parse(data.get("level"))
    element.parents = [str(p) for p in data.get("parents") or []]
    element.initiatives = [str(i) for i in data.get("initiatives") or []]
    element.suppressions = _suppressions_from(data.get("suppressions") or [])
    element.extra = dict(data.get("extra") or {})


def state_from_dict(data: dict[str, Any]) -> Document:
    doc = Document(path=str(data.get("path") or ""), format=str(data.get("format") or "yaml"))
    doc.team, doc.owner, doc.period = data.get("team"), data.get("owner"), data.get("period")
    doc.level = Level.parse(data.get("level"))
    doc.parents = [str(p) for p in data.get("parents") or []]
    doc.suppressions = _suppressions_from(data.get("suppressions") or [])
    doc.diagnostics = [
        Finding(
            str(d["code"]),
            str(d.get("name") or ""),
            Severity(d.get("severity") or "warning"),
            str(d.get("message") or ""),
            _span_from(d["span"]),
            d.get("passage"),
            d.get("target"),
        )
        for d in data.get("diagnostics") or []
    ]
    for item in data.get("objectives") or []:
        objective = Objective(str(item["id"]), str(item["text"]), _span_from(item["span"]))
        _fill(objective, item)
        objective.description = item.get("description")
        for kr_item in item.get("key_results") or []:
            kr = KeyResult(str(kr_item["id"]), str(kr_item["text"]), _span_from(kr_item["span"]))
            _fill(kr, kr_item)
            kr.baseline, kr.target, kr.current = (
                kr_item.get("baseline"),
                kr_item.get("target"),
                kr_item.get("current"),
            )
            kr.unit, kr.confidence = kr_item.get("unit"), kr_item.get("confidence")
            objective.key_results.append(kr)
        doc.objectives.append(objective)
    return doc
