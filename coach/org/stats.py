"""Statistics of an organisation review: per level, per team and overall, and the items to fix first.

Quality score (0–100)
    Every objective and key result starts at 100 and loses, for each finding about it, 50 for an error,
    25 for a warning and 10 for a suggestion (never below 0). A team's, a level's or the organisation's
    score is the mean over its objectives and key results. Findings about a whole team, file or the
    organisation (too many objectives, an overloaded owner, the bottom-up share) are counted by code but
    do not enter the score, which stays comparable between teams of different sizes.

Worst items
    Objectives and key results ordered by lost points, then by how many elements align to them (fixing a
    company key result that eight teams copy helps eight times), then company before team.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from coach.analysis.kr import analysis_of
from coach.model import Severity
from coach.org.alignment import supporters
from coach.org.model import KEY_RESULT, LEVEL_RANK, Item, OrgFinding
from coach.org.review import OrgReview

PENALTY = {Severity.ERROR: 50, Severity.WARNING: 25, Severity.SUGGESTION: 10}


@dataclass(slots=True)
class GroupStats:
    """Counts and shares for a set of objectives and key results (a team, a level, everything)."""

    name: str
    level: str = ""
    parent: str | None = None
    objectives: int = 0
    key_results: int = 0
    task_like: int = 0
    missing_target: int = 0
    missing_baseline: int = 0
    findings: Counter[str] = field(default_factory=Counter)  # by code
    severities: Counter[str] = field(default_factory=Counter)
    score: float = 100.0
    worst: list[str] = field(default_factory=list)  # item keys, worst first
    _points: list[float] = field(default_factory=list, repr=False)

    def share(self, count: int) -> float:
        return count / self.key_results if self.key_results else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "level": self.level,
            "parent": self.parent,
            "objectives": self.objectives,
            "key_results": self.key_results,
            "task_like_share": round(self.share(self.task_like), 4),
            "missing_target_share": round(self.share(self.missing_target), 4),
            "missing_baseline_share": round(self.share(self.missing_baseline), 4),
            "findings_by_code": dict(sorted(self.findings.items())),
            "findings_by_severity": dict(self.severities),
            "quality_score": round(self.score, 1),
            "worst": list(self.worst),
        }


@dataclass(slots=True)
class WorstItem:
    key: str
    penalty: int
    score: int
    supporters: int
    findings: list[OrgFinding]


@dataclass(slots=True)
class OrgStats:
    overall: GroupStats
    levels: dict[str, GroupStats]
    teams: dict[str, GroupStats]
    worst: list[WorstItem]

    def to_dict(self) -> dict[str, object]:
        return {
            "overall": self.overall.to_dict(),
            "levels": {name: s.to_dict() for name, s in self.levels.items()},
            "teams": {name: s.to_dict() for name, s in self.teams.items()},
            "worst": [
                {"item": w.key, "lost_points": w.penalty, "score": w.score, "aligned_below": w.supporters}
                for w in self.worst
            ],
        }


def compute(review: OrgReview, top: int = 20) -> OrgStats:
    """Statistics over the review's scope; `top` worst items overall (3 per team)."""
    org = review.organisation
    paths = {doc.path for doc in review.documents()}
    items = [i for i in org.items.values() if i.document.path in paths]
    by_item: dict[str, list[OrgFinding]] = defaultdict(list)
    for located in review.findings:
        if located.item:
            by_item[located.item].append(located)
    overall = GroupStats("organisation")
    levels = {
        level.value: GroupStats(level.value, level.value)
        for level in sorted(LEVEL_RANK, key=lambda level: LEVEL_RANK[level])
    }
    teams = {
        name: GroupStats(name, team.level.value, team.parent)
        for name, team in org.teams.items()
        if any(doc.path in paths for doc in team.documents)
    }
    points: dict[str, int] = {}
    for item in items:
        lost = sum(PENALTY[f.finding.severity] for f in by_item.get(item.key, ()))
        points[item.key] = lost
        score = float(max(0, 100 - lost))
        for group in (overall, levels[item.level.value], teams.get(item.team)):
            if group is not None:
                _count(group, item, score)
    for located in review.findings:
        code, severity = located.finding.code, located.finding.severity.value
        groups: list[GroupStats | None] = [overall]
        if located.item in org.items:
            groups.append(levels[org.items[located.item].level.value])
        groups.append(teams.get(located.team or ""))
        for group in groups:
            if group is not None:
                group.findings[code] += 1
                group.severities[severity] += 1
    ranked = _rank(review, items, points)
    for group in (overall, *levels.values(), *teams.values()):
        group.score = sum(group._points) / len(group._points) if group._points else 100.0
    for key in (k for k in ranked if points[k] > 0):
        team = teams.get(org.items[key].team)
        if team is not None and len(team.worst) < 3:
            team.worst.append(key)
    worst = [
        WorstItem(
            key, points[key], max(0, 100 - points[key]), len(supporters(org, org.items[key])), by_item[key]
        )
        for key in ranked[:top]
        if points[key] > 0
    ]
    overall.worst = [w.key for w in worst]
    return OrgStats(overall, {k: v for k, v in levels.items() if v._points}, teams, worst)


def _count(group: GroupStats, item: Item, score: float) -> None:
    group._points.append(score)
    if item.kind != KEY_RESULT:
        group.objectives += 1
        return
    group.key_results += 1
    analysis = analysis_of(item.element)  # type: ignore[arg-type]
    group.task_like += analysis.task_like
    group.missing_target += not analysis.has_target
    group.missing_baseline += not analysis.has_baseline


def _rank(review: OrgReview, items: Iterable[Item], points: dict[str, int]) -> list[str]:
    org = review.organisation
    return [
        item.key
        for item in sorted(
            items,
            key=lambda i: (-points[i.key], -len(supporters(org, i)), LEVEL_RANK[i.level], i.key),
        )
    ]
