"""The text of one Markdown heading or bullet: prefixes, inline markup, hints and inline fields.

"- [x] **KR 1.2** Cut failed payments below 1.5% (owner: @sam)" becomes the text "Cut failed payments
below 1.5%", a KR hint, the column where that text starts, and the field owner="sam".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

# Runs of 17+ spaces inside a line are read as one space (Collapsed), as several of the patterns below would
# take quadratic time on a long run; spans still give the columns of the file.
_SPACE_RUN = re.compile(r"(?<=\S)\s{17,}")
_SEP = r"(?:\s*[:.)|–—-]+\s*)"
# "Objective 1:", "Team objective -", "O2 ", "OCTO Objective 1." (the words are hints, never required)
_OBJECTIVE_PREFIX = re.compile(
    r"(?:(?:[A-Z]{2,}|(?i:team|company|department|quarterly|annual|our))\s+)?"
    r"(?:(?i:objective)(?:\s*#?\s*\d+(?:\.\d+)*[a-z]?)?(?:" + _SEP + r"|\s*$|(?<=\d)\s+)"
    r"|O\s?\d+(?:\.\d+)*[a-z]?(?:" + _SEP + r"|\s+))"
)
# "KR1:", "KR 1.2 -", "Key result:", "Key Results:", "O1.KR2", "KR3 "
_KR_PREFIX = re.compile(
    r"(?:O\s?\d+(?:\.\d+)*\s*[.:-]?\s*)?(?i:key[\s-]*results?|krs?)"
    r"(?:\s*#?\s*\d+(?:\.\d+)*[a-z]?(?:" + _SEP + r"|\s+|$)|" + _SEP + r"|\s*$)"
)
_CHECKBOX = re.compile(r"\[[ xX]\]\s*")
_NUMBERING = re.compile(r"(?:\d+(?:\.\d+)*[.)]|\d+(?:\.\d+)+)\s+")
_WRAPPED = re.compile(r"(\*\*|__)(.+?)\1\s*[:.|–—-]?\s*")

_JSX_NAME = re.compile(r"<[A-Z][\w.]*\b[^<>]*?\bname=[\"']([^\"']*)[\"'][^<>]*>")
_TRAILING_JSX_OWNER = re.compile(r"\s+[–—-]+\s*<[A-Z][\w.]*\b[^<>]*?\bname=[\"']([^\"']+)[\"'][^<>]*/>\s*$")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")
# Each span is bounded (no '[' inside a link text, at most 300 characters of emphasis) so that a line full of
# '*', '_' or '[' costs linear time, not quadratic.
_IMAGE = re.compile(r"!\[([^\[\]]{0,300})\]\([^()]{0,2000}\)")
_LINK = re.compile(r"\[([^\[\]]{1,300})\](?:\([^()]{0,2000}\)|\[[^\[\]]{0,300}\])")
_STRONG = re.compile(r"(\*\*|__)(?=\S)([^*_]{1,300}?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]{1,300}?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])([^_]{1,300}?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~([^~]{1,300}?)~~")
_CODE = re.compile(r"`+([^`]*)`+")
_MARKUP = re.compile(r"[<\[*_~`\\!]")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")

# Inline fields: "(owner: @dana)", "[owner: Dana, confidence: 70%]", "(@dana)", "— owner: Dana", "- Owner @x"
_FIELD_NAMES = {
    "owner": "owner",
    "owners": "owner",
    "dri": "owner",
    "lead": "owner",
    "assignee": "owner",
    "confidence": "confidence",
    "conf": "confidence",
    "target": "target",
    "baseline": "baseline",
    "current": "current",
    "id": "id",
}
_FIELD = re.compile(r"\s*(" + "|".join(_FIELD_NAMES) + r")\s*(?:[:=]\s*|(?=@))(.+?)\s*", re.IGNORECASE)
_HANDLES = re.compile(r"\s*@[\w.-]+(?:\s*[,&]\s*@[\w.-]+)*\s*")
_GROUP = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")
_TRAILING_FIELD = re.compile(
    r"(?:\s+[–—-]{1,2}\s*|\s*[|·•,;]\s*)(owner|owners|dri|assignee|confidence)\s*(?:[:=]\s*|(?=@))"
    r"([^\s()\[\]][^()\[\]]*?)\s*$"
    r"|\s+(owner|dri)\s*[:=]?\s*(@[\w.-]+)\s*$"
    r"|\s+(confidence|conf)\s*[:=]\s*(\d+(?:\.\d+)?\s*(?:%|/\s*10)?)\s*$",
    re.IGNORECASE,
)
# Each branch of _TRAILING_FIELD names one of these words (matched the same way): a cheap test first.
_FIELD_WORD = re.compile(r"owner|dri|assignee|conf", re.IGNORECASE)
# Annotation lines under an objective or a key result: "Initiative: ...", "Owner: Dana", "Why? ...".
_ANNOTATION = re.compile(
    r"(initiatives?|projects?|owners?|dri|lead|assignee|target|baseline|start|current|confidence|unit|"
    r"why(?: this matters| it matters)?|motivation|rationale|description|notes?|parents?|aligns? to|"
    r"aligned to|supports|level|team|id)\s*(?::|\?|\s[–—-]\s)\s*(.*)",
    re.IGNORECASE,
)
_ANNOTATION_FIELD = {
    "initiative": "initiative",
    "initiatives": "initiative",
    "project": "initiative",
    "projects": "initiative",
    "owner": "owner",
    "owners": "owner",
    "dri": "owner",
    "lead": "owner",
    "assignee": "owner",
    "start": "baseline",
    "note": "notes",
    "aligns to": "parent",
    "align to": "parent",
    "aligned to": "parent",
    "supports": "parent",
    "parents": "parent",
    "motivation": "why",
    "rationale": "why",
    "description": "why",
    "why this matters": "why",
    "why it matters": "why",
}


@dataclass(slots=True)
class Text:
    """A heading's or bullet's text, once its prefixes and markup are gone."""

    text: str
    offset: int  # characters of the raw content before the text starts (for the span's column)
    hint: str | None  # "objective" | "kr" | None: what the author's own label says it is
    fields: dict[str, str] = field(default_factory=dict)


# The structure pass and the build pass read the same lines: a page's worth is kept while it is read, and a
# few thousand (a draft being edited, read again and again) after that, see forget().
_PAGE = 1 << 17
_KEPT = 2048


def forget() -> None:
    """Let go of a large page's line readings once it has been read."""
    if _strip_prefixes.cache_info().currsize > _KEPT or clean_inline.cache_info().currsize > _KEPT:
        _strip_prefixes.cache_clear()
        clean_inline.cache_clear()


