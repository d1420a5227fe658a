"""Write a whole Document back as YAML, JSON, Markdown or CSV, and keep it as JSON for recovery.

Used for a new draft (there is no file to edit), Save as, and as the fallback the app asks about before
using it, when `coach.write.structure` cannot write the changes as edits to the file. What the Document
model holds is written: ids
(when the draft stated them), texts, why, owners, teams, levels, parents, baselines, targets, current
values, units, confidence, initiatives, suppressions and the extra fields. Comments and the layout of the
original file are not kept, and Markdown prose outside the OKRs is dropped: the app asks before it happens.

Every text is read back with the engine's own parser before it is written (`verify`): a draft that would
not read back as the same objectives and key results is refused with the reason.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import Any

import yaml

from coach.formats import named
from coach.model import (
    Document,
    InputError,
    KeyResult,
    Level,
    Objective,
    Suppression,
)
from coach.parse import parse_text

_TYPE_NAMES = frozenset({"a mapping", "a list", "nothing (null)"})
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


class SerializeError(Exception):
    """The draft cannot be written in this format without changing what it says."""


def default_objective_id(index: int) -> str:
    """The id the parsers give the objective at 0-based `index` when the draft states none."""
    return f"O{index + 1}"


def default_kr_id(objective_id: str, index: int) -> str:
    return f"{objective_id}.KR{index + 1}"


def stated_ids(doc: Document) -> set[str]:
    """The ids the draft wrote itself (not the ones the parser made up from positions)."""
    out: set[str] = set()
    for oi, objective in enumerate(doc.objectives):
        if objective.id != default_objective_id(oi):
            out.add(objective.id)
        for ki, kr in enumerate(objective.key_results):
            if kr.id != default_kr_id(objective.id, ki):
                out.add(kr.id)
    return out


# -- values -----------------------------------------------------------------------------------------------


def _number(value: float | str | None) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _ignore(suppressions: Iterable[Suppression]) -> list[str]:
    return [f"{s.code}: {s.reason}" if s.reason else s.code for s in suppressions]


def _parents(parents: list[str]) -> dict[str, Any]:
    if not parents:
        return {}
    return {"parent": parents[0]} if len(parents) == 1 else {"parents": list(parents)}


def _extra(extra: dict[str, Any], taken: set[str]) -> dict[str, Any]:
    """Fields the engine keeps but does not use; values it only knows the type of are left out."""
    return {
        str(k): v
        for k, v in extra.items()
        if k not in taken and not (isinstance(v, str) and v in _TYPE_NAMES) and v is not None
    }


def _level(level: Level | None) -> str | None:
    return level.value if level is not None else None


def _drop_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v not in (None, [], "", {})}


# -- YAML / JSON ------------------------------------------------------------------------------------------


def document_data(doc: Document, ids: set[str] | None = None) -> dict[str, Any]:
    """The draft as the YAML/JSON schema (SCHEMA.md) writes it. `ids`: the ids to write (default: all)."""
    top: dict[str, Any] = {
        "team": doc.team,
        "level": _level(doc.level),
        "owner": doc.owner,
        "period": doc.period,
        **_parents(doc.parents),
        "ignore": _ignore(doc.suppressions),
    }
    objectives = []
    for objective in doc.objectives:
        item: dict[str, Any] = {
            "id": objective.id if ids is None or objective.id in ids else None,
            "objective": objective.text,
            "why": objective.description,
            "owner": objective.owner,
            "team": objective.team if objective.team != doc.team else None,
            "level": _level(objective.level),
            **_parents(objective.parents),
            "initiatives": list(objective.initiatives),
            "ignore": _ignore(objective.suppressions),
        }
        item = _drop_empty(item)
        item.update(_extra(objective.extra, set(item) | {"period"}))
        item["key_results"] = [_kr_data(kr, objective, ids) for kr in objective.key_results]
        objectives.append(item)
    return {**_drop_empty(top), "objectives": objectives}


def _kr_data(kr: KeyResult, objective: Objective, ids: set[str] | None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": kr.id if ids is None or kr.id in ids else None,
        "text": kr.text,
        "owner": kr.owner,
        "team": kr.team if kr.team != objective.team else None,
        "level": _level(kr.level),
        "baseline": _number(kr.baseline),
        "target": _number(kr.target),
        "current": _number(kr.current),
        "unit": kr.unit,
        "confidence": kr.confidence,
        **_parents(kr.parents),
        "initiatives": list(kr.initiatives),
        "ignore": _ignore(kr.suppressions),
    }
    item = _drop_empty(item)
    item.update(_extra(kr.extra, set(item)))
    return item


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, long texts left on one line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def to_yaml(doc: Document, ids: set[str] | None = None) -> str:
    data = document_data(doc, ids)
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)
    return text


def to_json(doc: Document, ids: set[str] | None = None) -> str:
    return json.dumps(document_data(doc, ids), indent=2, ensure_ascii=False) + "\n"


# -- Markdown ---------------------------------------------------------------------------------------------


def _md(text: str) -> str:
    text = " ".join(str(text).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)  # "1. ..." would start a numbered list
    return "\\" + text if text[:1] in ("#", "+", "-") else text


def _plain(value: str) -> str:
    return " ".join(str(value).split())


def _md_value(value: float | str | None) -> str:
    return str(_number(value))


def _confidence(value: float) -> str:
    return f"{round(value * 100, 4):g}%"


def to_markdown(doc: Document, ids: set[str] | None = None) -> str:
    front = _drop_empty(
        {
            "team": doc.team,
            "level": _level(doc.level),
            "owner": doc.owner,
            "period": doc.period,
            **_parents(doc.parents),
            "ignore": _ignore(doc.suppressions),
        }
    )
    lines: list[str] = []
    if front:
        dumped = yaml.dump(front, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)
        lines += ["---", dumped.rstrip("\n"), "---", ""]
    title = " — ".join(filter(None, [f"{doc.team} OKRs" if doc.team else "OKRs", doc.period]))
    lines += [f"# {_md(title)}", ""]
    for number, objective in enumerate(doc.objectives, 1):
        for code in _ignore(objective.suppressions):
            lines.append(f"<!-- okrcoach: ignore {_comment(code)} -->")
        lines += [f"## Objective {number}: {_md(objective.text)}", ""]
        if objective.description:
            lines += [_md(objective.description), ""]
        notes = [
            ("Id", objective.id if ids is None or objective.id in ids else None),
            ("Owner", objective.owner),
            ("Team", objective.team if objective.team != doc.team else None),
            ("Level", _level(objective.level)),
            ("Parent", ", ".join(objective.parents) or None),
        ]
        notes += [("Initiative", initiative) for initiative in objective.initiatives]
        shown = [(name, value) for name, value in notes if value]
        if shown:
            lines += [f"{name}: {_plain(str(value))}  " for name, value in shown]
            lines[-1] = lines[-1].rstrip()
            lines.append("")
        if objective.key_results:
            lines += ["**Key results:**", ""]
        for kr in objective.key_results:
            for code in _ignore(kr.suppressions):
                lines.append(f"<!-- okrcoach: ignore {_comment(code)} -->")
            lines.append(f"- {_md(kr.text)}")
            fields = [
                ("Id", kr.id if ids is None or kr.id in ids else None),
                ("Owner", kr.owner),
                ("Team", kr.team if kr.team != objective.team else None),
                ("Level", _level(kr.level)),
                ("Baseline", _md_value(kr.baseline) if kr.baseline is not None else None),
                ("Target", _md_value(kr.target) if kr.target is not None else None),
                ("Current", _md_value(kr.current) if kr.current is not None else None),
                ("Unit", kr.unit),
                ("Confidence", _confidence(kr.confidence) if kr.confidence is not None else None),
                ("Parent", ", ".join(kr.parents) or None),
            ]
            fields += [("Initiative", initiative) for initiative in kr.initiatives]
            lines += [f"  - {name}: {_plain(str(value))}" for name, value in fields if value]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _comment(code_and_reason: str) -> str:
    """ "KR004: reason" as the Markdown suppression comment's body ("--" would end the HTML comment)."""
    code, _, reason = code_and_reason.partition(": ")
    reason = " ".join(reason.replace("--", "—").split())
    return f"{code} -- {reason}" if reason else code


