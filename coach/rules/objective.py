"""Rules about one objective: its wording, and the set of key results under it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from coach import lexicon as lx
from coach.analysis import MAX_KR_CHARS, clean, quantities
from coach.model import Objective
from coach.rules.base import Context, rule

_BUZZ = re.compile(
    r"(?i)(?<![\w-])(?=\w)("  # every buzzword starts with a letter: other positions fail at once
    + "|".join(re.escape(b) for b in sorted(lx.BUZZWORDS, key=len, reverse=True))
    + r")(?![\w-])"
)
_WHY_MARKER = re.compile(
    r"(?i)\b(?:so\s+that|so|in\s+order\s+to|because|which|enabling|allowing|helping|thereby|resulting\s+in|"
    r"for(?=\s+(?![qh]\d|fy|\d|the\s+(?:quarter|year)))|where|until|without)\s+\w|[:—–]\s*\w|\s-\s\w"
)
_TO_VERB = re.compile(r"(?i)\bto\s+([a-z]+)")
_PURPOSE_VERBS = frozenset(
    {
        "make",
        "help",
        "let",
        "give",
        "enable",
        "become",
        "be",
        "keep",
        "win",
        "serve",
        "reach",
        "stop",
        "free",
        "protect",
        "earn",
        "put",
        "bring",
        "turn",
        "see",
        "know",
        "feel",
        "find",
        "get",
        "pay",
        "trust",
        "choose",
        "spend",
        "focus",
        "scale",
    }
)


def _has_why(text: str) -> bool:
    if _WHY_MARKER.search(text):
        return True
    for m in _TO_VERB.finditer(text):
        verb = m.group(1).lower()
        if verb in _PURPOSE_VERBS or verb in lx.OUTCOME_VERBS or verb in lx.VAGUE_VERBS:
            return True
    return False


_MAINTAIN_LEAD = re.compile(r"(?i)^\s*(?:maintain|keep|sustain|preserve|hold|continue\s+to|stay|remain)\b")
_PROJECT_LEAD = re.compile(
    r"(?i)^\s*(?:launch|ship|build|release|implement|migrate|deliver|complete|finish|roll\s+out|deploy|"
    r"create|develop|introduce|rebuild|redesign|rewrite|set\s+up|install|upgrade)\b"
)
_GOAL_SPLIT = re.compile(r"(?i)\s+(?:and|&|as\s+well\s+as|while\s+also|plus)\s+|;\s*|\.\s+(?=[A-Z])")


_WORD = re.compile(r"[\w'’-]+")
_HALVES = re.compile(r"(?i)\b(?:double|triple|halve|by\s+half|in\s+half|\d+x)\b")


@lru_cache(maxsize=64)
def _words(text: str) -> tuple[str, ...]:
    """The text's words; several rules ask for those of the same objective one after the other."""
    return tuple(_WORD.findall(text))


@rule(
    "OBJ001",
    "objective-has-number",
    "warning",
    "objective",
    "obj-qualitative-inspiring",
    fix="number-to-kr",
    triggers=("Grow revenue 20%", "Reach $2M ARR in the mid-market", "Cut support tickets by half"),
    passes=(
        "Make paying us effortless for small businesses",
        "Win the mid-market in 2027",
        "Ship a delightful v2 editor",
    ),
)
def has_number(objective: Objective, ctx: Context) -> Iterator[str]:
    """Objective contains a number or a metric target.

    What it does
    Flags objectives with a quantity in them: a percentage, an amount, a multiple, a count. Years and
    version numbers are not counted.

    Why it matters
    The objective is the qualitative direction people remember; numbers belong in the key results, where
    they can be measured, graded and changed without rewriting the goal.

    Example
    Grow revenue 20%

    Use instead
    Objective: "Become the obvious choice for small agencies" with a key result "Revenue from agencies
    from $1.1M to $1.3M"
    """
    text = clean(objective.text[:MAX_KR_CHARS])  # as much as of a key result (OBJ005 flags the length)
    found = quantities(text, text.lower())
    halves = _HALVES.search(text)
    if found or halves:
        what = found[0].text if found else halves.group(0) if halves else ""
        yield f"contains a number ('{what}'): keep the objective qualitative; put the number in a key result"


