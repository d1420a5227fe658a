"""YAML drafts: composed from the parser's event stream into a positioned tree, then read by structured.py.

We compose from events ourselves rather than call yaml.compose(): libyaml's composer recurses in C and
crashes the interpreter on deeply nested input, while its event parser does not recurse. Composing here
also lets us refuse recursive aliases and alias bombs, and keep each value's line and column.
"""

from __future__ import annotations

import re

import yaml

from coach.model import Document, InputError
from coach.parse import structured
from coach.parse.tree import MAX_DEPTH, MAX_NODES, Node

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_TAG = "tag:yaml.org,2002:"
# An anchor or a tag before a value, and the spaces, line breaks and comments after it (the value is checked
# to come later still: `&a` before an empty value, say, is not skipped).
_PROPERTIES = re.compile(r"(?:[&!][^ \t\n]*(?:[ \t]+(?:#[^\n]*)?|(?=\n))(?:\n[ \t]*(?:#[^\n]*)?)*)+")
_CONSTRUCT = {
    _TAG + "int": _CONSTRUCTOR.construct_yaml_int,
    _TAG + "float": _CONSTRUCTOR.construct_yaml_float,
    _TAG + "bool": _CONSTRUCTOR.construct_yaml_bool,
    _TAG + "null": _CONSTRUCTOR.construct_yaml_null,
}


def parse(text: str, name: str) -> Document:
    return structured.build(compose(text, name), name, "yaml")


def compose(text: str, name: str) -> Node | None:
    """The single document in `text` as a Node tree (None when the stream holds no document)."""
    try:
        return _Composer(text, name).run()
    except yaml.MarkedYAMLError as error:
        raise _yaml_error(name, error) from None
    except yaml.YAMLError as error:
        raise InputError(name, "invalid YAML: " + " ".join(str(error).split())) from None


def _yaml_error(name: str, error: yaml.MarkedYAMLError) -> InputError:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or "cannot be read"
    message = f"invalid YAML: {problem}"
    if error.context:
        message += f" ({error.context})"
    message = " ".join(message.split())
    if mark is None:
        return InputError(name, message)
    return InputError(name, message, line=mark.line + 1, col=mark.column + 1)


