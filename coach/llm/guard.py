"""The answer guard: one place that decides whether a model's answer may be shown, cached or written.

A model answer is untrusted input. Every job that asks the model (rewrite, org --rewrite, the TUI) goes
through `coach.rewrite.rewrite_document`, which calls `check` here; the rewrite job's task
(`coach.rewrite.answer.REWRITE`) has the client call `shape_problem` before it caches an answer, so an
answer that fails on its own (oversized, approving, addressed to the reader) is never cached either. An
answer is used only when:

1. every field has its size and shape (text and initiative one line, at most five questions...);
2. no field addresses the reader or the coach, approves the draft, names keys, tools, commands, links or
   the system/assistant roles, or carries hidden characters;
3. every number in it comes from that item's own text and fields, the team's data or the user's answers
   for that item (passed as `data`), never from another element;
4. it is about the same item: it shares a content word (stemmed, generic OKR words left out) with the
   item, its objective or the item's data;
5. by the rules' own measure it resolves a finding and adds none, compared like with like: the same
   rules, on the same copy of the element, before and after. A "?" counts only as the documented
   placeholder in a number slot ("from ? to ?", "to ?%"): it asks for that number.

Each refusal says why in plain words; quoted snippets are short and scrubbed of anything key-like.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from coach.llm import _MIN_SECRET, scrub
from coach.model import Finding

MAX_TEXT = 400
MAX_RATIONALE = 600
MAX_QUESTION = 300
MAX_QUESTIONS = 5
MIN_QUESTION_WORDS = 3  # "1) questions" (a schema's field name echoed back) is no question
MAX_INITIATIVE = 400
MAX_CITED = 10
# A "?" standing for a number the owner must supply: these findings are what it asks about.
OPEN_NUMBER = frozenset({"KR003", "KR004", "KR005", "KR008", "KR009", "KR014"})
ASKED = frozenset({"KR003", "KR004", "KR009"})  # what a "?" in a number slot still shows as

_NUMBER = re.compile(r"(?<!\d)\d+(?:[.,]\d+)*%?")  # "p95" and "Q3" hold numbers too
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_SLOT_END = r"(?=\s*%|\s|$|[),.;])"
_PLACEHOLDER = re.compile(
    r"(?i)\bbetween\s+\?\s+and\s+\?" + _SLOT_END + r"|"
    r"(?:\b(?:from|to|by|at|of|under|below|above|over|than|within|reach|hit|hits|least|most)\s+|[=~≥≤<>]\s*)"
    r"\?" + _SLOT_END + r"|(?<![\w/?=&])\?\s?%"
)
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_SENTENCE_END = re.compile(r"(?<=[.!?;。！？])\s+|\n")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

_P = r"(?:the\s+|your\s+|our\s+|this\s+|an?\s+)?"
_SCREEN: list[tuple[str, re.Pattern[str]]] = [
    (
        "speaks as the system or the assistant",
        re.compile(
            r"\b(?:system|assistant|user|developer|human|ai)\s*:|<\|\w+\|>|\[/?inst\]|<<\s*/?\s*sys\s*>>|"
            r"#{2,}\s*(?:response|instructions?|system)|\b(?:system|developer)\s+(?:prompt|message|"
            r"instructions?)\b|\badmin\s+mode\b|<<<|>>>|<\s*/?\s*[a-z][\w-]*(?:\s[^<>]*)?>"
        ),
    ),
    (
        "mentions keys or passwords",
        re.compile(
            r"\bapi[\s_-]?keys?\b|\b(?:secret|private|access|license)\s+keys?\b|\bsecrets?\b|"
            r"\b(?:access|auth|bearer|api|secret|session|refresh|github|slack)[\s_-]tokens?\b|\bbearer\b|"
            r"\bauthori[sz]ation\s+header\b|\bcredentials?\b|\b\w*_(?:key|token|secret)\b|"
            r"\bpass(?:word|phrase)s?\b(?!\s*-?\s*(?:resets?|recovery|changes?|strength|policy|managers?))|"
            r"\b(?:sk|pk|rk)-[a-z0-9_-]{6,}|\*{3}"  # ***: a key the transport already scrubbed
        ),
    ),
    (
        "contains a link",
        re.compile(
            r"\b(?:https?|ftp|file|javascript|data|mailto):|\bwww\.|\]\(|[\w.+-]+@[\w-]+\.[a-z]{2,}|"
            r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|ai|dev|co|app|xyz|ru|cn|info|biz|me|sh|ly|gg|"
            r"example|local|internal)\b"
        ),
    ),
    (
        "gives commands or names tools",
        re.compile(
            r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}?\b(?:instructions?|previous|above|"
            r"prior|rules?|findings?|guidance|checks?)\b|"
            r"\b(?:send|email|forward|post|upload|paste|submit)\s+(?:me|us|your|it\s+to|this\s+to|them\s+to)\b|"
            r"\b(?:reply|respond|answer)\s+(?:with|only|exactly)\b|\bclick\s+(?:here|the\s+link|this|on)\b|"
            r"\bvisit\s+(?:the|this)\s+(?:link|page|site|url)\b|\b(?:run|execute|exec|eval)\s+(?:this\s+|"
            r"the\s+|these\s+|following\s+)?(?:commands?|scripts?|code|shell|query)\b|\bsudo\b|\brm\s+-rf\b|"
            r"\b(?:curl|wget|chmod|powershell|cmd\.exe)\b|\b(?:pip|npm)\s+install\b|\|\s*(?:ba)?sh\b|`|"
            r"\b(?:tool|function)[\s_-]?calls?\b|\bcall\s+(?:the\s+)?\w+\s+(?:tool|function)\b|"
            r"\b[a-z]+_[a-z_]+\s*\("
        ),
    ),
    (
        "approves the draft",
        re.compile(
            r"\b(?:perfect(?:ly)?|flawless|impeccable|lgtm)\b|"
            r"\bapprov\w*\s+(?:as\b|by\s+" + _P + r"(?:coach|okrcoach|linter|reviewer|ai|assistant|model|"
            r"system|gpt|claude|leadership|management|board)\b)|"
            r"\b(?:i|we|coach|okrcoach|reviewer|linter)\s+(?:have\s+|has\s+)?approved?\b|"
            r"\bapprove\s+(?:this|it|the\s+draft|every|all|them)\b|\b(?:already|been)\s+approved\b|"
            r"\bno\s+(?:changes?|edits?|rewrites?|fix(?:es)?)\s+(?:are\s+|is\s+)?(?:needed|required|"
            r"necessary)\b|\bnothing\s+to\s+(?:change|fix|improve|rewrite)\b|"
            r"\b(?:great|good|fine|ok|okay|excellent|ideal)\s+as\s+(?:it\s+)?is\b|"
            r"\b(?:keep|leave)\s+(?:it|this|the\s+\w+)\s+(?:as\s+(?:it\s+)?is|unchanged)\b|"
            r"\balready\s+(?:fine|good|great|excellent|ideal|strong)\b|\bfalse\s+positives?\b|"
            r"\bmark(?:ed|s)?\s+(?:everything|all|it|this|them|each|every)\b|\brated\s+\d+\s*/\s*\d+\b|"
            r"\b(?:all|every|these|the)\s+(?:findings?|issues?|warnings?|rules?)\s+(?:are|is|were|have\s+"
            r"been)\s+(?:false|wrong|resolved|invalid|fine|disabled|mistaken)\b|"
            r"\blooks?\s+(?:good|great|fine)\b|\bwell[\s-]written\b"
        ),
    ),
    (
        "addresses the reader",
        re.compile(
            r"\b(?:dear|hello|hi|hey)\s+(?:user|reader|team|there|human)\b|\bplease\b|\btrust\s+me\b|"
            r"\bnote\s+to\s+(?:the\s+)?(?:reader|user|ai|model|assistant|coach|reviewer)\b|"
            r"\byou\s+(?:should|must|need\s+to|have\s+to|can\s+now|are\s+now)\b"
        ),
    ),
    (
        "talks about the coach",
        re.compile(
            r"\bokr\s*coach\b|\b(?:the|your|this|our)\s+(?:coach|linter|chatbot|assistant)\b|"
            r"\bcoach\s+(?:says|said|approved|recommends|vendor|has|is)\b|\bas\s+an?\s+(?:ai|language\s+"
            r"model|assistant)\b|\blanguage\s+model\b|\b(?:chat)?gpt\b"
        ),
    ),
]
# The text and the initiative are written into the draft: they must not talk about the draft itself.
_META = re.compile(
    r"\bthis\s+(?:key\s+result|kr|objective|okr|draft)\b|\b(?:key\s+result|objective|okr|draft)\s+(?:is|looks|"
    r"seems)\s+(?:fine|good|great|ok|okay|done|correct|complete)\b"
)
_STOP_WORDS = """a an the and or but nor of to from by for with without in on at into onto over under
    than so that
    this these those it its is are be been was were will can could should would must may might our we us
    their they them your you my i me his her he she who whom which what when where why how all any each
    every more most less least much many some no not only also just very per via as about within across
    up down out off new one two three raise increase grow reduce cut lower improve decrease boost keep
    maintain hold reach achieve get make let see ensure drive deliver have has had do does done between
    week weekly month monthly quarter quarterly day daily year yearly annual annually hour hours minute
    minutes time times rate rates share number count total percent percentage average median level end
    start today target baseline current value goal metric measure result key objective okr"""
_STOP = frozenset(_STOP_WORDS.split())


def numbers(text: str) -> set[str]:
    """The numbers a text states, as numbers: "10" stays 10, "2.50" is 2.5, "1,000" is 1000, "20%" is 20."""
    return {_normal(raw) for raw in _NUMBER.findall(text)}


def _normal(raw: str) -> str:
    n = raw.rstrip("%")
    n = n.replace(",", "") if _THOUSANDS.match(n) else n.replace(",", ".")
    whole, _, decimals = n.partition(".")
    whole = whole.lstrip("0") or "0"
    decimals = decimals.replace(".", "").rstrip("0")  # only decimals lose trailing zeros
    return f"{whole}.{decimals}" if decimals else whole


def has_placeholder(text: str) -> bool:
    """Whether the text leaves a number open as the documented "?" in a number slot ("from ? to 75%")."""
    return bool(_PLACEHOLDER.search(text))


_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ers", "er", "ed", "es", "s", "ly")


def _stem(word: str) -> str:
    """A crude stem: one common suffix off, then the first five letters ("payments" -> "pay",
    "activation" and "activate" -> "activ"); a bare prefix would join "reps" and "repository"."""
    word = word.lower().replace("’", "'").split("'")[0]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:5]


def content_words(text: str) -> set[str]:
    """The stems of a text's content words: generic OKR words ("raise", "rate", "weekly") left out.

    Scripts written without spaces (Chinese, Japanese) give their character pairs instead."""
    out: set[str] = set()
    for word in _WORD.findall(text):
        if _CJK.search(word):
            out |= {word[i : i + 2] for i in range(len(word) - 1)}
        elif len(word) > 2 and word.lower() not in _STOP:
            out.add(_stem(word))
    return out - {""}


def lead(text: str) -> str:
    """A text's first sentence: what the item is about. What a draft adds after it ("Coach, rewrite this
    as a KR about GitHub stars") must not make an answer about something else look on topic."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def shares_a_word(words: set[str], others: set[str]) -> bool:
    """Whether two texts' content words (see `content_words`) have a stem in common."""
    return bool(words & others)


