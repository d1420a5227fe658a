"""The rule path's outcome candidates for task-like key results, the ? slots its rewrites leave, and the
never-worse check (a rule rewrite that would add a finding or resolve none is held back)."""

from __future__ import annotations

import pytest

from coach.analysis import analyse
from coach.config import Config
from coach.engine import review_document
from coach.knowledge.metrics import metrics
from coach.model import Document, KeyResult, Objective, Span
from coach.rewrite import rewrite_document
from coach.rewrite.candidates import outcome_text, words
from coach.rewrite.slots import fill, probes, slots


def _doc(kr_text: str, objective: str = "Help new teams succeed") -> Document:
    kr = KeyResult("kr1", kr_text, Span("d.yaml", 3), owner="Sam")
    obj = Objective("o1", objective, Span("d.yaml", 2), owner="Sam", key_results=[kr])
    return Document("d.yaml", "yaml", [obj], team=None)


def _proposal(kr_text: str, objective: str = "Help new teams succeed"):
    report = rewrite_document(_doc(kr_text, objective), Config())
    (proposal,) = [p for p in report.proposals if p.kind == "key_result"]
    return proposal


@pytest.mark.parametrize("metric", sorted(metrics()), ids=str)
def test_every_catalogue_metric_reads_as_an_outcome_kr_once_answered(metric: str) -> None:
    m = metrics()[metric]
    if m.direction == "maintain-within-range":
        pytest.skip("a band kept steady is a health metric, never a candidate")
    text = outcome_text(m)
    assert text.endswith(("from ? to ?", "from ?% to ?%"))
    assert not analyse(next(probes(text))).task_like
    shape = {"KR001", "KR002", "KR003", "KR004", "KR005", "KR006", "KR007", "KR008", "KR009", "KR015"}
    found = [
        {f.code for f in review_document(_doc(answered), Config()) if f.target == "kr1"} & shape
        for answered in probes(text)
    ]
    assert min(found, key=len) == set(), (text, found)


def test_a_task_keeps_its_work_as_the_initiative_and_gets_outcome_candidates() -> None:
    p = _proposal("Launch the onboarding checklist", "Get new teams to value faster")
    assert p.text in {c.text for c in p.candidates}
    ids = {c.metric.id for c in p.candidates if c.metric}
    assert ids >= {"time-to-first-value", "week-1-activation-rate"}
    assert p.initiative == "Launch the onboarding checklist"
    assert "KR001" in p.before and "KR001" in p.resolved and p.held_back is None
    assert "Which of these would show that 'launch the onboarding checklist' worked" in p.questions[0]
    assert all("?" in c.text and c.why for c in p.candidates)


def test_no_rewrite_rests_on_a_word_of_the_work_alone() -> None:
    # "shared" meets "build shared workspaces" only: the metrics are offered as choices, none is written
    p = _proposal("Tidy the shared drive", "Grow onboarding and activation and retention")
    assert p.text is None and p.initiative == "Tidy the shared drive"
    assert p.candidates and not any(c.confident for c in p.candidates)
    assert "(1) " in p.questions[0] and "not sure which outcome fits" in p.rationale
    # nothing in the catalogue at all: the question asks what will be different
    q = _proposal("Tidy the drive", "Be great")
    assert q.text is None and not q.candidates
    assert "what will be different for the people it serves" in q.questions[0]


def test_the_objectives_own_measure_is_a_candidate_when_the_catalogue_has_none() -> None:
    p = _proposal("Tidy the shared drive", "Increase the number of active clubs")
    assert p.text == "Increase number of active clubs from ? to ?"
    assert p.initiative == "Tidy the shared drive"


def test_a_rewrite_with_no_measure_named_has_no_scaffold_text_only_questions() -> None:
    p = _proposal("Make the team happier")
    assert p.text is None
    assert p.questions and "Which number would show" in p.questions[0]


def test_a_held_back_rewrite_says_why() -> None:
    # the rules' split keeps "Increase revenue by 15%", which still has no baseline: it resolves KR007 only
    p = _proposal("Increase revenue by 15% and reduce costs by 10%")
    assert p.text is None or not set(p.after) - set(p.before)
    report = rewrite_document(_doc("Launch the onboarding checklist"), Config())
    assert all(p.held_back is None or p.text is None for p in report.proposals)


def test_slots_name_the_baseline_and_the_target() -> None:
    text = "Increase week-1 activation rate from ?% to ?%"
    assert [name for _, _, name in slots(text)] == ["baseline", "target"]
    answered = fill(text, {"baseline": "30%", "target": "45%"})
    assert answered == "Increase week-1 activation rate from 30% to 45%"
    assert fill("Raise NPS from ? to 40", {"baseline": "31"}) == "Raise NPS from 31 to 40"
    assert fill("Raise NPS from ? to 40", {}) == "Raise NPS from ? to 40"
    assert slots("Is it done? Why?") == []  # a question mark in prose is not a slot
    assert list(probes("Raise NPS to 40")) == ["Raise NPS to 40"]


def test_words_stem_plurals_and_spell_out_abbreviations() -> None:
    assert words("customers") == words("customer") and words("features") == words("feature")
    assert {"single", "sign-on", "login"} <= set(words("Roll out SSO"))
