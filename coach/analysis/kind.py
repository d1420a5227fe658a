"""What kind of key result this is: an outcome, or a task, output count, milestone, capability, coverage.

The head clause decides. A verb-led KR is judged here by its verb and what follows it; a subject-led one
by its subject and predicate in coach.analysis.subject."""

from __future__ import annotations

import re

from coach import lexicon as lx
from coach.analysis.text import _PURE_DIRECTION, _STOP, _base, _chunk, _has_metric_noun

_words = lx.words

_HIRE_LIKE = _words(
    "hire recruit interview train staff mentor coach invite contact help onboard hear talk meet visit "
    "equip email call reach survey visit meet pitch demo publish write host run hold organise "
    "organize give deliver present record produce create ship launch release build conduct send post "
    "attend speak complete close fix resolve submit file describe"
)


_METRIC_HEADS = _words(
    "time times rate rates score scores cost costs coverage resolution ratio count volume "
    "satisfaction latency duration frequency index nps csat size speed turnaround share revenue"
)


_COMPARATIVES = _words(
    "better faster more less fewer higher lower cheaper easier quicker smarter stronger larger bigger "
    "smaller closer smoother simpler safer clearer calmer happier healthier cleaner snappier lighter leaner "
    "shorter greater steadier sooner"
)


_DETERMINERS = _words("the a an our their its this that these those")


# Direction verbs that steer work rather than move a level: with no measure they name an activity.
_STEERING_VERBS = _words("drive drives driving promote promotes foster fosters advance encourage nurture")


_TARGET_WORDS = _words("target targets goal goals quota quotas forecast")


# Roles a team adds to itself: counting them counts hires, an output.
_STAFF_ROLES = _words(
    "engineer engineers designer designers pm pms analyst analysts scientist scientists sre sres "
    "recruiter recruiters marketer marketers writer writers hires fte ftes full-time part-time "
    "contractor contractors"
)


_IRREGULAR_PAST = {
    "ran": "run",
    "held": "hold",
    "sent": "send",
    "wrote": "write",
    "gave": "give",
    "built": "build",
    "made": "make",
    "met": "meet",
    "led": "lead",
    "brought": "bring",
    "did": "do",
}


_DURATIONS = _words("days hours weeks minutes months")


_RANKS = _words("reach hit rank get land stay remain be")


_ADDS_STAFF = _words("add adds added adding bring brings brought bringing get gets got getting")


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


def _object_words(words: list[str], limit: int = 7) -> list[str]:
    return [w for w in words[1 : 1 + limit] if w not in _STOP]


def _count_noun(words: list[str]) -> str:
    """For a verb followed by a count ("publish 5 posts"), what is counted: output, people or metric."""
    count_at = next((i for i, w in enumerate(words[1:4], start=1) if _is_count(w)), None)
    if count_at is None or (
        words[0] in _RANKS and words[count_at + 1 : count_at + 2] in (["in"], ["on"], ["among"])
    ):
        return ""  # "reach #1 in the store": a rank, not a count
    after = [
        w for w in words[count_at + 1 : count_at + 5] if w not in _STOP and w not in {"more", "or", "new"}
    ]
    head = _chunk(after)
    noun = head[-1] if head else (after[0] if after else "")
    counted = _chunk(words[count_at + 1 : count_at + 5])  # "10 events in community venues" counts events
    if any(w in _STAFF_ROLES for w in counted[:3]):
        return "staff"
    if any(w in lx.PEOPLE_NOUNS for w in counted[:3]):
        return "people"
    if noun in lx.OUTPUT_NOUNS or any(w in lx.OUTPUT_NOUNS for w in after[:2]):
        return "output"
    if any(w in lx.METRIC_NOUNS for w in after[:3]):
        return "metric"
    return "thing"


