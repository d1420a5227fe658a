"""Baseline suggestions from the team's metrics exports: where each key result starts, and from which row.

Enter (or w) writes a found baseline into the draft as one undoable edit, by the rule `--write` follows
(coach.baselines.suggest.takes_field): the key result's `baseline:` field where the draft's format has one
(YAML, JSON, a CSV with a baseline column), its text as it was; elsewhere into the text ("to 65%" ->
"from 61.2% to 65%"). The suggestions are worked out in a thread worker (tui.screens.job); without a
metrics file, the screen asks for one.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Label, LoadingIndicator, Static

from coach.baselines.suggest import field_number, takes_field
from coach.model import Document, InputError, KeyResult
from tui.screens.job import JobScreen
from tui.widgets.editor import TextInput

if TYPE_CHECKING:
    from tui.host import CoachHost

STATUS = {"found": "found", "ambiguous": "ambiguous", "no-data": "no data", "already-stated": "stated"}
STATUS_COLOR = {"found": "text-success", "ambiguous": "text-warning", "no-data": "text-error"}


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class BaselinesScreen(JobScreen[None]):
    JOB = "baselines"
    PROGRESS = "#bl-loading"
    NOTE = "#bl-note"
    PATH_INPUT = "bl-metrics"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "write", "Write baseline"),
        Binding("m", "metrics", "Metrics file"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, doc: Document, metrics: list[str]) -> None:
        super().__init__(id="baselines")
        self.doc = copy.deepcopy(doc)
        self.metrics = list(metrics)
        self.report: Any = None
        self.written: set[str] = set()
        self._fields: dict[str, bool] = {}  # kr id -> field (True) or text; asked once: it reads the file

    @property
    def coach_app(self) -> CoachHost:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="baselines-box", classes="panel"):
            yield Label("Baselines from your metrics", classes="dialog-title")
            yield Static("", id="bl-note")
            yield TextInput(placeholder="path to a metrics CSV export (Enter to load)", id="bl-metrics")
            yield LoadingIndicator(id="bl-loading")
            yield DataTable(id="bl-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="bl-detail-box"):
                yield Static("", id="bl-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key result", "Status", "Baseline", "Source")
        self.query_one("#bl-loading").display = False
        if self.metrics:
            self.query_one("#bl-metrics").display = False
            self.load(self.metrics)
        else:
            self.ask_for_path("No metrics file given (okrcoach tui --metrics FILE): type one to load it.")

    def load(self, metrics: list[str]) -> None:
        self.metrics = metrics
        self.query_one("#bl-note", Static).update(f"Reading {', '.join(metrics)}…")
        self.run_job(metrics)

    def job(self, metrics: list[str]) -> Any:
        return self.coach_app.engine.baselines(self.doc, metrics)

    async def job_done(self, report: Any, error: str | None) -> None:
        if error is not None:
            self.ask_for_path(f"Cannot read the metrics: {error}")
            return
        self.report = report
        self.query_one("#bl-metrics").display = False
        self._fill()
        table = self.query_one(DataTable)
        table.focus()
        self._detail()

    def _summary(self) -> str:
        report = self.report
        counts = report.counts()
        parts = ", ".join(f"{n} {STATUS[s]}" for s, n in counts.items() if n)
        text = f"{len(report.proposals)} key results: {parts}."
        if report.skipped:
            text += f" {len(report.skipped)} task-like skipped."
        if report.metrics.problems:
            text += f" {len(report.metrics.problems)} metrics rows not used."
        return text + " Enter writes a found baseline into the key result."

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        colors = self.app.get_css_variables()
        for p in self.report.proposals:
            written = p.kr_id in self.written
            status = "written" if written else STATUS[p.status]
            name = "text-success" if written else STATUS_COLOR.get(p.status)
            color = colors.get(name) if name else None  # these theme colours are plain hex values
            text = _short(p.kr_text, 30)
            table.add_row(
                Text.assemble((p.kr_id, "bold"), " ", text),
                Text(status, style=Style(color=color, bold=True)),
                p.value_text or "—",
                _short(p.match.series, 18) if p.match else "—",
                key=p.kr_id,
            )
        self.query_one("#bl-note", Static).update(self._summary())

    def _current(self) -> Any:
        if self.report is None or not self.report.proposals:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.report.proposals[row] if 0 <= row < len(self.report.proposals) else None

    @on(DataTable.RowHighlighted)
    def _detail(self, _event: object = None) -> None:
        p = self._current()
        detail = self.query_one("#bl-detail", Static)
        if p is None:
            detail.update("")
            return
        lines: list[Content] = [Content.assemble((f"{p.kr_id} ", "bold"), p.kr_text)]
        if p.provenance:
            lines.append(Content.assemble(("From: ", "bold"), str(p.provenance)))
        if p.trend:
            change = f", {p.trend.change_pct:+.1f}%" if p.trend.change_pct is not None else ""
            trend = f"{p.trend.slope_text(p.unit)} over {p.trend.points} values{change}"
            lines.append(Content.assemble(("Trend: ", "bold"), trend))
        lines += [Content.assemble(("Check: ", "bold $text-warning"), check) for check in p.checks]
        lines += [Content.assemble(("Note: ", "bold"), note) for note in p.notes]
        if p.rewrite:
            verb = "Written: " if p.kr_id in self.written else "Enter writes: "
            lines.append(Content.assemble((verb, "bold $text-success"), self._written_form(p)))
        if p.question:
            lines.append(Content.assemble(("Ask: ", "bold $text-warning"), p.question))
            lines.append(Content.assemble(("Who: ", "bold"), p.ask or "nobody is named as owner"))
        lines.append(Content.styled(f"[{p.citation}]", "$text-accent"))
        detail.update(Content("\n").join(lines))

    @on(DataTable.RowSelected)
    def _selected(self, _event: DataTable.RowSelected) -> None:
        self.action_write()

    def path_given(self, value: str) -> None:
        paths = [p.strip() for p in value.split(",") if p.strip()]
        if paths:
            self.load(paths)

    def action_write(self) -> None:
        p = self._current()
        if p is None:
            return
        if not p.rewrite:
            reason = p.question or "the data gives no baseline that can be written into this text"
            self.notify(reason, title=f"{p.kr_id}: nothing to write", severity="warning")
            return
        if p.kr_id in self.written:
            return
        if self._in_field(p):
            done = self._set_field(p)
        else:
            done = self.coach_app.apply_text(p.kr_id, p.rewrite, expected=p.kr_text)
        if done:
            self.written.add(p.kr_id)
            row = self.query_one(DataTable).cursor_row
            self._fill()
            self.query_one(DataTable).move_cursor(row=row)
            self._detail()
            self.notify(self._written_form(p), title=f"{p.kr_id}: baseline written into the draft")

    def _in_field(self, p: Any) -> bool:
        """The `baseline:` field (True) or the text: the rule `--write` follows, for the draft's file."""
        if p.field_value is None:
            return False
        if p.kr_id not in self._fields:
            draft = self.coach_app.draft
            try:
                self._fields[p.kr_id] = takes_field(draft.doc.format, draft.path, [p])
            except InputError:  # the file cannot be read now: the text says it wherever the draft is saved
                self._fields[p.kr_id] = False
        return self._fields[p.kr_id]

    def _written_form(self, p: Any) -> str:
        return f"baseline: {p.value_text}" if self._in_field(p) else str(p.rewrite)

    def _set_field(self, p: Any) -> bool:
        """The key result's `baseline` field, its text as it was: one undo step, like apply_text."""
        app = self.coach_app
        element = app.draft.element(p.kr_id)
        if not isinstance(element, KeyResult) or element.text != p.kr_text:
            self.notify(f"{p.kr_id} changed meanwhile; nothing written", severity="warning")
            return False
        app.end_burst()
        app.draft.checkpoint(p.kr_id)  # undo comes back to this key result
        element.baseline = field_number(p.field_value)
        app.changed()
        return True

    def action_metrics(self) -> None:
        self.ask_for_path("Type a metrics file (several: separate them with commas) and press Enter.")

    def action_close(self) -> None:
        self.dismiss(None)
