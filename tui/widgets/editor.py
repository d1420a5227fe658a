"""The editor for the selected objective or key result: its text (wrapped) and its fields.

Edits are posted as messages (`TextEdited`, `FieldEdited`); the screen applies them to the draft. Loading
an element sets the widgets' values, which also fires their Changed events: those are told apart by
comparing the widget's current value with what was loaded, so they never count as edits.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static, TextArea

from coach.model import Document, KeyResult, Objective
from tui.state import confidence_text, field_text

KR_FIELDS = ("owner", "confidence", "baseline", "target", "unit", "current")
OBJECTIVE_FIELDS = ("owner", "why")
_LABELS = {
    "owner": "Owner",
    "confidence": "Confidence",
    "baseline": "Baseline",
    "target": "Target",
    "unit": "Unit",
    "current": "Current",
    "why": "Why",
}
_PLACEHOLDERS = {
    "owner": "—",
    "confidence": "—",
    "baseline": "— (ctrl+b)",
    "target": "—",
    "unit": "—",
    "current": "—",
    "why": "— why it matters, for whom",
}


class TextInput(Input):
    """A one-line input where ctrl+a selects all, as in the draft's text (Textual's Input moves home)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+a", "select_all", "Select all (type to replace)", show=False),
    ]


class DraftText(TextArea):
    """One paragraph of text, wrapped; Enter moves on instead of breaking the line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+a", "select_all", "Select all (type to replace)", show=False),
    ]

    async def _on_key(self, event: events.Key) -> None:
        # Runs before TextArea's own handler, which prevent_default() skips.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.screen.focus_next()

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # instead of TextArea's, which would keep the line breaks
        text = re.sub(r"\s+", " ", event.text)
        if not self.read_only and text:
            result = self.replace(text, *self.selection)
            self.move_cursor(result.end_location)


class ElementEditor(Vertical):
    """Text and fields of one element; the root shows a summary of the draft instead."""

    class TextEdited(Message):
        def __init__(self, element_id: str, text: str) -> None:
            super().__init__()
            self.element_id = element_id
            self.text = text

    class FieldEdited(Message):
        def __init__(self, element_id: str, field: str, value: str) -> None:
            super().__init__()
            self.element_id = element_id
            self.field = field
            self.value = value

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.element_id: str | None = None
        self._loaded: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Label("", id="editor-title")
        yield Static("", id="editor-summary")
        yield DraftText("", id="editor-text", soft_wrap=True, tab_behavior="focus", compact=True)
        for row in (("owner", "confidence"), ("baseline", "target"), ("unit", "current"), ("why",)):
            with Horizontal(classes="field-row", id=f"row-{row[0]}"):
                for name in row:
                    yield Label(_LABELS[name], classes="field-label", id=f"label-{name}")
                    yield TextInput(
                        placeholder=_PLACEHOLDERS[name],
                        id=f"field-{name}",
                        compact=True,
                        select_on_focus=False,
                        classes="field",
                    )

    def on_mount(self) -> None:
        if self.app.is_headless:  # steady screenshots in tests
            self.query_one(DraftText).cursor_blink = False
            for field in self.query(Input):
                field.cursor_blink = False

    def show(self, doc: Document, element: Objective | KeyResult | None, title: str) -> None:
        """Load an element (None: the whole draft) into the widgets."""
        self.element_id = element.id if element is not None else None
        self.query_one("#editor-title", Label).update(title, layout=False)
        text_area = self.query_one(DraftText)
        summary = self.query_one("#editor-summary", Static)
        is_kr = isinstance(element, KeyResult)
        shown = {
            text_area: element is not None,
            summary: element is None,
            self.query_one("#row-owner"): element is not None,
            self.query_one("#field-confidence"): is_kr,
            self.query_one("#label-confidence"): is_kr,
            self.query_one("#row-baseline"): is_kr,
            self.query_one("#row-unit"): is_kr,
            self.query_one("#row-why"): isinstance(element, Objective),
        }
        for widget, visible in shown.items():
            if widget.display != visible:  # each change costs a layout pass
                widget.display = visible
        if element is None:
            summary.update(_summary(doc))
            self._loaded = {}
            return
        values = {"text": element.text, "owner": element.owner or ""}
        self._show_owner(doc, element)
        if isinstance(element, KeyResult):
            values |= {
                "confidence": confidence_text(element.confidence),
                "baseline": field_text(element.baseline),
                "target": field_text(element.target),
                "unit": element.unit or "",
                "current": field_text(element.current),
            }
        else:
            values["why"] = element.description or ""
        self._loaded = dict(values)
        if text_area.text != values["text"]:
            text_area.load_text(values["text"])
        for name in KR_FIELDS + OBJECTIVE_FIELDS:
            if name in values:
                widget = self.query_one(f"#field-{name}", Input)
                if widget.value != values[name]:
                    widget.value = values[name]
                    widget.cursor_position = 0

    def _show_owner(self, doc: Document, element: Objective | KeyResult) -> None:
        """An owner the element inherits shows in its empty field, with where it comes from; the field gets
        twice the room then (beside the confidence both read in full from about 100 columns; the field's
        tooltip always has them)."""
        owner = self.query_one("#field-owner", Input)
        inherited = inherited_owner(doc, element)
        placeholder = inherited or _PLACEHOLDERS["owner"]
        if owner.placeholder != placeholder:
            owner.placeholder = placeholder
            owner.tooltip = f"{inherited}; type a name to set its own" if inherited else None
        width = "2fr" if inherited else None  # None: the stylesheet's width
        if (owner.styles.inline.width is None) != (width is None):
            owner.styles.width = width

    def focus_text(self) -> None:
        """Start editing the text, with the cursor at its end."""
        if self.element_id is not None:
            text_area = self.query_one(DraftText)
            text_area.focus()
            text_area.move_cursor(text_area.document.end)

    @on(TextArea.Changed, "#editor-text")
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        text = event.text_area.text
        if self.element_id is None or text == self._loaded.get("text"):
            return
        self._loaded["text"] = text
        self.post_message(self.TextEdited(self.element_id, text))

    @on(Input.Changed, ".field")
    def _field_changed(self, event: Input.Changed) -> None:
        event.stop()
        name = (event.input.id or "").removeprefix("field-")
        value = event.input.value
        if self.element_id is None or name not in self._loaded or value == self._loaded[name]:
            return
        self._loaded[name] = value
        self.post_message(self.FieldEdited(self.element_id, name, value))

    @on(Input.Submitted, ".field")
    def _field_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()


def inherited_owner(doc: Document, element: Objective | KeyResult) -> str | None:
    """Who answers for an element that names no owner, and where that comes from (as the rules resolve it:
    the key result's own, its objective's, the draft's): "Dana Reyes (from the objective)"; None if nobody."""
    if element.owner:
        return None
    if isinstance(element, KeyResult):
        objective = next((o for o in doc.objectives if any(kr is element for kr in o.key_results)), None)
        if objective is not None and objective.owner:
            return f"{objective.owner} (from the objective)"
    return f"{doc.owner} (from the draft)" if doc.owner else None


def _summary(doc: Document) -> str:
    krs = len(doc.key_results())
    lines = [
        f"Team: {doc.team or '—'}    Period: {doc.period or '—'}    Owner: {doc.owner or '—'}",
        f"{len(doc.objectives)} objectives, {krs} key results. Pick one in the tree to edit it;",
        "the findings below are about the draft as a whole.",
    ]
    return "\n".join(lines)