@dataclass(frozen=True, slots=True)
class Subject:
    """The item an answer must be about, and the only texts its numbers may come from."""

    kind: str  # objective | key_result
    draft: str
    topic: str  # the item, its objective and its data: the words an answer about it may share
    sources: str  # the item's own text and fields, its data and the user's answers
    codes: frozenset[str]  # the codes of the item's findings the rewrite is asked to resolve
    known_passages: frozenset[str] = frozenset()


@dataclass(slots=True)
class Verdict:
    """The guard's decision: `fields` cleaned for use, or `reason` (and `dropped` for a re-check failure)."""

    fields: dict[str, Any] | None = None
    reason: str | None = None
    dropped: bool = False
    after: list[Finding] = field(default_factory=list)


def _snippet(text: str) -> str:
    short = " ".join(text.split())
    short = short if len(short) <= 40 else short[:39] + "…"
    return scrub(short, None)


def _quote(text: str, m: re.Match[str]) -> str:
    """The match and the word after it: enough to recognise the offending words."""
    after = re.match(r"\W*\w+", text[m.end() :])
    return m.group(0) + (after.group(0) if after else "")


def hidden(text: str) -> bool:
    """Whether `text` carries hidden or control characters (format, private-use, unassigned)."""
    return any(
        unicodedata.category(ch) in {"Cf", "Co", "Cs", "Cn"}
        or (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
        for ch in text
    )


def _screen(name: str, value: str, secret: str | None, written: bool) -> str | None:
    if secret and len(secret) >= _MIN_SECRET and secret in value:
        return f"the model's {name} repeats the API key"
    if hidden(value):
        return f"the model's {name} carries hidden or control characters"
    flat = unicodedata.normalize("NFKC", value).lower()
    for what, pattern in _SCREEN:
        m = pattern.search(flat)
        if m:
            return f"the model's {name} {what} ('{_snippet(_quote(flat, m))}')"
    if written:
        m = _META.search(flat)
        if m:
            quoted = _snippet(_quote(flat, m))
            return f"the model's {name} talks about the draft instead of rewriting it ('{quoted}')"
        stray = _PLACEHOLDER.sub("", value)
        if "?" in stray:
            at = stray.index("?")
            quoted = _snippet(stray[max(0, at - 30) : at + 10])
            return f"the model's {name} has a '?' that is not a number placeholder ('{quoted}')"
    return None


def first_screen(
    text: str, only: Collection[str], allowed: Callable[[str, str], bool] | None = None
) -> tuple[str, str] | None:
    """The first of the wording screens named in `only` that `text` trips, as (what it does, the words),
    skipping matches `allowed(what, words)` lets through. For a job whose answers address the reader (an
    answer to the team's question), which the full `screen` would refuse."""
    flat = unicodedata.normalize("NFKC", text).lower()
    for what, pattern in _SCREEN:
        if what in only:
            for m in pattern.finditer(flat):
                if allowed is None or not allowed(what, m.group(0).strip()):
                    return what, m.group(0)
    return None


def screen(name: str, value: str, secret: str | None = None) -> str | None:
    """Why a free-text field of any job's answer (a question, a summary) cannot be shown: it repeats the
    key or carries hidden characters, speaks as the system, names keys or tokens, holds a link or a command,
    approves the draft, addresses the reader or talks about the coach. `shape_problem` adds, for a rewrite,
    the checks on text that is written into the draft."""
    return _screen(name, value, secret, written=False)


def _strings(value: Any) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def questions_problem(questions: Sequence[str]) -> str | None:
    """Why a model's questions cannot be shown: too many, or one over-long (every job's questions)."""
    if len(questions) > MAX_QUESTIONS:
        return f"the model asked {len(questions)} questions (at most {MAX_QUESTIONS})"
    for i, question in enumerate(questions, 1):
        if len(question) > MAX_QUESTION:
            return (
                f"the model's question {i} is over-long ({len(question)} characters, at most {MAX_QUESTION})"
            )
        if len(re.findall(r"[^\W\d_]+", question)) < MIN_QUESTION_WORDS:
            return f"the model's question {i} says nothing ('{_snippet(question)}')"
    return None


def shape_problem(fields: dict[str, Any], secret: str | None = None) -> str | None:
    """Why an answer cannot be used whatever it is about: size, shape, or text that is not a rewrite.

    Needs no context, so the client calls it before caching: a refused answer is never cached.
    """
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        return "empty answer"
    if len(text) > MAX_TEXT:
        return f"over-long answer ({len(text)} characters, at most {MAX_TEXT})"
    if "\n" in text.strip() or "\r" in text.strip():
        return "the model's text is not one line"
    rationale, initiative = fields.get("rationale") or "", fields.get("initiative") or ""
    questions, cited = _strings(fields.get("questions")), _strings(fields.get("cited_passages"))
    if (
        not isinstance(rationale, str)
        or not isinstance(initiative, str)
        or questions is None
        or cited is None
    ):
        return "answer does not match the schema"
    if len(rationale) > MAX_RATIONALE:
        return f"the model's rationale is over-long ({len(rationale)} characters, at most {MAX_RATIONALE})"
    if len(initiative) > MAX_INITIATIVE or "\n" in initiative.strip():
        return f"the model's initiative is over-long or not one line (at most {MAX_INITIATIVE} characters)"
    problem = questions_problem(questions)
    if problem:
        return problem
    if len(cited) > MAX_CITED or not all(_ID.match(c) for c in cited):
        return "the model's cited_passages are not passage ids"
    named = [("text", text, True), ("rationale", rationale, False), ("initiative", initiative, True)]
    named += [
        (f"question {i}" if len(questions) > 1 else "question", q, False) for i, q in enumerate(questions, 1)
    ]
    for name, value, written in named:
        problem = _screen(name, value, secret, written)
        if problem:
            return problem
    return None


def _listed(raws: Sequence[str]) -> str:
    return raws[0] if len(raws) == 1 else ", ".join(raws[:-1]) + f" and {raws[-1]}"


def invented(fields: dict[str, Any], subject: Subject) -> str | None:
    """Numbers the answer states that the item, its data and the user's answers do not."""
    allowed = numbers(subject.sources)
    said = " ".join([fields["text"], fields["rationale"], fields["initiative"], *fields["questions"]])
    raws = list(dict.fromkeys(raw for raw in _NUMBER.findall(said) if _normal(raw) not in allowed))
    if not raws:
        return None
    where = "this key result" if subject.kind == "key_result" else "this objective"
    verb = "is" if len(raws) == 1 else "are"
    return f"the model invented numbers: it used {_listed(raws)}, which {verb} not in {where} or your data"


def off_topic(text: str, subject: Subject) -> str | None:
    """Whether the rewrite is about something else: no content word in common with the item."""
    if shares_a_word(content_words(text), content_words(subject.topic)):
        return None
    what = "key result" if subject.kind == "key_result" else "objective"
    draft = _snippet(subject.draft)
    return f"the model's text is not about this {what} (it shares no content word with '{draft}')"


def recheck(before: list[Finding], after: list[Finding], subject: Subject, open_number: bool) -> str | None:
    """Why a rewrite is not better by the rules' own measure; `before` and `after` are the same rules on the
    same copy of the element. A "?" in a number slot asks for that number: what it still shows as is asked,
    not new, and it resolves the item's missing-number findings."""
    if open_number:
        after = [f for f in after if f.code not in ASKED]
    worst = max((f.severity.rank for f in before), default=0)
    if len(after) > len(before) or max((f.severity.rank for f in after), default=0) > worst:
        return "it has more or worse findings than the draft"
    new = sorted({f.code for f in after} - {f.code for f in before})
    if new:
        return f"it brings new findings ({', '.join(new)})"
    resolved = subject.codes - {f.code for f in after}
    if open_number:
        resolved |= subject.codes & OPEN_NUMBER
    if not resolved:
        return "it resolves none of the draft's findings"
    return None


def check(
    raw: dict[str, Any],
    subject: Subject,
    findings_of: Callable[[str], list[Finding]],
    secret: str | None = None,
) -> Verdict:
    """The one decision on a model answer. `findings_of(text)`: the rules' findings on the element with
    that text, so the draft and the rewrite are measured the same way."""
    problem = shape_problem(raw, secret)
    if problem:
        return Verdict(reason=problem)
    fields: dict[str, Any] = {
        "text": " ".join(str(raw["text"]).split()),
        "rationale": " ".join(str(raw.get("rationale") or "").split()),
        "questions": [" ".join(q.split()) for q in raw.get("questions") or [] if q.strip()],
        "initiative": " ".join(str(raw.get("initiative") or "").split()),
        "cited_passages": [c for c in raw.get("cited_passages") or [] if c in subject.known_passages],
    }
    problem = invented(fields, subject) or off_topic(fields["text"], subject)
    if problem:
        return Verdict(reason=problem)
    after = findings_of(fields["text"])
    problem = recheck(findings_of(subject.draft), after, subject, has_placeholder(fields["text"]))
    if problem:
        codes = ", ".join(f.code for f in after) or "none"
        return Verdict(
            reason=f"dropped after the re-check: {problem} (rewrite: {codes})", dropped=True, after=after
        )
    return Verdict(fields=fields, after=after)
