"""What the actions look like to the user, held exactly: the keys, the footer, the help screen's rows, the
command palette's entries and where each action is available (tui.actions declares them once)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from textual.binding import Binding

from tui.app import OkrCoachApp
from tui.engine import CoachEngine
from tui.screens.ask import AskScreen
from tui.screens.baselines import BaselinesScreen
from tui.screens.checkin import CheckinScreen
from tui.screens.help import HelpScreen, key_rows
from tui.widgets.outline import OutlineTree

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.anyio

APP_KEYS = [
    ("ctrl+s", "save", "Save", True),
    ("ctrl+r", "rewrite", "Rewrite", True),
    ("ctrl+z", "undo", "Undo", True),
    ("ctrl+y", "redo", "Redo", False),
    ("ctrl+b", "baselines", "Baselines", True),
    ("ctrl+t", "checkin", "Check-in", True),
    ("ctrl+g", "objective_set", "Objective set", False),
    ("ctrl+l", "ask", "Ask the coach", False),
    ("ctrl+n", "add_key_result", "Add key result", False),
    ("ctrl+o", "add_objective", "Add objective", False),
    ("alt+up", "move_up", "Move up", False),
    ("alt+down", "move_down", "Move down", False),
    ("f1", "help", "Help", True),
    ("ctrl+q", "quit", "Quit", True),
]
TREE_KEYS = [
    ("a", "app.add_key_result", "Add KR"),
    ("o", "app.add_objective", "Add objective"),
    ("delete,x", "app.delete_element", "Delete"),
    ("s", "app.objective_set", "Set review"),
    ("question_mark", "app.help", "Help"),
]
HELP_ROWS = [
    ("everywhere", "^s", "Save"),
    ("everywhere", "^r", "Rewrite"),
    ("everywhere", "^z", "Undo"),
    ("everywhere", "^y", "Redo"),
    ("everywhere", "^b", "Baselines"),
    ("everywhere", "^t", "Check-in"),
    ("everywhere", "^g", "Objective set"),
    ("everywhere", "^l", "Ask the coach"),
    ("everywhere", "^n", "Add key result"),
    ("everywhere", "^o", "Add objective"),
    ("everywhere", "alt+↑", "Move up"),
    ("everywhere", "alt+↓", "Move down"),
    ("everywhere", "f1", "Help"),
    ("everywhere", "^q", "Quit"),
    ("tree", "a", "Add KR"),
    ("tree", "o", "Add objective"),
    ("tree", "del / x", "Delete"),
    ("tree", "s", "Set review"),
    ("tree", "?", "Help"),
    ("rewrite", "a", "Accept"),
    ("rewrite", "e", "Edit"),
    ("rewrite", "r / esc", "Reject"),
    ("rewrite", "1", "Choose an outcome"),
    ("baselines", "w", "Write baseline"),
    ("baselines", "m", "Metrics file"),
    ("baselines", "esc", "Close"),
    ("check-in", "s", "Save as Markdown"),
    ("check-in", "h", "History file"),
    ("check-in", "esc", "Close"),
    ("objective set", "esc", "Close"),
    ("ask", "esc", "Close"),
    ("editing", "up / down", "move in the tree"),
    ("editing", "enter", "tree: edit the selected element; editor: next field"),
    ("editing", "ctrl+a", "in the text, a field or a dialog: select all of it (type or paste to replace it)"),
    ("editing", "home / end", "in the text: start / end of the line"),
    ("editing", "tab / shift+tab", "next / previous field or panel"),
    ("editing", "escape", "back to the tree (in a dialog: close it)"),
    ("editing", "space", "tree: fold or unfold an objective"),
    ("editing", "ctrl+p", "command palette: every action by name"),
    (
        "tree",
        "E1 W2 S1 ✓",
        "tree marks: findings per severity (1 error, 2 warnings, 1 suggestion), as in the status line; "
        "✓ no findings",
    ),
]
PALETTE = [
    ("Save", "Save the draft in its own format (ctrl+s)", "save"),
    ("Save as…", "Save the draft under another name or format", "save_as"),
    ("Rewrite", "Ask the coach to rewrite the selected objective or key result (ctrl+r)", "rewrite"),
    ("Undo", "Undo the last change (ctrl+z)", "undo"),
    ("Redo", "Redo the change undone (ctrl+y)", "redo"),
    ("Add key result", "Add a key result after the selected one (ctrl+n, a in the tree)", "add_key_result"),
    ("Add objective", "Add an objective after the selected one (ctrl+o, o in the tree)", "add_objective"),
    ("Delete", "Delete the selected objective or key result (delete or x in the tree)", "delete_element"),
    ("Move up", "Move the selected element up (alt+up)", "move_up"),
    ("Move down", "Move the selected element down (alt+down)", "move_down"),
    ("Baselines", "Baseline suggestions from the metrics exports (ctrl+b)", "baselines"),
    ("Check-in", "The manager's check-in question pack for today (ctrl+t)", "checkin"),
    (
        "Objective set",
        "Review the whole set of objectives together (read-only) (ctrl+g, s in the tree)",
        "objective_set",
    ),
    ("Ask the coach", "Ask a question; answered from the practice passages and metrics (ctrl+l)", "ask"),
    ("Help", "Every key binding (F1, ? in the tree)", "help"),
    ("Quit", "Quit; asks first when there are unsaved changes (ctrl+q)", "quit"),
    ("Theme", "Change the current theme", "change_theme"),
    ("Keys", "Show help for the focused widget and a summary of available keys", "show_help_panel"),
    ("Maximize", "Maximize the focused widget", "maximize"),
    ("Screenshot", "Save an SVG 'screenshot' of the current screen beside the draft", "take_screenshot"),
]
MAIN_ONLY = {
    "rewrite", "undo", "redo", "add_key_result", "add_objective", "delete_element", "move_up", "move_down",
    "baselines", "checkin", "save_as", "objective_set", "ask",
}  # fmt: skip
# Quit comes first: it takes the place of Textual's own ctrl+q binding.
FOOTER = [("ctrl+q", "Quit"), ("ctrl+s", "Save"), ("ctrl+r", "Rewrite"), ("ctrl+z", "Undo")]
FOOTER += [("ctrl+b", "Baselines"), ("ctrl+t", "Check-in"), ("f1", "Help")]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _bindings(bindings: object) -> list[Binding]:
    assert isinstance(bindings, list)
    assert all(isinstance(binding, Binding) for binding in bindings)
    return bindings


def test_bindings_are_those_of_before() -> None:
    app_keys = [(b.key, b.action, b.description, b.show) for b in _bindings(OkrCoachApp.BINDINGS)]
    assert app_keys == APP_KEYS
    assert all(b.priority and not b.key_display and not b.tooltip for b in _bindings(OkrCoachApp.BINDINGS))
    tree = _bindings(OutlineTree.BINDINGS)
    assert [(b.key, b.action, b.description) for b in tree] == TREE_KEYS
    assert not any(b.show or b.priority for b in tree)


async def test_help_palette_footer_and_availability_are_those_of_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ROOT / "examples" / "team-draft.yaml", tmp_path / "team-draft.yaml")
    monkeypatch.chdir(tmp_path)
    engine = CoachEngine(today=date(2026, 2, 12), embedding="hashing")
    app = OkrCoachApp(engine, path="team-draft.yaml", autosave_interval=60)
    async with app.run_test(size=(100, 40)) as pilot:
        assert key_rows(app) == HELP_ROWS  # type: ignore[arg-type]
        palette = [
            (c.title, c.help, c.callback.__name__.removeprefix("action_"))
            for c in app.get_system_commands(app.screen)
        ]
        assert palette == PALETTE
        active = app.screen.active_bindings.items()
        assert [(key, shown.binding.description) for key, shown in active if shown.binding.show] == FOOTER
        names = {action for _, _, action in PALETTE[:16]} | {"close", "not_an_action"}
        assert all(app.check_action(name, ()) for name in names)
        screens = {
            "help": HelpScreen(id="help"),
            "baselines": BaselinesScreen(app.draft.doc, []),
            "check-in": CheckinScreen(app.draft.doc, None),
            "ask": AskScreen(),
        }
        for where, screen in screens.items():
            await app.push_screen(screen)
            await pilot.pause()
            allowed = {name for name in names if app.check_action(name, ())}
            expected = names - MAIN_ONLY - {"save"}
            if where == "help":
                expected -= {"help"}
            if where == "check-in":
                expected |= {"save"}
            assert allowed == expected, where
            app.pop_screen()
            await pilot.pause()
