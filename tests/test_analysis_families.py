"""Families of key results the analysis used to read wrongly, each with made-up examples of its shape.

Every example is written for this file (no published KR is copied): the shapes are what matter.
"""

from __future__ import annotations

import pytest
from benchmark_modules import load

from coach.analysis import analyse
from coach.engine import review_document
from coach.model import Document, Finding, KeyResult, Objective, Span

# (family, text, task_like)
FAMILIES = [
    # present-tense states and capabilities are milestones or capabilities, not outcomes
    ("state_capability", "The export API exists and is documented", True),
    ("state_capability", "Search works offline", True),
    ("state_capability", "Offline mode works on every supported phone", True),
    ("state_capability", "New users are greeted by a guided tour", True),
    ("state_capability", "Each team commits to a written quarterly plan", True),
    ("state_capability", "Every squad has a working intake process", True),
    ("state_capability", "Every new hire gets a buddy and a 30-day plan", True),
    ("state_capability", "Failed uploads retry on their own in the background", True),
    # bare noun-phrase deliverables
    ("deliverable_noun", "Public roadmap tied to customer use cases", True),
    ("deliverable_noun", "Self-serve billing page", True),
    ("deliverable_noun", "User suggested edits in the review screen", True),
    ("deliverable_noun", "Audit trail for every admin action", True),
    # adding people to the team counts an output
    ("hiring", "Add 2 full-time designers", True),
    ("hiring", "Bring on one more SRE", True),
    ("hiring", "Add 3 data engineers and 1 analyst", True),
    # revenue and pipeline verbs are outcomes; sending things is a task
    ("revenue_pipeline", "Add $2M in qualified pipeline", False),
    ("revenue_pipeline", "Source 40 enterprise opportunities", False),
    ("revenue_pipeline", "Generate 300 sales-qualified leads", False),
    ("revenue_pipeline", "Close $500k new ARR", False),
    ("revenue_pipeline", "$900k in signed renewals", False),
    ("revenue_pipeline", "Hit the Q3 bookings target", False),
    ("revenue_pipeline", "Send 300 outbound emails", True),
    # reported and surveyed outcomes
    ("survey_outcome", "Hiring managers report that 80% of new hires felt ready in their first month", False),
    ("survey_outcome", "Positive feedback from pilot customers on the new planner", False),
    # whose behaviour: users completing is an outcome; the owner's staff completing training is coverage
    ("others_behaviour", "50% of new users complete the onboarding tour", False),
    ("others_behaviour", "Show up on the first page of search results for 'team budgeting'", False),
    ("others_behaviour", "Ask ten parents and have them tell us what the app is for", False),
    ("others_behaviour", "Guests linger longer in the lounge", False),
    ("own_coverage", "100% of managers complete the new training", True),
    ("own_coverage", "All new support reps certified on the refund policy by day 30", True),
    # steering and improving things, not measures
    ("activity", "Drive consensus on the plugin API design", True),
    ("activity", "Improve the notification settings screen", True),
    ("activity", "Make headway on the top ten papercuts", True),
    ("activity", "Close all P1 blockers before the beta", True),
    ("activity", "Hold a blameless postmortem for every Sev1", True),
    # levels and changes read from their shape
    ("outcome_level", "Reported safety incidents down 30% year on year", False),
    ("outcome_level", "Offer acceptance rate ≥ 85%", False),
    ("outcome_level", "Support spend held at or below the budget line", False),
    ("outcome_level", "Median of 3 merged pull requests per contributor per month", False),
    ("outcome_level", "Reduction in time from sign-up to first report", False),
    ("outcome_level", "Quality score of 95 or more each month", False),
    ("outcome_level", "Forms submitted online: 40% → 75%", False),
    ("placeholder", "X% of alerts actionable", False),
    ("rank", "Reach #1 in the app store for 'meal planner'", False),
    ("own_coverage", "A laptop and a buddy ready on day one for every new starter", True),
    ("own_coverage", "Security attestation signed by 100% of staff", True),
    ("own_coverage", "100% of ward nurses complete the fire safety refresher", True),
    ("own_coverage", "All open supplier contracts in the register with renewal dates recorded", True),
    ("state_capability", "Smoke alarms are tested monthly", True),
    ("state_capability", "Two-factor login is on for all admin accounts", True),
    ("outcome_level", "Booking site available 99.9% of opening hours", False),
    ("kpi_maintenance", "Keep the page performance score ≥ 90 on all product pages", False),
    ("outcome_change", "Increase repeat orders compared to last spring", False),
    ("outcome_change", "Stock days of cover from 40 to 28", False),
    ("outcome_change", "Cost per shipped parcel held below £2.10", False),
    ("outcome_change", "Referrals sent per active user: 0.1 → 0.2", False),
    ("milestone", "Annual safety report published and sent to every site", True),
    ("milestone", "Help centre rebuilt on the new CMS", True),
    ("vague_outcome", "Support backlog under control", False),
    ("vague_outcome", "Checkout feels smoother on phones", False),
    ("activity", "Run a 2-day bootcamp for first-year students", True),
    ("placeholder", "Retain N% of trainees after their programme ends", False),
]


