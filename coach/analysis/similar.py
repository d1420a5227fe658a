"""How alike two texts are by their words: token sets, and every near-duplicate pair in a list of texts.
Used by the duplicate rules (SET004, SET005) and the organisation's cross-team checks."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain

_TOKEN = re.compile(r"[a-z0-9]+")


_STOP = frozenset(
    {"the", "a", "an", "of", "to", "for", "and", "in", "on", "by", "with", "our", "we", "from", "at"}
)


def tokens(text: str) -> frozenset[str]:
    return frozenset(_TOKEN.findall(text.lower())).difference(_STOP)


POSTING_CAP = 16  # a token already shared by this many texts is too common to find near-duplicates by


def near_duplicates(texts: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs (i, j, similarity) with token Jaccard similarity >= threshold, i < j.

    Exact copies (the same words) are found through a hash. Near copies use prefix filtering, as in
    all-pairs similarity joins: with tokens ordered rarest first, two sets with Jaccard >= t share a token
    among the first |s| - ceil(t * |s|) + 1 of each; only those are indexed, and a token's list stops
    growing at POSTING_CAP, so a draft of 100,000 KRs stays linear (a near copy made only of very common
    words can be missed; an exact copy never is).
    """
    sets = [tokens(t) for t in texts]
    pairs: list[tuple[int, int, float]] = []
    first_seen: dict[frozenset[str], int] = {}
    for i, toks in enumerate(sets):
        if toks:
            earlier = first_seen.setdefault(toks, i)
            if earlier != i:
                pairs.append((earlier, i, 1.0))
    # Tokens ranked rarest first, ties by the token (a stable sort by frequency of the sorted tokens):
    # sorting a text's ranks is sorting its tokens by (frequency, token).
    frequency: Counter[str] = Counter(chain.from_iterable(first_seen))
    ordered = sorted(frequency)
    ordered.sort(key=frequency.__getitem__)
    rank = {tok: r for r, tok in enumerate(ordered)}
    postings: list[list[int]] = [[] for _ in rank]
    sizes = [len(s) for s in sets]
    prefixes: dict[int, int] = {}
    fewest: dict[int, dict[int, int]] = {}  # by the two sets' sizes: see _fewest_shared
    # Only the first text of each set of words is compared: a later copy is an exact pair already.
    for toks, i in first_seen.items():
        size = sizes[i]
        prefix = prefixes.get(size)
        if prefix is None:
            prefix = prefixes[size] = size - math.ceil(threshold * size) + 1
            # (a threshold of 0 fails here, where it always failed: ZeroDivisionError, a known bug)
            fewest[size] = {size: _fewest_shared(size, size, threshold)}
        needed = fewest[size]
        candidates: set[int] = set()
        for r in sorted(map(rank.__getitem__, toks))[:prefix]:
            posting = postings[r]
            candidates.update(posting)
            if len(posting) < POSTING_CAP:
                posting.append(i)
        for j in candidates:
            other_size = sizes[j]
            need = needed.get(other_size)
            if need is None:
                need = needed[other_size] = _fewest_shared(size, other_size, threshold)
            if need > other_size:
                continue  # no overlap reaches the threshold at these sizes
            if need == other_size:  # all of the other's words must be in this one
                if sets[j] <= toks:
                    pairs.append((j, i, need / size))
            elif need == size:  # or all of this one's in the other
                if toks <= sets[j]:
                    pairs.append((j, i, need / other_size))
            else:
                shared = len(toks & sets[j])
                if shared >= need:
                    pairs.append((j, i, shared / (size + other_size - shared)))
    return sorted(pairs)


def _fewest_shared(size: int, other_size: int, threshold: float) -> int:
    """The fewest tokens two different sets of these sizes must share to be near-duplicates; more than
    `other_size` when no overlap will do.

    The test is the float one, `shared / (size + other - shared) >= threshold` (it grows with `shared`),
    after the size filter (Jaccard >= t needs sizes within a factor t of each other); two different sets
    of one size never share all their tokens."""
    if other_size < threshold * size or other_size > size / threshold:
        return other_size + 1
    total = size + other_size
    most = min(size, other_size) - (other_size == size)
    shared = min(most, max(0, math.floor(threshold * total / (1 + threshold))))
    while shared > 0 and (shared - 1) / (total - shared + 1) >= threshold:
        shared -= 1
    while shared <= most and shared / (total - shared) < threshold:
        shared += 1
    return shared if shared <= most else other_size + 1
