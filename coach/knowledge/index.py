"""One corpus in Chroma: the passages and the metric catalogue are each indexed the same way.

A corpus is a list of rows (a text, the passage or metric it belongs to, its metadata) under a collection
name that carries the embedder and a hash of the content. Built once: a dense collection and, for a dense
embedder, a lexical (hashing) twin named `<name>-lex`; stale versions of the same corpus (same prefix) are
deleted. Queried in memory: the rows' vectors are read once and scored with numpy (a few hundred rows), the
best row standing for its item.

Scores are on a fixed 0-1 scale: a row's cosine similarity with the query (for a hybrid corpus, the weighted
mean of its dense and lexical cosines), below 0 shown as 0; 1 is the query's own text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from coach.knowledge.embed import Embedder, HashingEmbedder, chroma_embedding
from coach.knowledge.settings import KnowledgeError

LEXICAL_WEIGHT = 1.0  # hybrid: (dense cosine + this x lexical (hashing) cosine) / (1 + this)

# Shorthand people type that the dense model never learned: to MiniLM "kr is a task" says nothing about key
# results, while the passages spell them out. Expanded in the query the dense model reads; the lexical twin
# keeps the words as typed. ("KR001", a rule code, is one word and stays.)
_SHORTHAND = (
    (re.compile(r"\bKRs\b", re.IGNORECASE), "key results"),
    (re.compile(r"\bKR\b", re.IGNORECASE), "key result"),
)


def dense_query(query: str) -> str:
    """The query as the dense embedder reads it: the domain's shorthand spelled out."""
    for pattern, words in _SHORTHAND:
        query = pattern.sub(words, query)
    return query


@dataclass(frozen=True, slots=True)
class Row:
    """One indexed text: its id, the item (passage or metric id) it stands for, and its metadata."""

    id: str
    text: str
    meta: dict[str, Any]


@dataclass(slots=True)
class Matrix:
    """A corpus's vectors, read once from Chroma."""

    ids: list[str]
    items: list[str]  # the passage or metric each row stands for
    tags: list[set[str]]  # `tag:<name>` metadata keys, for the passages' tag filter
    dense: Any
    lexical: Any  # None for a store that is lexical only


def names(client: Any) -> set[str]:
    return {c if isinstance(c, str) else c.name for c in client.list_collections()}


def existing(client: Any, name: str, embedder: Embedder) -> Any:
    """The collection `name`, or None; a KnowledgeError when another embedder built it."""
    if name not in names(client):
        return None
    collection = client.get_collection(name, embedding_function=chroma_embedding(embedder))
    built_with = (collection.metadata or {}).get("embedder")
    if built_with != embedder.id:
        raise KnowledgeError(
            f"collection {name} was built with the {built_with} embedding but {embedder.id} is "
            "active; run 'okrcoach knowledge build --rebuild'"
        )
    return collection


def lexical_twin(client: Any, name: str) -> Any:
    twin = f"{name}-lex"
    if twin not in names(client):
        return None
    return client.get_collection(twin, embedding_function=chroma_embedding(HashingEmbedder()))


def create(
    client: Any,
    name: str,
    prefix: str,
    embedder: Embedder,
    rows: Sequence[Row],
    hybrid: bool,
    about: dict[str, Any],
) -> Any:
    """Delete the stale versions (every collection named `prefix...`), then index `rows` anew; returns the
    dense collection. `about` goes into each collection's metadata (what it holds)."""
    for old in names(client):
        if old.startswith(prefix):
            client.delete_collection(old)  # stale versions of this corpus (and their lexical twins)
    texts = [row.text for row in rows]
    built_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    indexes: list[tuple[str, Embedder]] = [(name, embedder)]
    if hybrid:
        indexes.append((f"{name}-lex", HashingEmbedder()))
    dense = None
    for collection_name, each in indexes:
        collection = client.create_collection(
            collection_name,
            embedding_function=chroma_embedding(each),
            metadata={"hnsw:space": "cosine", "embedder": each.id, **about, "built_at": built_at},
        )
        vectors = each.embed(texts)
        collection.add(
            ids=[row.id for row in rows],
            documents=texts,
            embeddings=[list(map(float, v)) for v in vectors],
            metadatas=[row.meta for row in rows],
        )
        dense = dense or collection
    return dense


def load(dense: Any, lexical: Any, item_key: str) -> Matrix:
    """The vectors of a corpus's dense collection (and its lexical twin, when given)."""
    import numpy as np

    got = dense.get(include=["embeddings", "metadatas"])
    order = {row_id: i for i, row_id in enumerate(got["ids"])}
    lexical_matrix = None
    if lexical is not None:
        lex = lexical.get(include=["embeddings"])
        lexical_matrix = np.zeros((len(order), len(lex["embeddings"][0])), dtype=np.float32)
        for row_id, vector in zip(lex["ids"], lex["embeddings"], strict=True):
            lexical_matrix[order[row_id]] = vector
    return Matrix(
        ids=list(got["ids"]),
        items=[str(m[item_key]) for m in got["metadatas"]],
        tags=[{k[4:] for k in m if k.startswith("tag:")} for m in got["metadatas"]],
        dense=np.asarray(got["embeddings"], dtype=np.float32),
        lexical=lexical_matrix,
    )


def rank(
    matrix: Matrix,
    query: str,
    embedder: Embedder,
    lexical: HashingEmbedder,
    k: int,
    accept: Callable[[int, str], bool] = lambda row, item: True,
) -> dict[str, float]:
    """The k best items for `query`, best first, each scored by its best row on the 0-1 scale (the cosine
    similarity; for a hybrid corpus the weighted mean of the dense one, of the query with its shorthand
    spelled out, and the lexical one); `accept(row, item)` filters rows."""
    if matrix.lexical is None:
        scores = matrix.dense @ embedder.embed([query])[0]  # a lexical-only store reads the words as typed
    else:
        dense = matrix.dense @ embedder.embed([dense_query(query)])[0]
        scores = (dense + LEXICAL_WEIGHT * (matrix.lexical @ lexical.embed([query])[0])) / (
            1 + LEXICAL_WEIGHT
        )
    best: dict[str, float] = {}
    for row in scores.argsort()[::-1]:
        item = matrix.items[row]
        if item in best or not accept(int(row), item):
            continue
        best[item] = min(1.0, max(0.0, float(scores[row])))
        if len(best) == k:
            break
    return best
