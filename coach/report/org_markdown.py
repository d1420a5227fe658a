"""An organisation review in Markdown, for a wiki page or a pull request: summary, findings by code,
quality by team and level, alignment gaps, the items to fix first with their citations, sources."""

from __future__ import annotations

from collections import Counter

from coach.model import Severity
from coach.org.model import OrgFinding
from coach.org.review import OrgReview
from coach.org.stats import GroupStats, OrgStats, compute
from coach.report import citations
from coach.report.markdown import _escape
from coach.report.words import plural
from coach.rules import catalogue

_ICON = {"error": "🔴", "warning": "🟠", "suggestion": "🔵"}


def _pct(value: float) -> str:
    return f"{value:.0%}"


def render_org_markdown(review: OrgReview, stats: OrgStats | None = None) -> str:
    org = review.organisation
    stats = stats or compute(review)
    overall = stats.overall
    counts = review.counts()
    rules = catalogue()
    lines = [f"# OKR organisation review — {_escape(org.root)}", ""]
    lines.append(
        f"**Quality score {overall.score:.0f}/100** · {plural(len(stats.teams), 'team')} · "
        f"{plural(overall.objectives, 'objective')} · "
        f"{plural(overall.key_results, 'key result')} · {plural(len(review.findings), 'finding')} "
        f"({', '.join(plural(counts[s], s.value) for s in reversed(list(Severity)))})"
    )
    if review.scope is not None:
        lines += ["", f"Scope: {plural(len(review.scope), 'file')} changed, and what they align to or from."]
    if org.errors:
        lines += ["", f"**{plural(len(org.errors), 'file')} could not be read:**", ""]
        lines += [f"- ❌ `{_escape(str(error))}`" for error in org.errors]
    lines += ["", "## Findings by code", "", "| Code | Rule | Severity | Count |", "|---|---|---|---|"]
    for code, n in sorted(overall.findings.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = rules.get(code)
        name, severity = (rule.name, rule.severity.value) if rule else ("", "")
        lines.append(f"| `{code}` | {name} | {severity} | {n} |")
    lines += ["", "## Quality by level", "", _table_header()]
    lines += [_row(s.name, s) for s in stats.levels.values()]
    lines += ["", "## Quality by team (lowest first)", "", _table_header()]
    for team in sorted(stats.teams.values(), key=lambda s: (s.score, s.name)):
        lines.append(_row(team.name, team))
    gaps = [f for f in review.findings if f.finding.code in {"ORG001", "ORG002", "ORG003"}]
    if gaps:
        lines += ["", "## Alignment gaps", ""]
        for located in gaps:
            lines.append(_finding_line(review, located))
    used: dict[str, None] = {}
    lines += ["", "## Fix these first", ""]
    for rank, worst in enumerate(stats.worst, start=1):
        item = org.items[worst.key]
        lines.append(
            f"{rank}. **{_escape(item.text)}** — {_escape(item.team)} ({item.level.value}, "
            f"`{_escape(item.id)}`, {worst.score}/100, {worst.supporters} aligned below)"
        )
        for located in worst.findings:
            if located.finding.passage:
                used[located.finding.passage] = None
            lines.append(f"   {_finding_line(review, located, with_item=False)}")
    if not stats.worst:
        lines.append("Nothing to fix: no objective or key result has a finding.")
    for located in review.findings:
        if located.finding.code in {"ORG001", "ORG002", "ORG003"} and located.finding.passage:
            used[located.finding.passage] = None
    if review.rewrites:
        lines += ["", "## Proposed rewrites", "", f"_{_escape(review.rewrite_note)}_", ""]
        for report in review.rewrites:
            for proposal in report.proposals:
                if proposal.text and proposal.text != proposal.draft:
                    lines.append(
                        f"- `{_escape(report.document.path)}` {_escape(proposal.target)}: "
                        f"{_escape(proposal.draft)} → **{_escape(proposal.text)}** "
                        f"({_escape(proposal.answered_by)})"
                    )
    if used:
        cited = citations()
        lines += ["", "## Sources cited", ""]
        for passage_id in used:
            passage = cited.get(passage_id)
            if passage:
                lines.append(f"- **{passage.id}** — {_escape(passage.title)}. {_escape(passage.source)}")
    return "\n".join(lines).rstrip() + "\n"


def _table_header() -> str:
    return (
        "| Name | Level | Objectives | Key results | Task-like | No target | No baseline | Score "
        "| Top findings |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )


def _row(name: str, s: GroupStats) -> str:
    top = ", ".join(f"{code}×{n}" for code, n in Counter(s.findings).most_common(3)) or "—"
    return (
        f"| {_escape(name)} | {s.level} | {s.objectives} | {s.key_results} | {_pct(s.share(s.task_like))} | "
        f"{_pct(s.share(s.missing_target))} | {_pct(s.share(s.missing_baseline))} | {s.score:.0f} | {top} |"
    )


def _finding_line(review: OrgReview, located: OrgFinding, with_item: bool = True) -> str:
    finding = located.finding
    where = ""
    if with_item and located.item in review.organisation.items:
        item = review.organisation.items[located.item]
        where = f"**{_escape(item.team)} · {_escape(item.id)}** "
    elif with_item and located.team:
        where = f"**{_escape(located.team)}** "
    cite = f" _(see {finding.passage})_" if finding.passage else ""
    return (
        f"- {_ICON[finding.severity.value]} {where}`{finding.code}` {finding.severity.value}: "
        f"{_escape(finding.message)} ({_escape(finding.span.file)}:{finding.span.line}){cite}"
    )
