"""Write structural changes (added, deleted or moved elements, changed fields) as edits to the draft's text.

`apply_structure(text, fmt, wanted)` turns the draft `text` into one that reads as `wanted` (the edited
Document, whose elements keep the spans the parser gave them; a new element has line 0) by changing only
the edited elements' source:

- the objectives list and each objective's key-result list are rebuilt from their items' source extents
  (a YAML item: its lines, from its `-` to the next item; a JSON or flow item: its value), so a deleted item
  loses its extent, moved items swap theirs, and everything between and around the lists keeps its bytes;
- a new item is written after its siblings, in their style: their indentation and their key names;
- a field that changed (text, owner, why, baseline, target, current, unit, confidence) has just its value
  replaced, its line removed when it was cleared, or a line added for it in the element's indentation.
  A value that did not change keeps its spelling (`confidence: 7` stays 7, an unreadable `150%` stays);
- initiatives added at the end of an element's list are written where the parser reads them back: in
  YAML and JSON the element's `initiatives` list (coach.write.tree_initiatives), in Markdown the
  objective's "Initiatives:" list or its `Initiative:` notes (coach.write.markdown_initiatives), in CSV the
  key result's `initiatives` cell (a CSV row has no place for an objective's). Removing or reordering
  initiatives is refused; coach.write.outcome writes a task moved into its objective's initiatives.

The result is read back and compared with `wanted` before it is returned. What cannot be done this way (a
shape the locator does not know, a change to fields the TUI does not edit) raises NotSurgical with the
reason, before anything is written: the caller can then offer to rewrite the whole file instead.
YAML and JSON are located by coach.write.tree, CSV by coach.write.rows, Markdown by coach.write.markdown.
"""

from __future__ import annotations

from coach.model import Document, InputError
from coach.parse import parse_text
from coach.write.elements import (
    FIELDS,
    NotSurgical,
    appended_initiatives,
    changed,
    elements,
    matches,
    number_text,
    percent_text,
)
from coach.write.xlsx import refuse_binary

__all__ = ["FIELDS", "NotSurgical", "apply_structure", "difference", "number_text", "percent_text"]

_OTHER_FIELDS = ("team", "level", "parents")  # fields the TUI does not edit: they must not change


# -- the entry point ---------------------------------------------------------------------------------------


def apply_structure(text: str, fmt: str, wanted: Document, name: str = "<draft>") -> str:
    """`text` (format yaml | json | markdown | csv) changed so that it reads as `wanted`."""
    refuse_binary(fmt, name)
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    crlf = "\r\n" in body
    lone = body.replace("\r\n", "")
    if "\r" in lone or (crlf and "\n" in lone):
        raise NotSurgical(name, "the file mixes line ends")
    body = body.replace("\r\n", "\n")
    try:
        on_disk = parse_text(body, name, fmt)
    except InputError as error:
        raise NotSurgical(name, f"the file on disk cannot be read ({error.message})") from None
    check_fields(on_disk, wanted, name)
    try:
        if fmt in ("yaml", "json"):
            from coach.write.tree import render_tree

            result = render_tree(body, fmt, on_disk, wanted, name)
        elif fmt == "markdown":
            from coach.write.markdown import render_markdown

            result = render_markdown(body, on_disk, wanted, name)
        else:
            from coach.write.rows import render_rows

            result = render_rows(body, on_disk, wanted, name)
    except (
        AttributeError,
        IndexError,
        KeyError,
        TypeError,
        ValueError,
        StopIteration,
        AssertionError,
    ) as error:
        # a shape the locators did not foresee: refuse (the caller can ask to rewrite the whole file)
        raise NotSurgical(
            name, f"the change could not be located in the file ({type(error).__name__})"
        ) from None
    verify(result, fmt, wanted, name)
    return bom + (result.replace("\n", "\r\n") if crlf else result)


def check_fields(on_disk: Document, wanted: Document, name: str) -> None:
    """Refuse a change to what this writer does not edit (teams, levels, parents, suppressions) and any
    change to initiatives but adding some at the end."""
    found = matches(on_disk, wanted)
    for element in elements(wanted):
        old = found.get(id(element))
        if old is None:  # a new element takes its team and level from where it is written
            if any(getattr(element, attribute) for attribute in ("parents", "initiatives", "suppressions")):
                raise NotSurgical(name, f"{element.id}: a new element with fields that cannot be written")
            continue
        for attribute in _OTHER_FIELDS:
            if getattr(old, attribute) != getattr(element, attribute):
                raise NotSurgical(name, f"{element.id}: its {attribute} changed")
        appended_initiatives(old, element, name)  # only initiatives added at the end are written
        if [(s.code, s.reason) for s in old.suppressions] != [
            (s.code, s.reason) for s in element.suppressions
        ]:
            raise NotSurgical(name, f"{element.id}: its suppressions changed")


def verify(result: str, fmt: str, wanted: Document, name: str) -> None:
    try:
        back = parse_text(result, name, fmt)
    except InputError as error:
        raise NotSurgical(name, f"the edited file would not read back ({error.message})") from None
    problem = difference(wanted, back)
    if problem:
        raise NotSurgical(name, f"the edited file would read back differently: {problem}")


def difference(want: Document, got: Document) -> str | None:
    """The first way `got` differs from `want` in what the TUI edits, or None."""
    if [len(o.key_results) for o in want.objectives] != [len(o.key_results) for o in got.objectives]:
        return "not the same objectives and key results"
    for element, back in zip(elements(want), elements(got), strict=True):
        for attribute in changed(back, element):
            return f"the {attribute} of {element.id} reads back as {getattr(back, attribute)!r}"
        if element.parents != back.parents or element.initiatives != back.initiatives:
            return f"the parents or initiatives of {element.id} read back differently"
        if [s.code for s in element.suppressions] != [s.code for s in back.suppressions]:
            return f"the suppressions of {element.id} read back differently"
    return None
