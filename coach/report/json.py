"""Everything, machine-readable: documents with per-KR analysis, findings with citations.

The report is written piece by piece (`json_chunks`): one objective, one finding at a time, so a review
of 100,000 key results never holds its whole report, nor every rendered dict, at once. The text is the
one `json.dumps(review_dict(...), indent=2, ensure_ascii=False)` gives, byte for byte; orjson (when
installed) writes each piece, and the standard library writes any piece orjson would write differently
(floats below 1e-4 or not finite, integers past 64 bits, keys that are not strings, other types).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from coach import __version__
from coach.analysis.kr import analysis_of
from coach.engine import Review
from coach.knowledge import Passage
from coach.model import Document, Finding, KeyResult, Level, Objective, Severity
from coach.report import citations

try:
    import orjson
except ImportError:  # pragma: no cover - the standard library writes the same text, slower
    orjson = None  # type: ignore[assignment]


def _value(value: object) -> object:
    if value is None:
        return None
    known = _ENUM_VALUES.get(value) if value.__class__ in _ENUMS else None
    if known is not None:
        return known
    return value.value if hasattr(value, "value") else value


# An enum member's value read through a dict: `member.value` goes through the enum descriptor (slow).
_ENUMS = (Level, Severity)
_ENUM_VALUES: dict[object, str] = {member: member.value for kind in _ENUMS for member in kind}


def _kr(kr: KeyResult) -> dict[str, Any]:
    return {
        "id": kr.id,
        "text": kr.text,
        "span": kr.span.to_dict(),
        "owner": kr.owner,
        "team": kr.team,
        "level": _value(kr.level),
        "parents": kr.parents,
        "baseline": kr.baseline,
        "target": kr.target,
        "current": kr.current,
        "unit": kr.unit,
        "confidence": kr.confidence,
        "initiatives": kr.initiatives,
        "analysis": analysis_of(kr).to_dict(),
    }


def _objective(obj: Objective) -> dict[str, Any]:
    return {
        "id": obj.id,
        "text": obj.text,
        "span": obj.span.to_dict(),
        "owner": obj.owner,
        "team": obj.team,
        "level": _value(obj.level),
        "parents": obj.parents,
        "description": obj.description,
        "initiatives": obj.initiatives,
        "key_results": [_kr(kr) for kr in obj.key_results],
    }


class _Lazy:
    """A list in a report dict that is rendered one element at a time (see `json_chunks`).

    `alike(item)`: whether every float the element's dict will hold is one orjson writes as json.dumps
    does, judged from the typed model (cheaper than looking through the rendered dict)."""

    __slots__ = ("alike", "items", "render")

    def __init__(
        self, items: Iterable[Any], render: Callable[[Any], Any], alike: Callable[[Any], bool]
    ) -> None:
        self.items = items
        self.render = render
        self.alike = alike

    def __iter__(self) -> Iterator[tuple[Any, bool]]:
        for item in self.items:
            yield self.render(item), self.alike(item)


class _Streamed(dict[str, Any]):
    """A report dict holding a `_Lazy` list: written key by key."""


def _document(doc: Document, lazy: bool) -> dict[str, Any]:
    objectives: Any = (
        _Lazy(doc.objectives, _objective, _objective_alike)
        if lazy
        else [_objective(o) for o in doc.objectives]
    )
    out = {
        "path": doc.path,
        "format": doc.format,
        "team": doc.team,
        "level": _value(doc.level),
        "owner": doc.owner,
        "period": doc.period,
        "objectives": objectives,
    }
    return _Streamed(out) if lazy else out


def document_dict(doc: Document) -> dict[str, Any]:
    return _document(doc, lazy=False)


def finding_dict(finding: Finding, related: Sequence[Passage] = ()) -> dict[str, Any]:
    passage = citations().get(finding.passage or "")
    return _finding(finding, related, passage.citation() if passage else None)


def _finding(finding: Finding, related: Sequence[Passage], citation: dict[str, str] | None) -> dict[str, Any]:
    extra = {"related": [{**p.citation(), "score": p.score} for p in related]} if related else {}
    return {
        **extra,
        "code": finding.code,
        "name": finding.name,
        "severity": _value(finding.severity),
        "message": finding.message,
        "span": finding.span.to_dict(),
        "target": finding.target,
        "citation": citation,
    }


class _Findings:
    """Renders the findings of one streamed report: each passage's citation is made once (the pieces are
    written and dropped, so the findings may share it)."""

    def __init__(self, related: Mapping[int, Sequence[Passage]]) -> None:
        self.related = related
        self.cited: dict[str | None, dict[str, str] | None] = {}  # by passage id; read at the first finding

    def render(self, pair: tuple[int, Finding]) -> dict[str, Any]:
        index, finding = pair
        key = finding.passage
        if key in self.cited:
            citation = self.cited[key]
        else:
            passage = citations().get(key or "")
            citation = self.cited[key] = passage.citation() if passage else None
        return _finding(finding, self.related.get(index, ()) if self.related else (), citation)

    def alike(self, pair: tuple[int, Finding]) -> bool:
        return not self.related or all(_float_alike(p.score) for p in self.related.get(pair[0], ()))


def _review(review: Review, related: Mapping[int, Sequence[Passage]] | None, lazy: bool) -> dict[str, Any]:
    related = related or {}
    counts = review.counts()
    documents: Any
    findings: Any
    if lazy:
        documents = _Lazy(review.documents, lambda doc: _document(doc, lazy=True), lambda doc: False)
        each = _Findings(related)
        findings = _Lazy(enumerate(review.findings), each.render, each.alike)
    else:
        documents = [document_dict(doc) for doc in review.documents]
        findings = [finding_dict(f, related.get(i, ())) for i, f in enumerate(review.findings)]
    out = {
        "tool": {"name": "okrcoach", "version": __version__},
        "documents": documents,
        "findings": findings,
        "errors": [
            {"file": e.file, "line": e.line, "col": e.col, "message": e.message} for e in review.errors
        ],
        "summary": {
            "files": len(review.documents),
            "objectives": sum(len(d.objectives) for d in review.documents),
            "key_results": sum(len(d.key_results()) for d in review.documents),
            "findings": {severity.value: n for severity, n in counts.items()},
            "unreadable_files": len(review.errors),
        },
    }
    return _Streamed(out) if lazy else out


def review_dict(review: Review, related: Mapping[int, Sequence[Passage]] | None = None) -> dict[str, Any]:
    return _review(review, related, lazy=False)


# orjson writes floats below 1e-4 differently ("0.00001", "1.5e-7" for "1e-05", "1.5e-07"), NaN as null
# and infinities as null where json.dumps writes NaN and Infinity; a piece holding one goes to json.dumps.
# It refuses integers past 64 bits and keys that are not strings (those pieces go there too).
_INFINITY = float("inf")


def _float_alike(value: Any) -> bool:
    """Not a float, or one orjson writes as json.dumps does (NaN fails both comparisons)."""
    return value.__class__ is not float or value == 0.0 or 1e-4 <= abs(value) < _INFINITY


def _objective_alike(obj: Objective) -> bool:
    """The floats of an objective's dict are its key results' numbers (coach.model types them)."""
    for kr in obj.key_results:
        analysis = analysis_of(kr)
        values = (kr.baseline, kr.target, kr.current, kr.confidence, analysis.baseline, analysis.target)
        for value in values:
            if value.__class__ is float and not (value == 0.0 or 1e-4 <= abs(value) < _INFINITY):
                return False
    return True


def _floats_alike(value: Any) -> bool:
    """Whether every float in `value` (a dict or list) is one orjson writes as json.dumps does."""
    for item in value.values() if value.__class__ is dict else value:
        kind = item.__class__
        if kind is float:
            if not (item == 0.0 or 1e-4 <= abs(item) < _INFINITY):
                return False
        elif (kind is dict or kind is list or kind is tuple) and item and not _floats_alike(item):
            return False
    return True


def _refuse(value: Any) -> Any:
    raise TypeError  # dates, dataclasses, enums...: json.dumps decides (and refuses them, as it always did)


_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
    if orjson is not None
    else 0
)


def _dumps(value: Any, indent: bytes, alike: bool | None = None, errors: str = "surrogatepass") -> bytes:
    """`value` as json.dumps(value, indent=2, ensure_ascii=False) writes it, nested at `indent`.
    `alike`: whether its floats are known to be ones orjson writes alike (None: look through it)."""
    text = None
    if alike is None:
        alike = _floats_alike(value if value.__class__ is dict else (value,))
    if orjson is not None and alike:
        try:
            text = orjson.dumps(value, default=_refuse, option=_OPTIONS)
        except orjson.JSONEncodeError:
            text = None
    if text is None:
        # errors: "surrogatepass" gives a lone surrogate (from a JSON draft's "\\ud800") back as it was to
        # render_json; "strict" refuses it, as writing the old report's text to a UTF-8 stdout did
        text = json.dumps(value, indent=2, ensure_ascii=False).encode("utf-8", errors)
    return text.replace(b"\n", b"\n" + indent) if indent and b"\n" in text else text


def _chunks(value: Any, depth: int, errors: str, alike: bool | None = None) -> Iterator[bytes]:
    """The indented JSON of `value` at `depth`, rendering each `_Lazy` list element by element."""
    indent = b"  " * depth
    inner = indent + b"  "
    if value.__class__ is _Streamed:
        opener = b"{\n"
        for key, item in value.items():
            yield opener + inner + _dumps(key, b"", None, errors) + b": "
            yield from _chunks(item, depth + 1, errors)
            opener = b",\n"
        yield b"\n" + indent + b"}"
    elif isinstance(value, _Lazy):
        opener = b"[\n"
        for item, item_alike in value:
            yield opener + inner
            yield from _chunks(item, depth + 1, errors, item_alike or None)
            opener = b",\n"
        yield b"[]" if opener == b"[\n" else b"\n" + indent + b"]"
    else:
        yield _dumps(value, indent, alike, errors)


def dumps(value: Any) -> str:
    """json.dumps(value, indent=2, ensure_ascii=False), the same text, written by orjson where it can."""
    return _dumps(value, b"").decode("utf-8", "surrogatepass")


def json_chunks(
    review: Review, related: Mapping[int, Sequence[Passage]] | None = None, *, errors: str = "strict"
) -> Iterator[bytes]:
    """The report as UTF-8 pieces, to write one after the other (joined: `render_json`'s text). `errors`:
    how a lone surrogate is encoded ("strict": UnicodeEncodeError, as writing it to a UTF-8 stdout gave)."""
    yield from _chunks(_review(review, related, lazy=True), 0, errors)
    yield b"\n"


def render_json(review: Review, related: Mapping[int, Sequence[Passage]] | None = None) -> str:
    text = bytearray()  # not a list of the pieces and their join: half the memory for a large report
    for chunk in json_chunks(review, related, errors="surrogatepass"):
        text += chunk
    return text.decode("utf-8", "surrogatepass")
