"""The input formats, one record each: what a format is called, which file names it owns, and the modules
that read it, find an edited text in it and write a whole draft in it.

Everything that names formats reads them from here: the parsers' dispatch (`coach.parse`), every CLI
`--input-format` choice list, the organisation loader's file discovery, the text editor
(`coach.write.edits`), the whole-file dumper (`coach.write.dump`) and the TUI's "Save as". A new format is
one reader module plus one line in FORMATS (and, to be editable in place, a locator and a dumper).

The reader, locator and dumper are named as "module:attribute" strings and imported on first use, so that
reading one format never loads the others' modules, and this module imports nothing of the engine.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Format:
    name: str  # the canonical name, as --input-format takes it and Document.format holds it
    suffixes: tuple[str, ...]  # file name endings, lower case, the first being the one written
    aliases: tuple[str, ...]  # other names --input-format and the config accept
    reader: str  # "module": its parse(text, name) -> Document
    locator: str  # "module:function": where an edited text sits (coach.write.locate)
    dumper: str  # "module:function": a whole Document as this format's text (coach.write.dump)
    # A binary format's reader takes the file's bytes (or, from the paths that read text, the bytes carried
    # as latin-1 text: coach.parse.decode); its locator and dumper refuse to write it.
    binary: bool = False

    def read(self) -> Callable[[Any, str], Any]:
        """The reader's parse(text, name) (a binary format's: parse(data, name))."""
        reader: Callable[[Any, str], Any] = importlib.import_module(self.reader).parse
        return reader

    def locate(self) -> Callable[..., Any]:
        return _attribute(self.locator)

    def dump(self) -> Callable[..., str]:
        dumper: Callable[..., str] = _attribute(self.dumper)
        return dumper


FORMATS: tuple[Format, ...] = (
    Format("yaml", (".yaml", ".yml"), ("yml",), "coach.parse.yaml", "coach.write.locate:locate_yaml",
           "coach.write.dump:to_yaml"),
    Format("markdown", (".md", ".markdown", ".mdx"), ("md", "mdx"), "coach.parse.markdown",
           "coach.write.locate:locate_markdown", "coach.write.dump:to_markdown"),
    Format("csv", (".csv", ".tsv"), ("tsv",), "coach.parse.csv", "coach.write.locate:locate_csv",
           "coach.write.dump:to_csv"),
    Format("json", (".json",), (), "coach.parse.json", "coach.write.locate:locate_json",
           "coach.write.dump:to_json"),
    Format("xlsx", (".xlsx", ".xlsm"), ("excel", "xlsm"), "coach.parse.xlsx", "coach.write.xlsx:locate",
           "coach.write.xlsx:dump", binary=True),  # text edits go into cells; structure refuses
)  # fmt: skip

NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS)  # the --input-format choices, in this order
SUFFIXES: frozenset[str] = frozenset(s for f in FORMATS for s in f.suffixes)
_BY_NAME = {alias: f for f in FORMATS for alias in (f.name, *f.aliases)}
_BY_SUFFIX = {suffix: f for f in FORMATS for suffix in f.suffixes}


NO_DRAFTS = "folder holds no OKR drafts (" + ", ".join(f.suffixes[0] for f in FORMATS) + ")"


def is_draft(name: str) -> bool:
    """Whether a file found in a folder is a draft to read: a known suffix, and not an office lock file
    ("~$okrs.xlsx", which Excel keeps beside an open workbook)."""
    base = os.path.basename(name)
    return os.path.splitext(base)[1].lower() in SUFFIXES and not base.startswith("~$")


def named(name: str) -> Format | None:
    """The format a name or alias ("yml", "md") stands for, or None."""
    return _BY_NAME.get(name.lower())


def of_path(path: str) -> Format | None:
    """The format a file's extension names, or None."""
    return _BY_SUFFIX.get(os.path.splitext(path)[1].lower())


def choices_text() -> str:
    """The names as a usage line writes them: yaml|markdown|csv|json|xlsx."""
    return "|".join(NAMES)


def _attribute(spec: str) -> Any:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)
