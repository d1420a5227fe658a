"""Building the Document from Markdown blocks once their roles are decided (see markdown.py)."""

from __future__ import annotations

import re

from coach.model import Document, InputError, KeyResult, Objective, Span
from coach.parse import markdown_text as mdtext
from coach.parse.columns import map_header
from coach.parse.common import (
    INVALID_CONFIDENCE,
    diagnostic,
    new_key_result,
    new_objective,
    number_problem,
    parse_confidence,
    parse_level,
    parse_number,
    split_references,
)
from coach.parse.markdown_blocks import Block, Collapsed, Heading, Item, ListRun, Para, Table
from coach.parse.rows import RowReader

_WHY_LABEL = re.compile(
    r"(?:why(?: this matters| it matters)?|motivation|rationale|context|description|"
    r"background)\s*[:?–—-]\s*",
    re.IGNORECASE,
)
_SEPARATOR_CELL = re.compile(r":?-+:?")
_NUMERIC_FIELDS = frozenset({"target", "baseline", "current", "confidence"})


class Builder:
    """Walks the blocks in order, keeping track of the objective that bullets, tables and labels belong to."""

    def __init__(self, doc: Document, collapsed: Collapsed | None = None) -> None:
        self.doc = doc
        self.name = doc.path
        self.collapsed = collapsed or Collapsed()  # the blocks' columns count in lines as blocks() read them
        self.objective: Objective | None = None  # the objective that key results go to
        self.level = 0  # its heading level (9 for a bullet objective: any heading ends it)
        self.in_objective = False  # the nearest heading above is that objective
        self.key_result: KeyResult | None = None  # a key result written as a heading ("### KR1: ...")
        self.label: str | None = None
        self.describing = False  # paragraphs now describe the objective
        self.pending: Heading | None = None  # "### Objective 1" with its text in the next paragraph
        self.anchors: dict[int, Objective | KeyResult] = {}

    def block(self, block: Block) -> None:
        if self.pending is not None and not isinstance(block, Para):
            self.close()
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Para):
            self.paragraph(block)
        elif isinstance(block, ListRun):
            self.list_run(block)
        else:
            self.table(block)

    def span(self, line: int, col: int) -> Span:
        """The span of what starts at `col` of line `line` as blocks() read it (see Collapsed)."""
        return Span(self.name, line, self.collapsed.col(line, col))

    def error(self, message: str, line: int, col: int) -> InputError:
        return InputError(self.name, message, line, self.collapsed.col(line, col))

    def close(self) -> None:
        if self.pending is not None:
            raise self.error("objective has no text", self.pending.line, self.pending.col)

    def heading(self, heading: Heading) -> None:
        self.describing = False
        if heading.label is not None:
            self.label = heading.label
            if heading.label != "initiative":
                self.key_result = None
            return
        self.label, self.key_result = None, None
        if heading.role == "objective":
            text = mdtext.read(heading.raw, numbering=True)
            self.objective = self.new_objective(text, heading)
            self.level = heading.level
            self.in_objective = self.describing = True
            if not text.text:
                self.pending = heading
        elif heading.role == "kr":
            if self.objective is not None:
                self.key_result = self.new_key_result(self.objective, heading)
        else:
            self.in_objective = False
            if self.objective is not None and heading.level <= self.level:
                self.objective = None

    def paragraph(self, para: Para) -> None:
        lines = para.lines
        if self.pending is not None and self.objective is not None:
            number, col, raw = lines[0]
            first = mdtext.read(raw)
            if not first.text:
                self.close()
            self.objective.text, self.objective.span = first.text, self.span(number, col + first.offset)
            self.objective.owner = first.fields.get("owner") or self.objective.owner
            self.anchors[number] = self.objective
            self.pending = None
            lines = lines[1:]
        if not self.describing or self.objective is None:
            return
        described: list[str] = []
        for _, _, raw in lines:
            line_text = mdtext.clean_inline(raw)
            found = mdtext.annotation(line_text)
            if found is not None and found[0] not in ("why", "notes"):
                self.objective_field(self.objective, found[0], found[1], [])
            else:
                described.append(line_text)
        if described:
            paragraph = (
                _WHY_LABEL.sub("", " ".join(described), count=1)
                if not self.objective.description
                else " ".join(described)
            )
            parts = [self.objective.description, paragraph] if self.objective.description else [paragraph]
            self.objective.description = "\n\n".join(parts)

    def list_run(self, run: ListRun) -> None:
        self.describing = False
        if self.label == "ignore":
            return
        if self.label == "initiative":
            owner = self.key_result or self.objective
            if owner is not None:
                owner.initiatives.extend(_texts(run.items))
            return
        if self.label == "kr":
            if self.objective is not None:
                for item in run.items:
                    self.kr_item(self.objective, item)
            return
        if run.mode != "flat":
            self.objective_items(run)
        elif self.key_result is not None:
            for item in run.items:
                self.kr_annotation(self.key_result, item)
        elif self.objective is not None and self.in_objective:
            for item in run.items:
                self.kr_item(self.objective, item)

    def objective_items(self, run: ListRun) -> None:
        current: Objective | None = None
        for item in run.items:
            text = mdtext.read(item.raw, checkbox=True)
            starts = (
                run.mode == "nested"
                or (run.mode == "split" and text.hint == "objective")
                or (run.mode == "alternate" and item.ordered)
            )
            if starts:
                current = self.new_objective(text, item)
                if not text.text:
                    raise self.error("objective has no text", item.line, item.col)
                for child in item.children:
                    self.kr_item(current, child)
                self.objective, self.level, self.in_objective = current, 9, False
            elif current is not None:
                self.kr_item(current, item)

    def kr_item(self, objective: Objective, item: Item) -> None:
        text = mdtext.read(item.raw, checkbox=True)
        found = mdtext.annotation(text.text)
        if found is not None:
            self.objective_field(objective, found[0], found[1], item.children)
            return
        if not text.text:
            if text.hint == "kr" or item.raw.strip():
                raise self.error("key result has no text", item.line, item.col)
            return  # an empty bullet
        kr = self.new_key_result(objective, item, text)
        for child in item.children:
            self.kr_annotation(kr, child)

    def kr_annotation(self, kr: KeyResult, item: Item) -> None:
        note = mdtext.read(item.raw, checkbox=True).text
        found = mdtext.annotation(note)
        if found is None:
            kr.extra.setdefault("notes", []).append(note)
            for child in item.children:
                self.kr_annotation(kr, child)
            return
        field, value = found
        if field == "initiative":
            kr.initiatives.extend(([value] if value else []) + _texts(item.children))
        elif field in ("why", "notes"):
            kr.extra.setdefault("notes", []).append(value)
        else:
            self.kr_fields(kr, {field: value}, self.span(item.line, item.col))

    def objective_field(self, objective: Objective, field: str, value: str, children: list[Item]) -> None:
        if field == "initiative":
            objective.initiatives.extend(([value] if value else []) + _texts(children))
        elif field == "why":
            objective.description = "\n\n".join(filter(None, [objective.description, value])) or None
        elif field == "owner" and value:
            objective.owner = mdtext.owner_name(value)
        elif field == "parent":
            objective.parents.extend(split_references(value))
        elif field == "level":
            span = Span(self.name, objective.span.line, objective.span.col)
            objective.level = parse_level(value, span, self.doc.diagnostics)
        elif field == "team" and value:
            objective.team = value
        elif field == "id" and value:
            objective.id = value
        elif value:
            objective.extra.setdefault(field, value)

    def new_objective(self, text: mdtext.Text, block: Heading | Item) -> Objective:
        objective = new_objective(text.text, self.span(*block.place(text.offset)))
        if "owner" in text.fields:
            objective.owner = text.fields["owner"] or None
        if "id" in text.fields:
            objective.id = text.fields["id"]
        self.doc.objectives.append(objective)
        self.anchors[block.line] = objective
        return objective

    def new_key_result(
        self, objective: Objective, block: Heading | Item, text: mdtext.Text | None = None
    ) -> KeyResult:
        text = text or mdtext.read(block.raw, checkbox=True, numbering=True)
        if not text.text:
            raise self.error("key result has no text", block.line, block.col)
        kr = new_key_result(text.text, self.span(*block.place(text.offset)))
        self.kr_fields(kr, text.fields, kr.span)
        objective.key_results.append(kr)
        self.anchors[block.line] = kr
        return kr

    def kr_fields(self, kr: KeyResult, fields: dict[str, str], span: Span) -> None:
        for field, value in fields.items():
            problem = number_problem(field, value) if field in _NUMERIC_FIELDS else None
            if problem:
                raise InputError(span.file, problem, span.line, span.col)
            if field == "owner":
                kr.owner = mdtext.owner_name(value) or None
            elif field in ("target", "baseline", "current"):
                setattr(kr, field, parse_number(value))
            elif field == "confidence":
                kr.confidence, problem = parse_confidence(value)
                if problem:
                    self.doc.diagnostics.append(diagnostic(INVALID_CONFIDENCE, problem, span, kr))
            elif field == "unit":
                kr.unit = value or None
            elif field == "parent":
                kr.parents.extend(split_references(value))
            elif field == "id":
                kr.id = value
            elif field == "level":
                kr.level = parse_level(value, span, self.doc.diagnostics)
            elif field == "team":
                kr.team = value or None

    def table(self, table: Table) -> None:
        self.describing = False
        if self.label in ("ignore", "initiative") or len(table.rows) < 2:
            return
        header = [mdtext.clean_inline(cell) for _, cell in table.rows[0][1]]
        columns = map_header(header)
        has_objectives = "objective" in columns.index or "objective_id" in columns.index
        under = self.objective if (self.in_objective or self.label == "kr") else None
        if not has_objectives and not (columns.has_key_results and under is not None):
            return
        reader = RowReader(self.name, columns, self.doc.diagnostics)
        texts = {columns.index.get("objective"), columns.index.get("key_result"), *columns.numbered_krs}
        for line, cells in table.rows[1:]:
            if all(_SEPARATOR_CELL.fullmatch(cell) for _, cell in cells):
                continue
            values, places = [], []
            for position, (col, raw) in enumerate(cells):
                text = mdtext.read(raw, with_fields=False) if position in texts else None
                values.append(text.text if text else mdtext.clean_inline(raw))
                places.append((line, self.collapsed.col(line, col + (text.offset if text else 0))))
            reader.add(values, line, places, under=under)
        for objective in reader.objectives:
            self.doc.objectives.append(objective)
            self.anchors.setdefault(objective.span.line, objective)
        for objective in reader.objectives or ([under] if under else []):
            for kr in objective.key_results:
                self.anchors.setdefault(kr.span.line, kr)


def _texts(items: list[Item]) -> list[str]:
    out: list[str] = []
    for item in items:
        text = mdtext.read(item.raw, checkbox=True).text
        found = mdtext.annotation(text)
        text = found[1] if found is not None and found[0] == "initiative" else text
        if text:
            out.append(text)
        out.extend(_texts(item.children))
    return out
