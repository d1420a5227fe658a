"""Text handling for the analysis: cleaning markup, finding the head clause, words and stems."""

from __future__ import annotations

import re
from functools import lru_cache

from coach import lexicon as lx

_words = lx.words


class _LazyPattern:
    """A regular expression compiled on its first use. Compiling the analysis's larger patterns takes
    about 20 ms, a sixth of a cold `okrcoach review`; most drafts never need the rarer ones. After the first
    use the compiled pattern's methods sit on the instance, so a call costs what a compiled pattern's does."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> object:  # only called while the pattern is not yet compiled
        compiled = re.compile(self.pattern, self.flags)
        for method in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, deferred to the pattern's first use."""
    return _LazyPattern(pattern, flags)  # type: ignore[return-value]  # it answers as a Pattern does


_AUX = _words(
    "is are was were has have had be been being will can could should must get gets got become "
    "becomes became remain remains stay stays feel feels don't doesn't won't can't cannot do does"
)


_PURE_DIRECTION = _words(
    "increase decrease reduce raise lower grow boost double triple quadruple halve cut minimise "
    "minimize maximise maximize improve enhance optimise optimize lift shrink shorten accelerate "
    "strengthen elevate deepen broaden eliminate limit exceed surpass beat outperform drive better "
    "foster advance promote encourage nurture empower enrich scale"
)


# Neither part crosses a "[": in "[[[[..." or "[a](" repeated, each candidate would otherwise scan to the end
# of the text, and 80,000 brackets took 20 s.
_LINK = lazy(r"\[([^\[\]]*)\]\([^)\[]*\)")


_URL = lazy(r"https?://\S+|www\.\S+")


_PREFIX = re.compile(
    r"^\s*(?:[-*+•]\s+)?(?:\[[ xX]\]\s+)?(?:\*\*|__)?"
    r"(?:(?:key\s*results?|kr)\s*#?\s*[\d.]*\s*[:.)\-–—]?\s*|\d+(?:\.\d+)*[.)]\s+|[a-z][.)]\s+)?(?:\*\*|__)?\s*",
    re.IGNORECASE,
)


_MARKUP = re.compile(r"\*\*|__|`|~~|(?<!\w)_(?=\w)|(?<=\w)_(?!\w)")


def clean(text: str) -> str:
    """Drop markup, links and list prefixes; keep the words and numbers."""
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    text = _PREFIX.sub("", text, count=1)
    if "*" in text or "_" in text or "`" in text or "~" in text:
        text = _MARKUP.sub("", text)
    if not text.isascii():
        text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())  # str.split() splits on exactly what `\s` matches


# Clause boundaries: a KR that mixes a task and an outcome follows its head clause.
# The lookahead names where a boundary can start (a space, ";", "," or "("); it changes no match and makes the
# search more than twice as fast.
_CLAUSE = re.compile(
    r"(?=[\s;,(])(?:\s*(?:;|\s[—–]\s|\s-\s|,?\s+(?:resulting\s+in|leading\s+to|so\s+that|in\s+order\s+to|which\s+will|"
    r"which\s+should|with\s+the\s+goal|with\s+a\s+goal|as\s+measured\s+by|measured\s+by|to\s+ensure|"
    r"to\s+enable|to\s+support|to\s+help|to\s+allow|to\s+drive|to\s+increase|to\s+reduce|to\s+improve|"
    r"to\s+make|to\s+achieve|to\s+reach|to\s+get|to\s+grow|to\s+lower|to\s+raise|thereby|towards\s+a\s+goal|"
    r"through|via|by\s+(?=[a-z]+ing\b)|for\s+(?=[a-z]+ing\b)|while|and\s+(?=(?:we|they|it)\s)|"
    r"with\s+(?=\d)|e\.g\.|i\.e\.|including|such\s+as))\s+|\s*\()",
)


_WORD = re.compile(r"[^\W_](?:[\w'\-/&+.]*[^\W_])?%?")


_DATE_LEAD = re.compile(
    r"^(?:by|before|until|in|during|throughout|within|at|for|over|from|after|starting|end\s+of)\s+"
    r"(?:the\s+)?(?:end\s+of\s+)?(?:[^,]{0,40}),\s*",
    re.IGNORECASE,
)


_LABEL_LEAD = re.compile(r"^[^:]{1,40}:\s+(?=[^\W\d])")


_COUNTING = _words(
    "active paying new returning retained weekly monthly daily repeat engaged registered unique "
    "recurring activated qualified satisfied"
)


_STOP = _words(
    "the a an our their its of for in on at with by to from and or we is are be all new more total "
    "overall this that these those per across among each every than least"
)


_KNOWN_STEMS = lx.OUTCOME_VERBS | lx.VAGUE_VERBS | lx.TASK_VERBS | lx.METRIC_NOUNS


@lru_cache(maxsize=8192)
def _base(word: str) -> str:
    """A rough stem for verbs: grown → grow, reduced → reduce, cutting → cut."""
    for suffix, repls in (
        ("ies", ("y",)),
        ("ied", ("y",)),
        ("ing", ("", "e")),
        ("ed", ("e", "")),
        ("es", ("e", "")),
        ("s", ("",)),
    ):
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


def _has_metric_noun(words: list[str]) -> bool:
    return any(w in lx.METRIC_NOUNS for w in words)


_PREPOSITIONS = _words(
    "of for in on at with by to from across among per into about around through within without via "
    "between over"
)


def _chunk(words: list[str]) -> list[str]:
    """The first noun chunk: words up to the first preposition."""
    out: list[str] = []
    for word in words:
        if word in _PREPOSITIONS or word in _AUX:
            break
        out.append(word)
    return out
