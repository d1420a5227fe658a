"""Numbers in a key result: quantities (not dates, versions or names), placeholders, quantifiers,
cadences, multiples, and a stated starting value."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach import lexicon as lx
from coach.analysis.text import lazy
from coach.units import UNIT_NAMES

_words = lx.words

# The lookahead only says where a quantity can start (a comparator, a currency, a digit or a space before
# one); it changes no match, and lets the search skip every other position at once (about twice as fast).
_QTY = re.compile(
    r"(?=[<>≤≥~≈+$€£\d]|\s\d)(?P<cmp>(?:<=|>=|≤|≥|<|>|~|≈|\+)\s*)?"
    r"(?P<cur>[$€£])?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<mag>k|mm|bn|million|billion|thousand|m|b)(?![a-z]))?"
    r"(?:\s?(?P<unit>%|pp(?![a-z])|percent(?:age points?)?|[x×](?![a-z])|ms(?![a-z])|milliseconds?|"
    r"s(?![a-z])|secs?(?![a-z])|seconds?|mins?(?![a-z])|minutes?|h(?![a-z])|hrs?(?![a-z])|hours?|"
    r"(?:business\s+|working\s+)?days?|weeks?|months?|years?|pts(?![a-z])|points?|stars?|/\d+))?",
    re.IGNORECASE,
)


MAGNITUDE = _MAGNITUDE = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}


_UNIT_NAMES = UNIT_NAMES


# Words before a number that make it a name, a version, a step or a scope rather than a quantity.
_NAME_BEFORE = _words(
    "version v release python node java ios android http rails django react vue angular php go rust "
    "windows macos ubuntu level tier phase stage step round wave sprint week day q quarter chapter "
    "section part point points no number priority sev severity gen generation season cohort batch "
    "milestone epic issue ticket pr item items objective kr okr o web block room floor building route "
    "grade year fy h ecmascript es ipv mp s u page appendix figure table rule article clause iso nist "
    "pci soc wcag tls ssl oauth model gpt llama claude gemini iphone line plant ward"
)


_DIGIT = re.compile(r"\d")
_SUPERLATIVE = lazy(r"\s+(?:most|least|biggest|largest|highest|lowest|best|worst|[a-z]+est)\b")
_SCOPE_ADJECTIVE = lazy(r"\s+(?:main|core|key|top|major|primary|largest)\b")
_SCOPE_BEFORE = _words("top first last next past previous bottom")


_RANK_VERBS = _words("rank ranked ranking be in reach into remain stay among is")


# "at least one op-ed", "one new integration": a count of one
_AT_LEAST_ONE = lazy(
    r"\b(?:at\s+least|exactly|only)\s+(?:one|a\s+single)\b|\bone\s+(?:new|more|additional)\s+\w"
    r"|\bby\s+(?:a|one)\s+(?:third|quarter|fifth|tenth)\b|\bby\s+half\b"
    r"|\b(?:show\s+up|appear|appears|rank|ranks|land|be)\s+(?:\w+\s+)?on\s+(?:the\s+)?first\s+page\b"
    r"|#\s?1\b|\bnumber\s+one\b"
)


_NUM_WORDS = lazy(
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


_NAME_WINDOW = 64  # a name before a number ("Postgres 16") is a word shorter than this


def _word_before(text: str, num_start: int) -> tuple[str, int]:
    """The space-separated word before `num_start` and where it starts, looking back a bounded distance so
    that a text with thousands of numbers stays linear (no slicing from the start for each one)."""
    end = num_start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    space = text.rfind(" ", max(0, end - _NAME_WINDOW), end)
    if space < 0 and end > _NAME_WINDOW:
        return "", end  # longer than any name
    return text[space + 1 : end], space + 1


def quantities(text: str, lowered: str) -> list[Quantity]:
    """The numbers in `text` that are quantities (not dates, versions, names, list numbers or scopes)."""
    found: list[Quantity] = []
    if not _DIGIT.search(text):
        return found  # most of the work below is for numbers; half of all KRs have none
    lead = len(text) - len(text.lstrip())  # where the text starts, past leading spaces
    size = len(text)
    for q in _QTY.finditer(text):
        cmp, cur, num, mag, unit = q.group("cmp", "cur", "num", "mag", "unit")
        num_start, num_end = q.span("num")
        start = q.start() if (cmp or cur) else num_start
        before = text[num_start - 1] if num_start else ""
        # Glued to a word: N10, P95, S3, GPT-4, Web3, v2, #12, HTTP/2, Q3, FY24, COVID-19.
        if before:
            if before.isalnum() or before in "#_/\\@":
                continue
            if before == "-" and num_start >= 2 and text[num_start - 2].isalpha():
                continue
            if before == "." and num_start >= 2 and text[num_start - 2].isdigit():
                continue
        after_end = q.end()
        after = text[after_end] if after_end < size else ""
        if not unit and not mag and after and (after.isalpha() or after in "/:_"):
            per_unit = after == "/" and text[after_end + 1 : after_end + 2].isalpha()  # 900/mo, 6/week
            if not (after == "/" and cur) and not per_unit:
                continue  # 1st, 2FA, 3D, 5G, 9am, 1:1, 10:30 — ordinals, names and times
        next_char = text[num_end] if num_end < size else ""
        if next_char == "." and text[num_end + 1 : num_end + 2].isdigit():
            continue  # 1.2.3 — a version
        if next_char == "/" and num == "24" and text[num_end + 1 : num_end + 2] == "7":
            continue  # 24/7 — always, not a quantity
        try:
            value = float(num.replace(",", "") if "," in num else num)
        except ValueError:
            continue
        sign_at = (q.start("cur") if cur else num_start) - 1
        if sign_at >= 0 and text[sign_at] in "-−" and (sign_at == 0 or text[sign_at - 1] in " (\t:"):
            value = -value  # "from -5 to 20", "eNPS −12": a negative value, not a dash
        if 1990 <= value <= 2039 and not (cur or mag or unit) and "," not in num:
            continue  # a year
        prev_words = lowered[max(0, num_start - 24) : num_start].split()
        prev = prev_words[-1].strip("(#:,.") if prev_words else ""
        if prev in _NAME_BEFORE and not (cur or unit == "%"):
            continue
        if prev in _SCOPE_BEFORE and not unit and not (len(prev_words) > 1 and prev_words[-2] in _RANK_VERBS):
            continue
        if prev in _ARTICLES and not unit and next_char == "-" and text[num_end + 1 : num_end + 2].isalpha():
            continue  # "a 2-day bootcamp", "a 5-article limit": a description, not an end value
        if prev in _SCOPE_WORDS and not (unit or cur or mag):
            continue  # "the 5 core services", "from 3 sources": a scope, not an end value
        if not (unit or cur or mag) and num_start > 1:
            word_before, word_start = _word_before(text, num_start)
            if (
                word_before[:1].isupper()
                and lead < word_start - 1  # words come before it: a name, not the KR's first word
                and word_before.isalpha()
                and not word_before.isupper()
            ):
                continue  # "Postgres 16", "Kubernetes 1.25": a version of a named thing
        if not unit and (
            _SUPERLATIVE.match(text, after_end)
            or (prev in _POSSESSIVES and _SCOPE_ADJECTIVE.match(text, after_end))
        ):
            continue  # "the 50 highest-traffic pages", "the 5 core services"
        next_words = lowered[after_end : after_end + 16].split()
        nxt = next_words[0].strip(",.;:)") if next_words else ""
        if (
            nxt in lx.MONTHS
            or prev in lx.MONTHS
            or (prev == "of" and len(prev_words) > 1 and prev_words[-2] in {"end", "start", "beginning"})
        ):
            continue  # 31 March, March 31
        if (
            not unit
            and next_char == "-"
            and text[num_end + 1 : num_end + 2].isdigit()
            and (value >= 1000 or _DATE_TAIL.match(text, num_end))
        ):
            continue  # 2022-2023 or 2026-03-01; a range like 20-30% keeps its upper bound (the next match)
        if mag:
            value *= _MAGNITUDE.get(mag.lower(), 1.0)
        if cur:
            unit_name: str | None = cur
        elif unit:
            key = unit.lower().strip()
            unit_name = _UNIT_NAMES.get(key, key)
            if unit_name.startswith(("business", "working")):
                unit_name = "days"
        else:
            unit_name = None
        found.append(
            Quantity(value, unit_name, q.group(0).strip(), start, after_end, cmp.strip() if cmp else None)
        )
    return found


_ARTICLES = frozenset({"a", "an"})
_POSSESSIVES = frozenset({"the", "our", "its", "their"})
_SCOPE_WORDS = frozenset({"the", "our", "its", "their", "from"})
_DATE_TAIL = re.compile(r"-\d\d-\d")  # "2026-03-01" after its first number


_PLACEHOLDER = lazy(
    r"(?<![\w$€£])(?:[Xx]{1,3}|N)\s?[%#]|[$€£]\s?[Xx]{1,3}(?:[kKmM])?\b|\bN\d{1,3}\b|\b(?:TBD|TBC|TBA|tbd|tbc|tba)\b"
    r"|\?{2,}|\[\s*(?:x|X|n|N|#|\?|\.\.\.|number|value|target|baseline|tbd|TBD|tbc|TBC)?\s*\]"
    r"|<\s*(?:x|n|number|value|target|tbd)\s*>|\b(?:XX+|NN+|xx+)\b"
    r"|\b(?:to|by|of|at|from|under|below|above|over|than|reach|hit)\s[XYZN](?=\s|$|[.,;)])"
    r"|(?<=[<>~]\s)[XN](?=\b)|(?<=[<>~])[XN](?=\b)",
)


# "from ? to ?": a lone question mark stands for a value (searched only when the text has one)
_LONE_QUESTION = lazy(r"(?:(?<=\s)|^)\?(?=\s|$|[.,;)%])")


_QUANTIFIER = lazy(
    r"\b(do(?:es)?\s+not|did\s+not|didn't|without\s+any|"
    r"all(?!\s+(?:types|kinds|sorts|forms)\s+of)|every|each(?!\s+other)|everyone|everybody|everywhere|"
    r"^any|prevent\s+any|whenever|zero|none|never|eliminat(?:e|es|ed|ing)|no(?=\s+(?!longer|matter|later|sooner|doubt|"
    r"need|more\s+than|less\s+than|fewer\s+than|code\b|one\s+else)[a-z]))\b"
)


_ALL_NOT_QUANT = lazy(
    r"\ball(?:-hands|\s+hands|-in-one|\s+in\s+one|\s+the\s+time|-time)|\b(?:at|above|after|of)\s+all\b"
)


_CADENCE = lazy(
    r"\b(?:daily|weekly|bi-?weekly|fortnightly|monthly|bi-?monthly|quarterly|annually|yearly|hourly|nightly)\b"
    r"(?!\s+(?:active|recurring|unique|users|visitors|revenue|sales|downloads|sign|spend|budget|burn|"
    r"business\s+review|report|okr|goals|planning|active))"
    r"|\bevery\s+(?:day|week|sprint|month|quarter|release|morning|night|\d+\s+(?:days|weeks|months))\b"
    r"|\b(?:once|twice)\s+(?:a|per|each|every)\s+(?:day|week|month|quarter|sprint|year)\b"
    r"|\b(?:per|each)\s+(?:day|week|sprint|month)\b"
)


_MULTIPLE = lazy(
    r"\b(?:doubl(?:e|ed|es|ing)|tripl(?:e|ed|es|ing)|quadrupl(?:e|ed|es|ing)|halv(?:e|ed|es|ing)|"
    r"cut\s+(?:\w+\s+){0,3}in\s+half|by\s+half|twice\s+(?:as|the)|\d+-fold|(?:ten|two|three|five)-?fold|"
    r"order\s+of\s+magnitude)\b"
)


# What a pattern cannot match without. Each of these patterns is searched, without IGNORECASE, in a cleaned
# text (single spaces) or its lower-case copy, so a text that holds none of its strings cannot match it, and
# the pattern (2-11 µs each) is skipped. tests/test_analysis_gates.py holds every list to its pattern.
_PLACEHOLDER_NEEDS = (
    "x%", "X%", "x %", "X %", "x#", "X#", "x #", "X #", "$", "€", "£", "N", "TB", "tb", "??", "[", "<", ">",
    "~", "XX", "xx", " X", " Y", " Z",
)  # fmt: skip
_QUANTIFIER_NEEDS = ("no", "all", "every", "each", "any", "zero", "never", "eliminat", "didn't")
_CADENCE_NEEDS = ("ly", "every", "once", "twice", "per", "each")
_MULTIPLE_NEEDS = ("doubl", "tripl", "quadrupl", "halv", "half", "twice", "fold", "magnitude")
_NUM_WORD_NEEDS = (
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen",
    "twenty", "thirty", "forty", "fifty", "dozen", "hundred", "thousand",
)  # fmt: skip


def _has_any(needed: tuple[str, ...], text: str) -> bool:
    # a plain loop: any() over a generator costs twice as much on these short tuples
    for word in needed:  # noqa: SIM110
        if word in text:
            return True
    return False


def multiple_in(lowered: str) -> re.Match[str] | None:
    """A stated multiple in a lower-case text: "double", "cut ... in half", "10-fold" ("2x" is a quantity)."""
    return _MULTIPLE.search(lowered) if _has_any(_MULTIPLE_NEEDS, lowered) else None


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
    """`text` is a cleaned key result (its spaces are single spaces), `lowered` the same in lower case."""
    qs = quantities(text, lowered)
    placeholders = (
        [m.group(0).strip() for m in _PLACEHOLDER.finditer(text)]
        if _has_any(_PLACEHOLDER_NEEDS, text)
        else []
    )
    if "?" in text:
        placeholders += [m.group(0) for m in _LONE_QUESTION.finditer(text)]
    quantifier: str | None = None
    plan_reference = False
    for m in _QUANTIFIER.finditer(lowered) if _has_any(_QUANTIFIER_NEEDS, lowered) else ():
        word = m.group(1)
        if word == "all" and _ALL_NOT_QUANT.search(lowered, max(0, m.start() - 6), m.end() + 10):
            continue
        if word in {"everyone", "everybody"} and lowered[max(0, m.start() - 4) : m.start()] == "for ":
            continue  # "feels faster for everyone": who benefits, not an end value
        following = lowered[m.end() : m.end() + 40].split()[:4]
        if word in {"all", "every", "each"} and any(w.strip(",.;") in lx.PLAN_WORDS for w in following):
            plan_reference = True
            continue
        quantifier = word
        break
    cadence = _CADENCE.search(lowered) if _has_any(_CADENCE_NEEDS, lowered) else None
    multiple = multiple_in(lowered)
    number_word = (_NUM_WORDS.search(lowered) if _has_any(_NUM_WORD_NEEDS, lowered) else None) or (
        _AT_LEAST_ONE.search(lowered)
        if ("one" in lowered or "by " in lowered or "page" in lowered or "#" in lowered)
        else None
    )
    return _Numbers(
        qs,
        placeholders,
        quantifier,
        plan_reference,
        cadence.group(0) if cadence else None,
        multiple.group(0) if multiple else None,
        number_word.group(0) if number_word else None,
    )


def _pick_target(qs: list[Quantity], baseline: Quantity | None, cleaned: str) -> Quantity | None:
    for q in qs:
        if (
            baseline is not None
            and q.value == baseline.value
            and q.unit == baseline.unit
            and (cleaned.find(q.text) <= cleaned.find(baseline.text))
        ):
            continue
        return q
    return None


_TIME_UNITS = _words("ms s min h days weeks months")
