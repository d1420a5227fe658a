"""What is indexed for each passage (`chunk_passage`) and the content hash that names a store's version
(`content_hash`): a store is rebuilt exactly when what it would index changes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

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
