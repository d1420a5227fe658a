"""The shapes of a draft's wording that the rule path's rewrites restructure, without adding a number.

    split_tail(text) -> (head, tail)            "Grow X by Q3" -> ("Grow X", " by Q3")
    open_span(text, metric) -> str | None       "Improve NPS" -> "Improve NPS from ? to ?"
    add_start(text, target_text, direction)     "Grow X by 30% to $12M" -> "Grow X from ? to $12M (up 30%)"
    reach_level(text) -> str | None             "Reach ?% activation" -> "Raise activation from ? to ?%"
    split_measures(text) -> [part, ...]         one measure, with its own numbers, per part
    sentence(part) -> str                       "keeping churn below 2%" -> "Keep churn below 2%"

Each answers None (or the draft's own words) when its shape is not there: a rewrite that does not read well
is not offered, and its questions are.
"""

from __future__ import annotations

import re

from coach import lexicon as lx
from coach.analysis import quantities
from coach.analysis.numbers import multiple_in

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_PERIOD = r"(?:q[1-4]|h[12]|fy\s?\d{2,4}|year|quarter|month|cycle|term|semester|half|season|sprint)"
_WHEN = (
    rf"(?:(?:the\s+)?end\s+of\s+(?:the\s+)?(?:{_PERIOD}|{_MONTH})(?:\s+\d{{4}})?|"
    rf"(?:this|next|the)\s+{_PERIOD}|(?:{_PERIOD})(?:\s+\d{{4}})?|\d{{4}}|eo[yqm]|year[- ]end|"
    rf"{_MONTH}(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|launch)"
)
# A deadline at the end ("by Q3", "before the end of the year", "this quarter") or a note in parentheses.
_TAIL = re.compile(
    rf"(?:\s+(?:by|before|until|in|within|during|for|at)\s+{_WHEN}|\s+(?:this|next)\s+{_PERIOD}|\s+\([^()]*\))$",
    re.IGNORECASE,
)

# A quantity as a draft writes it ("30%", "$12M", "2,000", "300 ms") or a marked one ("?%", "$?").
_NUM = (
    r"(?:[+~≈]\s?)?[$€£]?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?:\s?(?:k|m|mm|bn|b|million|billion|thousand)(?![a-z]))?(?![\d,.]\d)"
)
_UNIT = (
    r"(?:\s?(?:%|pp(?![a-z])|percentage\s+points?|percent|points?(?![a-z])|pts(?![a-z])|x(?![a-z])|×|"
    r"ms(?![a-z])|s(?![a-z])|secs?(?![a-z])|seconds?|mins?(?![a-z])|minutes?|h(?![a-z])|hrs?(?![a-z])|"
    r"hours?|days?(?![a-z])|weeks?(?![a-z])|months?(?![a-z])|stars?(?![a-z])))?"
)
_QTY = rf"(?:{_NUM}{_UNIT}|[$€£]?\?%?)"
_CMP = (
    r"(?:at\s+least|at\s+most|no\s+more\s+than|no\s+less\s+than|more\s+than|less\s+than|fewer\s+than|"
    r"under|below|above|over|<=|>=|≤|≥|<|>)"
)

_BY_THEN_TO = re.compile(
    rf"^(?P<lead>.+?)\s+by\s+(?P<change>{_QTY})\s+to\s+(?P<target>(?:{_CMP}\s*)?{_QTY})(?P<rest>.*)$", re.I
)
_TO_THEN_BY = re.compile(
    rf"^(?P<lead>.+?)\s+to\s+(?P<target>(?:{_CMP}\s*)?{_QTY})\s+by\s+(?P<change>{_QTY})(?P<rest>.*)$", re.I
)
_TO_THEN_UP = re.compile(
    rf"^(?P<lead>.+?)\s+to\s+(?P<target>(?:{_CMP}\s*)?{_QTY})\s*(?:,\s*|\(\s*|\s[-—–]\s)(?:a\s+|an\s+)?"
    rf"(?P<sign>up|down|\+|-|−)?\s*(?P<change>{_QTY})(?:\s+(?P<word>increase|decrease|rise|growth|gain|"
    rf"drop|reduction|decline|cut|up|down|more|less|higher|lower))?\s*\)?(?P<rest>.*)$",
    re.I,
)
_DOWN_WORDS = lx.words("down - − decrease drop reduction decline cut less lower")
_UP_WORDS = lx.words("up + increase rise growth gain more higher")

