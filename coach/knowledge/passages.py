"""Read knowledge passages: one Markdown file per idea, YAML front matter (id, title, source, tags, rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from coach.model import InputError
from coach.resources import data_dir

REQUIRED = ("id", "title", "source")


@dataclass(frozen=True, slots=True)
class Passage:
    id: str
    title: str
    source: str
    text: str
    tags: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    path: str = ""
    origin: str = "shipped"  # shipped | extra (a team's own playbook)
    score: float | None = field(default=None, compare=False)

    def citation(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "source": self.source}


_SIMPLE_LINE = re.compile(r"^([A-Za-z_][\w-]*):[ \t]*(.*?)[ \t]*$")


def _simple_front_matter(block: str) -> dict[str, object] | None:
    """The passages' front matter is plain `key: value` and `key: [a, b]` lines: read those without
    importing PyYAML (it costs ~20 ms at every start). Anything fancier returns None and YAML reads it."""
    meta: dict[str, object] = {}
    for line in block.strip("\n").splitlines():
        if not line.strip():
            continue
        m = _SIMPLE_LINE.match(line)
        if not m:
            return None
        key, value = m.groups()
        if value.startswith("[") and value.endswith("]"):
            items = [v.strip() for v in value[1:-1].split(",") if v.strip()]
            if any(ch in item for item in items for ch in "\"'[]{}#"):
                return None
            meta[key] = items
        elif value.startswith('"') and value.endswith('"') and len(value) >= 2 and "\\" not in value:
            meta[key] = value[1:-1]
        elif value[:1] in set("'[{&*!|>%@`#") or ": " in value or " #" in value:
            return None
        else:
            meta[key] = value
    return meta


def _yaml_front_matter(block: str, path: str) -> object:
    import yaml

    try:
        return yaml.safe_load(block) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            path,
            f"invalid front matter: {getattr(exc, 'problem', exc)}",
            line=(mark.line + 2) if mark else None,
        ) from None


def parse_passage(text: str, path: str, origin: str = "shipped") -> Passage:
    """Parse one passage file; a malformed one raises InputError naming the file and line."""
    if not text.startswith("---"):
        raise InputError(path, "a knowledge passage must start with '---' front matter", line=1)
    end = text.find("\n---", 3)
    if end < 0:
        raise InputError(path, "front matter is not closed with '---'", line=1)
    simple = _simple_front_matter(text[3:end])
    meta: Any = simple if simple is not None else _yaml_front_matter(text[3:end], path)
    if not isinstance(meta, dict):
        raise InputError(path, "front matter must be a mapping", line=2)
    missing = [key for key in REQUIRED if not str(meta.get(key) or "").strip()]
    if missing:
        raise InputError(path, f"front matter lacks {', '.join(missing)}", line=2)
    body = text[end + 4 :].lstrip("-\n").strip()
    return Passage(
        id=str(meta["id"]).strip(),
        title=str(meta["title"]).strip(),
        source=str(meta["source"]).strip(),
        text=body,
        tags=tuple(str(t) for t in meta.get("tags") or ()),
        rules=tuple(str(r).upper() for r in meta.get("rules") or ()),
        path=path,
        origin=origin,
    )


def _read_folder(folder: Traversable | Path, origin: str) -> list[Passage]:
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".md") and entry.is_file():
            try:
                text = entry.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise InputError(str(entry), "knowledge passage is not valid UTF-8") from None
            out.append(parse_passage(text, str(entry), origin))
    return out


def load_passages(extra_dirs: tuple[str, ...] = ()) -> dict[str, Passage]:
    """The shipped passages plus any from `extra_dirs` (a team's own playbook), by id."""
    out: dict[str, Passage] = {}
    sources: list[tuple[Traversable | Path, str]] = [(data_dir("knowledge"), "shipped")]
    for extra in extra_dirs:
        if not Path(extra).is_dir():
            raise InputError(extra, "knowledge folder does not exist")
        sources.append((Path(extra), "extra"))
    for folder, origin in sources:
        for passage in _read_folder(folder, origin):
            if passage.id in out:
                raise InputError(
                    passage.path, f"passage id {passage.id!r} is already used by {out[passage.id].path}"
                )
            out[passage.id] = passage
    return out


@lru_cache(maxsize=8)
def passages(extra_dirs: tuple[str, ...] = ()) -> dict[str, Passage]:
    """Cached load_passages()."""
    return load_passages(extra_dirs)
