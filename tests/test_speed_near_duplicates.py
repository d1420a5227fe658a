"""near_duplicates gives the pairs of the plain prefix-filtering join it replaced, float for float.

The oracle below is that join as it was (tokens ordered by frequency, POSTING_CAP, size filter, one
intersection per candidate); the fast one must find the same pairs, including those the cap misses."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Sequence

import pytest

from coach.analysis.similar import POSTING_CAP, near_duplicates, tokens


def _oracle(texts: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    sets = [tokens(t) for t in texts]
    pairs: list[tuple[int, int, float]] = []
    first_seen: dict[frozenset[str], int] = {}
    exact: set[int] = set()
    for i, toks in enumerate(sets):
        if toks and toks in first_seen:
            pairs.append((first_seen[toks], i, 1.0))
            exact.add(i)
        elif toks:
            first_seen[toks] = i
    sizes = [len(s) for s in sets]
    frequency: Counter[str] = Counter(tok for s in first_seen for tok in s)
    index: dict[str, list[int]] = defaultdict(list)
    for i, toks in enumerate(sets):
        if not toks or i in exact:
            continue
        ordered = sorted(toks, key=lambda t: (frequency[t], t))
        prefix = len(ordered) - math.ceil(threshold * len(ordered)) + 1
        candidates: set[int] = set()
        for tok in ordered[:prefix]:
            posting = index[tok]
            candidates.update(posting)
            if len(posting) < POSTING_CAP:
                posting.append(i)
        size = len(toks)
        low, high = threshold * size, size / threshold
        for j in candidates:
            if sizes[j] < low or sizes[j] > high:
                continue
            shared = len(toks & sets[j])
            similarity = shared / (size + sizes[j] - shared)
            if similarity >= threshold:
                pairs.append((j, i, similarity))
    return sorted(pairs)


_WORDS = [
    "the",
    "a",
    "of",
    "to",
    "raise",
    "cut",
    "grow",
    "checkout",
    "completion",
    "from",
    "61%",
    "to",
    "75%",
    "nps",
    "churn",
    "latency",
    "p95",
    "api",
    "team",
    "region",
    "customers",
    "for",
    "and",
    "in",
    "weekly",
    "active",
    "sign",
    "ups",
    "revenue",
    "x",
    "y",
    "z",
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
    "10",
    "11",
    "12",
]


def _drafts(seed: int) -> list[str]:
    """Texts with exact copies, one-word edits (near copies) and tokens common enough to hit the cap."""
    rng = random.Random(seed)
    bases = [" ".join(rng.choices(_WORDS, k=rng.randint(0, 14))) for _ in range(rng.randint(1, 40))]
    texts = []
    for _ in range(rng.randint(0, 300)):
        words = rng.choice(bases).split()
        edit = rng.random()
        if edit < 0.3 and words:
            words[rng.randrange(len(words))] = rng.choice(_WORDS)
        elif edit < 0.5:
            words.insert(rng.randint(0, len(words)), rng.choice(_WORDS))
        elif edit < 0.6 and words:
            words.pop(rng.randrange(len(words)))
        texts.append(" ".join(words))
    return texts


@pytest.mark.parametrize("seed", range(40))
def test_same_pairs_as_the_plain_join(seed: int) -> None:
    texts = _drafts(seed)
    for threshold in (0.85, 0.8, 0.75, 2 / 3, 0.5, 0.3, 0.9, 0.95, 1.0):
        assert near_duplicates(texts, threshold) == _oracle(texts, threshold)


def test_no_texts_and_empty_texts() -> None:
    assert near_duplicates([], 0.85) == []
    assert near_duplicates(["", "the of", ""], 0.85) == []
