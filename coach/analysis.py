"""Per-key-result analysis: what kind of KR this is, and the numbers it states.

`analyse(text)` returns a `KRAnalysis`. The rules only read that; they never look at the words again.
The analysis is deterministic and works on the shape of the language: the head clause's verb, what the
numbers in it are (a target, a date, a version, a name), and how a starting value is phrased.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach import lexicon as lx
from coach.model import KRAnalysis

# --- cleaning ---------------------------------------------------------------------------------------------
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://\S+|www\.\S+")
_PREFIX = re.compile(
    r"^\s*(?:[-*+•]\s+)?(?:\[[ xX]\]\s+)?(?:\*\*|__)?"
    r"(?:(?:key\s*results?|kr)\s*#?\s*[\d.]*\s*[:.)\-–—]?\s*|\d+(?:\.\d+)*[.)]\s+|[a-z][.)]\s+)?(?:\*\*|__)?\s*",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"\*\*|__|`|~~|(?<!\w)_(?=\w)|(?<=\w)_(?!\w)")
_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """Drop markup, links and list prefixes; keep the words and numbers."""
    text = _LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = _PREFIX.sub("", text, count=1)
    text = _MARKUP.sub("", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _SPACE.sub(" ", text).strip()


# --- numbers ----------------------------------------------------------------------------------------------
_QTY = re.compile(
    r"(?P<cmp>(?:<=|>=|≤|≥|<|>|~|≈|\+)\s*)?"
    r"(?P<cur>[$€£])?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<mag>k|mm|bn|million|billion|thousand|m|b)(?![a-z]))?"
    r"(?:\s?(?P<unit>%|pp(?![a-z])|percent(?:age points?)?|[x×](?![a-z])|ms(?![a-z])|milliseconds?|"
    r"s(?![a-z])|secs?(?![a-z])|seconds?|mins?(?![a-z])|minutes?|h(?![a-z])|hrs?(?![a-z])|hours?|"
    r"(?:business\s+|working\s+)?days?|weeks?|months?|years?|pts(?![a-z])|points?|stars?|/\d+))?",
    re.IGNORECASE,
)
_MAGNITUDE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_UNIT_NAMES = {
    "%": "%", "percent": "%", "pp": "pp", "percentage point": "pp", "percentage points": "pp", "x": "x", "×": "x",
    "ms": "ms", "millisecond": "ms", "milliseconds": "ms", "s": "s", "sec": "s", "secs": "s", "second": "s",
    "seconds": "s", "min": "min", "mins": "min", "minute": "min", "minutes": "min", "h": "h", "hr": "h",
    "hrs": "h", "hour": "h", "hours": "h", "day": "days", "days": "days", "week": "weeks", "weeks": "weeks",
    "month": "months", "months": "months", "year": "years", "years": "years", "pts": "pts", "point": "pts",
    "points": "pts", "star": "stars", "stars": "stars",
}
# Words before a number that make it a name, a version, a step or a scope rather than a quantity.
_NAME_BEFORE = frozenset({
    "version", "v", "release", "python", "node", "java", "ios", "android", "http", "rails", "django", "react",
    "vue", "angular", "php", "go", "rust", "windows", "macos", "ubuntu", "level", "tier", "phase", "stage",
    "step", "round", "wave", "sprint", "week", "day", "q", "quarter", "chapter", "section", "part", "point",
    "points", "no", "number", "priority", "sev", "severity", "gen", "generation", "season", "cohort",
    "batch", "milestone", "epic", "issue", "ticket", "pr", "item", "items", "objective", "kr", "okr", "o",
    "web", "block", "room", "floor", "building", "route", "grade", "year", "fy", "h", "ecmascript", "es",
    "ipv", "mp", "s", "u", "page", "appendix", "figure", "table", "rule", "article", "clause", "iso", "nist",
    "pci", "soc", "wcag", "tls", "ssl", "oauth", "model", "gpt", "llama", "claude", "gemini", "iphone",
})
_SCOPE_BEFORE = frozenset({"top", "first", "last", "next", "past", "previous", "bottom"})
_RANK_VERBS = frozenset({"rank", "ranked", "ranking", "be", "in", "reach", "into", "remain", "stay", "among", "is"})
_NUM_WORDS = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"a dozen|dozen|a hundred|hundred|a thousand)\s+(?:or\s+more\s+|more\s+|of\s+our\s+)?"
    r"(?:[a-z][a-z-]+\s+){0,2}?([a-z][a-z-]+s)\b"
)


@dataclass(slots=True)
class Quantity:
    value: float
    unit: str | None
    text: str
    start: int
    end: int
    comparator: str | None


def _is_year(value: float, q: re.Match[str]) -> bool:
    return 1990 <= value <= 2039 and not (q["cur"] or q["mag"] or q["unit"]) and "," not in q["num"]


def quantities(text: str, lowered: str) -> list[Quantity]:
    """The numbers in `text` that are quantities (not dates, versions, names, list numbers or scopes)."""
    found: list[Quantity] = []
    for q in _QTY.finditer(text):
        start = q.start("num") if not (q["cmp"] or q["cur"]) else q.start()
        num_start, num_end = q.start("num"), q.end("num")
        before = text[max(0, num_start - 1) : num_start]
        # Glued to a word: N10, P95, S3, GPT-4, Web3, v2, #12, HTTP/2, Q3, FY24, COVID-19.
        if before and (before.isalnum() or before in "#_/\\@"):
            continue
        if before == "-" and num_start >= 2 and text[num_start - 2].isalpha():
            continue
        if before == "." and num_start >= 2 and text[num_start - 2].isdigit():
            continue
        after_end = q.end()
        after = text[after_end : after_end + 1]
        unit = q["unit"]
        if not unit and not q["mag"] and after and (after.isalpha() or after in "/:_"):
            # 1st, 2FA, 3D, 5G, 9am, 1:1, 24/7, 10:30 — ordinals, names and times
            if not (after == "/" and q["cur"]):
                continue
        if text[num_end : num_end + 1] == "." and text[num_end + 1 : num_end + 2].isdigit():
            continue  # 1.2.3 — a version
        if text[num_end : num_end + 2] == "/7" and q["num"] == "24":
            continue  # 24/7 — always, not a quantity
        raw = q["num"].replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        if _is_year(value, q):
            continue
        prev_words = lowered[max(0, num_start - 24) : num_start].split()
        prev = prev_words[-1].strip("(#:,.") if prev_words else ""
        if prev in _NAME_BEFORE and not (q["cur"] or unit == "%"):
            continue
        if prev in _SCOPE_BEFORE and not unit and not (len(prev_words) > 1 and prev_words[-2] in _RANK_VERBS):
            continue
        if prev in {"the", "our", "its", "their", "from"} and not (unit or q["cur"] or q["mag"]):
            continue  # "the 5 core services", "from 3 sources": a scope, not an end value
        if not (unit or q["cur"] or q["mag"]) and num_start > 1:
            word_before = text[:num_start].rstrip().rsplit(" ", 1)[-1]
            if word_before[:1].isupper() and text[:num_start].strip() != word_before and word_before.isalpha() \
                    and not word_before.isupper():
                continue  # "Postgres 16", "Kubernetes 1.25": a version of a named thing
        if not unit and re.match(r"\s+(?:most|least|biggest|largest|highest|lowest|main|core|key|top|best|worst|"
                                 r"[a-z]+est)\b", text[after_end : after_end + 16]):
            continue  # "the 50 highest-traffic pages"
        next_words = lowered[after_end : after_end + 16].split()
        nxt = next_words[0].strip(",.;:)") if next_words else ""
        if nxt in lx.MONTHS or prev in lx.MONTHS or (prev == "of" and len(prev_words) > 1
                                                     and prev_words[-2] in {"end", "start", "beginning"}):
            continue  # 31 March, March 31
        if "-" in text[num_end : num_end + 1] and not unit and re.match(r"-\d", text[num_end : num_end + 2]):
            # 2022-2023 or 2026-03-01; a range like 20-30% keeps its upper bound (the next match)
            if value >= 1000 or re.match(r"-\d\d-\d", text[num_end : num_end + 5]):
                continue
        if q["mag"]:
            mag = q["mag"].lower()
            if mag in {"m", "b"} and not q["cur"] and nxt not in {"arr", "mrr", "revenue", "users", "events",
                                                                   "downloads", "rows", "requests", "views"}:
                # "5 m" could be metres; only trust m/b magnitudes with money or a count noun
                if not re.match(r"\d", nxt or "x"):
                    pass
            value *= _MAGNITUDE.get(mag, 1.0)
        unit_name = _UNIT_NAMES.get(unit.lower().strip(), unit.lower().strip()) if unit else None
        if unit_name and unit_name.startswith(("business", "working")):
            unit_name = "days"
        if unit_name and unit_name.startswith("/"):
            unit_name = unit_name  # "4.5/5" keeps its scale as the unit
        if q["cur"]:
            unit_name = q["cur"]
        cmp = q["cmp"].strip() if q["cmp"] else None
        found.append(Quantity(value, unit_name, q.group(0).strip(), start, q.end(), cmp))
    return found


# --- placeholders, quantifiers, cadence, multiples, baselines ---------------------------------------------
_PLACEHOLDER = re.compile(
    r"(?<![\w$€£])[Xx]{1,3}\s?%|[$€£]\s?[Xx]{1,3}(?:[kKmM])?\b|\bN\d{1,3}\b|\b(?:TBD|TBC|TBA|tbd|tbc|tba)\b"
    r"|\?{2,}|\[\s*(?:x|X|n|N|#|\?|\.\.\.|number|value|target|baseline|tbd|TBD|tbc|TBC)?\s*\]"
    r"|<\s*(?:x|n|number|value|target|tbd)\s*>|\b(?:XX+|NN+|xx+)\b"
    r"|\b(?:to|by|of|at|from|under|below|above|over|than|reach|hit)\s[XYZN](?=\s|$|[.,;)])"
    r"|(?<=[<>~]\s)[XN](?=\b)|(?<=[<>~])[XN](?=\b)",
)
_QUANTIFIER = re.compile(
    r"\b(all|every|each|everyone|everybody|whenever|zero|none|never|eliminat(?:e|es|ed|ing)|no(?=\s+(?!longer|matter|later|sooner|doubt|"
    r"need|more\s+than|less\s+than|fewer\s+than|code\b|one\s+else)[a-z]))\b"
)
_ALL_NOT_QUANT = re.compile(r"\ball(?:-hands|\s+hands|-in-one|\s+in\s+one|\s+the\s+time|-time)|\b(?:at|above|after|of)\s+all\b")
_CADENCE = re.compile(
    r"\b(?:daily|weekly|bi-?weekly|fortnightly|monthly|bi-?monthly|quarterly|annually|yearly|hourly|nightly)\b"
    r"(?!\s+(?:active|recurring|unique|users|visitors|revenue|sales|downloads|sign|spend|budget|burn|"
    r"business\s+review|report|okr|goals|planning|active))"
    r"|\bevery\s+(?:day|week|sprint|month|quarter|release|morning|night|\d+\s+(?:days|weeks|months))\b"
    r"|\b(?:once|twice)\s+(?:a|per|each|every)\s+(?:day|week|month|quarter|sprint|year)\b"
    r"|\b(?:per|each)\s+(?:day|week|sprint|month)\b"
)
_MULTIPLE = re.compile(
    r"\b(?:doubl(?:e|ed|es|ing)|tripl(?:e|ed|es|ing)|quadrupl(?:e|ed|es|ing)|halv(?:e|ed|es|ing)|"
    r"cut\s+(?:\w+\s+){0,3}in\s+half|by\s+half|twice\s+(?:as|the)|\d+-fold|(?:ten|two|three|five)-?fold|"
    r"order\s+of\s+magnitude)\b"
)
_NUMTOK = (r"[<>~]?\s?[+\-]?[$€£]?\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|bn|million|thousand)?\s?"
           r"(?:%|(?:x|ms|s|secs?|seconds|mins?|minutes|h|hrs?|hours|days|weeks|pts|points|stars)(?![a-z])|/\d+)?"
           r"(?:\s?(?:[a-z]{1,3}/[a-z]{1,3}|/\s?[a-z]+))?")
_FROM_TO = re.compile(
    r"\bfrom\s+(?:about\s+|around\s+|approx(?:imately|\.)?\s+|~\s?|roughly\s+|an?\s+(?:baseline|average)\s+of\s+|"
    r"(?:the\s+)?current\s+)?(?P<b>" + _NUMTOK + r")(?:\s+[a-z]+){0,3}?\s*(?:to|→|->|=>|➝|towards?|up\s+to|down\s+to)\s+"
    r"(?:at\s+least\s+|over\s+|above\s+|below\s+|under\s+|less\s+than\s+|more\s+than\s+|~\s?|about\s+)?"
    r"(?P<t>" + _NUMTOK + r"|[XN]\b|[Xx]{1,2}\s?%|tbd)",
    re.IGNORECASE,
)
_ARROW = re.compile(r"(?P<b>" + _NUMTOK + r")\s*(?:→|->|=>|⇒|➡|➝|-->)\s*(?P<t>" + _NUMTOK + r")", re.IGNORECASE)
# "7.5% now", "(Q1: 52)", "from ~6.5k today", "last quarter's 1,150": a starting value stated on its own.
_BASELINE_ALONE = re.compile(
    r"(?P<b>" + _NUMTOK + r")\s*(?:now|today|currently|at\s+present|at\s+the\s+moment)\b"
    r"|\(\s*(?:q[1-4]|h[12]|fy\s?\d+|\d{4}(?:[-/]\d{2,4})?|last\s+\w+|prev\w*|baseline|current|today|now|was|"
    r"start)\s*[:=]\s*(?P<b2>" + _NUMTOK + r")"
    r"|\bfrom\s+(?:about\s+|around\s+|~\s?|roughly\s+)?(?P<b3>" + _NUMTOK + r")\s*(?=\)|today|now|currently|$|[,;.](?!\d))"
    r"|\blast\s+(?:quarter|year|month|cycle|period)'s\s+(?P<b4>" + _NUMTOK + r")",
    re.IGNORECASE,
)
_BASELINE_STATED = re.compile(
    r"\b(?:(?:up|down|increas(?:e|ed|ing)|grow(?:n|ing)?|ris(?:e|en|ing)|improv(?:e|ed|ing)|reduc(?:e|ed|ing)|"
    r"drop(?:ped|ping)?|decreas(?:e|ed|ing)|mov(?:e|ed|ing)|go(?:ing)?|rais(?:e|ed|ing)|lower(?:ed|ing)?|cut"
    r"|climb(?:ed|ing)?|fall(?:ing|en)?|shrink(?:ing)?)\s+from"
    r"|currently(?:\s+(?:at|is|are|around|about|sits?\s+at|stands?\s+at))?|today(?:'s)?(?:\s+(?:at|is|value))?"
    r"|now\s+at|baseline(?:\s+(?:of|is|was|=|at|value))?|starting\s+(?:at|from|point(?:\s+of)?)"
    r"|\(\s*(?:was|were|now|current|today)|last\s+(?:quarter|year|cycle|month|period)(?:\s+(?:was|were|at))?"
    r"|(?:vs\.?|versus|compared\s+(?:to|with)|against)(?:\s+(?:a|an|the))?"
    r"|(?:in|as\s+of)\s+(?:q[1-4]|h[12]|fy\s?\d{2,4}|\d{4})\s*(?:was|were|:)|was|were)"
    r"\s*[:=]?\s*(?:~\s?|about\s+|around\s+|roughly\s+|approx(?:imately|\.)?\s+|only\s+|just\s+)?(?P<b>" + _NUMTOK + r")",
    re.IGNORECASE,
)

# Clause boundaries: a KR that mixes a task and an outcome follows its head clause.
_CLAUSE = re.compile(
    r"\s*(?:;|\s[—–]\s|\s-\s|,?\s+(?:resulting\s+in|leading\s+to|so\s+that|in\s+order\s+to|which\s+will|"
    r"which\s+should|with\s+the\s+goal|with\s+a\s+goal|as\s+measured\s+by|measured\s+by|to\s+ensure|"
    r"to\s+enable|to\s+support|to\s+help|to\s+allow|to\s+drive|to\s+increase|to\s+reduce|to\s+improve|"
    r"to\s+make|to\s+achieve|to\s+reach|to\s+get|to\s+grow|to\s+lower|to\s+raise|thereby|towards\s+a\s+goal|"
    r"through|via|by\s+(?=[a-z]+ing\b)|for\s+(?=[a-z]+ing\b)|while|and\s+(?=(?:we|they|it)\s)|"
    r"with\s+(?=\d)|e\.g\.|i\.e\.|including|such\s+as))\s+|\s*\(",
)
_WORD = re.compile(r"[^\W_](?:[\w'\-/&+.]*[^\W_])?%?")
_DATE_LEAD = re.compile(
    r"^(?:by|before|until|in|during|throughout|within|at|for|over|from|after|starting|end\s+of)\s+"
    r"(?:the\s+)?(?:end\s+of\s+)?(?:[^,]{0,40}),\s*",
    re.IGNORECASE,
)
_LABEL_LEAD = re.compile(r"^[^:]{1,40}:\s+(?=[^\W\d])")
_INCREASE_WORDS = frozenset({"increase", "grow", "raise", "boost", "lift", "double", "triple", "quadruple",
                             "expand", "improve", "maximise", "maximize", "accelerate", "exceed", "surpass",
                             "gain", "attract", "acquire", "earn", "generate", "widen", "climb", "rise",
                             "multiply", "deepen", "broaden", "elevate", "strengthen", "enhance", "beat"})
_DECREASE_WORDS = frozenset({"reduce", "decrease", "lower", "cut", "halve", "shrink", "shorten", "minimise",
                             "minimize", "drop", "eliminate", "limit", "contain", "decline", "fall", "speed"})
_UPPER_BOUND = re.compile(r"\b(?:under|below|less\s+than|fewer\s+than|at\s+most|no\s+more\s+than|within|"
                          r"max(?:imum)?(?:\s+of)?|lower\s+than|shorter\s+than|faster\s+than)\s*$|[<≤]\s*$")
_LOWER_BOUND = re.compile(r"\b(?:over|above|more\s+than|greater\s+than|at\s+least|min(?:imum)?(?:\s+of)?|"
                          r"higher\s+than|exceed(?:s|ing)?|beyond|surpass(?:es|ing)?)\s*$|[>≥]\s*$")
_COMPOUND_SPLIT = re.compile(r"\s+(?:and|&|as\s+well\s+as|plus|while)\s+|;\s*|,\s+(?:and\s+)?(?=[a-z]+\s)")
_COUNTING = frozenset({"active", "paying", "new", "returning", "retained", "weekly", "monthly", "daily", "repeat",
                       "engaged", "registered", "unique", "recurring", "activated", "qualified", "satisfied"})
_STOP = frozenset({"the", "a", "an", "our", "their", "its", "of", "for", "in", "on", "at", "with", "by", "to",
                   "from", "and", "or", "we", "is", "are", "be", "all", "new", "more", "total", "overall", "this",
                   "that", "these", "those", "per", "across", "among", "each", "every", "than", "least"})


_KNOWN_STEMS = lx.OUTCOME_VERBS | lx.VAGUE_VERBS | lx.TASK_VERBS | lx.METRIC_NOUNS


def _base(word: str) -> str:
    """A rough stem for verbs: grown → grow, reduced → reduce, cutting → cut."""
    for suffix, repls in (("ies", ("y",)), ("ied", ("y",)), ("ing", ("", "e")), ("ed", ("e", "")),
                          ("es", ("e", "")), ("s", ("",))):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            stems = [word[: -len(suffix)] + repl for repl in repls]
            for stem in stems:
                if stem in _PURE_DIRECTION or stem in _KNOWN_STEMS:
                    return stem
            return stems[0]
    return word


def _head(cleaned: str) -> str:
    text = _DATE_LEAD.sub("", cleaned, count=1)
    label = _LABEL_LEAD.match(text)
    if label and len(label.group(0).split()) <= 4 and not any(ch.isdigit() for ch in label.group(0)):
        text = text[label.end() :]
    parts = _CLAUSE.split(text, maxsplit=1)
    head = parts[0] if parts and parts[0].strip() else text
    return head.strip()


def _content_words(head: str) -> list[str]:
    words = _WORD.findall(head.lower())
    index = 0
    while index < len(words) and (words[index] in lx.FILLERS or words[index] in {"'ve", "'ll"}):
        index += 1
    return words[index:]


@dataclass(slots=True)
class _Numbers:
    quantities: list[Quantity]
    placeholders: list[str]
    quantifier: str | None
    plan_reference: bool
    cadence: str | None
    multiple: str | None
    number_word: str | None


def _numbers(text: str, lowered: str) -> _Numbers:
    qs = quantities(text, lowered)
    placeholders = [m.group(0).strip() for m in _PLACEHOLDER.finditer(text)]
    quantifier: str | None = None
    plan_reference = False
    for m in _QUANTIFIER.finditer(lowered):
        word = m.group(1)
        if word == "all" and _ALL_NOT_QUANT.search(lowered, max(0, m.start() - 6), m.end() + 10):
            continue
        following = lowered[m.end() : m.end() + 40].split()[:4]
        if word in {"all", "every", "each"} and any(w.strip(",.;") in lx.PLAN_WORDS for w in following):
            plan_reference = True
            continue
        quantifier = word
        break
    cadence = _CADENCE.search(lowered)
    multiple = _MULTIPLE.search(lowered)
    number_word = _NUM_WORDS.search(lowered)
    return _Numbers(
        qs,
        placeholders,
        quantifier,
        plan_reference,
        cadence.group(0) if cadence else None,
        multiple.group(0) if multiple else None,
        number_word.group(0) if number_word else None,
    )


def _baseline(cleaned: str, lowered: str) -> tuple[Quantity | None, Quantity | None, str | None]:
    """(baseline, target-from-the-same-phrase, baseline_text) where the text states a starting value."""
    for pattern in (_FROM_TO, _ARROW):
        m = pattern.search(cleaned)
        if m:
            base = quantities(m.group("b"), m.group("b").lower())
            target = quantities(m.group("t"), m.group("t").lower())
            if base:
                return base[0], (target[0] if target else None), m.group(0)
    m = _BASELINE_STATED.search(cleaned)
    if m:
        base = quantities(m.group("b"), m.group("b").lower())
        if base:
            return base[0], None, m.group(0)
    for m in _BASELINE_ALONE.finditer(cleaned):
        value = next(v for v in (m.group("b"), m.group("b2"), m.group("b3"), m.group("b4")) if v)
        base = quantities(value, value.lower())
        if base:
            return base[0], None, m.group(0).strip()
    return None, None, None


def _pick_target(qs: list[Quantity], baseline: Quantity | None, cleaned: str) -> Quantity | None:
    for q in qs:
        if baseline is not None and q.value == baseline.value and q.unit == baseline.unit and (
            cleaned.find(q.text) <= cleaned.find(baseline.text)):
            continue
        return q
    return None


def _direction(words: list[str], cleaned: str, target: Quantity | None, baseline: Quantity | None) -> str | None:
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
            if word in lx.OUTCOME_VERBS or word in lx.VAGUE_VERBS or word in lx.REACH_VERBS \
                    or word in lx.MAINTAIN_VERBS or word in _STOP:
                continue
            started = True
        if phrase and (word in lx.BEHAVIOUR_WORDS or word in lx.OUTCOME_VERBS) and word not in lx.METRIC_NOUNS \
                and word not in _COUNTING:
            break  # "customers love ...": the verb ends the measured thing
        if word[0].isdigit() or word in {"from", "to", "by", "under", "below", "above", "over", "at", "within",
                                         "than", "is", "are", "has", "have", "was", "were", "for", "in", "so",
                                         "while", "without", "vs", "compared", "towards", "toward", "of"}:
            if word == "of" and phrase and phrase[-1] in {"number", "share", "percentage", "rate", "count",
                                                          "proportion", "amount", "volume", "time", "cost"}:
                phrase.append(word)
                continue
            break
        phrase.append(word)
        if len(phrase) >= 6:
            break
    while phrase and phrase[-1] in _STOP:
        phrase.pop()
    counted_people = any(w in lx.PEOPLE_NOUNS and i > 0 and phrase[i - 1] in _COUNTING
                         for i, w in enumerate(phrase))
    if not phrase or not (counted_people or any(
            (w in lx.METRIC_NOUNS or _base(w) in lx.METRIC_NOUNS or w.endswith("rate")) and w not in lx.PEOPLE_NOUNS
            for w in phrase)):
        return None
    return " ".join(phrase)


def _has_metric_noun(words: list[str]) -> bool:
    return any(w in lx.METRIC_NOUNS for w in words)


# --- kind --------------------------------------------------------------------------------------------------
_AUX = frozenset({"is", "are", "was", "were", "has", "have", "had", "be", "been", "being", "will", "can", "could",
                  "should", "must", "get", "gets", "got", "become", "becomes", "became", "remain", "remains",
                  "stay", "stays", "feel", "feels", "don't", "doesn't", "won't", "can't", "cannot", "do", "does"})
_HIRE_LIKE = frozenset({"hire", "recruit", "interview", "train", "staff", "mentor", "coach", "invite", "contact", "help",
                        "onboard", "hear", "talk", "meet", "visit", "equip",
                        "email", "call", "reach", "survey", "visit", "meet", "pitch", "demo", "publish", "write",
                        "host", "run", "hold", "organise", "organize", "give", "deliver", "present", "record",
                        "produce", "create", "ship", "launch", "release", "build", "conduct", "send", "post",
                        "attend", "speak", "complete", "close", "fix", "resolve", "submit", "file", "describe"})
_PURE_DIRECTION = frozenset({"increase", "decrease", "reduce", "raise", "lower", "grow", "boost", "double",
                             "triple", "quadruple", "halve", "cut", "minimise", "minimize", "maximise", "maximize",
                             "improve", "enhance", "optimise", "optimize", "lift", "shrink", "shorten",
                             "accelerate", "strengthen", "elevate", "deepen", "broaden", "eliminate", "limit",
                             "exceed", "surpass", "beat", "outperform", "drive", "better", "foster", "advance",
                             "promote", "encourage", "nurture", "empower", "enrich", "scale"})


_PREPOSITIONS = frozenset({"of", "for", "in", "on", "at", "with", "by", "to", "from", "across", "among", "per",
                           "into", "about", "around", "through", "within", "without", "via", "between", "over"})
_NOUN_VERBS = frozenset({"lead", "cycle", "load", "response", "run", "build", "test", "issue", "support",
                         "release", "review", "deploy", "change", "set", "wait", "queue", "hold", "time", "cost",
                         "page", "search", "sign", "open", "close", "click", "error", "crash"})
_METRIC_HEADS = frozenset({"time", "times", "rate", "rates", "score", "scores", "cost", "costs", "coverage",
                           "resolution", "ratio", "count", "volume", "satisfaction", "latency", "duration",
                           "frequency", "index", "nps", "csat", "size", "speed", "turnaround", "share", "revenue"})
_TIME_UNITS = frozenset({"ms", "s", "min", "h", "days", "weeks", "months"})
_METRIC_STARTS = (["number", "of"], ["share", "of"], ["percentage", "of"], ["proportion", "of"], ["percent", "of"],
                  ["rate", "of"], ["ratio", "of"], ["amount", "of"], ["time", "to"], ["time", "from"])
_COMPARATIVES = frozenset({"better", "faster", "more", "less", "fewer", "higher", "lower", "cheaper", "easier",
                           "quicker", "smarter", "stronger", "larger", "bigger", "smaller", "closer"})
_YES_NO = frozenset({"achieved", "certified", "passed", "approved", "ratified", "signed", "secured", "obtained",
                     "accepted", "agreed"})
_LEAD_QUANT = frozenset({"all", "every", "each", "no", "zero", "most", "none", "everyone", "nobody", "both"})


def _verb_class(word: str) -> str | None:
    if word in lx.MAINTAIN_VERBS:
        return "maintain"
    if word in lx.REACH_VERBS:
        return "reach"
    if word in lx.OUTCOME_VERBS or word in lx.VAGUE_VERBS:
        return "outcome"
    if word in lx.TASK_VERBS:
        return "task"
    return None


def _is_count(word: str) -> bool:
    return (word[0].isdigit() and not word.endswith("%")) or word in lx.NUMBER_WORDS


def _chunk(words: list[str]) -> list[str]:
    """The first noun chunk: words up to the first preposition."""
    out: list[str] = []
    for word in words:
        if word in _PREPOSITIONS or word in _AUX:
            break
        out.append(word)
    return out


def _object_words(words: list[str], limit: int = 7) -> list[str]:
    return [w for w in words[1 : 1 + limit] if w not in _STOP]


def _count_noun(words: list[str]) -> str:
    """For a verb followed by a count ("publish 5 posts"), what is counted: output, people or metric."""
    count_at = next((i for i, w in enumerate(words[1:4], start=1) if _is_count(w)), None)
    if count_at is None:
        return ""
    after = [w for w in words[count_at + 1 : count_at + 5] if w not in _STOP and w not in {"more", "or", "new"}]
    head = _chunk(after)
    noun = head[-1] if head else (after[0] if after else "")
    if any(w in lx.PEOPLE_NOUNS for w in after[:3]):
        return "people"
    if noun in lx.OUTPUT_NOUNS or any(w in lx.OUTPUT_NOUNS for w in after[:2]):
        return "output"
    if any(w in lx.METRIC_NOUNS for w in after[:3]):
        return "metric"
    return "thing"


def _verb_led(words: list[str], has_target: bool, placeholders: bool = False) -> str | None:
    verb = words[0]
    cls = _verb_class(verb)
    if cls is None or (len(words) > 1 and words[1] == "of"):
        return None  # "share of docs ...": a noun
    if verb.endswith("s") and not verb.endswith("ss") and cls != "outcome":
        return None  # "issues closed within 2 weeks": imperatives take no -s, so this is a plural noun
    lead_chunk = _chunk(words)
    if cls != "outcome" and len(lead_chunk) > 1 and lead_chunk[-1] in _METRIC_HEADS \
            and not any(_is_count(w) for w in lead_chunk):
        return None  # "lead time", "offer acceptance rate", "report rate": a metric's name
    if verb in {"reach", "reaches", "reached"} and len(words) > 1 and words[1] == "out":
        return "task"
    obj = _object_words(words)
    stem = _base(verb)
    metric = _has_metric_noun(obj)
    chunk = [w for w in _chunk(words[1:8]) if w not in {"the", "a", "an", "our", "their", "its", "this", "that"}]
    deliverable = bool(chunk) and chunk[-1] in lx.DELIVERABLE_NOUNS
    counted = _count_noun(words) if has_target else ""
    if cls == "maintain":
        if counted in {"output", "thing"}:
            return "output_count"  # "hold 25 clinics"
        return "outcome" if (metric or has_target) else "task"
    if verb in {"move", "moves", "moved", "shift", "shifted"} and metric and not deliverable:
        return "outcome"
    if verb in {"make", "makes"}:
        return "task" if deliverable or (obj and obj[0] in {"sure", "certain"}) else "outcome"
    if verb in {"finish", "finishing", "end", "ending", "exit", "exiting"} and not (
            obj and (obj[0] in {"quarter", "year", "with", "cycle"} or obj[0][:1] == "q")):
        return "task"
    if cls == "reach":
        if counted == "output":
            return "output_count"
        head_metric = bool(chunk) and (chunk[-1] in lx.METRIC_NOUNS or chunk[-1] in _METRIC_HEADS)
        if has_target or head_metric or (obj and obj[0] in _COMPARATIVES) or placeholders:
            return "outcome"
        if verb in {"deliver", "delivers", "delivered", "finish", "finishing", "collect", "collected",
                    "bring", "close", "closed", "land", "landed", "book", "booked", "have", "has"}:
            return "task"
        return "binary"
    if cls == "outcome":
        if "number" in obj[:2]:
            after = obj[obj.index("number") + 1 :]
            counted_head = _chunk([w for w in after if w != "of"][:4])
            if counted_head and counted_head[-1] in lx.OUTPUT_NOUNS and counted_head[-1] not in lx.PEOPLE_NOUNS:
                return "output_count"
        if verb in _PURE_DIRECTION or stem in _PURE_DIRECTION:
            return "task" if deliverable and not metric else "outcome"
        return "outcome" if metric or counted in {"people", "metric"} else "task"
    # a task verb: "publish 5 posts" is an output count; "onboard 40 customers" counts people's behaviour
    if counted:
        if counted == "people" and stem not in _HIRE_LIKE and verb not in _HIRE_LIKE:
            return "outcome"
        if counted == "metric" and verb not in _HIRE_LIKE and stem not in _HIRE_LIKE:
            return "outcome"
        return "output_count"
    return "task"


_PARTICIPLE_IRREGULAR = frozenset({"built", "made", "grown", "done", "run", "written", "shipped", "cut", "set",
                                   "won", "held", "sent", "kept", "brought", "given", "seen", "got", "gotten"})


def _possession(head_lower: str, words: list[str], has_measure: bool) -> str | None:
    """ "We have a dashboard ..." names an artefact the team owns; "we have reduced ..." is a verb phrase."""
    m = re.match(r"^(?:by [^,]{1,40},\s*)?(?:we|i|the team|our team|you)\s+(?:now\s+|still\s+|already\s+)?"
                 r"(?:have|has|'ve|ve)\s+(?:got\s+)?(\S+)", head_lower)
    if not m:
        return None
    nxt = m.group(1).strip(",.")
    if nxt.endswith("ed") or nxt in _PARTICIPLE_IRREGULAR or nxt.endswith("en") and nxt not in {"open"}:
        return None
    if nxt in {"at", "more", "over", "fewer", "less", "zero", "no"} or nxt[:1].isdigit():
        # "we have at least 4 articles published" counts outputs; "we have 500 paying customers" counts people
        rest = words[words.index(nxt) + 1 :] if nxt in words else words
        if any(w in lx.PEOPLE_NOUNS for w in rest[:5]) or _has_metric_noun(rest[:5]):
            return "outcome"
        return "output_count"
    return "task" if not has_measure else None


def _find_verb(words: list[str]) -> int | None:
    for i, word in enumerate(words):
        if word in _AUX:
            return i
        if i == 0:
            continue
        prev = words[i - 1]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in lx.OUTCOME_VERBS or word in lx.BEHAVIOUR_WORDS or word in lx.MILESTONE_STATES \
                or word in lx.REACH_VERBS:
            if not (word.endswith("ing") and prev not in lx.PEOPLE_NOUNS):
                return i
        if word in lx.TASK_VERBS and (prev in lx.PEOPLE_NOUNS or (prev.endswith("s") and not prev.endswith("ss"))) \
                and not word.endswith(("ing", "s")) and prev not in _PREPOSITIONS:
            return i  # "vets manage benefits", "people agree ..."
        if word.endswith("ed") and len(word) > 4 and prev not in _PREPOSITIONS and (
                not nxt or nxt in _PREPOSITIONS or nxt in {"and", "weekly", "monthly", "daily"} or nxt[0].isdigit()
                or nxt in _LEAD_QUANT):
            return i  # "MFA enforced for 100% of accounts", "partnerships explored and documented"
    return None


def _subject_led(words: list[str], has_target: bool, head: str, percent: bool, timed: bool) -> str:
    if words and words[0] in lx.BEHAVIOUR_WORDS and words[0].endswith("ing"):
        return "outcome"  # "(we're) using the new editor daily"
    verb_at = _find_verb(words)
    subject = words if verb_at is None else words[:verb_at]
    predicate = [] if verb_at is None else words[verb_at:]
    while subject[:2] in (["at", "least"], ["more", "than"], ["up", "to"]) or subject[:1] in (["over"], ["only"]):
        subject = subject[1:] if subject[:1] in (["over"], ["only"]) else subject[2:]
    lead_quant = bool(subject) and (subject[0][0].isdigit() or subject[0] in _LEAD_QUANT)
    if subject[:1] and subject[0] in {"zero", "no", "none", "nobody", "fewer", "more", "less"}:
        return "outcome"  # "zero P1 incidents", "fewer couriers quit": the level of a state
    if subject[:2] in _METRIC_STARTS:
        return "outcome"
    chunk = _chunk(subject)
    people = any(w in lx.PEOPLE_NOUNS for w in (chunk or subject[:3]))
    subject_head = (chunk or subject or [""])[-1]
    subject_metric = subject_head in lx.METRIC_NOUNS or subject_head in _METRIC_HEADS or subject_head.endswith(
        ("rate", "time", "score"))
    if lead_quant and percent and _has_metric_noun(chunk):
        return "outcome"  # "99.9% availability for the public API"
    if timed and not people:
        return "outcome"  # "payouts processed within 7 days": timeliness is a level of service
    pred_set = {_base(w) for w in predicate[:6]} | set(predicate[:6])
    quantified_after = any(w in {"every", "all", "100%", "each"} for w in predicate[:6])
    # coverage of the owner's own work: "100% of roles have a job description", "all engineers trained",
    # "MFA enforced for 100% of accounts"
    if predicate and (
        (lead_quant and predicate[0] in {"have", "has"} and not people and len(predicate) > 1)
        or (lead_quant and predicate[0] in {"have", "has"} and any(w in lx.COVERAGE_ARTEFACTS for w in predicate[1:6]))
        or (lead_quant and not people and any(w in lx.COVERAGE_STATES for w in predicate[:3]))
        or ((lead_quant or people) and {"complete", "attend", "trained"} & pred_set
            and any(w in {"training", "trainings", "course", "onboarding", "certification", "bootcamp", "trained"}
                    for w in predicate))
        or (quantified_after and not people and (predicate[0].endswith("ed") or predicate[0] in lx.MILESTONE_STATES))
    ):
        return "coverage"
    if not predicate:
        # a noun phrase: a count of outputs, a metric, a measured level, or a deliverable
        if subject and _is_count(subject[0]):
            rest = _chunk([w for w in subject[1:6] if w not in {"more", "new", "the", "a", "an", "our"}])
            if any(w in lx.PEOPLE_NOUNS for w in rest):
                return "outcome"
            return "outcome" if _has_metric_noun(rest) else "output_count"
        if any(w in lx.MILESTONE_STATES for w in subject[1:]) or any(head.endswith(p) for p in lx.MILESTONE_PHRASES):
            return "binary" if _YES_NO & set(subject) else "milestone"
        if people:
            return "outcome"
        if any(w in {"every", "all", "each"} for w in subject):
            return "coverage"  # "a bedside report on every unit"
        if percent or has_target and subject_head not in lx.DELIVERABLE_NOUNS and subject_head not in lx.OUTPUT_NOUNS:
            return "outcome"  # "expansion revenue $600k", "app size under 60 MB"
        if subject_metric:
            return "outcome"
        if subject_head in lx.DELIVERABLE_NOUNS or len(subject) <= 6:
            return "task"
        return "outcome" if _has_metric_noun(subject) else "task"
    first = predicate[0]
    rest = predicate[1:]
    if first in {"lets", "allows", "enables", "supports"}:
        return "capability"
    if first in {"feel", "feels", "look", "looks", "seem", "seems", "sound", "sounds"}:
        return "outcome"  # "our docs feel delightful": how people perceive it
    if first in {"can", "could"} or ("able" in rest[:2] and first in {"is", "are", "be", "been"}):
        following = next((w for w in rest if w not in {"now", "easily", "quickly", "able", "to", "be"}), "")
        if people and (following in lx.KNOWLEDGE_VERBS or "without" in rest):
            return "outcome"
        return "outcome" if (people and following in lx.BEHAVIOUR_WORDS and has_target) else "capability"
    if first in {"can't", "cannot", "don't", "doesn't", "won't"}:
        return "outcome"
    state = next((w for w in predicate[:4] if w not in _AUX and w not in {"been", "now", "fully", "all",
                                                                        "successfully", "finally", "not"}), "")
    if people and not lead_quant and state not in {"hired", "onboarded", "trained", "assigned"}:
        return "outcome"
    if lead_quant and people:
        return "outcome"
    if any(head.find(p) >= 0 for p in lx.MILESTONE_PHRASES) and not subject_metric:
        return "milestone"
    if state in lx.CAPABILITY_STATES and not people:
        return "coverage" if lead_quant else "capability"
    if state in lx.MILESTONE_STATES or (state.endswith("ed") and first == state):
        if subject_metric and (has_target or _verb_class(state) == "outcome"):
            return "outcome"
        if lead_quant and subject_head not in lx.DELIVERABLE_NOUNS and state not in lx.COVERAGE_STATES \
                and state in lx.OUTCOME_VERBS:
            return "outcome"
        if _verb_class(state) == "outcome":
            return "outcome"
        return "binary" if state in _YES_NO else ("coverage" if lead_quant else "milestone")
    if subject_head in lx.DELIVERABLE_NOUNS and not lead_quant and not percent and first in _AUX \
            and not any(_verb_class(w) == "outcome" for w in predicate[:3]):
        return "milestone"
    if lead_quant or percent or subject_metric or _has_metric_noun(subject):
        return "outcome"
    if any(_verb_class(w) == "outcome" for w in predicate[:3]):
        return "outcome"
    if first in {"has", "have"} and not has_target:
        return "task"  # "the service has a documented on-call process"
    return "outcome"


_TASK_KINDS = frozenset({"task", "output_count", "milestone", "capability", "coverage", "binary"})


def analyse(text: str) -> KRAnalysis:
    """Analyse one key result's text."""
    cleaned = clean(text)
    lowered = cleaned.lower()
    nums = _numbers(cleaned, lowered)
    baseline, from_to_target, baseline_text = _baseline(cleaned, lowered)
    has_target = bool(nums.quantities or nums.quantifier or nums.cadence or nums.multiple or nums.number_word)
    if baseline is not None and from_to_target is None and len(nums.quantities) <= 1:
        has_target = bool(nums.quantifier or nums.cadence or nums.multiple or nums.number_word)
    head = _head(cleaned)
    head_lower = head.lower()
    words = _content_words(head)
    if not words:
        words = _content_words(cleaned)
    percent = any(q.unit in {"%", "x", "pp", "$", "€", "£"} or q.comparator for q in nums.quantities) or bool(
        nums.multiple) or baseline is not None
    timed = any(q.unit in _TIME_UNITS and (q.comparator or re.search(
        r"(?:within|under|below|less than|in under|<)\s*$", cleaned[: cleaned.find(q.text)])) for q in nums.quantities)
    kind = (
        _possession(head_lower, words, percent)
        or (_verb_led(words, has_target, bool(nums.placeholders)) if words else None)
        or _subject_led(words, has_target, head_lower, percent, timed)
    )
    lead = words[0] if words and _verb_class(words[0]) else None
    target = from_to_target or _pick_target(nums.quantities, baseline, cleaned)
    direction = _direction(words, cleaned, target, baseline)
    maintain = bool(words) and words[0] in lx.MAINTAIN_VERBS and kind == "outcome"
    if maintain:
        direction = "maintain"
    metric = _metric(words) if kind not in _TASK_KINDS else None
    vague = kind == "outcome" and not has_target and any(
        w in lx.VAGUE_VERBS or _base(w) in _PURE_DIRECTION for w in words[:6])
    compound = kind == "outcome" and _is_compound(cleaned)
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
    )


_PAREN = re.compile(r"\([^)]*\)")


def _is_compound(cleaned: str) -> bool:
    """Two measured things in one KR: "cut p95 below 300 ms and errors below 0.5%"."""
    text = _PAREN.sub(" ", cleaned)
    if _FROM_TO.search(text):
        text = _FROM_TO.sub(" X ", text)
    parts = [p for p in _COMPOUND_SPLIT.split(text) if p and p.strip()]
    if len(parts) < 2:
        return False
    measured = 0
    for part in parts:
        lowered = part.lower()
        if quantities(part, lowered) and (_has_metric_noun(_WORD.findall(lowered)) or measured == 0):
            measured += 1
    return measured >= 2
