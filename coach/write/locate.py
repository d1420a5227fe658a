"""Where an edited text sits in a draft's source, per format: the scalar's extent in YAML, the string
literal in JSON, the text after the bullet or heading prefixes in Markdown (and a table's cell), the row's
cell in CSV. Each locator turns the edits (Targets) into replacements of source text; coach.write.edits
applies and checks them. coach.formats names each format's locator.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]
from textwrap import shorten

import yaml

from coach.model import InputError, Span
from coach.parse.columns import Columns, map_header
from coach.parse.common import clean_text
from coach.parse.csv import cell_starts, sniff_delimiter
from coach.parse.markdown_text import clean_inline, read
from coach.parse.yaml import scalar_start

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A leading indicator, ": " or " #" inside, a trailing colon, tabs, surrounding spaces: quote the value.
_YAML_NOT_PLAIN = re.compile(r"\A(?:[-?:,\[\]{}#&*!|>'\"%@`\s]|\Z)|: | #|\t|:\Z|\s\Z")
_YAML_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_MD_PIPE = re.compile(r"(?<!\\)\|")

Where = tuple[int, int | None]  # (objective index, key result index or None for the objective itself)
Replacement = tuple[int, int, str, int]  # [start, end) in the file's text, the new source text, its line
Cell = tuple[int, int, str]  # a table cell: [start, end) of its text, and its value as the parser reads it


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace one objective's or key result's text."""

    target: str  # the element id (objective or KR id), for messages
    span: Span  # the element's span as the parser produced it
    old: str  # the element's text as parsed (Objective.text / KeyResult.text)
    new: str  # the replacement text; line breaks and runs of spaces become single spaces


@dataclass(frozen=True, slots=True)
class Target:
    edit: Edit
    where: Where
    old: str
    new: str

    @property
    def is_objective(self) -> bool:
        return self.where[1] is None


def short(text: str) -> str:
    return shorten(text, 60, placeholder="...")


def stale(name: str, target: Target, detail: str = "") -> InputError:
    span = target.edit.span
    message = f"{target.edit.target}: cannot find '{short(target.old)}' at line {span.line}"
    return InputError(name, message + (f" ({detail})" if detail else ""), line=span.line)


class Lines:
    """The draft's text with its line ends as written, addressed like the parser's (1-based line, column)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm = text.replace("\r\n", "\n").replace("\r", "\n")  # what the parsers read
        self.starts, self.ends = [0], []
        for match in _LINE_BREAK.finditer(text):
            self.ends.append(match.start())
            self.starts.append(match.end())
        self.ends.append(len(text))
        self.norm_starts = [0] + [match.end() for match in re.finditer("\n", self.norm)]

    def offset(self, line: int, col: int) -> int:
        if line > len(self.starts):
            return len(self.text)
        return min(self.starts[line - 1] + max(col, 1) - 1, self.ends[line - 1])

    def line(self, number: int) -> tuple[int, str]:
        """Where line `number` starts, and its text without the line end ("" past the end)."""
        if not 1 <= number <= len(self.starts):
            return len(self.text), ""
        return self.starts[number - 1], self.text[self.starts[number - 1] : self.ends[number - 1]]

    def where(self, norm_index: int) -> tuple[int, int]:
        """The (line, column) of an index into the normalised text."""
        line = bisect.bisect_right(self.norm_starts, norm_index)
        return line, norm_index - self.norm_starts[line - 1] + 1


# -- YAML and JSON ----------------------------------------------------------------------------------------


def locate_yaml(lines: Lines, targets: list[Target], name: str) -> list[Replacement]:
    """Each text's scalar, found by where its text starts, computed as the parser does."""
    scalars: dict[tuple[int, int], tuple[int, int, str, str, bool]] = {}  # start, end, style, value, in flow
    flow: list[bool] = []
    for event in yaml.parse(lines.norm, Loader=_LOADER):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            flow.append(bool(event.flow_style))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            flow.pop()
        elif isinstance(event, yaml.ScalarEvent) and event.start_mark and event.end_mark:
            style, last = event.style or "", event.end_mark
            line, col = scalar_start(lines.norm, lines.norm_starts, event)  # past an &anchor and a !tag
            start, end = lines.offset(line, col), lines.offset(last.line + 1, last.column + 1)
            col += 1 if style in ("'", '"') else 0
            if style in ("|", ">"):  # the parser points at the first line of a block scalar's text
                line = next(
                    (n for n in range(line + 1, len(lines.starts) + 1) if lines.line(n)[1].strip()), line
                )
                col = 1 + len(lines.line(line)[1]) - len(lines.line(line)[1].lstrip())
            scalars.setdefault((line, col), (start, end, style, event.value, any(flow)))
    out: list[Replacement] = []
    for target in targets:
        span = target.edit.span
        hit = scalars.get((span.line, span.col))
        if hit is None or clean_text(hit[3]) != target.old:
            raise stale(name, target)
        start, end, style, _, in_flow = hit
        if style in ("|", ">"):  # a double-quoted line in its place; a comment after the indicator stays
            while end > start and lines.text[end - 1] in " \t\r\n":
                end -= 1
            eol = _LINE_BREAK.search(lines.text, start)
            comment = re.search(r"[ \t]+#.*", lines.text[start : eol.start() if eol else end])
            source = yaml_double(target.new) + (comment.group(0) if comment else "")
        elif style == "'" and not _YAML_UNPRINTABLE.search(target.new):
            source = "'" + target.new.replace("'", "''") + "'"
        elif style in ("'", '"') or not yaml_plain_ok(target.new, in_flow):
            source = yaml_double(target.new)
        else:
            source = target.new
        out.append((start, end, source, span.line))
    return out


