"""Per-key-result analysis: what kind of KR this is, and the numbers it states.

`analyse(text)` returns a `KRAnalysis`. The rules only read that; they never look at the words again.
Its `reason` says in a few words which clause decided the kind ("head verb 'launch' names work to do"),
so a finding can show why the KR was read that way.
The analysis is deterministic and works on the shape of the language: the head clause's verb, what the
numbers in it are (a target, a date, a version, a name), and how a starting value is phrased.
"""

from __future__ import annotations

from coach import lexicon as lx
from coach.analysis.kind import _TASK_KINDS, _possession, _verb_class, _verb_led
from coach.analysis.numbers import (
    _DIGIT,
    _TIME_UNITS,
    Quantity,
    _numbers,
    _pick_target,
    multiple_in,
    quantities,
)
from coach.analysis.reason import explain
from coach.analysis.start import _FROM_TO, _baseline
from coach.analysis.subject import _find_verb, _subject_led
from coach.analysis.text import (
    _COUNTING,
    _PURE_DIRECTION,
    _STOP,
    _WORD,
    _base,
    _content_words,
    _has_metric_noun,
    _head,
    clean,
    lazy,
)
from coach.model import KRAnalysis

_words = lx.words

_INCREASE_WORDS = _words(
    "increase grow raise boost lift double triple quadruple expand improve maximise maximize "
    "accelerate exceed surpass gain attract acquire earn generate widen climb rise multiply deepen "
    "broaden elevate strengthen enhance beat"
)


_DECREASE_WORDS = _words(
    "reduce decrease lower cut halve shrink shorten minimise minimize drop eliminate limit contain "
    "decline fall speed"
)


_UPPER_BOUND = lazy(
    r"\b(?:under|below|less\s+than|fewer\s+than|at\s+most|no\s+more\s+than|within|"
    r"max(?:imum)?(?:\s+of)?|lower\s+than|shorter\s+than|faster\s+than)\s*$|[<≤]\s*$"
)


_LOWER_BOUND = lazy(
    r"\b(?:over|above|more\s+than|greater\s+than|at\s+least|min(?:imum)?(?:\s+of)?|"
    r"higher\s+than|exceed(?:s|ing)?|beyond|surpass(?:es|ing)?)\s*$|[>≥]\s*$"
)


_TIME_BOUND = lazy(r"(?:within|under|below|less than|in under|<)\s*$")  # before a duration


_COMPOUND_SPLIT = lazy(r"\s+(?:and|&|as\s+well\s+as|plus|while)\s+|;\s*|,\s+(?:and\s+)?(?=[a-z]+\s)")


def _direction(
    words: list[str], cleaned: str, target: Quantity | None, baseline: Quantity | None
) -> str | None:
    if baseline is not None and target is not None and baseline.value != target.value:
        return "increase" if target.value > baseline.value else "decrease"
    if target is not None:
        before = cleaned[: cleaned.find(target.text)] if target.text in cleaned else ""
        if target.comparator in {"<", "<=", "≤"} or _UPPER_BOUND.search(before):
            return "decrease"
        if target.comparator in {">", ">=", "≥", "+"} or _LOWER_BOUND.search(before):
            return "increase"
    for word in words[:4]:
        stem = _base(word)
        if word in lx.MAINTAIN_VERBS:
            return "maintain"
        if word in _INCREASE_WORDS or stem in _INCREASE_WORDS or word in {"grew", "rose", "risen", "won"}:
            return "increase"
        if word in _DECREASE_WORDS or stem in _DECREASE_WORDS or word in {"fell", "fallen"}:
            return "decrease"
    return None


