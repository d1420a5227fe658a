"""What kind of key result this is: an outcome, or a task, output count, milestone, capability, coverage.

The head clause decides. A verb-led KR is judged by its verb and what follows it; a subject-led one by its
subject (people, a metric, a deliverable) and its predicate (a finished state, "can ...", a behaviour)."""

from __future__ import annotations

import re

from coach import lexicon as lx
from coach.analysis.text import _AUX, _PREPOSITIONS, _PURE_DIRECTION, _STOP, _base, _chunk, _has_metric_noun

_words = lx.words

_HIRE_LIKE = _words(
    "hire recruit interview train staff mentor coach invite contact help onboard hear talk meet visit "
    "equip email call reach survey visit meet pitch demo publish write host run hold organise "
    "organize give deliver present record produce create ship launch release build conduct send post "
    "attend speak complete close fix resolve submit file describe"
)


_NOUN_VERBS = _words(
    "lead cycle load response run build test issue support release review deploy change set wait "
    "queue hold time cost page search sign open close click error crash"
)


_METRIC_HEADS = _words(
    "time times rate rates score scores cost costs coverage resolution ratio count volume "
    "satisfaction latency duration frequency index nps csat size speed turnaround share revenue"
)


_METRIC_STARTS = (
    ["number", "of"],
    ["share", "of"],
    ["percentage", "of"],
    ["proportion", "of"],
    ["percent", "of"],
    ["rate", "of"],
    ["ratio", "of"],
    ["amount", "of"],
    ["time", "to"],
    ["time", "from"],
    ["median", "of"],
    ["average", "of"],
    ["mean", "of"],
)


_COMPARATIVES = _words(
    "better faster more less fewer higher lower cheaper easier quicker smarter stronger larger bigger "
    "smaller closer smoother simpler safer clearer calmer happier healthier cleaner snappier lighter leaner "
    "shorter greater steadier sooner"
)


_DETERMINERS = _words("the a an our their its this that these those")


# Direction verbs that steer work rather than move a level: with no measure they name an activity.
_STEERING_VERBS = _words("drive drives driving promote promotes foster fosters advance encourage nurture")


# People inside the owner's organisation: their training or plans are the owner's programme.
_INTERNAL_PEOPLE = _words(
    "employees staff engineers managers team teams squads squad reps leads hires mentors reviewers"
)


# "Every team has / keeps / writes a plan": an artefact every unit holds is coverage of a programme.
_KEEPS_ARTEFACT = _words("have has commit maintain own follow publish write hold run keep use")


_COMMITS = _words("commits commit maintains follows owns publishes writes keeps exists works")


_NEGATIONS = _words("not no never don't doesn't won't can't cannot fail fails evenly")


_TARGET_WORDS = _words("target targets goal goals quota quotas forecast")


_MONEY_LEAD = re.compile(r"^(?:over |at least |more than |~)?[$€£]\s?\d")


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


_RECEIVES = _words("has have gets get receives receive")


_PERIODS = _words(
    "day days week weeks month months quarter quarters year years sprint sprints release releases "
    "month-end quarter-end year-end morning night cycle pulse survey time"
)


_FEELINGS = _words("love loves like likes enjoy enjoys prefer prefers trust trusts recommend recommends")


def _reaches_everyone(words: list[str]) -> bool:
    """ "... for every new starter", "... by 100% of staff": a universal over people after the subject."""
    return any(
        (w in {"every", "each", "all"} or (w == "100%" and words[i + 1 : i + 2] == ["of"]))
        and words[i - 1] in {"for", "by", "in", "to", "with", "of", "across"}
        and any(
            p in lx.PEOPLE_NOUNS or p in {"squad", "starter", "hire", "team"} for p in words[i + 1 : i + 5]
        )
        for i, w in enumerate(words[1:], start=1)
    )


_BEHAVIOUR_ONLY = (
    lx.BEHAVIOUR_WORDS
    - lx.OUTCOME_VERBS
    - lx.MILESTONE_STATES
    - lx.REACH_VERBS
    - _words("is are has have can")
)


_DURATIONS = _words("days hours weeks minutes months")


_CADENCE_WORDS = _words("daily weekly fortnightly monthly quarterly yearly annually nightly hourly")


_CHANGE_NOUNS = _words("reduction increase decrease growth improvement rise drop decline uplift")


