"""Ask the coach for a rewrite of one objective or key result, and accept, edit or reject it.

The job runs in a thread worker (tui.screens.job; a model call can take seconds, the rule path answers at
once); the screen shows who is being asked and for how long, and stays responsive: Escape leaves at any time.

A task-like key result comes back with the coach's choice of outcomes (the proposal's candidates): the user
picks one (1–3), types its baseline and target where the text has a `?`, and accepts; the task is kept as an
initiative where the draft's format keeps it (coach.write.outcome.initiative_home). A text that still has a
`?` (coach.rewrite.slots) is never accepted: the screen says what is missing.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Input, Label, LoadingIndicator, Static

from coach.model import Document, InputError, KeyResult
from coach.rewrite.slots import fill, slots
from coach.write.outcome import initiative_home
from tui.engine import RewriteResult
from tui.screens.job import JobScreen
from tui.state import elements, field_text
from tui.widgets.diff import SideBySide
from tui.widgets.findings import finding_content

if TYPE_CHECKING:
    from coach.rewrite import Proposal
    from tui.engine import CoachEngine

SLOT_NAMES = ("baseline", "target")  # the values a `?` asks for (coach.rewrite.slots), in reading order
MAX_CHOICES = 3  # outcomes offered for a task (keys 1-3)


@dataclass(slots=True)
class Accepted:
    """What the user took: the text, and the initiative and extra key results the proposal split out."""

    element_id: str
    text: str
    initiative: str = ""
    extra_key_results: tuple[str, ...] = ()
    edited: bool = False


def missing(text: str | None) -> list[str]:
    """The values a text still asks for ("baseline", "target"), each once, in reading order."""
    return list(dict.fromkeys(name for _, _, name in slots(text or "")))


def what_is_missing(names: list[str]) -> str:
    return " and ".join(f"the {name}" for name in names)


class RewriteScreen(JobScreen[Accepted | None]):
    JOB = "rewrite"
    PROGRESS = "#rewrite-progress"
    FAILURES = (Exception,)  # an unexpected failure must still end the wait with a reason
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept"),
        Binding("e", "edit", "Edit"),
        Binding("r,escape", "reject", "Reject"),
        Binding("1", "choose(0)", "Choose an outcome", key_display="1-3"),
        Binding("2", "choose(1)", "", show=False),
        Binding("3", "choose(2)", "", show=False),
    ]

    def __init__(self, engine: CoachEngine, doc: Document, element_id: str, kind: str) -> None:
        super().__init__(id="rewrite")
        self.engine = engine
        self.doc = copy.deepcopy(doc)  # the worker reads a copy: the draft may change meanwhile
        self.element_id = element_id
        self.kind = kind
        self.result: RewriteResult | None = None
        self.choice: int | None = None  # the candidate chosen (an index of proposal.candidates)
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
                with Vertical(id="rewrite-options"):
                    yield Static("", id="rewrite-options-head")
                    for n in range(MAX_CHOICES):
                        yield Static("", id=f"rewrite-option-{n}", classes="option")
                        yield Static("", id=f"rewrite-why-{n}", classes="option-why")
                yield Static("", id="rewrite-details")
            # Outside the scroll, always in sight: the numbers still asked for, and what is missing.
            with Horizontal(id="rewrite-numbers"):
                for name in SLOT_NAMES:
                    yield Label(name.capitalize(), classes="slot-label", id=f"rewrite-{name}-label")
                    yield Input(id=f"rewrite-{name}", classes="slot", compact=True, placeholder="?")
                yield Label("Tab to type, Enter accepts", id="rewrite-numbers-hint")
            yield Static("", id="rewrite-missing")
            yield Input(id="rewrite-edit", select_on_focus=False)
            yield Static("Enter takes the edited text; Escape leaves the edit.", id="rewrite-edit-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for selector in ("#rewrite-result", "#rewrite-edit", "#rewrite-edit-hint", "#rewrite-numbers"):
            self.query_one(selector).display = False
        if self.app.is_headless:
            for field in self.query(Input):
                field.cursor_blink = False
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
            if not proposal.text and not proposal.candidates:
                held = proposal.held_back or "the rules cannot word it without what only the team knows"
                parts += ["\n", (f"No rewrite text: {held}. Answer the questions below, or e to edit.", "")]
            answered.update(Content.assemble(*parts))
            self.choice = next(
                (n for n, c in enumerate(proposal.candidates) if c.text == proposal.text),
                0 if proposal.candidates and not proposal.text else None,
            )
            self._prefill()
        self.query_one("#rewrite-details", Static).update(self._details())
        self._show()
        self.query_one("#rewrite-result").focus()

    # -- what will be written -----------------------------------------------------------------------------

    @property
    def proposal(self) -> Proposal | None:
        return self.result.proposal if self.result else None

    def _draft_text(self) -> str:
        return next((e.text for e in elements(self.doc) if e.id == self.element_id), "")

    def _base(self) -> str | None:
        """The text chosen, its ? still open: the chosen candidate's, else the proposal's."""
        proposal = self.proposal
        if proposal is None:
            return None
        if self.choice is not None and self.choice < len(proposal.candidates):
            return proposal.candidates[self.choice].text
        return proposal.text

    def values(self) -> dict[str, str]:
        out = {}
        for name in SLOT_NAMES:
            value = " ".join(self.query_one(f"#rewrite-{name}", Input).value.split())
            if value:
                out[name] = value
        return out

    def text_to_write(self) -> str | None:
        """The chosen text with the typed numbers in place (a ? nobody typed stays)."""
        base = self._base()
        return fill(base, self.values()) if base else None

    def _prefill(self) -> None:
        """The numbers the draft's key result already states, in the fields the text asks for."""
        element = next((e for e in elements(self.doc) if e.id == self.element_id), None)
        if not isinstance(element, KeyResult):
            return
        for name in SLOT_NAMES:
            value = getattr(element, name)
            if value is None:
                continue
            text = field_text(value)
            if element.unit == "%" and not text.endswith("%"):
                text += "%"
            self.query_one(f"#rewrite-{name}", Input).value = text

    def _show(self) -> None:
        """The options, the preview, the number fields and what is missing, as the choice and numbers are."""
        proposal = self.proposal
        self._show_options()
        text = self.text_to_write()
        title = "Will write" if text and not missing(text) else "Proposal"
        self.query_one(SideBySide).show(self._draft_text(), text if proposal else self._draft_text(), title)
        asked = missing(self._base())
        self.query_one("#rewrite-numbers").display = bool(asked)
        for name in SLOT_NAMES:
            self.query_one(f"#rewrite-{name}-label").display = name in asked
            self.query_one(f"#rewrite-{name}").display = name in asked
        left = missing(text)
        note = self.query_one("#rewrite-missing", Static)
        note.display = bool(left)
        if left:
            note.update(
                Content.assemble(
                    (f"To accept, type {what_is_missing(left)}", "bold"),
                    " (the text still has a ?); e edits the whole text.",
                )
            )
        self.refresh_bindings()

    def _show_options(self) -> None:
        """The outcomes a task could become, numbered, the chosen one marked (hidden when there are none)."""
        proposal = self.proposal
        found = proposal.candidates[:MAX_CHOICES] if proposal else []
        self.query_one("#rewrite-options").display = bool(found)
        if not found:
            return
        keys = f"1–{len(found)}" if len(found) > 1 else "1"
        self.query_one("#rewrite-options-head", Static).update(
            Content.assemble(
                (f"“{self._draft_text()}” is work to do: ", "bold"),
                f"it stays as {self._initiative_place()}. What should it change? ",
                (f"Choose {keys}, then type its numbers.", "bold"),
            )
        )
        for n in range(MAX_CHOICES):
            option = self.query_one(f"#rewrite-option-{n}", Static)
            why = self.query_one(f"#rewrite-why-{n}", Static)
            option.display = why.display = n < len(found)
            if n >= len(found):
                continue
            chosen = n == self.choice
            mark = ("▶ " if chosen else "  ", "bold $text-accent")
            option.update(Content.assemble(mark, (f"{n + 1}. {found[n].text}", "bold" if chosen else "")))
            why.update(Content.styled(found[n].why, "$text-muted"))

    def _initiative_place(self) -> str:
        """Where the task is kept, in words (the format decides: coach.write.outcome.initiative_home)."""
        if initiative_home(self.doc.format) == "key_result":
            return "this key result's initiative (its row's initiatives cell)"
        objective = next(
            (o for o in self.doc.objectives if any(k.id == self.element_id for k in o.key_results)), None
        )
        return f"an initiative of objective {objective.id}" if objective else "an initiative"

    def _details(self) -> Content:
        proposal = self.proposal
        if proposal is None or self.result is None:
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
            where = self._initiative_place()
            lines.append(Content.assemble((f"Initiative (kept as {where}): ", "bold"), proposal.initiative))
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

    def _editing(self) -> bool:
        return bool(self.query_one("#rewrite-edit").display)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        proposal = self.proposal
        if action == "edit":
            return proposal is not None and not self._editing()
        if action == "accept":
            if proposal is None or self._editing() or not self.text_to_write():
                return False
            return None if missing(self.text_to_write()) else True  # shown, dimmed, while a ? is left
        if action == "choose":
            index = parameters[0] if parameters else 0
            count = len(proposal.candidates) if proposal else 0
            return isinstance(index, int) and index < count and not self._editing()
        return True

    def action_choose(self, index: int) -> None:
        proposal = self.proposal
        if proposal is None or not 0 <= index < len(proposal.candidates):
            return
        self.choice = index
        self._show()
        self._focus_missing()

    def _focus_missing(self) -> bool:
        """Focus the first number field still empty; False when none is."""
        for name in missing(self.text_to_write()):
            field = self.query_one(f"#rewrite-{name}", Input)
            if field.display:
                field.focus()
                return True
        return False

    @on(Input.Changed, ".slot")
    def _number_typed(self, event: Input.Changed) -> None:
        event.stop()
        self._show()

    @on(Input.Submitted, ".slot")
    def _number_given(self, event: Input.Submitted) -> None:
        event.stop()
        if not self._focus_missing():
            self.action_accept()

    def action_accept(self) -> None:
        proposal = self.proposal
        text = self.text_to_write()
        if proposal is None or not text:
            return
        if missing(text):
            self.notify(
                f"Type {what_is_missing(missing(text))} first: the coach never writes a ? into the draft.",
                title="Not accepted",
                severity="warning",
            )
            self._focus_missing()
            return
        self.dismiss(self._accepted(text))

    def _accepted(self, text: str, *, edited: bool = False) -> Accepted:
        proposal = self.proposal
        assert proposal is not None
        initiative = proposal.initiative or (self._draft_text() if proposal.candidates else "")
        extra = tuple(t for t in proposal.extra_key_results if not slots(t))  # never a ? into the draft
        return Accepted(self.element_id, text, initiative, extra, edited=edited)

    def action_edit(self) -> None:
        if self.proposal is None:
            return
        field = self.query_one("#rewrite-edit", Input)
        field.value = self.text_to_write() or self._draft_text()
        field.display = True
        self.query_one("#rewrite-edit-hint").display = True
        field.focus()
        field.cursor_position = field.value.find("?") if "?" in field.value else len(field.value)
        self.refresh_bindings()

    @on(Input.Submitted, "#rewrite-edit")
    def _edited(self, event: Input.Submitted) -> None:
        event.stop()
        text = " ".join(event.value.split())
        if not text or self.proposal is None:
            return
        if missing(text):
            self.notify(
                f"Replace each ? with the number ({what_is_missing(missing(text))}) before Enter.",
                title="Not accepted",
                severity="warning",
            )
            return
        self.dismiss(self._accepted(text, edited=True))

    def action_reject(self) -> None:
        if self._editing():  # Escape in the edit box leaves the edit, not the screen
            self.query_one("#rewrite-edit").display = False
            self.query_one("#rewrite-edit-hint").display = False
            self.query_one("#rewrite-result").focus()
            self.refresh_bindings()
            return
        if isinstance(self.focused, Input):  # Escape in a number field leaves the field, not the screen
            self.query_one("#rewrite-result").focus()
            return
        self.dismiss(None)