def yaml_plain_ok(value: str, in_flow: bool) -> bool:
    """Whether `value` reads back as the same string when written as a plain scalar."""
    if _YAML_NOT_PLAIN.search(value) or (in_flow and any(char in value for char in ",[]{}")):
        return False
    if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
        return False  # it would read as a number, a boolean, a date or null
    try:
        return bool(yaml.load(f"- {value}\n", Loader=_LOADER) == [value])
    except yaml.YAMLError:
        return False


def yaml_double(value: str) -> str:
    """A double-quoted YAML scalar: JSON's escapes, plus those YAML needs for characters JSON leaves raw."""
    dumped = json.dumps(value, ensure_ascii=False)
    return _YAML_UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", dumped)


def locate_json(lines: Lines, targets: list[Target], name: str) -> list[Replacement]:
    out: list[Replacement] = []
    for target in targets:
        span = target.edit.span
        start = lines.offset(span.line, span.col - 1)  # the span points past the opening quote
        try:
            if span.col < 2 or not lines.text.startswith('"', start):
                raise ValueError
            value, end = scanstring(lines.text, start + 1)
        except ValueError:
            raise stale(name, target, "no string starts there") from None
        if clean_text(value) != target.old:
            raise stale(name, target)
        out.append((start, end, json.dumps(target.new, ensure_ascii=False), span.line))
    return out


# -- Markdown ---------------------------------------------------------------------------------------------


def locate_markdown(lines: Lines, targets: list[Target], name: str) -> list[Replacement]:
    """Replace the element's text on its line, from where it starts (the span: past any bullet, number,
    "KR1:" or checkbox) to where it ends, keeping inline fields and comments after it; in tables, the cell."""
    out: list[Replacement] = []
    tables: dict[int, _Table | None] = {}
    for target in targets:
        span, p = target.edit.span, target.edit.span.col - 1
        start, line = lines.line(span.line)
        if span.line not in tables:  # each table is read once
            table = _md_table(lines, span.line)
            tables.update(dict.fromkeys([*(table.rows if table else ()), span.line], table))
        table = tables[span.line]
        cells = table.rows.get(span.line, []) if table else []
        region = next((md_region(line, lo, hi, p, target.old) for lo, hi, _ in cells if lo <= p <= hi), None)
        region = region or md_region(line, 0, len(line), p, target.old)
        if region is None:
            raise stale(name, target, "not on that line: text running on to the next line is not rewritten")
        source = target.new.replace("|", "\\|") if table else target.new  # other markup: refused by _verify
        out.append((start + region[0], start + region[1], source, span.line))
        at = table.columns.index.get("objective") if table and target.is_objective else None
        if table is None or at is None:
            continue
        for number, row in table.same_objective(span.line, at, target.old):  # the rows repeating it
            row_start, text = lines.line(number)
            region = md_region(text, row[at][0], row[at][1], row[at][0], row[at][2])
            if region is None:
                raise InputError(name, f"{target.edit.target}: cannot find the objective's text", line=number)
            if number != span.line:
                out.append((row_start + region[0], row_start + region[1], source, number))
    return out


