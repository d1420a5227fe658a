"""okrcoach's terminal UI: iterate a draft with the coach beside you.

    app = OkrCoachApp(CoachEngine(...), path="draft.yaml")   # the engine is injected (tests pass their own)
    app.run()

The app holds the draft (tui.state.Draft) and the work on it: the file-level work (save, recovery, quit) in
tui.saving.SavingApp, which it extends, and here undo/redo, adding, deleting and moving elements, and the
screens for rewrites, the objective-set review, baselines, check-ins, asking the coach and help. The main
screen (tui.screens.main) is the editor. Every action's keys, palette entry, help and availability are
declared once, in tui.actions.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import SystemCommand
from textual.binding import BindingType
from textual.screen import Screen

from coach.model import Document, KeyResult, Objective
from tui import storage
from tui.actions import ACTIONS, HELP, app_bindings, available
from tui.engine import CoachEngine, element_kind
from tui.saving import SavingApp
from tui.screens.ask import AskScreen
from tui.screens.baselines import BaselinesScreen
from tui.screens.checkin import CheckinScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.objective_set import ObjectiveSetScreen
from tui.screens.rewrite import Accepted, RewriteScreen
from tui.state import NEW_OBJECTIVE, Draft

if TYPE_CHECKING:
    from tui.host import CoachHost

SCREENSHOT_HELP = "Save an SVG 'screenshot' of the current screen beside the draft"


def new_document(path: str | None) -> Document:
    doc = Document(path=path or "", format=storage.format_for(path) if path else "yaml")
    draft = Draft(doc, path)
    draft.add_objective(None, NEW_OBJECTIVE)
    return doc


class OkrCoachApp(SavingApp):
    """The draft, the engine, and the actions on the draft."""

    CSS_PATH = "app.tcss"
    TITLE = "okrcoach"
    BINDINGS: ClassVar[list[BindingType]] = app_bindings()  # from tui.actions

    def __init__(
        self,
        engine: CoachEngine,
        path: str | None = None,
        document: Document | None = None,
        *,
        recovery_dir: Path | None = None,
        autosave_interval: float = 3.0,
        debounce: float = 0.3,
    ) -> None:
        if document is None:
            document = storage_load(path) if path and Path(path).exists() else new_document(path)
        super().__init__(document, path, recovery_dir=recovery_dir, autosave_interval=autosave_interval)
        self.engine = engine
        self.debounce = debounce
        self._burst: tuple[str, str] | None = None
        self._selected_at_start: str | None = None
        self.checkin_history = engine.history

    # -- screens and state ---------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return MainScreen()

    def on_mount(self) -> None:
        self.set_interval(self.autosave_interval, self.autosave, name="autosave")
        self._offer_recovery()

    def initial_selection(self) -> str | None:
        if self._selected_at_start:
            return self._selected_at_start
        return self.draft.doc.objectives[0].id if self.draft.doc.objectives else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return available(action, self.screen.id)  # where each action works is declared in tui.actions

    # -- editing -------------------------------------------------------------------------------------------

    def begin_burst(self, element_id: str, field: str) -> None:
        """Typing into one field is one undo step until the typing pauses."""
        if self._burst != (element_id, field):
            self.draft.checkpoint(element_id)
            self._burst = (element_id, field)

    def end_burst(self) -> None:
        self._burst = None

    def changed(self) -> None:
        self.main.update_status()

    def apply_text(self, element_id: str, text: str, *, expected: str | None = None) -> bool:
        """Replace an element's text as one undoable edit (rewrites, baselines)."""
        element = self.draft.element(element_id)
        if element is None or (expected is not None and element.text != expected):
            self.notify(f"{element_id} changed meanwhile; nothing written", severity="warning")
            return False
        self.end_burst()
        self.draft.checkpoint(self.main.selected_id)
        self.draft.set_text(element_id, text)
        self.main.reload(self.main.selected_id or element_id)
        return True

    def _structural(self, selected: str | None) -> None:
        self.end_burst()
        self.main.reload(selected)

    def action_add_objective(self) -> None:
        self.draft.checkpoint(self.main.selected_id)
        objective = self.draft.objective_of(self.main.selected_id)
        new_id = self.draft.add_objective(objective.id if objective else None)
        self._structural(new_id)
        self._edit_new()

    def action_add_key_result(self) -> None:
        self.draft.checkpoint(self.main.selected_id)
        new_id = self.draft.add_key_result(self.main.selected_id)
        self._structural(new_id)
        self._edit_new()

    def _edit_new(self) -> None:
        editor = self.main.query_one("#editor-text")
        editor.focus()
        editor.select_all()  # type: ignore[attr-defined]
        self.notify("Type over the placeholder; ctrl+z takes it back.", title="Added")

    def action_delete_element(self) -> None:
        element_id = self.main.selected_id
        element = self.draft.element(element_id)
        if element is None or element_id is None:
            self.notify("Select an objective or key result to delete.", severity="warning")
            return
        if isinstance(element, Objective) and len(self.draft.doc.objectives) == 1:
            self.notify("A draft needs at least one objective.", severity="warning")
            return
        self.draft.checkpoint(element_id)
        following = self.draft.delete(element_id)
        self._structural(following)
        self.notify(f"Deleted {element_kind(element)} {element_id}; ctrl+z brings it back.", title="Deleted")

    def _move(self, delta: int) -> None:
        element_id = self.main.selected_id
        if element_id is None or not self.draft.can_move(element_id, delta):
            return
        self.draft.checkpoint(element_id)
        self.draft.move(element_id, delta)
        self._structural(element_id)

    def action_move_up(self) -> None:
        self._move(-1)

    def action_move_down(self) -> None:
        self._move(+1)

    def action_undo(self) -> None:
        self.end_burst()
        selected = self.draft.undo(self.main.selected_id)
        if selected is None:
            self.notify("Nothing to undo.")
            return
        self.main.reload(selected)

    def action_redo(self) -> None:
        self.end_burst()
        selected = self.draft.redo(self.main.selected_id)
        if selected is None:
            self.notify("Nothing to redo.")
            return
        self.main.reload(selected)

    # -- the coach's screens -------------------------------------------------------------------------------

    def action_rewrite(self) -> None:
        self.main.cancel_debounce()
        self.main.coach_now()  # the findings the rewrite starts from are those of the text as typed
        element_id = self.main.selected_id
        element = self.draft.element(element_id)
        if element is None or element_id is None:
            self.notify("Select an objective or key result to rewrite.", severity="warning")
            return
        screen = RewriteScreen(self.engine, self.draft.doc, element_id, element_kind(element))
        self.push_screen(screen, self._rewrite_done)

    def _rewrite_done(self, accepted: Accepted | None) -> None:
        if accepted is None:
            return
        element = self.draft.element(accepted.element_id)
        if element is None:
            return
        self.end_burst()
        self.draft.checkpoint(accepted.element_id)
        self.draft.set_text(accepted.element_id, accepted.text)
        kept = self._keep_initiative(accepted.element_id, " ".join(accepted.initiative.split()))
        near = accepted.element_id
        for text in accepted.extra_key_results:
            near = self.draft.add_key_result(near, text) or near
        self.main.reload(accepted.element_id)
        self.main.action_focus_tree()  # the tree, on the element just changed: not the text it replaced
        self.notify(f"{accepted.text}{kept}", title="Rewrite taken")

    def _keep_initiative(self, element_id: str, initiative: str) -> str:
        """Keep a rewritten task as an initiative where the draft's format keeps it (as `okrcoach rewrite
        --write` does: coach.write.outcome.initiative_home); says where, for the notification."""
        from coach.write.outcome import initiative_home

        element = self.draft.element(element_id)
        if not initiative or element is None:
            return ""
        home: Objective | KeyResult | None = element
        if isinstance(element, KeyResult) and initiative_home(self.draft.doc.format) == "objective":
            home = self.draft.objective_of(element_id)
        if home is None:
            return ""
        if initiative not in home.initiatives:
            home.initiatives.append(initiative)
        return f"\n“{initiative}” kept as an initiative of {home.id}."

    def action_baselines(self) -> None:
        self.main.coach_now()
        self.push_screen(BaselinesScreen(self.draft.doc, list(self.engine.metrics)), self._back)

    def action_checkin(self) -> None:
        self.main.coach_now()
        self.push_screen(CheckinScreen(self.draft.doc, self.checkin_history), self._back)

    def action_objective_set(self) -> None:
        self.main.coach_now()
        self.push_screen(ObjectiveSetScreen(self.draft.doc), self._back)

    def action_ask(self) -> None:
        self.push_screen(AskScreen(), self._back)

    def _back(self, _result: object = None) -> None:
        self.main.reload(self.main.selected_id)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(id=HELP))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for action in ACTIONS:
            yield SystemCommand(action.title, action.palette_help, getattr(self, f"action_{action.name}"))
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":  # Textual's saves to ~/Downloads, which may not exist
                yield SystemCommand(command.title, SCREENSHOT_HELP, self.take_screenshot)
            elif command.title != "Quit":
                yield command

    def take_screenshot(self) -> None:
        """The palette's Screenshot: an SVG of the screen beside the draft (in the current folder for a new
        one), and a notification saying where. Taken once the palette has closed, so it is not in it."""
        self.set_timer(0.1, self._save_screenshot)

    def _save_screenshot(self) -> None:
        folder = (self._cwd / self.draft.path).parent if self.draft.path else self._cwd
        try:
            saved = Path(self.save_screenshot(path=str(folder)))
        except OSError as exc:
            note = f"Could not save it in {folder}: {exc.strerror}"
            self.notify(note, title="Screenshot", severity="error")
            return
        self.notify(f"Saved to {saved}", title="Screenshot")


def storage_load(path: str) -> Document:
    from coach.parse import load

    return load(path)


if TYPE_CHECKING:

    def _hosts_the_screens(app: OkrCoachApp) -> CoachHost:
        return app  # mypy holds the app to what the screens need of it (tui.host)
