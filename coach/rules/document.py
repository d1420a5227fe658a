"""Rules about the draft file itself: stray fields and inline suppressions.

DOC001 and DOC005 are reported by the parsers while reading; DOC004 by the engine once it knows which
suppressions were used. They are listed here so that `okrcoach rules`, config and suppressions know them.
"""

from __future__ import annotations

from collections.abc import Iterator

from coach.model import Document, Suppression
from coach.rules.base import RULES, Context, Hit, rule


def all_suppressions(doc: Document) -> Iterator[tuple[Suppression, str | None]]:
    """Every suppression in the draft, with the id of the element it sits on (None: whole document)."""
    for suppression in doc.suppressions:
        yield suppression, None
    for objective in doc.objectives:
        for suppression in objective.suppressions:
            yield suppression, objective.id
        for kr in objective.key_results:
            for suppression in kr.suppressions:
                yield suppression, kr.id


@rule(
    "DOC001",
    "unknown-field",
    "warning",
    "document",
    "reviewing-drafts",
    triggers=(
        "objectives:\n- objective: Make paying us effortless\n  colour: blue\n  key_results:\n"
        "  - Raise NPS from 30 to 40\n",
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n  - Raise NPS from 30 to 40\n",
    ),
    parser_only=True,
)
def unknown_field(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Draft has a field okrcoach does not know (it is ignored).

    What it does
    Reported while reading YAML, JSON and CSV drafts: a key or column that is not part of the schema.

    Why it matters
    An unknown field is often a typo ("ownr", "tagret") whose value is then silently lost.

    Example
    tagret: 75

    Use instead
    target: 75  (see the schema in coach/parse/SCHEMA.md)
    """
    return iter(())


@rule(
    "DOC002",
    "suppression-without-reason",
    "warning",
    "document",
    "reviewing-drafts",
    triggers=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - text: Raise NPS to 40\n    ignore: [KR004]\n",
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - text: Raise NPS to 40\n    ignore: ['KR004: baseline comes from the Q3 survey']\n",
    ),
)
def suppression_without_reason(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An inline suppression gives no reason.

    What it does
    Flags `ignore` entries (YAML/JSON field, Markdown comment, CSV column) that name a code but say
    nothing about why.

    Why it matters
    A reviewer must be able to tell a deliberate exception from a silenced warning. The reason is the
    record of that decision.

    Example
    ignore: [KR004]

    Use instead
    ignore: ["KR004: the baseline comes from the Q3 survey, due 15 July"]
    """
    for suppression, target in all_suppressions(doc):
        if not suppression.reason.strip():
            yield Hit(
                f"suppression of {suppression.code} gives no reason: add one after a colon "
                f"('{suppression.code}: why this is an exception')",
                suppression.span,
                target,
            )


@rule(
    "DOC003",
    "unknown-suppressed-code",
    "warning",
    "document",
    "reviewing-drafts",
    triggers=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - text: Raise NPS to 40\n    ignore: ['KR999: no such rule']\n",
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - text: Raise NPS to 40\n    ignore: ['KR004: the baseline comes from the Q3 survey']\n",
    ),
)
def unknown_code(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An inline suppression names a rule code that does not exist.

    What it does
    Flags suppressions whose code is not in the catalogue (`okrcoach rules` lists them).

    Why it matters
    A mistyped code suppresses nothing, so the finding its author meant to silence keeps coming back.

    Example
    ignore: ["KR04: ..."]

    Use instead
    ignore: ["KR004: ..."]
    """
    for suppression, target in all_suppressions(doc):
        if suppression.code not in RULES and suppression.code != "ALL":
            yield Hit(
                f"suppresses {suppression.code}, which is not a rule code (see 'okrcoach rules')",
                suppression.span,
                target,
            )


@rule(
    "DOC004",
    "unused-suppression",
    "suggestion",
    "document",
    "reviewing-drafts",
    triggers=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - text: Raise NPS from 30 to 40\n    owner: Sam\n    ignore: ['KR004: not needed']\n",
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - text: Raise NPS to 40\n    owner: Sam\n"
        "    ignore: ['KR004: baseline comes from the Q3 survey']\n",
    ),
    parser_only=True,
)
def unused_suppression(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An inline suppression silences nothing.

    What it does
    Reported by the engine after the review: a suppression whose code found nothing to silence on that
    element (like ruff's RUF100).

    Why it matters
    Stale suppressions hide future findings the draft's authors never saw.

    Example
    ignore: ["KR004: ..."] on a key result that states its baseline.

    Use instead
    Remove the suppression.
    """
    return iter(())


@rule(
    "DOC005",
    "unknown-level",
    "warning",
    "document",
    "reviewing-drafts",
    triggers=(
        "level: galaxy\nobjectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - Raise NPS from 30 to 40\n",
    ),
    passes=(
        "level: team\nobjectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - Raise NPS from 30 to 40\n",
    ),
    parser_only=True,
)
def unknown_level(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A `level` value is not one of company, department, team, individual.

    What it does
    Reported while reading: a level okrcoach cannot map (it knows common synonyms such as "org",
    "dept", "squad", "personal").

    Why it matters
    Levels drive alignment checks across an organisation; an unknown one drops the element out of them.

    Example
    level: galaxy

    Use instead
    level: company | department | team | individual
    """
    return iter(())


@rule(
    "DOC006",
    "invalid-suppression",
    "warning",
    "document",
    "reviewing-drafts",
    triggers=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - text: Raise NPS from 30 to 40\n    ignore: [': no code given']\n",
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - text: Raise NPS to 40\n    ignore: ['KR004: baseline comes from the Q3 survey']\n",
    ),
    parser_only=True,
)
def invalid_suppression(doc: Document, ctx: Context) -> Iterator[Hit]:
    """An inline suppression cannot be read: it names no rule code, or sits next to nothing.

    What it does
    Reported while reading: an `ignore` entry without a code, or a Markdown ignore comment that is not on
    or just above an objective or key result (nor at the top of the file).

    Why it matters
    A suppression that applies to nothing silences nothing, and its author believes a finding is handled.

    Example
    ignore: [": the baseline comes later"]

    Use instead
    ignore: ["KR004: the baseline comes from the Q3 survey"]
    """
    return iter(())
