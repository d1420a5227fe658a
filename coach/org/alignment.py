"""Alignment between the organisation's elements: explicit references resolved, suggestions by similarity.

A reference (`parent:`, `supports:`, `aligned to:`) names a parent objective or key result by

- a qualified id: `Engineering/eng-2`, `Engineering#eng-2`, or `company.yaml#co-1.2`;
- an id: `co-1.2` (it must name one element; auto ids such as `O1` are usually ambiguous);
- its text, as written or nearly (80% of the words), preferring elements above the one that refers.

A document-level `parent:` applies to each of its objectives that names none. What names nothing, or more
than one thing, is kept in `Organisation.unresolved` with the reason (ORG003 reports it).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from coach.analysis.similar import tokens
from coach.org.model import KEY_RESULT, LEVEL_RANK, OBJECTIVE, Item, Organisation, Suggestion, Unresolved

_QUALIFIER = re.compile(r"^(.+?)\s*(?:#|::|/)\s*([^/#:]+)$")
_PREFIX = re.compile(
    r"(?i)^\s*(?:(?:company|ceo|team|department|dept)\s+)?(?:okr|kr|objective|key result)\b[\s:.-]*"
)
FUZZY = 0.8


def normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9$%]+", text.casefold()))


class _Index:
    def __init__(self, org: Organisation) -> None:
        self.org = org
        self.by_id: dict[str, list[str]] = {}
        self.by_team_id: dict[tuple[str, str], list[str]] = {}
        self.by_text: dict[str, list[str]] = {}
        self._tokens: dict[str, list[str]] | None = None
        for key, item in org.items.items():
            ident = item.id.casefold()
            self.by_id.setdefault(ident, []).append(key)
            self.by_team_id.setdefault((item.team.casefold(), ident), []).append(key)
            self.by_text.setdefault(normalise(item.text), []).append(key)

    def token_index(self) -> dict[str, list[str]]:
        if self._tokens is None:
            self._tokens = {}
            for key, item in self.org.items.items():
                for token in tokens(item.text):
                    self._tokens.setdefault(token, []).append(key)
        return self._tokens

    def candidates(self, reference: str) -> list[str]:
        ref = reference.strip().strip("\"'")
        qualified = _QUALIFIER.match(ref)
        if qualified and " " not in qualified.group(2).strip():
            owner, ident = qualified.group(1).strip().casefold(), qualified.group(2).strip().casefold()
            found = self.by_team_id.get((owner, ident), [])
            if not found:
                found = [
                    k
                    for k in self.by_id.get(ident, [])
                    if self.org.items[k].document.path.casefold().endswith(owner)
                ]
            if found:
                return found
        found = self.by_id.get(ref.casefold(), [])
        if not found:
            found = self.by_text.get(normalise(ref), []) or self.by_text.get(
                normalise(_PREFIX.sub("", ref)), []
            )
        return found or self.fuzzy(ref)

    def fuzzy(self, reference: str) -> list[str]:
        wanted = tokens(_PREFIX.sub("", reference))
        if len(wanted) < 2:
            return []
        index = self.token_index()
        rare = sorted(wanted, key=lambda t: len(index.get(t, ())))[:2]
        scored: list[tuple[float, str]] = []
        for key in {k for t in rare for k in index.get(t, ())}:
            have = tokens(self.org.items[key].text)
            similarity = len(wanted & have) / len(wanted | have)
            if similarity >= FUZZY:
                scored.append((similarity, key))
        if not scored:
            return []
        best = max(s for s, _ in scored)
        return sorted(k for s, k in scored if s == best)


def _choose(org: Organisation, child: Item, found: Iterable[str]) -> list[str]:
    """Narrow several matches: not the child's own objective, then other teams, then elements above."""
    candidates = [k for k in dict.fromkeys(found) if org.items[k].objective is not child.objective]
    for keep in (
        lambda k: org.items[k].team != child.team,
        lambda k: LEVEL_RANK[org.items[k].level] < LEVEL_RANK[child.level],
        lambda k: org.items[k].kind == OBJECTIVE,
    ):
        narrowed = [k for k in candidates if keep(k)]
        if len(candidates) > 1 and narrowed:
            candidates = narrowed
    return candidates


