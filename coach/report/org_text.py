"""An organisation review for the terminal: totals, the organisation findings, the items to fix first, the
lowest teams and the rewrites."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.model import Severity
from coach.report.words import plural

if TYPE_CHECKING:
    from coach.org.review import OrgReview
    from coach.org.stats import OrgStats

TEXT_FINDINGS = 40  # organisation findings printed by the text format; the rest are in JSON / HTML


def render_org_text(review: OrgReview, stats: OrgStats, color: bool = False) -> str:
    """The terminal summary: totals, the organisation findings, the items to fix first, the lowest teams."""
    bold, dim, reset = ("\033[1m", "\033[2m", "\033[0m") if color else ("", "", "")
    colours = {"error": "\033[31m", "warning": "\033[33m", "suggestion": "\033[36m"} if color else {}
    org, overall, counts = review.organisation, stats.overall, review.counts()
    lines = [
        f"{bold}{org.root}{reset}: quality {overall.score:.0f}/100 · "
        f"{plural(len(stats.teams), 'team', grouped=True)} · "
        f"{plural(overall.objectives, 'objective', grouped=True)} · "
        f"{plural(overall.key_results, 'key result', grouped=True)} · "
        f"{plural(len(review.findings), 'finding', grouped=True)} "
        f"({', '.join(plural(counts[s], s.value) for s in reversed(list(Severity)))}) · "
        f"{plural(org.files, 'file')}"
    ]
    if review.scope is not None:
        lines.append(f"scope: {plural(len(review.scope), 'file')} changed or aligned to them")
    organisation = [f.finding for f in review.findings if f.finding.code.startswith("ORG")]
    if organisation:
        lines += ["", f"{bold}Organisation findings{reset}"]
        for finding in organisation[:TEXT_FINDINGS]:
            severity = (
                f"{colours.get(finding.severity.value, '')}{finding.severity.value}{reset if color else ''}"
            )
            lines.append(
                f"{finding.span}: {severity} {finding.code} {finding.message} {dim}[{finding.passage}]{reset}"
            )
        if len(organisation) > TEXT_FINDINGS:
            lines.append(
                f"… and {len(organisation) - TEXT_FINDINGS} more (--format json or --report for all)"
            )
    if stats.worst:
        lines += ["", f"{bold}Fix these first{reset}"]
        for rank, worst in enumerate(stats.worst, start=1):
            item = org.items[worst.key]
            codes = ", ".join(sorted({f.finding.code for f in worst.findings}))
            lines.append(
                f"{rank:>3}. {worst.score:>3}/100 {item.team} · {item.id}: {item.text!r} — {codes} "
                f"({item.span})"
            )
    lowest = sorted(stats.teams.values(), key=lambda s: (s.score, s.name))[:10]
    if lowest:
        lines += ["", f"{bold}Lowest teams{reset}: " + ", ".join(f"{s.name} {s.score:.0f}" for s in lowest)]
    if review.rewrites:
        lines += ["", f"{bold}Rewrites{reset}: {review.rewrite_note}"]
        for report in review.rewrites:
            for p in report.proposals:
                if p.text and p.text != p.draft:
                    lines.append(f"  {p.span}: {p.draft!r} -> {p.text!r} ({p.answered_by})")
    if org.errors:
        lines += ["", f"{plural(len(org.errors), 'file')} could not be read (listed on stderr)"]
    return "\n".join(lines) + "\n"
