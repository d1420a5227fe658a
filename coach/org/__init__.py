"""Batch review of a whole organisation's OKR drafts: teams, alignment, the ORG checks, statistics.

    org = load_org(["drafts/"], jobs=2)          # every draft; unreadable files in org.errors
    result = review_org(org, config, jobs=2)     # each draft's findings, then the ORG checks
    stats = compute(result)                      # per level and team, the quality score, worst items

The ORG rules live in coach.org.checks, checks_structure and checks_overlap (registered in the rule
catalogue when those modules are imported). The names below load on first use, so that importing the
checks (as the catalogue does) costs only the checks.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coach.org.load import load_org, load_org_text
    from coach.org.model import Item, Organisation, OrgFinding, Team
    from coach.org.review import OrgReview, review_org
    from coach.org.stats import OrgStats, compute

_WHERE = {
    "load_org": "coach.org.load",
    "load_org_text": "coach.org.load",
    "Item": "coach.org.model",
    "OrgFinding": "coach.org.model",
    "Organisation": "coach.org.model",
    "Team": "coach.org.model",
    "OrgReview": "coach.org.review",
    "review_org": "coach.org.review",
    "OrgStats": "coach.org.stats",
    "compute": "coach.org.stats",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'coach.org' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)


__all__ = [
    "Item",
    "OrgFinding",
    "OrgReview",
    "OrgStats",
    "Organisation",
    "Team",
    "compute",
    "load_org",
    "load_org_text",
    "review_org",
]