def _verb_led(
    words: list[str],
    has_target: bool,
    placeholders: bool = False,
    universal_only: bool = False,
    bounded: bool = False,
) -> str | None:
    verb = words[0]
    if verb in {"show", "shows"} and len(words) > 1 and words[1] == "up":
        return "outcome"  # "show up on the first page of results": visibility, a level others grant
    cls = _verb_class(verb)
    if cls is None or (len(words) > 1 and words[1] == "of"):
        return None  # "share of docs ...": a noun
    if cls == "task" and any(
        (w.endswith("ed") or w in _PARTICIPLE_IRREGULAR) and words[i - 1] in lx.METRIC_NOUNS
        for i, w in enumerate(words[2:4], start=2)
    ):
        return None  # "support spend held at budget": a metric and its state, not the verb 'support'
    if verb.endswith("ing") and len(words) > 1 and words[1] in lx.PEOPLE_NOUNS:
        return None  # "hiring managers report ...": a gerund naming who, the subject of the clause
    if verb.endswith("s") and not verb.endswith("ss") and cls != "outcome":
        return None  # "issues closed within 2 weeks": imperatives take no -s, so this is a plural noun
    lead_chunk = _chunk(words)
    if (
        cls == "task"
        and bounded
        and any(w in lx.METRIC_NOUNS or w in _DURATIONS for w in lead_chunk[1:5])
        and not any(_is_count(w) for w in words[1:3])
    ):
        return None  # "inventory days of supply from 68 to 45": a measure named by a verb-like word
    named = lead_chunk[: next((i for i, w in enumerate(lead_chunk) if w[0].isdigit()), len(lead_chunk))]
    if (
        cls == "task"
        and len(named) > 1
        and named[-1] in _METRIC_HEADS
        and not any(_is_count(w) for w in named)
    ):
        return None  # "lead time", "offer acceptance rate ≥ 85%", "report rate": a metric's name
    if verb in {"reach", "reaches", "reached"} and len(words) > 1 and words[1] == "out":
        return "task"
    obj = _object_words(words)
    stem = _IRREGULAR_PAST.get(verb) or _base(verb)
    metric = _has_metric_noun(obj)
    chunk = [
        w for w in _chunk(words[1:8]) if w not in {"the", "a", "an", "our", "their", "its", "this", "that"}
    ]
    deliverable = bool(chunk) and chunk[-1] in lx.DELIVERABLE_NOUNS
    counted = _count_noun(words) if has_target else ""
    if counted == "staff" and (verb in _HIRE_LIKE or stem in _HIRE_LIKE or verb in _ADDS_STAFF):
        return "output_count"  # "add 2 designers", "bring on one more SRE": headcount is an output
    if counted == "staff":
        counted = "people"
    if cls == "maintain":
        if metric and has_target and verb not in {"hold", "holds", "held"}:
            return "outcome"  # "keep the engagement score at 4.1 or above"
        if counted in {"output", "thing"}:
            return "output_count"  # "hold 25 clinics"
        if not metric and (universal_only or stem == "hold" or verb == "held"):
            return "task"  # "hold a postmortem for every outage": a practice the team runs, not a level
        return "outcome" if (metric or has_target) else "task"
    if verb in {"move", "moves", "moved", "shift", "shifted"} and metric and not deliverable:
        return "outcome"
    if verb in {"make", "makes"}:
        return (
            "task"
            if deliverable or (obj and obj[0] in {"sure", "certain", "headway", "progress"})
            else "outcome"
        )
    if verb in {"finish", "finishing", "end", "ending", "exit", "exiting"} and not (
        obj and (obj[0] in {"quarter", "year", "with", "cycle"} or obj[0][:1] == "q")
    ):
        return "task"
    if cls == "reach":
        if counted == "output" or (counted == "thing" and stem in {"deliver", "finish", "complete"}):
            return "output_count"
        if universal_only and not metric:
            return "task"  # "close all blockers", "collect feedback from every team": work done to every item
        if metric and any(w in _TARGET_WORDS for w in obj):
            return "outcome"  # "hit the revenue target": a level, by reference to a plan
        head_metric = bool(chunk) and (chunk[-1] in lx.METRIC_NOUNS or chunk[-1] in _METRIC_HEADS)
        if has_target or head_metric or (obj and obj[0] in _COMPARATIVES) or placeholders:
            return "outcome"
        if verb in {
            "deliver",
            "delivers",
            "delivered",
            "finish",
            "finishing",
            "collect",
            "collected",
            "bring",
            "close",
            "closed",
            "land",
            "landed",
            "book",
            "booked",
            "have",
            "has",
        }:
            return "task"
        return "binary"
    if cls == "outcome":
        if "number" in obj[:2]:
            after = obj[obj.index("number") + 1 :]
            counted_head = _chunk([w for w in after if w != "of"][:4])
            if (
                counted_head
                and counted_head[-1] in lx.OUTPUT_NOUNS
                and counted_head[-1] not in lx.PEOPLE_NOUNS
            ):
                return "output_count"
        artefact = _names_artefact(words)
        if placeholders and not artefact:
            return "outcome"  # "retain N% of apprentices": a level whose value is still to be set
        if verb in _PURE_DIRECTION or stem in _PURE_DIRECTION:
            if not metric and not has_target and (artefact or verb in _STEERING_VERBS):
                return "task"  # "improve the notifications", "drive consensus on ...": work on a thing
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


def _names_artefact(words: list[str]) -> bool:
    """Whether the verb's object is a deliverable or an output, cut at a conjunction: "improve the type
    system and ..." improves an artefact."""
    object_nouns = _chunk([w for w in words[1:6] if w not in _DETERMINERS])
    object_nouns = object_nouns[: next((i for i, w in enumerate(object_nouns) if w in {"and", "or"}), None)]
    return any(
        (w in lx.DELIVERABLE_NOUNS or w in lx.OUTPUT_NOUNS) and w not in lx.PEOPLE_NOUNS for w in object_nouns
    )


_PARTICIPLE_IRREGULAR = _words(
    "built made grown done run written shipped cut set won held sent kept brought given seen got gotten"
)


_POSSESSION = re.compile(
    r"^(?:by [^,]{1,40},\s*)?(?:we|i|the team|our team|you)\s+(?:now\s+|still\s+|already\s+)?"
    r"(?:have|has|'ve|ve)\s+(?:got\s+)?(\S+)"
)


def _possession(head_lower: str, words: list[str], has_measure: bool) -> str | None:
    """ "We have a dashboard ..." names an artefact the team owns; "we have reduced ..." is a verb phrase."""
    if "ve " not in head_lower and "has " not in head_lower:  # what _POSSESSION needs (single spaces)
        return None
    m = _POSSESSION.match(head_lower)
    if not m:
        return None
    nxt = m.group(1).strip(",.")
    if nxt.endswith("ed") or nxt in _PARTICIPLE_IRREGULAR or (nxt.endswith("en") and nxt not in {"open"}):
        return None
    if nxt in {"at", "more", "over", "fewer", "less", "zero", "no"} or nxt[:1].isdigit():
        # "we have at least 4 articles published" counts outputs; "we have 500 paying customers" counts people
        rest = words[words.index(nxt) + 1 :] if nxt in words else words
        if any(w in lx.PEOPLE_NOUNS for w in rest[:5]) or _has_metric_noun(rest[:5]):
            return "outcome"
        return "output_count"
    return "task" if not has_measure else None


_TASK_KINDS = frozenset({"task", "output_count", "milestone", "capability", "coverage", "binary"})
