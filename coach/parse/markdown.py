"""Markdown OKR pages as handbooks publish them.

The structure is read from the shape of the page, with words such as "Objective" or "KR" as hints only:
- a heading (or a bold line) with bullets under it is an objective and its key results, unless bullets
  further down hold objectives themselves (then it is a title or a section);
- a bullet with nested bullets is an objective and its key results, when the list looks like that
  throughout (or the bullets say "Objective:");
- a table with objective and key result columns holds one key result per row;
- labels like "Key results:" or "#### Key results" are skipped; "Initiatives:" lists are initiatives.
"""

from __future__ import annotations

import re

from coach.model import Document, InputError, KeyResult, Objective, Span
from coach.parse import markdown_text as mdtext
from coach.parse import structured
from coach.parse.columns import map_header
from coach.parse.common import (
    INVALID_CONFIDENCE,
    INVALID_SUPPRESSION,
    diagnostic,
    finish,
    new_key_result,
    new_objective,
    parse_confidence,
    parse_level,
    parse_number,
    split_references,
    suppressions_from_text,
)
from coach.parse.markdown_blocks import (
    Block,
    Directive,
    Heading,
    Item,
    ListRun,
    Para,
    Table,
    blocks,
    exact_label,
    hide,
)
from coach.parse.rows import RowReader

NO_OBJECTIVES = (
    "no objectives found (expected headings or bullets for objectives with nested bullets for key results)"
)
_CONTAINER_WORDS = re.compile(
    r"\b(?:okrs?|objectives|goals|q[1-4]|h[12]|(?:19|20)\d\d|fy ?\d{2,4}|quarters?|"
    r"roadmap|plans?)\b",
    re.IGNORECASE,
)
_WHY_LABEL = re.compile(
    r"(?:why(?: this matters| it matters)?|motivation|rationale|context|description|"
    r"background)\s*[:?–—-]\s*",
    re.IGNORECASE,
)
_SEPARATOR_CELL = re.compile(r":?-+:?")


def parse(text: str, name: str) -> Document:
    lines = text.split("\n")
    doc = Document(path=name, format="markdown")
    _front_matter(lines, doc)
    directives: list[Directive] = []
    hide(lines, directives)
    found = blocks(lines)
    _decide(found)
    builder = _Builder(doc)
    for block in found:
        builder.block(block)
    builder.close()
    _attach(directives, builder.anchors, doc)
    return finish(doc, NO_OBJECTIVES)


def _front_matter(lines: list[str], doc: Document) -> None:
    if not lines or lines[0].strip() != "---":
        return
    end = next((index for index in range(1, len(lines)) if lines[index].strip() in ("---", "...")), None)
    if end is None:
        return
    from coach.parse.yaml import compose  # only pages with front matter pay for loading PyYAML

    node = compose("\n" + "\n".join(lines[1:end]), doc.path)  # the leading newline keeps line numbers true
    for index in range(end + 1):
        lines[index] = ""
    if node is not None:
        structured.read_front_matter(node, doc)


# -- deciding what each heading and list is ---------------------------------------------------------------


def _decide(found: list[Block]) -> None:
    """Give each heading its role and each list its mode (see the module docstring)."""
    stack: list[Heading] = []
    headings: list[Heading] = []
    governing: Heading | None = None
    label: Heading | None = None
    for block in found:
        if isinstance(block, Heading):
            if block.label is None and block.level <= 6:
                block.label = exact_label(block.raw)
            if block.label is not None:
                label = block
                continue
            while stack and stack[-1].level >= block.level:
                stack.pop()
            block.parent = stack[-1] if stack else None
            stack.append(block)
            headings.append(block)
            governing, label = block, None
            if mdtext.hint_of(block.raw) == "kr":
                block.role = "kr"
                if block.parent is not None:
                    block.parent.kr_material = True
        elif isinstance(block, ListRun):
            if label is not None:
                if label.label == "kr" and governing is not None:
                    governing.kr_material = True
                continue
            block.mode = _mode(block, governing)
            if governing is not None:
                if block.mode == "flat":
                    governing.kr_material = True
                else:
                    governing.objective_material = True
        elif isinstance(block, Table) and governing is not None and (label is None or label.label == "kr"):
            columns = map_header([cell for _, cell in block.rows[0][1]])
            if "objective" in columns.index:
                governing.objective_material = True
            elif columns.has_key_results:
                governing.kr_material = True
    for heading in reversed(headings):
        if heading.role == "kr":
            continue
        contains = heading.objective_material or heading.contains_objectives
        hinted = heading.hinted or mdtext.hint_of(heading.raw) == "objective"
        heading.role = "objective" if hinted or (heading.kr_material and not contains) else "container"
        if heading.parent is not None and (heading.role == "objective" or contains):
            heading.parent.contains_objectives = True


