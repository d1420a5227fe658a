"""What the structural writers share: the elements and fields the TUI edits, how an edited element is
matched to the one on disk, and how numbers are spelt when written (see coach.write.structure)."""

from __future__ import annotations

from typing import Any

from coach.model import Document, InputError, KeyResult, Objective

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


class NotSurgical(InputError):
    """The change cannot be written as edits to the file (the reason says why); nothing was written."""


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


def changed(old: Element, new: Element) -> list[str]:
    """The edited attributes (of FIELDS) that differ."""
    return [
        attribute
        for attribute in FIELDS
        if hasattr(new, attribute) and not _same(getattr(old, attribute), getattr(new, attribute))
    ]


def appended_initiatives(old: Element, new: Element, name: str) -> list[str]:
    """The initiatives `new` adds after those of `old` ([] when they are the same); NotSurgical when they
    were removed, reordered or changed, or when one added is blank: only appending is written in place."""
    before, after = old.initiatives, new.initiatives
    if after[: len(before)] != before:
        reason = "its initiatives were removed or reordered (only adding some at the end is written)"
        raise NotSurgical(name, f"{new.id}: {reason}")
    added = after[len(before) :]
    if any(not initiative.strip() or initiative != " ".join(initiative.split()) for initiative in added):
        raise NotSurgical(name, f"{new.id}: an initiative added that is blank or spans several lines")
    return added


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
