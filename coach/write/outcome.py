"""A task-like key result rewritten as an outcome, the task kept as an initiative, written surgically.

`apply_outcome(text, fmt, kr_id, new_text)` is the draft `text` with key result `kr_id`'s text replaced by
`new_text` and the old text (or `initiative`) appended to the initiatives of the place the format keeps
them for it (`initiative_home`):

- YAML, JSON and Markdown: the key result's objective (YAML and JSON: its `initiatives` list, added before
  `key_results` when it has none; Markdown: its "Initiatives:" list or `Initiative:` notes, an
  "Initiatives:" list after its key results when it has none);
- CSV: the key result's own row, in its `initiatives` cell (the parser reads that column as the row's key
  result's initiatives; a table without the column is refused rather than given a new column, which would
  rewrite every row).

Everything else keeps its bytes (comments, layout, quoting, line ends, a BOM): coach.write.structure
writes the change and reads the result back before returning it. An initiative already there is not
added twice. NotSurgical (an InputError) says why a change cannot be written this way (an unknown key
result id, a Markdown table or a CSV without an initiatives column, an objective written as a plain
string, ...); nothing is written by this module.
"""

from __future__ import annotations

import copy

from coach.model import Document, InputError, KeyResult, Objective
from coach.parse import parse_text
from coach.write.elements import NotSurgical
from coach.write.structure import apply_structure
from coach.write.xlsx import refuse_binary

__all__ = ["apply_outcome", "initiative_home", "with_outcome"]


def apply_outcome(
    text: str,
    fmt: str,
    kr_id: str,
    new_text: str,
    name: str = "<draft>",
    initiative: str | None = None,
) -> str:
    """`text` (format yaml | json | markdown | csv) with key result `kr_id` reading `new_text` and its old
    text (or `initiative`) appended to the initiatives where the format keeps them (see the module)."""
    refuse_binary(fmt, name)
    body = text.removeprefix("\ufeff").replace("\r\n", "\n")
    try:
        doc = parse_text(body, name, fmt)
    except InputError as error:
        raise NotSurgical(name, f"the file on disk cannot be read ({error.message})") from None
    return apply_structure(text, fmt, with_outcome(doc, kr_id, new_text, initiative), name)


def with_outcome(doc: Document, kr_id: str, new_text: str, initiative: str | None = None) -> Document:
    """A copy of `doc` with key result `kr_id` reading `new_text` and its old text (or `initiative`) at the
    end of the initiatives `initiative_home` names, unless it is there already."""
    wanted = copy.deepcopy(doc)
    found = [(o, kr) for o in wanted.objectives for kr in o.key_results if kr.id == kr_id]
    if not found:
        raise NotSurgical(doc.path, f"no key result {kr_id!r} in the draft")
    objective, kr = found[0]
    moved = " ".join((kr.text if initiative is None else initiative).split())
    text = " ".join(new_text.split())
    if not text or not moved:
        raise NotSurgical(doc.path, f"{kr_id}: a blank key result text or initiative")
    kr.text = text
    home: Objective | KeyResult = kr if initiative_home(doc.format) == "key_result" else objective
    if moved not in home.initiatives:
        home.initiatives.append(moved)
    return wanted


def initiative_home(fmt: str) -> str:
    """Where a format keeps a key result's moved task: "objective", or "key_result" where only the key
    result's row has a place for it (CSV)."""
    return "key_result" if fmt == "csv" else "objective"
