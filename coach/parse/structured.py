"""The YAML/JSON schema (see SCHEMA.md): a positioned Node tree in, a Document out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from coach.model import Document, Finding, InputError, KeyResult, Level, Objective, Span, Suppression
from coach.parse.common import (
    INVALID_CONFIDENCE,
    INVALID_SUPPRESSION,
    NO_OBJECTIVES,
    claim,
    clean_text,
    compact,
    diagnostic,
    finish,
    new_key_result,
    new_objective,
    number_problem,
    parse_confidence,
    parse_level,
    parse_number,
    require_text,
    split_list,
    split_references,
    suppressions_from_parts,
    suppressions_from_text,
    unknown_field,
)
from coach.parse.tree import Node

# alias (compacted) -> canonical field. A text field's aliases are listed in order of preference.
_PARENTS = {
    "parent": "parents",
    "parents": "parents",
    "alignsto": "parents",
    "alignedto": "parents",
    "supports": "parents",
}
_IGNORE = {"ignore": "ignore", "suppress": "ignore", "okrcoachignore": "ignore"}
_COMMON = {
    "id": "id",
    "owner": "owner",
    "owners": "owner",
    "dri": "owner",
    "team": "team",
    "level": "level",
    "initiatives": "initiatives",
    "projects": "initiatives",
    **_PARENTS,
    **_IGNORE,
}
OBJECTIVE_TEXT = ("objective", "title", "text", "name", "statement")
KR_TEXT = ("text", "kr", "keyresult", "title", "name", "description", "result", "statement")
KR_LISTS = ("keyresults", "krs", "results")
_OBJECTIVE_FIELDS = {
    **_COMMON,
    **{alias: "text" for alias in OBJECTIVE_TEXT},
    **{alias: "description" for alias in ("why", "description", "rationale", "context", "motivation")},
    **{alias: "key_results" for alias in KR_LISTS},
}
_KR_FIELDS = {
    **_COMMON,
    **{alias: "text" for alias in KR_TEXT},
    **{
        alias: "baseline"
        for alias in ("baseline", "start", "startvalue", "startingvalue", "initialvalue", "from")
    },
    **{alias: "target" for alias in ("target", "targetvalue", "goal", "goalvalue", "to")},
    **{alias: "current" for alias in ("current", "currentvalue", "actual", "progressvalue")},
    **{alias: "unit" for alias in ("unit", "units", "metricunit")},
    **{alias: "confidence" for alias in ("confidence", "confidencelevel")},
}
_DOC_FIELDS = {
    **_PARENTS,
    **_IGNORE,
    "team": "team",
    "level": "level",
    "owner": "owner",
    **{alias: "period" for alias in ("period", "cycle", "quarter")},
    **{alias: "objectives" for alias in ("objectives", "okrs")},
}
# Fields people keep beside their OKRs; stored in `extra` without a warning.
_NOTES = ("notes", "note", "comment", "comments", "status", "progress", "score", "tags", "due", "deadline")
_LINKS = ("link", "links", "url", "metric", "source", "datasource")
_META = ("period", "title", "name", "description", "version", "schema", "updated", "lastupdated")
_TOLERATED = frozenset().union(_NOTES, _LINKS, _META)
_PREFERENCE = {alias: rank for order in (OBJECTIVE_TEXT, KR_TEXT) for rank, alias in enumerate(order)}


@dataclass
class _Fields:
    """A mapping's recognised fields (canonical name -> (key node, value node)) and the rest."""

    known: dict[str, tuple[Node, Node]] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)


def build(root: Node | None, name: str, fmt: str) -> Document:
    return _Reader(name, fmt).read(root)


def read_front_matter(node: Node, doc: Document) -> None:
    """Markdown front matter: the document-level fields (team, level, owner, period, parents, ignore).
    Other keys (title, sidebar, ...) belong to the site generator and are left alone."""
    if node.kind != "map":
        raise InputError(
            doc.path, "front matter must be a mapping (team: ..., period: ...)", node.line, node.col
        )
    reader = _Reader(doc.path, doc.format)
    reader.doc = doc
    reader.diagnostics = doc.diagnostics
    known = [(key, value) for key, value in node.pairs if compact(key.text() or "") != "objectives"]
    trimmed = Node("map", node.line, node.col)
    trimmed.pairs = known
    reader.document(trimmed, strict=False)


