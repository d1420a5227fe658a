"""The draft and its file: save, save as, the recovery copy kept while there are unsaved changes, and
quitting with them (asks first). OkrCoachApp (tui.app) builds on this with the editing and the coach's
screens; what a save writes is worked out in tui.storage.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from textual.app import App

from coach.model import Document, InputError
from coach.write.dump import stated_ids
from tui import storage
from tui.screens.checkin import CheckinScreen
from tui.screens.dialogs import ChoiceDialog, PathDialog
from tui.screens.main import MainScreen
from tui.state import Draft


class SavingApp(App[int]):
    """The draft, where it was opened from and what was last saved; the actions that write it."""

    def __init__(
        self, document: Document, path: str | None, *, recovery_dir: Path | None, autosave_interval: float
    ) -> None:
        super().__init__()
        self._cwd = Path.cwd()
        self.autosave_interval = autosave_interval
        self.recovery_dir = recovery_dir
        self.draft = Draft(document, path, stated_ids(document) if path and Path(path).exists() else set())
        self._saved_doc = copy.deepcopy(document)
        self._fingerprint = storage.fingerprint(path) if path else None
        self._autosaved: str | None = None
        self._whole_for: tuple[str, bool] | None = None  # (draft signature, saving it rewrites the file)
        self.last_save: storage.SaveResult | None = None

    @property
    def main(self) -> MainScreen:
        return self.screen_stack[0]  # type: ignore[return-value]

    @property
    def recovery_file(self) -> Path:
        # Anchored to the folder the app started in, so that it never lands anywhere else.
        path = str(self._cwd / self.draft.path) if self.draft.path else None
        return storage.recovery_path(path, self.recovery_dir)

    def file_label(self) -> str:
        return Path(self.draft.path).name if self.draft.path else "new draft"

    def save_state(self) -> tuple[str, list[str]]:
        """The save state in a word, and the details after it."""
        exists = bool(self.draft.path and Path(self.draft.path).exists())
        if not self.draft.dirty:
            return ("saved" if exists else "not saved yet"), []
        details = []
        if exists and storage.text_edits(self._saved_doc, self.draft.doc) is None and self._rewrites_whole():
            details.append("saving rewrites the whole file (it will ask first)")
        if self._autosaved == self.draft.signature():
            details.append("recovery copy kept")
        return "modified", details

    def _rewrites_whole(self) -> bool:
        """Whether saving now could not be done as edits to the file (worked out once per change)."""
        signature = self.draft.signature()
        if self._whole_for is None or self._whole_for[0] != signature:
            try:
                assert self.draft.path is not None
                plan = storage.plan_save(self.draft, self.draft.path, self.draft.doc.format)
                whole = plan.loses_layout
            except (InputError, OSError):
                whole = False  # the save itself will say why it cannot be done
            self._whole_for = (signature, whole)
        return self._whole_for[1]

    # -- saving --------------------------------------------------------------------------------------------

    def action_save(self) -> None:
        if isinstance(self.screen, CheckinScreen):
            self.screen.action_save_pack()
            return
        path = self.draft.path
        if path is None:
            self.action_save_as()
            return
        if self._fingerprint is not None and storage.fingerprint(path) not in (self._fingerprint, None):
            message = f"{path} changed on disk since it was opened. Overwrite it with this draft?"
            choices = [("o", "Overwrite", "overwrite"), ("escape", "Cancel", "cancel")]

            def answered(choice: str | None) -> None:
                if choice == "overwrite":  # the draft's places are those of the file as it was: write it all
                    self.save_to(path, whole=True)

            self.push_screen(
                ChoiceDialog("File changed on disk", message, choices, id="changed-on-disk"), answered
            )
            return
        self.save_to(path)

    def action_save_as(self, then_quit: bool = False) -> None:
        default = self.draft.path or "okrs.yaml"
        then = self._clean_exit if then_quit else None

        def chosen(name: str | None) -> None:
            if not name:
                return
            path = name if storage.format_for(name, "") else name + ".yaml"
            if Path(path).exists() and path != self.draft.path:
                choices = [("o", "Overwrite", "overwrite"), ("escape", "Cancel", "cancel")]

                def answered(choice: str | None) -> None:
                    if choice == "overwrite":
                        self.save_to(path, whole=True, then=then)

                dialog = ChoiceDialog("File exists", f"{path} exists. Overwrite it?", choices, id="overwrite")
                self.push_screen(dialog, answered)
                return
            # Save as under the draft's own name is a save: only what changed is written
            self.save_to(path, whole=path != self.draft.path, then=then)

        message = "File name (.yaml, .json, .md or .csv):"
        self.push_screen(PathDialog("Save the draft as", message, default, id="save-as"), chosen)

    def save_to(self, path: str, *, whole: bool = False, then: Callable[[], None] | None = None) -> bool:
        """Save; True when saved now. A save that would rewrite an existing file whole (losing its comments
        and layout) when `whole` was not asked for asks first; `then` runs once the draft is saved."""
        self.main.cancel_debounce()
        fmt = self.draft.doc.format if path == self.draft.path else storage.format_for(path)
        try:
            plan = storage.plan_save(self.draft, path, fmt, whole=whole)
        except InputError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=10)
            return False
        if plan.loses_layout and not whole:
            message = (
                f"This save rewrites the whole of {path}: its comments, key names, unknown fields and layout "
                f"will be lost (the previous version is kept as {path}.bak). Why: {plan.reason}. Save anyway?"
            )
            choices = [("s", "Save anyway", "save"), ("escape", "Cancel", "cancel")]

            def answered(choice: str | None) -> None:
                if choice == "save" and self._write(plan) and then is not None:
                    then()

            dialog = ChoiceDialog("Rewrite the whole file?", message, choices, id="rewrite-whole")
            self.push_screen(dialog, answered)
            return False
        saved = self._write(plan)
        if saved and then is not None:
            then()
        return saved

    def _write(self, plan: storage.SavePlan) -> bool:
        main = self.main
        path, fmt = str(plan.path), plan.fmt
        old_recovery = self.recovery_file
        ref = None
        try:
            result = storage.write_plan(self.draft, plan)
            ref = self.draft.find(main.selected_id)  # placeholders left out are gone from the draft too
            storage.reload_positions(self.draft, result.path, fmt)
        except InputError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=10)
            return False
        self.draft.path = str(path)
        self.draft.mark_saved()
        self._saved_doc = copy.deepcopy(self.draft.doc)
        self._whole_for = None
        self._fingerprint = storage.fingerprint(path)
        self._autosaved = None
        storage.remove_recovery(old_recovery)
        storage.remove_recovery(self.recovery_file)
        self.last_save = result
        selected = None
        if ref is not None:
            objective = self.draft.doc.objectives[ref[0]]
            selected = objective.id if ref[1] is None else objective.key_results[ref[1]].id
        main.reload(selected)
        self.notify(result.note, title="Saved", severity="warning" if result.whole else "information")
        return True

    # -- recovery ------------------------------------------------------------------------------------------

    def autosave(self) -> None:
        """Keep a recovery copy while there are unsaved changes (every few seconds)."""
        if not self.draft.dirty:
            if self._autosaved is not None:
                storage.remove_recovery(self.recovery_file)
                self._autosaved = None
            return
        signature = self.draft.signature()
        if signature == self._autosaved:
            return
        try:
            storage.write_recovery(self.recovery_file, self.draft, self.main.selected_id)
        except (InputError, OSError) as error:
            self.main.update_status(f"cannot keep a recovery copy: {error}")
            return
        self._autosaved = signature
        self.main.update_status()

    def _offer_recovery(self) -> None:
        where = self.recovery_file
        if not storage.recovery_is_newer(where, self.draft.path):
            return
        recovered = storage.read_recovery(where)
        if recovered is None:
            return
        name = self.draft.path or "a new draft"
        message = (
            f"There are unsaved changes to {name} from a session that did not end cleanly "
            f"({len(recovered.doc.objectives)} objectives, {len(recovered.doc.key_results())} key results). "
            "Recover them, or discard them and open the file as it is?"
        )
        choices = [("r", "Recover", "recover"), ("d", "Discard", "discard")]

        def answered(choice: str | None) -> None:
            if choice == "recover":
                self.draft.checkpoint(self.main.selected_id)
                self.draft.doc.objectives = recovered.doc.objectives
                self.draft.stated_ids = recovered.stated_ids or self.draft.stated_ids
                self.main.reload(recovered.selected)
                self.notify("Recovered the unsaved changes; ctrl+s saves them.", title="Recovered")
            elif choice == "discard":
                storage.remove_recovery(where)

        self.push_screen(ChoiceDialog("Recover unsaved changes?", message, choices, id="recover"), answered)

    # -- quitting ------------------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        if not self.draft.dirty:
            self._clean_exit()
            return
        choices = [
            ("s", "Save and quit", "save"),
            ("d", "Quit without saving", "discard"),
            ("escape", "Cancel", "cancel"),
        ]

        def answered(choice: str | None) -> None:
            if choice == "save":
                if self.draft.path is None:
                    self.action_save_as(then_quit=True)
                else:
                    self.save_to(self.draft.path, then=self._clean_exit)
            elif choice == "discard":
                self._clean_exit()

        message = f"{self.file_label()} has unsaved changes."
        self.push_screen(ChoiceDialog("Quit?", message, choices, id="quit"), answered)

    def _clean_exit(self) -> None:
        storage.remove_recovery(self.recovery_file)
        self.exit(0)