def _metric(words: list[str]) -> str | None:
    """The measured thing: the noun phrase after the head verb, up to the first number or preposition."""
    phrase: list[str] = []
    started = False
    for word in words:
        if not started:
            if word[0].isdigit() or word in {"zero", "no", "all", "every", "each"}:
                continue
            if (
                word in lx.OUTCOME_VERBS
                or word in lx.VAGUE_VERBS
                or word in lx.REACH_VERBS
                or word in lx.MAINTAIN_VERBS
                or word in _STOP
            ):
                continue
            started = True
        if (
            phrase
            and (word in lx.BEHAVIOUR_WORDS or word in lx.OUTCOME_VERBS)
            and word not in lx.METRIC_NOUNS
            and word not in _COUNTING
        ):
            break  # "customers love ...": the verb ends the measured thing
        if word[0].isdigit() or word in {
            "from",
            "to",
            "by",
            "under",
            "below",
            "above",
            "over",
            "at",
            "within",
            "than",
            "is",
            "are",
            "has",
            "have",
            "was",
            "were",
            "for",
            "in",
            "so",
            "while",
            "without",
            "vs",
            "compared",
            "towards",
            "toward",
            "of",
        }:
            if (
                word == "of"
                and phrase
                and phrase[-1]
                in {
                    "number",
                    "share",
                    "percentage",
                    "rate",
                    "count",
                    "proportion",
                    "amount",
                    "volume",
                    "time",
                    "cost",
                }
            ):
                phrase.append(word)
                continue
            break
        phrase.append(word)
        if len(phrase) >= 6:
            break
    while phrase and phrase[-1] in _STOP:
        phrase.pop()
    counted_people = any(
        w in lx.PEOPLE_NOUNS and i > 0 and phrase[i - 1] in _COUNTING for i, w in enumerate(phrase)
    )
    if not phrase or not (
        counted_people
        or any(
            (w in lx.METRIC_NOUNS or _base(w) in lx.METRIC_NOUNS or w.endswith("rate"))
            and w not in lx.PEOPLE_NOUNS
            for w in phrase
        )
    ):
        return None
    return " ".join(phrase)


# Only this many characters of a key result are analysed; KR018 flags a longer one. Real key results are
# under 300 characters (the longest of the 1,189 labelled ones has 299), and the bound keeps the cost of
# one key result constant, so reviewing any file is linear in its size, whatever the text holds.
MAX_KR_CHARS = 1_000


