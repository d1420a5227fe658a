"""What a rule is, and the registry rules join with the `@rule` decorator (see coach.rules). Rule modules
import this module, never the package, so the catalogue may import them without a cycle."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from coach.analysis.kr import analysis_of
from coach.model import Document, KeyResult, KRAnalysis, Objective, Severity, Span

# Thresholds every rule can read through ctx.threshold(name); a config file may override each.
DEFAULT_THRESHOLDS: dict[str, float] = {
    "min-krs-per-objective": 2,
    "max-krs-per-objective": 4,
    "max-objectives": 3,
    "max-objectives-error": 5,
    "max-objective-words": 20,
    "min-objective-words": 3,
    "max-kr-words": 35,
    "duplicate-similarity": 0.85,
    # Organisation checks (ORG…, coach/org):
    "max-alignment-depth": 5,
    "max-fan-out": 10,
    "min-bottom-up-share": 0.6,
    "cascade-copy-similarity": 0.9,
    "top-down-similarity": 0.7,
    "cross-team-duplicate-similarity": 0.8,
    "conflicting-target-tolerance": 0.05,
    "max-krs-per-owner": 6,
    "alignment-suggestion-similarity": 0.3,
}


@dataclass(frozen=True, slots=True)
class Hit:
    """A document-scope rule's result: where, about what, and what to say."""

    message: str
    span: Span
    target: str | None = None


@dataclass(slots=True)
class Context:
    """What a rule may read besides the element itself."""

    document: Document
    thresholds: dict[str, float]
    # each key result's analysis for this review, by the key result's identity (the rules ask for it
    # about fifteen times a key result; coach.analysis.kr keeps it between reviews)
    _analyses: dict[int, KRAnalysis] = field(default_factory=dict)

    def threshold(self, name: str) -> float:
        return self.thresholds[name]

    def analysis(self, kr: KeyResult) -> KRAnalysis:
        found = self._analyses.get(id(kr))
        if found is None:
            found = self._analyses[id(kr)] = analysis_of(kr)
        return found


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    scope: str  # kr | objective | document
    passage: str
    check: Callable[..., Iterable[Any]]
    # Examples the tests run: texts for kr/objective rules, YAML documents for document rules.
    triggers: tuple[str, ...] = ()
    passes: tuple[str, ...] = ()
    parser_only: bool = False  # reported by the parsers (unknown field...), listed here for docs and config
    # The rewrite that answers a finding of this rule, by name (coach.rewrite.FIXES says what each does);
    # None: no rewrite answers it (the finding is shown with its guidance only).
    fix: str | None = None

    @property
    def docs(self) -> dict[str, str]:
        """The check's docstring by section ("summary", "What it does", ...); read when first asked for,
        not at every start (a review never shows them)."""
        return _docs(self.check)

    @property
    def summary(self) -> str:
        return self.docs["summary"]

    @property
    def family(self) -> str:
        return re.sub(r"\d+$", "", self.code)


RULES: dict[str, Rule] = {}
_SECTION = re.compile(r"^(What it does|Why it matters|Example|Use instead)\s*$", re.MULTILINE)


def _cleandoc(text: str) -> str:
    """inspect.cleandoc without importing inspect (it costs milliseconds at every start)."""
    first, _, rest = text.strip("\n").partition("\n")
    return (first.strip() + "\n" + textwrap.dedent(rest)).strip()


@cache
def _docs(func: Callable[..., Any]) -> dict[str, str]:
    parts = _SECTION.split(_cleandoc(func.__doc__ or ""))
    out = {"summary": parts[0].strip()}
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        out[title] = textwrap.dedent(body).strip()
    return out


def rule(
    code: str,
    name: str,
    severity: str,
    scope: str,
    passage: str,
    *,
    triggers: tuple[str, ...] = (),
    passes: tuple[str, ...] = (),
    parser_only: bool = False,
    fix: str | None = None,
) -> Callable[[Callable[..., Iterable[Any]]], Callable[..., Iterable[Any]]]:
    """Register a check function as a catalogue rule."""

    def register(func: Callable[..., Iterable[Any]]) -> Callable[..., Iterable[Any]]:
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        RULES[code] = Rule(
            code=code,
            name=name,
            severity=Severity(severity),
            scope=scope,
            passage=passage,
            check=func,
            triggers=triggers,
            passes=passes,
            parser_only=parser_only,
            fix=fix,
        )
        return func

    return register


def objective_of(doc: Document, kr: KeyResult) -> Objective | None:
    for obj in doc.objectives:
        if kr in obj.key_results:
            return obj
    return None


def fix_of(code: str) -> str | None:
    """The fix a registered rule declares for its findings (None for an unknown code or no fix)."""
    known = RULES.get(code)
    return known.fix if known else None
