"""The one loader for prompts/*.j2: StrictUndefined, trim_blocks, lstrip_blocks, and a data fence.

User text only ever enters a prompt through the `fence` filter inside a `data_block`: the filter removes
anything that could close or open a fence (`<<<NAME`, `NAME>>>`), so a draft cannot end its own data
block and start talking as the prompt.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from coach.resources import data_dir

TEMPLATES = (
    "rewrite_kr",
    "split_task_kr",
    "ask_baseline",
    "rewrite_objective",
    "coach_objective_set",
    "checkin_pack",
    "ask",
)
_FENCE = re.compile(r"<<<+|>>>+")
_CONTROL = re.compile(
    r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]"
)


def fence(value: object) -> str:
    """Make user text safe between data markers: no marker sequences, no control or bidi characters."""
    text = _CONTROL.sub("", str(value))
    return _FENCE.sub(
        lambda m: "‹" * len(m.group(0)) if m.group(0)[0] == "<" else "›" * len(m.group(0)), text
    )


@dataclass(frozen=True, slots=True)
class Prompt:
    name: str
    version: str  # hash of the template and the shared frame: part of the cache key
    text: str


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    folder = data_dir("prompts")
    sources = {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".j2")
    }
    env = jinja2.Environment(
        loader=jinja2.DictLoader(sources),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # the output is a prompt, not HTML; user text is fenced instead
        keep_trailing_newline=True,
    )
    env.filters["fence"] = fence
    env.globals["sources"] = sources
    return env


def version(name: str) -> str:
    sources = _environment().globals["sources"]
    digest = hashlib.sha256(sources[f"{name}.j2"].encode() + sources["_frame.j2"].encode())
    return digest.hexdigest()[:12]


def render(name: str, **context: Any) -> Prompt:
    """Render prompts/<name>.j2; a missing variable is an error, never an empty string."""
    if name not in TEMPLATES:
        raise ValueError(f"unknown prompt {name!r}")
    text = _environment().get_template(f"{name}.j2").render(**context)
    return Prompt(name, version(name), text)