_REACH = re.compile(
    rf"^(?P<verb>reach|hit|achieve|attain|get\s+to|cross)\s+(?:an?\s+)?(?P<target>{_QTY})\s+(?P<metric>[^\d?]+)$",
    re.I,
)
_WORD_CMP = (
    r"(?:at\s+least|at\s+most|no\s+more\s+than|no\s+less\s+than|more\s+than|less\s+than|fewer\s+than|"
    r"under|below|above|over)"
)
_BOUND = re.compile(rf"^(?P<lead>.+?)\s+(?P<cmp>{_WORD_CMP})\s+(?P<target>{_QTY})(?P<rest>.*)$", re.I)
_MOVE_VERBS = lx.OUTCOME_VERBS | {"get", "bring"}
_DIGIT = re.compile(r"\d")
_TO_BEFORE = re.compile(rf"\bto\s+(?:{_CMP}\s*)?$", re.I)
_OPEN_TARGET = re.compile(r"\bto\s+(?:[$€£]\s?)?\?")
_COMPOUND_WORD = re.compile(r"\b\d+(?:\.\d+)?-[a-z]+", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")

# Measures where less is better: a level to reach is a cut ("Reach 2% churn" -> "Reduce churn ...").
_LESS_IS_BETTER = lx.words(
    "churn cost costs cac latency time times errors error incidents defects bugs tickets complaints downtime "
    "bounce attrition turnover waste emissions spend backlog wait delay delays lag crashes failures returns "
    "refunds chargebacks escalations readmissions abandonment burn mttr mttd p95 p99 p50 overtime debt"
)
_PREPOSITIONS = lx.words(
    "of for from in on with within by to at per across among between during after before"
)
_VERBS = lx.TASK_VERBS | lx.OUTCOME_VERBS | lx.VAGUE_VERBS | lx.MAINTAIN_VERBS | lx.REACH_VERBS

_SEPARATOR = re.compile(
    r"(\s+(?:and|&|as\s+well\s+as|plus|while|whilst)\s+|;\s*|,\s+(?:and\s+|while\s+|whilst\s+|with\s+)?(?=[a-z]))"
)
# A clause that says why, not a second measure: "..., so that readmissions come down"
_PURPOSE = re.compile(
    r"^(?:so|so\s+that|in\s+order\s+to|to|which|because|thereby|resulting\s+in|without|by|for|in|on|from|"
    r"compared|vs|versus|including|excluding|e\.g|i\.e)\b",
    re.I,
)
_CONNECTIVE = re.compile(r"^(?:and|while|whilst|with|plus)\s+", re.I)
# "accuracy staying above 97%" -> "Keep accuracy above 97%"
_KEPT = re.compile(
    r"^(?P<measure>.+?)\s+(?:staying|remaining|holding)\s+(?P<level>(?:at|above|below|under|over|within)\b.*)$",
    re.I,
)


# "Seller NPS improves" -> "Improve seller NPS ..."; the falling verbs read "Reduce".
_RECAST = {
    "improves": "Improve",
    "grows": "Grow",
    "increases": "Increase",
    "rises": "Raise",
    "goes up": "Raise",
}


def split_tail(text: str, notes: bool = True) -> tuple[str, str]:
    """The text before its trailing deadlines (and notes in parentheses, with `notes`), and those (with their
    leading space)."""
    head = text
    while True:
        m = _TAIL.search(head)
        if m is None or m.start() == 0 or (not notes and m.group(0).lstrip().startswith("(")):
            return head, text[len(head) :]
        head = head[: m.start()]


def _has_number(text: str) -> bool:
    """A number of its own ("30%", "?"), not one inside a name ("90-day retention", "p95")."""
    text = _COMPOUND_WORD.sub("", text)
    return bool(quantities(text, text.lower()) or "?" in text)


# After the measure, only a phrase that says whose or which one ("time to first value", "usage of plugins");
# a clause ("by rebuilding ...", "than last year", "with Redis") would make "from ? to ?" attach to it.
_QUALIFIER_LEAD = lx.words("of for to on in at per across among")
_NOT_IN_QUALIFIER = lx.words(
    "than vs vs. versus by with without when while because which that who whom whose is are was were be been "
    "being has have had do does did more less better worse faster slower higher lower etc etc. e.g. i.e. so "
    "and or but not no compared against using through via from into"
)


def _measure_last(head: str, metric: str) -> bool:
    """Whether the words before the deadline end with the measure, or with the measure and what it is of."""
    lowered = head.lower()
    at = lowered.rfind(metric)
    if at < 0 or (at > 0 and lowered[at - 1].isalnum()):
        return False
    rest = lowered[at + len(metric) :]
    if not rest:
        return True
    words = rest.split()
    return (
        rest[:1] == " "
        and words[0] in _QUALIFIER_LEAD
        and len(words) <= 8
        and not re.search(r"(?<![a-z0-9])\d|[,;:()\[\]?!/]", rest)
        and not any(w in _NOT_IN_QUALIFIER or (len(w) > 5 and w.endswith(("ing", "ed"))) for w in words)
    )


def _names_its_measure(head: str) -> bool:
    """ "<a verb that moves a measure> ... <a measure noun>", with no clause between."""
    words = head.lower().split()
    return (
        len(words) >= 2
        and words[0] in lx.OUTCOME_VERBS
        and (words[-1] in lx.METRIC_NOUNS or words[-1].endswith("rate"))
        and words[-1] not in lx.PEOPLE_NOUNS
        and not re.search(r"(?<![a-z0-9])\d|[,;:()\[\]?!/&+]", head, re.I)
        and not any(w in _NOT_IN_QUALIFIER for w in words)
    )


def _ends_with(head: str, phrase: str) -> bool:
    lowered = head.lower()
    return lowered.endswith(phrase) and (
        len(lowered) == len(phrase) or not lowered[-len(phrase) - 1].isalnum()
    )


def open_span(text: str, metric: str | None) -> str | None:
    """ "Improve NPS by Q3" -> "Improve NPS from ? to ? by Q3": only when the words before the deadline end
    with the measure (or the measure and what it is of), so that "from ? to ?" attaches to it; "Seller NPS
    improves" -> "Improve seller NPS from ? to ?". None otherwise: the questions ask for the measure."""
    head, tail = split_tail(text)
    if _names_its_measure(head):  # "Reduce p50 code review start latency" (the analysis: "p50 code review")
        return f"{head} from ? to ?{tail}"
    if not metric or re.search(r"\s(?:and|&|or)\s|,", metric):  # two measures: ask which, write nothing
        return None
    if _measure_last(head, metric):
        return f"{head} from ? to ?{tail}"
    subject = re.match(
        r"^(?P<subject>.+?)\s+(?P<verb>improves|grows|increases|rises|goes\s+up|drops|decreases|falls|declines|"
        r"goes\s+down|comes\s+down|shrinks)$",
        head,
        re.I,
    )
    if (
        subject
        and _ends_with(subject.group("subject"), metric)
        and len(subject.group("subject").split()) <= 6
    ):
        verb = " ".join(subject.group("verb").lower().split())
        words = subject.group("subject")
        words = words[:1].lower() + words[1:] if words[1:2].islower() else words
        return f"{_RECAST.get(verb, 'Reduce')} {words} from ? to ?{tail}"
    return None


def _direction_word(sign: str | None, word: str | None, direction: str | None) -> str:
    for said in (sign, word):
        if said and said.lower() in _DOWN_WORDS:
            return "down"
        if said and said.lower() in _UP_WORDS:
            return "up"
    return {"increase": "up", "decrease": "down"}.get(direction or "", "by")


def _change_and_target(text: str, direction: str | None) -> str | None:
    """ "by X to Y", "to Y by X", "to Y, up X": the end value stays the target, the change is kept beside."""
    head, tail = split_tail(text, notes=False)  # "(+30%)" is the change, not a note
    for shape in (_BY_THEN_TO, _TO_THEN_BY, _TO_THEN_UP):
        m = shape.match(head)
        if m is None:
            continue
        lead, change, target, rest = m.group("lead", "change", "target", "rest")
        if _YEAR.match(change.strip()) or _has_number(lead) or _has_number(rest):
            continue
        groups = m.groupdict()
        if shape is _TO_THEN_UP and not (groups["sign"] or groups["word"]):
            continue  # "to 8,000, 20 of them ...": a second number that does not say it is the change
        said = _direction_word(groups.get("sign"), groups.get("word"), direction)
        change = change.lstrip("+").strip()
        return f"{lead} from ? to {target}{rest.rstrip()} ({said} {change}){tail}"
    return None


def _is_verb(word: str) -> bool:
    """A verb as a verb, not an -ing or -ed form that describes a noun ("paying customers")."""
    return word in _VERBS and not word.endswith(("ing", "ed"))


def reach_level(text: str) -> str | None:
    """ "Reach 40% activation" -> "Raise activation from ? to 40%": a level to reach names its measure."""
    head, tail = split_tail(text)
    m = _REACH.match(head)
    if m is None:
        return None
    metric, target = m.group("metric").strip(" ,"), m.group("target")
    words = metric.lower().split()
    if not 1 <= len(words) <= 4 or any(w in _PREPOSITIONS for w in words) or _is_verb(words[0]):
        return None
    if any(w in _LESS_IS_BETTER for w in words):
        verb = "Reduce"
    elif "%" in target or any(w in {"rate", "score", "nps", "csat", "rating", "ratio"} for w in words):
        verb = "Raise"
    else:
        verb = "Grow"
    metric = metric[:1].lower() + metric[1:] if metric[1:2].islower() else metric
    return f"{verb} {metric} from ? to {target}{tail}"


def add_start(text: str, target_text: str | None, direction: str | None) -> str | None:
    """Add the missing start: "Raise X to 75%" -> "Raise X from ? to 75%"; "Grow X by 30% to $12M" -> "Grow X
    from ? to $12M (up 30%)"; "Cut X below 2%" -> "Cut X from ? to below 2%"; else "... (from ?)"."""
    shaped = _change_and_target(text, direction) or reach_level(text)
    if shaped:
        return shaped
    if target_text is None:
        open_target = _OPEN_TARGET.search(text)
        if open_target:
            return f"{text[: open_target.start()]}from ? {text[open_target.start() :]}"
    elif (at := text.find(target_text)) >= 0:
        before = _TO_BEFORE.search(text[:at])
        if before and len(text[: before.start()].split()) >= 2:  # "Get to 1,000 ...": no measure before "to"
            return f"{text[: before.start()]}from ? {text[before.start() :]}"
        bound = _BOUND.match(text)
        if (
            bound
            and text.split(" ", 1)[0].lower() in _MOVE_VERBS
            and not _has_number(bound.group("lead"))
            and not _has_number(bound.group("rest"))
        ):
            lead, cmp, target, rest = bound.group("lead", "cmp", "target", "rest")
            return f"{lead} from ? to {cmp} {target}{rest}"
    if target_text is not None and not (
        _DIGIT.search(target_text) or "?" in target_text or multiple_in(target_text.lower())
    ):
        return None  # "each level", "every PR": no number that a start could be read against
    return f"{text} (from ?)"


def sentence(part: str) -> str:
    """A split part as a key result of its own: "keeping churn below 2%," -> "Keep churn below 2%"."""
    part = _CONNECTIVE.sub("", part.strip(" ,;:-—–"))
    kept = _KEPT.match(part)
    if kept and not _has_number(kept.group("measure")):
        part = f"keep {kept.group('measure')} {kept.group('level')}"
    first, _, rest = part.partition(" ")
    lowered = first.lower()
    if lowered.endswith("ing"):
        stem = lowered[:-3]
        for base in (stem, stem + "e", stem[:-1]):
            if base in _VERBS and base != lowered:
                first = base
                break
    first = first[:1].upper() + first[1:] if first[1:].islower() or len(first) == 1 else first
    return f"{first} {rest}".strip()


def _measured(part: str) -> bool:
    """A part that carries a number of its own and says what it measures (not only "up 30%")."""
    lowered = part.lower()
    if not (quantities(part, lowered) or multiple_in(lowered) or re.search(r"(?:^|\s)[$€£]?\?", part)):
        return False
    words = re.findall(r"[a-z][a-z'-]*", lowered)
    return any(
        w not in _PREPOSITIONS and w not in {"up", "down", "a", "an", "the", "and", "or"} for w in words
    )


def split_measures(text: str) -> list[str]:
    """The draft cut at "and", "&", "as well as", "plus", "while", ";" or ", " where each side carries a
    measure with its own number; a part without one stays with its neighbour ("onboarding and activation
    rate" is one measure, "signups and activations by 20%" one number)."""
    pieces = _SEPARATOR.split(text)
    parts: list[str] = [pieces[0]]
    for separator, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        if _measured(parts[-1]) and _measured(piece) and not _PURPOSE.match(piece):
            parts.append(piece)
        else:
            parts[-1] = parts[-1] + separator + piece
    if not _measured(parts[0]) and len(parts) > 1:
        return [text]
    return [sentence(p) for p in parts if p.strip(" ,;")]


_BUZZ = re.compile(
    r"(?i)(?<![\w-])("
    + "|".join(re.escape(b) for b in sorted(lx.BUZZWORDS, key=len, reverse=True))
    + r")(?![\w-])"
)


def buzzwords(text: str) -> list[str]:
    """The corporate fog in an objective, each once, as it is written."""
    return list(dict.fromkeys(m.group(1) for m in _BUZZ.finditer(text)))


_GOAL_SEPARATOR = re.compile(r"(?i)(\s+(?:and|&|as\s+well\s+as|while\s+also|plus)\s+|;\s*)")


def _verb_led(part: str) -> bool:
    words = part.lower().split()
    return len(words) >= 2 and (
        words[0] in lx.TASK_VERBS or words[0] in lx.OUTCOME_VERBS or words[0] in lx.VAGUE_VERBS
    )


def split_goals(text: str) -> list[str]:
    """An objective cut where a new goal starts with its own verb ("Grow X and expand into Y"); an "and"
    inside a goal ("Win trust and loyalty of agencies") stays."""
    pieces = _GOAL_SEPARATOR.split(text)
    parts = [pieces[0]]
    for separator, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        if _verb_led(piece):
            parts.append(piece)
        else:
            parts[-1] += separator + piece
    return [p.strip(" ,;") for p in parts if p.strip(" ,;")]


_NUMBER_LEAD = re.compile(
    r"\s(?:by|to|from|of|at|above|below|under|over|within|than|least|most)\s+(?:about\s+|almost\s+|nearly\s+)?$"
    r"|\s(?:more|less|fewer)\s+than\s+$|\s(?:at\s+least|at\s+most)\s+$",
    re.I,
)
_RELATIVE = re.compile(r"\s*(?:yoy|qoq|mom|y/y|year[- ]over[- ]year|year[- ]on[- ]year|a\s+year)\b", re.I)
_MULTIPLE_VERB = {"double": "Grow", "triple": "Grow", "quadruple": "Grow", "halve": "Reduce"}
_REACH_LEAD = re.compile(r"^(?:reach|hit|achieve|attain|cross|get\s+to|pass|surpass|exceed)\s+", re.I)


def without_numbers(text: str) -> str | None:
    """An objective with its numbers gone, each with the preposition that led to it ("Grow ARR by 30% to
    $12M" -> "Grow ARR"); None where that would not read ("Become a $10M business" -> "Become a business")."""
    found = sorted(quantities(text, text.lower()), key=lambda q: -q.start)
    reach = _REACH_LEAD.match(text)
    if reach and found and found[-1].start == reach.end():  # "Reach $2M ARR": the measure is what grows
        rest = text[found[-1].end :].lower().split()[:4]
        text = ("Reduce " if any(w in _LESS_IS_BETTER for w in rest) else "Grow ") + text[reach.end() :]
        found = sorted(quantities(text, text.lower()), key=lambda q: -q.start)
    for q in found:
        if re.search(r"(?:^|\s)(?:an?|the)\s+$", text[: q.start], re.I):
            return None  # the number describes a noun: without it the sentence loses its meaning
        lead = _NUMBER_LEAD.search(text[: q.start])
        start = lead.start() if lead else q.start
        after = _RELATIVE.match(text, q.end)
        text = text[:start] + text[after.end() if after else q.end :]
    verb = text.split(" ", 1)[0].lower()
    if verb in _MULTIPLE_VERB:
        text = _MULTIPLE_VERB[verb] + text[len(verb) :]
    text = re.sub(r"(?i)\s+(?:by|in)\s+half\b|\s+by\s+(?:a|one)\s+(?:third|quarter)\b", "", text)
    text = re.sub(r"(?i)\s(?:by|of|to|from|at)\s*$", "", " ".join(text.split())).strip(" ,-—–")
    if multiple_in(text.lower()) or quantities(text, text.lower()):
        return None
    return text or None
