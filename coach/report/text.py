"""`path:line:col: severity CODE message [passage]`, one finding a line, then a summary line."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from coach.engine import Review
from coach.knowledge import Passage
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


def render_text(
    review: Review,
    *,
    color: bool = False,
    explain: bool = False,
    related: Mapping[int, Sequence[Passage]] | None = None,
) -> str:
    lines: list[str] = []
    cited = citations() if explain else {}
    for index, finding in enumerate(review.findings):
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
            lines.append(f"    {passage.title} [{passage.id}] — {passage.source}")
            excerpt = " ".join(passage.text.split())
            excerpt = excerpt if len(excerpt) <= 480 else excerpt[:480].rsplit(" ", 1)[0] + " …"
            lines.append(textwrap.fill(excerpt, width=100, initial_indent="    ", subsequent_indent="    "))
        if explain and related and related.get(index):
            closest = "; ".join(f"{p.title} [{p.id}]" for p in related[index])
            lines.append(f"    see also: {closest}")
    if not explain:
        lines += _sources(review)
    lines.append(summary_line(review))
    return "\n".join(lines) + "\n"


def _sources(review: Review) -> list[str]:
    """The passages the findings cite, with title and source, once each."""
    cited = citations()
    used = [
        cited[pid] for pid in dict.fromkeys(f.passage for f in review.findings if f.passage) if pid in cited
    ]
    if not used:
        return []
    return ["sources cited:"] + [f"  [{p.id}] {p.title} — {p.source}" for p in used]
