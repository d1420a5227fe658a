"""An organisation review, machine-readable: teams, every element with its alignment and analysis, every
finding placed by team and element with its citation, the statistics, unreadable files and rewrites."""

from __future__ import annotations

from typing import Any

from coach import __version__
from coach.analysis.kr import analysis_of
from coach.org.model import KEY_RESULT, Item
from coach.org.review import OrgReview
from coach.org.stats import OrgStats, compute
from coach.report import citations
from coach.report.json import dumps
from coach.report.rewrite import report_dict


def _item(review: OrgReview, item: Item) -> dict[str, Any]:
    org = review.organisation
    suggestion = org.suggestions.get(item.key)
    out: dict[str, Any] = {
        "key": item.key,
        "kind": item.kind,
        "id": item.id,
        "team": item.team,
        "level": item.level.value,
        "text": item.text,
        "owner": item.owner,
        "span": item.span.to_dict(),
        "parents": list(item.parents),
        "aligned_below": list(item.children),
        "suggested_parent": None
        if suggestion is None
        else {"key": suggestion.parent, "similarity": suggestion.similarity},
    }
    if item.kind == KEY_RESULT:
        kr = item.element
        analysis = analysis_of(kr)  # type: ignore[arg-type]
        out.update(
            objective=review.organisation.objective_item(item).key,
            baseline=kr.baseline,  # type: ignore[union-attr]
            target=kr.target,  # type: ignore[union-attr]
            unit=kr.unit,  # type: ignore[union-attr]
            analysis=analysis.to_dict(),
        )
    return out


def org_dict(review: OrgReview, stats: OrgStats | None = None) -> dict[str, Any]:
    org = review.organisation
    stats = stats or compute(review)
    cited = citations()
    in_scope = {doc.path for doc in review.documents()}
    counts = review.counts()
    return {
        "tool": {"name": "okrcoach", "version": __version__},
        "root": org.root,
        "scope": None if review.scope is None else sorted(review.scope),
        "summary": {
            "files": org.files,
            "unreadable_files": len(org.errors),
            "teams": len(stats.teams),
            "objectives": stats.overall.objectives,
            "key_results": stats.overall.key_results,
            "findings": {severity.value: n for severity, n in counts.items()},
            "quality_score": round(stats.overall.score, 1),
        },
        "teams": [
            {
                "name": team.name,
                "level": team.level.value,
                "level_inferred": team.level_inferred,
                "parent": team.parent,
                "unit": team.unit,
                "paths": team.paths,
            }
            for team in org.teams.values()
            if team.name in stats.teams
        ],
        "items": [_item(review, item) for item in org.items.values() if item.document.path in in_scope],
        "findings": [
            {
                "code": f.finding.code,
                "name": f.finding.name,
                "severity": f.finding.severity.value,
                "message": f.finding.message,
                "span": f.finding.span.to_dict(),
                "target": f.finding.target,
                "team": f.team,
                "item": f.item,
                "citation": cited[f.finding.passage].citation() if f.finding.passage in cited else None,
            }
            for f in review.findings
        ],
        "unresolved_references": [
            {"item": u.item, "reference": u.reference, "problem": u.problem} for u in org.unresolved
        ],
        "statistics": stats.to_dict(),
        "errors": [{"file": e.file, "line": e.line, "col": e.col, "message": e.message} for e in org.errors],
        "rewrites": [report_dict(report) for report in review.rewrites],
        "rewrite_note": review.rewrite_note or None,
        "timings_s": {name: round(seconds, 3) for name, seconds in review.timings.items()},
    }


def render_org_json(review: OrgReview, stats: OrgStats | None = None) -> str:
    return dumps(org_dict(review, stats)) + "\n"
