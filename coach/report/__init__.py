"""Renderers: a Review in, text out. One module per format; none of them decides anything."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from coach.engine import Review
from coach.knowledge import Passage, passages

FORMATS = ("text", "json", "sarif", "markdown")


def citations() -> dict[str, Passage]:
    """Passages by id, for the citations each renderer prints."""
    return passages()


def render(
    review: Review,
    fmt: str,
    *,
    color: bool = False,
    explain: bool = False,
    related: Mapping[int, Sequence[Passage]] | None = None,
) -> str:
    """`related`: for --explain, the closest other passages per finding (by index in review.findings)."""
    if fmt == "text":
        from coach.report.text import render_text

        return render_text(review, color=color, explain=explain, related=related or {})
    if fmt == "json":
        from coach.report.json import render_json

        return render_json(review, related=related or {})
    if fmt == "sarif":
        from coach.report.sarif import render_sarif

        return render_sarif(review)
    if fmt == "markdown":
        from coach.report.markdown import render_markdown

        return render_markdown(review)
    raise ValueError(f"unknown format {fmt!r}")
