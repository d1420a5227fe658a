"""One open draft as the language server sees it: its format, its config, and the rules' findings (or the
InputError that stopped its reading). No LSP types here: coach.lsp.features turns these into diagnostics,
hovers and code actions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from coach.config import Config, config_path_for, load_config
from coach.engine import review_document
from coach.formats import named, of_path
from coach.model import Document, Finding, InputError
from coach.parse import parse_text

# What an editor calls the formats (LSP languageId), for drafts without a file name ("untitled").
_LANGUAGES = {"markdown": "markdown", "yaml": "yaml", "csv": "csv", "json": "json", "tsv": "csv"}


@dataclass(slots=True)
class Checked:
    """A draft's text at one version and what the rules say about it."""

    version: int | None
    text: str
    fmt: str
    path: str
    doc: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    config: Config = field(default_factory=Config)
    error: InputError | None = None  # the draft (or its config) could not be read


def format_of(path: str, language_id: str | None) -> str | None:
    """The draft's format from its file suffix (coach.formats), else from the editor's language id."""
    known = of_path(path)
    if known is not None:
        return known.name
    alias = _LANGUAGES.get((language_id or "").lower())
    found = named(alias) if alias else None
    return found.name if found else None


class Configs:
    """The config for a draft's folder, found as the CLI finds it, each file re-read when it changes."""

    def __init__(self, config_file: str | None = None, no_config: bool = False) -> None:
        self.config_file, self.no_config = config_file, no_config
        self._cache: dict[tuple[str, float], Config] = {}

    def __call__(self, path: str) -> Config:
        start = path if path and os.path.isabs(path) else None
        if start and not os.path.exists(start) and os.path.isdir(os.path.dirname(start)):
            start = os.path.dirname(start)  # a draft not saved yet: its folder's config
        found = config_path_for(start, config_file=self.config_file, no_config=self.no_config)
        if found is None:
            return Config()
        key = (str(found), _mtime(found))
        if key not in self._cache:
            self._cache = {key: load_config(found)} | {k: v for k, v in self._cache.items() if k[0] != key[0]}
        return self._cache[key]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def check(text: str, path: str, fmt: str, version: int | None, configs: Configs) -> Checked:
    """Read and review the draft; a draft (or config) that cannot be read is one error, never a crash."""
    checked = Checked(version, text, fmt, path)
    try:
        checked.config = configs(path)
        checked.doc = parse_text(text, path, fmt)
        checked.findings = review_document(checked.doc, checked.config)
    except InputError as error:
        checked.error = error
    return checked
