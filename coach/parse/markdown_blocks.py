"""Markdown lines grouped into blocks: headings (real and implied), paragraphs, bullet lists and tables.

Only the shapes OKR pages use are recognised; code blocks, MDX imports, JSX and HTML tags are hidden, and
HTML/MDX comments are read only for "okrcoach: ignore ..." directives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coach.parse.markdown_text import Collapsed, annotation, clean_inline, hint_of, strip_prefixes

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)(.*)")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t])#+$")
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")  # a table row's cells: a pipe not escaped
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ITEM = re.compile(r"([ \t]*)([-*+•]|\d{1,9}[.)])(?:[ \t]+|$|(?<=\.)(?=[A-Za-z]))(.*)")
_QUOTE = re.compile(r"(?: {0,3}>[ ]?)+")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_SEPARATOR_CHARS = frozenset("|:- \t")
MAX_LIST_DEPTH = 16  # deeper bullets join the deepest level: real pages never nest this far
_TAG_LINE = re.compile(r"\s*</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>\s*$")
_MDX_LINE = re.compile(r"(?:import|export)\s")
_SUMMARY = re.compile(r"\s*<summary>(.*?)</summary>\s*$", re.IGNORECASE)  # <details> blocks titled by it
_BOLD_LINE = re.compile(r"(\*\*|__)(.+?)\1(:?)")  # fullmatch on stripped text
_DIRECTIVE = re.compile(
    r"\s*okrcoach\b[\s:]*(?:ignore|disable|suppress)\b[\s:]*(.*)", re.IGNORECASE | re.DOTALL
)
_COMMENT_OPEN = re.compile(r"<!--|\{/\*")

# Whole-text labels: a heading or line that announces the list below it, rather than naming an objective.
_KR_LABEL = re.compile(
    r"(?:key[\s-]*results?|krs?|results|measures?(?: of success)?|success (?:criteria|metrics|measures)|"
    r"metrics|outcomes|how (?:we(?:'ll| will) )?(?:measure|know)\b.*|what we(?:'ll| will) (?:ship|deliver)|"
    r"we(?:'ll| will) know we(?:'re| are) successful when)",
    re.IGNORECASE,
)
_INITIATIVE_WORDS = re.compile(
    r"\b(?:initiatives?|projects?|epics?|tasks?|actions?|activities|plans?|to-?dos?)\b", re.IGNORECASE
)
_IGNORE_WORDS = re.compile(
    r"\b(?:anti-?goals?|non-?goals?|not doing|out of scope|risks?|dependenc\w*|notes?|context|background|why|"
    r"motivation|previous|history|links?|resources?|members?|stakeholders?|questions?|faq|references?|retro\w*|"
    r"learnings?|lessons?|updates?|status|mission|vision|values|owners?|team)\b",
    re.IGNORECASE,
)
_INITIATIVE_LABEL = re.compile(r"(?:key |planned )?(?:initiatives|projects|epics)", re.IGNORECASE)
_IGNORE_LABEL = re.compile(
    r"anti-?goals|non-?goals|notes|risks|dependencies|context|background|why|motivation|open questions|links|"
    r"resources|previous (?:quarters?|okrs)|not (?:this|next) (?:quarter|cycle|half|year)|not doing|"
    r"out of scope|parking lot|backlog|ideas|later|done|completed",
    re.IGNORECASE,
)


@dataclass(slots=True, eq=False)
class Heading:
    level: int  # 1-6 for "#" headings; 7 for implied ones (a bold line, an "Objective 1:" line)
    raw: str
    line: int
    col: int
    label: str | None = None  # "kr" | "initiative" | "ignore": announces the list below; not an element
    hinted: bool = False  # an "Objective 3:" line whose text is on the next line
    parent: Heading | None = None
    role: str = "container"  # objective | kr | container (decided by markdown.py)
    kr_material: bool = False
    objective_material: bool = False
    contains_objectives: bool = False

    def place(self, offset: int) -> tuple[int, int]:
        """The line and column of character `offset` of raw."""
        return self.line, self.col + offset


@dataclass(slots=True, eq=False)
class Item:
    indent: int
    ordered: bool
    raw: str
    line: int
    col: int
    children: list[Item] = field(default_factory=list)
    more: list[tuple[int, int, str]] = field(default_factory=list)  # lazy continuations: (line, col, text)
    joins: list[tuple[int, int, int]] = field(default_factory=list)  # joined into raw: (index, line, col)

    def place(self, offset: int) -> tuple[int, int]:
        """The line and column of character `offset` of raw, which holds the continuation lines too."""
        line, col = self.line, self.col + offset
        for index, number, start in self.joins:
            if offset >= index:
                line, col = number, start + offset - index
        return line, col


@dataclass(slots=True, eq=False)
class ListRun:
    items: list[Item] = field(default_factory=list)  # the top-level items; nested ones are their children
    mode: str = "flat"  # flat (key results) | nested | split | alternate (objectives with key results)


@dataclass(slots=True, eq=False)
class Para:
    lines: list[tuple[int, int, str]] = field(default_factory=list)  # (line, col, raw text)


@dataclass(slots=True, eq=False)
class Table:
    rows: list[tuple[int, list[tuple[int, str]]]] = field(default_factory=list)  # (line, [(col, raw cell)])


@dataclass(slots=True)
class Directive:
    line: int
    col: int
    payload: str
    own_line: bool  # alone on its line(s): it applies to the element on the next line
    end_line: int = 0  # the last line of a comment that spans several


Block = Heading | ListRun | Para | Table


def label_kind(text: str) -> str:
    if _INITIATIVE_WORDS.search(text):
        return "initiative"
    if _IGNORE_WORDS.search(text):
        return "ignore"
    return "kr"


def exact_label(text: str) -> str | None:
    """The label kind when a heading's whole text is a label ("Key results", "Initiatives", "Risks")."""
    text = clean_inline(text).rstrip(":").strip()
    if _KR_LABEL.fullmatch(text):
        return "kr"
    if _INITIATIVE_LABEL.fullmatch(text):
        return "initiative"
    if _IGNORE_LABEL.fullmatch(text):
        return "ignore"
    return None


