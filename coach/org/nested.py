"""One YAML or JSON file that nests the organisation's units, each with its own objectives:

    organisation: Northwind          # optional (also: company, org, name)
    period: 2026-Q3                  # optional, for every unit that does not say
    teams:                           # also: units, departments, functions, groups, squads
      - team: Northwind
        level: company
        objectives: [...]            # the draft schema (SCHEMA.md)
        teams:
          - team: Engineering
            objectives: [...]
            teams: [...]

Each unit is read by the draft schema reader, so lines, fields and diagnostics are the same as in a
single-team file. A unit without `level` is the company at the top, a department when units sit below it,
a team otherwise. A unit that cannot be read is an error naming its line; the other units still count.
"""

from __future__ import annotations

from coach.model import InputError, Level
from coach.org.model import SUBUNIT_KEYS, FileRead
from coach.parse import structured
from coach.parse.common import clean_text, compact
from coach.parse.tree import Node

_ORG_KEYS = frozenset(
    {"organisation", "organization", "org", "company", "name", "period", "cycle", "quarter"}
)
_NAME_KEYS = ("team", "name", "unit")


def read_nested(text: str, name: str, fmt: str, unit: str, result: FileRead) -> None:
    root = _compose(text, name, fmt)
    if root is None or root.kind != "map":
        raise InputError(name, "expected a mapping with a 'teams:' list")
    period = None
    teams: Node | None = None
    for key, value in root.pairs:
        label = compact(key.text() or "")
        if label in SUBUNIT_KEYS:
            teams = value
        elif label in {"period", "cycle", "quarter"}:
            period = value.text()
        elif label not in _ORG_KEYS:
            raise InputError(
                name, f"unknown top-level field {key.text()!r} in an organisation file", key.line, key.col
            )
    if teams is None or teams.kind != "seq" or not teams.items:
        raise InputError(name, "'teams:' must be a list of units", root.line, root.col)
    _walk(teams, name, fmt, unit, None, 0, period, result)


def _compose(text: str, name: str, fmt: str) -> Node | None:
    if fmt == "yaml":
        from coach.parse.yaml import compose

        return compose(text, name)
    import json

    from coach.parse import json as json_reader

    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(name, f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    except (RecursionError, ValueError):
        raise InputError(name, "invalid JSON: cannot be read") from None
    return json_reader._Reader(text, name).document()  # the draft reader's positioned tree


def _walk(
    units: Node,
    name: str,
    fmt: str,
    base: str,
    parent: str | None,
    depth: int,
    period: str | None,
    result: FileRead,
) -> None:
    for node in units.items:
        if node.kind != "map":
            result.errors.append(InputError(name, "each unit must be a mapping", node.line, node.col))
            continue
        own = [(k, v) for k, v in node.pairs if compact(k.text() or "") not in SUBUNIT_KEYS]
        below = [v for k, v in node.pairs if compact(k.text() or "") in SUBUNIT_KEYS]
        team = next(
            (
                clean_text(v.text() or "")
                for k, v in own
                if compact(k.text() or "") in _NAME_KEYS and v.text()
            ),
            "",
        )
        if not team:
            result.errors.append(InputError(name, "unit has no 'team:' name", node.line, node.col))
            continue
        key = "/".join(part for part in (base, team.replace("/", "-")) if part)
        result.units[key] = parent
        children = [item for value in below if value.kind == "seq" for item in value.items]
        result.levels[key] = (
            Level.COMPANY if depth == 0 and children else Level.DEPARTMENT if children else Level.TEAM
        )
        trimmed = Node("map", node.line, node.col)
        trimmed.pairs = [(k, v) for k, v in own if compact(k.text() or "") not in {"name", "unit"}]
        if any(compact(k.text() or "") in {"objectives", "okrs"} for k, _ in trimmed.pairs):
            try:
                doc = structured.build(trimmed, name, fmt)
            except InputError as exc:
                result.errors.append(exc)
            else:
                doc.team = doc.team or team
                doc.period = doc.period or period
                result.documents.append((doc, key))
        for value in below:
            if value.kind == "seq":
                _walk(value, name, fmt, key, key, depth + 1, period, result)
            elif value.value is not None:
                result.errors.append(InputError(name, "'teams:' must be a list", value.line, value.col))
