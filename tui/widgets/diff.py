"""A side-by-side word diff: the draft with removed words marked, the proposal with added words marked.

Marked words are struck through or underlined as well as coloured, so the diff reads without colour.
"""

from __future__ import annotations

import difflib

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Label, Static

REMOVED = "strike $text-error"
ADDED = "underline bold $text-success"


def word_diff(old: str, new: str) -> tuple[Content, Content]:
    """The two texts with the words only one of them has styled."""
    a, b = old.split(), new.split()
    left: list[tuple[str, str] | str] = []
    right: list[tuple[str, str] | str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        old_words, new_words = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        if tag == "equal":
            left += [old_words, " "]
            right += [new_words, " "]
            continue
        if old_words:
            left += [(old_words, REMOVED), " "]
        if new_words:
            right += [(new_words, ADDED), " "]
    return Content.assemble(*left[:-1]), Content.assemble(*right[:-1])


class SideBySide(Horizontal):
    """Draft | proposal."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="diff-side"):
            yield Label("Draft", classes="diff-title")
            yield Static("", id="diff-old")
        with Vertical(classes="diff-side"):
            yield Label("Proposal", classes="diff-title", id="diff-new-title")
            yield Static("", id="diff-new")

    def show(self, old: str, new: str | None, title: str = "Proposal") -> None:
        self.query_one("#diff-new-title", Label).update(title)
        if not new:
            self.query_one("#diff-old", Static).update(old)
            self.query_one("#diff-new", Static).update(
                Content.styled("(no rewrite: answer the questions below first)", "italic $text-muted")
            )
            return
        left, right = word_diff(old, new)
        self.query_one("#diff-old", Static).update(left)
        self.query_one("#diff-new", Static).update(right)