def _by_people(words: list[str]) -> bool:
    """ "... by policymakers", "... from customers": done by people the owner does not control."""
    return any(
        w in {"by", "from", "among"} and any(p in lx.PEOPLE_NOUNS for p in words[i + 1 : i + 4])
        for i, w in enumerate(words)
    )


_RANKS = _words("reach hit rank get land stay remain be")


_ADDS_STAFF = _words("add adds added adding bring brings brought bringing get gets got getting")


_ATTAINS = _words("hit hits reach reaches reached achieve achieves achieved attain attains attained")


_YES_NO = _words("achieved certified passed approved ratified signed secured obtained accepted agreed")


_LEAD_QUANT = _words("all every each no zero most none everyone nobody both")


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


def _find_verb(words: list[str]) -> int | None:
    for i, word in enumerate(words):
        if word in _AUX:
            return i
        if i == 0:
            continue
        prev = words[i - 1]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in _COMMITS and prev not in _PREPOSITIONS:
            return i  # "each team commits to a plan"
        verbish = (
            word in lx.OUTCOME_VERBS
            or word in lx.BEHAVIOUR_WORDS
            or word in lx.MILESTONE_STATES
            or word in lx.REACH_VERBS
        )
        if (
            verbish
            and word in _BEHAVIOUR_ONLY
            and not (prev in lx.PEOPLE_NOUNS or prev.endswith("s") or prev in {"we", "they", "i", "you"})
        ):
            verbish = False  # "impact report published": after a singular noun 'report' is a noun
        if verbish and prev in {"per", "the", "a", "an"}:
            verbish = False  # "cost per published story": an adjective
        if verbish and not (word.endswith("ing") and prev not in lx.PEOPLE_NOUNS):
            return i
        if (
            word in lx.TASK_VERBS
            and (prev in lx.PEOPLE_NOUNS or (prev.endswith("s") and not prev.endswith("ss")))
            and not word.endswith(("ing", "s"))
            and prev not in _PREPOSITIONS
        ):
            return i  # "vets manage benefits", "people agree ..."
        if (
            word.endswith("ed")
            and len(word) > 3
            and prev not in _PREPOSITIONS
            and (
                not nxt
                or nxt in _PREPOSITIONS
                or nxt in {"and", "weekly", "monthly", "daily"}
                or nxt[0].isdigit()
                or nxt in _LEAD_QUANT
            )
        ):
            return i  # "MFA enforced for 100% of accounts", "partnerships explored and documented"
    return None


