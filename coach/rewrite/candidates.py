"""Outcome candidates for a task-like key result, from the outcome-metric catalogue.

A coach answers "Launch the onboarding checklist" with "keep it as the initiative; what should it change?
Teams usually measure week-1 activation or time to first value". This module ranks the catalogue's metrics
(coach.knowledge.metrics) for a task and its objective and writes each as an outcome key result whose numbers
are open ("Increase week-1 activation rate from ? to ?"), with why it fits and its source.

    rank(task, objective, catalogue) -> [(metric, score, why), ...]   best first, only real matches
    candidates(task, objective, catalogue, k=3) -> [Candidate, ...]

The ranking is lexical, in-process and deterministic (the rule path must be fast and repeatable): words the
task shares with a metric's name or with the kinds of work that move it count most, words of its definition
less, the objective's words half, each weighted by how rare it is in the catalogue (idf). A metric only
counts when the task itself shares a word with it: an objective alone does not make a candidate.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from coach.knowledge.metrics import Metric

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_STOP = frozenset(
    """a an and are as at be by for from in into is it its of on or our out per so that the their them
    they this to up us we with within all any new more less next each every across over under than via
    q1 q2 q3 q4 h1 h2 end quarter year month week cycle how what when where who why show shows good
    better best real really make makes get gets set ensure every some one two three first major non
    com www http https org io able have has had been being do does done will can should would""".split()  # noqa: SIM905
)
# The verbs that start a task or a "moved by" phrase say that work is done, not what it is about.
_TASK_VERBS = frozenset(
    """launch launched build built ship shipped add added run create created implement implemented
    release released publish published complete completed finish finished deliver delivered start
    started introduce introduced roll rolled set up write written hold held host hosted establish
    develop developed design designed define defined make made plan planned prepare organise organize
    secure secured issue issued hire hired migrate migrated move moved improve improved update updated
    redesign redesigned rewrite replace replaced adopt adopted deploy deployed enable enabled offer
    provide provided do get run automate automated document documented""".split()  # noqa: SIM905
)
# Plain-English spellings of a few words teams abbreviate, so "SSO" meets "single sign-on".
_SPELLED = {
    "sso": "single sign-on login",
    "mfa": "multi-factor authentication",
    "2fa": "two-factor authentication",
    "ci": "continuous integration build pipeline",
    "cd": "continuous deployment release pipeline",
    "ux": "usability design",
    "ui": "interface design",
    "faq": "help article self-service",
    "kb": "knowledge base help article",
    "crm": "sales pipeline",
    "seo": "search organic traffic",
    "ab": "experiment",
    "a/b": "experiment",
    "slo": "service level objective reliability",
    "sla": "service level response",
    "oncall": "on-call incident",
    "k8s": "kubernetes infrastructure",
    "dei": "diversity inclusion",
    "l&d": "learning training",
}


def _stem(word: str) -> str:
    """A light plural and verb-ending stem, the same for the task and the catalogue."""
    if len(word) <= 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("ing") and len(word) > 6:
        return word[:-3]
    if word.endswith("ed") and len(word) > 5:
        return word[:-2] if not word.endswith("eed") else word
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The stemmed content words of `text`; hyphenated words count whole and by their parts."""
    out: list[str] = []
    lowered = text.lower()
    for raw in _WORD.findall(lowered.replace("/", " / ")):
        parts = raw.split("-") if "-" in raw and raw not in _SPELLED else [raw]
        for part in parts:
            if part in _SPELLED:
                out.extend(_stem(w) for w in _WORD.findall(_SPELLED[part]) if w not in _STOP)
            if part not in _STOP and len(part) > 1 and not part.isdigit():
                out.append(_stem(part))
    return out


def _topic(phrase: str) -> str:
    """A "moved by" phrase without its leading verb: "launch the onboarding checklist" -> "onboarding
    checklist"."""
    head, _, rest = phrase.partition(" ")
    return rest if head.lower() in _TASK_VERBS else phrase


_STEMMED_VERBS = frozenset(_stem(v) for v in _TASK_VERBS) | _TASK_VERBS


@dataclass(frozen=True, slots=True)
class Match:
    metric: Metric
    score: float
    shared: tuple[str, ...]  # the task's stems found in the metric's name or the work that moves it
    confident: bool  # two such words, or its name's word backed by the objective


@dataclass(frozen=True, slots=True)
class Candidate:
    """One outcome key result the task could become."""

    metric: Metric | None  # None: the objective's own measure
    text: str  # "Increase week-1 activation rate from ? to ?"
    why: str  # why it fits this task, in a sentence
    confident: bool


