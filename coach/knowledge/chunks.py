"""What is indexed for each passage (`chunk_passage`) and each metric (`metric_texts`), and the content
hashes that name a collection's version (`content_hash`, `metrics_hash`): a collection is rebuilt exactly
when what it would index changes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from coach.knowledge.metrics import Metric
from coach.knowledge.passages import Passage

CHUNK_WORDS = 50


@dataclass(frozen=True, slots=True)
class Chunk:
    id: str
    passage: str
    text: str


def chunk_passage(passage: Passage, words: int = CHUNK_WORDS) -> list[Chunk]:
    """What is indexed for a passage: its title with its tags, what each citing rule is about, and its
    text in chunks of about `words` words at paragraph (or sentence) boundaries, each led by the title.

    A query matches the passage through its best chunk, so short, focused chunks win over long ones.
    """
    from coach.rules import catalogue

    out = [
        Chunk(
            f"{passage.id}#title", passage.id, f"{passage.title}. {' '.join(passage.tags).replace('-', ' ')}"
        )
    ]
    rules = catalogue()
    for code in passage.rules:
        rule = rules.get(code)
        if rule is not None:
            about = " ".join((rule.summary, rule.docs.get("What it does", ""), rule.docs.get("Example", "")))
            out.append(Chunk(f"{passage.id}#{code}", passage.id, " ".join(about.split())))
    pieces = [p.strip() for p in re.split(r"\n\s*\n", passage.text) if p.strip()]
    sentences = [s for piece in pieces for s in _split_long(piece, words)]
    current: list[str] = []
    texts: list[str] = []
    for sentence in sentences:
        if current and len(" ".join(current).split()) + len(sentence.split()) > words:
            texts.append(" ".join(current))
            current = []
        current.append(sentence)
    if current:
        texts.append(" ".join(current))
    out += [
        Chunk(f"{passage.id}#{i}", passage.id, f"{passage.title}. {text}") for i, text in enumerate(texts)
    ]
    return out


def _split_long(paragraph: str, words: int) -> list[str]:
    if len(paragraph.split()) <= words:
        return [paragraph]
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'(])", paragraph) if s]


def content_hash(passages: dict[str, Passage], embedder_id: str) -> str:
    digest = hashlib.sha256(embedder_id.encode())
    for passage_id in sorted(passages):
        p = passages[passage_id]
        digest.update("\0".join((p.id, p.title, p.source, p.text, ",".join(p.tags))).encode())
        digest.update(b"\1")
    digest.update(str(CHUNK_WORDS).encode())
    return digest.hexdigest()[:16]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def metric_texts(metric: Metric) -> list[tuple[str, str]]:
    """What is indexed for a metric, as (row id, text): its name, definition and the work that moves it
    (`Metric.text`), and its name with the work alone, so a task-like query meets the work it names."""
    return [
        (f"{metric.id}#text", metric.text()),
        (f"{metric.id}#work", f"{metric.name}. {'; '.join(metric.moved_by)}."),
    ]


def metrics_hash(catalogue: dict[str, Metric], embedder_id: str) -> str:
    """The metric catalogue's version: every field of every metric, the embedder and how rows are made."""
    digest = hashlib.sha256(f"metrics-v1\0{embedder_id}".encode())
    for metric_id in sorted(catalogue):
        m = catalogue[metric_id]
        fields = (m.id, m.name, m.definition, m.direction, m.unit, m.source, m.domain, m.origin)
        digest.update("\0".join((*fields, "|".join(m.moved_by), "|".join(m.pitfalls))).encode())
        digest.update(b"\1")
    return digest.hexdigest()[:16]
