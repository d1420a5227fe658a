"""A small positioned tree that the YAML and JSON readers both produce.

Each node knows its 1-based line and column, so the schema reader (structured.py) can point every
objective, key result and diagnostic at the place it came from, whichever format the file used.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 100  # deeper than any OKR file needs; also keeps the readers' recursion bounded
MAX_NODES = 2_000_000  # counted with aliases expanded, so "billion laughs" YAML is refused early


class Node:
    """A mapping, a sequence or a scalar, with where it starts in the file."""

    __slots__ = ("col", "items", "kind", "line", "pairs", "quoted", "raw", "size", "value")

    def __init__(
        self, kind: str, line: int, col: int, value: Any = None, raw: str | None = None, quoted: bool = False
    ) -> None:
        self.kind = kind  # "map" | "seq" | "scalar"
        self.line = line
        self.col = col
        self.value: Any = value  # a scalar's value: str, int, float, bool or None
        self.raw: str | None = raw  # a scalar's text as written (for text fields: `title: 1.0` stays "1.0")
        self.items: list[Node] = []
        self.pairs: list[tuple[Node, Node]] = []
        self.quoted = quoted  # the column points at a quote; the text starts one further
        self.size = 1

    @classmethod
    def scalar(cls, value: Any, raw: str | None, line: int, col: int, quoted: bool = False) -> Node:
        return cls("scalar", line, col, value, raw, quoted)

    @property
    def text_col(self) -> int:
        return self.col + 1 if self.quoted else self.col

    def type_name(self) -> str:
        """How to name this node's type in a message: "a list", "a mapping", "a string", ..."""
        if self.kind == "map":
            return "a mapping"
        if self.kind == "seq":
            return "a list"
        if self.value is None:
            return "nothing (null)"
        if isinstance(self.value, bool):
            return "true/false"
        if isinstance(self.value, int | float):
            return "a number"
        return "a string"

    def text(self) -> str | None:
        """A scalar as text, as the author wrote it; None for null and for non-scalars."""
        if self.kind != "scalar" or self.value is None:
            return None
        if isinstance(self.value, str):
            return self.value
        return self.raw if self.raw is not None else str(self.value)
