"""The objective-set review: what the coach says about the draft's whole set of objectives, and the sharper
set it proposes (coach.rewrite.objective_set.coach_set, in a thread worker: tui.screens.job).

Read-only: it changes nothing in the draft. When the app was started with a model, the model is asked with a
session of its own (its own budget and breaker; the model, cache and store shared), as the rewrite screen is;
the screen says who answered and, when the rules did, why not the model.
"""

from __future__ import annotations

import copy
import time
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Label, LoadingIndicator, Static

from coach.model import Document, InputError
from tui.actions import OBJECTIVE_SET
from tui.screens.job import JobScreen
from tui.state import elements

if TYPE_CHECKING:
    from tui.host import CoachHost

# What each action of the proposed set means, in words (coach.rewrite.set_rules.SetObjective.action).
ACTIONS = {
    "keep": "keep",
    "reword": "reword",
    "merge": "merge",
    "reframe": "reframe: say what it should change",
}
TEXT_WIDTH = 60  # an element's text is shown after its id up to this many characters
Lines = list[tuple[int, Content]]  # the report's lines, each with its indentation in cells


class ObjectiveSetScreen(JobScreen[None]):
    JOB = "objective-set"
    PROGRESS = "#set-loading"
    FAILURES = (Exception,)  # an unexpected failure must still end the wait with a reason
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, doc: Document) -> None:
        super().__init__(id=OBJECTIVE_SET)
        self.doc = copy.deepcopy(doc)  # the worker reads a copy: the draft may change meanwhile
        self.report: Any = None  # coach.rewrite.objective_set.SetReport once the job answered
        self.error: str | None = None
        self._started = 0.0

    @property
    def coach_app(self) -> CoachHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        count = len(self.doc.objectives)
        with Vertical(id="set-box", classes="panel"):
            yield Label(f"The set of {count} objective(s), reviewed together", classes="dialog-title")
            yield Static("", id="set-note")
            yield LoadingIndicator(id="set-loading")
            yield VerticalScroll(id="set-scroll")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#set-scroll").display = False
        self._started = time.monotonic()
        self._tick()
        self.set_interval(0.2, self._tick, name="set-progress")
        self.run_job()

    def _tick(self) -> None:
        if self.report is not None or self.error is not None:
            return
        engine = self.coach_app.engine
        who = "the rules" if engine.spec is None else engine.model_label
        waited = time.monotonic() - self._started
        self.query_one("#set-note", Static).update(f"Asking {who}… {waited:.1f} s   (Escape to leave)")

    def job(self) -> Any:
        return self.coach_app.engine.objective_set(self.doc)

    def failure(self, error: Exception) -> str:
        return str(error) if isinstance(error, InputError) else f"{type(error).__name__}: {error}"

    async def job_done(self, result: Any, error: str | None) -> None:
        note = self.query_one("#set-note", Static)
        if result is None:
            self.error = error or "no answer"
            note.update(Content.styled(f"The coach could not answer: {self.error}", "bold $text-error"))
            return
        self.report = result
        note.update(
            Content.assemble(
                "Who answered: ",
                (f"{result.note}. ", "bold"),
                ("Read-only: the draft does not change.", "$text-muted"),
            )
        )
        scroll = self.query_one("#set-scroll", VerticalScroll)
        await scroll.mount_all(
            Static(content, classes="set-line").set_styles(f"padding: 0 0 0 {indent};")
            for indent, content in self.lines()
        )
        scroll.display = True
        scroll.focus()

    # -- the report ---------------------------------------------------------------------------------------

    def _named(self, element_id: str) -> Content:
        """An element id and the start of its text, as the tree shows it."""
        text = next((e.text for e in elements(self.doc) if e.id == element_id), "")
        if len(text) > TEXT_WIDTH:
            text = text[: TEXT_WIDTH - 1].rstrip() + "…"
        return Content.assemble((element_id, "bold $text-accent"), (f" {text}" if text else "", ""))

    def _ids(self, label: str, ids: list[str], indent: int = 3) -> Lines:
        if not ids:
            return []
        return [(indent, Content.styled(f"{label}:", "$text-muted"))] + [
            (indent + 2, self._named(i)) for i in ids
        ]

    def lines(self) -> Lines:
        """The report, line by line, each with its indentation (a wrapped line keeps it)."""
        from coach.knowledge import passages

        report = self.report
        shipped = passages()
        out: Lines = [(0, Content.styled("Observations", "bold $text-accent"))]
        for o in report.observations:
            out.append((1, Content.assemble("· ", (f"{o.kind}: ", "bold"), o.message)))
            out += [(3, self._named(i)) for i in o.elements]
            cited = shipped.get(o.passage)
            title = f" {cited.title}" if cited else ""
            out.append((3, Content.assemble("cites ", (f"[{o.passage}]", "$text-accent"), title)))
        if not report.observations:
            out.append((1, Content("none: the set is focused")))
        if report.reason and report.model:
            out.append(
                (0, Content.styled(f"The model's set was not used: {report.reason}", "bold $text-error"))
            )
        out += [
            (0, Content("")),
            (0, Content.styled(f"Proposed set ({report.answered_by})", "bold $text-accent")),
        ]
        proposal = report.proposal
        for o in proposal.objectives:
            action = ACTIONS.get(o.action, o.action)
            out.append((1, Content.assemble((o.id, "bold $text-accent"), f" — {action}: ", (o.text, "bold"))))
            out += self._ids("merges", o.merged)
            out += self._ids("key results", o.key_results)
            out += self._ids("moved in", o.moved_in)
            out += self._ids("initiatives", o.initiatives)
            if o.why:
                out.append((3, Content.assemble("why: ", (o.why, "$text-muted"))))
            out += [(3, Content.assemble(("ask: ", "bold $text-warning"), q)) for q in o.questions]
        out += self._ids("health metrics, not objectives", proposal.health_metrics, 1)
        out += self._ids("key results not kept", proposal.dropped_krs, 1)
        out += [(1, Content.assemble(("ask: ", "bold $text-warning"), q)) for q in proposal.questions]
        if proposal.rationale:
            out.append((1, Content.assemble(("why: ", "bold"), proposal.rationale)))
        if report.after is not None:
            before, after = ", ".join(report.before) or "none", ", ".join(report.after) or "none"
            out.append((1, Content(f"findings: {before} -> {after}")))
        if report.citations:
            out += [(0, Content("")), (0, Content.styled("Cites", "bold"))]
            out += [
                (
                    1,
                    Content.assemble(
                        (f"[{c.id}] ", "$text-accent"), c.title, (f" — {c.source}", "$text-muted")
                    ),
                )
                for c in report.citations
            ]
        return out

    def action_close(self) -> None:
        self.dismiss(None)
