"""The rule catalogue: rules as data with stable codes, like ruff's.

A rule is a check function plus its metadata. The check's docstring is the rule's documentation, written
in four sections ("What it does", "Why it matters", "Example", "Use instead"); `okrcoach rules CODE` prints
it. Codes are never reused when a rule is retired.

Scopes:
- ``kr``: ``check(kr, objective, ctx) -> Iterable[str]`` — one message per problem with that key result;
- ``objective``: ``check(objective, ctx) -> Iterable[str]``;
- ``document``: ``check(document, ctx) -> Iterable[Hit]`` — findings anywhere in the document.
"""

from __future__ import annotations

import re

from coach.rules.base import (
    DEFAULT_THRESHOLDS,
    RULES,
    Context,
    Hit,
    Rule,
    objective_of,
    rule,
)

__all__ = ["DEFAULT_THRESHOLDS", "RULES", "Context", "Hit", "Rule", "catalogue", "objective_of", "rule"]


def catalogue(*, organisation: bool = True) -> dict[str, Rule]:
    """All rules, loaded once, ordered by code family and number.

    `organisation=False`: a draft's review does not need the ORG checks (coach.org runs them), so they
    are not imported for it; they are listed all the same once anything else has loaded them."""
    if organisation:
        from coach.org import checks, checks_overlap, checks_structure  # noqa: F401  (the ORG rules)
    from coach.rules import (  # noqa: F401  (registration)
        document,
        key_result,
        key_result_fields,
        objective,
        structure,
    )

    return dict(sorted(RULES.items(), key=lambda item: (_family_order(item[0]), item[0])))


def _family_order(code: str) -> int:
    return {"OBJ": 0, "KR": 1, "SET": 2, "DOC": 3, "ORG": 4}.get(re.sub(r"\d+$", "", code), 9)
