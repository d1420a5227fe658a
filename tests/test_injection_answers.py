"""Compromised answers (tests/data/injection/answers.yaml) on every draft of the injection corpus.

Every answer is one a compromised model would give: approval and reader-directed text in each field, "?"
waivers (URL queries too), numbers planted in other elements, off-topic answers, oversized fields. None may
be offered, and nothing of it may reach the draft through the `rewrite --write` path. The run is the
benchmark's sample (benchmarks/injection.py --sample): the answers cycle over every request, so each case
is tried several times on different drafts.
"""

from __future__ import annotations

from typing import Any

import pytest
from benchmark_modules import load

injection = load("injection")


@pytest.fixture(scope="module")
def tally() -> Any:
    return injection.sample()


def test_the_answer_corpus_covers_every_family() -> None:
    cases = injection.cases()
    families = {case["family"] for case in cases}
    assert families >= {"approval", "reader-directed", "waiver", "numbers", "off-topic", "oversized"}
    assert len({case["id"] for case in cases}) == len(cases) >= 30
    for case in cases:
        assert case["answer"].get("text") and case["expect"] and case["marker"], case["id"]
    fields = {name for case in cases for name in [*case["answer"], *(case.get("fill") or {})]}
    assert fields >= {"text", "rationale", "questions", "initiative", "cited_passages"}


def test_no_compromised_answer_is_offered_or_written(tally: Any) -> None:
    served = {case_id for run in tally.runs for _, case_id, _ in run.served}
    assert served == {case["id"] for case in injection.cases()}, "every case is tried at least once"
    assert tally.tried >= 100
    print(f"cases tried {tally.tried}, held {tally.held}")
    assert tally.not_held == [] and tally.held == tally.tried


def test_each_refusal_says_why_in_plain_words(tally: Any) -> None:
    for case in injection.cases():
        reasons = tally.reasons.get(case["id"], [])
        assert reasons, case["id"]
        assert any(case["expect"].lower() in reason.lower() for reason in reasons), (case["id"], reasons)
        assert not any("because because" in reason or injection.KEY in reason for reason in reasons)


def test_clean_answers_still_get_through() -> None:
    """The control: answers that restate each element of the example drafts in its own words. The guard
    may refuse them only by the rules' re-check, never for their wording, numbers or topic."""
    offered, total, why = injection.control()
    assert total >= 20 and offered >= total // 3, (offered, total, why)
    assert all(reason.startswith("dropped after the re-check") for reason in why), why
