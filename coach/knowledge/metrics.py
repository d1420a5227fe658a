"""The outcome-metric catalogue: `knowledge/metrics/<domain>.yaml`, outcome metrics teams measure, each with
its definition, direction, unit, the kinds of work that typically move it, its pitfalls and its source.

The coach uses it to answer a task-like key result with the outcomes that task should change ("Launch the
onboarding checklist" -> week-1 activation rate, time to first value). Teams add their own in the same
shape (`extra` folders, as for passages); an id given twice is an error naming both files.

    metrics() -> dict[str, Metric]              # the shipped catalogue, read once
    load_metrics(folders) -> dict[str, Metric]  # the shipped one and a team's own
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from coach.model import InputError
from coach.resources import data_dir

DIRECTIONS = frozenset({"increase", "decrease", "maintain-within-range"})
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")  # cited as [id]: the shape the answer guard accepts
_FIELDS = ("id", "name", "definition", "direction", "unit", "moved_by", "pitfalls", "source")


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    name: str
    definition: str
    direction: str  # increase | decrease | maintain-within-range
    unit: str
    moved_by: tuple[str, ...]  # the kinds of work that typically move it
    pitfalls: tuple[str, ...]  # how it is gamed or misread
    source: str
    domain: str
    origin: str = "shipped"  # shipped | extra (a team's own)
    aliases: tuple[str, ...] = ()  # other names teams give it ("activation rate", "AOV"); optional
    path: str = field(default="", compare=False)  # the file it was read from
    score: float | None = field(default=None, compare=False)  # set by the store's retrieve_metrics

    def text(self) -> str:
        """What to embed and search: the name and its other names, the definition and the work that moves
        it."""
        also = f" Also called: {', '.join(self.aliases)}." if self.aliases else ""
        return f"{self.name}.{also} {self.definition} Moved by: {', '.join(self.moved_by)}."


@cache
def metrics() -> dict[str, Metric]:
    """The shipped catalogue, by id."""
    folder = data_dir("knowledge").joinpath("metrics")
    files = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".yaml")), key=lambda e: e.name
    )
    return _read(((str(entry.name), entry.read_text(encoding="utf-8")) for entry in files), {}, "shipped")


def load_metrics(folders: Sequence[str | Path] = ()) -> dict[str, Metric]:
    """The shipped catalogue and the metrics in the given folders' `*.yaml` files (a team's own)."""
    out = dict(metrics())
    for folder in folders:
        path = Path(folder)
        if not path.is_dir():
            raise InputError(str(path), "is not a folder of metric files")
        files = sorted(path.glob("*.yaml"))
        out = _read(((str(f), _text(f)) for f in files), out, "extra")
    return out


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), "metric file is not valid UTF-8") from None
    except OSError as error:
        raise InputError(str(path), f"cannot be read: {error.strerror}") from None


def _read(files: Iterable[tuple[str, str]], into: dict[str, Metric], origin: str) -> dict[str, Metric]:
    import yaml

    where: dict[str, str] = {}
    out = dict(into)
    for name, text in files:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise InputError(name, f"invalid YAML: {str(error).splitlines()[0]}") from None
        if not isinstance(data, dict) or not isinstance(data.get("metrics"), list) or not data.get("domain"):
            raise InputError(name, "a metric file holds `domain:` and a `metrics:` list")
        for number, entry in enumerate(data["metrics"], start=1):
            metric = _metric(entry, str(data["domain"]), name, number, origin)
            if metric.id in out:
                first = where.get(metric.id, "the shipped catalogue")
                raise InputError(name, f"metric id {metric.id!r} is given twice (also in {first})")
            out[metric.id] = metric
            where[metric.id] = name
    return out


def _metric(entry: Any, domain: str, name: str, number: int, origin: str) -> Metric:
    if not isinstance(entry, dict):
        raise InputError(name, f"metric {number} is not a mapping of {', '.join(_FIELDS)}")
    missing = [key for key in _FIELDS if not entry.get(key)]
    label = entry.get("id") or f"metric {number}"
    if missing:
        raise InputError(name, f"{label}: missing {', '.join(missing)}")
    if not _ID.match(str(entry["id"])):
        raise InputError(name, f"{label}: an id is lower-case letters, digits, '.', '_' or '-' (at most 64)")
    if entry["direction"] not in DIRECTIONS:
        raise InputError(name, f"{label}: direction must be one of {', '.join(sorted(DIRECTIONS))}")
    lists = {key: entry[key] for key in ("moved_by", "pitfalls")} | {"aliases": entry.get("aliases") or []}
    if not all(isinstance(v, list) and all(isinstance(x, str) and x for x in v) for v in lists.values()):
        raise InputError(name, f"{label}: moved_by, pitfalls and aliases are lists of phrases")
    return Metric(
        id=str(entry["id"]),
        name=str(entry["name"]),
        definition=" ".join(str(entry["definition"]).split()),
        direction=str(entry["direction"]),
        unit=str(entry["unit"]),
        moved_by=tuple(lists["moved_by"]),
        pitfalls=tuple(lists["pitfalls"]),
        aliases=tuple(lists["aliases"]),
        source=str(entry["source"]),
        domain=domain,
        origin=origin,
        path=name,
    )
