"""The engine: analysis merged with fields, suppressions, severities, per-file errors."""

from __future__ import annotations

from pathlib import Path

from coach.analysis.kr import analyse_kr
from coach.config import Config
from coach.engine import review, review_document
from coach.model import KeyResult, Severity, Span
from coach.parse import parse_text

DRAFT = """\
team: Payments
owner: Dana
objectives:
  - id: pay
    objective: Make paying us effortless for small businesses
    key_results:
      - id: pay.1
        text: Raise checkout completion to 75%
        ignore: ["KR004: the baseline comes from the Q3 funnel export"]
      - id: pay.2
        text: Launch Apple Pay
      - id: pay.3
        text: Cut failed card payments to 1.5%
"""


def codes_at(findings: list, target: str) -> set[str]:
    return {f.code for f in findings if f.target == target}


def test_suppression_with_reason_silences_only_its_code() -> None:
    findings = review_document(parse_text(DRAFT, "d.yaml", "yaml"))
    assert "KR004" not in codes_at(findings, "pay.1")
    assert "KR004" in codes_at(findings, "pay.3")
    assert "KR001" in codes_at(findings, "pay.2")
    assert not [f for f in findings if f.code.startswith("DOC")]


def test_objective_suppression_covers_its_key_results() -> None:
    text = DRAFT.replace(
        "    objective: Make",
        "    ignore: ['KR001: Apple Pay is a contractual commitment']\n    objective: Make",
    )
    findings = review_document(parse_text(text, "d.yaml", "yaml"))
    assert "KR001" not in codes_at(findings, "pay.2")


def test_suppression_problems_are_findings() -> None:
    text = DRAFT.replace(
        'ignore: ["KR004: the baseline comes from the Q3 funnel export"]',
        'ignore: ["KR004", "KR999: typo", "KR007: nothing to silence"]',
    )
    findings = review_document(parse_text(text, "d.yaml", "yaml"))
    by_code = {f.code: f for f in findings if f.code.startswith("DOC")}
    assert set(by_code) == {"DOC002", "DOC003", "DOC004"}
    assert "KR004" in by_code["DOC002"].message
    assert "KR007" in by_code["DOC004"].message
    # a suppression without a reason still suppresses; the missing reason is its own finding
    assert "KR004" not in codes_at(findings, "pay.1")


def test_config_select_ignore_and_severity() -> None:
    doc = parse_text(DRAFT, "d.yaml", "yaml")
    only_kr = review_document(doc, Config(select=["KR"]))
    assert {f.code[:2] for f in only_kr} == {"KR"}
    no_task = review_document(doc, Config(ignore=["KR001"]))
    assert "KR001" not in {f.code for f in no_task}
    louder = review_document(doc, Config(severity={"KR001": Severity.ERROR}))
    assert [f.severity for f in louder if f.code == "KR001"] == [Severity.ERROR]


def test_fields_complete_the_analysis() -> None:
    kr = KeyResult("k", "Raise checkout completion", Span("x", 1), baseline=61.0, target=75.0, unit="%")
    a = analyse_kr(kr)
    assert a.has_target and a.has_baseline and a.baseline == 61.0 and a.target == 75.0 and a.unit == "%"
    placeholder = analyse_kr(KeyResult("k", "Raise checkout completion", Span("x", 1), target="TBD"))
    assert not placeholder.has_target


def test_findings_carry_span_target_and_citation() -> None:
    findings = review_document(parse_text(DRAFT, "d.yaml", "yaml"))
    launch = next(f for f in findings if f.code == "KR001")
    assert (launch.span.file, launch.span.line) == ("d.yaml", 11)
    assert launch.target == "pay.2" and launch.passage == "kr-outcome-not-task"


def test_one_unreadable_file_does_not_stop_the_review(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(DRAFT, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("objectives: [\n", encoding="utf-8")
    result = review([str(bad), str(good)])
    assert len(result.documents) == 1 and len(result.errors) == 1
    assert "bad.yaml" in str(result.errors[0])
