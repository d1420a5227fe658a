"""Write rewrites back into an OKR draft, changing only the edited texts.

`apply_edits` finds each edited element's text in the file -- the scalar's source extent in YAML, the
string literal in JSON, the text after the bullet or heading prefixes in Markdown, the row's cell in CSV --
replaces just that, and re-parses the result to check that exactly the edited elements changed. Comments,
blank lines, quoting of other values, indentation and line endings (`\\r\\n` or `\\n`) stay as they were.

An edit whose old text is not where its span says (the file changed since it was parsed) is refused with an
InputError, and so is a rewrite that would not read back as intended: no half-edited text is ever returned.

CSV files and Markdown tables repeat an objective on each of its rows (one row per key result): editing the
objective rewrites every row of that objective whose objective cell carries its text (same team, same
objective id), so the rows still form one objective. Rows with a blank objective cell stay blank.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from coach.formats import named
from coach.io import backup_path, write_atomic
from coach.model import Document, InputError, KeyResult, Objective
from coach.parse import decode, parse_text
from coach.parse.common import clean_text
from coach.write.locate import Edit, Lines, Replacement, Target, Where, short
from coach.write.xlsx import refuse_binary, write_cells

__all__ = ["Edit", "apply_edits", "write_edits"]


def apply_edits(text: str, fmt: str, edits: Sequence[Edit], name: str = "<draft>") -> str:
    """The draft `text` (format yaml | markdown | csv | json) with the edits applied; nothing else changes."""
    if not edits:
        return text
    refuse_binary(fmt, name)
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = Lines(text[len(bom) :])
    doc = parse_text(lines.text, name, fmt)  # also refuses an unknown format
    targets = _resolve(doc, edits, name)
    locate = named(doc.format).locate()  # type: ignore[union-attr]  # parse_text knew the format
    result = bom + _splice(lines.text, locate(lines, targets, name), name)
    _verify(result, name, doc, targets)
    return result


def write_edits(path: str, fmt: str, edits: Sequence[Edit]) -> Path:
    """Apply the edits to the file at `path` atomically, keeping the previous content as `<path>.bak`.

    Returns the backup's path. The file is left untouched when any edit cannot be applied safely.
    A workbook's edits go into its cells (coach.write.xlsx.write_cells), or are refused in one line."""
    known = named(fmt)
    if known is not None and known.binary:
        return write_cells(str(path), edits)
    target = Path(path)
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror or error}") from None
    decode(data, str(path))  # a clear error for a file that is not UTF-8 text
    result = apply_edits(data.decode("utf-8"), fmt, edits, str(path))  # keeps a BOM and the line ends
    backup = write_atomic(target, result, backup=True)  # refuses a read-only draft; follows a symlink
    return backup if backup is not None else backup_path(target)


# -- finding the edited elements and checking the result --------------------------------------------------


def _elements(doc: Document) -> Iterator[tuple[Where, Objective | KeyResult]]:
    for oi, objective in enumerate(doc.objectives):
        yield (oi, None), objective
        for ki, kr in enumerate(objective.key_results):
            yield (oi, ki), kr


def _resolve(doc: Document, edits: Sequence[Edit], name: str) -> list[Target]:
    """Each edit's element in the draft as it is now; an edit whose text is not at its span is stale."""
    at: dict[tuple[int, int], list[tuple[Where, str]]] = {}
    for where, element in _elements(doc):
        at.setdefault((element.span.line, element.span.col), []).append((where, element.text))
    targets: list[Target] = []
    for edit in edits:
        old, new, line = clean_text(edit.old), clean_text(edit.new), edit.span.line
        if not new:
            raise InputError(name, f"{edit.target}: the new text is empty", line=line)
        found = [where for where, text in at.get((line, edit.span.col), []) if text == old]
        if not found:
            message = f"{edit.target}: '{short(old)}' is no longer at line {line}, column {edit.span.col}"
            raise InputError(name, message + "; the file changed since it was read", line=line)
        if any(target.where == found[0] for target in targets):
            raise InputError(name, f"{edit.target}: edited twice", line=line)
        targets.append(Target(edit, found[0], old, new))
    return targets


def _splice(text: str, replacements: list[Replacement], name: str) -> str:
    out, position = [], 0
    for start, end, source, line in sorted(replacements):
        if start < position:
            raise InputError(name, "two edits overlap", line=line)
        out += [text[position:start], source]
        position = end
    return "".join([*out, text[position:]])


def _verify(result: str, name: str, before: Document, targets: list[Target]) -> None:
    """Re-read the rewritten draft: same objectives and key results, only the edited texts changed."""
    try:
        after = parse_text(result, name, before.format)
    except InputError as error:
        raise InputError(name, f"the rewritten draft would not read back ({error}); not changed") from None
    if [len(o.key_results) for o in after.objectives] != [len(o.key_results) for o in before.objectives]:
        raise InputError(
            name, "the rewrite would change the number of objectives or key results; not changed"
        )
    wanted = {target.where: target.new for target in targets}
    for (where, old), (_, new) in zip(_elements(before), _elements(after), strict=True):
        if new.text == wanted.get(where, old.text):
            continue
        if where not in wanted:  # a YAML alias of an edited text, say
            message = f"the rewrite would also change {old.id} ('{short(old.text)}')"
        else:
            message = f"{old.id}: the rewrite would read back as '{short(new.text)}'"
            message += f", not '{short(wanted[where])}'"
        raise InputError(name, message + "; not changed", line=old.span.line)
