"""JSON drafts: the same schema as YAML (structured.py), with each value's line and column.

json.loads() checks the file first, so its own messages and line/column report malformed input; a small
position-keeping reader then walks the (now known valid) text to build the Node tree.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from json.scanner import NUMBER_RE

from coach.model import Document, InputError
from coach.parse import structured
from coach.parse.tree import MAX_DEPTH, Node

_SPACE = re.compile(r"[ \t\n\r]*")
_LITERALS = (
    ("true", True),
    ("false", False),
    ("null", None),
    ("NaN", float("nan")),
    ("Infinity", float("inf")),
    ("-Infinity", float("-inf")),
)


def parse(text: str, name: str) -> Document:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(name, f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise InputError(name, "invalid JSON: nested too deeply") from None
    except ValueError as error:  # e.g. an integer longer than Python's 4300-digit limit
        raise InputError(name, f"invalid JSON: {error}") from None
    if "\\u" in text:
        _refuse_lone_surrogates(text, name)
    try:
        root = _Reader(text, name).document()
    except (IndexError, ValueError) as error:  # json.loads accepted it, so this is our bug: say so plainly
        raise InputError(name, f"cannot read this JSON ({error})") from None
    return structured.build(root, name, "json")


# A \\uD800-\\uDFFF escape (not after an escaped backslash), and a high one followed by its low half.
_SURROGATE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u([dD][89a-fA-F][0-9a-fA-F]{2})")
_PAIR = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _refuse_lone_surrogates(text: str, name: str) -> None:
    """json.loads accepts an escaped half of a surrogate pair on its own ("\\ud800"); it is no character,
    and no report could be written with it: an input error at its line, as the YAML reader gives."""
    paired_until = -1
    for match in _SURROGATE_ESCAPE.finditer(text):
        at = match.start(1) - 2  # the backslash of this escape
        if at < paired_until:
            continue  # the low half of a pair
        if _PAIR.match(text, at):
            paired_until = at + 12
            continue
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        message = f"invalid JSON: \\u{match.group(1)} is half of a surrogate pair, not a character"
        raise InputError(name, message, line, column)


# Between tokens of JSON that json.loads has accepted: the spaces, a colon or a closing bracket or comma,
# and the spaces after it.
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
_NEXT = re.compile(r"[ \t\n\r]*([,}\]])[ \t\n\r]*")


class _Reader:
    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def document(self) -> Node:
        node, _ = self.value(self.skip(0), 0)
        return node

    def skip(self, index: int) -> int:
        if index >= len(self.text) or self.text[index] not in " \t\n\r":
            return index
        match = _SPACE.match(self.text, index)
        return match.end() if match else index

    def where(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, index)
        return line, index - self.line_starts[line - 1] + 1

    def value(self, index: int, depth: int) -> tuple[Node, int]:
        text = self.text
        line = bisect.bisect_right(self.line_starts, index)
        col = index - self.line_starts[line - 1] + 1
        char = text[index]
        if char == '"':
            string, end = scanstring(text, index + 1)
            return Node("scalar", line, col, string, string, True), end
        if char in "{[":
            if depth >= MAX_DEPTH:
                raise InputError(self.name, f"nested too deeply (more than {MAX_DEPTH} levels)", line, col)
            if char == "{":
                return self.mapping(index, line, col, depth)
            return self.sequence(index, line, col, depth)
        match = NUMBER_RE.match(text, index)
        if match is not None:
            integer, fraction, exponent = match.groups()
            raw = match.group(0)
            number: int | float = float(raw) if fraction or exponent else int(integer)
            return Node("scalar", line, col, number, raw), match.end()
        for literal, literal_value in _LITERALS:
            if text.startswith(literal, index):
                return Node("scalar", line, col, literal_value, literal), index + len(literal)
        raise ValueError(f"unexpected {char!r} at line {line} column {col}")

    # A mapping's keys, and the strings among its values and a list's items (most of a draft), are read in
    # the loops below rather than through value(): the same nodes, built with fewer calls.

    def mapping(self, index: int, line: int, col: int, depth: int) -> tuple[Node, int]:
        text, starts = self.text, self.line_starts
        node = Node("map", line, col)
        pairs = node.pairs
        index = self.skip(index + 1)
        if text[index] == "}":
            return node, index + 1
        while True:
            key_line = bisect.bisect_right(starts, index)
            key_col = index - starts[key_line - 1] + 1
            key, index = scanstring(text, index + 1)
            colon = _COLON.match(text, index)
            index = colon.end() if colon else self.skip(self.skip(index) + 1)
            value: Node
            if text[index] == '"':
                value_line = bisect.bisect_right(starts, index)
                value_col = index - starts[value_line - 1] + 1
                string, index = scanstring(text, index + 1)
                value = Node("scalar", value_line, value_col, string, string, True)
            else:
                value, index = self.value(index, depth + 1)
            pairs.append((Node("scalar", key_line, key_col, key, key, True), value))
            after = _NEXT.match(text, index)
            if after is None or after.group(1) == "}":
                index = self.skip(index)
                return node, index + 1
            index = after.end()

    def sequence(self, index: int, line: int, col: int, depth: int) -> tuple[Node, int]:
        text, starts = self.text, self.line_starts
        node = Node("seq", line, col)
        items = node.items
        index = self.skip(index + 1)
        if text[index] == "]":
            return node, index + 1
        while True:
            value: Node
            if text[index] == '"':
                value_line = bisect.bisect_right(starts, index)
                value_col = index - starts[value_line - 1] + 1
                string, index = scanstring(text, index + 1)
                value = Node("scalar", value_line, value_col, string, string, True)
            else:
                value, index = self.value(index, depth + 1)
            items.append(value)
            after = _NEXT.match(text, index)
            if after is None or after.group(1) == "]":
                index = self.skip(index)
                return node, index + 1
            index = after.end()