COMMON_SHARE = 0.1  # a word in more than this share of the metrics is too common to match on
MIN_SCORE = 6.0  # one rare shared word scores about 8; a match below this rests on a weak word


class _Index:
    def __init__(self, catalogue: Mapping[str, Metric]) -> None:
        self.metrics = [m for m in catalogue.values() if m.direction != "maintain-within-range"]
        self.named = [set(words(" ".join([m.name, *m.aliases]))) for m in self.metrics]
        self.strong = [
            name | set(words(" ".join(_topic(p) for p in m.moved_by)))
            for m, name in zip(self.metrics, self.named, strict=True)
        ]
        self.weak = [set(words(m.definition)) - s for m, s in zip(self.metrics, self.strong, strict=True)]
        frequency = Counter(w for s, weak in zip(self.strong, self.weak, strict=True) for w in s | weak)
        size = len(self.metrics)
        self.idf = {w: math.log((size + 1) / n) for w, n in frequency.items()}
        self.floor = math.log((size + 1) / max(2, size * COMMON_SHARE))

    def rank(self, task: str, objective: str) -> list[Match]:
        own = set(words(task)) - _STEMMED_VERBS
        context = set(words(objective)) - own - _STEMMED_VERBS
        own = {w for w in own if self.idf.get(w, 0.0) >= self.floor}  # too common a word says little
        out = []
        rows = zip(self.metrics, self.strong, self.weak, self.named, strict=True)
        for metric, strong, weak, name in rows:
            shared = own & strong
            if not shared:
                continue  # the task itself must name what the metric is about
            backed = context & (strong | weak)
            score = sum(2.0 * self.idf[w] for w in shared) + sum(0.5 * self.idf[w] for w in own & weak)
            score += 0.5 * sum(self.idf[w] * (2.0 if w in strong else 0.5) for w in backed)
            if score >= MIN_SCORE:
                confident = len(shared) >= 2 or bool(own & name and backed)
                out.append(Match(metric, score, tuple(sorted(shared)), confident))
        out.sort(key=lambda m: (-m.score, m.metric.id))
        return out


_INDEXES: dict[int, tuple[Mapping[str, Metric], _Index]] = {}


def _index_for(catalogue: Mapping[str, Metric]) -> _Index:
    """The catalogue's index, built once per catalogue object (the shipped one is read once)."""
    kept = _INDEXES.get(id(catalogue))
    if kept is None or kept[0] is not catalogue:
        if len(_INDEXES) >= 8:
            _INDEXES.clear()
        kept = _INDEXES[id(catalogue)] = (catalogue, _Index(catalogue))
    return kept[1]


def rank(task: str, objective: str, catalogue: Mapping[str, Metric]) -> list[Match]:
    """The metrics the task names what they are about, best first."""
    return _index_for(catalogue).rank(task, objective)


def outcome_text(metric: Metric) -> str:
    """The metric as an outcome key result with open numbers: "Reduce time to first value from ? to ?"."""
    verb = "Increase" if metric.direction == "increase" else "Reduce"
    first, _, rest = metric.name.partition(" ")
    proper = first[1:2].isupper() or rest[:1].isupper()  # "NPS", "System Usability Scale" keep their case
    name = metric.name if proper else metric.name[:1].lower() + metric.name[1:]
    slot = "?%" if metric.unit.strip() == "%" else "?"
    return f"{verb} {name} from {slot} to {slot}"


def _why(metric: Metric, task: str) -> str:
    task_words = set(words(task)) - _STEMMED_VERBS
    for phrase in metric.moved_by:
        if task_words & set(words(_topic(phrase))):
            return f"work like '{phrase}' typically moves it (source: {metric.source})"
    return f"{metric.definition} (source: {metric.source})"


def candidates(task: str, objective: str, catalogue: Mapping[str, Metric], k: int = 3) -> list[Candidate]:
    """Up to `k` outcome key results built on the catalogue's metrics that fit the task, best first. Only a
    `confident` one is written as the rewrite; the others are offered as choices (a list with the right
    metric in it helps more than a shorter one without: on held-back tasks, keeping the one-word matches
    raised recall@3 from 0.33 to 0.41 at the same precision)."""
    return [
        Candidate(m.metric, outcome_text(m.metric), _why(m.metric, task), m.confident)
        for m in rank(task, objective, catalogue)[:k]
    ]
