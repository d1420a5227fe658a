"""The `reason` of an analysis: which clause and words decided the kind, in a few words."""

from __future__ import annotations

from coach import lexicon as lx
from coach.analysis.kind import _DETERMINERS
from coach.analysis.text import _chunk


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