class _Composer:
    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.lines: list[str] | None = None
        self.starts: list[int] | None = None  # where each line starts in the text
        self.stack: list[tuple[Node, str | None]] = []  # open containers and their anchors
        self.keys: list[Node | None] = []  # per open container: a mapping's key waiting for its value
        self.anchors: dict[str, Node] = {}
        self.root: Node | None = None
        self.total = 0
        self.tags: dict[tuple[str, object], str] = {}  # (text, implicit) -> resolved tag
        self.values: dict[tuple[str, str], object] = {}  # (tag, text) -> constructed value
        self.merges = False  # whether a plain '<<' has been read: a merge key may need applying

    def run(self) -> Node | None:
        documents = 0
        loader = _LOADER(self.text)
        try:
            # The loader's own loop (what yaml.parse() runs), with the events told apart by their exact
            # classes, the commonest first: a draft of 20,000 key results makes 200,000 events.
            while True:
                event = loader.get_event()
                kind = type(event)
                if kind is yaml.ScalarEvent:
                    scalar = self._scalar(event)
                    self._attach(scalar)
                    if event.anchor:
                        self.anchors[event.anchor] = scalar
                elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                    node = Node("map" if kind is yaml.MappingStartEvent else "seq", *_where(event))
                    self._attach(node)
                    if len(self.stack) >= MAX_DEPTH:
                        raise InputError(
                            self.name, f"nested too deeply (more than {MAX_DEPTH} levels)", node.line
                        )
                    self.stack.append((node, event.anchor))
                    self.keys.append(None)
                elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                    node, anchor = self.stack.pop()
                    self.keys.pop()
                    if node.kind == "map":
                        if self.merges:
                            _merge_keys(node)
                        node.size = 1 + sum([key.size + value.size for key, value in node.pairs])
                    else:
                        node.size = 1 + sum([item.size for item in node.items])
                    if anchor:
                        self.anchors[anchor] = node
                elif kind is yaml.AliasEvent:
                    target = self.anchors.get(event.anchor or "")
                    if target is None:
                        line, _ = _where(event)
                        raise InputError(self.name, f"invalid YAML: unknown alias '*{event.anchor}'", line)
                    self._attach(target, counted=target.size)
                elif kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        line, _ = _where(event)
                        raise InputError(
                            self.name,
                            "holds more than one YAML document ('---'); put all objectives in one",
                            line,
                        )
                elif event is None or kind is yaml.StreamEndEvent:
                    return self.root
        finally:
            loader.dispose()

    def _scalar(self, event: yaml.ScalarEvent) -> Node:
        text = event.value
        tag = event.tag
        if not tag or tag == "!":
            # Most values repeat ("Sam", "61%", "0.6"): each is resolved and constructed once.
            tag = self.tags.get((text, event.implicit))
            if tag is None:
                tag = _RESOLVER.resolve(yaml.ScalarNode, text, event.implicit) or ""
                self.tags[text, event.implicit] = tag
        value: object = text
        construct = _CONSTRUCT.get(tag)
        if construct is not None:
            if (tag, text) in self.values:
                value = self.values[tag, text]
            else:
                try:
                    value = construct(yaml.ScalarNode(tag, text))
                except (ValueError, yaml.YAMLError):
                    value = text
                self.values[tag, text] = value
        mark = event.start_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if event.anchor or event.tag:  # "&k2 'text'", "!!str text": the text is past the anchor and the tag
            if self.starts is None:
                self.starts = line_starts(self.text)
            line, col = scalar_start(self.text, self.starts, event)
        style = event.style
        if style == "|" or style == ">":
            line, col = self._block_start(line)
        quoted = style == "'" or style == '"'
        if text == "<<" and not quoted:
            self.merges = True  # a merge key: mappings are merged (_merge_keys) once they end
        return Node("scalar", line, col, value, text, quoted)

    def _block_start(self, line: int) -> tuple[int, int]:
        """A block scalar (| or >) starts on the line after its indicator."""
        if self.lines is None:
            self.lines = self.text.split("\n")
        for number in range(line, len(self.lines)):
            content = self.lines[number]
            if content.strip():
                return number + 1, len(content) - len(content.lstrip()) + 1
        return line, 1

    def _attach(self, node: Node, counted: int = 1) -> None:
        self.total += counted
        if self.total > MAX_NODES:
            raise InputError(self.name, "too large once its aliases are expanded", node.line)
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1][0]
        if parent.kind == "seq":
            parent.items.append(node)
            return
        key = self.keys[-1]
        if key is None:
            self.keys[-1] = node
        else:
            parent.pairs.append((key, node))
            self.keys[-1] = None


def _where(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def line_starts(text: str) -> list[int]:
    """Where each line of `text` starts."""
    return [0, *(match.end() for match in re.finditer("\n", text))]


def scalar_start(text: str, starts: list[int], event: yaml.ScalarEvent) -> tuple[int, int]:
    """The 1-based line and column where a scalar itself starts (its opening quote, if quoted), past the
    anchor and the tag written before it, which the event's start mark points at. `starts`: line_starts(text).
    """
    line, col = _where(event)
    if not (event.anchor or event.tag) or event.end_mark is None or line > len(starts):
        return line, col
    at = starts[line - 1] + col - 1
    found = _PROPERTIES.match(text, at)
    mark = event.end_mark
    end = starts[mark.line] + mark.column if mark.line < len(starts) else len(text)
    if found is None or found.end() >= end:  # an empty value, or lines counted differently (U+2028, say)
        return line, col
    breaks = text.count("\n", at, found.end())
    if not breaks:
        return line, col + found.end() - at
    return line + breaks, found.end() - text.rfind("\n", at, found.end())


def _merge_keys(node: Node) -> None:
    """Apply YAML merge keys (`<<: *defaults`): merged pairs never override the mapping's own."""
    if not any(_is_merge(key) for key, _ in node.pairs):
        return
    own = [(key, value) for key, value in node.pairs if not _is_merge(key)]
    seen = {key.text() for key, _ in own}
    for key, value in node.pairs:
        if not _is_merge(key):
            continue
        sources = value.items if value.kind == "seq" else [value]
        for source in sources:
            for merged_key, merged_value in source.pairs:
                if merged_key.text() not in seen:
                    own.append((merged_key, merged_value))
                    seen.add(merged_key.text())
    node.pairs = own


def _is_merge(key: Node) -> bool:
    return key.kind == "scalar" and key.raw == "<<" and not key.quoted
