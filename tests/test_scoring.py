"""End-of-cycle scoring: direction-aware, capped, task KRs, means, and what the scores say."""

from __future__ import annotations

from datetime import date

import pytest

from coach.checkin.history import parse_history
from coach.checkin.scoring import band, score_document
from coach.dates import Cycle
from coach.knowledge import passages
from coach.model import Document
from coach.parse import parse_text
from coach.report.checkin import render_score, score_dict

Q1 = Cycle(date(2026, 1, 1), date(2026, 3, 31))
END = date(2026, 3, 31)


def draft(*krs: str, objectives: int = 1) -> Document:
    """One objective per group of KR lines (groups separated by '--')."""
    groups: list[list[str]] = [[]]
    for kr in krs:
        if kr == "--":
            groups.append([])
        else:
            groups[-1].append(kr)
    lines = ["team: Core", "period: 2026-Q1", "objectives:"]
    for index, group in enumerate(groups, 1):
        lines += [
            f"  - id: O{index}",
            f"    objective: Customers love objective number {index}",
            "    key_results:",
        ]
        for kr in group:
            lines.append(f"      - {kr}")
    return parse_text("\n".join(lines) + "\n", "d.yaml", "yaml")


def scores(doc: Document, rows: list[str] | None = None) -> list[float | None]:
    history = None
    if rows is not None:
        lines = [(line + "\n").encode() for line in ["date,kr_id,value,confidence,comment", *rows]]
        history = parse_history(lines, "h.csv", doc, Q1, now=END)
    card = score_document(doc, history, now=END)
    return [kr.score for kr in card.key_results()]


@pytest.mark.parametrize(
    ("kr", "current", "expected"),
    [
        ("Raise activation from 40% to 60%", "55%", 0.75),  # the scoring-grading example: 15 of 20
        ("Raise activation from 40% to 60%", "70%", 1.0),  # capped
        ("Raise activation from 40% to 60%", "35%", 0.0),  # went backwards: capped at 0
        ("Cut p95 latency from 2400 ms to 1200 ms", "1500 ms", 0.75),  # a decrease
        ("Cut p95 latency from 2400 ms to 1200 ms", "900 ms", 1.0),
        ("Cut p95 latency from 2400 ms to 1200 ms", "2600 ms", 0.0),
        ("Keep payment disputes below 0.2% of payments", "0.15%", 1.0),
        ("Keep payment disputes below 0.2% of payments", "0.3%", 0.0),
    ],
)
def test_numeric_scores_are_direction_aware_and_capped(kr: str, current: str, expected: float) -> None:
    doc = draft(f"{{text: '{kr}', current: '{current}'}}")
    assert scores(doc) == [pytest.approx(expected)]
    assert scores(doc, [f"2026-03-20,O1.KR1,{current},0.7"]) == [pytest.approx(expected)]


def test_the_latest_checkin_wins_over_the_draft_current() -> None:
    doc = draft("{text: 'Raise activation from 40% to 60%', current: 45}")
    assert scores(doc) == [pytest.approx(0.25)]
    rows = ["2026-02-01,O1.KR1,50,0.7", "2026-03-25,O1.KR1,58,0.7"]
    assert scores(doc, rows) == [pytest.approx(0.9)]


def test_baseline_from_fields_then_text_then_first_checkin() -> None:
    doc = draft("{text: 'Grow weekly buyers to 500', baseline: 300}", "Grow weekly sellers to 500")
    rows = ["2026-01-05,O1.KR2,100,0.7", "2026-03-28,O1.KR2,300,0.7", "2026-03-28,O1.KR1,400,0.7"]
    assert scores(doc, rows) == [pytest.approx(0.5), pytest.approx(0.5)]
    assert scores(doc) == [None, None]


@pytest.mark.parametrize(
    ("value", "comment", "expected"),
    [
        ("done", "", 1.0),
        ("100%", "", 1.0),
        ("n/a", "shipped to every account on 12 March", 1.0),
        ("in progress", "", None),
        ("in progress", "shipped the beta", None),  # the value says it is not done
        ("60%", "", None),
    ],
)
def test_task_krs_score_one_when_done_else_ask(value: str, comment: str, expected: float | None) -> None:
    doc = draft("Launch the one-page checkout")
    assert scores(doc, [f"2026-03-20,O1.KR1,{value},0.7,{comment}"]) == [expected]


