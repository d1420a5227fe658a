"""What the ORG checks compute and share: labels, the alignment lineage, cascade copies, key result
analyses, target conflicts and embedding similarities. Imported when the checks run, not when the catalogue
loads them."""

from __future__ import annotations

from coach import lexicon as lx
from coach.analysis.kr import analysis_of
from coach.model import KRAnalysis
from coach.org.alignment import key_results_of, objective_parents
from coach.org.model import KEY_RESULT, LEVEL_RANK, Item, Organisation, OrgContext, OrgHit, Suggestion

CANDIDATE_OVERLAP = 0.5  # word overlap (Jaccard) that makes two key results worth embedding

# A key result with its parent's baseline and target, whose words overlap the parent's this much once
# direction verbs count as one ("cut" = "reduce" = "lower") and numbers are left aside, is a copy in other
# words ("Cut p95 load time from 4.2 s to 1.5 s" under "Reduce p95 load time from 4.2 s to 1.5 s").
PARAPHRASE_OVERLAP = 0.7

_LESS = lx.words(
    "cut cuts cutting reduce reduces reducing decrease decreases decreasing lower lowers lowering shrink "
    "shrinks shorten shortens drop drops minimise minimize halve"
)
_MORE = lx.words(
    "increase increases increasing raise raises raising grow grows growing lift lifts boost boosts "
    "improve improves expand expands maximise maximize double"
)

MAX_METRIC_GROUP = 300  # a metric on more key results than this is a company-wide measure, not a team's

# One-word metrics too generic to say two key results measure the same thing ("Cut time to ...").
GENERIC_METRICS = frozenset(
    [
        "time",
        "rate",
        "cost",
        "costs",
        "share",
        "number",
        "count",
        "score",
        "percentage",
        "speed",
        "value",
        "growth",
        "volume",
        "revenue",
        "usage",
    ]
)


def hit(item: Item, message: str) -> OrgHit:
    return OrgHit(message, item.span, item.key, item.team)


def label(item: Item) -> str:
    return f"{item.team}/{item.id}"


def lineage(ctx: OrgContext) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Each item's objective key, and each objective's ancestors (itself included), computed once."""
    if "lineage" not in ctx.memo:
        org = ctx.organisation
        parents = {o.key: objective_parents(org, o) for o in org.objectives()}
        ancestors: dict[str, frozenset[str]] = {}
        for start in parents:
            seen, todo = {start}, [start]
            while todo:
                for parent in parents[todo.pop()]:
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            ancestors[start] = frozenset(seen)
        owner = {key: org.objective_item(item).key for key, item in org.items.items()}
        ctx.memo["lineage"] = (owner, ancestors)
    return ctx.memo["lineage"]


def cascade_copies(ctx: OrgContext) -> dict[str, str]:
    """Elements that repeat their parent's words (key -> the parent's key), computed once per review.

    A key result is compared with the parent key results it names, else with the key results of every
    objective above its own; an objective with the objectives and key results it aligns to.
    """
    if "copies" in ctx.memo:
        return ctx.memo["copies"]
    org, threshold = ctx.organisation, ctx.threshold("cascade-copy-similarity")
    items = org.items
    words = {key: ctx.tokens(item.text) for key, item in items.items()}

    numbers: dict[str, tuple[float, float, str] | None] = {}

    def numbers_of(key: str) -> tuple[float, float, str] | None:
        if key not in numbers:
            item, found = items[key], None
            if item.kind == KEY_RESULT:
                a = analysis(ctx, item)
                if a.baseline is not None and a.target is not None:
                    found = (a.baseline, a.target, (a.unit or "").lower())
            numbers[key] = found
        return numbers[key]

    def copied(key: str, candidates: list[str]) -> str | None:
        """The first candidate whose words overlap `key`'s at or above the threshold (inlined: this runs
        for every key result against every key result above it), or that states the same baseline and
        target in other words (PARAPHRASE_OVERLAP)."""
        mine = words[key]
        size = len(mine)
        if not size:
            return None
        mine_numbers = numbers_of(key) if items[key].kind == KEY_RESULT else None
        for candidate in candidates:
            theirs = words[candidate]
            other = len(theirs)
            if other and min(size, other) >= threshold * max(size, other):  # Jaccard >= t needs that
                if mine == theirs:
                    return candidate
                shared = len(mine & theirs)
                if shared >= threshold * (size + other - shared):
                    return candidate
            if (
                mine_numbers is not None
                and numbers_of(candidate) == mine_numbers
                and _overlap(_plain_words(mine), _plain_words(theirs)) >= PARAPHRASE_OVERLAP
            ):
                return candidate
        return None

    out: dict[str, str] = {}
    _, ancestors = lineage(ctx)
    for obj in org.objectives():
        above = objective_parents(org, obj)
        found = copied(obj.key, [*above, *obj.parents])
        if found:
            out[obj.key] = found
        higher = sorted(ancestors[obj.key] - {obj.key})
        inherited = [kr.key for key in higher for kr in key_results_of(org, items[key])]
        inherited += [key for key in obj.parents if items[key].kind == KEY_RESULT]
        for kr in key_results_of(org, obj):
            named = [p for p in kr.parents if items[p].kind == KEY_RESULT]
            found = copied(kr.key, named or inherited)
            if found:
                out[kr.key] = found
    ctx.memo["copies"] = out
    return out


def _plain_words(words: frozenset[str]) -> frozenset[str]:
    """A key result's words with the direction verbs as one and the numbers left out."""
    return frozenset(
        "<less>" if w in _LESS else "<more>" if w in _MORE else w for w in words if not w[0].isdigit()
    )


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def ranks_with_something_above(org: Organisation) -> set[int]:
    """Level ranks that have something above them in this organisation."""
    ranks = {LEVEL_RANK[i.level] for i in org.items.values()}
    return {rank for rank in LEVEL_RANK.values() if any(r < rank for r in ranks)}