def _subject_led(
    words: list[str],
    has_target: bool,
    head: str,
    percent: bool,
    timed: bool,
    money: bool = False,
    *,
    bounded: bool = False,
    placeholders: bool = False,
    verb_at: int | None,
) -> str:
    """`verb_at`: where `_find_verb` finds the clause's verb in `words` (None: a noun phrase)."""
    if words and words[0] in lx.BEHAVIOUR_WORDS and words[0].endswith("ing"):
        return "outcome"  # "(we're) using the new editor daily"
    if money and _MONEY_LEAD.match(head):
        return "outcome"  # "$750k in commitments", "$40k raised": an amount raised or sold is a level
    if not timed and words[:1] and (words[0] in {"every", "each", "all"} or words[0] == "100%"):
        gets = next((i for i, w in enumerate(words[1:9], start=1) if w in _RECEIVES), None)
        if gets is not None and any(
            w in lx.COVERAGE_ARTEFACTS or w in lx.DELIVERABLE_NOUNS for w in words[gets + 1 : gets + 7]
        ):
            return (
                "coverage"  # "every new starter gets a buddy and a plan": the owner's programme reaches all
            )
    subject = words if verb_at is None else words[:verb_at]
    predicate = [] if verb_at is None else words[verb_at:]
    while subject[:2] in (["at", "least"], ["more", "than"], ["up", "to"]) or subject[:1] in (
        ["over"],
        ["only"],
    ):
        subject = subject[1:] if subject[:1] in (["over"], ["only"]) else subject[2:]
    lead_quant = bool(subject) and (subject[0][0].isdigit() or subject[0] in _LEAD_QUANT)
    if subject[:1] and subject[0] in {"zero", "no", "none", "nobody", "fewer", "more", "less"}:
        return "outcome"  # "zero P1 incidents", "fewer couriers quit": the level of a state
    if subject[:2] in _METRIC_STARTS:
        return "outcome"
    chunk = _chunk(subject)
    if lead_quant and len(chunk) == 1 and subject[1:2] == ["of"]:
        chunk = _chunk([w for w in subject[2:] if w not in _DETERMINERS])  # "50% of new users": users
    people = any(w in lx.PEOPLE_NOUNS for w in (chunk or subject[:3]))
    subject_head = (chunk or subject or [""])[-1]
    subject_metric = (
        subject_head in lx.METRIC_NOUNS
        or subject_head in _METRIC_HEADS
        or subject_head.endswith(("rate", "time", "score"))
    )
    if lead_quant and percent and any(w in lx.METRIC_NOUNS and w not in lx.PEOPLE_NOUNS for w in chunk):
        return "outcome"  # "99.9% availability for the public API"
    if timed and not people:
        return "outcome"  # "payouts processed within 7 days": timeliness is a level of service
    if not lead_quant and not timed and _reaches_everyone(words):
        return "coverage"  # "a buddy for every new starter", "attestation by 100% of staff"
    pred_set = {_base(w) for w in predicate[:6]} | set(predicate[:6])
    quantified_after = any(w in {"every", "all", "100%", "each"} for w in predicate[:6])
    # coverage of the owner's own work: "100% of roles have a job description", "all engineers trained",
    # "MFA enforced for 100% of accounts"
    universal = bool(subject) and (subject[0] in {"all", "every", "each"} or subject[0] == "100%")
    internal = any(w in _INTERNAL_PEOPLE for w in subject[:4])
    if predicate and (
        (lead_quant and predicate[0] in {"have", "has"} and not people and len(predicate) > 1)
        or (
            universal
            and _base(predicate[0]) in _KEEPS_ARTEFACT
            and any(
                w in lx.COVERAGE_ARTEFACTS or w in lx.DELIVERABLE_NOUNS or w in lx.OUTPUT_NOUNS
                for w in predicate[1:9]
            )
        )
        or (
            lead_quant
            and predicate[0] in {"have", "has"}
            and any(w in lx.COVERAGE_ARTEFACTS for w in predicate[1:6])
        )
        or (lead_quant and not people and any(w in lx.COVERAGE_STATES for w in predicate[:3]))
        or (
            (universal or internal or not people)
            and (lead_quant or people)
            and {"complete", "attend", "trained"} & pred_set
            and any(
                w
                in {
                    "training",
                    "trainings",
                    "course",
                    "onboarding",
                    "certification",
                    "bootcamp",
                    "trained",
                    "refresher",
                    "induction",
                }
                for w in predicate
            )
        )
        or (
            quantified_after
            and not people
            and (predicate[0].endswith("ed") or predicate[0] in lx.MILESTONE_STATES)
        )
    ):
        return "coverage"
    if not predicate:
        # a noun phrase: a count of outputs, a metric, a measured level, or a deliverable
        if subject[:1] and subject[0] in _CHANGE_NOUNS:
            return "outcome"  # "reduction in time to first event": a change of a measure
        if subject and not _is_count(subject[0]) and _by_people(subject):
            return "outcome"  # "positive feedback from customers": what other people say or do
        if subject and _is_count(subject[0]):
            rest = _chunk([w for w in subject[1:6] if w not in {"more", "new", "the", "a", "an", "our"}])
            if any(w in lx.PEOPLE_NOUNS for w in rest):
                return "outcome"
            if _by_people(subject):
                return "outcome"  # "25 citations by policymakers": things other people do
            return "outcome" if _has_metric_noun(rest) else "output_count"
        if any(w in lx.MILESTONE_STATES for w in subject[1:]) or any(
            head.endswith(p) for p in lx.MILESTONE_PHRASES
        ):
            return "binary" if _YES_NO & set(subject) else "milestone"
        if people and (
            not chunk
            or chunk[-1] in lx.PEOPLE_NOUNS
            or lead_quant
            or (chunk[0] in lx.PEOPLE_NOUNS and chunk[0].endswith("s"))
        ):
            return "outcome"  # "happy customers"; but "user suggested edits" is a feature
        if any(w in _COMPARATIVES and i > 0 and not _is_count(subject[i - 1]) for i, w in enumerate(subject)):
            return "outcome"  # "agents perform better", "spends less time": a change in a state
        if any(
            w in {"every", "all", "each"} and (i + 1 == len(subject) or subject[i + 1] not in _PERIODS)
            for i, w in enumerate(subject)
        ):
            return "coverage"  # "a bedside report on every unit"; "every month" is a cadence
        if percent or (
            has_target and subject_head not in lx.DELIVERABLE_NOUNS and subject_head not in lx.OUTPUT_NOUNS
        ):
            return "outcome"  # "expansion revenue $600k", "app size under 60 MB"
        if subject_metric or placeholders:
            return "outcome"  # "X% of alerts actionable": a level, its value still to be set
        if subject_head in lx.DELIVERABLE_NOUNS or len(subject) <= 6:
            return "task"
        return "outcome" if _has_metric_noun(chunk or subject) else "task"
    first = predicate[0]
    rest = predicate[1:]
    if first in {"lets", "allows", "enables", "supports"}:
        return "capability"
    if first in {"exists", "exist"}:
        return "milestone"  # "the export API exists": a thing made
    if first in {"works", "work", "runs"} and not people and not percent and not subject_metric:
        return "capability"  # "search works offline": what the product can do
    if (
        people
        and first in {"is", "are", "get", "gets"}
        and rest[:1]
        and rest[0].endswith("ed")
        and "by" in rest[1:3]
        and _verb_class(rest[0]) != "outcome"
    ):
        return "capability"  # "new users are greeted by a tour": the product acts on them
    if first in {"feel", "feels", "look", "looks", "seem", "seems", "sound", "sounds"}:
        return "outcome"  # "our docs feel delightful": how people perceive it
    if first in {"can", "could"} or ("able" in rest[:2] and first in {"is", "are", "be", "been"}):
        following = next((w for w in rest if w not in {"now", "easily", "quickly", "able", "to", "be"}), "")
        if people and (following in lx.KNOWLEDGE_VERBS or "without" in rest):
            return "outcome"
        return "outcome" if (people and following in lx.BEHAVIOUR_WORDS and has_target) else "capability"
    if first in {"can't", "cannot", "don't", "doesn't", "won't"}:
        return "outcome"
    state = next(
        (
            w
            for w in predicate[:4]
            if w not in _AUX and w not in {"been", "now", "fully", "all", "successfully", "finally", "not"}
        ),
        "",
    )
    if (
        universal
        and state.endswith("ed")
        and chunk
        and chunk[-1] not in lx.PEOPLE_NOUNS
        and not subject_metric
        and _verb_class(state) != "outcome"
    ):
        return "coverage"  # "all active customer contracts ... extracted": every item of the owner's own work
    if people and (lead_quant or internal) and state in lx.COVERAGE_STATES and (universal or internal):
        return "coverage"  # "all new reps certified by day 30": the owner's programme
    if state in {"held", "kept", "maintained", "sustained"} and (subject_metric or bounded):
        return "outcome"  # "agency spend held at or below budget": a level kept
    if people and not lead_quant and state not in {"hired", "onboarded", "trained", "assigned"}:
        return "outcome"
    if lead_quant and people:
        return "outcome"
    if any(head.find(p) >= 0 for p in lx.MILESTONE_PHRASES) and not subject_metric:
        return "milestone"
    if state in lx.CAPABILITY_STATES and not people:
        return "coverage" if lead_quant else "capability"
    after_state = predicate[predicate.index(state) + 1 :][:1] if state in predicate else []
    if first in {"is", "are"} and state in {"on", "off"} and after_state in ([], ["for"], ["by"], ["in"]):
        return "capability"  # "screening is on for all roles": a switch the team sets
    if state.endswith("ed") and after_state and after_state[0] in _CADENCE_WORDS and not subject_metric:
        return "task"  # "hoods are inspected monthly": a practice the team keeps up
    if state in lx.MILESTONE_STATES or (state.endswith("ed") and first == state):
        if subject_metric and (has_target or _verb_class(state) == "outcome"):
            return "outcome"
        if after_state and after_state[0].endswith("%"):
            return "outcome"  # "LMS available 99.5% of the time": the rate of a state
        if bounded and not lead_quant and ("%" in head or " per " in head):
            return "outcome"  # "applications submitted online: 62% to 90%": a measured rate
        if (
            lead_quant
            and subject_head not in lx.DELIVERABLE_NOUNS
            and state not in lx.COVERAGE_STATES
            and state in lx.OUTCOME_VERBS
        ):
            return "outcome"
        if _verb_class(state) == "outcome":
            return "outcome"
        return "binary" if state in _YES_NO else ("coverage" if lead_quant else "milestone")
    if (
        subject_head in lx.DELIVERABLE_NOUNS
        and not lead_quant
        and not percent
        and first in _AUX
        and not any(_verb_class(w) == "outcome" for w in predicate[:3])
    ):
        return "milestone"
    if lead_quant or percent or subject_metric or _has_metric_noun(subject):
        return "outcome"
    if any(_verb_class(w) == "outcome" for w in predicate[:3]):
        return "outcome"
    if first in {"has", "have"} and not has_target and not any(w in _COMPARATIVES for w in rest[:2]):
        return "task"  # "the service has a documented on-call process"
    if (
        not has_target
        and not any(w in lx.PEOPLE_NOUNS for w in words)
        and not _has_metric_noun(predicate)
        and not any(w in _COMPARATIVES or w in _NEGATIONS or w in _ATTAINS for w in predicate)
        and first not in _FEELINGS
    ):
        return "capability"  # "retries back off with a dead-letter queue": how the product behaves
    return "outcome"


