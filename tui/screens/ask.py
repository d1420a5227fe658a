"""Ask the coach: a question answered from the practice passages and the outcome-metric catalogue, as
`okrcoach ask` answers it (coach.ask, in a thread worker: tui.screens.job).

With a model, its answer once the guard passed it, and the passages and metrics it cites; without one, or
when the model failed or its answer was refused, the retrieved sources, labelled "retrieved, not a written
answer", with the reason. The model is asked with a session of its own (its own budget and breaker; the
model and the answer cache shared), as the rewrite screen's is. Read-only: the draft does not change.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Input, Label, LoadingIndicator, Static

from coach.ask import MAX_QUESTION
from coach.model import InputError
from coach.report.ask import NOT_AN_ANSWER
from tui.actions import ASK
from tui.screens.job import JobScreen
from tui.widgets.editor import TextInput

if TYPE_CHECKING:
    from tui.host import CoachHost

HINT = "Type a question and press Enter; Escape closes. The draft does not change."
# Passages, metrics and answers come from a team's files or a model: no control or bidi characters on
# screen (as coach.report.ask's text renderer).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
Lines = list[tuple[int, Content]]  # the result's lines, each with its indentation in cells


def plain(text: object) -> str:
    """One line of shown text: no control characters, spaces collapsed."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def _source(item: Any) -> str:
    origin = f" (team: {item.path})" if getattr(item, "origin", "shipped") != "shipped" else ""
    return plain(f"{item.source}{origin}")


def _heading(text: str) -> Lines:
    return [(0, Content("")), (0, Content.styled(text, "bold $text-accent"))]


class AskScreen(JobScreen[None]):
    JOB = "ask"
    PROGRESS = "#ask-loading"
    FAILURES = (Exception,)  # an unexpected failure must still end the wait with a reason
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self) -> None:
        super().__init__(id=ASK)
        self.result: Any = None  # coach.ask.AskResult once the job answered
        self.error: str | None = None
        self.asking: str | None = None  # the question being asked, while the job runs

    @property
    def coach_app(self) -> CoachHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box", classes="panel"):
            yield Label(
                "Ask the coach — answered from the practice passages and metrics", classes="dialog-title"
            )
            yield TextInput(
                placeholder="a question, e.g. how do we measure developer experience?",
                id="ask-question",
                max_length=MAX_QUESTION,
            )
            yield Static(HINT, id="ask-note")
            yield LoadingIndicator(id="ask-loading")
            yield VerticalScroll(id="ask-scroll")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(self.PROGRESS).display = False
        self.query_one("#ask-scroll").display = False
        field = self.query_one("#ask-question", Input)
        if self.app.is_headless:
            field.cursor_blink = False
        field.focus()

    @on(Input.Submitted, "#ask-question")
    async def _asked(self, event: Input.Submitted) -> None:
        event.stop()
        question = " ".join(event.value.split())
        if not question or self.asking is not None:
            return  # nothing to ask, or the last question is still being answered
        self.asking, self.result, self.error = question, None, None
        scroll = self.query_one("#ask-scroll", VerticalScroll)
        scroll.display = False
        await scroll.remove_children()
        engine = self.coach_app.engine
        who = "the passages and metrics" if engine.spec is None else engine.model_label
        self.query_one("#ask-note", Static).update(f"Asking {who}…   (Escape to leave)")
        self.run_job(question)

    def job(self, question: str) -> Any:
        return self.coach_app.engine.ask(question)

    def failure(self, error: Exception) -> str:
        return str(error) if isinstance(error, InputError) else f"{type(error).__name__}: {error}"

    async def job_done(self, result: Any, error: str | None) -> None:
        self.asking = None
        note = self.query_one("#ask-note", Static)
        if result is None:
            self.error = error or "no answer"
            note.update(
                Content.styled(f"The coach could not answer: {plain(self.error)}", "bold $text-error")
            )
            return
        self.result = result
        note.update(self.who_answered())
        scroll = self.query_one("#ask-scroll", VerticalScroll)
        await scroll.mount_all(
            Static(content, classes="ask-line").set_styles(f"padding: 0 0 0 {indent};")
            for indent, content in self.lines()
        )
        scroll.display = True
        scroll.scroll_home(animate=False)

    # -- the result ---------------------------------------------------------------------------------------

    def who_answered(self) -> Content:
        result = self.result
        if result.answer is None:
            reason = plain(result.reason or "no model answered")
            return Content.assemble((f"{NOT_AN_ANSWER.capitalize()}: ", "bold $text-warning"), reason)
        return Content.assemble(
            "Answered by ", (plain(result.answered_by), "bold"), ", from the sources below."
        )

    def lines(self) -> Lines:
        """The answer (when the model wrote one), then the passages and metrics, line by line."""
        result = self.result
        written = result.answer is not None
        out: Lines = [(0, Content.assemble(("Question: ", "bold"), plain(result.question)))]
        if written:
            out += _heading(f"Answer ({plain(result.answered_by)})")
            paragraphs = [plain(p) for p in re.split(r"\n\s*\n", result.answer)]
            out += [(1, Content(p)) for p in paragraphs if p]
        passages, metrics = result.passages, result.metrics
        if written:  # the sources it cites; the others are named at the end
            cited = set(result.cited)
            passages = [p for p in passages if p.id in cited]
            metrics = [m for m in metrics if m.id in cited]
        if passages:
            out += _heading("Passages cited" if written else "Passages")
        for p in passages:
            out.append(
                (1, Content.assemble((f"[{plain(p.id)}] ", "bold $text-accent"), (plain(p.title), "bold")))
            )
            excerpt = plain(result.excerpts.get(p.id, ""))
            if excerpt:
                out.append((3, Content(excerpt)))
            out.append((3, Content.styled(f"source: {_source(p)}", "$text-muted")))
        if metrics:
            out += _heading("Metrics cited" if written else "Metrics")
        for m in metrics:
            facts = f" — {plain(m.direction)}; unit: {plain(m.unit)}"
            out.append(
                (
                    1,
                    Content.assemble(
                        (f"[{plain(m.id)}] ", "bold $text-accent"), (plain(m.name), "bold"), facts
                    ),
                )
            )
            out.append((3, Content(plain(m.definition))))
            out.append((3, Content.styled(f"source: {_source(m)}", "$text-muted")))
        if not result.passages and not result.metrics:
            out += [
                (0, Content("")),
                (0, Content("Nothing retrieved: no passage or metric matches the question.")),
            ]
        shown = {item.id for item in [*passages, *metrics]}
        others = [plain(item.id) for item in [*result.passages, *result.metrics] if item.id not in shown]
        if others:
            out += [
                (0, Content("")),
                (0, Content.styled(f"Also retrieved: {', '.join(others)}", "$text-muted")),
            ]
        found = f"Found by: {plain(result.retrieval)}"
        if result.retrieval_note:
            found += f" — {plain(result.retrieval_note)}"
        out += [(0, Content("")), (0, Content.styled(found, "$text-muted"))]
        return out

    def action_close(self) -> None:
        self.dismiss(None)
