"""Organisation checks about overlap between teams (ORG010–ORG013): objective limits across files, the
same metric with conflicting targets, near-duplicate key results, and people owning too many of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from coach.org.checks import ORGANISATION
from coach.org.examples import SALES_OK, example, objective, unit
from coach.rules.base import rule

if TYPE_CHECKING:
    from coach.model import KRAnalysis
    from coach.org.model import Item, Organisation, OrgContext, OrgHit


@rule(
    "ORG010",
    "team-over-objective-limit",
    "warning",
    ORGANISATION,
    "number-of-objectives",
    triggers=(
        example(
            *(
                unit(
                    "Sales",
                    "team",
                    objective(f"s{n}", f"Sales goal number {n} for buyers", f"Raise metric {n} from 1 to 2"),
                )
                for n in range(1, 5)
            )
        ),
    ),
    passes=(
        example(
            SALES_OK,
            unit(
                "Sales",
                "team",
                objective("s2", "Keep buyers happy after they sign", "Raise renewal rate from 80% to 88%"),
            ),
        ),
    ),
)
def team_over_objective_limit(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """A team's objectives, spread over several files, are more than it can pursue.

    What it does
    Counts each team's objectives across every file that names the team. Past `max-objectives` (default
    3) it is flagged, unless one file alone already passes the limit (SET003 reports that one).

    Why it matters
    Focus is the point of OKRs. A team whose objectives are split across a department file, its own file
    and a shared spreadsheet usually has more of them than anyone has counted.

    Example
    Sales with two objectives in `sales.yaml` and two more in the company spreadsheet.

    Use instead
    Keep the one to three that matter most this cycle in one place.
    """
    from coach.org.model import OrgHit

    limit = int(ctx.threshold("max-objectives"))
    for team in org.teams.values():
        total = sum(len(doc.objectives) for doc in team.documents)
        if (
            len(team.documents) > 1
            and total > limit
            and all(len(d.objectives) <= limit for d in team.documents)
        ):
            first = team.documents[0].objectives[0]
            files = len(team.paths)
            where = f"{files} files" if files > 1 else f"{len(team.documents)} places"
            yield OrgHit(
                f"team {team.name!r} has {total} objectives across {where} (at most {limit}): keep the "
                "ones that matter most this cycle",
                first.span,
                None,
                team.name,
            )


@rule(
    "ORG011",
    "conflicting-metric-targets",
    "warning",
    ORGANISATION,
    "kr-duplicates",
    triggers=(
        example(
            unit(
                "Support",
                "team",
                objective("su-1", "Answer customers within the hour", "Cut first reply time from 9 h to 2 h"),
            ),
            unit(
                "Success",
                "team",
                objective("cs-1", "Make onboarding painless", "Cut first reply time from 9 h to 4 h"),
            ),
        ),
    ),
    passes=(
        example(
            unit(
                "Support",
                "team",
                objective("su-1", "Answer customers within the hour", "Cut first reply time from 9 h to 2 h"),
            ),
            unit(
                "Success",
                "team",
                objective("cs-1", "Make onboarding painless", "Raise week-one activation from 40% to 55%"),
            ),
        ),
    ),
)
def conflicting_metric_targets(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """The same metric is owned by several teams with conflicting targets.

    What it does
    Groups key results by their metric (the parsed metric, or a `metric:` field), across teams that do
    not align to one another, and flags those whose targets differ by more than
    `conflicting-target-tolerance` (default 5%, same unit) or point in opposite directions.

    Why it matters
    Two owners of one number with two targets: one of them will be graded a success and the other a
    failure on the same result, and nobody knows who acts when it slips.

    Example
    Support: "Cut first reply time from 9 h to 2 h"; Success: "Cut first reply time from 9 h to 4 h".

    Use instead
    Agree one target and one owner; the other team aligns to that key result with its own lever.
    """
    from collections import defaultdict

    from coach.org.alignment import normalise
    from coach.org.model import OrgHit
    from coach.org.shared import (
        GENERIC_METRICS,
        MAX_METRIC_GROUP,
        analysis,
        conflicting,
        label,
        related,
        target_text,
    )

    tolerance = ctx.threshold("conflicting-target-tolerance")
    groups: dict[str, list[tuple[Item, KRAnalysis]]] = defaultdict(list)
    for kr in org.key_results():
        facts = analysis(ctx, kr)
        pinned = kr.element.extra.get("metric")
        metric = normalise(str(pinned)) if pinned else facts.metric
        if metric and metric not in GENERIC_METRICS:
            groups[metric].append((kr, facts))
    for metric, members in groups.items():
        if len({m.team for m, _ in members}) < 2 or len(members) > MAX_METRIC_GROUP:
            continue
        for kr, facts in members:
            others: list[Item] = []
            for other, other_facts in members:
                if (
                    other.team != kr.team
                    and conflicting(facts, other_facts, tolerance)
                    and not related(ctx, kr, other)
                ):
                    others.append(other)
                    if len(others) > 3:
                        break
            if others:
                shown = "; ".join(f"{label(o)} {target_text(ctx, o)}" for o in others[:3])
                more = " and more" if len(others) > 3 else ""
                yield OrgHit(
                    f"'{metric}' has a different target in {shown}{more}: agree one target and one owner",
                    kr.span,
                    kr.key,
                    kr.team,
                )


@rule(
    "ORG012",
    "cross-team-duplicate-kr",
    "warning",
    ORGANISATION,
    "kr-duplicates",
    triggers=(
        example(
            unit(
                "Web",
                "team",
                objective(
                    "we-1", "Make the first week delightful", "Raise week-one activation from 40% to 55%"
                ),
            ),
            unit(
                "Mobile",
                "team",
                objective(
                    "mo-1", "Make the app the easy way in", "Raise week-one activation from 40% to 55%."
                ),
            ),
        ),
    ),
    passes=(
        example(
            unit(
                "Web",
                "team",
                objective(
                    "we-1", "Make the first week delightful", "Raise week-one activation from 40% to 55%"
                ),
            ),
            unit(
                "Mobile",
                "team",
                objective("mo-1", "Make the app the easy way in", "Cut app crash rate from 2% to 0.5%"),
            ),
        ),
    ),
)
def cross_team_duplicate_kr(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """Two teams' key results say the same thing.

    What it does
    Finds pairs of key results in different teams that share at least half their words, then scores each
    pair with the offline embedding (`--embedding`; hashing by default) and flags the later one when the
    similarity is at or above `cross-team-duplicate-similarity` (default 0.8). Key results in one
    alignment chain are left to ORG004, and those with conflicting targets to ORG011.

    Why it matters
    The same measure in two teams' sets is counted twice, owned twice and usually graded differently
    twice; the organisation looks as if it covers more than it does.

    Example
    Web and Mobile both: "Raise week-one activation from 40% to 55%".

    Use instead
    One team owns the key result; the other aligns to it with the lever it controls.
    """
    from coach.org.model import OrgHit
    from coach.org.shared import analysis, conflicting, duplicate_pairs, label

    tolerance = ctx.threshold("conflicting-target-tolerance")
    best: dict[str, tuple[float, str]] = {}
    for first_key, second_key, score in duplicate_pairs(ctx):
        first, second = org.items[first_key], org.items[second_key]
        if conflicting(analysis(ctx, first), analysis(ctx, second), tolerance):
            continue  # ORG011 reports those
        if score > best.get(second_key, (0.0, ""))[0]:
            best[second_key] = (score, first_key)
    order = {key: index for index, key in enumerate(org.items)}
    for second_key, (score, first_key) in sorted(best.items(), key=lambda kv: order[kv[0]]):
        first, second = org.items[first_key], org.items[second_key]
        yield OrgHit(
            f"repeats {label(first)} '{first.text}' ({score:.0%} similar): one team owns it, the other "
            "aligns to it",
            second.span,
            second.key,
            second.team,
        )


@rule(
    "ORG013",
    "owner-overload",
    "warning",
    ORGANISATION,
    "kr-ownership",
    triggers=(
        example(
            unit(
                "Sales",
                "team",
                objective(
                    "s1",
                    "Make buyers say yes faster",
                    *(f"Raise metric {n} from {n} to {n + 5}" for n in range(4)),
                )
                + objective(
                    "s2",
                    "Keep buyers after they sign",
                    *(f"Cut metric {n} from {n + 5} to {n}" for n in range(4)),
                ),
            ).replace("    - {id", "    - {owner: Dana, id"),
        ),
    ),
    passes=(example(SALES_OK.replace("    - {id", "    - {owner: Dana, id")),),
)
def owner_overload(org: Organisation, ctx: OrgContext) -> Iterator[OrgHit]:
    """One person owns more key results than anyone can keep in view.

    What it does
    Counts the key results each person owns across the organisation (the key result's owner, else its
    objective's) and flags people with more than `max-krs-per-owner` (default 6).

    Why it matters
    An owner keeps the number in view, reports it honestly and raises variance early. Past a handful,
    ownership becomes a name in a column and the key results drift.

    Example
    Dana owns nine key results across Sales, Partnerships and the company set.

    Use instead
    Hand key results to the people closest to the work; keep the ones you will actually steer.
    """
    from collections import Counter, defaultdict

    from coach.org.model import OrgHit

    limit = int(ctx.threshold("max-krs-per-owner"))
    owned: dict[str, list[Item]] = defaultdict(list)
    names: dict[str, str] = {}
    for kr in org.key_results():
        if kr.owner:
            key = " ".join(kr.owner.lstrip("@").casefold().split())
            owned[key].append(kr)
            names.setdefault(key, kr.owner.strip())
    for key, items in owned.items():
        if len(items) > limit:
            teams = Counter(item.team for item in items)
            shown = ", ".join(team for team, _ in teams.most_common(4))
            yield OrgHit(
                f"{names[key]} owns {len(items)} key results across {shown} (at most {limit}): hand some "
                "to the people closest to the work",
                items[0].span,
                None,
                teams.most_common(1)[0][0],
            )