def md_region(line: str, lo: int, hi: int, p: int, old: str) -> tuple[int, int] | None:
    """The shortest [s, b) within [lo, hi), starting nearest to `p`, whose text reads as `old`."""
    back = p
    while back > lo and line[back - 1] in "*_[`~":  # emphasis or a link that the text starts inside
        back -= 1
    tried: set[int] = set()
    for s in [p, back, *(q for d in range(1, hi - lo + 1) for q in (p - d, p + d))]:
        if s in tried or not lo <= s < hi or (line[s] != old[0] and line[s] not in "*_~`[<\\!"):
            continue
        tried.add(s)
        for b in range(s + len(old), hi + 1):  # markup only ever makes the source longer than the text
            if (line[b - 1] == old[-1] or line[b - 1] in "*_~`])>") and clean_inline(line[s:b]) == old:
                return s, b
    return None


def _md_cells(line: str, objective: int | None = None) -> list[Cell]:
    """Each table cell's text on the line (split at unescaped pipes, like the parser) and its value."""
    size = len(line.rstrip())
    edges = [-1, *(match.start() for match in _MD_PIPE.finditer(line, 0, size)), size]
    parts = [(edges[i] + 1, edges[i + 1]) for i in range(len(edges) - 1)]
    if parts and not line[slice(*parts[0])].strip() and line.lstrip().startswith("|"):
        parts = parts[1:]
    if parts and not line[slice(*parts[-1])].strip():
        parts = parts[:-1]
    out: list[Cell] = []
    for position, (lo, hi) in enumerate(parts):
        raw = line[lo:hi].strip().replace("\\|", "|")
        value = read(raw, with_fields=False).text if position == objective else clean_inline(raw)
        lo += len(line[lo:hi]) - len(line[lo:hi].lstrip())
        out.append((lo, hi - (len(line[lo:hi]) - len(line[lo:hi].rstrip())), value))
    return out


def _md_table(lines: Lines, number: int) -> _Table | None:
    """The table holding line `number` as a row (None when it is not in one): lines with pipes, from the
    header row above a separator row down to the first line without a pipe."""

    def piped(n: int) -> bool:
        return 1 <= n <= len(lines.starts) and "|" in lines.line(n)[1] and bool(lines.line(n)[1].strip())

    def separator(n: int) -> bool:
        stripped = lines.line(n)[1].strip()
        return "-" in stripped and "|" in stripped and set(stripped) <= set("|:- \t")

    first, last = number, number
    while piped(first - 1):
        first -= 1
    while piped(last + 1):
        last += 1
    separators = [n for n in range(first + 1, number) if separator(n)]
    if not piped(number) or not separators:
        return None
    columns = map_header([value for _, _, value in _md_cells(lines.line(separators[-1] - 1)[1])])
    at = columns.index.get("objective")
    rows = range(separators[-1] + 1, last + 1)
    return _Table(columns, {n: _md_cells(lines.line(n)[1], at) for n in rows if not separator(n)})


@dataclass(slots=True)
class _Table:
    """A table's header and its rows' cells by line number: a CSV file's records, or a Markdown table."""

    columns: Columns
    rows: dict[int, list[Cell]]
    groups: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def key(self, row: list[Cell]) -> tuple[str, str]:
        """How the parser groups rows into one objective: by team, and by objective id or else text."""
        get = {name: row[at][2].strip() for name, at in self.columns.index.items() if at < len(row)}.get
        return clean_text(get("team", "")).casefold(), (
            get("objective_id") or clean_text(get("objective", ""))
        ).casefold()

    def same_objective(self, line: int, at: int, old: str) -> list[tuple[int, list[Cell]]]:
        """The rows of the objective first named on `line` whose objective cell carries its text."""
        if not self.groups:
            for number, row in self.rows.items():
                self.groups.setdefault(self.key(row), []).append(number)
        rows = [(n, self.rows[n]) for n in self.groups.get(self.key(self.rows.get(line, [])), [])]
        return [
            (n, row)
            for n, row in rows
            if at < len(row) and clean_text(row[at][2]).casefold() == old.casefold()
        ]


