"""The draft being edited: the working Document, its undo/redo history, and the edits the app makes to it.

Plain Python, no Textual: the app calls these methods and then redraws. Elements are addressed by id (the
tree's node data); a new element gets the id the parser would give it at that place, or `new-N` when that
id is taken.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from coach.model import Document, KeyResult, Objective, Span
from coach.parse.common import parse_confidence, parse_number
from coach.write.dump import default_kr_id, default_objective_id, document_data
from coach.write.elements import elements

MAX_UNDO = 200
NEW_OBJECTIVE = "Write the objective: what will be different, and for whom"
NEW_KEY_RESULT = "Write a key result: a measure, from where it is to where it should be"

Ref = tuple[int, int | None]  # (objective index, key result index or None for the objective itself)


@dataclass(slots=True)
class _Snapshot:
    objectives: list[Objective]
    selected: str | None


@dataclass(slots=True)
class FieldProblem:
    field: str
    message: str


@dataclass
class Draft:
    """The document being edited and what happened to it."""

    doc: Document
    path: str | None  # None: a new draft, not saved yet
    stated_ids: set[str] = field(default_factory=set)  # ids the file states (written back on a full save)
    _undo: list[_Snapshot] = field(default_factory=list)
    _redo: list[_Snapshot] = field(default_factory=list)
    _saved: str = ""
    _counter: int = 0

    def __post_init__(self) -> None:
        self._saved = self.signature()

    # -- addressing -------------------------------------------------------------------------------------

    def find(self, element_id: str | None) -> Ref | None:
        if element_id is None:
            return None
        for oi, objective in enumerate(self.doc.objectives):
            if objective.id == element_id:
                return (oi, None)
            for ki, kr in enumerate(objective.key_results):
                if kr.id == element_id:
                    return (oi, ki)
        return None

    def element(self, element_id: str | None) -> Objective | KeyResult | None:
        ref = self.find(element_id)
        if ref is None:
            return None
        objective = self.doc.objectives[ref[0]]
        return objective if ref[1] is None else objective.key_results[ref[1]]

    def objective_of(self, element_id: str | None) -> Objective | None:
        ref = self.find(element_id)
        return None if ref is None else self.doc.objectives[ref[0]]

    def ids(self) -> list[str]:
        return [element.id for element in elements(self.doc)]

    # -- dirty state ------------------------------------------------------------------------------------

    def signature(self) -> str:
        """What the draft says (not where it came from): equal signatures need no save."""
        return json.dumps(document_data(self.doc), sort_keys=True, default=str)

    @property
    def dirty(self) -> bool:
        return self.signature() != self._saved

    def mark_saved(self) -> None:
        self._saved = self.signature()

    # -- undo / redo ------------------------------------------------------------------------------------

    def checkpoint(self, selected: str | None) -> None:
        """Remember the draft as it is now, before a change."""
        self._undo.append(_Snapshot(copy.deepcopy(self.doc.objectives), selected))
        del self._undo[:-MAX_UNDO]
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self, selected: str | None) -> str | None:
        """Go back one change; returns the id to select (None when there is nothing to undo)."""
        if not self._undo:
            return None
        snapshot = self._undo.pop()
        self._redo.append(_Snapshot(self.doc.objectives, selected))
        self.doc.objectives = snapshot.objectives
        return snapshot.selected or (self.doc.objectives[0].id if self.doc.objectives else None)

    def redo(self, selected: str | None) -> str | None:
        if not self._redo:
            return None
        snapshot = self._redo.pop()
        self._undo.append(_Snapshot(self.doc.objectives, selected))
        self.doc.objectives = snapshot.objectives
        return snapshot.selected or (self.doc.objectives[0].id if self.doc.objectives else None)

    def move_spans(self, moved: dict[tuple[type, int, int], Span]) -> None:
        """After a save: the undo and redo snapshots' elements take the spans the file now gives them; one
        the file no longer holds becomes new (line 0), so that a later save writes it, not another."""
        for snapshot in (*self._undo, *self._redo):
            for element in elements(Document(self.doc.path, self.doc.format, snapshot.objectives)):
                key = (type(element), element.span.line, element.span.col)
                element.span = moved.get(key) or Span(element.span.file, 0, 0)

    # -- edits --------------------------------------------------------------------------------------------

    def set_text(self, element_id: str, text: str) -> bool:
        """Set an element's text (the caller checkpoints once per burst of typing). True if it changed."""
        element = self.element(element_id)
        text = " ".join(text.split())
        if element is None or element.text == text:
            return False
        element.text = text
        return True

    def set_field(self, element_id: str, name: str, raw: str) -> FieldProblem | None:
        """Set a field from what was typed: owner, why, baseline, target, current, unit, confidence."""
        element = self.element(element_id)
        if element is None:
            return None
        value = " ".join(raw.split())
        if name == "owner":
            element.owner = value or None
        elif name == "why" and isinstance(element, Objective):
            element.description = value or None
        elif isinstance(element, KeyResult) and name in ("baseline", "target", "current"):
            setattr(element, name, parse_number(value) if value else None)
        elif isinstance(element, KeyResult) and name == "unit":
            element.unit = value or None
        elif isinstance(element, KeyResult) and name == "confidence":
            confidence, problem = parse_confidence(value or None)
            element.confidence = confidence  # None while what is typed is not a confidence
            if problem:
                return FieldProblem(name, problem)
        return None

    def _fresh_id(self, wanted: str) -> str:
        taken = set(self.ids())
        if wanted not in taken:
            return wanted
        while True:
            self._counter += 1
            candidate = f"new-{self._counter}"
            if candidate not in taken:
                return candidate

    def _span(self) -> Span:
        return Span(self.path or "<new draft>", 0, 0)

    def add_objective(self, after: str | None, text: str = NEW_OBJECTIVE) -> str:
        ref = self.find(after)
        index = len(self.doc.objectives) if ref is None else ref[0] + 1
        objective = Objective(self._fresh_id(default_objective_id(index)), text, self._span())
        objective.key_results.append(KeyResult("", NEW_KEY_RESULT, self._span()))
        self.doc.objectives.insert(index, objective)
        objective.key_results[0].id = self._fresh_id(default_kr_id(objective.id, 0))
        return objective.id

    def add_key_result(self, near: str | None, text: str = NEW_KEY_RESULT) -> str | None:
        """A new key result after the selected one, or at the end of the selected objective."""
        ref = self.find(near)
        if ref is None:
            if not self.doc.objectives:
                return None
            ref = (len(self.doc.objectives) - 1, None)
        objective = self.doc.objectives[ref[0]]
        index = len(objective.key_results) if ref[1] is None else ref[1] + 1
        kr = KeyResult(self._fresh_id(default_kr_id(objective.id, index)), text, self._span())
        kr.team = objective.team
        objective.key_results.insert(index, kr)
        return kr.id

    def delete(self, element_id: str) -> str | None:
        """Delete an element; returns the id to select next. The last objective cannot go."""
        ref = self.find(element_id)
        if ref is None:
            return None
        oi, ki = ref
        objectives = self.doc.objectives
        if ki is None:
            if len(objectives) == 1:
                return None
            del objectives[oi]
            return objectives[min(oi, len(objectives) - 1)].id
        krs = objectives[oi].key_results
        del krs[ki]
        return krs[min(ki, len(krs) - 1)].id if krs else objectives[oi].id

    def can_move(self, element_id: str, delta: int) -> bool:
        ref = self.find(element_id)
        if ref is None:
            return False
        oi, ki = ref
        if ki is None:
            return 0 <= oi + delta < len(self.doc.objectives)
        krs = self.doc.objectives[oi].key_results
        if 0 <= ki + delta < len(krs):
            return True
        return 0 <= oi + delta < len(self.doc.objectives)  # across to the next objective

    def move(self, element_id: str, delta: int) -> bool:
        """Move an element up (-1) or down (+1); a key result at the edge moves to the next objective."""
        if not self.can_move(element_id, delta):
            return False
        oi, ki = self.find(element_id)  # type: ignore[misc]
        objectives = self.doc.objectives
        if ki is None:
            objectives.insert(oi + delta, objectives.pop(oi))
            return True
        krs = objectives[oi].key_results
        if 0 <= ki + delta < len(krs):
            krs.insert(ki + delta, krs.pop(ki))
            return True
        kr = krs.pop(ki)
        target = objectives[oi + delta].key_results
        target.insert(len(target) if delta < 0 else 0, kr)
        return True


def field_text(value: float | str | None) -> str:
    """A baseline/target/current as the editor shows it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def confidence_text(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100, 4):g}%"