def link(org: Organisation) -> None:
    """Resolve every parent reference into `Item.parents` / `Item.children`; infer missing team parents."""
    index = _Index(org)
    for item in list(org.items.values()):
        references = list(item.element.parents)
        if not references and item.kind == OBJECTIVE:
            references = list(item.document.parents)
        for reference in references:
            found = _choose(org, item, index.candidates(reference))
            if len(found) == 1:
                parent = found[0]
                if parent not in item.parents:
                    item.parents.append(parent)
                    org.items[parent].children.append(item.key)
            elif not found:
                org.unresolved.append(
                    Unresolved(item.key, reference, "names no objective or key result in the organisation")
                )
            else:
                shown = ", ".join(f"{org.items[k].team}/{org.items[k].id}" for k in found[:4])
                org.unresolved.append(
                    Unresolved(item.key, reference, f"matches {len(found)} elements ({shown}): qualify it")
                )
    _infer_team_parents(org)


def _infer_team_parents(org: Organisation) -> None:
    """A team with no unit above it (one shared file) hangs under the team it aligns to most."""
    votes: dict[str, Counter[str]] = {}
    for item in org.items.values():
        for parent in item.parents:
            above = org.items[parent].team
            if above != item.team:
                votes.setdefault(item.team, Counter())[above] += 1
    for name, team in org.teams.items():
        if team.parent is None and name in votes:
            team.parent = votes[name].most_common(1)[0][0]


def objective_parents(org: Organisation, objective: Item) -> list[str]:
    """The objectives an objective aligns to, directly or through its key results (keys, no repeats)."""
    out: dict[str, None] = {}
    for item in (objective, *key_results_of(org, objective)):
        for parent in item.parents:
            out[org.objective_item(org.items[parent]).key] = None
    out.pop(objective.key, None)
    return list(out)


def key_results_of(org: Organisation, objective: Item) -> list[Item]:
    return [org.items[org.key_of(kr)] for kr in objective.objective.key_results]


def is_aligned(org: Organisation, objective: Item) -> bool:
    return bool(objective.parents) or any(kr.parents for kr in key_results_of(org, objective))


def supporters(org: Organisation, item: Item) -> list[str]:
    """Keys of the elements that align to `item` (for an objective: to it or to one of its key results)."""
    keys = list(item.children)
    if item.kind == OBJECTIVE:
        for kr in key_results_of(org, item):
            keys.extend(kr.children)
    return list(dict.fromkeys(keys))


def suggest(org: Organisation, embedder: object, threshold: float) -> dict[str, Suggestion]:
    """For each objective below company level that aligns to nothing, the closest element above it."""
    import numpy as np

    orphans = [o for o in org.objectives() if o.level.value != "company" and not is_aligned(org, o)]
    # Candidates: company and department elements (team elements would make this quadratic at scale).
    above = [i for i in org.items.values() if LEVEL_RANK[i.level] <= 1]
    if not orphans or not above:
        return {}
    embed = embedder.embed  # type: ignore[attr-defined]
    # An objective is represented by its text and its first key results (enough to place it, and cheap).
    left = embed([" ".join([o.text, *(kr.text for kr in key_results_of(org, o)[:2])]) for o in orphans])
    right = embed([i.text for i in above])
    ranks = np.array([LEVEL_RANK[i.level] for i in above])
    out: dict[str, Suggestion] = {}
    for start in range(0, len(orphans), 512):
        block = left[start : start + 512] @ right.T
        for row, orphan in enumerate(orphans[start : start + 512]):
            scores = np.where(ranks < LEVEL_RANK[orphan.level], block[row], -1.0)
            best = int(np.argmax(scores))
            if scores[best] >= threshold:
                out[orphan.key] = Suggestion(orphan.key, above[best].key, round(float(scores[best]), 3))
    return out


def depths(org: Organisation) -> tuple[dict[str, int], list[list[str]]]:
    """Each objective's depth in the alignment (1 = aligns to nothing), and the cycles found (as key lists).

    Iterative, so a 10,000-objective chain does not exhaust the stack; an objective on a cycle gets the
    depth of the chain up to the cycle.
    """
    parents = {o.key: objective_parents(org, o) for o in org.objectives()}
    depth: dict[str, int] = {}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for start in parents:
        if start in state:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            key, position = stack.pop()
            if position == 0:
                state[key] = 1
                path.append(key)
            above = parents[key]
            if position < len(above):
                stack.append((key, position + 1))
                nxt = above[position]
                if state.get(nxt) == 1:
                    cycles.append(path[path.index(nxt) :])
                elif nxt not in state:
                    stack.append((nxt, 0))
                continue
            depth[key] = 1 + max((depth.get(p, 0) for p in above if state.get(p) == 2), default=0)
            state[key] = 2
            path.pop()
    return depth, cycles


__all__ = [
    "KEY_RESULT",
    "depths",
    "is_aligned",
    "key_results_of",
    "link",
    "normalise",
    "objective_parents",
    "suggest",
    "supporters",
]
