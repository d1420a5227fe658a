"""A Markdown review for pull-request comments and wikis: per file and objective, findings with citations."""

from __future__ import annotations

from collections import defaultdict

from coach.analysis.kr import analysis_of
from coach.engine import Review
from coach.model import Finding, Severity
from coach.report import citations
from coach.report.text import summary_line

_ICON = {"error": "🔴", "warning": "🟠", "suggestion": "🔵"}
_SEVERITY = {level: level.value for level in Severity}  # not through the enum descriptor, once a finding


def _escape(text: str) -> str:
    """Keep user text from turning into Markdown or HTML structure."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def render_markdown(review: Review) -> str:
    cited = citations()
    lines = ["# okrcoach review", "", summary_line(review), ""]
    for error in review.errors:
        lines.append(f"- ❌ `{_escape(str(error))}`")
    by_target: dict[tuple[str, str | None], list[Finding]] = defaultdict(list)
    for finding in review.findings:
        by_target[(finding.span.file, finding.target)].append(finding)
    used_passages: dict[str, None] = {}
    for doc in review.documents:
        lines += [f"## {_escape(doc.path)}", ""]
        doc_level = by_target.get((doc.path, None), [])
        for finding in doc_level:
            lines.append(_finding_line(finding, used_passages))
        for obj in doc.objectives:
            lines.append(f"### {_escape(obj.id)}: {_escape(obj.text)}")
            lines.append("")
            for finding in by_target.get((doc.path, obj.id), []):
                lines.append(_finding_line(finding, used_passages))
            lines.append("")
            lines.append("| KR | Key result | Kind | Target | Baseline | Findings |")
            lines.append("|---|---|---|---|---|---|")
            for kr in obj.key_results:
                a = analysis_of(kr)
                codes = ", ".join(f.code for f in by_target.get((doc.path, kr.id), [])) or "—"
                lines.append(
                    f"| {_escape(kr.id)} | {_escape(kr.text)} | {a.kind} | "
                    f"{_yes(a.has_target)} | {_yes(a.has_baseline)} | {codes} |"
                )
            lines.append("")
            for kr in obj.key_results:
                for finding in by_target.get((doc.path, kr.id), []):
                    lines.append(_finding_line(finding, used_passages, prefix=f"**{_escape(kr.id)}** "))
            lines.append("")
    if used_passages:
        lines += ["## Sources cited", ""]
        for passage_id in used_passages:
            passage = cited.get(passage_id)
            if passage:
                lines.append(f"- **{passage.id}** — {_escape(passage.title)}. {_escape(passage.source)}")
    return "\n".join(lines).rstrip() + "\n"


def _yes(flag: object) -> str:
    return "yes" if flag else "no"


def _finding_line(finding: Finding, used: dict[str, None], prefix: str = "") -> str:
    cite = ""
    if finding.passage:
        used[finding.passage] = None
        cite = f" _(see {finding.passage})_"
    severity = _SEVERITY[finding.severity]
    return (
        f"- {_ICON[severity]} {prefix}`{finding.code}` {severity}: {_escape(finding.message)} "
        f"(line {finding.span.line}){cite}"
    )
