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
  A value that did not change keeps its spelling (`confidence: 7` stays 7, an unreadable `150%` stays).

The result is read back and compared with `wanted` before it is returned. What cannot be done this way (a
shape the locator does not know, a change to fields the TUI does not edit) raises NotSurgical with the
reason, before anything is written: the caller can then offer to rewrite the whole file instead.
YAML and JSON are located by coach.write.tree, CSV by coach.write.rows, Markdown by coach.write.markdown.
"""

from __future__ import annotations

from typing import Any

from coach.model import Document, InputError, KeyResult, Objective
from coach.parse import parse_text

__all__ = ["FIELDS", "NotSurgical", "apply_structure", "difference", "number_text", "percent_text"]

Element = Objective | KeyResult
FIELDS = {  # what the TUI edits: the element's attribute -> the field's canonical name in the schema
    "text": "text",
    "owner": "owner",
    "description": "description",
    "baseline": "baseline",
    "target": "target",
    "current": "current",
    "unit": "unit",
    "confidence": "confidence",
}
_OTHER = ("team", "level", "parents", "initiatives")  # fields the TUI does not edit: they must not change


class NotSurgical(InputError):
    """The change cannot be written as edits to the file (the reason says why); nothing was written."""


# -- the entry point ---------------------------------------------------------------------------------------


def apply_structure(text: str, fmt: str, wanted: Document, name: str = "<draft>") -> str:
    """`text` (format yaml | json | markdown | csv) changed so that it reads as `wanted`."""
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


def matches(on_disk: Document, wanted: Document) -> dict[int, Element]:
    """For each wanted element (by id()), the element on disk it came from, found by where its text is."""
    at = {(type(e), e.span.line, e.span.col): e for e in elements(on_disk)}
    out: dict[int, Element] = {}
    used: set[int] = set()
    for element in elements(wanted):
        old = at.get((type(element), element.span.line, element.span.col)) if element.span.line else None
        if old is not None and id(old) not in used:
            out[id(element)] = old
            used.add(id(old))
    return out


def check_fields(on_disk: Document, wanted: Document, name: str) -> None:
    """Refuse a change to what this writer does not edit (teams, levels, parents, ...)."""
    found = matches(on_disk, wanted)
    for element in elements(wanted):
        old = found.get(id(element))
        if old is None:  # a new element takes its team and level from where it is written
            if any(getattr(element, attribute) for attribute in ("parents", "initiatives", "suppressions")):
                raise NotSurgical(name, f"{element.id}: a new element with fields that cannot be written")
            continue
        for attribute in _OTHER:
            if getattr(old, attribute) != getattr(element, attribute):
                raise NotSurgical(name, f"{element.id}: its {attribute} changed")
        if [(s.code, s.reason) for s in old.suppressions] != [
            (s.code, s.reason) for s in element.suppressions
        ]:
            raise NotSurgical(name, f"{element.id}: its suppressions changed")


def changed(old: Element, new: Element) -> list[str]:
    """The edited attributes (of FIELDS) that differ."""
    return [
        attribute
        for attribute in FIELDS
        if hasattr(new, attribute) and not _same(getattr(old, attribute), getattr(new, attribute))
    ]


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


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a))
    return (None if a == "" else a) == (None if b == "" else b)


def elements(doc: Document) -> list[Element]:
    """Every objective followed by its key results, in document order."""
    out: list[Element] = []
    for objective in doc.objectives:
        out += [objective, *objective.key_results]
    return out


def number_text(value: float | str) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def percent_text(value: float) -> str:
    return f"{round(value * 100, 4):g}%"


def confidence_like(value: float, old: str | None) -> str | float:
    """A confidence written the way the old one was (70%, 7, 7/10, 0.7); a fraction when there was none."""
    raw = (old or "").strip().lower().replace(" ", "")
    if raw.endswith("%"):
        return percent_text(value)
    if raw.endswith("/10") or raw.endswith("outof10"):
        return f"{round(value * 10, 4):g}/10"
    try:
        number = float(raw)
    except ValueError:
        return round(value, 6)
    if 1 < number <= 10 and float(round(value * 10, 4)).is_integer():
        return round(value * 10)
    if 10 < number <= 100 and float(round(value * 100, 4)).is_integer():
        return round(value * 100)
    return round(value, 6)