def analyse(text: str) -> KRAnalysis:
    """Analyse one key result's text (its first MAX_KR_CHARS characters)."""
    cleaned = clean(text[:MAX_KR_CHARS])
    lowered = cleaned.lower()
    nums = _numbers(cleaned, lowered)
    baseline, from_to_target, baseline_text = _baseline(cleaned, lowered)
    has_target = bool(nums.quantities or nums.quantifier or nums.cadence or nums.multiple or nums.number_word)
    if (
        baseline is not None
        and from_to_target is None
        and all(q.value == baseline.value for q in nums.quantities)
    ):  # the only number is the starting value
        has_target = bool(nums.quantifier or nums.cadence or nums.multiple or nums.number_word)
    head = _head(cleaned)
    head_lower = head.lower()
    words = _content_words(head)
    if not words:
        words = _content_words(cleaned)
    percent = (
        any(q.unit in {"%", "x", "pp", "$", "€", "£"} or q.comparator for q in nums.quantities)
        or bool(nums.multiple)
        or baseline is not None
    )
    timed = any(
        q.unit in _TIME_UNITS
        and (
            q.comparator
            or _TIME_BOUND.search(cleaned, max(0, cleaned.find(q.text) - 32), cleaned.find(q.text))
        )
        for q in nums.quantities
    )
    universal_only = nums.quantifier in {"all", "every", "each"} and not (
        nums.quantities or nums.multiple or nums.number_word or nums.cadence
    )
    money = any(q.unit in {"$", "€", "£"} for q in nums.quantities)
    bounded = baseline is not None or any(q.comparator for q in nums.quantities)
    stage = "others"
    kind = (
        "outcome" if ("them " in lowered or "people " in lowered) and _OTHERS_TELL.search(lowered) else None
    )
    if kind is None and (" under control" in head_lower or " in check" in head_lower):
        stage, kind = "control", "outcome"  # "the support backlog under control"
    if kind is None and ("down " in head_lower or "up " in head_lower):
        move = _METRIC_MOVE.search(head_lower)
        if move and move.group(1) not in lx.TASK_VERBS and move.group(1) not in lx.OUTCOME_VERBS:
            stage, kind = "move", "outcome"
    if kind is None:
        stage, kind = "possession", _possession(head_lower, words, percent)
    if kind is None and words and head_lower.split(" ", 1)[0] not in _DETERMINERS:
        stage, kind = "verb", _verb_led(words, has_target, bool(nums.placeholders), universal_only, bounded)
    verb_at: int | None = None  # where the subject stage found the verb
    if kind is None:
        verb_at = _find_verb(words)
        stage, kind = (
            "subject",
            _subject_led(
                words,
                has_target,
                head_lower,
                percent,
                timed,
                money,
                bounded=bounded,
                placeholders=bool(nums.placeholders),
                verb_at=verb_at,
            ),
        )
    lead = words[0] if words and _verb_class(words[0]) else None
    target = from_to_target or _pick_target(nums.quantities, baseline, cleaned)
    direction = _direction(words, cleaned, target, baseline)
    maintain = bool(words) and words[0] in lx.MAINTAIN_VERBS and kind == "outcome"
    if maintain:
        direction = "maintain"
    metric = _metric(words) if kind not in _TASK_KINDS else None
    vague = (
        kind == "outcome"
        and not has_target
        and any(w in lx.VAGUE_VERBS or _base(w) in _PURE_DIRECTION for w in words[:6])
    )
    compound = kind == "outcome" and _is_compound(cleaned, bool(nums.multiple))
    quantifier = nums.quantifier or (nums.cadence and "cadence") or (nums.multiple and "multiple") or None
    unit = target.unit if target else (baseline.unit if baseline else None)
    if target is None and nums.multiple:
        unit = "x"
    return KRAnalysis(
        kind=kind,
        task_like=kind in _TASK_KINDS,
        has_target=has_target,
        has_baseline=baseline is not None,
        metric=metric,
        baseline=baseline.value if baseline else None,
        target=target.value if target else None,
        unit=unit,
        direction=direction,
        target_text=target.text if target else (nums.quantifier or nums.cadence or nums.multiple),
        baseline_text=baseline_text,
        quantifier=quantifier,
        placeholders=nums.placeholders,
        lead_verb=lead,
        vague_direction=vague,
        compound=compound,
        maintain=maintain,
        reason=explain(kind, stage, words, percent, verb_at),
    )


# "incidents down 25%", "spend down to £40k", "redlines down by a third": a measure and its change
_METRIC_MOVE = lazy(
    r"([a-z][\w\-]*)\s+(?:down|up)\s+(?:to\s+|by\s+)?(?:[\d$€£~?]|x\b|n\b|a\s+(?:third|half|quarter|fifth))"
)


# "The export API ...": after a determiner the first word is a noun, not an imperative verb
_DETERMINERS = lx.words("the a an our their its this these those")


# "... and have them tell us ...": what other people know or say is the result being asked for
_OTHERS_TELL = lazy(
    r"\b(?:have|get|hear)\s+(?:them|people|users|customers|someone|visitors|readers)\s+"
    r"(?:tell|explain|say|describe|name|recall)\b"
)


_PAREN = lazy(r"\([^)]*\)")


def _is_compound(cleaned: str, multiple: bool) -> bool:
    """Two measured things in one KR: "cut p95 below 300 ms and errors below 0.5%". `multiple`: whether
    the text states a multiple ("2x", "double"; `_numbers` has searched for one)."""
    if not multiple and not _DIGIT.search(cleaned):
        return False
    text = _PAREN.sub(" ", cleaned)
    if _FROM_TO.search(text):
        # each "from A to B" is one measured span: keep a number in its place so its part still counts
        text = _FROM_TO.sub(" 10% ", text)
    parts = [p for p in _COMPOUND_SPLIT.split(text) if p and p.strip()]
    if len(parts) < 2:
        return False
    measured = 0
    for part in parts:
        lowered = part.lower()
        if (quantities(part, lowered) or multiple_in(lowered)) and (
            _has_metric_noun(_WORD.findall(lowered)) or measured == 0
        ):
            measured += 1
    return measured >= 2


__all__ = ["MAX_KR_CHARS", "Quantity", "analyse", "clean", "quantities"]
