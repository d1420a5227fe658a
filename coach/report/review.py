"""`okrcoach review` reports: a Review as text, JSON, SARIF, Markdown, GitHub Actions annotations or GitLab
Code Quality JSON. Each format's module is imported only when that format is asked for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from coach.engine import Review
    from coach.knowledge import Passage


class Renderer(Protocol):
    def __call__(
        self, review: Review, *, color: bool, explain: bool, related: Mapping[int, Sequence[Passage]]
    ) -> str: ...


def _text(review: Review, *, color: bool, explain: bool, related: Mapping[int, Sequence[Passage]]) -> str:
    from coach.report.text import render_text

    return render_text(review, color=color, explain=explain, related=related)


def _json(review: Review, *, color: bool, explain: bool, related: Mapping[int, Sequence[Passage]]) -> str:
    from coach.report.json import render_json

    return render_json(review, related=related)


def _sarif(review: Review, *, color: bool, explain: bool, related: Mapping[int, Sequence[Passage]]) -> str:
    from coach.report.sarif import render_sarif

    return render_sarif(review)


def _markdown(review: Review, *, color: bool, explain: bool, related: Mapping[int, Sequence[Passage]]) -> str:
    from coach.report.markdown import render_markdown

    return render_markdown(review)


def _github(review: Review, *, color: bool, explain: bool, related: Mapping[int, Sequence[Passage]]) -> str:
    from coach.report.github import render_github

    return render_github(review)


def _gitlab(review: Review, *, color: bool, explain: bool, related: Mapping[int, Sequence[Passage]]) -> str:
    from coach.report.gitlab import render_gitlab

    return render_gitlab(review)


# --format: name -> renderer, in the order `okrcoach review --help` lists them.
FORMATS: dict[str, Renderer] = {
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "markdown": _markdown,
    "github": _github,
    "gitlab": _gitlab,
}


def render(
    review: Review,
    fmt: str,
    *,
    color: bool = False,
    explain: bool = False,
    related: Mapping[int, Sequence[Passage]] | None = None,
) -> str:
    """`related`: for --explain, the closest other passages per finding (by index in review.findings)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    return FORMATS[fmt](review, color=color, explain=explain, related=related or {})