@rule(
    "OBJ002",
    "corporate-fog",
    "warning",
    "objective",
    "obj-plain-language",
    fix="drop-buzzwords",
    triggers=(
        "Leverage synergies to drive best-in-class payment excellence",
        "Deliver a seamless, world-class experience",
    ),
    passes=("Make paying us effortless for small businesses",),
)
def corporate_fog(objective: Objective, ctx: Context) -> Iterator[str]:
    """Objective is written in corporate fog (buzzwords).

    What it does
    Flags buzzwords such as "leverage", "synergies", "best-in-class", "world-class", "seamless",
    "excellence".

    Why it matters
    Buzzwords sound like a goal but say nothing a team can act on, and every reader fills them with a
    different meaning.

    Example
    Leverage synergies to drive best-in-class payment excellence

    Use instead
    Make paying us effortless for small businesses
    """
    found = list(dict.fromkeys(m.group(1).lower() for m in _BUZZ.finditer(objective.text)))
    if found:
        listed = ", ".join(f"'{w}'" for w in found[:4])
        yield f"uses corporate fog ({listed}): say in plain words what will be different and for whom"


@rule(
    "OBJ003",
    "kpi-maintenance-objective",
    "warning",
    "objective",
    "obj-not-kpi-maintenance",
    fix="ask-objective",
    triggers=("Maintain platform stability", "Keep customers happy"),
    passes=("Make the platform boringly reliable for enterprise customers",),
)
def kpi_maintenance(objective: Objective, ctx: Context) -> Iterator[str]:
    """Objective is about keeping things as they are.

    What it does
    Flags objectives led by "maintain", "keep", "sustain", "preserve", "continue to".

    Why it matters
    OKRs are for change. Running the business is tracked with health metrics (KPIs); an objective that
    keeps a KPI steady takes a slot from something that must move.

    Example
    Maintain platform stability

    Use instead
    Watch stability as a health metric; if it must change, say how: "Make the platform boringly reliable
    for enterprise customers"
    """
    if _MAINTAIN_LEAD.match(objective.text):
        yield "keeps things as they are: track this as a health metric (KPI); use the objective for a change"


@rule(
    "OBJ004",
    "objective-no-why",
    "suggestion",
    "objective",
    "obj-verb-what-why",
    fix="say-why",
    triggers=("Redesign the billing settings page", "Grow the partner channel"),
    passes=(
        "Grow the partner channel so agencies can resell us without our help",
        "Make paying us effortless for small businesses",
    ),
)
def no_why(objective: Objective, ctx: Context) -> Iterator[str]:
    """Objective does not say why it matters.

    What it does
    Flags objectives with no stated purpose: no "so that", "to", "for", "because", no description.

    Why it matters
    The why is what lets a team choose between initiatives and notice when a key result stops serving
    the goal. "Verb + what + in order to + business value" keeps it in the sentence.

    Example
    Grow the partner channel

    Use instead
    Grow the partner channel so agencies can resell us without our help
    """
    if objective.description and objective.description.strip():
        return
    words = _words(objective.text)
    if len(words) < int(ctx.threshold("min-objective-words")):
        return  # too terse: OBJ009 says so
    if not _has_why(objective.text):
        yield "does not say why it matters: add the value, e.g. '… so that <who> can <what>' or a description"


@rule(
    "OBJ005",
    "objective-too-long",
    "suggestion",
    "objective",
    "obj-one-goal",
    fix="ask-objective",
    triggers=(
        "Build a trusted and widely used payments platform for small and medium-sized businesses across "
        "Europe and North America that handles every payment method customers ask for",
    ),
    passes=("Make paying us effortless for small businesses",),
)
def too_long(objective: Objective, ctx: Context) -> Iterator[str]:
    """Objective is too long to remember.

    What it does
    Flags objectives longer than `max-objective-words` words (default 20).

    Why it matters
    People should be able to say the objective from memory. Long ones usually carry several goals or an
    explanation that belongs in a description.

    Example
    A 30-word objective listing regions, segments and features.

    Use instead
    A short objective ("Make paying us effortless for small businesses") and the detail in its description.
    """
    count = len(_words(objective.text))
    limit = int(ctx.threshold("max-objective-words"))
    if count > limit:
        yield f"is {count} words long (limit {limit}): make it short enough to say from memory"


def _starts_with_verb(part: str) -> bool:
    words = [w.lower() for w in _words(part)]
    if len(words) < 2:
        return False
    first = words[0]
    return first in lx.TASK_VERBS or first in lx.OUTCOME_VERBS or first in lx.VAGUE_VERBS


