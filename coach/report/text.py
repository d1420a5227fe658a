"""`path:line:col: severity CODE message [passage]`, one finding a line, then a summary line."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from coach.engine import Review
from coach.knowledge import Passage
from coach.model import Severity
from coach.report import citations
from coach.report.words import plural

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.SUGGESTION: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def summary_line(review: Review) -> str:
    counts = review.counts()
    n_docs = len(review.documents)
    n_krs = sum(len(doc.key_results()) for doc in review.documents)
    parts = [plural(counts[s], s.value) for s in reversed(list(Severity))]
    line = (
        f"{plural(len(review.findings), 'finding')} ({', '.join(parts)}) in {plural(n_docs, 'file')}, "
        f"{plural(n_krs, 'key result')}"
    )
    if review.errors:
        line += f"; {plural(len(review.errors), 'file')} could not be read"
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
    shown: set[str] = set()  # passages already printed in full: a later finding points back to them
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
        if explain and finding.passage in shown:
            lines.append(f"    (passage [{finding.passage}] above)")
        elif explain and finding.passage in cited:
            passage = cited[finding.passage]
            shown.add(passage.id)
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
