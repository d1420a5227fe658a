"""Organisation checks about alignment gaps and cascades (ORG001–ORG005), in the same catalogue as the
draft rules.

Scope ``organisation``: ``check(org, ctx) -> Iterable[OrgHit]``. The engine's `review_document` never runs
them (it runs the kr / objective / document scopes); `coach.org.review_org` does, once per organisation.
Their examples are organisation files (coach/org/nested.py) that tests/test_org_rules.py runs. What the
checks compute is imported when they run (coach/org/shared.py), so loading the catalogue stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from coach.org.examples import COMPANY, SALES_OK, example, objective, unit
from coach.rules.base import rule

if TYPE_CHECKING:
    from coach.org.model import Organisation, OrgContext, OrgHit

ORGANISATION = "organisation"
MIN_SHARE_SAMPLE = 5  # objectives below company level needed before a bottom-up share means anything


@rule(
    "ORG001",
    "unsupported-company-okr",
    "warning",
    ORGANISATION,
    "alignment-gaps",
    triggers=(
        example(
            COMPANY,
            unit(
                "Sales",
                "team",
                objective("sa-1", "Open two new regions", "Sign 12 partners in DACH and Nordics"),
            ),
        ),
    ),
    passes=(example(COMPANY, SALES_OK),),
)
def unsupported_company_okr(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """A company objective or key result that nothing below supports.

    What it does
    Follows every `parent:` reference up the organisation. A company objective that no objective or key
    result below names (directly or through one of its key results) is flagged; so is a company key
    result nobody names while another key result of the same objective is named.

    Why it matters
    A company goal no team has taken on will not move: nothing in the organisation is arranged to move
    it this cycle. Finding it during the draft review is the point of reading the drafts together.

    Example
    The company's "Raise NPS from 31 to 45" with no team, department or person aligned to it.

    Use instead
    Ask which team owns the lever, and have it name the key result it supports (`parent: co-1.2`); or
    drop the company key result if nobody will work on it.
    """
    from coach.org.alignment import key_results_of, supporters
    from coach.org.model import LEVEL_RANK
    from coach.org.shared import hit

    if not any(LEVEL_RANK[i.level] > 0 for i in org.items.values()):
        return
    for obj in org.objectives():
        if obj.level.value != "company":
            continue
        krs = key_results_of(org, obj)
        if not supporters(org, obj):
            yield hit(
                obj, "no objective or key result below supports this company objective or its key results"
            )
        elif any(kr.children for kr in krs):
            for kr in krs:
                if not kr.children:
                    yield hit(kr, "no team names this company key result, while its siblings have support")


@rule(
    "ORG002",
    "orphan-objective",
    "warning",
    ORGANISATION,
    "alignment-gaps",
    triggers=(
        example(
            COMPANY,
            SALES_OK,
            unit(
                "Support",
                "team",
                objective(
                    "su-1",
                    "Answer customers within the hour",
                    "Cut first reply time from 9 h to 1 h",
                    "Keep CSAT above 90%",
                ),
            ),
        ),
    ),
    passes=(example(COMPANY, SALES_OK),),
)
def orphan_objective(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """An objective below company level that aligns to nothing.

    What it does
    Flags department, team and individual objectives that name no parent (nor do their key results, nor
    their draft's `parent:`), when the organisation has objectives above them. The closest company or
    department element by an offline embedding is suggested.

    Why it matters
    A team goal that cannot be traced to a company priority is either a real local priority (say so) or
    work the organisation has not agreed to; either way, planning week is when to find out.

    Example
    Support's "Answer customers within the hour" with no `parent:`.

    Use instead
    `parent: co-1.2` naming the objective or key result it supports, or an inline
    `ignore: "ORG002: a local priority agreed with the VP"`.
    """
    from coach.org.alignment import is_aligned, key_results_of
    from coach.org.model import LEVEL_RANK
    from coach.org.shared import hit, label, ranks_with_something_above

    possible = ranks_with_something_above(org)
    tried = {problem.item for problem in org.unresolved}  # ORG003 reports those
    for obj in org.objectives():
        if obj.level.value == "company" or LEVEL_RANK[obj.level] not in possible or is_aligned(org, obj):
            continue
        if obj.key in tried or any(kr.key in tried for kr in key_results_of(org, obj)):
            continue
        suggestion = org.suggestions.get(obj.key)
        hint = ""
        if suggestion is not None:
            parent = org.items[suggestion.parent]
            hint = f"; closest above: {label(parent)} '{parent.text}' ({suggestion.similarity:.0%} similar)"
        yield hit(obj, f"aligns to nothing above it{hint}: name the objective or key result it supports")


@rule(
    "ORG003",
    "unknown-parent",
    "warning",
    ORGANISATION,
    "company-okrs-first",
    triggers=(
        example(
            COMPANY,
            unit(
                "Sales",
                "team",
                objective(
                    "sa-1",
                    "Make buyers say yes faster",
                    "Cut the sales cycle from 60 to 40 days",
                    parent="co-9",
                ),
            ),
        ),
    ),
    passes=(example(COMPANY, SALES_OK),),
)
def unknown_parent(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """A parent reference names nothing in the organisation, or more than one thing.

    What it does
    Flags `parent:` / `supports:` references that match no objective or key result by id, qualified id
    (`Team/id`) or text, and references that match several (auto ids such as `O1` usually do).

    Why it matters
    Teams can only align with goals they have seen. A reference to a goal that is not in the set (an old
    id, last quarter's wording) means the team drafted against a guess.

    Example
    `parent: co-9` when the company objectives are co-1 to co-3.

    Use instead
    Copy the id from the published company OKRs, qualified when ids repeat: `parent: Acme/co-1.2`.
    """
    from coach.org.shared import hit

    for problem in org.unresolved:
        item = org.items[problem.item]
        yield hit(item, f"parent reference '{problem.reference}' {problem.problem}")


@rule(
    "ORG004",
    "cascading-theatre",
    "warning",
    ORGANISATION,
    "cascading-theatre",
    triggers=(
        example(
            COMPANY,
            unit(
                "Sales",
                "team",
                objective(
                    "sa-1",
                    "Make buyers say yes faster",
                    "Grow mid-market ARR from $4M to $6M <- co-1.1",
                    "Cut the sales cycle from 60 to 40 days",
                    parent="co-1",
                ),
            ),
        ),
        example(  # the parent's key result in other words, with its numbers
            COMPANY,
            unit(
                "Sales",
                "team",
                objective(
                    "sa-1",
                    "Make buyers say yes faster",
                    "Increase mid-market ARR from $4M to $6M",
                    parent="co-1",
                ),
            ),
        ),
    ),
    passes=(example(COMPANY, SALES_OK),),
)
def cascading_theatre(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """A cascaded objective or key result copies its parent, word for word or in other words.

    What it does
    Compares each key result with the parent key result it names (or, without one, with the key results
    of the objective it aligns to), and each objective with its parents: words overlapping at or above
    `cascade-copy-similarity` (default 0.9) are flagged. So is a key result with its parent's baseline and
    target whose words overlap the parent's by 70% or more once direction verbs count as one (cut, reduce,
    lower, decrease) and the numbers are left aside: "Cut p95 load time from 4.2 s to 1.5 s" under
    "Reduce p95 load time from 4.2 s to 1.5 s".

    Why it matters
    A pasted parent key result looks perfect on an alignment chart and adds nothing: the team inherits a
    number it cannot move alone, and nobody has worked out what this team will change.

    Example
    Sales' key result "Grow mid-market ARR from $4M to $6M" under the company's identical key result.

    Use instead
    The team's own lever that moves the parent: "Cut the mid-market sales cycle from 60 to 40 days".
    """
    from coach.org.model import KEY_RESULT
    from coach.org.shared import cascade_copies, hit, label

    for key, parent_key in cascade_copies(ctx).items():
        item, parent = org.items[key], org.items[parent_key]
        what = "key result" if item.kind == KEY_RESULT else "objective"
        yield hit(
            item, f"copies {label(parent)} '{parent.text}': write the {what} this team will move itself"
        )


@rule(
    "ORG005",
    "low-bottom-up-share",
    "suggestion",
    ORGANISATION,
    "bottom-up-share",
    triggers=(
        example(
            COMPANY,
            *(
                unit(
                    f"Region{n}",
                    "team",
                    objective(
                        f"r{n}", "Win the mid-market", "Grow mid-market ARR from $4M to $6M", parent="co-1"
                    ),
                )
                for n in range(MIN_SHARE_SAMPLE)
            ),
        ),
    ),
    passes=(
        example(
            COMPANY, *(SALES_OK.replace("Sales", f"Sales{n}").replace("sa-1", f"sa{n}") for n in range(5))
        ),
        # Too few objectives below the company to speak of a share.
        example(
            COMPANY, unit("Sales", "team", objective("sa-1", "Win the mid-market", "Grow ARR", parent="co-1"))
        ),
    ),
)
def low_bottom_up_share(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """Too few objectives come from the teams themselves.

    What it does
    Counts an objective below company level as top-down when it says so (`origin: top-down` or
    `source: leadership`), when its words repeat a parent's (`top-down-similarity`, default 0.7), or
    when half or more of its key results copy a parent's (ORG004). The share of the others below
    `min-bottom-up-share` (default 0.6) is reported once for the organisation, when it has at least
    five objectives below company level.

    Why it matters
    Teams that shape their goals understand and own them; a set that is mostly leadership's words handed
    down is top-down whatever the process is called.

    Example
    Nine of twelve team objectives restating the company objective they align to.

    Use instead
    Publish the company OKRs, then let each team propose its own contribution and key results.
    """
    from coach.model import Span
    from coach.org.model import OrgHit
    from coach.org.shared import cascade_copies, top_down

    copies = cascade_copies(ctx)
    threshold = ctx.threshold("top-down-similarity")
    below = [o for o in org.objectives() if o.level.value != "company"]
    handed_down = [o for o in below if top_down(ctx, o, copies, threshold)]
    if len(below) < MIN_SHARE_SAMPLE:
        return
    share = 1 - len(handed_down) / len(below)
    minimum = ctx.threshold("min-bottom-up-share")
    if share < minimum:
        yield OrgHit(
            f"only {share:.0%} of the {len(below)} objectives below company level are the teams' own "
            f"({len(handed_down)} repeat a parent's words or are marked top-down; aim for {minimum:.0%} "
            "or more)",
            Span(org.root, 1, 1),
        )
