"""Every action of the app, declared once: its keys, its title, what it does, where it works.

The app's bindings, the tree's bindings, the command palette, the availability check and the help screen are
all built from ACTIONS (as harlequin's actions.py does). Keys that belong to one screen (accept a rewrite,
write a baseline) stay in that screen's BINDINGS; the help screen reads them there.

    Action("undo", "Undo", "Undo the last change", keys="ctrl+z", footer=True)

is the binding ctrl+z -> App.action_undo, "Undo" in the footer, and the palette entry "Undo" with the help
"Undo the last change (ctrl+z)"; it works on the main screen only (the default).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

MAIN = "main"  # the screens' ids, as the app gives them
CHECKIN = "checkin"
OBJECTIVE_SET = "objective-set"
ASK = "ask"
HELP = "help"

# How the palette's help text names a key, where Textual's name is not what a user reads.
_SPOKEN = {"f1": "F1", "question_mark": "?"}


@dataclass(frozen=True, slots=True)
class Action:
    """One action: App.action_<name>, its keys, and the words that the footer, palette and help use."""

    name: str
    title: str  # the footer's and the help screen's label, the palette's entry
    description: str  # the palette's help line, before the keys
    keys: str = ""  # app-wide keys (priority bindings), comma-separated as in Textual
    footer: bool = False
    key_rank: int = 0  # place among the app's keys: the help screen lists them in this order
    tree_keys: str = ""  # keys of the tree for it (typed in the editor they would be text)
    tree_title: str = ""  # the tree key's label in the help screen, when shorter than the title
    on: frozenset[str] | None = frozenset({MAIN})  # the screens it works on; None: every screen
    not_on: frozenset[str] = frozenset()

    def available(self, screen_id: str | None) -> bool:
        if screen_id in self.not_on:
            return False
        return self.on is None or screen_id in self.on

    @property
    def palette_help(self) -> str:
        keys = ", ".join(_SPOKEN.get(key, key) for key in self.keys.split(",") if key)
        if self.tree_keys:
            tree = " or ".join(_SPOKEN.get(key, key) for key in self.tree_keys.split(","))
            keys = ", ".join(filter(None, [keys, f"{tree} in the tree"]))
        return f"{self.description} ({keys})" if keys else self.description


# In the order the command palette offers them.
ACTIONS: tuple[Action, ...] = (
    Action(
        "save", "Save", "Save the draft in its own format", keys="ctrl+s", footer=True, key_rank=1,
        on=frozenset({MAIN, CHECKIN}),  # on the check-in screen it saves the pack
    ),
    Action("save_as", "Save as…", "Save the draft under another name or format"),
    Action(
        "rewrite", "Rewrite", "Ask the coach to rewrite the selected objective or key result",
        keys="ctrl+r", footer=True, key_rank=2,
    ),
    Action("undo", "Undo", "Undo the last change", keys="ctrl+z", footer=True, key_rank=3),
    Action("redo", "Redo", "Redo the change undone", keys="ctrl+y", key_rank=4),
    Action(
        "add_key_result", "Add key result", "Add a key result after the selected one", keys="ctrl+n",
        key_rank=7, tree_keys="a", tree_title="Add KR",
    ),
    Action(
        "add_objective", "Add objective", "Add an objective after the selected one", keys="ctrl+o",
        key_rank=8, tree_keys="o",
    ),
    Action("delete_element", "Delete", "Delete the selected objective or key result", tree_keys="delete,x"),
    Action("move_up", "Move up", "Move the selected element up", keys="alt+up", key_rank=9),
    Action("move_down", "Move down", "Move the selected element down", keys="alt+down", key_rank=10),
    Action(
        "baselines", "Baselines", "Baseline suggestions from the metrics exports", keys="ctrl+b",
        footer=True, key_rank=5,
    ),
    Action(
        "checkin", "Check-in", "The manager's check-in question pack for today", keys="ctrl+t",
        footer=True, key_rank=6,
    ),
    Action(
        "objective_set", "Objective set", "Review the whole set of objectives together (read-only)",
        keys="ctrl+g", key_rank=6, tree_keys="s", tree_title="Set review",
    ),
    Action(
        "ask", "Ask the coach", "Ask a question; answered from the practice passages and metrics",
        keys="ctrl+l", key_rank=6,  # ctrl+k would take "delete to the end" from the text fields
    ),
    Action(
        "help", "Help", "Every key binding", keys="f1", footer=True, key_rank=11, tree_keys="question_mark",
        on=None, not_on=frozenset({HELP}),
    ),
    Action(
        "quit", "Quit", "Quit; asks first when there are unsaved changes", keys="ctrl+q", footer=True,
        key_rank=12, on=None,
    ),
)  # fmt: skip

BY_NAME = {action.name: action for action in ACTIONS}


def app_bindings() -> list[BindingType]:
    """The app's bindings: priority, so that they work whichever widget has the focus."""
    keyed = sorted((action for action in ACTIONS if action.keys), key=lambda action: action.key_rank)
    return [Binding(a.keys, a.name, a.title, show=a.footer, priority=True) for a in keyed]


def tree_bindings() -> list[BindingType]:
    """The tree's single-letter keys, which run the app's actions."""
    return [
        Binding(a.tree_keys, f"app.{a.name}", a.tree_title or a.title, show=False)
        for a in ACTIONS
        if a.tree_keys
    ]


def available(name: str, screen_id: str | None) -> bool:
    """Whether the action may run with this screen on top (actions of no table here always may)."""
    action = BY_NAME.get(name)
    return action is None or action.available(screen_id)
