"""Read an organisation's drafts: a folder tree (one file per team) or one file holding every team.

- **Folders**: every draft below the folder, in any supported format. A file's team is its `team:`, else
  its name (`engineering/platform.yaml` is "platform"). Folders are units: `engineering/index.yaml` (or
  `engineering.yaml` beside the folder) is the unit above everything in `engineering/`, and a
  `company.yaml` / `index.yaml` at the root is the organisation itself.
- **One file**: a CSV/YAML/JSON draft whose rows or objectives carry `team`, `level` and `parent`, or a
  YAML/JSON file that nests units: `teams:` (also `units:`), each with `team`, `level`, `objectives` and
  its own `teams:`.

An unreadable file is recorded with its error and the rest goes on. `jobs > 1` parses files in worker
processes.
"""

from __future__ import annotations

import gc
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from multiprocessing.context import BaseContext
from pathlib import Path

from coach.formats import NO_DRAFTS, SUFFIXES, is_draft, named
from coach.model import Document, InputError, Level, Objective
from coach.org.model import (
    KEY_RESULT,
    LEVEL_RANK,
    OBJECTIVE,
    FileRead,
    Item,
    Organisation,
    Team,
)
from coach.parse import DEFAULT_MAX_BYTES, decode, detect_format, parse_text

Progress = Callable[[str, int, int], None]  # (stage, done, total)
DRAFT_SUFFIXES = SUFFIXES  # every format's (coach.formats)
# A file with one of these names speaks for its folder (the unit), not for a team inside it.
INDEX_STEMS = frozenset({"index", "_index", "company", "organisation", "organization", "org", "okrs"})
SKIPPED_STEMS = frozenset({"readme", "changelog", "license", "contributing"})
_NESTED_YAML = re.compile(r"(?m)^(?:teams|units)\s*:")
_NESTED_JSON = re.compile(r'"(?:teams|units)"\s*:')


def discover(paths: Sequence[str]) -> tuple[list[tuple[str, str]], list[InputError]]:
    """Draft files under `paths` as (path, unit key), in a stable order; missing paths become errors."""
    found: list[tuple[str, str]] = []
    errors: list[InputError] = []
    for given in paths:
        root = Path(given)
        if root.is_dir():
            files = sorted(
                p
                for p in root.rglob("*")
                if is_draft(p.name)
                and p.stem.lower() not in SKIPPED_STEMS
                and not any(part.startswith(".") for part in p.relative_to(root).parts)
                and p.is_file()
            )
            if not files:
                errors.append(InputError(given, NO_DRAFTS))
            found.extend((str(p), unit_key(p.relative_to(root))) for p in files)
        elif root.exists():
            found.append((given, unit_key(Path(root.name))))
        else:
            errors.append(InputError(given, "no such file or folder"))
    return found, errors


def unit_key(relative: Path) -> str:
    """`engineering/platform.yaml` -> "engineering/platform"; `engineering/index.yaml` -> "engineering"."""
    parts = [*relative.parent.parts]
    if relative.stem.lower() not in INDEX_STEMS:
        parts.append(relative.stem)
    return "/".join(parts)


def read_file(path: str, unit: str = "", input_format: str | None = None) -> FileRead:
    """Read one draft; a file that nests units gives one document per unit."""
    result = FileRead(path)
    try:
        fmt = input_format or detect_format(path)
        if fmt is None:
            raise InputError(path, "cannot tell the format from the extension; use --input-format")
        size = os.path.getsize(path) if path != "-" else 0
        if size > DEFAULT_MAX_BYTES:
            raise InputError(path, "file is too large (over the 20 MiB limit)")
        with open(path, "rb") as handle:
            text = decode(handle.read(DEFAULT_MAX_BYTES + 1), path)
        read_text(text, path, fmt, unit, result)
    except InputError as exc:
        result.errors.append(exc)
    except OSError as exc:
        result.errors.append(InputError(path, f"cannot read: {exc.strerror or exc}"))
    return result