def hide(lines: list[str], directives: list[Directive]) -> None:
    """Blank out code blocks, comments, MDX import/export lines and tag-only lines, in place."""
    fence: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            lines[index] = ""
        elif (opened := _FENCE.match(line)) is not None:
            fence = opened.group(1)
            lines[index] = ""
        elif _COMMENT_OPEN.search(line):
            index = _comments(lines, index, directives)
            continue
        elif _MDX_LINE.match(line) or _TAG_LINE.match(line):
            lines[index] = ""
        index += 1


def _comments(lines: list[str], index: int, directives: list[Directive]) -> int:
    """Cut the comments out of lines[index] (and the lines a comment spans); returns the next line to read."""
    line = lines[index]
    # The line with its closed comments blanked is built once from pieces, and "alone on its line" is kept
    # as we go: rebuilding and rescanning the line for each comment made 80,000 comments take 80 s.
    pieces: list[str] = []
    copied = 0  # line[:copied] is in pieces
    blank_before = True  # nothing but spaces and comments before the current position
    text_end = len(line.rstrip())  # past the line's last non-space character
    search_from = 0
    while (opened := _COMMENT_OPEN.search(line, search_from)) is not None:
        closer = "-->" if opened.group(0) == "<!--" else "*/}"
        start = opened.start()
        blank_before = blank_before and not line[search_from:start].strip()
        end = line.find(closer, opened.end())
        if end >= 0:
            payload = line[opened.end() : end]
            end += len(closer)
            own = blank_before and end >= text_end
            _directive(payload, index + 1, start + 1, own, directives)
            pieces += [line[copied:start], " " * (end - start)]
            copied = search_from = end
            continue
        parts = [line[opened.end() :]]  # the comment runs on to later lines
        own = blank_before
        lines[index] = "".join([*pieces, line[copied:start]])
        last = index + 1
        while last < len(lines) and closer not in lines[last]:
            parts.append(lines[last])
            lines[last] = ""
            last += 1
        if last < len(lines):
            tail = lines[last]
            cut = tail.find(closer) + len(closer)
            parts.append(tail[: cut - len(closer)])
            lines[last] = " " * cut + tail[cut:]
            own = own and not tail[cut:].strip()
        _directive("\n".join(parts), index + 1, start + 1, own, directives)
        return last  # read the closing line again: text or another comment may follow the closer
    lines[index] = "".join([*pieces, line[copied:]]) if pieces else line
    return index + 1