# -- CSV --------------------------------------------------------------------------------------------------


def locate_csv(lines: Lines, targets: list[Target], name: str) -> list[Replacement]:
    """Rewrite only the edited cells; every other cell and line keeps its bytes (quoting, line ends)."""
    delimiter = "\t" if name.lower().endswith(".tsv") else sniff_delimiter(lines.norm)
    rows = [row for row in csv_records(lines.norm, delimiter) if any(v.strip() for _, _, v in row[1])]
    headers = [map_header([v for _, _, v in cells]) for _, cells in rows[:10]]  # as the parser finds it
    found = (
        i for i, c in enumerate(headers) if c.has_key_results and {"objective", "objective_id"} & set(c.index)
    )
    header_at = next(found, 0)
    table = _Table(headers[header_at], dict(rows[header_at + 1 :]))
    index = table.columns.index
    cell_at: dict[tuple[int, int], tuple[int, int]] = {}  # where a cell's text starts -> its record, position
    for first, cells in rows[header_at + 1 :]:
        record = lines.norm[cells[0][0] : cells[-1][1]]  # a record starts a line, like the parser's
        for at, place in enumerate(cell_starts(record, first, delimiter)):
            cell_at[place] = (first, at)
    out: list[Replacement] = []
    for target in targets:
        span = target.edit.span
        first, at = cell_at.get((span.line, span.col), (0, -1))
        cells = table.rows.get(first, [])
        places = (
            [index.get("objective")]
            if target.is_objective
            else [index.get("key_result"), *table.columns.numbered_krs]
        )
        if at not in places or at >= len(cells) or clean_text(cells[at][2]) != target.old:
            raise stale(name, target)
        edited = table.same_objective(first, at, target.old) if target.is_objective else [(first, cells)]
        for line, row in edited:  # an objective: every row that repeats its text
            start, end, source = csv_cell(lines.norm, row[at], target.new, delimiter)
            out.append((lines.offset(*lines.where(start)), lines.offset(*lines.where(end)), source, line))
    return out


def csv_records(text: str, delimiter: str) -> list[tuple[int, list[Cell]]]:
    """Each record's first line and its cells, as the csv module reads them (a quoted cell may hold line
    breaks; a quote inside an unquoted cell is text)."""
    records: list[tuple[int, list[Cell]]] = []
    index, line, size = 0, 1, len(text)
    while index < size:
        first, cells = line, []
        while True:
            start, value = index, None
            if text.startswith('"', index):
                index += 1
                while True:
                    close = text.find('"', index)
                    index = size if close < 0 else close + (2 if text.startswith('""', close) else 1)
                    if close < 0 or index == close + 1:
                        break
                value = text[start + 1 : index - 1].replace('""', '"')
            stops = [at for at in (text.find(delimiter, index), text.find("\n", index)) if at >= 0]
            stop = min(stops) if stops else size
            cells.append((start, stop, text[start:stop] if value is None else value + text[index:stop]))
            line += text.count("\n", start, stop)
            index = stop
            if not text.startswith(delimiter, index):
                break
            index += len(delimiter)
        records.append((first, cells))
        index, line = index + 1, line + 1
    return records


def csv_cell(text: str, cell: Cell, value: str, delimiter: str) -> tuple[int, int, str]:
    """What to replace in a cell, and with what: a quoted cell stays quoted (and a value that needs quotes
    gets them); an unquoted one keeps the spaces around its text."""
    start, end, _ = cell
    if text.startswith('"', start) or any(char in value for char in (delimiter, '"', "\n", "\r")):
        return start, end, '"' + value.replace('"', '""') + '"'
    raw = text[start:end]
    return start + len(raw) - len(raw.lstrip()), end - (len(raw) - len(raw.rstrip())), value
