"""Initiatives appended to a YAML or JSON objective or key result, as one edit to its text.

Only appending is written (coach.write.structure refuses removing or reordering). Where the element has
- a block list (`initiatives:` then `- ...` lines): a line is added after its last item, with that item's
  dash and indentation (an item written as a mapping, `- name: ...`, gives its text key);
- a flow list or JSON array (`[a, b]`): the value is added inside, after the last item, with the separator
  between the items (`, ` or a line break and indentation); an empty `[]` gets it alone;
- one string (`initiatives: Retry soft declines; Add Apple Pay`, which the parser splits): `; ` and the
  initiative are added to it, keeping its quotes where it has them;
- a YAML `initiatives:` key with no value: a block list under it;
- no initiatives: an `initiatives` key with a one-item list, before `key_results` when the element has
  that key (where the whole-file dumper writes it), else after its last field; a block mapping gets a block
  list indented like its key-result list, a flow mapping or JSON object gets `[...]` in its separators.
A value is quoted only where YAML needs it; JSON values are JSON strings.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from coach.parse.common import compact
from coach.write.elements import NotSurgical
from coach.write.locate import yaml_double, yaml_plain_ok

Edit = tuple[int, int, str]
_DASH = re.compile(r"[ \t]*-[ \t]+")
_COMMENT_LINE = re.compile(r"[ \t]*#[^\n]*\n")
_SEPARATORS = re.compile(r"[;\n|•]")  # what split_list splits a string of initiatives on
_TEXT_KEYS = ("name", "title", "text", "initiative", "id")  # an initiative written as a mapping


def initiatives_edit(
    text: str, fmt: str, node: yaml.Node, pairs: dict[str, Any], added: list[str], where: str, name: str
) -> Edit:
    """The edit that appends `added` to the initiatives of the element `node` (its `pairs`: canonical
    field -> (key node, value node)); `where` names the element in a refusal."""
    return _Appender(text, fmt, name, where).edit(node, pairs, added)


class _Appender:
    def __init__(self, text: str, fmt: str, name: str, where: str) -> None:
        self.text, self.fmt, self.name, self.where = text, fmt, name, where

    def fail(self, reason: str) -> NotSurgical:
        return NotSurgical(self.name, f"{self.where}: {reason}")

    def edit(self, node: yaml.Node, pairs: dict[str, Any], added: list[str]) -> Edit:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail("an initiative added to an element written as a plain string")
        in_flow = self.fmt == "json" or bool(node.flow_style)
        if "initiatives" not in pairs:
            return self._new_key(node, pairs, added, in_flow)
        value = pairs["initiatives"][1]
        if isinstance(value, yaml.SequenceNode):
            if value.flow_style or self.fmt == "json":
                return self._flow(value, added)
            return self._block(value, added)
        if isinstance(value, yaml.ScalarNode) and str(value.value).strip():
            return self._string(value, added, in_flow)
        if (
            isinstance(value, yaml.ScalarNode)
            and value.start_mark.index == value.end_mark.index
            and not in_flow
        ):
            key = pairs["initiatives"][0]  # `initiatives:` with no value: the list goes under it
            eol = self.text.find("\n", key.end_mark.index)
            at = len(self.text) if eol < 0 else eol + 1
            lines = self._items(" " * key.start_mark.column, pairs.get("key_results"), added)
            return at, at, lines if eol >= 0 else "\n" + lines.rstrip("\n")
        raise self.fail("its initiatives are neither a list nor text")

    # -- an existing list -------------------------------------------------------------------------------

    def _block(self, listing: yaml.SequenceNode, added: list[str]) -> Edit:
        text, last = self.text, listing.value[-1]
        start = last.start_mark.index
        line_start = text.rfind("\n", 0, start) + 1
        prefix = text[line_start:start]
        if not _DASH.fullmatch(prefix):
            raise self.fail("its initiatives list was not found as one item a line")
        eol = text.find("\n", node_end(last, text))
        at = len(text) if eol < 0 else eol + 1
        lines = "".join(f"{prefix}{self._item(initiative, last, False)}\n" for initiative in added)
        return at, at, lines if eol >= 0 else "\n" + lines.rstrip("\n")

    def _flow(self, listing: yaml.SequenceNode, added: list[str]) -> Edit:
        text, items = self.text, listing.value
        values = [self._item(initiative, items[-1] if items else None, True) for initiative in added]
        if not items:  # `[]`: the values alone inside the brackets
            return listing.start_mark.index + 1, listing.end_mark.index - 1, ", ".join(values)
        if len(items) > 1:
            separator = text[node_end(items[-2], text) : items[-1].start_mark.index]
        else:
            before = text[listing.start_mark.index + 1 : items[0].start_mark.index]
            separator = "," + before if "\n" in before and not before.strip() else ", "
        if separator.strip() != ",":
            raise self.fail("a comment between its initiatives")
        end = node_end(items[-1], text)
        return end, end, "".join(separator + value for value in values)

    def _string(self, value: yaml.ScalarNode, added: list[str], in_flow: bool) -> Edit:
        if value.style in ("|", ">") or value.start_mark.line != value.end_mark.line:
            raise self.fail("its initiatives are text over several lines")
        if any(_SEPARATORS.search(initiative) for initiative in added):
            raise self.fail("an initiative with ';', '|' or '•' added to initiatives written as one text")
        old = str(value.value)
        mark = next((char for char in ";|•" if char in old), ";")
        joined = (" " if mark != ";" else "").join([old, *(f"{mark} {item}" for item in added)])
        start, end = value.start_mark.index, node_end(value, self.text)
        return start, end, self._scalar(joined, value, in_flow)

    def _item(self, initiative: str, like: yaml.Node | None, in_flow: bool) -> str:
        """An initiative as a list item written like `like` (a string, or a mapping with a text key)."""
        if isinstance(like, yaml.MappingNode):
            key = next((k for k, _ in like.value if compact(str(k.value)) in _TEXT_KEYS), None)
            if key is None:
                raise self.fail("its initiatives are mappings without a name")
            label = self.text[key.start_mark.index : node_end(key, self.text)]
            value = like.value[[k for k, _ in like.value].index(key)][1]
            pair = f"{label}: {self._scalar(initiative, value, True)}"
            return "{" + pair + "}" if in_flow or like.flow_style else pair
        return self._scalar(initiative, like, in_flow)

    def _scalar(self, value: str, like: yaml.Node | None, in_flow: bool) -> str:
        if self.fmt == "json":
            return json.dumps(value, ensure_ascii=False)
        style = getattr(like, "style", None)
        if style == "'" and "'" not in value:
            return f"'{value}'"
        return value if style not in ('"', "'") and yaml_plain_ok(value, in_flow) else yaml_double(value)

    # -- a new key --------------------------------------------------------------------------------------

    def _new_key(
        self, node: yaml.MappingNode, pairs: dict[str, Any], added: list[str], in_flow: bool
    ) -> Edit:
        text = self.text
        before = pairs.get("key_results")
        if in_flow:
            key, value = node.value[0]
            colon = text[node_end(key, text) : value.start_mark.index] or ": "
            gap = ", "
            if len(node.value) > 1:
                gap = text[node_end(node.value[0][1], text) : node.value[1][0].start_mark.index]
            label = json.dumps("initiatives") if self.fmt == "json" else "initiatives"
            listing = "[" + ", ".join(self._scalar(item, None, True) for item in added) + "]"
            if before is not None:
                at = before[0].start_mark.index
                return at, at, f"{label}{colon}{listing}{gap}"
            end = node_end(node.value[-1][1], text)
            return end, end, f"{gap}{label}{colon}{listing}"
        pad = " " * node.start_mark.column
        lines = f"{pad}initiatives:\n" + self._items(pad, before, added)
        if before is not None:
            key = before[0]
            at = text.rfind("\n", 0, key.start_mark.index) + 1
            if not text[at : key.start_mark.index].strip():  # `key_results:` starts its line
                while at and _COMMENT_LINE.fullmatch(text, text.rfind("\n", 0, at - 1) + 1, at):
                    at = text.rfind("\n", 0, at - 1) + 1  # comments just above it stay with it
                return at, at, lines
        eol = text.find("\n", node_end(node, text))
        at = len(text) if eol < 0 else eol + 1
        return at, at, lines if eol >= 0 else "\n" + lines.rstrip("\n")

    def _items(self, pad: str, key_results: tuple[yaml.Node, yaml.Node] | None, added: list[str]) -> str:
        """A block list's lines for `added`, under a key at `pad`, indented like the key-result list."""
        step = " " * self._list_step(key_results)
        return "".join(f"{pad}{step}- {self._scalar(item, None, False)}\n" for item in added)

    def _list_step(self, key_results: tuple[yaml.Node, yaml.Node] | None) -> int:
        """How far the key-result list's dashes sit right of its key (2 when there is none to copy)."""
        if key_results is None:
            return 2
        key, value = key_results
        if not isinstance(value, yaml.SequenceNode) or value.flow_style or not value.value:
            return 2
        start = value.value[0].start_mark.index
        dash = self.text.rfind("-", 0, start)
        column = dash - self.text.rfind("\n", 0, dash) - 1
        return max(0, column - key.start_mark.column)


def node_end(node: yaml.Node, text: str) -> int:
    """Where a node's own text ends (a block collection's end mark lies past comments and blank lines)."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark.index
        if node.style in ("|", ">"):
            while end > node.start_mark.index and text[end - 1] in " \t\n":
                end -= 1
        return int(end)
    if getattr(node, "flow_style", False) or not node.value:
        return int(node.end_mark.index)
    last = node.value[-1]
    if isinstance(node, yaml.MappingNode):
        key, value = last
        empty = isinstance(value, yaml.ScalarNode) and value.start_mark.index == value.end_mark.index
        return node_end(key, text) if empty else node_end(value, text)
    return node_end(last, text)