@rule(
    "OBJ006",
    "several-goals",
    "warning",
    "objective",
    "obj-one-goal",
    fix="one-goal",
    triggers=("Grow the partner channel and reduce support costs", "Launch in Spain; hire a country lead"),
    passes=("Delight and retain small agencies", "Make paying us effortless for small businesses"),
)
def several_goals(objective: Objective, ctx: Context) -> Iterator[str]:
    """Objective packs several goals into one.

    What it does
    Flags objectives made of two or more verb phrases joined by "and", "&" or ";".

    Why it matters
    Each goal needs its own key results; joined, they split the team's focus and one usually gets
    forgotten.

    Example
    Grow the partner channel and reduce support costs

    Use instead
    Two objectives, or pick the one that matters most this cycle.
    """
    parts = [p for p in _GOAL_SPLIT.split(objective.text) if p.strip()]
    goals = [p for p in parts if _starts_with_verb(p) and len(_words(p)) >= 3]
    if len(goals) >= 2 and _starts_with_verb(parts[0]):
        yield f"holds {len(goals)} goals: keep one per objective (split it, or keep the most important)"


@rule(
    "OBJ007",
    "objective-without-krs",
    "error",
    "objective",
    "kr-count-per-objective",
    triggers=("objectives:\n- objective: Make paying us effortless\n  key_results: []\n",),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n  - Raise checkout completion "
        "from 61% to 75%\n  - Cut failed card payments from 2.8% to 1.5%\n",
    ),
)
def without_krs(objective: Objective, ctx: Context) -> Iterator[str]:
    """Objective has no key results.

    What it does
    Flags objectives with no key results under them.

    Why it matters
    Without key results nobody can tell whether the objective is being achieved: it is a wish.

    Example
    An objective heading with no bullets under it.

    Use instead
    Two to four key results that would show the objective is happening.
    """
    if not objective.key_results:
        yield "has no key results: add two to four that would show it is happening"


@rule(
    "OBJ008",
    "objective-is-a-project",
    "suggestion",
    "objective",
    "obj-verb-what-why",
    fix="say-why",
    triggers=("Launch the mobile app", "Migrate to Kubernetes"),
    passes=(
        "Launch the mobile app so field technicians can close jobs on site",
        "Make paying us effortless for small businesses",
    ),
)
def is_project(objective: Objective, ctx: Context) -> Iterator[str]:
    """Objective names a project rather than the change it should bring.

    What it does
    Flags objectives led by a delivery verb ("launch", "migrate", "build") with no stated purpose.

    Why it matters
    A project is a means. Naming the change it should bring lets the team pick better means and makes the
    key results outcomes instead of a project plan.

    Example
    Migrate to Kubernetes

    Use instead
    Let every team ship to production on their own, in minutes (initiative: migrate to Kubernetes)
    """
    if objective.description and objective.description.strip():
        return
    if _PROJECT_LEAD.match(objective.text) and not _has_why(objective.text):
        yield "names a project: say what it should change, and make the project an initiative"


@rule(
    "OBJ009",
    "objective-too-terse",
    "suggestion",
    "objective",
    "obj-one-goal",
    fix="ask-objective",
    triggers=("Performance", "Hiring"),
    passes=("Make the dashboard fast enough to use in meetings",),
)
def too_terse(objective: Objective, ctx: Context) -> Iterator[str]:
    """Objective is a label of one or two words.

    What it does
    Flags objectives shorter than `min-objective-words` words (default 3), such as "Performance".

    Why it matters
    A label names a topic, not a destination: it does not say what will be different at the end of the
    cycle, or for whom.

    Example
    Performance

    Use instead
    Make the dashboard fast enough to use live in customer meetings
    """
    count = len(_words(objective.text))
    if count < int(ctx.threshold("min-objective-words")) and not (objective.description or "").strip():
        yield "is a label, not a goal: say what will be different and for whom"


@rule(
    "KR011",
    "initiatives-as-key-results",
    "warning",
    "objective",
    "initiatives-vs-krs",
    triggers=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n  - Launch Apple Pay\n"
        "  - Redesign the checkout page\n  - Migrate invoices to the new ledger\n",
    ),
    passes=(
        "objectives:\n- objective: Make paying us effortless\n  key_results:\n  - Launch Apple Pay\n"
        "  - Raise checkout completion from 61% to 75%\n",
    ),
)
def initiatives_as_krs(objective: Objective, ctx: Context) -> Iterator[str]:
    """Every key result of the objective is a task: it lists initiatives, not results.

    What it does
    Flags objectives with two or more key results that are all task-like (activities, deliverables,
    milestones, output counts).

    Why it matters
    Such an objective has a plan but no measure of success. The tasks are initiatives; the key results
    should say what the initiatives are expected to change.

    Example
    Launch Apple Pay; redesign the checkout page; migrate invoices to the new ledger

    Use instead
    Key result "Raise checkout completion from 61% to 75%" with those three as its initiatives.
    """
    krs = objective.key_results
    if len(krs) >= 2 and all(ctx.analysis(kr).task_like for kr in krs):
        yield (
            f"all {len(krs)} key results are tasks: this is a plan of initiatives; add key results that "
            "measure what the plan should change"
        )
