"""`okrcoach org` reports: an organisation review as text, JSON, Markdown or a self-contained HTML page.
Each format's module is imported only when that format is asked for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.org.review import OrgReview
    from coach.org.stats import OrgStats


def _text(review: OrgReview, stats: OrgStats, color: bool) -> str:
    from coach.report.org_text import render_org_text

    return render_org_text(review, stats, color)


def _json(review: OrgReview, stats: OrgStats, color: bool) -> str:
    from coach.report.org_json import render_org_json

    return render_org_json(review, stats)


def _markdown(review: OrgReview, stats: OrgStats, color: bool) -> str:
    from coach.report.org_markdown import render_org_markdown

    return render_org_markdown(review, stats)


def _html(review: OrgReview, stats: OrgStats, color: bool) -> str:
    from coach.report.org_html import render_org_html

    return render_org_html(review, stats)


# --format: name -> renderer (review, statistics, colour or not), in the order `okrcoach org --help` lists.
FORMATS: dict[str, Callable[[OrgReview, OrgStats, bool], str]] = {
    "text": _text,
    "json": _json,
    "markdown": _markdown,
    "html": _html,
}


def render_org(review: OrgReview, stats: OrgStats, fmt: str, *, color: bool = False) -> str:
    return FORMATS[fmt](review, stats, color)
