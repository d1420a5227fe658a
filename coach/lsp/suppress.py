"""A draft with an inline suppression added for one finding, in the draft's own format's syntax (README
"Inline suppression"), its reason left for the user to write:

    YAML / JSON   ignore: ["KR001: reason: ..."] on the element (or the document), or one more entry
                  in the element's existing `ignore` list
    Markdown      <!-- okrcoach: ignore KR001 -- reason: ... --> on the line above the element
    CSV           "KR001: reason: ..." in the row's `ignore` cell (the column added when there is none)

`with_suppression(text, fmt, finding, doc)` returns the new text, or None where it cannot be added safely:
every candidate text is re-read and reviewed, and only one where the finding is gone and nothing else
changed (the same objectives and key results with the same texts) is returned.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import yaml

from coach.config import Config
from coach.engine import review_document
from coach.model import Document, Finding, InputError, KeyResult, Objective
from coach.parse import parse_text
from coach.parse.columns import map_header
from coach.parse.csv import sniff_delimiter

PLACEHOLDER = "reason: ..."


def entry(code: str) -> str:
    """The suppression as YAML, JSON and CSV hold it: code, then the reason to fill in."""
    return f"{code}: {PLACEHOLDER}"


def with_suppression(text: str, fmt: str, finding: Finding, doc: Document, config: Config) -> str | None:
    """`text` with a suppression of `finding` on its element (or the whole draft), or None."""
    element = _element(doc, finding.target)  # none: the finding is about the whole draft
    line, col = (element.span.line, element.span.col) if element is not None else (0, 0)
    makers = {"yaml": _yaml, "json": _yaml, "markdown": _markdown, "csv": _csv}
    maker = makers.get(fmt)
    if maker is None:
        return None
    for candidate in maker(text, fmt, finding.code, line, col):
        if _silences(candidate, fmt, finding, doc, config):
            return candidate
    return None


def _element(doc: Document, target: str | None) -> Objective | KeyResult | None:
    for objective in doc.objectives:
        if objective.id == target:
            return objective
        for kr in objective.key_results:
            if kr.id == target:
                return kr
    return None


def _silences(candidate: str, fmt: str, finding: Finding, before: Document, config: Config) -> bool:
    try:
        after = parse_text(candidate, before.path, fmt)
    except InputError:
        return False
    shape = [(o.text, [k.text for k in o.key_results]) for o in before.objectives]
    if [(o.text, [k.text for k in o.key_results]) for o in after.objectives] != shape:
        return False
    return not any(
        f.code == finding.code and f.target == finding.target for f in review_document(after, config)
    )


# -- Markdown: a comment line above the element (or at the top), or at the end of its line ----------------


def _markdown(text: str, fmt: str, code: str, line: int, col: int) -> Iterator[str]:
    comment = f"<!-- okrcoach: ignore {code} -- {PLACEHOLDER} -->"
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in text else "\n"
    if line < 1:
        yield comment + newline + text
        return
    if line > len(lines):
        return
    own = lines[line - 1]
    indent = own[: len(own) - len(own.lstrip(" \t"))]
    if own.lstrip().startswith("|"):  # a table row: a line above would end the table
        body = own.rstrip("\r\n")
        yield "".join([*lines[: line - 1], f"{body} {comment}{own[len(body) :]}", *lines[line:]])
        return
    yield "".join([*lines[: line - 1], indent + comment + newline, *lines[line - 1 :]])
    body = own.rstrip("\r\n")
    yield "".join([*lines[: line - 1], f"{body} {comment}{own[len(body) :]}", *lines[line:]])


# -- YAML and JSON: a key on the element's mapping, or the element's text made into one ---------------


def _yaml(text: str, fmt: str, code: str, line: int, col: int) -> Iterator[str]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # the pure loader: marks count characters
    except yaml.YAMLError:
        return
    if root is None:
        return
    value = json.dumps(entry(code), ensure_ascii=False)
    if line < 1:
        if isinstance(root, yaml.MappingNode):
            yield from _into_mapping(text, root, None, value)
        return
    found = _holder(root, line, col)
    if found is None:
        return
    holder, scalar = found
    if isinstance(holder, yaml.MappingNode):
        yield from _into_mapping(text, holder, scalar, value)
    else:  # a bare text in a list: it becomes a mapping with its text and the suppression
        start, end = scalar.start_mark.index, scalar.end_mark.index
        source = text[start:end]
        if getattr(holder, "flow_style", False) or fmt == "json":
            yield f'{text[:start]}{{"text": {source}, "ignore": [{value}]}}{text[end:]}'
        else:
            pad = " " * scalar.start_mark.column
            yield f"{text[:start]}text: {source}\n{pad}ignore: [{value}]{text[end:]}"


def _holder(node: yaml.Node, line: int, col: int) -> tuple[yaml.Node, yaml.ScalarNode] | None:
    """The mapping (or list) whose scalar is the element's text: the one starting at the span, or else the
    innermost that covers its line (a folded or quoted text starts before its words)."""
    best: tuple[yaml.Node, yaml.ScalarNode] | None = None
    for parent, child in _scalars(node):
        start, end = child.start_mark, child.end_mark
        if start.line + 1 == line and start.column + 1 in (col, col - 1):
            return parent, child
        if start.line + 1 <= line <= end.line + 1 and (
            best is None or start.index > best[1].start_mark.index
        ):
            best = parent, child
    return best


def _scalars(node: yaml.Node) -> Iterator[tuple[yaml.Node, yaml.ScalarNode]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(value, yaml.ScalarNode) and isinstance(key, yaml.ScalarNode):
                yield node, value
            else:
                yield from _scalars(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                yield node, item
            else:
                yield from _scalars(item)


def _into_mapping(
    text: str, mapping: yaml.MappingNode, after: yaml.ScalarNode | None, value: str
) -> Iterator[str]:
    existing = next(
        (v for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == "ignore"), None
    )
    if isinstance(existing, yaml.SequenceNode):
        if existing.flow_style:
            at = existing.start_mark.index + 1
            yield text[:at] + value + (", " if existing.value else "") + text[at:]
        elif existing.value:
            first = existing.value[0].start_mark
            dash = text.rfind("-", 0, first.index)
            column = dash - (text.rfind("\n", 0, dash) + 1)
            at = dash - column
            yield f"{text[:at]}{' ' * column}- {value}\n{text[at:]}"
        return
    if existing is not None or not mapping.value:
        return
    if mapping.flow_style:
        first_key = mapping.value[0][0].start_mark
        at = mapping.start_mark.index + 1
        if first_key.line != mapping.start_mark.line:  # one key a line: a line of its own
            yield f'{text[:at]}\n{" " * first_key.column}"ignore": [{value}],{text[at:]}'
        else:
            yield f'{text[:at]}"ignore": [{value}], {text[at:]}'
        return
    column = mapping.value[0][0].start_mark.column
    if after is None:  # the document: a first line of its own
        first = mapping.value[0][0].start_mark
        at = first.index - first.column
    else:
        end = after.end_mark
        at = end.index if end.column == 0 else _line_end(text, end.index)
    newline = "\r\n" if "\r\n" in text else "\n"
    line = f"{' ' * column}ignore: [{value}]{newline}"
    if at == len(text) and not text.endswith("\n"):
        line = newline + line.rstrip("\r\n")
    yield text[:at] + line + text[at:]


def _line_end(text: str, index: int) -> int:
    """The index just past the end of the line holding `index` (past its line break)."""
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


# -- CSV: the row's ignore cell, written back only where the csv module reproduces the file --------------


def _csv(text: str, fmt: str, code: str, line: int, col: int) -> Iterator[str]:
    if line < 1:
        return
    delimiter = sniff_delimiter(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    starts: list[int] = []
    previous = 0
    for row in reader:
        rows.append(row)
        starts.append(previous + 1)
        previous = reader.line_num
    if _written(rows, delimiter, newline) not in (text, text + newline):
        return  # quoting or spacing the writer would change: not ours to rewrite
    header = next((i for i, row in enumerate(rows) if any(cell.strip() for cell in row)), None)
    if header is None or line not in starts:
        return
    target = starts.index(line)
    column = map_header(rows[header]).index.get("ignore")
    if column is None:
        column = len(rows[header])
        rows[header] = [*rows[header], "ignore"]
    row = rows[target] + [""] * (column + 1 - len(rows[target]))
    row[column] = f"{row[column]}\n{entry(code)}" if row[column].strip() else entry(code)
    rows[target] = row
    written = _written(rows, delimiter, newline)
    yield written if text.endswith(("\n", "\r")) else written.removesuffix(newline)


def _written(rows: list[list[str]], delimiter: str, newline: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()