def _directive(payload: str, line: int, col: int, own: bool, directives: list[Directive]) -> None:
    match = _DIRECTIVE.match(payload)
    if match is not None:
        end_line = line + payload.count("\n")
        directives.append(Directive(line, col, " ".join(match.group(1).split()), own, end_line))


def blocks(lines: list[str], collapsed: Collapsed | None = None) -> list[Block]:
    """The blocks of the lines (once hidden). Their columns count in the lines as `collapsed` reads them:
    `collapsed.col` gives the file's column."""
    collapsed = collapsed if collapsed is not None else Collapsed()
    out: list[Block] = []
    para: Para | None = None
    run: ListRun | None = None
    stack: list[Item] = []
    blank_since_item = False
    table: Table | None = None
    for index, original in enumerate(lines):
        number = index + 1
        quote = _QUOTE.match(original)
        offset = quote.end() if quote else 0
        line = collapsed.collapse(number, offset, original[offset:])
        if not line.strip():
            para, table = None, None
            blank_since_item = True
            continue
        if table is not None and "|" in line:
            table.rows.append((number, _cells(line, offset)))
            continue
        table = None
        summary = _SUMMARY.match(line)
        if summary is not None and summary.group(1).strip():
            para, run = None, None
            inner = summary.group(1)
            col = offset + summary.start(1) + len(inner) - len(inner.lstrip()) + 1
            out.append(Heading(7, inner.strip(), number, col))
            continue
        heading = _ATX.match(line)
        if heading is not None:
            para, run = None, None
            raw = heading.group(2).rstrip()
            closing = _CLOSING_HASHES.search(raw)
            raw = raw[: closing.start()].rstrip() if closing else raw
            col = offset + heading.start(2) + 1 if raw else 1
            out.append(Heading(len(heading.group(1)), raw, number, col))
            continue
        if (
            para is not None
            and len(para.lines) == 1
            and _SETEXT.match(line)
            and not _ITEM.match(para.lines[0][2])
        ):
            out.pop()  # the paragraph is always the last block while it is open
            first = para.lines[0]
            out.append(Heading(1 if line.strip()[0] == "=" else 2, first[2].strip(), first[0], first[1]))
            para = None
            continue
        if _BREAK.match(line):
            para, run = None, None
            continue
        if "|" in line and index + 1 < len(lines) and _is_separator(lines[index + 1]):
            para, run = None, None
            table = Table(rows=[(number, _cells(line, offset))])
            out.append(table)
            continue
        item = _ITEM.match(line)
        if item is not None:
            para = None
            indent = len(item.group(1).expandtabs(4))
            node = Item(
                indent, item.group(2)[0].isdigit(), item.group(3).rstrip(), number, offset + item.start(3) + 1
            )
            if run is None:
                run = ListRun()
                out.append(run)
                stack = []
            while stack and (stack[-1].indent >= indent or len(stack) >= MAX_LIST_DEPTH):
                stack.pop()
            (stack[-1].children if stack else run.items).append(node)
            stack.append(node)
            blank_since_item = False
            continue
        stripped = line.strip()
        if run is not None and stack:
            if not blank_since_item:
                col = offset + len(line) - len(line.lstrip()) + 1
                stack[-1].more.append((number, col, stripped))  # a lazy continuation of the bullet above
                continue
            if len(line) - len(line.lstrip()) >= 2:
                continue  # an indented paragraph inside a bullet: notes, not OKR text
        run = None
        if para is None:
            para = Para()
            out.append(para)
        para.lines.append((number, offset + len(line) - len(line.lstrip()) + 1, line.strip()))
    for block in out:
        if isinstance(block, ListRun):
            _join_continuations(block.items)
    return _implied(out)