# -- CSV --------------------------------------------------------------------------------------------------

_CSV_HEADER = [
    "team",
    "level",
    "period",
    "objective id",
    "objective",
    "objective owner",
    "why",
    "kr id",
    "key result",
    "owner",
    "baseline",
    "target",
    "current",
    "unit",
    "confidence",
    "initiatives",
    "parent",
    "ignore",
]


def to_csv(doc: Document, ids: set[str] | None = None) -> str:
    extras: list[str] = []
    for kr in doc.key_results():
        for key in _extra(kr.extra, set()):
            if key not in extras and key.lower() not in _CSV_HEADER:
                extras.append(key)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_HEADER + extras)
    for objective in doc.objectives:
        first = True
        objective_cells: dict[str, Any] = {
            "team": objective.team or doc.team,
            "period": doc.period,
            "objective id": objective.id if ids is None or objective.id in ids else "",
            "objective": objective.text,
            "objective owner": objective.owner,
            "why": objective.description,
            "parent": ", ".join(objective.parents),
        }
        row: dict[str, Any]
        if objective.suppressions or not objective.key_results:
            row = {
                **objective_cells,
                "level": _level(objective.level or doc.level),
                "ignore": "\n".join(_ignore(objective.suppressions)),
            }
            writer.writerow(_cells(row, extras))
            first = False
        for kr in objective.key_results:
            row = {
                "team": kr.team or objective.team or doc.team,
                "period": doc.period,
                "objective id": objective_cells["objective id"],
                "level": _level(kr.level or objective.level or doc.level),
                "kr id": kr.id if ids is None or kr.id in ids else "",
                "key result": kr.text,
                "owner": kr.owner,
                "baseline": _number(kr.baseline),
                "target": _number(kr.target),
                "current": _number(kr.current),
                "unit": kr.unit,
                "confidence": kr.confidence,
                "initiatives": "; ".join(kr.initiatives),
                "ignore": "\n".join(_ignore(kr.suppressions)),
                **{key: kr.extra.get(key) for key in extras},
            }
            if first:
                row.update(objective_cells)
                first = False
            writer.writerow(_cells(row, extras))
    return out.getvalue()


