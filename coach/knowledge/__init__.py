"""The practice guidance the coach cites: `knowledge/*.md` passages with YAML front matter.

This module only reads the passages (fast, no heavy imports). The vector store over them lives in
coach.knowledge.store.
"""

from __future__ import annotations

from typing import Any

from coach.knowledge.passages import Passage, load_passages, parse_passage, passages

__all__ = ["Passage", "load_passages", "parse_passage", "passages", "with_closest"]


def with_closest(cited: list[Passage], store: Any, query: str, k: int = 3) -> list[Passage]:
    """The cited passages, then the `k` closest others from the knowledge store when it can be reached:
    the grounding of a model prompt. Retrieval only enriches it, so a store that fails adds nothing."""
    out = {p.id: p for p in cited}
    if store is not None and query.strip():
        try:
            for passage in store.retrieve(query, k, exclude=set(out)):
                out[passage.id] = passage
        except Exception:  # the cited passages suffice
            pass
    return list(out.values())
