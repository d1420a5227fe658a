"""Rules about the shape of a whole draft: how many objectives and KRs, duplicates, ids."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from coach.analysis.similar import near_duplicates
from coach.model import Document, KeyResult, Objective, Span
from coach.rules.base import Context, Hit, rule


def _team_of(objective: Objective, doc: Document) -> str:
    return objective.team or doc.team or ""


@rule(
    "SET001",
    "too-many-krs",
    "warning",
    "objective",
    "kr-count-per-objective",
    triggers=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - Raise checkout completion from 61% to 75%\n  - Cut failed payments from 2.8% to 1.5%\n"
        "  - Grow Apple Pay share from 0% to 20%\n  - Cut refund time from 6 to 2 days\n"
        "  - Raise payment NPS from 31 to 45\n",
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - Raise checkout completion from 61% to 75%\n  - Cut failed payments from 2.8% to 1.5%\n",
    ),
)
def too_many_krs(objective: Objective, ctx: Context) -> Iterator[str]:
    """Objective has more key results than the team can focus on.

    What it does
    Flags objectives with more than `max-krs-per-objective` key results (default 4).

    Why it matters
    Every key result needs attention at every check-in. Past four, the important ones drown and the list
    starts to describe all the work rather than the evidence of success.

    Example
    An objective with seven key results.

    Use instead
    Keep the two to four that best show the objective is happening; track the rest as health metrics or
    initiatives.
    """
    limit = int(ctx.threshold("max-krs-per-objective"))
    if len(objective.key_results) > limit:
        count = len(objective.key_results)
        yield f"has {count} key results (at most {limit}): keep the ones that best show success"


@rule(
    "SET002",
    "too-few-krs",
    "suggestion",
    "objective",
    "kr-count-per-objective",
    triggers=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - Raise checkout completion from 61% to 75%\n",
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - Raise checkout completion from 61% to 75%\n  - Cut failed payments from 2.8% to 1.5%\n",
    ),
)
def too_few_krs(objective: Objective, ctx: Context) -> Iterator[str]:
    """Objective rests on a single key result.

    What it does
    Flags objectives with fewer than `min-krs-per-objective` key results (default 2), but at least one
    (none at all is OBJ007).

    Why it matters
    One number is easy to hit while the objective fails: a second, balancing key result (quality beside
    quantity) keeps it honest.

    Example
    "Raise sign-ups from 900 to 1,500" alone.

    Use instead
    Add a balancing key result: "… while trial-to-paid conversion stays above 8%".
    """
    minimum = int(ctx.threshold("min-krs-per-objective"))
    if 0 < len(objective.key_results) < minimum:
        yield f"has {len(objective.key_results)} key result (at least {minimum}): add one that balances it"


@rule(
    "SET003",
    "too-many-objectives",
    "warning",
    "document",
    "number-of-objectives",
    triggers=(
        "objectives:\n"
        + "".join(
            f"- objective: Goal number {word} for the team\n  key_results: [Raise NPS from 30 to 4{i}]\n"
            for i, word in enumerate(["one", "two", "three", "four"])
        ),
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results: [Raise NPS from 30 to 40]\n",
    ),
)
def too_many_objectives(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Team has more objectives than it can pursue at once.

    What it does
    Counts objectives per team (the document's team, or each objective's `team`). More than
    `max-objectives` (default 3) is a warning; more than `max-objectives-error` (default 5) is an error.

    Why it matters
    Focus is the point of OKRs. Past three objectives a team is listing everything it does, and nothing
    gets the attention a stretch goal needs.

    Example
    A team draft with six objectives.

    Use instead
    Pick the one to three that matter most this cycle; the rest are business as usual.
    """
    by_team: dict[str, list[Objective]] = defaultdict(list)
    for objective in doc.objectives:
        by_team[_team_of(objective, doc)].append(objective)
    limit = int(ctx.threshold("max-objectives"))
    hard = int(ctx.threshold("max-objectives-error"))
    for team, objectives in by_team.items():
        if len(objectives) > limit:
            who = f"team {team!r}" if team else "this draft"
            level = f" — more than {hard} is a list of everything" if len(objectives) > hard else ""
            first_extra = objectives[limit]
            yield Hit(
                f"{who} has {len(objectives)} objectives (at most {limit}){level}: keep the ones that "
                "matter most this cycle",
                first_extra.span,
                first_extra.id,
            )


