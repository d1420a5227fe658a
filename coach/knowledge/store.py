"""The vector store of knowledge passages and of the outcome-metric catalogue: Chroma on disk (or a Chroma
server), built from `knowledge/*.md` and `knowledge/metrics/*.yaml` (and a team's extra folders of each).

One collection per corpus, knowledge version and embedder: its name carries the embedder and a hash of the
content, so each is rebuilt exactly when a passage or a metric (or the team's own) changes, and a store
built with one embedder is never queried with another. Long passages are chunked by paragraph; results are
de-duplicated per passage or metric.

    store.retrieve(query, k, tags=None, exclude=None) -> list[Passage]            # with .score, 0-1
    store.retrieve_metrics(query, k, domains=None, exclude=None) -> list[Metric]  # with .score
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

from coach.knowledge.chunks import (
    CHUNK_WORDS,
    Chunk,
    chunk_passage,
    content_hash,
    metric_texts,
    metrics_hash,
    slug,
)
from coach.knowledge.embed import HASHING_ID, Embedder, HashingEmbedder, Selection, select_embedder
from coach.knowledge.index import LEXICAL_WEIGHT, Matrix, Row, create, existing, lexical_twin, load, rank
from coach.knowledge.metrics import Metric, load_metrics
from coach.knowledge.passages import Passage, load_passages
from coach.knowledge.settings import KnowledgeError, StoreSettings, default_cache_dir, parse_url
from coach.model import InputError

# What callers import from here: the store's settings, its error and its chunking live beside it.
__all__ = [
    "CHUNK_WORDS",
    "LEXICAL_WEIGHT",
    "BuildReport",
    "Chunk",
    "KnowledgeError",
    "KnowledgeStore",
    "StoreSettings",
    "chunk_passage",
    "content_hash",
    "default_cache_dir",
    "retrieve",
    "retrieve_metrics",
    "store_for",
]

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
    metric_collection: str = ""
    metrics: int = 0
    metrics_built: bool = False  # False: the existing metric collection was current


@dataclass(slots=True)
class _Corpus:
    """What the store keeps of one corpus (passages or metrics): its collection and vectors, once read."""

    item_key: str  # the metadata key naming the item a row stands for
    collection: Any = None
    matrix: Matrix | None = None


class KnowledgeStore:
    """Build and query the passage index and the metric catalogue's index. Cheap to construct; Chroma is
    imported on first use."""

    def __init__(self, settings: StoreSettings | None = None, selection: Selection | None = None) -> None:
        self.settings = settings or StoreSettings()
        self.selection = selection or select_embedder(self.settings.embedding)
        self.embedder: Embedder = self.selection.embedder
        self._client: Any = None
        self._passages: dict[str, Passage] | None = None
        self._metrics: dict[str, Metric] | None = None
        self._corpora = {"passages": _Corpus("passage"), "metrics": _Corpus("metric")}
        self._lexical = HashingEmbedder()

    # -- what is indexed -----------------------------------------------------------------------------
    @property
    def passages(self) -> dict[str, Passage]:
        if self._passages is None:
            self._passages = load_passages(self.settings.extra_dirs)
        return self._passages

    @property
    def metrics(self) -> dict[str, Metric]:
        """The shipped metric catalogue and the team's own (`extra_metric_dirs`), by id."""
        if self._metrics is None:
            self._metrics = load_metrics(self.settings.extra_metric_dirs)
        return self._metrics

    def _prefix(self, corpus: str) -> str:
        if corpus == "passages":
            return f"{COLLECTION_PREFIX}-{slug(self.embedder.id)[:36]}-"
        return f"{COLLECTION_PREFIX}-metrics-{slug(self.embedder.id)[:28]}-"  # within Chroma's 63

    @property
    def collection_name(self) -> str:
        return self._prefix("passages") + content_hash(self.passages, self.embedder.id)[:12]

    @property
    def metric_collection_name(self) -> str:
        return self._prefix("metrics") + metrics_hash(self.metrics, self.embedder.id)[:12]

    def _name(self, corpus: str) -> str:
        return self.collection_name if corpus == "passages" else self.metric_collection_name

    def _rows(self, corpus: str) -> list[Row]:
        if corpus == "metrics":
            return [
                Row(row_id, text, {"metric": m.id, "domain": m.domain, "origin": m.origin})
                for m in self.metrics.values()
                for row_id, text in metric_texts(m)
            ]
        rows = []
        for passage in self.passages.values():
            meta: dict[str, Any] = {"passage": passage.id, "origin": passage.origin}
            meta.update({f"tag:{tag}": True for tag in passage.tags})
            rows += [Row(chunk.id, chunk.text, meta) for chunk in chunk_passage(passage)]
        return rows

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
        return existing(self.client(), name, self.embedder)

    @property
    def hybrid(self) -> bool:
        """Dense embeddings get a lexical (hashing) signal beside them; the hashing store is lexical only."""
        return self.embedder.id != HASHING_ID

    def build(self, rebuild: bool = False) -> BuildReport:
        """Index the passages and the metric catalogue, each unless its current collection already holds
        this exact content.

        With `rebuild`, a local store that cannot be opened (corrupt, or written by another Chroma version)
        is moved aside and created anew.
        """
        start = time.perf_counter()
        built, chunks = self._recovering(lambda: self._build("passages", rebuild), rebuild)
        metrics_built, _ = self._recovering(lambda: self._build("metrics", rebuild), rebuild)
        return BuildReport(
            self.collection_name,
            len(self.passages),
            chunks,
            built,
            time.perf_counter() - start,
            self.embedder.id,
            self.location,
            self.metric_collection_name,
            len(self.metrics),
            metrics_built,
        )

    def _recovering(self, build: Callable[[], tuple[bool, int]], rebuild: bool) -> tuple[bool, int]:
        try:
            return build()
        except KnowledgeError:
            if not rebuild or self.settings.chroma_url:
                raise
            folder = self.settings.cache_dir / "chroma"
            if folder.exists():
                folder.rename(folder.with_name(f"chroma.broken-{int(time.time())}"))
            from chromadb.api.client import SharedSystemClient

            SharedSystemClient.clear_system_cache()  # Chroma keeps one open system per path
            self._client = None
            self._corpora = {name: _Corpus(c.item_key) for name, c in self._corpora.items()}
            return build()

    @_translated
    def _build(self, corpus: str, rebuild: bool) -> tuple[bool, int]:
        """Index one corpus unless it is current: whether it was (re)built, and its rows."""
        name, state = self._name(corpus), self._corpora[corpus]
        current = None if rebuild else self._existing(name)
        rows = self._rows(corpus)
        if current is not None and current.count() == len(rows):
            state.collection = current
            return False, len(rows)
        items = len(self.passages if corpus == "passages" else self.metrics)
        about = {corpus: items}
        state.collection = create(
            self.client(), name, self._prefix(corpus), self.embedder, rows, self.hybrid, about
        )
        state.matrix = None
        return True, len(rows)

    @_translated
    def collection(self, corpus: str = "passages") -> Any:
        """The corpus's dense collection, built first when it is missing."""
        state = self._corpora[corpus]
        if state.collection is None:
            state.collection = self._existing(self._name(corpus))
            if state.collection is None or (
                self.hybrid and lexical_twin(self.client(), self._name(corpus)) is None
            ):
                self._recovering(lambda: self._build(corpus, True), True)
        return state.collection

    @_translated
    def status(self) -> dict[str, Any]:
        """Is the current knowledge indexed? For `okrcoach doctor`."""
        name = self.collection_name
        try:
            current = self._existing(name)
            metrics = self._existing(self.metric_collection_name)
        except KnowledgeError as exc:
            return {"collection": name, "built": False, "problem": str(exc), "location": self.location}
        return {
            "collection": name,
            "built": current is not None and metrics is not None,
            "chunks": current.count() if current is not None else 0,
            "metrics": (metrics.metadata or {}).get("metrics", 0) if metrics is not None else 0,
            "location": self.location,
        }

    # -- queries ---------------------------------------------------------------------------------------
    def _matrix(self, corpus: str) -> Matrix:
        """A corpus's vectors, read once from Chroma and scored in memory (a few hundred rows)."""
        state = self._corpora[corpus]
        if state.matrix is None:
            dense = self.collection(corpus)
            twin = lexical_twin(self.client(), self._name(corpus)) if self.hybrid else None
            state.matrix = load(dense, twin, state.item_key)
        return state.matrix

    @_translated
    def retrieve(
        self, query: str, k: int = 3, tags: list[str] | None = None, exclude: set[str] | None = None
    ) -> list[Passage]:
        """The k passages closest to `query`, best first, each once, with `score`.

        The score is on a fixed 0-1 scale: the best chunk's cosine similarity with the query (for the hybrid
        ONNX store, the mean of the dense and the lexical one), below 0 shown as 0 (coach.knowledge.index).
        """
        if not query.strip():
            return []
        matrix = self._matrix("passages")
        wanted = set(tags or ())

        def accept(row: int, item: str) -> bool:
            return not (exclude and item in exclude) and not (wanted and not (wanted & matrix.tags[row]))

        best = rank(matrix, query, self.embedder, self._lexical, k, accept)
        return [
            replace(self.passages[pid], score=round(score, 4))
            for pid, score in best.items()
            if pid in self.passages
        ]

    @_translated
    def retrieve_metrics(
        self,
        query: str,
        k: int = 3,
        domains: list[str] | None = None,
        exclude: set[str] | None = None,
    ) -> list[Metric]:
        """The k catalogue metrics (shipped and the team's own) closest to `query`, best first, each once,
        with `score` (as `retrieve` scores passages); `domains` keeps only those domains' metrics."""
        if not query.strip():
            return []
        wanted = set(domains or ())
        catalogue = self.metrics

        def accept(row: int, item: str) -> bool:
            metric = catalogue.get(item)
            return (
                metric is not None
                and not (exclude and item in exclude)
                and (not wanted or metric.domain in wanted)
            )

        best = rank(self._matrix("metrics"), query, self.embedder, self._lexical, k, accept)
        return [replace(catalogue[mid], score=round(score, 4)) for mid, score in best.items()]


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


def retrieve_metrics(
    query: str, k: int = 3, domains: list[str] | None = None, settings: StoreSettings | None = None
) -> list[Metric]:
    """The k catalogue metrics closest to `query` (builds the store on first use)."""
    return store_for(settings).retrieve_metrics(query, k, domains)