def strip_prefixes(raw: str, checkbox: bool = False, numbering: bool = False) -> tuple[str, int, str | None]:
    """Drop a checkbox, emoji, an "Objective 1:"/"KR 1.2 -" label and (headings) numbering from the front.

    Returns the rest, the number of characters of `raw` before the text starts (the prefixes, and any
    emphasis or link markup the text opens with) and the hint. The closing "**" of a bold line such as
    "**Objective 1: Grow**" leaves the rest too, but it comes after the text, so it is no part of the offset.
    """
    return _strip_prefixes(raw, checkbox, numbering)  # one cache key however the caller names the flags


@lru_cache(maxsize=_PAGE)
def _strip_prefixes(raw: str, checkbox: bool, numbering: bool) -> tuple[str, int, str | None]:
    box = _CHECKBOX.match(raw) if checkbox else None
    start = _symbols_end(raw, box.end() if box else 0)
    rest = raw[start:]
    hint: str | None = None
    wrapped = _WRAPPED.match(rest)
    if wrapped and (
        _OBJECTIVE_PREFIX.fullmatch(wrapped.group(2).strip())
        or _KR_PREFIX.fullmatch(wrapped.group(2).strip())
    ):
        hint = "objective" if _OBJECTIVE_PREFIX.fullmatch(wrapped.group(2).strip()) else "kr"
        start += wrapped.end()
        rest = rest[wrapped.end() :]
    else:
        if rest.startswith(("**", "__")) and rest.rstrip().endswith(rest[:2]) and len(rest.strip()) > 4:
            core = rest.rstrip()[2:-2]
            if _OBJECTIVE_PREFIX.match(core) or _KR_PREFIX.match(core):
                start += 2
                rest = core  # "**Objective 1: Grow**" -> "Objective 1: Grow"
        for kind, pattern in (("objective", _OBJECTIVE_PREFIX), ("kr", _KR_PREFIX)):
            match = pattern.match(rest)
            if match:
                hint = kind
                start += match.end()
                rest = rest[match.end() :]
                break
    if numbering and (number := _NUMBERING.match(rest)) is not None:
        start += number.end()
        rest = rest[number.end() :]
    lead = len(rest) - len(rest.lstrip(" *_[`~"))
    return rest, start + lead, hint