def _is_separator(line: str) -> bool:
    """A table's header separator row: "|---|:--:|"."""
    stripped = line.strip()
    return "-" in stripped and "|" in stripped and set(stripped) <= _SEPARATOR_CHARS


def _join_continuations(items: list[Item]) -> None:
    for item in items:
        if item.more:
            parts, index = [item.raw], len(item.raw) + 1
            for number, col, text in item.more:
                item.joins.append((index, number, col))
                parts.append(text)
                index += len(text) + 1
            item.raw = " ".join(parts)
            item.more = []
        _join_continuations(item.children)


def _cells(line: str, offset: int) -> list[tuple[int, str]]:
    cells: list[tuple[int, str]] = []
    start = 0
    stripped = line.rstrip()
    parts = _CELL_SEPARATOR.split(stripped)
    if parts and not parts[0].strip() and stripped.lstrip().startswith("|"):
        start = len(parts[0]) + 1
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    for part in parts:
        lead = len(part) - len(part.lstrip())
        cells.append((offset + start + lead + 1, part.strip().replace("\\|", "|")))
        start += len(part) + 1
    return cells


def _implied(found: list[Block]) -> list[Block]:
    """Paragraph lines that act as headings or bullets: "**Objective 1: ...**", "Objective 1: ...",
    "KR1: ...", and labels such as "Key results:" that announce the list below."""
    out: list[Block] = []
    for position, block in enumerate(found):
        if not isinstance(block, Para):
            out.append(block)
            continue
        following = found[position + 1] if position + 1 < len(found) else None
        lines = block.lines
        number, col, raw = lines[0]
        if len(lines) == 1 and (label := _line_label(raw, following)) is not None:
            out.append(Heading(8, raw, number, col, label=label))
            continue
        bold = _BOLD_LINE.fullmatch(raw)
        if bold is not None and hint_of(raw) is None and annotation(clean_inline(raw)) is None:
            colon = bool(bold.group(3)) or bold.group(2).rstrip().endswith(":")
            out.append(Heading(8 if colon else 7, raw, number, col, label=label_kind(raw) if colon else None))
            lines = lines[1:]
        current: Para | ListRun | None = None
        index = 0
        while index < len(lines):
            number, col, raw = lines[index]
            index += 1
            hint = hint_of(raw)
            if hint == "objective":
                current = None
                bare = not clean_inline(strip_prefixes(raw)[0]).strip(" :*_")
                if bare and index < len(lines):
                    number, col, raw = lines[index]  # "Objective 3:" alone: the text is on the next line
                    index += 1
                out.append(Heading(7, raw, number, col, hinted=True))
            elif hint == "kr":
                if not isinstance(current, ListRun):
                    current = ListRun()
                    out.append(current)
                current.items.append(Item(0, False, raw, number, col))
            else:
                if not isinstance(current, Para):
                    current = Para()
                    out.append(current)
                current.lines.append((number, col, raw))
    return out


def _line_label(raw: str, following: Block | None) -> str | None:
    if hint_of(raw) is not None and clean_inline(strip_prefixes(raw)[0]).strip(" :*_"):
        return None  # "Objective 1: ..." or "KR2: ..." with text: an element, not a label
    text = clean_inline(raw).strip()
    before_list = isinstance(following, ListRun | Table)
    if _KR_LABEL.fullmatch(text.rstrip(":").strip()) and (before_list or text.endswith(":")):
        return "kr"
    if before_list and text.endswith(":") and len(text.split()) <= 8:
        return label_kind(text)
    bold = _BOLD_LINE.fullmatch(raw)
    if bold is not None and (bold.group(3) or bold.group(2).rstrip().endswith(":")):
        return label_kind(text)
    return exact_label(text) if before_list else None
