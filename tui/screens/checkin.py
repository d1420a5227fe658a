"""The manager's check-in: the question pack for the check-in date, built from the draft and its history (in a
thread worker, tui.screens.job), shown as Markdown and saved as a Markdown file (s).

When the app was started with a model (the engine's session), the model is asked per key result on the rule
pack the engine built, with a session of its own (its own breaker; the model, cache and store shared), and
the pack says who wrote each key result's questions. Without one the screen is the rules' pack.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Label, LoadingIndicator, Markdown, Static

from coach.io import write_atomic
from coach.model import Document, InputError
from tui.actions import CHECKIN
from tui.engine import CheckinResult
from tui.screens.dialogs import PathDialog
from tui.screens.job import JobScreen
from tui.widgets.editor import TextInput

if TYPE_CHECKING:
    from tui.host import CoachHost


class CheckinScreen(JobScreen[None]):
    JOB = "checkin"
    PROGRESS = "#ci-loading"
    NOTE = "#ci-note"
    PATH_INPUT = "ci-history"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save_pack", "Save as Markdown"),
        Binding("h", "history", "History file"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, doc: Document, history: str | None) -> None:
        super().__init__(id=CHECKIN)
        self.doc = copy.deepcopy(doc)
        self.history = history
        self.result: CheckinResult | None = None
        self.saved_to: Path | None = None

    @property
    def coach_app(self) -> CoachHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        day = self.coach_app.engine.day()
        with Vertical(id="checkin-box", classes="panel"):
            yield Label(f"Check-in questions for {day.isoformat()}", classes="dialog-title")
            yield Static("", id="ci-note")
            yield TextInput(placeholder="path to the check-in history CSV (Enter to load)", id="ci-history")
            yield LoadingIndicator(id="ci-loading")
            with VerticalScroll(id="ci-scroll"):
                yield Markdown("", id="ci-pack")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#ci-loading").display = False
        self.query_one("#ci-scroll").display = False
        if self.history:
            self.query_one("#ci-history").display = False
            self.query_one("#ci-scroll").focus()
            self.load(self.history)
        else:
            self.ask_for_path("No check-in history given (okrcoach tui --history FILE): type one to load it.")

    def load(self, history: str) -> None:
        self.history = history
        engine = self.coach_app.engine
        asking = f" and asking {engine.model_label}" if engine.spec is not None else ""
        self.query_one("#ci-note", Static).update(f"Reading {history}{asking}…")
        self.run_job(history)

    def job(self, history: str) -> CheckinResult:
        engine = self.coach_app.engine
        result = engine.checkin(self.doc, history)
        if engine.spec is None:
            return result
        from coach.checkin.pack import ask_model
        from coach.report.checkin import render_pack_markdown

        ask_model(result.pack, engine.session.fork())
        return CheckinResult(render_pack_markdown(result.pack), result.pack, result.problems)

    async def job_done(self, result: CheckinResult | None, error: str | None) -> None:
        if result is None:
            self.ask_for_path(f"Cannot build the pack: {error}")
            return
        self.result = result
        self.coach_app.checkin_history = self.history
        self.query_one("#ci-history").display = False
        pack = self.result.pack
        who = f" {pack.note[:1].upper()}{pack.note[1:]}." if pack.model_asked else ""
        note = (
            f"{len(pack.items)} key results, {len(pack.attention)} need attention; "
            f"{pack.kept} of {pack.rows} check-in rows used.{who} s saves the pack as Markdown."
        )
        self.query_one("#ci-note", Static).update(note)
        scroll = self.query_one("#ci-scroll", VerticalScroll)
        scroll.display = True
        await self.query_one("#ci-pack", Markdown).update(self.result.markdown)
        scroll.focus()

    def default_name(self) -> str:
        day = self.coach_app.engine.day().isoformat()
        path = self.coach_app.draft.path
        if path:
            where = Path(path)
            return str(where.with_name(f"{where.stem}-checkin-{day}.md"))
        return f"checkin-{day}.md"

    def action_save_pack(self) -> None:
        if self.result is None:
            return

        def chosen(name: str | None) -> None:
            if not name or self.result is None:
                return
            target = Path(name).expanduser()
            try:
                write_atomic(target, self.result.markdown)
            except InputError as error:
                self.notify(str(error), title="Not saved", severity="error")
                return
            self.saved_to = target
            self.notify(f"saved {target}", title="Check-in pack saved")

        self.app.push_screen(
            PathDialog("Save the check-in pack", "Markdown file:", self.default_name(), id="save-pack"),
            chosen,
        )

    def action_history(self) -> None:
        self.ask_for_path("Type the check-in history CSV and press Enter.")

    def path_given(self, value: str) -> None:
        if value.strip():
            self.load(value.strip())

    def action_close(self) -> None:
        self.dismiss(None)