class _Reader:
    def __init__(self, name: str, fmt: str) -> None:
        self.name = name
        self.doc = Document(path=name, format=fmt)
        self.diagnostics: list[Finding] = self.doc.diagnostics

    def read(self, root: Node | None) -> Document:
        if root is None or (root.kind == "scalar" and root.value is None):
            raise InputError(self.name, f"{NO_OBJECTIVES} (the file holds no data)")
        if root.kind == "seq":
            self.objectives(root, "objectives")
        elif root.kind == "map":
            keys = {compact(key.text() or "") for key, _ in root.pairs}
            if keys & {"objectives", "okrs"}:
                self.document(root)
            elif keys & (set(OBJECTIVE_TEXT) | set(KR_LISTS)):
                self.doc.objectives.append(self.objective(root, single=True))
            else:
                raise InputError(self.name, f"{NO_OBJECTIVES} (expected an 'objectives:' list)", root.line)
        else:
            raise InputError(
                self.name,
                f"expected an 'objectives:' list or a list of objectives; got {root.type_name()}",
                root.line,
                root.col,
            )
        return finish(self.doc, f"{NO_OBJECTIVES} (the 'objectives:' list is empty)")

    # -- the three levels ---------------------------------------------------------------------------------

    def document(self, node: Node, strict: bool = True) -> None:
        fields = self.fields(node, _DOC_FIELDS, "top-level field", strict)
        doc = self.doc
        doc.team = self.string(fields, "team")
        doc.owner = self.string(fields, "owner")
        doc.period = self.period(fields)
        doc.parents = self.strings(fields, "parents", split_references)
        doc.suppressions = self.suppressions(fields)
        doc.level = self.level(fields)
        if "objectives" in fields.known:
            key, value = fields.known["objectives"]
            self.objectives(value, _label(key, "objectives"))

    def objectives(self, node: Node, label: str) -> None:
        if node.kind == "seq":
            self.doc.objectives.extend(self.objective(item) for item in node.items)
        elif node.kind == "map":  # objectives: {"Make paying effortless": [key results...]}
            for key, value in node.pairs:
                self.doc.objectives.append(self.keyed_objective(key, value))
        elif node.value is not None:
            raise InputError(
                self.name, f"{label} must be a list, got {node.type_name()}", node.line, node.col
            )

    def keyed_objective(self, key: Node, value: Node) -> Objective:
        if value.kind == "map":
            known = {compact(k.text() or "") for k, _ in value.pairs}
            objective = self.objective(value, key_text=None if known & set(OBJECTIVE_TEXT) else key)
            if known & set(OBJECTIVE_TEXT) and not objective.id:
                objective.id = clean_text(key.text() or "")
            return objective
        text = require_text(key.text(), "objective", self.name, key.line, key.col)
        objective = new_objective(text, self.span(key))
        if value.kind == "seq":
            objective.key_results = [self.key_result(item) for item in value.items]
        elif value.value is not None:
            message = f"the key results of '{text}' must be a list, got {value.type_name()}"
            raise InputError(self.name, message, value.line, value.col)
        return objective

    def objective(self, node: Node, single: bool = False, key_text: Node | None = None) -> Objective:
        if node.kind == "scalar" and node.value is not None:
            return new_objective(self.text(node, "objective"), self.span(node))
        if node.kind != "map":
            if node.kind == "scalar" and node.value is None:
                raise InputError(self.name, "objective has no text", node.line, node.col)
            message = f"each objective must be a mapping or a string, got {node.type_name()}"
            raise InputError(self.name, message, node.line, node.col)
        table = {**_OBJECTIVE_FIELDS, "period": "period", "cycle": "period", "quarter": "period"}
        before = len(self.diagnostics)
        fields = self.fields(node, table if single else _OBJECTIVE_FIELDS, "field")
        text_node = fields.known["text"][1] if "text" in fields.known else key_text
        if text_node is None:
            raise InputError(
                self.name,
                "objective has no text (expected 'objective:', 'title:' or 'text:')",
                node.line,
                node.col,
            )
        objective = new_objective(self.text(text_node, "objective"), self.span(text_node))
        objective.id = self.string(fields, "id") or ""
        objective.owner = self.string(fields, "owner")
        objective.team = self.string(fields, "team")
        objective.description = self.string(fields, "description")
        objective.parents = self.strings(fields, "parents", split_references)
        objective.initiatives = self.strings(fields, "initiatives", split_list)
        objective.suppressions = self.suppressions(fields)
        objective.extra = fields.extra
        objective.level = self.level(fields)
        claim(self.diagnostics[before:], objective)  # its unknown fields, level, suppressions
        if single and "period" in fields.known:
            self.doc.period = self.period(fields)
        if "key_results" in fields.known:
            key, value = fields.known["key_results"]
            if value.kind == "seq":
                objective.key_results = [self.key_result(item) for item in value.items]
            elif value.value is not None or value.kind == "map":
                label = _label(key, "key_results")
                raise InputError(
                    self.name, f"{label} must be a list, got {value.type_name()}", value.line, value.col
                )
        return objective

    def key_result(self, node: Node) -> KeyResult:
        if node.kind == "scalar" and node.value is not None:
            return new_key_result(self.text(node, "key result"), self.span(node))
        if node.kind != "map":
            if node.kind == "scalar" and node.value is None:
                raise InputError(self.name, "key result has no text", node.line, node.col)
            message = f"each key result must be a mapping or a string, got {node.type_name()}"
            raise InputError(self.name, message, node.line, node.col)
        before = len(self.diagnostics)
        fields = self.fields(node, _KR_FIELDS, "field")
        if "text" not in fields.known:
            raise InputError(
                self.name, "key result has no text (expected 'text:' or 'kr:')", node.line, node.col
            )
        text_node = fields.known["text"][1]
        kr = new_key_result(self.text(text_node, "key result"), self.span(text_node))
        kr.id = self.string(fields, "id") or ""
        kr.owner = self.string(fields, "owner")
        kr.team = self.string(fields, "team")
        kr.unit = self.string(fields, "unit")
        kr.baseline = self.number(fields, "baseline")
        kr.target = self.number(fields, "target")
        kr.current = self.number(fields, "current")
        kr.parents = self.strings(fields, "parents", split_references)
        kr.initiatives = self.strings(fields, "initiatives", split_list)
        kr.suppressions = self.suppressions(fields)
        kr.extra = fields.extra
        kr.level = self.level(fields)
        if "confidence" in fields.known:
            value = fields.known["confidence"][1]
            raw = value.value if value.kind == "scalar" else [value.kind]
            if number_problem("confidence", raw, value.raw):  # the message names the key as written
                unusable = number_problem(_label(fields.known["confidence"][0], "confidence"), raw, value.raw)
                raise InputError(self.name, unusable or "", value.line, value.text_col)
            kr.confidence, problem = parse_confidence(raw)
            if problem:
                self.diagnostics.append(diagnostic(INVALID_CONFIDENCE, problem, self.span(value), kr))
        claim(self.diagnostics[before:], kr)  # its unknown fields, level, suppressions
        return kr

    # -- fields and values --------------------------------------------------------------------------------

    def fields(self, node: Node, table: dict[str, str], what: str, strict: bool = True) -> _Fields:
        out = _Fields()
        known = out.known
        for key, value in node.pairs:
            label = key.value if key.value.__class__ is str else key.text()  # key.text(), sooner
            canonical = table.get(compact(label)) if label is not None else None
            if canonical is None:
                shown = clean_text(label) if label is not None else key.type_name()
                if label is not None and compact(label) in _TOLERATED:
                    out.extra[label] = value.text() if value.kind == "scalar" else value.type_name()
                    continue
                if strict:
                    self.diagnostics.append(unknown_field(what, shown, self.span(key)))
                if label is not None:
                    out.extra[label] = value.text() if value.kind == "scalar" else value.type_name()
                continue
            if canonical == "text" and canonical in known:
                held = out.known[canonical][0].text() or ""
                if _PREFERENCE.get(compact(held), 0) <= _PREFERENCE.get(compact(label or ""), 0):
                    out.extra[label or ""] = value.text()
                    continue
                out.extra[held] = out.known[canonical][1].text()
            known[canonical] = (key, value)
        return out

    def level(self, fields: _Fields) -> Level | None:
        if "level" not in fields.known:
            return None
        span = self.span(fields.known["level"][1])
        return parse_level(self.string(fields, "level"), span, self.diagnostics)

    def span(self, node: Node) -> Span:
        return Span(self.name, node.line, node.text_col)

    def text(self, node: Node, what: str) -> str:
        if node.kind != "scalar":
            raise InputError(
                self.name, f"{what} text must be a string, got {node.type_name()}", node.line, node.col
            )
        return require_text(node.text(), what, self.name, node.line, node.text_col)

    def string(self, fields: _Fields, name: str) -> str | None:
        if name not in fields.known:
            return None
        key, node = fields.known[name]
        if node.kind == "seq" and all(item.kind == "scalar" for item in node.items):
            joined = ", ".join(clean_text(item.text() or "") for item in node.items if item.text())
            return joined or None
        if node.kind != "scalar":
            label = _label(key, name)
            raise InputError(self.name, f"{label} must be text, got {node.type_name()}", node.line, node.col)
        return clean_text(node.text() or "") or None

    def period(self, fields: _Fields) -> str | None:
        """`period: 2026-Q3`, or the cycle's dates, `cycle: {start: 2026-01-01, end: 2026-03-31}`, which is
        kept as '2026-01-01 to 2026-03-31' (coach.dates.cycle_from_period reads it)."""
        if "period" not in fields.known or fields.known["period"][1].kind != "map":
            return self.string(fields, "period")
        key, node = fields.known["period"]
        ends = {"start": "start", "from": "start", "begin": "start", "end": "end", "to": "end"}
        named = [(ends.get(compact(k.text() or ""), "?"), v) for k, v in node.pairs]
        found = {end: value.text() for end, value in named if value.kind == "scalar"}
        if set(found) != {"start", "end"} or len(node.pairs) != 2 or not all(found.values()):
            label = _label(key, "period")
            message = f"{label} must give a start and end date (start: 2026-01-01, end: 2026-03-31)"
            raise InputError(self.name, message, node.line, node.col)
        return f"{clean_text(found['start'] or '')} to {clean_text(found['end'] or '')}"

    def strings(self, fields: _Fields, name: str, split: Callable[[str], list[str]]) -> list[str]:
        if name not in fields.known:
            return []
        key, node = fields.known[name]
        if node.kind == "scalar":
            text = node.text()
            return split(text) if text else []
        if node.kind == "map":
            label = _label(key, name)
            raise InputError(self.name, f"{label} must be a list, got a mapping", node.line, node.col)
        out: list[str] = []
        for item in node.items:
            text = self._item_text(item)
            if text is None:
                label = _label(key, name)
                message = f"each entry of {label} must be a string, got {item.type_name()}"
                raise InputError(self.name, message, item.line, item.col)
            if text:
                out.append(text)
        return out

    def _item_text(self, item: Node) -> str | None:
        if item.kind == "scalar":
            return clean_text(item.text() or "")
        if item.kind == "map":  # initiatives: [{name: Retry soft declines, owner: Sam}]
            for key, value in item.pairs:
                if (
                    compact(key.text() or "") in ("name", "title", "text", "initiative", "id")
                    and value.kind == "scalar"
                ):
                    return clean_text(value.text() or "")
        return None

    def number(self, fields: _Fields, name: str) -> float | str | None:
        if name not in fields.known:
            return None
        key, node = fields.known[name]
        if node.kind != "scalar":
            label = _label(key, name)
            raise InputError(
                self.name, f"{label} must be a number or text, got {node.type_name()}", node.line, node.col
            )
        if number_problem(name, node.value, node.raw):  # the message names the key as written
            problem = number_problem(_label(key, name), node.value, node.raw)
            raise InputError(self.name, problem or "", node.line, node.text_col)
        number = parse_number(node.value)
        return node.raw if isinstance(number, str) and not isinstance(node.value, str) else number

    def suppressions(self, fields: _Fields) -> list[Suppression]:
        if "ignore" not in fields.known:
            return []
        node = fields.known["ignore"][1]
        items = node.items if node.kind == "seq" else [node]
        out: list[Suppression] = []
        for item in items:
            span = self.span(item)
            if item.kind == "scalar" and isinstance(item.value, str):
                out.extend(suppressions_from_text(item.value, span, self.diagnostics))
            elif item.kind == "map":
                parts = {compact(key.text() or ""): value for key, value in item.pairs}
                code = next((parts[k] for k in ("code", "codes", "rule", "rules") if k in parts), None)
                reason = next((parts[k] for k in ("reason", "because", "why") if k in parts), None)
                codes = _joined(code)
                out.extend(suppressions_from_parts(codes, _joined(reason), span, self.diagnostics))
            elif not (item.kind == "scalar" and item.value is None):
                message = f"cannot read the suppression ({item.type_name()}; expected 'CODE: reason')"
                self.diagnostics.append(diagnostic(INVALID_SUPPRESSION, message, span))
        return out


def _label(key: Node, default: str) -> str:
    """A key as written, for a message on one line."""
    return clean_text(key.text() or "") or default


def _joined(node: Node | None) -> str:
    if node is None:
        return ""
    if node.kind == "seq":
        return ", ".join(item.text() or "" for item in node.items if item.kind == "scalar")
    return (node.text() or "") if node.kind == "scalar" else ""