_TASK_KINDS = frozenset({"task", "output_count", "milestone", "capability", "coverage", "binary"})


def _phrase(words: list[str], limit: int = 4) -> str:
    return " ".join(words[:limit])


def explain(kind: str, stage: str, words: list[str], percent: bool, verb_at: int | None) -> str:
    """A short reason for the kind: which clause and words decided it. `verb_at`: as `_subject_led` had it
    (read for the subject stage only)."""
    if stage == "others":
        return "'have them tell us': what other people know or say"
    if stage == "move":
        return "a measure 'down'/'up' by an amount: the change of a metric"
    if stage == "control":
        return "'under control': the level of a state, not work to do"
    if not words:
        return "no words to judge"
    if stage == "possession":
        if kind == "outcome":
            return "'we have' with a count of people or a measure: a level to reach"
        if kind == "output_count":
            return "'we have' with a count of things made: an output count"
        return "'we have' with a thing: an artefact the team owns"
    if stage == "verb":
        verb = words[0]
        if kind == "task":
            return f"head verb '{verb}' names work to do"
        if kind == "binary":
            return f"head verb '{verb}' with no number: reached or not"
        obj = _phrase([w for w in _chunk(words[1:]) if w not in _DETERMINERS]) or _phrase(words[1:])
        if kind == "output_count":
            return f"head verb '{verb}' with a count of outputs ('{obj}'): effort, not effect"
        return f"head verb '{verb}' moves a measure ('{obj}')"
    subject = words if verb_at is None else words[:verb_at]
    predicate = [] if verb_at is None else words[verb_at:]
    subj = _phrase(subject, 5)
    people = any(w in lx.PEOPLE_NOUNS for w in subject[:6])
    if not predicate:
        if kind == "outcome":
            if people:
                return f"noun phrase '{subj}' names people: behaviour of others"
            return f"noun phrase '{subj}' with a measure: a level to reach"
        if kind == "output_count":
            return f"noun phrase '{subj}' counts things made: an output count"
        if kind == "coverage":
            return f"noun phrase '{subj}' over every item: coverage of the owner's own work"
        if kind in {"milestone", "binary"}:
            return f"noun phrase '{subj}' with a finished state: a milestone"
        return f"noun phrase '{subj}' with no measure: a deliverable"
    pred = _phrase(predicate, 3)
    if kind == "outcome":
        if people:
            rate = " with a rate" if percent else ""
            return f"subject '{subj}'{rate} and '{pred}': behaviour of others"
        return f"subject '{subj}' and '{pred}': a level or change of a state"
    return f"subject '{subj}' and '{pred}': {_CLAUSE_KINDS.get(kind, 'a thing to build or keep')}"


_CLAUSE_KINDS = {
    "milestone": "a milestone, done or not",
    "binary": "a milestone, done or not",
    "capability": "a capability of the product",
    "coverage": "coverage of the owner's own work",
    "output_count": "a count of things made",
}