def test_unscored_krs_are_asked_about() -> None:
    doc = draft("Launch the one-page checkout", "Improve customer happiness", "Raise NPS from 20 to 40")
    card = score_document(doc, None, now=END)
    assert [kr.score for kr in card.key_results()] == [None, None, None]
    assert card.overall is None
    asked = {note.target: note.passage for note in card.questions if note.target}
    assert asked == {
        "O1.KR1": "kr-outcome-not-task",
        "O1.KR2": "kr-explicit-target",
        "O1.KR3": "scoring-grading",
    }


@pytest.mark.parametrize(
    ("score", "name"),
    [
        (0.0, "very-low"),
        (0.29, "very-low"),
        (0.3, "low"),
        (0.59, "low"),
        (0.6, "healthy"),
        (0.7, "healthy"),
        (0.8, "high"),
        (0.99, "high"),
        (1.0, "full"),
    ],
)
def test_bands(score: float, name: str) -> None:
    assert band(score) == name


def test_objective_means_and_overall_mean_of_objectives() -> None:
    doc = draft(
        "{text: 'Raise activation from 40% to 60%', current: 50}",  # 0.5
        "{text: 'Raise retention from 80% to 90%', current: 90}",  # 1.0
        "Launch the one-page checkout",  # not scored: left out of the mean
        "--",
        "{text: 'Cut churn from 5% to 3%', current: 4.6}",  # 0.2
    )
    card = score_document(doc, None, now=END)
    assert [o.score for o in card.objectives] == [pytest.approx(0.75), pytest.approx(0.2)]
    assert card.overall == pytest.approx(0.475)
    assert [kr.kr_id for kr in card.objectives[0].unscored] == ["O1.KR3"]


def interpretation(*currents: float) -> list[tuple[str, str]]:
    doc = draft(*(f"{{text: 'Raise activation from 40% to 60%', current: {c}}}" for c in currents))
    card = score_document(doc, None, now=END)
    return [(note.passage, note.text) for note in card.interpretation]


def test_perfect_scores_suggest_sandbagging() -> None:
    notes = interpretation(60, 65, 61)
    assert notes[0][0] == "targets-ambition-sandbagging" and "sandbagging" in notes[0][1]


def test_mostly_perfect_scores_are_questioned() -> None:
    notes = interpretation(60, 60, 60, 52)
    assert notes[0][0] == "targets-ambition-sandbagging" and "3 of 4" in notes[0][1]


def test_healthy_band() -> None:
    notes = interpretation(53, 54)  # 0.65, 0.7
    assert notes == [("scoring-grading", notes[0][1])] and "healthy ambition" in notes[0][1]


def test_very_low_scores_suggest_a_broken_goal() -> None:
    (passage, text), *_ = interpretation(41, 44)
    assert passage == "scoring-grading" and "structural" in text


def test_retrospective_questions_follow_the_scores() -> None:
    doc = draft(
        "{text: 'Raise activation from 40% to 60%', current: 42}",  # 0.1: broken?
        "{text: 'Raise retention from 80% to 90%', current: 85}",  # 0.5: name the cause
        "{text: 'Cut churn from 5% to 3%', current: 2.5}",  # 1.0: was it a stretch?
    )
    card = score_document(doc, None, now=END)
    by_target = {note.target: note for note in card.questions}
    assert card.questions[0].passage == "retrospective" and card.questions[0].target is None
    assert "realistic" in by_target["O1.KR1"].text
    assert "execution, hypothesis" in by_target["O1.KR2"].text
    assert by_target["O1.KR3"].passage == "targets-ambition-sandbagging"
    known = passages()
    assert all(note.passage in known for note in [*card.questions, *card.interpretation])


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_renderers(fmt: str) -> None:
    doc = draft("{text: 'Raise activation from 40% to 60%', current: 55}", "Launch the one-page checkout")
    card = score_document(doc, None, now=END)
    out = render_score(card, fmt)
    assert "0.75" in out and "O1.KR2" in out
    if fmt == "json":
        data = score_dict(card)
        assert data["objectives"][0]["key_results"][0]["working"].startswith("40% → 55%")
        assert data["objectives"][0]["key_results"][1]["score"] is None
