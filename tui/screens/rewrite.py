"""Ask the coach for a rewrite of one objective or key result, and accept, edit or reject it.

The job runs in a thread worker (tui.screens.job; a model call can take seconds, the rule path answers at
once); the screen shows who is being asked and for how long, and stays responsive: Escape leaves at any time.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Input, Label, LoadingIndicator, Static

from coach.model import Document, InputError
from tui.engine import RewriteResult
from tui.screens.job import JobScreen
from tui.state import elements
from tui.widgets.diff import SideBySide
from tui.widgets.findings import finding_content

if TYPE_CHECKING:
    from tui.engine import CoachEngine


@dataclass(slots=True)
class Accepted:
    """What the user took: the text, and the initiative and extra key results the proposal split out."""

    element_id: str
    text: str
    initiative: str = ""
    extra_key_results: tuple[str, ...] = ()
    edited: bool = False


class RewriteScreen(JobScreen[Accepted | None]):
    JOB = "rewrite"
    PROGRESS = "#rewrite-progress"
    FAILURES = (Exception,)  # an unexpected failure must still end the wait with a reason
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept"),
        Binding("e", "edit", "Edit"),
        Binding("r,escape", "reject", "Reject"),
    ]

    def __init__(self, engine: CoachEngine, doc: Document, element_id: str, kind: str) -> None:
        super().__init__(id="rewrite")
        self.engine = engine
        self.doc = copy.deepcopy(doc)  # the worker reads a copy: the draft may change meanwhile
        self.element_id = element_id
        self.kind = kind
        self.result: RewriteResult | None = None
        self._started = 0.0

    def compose(self) -> ComposeResult:
        with Vertical(id="rewrite-box", classes="panel"):
            yield Label(f"Rewrite of {self.kind} {self.element_id}", classes="dialog-title")
            with Vertical(id="rewrite-progress"):
                yield LoadingIndicator()
                yield Label("", id="rewrite-waiting")
            with VerticalScroll(id="rewrite-result"):
                yield Static("", id="rewrite-answered")
                yield SideBySide(id="rewrite-diff")
                yield Static("", id="rewrite-details")
            yield Input(id="rewrite-edit", select_on_focus=False)
            yield Static("Enter takes the edited text; Escape leaves the edit.", id="rewrite-edit-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#rewrite-result").display = False
        self.query_one("#rewrite-edit").display = False
        self.query_one("#rewrite-edit-hint").display = False
        self._started = time.monotonic()
        self._tick()
        self.set_interval(0.2, self._tick, name="rewrite-progress")
        self.run_job()

    def _tick(self) -> None:
        if self.result is not None:
            return
        waited = time.monotonic() - self._started
        who = self.engine.model_label
        verb = "Asking the rules" if self.engine.spec is None else f"Asking {who}"
        self.query_one("#rewrite-waiting", Label).update(f"{verb}… {waited:.1f} s   (Escape to leave)")

    def job(self) -> RewriteResult:
        return self.engine.rewrite(self.doc, self.element_id)

    def failure(self, error: Exception) -> str:
        return str(error) if isinstance(error, InputError) else f"{type(error).__name__}: {error}"

    async def job_done(self, result: RewriteResult | None, error: str | None) -> None:
        self.result = result or RewriteResult(None, error or "", [])
        self.query_one("#rewrite-result").display = True
        proposal = self.result.proposal
        draft = self._draft_text()
        answered = self.query_one("#rewrite-answered", Static)
        if error:
            answered.update(Content.styled(f"The coach could not answer: {error}", "bold $text-error"))
        elif proposal is None:
            answered.update(
                Content.styled(
                    "Nothing to rewrite: the coach has no finding here that a rewrite fixes.", "bold"
                )
            )
        else:
            parts: list[tuple[str, str] | str] = [("Answered by ", ""), (proposal.answered_by, "bold")]
            if proposal.reason:
                parts += ["\n", (f"The model's answer was not used: {proposal.reason}", "bold $text-error")]
                parts += ["\n", ("This is the rule path's proposal.", "$text-muted")]
            answered.update(Content.assemble(*parts))
        self.query_one(SideBySide).show(draft, proposal.text if proposal else draft)
        self.query_one("#rewrite-details", Static).update(self._details())
        self.refresh_bindings()

    def _draft_text(self) -> str:
        return next((e.text for e in elements(self.doc) if e.id == self.element_id), "")

    def _details(self) -> Content:
        assert self.result is not None
        proposal = self.result.proposal
        if proposal is None:
            return Content("")
        lines: list[Content] = []
        resolved = set(proposal.resolved)
        fixed = [f for f in self.result.findings if f.code in resolved]
        still = [f for f in self.result.findings if f.code not in resolved]
        if fixed:
            lines.append(Content.styled("Resolves", "bold $text-success"))
            lines += [Content.assemble("  ✓ ", finding_content(f)) for f in fixed]
        if still and proposal.text:
            lines.append(Content.styled("Still open after it", "bold"))
            lines += [Content.assemble("  · ", finding_content(f)) for f in still]
        if proposal.initiative:
            lines.append(
                Content.assemble(("Initiative (kept on the key result): ", "bold"), proposal.initiative)
            )
        lines += [
            Content.assemble(("Also a key result: ", "bold"), text) for text in proposal.extra_key_results
        ]
        if proposal.rationale:
            lines.append(Content.assemble(("Why: ", "bold"), proposal.rationale))
        lines += [Content.assemble(("Ask: ", "bold $text-warning"), q) for q in proposal.questions]
        if proposal.citations:
            lines.append(Content.styled("Cites", "bold"))
            lines += [
                Content.assemble(
                    "  ", (f"[{c.id}] ", "$text-accent"), c.title, (f" — {c.source}", "$text-muted")
                )
                for c in proposal.citations
            ]
        return Content("\n").join(lines)

    # -- actions ------------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "edit"):
            proposal = self.result.proposal if self.result else None
            editing = self.query_one("#rewrite-edit").display
            if action == "edit":
                return proposal is not None and not editing
            return proposal is not None and bool(proposal.text) and not editing
        return True

    def action_accept(self) -> None:
        proposal = self.result.proposal if self.result else None
        if proposal is None or not proposal.text:
            return
        self.dismiss(
            Accepted(self.element_id, proposal.text, proposal.initiative, tuple(proposal.extra_key_results))
        )

    def action_edit(self) -> None:
        proposal = self.result.proposal if self.result else None
        if proposal is None:
            return
        field = self.query_one("#rewrite-edit", Input)
        field.value = proposal.text or self._draft_text()
        field.display = True
        self.query_one("#rewrite-edit-hint").display = True
        if self.app.is_headless:
            field.cursor_blink = False
        field.focus()
        field.cursor_position = field.value.find("?") if "?" in field.value else len(field.value)
        self.refresh_bindings()

    @on(Input.Submitted, "#rewrite-edit")
    def _edited(self, event: Input.Submitted) -> None:
        event.stop()
        text = " ".join(event.value.split())
        proposal = self.result.proposal if self.result else None
        if not text or proposal is None:
            return
        self.dismiss(
            Accepted(
                self.element_id, text, proposal.initiative, tuple(proposal.extra_key_results), edited=True
            )
        )

    def action_reject(self) -> None:
        field = self.query_one("#rewrite-edit", Input)
        if field.display:  # Escape in the edit box leaves the edit, not the screen
            field.display = False
            self.query_one("#rewrite-edit-hint").display = False
            self.refresh_bindings()
            return
        self.dismiss(None)