def top_down(ctx: OrgContext, obj: Item, copies: dict[str, str], threshold: float) -> bool:
    org = ctx.organisation
    origin = str(obj.objective.extra.get("origin") or obj.objective.extra.get("source") or "").casefold()
    if origin.replace("-", "").replace(" ", "") in {"topdown", "leadership", "cascaded", "mandated"}:
        return True
    if origin.replace("-", "").replace(" ", "") in {"bottomup", "team", "proposed"}:
        return False
    if obj.key in copies:
        return True
    parents = [*objective_parents(org, obj), *obj.parents]
    if any(ctx.similar(obj.text, org.items[p].text, threshold) for p in parents):
        return True
    krs = key_results_of(org, obj)
    return bool(krs) and 2 * sum(1 for kr in krs if kr.key in copies) >= len(krs)


def analysis(ctx: OrgContext, item: Item) -> KRAnalysis:
    """The key result's analysis (set by the per-draft review; computed here for drafts out of scope)."""
    return analysis_of(item.element)  # type: ignore[arg-type]


def related(ctx: OrgContext, a: Item, b: Item) -> bool:
    """Whether one element's objective is the other's, or above it in the alignment."""
    owner, ancestors = lineage(ctx)
    left, right = owner[a.key], owner[b.key]
    return left in ancestors[right] or right in ancestors[left]


def conflicting(a: KRAnalysis, b: KRAnalysis, tolerance: float) -> bool:
    if {a.direction, b.direction} == {"increase", "decrease"}:
        return True
    if a.target is None or b.target is None or (a.unit or "") != (b.unit or ""):
        return False
    return abs(a.target - b.target) > tolerance * max(abs(a.target), abs(b.target))


def target_text(ctx: OrgContext, item: Item) -> str:
    a = analysis(ctx, item)
    if a.target_text:
        return f"({a.target_text})"
    return f"({a.direction})" if a.direction else ""


def duplicate_pairs(ctx: OrgContext) -> list[tuple[str, str, float]]:
    """Key results of different teams, outside one alignment chain and not cascade copies, whose words
    overlap by half or more and whose embeddings are at or above `cross-team-duplicate-similarity`:
    (earlier key, later key, similarity). Computed once per review (or in a worker, see `precompute`)."""
    if "duplicate-pairs" in ctx.memo:
        return ctx.memo["duplicate-pairs"]
    from coach.analysis.similar import near_duplicates

    krs = ctx.organisation.key_results()
    copies = cascade_copies(ctx)
    candidates = [
        (krs[i], krs[j])
        for i, j, _ in near_duplicates([kr.text for kr in krs], CANDIDATE_OVERLAP)
        if krs[i].team != krs[j].team
        and krs[i].key not in copies
        and krs[j].key not in copies
        and not related(ctx, krs[i], krs[j])
    ]
    threshold = ctx.threshold("cross-team-duplicate-similarity")
    scores = similarities(ctx, [(a.text, b.text) for a, b in candidates]) if candidates else []
    out = [
        (a.key, b.key, score) for (a, b), score in zip(candidates, scores, strict=True) if score >= threshold
    ]
    ctx.memo["duplicate-pairs"] = out
    return out


def suggestions(ctx: OrgContext) -> dict[str, Suggestion]:
    """For each objective aligned to nothing, the closest element above it (coach.org.alignment.suggest)."""
    if "suggestions" not in ctx.memo:
        from coach.org.alignment import suggest

        threshold = ctx.threshold("alignment-suggestion-similarity")
        ctx.memo["suggestions"] = suggest(ctx.organisation, ctx.embedder, threshold)
    return ctx.memo["suggestions"]


def precompute(ctx: OrgContext) -> dict[str, object]:
    """Everything the ORG checks need that does not depend on the per-draft reviews (lineage, cascade
    copies, duplicate candidates, suggestions): with --jobs, a worker computes it while the drafts are
    reviewed, and the parent takes the results."""
    lineage(ctx)
    duplicate_pairs(ctx)
    suggestions(ctx)
    return {key: value for key, value in ctx.memo.items() if key != "tokens"}


def similarities(ctx: OrgContext, pairs: list[tuple[str, str]]) -> list[float]:
    from coach.knowledge.embed import HashingEmbedder

    embedder = ctx.embedder or HashingEmbedder()
    texts = list(dict.fromkeys(t for pair in pairs for t in pair))
    vectors = embedder.embed(texts)
    row = {text: index for index, text in enumerate(texts)}
    return [1.0 if a == b else float(vectors[row[a]] @ vectors[row[b]]) for a, b in pairs]