def _cells(row: dict[str, Any], extras: list[str]) -> list[str]:
    return ["" if row.get(name) is None else str(row[name]) for name in _CSV_HEADER + extras]


# -- one entry point, checked ------------------------------------------------------------------------------


def dump(doc: Document, fmt: str, ids: set[str] | None = None, name: str = "<draft>") -> str:
    """The draft in `fmt`, read back and compared before it is returned (SerializeError if it differs)."""
    known = named(fmt)
    if known is None or known.name != fmt:
        raise SerializeError(f"cannot write the format {fmt!r}")
    text = known.dump()(doc, ids)
    verify(doc, text, fmt, name)
    return text


def verify(doc: Document, text: str, fmt: str, name: str = "<draft>") -> None:
    try:
        back = parse_text(text, name, fmt)
    except InputError as error:
        raise SerializeError(f"the {fmt} text would not read back: {error.message}") from None
    problem = difference(doc, back, fmt)
    if problem:
        raise SerializeError(f"the {fmt} text would read back differently: {problem}")


def _same_value(a: float | str | None, b: float | str | None) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a))
    return (None if a == "" else a) == (None if b == "" else b)


def difference(want: Document, got: Document, fmt: str) -> str | None:
    """The first way `got` (read back) differs from `want` in what a draft says, or None."""
    if len(want.objectives) != len(got.objectives):
        return f"{len(got.objectives)} objectives instead of {len(want.objectives)}"
    for objective, back in zip(want.objectives, got.objectives, strict=True):
        if objective.text != back.text:
            return f"objective '{objective.text}' reads back as '{back.text}'"
        if (objective.owner or None) != (back.owner or None):
            return f"the owner of '{objective.text}' reads back as {back.owner!r}"
        if fmt != "csv" and (objective.description or None) != (back.description or None):
            return f"the why of '{objective.text}' reads back differently"
        if len(objective.key_results) != len(back.key_results):
            counts = f"{len(back.key_results)} key results instead of {len(objective.key_results)}"
            return f"'{objective.text}' has {counts}"
        for kr, kr_back in zip(objective.key_results, back.key_results, strict=True):
            if kr.text != kr_back.text:
                return f"key result '{kr.text}' reads back as '{kr_back.text}'"
            for name in ("owner", "baseline", "target", "current", "unit"):
                if not _same_value(getattr(kr, name), getattr(kr_back, name)):
                    return f"the {name} of '{kr.text}' reads back as {getattr(kr_back, name)!r}"
            if (kr.confidence is None) != (kr_back.confidence is None) or (
                kr.confidence is not None and abs(kr.confidence - (kr_back.confidence or 0)) > 1e-6
            ):
                return f"the confidence of '{kr.text}' reads back as {kr_back.confidence!r}"
            if [s.code for s in kr.suppressions] != [s.code for s in kr_back.suppressions]:
                return f"the suppressions of '{kr.text}' read back differently"
    return None
