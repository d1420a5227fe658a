"""The baselines job: find where each key result starts, in the metrics the team already exports.

    suggest_baselines(doc, metrics, config, *, cycle=None, method=None, window=None) -> BaselineReport
    write_baselines(report, path, fmt) -> (count, backup)
    takes_field(fmt, path, proposals) -> bool: the field or the text? (the rule --write and the TUI share)

Each key result is matched to a series by its name (normalised), a synonym table, and as a last resort an
offline embedding. A match gives the value at or just before the cycle start, where it was read (file, row,
date, method), the trend before the cycle, and checks of the target against that history. No match gives no
number: the proposal is the question to ask, and whom to ask. Nothing here prints.

`--write` puts a found baseline in the `baseline:` field where the format has one (YAML, JSON, a CSV with a
baseline column), else into the key result's text, in the target's number style ("from $1.01M to $1.2M").
"Likely unreachable" is kept for targets beyond both the history and a stretch (STRETCH_SHARE).
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from coach.analysis.kr import analysis_of
from coach.baselines.match import (
    _METRIC_FIELDS,
    MARGIN,
    THRESHOLD,
    Candidate,
    Matcher,
    name_tokens,
    query_text,
)
from coach.baselines.metrics import MetricsFile, Point, Series, normalise_unit
from coach.baselines.numbers import AGREES, decimals, format_like, format_value, plain, state_baseline
from coach.config import Config
from coach.dates import Cycle, DateError, resolve_cycle
from coach.engine import review_document
from coach.io import backup_path, write_atomic
from coach.knowledge.embed import Embedder
from coach.model import Document, InputError, KeyResult, KRAnalysis, Objective, Span
from coach.parse import decode, parse_text
from coach.write.edits import Edit, write_edits
from coach.write.structure import NotSurgical, apply_structure

TREND_DAYS, STALE_DAYS, NO_CYCLE_DAYS, DEFAULT_WINDOW = 90, 62, 91, 4

# A stretch target is meant to be missed a little: scores of 0.6 to 0.7 are healthy (knowledge/
# scoring-grading.md, targets-ambition-sandbagging.md). So a target above anything in the history is not
# "likely unreachable" by itself; it is when it is also beyond the stretch factor 1 / STRETCH_SHARE (about
# 1.67x the best value ever seen, or under 0.6x it for a metric to lower): matching the team's best ever
# would then score under 0.6 of the target.
STRETCH_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class Provenance:
    file: str
    line: int
    date: date
    method: str  # "last value before the cycle start", "mean of the last 4 values", ...
    lines: tuple[int, ...] = ()

    def __str__(self) -> str:
        return f"value on {self.date}, row {self.line} of {self.file}, {self.method}"


@dataclass(frozen=True, slots=True)
class Trend:
    slope_per_30_days: float
    change_pct: float | None
    points: int
    since: date
    until: date
    projection: float  # on the line's path, at the cycle end
    projected_to: date
    decimals: int = 0  # the data's precision, for showing the numbers

    def slope_text(self, unit: str | None) -> str:
        """'+1.6% per 30 days', '-$5,460 per 30 days': three significant figures, no finer than the data."""
        slope = self.slope_per_30_days
        digits = min(self.decimals + 2, max(0, 2 - math.floor(math.log10(abs(slope))))) if slope else 0
        return ("+" if slope >= 0 else "-") + format_value(abs(round(slope, digits)), unit) + " per 30 days"

    def projection_text(self, unit: str | None) -> str:
        return format_value(round(self.projection, self.decimals), unit)


@dataclass(slots=True)
class BaselineProposal:
    kr_id: str
    kr_text: str
    span: Span
    status: str  # found | ambiguous | no-data | already-stated
    value: float | None = None
    unit: str | None = None
    value_text: str | None = None  # the value as written into the draft ("61.2%", "$132,400")
    provenance: Provenance | None = None
    trend: Trend | None = None
    checks: list[str] = field(default_factory=list)  # "sandbagging: ...", "likely unreachable: ..."
    notes: list[str] = field(default_factory=list)
    question: str | None = None
    ask: str | None = None  # who to ask: "Dana Reyes (key result owner)"
    candidates: list[Candidate] = field(default_factory=list)
    match: Candidate | None = None
    stated: float | None = None  # the baseline the draft states
    rewrite: str | None = None  # the KR text stating the baseline, when it can be written
    field_value: float | None = None  # what --write puts in a `baseline:` field, where the format has one
    finding: str | None = None  # "KR004" while the review reports the missing baseline
    citation: str = "baselines-finding-the-start"


@dataclass(slots=True)
class BaselineReport:
    document: Document
    proposals: list[BaselineProposal]
    metrics: MetricsFile
    cycle: Cycle | None
    cycle_source: str  # "period 2026-Q3 in the draft", "[cycle] in okrcoach.toml", ...
    method: str
    window: int
    embedding: str
    skipped: list[str] = field(default_factory=list)  # task-like KRs: nothing to measure
    note: str | None = None

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(("found", "ambiguous", "no-data", "already-stated"), 0)
        for proposal in self.proposals:
            out[proposal.status] += 1
        return out

    def edits(self) -> list[Edit]:
        return [Edit(p.kr_id, p.span, p.kr_text, p.rewrite) for p in self.proposals if p.rewrite]


# -- matching a key result to a series --------------------------------------------------------------------


# -- the proposal -----------------------------------------------------------------------------------------


def suggest_baselines(
    doc: Document,
    metrics: MetricsFile,
    config: Config | None = None,
    *,
    cycle: Cycle | None = None,
    method: str | None = None,
    window: int | None = None,
    embedding: str | Embedder | None = None,
    cycle_source: str = "given",
) -> BaselineReport:
    """A baseline proposal for each measurable key result of `doc`, from `metrics`."""
    config = config or Config()
    settings = config.baselines
    method = (method or str(settings.get("method") or "last")).lower()
    window = window if window is not None else settings.get("window", DEFAULT_WINDOW)
    where = config.source or "[baselines]"
    if method not in {"last", "mean"}:
        raise InputError(where, f"baseline method {method!r} is unknown (use last or mean)")
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise InputError(where, "the baseline window must be a whole number of points, 1 or more")
    if cycle is None:
        start, end = config.cycle.get("start"), config.cycle.get("end")
        try:
            cycle = resolve_cycle(start, end, doc.period)
        except DateError as exc:
            raise InputError(config.source or doc.path, f"cycle: {exc}") from None
        cycle_source = f"[cycle] in {config.source}" if start or end else f"period {doc.period} in the draft"
    embedding = embedding or str(config.knowledge.get("embedding") or "auto")
    findings = {f.target for f in review_document(doc, config) if f.code == "KR004"}
    matcher = Matcher(list(metrics.series.values()), embedding, doc.team)
    report = BaselineReport(doc, [], metrics, cycle, cycle_source if cycle else "none", method, window, "")
    if cycle is None:
        report.note = (
            "no cycle given (--cycle-start/--cycle-end, [cycle] in the config, or a period in the draft): "
            "each baseline is the latest value in the data, and the cycle is taken as the quarter after it"
        )
    for objective in doc.objectives:
        for kr in objective.key_results:
            analysis = analysis_of(kr)
            if analysis.task_like:
                report.skipped.append(kr.id)
                continue
            proposal = _propose(kr, objective, doc, analysis, report, matcher)
            proposal.finding = "KR004" if kr.id in findings else None
            report.proposals.append(proposal)
    report.embedding = matcher.used
    return report


def _propose(
    kr: KeyResult, objective: Objective, doc: Document, a: KRAnalysis, report: BaselineReport, m: Matcher
) -> BaselineProposal:
    p = BaselineProposal(kr.id, kr.text, kr.span, "no-data", stated=a.baseline if a.has_baseline else None)
    query = query_text(kr, a)
    named = next((str(kr.extra[k]) for k in kr.extra if k.replace("_", " ").lower() in _METRIC_FIELDS), None)
    if named is not None:
        exact = [s for s in m.series if name_tokens(s.metric) == name_tokens(named) or s.name == named]
        p.candidates = [Candidate(s.name, 1.0, "explicit") for s in exact]
        if not exact:
            p.candidates = m.match(named, a.unit)
            p.question = (
                f"The key result names the metric {named!r}, but no metrics file has that series "
                f"({', '.join(report.metrics.files)}). Which series is it?"
            )
    else:
        p.candidates = m.match(query, a.unit)
    best = p.candidates[0] if p.candidates and p.question is None else None
    if best is not None and best.confidence < THRESHOLD:
        best = None
    if best is not None and len(p.candidates) > 1 and best.confidence - p.candidates[1].confidence <= MARGIN:
        p.status = "ambiguous"
        names = " or ".join(repr(c.series) for c in p.candidates[:2])
        p.question = p.question or (
            f"Which series measures {query!r}: {names}? Name it with `metric:` on the key result."
        )
    elif best is not None:
        p.status, p.match = ("already-stated" if a.has_baseline else "found"), best
        _measure(p, a, report.metrics.series[best.series], report, kr.text)
    if p.status in {"no-data", "ambiguous"}:
        if p.question is None:
            when = f"just before {report.cycle.start}" if report.cycle else "now"
            p.question = (
                f"What is {query!r} {when}, and where is it recorded? "
                f"No series in {', '.join(report.metrics.files) or 'the metrics files'} matches it."
            )
        if a.has_baseline:
            p.status = "already-stated" if p.status == "no-data" else p.status
        p.ask = _ask(kr, objective, doc)
        if p.ask is None:
            p.question += " No owner is named in the draft: name one."
    return p


def _ask(kr: KeyResult, objective: Objective, doc: Document) -> str | None:
    for owner, role in ((kr.owner, "key result"), (objective.owner, "objective"), (doc.owner, "document")):
        if owner:
            return f"{owner} ({role} owner)"
    return None


def _measure(p: BaselineProposal, a: KRAnalysis, series: Series, report: BaselineReport, text: str) -> None:
    points = series.points
    if not points:
        p.status, p.match = "no-data", None
        return
    cycle = report.cycle or Cycle(points[-1].date, points[-1].date + timedelta(days=NO_CYCLE_DAYS))
    at = bisect.bisect_right([q.date for q in points], cycle.start)
    before = points[:at]
    chosen = before[-report.window :] if report.method == "mean" else before[-1:]
    how = f"mean of the last {len(chosen)} values before the cycle start, from {chosen[0].date}" if len(
        chosen) > 1 else "last value before the cycle start"  # fmt: skip
    if not before:
        chosen, how = [points[0]], "first value after the cycle start (none before it)"
    elif report.cycle is None:
        how = "latest value in the data (no cycle given)"
    value = sum(q.value for q in chosen) / len(chosen)
    if len(chosen) > 1:
        value = round(value, min(4, max(decimals(q.value) for q in chosen) + 1))
    last = chosen[-1]
    p.value, p.unit = value, series.unit
    p.provenance = Provenance(last.file, last.line, last.date, how, tuple(q.line for q in chosen))
    p.trend = _trend(before, cycle)
    p.citation = "kr-baseline-from-to"
    if before and (cycle.start - before[-1].date).days > STALE_DAYS:
        p.checks.append(f"stale: the latest value before the cycle start is from {before[-1].date}")
    kr_unit = normalise_unit(a.unit)
    comparable = True
    if kr_unit and series.unit and kr_unit != series.unit:
        p.checks.append(f"units differ: the data is in {series.unit}, the key result in {a.unit}")
        comparable = False
    elif (
        kr_unit == "%" and not series.unit and a.target and a.target > 1 and max(q.value for q in points) <= 1
    ):
        p.checks.append(
            f"units differ: the data looks like fractions ({plain(value)}), the key result uses %"
        )
        comparable = False
    unit = a.unit if comparable and kr_unit == series.unit and a.unit else series.unit or kr_unit
    p.value_text = format_value(value, unit)
    where = f"on {last.date} (row {last.line} of {last.file})"
    if a.has_baseline and a.baseline is not None and comparable:
        if abs(a.baseline - value) > max(1e-9, AGREES * abs(value)):
            stated = format_value(a.baseline, unit)
            p.checks.append(f"disagrees: the draft says {stated} but the data says {p.value_text} {where}")
        else:
            p.notes.append(f"agrees: the data says {p.value_text} {where}")
    relative = bool(a.target_text and re.search(rf"\bby\s+{re.escape(a.target_text)}", text, re.IGNORECASE))
    if relative:
        p.notes.append(f"the target is a change ('by {a.target_text}'), not a level: target checks skipped")
    elif comparable and a.target is not None:
        _checks(p, a, value, unit, [q for q in points if q.date <= cycle.start] or points, cycle)
    if p.status == "found" and comparable and not relative:
        p.field_value = value
        p.rewrite = state_baseline(text, format_like(value, unit, a.target_text), value)


def _trend(before: list[Point], cycle: Cycle) -> Trend | None:
    recent = [q for q in before if (cycle.start - q.date).days <= TREND_DAYS]
    if len(recent) < 3 or recent[0].date == recent[-1].date:
        return None
    xs = [(q.date - cycle.start).days for q in recent]
    ys = [q.value for q in recent]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    first, last = my + slope * (xs[0] - mx), my + slope * (xs[-1] - mx)  # on the fitted line
    change = (last - first) / abs(first) * 100 if first else None
    projection = my + slope * (cycle.days - mx)
    places = max(decimals(q.value) for q in recent)
    return Trend(
        slope * 30, change, len(recent), recent[0].date, recent[-1].date, projection, cycle.end, places
    )


def _checks(
    p: BaselineProposal, a: KRAnalysis, value: float, unit: str | None, history: list[Point], cycle: Cycle
) -> None:
    target = float(a.target)  # type: ignore[arg-type]
    t_text, b_text = format_value(target, unit), format_value(value, unit)
    direction = a.direction if a.direction in {"increase", "decrease"} else None
    if direction is None and a.direction != "maintain" and target != value:
        direction = "increase" if target > value else "decrease"
    elif a.direction in {"increase", "decrease"}:
        says = a.lead_verb or ("raise" if direction == "increase" else "reduce")
        if target == value:
            p.checks.append(f"already met: the data is already at the target {t_text}")
        elif (target < value) == (direction == "increase"):
            side = "below" if direction == "increase" else "above"
            p.checks.append(
                f"wrong direction: the key result says {says!r}, but {t_text} is {side} the baseline {b_text}"
            )
    if direction is None:
        return
    up = direction == "increase"
    t = p.trend
    reaches = t is not None and ((t.projection >= target > value) if up else (t.projection <= target < value))
    if t is not None and reaches and t.slope_per_30_days != 0 and (t.slope_per_30_days > 0) == up:
        p.checks.append(
            f"sandbagging: the trend alone reaches it ({t.slope_text(unit)} projects "
            f"{t.projection_text(unit)} by {t.projected_to}, past {t_text})"
        )
    values = [q.value for q in history]
    span = max(values) - min(values)
    best = max(history, key=lambda q: q.value) if up else min(history, key=lambda q: q.value)
    beyond = len(values) >= 3 and span > 0 and (target - best.value) * (1 if up else -1) > 0.5 * span
    share = _share_of_target(best.value, target, up)
    if beyond and (share is None or share < STRETCH_SHARE):
        low, high = format_value(min(values), unit), format_value(max(values), unit)
        seen = format_value(best.value, unit)
        scores = (
            ""
            if share is None
            else (
                f", and reaching that best would score only {share:.2g} of it "
                f"(a stretch target is healthy at {STRETCH_SHARE:g} to 0.7)"
            )
        )
        p.checks.append(
            f"likely unreachable: {t_text} is beyond the best value ever seen ({seen} on {best.date}) "
            f"by more than half the historical range ({low} to {high}){scores}"
        )
    if any(c.split(":")[0] in {"sandbagging", "likely unreachable", "wrong direction", "already met"}
           for c in p.checks):  # fmt: skip
        p.citation = "targets-ambition-sandbagging"


def _share_of_target(best: float, target: float, up: bool) -> float | None:
    """What reaching `best` would score as a fraction of the target (best / target for a metric to raise,
    target / best for one to lower), capped at 1; None where a ratio means nothing (zero or below)."""
    high, low = (target, best) if up else (best, target)
    if high <= 0 or low < 0:
        return None
    return min(1.0, low / high)


# -- writing them in ------------------------------------------------------------------------------------


FIELD_FORMATS = ("yaml", "json", "csv")  # formats with a `baseline:` field (a CSV only with the column)


def takes_field(fmt: str, path: str | None, proposals: list[BaselineProposal]) -> bool:
    """Whether found baselines go in the `baseline:` field rather than the key results' text: the format has
    the field and the draft at `path` takes it in place (a CSV only with a baseline column). A draft not on
    disk yet takes it wherever its format has it. `--write` and the TUI both decide by this; the texts are
    not compared here, so an edit not saved yet does not change the answer."""
    if fmt not in FIELD_FORMATS:
        return False
    if path is None or not Path(path).exists():
        return True
    try:
        _with_fields(proposals, path, fmt, check_text=False)
    except NotSurgical:  # no baseline column, a key result written as a bare string: say it in the text
        return False
    return True


def write_baselines(report: BaselineReport, path: str, fmt: str) -> tuple[int, Path | None]:
    """Write the found baselines into the draft (atomic, `.bak` kept): (how many, the backup's path).

    YAML and JSON drafts, and CSV drafts with a baseline column, get the `baseline:` field (the data's
    value), the text as it was; where the format has no field (Markdown bullets, a CSV without the
    column) or the field cannot be written in place, the key result's text states it ('from 61.2% to 65%').
    """
    fields = [p for p in report.proposals if p.field_value is not None]
    if fields and takes_field(fmt, path, report.proposals):
        result = _with_fields(report.proposals, path, fmt)
        backup = write_atomic(Path(path), result, backup=True)
        return len(fields), backup if backup is not None else backup_path(Path(path))
    edits = report.edits()
    if not edits:
        return 0, None
    return len(edits), write_edits(path, fmt, edits)


def field_number(value: float) -> int | float:
    """The value as a `baseline:` field holds it: JSON writes 34, not 34.0."""
    return int(value) if value.is_integer() else value


def _with_fields(proposals: list[BaselineProposal], path: str, fmt: str, *, check_text: bool = True) -> str:
    """The draft at `path` with each found baseline in its key result's field (NotSurgical where it cannot
    be written in place). `check_text`: a key result no longer where, or as, the proposal read it is an
    error; without it, such a key result is left out."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from None
    text = decode(data, path)
    body = text.removeprefix("\ufeff").replace("\r\n", "\n")
    wanted = parse_text(body, path, fmt)
    at = {(kr.span.line, kr.span.col): kr for kr in wanted.key_results()}
    for p in proposals:
        if p.field_value is None:
            continue
        kr = at.get((p.span.line, p.span.col))
        if kr is not None and (kr.text == p.kr_text or not check_text):
            kr.baseline = field_number(p.field_value)
        elif check_text:
            raise InputError(
                path, f"{p.kr_id}: the draft changed since it was read; run baselines again", p.span.line
            )
    return apply_structure(text, fmt, wanted, path)
