"""Structural changes to YAML and JSON drafts as edits to their text (see coach.write.structure).

The objectives list and each key-result list are rebuilt from their items' source extents: a YAML block
item is its lines, from its `-` (with the comment lines just above it) to the next item, the blank lines
between items staying where they are; a JSON or flow item is its value, the separators between items
staying where they are. A field's value is replaced where it is written; a cleared field loses its line
(or, in JSON and flow mappings, its pair); a new field gets a line in the element's indentation after the
last one-line field. A new element copies a sibling's key names and layout.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from coach.model import Document, KeyResult, Objective
from coach.parse.common import compact
from coach.parse.structured import _KR_FIELDS, _OBJECTIVE_FIELDS
from coach.write.elements import (
    FIELDS,
    Element,
    NotSurgical,
    appended_initiatives,
    changed,
    confidence_like,
    elements,
    matches,
    number_text,
)
from coach.write.locate import yaml_double, yaml_plain_ok
from coach.write.source import json_text, reindent, yaml_block
from coach.write.tree_initiatives import initiatives_edit
from coach.write.tree_initiatives import node_end as _end

_TRAILING_BLANK = re.compile(r"(?<=\n)(?:[ \t]*\n)+\Z")
_COMMENT_LINE = re.compile(r"[ \t]*#[^\n]*\n")
_KEYS = {"description": "why"}  # the key a new field is written under, where not its canonical name


def render_tree(text: str, fmt: str, on_disk: Document, wanted: Document, name: str) -> str:
    return _Tree(text, fmt, on_disk, name).render(wanted)


@dataclass(slots=True)
class _Item:
    """An objective or key result in the text."""

    parsed: Element
    node: yaml.Node
    pairs: dict[str, tuple[yaml.Node, yaml.Node]]  # canonical field -> (key node, value node)
    start: int = 0  # its extent in the list
    end: int = 0
    indent: int = 0  # block: its dash's column; flow: its own column
    flow: bool = False  # in a flow (or JSON) list: its extent starts mid-line
    krs: _List | None = None


@dataclass(slots=True)
class _List:
    node: yaml.SequenceNode
    items: list[_Item] = field(default_factory=list)
    flow: bool = False
    start: int = 0
    end: int = 0
    indent: int = 0
    separators: list[str] = field(default_factory=list)


class _Tree:
    def __init__(self, text: str, fmt: str, on_disk: Document, name: str) -> None:
        self.text, self.fmt, self.on_disk, self.name = text, fmt, on_disk, name
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            raise NotSurgical(name, "the file cannot be located as YAML") from None
        parsed = iter(elements(on_disk))
        if root is None:
            raise NotSurgical(name, "the file holds no YAML document")
        self.objectives = self._objectives(root, parsed)
        if next(parsed, None) is not None:
            raise NotSurgical(name, "not every element was found in the file")
        self.items = {id(item.parsed): item for item in self._all()}

    def fail(self, reason: str) -> NotSurgical:
        return NotSurgical(self.name, reason)

    def _all(self) -> list[_Item]:
        out: list[_Item] = []
        for objective in self.objectives.items:
            out.append(objective)
            out.extend(objective.krs.items if objective.krs else [])
        return out

    # -- locating -------------------------------------------------------------------------------------

    def _objectives(self, root: yaml.Node, parsed: Any) -> _List:
        node = root
        if isinstance(root, yaml.MappingNode):
            lists = [v for k, v in root.value if compact(str(k.value)) in ("objectives", "okrs")]
            if not lists:
                raise self.fail("the file holds one objective, not a list of them")
            node = lists[-1]
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail("the objectives are not a list")
        items = []
        for child in node.value:
            objective = next(parsed, None)
            if not isinstance(objective, Objective) or not isinstance(
                child, yaml.MappingNode | yaml.ScalarNode
            ):
                raise self.fail("an objective was not found where the parser read it")
            item = _Item(objective, child, self._pairs(child, _OBJECTIVE_FIELDS, objective))
            krs = item.pairs.get("key_results", (None, None))[1]
            if isinstance(krs, yaml.SequenceNode) and krs.value:
                item.krs = self._list(krs, [self._kr(kr, parsed) for kr in krs.value])
            elif objective.key_results:
                raise self.fail(f"{objective.id}: its key results were not found")
            items.append(item)
        return self._list(node, items)

    def _kr(self, node: yaml.Node, parsed: Any) -> _Item:
        kr = next(parsed, None)
        if not isinstance(kr, KeyResult) or not isinstance(node, yaml.MappingNode | yaml.ScalarNode):
            raise self.fail("a key result was not found where the parser read it")
        return _Item(kr, node, self._pairs(node, _KR_FIELDS, kr))

    def _pairs(self, node: yaml.Node, table: dict[str, str], parsed: Element) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            return {"text": (None, node)}
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            canonical = table.get(compact(str(key.value)))
            if canonical == "text" and self._text_at(value) != (parsed.span.line, parsed.span.col):
                continue  # another text alias the parser kept aside
            if canonical is not None:
                out[canonical] = (key, value)
        if "text" not in out:
            raise self.fail(f"{parsed.id}: its text was not found")
        return out

    def _text_at(self, node: yaml.Node) -> tuple[int, int]:
        """Where the parser says a text starts: past a quote; a block scalar's on its first line of text."""
        style = getattr(node, "style", None)
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if style in ("'", '"'):
            return line, col + 1
        if style in ("|", ">"):
            lines = self.text.split("\n")
            number = node.start_mark.line + 1  # the line after the indicator (0-based)
            while number < len(lines) and not lines[number].strip():
                number += 1
            if number < len(lines):
                return number + 1, len(lines[number]) - len(lines[number].lstrip()) + 1
        return line, col

    def _list(self, node: yaml.SequenceNode, items: list[_Item]) -> _List:
        flow = bool(node.flow_style)
        out = _List(node, items, flow)
        text = self.text
        for index, item in enumerate(items):
            start = item.node.start_mark.index
            item.flow = flow
            if flow:
                item.start, item.end = start, _end(item.node, text)
                item.indent = item.node.start_mark.column
                continue
            dash = start - 1
            while dash >= 0 and text[dash] in " \t\n":
                dash -= 1
            line_start = text.rfind("\n", 0, dash) + 1
            if dash < 0 or text[dash] != "-" or text[line_start:dash].strip():
                raise self.fail(f"{item.parsed.id}: its list item was not found")
            while line_start and _COMMENT_LINE.fullmatch(
                text, text.rfind("\n", 0, line_start - 1) + 1, line_start
            ):
                line_start = text.rfind("\n", 0, line_start - 1) + 1  # comments just above it go with it
            item.start, item.indent = line_start, dash - text.rfind("\n", 0, dash) - 1
            if index:
                items[index - 1].end = line_start
        if not flow:
            last = items[-1]
            eol = text.find("\n", _end(last.node, text))
            last.end = len(text) if eol < 0 else eol + 1
            for item in items[:-1]:  # blank lines after an item separate it from the next
                blank = _TRAILING_BLANK.search(text, item.start, item.end)
                item.end = blank.start() if blank else item.end
        out.start, out.end, out.indent = items[0].start, items[-1].end, items[0].indent
        out.separators = [text[a.end : b.start] for a, b in itertools.pairwise(items)]
        if flow and any(separator.strip() != "," for separator in out.separators):
            raise self.fail("a comment between list items")
        if flow and not out.separators:
            before = text[node.start_mark.index + 1 : out.start]
            out.separators.append("," + (before if not before.strip() and "\n" in before else " "))
        return out

    # -- writing --------------------------------------------------------------------------------------

    def render(self, wanted: Document) -> str:
        self.found = matches(self.on_disk, wanted)
        top = self.objectives
        body = self._render_list(top, wanted.objectives, self._objective)
        return self.text[: top.start] + body + self.text[top.end :]

    def _render_list(self, listing: _List, wanted: Sequence[Element], render: Callable[..., str]) -> str:
        old = [self.items.get(id(self.found.get(id(w)))) for w in wanted]
        if not wanted:
            return ""
        blocks = [render(w, item, listing) for w, item in zip(wanted, old, strict=True)]
        if not listing.flow:
            blocks = [block if block.endswith("\n") else block + "\n" for block in blocks]
        # the separators stay where they were (blank lines between YAML items, ", " between JSON ones)
        separators = listing.separators + listing.separators[-1:] * len(blocks) or [""] * len(blocks)
        separators = [*separators[: len(blocks) - 1], ""]
        out = "".join(block + separator for block, separator in zip(blocks, separators, strict=True))
        if not listing.flow and not self.text[listing.start : listing.end].endswith("\n"):
            out = out[:-1]
        return out

    def _objective(self, wanted: Objective, item: _Item | None, listing: _List) -> str:
        if item is None:
            return self._new(wanted, listing)
        assert isinstance(item.parsed, Objective)
        edits = self._field_edits(item, wanted)
        if item.krs is not None:
            body = self._render_list(item.krs, wanted.key_results, self._key_result)
            edits.append((item.krs.start, item.krs.end, body))
        elif wanted.key_results:
            raise self.fail(f"{wanted.id}: key results added where there was no list of them")
        return self._splice(item, edits, listing.indent)

    def _key_result(self, wanted: KeyResult, item: _Item | None, listing: _List) -> str:
        if item is None:
            return self._new(wanted, listing)
        return self._splice(item, self._field_edits(item, wanted), listing.indent)

    def _splice(self, item: _Item, edits: list[tuple[int, int, str]], indent: int) -> str:
        out, at = [], item.start
        for start, end, source in sorted(edits):
            out += [self.text[at:start], source]
            at = end
        block = "".join([*out, self.text[at : item.end]])
        return reindent(block, indent - item.indent, not item.flow)

    # -- fields ---------------------------------------------------------------------------------------

    def _field_edits(self, item: _Item, wanted: Element) -> list[tuple[int, int, str]]:
        edits: list[tuple[int, int, str]] = []
        attributes = changed(item.parsed, wanted)
        if attributes and isinstance(item.node, yaml.ScalarNode) and attributes != ["text"]:
            return [self._as_mapping(item, wanted)]
        for attribute in attributes:
            canonical = FIELDS[attribute]
            value = getattr(wanted, attribute)
            pair = item.pairs.get(canonical)
            old_raw = None if pair is None else str(pair[1].value)
            if pair is not None and value is not None:
                _, node = pair
                start, end = node.start_mark.index, _end(node, self.text)
                edits.append((start, end, self._value(attribute, value, old_raw, node, self._in_flow(item))))
            elif pair is not None:
                edits.append(self._remove(item, *pair))
            elif value is not None:
                source = self._value(attribute, value, None, None, self._in_flow(item))
                edits.append(self._insert(item, canonical, source))
        added = appended_initiatives(item.parsed, wanted, self.name)
        if added:
            where, node = wanted.id, item.node
            edits.append(initiatives_edit(self.text, self.fmt, node, item.pairs, added, where, self.name))
        return edits

    def _as_mapping(self, item: _Item, wanted: Element) -> tuple[int, int, str]:
        """A key result written as a plain string that gets fields: the string becomes a mapping."""
        node, text = item.node, self.text
        data = self._data(wanted, None)
        if not isinstance(data, dict):
            raise self.fail(f"{wanted.id}: cannot be written as a mapping")
        if self._in_flow(item) or self.fmt == "json":
            return node.start_mark.index, _end(node, text), json.dumps(data, ensure_ascii=False)
        first, *rest = yaml_block(data).splitlines()
        pad = " " * node.start_mark.column
        return node.start_mark.index, _end(node, text), "\n".join([first[2:], *(pad + r[2:] for r in rest)])

    def _in_flow(self, item: _Item) -> bool:
        return item.flow or bool(getattr(item.node, "flow_style", False))

    def _value(
        self, attribute: str, value: Any, old_raw: str | None, node: yaml.Node | None, in_flow: bool
    ) -> str:
        if attribute == "confidence":
            value = confidence_like(value, old_raw)
        if self.fmt == "json":
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, float | int):
            return number_text(float(value))
        text = str(value)
        style = getattr(node, "style", None)
        if style == "'" and "'" not in text:
            return f"'{text}'"
        return text if style not in ('"', "'") and yaml_plain_ok(text, in_flow) else yaml_double(text)

    def _remove(self, item: _Item, key: yaml.Node, value: yaml.Node) -> tuple[int, int, str]:
        text = self.text
        start, end = key.start_mark.index, _end(value, text)
        if isinstance(item.node, yaml.MappingNode) and not item.node.flow_style and self.fmt != "json":
            line_start = text.rfind("\n", 0, start) + 1
            eol = text.find("\n", end)
            if not text[line_start:start].strip():  # the key starts its line: the line goes
                return line_start, len(text) if eol < 0 else eol + 1, ""
            return value.start_mark.index, end, ""  # `- owner: x` on the dash line: `- owner:` (null)
        pairs = item.node.value
        index = next(i for i, (k, _) in enumerate(pairs) if k is key)
        if index:  # from the end of the pair before it
            return _end(pairs[index - 1][1], text), end, ""
        if len(pairs) > 1:
            return start, pairs[1][0].start_mark.index, ""
        raise self.fail("cannot remove the only field")

    def _insert(self, item: _Item, canonical: str, source: str) -> tuple[int, int, str]:
        if not isinstance(item.node, yaml.MappingNode):
            raise self.fail(f"{item.parsed.id}: a field added to an element written as a plain string")
        text, key = self.text, _KEYS.get(canonical, canonical)
        after = next(  # after the text, or after the last field that sits on one line
            (k, v)
            for k, v in reversed(item.node.value)
            if (isinstance(v, yaml.ScalarNode) and (k, v) == item.pairs["text"]) or _one_line(k, v)
        )
        end = _end(after[1], text)
        if item.node.flow_style or self.fmt == "json":
            pairs = item.node.value
            label = json.dumps(key) if self.fmt == "json" else key
            gap = text[_end(pairs[0][1], text) : pairs[1][0].start_mark.index] if len(pairs) > 1 else ", "
            return end, end, f"{gap}{label}: {source}"
        eol = text.find("\n", end)
        at = len(text) if eol < 0 else eol + 1
        line = " " * item.node.start_mark.column + f"{key}: {source}\n"
        return at, at, line if eol >= 0 else "\n" + line.rstrip("\n")

    # -- new elements ---------------------------------------------------------------------------------

    def _new(self, wanted: Element, listing: _List) -> str:
        template = listing.items[0] if listing.items else None
        data = self._data(wanted, template)
        if listing.flow or self.fmt == "json":
            step = self._step(template)
            dumped = json_text(data, step, self._step(self._kr_template(template)) if step else None)
            return reindent(dumped, listing.indent, False)
        offset = template.krs.indent - template.indent if template and template.krs else 4
        lines = yaml_block(data, max(offset, 2)).splitlines()
        return "".join(" " * listing.indent + line + "\n" for line in lines)

    def _step(self, template: _Item | None) -> int | None:
        """How far a flow item's keys are indented under its brace; None: on the brace's line."""
        if template is None or not isinstance(template.node, yaml.MappingNode) or not template.node.value:
            return None
        first = template.node.value[0][0].start_mark
        if first.line == template.node.start_mark.line:
            return None
        return max(1, first.column - template.node.start_mark.column)

    def _data(self, wanted: Element, template: _Item | None) -> Any:
        """The new element as a mapping, with the template sibling's key names."""
        names = {
            c: str(k.value) for c, (k, _) in (template.pairs.items() if template else ()) if k is not None
        }
        if (
            isinstance(wanted, KeyResult)
            and template is not None
            and isinstance(template.node, yaml.ScalarNode)
        ) and not any(getattr(wanted, a, None) is not None for a in FIELDS if a != "text"):
            return wanted.text
        if template is None:
            names = {"text": "objective" if isinstance(wanted, Objective) else "text"}
        data: dict[str, Any] = {}
        for attribute, canonical in FIELDS.items():
            value = getattr(wanted, attribute, None)
            if value is None or value == "":
                continue
            if attribute == "confidence":
                value = confidence_like(value, None)
            elif isinstance(value, float):
                value = int(value) if value.is_integer() else value
            data[names.get(canonical, _KEYS.get(canonical, canonical))] = value
        if isinstance(wanted, Objective):
            kr_template = self._kr_template(template)
            key = names.get("key_results", "key_results")
            data[key] = [self._data(kr, kr_template) for kr in wanted.key_results]
            if not wanted.key_results:
                del data[key]
        return data

    def _kr_template(self, template: _Item | None) -> _Item | None:
        """The key result a new one copies: the template objective's first, else any in the file."""
        if template and template.krs:
            return template.krs.items[0]
        return next((item for item in self._all() if isinstance(item.parsed, KeyResult)), None)


def _one_line(key: yaml.Node, value: yaml.Node) -> bool:
    return (
        isinstance(value, yaml.ScalarNode) and key.start_mark.line == value.end_mark.line and not value.style
    )
