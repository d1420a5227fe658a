"""The vector store of knowledge passages: Chroma on disk (or a Chroma server), built from `knowledge/`.

One collection per knowledge version and embedder: its name carries the embedder and a hash of the
passages' content, so it is rebuilt exactly when a passage (or the team's extra playbook) changes, and a
store built with one embedder is never queried with another. Long passages are chunked by paragraph;
results are de-duplicated per passage.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

from coach.knowledge.chunks import CHUNK_WORDS, Chunk, chunk_passage, content_hash, slug
from coach.knowledge.embed import (
    HASHING_ID,
    Embedder,
    HashingEmbedder,
    Selection,
    chroma_embedding,
    select_embedder,
)
from coach.knowledge.passages import Passage, load_passages
from coach.knowledge.settings import KnowledgeError, StoreSettings, default_cache_dir, parse_url
from coach.model import InputError

# What callers import from here: the store's settings, its error and its chunking live beside it.
__all__ = [
    "CHUNK_WORDS",
    "BuildReport",
    "Chunk",
    "KnowledgeError",
    "KnowledgeStore",
    "StoreSettings",
    "chunk_passage",
    "content_hash",
    "default_cache_dir",
    "retrieve",
    "store_for",
]

LEXICAL_WEIGHT = 1.0  # hybrid: dense cosine + this x lexical (hashing) cosine
COLLECTION_PREFIX = "okrcoach"


_F = TypeVar("_F", bound=Callable[..., Any])


def _translated(method: _F) -> _F:
    """Turn whatever Chroma or the filesystem raises into one KnowledgeError naming the store."""

    @functools.wraps(method)
    def wrapper(self: KnowledgeStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (KnowledgeError, InputError):
            raise
        except Exception as exc:  # chromadb raises many types (sqlite, rust bindings, HTTP)
            detail = " ".join(str(exc).split())[:200] or type(exc).__name__
            hint = (
                ""
                if self.settings.chroma_url
                else " (run 'okrcoach knowledge build --rebuild' to recreate it)"
            )
            raise KnowledgeError(
                f"knowledge store at {self.location} cannot be used: {detail}{hint}"
            ) from None

    return cast(_F, wrapper)


@dataclass(slots=True)
class BuildReport:
    collection: str
    passages: int
    chunks: int
    built: bool  # False: the existing collection was current
    seconds: float
    embedder: str
    location: str


class KnowledgeStore:
    """Build and query the passage index. Cheap to construct; Chroma is imported on first use."""

    def __init__(self, settings: StoreSettings | None = None, selection: Selection | None = None) -> None:
        self.settings = settings or StoreSettings()
        self.selection = selection or select_embedder(self.settings.embedding)
        self.embedder: Embedder = self.selection.embedder
        self._client: Any = None
        self._collection: Any = None
        self._passages: dict[str, Passage] | None = None
        self._matrix: _Index | None = None
        self._lexical = HashingEmbedder()

    # -- what is indexed -----------------------------------------------------------------------------
    @property
    def passages(self) -> dict[str, Passage]:
        if self._passages is None:
            self._passages = load_passages(self.settings.extra_dirs)
        return self._passages

    @property
    def collection_name(self) -> str:
        digest = content_hash(self.passages, self.embedder.id)[:12]
        return f"{COLLECTION_PREFIX}-{slug(self.embedder.id)[:36]}-{digest}"

    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.cache_dir / "chroma")

    # -- chroma ----------------------------------------------------------------------------------------
    @_translated
    def client(self) -> Any:
        if self._client is not None:
            return self._client
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        if self.settings.chroma_url:
            host, port, ssl = parse_url(self.settings.chroma_url)
            try:
                self._client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
                self._client.heartbeat()
            except Exception as exc:  # the client raises several types for an unreachable server
                raise KnowledgeError(
                    f"cannot reach the Chroma server at {self.settings.chroma_url}: {exc}"
                ) from None
        else:
            path = self.settings.cache_dir / "chroma"
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise KnowledgeError(f"cannot create the knowledge cache at {path}: {exc.strerror}") from None
            self._client = chromadb.PersistentClient(path=str(path), settings=settings)
        return self._client

    def _existing(self, name: str) -> Any:
        client = self.client()
        names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
        if name not in names:
            return None
        collection = client.get_collection(name, embedding_function=chroma_embedding(self.embedder))
        built_with = (collection.metadata or {}).get("embedder")
        if built_with != self.embedder.id:
            raise KnowledgeError(
                f"collection {name} was built with the {built_with} embedding but {self.embedder.id} is "
                "active; run 'okrcoach knowledge build --rebuild'"
            )
        return collection

    @property
    def hybrid(self) -> bool:
        """Dense embeddings get a lexical (hashing) signal beside them; the hashing store is lexical only."""
        return self.embedder.id != HASHING_ID

    def build(self, rebuild: bool = False) -> BuildReport:
        """Index the passages unless the current collection already holds this exact content.

        With `rebuild`, a local store that cannot be opened (corrupt, or written by another Chroma version)
        is moved aside and created anew.
        """
        try:
            return self._build(rebuild)
        except KnowledgeError:
            if not rebuild or self.settings.chroma_url:
                raise
            folder = self.settings.cache_dir / "chroma"
            if folder.exists():
                folder.rename(folder.with_name(f"chroma.broken-{int(time.time())}"))
            from chromadb.api.client import SharedSystemClient

            SharedSystemClient.clear_system_cache()  # Chroma keeps one open system per path
            self._client = self._collection = self._matrix = None
            return self._build(rebuild)

    @_translated
    def _build(self, rebuild: bool) -> BuildReport:
        start = time.perf_counter()
        name = self.collection_name
        client = self.client()
        existing = None if rebuild else self._existing(name)
        chunks = [chunk for p in self.passages.values() for chunk in chunk_passage(p)]
        if existing is not None and existing.count() == len(chunks):
            self._collection = existing
            return BuildReport(
                name,
                len(self.passages),
                len(chunks),
                False,
                time.perf_counter() - start,
                self.embedder.id,
                self.location,
            )
        prefix = f"{COLLECTION_PREFIX}-{slug(self.embedder.id)[:36]}-"
        for old in client.list_collections():
            old_name = old if isinstance(old, str) else old.name
            if old_name.startswith(prefix):
                client.delete_collection(old_name)  # stale versions of this store (and its lexical twin)
        metadatas = []
        for chunk in chunks:
            passage = self.passages[chunk.passage]
            meta: dict[str, Any] = {"passage": passage.id, "origin": passage.origin}
            meta.update({f"tag:{tag}": True for tag in passage.tags})
            metadatas.append(meta)
        texts = [c.text for c in chunks]
        ids = [c.id for c in chunks]
        built_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        indexes = [(name, self.embedder)] + ([(f"{name}-lex", HashingEmbedder())] if self.hybrid else [])
        for collection_name, embedder in indexes:
            collection = client.create_collection(
                collection_name,
                embedding_function=chroma_embedding(embedder),
                metadata={
                    "hnsw:space": "cosine",
                    "embedder": embedder.id,
                    "passages": len(self.passages),
                    "built_at": built_at,
                },
            )
            vectors = embedder.embed(texts)
            collection.add(
                ids=ids,
                documents=texts,
                embeddings=[list(map(float, v)) for v in vectors],
                metadatas=metadatas,
            )
            if collection_name == name:
                self._collection = collection
        self._matrix = None
        return BuildReport(
            name,
            len(self.passages),
            len(chunks),
            True,
            time.perf_counter() - start,
            self.embedder.id,
            self.location,
        )

    @_translated
    def collection(self) -> Any:
        if self._collection is None:
            self._collection = self._existing(self.collection_name)
            if self._collection is None or (self.hybrid and self._lexical_collection() is None):
                self.build(rebuild=True)
        return self._collection

    def _lexical_collection(self) -> Any:
        client = self.client()
        name = f"{self.collection_name}-lex"
        names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
        return (
            client.get_collection(name, embedding_function=chroma_embedding(HashingEmbedder()))
            if name in names
            else None
        )

    @_translated
    def status(self) -> dict[str, Any]:
        """Is the current knowledge indexed? For `okrcoach doctor`."""
        name = self.collection_name
        try:
            existing = self._existing(name)
        except KnowledgeError as exc:
            return {"collection": name, "built": False, "problem": str(exc), "location": self.location}
        return {
            "collection": name,
            "built": existing is not None,
            "chunks": existing.count() if existing is not None else 0,
            "location": self.location,
        }

    # -- queries ---------------------------------------------------------------------------------------
    def _load_matrix(self) -> _Index:
        """The chunk vectors, read once from Chroma and scored in memory (a few hundred rows)."""
        if self._matrix is None:
            import numpy as np

            dense = self.collection().get(include=["embeddings", "metadatas"])
            order = {chunk_id: i for i, chunk_id in enumerate(dense["ids"])}
            lexical = None
            if self.hybrid:
                lex = self._lexical_collection().get(include=["embeddings"])
                lexical = np.zeros((len(order), len(lex["embeddings"][0])), dtype=np.float32)
                for chunk_id, vector in zip(lex["ids"], lex["embeddings"], strict=True):
                    lexical[order[chunk_id]] = vector
            self._matrix = _Index(
                ids=list(dense["ids"]),
                passages=[str(m["passage"]) for m in dense["metadatas"]],
                tags=[{k[4:] for k in m if k.startswith("tag:")} for m in dense["metadatas"]],
                dense=np.asarray(dense["embeddings"], dtype=np.float32),
                lexical=lexical,
            )
        return self._matrix

    @_translated
    def retrieve(
        self, query: str, k: int = 3, tags: list[str] | None = None, exclude: set[str] | None = None
    ) -> list[Passage]:
        """The k passages closest to `query`, best first, each once, with `score`.

        The score is the best chunk's cosine similarity (plus the lexical one, for the hybrid ONNX store).
        """
        if not query.strip():
            return []
        index = self._load_matrix()
        scores = index.dense @ self.embedder.embed([query])[0]
        if index.lexical is not None:
            scores = scores + LEXICAL_WEIGHT * (index.lexical @ self._lexical.embed([query])[0])
        wanted = set(tags or ())
        best: dict[str, float] = {}
        for row in scores.argsort()[::-1]:
            passage_id = index.passages[row]
            if passage_id in best or (exclude and passage_id in exclude):
                continue
            if wanted and not (wanted & index.tags[row]):
                continue
            best[passage_id] = float(scores[row])
            if len(best) == k:
                break
        return [
            replace(self.passages[pid], score=round(score, 4))
            for pid, score in best.items()
            if pid in self.passages
        ]


@dataclass(slots=True)
class _Index:
    ids: list[str]
    passages: list[str]
    tags: list[set[str]]
    dense: Any
    lexical: Any


_default: dict[StoreSettings, KnowledgeStore] = {}


def store_for(settings: StoreSettings | None = None) -> KnowledgeStore:
    """One store per settings in this process (the ONNX session and Chroma client are reused)."""
    settings = settings or StoreSettings()
    if settings not in _default:
        _default[settings] = KnowledgeStore(settings)
    return _default[settings]


def retrieve(
    query: str, k: int = 3, tags: list[str] | None = None, settings: StoreSettings | None = None
) -> list[Passage]:
    """The k passages closest to `query` (builds the store on first use)."""
    return store_for(settings).retrieve(query, k, tags)
