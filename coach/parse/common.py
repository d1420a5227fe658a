"""Helpers every parser shares: field values, suppressions, diagnostics, ids.

The parsers differ in how they find objectives and key results; what a value means once found
(a number, a confidence, a level, an "ignore" entry) is decided here, once.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from coach.model import (
    Document,
    Finding,
    InputError,
    KeyResult,
    Level,
    Objective,
    Severity,
    Span,
    Suppression,
)

# Diagnostics the parsers can emit. The engine fills in each code's catalogue severity and passage.
UNKNOWN_FIELD = ("DOC001", "unknown-field")
UNKNOWN_LEVEL = ("DOC005", "unknown-level")
INVALID_SUPPRESSION = ("DOC006", "invalid-suppression")
INVALID_CONFIDENCE = ("KR016", "invalid-confidence")

NO_OBJECTIVES = "no objectives found"
_ABOUT = "\0about:"  # a diagnostic's target until `finish` knows the element's id


_NOT_A_NAME = re.compile(r"[\W_]+")


@lru_cache(maxsize=4096)  # a draft repeats a few dozen names on every element
def compact(name: str) -> str:
    """A field or column name reduced to lowercase letters and digits: "Key-Results" -> "keyresults"."""
    return _NOT_A_NAME.sub("", name.lower())


def diagnostic(
    kind: tuple[str, str], message: str, span: Span, about: Objective | KeyResult | None = None
) -> Finding:
    """A parser's finding; `about`: the element it is about, whose id `finish` makes its target (the
    element may get its id only then)."""
    code, name = kind
    target = None if about is None else f"{_ABOUT}{id(about)}"
    return Finding(code=code, name=name, severity=Severity.WARNING, message=message, span=span, target=target)


def claim(findings: list[Finding], element: Objective | KeyResult) -> None:
    """Make the element the target of those parser findings that have none yet (see `diagnostic`)."""
    for finding in findings:
        if finding.target is None:
            finding.target = f"{_ABOUT}{id(element)}"


def unknown_field(what: str, name: str, span: Span) -> Finding:
    return diagnostic(UNKNOWN_FIELD, f"unknown {what} '{name}' (ignored)", span)


# ---------------------------------------------------------------------------------------------------------
# Values

_PLAIN_NUMBER = re.compile(
    r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?|[+-]?\.\d+(?:[eE][+-]?\d+)?"
)


_NOT_FINITE = frozenset(
    sign + word for sign in ("", "+", "-") for word in ("inf", ".inf", "infinity", "nan", ".nan")
)


def number_problem(field: str, value: object, written: str | None = None) -> str | None:
    """Why a numeric field's value is a number that does not fit (a 400-digit integer, 1e999, inf, NaN), or
    None. The parsers make it an InputError at the value's line: no value the analysis could use is there.
    `written`: the value as the file spells it, for the message (JSON's 1e999 arrives as inf)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            float(value)
        except OverflowError:
            return f"{field} {_shown(written or str(value))} is too large to be a number"
        return None
    if isinstance(value, float):
        if math.isfinite(value):
            return None
        value = written or str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower() in _NOT_FINITE:
        return f"{field} {_shown(text)} is not a finite number"
    if _PLAIN_NUMBER.fullmatch(text) and not math.isfinite(float(text.replace(",", ""))):
        return f"{field} {_shown(text)} is too large to be a number"  # "1e999", 400 digits
    return None


def _shown(text: str) -> str:
    """A value for a one-line message: a 400-digit number is shown by its ends and its length."""
    if len(text) <= 24:
        return f"'{text}'"
    return f"'{text[:8]}…{text[-8:]}' ({len(text)} characters)"


def parse_number(value: object) -> float | str | None:
    """A baseline/target/current value: a float when it is a plain number, else the text as written."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # the parsers refuse these (number_problem); other callers get the text
            return str(value)
        return number if math.isfinite(number) else str(value)
    text = str(value).strip()
    if not text:
        return None
    if _PLAIN_NUMBER.fullmatch(text):
        number = float(text.replace(",", ""))
        if math.isfinite(number):
            return number
    return text


_CONFIDENCE = re.compile(r"([+-]?\d+(?:\.\d+)?|[+-]?\.\d+)\s*(%|/\s*10|/\s*100|out of 10)?")
CONFIDENCE_HELP = "use 0–1, a percentage like 70%, or 1–10"


def parse_confidence(value: object) -> tuple[float | None, str | None]:
    """Normalise a confidence to 0–1. Returns (value, problem); problem is a message when unusable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None, f"confidence must be a number ({CONFIDENCE_HELP})"
    scale = ""
    if isinstance(value, str):
        match = _CONFIDENCE.fullmatch(value.strip().lower())
        if match is None:
            return None, f"confidence '{clean_text(value)}' is not a number ({CONFIDENCE_HELP})"
        number = float(match.group(1))
        scale = _SPACES.sub("", match.group(2) or "")
    else:
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
    if not math.isfinite(number) or number < 0:
        return None, f"confidence {clean_text(str(value))} is out of range ({CONFIDENCE_HELP})"
    if scale == "%" or scale == "/100":
        result = number / 100
    elif scale in ("/10", "outof10"):
        result = number / 10
    elif number <= 1:
        result = number
    elif number <= 10:
        result = number / 10
    elif number <= 100:
        result = number / 100
    else:
        result = -1.0
    if not 0 <= result <= 1:
        return None, f"confidence {clean_text(str(value))} is out of range ({CONFIDENCE_HELP})"
    return round(result, 6), None


def parse_level(value: object, span: Span, diagnostics: list[Finding]) -> Level | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    level = Level.parse(text)
    if level is None:
        names = ", ".join(item.value for item in Level)
        message = f"unknown level '{clean_text(text)}' (use one of: {names})"
        diagnostics.append(diagnostic(UNKNOWN_LEVEL, message, span))
    return level


def clean_text(value: str) -> str:
    """Collapse runs of whitespace (line breaks in a cell or a folded scalar) into single spaces."""
    return " ".join(value.split())


_LIST_SEPARATOR = re.compile(r"[;\n|•]")
_REFERENCE_SEPARATOR = re.compile(r"[;\n]")
_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s+")


def split_list(text: str) -> list[str]:
    """Initiatives written in one cell: "Retry soft declines; Add Apple Pay" (also newlines, |, •)."""
    return [part.strip() for part in _LIST_SEPARATOR.split(text) if part.strip()]


def split_references(text: str) -> list[str]:
    """Parent references: "co-2, co-3" are two ids; "Grow revenue, profitably" is one objective's text."""
    parts = [part.strip() for part in _REFERENCE_SEPARATOR.split(text) if part.strip()]
    out: list[str] = []
    for part in parts:
        pieces = [piece.strip() for piece in part.split(",")]
        if len(pieces) > 1 and all(piece and not _SPACE.search(piece) for piece in pieces):
            out.extend(pieces)
        else:
            out.append(part)
    return out


# ---------------------------------------------------------------------------------------------------------
# Suppressions: "KR003, KR004: reason", "KR004 -- reason", "KR004 — reason", "KR004 reason"

_CODE = re.compile(r"ALL\b|[A-Za-z]{1,6}\d{1,4}(?![\w-])", re.IGNORECASE)
# After a space (not a comma) only a full code continues the list: "KR004 Q3 survey" is one code and a reason.
_FULL_CODE = re.compile(r"ALL\b|[A-Za-z]{2,6}\d{3,4}(?![\w-])", re.IGNORECASE)
_CODE_SEPARATOR = re.compile(r"\s*,\s*|\s+")
_REASON_SEPARATOR = re.compile(r"\s*(?::|--+|—|–|-(?=\s)|=>|\bbecause\b)\s*", re.IGNORECASE)


def parse_suppression_text(text: str) -> tuple[list[str], str] | None:
    """Split "KR003, KR004: reason" into (["KR003", "KR004"], "reason"); None when no code leads."""
    rest = text.strip()
    match = _CODE.match(rest)
    if match is None:
        return None
    codes = [match.group(0).upper()]
    at = match.end()  # positions, not slices: a list of 80,000 codes stays linear
    while (separator := _CODE_SEPARATOR.match(rest, at)) is not None:
        following = (_CODE if "," in separator.group(0) else _FULL_CODE).match(rest, separator.end())
        if following is None:
            break
        codes.append(following.group(0).upper())
        at = following.end()
    rest = rest[at:].strip()
    separator = _REASON_SEPARATOR.match(rest)
    if separator is not None:
        rest = rest[separator.end() :]
    return codes, clean_text(rest.strip().strip("\"'"))


def suppressions_from_text(text: str, span: Span, diagnostics: list[Finding]) -> list[Suppression]:
    parsed = parse_suppression_text(text)
    if parsed is None:
        shown = clean_text(text)[:80]
        message = f"cannot read the suppression '{shown}' (expected 'CODE: reason', e.g. 'KR004: ...')"
        diagnostics.append(diagnostic(INVALID_SUPPRESSION, message, span))
        return []
    codes, reason = parsed
    return [Suppression(code=code, reason=reason, span=span) for code in codes]


def suppressions_from_parts(
    codes: str, reason: str, span: Span, diagnostics: list[Finding]
) -> list[Suppression]:
    """A suppression given as separate code and reason fields (code may list several)."""
    found = [code.upper() for code in _CODE.findall(codes)]
    if not found:
        message = f"'{clean_text(codes)}' is not a rule code (e.g. KR004)"
        diagnostics.append(diagnostic(INVALID_SUPPRESSION, message, span))
    return [Suppression(code=code, reason=clean_text(reason), span=span) for code in found]


# ---------------------------------------------------------------------------------------------------------
# Finishing a document


def finish(doc: Document, no_objectives_message: str = NO_OBJECTIVES) -> Document:
    """Give ids to the elements that have none ("O2", "O2.KR1") and refuse a document with no objectives."""
    if not doc.objectives:
        raise InputError(doc.path, no_objectives_message)
    for number, objective in enumerate(doc.objectives, start=1):
        if not objective.id:
            objective.id = f"O{number}"
        for kr_number, kr in enumerate(objective.key_results, start=1):
            if not kr.id:
                kr.id = f"{objective.id}.KR{kr_number}"
    waiting = [finding for finding in doc.diagnostics if finding.target and finding.target.startswith(_ABOUT)]
    if waiting:
        about = {f"{_ABOUT}{id(element)}": element.id for element in _elements(doc)}
        for finding in waiting:
            finding.target = about.get(finding.target or "")
    return doc


def _elements(doc: Document) -> list[Objective | KeyResult]:
    out: list[Objective | KeyResult] = []
    for objective in doc.objectives:
        out += [objective, *objective.key_results]
    return out


def new_objective(text: str, span: Span) -> Objective:
    return Objective(id="", text=text, span=span)


def new_key_result(text: str, span: Span) -> KeyResult:
    return KeyResult(id="", text=text, span=span)


def require_text(text: str | None, what: str, file: str, line: int, col: int | None = None) -> str:
    """The text of an objective or key result, or an InputError when it is missing or blank."""
    cleaned = clean_text(text or "")
    if not cleaned:
        raise InputError(file, f"{what} has no text", line=line, col=col)
    return cleaned
