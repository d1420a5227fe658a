"""`okrcoach knowledge search` and `okrcoach doctor` reports: the passages found, and what is installed,
configured and built. The commands are in coach.cli.knowledge."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any


def render_search_text(found: Sequence[Any]) -> str:
    lines = [] if found else ["no passages found"]
    for passage in found:
        lines.append(f"{passage.score:6.3f}  {passage.id}  {passage.title}")
        lines.append(f"        source: {passage.source}")
    return "\n".join(lines) + "\n"


def render_search_json(found: Sequence[Any]) -> str:
    rows = [{**p.citation(), "score": p.score, "tags": list(p.tags), "origin": p.origin} for p in found]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def render_doctor_text(info: dict[str, Any]) -> str:
    """One line per finding of doctor's; its problems are not among them (the command writes those to
    stderr)."""
    lines = []
    for key, value in info.items():
        if key == "problems":
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        lines.append(f"{key:10} {value}")
    return "\n".join(lines) + "\n"


def render_doctor_json(info: dict[str, Any]) -> str:
    return json.dumps(info, indent=2, ensure_ascii=False, default=str) + "\n"


# --format: name -> renderer, in the order `okrcoach knowledge search --help` and `doctor --help` list them.
SEARCH_FORMATS: dict[str, Callable[[Sequence[Any]], str]] = {
    "text": render_search_text,
    "json": render_search_json,
}
DOCTOR_FORMATS: dict[str, Callable[[dict[str, Any]], str]] = {
    "text": render_doctor_text,
    "json": render_doctor_json,
}
