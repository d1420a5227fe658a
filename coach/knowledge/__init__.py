"""The practice guidance the coach cites: `knowledge/*.md` passages with YAML front matter.

This module only reads the passages (fast, no heavy imports). The vector store over them lives in
coach.knowledge.store.
"""

from __future__ import annotations

from coach.knowledge.passages import Passage, load_passages, parse_passage, passages

__all__ = ["Passage", "load_passages", "parse_passage", "passages"]