def read_text(text: str, name: str, fmt: str, unit: str = "", into: FileRead | None = None) -> FileRead:
    result = into or FileRead(name)
    known = named(fmt)
    fmt = known.name if known else fmt
    nested = (fmt == "yaml" and _NESTED_YAML.search(text)) or (fmt == "json" and _NESTED_JSON.search(text))
    if nested:
        from coach.org.nested import read_nested

        read_nested(text.replace("\r\n", "\n"), name, fmt, unit, result)
    else:
        result.documents.append((parse_text(text, name, fmt), unit))
    return result


def read_all(
    files: Sequence[tuple[str, str]],
    input_format: str | None = None,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> list[FileRead]:
    """Read every file, in order; with `jobs > 1` in worker processes (fork), in chunks."""
    total = len(files)
    out: list[FileRead] = []
    context = _fork_context() if jobs > 1 and total > 1 else None
    if context is None:
        for done, (path, unit) in enumerate(files, start=1):
            out.append(read_file(path, unit, input_format))
            if progress:
                progress("reading", done, total)
        return out
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, total // (jobs * 4) or 1))
    batches = [files[i : i + chunk] for i in range(0, total, chunk)]
    collecting = gc.isenabled()
    gc.disable()  # unpickling builds many objects and no cycles (as in coach.parse)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for batch in pool.map(_read_batch, batches, [input_format] * len(batches)):
                for read, errors in batch:
                    read.errors = [InputError(*error) for error in errors]
                    out.append(read)
                if progress:
                    progress("reading", len(out), total)
    finally:
        if collecting:
            gc.enable()
    return out


def _read_batch(
    batch: Sequence[tuple[str, str]], input_format: str | None
) -> list[tuple[FileRead, list[tuple[str, str, int | None, int | None]]]]:
    """In a worker: read files; errors travel as plain tuples (InputError does not pickle)."""
    out = []
    for path, unit in batch:
        read = read_file(path, unit, input_format)
        errors = [(e.file, e.message, e.line, e.col) for e in read.errors]
        read.errors = []
        out.append((read, errors))
    return out


def _fork_context() -> BaseContext | None:
    import multiprocessing

    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: read in this process
        return None


def load_org(
    paths: Sequence[str],
    input_format: str | None = None,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Organisation:
    """Read every draft under `paths` into an Organisation, alignment resolved. Never raises for a file."""
    from coach.org.alignment import link

    files, errors = discover(paths)
    reads = read_all(files, input_format, jobs=jobs, progress=progress)
    root = paths[0] if len(paths) == 1 else os.path.commonpath([os.path.abspath(p) for p in paths])
    org = assemble(root, reads, errors)
    org.files = len(files)
    link(org)
    return org


def load_org_text(text: str, name: str = "organisation.yaml", input_format: str = "yaml") -> Organisation:
    """An organisation from one file's text (the nested format, or a draft with team columns)."""
    from coach.org.alignment import link

    read = FileRead(name)
    try:
        read_text(text, name, input_format, "", read)
    except InputError as exc:
        read.errors.append(exc)
    org = assemble(name, [read], [])
    org.files = 1
    link(org)
    return org


def assemble(root: str, reads: Sequence[FileRead], errors: Sequence[InputError] = ()) -> Organisation:
    """Teams and items from what was read: split shared files by team, infer levels and units."""
    org = Organisation(root=root, errors=list(errors))
    units: dict[str, str | None] = {}
    default_levels: dict[str, Level] = {}
    for read in reads:
        org.errors.extend(read.errors)
        units.update(read.units)
        default_levels.update(read.levels)
        for _, unit in read.documents:
            units.setdefault(unit, None)
    for unit, parent in list(units.items()):
        if parent is None:
            units[unit] = _nearest_unit(unit, units)
    has_children = {parent for parent in units.values() if parent is not None}
    root_name = Path(os.path.abspath(root)).stem if root not in ("", "-") else "organisation"
    unit_names = _unit_names(units, root_name)
    unit_team: dict[str, str] = {}
    for read in reads:
        for doc, unit in read.documents:
            org.documents.append(doc)
            parts = split_by_team(doc, unit_names[unit])
            for part in parts:
                shared = len(parts) > 1
                fallback = (
                    Level.TEAM if shared else default_levels.get(unit) or _unit_level(unit, has_children)
                )
                team = _team_for(org, part, unit, fallback)
                unit_team.setdefault(unit, team.name)
                _add_items(org, part, team)
    for team in org.teams.values():
        parent_unit = units.get(team.unit)
        while parent_unit is not None and parent_unit not in unit_team:
            parent_unit = units.get(parent_unit)
        if parent_unit is not None and unit_team[parent_unit] != team.name:
            team.parent = unit_team[parent_unit]
    return org


def _nearest_unit(unit: str, units: dict[str, str | None]) -> str | None:
    if unit == "":
        return None
    parts = unit.split("/")
    for end in range(len(parts) - 1, -1, -1):
        candidate = "/".join(parts[:end])
        if candidate in units:
            return candidate
    return None


def _unit_names(units: dict[str, str | None], root_name: str) -> dict[str, str]:
    """A team name per unit: the last folder or file name, the full path where two would clash."""
    last = {unit: (unit.rsplit("/", 1)[-1] if unit else root_name) for unit in units}
    clashes = Counter(last.values())
    return {unit: name if clashes[name] == 1 else (unit or root_name) for unit, name in last.items()}


def split_by_team(doc: Document, default_team: str) -> list[Document]:
    """One document per team: a shared file's objectives grouped by their `team`."""
    groups: dict[str, list[Objective]] = {}
    for objective in doc.objectives:
        groups.setdefault(objective.team or doc.team or default_team, []).append(objective)
    if len(groups) <= 1:
        doc.team = next(iter(groups), doc.team or default_team)
        return [doc]
    parts = []
    for index, (team, objectives) in enumerate(groups.items()):
        parts.append(
            Document(
                path=doc.path,
                format=doc.format,
                objectives=objectives,
                team=team,
                level=doc.level,
                owner=doc.owner,
                period=doc.period,
                parents=list(doc.parents),
                suppressions=doc.suppressions,
                diagnostics=doc.diagnostics if index == 0 else [],  # reported once per file
            )
        )
    return parts


def _unit_level(unit: str, has_children: set[str]) -> Level:
    """A unit's level when its drafts do not say: the root is the company, a unit with units below it a
    department, the rest teams."""
    if unit == "":
        return Level.COMPANY
    return Level.DEPARTMENT if unit in has_children else Level.TEAM


def _team_for(org: Organisation, doc: Document, unit: str, fallback: Level) -> Team:
    name = doc.team or unit
    team = org.teams.get(name)
    if team is None:
        levels = Counter(o.level for o in doc.objectives if o.level is not None)
        level = doc.level or (levels.most_common(1)[0][0] if levels else None)
        team = org.teams[name] = Team(name, level or fallback, level is None, unit=unit)
    elif doc.level is not None and LEVEL_RANK[doc.level] < LEVEL_RANK[team.level]:
        team.level = doc.level
    team.documents.append(doc)
    return team


def _add_items(org: Organisation, doc: Document, team: Team) -> None:
    for objective in doc.objectives:
        level = objective.level or team.level
        key = _unique(org, f"{doc.path}#{objective.id}")
        org.items[key] = Item(key, OBJECTIVE, objective, objective, doc, team.name, level)
        org.element_keys[id(objective)] = key
        for kr in objective.key_results:
            kr_key = _unique(org, f"{doc.path}#{kr.id}")
            org.items[kr_key] = Item(kr_key, KEY_RESULT, kr, objective, doc, team.name, kr.level or level)
            org.element_keys[id(kr)] = kr_key


def _unique(org: Organisation, key: str) -> str:
    """Two elements with one id in a file (SET006 reports it) still get their own keys."""
    if key not in org.items:
        return key
    number = 2
    while f"{key}~{number}" in org.items:
        number += 1
    return f"{key}~{number}"
