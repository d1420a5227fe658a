"""Structural changes to Markdown drafts as edits to their lines (see coach.write.structure for the contract).

The shape written in place: objectives as headings, their key results as list items under them. An
objective's extent runs from its heading to the next heading of its level or above; a key result's from its
bullet (with the `<!-- okrcoach: ignore -->` comments just above it) over the lines indented under it. Blank
lines between items stay where they are. Fields are edited where they are written: a sub-item
("  - Target: 75%") or an inline field ("(owner: @dana, confidence: 60%)"); a new one becomes a sub-item.
Initiatives added to an objective or key result are lines added to it (coach.write.markdown_initiatives).

Not written in place (NotSurgical, so the caller asks before rewriting the whole file): key results in a
table or as headings, objectives as list items, a changed "why" paragraph, an owner given only as an
@mention, a new objective field.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from coach.model import Document, KeyResult, Objective
from coach.write.elements import (
    NotSurgical,
    appended_initiatives,
    changed,
    confidence_like,
    matches,
    number_text,
    percent_text,
)
from coach.write.locate import md_region
from coach.write.markdown_initiatives import append_to_key_result, append_to_objective, escape

_HEADING = re.compile(r"[ ]{0,3}(#{1,6})[ \t]")
_BULLET = re.compile(r"([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+")
_COMMENT = re.compile(r"[ \t]*<!--.*-->[ \t]*")
_MENTION = re.compile(r"[(\[,;][ \t]*(@[\w.-]+)")
_OBJECTIVE_LABEL = re.compile(r"(?i:objective)\s*\d+\s*[:.)–—-]\s*")
_SHORT_LABEL = re.compile(r"O\d+\s*[:.)–—-]\s*")
_NAMES = {
    "owner": "owner|owners|dri|lead|assignee",
    "baseline": "baseline|start",
    "target": "target",
    "current": "current",
    "unit": "units?",
    "confidence": "confidence|conf",
}
_LABELS = {name: name.capitalize() for name in _NAMES}


def _sub_item(names: str) -> re.Pattern[str]:
    return re.compile(
        rf"([ \t]*(?:[-*+]|\d+[.)])[ \t]+(?:\*\*)?(?i:{names})(?:\*\*)?[ \t]*:[ \t]*)(.*?)[ \t]*"
    )


def _inline(names: str) -> re.Pattern[str]:
    return re.compile(rf"(?i:\b(?:{names}))[ \t]*[:=][ \t]*([^,;()\[\]]*[^,;()\[\]\s])")


@dataclass(slots=True)
class _Item:
    parsed: Objective | KeyResult
    start: int  # line index of its first line (a comment above it, its heading or bullet)
    line: int  # its heading's or bullet's line index
    end: int  # past its last non-blank line
    indent: str = ""
    marker: str = "-"
    krs: list[_Item] = field(default_factory=list)


def render_markdown(text: str, on_disk: Document, wanted: Document, name: str) -> str:
    return _Markdown(text, on_disk, name).render(wanted)


class _Markdown:
    def __init__(self, text: str, on_disk: Document, name: str) -> None:
        self.name, self.on_disk = name, on_disk
        self.final_newline = text.endswith("\n")
        self.lines = (text[:-1] if self.final_newline else text).split("\n")
        self.objectives = [self._objective(objective) for objective in on_disk.objectives]
        self.by_id = {id(item.parsed): item for o in self.objectives for item in (o, *o.krs)}

    def fail(self, reason: str) -> NotSurgical:
        return NotSurgical(self.name, f"Markdown: {reason}")

    # -- locating -------------------------------------------------------------------------------------

    def _objective(self, objective: Objective) -> _Item:
        at = objective.span.line - 1
        heading = _HEADING.match(self.lines[at]) if 0 <= at < len(self.lines) else None
        if heading is None:
            raise self.fail(f"{objective.id} is not a heading")
        level, end = len(heading.group(1)), len(self.lines)
        for number in range(at + 1, len(self.lines)):
            other = _HEADING.match(self.lines[number])
            if other and len(other.group(1)) <= level:
                end = number
                break
        item = _Item(objective, self._above(at, 0), at, self._content_end(at, end))
        for kr in objective.key_results:
            item.krs.append(self._key_result(kr, at + 1, item.end))
        return item

    def _key_result(self, kr: KeyResult, lo: int, hi: int) -> _Item:
        at = kr.span.line - 1
        bullet = _BULLET.match(self.lines[at]) if lo <= at < hi else None
        if bullet is None:
            raise self.fail(f"{kr.id} is not a list item under its objective")
        indent = len(bullet.group(1).expandtabs())
        end = at + 1
        for number in range(at + 1, hi):
            line = self.lines[number]
            if not line.strip():
                continue
            if len(line) - len(line.lstrip()) <= indent or _HEADING.match(line):
                break
            end = number + 1
        marker = bullet.group(2) if not bullet.group(2)[0].isdigit() else "1."
        return _Item(kr, self._above(at, lo), at, end, bullet.group(1), marker)

    def _above(self, at: int, lo: int) -> int:
        """Comments just above a line go with it."""
        while at - 1 >= lo and _COMMENT.fullmatch(self.lines[at - 1]):
            at -= 1
        return at

    def _content_end(self, at: int, end: int) -> int:
        while end > at + 1 and not self.lines[end - 1].strip():
            end -= 1
        return end

    # -- writing --------------------------------------------------------------------------------------

    def render(self, wanted: Document) -> str:
        self.found = matches(self.on_disk, wanted)
        top = self.objectives
        blocks = [self._render_objective(objective, n) for n, objective in enumerate(wanted.objectives, 1)]
        out = self._join(top, blocks)
        lines = self.lines[: top[0].start] + out + self.lines[top[-1].end :]
        return "\n".join(lines) + ("\n" if self.final_newline else "")

    def _join(self, items: list[_Item], blocks: list[list[str]]) -> list[str]:
        separators = [self.lines[a.end : b.start] for a, b in itertools.pairwise(items)]
        if any(line.strip() for separator in separators for line in separator):
            raise self.fail("text between the items of a list")
        separators = separators + separators[-1:] * len(blocks) or [[""]] * len(blocks)
        out: list[str] = []
        for index, block in enumerate(blocks):
            out += block + (separators[index] if index < len(blocks) - 1 else [])
        return out

    def _item(self, element: Objective | KeyResult) -> _Item | None:
        old = self.found.get(id(element))
        return None if old is None else self.by_id.get(id(old))

    def _render_objective(self, wanted: Objective, number: int) -> list[str]:
        item = self._item(wanted)
        if item is None:
            return self._new_objective(wanted, number)
        assert isinstance(item.parsed, Objective)
        head_end = item.krs[0].start if item.krs else item.end
        head = self.lines[item.start : head_end]
        attributes = changed(item.parsed, wanted)
        for attribute in attributes:
            if attribute == "text":
                head[item.line - item.start] = self._text(item, wanted.text)
            elif attribute == "owner":
                self._field(head, item.line - item.start, "owner", wanted.owner, None, item)
            else:
                raise self.fail(f"{wanted.id}: its {attribute} cannot be edited in place")
        tail = self.lines[item.krs[-1].end : item.end] if item.krs else None
        added = appended_initiatives(item.parsed, wanted, self.name)
        if added:
            template = item.krs[0] if item.krs else None
            bullet = f"{template.indent}{template.marker} " if template else "- "
            missing = self.fail(f"{wanted.id}: its last initiative was not found as a line of its own")
            head, tail = append_to_objective(head, tail, item.parsed.initiatives, added, bullet, missing)
        if tail is None:
            if wanted.key_results:
                raise self.fail(f"{wanted.id}: key results added where there were none")
            return head
        krs = [self._render_kr(kr, item) for kr in wanted.key_results]
        body = self._join(item.krs, krs) if krs else []
        return head + body + tail

    def _render_kr(self, wanted: KeyResult, listing: _Item) -> list[str]:
        item = self._item(wanted)
        template = listing.krs[0]
        if item is None:
            return self._new_kr(wanted, template)
        assert isinstance(item.parsed, KeyResult)
        lines = self.lines[item.start : item.end]
        at = item.line - item.start
        for attribute in changed(item.parsed, wanted):
            value = getattr(wanted, attribute)
            if attribute == "text":
                lines[at] = self._text(item, value)
            else:
                self._field(lines, at, attribute, value, getattr(item.parsed, attribute), item)
        added = appended_initiatives(item.parsed, wanted, self.name)
        if added:
            missing = self.fail(f"{wanted.id}: its last initiative was not found as a line of its own")
            prefix = self._sub_prefix(item)
            lines = append_to_key_result(lines, item.parsed.initiatives, added, prefix, missing)
        delta = len(template.indent.expandtabs()) - len(item.indent.expandtabs())
        return [_shift(line, delta) for line in lines]

    def _text(self, item: _Item, new: str) -> str:
        line = self.lines[item.line]
        region = md_region(line, 0, len(line), item.parsed.span.col - 1, item.parsed.text)
        if region is None:
            raise self.fail(f"{item.parsed.id}: its text runs over more than one line")
        return line[: region[0]] + new + line[region[1] :]

    def _field(self, lines: list[str], at: int, name: str, value: object, old: object, item: _Item) -> None:
        """Set, clear or add one field of the element whose heading or bullet is lines[at]."""
        sub = _sub_item(_NAMES[name])
        for index in range(at + 1, len(lines)):
            match = sub.fullmatch(lines[index])
            if match:
                if value is None:
                    del lines[index]
                else:
                    lines[index] = match.group(1) + _value(name, value, match.group(2))
                return
        inline = _inline(_NAMES[name])
        text_end = _md_text_end(lines[at], item)
        match = inline.search(lines[at], text_end)
        if match:
            if value is None:
                lines[at] = _drop_inline(lines[at], match.start(), match.end())
            else:
                source = _value(name, value, match.group(1))
                lines[at] = lines[at][: match.start(1)] + source + lines[at][match.end(1) :]
            return
        mention = _MENTION.search(lines[at], text_end) if name == "owner" else None
        if mention:  # "(@priya)": the owner as a handle
            start, end = mention.span(1)
            if value is None:
                lines[at] = _drop_inline(lines[at], start, end)
            else:
                lines[at] = lines[at][:start] + f"owner: {value}" + lines[at][end:]
            return
        if old is not None:
            raise self.fail(f"{item.parsed.id}: its {name} is not written as a field")
        if value is None:
            return
        if isinstance(item.parsed, Objective):
            raise self.fail(f"{item.parsed.id}: a new {name} for an objective")
        lines.append(f"{self._sub_prefix(item)}{_LABELS[name]}: {_value(name, value, None)}")

    def _sub_prefix(self, item: _Item) -> str:
        """How a field is written under a key result: like the sub-items under it or its siblings."""
        krs = [kr for objective in self.objectives for kr in objective.krs]
        for kr in sorted(krs, key=lambda kr: kr is not item):
            for line in self.lines[kr.line + 1 : kr.end]:
                bullet = _BULLET.match(line)
                if bullet and len(bullet.group(1).expandtabs()) > len(kr.indent.expandtabs()):
                    depth = len(bullet.group(1).expandtabs()) - len(kr.indent.expandtabs())
                    return item.indent + " " * depth + bullet.group(2) + " "
        return (
            item.indent
            + " " * (len(item.marker) + 1)
            + ("-" if item.marker[0].isdigit() else item.marker)
            + " "
        )

    # -- new elements ---------------------------------------------------------------------------------

    def _new_kr(self, wanted: KeyResult, template: _Item) -> list[str]:
        lines = [f"{template.indent}{template.marker} {escape(wanted.text)}"]
        prefix = self._sub_prefix(template)
        for name in _NAMES:
            value = getattr(wanted, name)
            if value is not None:
                lines.append(f"{prefix}{_LABELS[name]}: {_value(name, value, None)}")
        return lines

    def _new_objective(self, wanted: Objective, number: int) -> list[str]:
        if wanted.description:
            raise self.fail(f"{wanted.id}: a new objective with a why")
        template = self.objectives[0]
        heading = self.lines[template.line]
        hashes = _HEADING.match(heading)
        assert hashes is not None
        label = ""
        rest = heading[hashes.end() :]
        if _OBJECTIVE_LABEL.match(rest):
            label = f"Objective {number}: "
        elif _SHORT_LABEL.match(rest):
            label = f"O{number}: "
        owner = f" (owner: {wanted.owner})" if wanted.owner else ""
        lines = [f"{hashes.group(1)} {label}{escape(wanted.text)}{owner}"]
        kr_template = next((o.krs[0] for o in self.objectives if o.krs), None)
        if wanted.key_results:
            if kr_template is None:
                raise self.fail("no key result to copy the list style from")
            lines.append("")
            for kr in wanted.key_results:
                lines += self._new_kr(kr, kr_template)
        return lines


def _md_text_end(line: str, item: _Item) -> int:
    region = md_region(line, 0, len(line), item.parsed.span.col - 1, item.parsed.text)
    return region[1] if region else 0


def _drop_inline(line: str, start: int, end: int) -> str:
    """The line without the inline field at [start, end), its separator and an emptied bracket."""
    before, after = line[:start], line[end:]
    if after.lstrip().startswith((",", ";")):
        after = after.lstrip()[1:].lstrip()
    elif before.rstrip().endswith((",", ";")):
        before = before.rstrip()[:-1]
    out = re.sub(r"\s*[(\[]\s*[)\]]", "", before + after)
    if not after.strip():  # "text — owner: Sam": the dash went with it
        out = re.sub(r"\s+[–—-]{1,2}\s*$|\s*[|·•]\s*$", "", out)
    return out


def _value(name: str, value: object, old: str | None) -> str:
    if value is None:
        return ""
    if name == "confidence" and isinstance(value, float):
        return str(confidence_like(value, old)) if old else percent_text(value)
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def _shift(line: str, delta: int) -> str:
    if delta > 0 and line.strip():
        return " " * delta + line
    if delta < 0:
        return line[min(-delta, len(line) - len(line.lstrip(" "))) :]
    return line
