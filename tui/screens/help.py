"""The help screen (F1 or ?): every key, where it works, and what it does — read from tui.actions and the
screens' own bindings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label

from tui.actions import app_bindings, tree_bindings
from tui.screens.ask import AskScreen
from tui.screens.baselines import BaselinesScreen
from tui.screens.checkin import CheckinScreen
from tui.screens.objective_set import ObjectiveSetScreen
from tui.screens.rewrite import RewriteScreen

if TYPE_CHECKING:
    from textual.app import App

# Keys that belong to widgets (typing, moving), described here because they have no binding of ours.
EDITING = [
    ("up / down", "move in the tree"),
    ("enter", "tree: edit the selected element; editor: next field"),
    ("ctrl+a", "in the text, a field or a dialog: select all of it (type or paste to replace it)"),
    ("home / end", "in the text: start / end of the line"),
    ("tab / shift+tab", "next / previous field or panel"),
    ("escape", "back to the tree (in a dialog: close it)"),
    ("space", "tree: fold or unfold an objective"),
    ("ctrl+p", "command palette: every action by name"),
]
LEGEND = [
    (
        "E1 W2 S1 ✓",
        "tree marks: findings per severity (1 error, 2 warnings, 1 suggestion), as in the status line; "
        "✓ no findings",
    )
]


def _bindings(bindings: Iterable[BindingType]) -> list[Binding]:
    out: list[Binding] = []
    for binding in bindings:
        if isinstance(binding, Binding):
            out.append(binding)
        else:
            out.append(Binding(*binding))
    return out


def key_rows(app: App[object]) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every binding of the app and its screens."""
    groups = [
        ("everywhere", app_bindings()),
        ("tree", tree_bindings()),
        ("rewrite", RewriteScreen.BINDINGS),
        ("baselines", BaselinesScreen.BINDINGS),
        ("check-in", CheckinScreen.BINDINGS),
        ("objective set", ObjectiveSetScreen.BINDINGS),
        ("ask", AskScreen.BINDINGS),
    ]
    rows: list[tuple[str, str, str]] = []
    for where, bindings in groups:
        for binding in _bindings(bindings):
            if not binding.description:
                continue
            keys = " / ".join(app.get_key_display(Binding(key, "")) for key in binding.key.split(","))
            rows.append((where, keys, binding.description))
    rows += [("editing", keys, what) for keys, what in EDITING]
    rows += [("tree", keys, what) for keys, what in LEGEND]
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "close", "Close help"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="panel"):
            yield Label(
                "Keys — everything also works from the command palette (ctrl+p)", classes="dialog-title"
            )
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Where", "Keys", "What")
        for row in key_rows(self.app):
            table.add_row(*row)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