@rule(
    "SET004",
    "duplicate-kr",
    "warning",
    "document",
    "kr-duplicates",
    triggers=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - Raise checkout completion from 61% to 75%\n  - Cut failed payments from 2.8% to 1.5%\n"
        "- objective: Win small agencies\n  key_results:\n  - Raise checkout completion from 61% to 75%.\n"
        "  - Grow agency revenue from $1.1M to $1.3M\n",
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n"
        "  - Raise checkout completion from 61% to 75%\n  - Cut failed payments from 2.8% to 1.5%\n",
    ),
)
def duplicate_krs(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Two key results say the same thing.

    What it does
    Compares every key result with the others in the draft (word overlap at or above
    `duplicate-similarity`, default 0.85) and flags the later copy.

    Why it matters
    A duplicated key result is counted twice, owned twice, and usually graded differently twice.

    Example
    The same "Raise checkout completion from 61% to 75%" under two objectives.

    Use instead
    Keep it under the objective it serves best; if two objectives need it, one of them needs a different
    measure.
    """
    krs: list[KeyResult] = doc.key_results()
    for i, j, similarity in near_duplicates([kr.text for kr in krs], ctx.threshold("duplicate-similarity")):
        first, second = krs[i], krs[j]
        how = "repeats" if similarity >= 0.999 else f"nearly repeats ({similarity:.0%} the same words)"
        yield Hit(f"{how} {first.id} (line {first.span.line}): keep one", second.span, second.id)


@rule(
    "SET005",
    "duplicate-objective",
    "warning",
    "document",
    "kr-duplicates",
    triggers=(
        "objectives:\n- objective: Make paying us effortless\n  key_results: [Raise NPS from 30 to 40]\n"
        "- objective: Make paying us effortless!\n  key_results: [Cut refunds from 9 to 3]\n",
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results: [Raise NPS from 30 to 40]\n"
        "- objective: Win small agencies\n  key_results: [Cut refunds from 9 to 3]\n",
    ),
)
def duplicate_objectives(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Two objectives say the same thing.

    What it does
    Flags an objective whose words overlap an earlier one's at or above `duplicate-similarity`.

    Why it matters
    Two copies of one goal split its key results and its owners; readers cannot tell which one counts.

    Example
    "Make paying us effortless" twice, with different key results.

    Use instead
    Merge them and keep the best two to four key results.
    """
    objectives = doc.objectives
    for i, j, _ in near_duplicates([o.text for o in objectives], ctx.threshold("duplicate-similarity")):
        first, second = objectives[i], objectives[j]
        yield Hit(
            f"repeats objective {first.id} (line {first.span.line}): merge them", second.span, second.id
        )


@rule(
    "SET006",
    "duplicate-id",
    "error",
    "document",
    "kr-duplicates",
    triggers=(
        "objectives:\n- id: pay\n  objective: Make paying us effortless\n  key_results:\n"
        "  - {id: k1, text: Raise NPS from 30 to 40}\n  - {id: k1, text: Cut refunds from 9 to 3}\n",
    ),
    passes=(
        "objectives:\n- id: pay\n  objective: Make paying us effortless\n  key_results:\n"
        "  - {id: k1, text: Raise NPS from 30 to 40}\n  - {id: k2, text: Cut refunds from 9 to 3}\n",
    ),
)
def duplicate_ids(doc: Document, ctx: Context) -> Iterator[Hit]:
    """Two elements share an id.

    What it does
    Flags an objective or key result whose `id` was already used in the draft.

    Why it matters
    Ids are how check-ins, baselines and alignment find a key result; a shared id sends data to the wrong
    one.

    Example
    Two key results with `id: k1`.

    Use instead
    Give every objective and key result its own id (or leave ids out and let okrcoach number them).
    """
    seen: dict[str, Span] = {}
    elements: list[Objective | KeyResult] = [*doc.objectives, *doc.key_results()]
    for element in elements:
        if element.id in seen:
            yield Hit(
                f"id {element.id!r} is already used at line {seen[element.id].line}: make it unique",
                element.span,
                element.id,
            )
        else:
            seen[element.id] = element.span