class Collapsed:
    """Lines read with their long runs of spaces collapsed (see _SPACE_RUN), and their columns in the file.

    The blocks of markdown_blocks, and the offsets of text within them, count columns in the collapsed lines;
    `col` gives the file's column for one, so that spans point where the editor shows the text."""

    def __init__(self) -> None:
        # line -> (collapsed 0-based indexes right after each collapsed run, characters removed up to there)
        self._lines: dict[int, tuple[list[int], list[int]]] = {}

    def collapse(self, number: int, offset: int, text: str) -> str:
        """Line `number`'s `text` (the part from column offset + 1) with its long runs of spaces collapsed."""
        if _SPACE_RUN.search(text) is None:  # nearly every line
            return text
        after: list[int] = []
        removed: list[int] = []
        parts: list[str] = []
        last = total = 0
        for run in _SPACE_RUN.finditer(text):
            parts += [text[last : run.start()], " "]
            after.append(offset + run.start() - total + 1)  # the run is one space in the collapsed line
            total += run.end() - run.start() - 1
            removed.append(total)
            last = run.end()
        self._lines[number] = (after, removed)
        return "".join([*parts, text[last:]])

    def col(self, line: int, col: int) -> int:
        """The file's 1-based column for column `col` of the collapsed line `line`."""
        found = self._lines.get(line)
        if found is None:
            return col
        at = bisect_right(found[0], col - 1)
        return col + found[1][at - 1] if at else col


def read(raw: str, checkbox: bool = False, numbering: bool = False, with_fields: bool = True) -> Text:
    """A heading's or bullet's raw content as clean text, with its hint and inline fields."""
    fields: dict[str, str] = {}
    jsx_owner = _TRAILING_JSX_OWNER.search(raw)
    if jsx_owner and with_fields:
        fields["owner"] = jsx_owner.group(1).strip()
        raw = raw[: jsx_owner.start()]
    rest, offset, hint = strip_prefixes(raw, checkbox, numbering)
    text = clean_inline(rest)
    if with_fields:
        text = _inline_fields(text, fields)
    return Text(text=text, offset=offset, hint=hint, fields=fields)


@lru_cache(maxsize=_PAGE)
def clean_inline(raw: str) -> str:
    """Markdown inline markup reduced to its text: links keep their words, emphasis and tags go."""
    if _MARKUP.search(raw) is None:  # most lines have no markup at all
        return " ".join(raw.split())
    text = _JSX_NAME.sub(r"\1", raw)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EM_STAR.sub(r"\1", text)
    text = _EM_UNDERSCORE.sub(r"\1", text)
    text = _STRIKE.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    return " ".join(text.split())


def hint_of(raw: str) -> str | None:
    return strip_prefixes(raw, checkbox=True)[2]


def annotation(text: str) -> tuple[str, str] | None:
    """("initiative", "Retry soft declines") for "Initiative: Retry soft declines"; None for other text."""
    match = _ANNOTATION.fullmatch(text.strip())
    if match is None:
        return None
    name = " ".join(match.group(1).lower().split())
    return _ANNOTATION_FIELD.get(name, name), match.group(2).strip()


_OWNER_SEPARATOR = re.compile(r"[,&]|\band\b")
_GROUP_SEPARATOR = re.compile(r"[,;]")


def owner_name(value: str) -> str:
    names = [part.strip().lstrip("@") for part in _OWNER_SEPARATOR.split(value) if part.strip()]
    return ", ".join(name for name in names if name)


def _inline_fields(text: str, fields: dict[str, str]) -> str:
    def group(match: re.Match[str]) -> str:
        content = match.group(1)
        if _HANDLES.fullmatch(content):
            fields.setdefault("owner", owner_name(content))
            return ""
        found: dict[str, str] = {}
        for part in _GROUP_SEPARATOR.split(content):
            field_match = _FIELD.fullmatch(part)
            if field_match is not None:
                found.setdefault(_FIELD_NAMES[field_match.group(1).lower()], field_match.group(2))
            elif _HANDLES.fullmatch(part) and "owner" not in found:
                found["owner"] = part
            else:
                return match.group(0)  # ordinary words in brackets: part of the text
        for name, value in found.items():
            fields.setdefault(name, value)
        return ""

    text = _GROUP.sub(group, text)
    for _ in range(8):  # a handful of trailing fields at most: "— owner: Sam, confidence: 70%"
        start = max(0, len(text) - 200)  # trailing fields are short: searching the tail keeps this linear
        if _FIELD_WORD.search(text, start) is None:  # most lines: no field name, so no trailing field
            break
        match = _TRAILING_FIELD.search(text, start)
        if match is None or match.start() == 0:
            break
        name, value = next((match.group(i), match.group(i + 1)) for i in (1, 3, 5) if match.group(i))
        fields.setdefault(_FIELD_NAMES[name.lower()], value)
        text = text[: match.start()]
    if "owner" in fields:
        fields["owner"] = owner_name(fields["owner"])
    text = " ".join(text.split())
    return text.rstrip(" –—-:;,|") if fields else text


def _symbols_end(text: str, index: int) -> int:
    """Past the leading emoji, bullets and arrows ("🎯 ", "• ", "→ ") from `index`: decoration, not text."""
    while index < len(text) and (
        text[index].isspace()
        or text[index] in "•·▪►▶➤✓✔✅☐☑◦‣"
        or (ord(text[index]) >= 0x2190 and not text[index].isalnum())
        or text[index] in "\ufe0f\u200d"
    ):
        index += 1
    return index
