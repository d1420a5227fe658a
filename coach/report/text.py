"""`path:line:col: severity CODE message [passage]`, one finding a line, then a summary line."""

from __future__ import annotations

import textwrap

from coach.engine import Review
from coach.model import Severity
from coach.report import citations

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.SUGGESTION: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def summary_line(review: Review) -> str:
    counts = review.counts()
    n_docs = len(review.documents)
    n_krs = sum(len(doc.key_results()) for doc in review.documents)
    parts = [f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in reversed(list(Severity))]
    line = (
        f"{len(review.findings)} findings ({', '.join(parts)}) in {n_docs} file{'s' if n_docs != 1 else ''}, "
        f"{n_krs} key results"
    )
    if review.errors:
        line += f"; {len(review.errors)} file{'s' if len(review.errors) != 1 else ''} could not be read"
    return line


def render_text(review: Review, *, color: bool = False, explain: bool = False) -> str:
    lines: list[str] = []
    cited = citations() if explain else {}
    for finding in review.findings:
        severity = finding.severity.value
        code = finding.code
        if color:
            severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
            code = f"{_BOLD}{code}{_RESET}"
        cite = f" [{finding.passage}]" if finding.passage else ""
        if color and cite:
            cite = f"{_DIM}{cite}{_RESET}"
        lines.append(f"{finding.span}: {severity} {code} {finding.message}{cite}")
        if explain and finding.passage in cited:
            passage = cited[finding.passage]
            body = textwrap.fill(
                " ".join(passage.text.split())[:600],
                width=100,
                initial_indent="    ",
                subsequent_indent="    ",
            )
            lines.append(f"    {passage.title} — {passage.source}")
            lines.append(body)
    lines.append(summary_line(review))
    return "\n".join(lines) + "\n"
