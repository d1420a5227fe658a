"""Lexical search over the passages and the metric catalogue, for when the vector store cannot be opened.

Rare words shared with the query count most (inverse document frequency), a word in a passage's title and
tags or a metric's name and the work that moves it twice as much as one in the body. No Chroma, no numpy:
deterministic and always available. Results carry a `score` on the store's 0–1 scale: the share of the
query's weighted words the item holds (1: every word of the query, each in its title, tags or name).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TypeVar

from coach.knowledge.embed import _STOP, _stem
from coach.knowledge.metrics import Metric
from coach.knowledge.passages import Passage

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_T = TypeVar("_T", Passage, Metric)


def words(text: str) -> set[str]:
    """A text's stemmed words, stop words and words under three letters left out."""
    return {_stem(w) for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in _STOP}


def _search(query: str, items: Mapping[str, _T], fields: Callable[[_T], tuple[str, str]], k: int) -> list[_T]:
    wanted = words(query)
    if not wanted or k < 1:
        return []
    indexed = {key: tuple(words(text) for text in fields(item)) for key, item in items.items()}
    frequency = Counter(word for strong, weak in indexed.values() for word in strong | weak)
    size = len(indexed)
    scores: dict[str, float] = {}
    for key, (strong, weak) in indexed.items():
        score = sum(
            math.log(1 + size / frequency[w]) * (2 if w in strong else 1)
            for w in wanted
            if w in strong or w in weak
        )
        if score > 0:
            scores[key] = score
    # the most a text could score: every word of the query, each where it counts twice (an unknown word
    # weighs as much as the rarest, so a query that names what no text holds cannot reach 1)
    most = sum(
        2 * math.log(1 + size / frequency[w]) if w in frequency else 2 * math.log(1 + size) for w in wanted
    )
    best = sorted(scores, key=lambda key: (-scores[key], key))[:k]  # ties by id: deterministic
    return [replace(items[key], score=round(min(1.0, scores[key] / most), 4)) for key in best]


def search_passages(query: str, passages: Mapping[str, Passage], k: int = 3) -> list[Passage]:
    """The k passages sharing the most (rare) words with `query`, best first."""
    return _search(query, passages, lambda p: (f"{p.title} {' '.join(p.tags)}", p.text), k)


def search_metrics(query: str, catalogue: Mapping[str, Metric], k: int = 3) -> list[Metric]:
    """The k metrics sharing the most (rare) words with `query`, best first."""
    return _search(query, catalogue, lambda m: (f"{m.name} {' '.join(m.moved_by)}", m.definition), k)
