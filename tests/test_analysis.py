"""Per-KR analysis: a table of hand-written cases, plus a quality floor on the project's labelled set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmark_modules import load

from coach.analysis import analyse, clean, quantities

ROOT = Path(__file__).resolve().parent.parent

# (text, kind, task_like, has_target, has_baseline)
CASES = [
    ("Raise checkout completion from 61% to 75%", "outcome", False, True, True),
    ("Grow MRR from $120k to $180k", "outcome", False, True, True),
    ("Cut p95 API latency below 300 ms", "outcome", False, True, False),
    ("NPS up from 31 to 45", "outcome", False, True, True),
    ("Increase NPS (currently 31) to 45", "outcome", False, True, True),
    ("Median time to first reply 26h ➝ 8h", "outcome", False, True, True),
    ("Weekly active teams reach 2,000 (Q2: 1,340)", "outcome", False, True, True),
    ("Zero P1 incidents caused by config changes", "outcome", False, True, False),
    ("No customer waits more than 1 business day for a reply", "outcome", False, True, False),
    ("Reduce cloud spend by an order of magnitude", "outcome", False, True, False),
    ("Double the number of paying newsletter subscribers", "outcome", False, True, False),
    ("Improve payout reliability", "outcome", False, False, False),
    ("Increase trial-to-paid conversion", "outcome", False, False, False),
    ("Customers love the new editor", "outcome", False, False, False),
    ("Maintain 99.9% uptime for the public API", "outcome", False, True, False),
    ("Launch the new invoicing page", "task", True, False, False),
    ("Migrate billing to Stripe by March 31", "task", True, False, False),
    ("We have wrapped up the ledger rewrite and removed the old tables", "task", True, False, False),
    ("A Rust SDK", "task", True, False, False),
    ("Publish 5 blog posts about the API", "output_count", True, True, False),
    ("Hire 2 product managers", "output_count", True, True, False),
    ("Run 3 customer workshops in Lisbon", "output_count", True, True, False),
    ("12 more livestreams with guests", "output_count", True, True, False),
    ("SOC 2 Type II achieved", "binary", True, False, False),
    ("Pricing page redesign is live", "milestone", True, False, False),
    ("Admins can export audit logs as CSV", "capability", True, False, False),
    ("Usage of the export button is tracked", "capability", True, False, False),
    ("100% of roles have a written job description", "coverage", True, True, False),
    ("All engineers complete the security training", "coverage", True, True, False),
    ("Migrate all services to Kubernetes", "task", True, True, False),
    ("Launch the referral programme and reach 500 sign-ups from it", "task", True, True, False),
    ("Onboard 300 new sellers", "output_count", True, True, False),
    ("Reach 500 paying customers", "outcome", False, True, False),
    ("Reduce refund handling time to X days", "outcome", False, False, False),
    ("Reach N10 weekly active teams", "outcome", False, False, False),
    ("Ship a release weekly", "task", True, True, False),
    ("Upgrade the cluster to Kubernetes 1.31", "task", True, False, False),
    ("Grow leads from 3 sources: events, partners, content", "outcome", False, False, False),
    ("Rank top 3 on search for 'okr software'", "outcome", False, True, False),
    ("Expand to the top 5 countries by revenue", "outcome", False, False, False),
    ("Fewer couriers quit in their first month", "outcome", False, False, False),
    ("Everyone in the company can name our three objectives", "outcome", False, True, False),
    ("Share of invoices paid on time from 70% to 85%", "outcome", False, True, True),
    ("Deploy frequency from weekly to daily", "outcome", False, True, False),
]


@pytest.mark.parametrize(("text", "kind", "task_like", "has_target", "has_baseline"), CASES)
def test_analysis_table(text: str, kind: str, task_like: bool, has_target: bool, has_baseline: bool) -> None:
    a = analyse(text)
    assert (a.kind, a.task_like, a.has_target, a.has_baseline) == (kind, task_like, has_target, has_baseline)


@pytest.mark.parametrize(
    ("text", "baseline", "target", "unit"),
    [
        ("Raise checkout completion from 61% to 75%", 61, 75, "%"),
        ("Grow MRR from $120k to $180k", 120_000, 180_000, "$"),
        ("Cut p95 API latency below 300 ms", None, 300, "ms"),
        ("Page load under 2 s on 4G", None, 2, "s"),
        ("Grow annual revenue 3x", None, 3, "x"),
        ("Partner revenue to €1.2M", None, 1_200_000, "€"),
        ("Raise app rating from 4.1 to 4.5 stars", 4.1, 4.5, "stars"),
        ("Resolve 100% of P1 tickets within 4 h", None, 100, "%"),
        ("Increase NPS from -5 to 20", -5, 20, None),
        ("Cut mean time to restore from 74 minutes to 20 minutes", 74, 20, "min"),
        ("Raise eNPS from −12 to +10", -12, 10, None),
    ],
)
def test_numbers_are_parsed(text: str, baseline: float | None, target: float, unit: str) -> None:
    a = analyse(text)
    assert a.baseline == baseline
    assert a.target == target
    assert a.unit == unit


@pytest.mark.parametrize(
    "text",
    [
        "Ship v2 of the API by March 31, 2027",
        "Move 2026-Q3 reporting to the new warehouse",
        "Upgrade to Python 3.12",
        "Close the GPT-4 evaluation (ticket #1234)",
        "Publish the Q3 board pack",
        "Set up 24/7 on-call rotation",
    ],
)
def test_names_dates_and_versions_are_not_quantities(text: str) -> None:
    cleaned = clean(text)
    assert quantities(cleaned, cleaned.lower()) == []


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("Reduce refund time to X days", "to X"),
        ("Grow NPS to XX%", "XX%"),
        ("Reach N10 active teams", "N10"),
        ("Activation to [TBD]", "[TBD]"),
        ("Cut churn to ??", "??"),
    ],
)
def test_placeholders(text: str, placeholder: str) -> None:
    a = analyse(text)
    assert placeholder in a.placeholders
    assert not a.has_target


def test_markdown_and_links_are_cleaned() -> None:
    assert (
        clean("- [x] **KR2:** Grow [docs](https://example.com/docs) traffic to 40k")
        == "Grow docs traffic to 40k"
    )


def test_compound_and_direction() -> None:
    a = analyse("Reduce p95 latency below 300 ms and error rate below 0.5%")
    assert a.compound and a.direction == "decrease"
    b = analyse("Reduce p95 latency from 480 ms to 300 ms")
    assert not b.compound and b.direction == "decrease"


def test_quality_floor_on_the_labelled_set() -> None:
    """The analysis must keep its measured quality on the project's own labelled KRs (tests/data)."""
    score = load("quality").score

    rows = [
        json.loads(line) for line in (ROOT / "tests/data/labelled_krs.jsonl").read_text().splitlines() if line
    ]
    assert len(rows) >= 1200
    floors = {"task_like": 0.88, "has_target": 0.95, "has_baseline": 0.95}
    for label, floor in floors.items():
        pairs = [(bool(r["labels"][label]), bool(getattr(analyse(r["kr"]), label))) for r in rows]
        assert score(pairs)["macro_f1"] >= floor, label


def test_quality_floor_on_the_held_back_fifth() -> None:
    """The held-back fifth (never tuned on) keeps its own floor: a gain that shows only on the rest is
    over-fitting. Measured when the set was split: 0.896 / 0.950 / 0.982."""
    quality = load("quality")
    rows = [
        json.loads(line) for line in (ROOT / "tests/data/labelled_krs.jsonl").read_text().splitlines() if line
    ]
    held = [r for r in rows if quality.is_holdout(r["id"])]
    assert 200 <= len(held) <= 300
    floors = {"task_like": 0.86, "has_target": 0.93, "has_baseline": 0.95}
    for label, floor in floors.items():
        pairs = [(bool(r["labels"][label]), bool(getattr(analyse(r["kr"]), label))) for r in held]
        assert quality.score(pairs)["macro_f1"] >= floor, label