@pytest.mark.parametrize(("family", "text", "task_like"), FAMILIES)
def test_family_kind(family: str, text: str, task_like: bool) -> None:
    analysis = analyse(text)
    assert analysis.task_like is task_like, f"{family}: {text!r} read as {analysis.kind} ({analysis.reason})"


@pytest.mark.parametrize(("family", "text", "task_like"), FAMILIES)
def test_every_analysis_has_a_reason(family: str, text: str, task_like: bool) -> None:
    reason = analyse(text).reason
    assert reason and len(reason) < 120


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Launch the partner portal", ["launch", "work to do"]),
        ("50% of new users complete the onboarding tour", ["new users", "behaviour of others"]),
        ("Self-serve billing page", ["no measure", "deliverable"]),
        ("Publish 6 case studies", ["publish", "outputs"]),
        ("Raise activation from 30% to 40%", ["raise", "measure"]),
    ],
)
def test_reason_names_the_deciding_words(text: str, words: list[str]) -> None:
    reason = analyse(text).reason
    for word in words:
        assert word in reason, reason


def test_reason_is_in_the_analysis_dict() -> None:
    assert analyse("Launch the partner portal").to_dict()["reason"] == "head verb 'launch' names work to do"


def review_text(*texts: str) -> list[Finding]:
    span = Span("draft.yaml", 1, 1)
    krs = [KeyResult(f"O1.KR{i}", text, span, owner="Sam") for i, text in enumerate(texts, 1)]
    objective = Objective("O1", "Make paying us effortless for small businesses", span, key_results=krs)
    return review_document(Document("draft.yaml", "yaml", [objective]))


@pytest.mark.parametrize(
    "text",
    [
        "Appear on the first page of results for 'okr template'",
        "Reach #1 in the app store for 'meal planner'",
        "Publish at least one case study a month",
        "Cut onboarding calls by a third",
        "Nightly backups did not fail during the quarter",
    ],
)
def test_targets_without_digits(text: str) -> None:
    assert analyse(text).has_target


@pytest.mark.parametrize(
    ("text", "baseline", "has_target"),
    [
        ("Reduce open findings from 412 to ?", 412, False),
        ("Questions in the help channel: from ~60/week to ?", 60, False),
        ("Missed renewals: from 7 last year to none", 7, True),
        ("Button styles deprecated (14 variants → 3)", 14, True),
        ("Enrol 120 students in the autumn intake (last year: 74)", 74, True),
        ("Staff rate their managers 80 or more, up from 72", 72, True),
    ],
)
def test_baselines_with_a_target_elsewhere_or_none(text: str, baseline: float, has_target: bool) -> None:
    analysis = analyse(text)
    assert analysis.baseline == baseline
    assert analysis.has_target is has_target


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Increase NPS from 30 to 40 and reduce churn from 5% to 3%", "KR007"),
        ("Double sign-ups while halving cost per lead", "KR007"),
        ("Improve activation from ? to ?", "KR009"),
    ],
)
def test_rule_families(text: str, code: str) -> None:
    codes = {finding.code for finding in review_text(text)}
    assert code in codes


def test_a_practice_is_not_kpi_maintenance() -> None:
    assert "KR012" not in {f.code for f in review_text("Hold a blameless postmortem for every Sev1")}
    assert "KR012" in {f.code for f in review_text("Keep churn below 2%")}


def test_task_messages_quote_the_reason() -> None:
    messages = {f.code: f.message for f in review_text("Launch the partner portal", "Publish 6 case studies")}
    assert "read as: head verb 'launch' names work to do" in messages["KR001"]
    assert "read as: head verb 'publish'" in messages["KR002"]


def test_quality_split_is_fixed() -> None:
    quality = load("quality")
    ids = [f"id-{n}" for n in range(200)]
    held = [i for i in ids if quality.is_holdout(i)]
    assert held == [i for i in ids if quality.is_holdout(i)]
    assert 20 < len(held) < 60
