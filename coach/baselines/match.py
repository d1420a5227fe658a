"""Matching a key result to a metrics series: by its name (normalised, with a synonym table), and as a last
resort by embeddings; a match below THRESHOLD, or two within MARGIN, is no match."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from coach import lexicon as lx
from coach.baselines.metrics import Series, normalise_unit
from coach.knowledge.embed import HASHING_ID, MODEL_ID, Embedder, EmbeddingUnavailable, select_embedder
from coach.model import InputError, KeyResult, KRAnalysis

THRESHOLD = 0.6  # below this confidence, no match


MARGIN = 0.05  # best two this close: ambiguous


# A key result's metric with qualifiers ("self-serve activation", "mobile activation") against a series named
# by its head noun alone ("Activation rate"): a match, less sure than a name match. Two such series tie,
# so the usual MARGIN makes them ambiguous.
QUALIFIED = THRESHOLD + MARGIN


_EMBED_THRESHOLD = {HASHING_ID: 0.35, MODEL_ID: 0.6}  # the cosine that counts as a match, per embedder


_METRIC_FIELDS = ("metric", "metric name", "series", "kpi", "measure")


_SYNONYMS = {  # phrase -> canonical, written on singular words; abbreviations spelled out
    "sign up": "signup", "sign ups": "signup", "registration": "signup", "new account": "signup",
    "sale": "revenue", "booking": "revenue", "income": "revenue", "turnover": "revenue",
    "cancellation": "churn", "attrition": "churn", "churned": "churn", "cancel": "churn",
    "nps": "net promoter score", "net promoter": "net promoter score", "csat": "customer satisfaction",
    "response time": "latency", "ticket": "ticket", "case": "ticket", "support request": "ticket",
    "completion": "conversion", "mrr": "monthly recurring revenue", "arr": "annual recurring revenue",
    "aov": "average order value", "dau": "daily active user", "wau": "weekly active user",
    "mau": "monthly active user", "ltv": "lifetime value", "clv": "lifetime value", "uptime": "availability",
}  # fmt: skip


_SYNONYM_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _SYNONYMS), key=len, reverse=True)) + r")\b")


_CADENCE = re.compile(r"\b(?:per|a|each|every|/)\s*(week|month|day|quarter|year)\b")


_DROP = lx.words(
    "% percent pct percentage rate share ratio count number total ms s sec second min minute hour hr h day "
    "usd eur gbp k of the a an per in on for our to and by with from at vs all"
)


_LIGHT = lx.words("weekly monthly daily quarterly yearly annual average avg mean median overall")


_CUT = lx.words("to from by below under above over at within than for in")


_VERBS = lx.OUTCOME_VERBS | lx.VAGUE_VERBS | lx.REACH_VERBS | lx.MAINTAIN_VERBS


@dataclass(frozen=True, slots=True)
class Candidate:
    series: str
    confidence: float
    method: str  # explicit | name | synonym | embedding


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def name_tokens(text: str, *, synonyms: bool = True) -> dict[str, float]:
    """A metric name as weighted words: case, punctuation, units, plurals and cadence normalised
    ('Sign-ups per week' -> {'signup': 1, 'weekly': 0.3}); synonyms mapped to one word."""
    lowered = _CADENCE.sub(lambda m: {"day": "daily"}.get(m.group(1), m.group(1) + "ly"), text.lower())
    words = [_singular(w) for w in re.findall(r"[a-z0-9]+|%", lowered.replace("_", " "))]
    joined = " ".join(words)
    if synonyms:
        joined = _SYNONYM_RE.sub(lambda m: _SYNONYMS[m.group(1)], joined)
    return {w: 0.3 if w in _LIGHT else 1.0 for w in joined.split() if w not in _DROP}


def _lexical(a: dict[str, float], b: dict[str, float]) -> float:
    """How alike the query's words `a` and a series name's `b` are, 0..1 (see QUALIFIED)."""
    if not a or not b:
        return 0.0
    if a.keys() == b.keys():
        return 0.95
    common = sum(w for t, w in a.items() if t in b)
    jaccard = common / (sum(a.values()) + sum(w for t, w in b.items() if t not in a))
    if a.keys() <= b.keys() or b.keys() <= a.keys():
        score = 0.25 + 0.6 * jaccard
        return max(score, QUALIFIED) if _head(a) == _head(b) and b.keys() < a.keys() else score
    return 0.5 * jaccard


def _head(tokens: dict[str, float]) -> str | None:
    """The head noun of a metric name: its last word that is not a light one ('weekly', 'average')."""
    return next((t for t in reversed(tokens) if tokens[t] == 1.0), None)


def query_text(kr: KeyResult, analysis: KRAnalysis) -> str:
    """What the KR measures: the analysed metric, else its words after the verb up to the number."""
    if analysis.metric:
        return analysis.metric
    words = re.findall(r"[\w%$€£'-]+", kr.text)
    while words and words[0].lower() in _VERBS:
        words.pop(0)
    out: list[str] = []
    for word in words:
        if word[0].isdigit() or word[0] in "$€£" or word.lower() in _CUT:
            break
        out.append(word)
    return " ".join(out) or kr.text


class Matcher:
    """Matches names to series; embeds the series names once, and only when names and synonyms fail."""

    def __init__(self, series: list[Series], embedding: str | Embedder = "auto", team: str | None = None):
        self.series, self.team = series, (team or "").casefold()
        self._embedding = embedding
        self._embedder: Embedder | None = None if isinstance(embedding, str) else embedding
        self._vectors: Any = None
        self._plain = [name_tokens(s.metric, synonyms=False) for s in series]
        self._canon = [name_tokens(s.metric) for s in series]

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            try:
                self._embedder = select_embedder(str(self._embedding)).embedder
            except (EmbeddingUnavailable, ValueError) as exc:
                raise InputError("--embedding", str(exc)) from None
        return self._embedder

    @property
    def used(self) -> str:
        """The embedder's id, or 'not needed' when every match came from names and synonyms."""
        return self.embedder.id if self._vectors is not None else "not needed"

    def _penalty(self, series: Series, unit: str | None) -> float:
        factor = 0.9 if self.team and series.team and series.team.casefold() != self.team else 1.0
        kr_unit = normalise_unit(unit)
        return factor * (0.9 if kr_unit and series.unit and kr_unit != series.unit else 1.0)

    def match(
        self, query: str, unit: str | None = None, floor: float = THRESHOLD - MARGIN
    ) -> list[Candidate]:
        """Candidates from `floor` up, best first: by name and synonym; by embedding if those find none."""
        plain, canon = name_tokens(query, synonyms=False), name_tokens(query)
        scored = []
        for i, s in enumerate(self.series):
            by_name, by_synonym = _lexical(plain, self._plain[i]), _lexical(canon, self._canon[i]) - 0.05
            method, score = ("name", by_name) if by_name >= by_synonym else ("synonym", by_synonym)
            scored.append(Candidate(s.name, score * self._penalty(s, unit), method))
        if not any(c.confidence >= THRESHOLD for c in scored) and self.series:
            scored = self._embedded(query, unit)
        return sorted((c for c in scored if c.confidence >= floor), key=lambda c: -c.confidence)[:3]

    def _embedded(self, query: str, unit: str | None) -> list[Candidate]:
        if self._vectors is None:
            self._vectors = self.embedder.embed([" ".join(name_tokens(s.metric)) for s in self.series])
        vector = self.embedder.embed([" ".join(name_tokens(query)) or query])[0]
        threshold = _EMBED_THRESHOLD.get(self.embedder.id, 0.5)
        cosines = self._vectors @ vector
        return [
            Candidate(s.name, min(0.8, THRESHOLD * max(0.0, float(c)) / threshold) * self._penalty(s, unit),
                      "embedding")
            for s, c in zip(self.series, cosines, strict=True)
        ]  # fmt: skip
