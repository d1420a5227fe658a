"""The objective / key result tree on the left, each node marked with its findings counted per severity as
the status line counts the draft's ("E1 W2 S1": one error, two warnings, one suggestion; ✓ none)."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from coach.model import Document, Finding, Severity
from tui.actions import tree_bindings
from tui.widgets.status import LETTER, ORDER

ROOT = "__document__"  # the root node's data: the whole draft
_COLOR = {Severity.ERROR: "text-error", Severity.WARNING: "text-warning", Severity.SUGGESTION: "text-primary"}


Marks = dict[str, dict[Severity, int]]  # element id (ROOT for the document) -> findings per severity


def tally(findings: list[Finding]) -> Marks:
    """Element id (ROOT for the document) -> how many findings of each severity it has (only those it has)."""
    out: Marks = {}
    for finding in findings:
        counts = out.setdefault(finding.target or ROOT, {})
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return out


def document_title(doc: Document) -> str:
    name = doc.team or (doc.path.rsplit("/", 1)[-1] if doc.path else "New draft")
    return " · ".join(filter(None, [name, doc.period]))


class OutlineTree(Tree[str]):
    """Node data is the element id; the root is the document."""

    BINDINGS: ClassVar[list[BindingType]] = tree_bindings()  # a, o, delete / x, ? (tui.actions)

    def __init__(self, **kwargs: object) -> None:
        super().__init__("Draft", data=ROOT, **kwargs)  # type: ignore[arg-type]
        self.show_root = True
        self.guide_depth = 2
        self._by_id: dict[str, TreeNode[str]] = {}

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())

    def _styles(self) -> dict[Severity | None, Style]:
        variables = self.app.get_css_variables()
        out: dict[Severity | None, Style] = {
            severity: Style(color=variables.get(name), bold=True) for severity, name in _COLOR.items()
        }
        out[None] = Style(color=variables.get("text-success"), bold=True)
        return out

    def _label(
        self,
        styles: dict[Severity | None, Style],
        text: str,
        counts: dict[Severity, int] | None,
        objective: bool,
    ) -> Text:
        if not counts:
            badge = Text("✓ ", style=styles[None])
        else:
            badge = Text.assemble(*((f"{LETTER[s]}{counts[s]} ", styles[s]) for s in ORDER if counts.get(s)))
        return Text.assemble(badge, Text(text, style="bold" if objective else ""))

    def rebuild(self, doc: Document, marks: Marks, selected: str | None) -> None:
        """Redraw every node (after a structural change); the cursor goes to `selected`."""
        self.clear()
        self._by_id = {ROOT: self.root}
        styles = self._styles()
        self.root.set_label(self._label(styles, document_title(doc), marks.get(ROOT), True))
        self.root.data = ROOT
        for objective in doc.objectives:
            label = self._label(styles, objective.text, marks.get(objective.id), True)
            node = self.root.add(label, data=objective.id)
            self._by_id[objective.id] = node
            for kr in objective.key_results:
                leaf = node.add_leaf(self._label(styles, kr.text, marks.get(kr.id), False), data=kr.id)
                self._by_id[kr.id] = leaf
            node.expand()
        self.root.expand()
        self._doc, self._marks = doc, marks
        self.select_id(selected)

    def relabel(self, doc: Document, marks: Marks, only: str | None = None) -> None:
        """Update the labels whose text or findings changed (after typing); `only`: just that element's."""
        self._doc, self._marks = doc, marks
        styles = self._styles()
        texts = {ROOT: (document_title(doc), True)}
        for objective in doc.objectives:
            texts[objective.id] = (objective.text, True)
            for kr in objective.key_results:
                texts[kr.id] = (kr.text, False)
        nodes = self._all_nodes() if only is None else [n for n in [self.node_for(only)] if n is not None]
        for node in nodes:
            if node.data in texts:
                text, is_objective = texts[node.data]
                label = self._label(styles, text, marks.get(node.data), is_objective)
                if node.label != label:
                    node.set_label(label)

    def _restyle(self) -> None:
        if getattr(self, "_doc", None) is not None:
            self.relabel(self._doc, self._marks)

    def _all_nodes(self) -> list[TreeNode[str]]:
        out: list[TreeNode[str]] = []
        stack = [self.root]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(node.children)
        return out

    def node_for(self, element_id: str | None) -> TreeNode[str] | None:
        return self._by_id.get(element_id) if element_id is not None else None

    def select_id(self, element_id: str | None) -> None:
        node = self.node_for(element_id) or self.root
        _ = self._tree_lines  # lay the nodes out first, so that the node knows its line
        self.move_cursor(node)

    @property
    def selected_id(self) -> str | None:
        node = self.cursor_node
        return None if node is None or node.data == ROOT else node.data
