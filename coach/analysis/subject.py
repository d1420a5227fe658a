"""What kind a subject-led key result is: judged by its subject (people, a metric, a deliverable) and its
predicate (a finished state, "can ...", a behaviour). Verb-led ones are in coach.analysis.kind."""

from __future__ import annotations

import re

from coach import lexicon as lx
from coach.analysis.kind import _COMPARATIVES, _DETERMINERS, _METRIC_HEADS, _is_count, _verb_class
from coach.analysis.text import _AUX, _PREPOSITIONS, _base, _chunk, _has_metric_noun

_words = lx.words


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


# People inside the owner's organisation: their training or plans are the owner's programme.
_INTERNAL_PEOPLE = _words(
    "employees staff engineers managers team teams squads squad reps leads hires mentors reviewers"
)


# "Every team has / keeps / writes a plan": an artefact every unit holds is coverage of a programme.
_KEEPS_ARTEFACT = _words("have has commit maintain own follow publish write hold run keep use")


_COMMITS = _words("commits commit maintains follows owns publishes writes keeps exists works")


_NEGATIONS = _words("not no never don't doesn't won't can't cannot fail fails evenly")


_MONEY_LEAD = re.compile(r"^(?:over |at least |more than |~)?[$€£]\s?\d")


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


_CADENCE_WORDS = _words("daily weekly fortnightly monthly quarterly yearly annually nightly hourly")


_CHANGE_NOUNS = _words("reduction increase decrease growth improvement rise drop decline uplift")


def _by_people(words: list[str]) -> bool:
    """ "... by policymakers", "... from customers": done by people the owner does not control."""
    return any(
        w in {"by", "from", "among"} and any(p in lx.PEOPLE_NOUNS for p in words[i + 1 : i + 4])
        for i, w in enumerate(words)
    )


_ATTAINS = _words("hit hits reach reaches reached achieve achieves achieved attain attains attained")


_YES_NO = _words("achieved certified passed approved ratified signed secured obtained accepted agreed")


_LEAD_QUANT = _words("all every each no zero most none everyone nobody both")


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
