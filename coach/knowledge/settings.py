"""Where the knowledge store lives and what goes into it: `StoreSettings` (cache folder or Chroma server,
embedding, a team's extra folders), read from a config's [knowledge] table and the command line, and the
one error the store raises (`KnowledgeError`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.model import InputError


class KnowledgeError(Exception):
    """The store cannot be used as asked (server unreachable, embedder mismatch...). One clear line."""


def default_cache_dir() -> Path:
    """$OKRCOACH_CACHE_DIR, else $XDG_CACHE_HOME/okrcoach, else ~/.cache/okrcoach."""
    if os.environ.get("OKRCOACH_CACHE_DIR"):
        return Path(os.environ["OKRCOACH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "okrcoach"


@dataclass(frozen=True, slots=True)
class StoreSettings:
    cache_dir: Path = field(default_factory=default_cache_dir)
    chroma_url: str | None = None
    embedding: str = "auto"  # auto | onnx | hashing
    extra_dirs: tuple[str, ...] = ()  # folders of the team's own passages
    extra_metric_dirs: tuple[str, ...] = ()  # folders of the team's own metrics (*.yaml)

    @classmethod
    def from_config(cls, knowledge: dict[str, Any], **overrides: Any) -> StoreSettings:
        """From a config's [knowledge] table (cache-dir, chroma-url, embedding, extra, extra-metrics) plus CLI
        overrides."""
        values: dict[str, Any] = {
            "cache_dir": Path(knowledge["cache-dir"]).expanduser() if knowledge.get("cache-dir") else None,
            "chroma_url": knowledge.get("chroma-url"),
            "embedding": knowledge.get("embedding", "auto"),
            "extra_dirs": folders(knowledge, "extra"),
            "extra_metric_dirs": folders(knowledge, "extra-metrics"),
        }
        values.update({k: v for k, v in overrides.items() if v not in (None, ())})
        return cls(**{k: v for k, v in values.items() if v is not None})


def folders(knowledge: dict[str, Any], key: str) -> tuple[str, ...]:
    """A [knowledge] folder list (`extra`, `extra-metrics`, also `extra_metrics`): one path or a list."""
    value = knowledge.get(key, knowledge.get(key.replace("-", "_"), ()))
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{key} must be a folder or a list of folders")
    return tuple(value)


def parse_url(url: str) -> tuple[str, int, bool]:
    """A Chroma server's URL as (host, port, ssl); an InputError when it is not http(s)://host[:port]."""
    m = re.fullmatch(r"(https?)://([^:/]+)(?::(\d+))?/?", url.strip())
    if not m:
        raise InputError(url, "--chroma-url must look like http://host:port")
    scheme, host, port = m.groups()
    return host, int(port or (443 if scheme == "https" else 8000)), scheme == "https"
