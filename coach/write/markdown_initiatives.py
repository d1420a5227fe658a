"""Initiatives appended to a Markdown objective or key result, as lines added to it (coach.write.markdown).

Where the element already has initiatives, each new one is written like the line of its last one, after
that line (and the lines indented under it): a bullet of an "Initiatives:" list gets a bullet with the same
indentation, marker and prefix (`- [ ] `, `- Initiative: `; plain text where the last one is formatted),
a note line ("Initiative: Retry soft declines") a note line; a note paragraph whose lines end in a hard
break (two spaces) keeps ending so. A formatted note ("Initiative: **Retry** soft declines") is refused.
An objective without initiatives gets, after its key-result list, a blank line, an "Initiatives:" label
written like the label above its key results ("**Key results:**" gives "**Initiatives:**", "### Key
results" gives "### Initiatives"; plain "Initiatives:" when there is none) and one bullet each in the
key results' indentation and marker. A key result without initiatives gets an "Initiative: ..." sub-item
in the style of its other sub-items.
"""

from __future__ import annotations

import re

from coach.parse import markdown_text as mdtext
from coach.parse.markdown_blocks import exact_label
from coach.write.elements import NotSurgical

_HEADING = re.compile(r"[ ]{0,3}(#{1,6})[ \t]")
_BULLET = re.compile(r"([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+")
_LABEL_WORDS = re.compile(r"[^\W\d_][\w' -]*[^\W_]|[^\W\d_]")
_HARD_BREAK = "  "


def append_to_objective(
    head: list[str],
    tail: list[str] | None,
    old: list[str],
    added: list[str],
    bullet: str,
    error: NotSurgical,
) -> tuple[list[str], list[str] | None]:
    """The objective's lines before its key results (`head`, its heading among them) and after them (`tail`;
    None when it has no key results) with `added` appended to its initiatives `old`. `bullet` starts a new
    list's items ("- ", "1. "); `error` is raised when the last initiative is not found as a line."""
    if old:
        for lines in (tail or [], head):
            if _append_after_last(lines, old[-1], added, skip=0):
                return head, tail
        raise error
    items = [f"{bullet}{escape(initiative)}" for initiative in added]
    if tail is None:  # no key results: after what the objective holds
        return [*head, "", "Initiatives:", *items], tail
    block = ["", *_label(head), *items]
    return head, block + ([""] if tail and tail[0].strip() else []) + tail


def append_to_key_result(
    lines: list[str], old: list[str], added: list[str], sub_prefix: str, error: NotSurgical
) -> list[str]:
    """A key result's lines (its bullet first) with `added` appended to its initiatives `old`."""
    if old:
        if not _append_after_last(lines, old[-1], added, skip=1):
            raise error
        return lines
    return lines + [f"{sub_prefix}Initiative: {initiative}" for initiative in added]


def _append_after_last(lines: list[str], last: str, added: list[str], skip: int) -> bool:
    """Add `added` after the line that reads as the initiative `last` (the last such line), in its style."""
    for index in range(len(lines) - 1, skip - 1, -1):
        line = lines[index]
        bullet = _BULLET.match(line)
        if _HEADING.match(line) or _initiative_on(line) != last:
            continue
        at = line.rfind(last)
        if at >= 0:
            before, after = line[:at], line[at + len(last) :]
        elif bullet is not None and mdtext.annotation(line[bullet.end() :]) is None:
            before, after = line[: bullet.end()], ""  # a bullet with formatting: the new one is plain
        else:
            continue
        end = index + 1
        if bullet is not None:  # past the lines indented under it
            depth = len(bullet.group(1).expandtabs())
            while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > depth):
                end += 1
            while end > index + 1 and not lines[end - 1].strip():
                end -= 1
        new: list[str] = []
        for initiative in added:
            before = _next_marker(before) if bullet is not None else before
            new.append(before + (escape(initiative) if bullet is not None else initiative) + after)
        if bullet is None and index and _breaks(lines[index - 1]) and not _breaks(line):
            lines[index] = line + _HARD_BREAK  # a note paragraph's lines end in hard breaks
            new = [n + _HARD_BREAK for n in new[:-1]] + new[-1:]
        lines[end:end] = new
        return True
    return False


def _initiative_on(line: str) -> str | None:
    """The initiative a line reads as: a bullet's text (without an "Initiative:" label), or a note's."""
    bullet = _BULLET.match(line)
    if bullet is not None:
        text = mdtext.read(line[bullet.end() :], checkbox=True).text
        found = mdtext.annotation(text)
        return found[1] if found is not None and found[0] == "initiative" else text
    found = mdtext.annotation(mdtext.clean_inline(line))
    return found[1] if found is not None and found[0] == "initiative" else None


def _label(head: list[str]) -> list[str]:
    """An "Initiatives" label written like the key results' label just above them (and the blank line
    after it); "Initiatives:" when they have none."""
    filled = [index for index, line in enumerate(head) if line.strip()]
    if not filled:
        return ["Initiatives:"]
    line = head[filled[-1]]
    heading = _HEADING.match(line)
    lead, words = (line[: heading.end()], line[heading.end() :]) if heading else ("", line)
    if exact_label(mdtext.clean_inline(words)) != "kr":
        return ["Initiatives:"]
    words = _LABEL_WORDS.sub("Initiatives", words, count=1)
    if exact_label(mdtext.clean_inline(words)) != "initiative":
        return ["Initiatives:"]
    return [lead + words, ""] if filled[-1] + 1 < len(head) else [lead + words]


def _next_marker(prefix: str) -> str:
    """A bullet prefix for the next item: "2. " after "1. "."""
    bullet = _BULLET.match(prefix)
    if bullet is None or not bullet.group(2)[0].isdigit():
        return prefix
    number = bullet.group(2)[:-1]
    marker = f"{int(number) + 1}{bullet.group(2)[-1]}"
    return bullet.group(1) + marker + prefix[bullet.start(2) + len(bullet.group(2)) :]


def _breaks(line: str) -> bool:
    return line.endswith(_HARD_BREAK) and bool(line.strip()) and _BULLET.match(line) is None


def _indent(line: str) -> int:
    return len(line.expandtabs()) - len(line.expandtabs().lstrip())


def escape(text: str) -> str:
    """A text that Markdown would not read as a heading, a list item or a numbered item."""
    if re.match(r"[#>+*-]|\d+[.)]", text):
        return "\\" + text
    return text
