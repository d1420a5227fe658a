"""The main screen: the tree on the left, the editor, the findings and the cited passage on the right.

Typing changes the draft at once; the rules run after a pause in typing (the debounce), on the UI thread:
a review of a draft takes milliseconds and never touches the network (benchmarks/tui.py measures it).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Label, OptionList, Tree

from coach.model import Finding, KeyResult
from tui.actions import MAIN
from tui.widgets.editor import ElementEditor
from tui.widgets.findings import FindingsList, PassageView
from tui.widgets.outline import ROOT, OutlineTree, tally
from tui.widgets.status import StatusBar

if TYPE_CHECKING:
    from tui.host import CoachHost


class MainScreen(Screen[None]):
    """Edit the draft with the coach beside you."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "focus_tree", "Back to the tree", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id=MAIN)
        self.findings: list[Finding] = []
        self._debounce: Timer | None = None
        self._problem: str | None = None  # a field that does not read (a confidence of 200%)
        self.last_review_ms: float = 0.0  # the last review + redraw of the findings, for the benchmark

    @property
    def coach_app(self) -> CoachHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield OutlineTree(id="outline")
            with Vertical(id="right"):
                yield ElementEditor(id="editor")
                yield Label("Findings", id="findings-title", classes="section-title")
                yield FindingsList(id="findings")
                with VerticalScroll(id="passage-box"):
                    yield PassageView(id="passage")
        yield StatusBar(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(OutlineTree).border_title = "Objectives · key results"
        self.query_one("#passage-box").border_title = "Cited practice"
        self.reload(self.coach_app.initial_selection())
        self.query_one(OutlineTree).focus()

    # -- what is selected ----------------------------------------------------------------------------------

    @property
    def selected_id(self) -> str | None:
        return self.query_one(OutlineTree).selected_id

    def reload(self, selected: str | None) -> None:
        """Redraw everything from the draft (after a structural change, undo, recovery or save)."""
        self.cancel_debounce()
        draft = self.coach_app.draft
        self.findings = self.coach_app.engine.review(draft.doc)
        tree = self.query_one(OutlineTree)
        tree.rebuild(draft.doc, tally(self.findings), selected)
        self.show_selected()
        self.update_status()

    def show_selected(self) -> None:
        draft = self.coach_app.draft
        element_id = self.selected_id
        element = draft.element(element_id)
        editor = self.query_one(ElementEditor)
        if element is None:
            title = "The whole draft"
        elif isinstance(element, KeyResult):
            title = f"Key result {element.id}"
        else:
            title = f"Objective {element.id}"
        editor.show(draft.doc, element, title)
        self.show_findings()

    def show_findings(self) -> None:
        element_id = self.selected_id
        if element_id is None:
            ids = set(self.coach_app.draft.ids())
            mine = [f for f in self.findings if not f.target or f.target not in ids]
        else:
            mine = [f for f in self.findings if f.target == element_id]
        listing = self.query_one(FindingsList)
        listing.show(mine)
        self.query_one("#findings-title", Label).update(f"Findings ({len(mine)})" if mine else "Findings")
        self.show_passage()

    def show_passage(self) -> None:
        finding = self.query_one(FindingsList).current
        passage = self.coach_app.engine.passage(finding.passage if finding else None)
        self.query_one(PassageView).show(passage, finding)

    def update_status(self, note: str | None = None) -> None:
        app = self.coach_app
        state, details = app.save_state()
        note = note or self._problem
        if note:
            details = [note, *details]
        bar = self.query_one(StatusBar)
        bar.show(app.file_label(), state, app.draft.dirty, app.engine.model_label, self.findings, details)

    # -- live coaching ------------------------------------------------------------------------------------

    def schedule_coach(self) -> None:
        """Review again once typing pauses."""
        self.cancel_debounce()
        self._debounce = self.set_timer(self.coach_app.debounce, self.coach_now)

    def cancel_debounce(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None

    def coach_now(self) -> None:
        """Run the rules on the draft and redraw what depends on the findings."""
        self._debounce = None
        started = time.perf_counter()
        draft = self.coach_app.draft
        self.findings = self.coach_app.engine.review(draft.doc)
        self.query_one(OutlineTree).relabel(draft.doc, tally(self.findings))
        self.show_findings()
        self.update_status()
        self.coach_app.end_burst()
        self.last_review_ms = (time.perf_counter() - started) * 1000

    # -- events -------------------------------------------------------------------------------------------

    @on(Tree.NodeHighlighted, "#outline")
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        self.coach_app.end_burst()
        self.show_selected()

    @on(Tree.NodeSelected, "#outline")
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data != ROOT:
            self.query_one(ElementEditor).focus_text()

    @on(OptionList.OptionHighlighted, "#findings")
    def _finding_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_passage()

    @on(ElementEditor.TextEdited)
    def _text_edited(self, event: ElementEditor.TextEdited) -> None:
        app = self.coach_app
        app.begin_burst(event.element_id, "text")
        if app.draft.set_text(event.element_id, event.text):
            self.query_one(OutlineTree).relabel(app.draft.doc, tally(self.findings), only=event.element_id)
            app.changed()
            self.schedule_coach()

    @on(ElementEditor.FieldEdited)
    def _field_edited(self, event: ElementEditor.FieldEdited) -> None:
        app = self.coach_app
        app.begin_burst(event.element_id, event.field)
        problem = app.draft.set_field(event.element_id, event.field, event.value)
        self.schedule_coach()
        if problem is not None:
            self._problem = f"{problem.field}: {problem.message}"
            self.update_status()
            return
        self._problem = None
        app.changed()

    def action_focus_tree(self) -> None:
        self.query_one(OutlineTree).focus()