def _mode(run: ListRun, governing: Heading | None) -> str:
    tops = run.items
    hints = [mdtext.hint_of(item.raw) for item in tops]
    if "objective" in hints:
        return "split"
    if "kr" in hints or (governing is not None and governing.role == "kr"):
        return "flat"
    if governing is not None and (governing.hinted or mdtext.hint_of(governing.raw) == "objective"):
        return "flat"
    if len(tops) >= 2 and tops[0].ordered and any(not item.ordered for item in tops):
        return "alternate"
    parents = sum(1 for item in tops if _kr_children(item))
    if parents == 0:
        return "flat"
    if parents == len(tops) or (len(tops) >= 3 and parents >= 0.75 * len(tops)):
        return "nested"
    if governing is None or _CONTAINER_WORDS.search(mdtext.clean_inline(governing.raw)):
        return "nested"
    return "flat"


def _kr_children(item: Item) -> list[Item]:
    return [child for child in item.children if mdtext.annotation(mdtext.read(child.raw, True).text) is None]


# -- building the document --------------------------------------------------------------------------------


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.name = doc.path
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

    def close(self) -> None:
        if self.pending is not None:
            raise InputError(self.name, "objective has no text", self.pending.line, self.pending.col)

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
            objective = self.new_objective(text, heading.line, heading.col)
            self.objective, self.level, self.in_objective, self.describing = (
                objective,
                heading.level,
                True,
                True,
            )
            if not text.text:
                self.pending = heading
        elif heading.role == "kr":
            if self.objective is not None:
                self.key_result = self.new_key_result(self.objective, heading.raw, heading.line, heading.col)
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
            self.objective.text, self.objective.span = first.text, Span(self.name, number, col + first.offset)
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
                current = self.new_objective(text, item.line, item.col)
                if not text.text:
                    raise InputError(self.name, "objective has no text", item.line, item.col)
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
                raise InputError(self.name, "key result has no text", item.line, item.col)
            return  # an empty bullet
        kr = self.new_key_result(objective, item.raw, item.line, item.col, text)
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
            self.kr_fields(kr, {field: value}, Span(self.name, item.line, item.col))

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

    def new_objective(self, text: mdtext.Text, line: int, col: int) -> Objective:
        objective = new_objective(text.text, Span(self.name, line, col + text.offset))
        if "owner" in text.fields:
            objective.owner = text.fields["owner"] or None
        if "id" in text.fields:
            objective.id = text.fields["id"]
        self.doc.objectives.append(objective)
        self.anchors[line] = objective
        return objective

    def new_key_result(
        self, objective: Objective, raw: str, line: int, col: int, text: mdtext.Text | None = None
    ) -> KeyResult:
        text = text or mdtext.read(raw, checkbox=True, numbering=True)
        if not text.text:
            raise InputError(self.name, "key result has no text", line, col)
        kr = new_key_result(text.text, Span(self.name, line, col + text.offset))
        self.kr_fields(kr, text.fields, kr.span)
        objective.key_results.append(kr)
        self.anchors[line] = kr
        return kr

    def kr_fields(self, kr: KeyResult, fields: dict[str, str], span: Span) -> None:
        for field, value in fields.items():
            if field == "owner":
                kr.owner = mdtext.owner_name(value) or None
            elif field in ("target", "baseline", "current"):
                setattr(kr, field, parse_number(value))
            elif field == "confidence":
                kr.confidence, problem = parse_confidence(value)
                if problem:
                    self.doc.diagnostics.append(diagnostic(INVALID_CONFIDENCE, problem, span))
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
            values, cols = [], []
            for position, (col, raw) in enumerate(cells):
                text = mdtext.read(raw, with_fields=False) if position in texts else None
                values.append(text.text if text else mdtext.clean_inline(raw))
                cols.append(col + (text.offset if text else 0))
            reader.add(values, line, cols, under=under)
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


def _attach(directives: list[Directive], anchors: dict[int, Objective | KeyResult], doc: Document) -> None:
    """Put each "okrcoach: ignore" comment on its element: same line, the line right below, or the whole
    document when it comes before the first objective."""
    own_lines = {line for d in directives if d.own_line for line in range(d.line, d.end_line + 1)}
    first = min(anchors) if anchors else None
    for directive in directives:
        span = Span(doc.path, directive.line, directive.col)
        suppressions = suppressions_from_text(directive.payload, span, doc.diagnostics)
        if not suppressions:
            continue
        target: Objective | KeyResult | None = None
        if directive.own_line:
            line = directive.end_line + 1
            while line in own_lines:
                line += 1
            target = anchors.get(line)
        else:
            target = anchors.get(directive.line)
        if target is not None:
            target.suppressions.extend(suppressions)
        elif first is None or directive.line < first:
            doc.suppressions.extend(suppressions)
        else:
            message = "this okrcoach comment is not on or right above an objective or key result"
            message += "; it applies to nothing"
            doc.diagnostics.append(diagnostic(INVALID_SUPPRESSION, message, span))
