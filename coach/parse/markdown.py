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

from coach.model import Document, KeyResult, Objective, Span
from coach.parse import markdown_text as mdtext
from coach.parse import structured
from coach.parse.columns import map_header
from coach.parse.common import (
    INVALID_SUPPRESSION,
    diagnostic,
    finish,
    suppressions_from_text,
)
from coach.parse.markdown_blocks import (
    Block,
    Collapsed,
    Directive,
    Heading,
    Item,
    ListRun,
    Table,
    blocks,
    exact_label,
    hide,
)
from coach.parse.markdown_build import Builder
from coach.parse.tree import Node

NO_OBJECTIVES = (
    "no objectives found (expected headings or bullets for objectives with nested bullets for key results)"
)
# "team: Payments" -- a plain key and a plain one-line value, nothing YAML would read differently
_SIMPLE_PAIR = re.compile(
    r"([A-Za-z_][\w-]*):(?:[ \t]+([^\s'\"\[\]{}&*!|>%@`#,?:-](?:[^#:]*[^\s#:])?))?[ \t]*"
)
_CONTAINER_WORDS = re.compile(
    r"\b(?:okrs?|objectives|goals|q[1-4]|h[12]|(?:19|20)\d\d|fy ?\d{2,4}|quarters?|"
    r"roadmap|plans?)\b",
    re.IGNORECASE,
)


def parse(text: str, name: str) -> Document:
    try:
        return _parse(text, name)
    finally:
        mdtext.forget()


def _parse(text: str, name: str) -> Document:
    lines = text.split("\n")
    doc = Document(path=name, format="markdown")
    _front_matter(lines, doc)
    directives: list[Directive] = []
    hide(lines, directives)
    collapsed = Collapsed()
    found = blocks(lines, collapsed)
    _decide(found)
    builder = Builder(doc, collapsed)
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
    node = _simple_front_matter(lines[1:end])
    if node is None:
        from coach.parse.yaml import compose  # only front matter beyond "key: value" lines loads PyYAML

        node = compose("\n" + "\n".join(lines[1:end]), doc.path)  # the newline keeps line numbers true
    for index in range(end + 1):
        lines[index] = ""
    if node is not None:
        structured.read_front_matter(node, doc)


def _simple_front_matter(lines: list[str]) -> Node | None:
    """Front matter made only of "key: plain value" lines, read without YAML; None for anything else."""
    node = Node("map", 2, 1)
    for number, line in enumerate(lines, start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _SIMPLE_PAIR.fullmatch(line)
        if match is None:
            return None
        key, value = match.group(1), match.group(2) or ""
        text = None if value in ("", "~", "null", "Null", "NULL") else value
        node.pairs.append(
            (
                Node.scalar(key, key, number, 1),
                Node.scalar(text, value, number, (match.start(2) if value else len(line)) + 1),
            )
        )
    return node


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
