"""Organisation checks about the shape of the alignment (ORG006–ORG009, ORG014): depth, fan-out, links
pointing down, cycles, and a set without company OKRs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from coach.org.checks import ORGANISATION
from coach.org.examples import COMPANY, SALES_OK, example, objective, unit
from coach.rules.base import rule

if TYPE_CHECKING:
    from coach.org.model import Organisation, OrgContext, OrgHit


@rule(
    "ORG006",
    "deep-cascade",
    "suggestion",
    ORGANISATION,
    "alignment-not-cascade",
    triggers=(
        example(
            COMPANY,
            *(
                unit(
                    f"Unit{n}",
                    "team",
                    objective(
                        f"u{n}",
                        f"Goal of unit number {n} for customers",
                        f"Raise metric {n} from 1 to 2",
                        parent="co-1" if n == 1 else f"u{n - 1}",
                    ),
                )
                for n in range(1, 6)
            ),
        ),
    ),
    passes=(example(COMPANY, SALES_OK),),
)
def deep_cascade(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """An alignment chain is deeper than the organisation can keep meaningful.

    What it does
    Measures each objective's distance from an objective that aligns to nothing (the top is 1) and flags
    the first objective of each chain past `max-alignment-depth` (default 5).

    Why it matters
    Every layer of cascading adds translation and delay; six layers down, the link to the company goal is
    usually a formality, and the goal is a copy of a copy.

    Example
    Company → function → department → group → team → individual → sub-team.

    Use instead
    Let lower levels align to the company or function objective they serve, skipping layers that only
    restate it.
    """
    from coach.org.alignment import depths
    from coach.org.shared import hit

    limit = int(ctx.threshold("max-alignment-depth"))
    depth, _ = depths(org)
    for obj in org.objectives():
        if depth.get(obj.key, 1) == limit + 1:
            yield hit(
                obj, f"sits {limit + 1} levels down an alignment chain (at most {limit}): align it higher"
            )


@rule(
    "ORG007",
    "wide-fan-out",
    "suggestion",
    ORGANISATION,
    "alignment-not-cascade",
    triggers=(
        example(
            COMPANY,
            *(
                unit(
                    f"Team{n}",
                    "team",
                    objective(
                        f"t{n}",
                        f"Team {n} helps win the mid-market",
                        f"Raise team {n} metric from 1 to 2",
                        parent="co-1.1",
                    ),
                )
                for n in range(11)
            ),
        ),
    ),
    passes=(example(COMPANY, SALES_OK),),
)
def wide_fan_out(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """Too many objectives hang from one objective or key result.

    What it does
    Counts the objectives that align to each element (directly or through their key results) and flags
    elements with more than `max-fan-out` (default 10).

    Why it matters
    When a dozen teams all claim the same parent, either the parent is too broad to steer by, or teams
    are attaching their work to the safest-looking box.

    Example
    Fourteen team objectives all naming "Grow ARR from $38M to $50M".

    Use instead
    Split the parent into the levers it depends on, or introduce the department objective in between.
    """
    from coach.org.shared import hit

    limit = int(ctx.threshold("max-fan-out"))
    for item in org.items.values():
        children = {org.objective_item(org.items[c]).key for c in item.children}
        if len(children) > limit:
            yield hit(
                item,
                f"{len(children)} objectives align to this {item.kind.replace('_', ' ')} (at most {limit})",
            )


@rule(
    "ORG008",
    "upward-alignment",
    "warning",
    ORGANISATION,
    "alignment-not-cascade",
    triggers=(
        example(
            unit(
                "Acme",
                "company",
                objective("co-1", "Win the mid-market", "Grow ARR from $4M to $6M", parent="sa-1"),
            ),
            SALES_OK,
        ),
    ),
    passes=(example(COMPANY, SALES_OK),),
)
def upward_alignment(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """An element aligns to one at a lower level.

    What it does
    Flags parent references that point down the organisation: a company objective naming a team's key
    result, a department naming an individual's.

    Why it matters
    Alignment runs from the contribution to what it contributes to. A reversed link is usually a typo in
    the id, and it hides the real parent.

    Example
    The company objective with `parent: sa-1` (a Sales team objective).

    Use instead
    Put the reference on the lower element: Sales' objective names `parent: co-1`.
    """
    from coach.org.model import LEVEL_RANK
    from coach.org.shared import hit, label

    for item in org.items.values():
        for parent_key in item.parents:
            parent = org.items[parent_key]
            if LEVEL_RANK[parent.level] > LEVEL_RANK[item.level]:
                yield hit(
                    item,
                    f"aligns to {label(parent)}, at a lower level ({parent.level.value}): reverse the link",
                )


@rule(
    "ORG009",
    "alignment-cycle",
    "error",
    ORGANISATION,
    "alignment-not-cascade",
    triggers=(
        example(
            unit(
                "Sales",
                "team",
                objective(
                    "sa-1",
                    "Make buyers say yes faster",
                    "Cut the sales cycle from 60 to 40 days",
                    parent="su-1",
                ),
            ),
            unit(
                "Support",
                "team",
                objective(
                    "su-1", "Answer within the hour", "Cut first reply time from 9 h to 1 h", parent="sa-1"
                ),
            ),
        ),
    ),
    passes=(example(COMPANY, SALES_OK),),
)
def alignment_cycle(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """Objectives align to each other in a circle.

    What it does
    Follows parent references between objectives (directly or through key results) and reports each
    cycle once, on its first objective.

    Why it matters
    A cycle has no top: none of its objectives traces to a company priority, and the alignment chart
    cannot be drawn.

    Example
    Sales' objective names Support's as its parent, and Support's names Sales'.

    Use instead
    Decide which one contributes to the other, or align both to the objective above them.
    """
    from coach.org.alignment import depths
    from coach.org.shared import hit, label

    _, cycles = depths(org)
    seen: set[frozenset[str]] = set()
    for cycle in cycles:
        members = frozenset(cycle)
        if members in seen:
            continue
        seen.add(members)
        first = org.items[min(cycle)]
        chain = " → ".join(label(org.items[k]) for k in [*cycle, cycle[0]])
        yield hit(first, f"alignment goes in a circle: {chain}")


@rule(
    "ORG014",
    "no-company-okrs",
    "warning",
    ORGANISATION,
    "company-okrs-first",
    triggers=(example(SALES_OK.replace("    parent: co-1\n", "")),),
    passes=(example(COMPANY, SALES_OK),),
)
def no_company_okrs(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """The organisation's drafts hold no company objectives.

    What it does
    Reported once when no objective is at company level (`level: company`, or the root `company.yaml`).

    Why it matters
    Teams cannot align with goals they have not seen; without the company OKRs in the set, every team
    drafts against a guess and the alignment checks have nothing to check against.

    Example
    A folder of twenty team drafts and no company file.

    Use instead
    Publish the company OKRs first (a `company.yaml` at the root), then review the team drafts against
    them.
    """
    from coach.model import Span
    from coach.org.model import OBJECTIVE, OrgHit

    if org.items and not any(i.level.value == "company" and i.kind == OBJECTIVE for i in org.items.values()):
        yield OrgHit(
            "no company objectives in this set: publish them before the teams align", Span(org.root, 1, 1)
        )
