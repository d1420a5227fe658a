"""What a new user tripped over (issue 17, item 6): baselines written as fields, in the target's number
style, "likely unreachable" kept for absurd targets, qualified metric names matched, key results without
a baseline scored as a fraction of the target, and paraphrased parent key results caught by ORG004."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coach.baselines.match import THRESHOLD, Matcher
from coach.baselines.metrics import Series, load_metrics
from coach.baselines.suggest import BaselineReport, format_like, suggest_baselines, write_baselines
from coach.checkin.history import parse_history
from coach.checkin.scoring import score_document
from coach.dates import Cycle
from coach.knowledge.embed import HashingEmbedder
from coach.model import Document
from coach.org import checks as _registers_org_rules  # noqa: F401
from coach.org import load_org_text, review_org
from coach.org.examples import example, objective, unit
from coach.parse import load, parse_text

Q3 = Cycle(date(2026, 7, 1), date(2026, 9, 30))
ACTIVATION = "date,Activation rate (%)\n2026-06-01,33\n2026-06-08,33.5\n2026-06-15,34\n"


def _baselines(
    tmp_path: Path, name: str, draft: str, metrics: str = ACTIVATION
) -> tuple[BaselineReport, Path]:
    path = tmp_path / name
    path.write_text(draft, encoding="utf-8")
    (tmp_path / "metrics.csv").write_text(metrics, encoding="utf-8")
    doc = load(str(path))
    report = suggest_baselines(doc, load_metrics(tmp_path / "metrics.csv"), cycle=Q3, embedding="hashing")
    return report, path


# -- 1. --write fills the `baseline:` field where the format has one ----------------------------------------

YAML_DRAFT = """\
# activation, first draft
objectives:
  - objective: Make starting effortless
    key_results:
      - id: k1
        text: Raise activation rate to 50%
        owner: Dana
"""

YAML_WRITTEN = """\
# activation, first draft
objectives:
  - objective: Make starting effortless
    key_results:
      - id: k1
        text: Raise activation rate to 50%
        owner: Dana
        baseline: 34
"""

JSON_DRAFT = """\
{
  "objectives": [
    {
      "objective": "Make starting effortless",
      "key_results": [
        {"id": "k1", "text": "Raise activation rate to 50%"}
      ]
    }
  ]
}
"""

JSON_WRITTEN = """\
{
  "objectives": [
    {
      "objective": "Make starting effortless",
      "key_results": [
        {"id": "k1", "text": "Raise activation rate to 50%", "baseline": 34}
      ]
    }
  ]
}
"""

CSV_WITH_COLUMN = (
    "objective,key_result,baseline,target\nMake starting effortless,Raise activation rate to 50%,,\n"
)
CSV_WITH_COLUMN_WRITTEN = (
    "objective,key_result,baseline,target\nMake starting effortless,Raise activation rate to 50%,34,\n"
)
CSV_WITHOUT = "objective,key_result,owner\nMake starting effortless,Raise activation rate to 50%,Dana\n"
CSV_WITHOUT_WRITTEN = (
    "objective,key_result,owner\nMake starting effortless,Raise activation rate from 34% to 50%,Dana\n"
)
MARKDOWN = "# Growth\n\n## Make starting effortless\n\n- Raise activation rate to 50%\n"
MARKDOWN_WRITTEN = "# Growth\n\n## Make starting effortless\n\n- Raise activation rate from 34% to 50%\n"


@pytest.mark.parametrize(
    ("name", "draft", "written"),
    [
        ("d.yaml", YAML_DRAFT, YAML_WRITTEN),
        ("d.json", JSON_DRAFT, JSON_WRITTEN),
        ("d.csv", CSV_WITH_COLUMN, CSV_WITH_COLUMN_WRITTEN),
        ("d.csv", CSV_WITHOUT, CSV_WITHOUT_WRITTEN),  # no baseline column: the text says it
        ("d.md", MARKDOWN, MARKDOWN_WRITTEN),  # Markdown bullets have no field: the text says it
    ],
    ids=["yaml", "json", "csv-with-column", "csv-without-column", "markdown"],
)
def test_write_uses_the_baseline_field_where_the_format_has_one(
    tmp_path: Path, name: str, draft: str, written: str
) -> None:
    report, path = _baselines(tmp_path, name, draft)
    (p,) = report.proposals
    assert (p.status, p.value_text) == ("found", "34%")
    fmt = {"yaml": "yaml", "json": "json", "csv": "csv", "md": "markdown"}[name.split(".")[1]]
    count, backup = write_baselines(report, str(path), fmt)
    assert count == 1 and backup is not None and backup.read_text(encoding="utf-8") == draft
    assert path.read_text(encoding="utf-8") == written
    (kr,) = load(str(path)).key_results()
    assert kr.text.endswith("to 50%")


def test_a_key_result_written_as_a_bare_string_becomes_a_mapping_with_the_field(tmp_path: Path) -> None:
    draft = "objectives:\n  - objective: Start\n    key_results: [Raise activation rate to 50%]\n"
    report, path = _baselines(tmp_path, "d.yaml", draft)
    assert write_baselines(report, str(path), "yaml")[0] == 1
    assert path.read_text(encoding="utf-8") == draft.replace(
        "[Raise activation rate to 50%]", '[{"text": "Raise activation rate to 50%", "baseline": 34}]'
    )


def test_the_field_write_refuses_a_draft_changed_since_it_was_read(tmp_path: Path) -> None:
    report, path = _baselines(tmp_path, "d.yaml", YAML_DRAFT)
    path.write_text(YAML_DRAFT.replace("to 50%", "to 55%"), encoding="utf-8")
    with pytest.raises(Exception, match="changed since"):
        write_baselines(report, str(path), "yaml")
    assert "baseline" not in path.read_text(encoding="utf-8")


# -- 2. the baseline in the target's number style -----------------------------------------------------------

ARR = "date,ARR ($)\n2026-06-01,1000000\n2026-06-29,1010000\n"


def test_an_abbreviated_target_gets_an_abbreviated_baseline(tmp_path: Path) -> None:
    report, path = _baselines(
        tmp_path, "d.md", "# Sales\n\n## Fund the roadmap\n\n- Grow ARR to $1.2M\n", ARR
    )
    (p,) = report.proposals
    assert p.rewrite == "Grow ARR from $1.01M to $1.2M"
    write_baselines(report, str(path), "markdown")
    assert path.read_text(encoding="utf-8").endswith("- Grow ARR from $1.01M to $1.2M\n")


@pytest.mark.parametrize(
    ("value", "unit", "target_text", "expected"),
    [
        (1010000, "$", "$1.2M", "$1.01M"),
        (1013456, "$", "$1.2M", "$1.01M"),  # rounded as people write it: within 0.5% of the data
        (132400, "$", "$150k", "$132.4k"),
        (2_500_000_000, "$", "$3B", "$2.5B"),
        (1010000, "$", "$1,200,000", "$1,010,000"),  # a target written out: the baseline too
        (1010, None, "1.2k", "1.01k"),
        (61.2, "%", "65%", "61.2%"),
    ],
)
def test_format_like_the_target(value: float, unit: str | None, target_text: str, expected: str) -> None:
    assert format_like(value, unit, target_text) == expected


# -- 3. "likely unreachable" is for absurd targets, not for ordinary stretch goals ---------------------------

FLAT = "date,Weekly orders\n" + "".join(
    f"2026-{m:02d}-{d:02d},{v}\n"
    for (m, d), v in zip(
        [(4, 6), (4, 20), (5, 4), (5, 18), (6, 1), (6, 15), (6, 29)],
        [100, 101, 99, 100, 102, 100, 101],
        strict=True,
    )
)
LATENCY = "date,p95 checkout latency ms\n" + "".join(
    f"2026-{m:02d}-{d:02d},{v}\n"
    for (m, d), v in zip([(5, 4), (5, 18), (6, 1), (6, 15), (6, 29)], [402, 398, 400, 401, 399], strict=True)
)


def _checks(tmp_path: Path, kr: str, metrics: str) -> list[str]:
    draft = f"objectives:\n  - objective: Grow\n    key_results: ['{kr}']\n"
    report, _ = _baselines(tmp_path, "d.yaml", draft, metrics)
    (p,) = report.proposals
    assert p.status == "found", p
    return p.checks


@pytest.mark.parametrize(
    ("kr", "metrics", "flagged"),
    [
        ("Grow weekly orders to 120", FLAT, False),  # +20% on a flat series: an ordinary stretch
        ("Grow weekly orders to 160", FLAT, False),  # the best ever would still score 0.64 of it
        ("Grow weekly orders to 1,010", FLAT, True),  # 10x
        ("Cut p95 checkout latency to 300 ms", LATENCY, False),
        ("Cut p95 checkout latency to 40 ms", LATENCY, True),  # a tenth of anything ever seen
    ],
)
def test_likely_unreachable_only_beyond_a_stretch(
    tmp_path: Path, kr: str, metrics: str, flagged: bool
) -> None:
    checks = _checks(tmp_path, kr, metrics)
    assert any(c.startswith("likely unreachable:") for c in checks) is flagged, checks


def test_the_unreachable_check_says_why(tmp_path: Path) -> None:
    (check,) = [c for c in _checks(tmp_path, "Grow weekly orders to 1,010", FLAT) if "unreachable" in c]
    assert check == (
        "likely unreachable: 1,010 is beyond the best value ever seen (102 on 2026-06-01) by more than half "
        "the historical range (99 to 102), and reaching that best would score only 0.1 of it "
        "(a stretch target is healthy at 0.6 to 0.7)"
    )


# -- 4. a qualified metric name matches the unqualified series --------------------------------------------


def _series(*names: str) -> list[Series]:
    return [Series(name=n, metric=n.split(" [")[0], unit="%", team=None, points=[]) for n in names]


def test_a_qualified_metric_matches_the_only_series_with_its_head_noun() -> None:
    for qualifier in ("self-serve", "mobile", "weekly"):
        (best, *_) = Matcher(_series("Activation rate", "Monthly revenue"), HashingEmbedder()).match(
            f"{qualifier} activation", "%"
        )
        assert best.series == "Activation rate" and best.method == "name"
        assert THRESHOLD <= best.confidence < 0.95  # above the threshold, below an exact name


def test_the_qualified_match_is_proposed(tmp_path: Path) -> None:
    report, _ = _baselines(tmp_path, "d.yaml", YAML_DRAFT.replace("activation rate", "self-serve activation"))
    (p,) = report.proposals
    assert p.status == "found" and p.match is not None and p.match.series == "Activation rate"
    assert p.rewrite == "Raise self-serve activation from 34% to 50%"


def test_two_series_with_the_head_noun_stay_ambiguous(tmp_path: Path) -> None:
    metrics = (
        "date,metric,value,unit,team\n"
        "2026-06-15,Activation rate,34,%,Growth\n2026-06-15,Activation rate,41,%,Mobile\n"
    )
    draft = YAML_DRAFT.replace("activation rate", "self-serve activation")
    report, _ = _baselines(tmp_path, "d.yaml", draft, metrics)
    (p,) = report.proposals
    assert p.status == "ambiguous" and p.value is None and p.rewrite is None
    assert {c.series for c in p.candidates[:2]} == {"Activation rate [Growth]", "Activation rate [Mobile]"}


def test_a_different_head_noun_gets_no_qualified_match() -> None:
    matcher = Matcher(_series("Activation rate", "Activation emails sent"), HashingEmbedder())
    assert [c.series for c in matcher.match("activation emails sent", "%")] == ["Activation emails sent"]


# -- 5. scoring without a baseline: a fraction of the target ----------------------------------------------

Q1 = Cycle(date(2026, 1, 1), date(2026, 3, 31))


def _card(kr: str, *rows: str):  # type: ignore[no-untyped-def]
    text = (
        f"team: Core\nobjectives:\n  - id: O1\n    objective: Customers love us\n    key_results: ['{kr}']\n"
    )
    doc: Document = parse_text(text, "d.yaml", "yaml")
    lines = [(line + "\n").encode() for line in ["date,kr_id,value,confidence,comment", *rows]]
    history = parse_history(lines, "h.csv", doc, Q1, now=Q1.end)
    return score_document(doc, history, now=Q1.end)


@pytest.mark.parametrize(
    ("kr", "value", "score", "working"),
    [
        ("Grow weekly buyers to 500", "400", 0.8, "400 against a target of 500: 400 / 500"),
        ("Grow weekly buyers to 500", "650", 1.0, "650 against a target of 500: 650 / 500"),
        (
            "Cut p95 latency to 200 ms",
            "250 ms",
            0.8,
            "250 ms against a target of 200 ms: 200 / 250",
        ),
        (
            "Cut p95 latency to 200 ms",
            "180 ms",
            1.0,
            "180 ms against a target of 200 ms: 200 / 180",
        ),
    ],
)
def test_a_checkin_without_a_baseline_is_scored_as_a_fraction_of_the_target(
    kr: str, value: str, score: float, working: str
) -> None:
    card = _card(kr, f"2026-03-20,O1.KR1,{value},0.7")
    (result,) = card.key_results()
    assert result.score == pytest.approx(score)
    assert result.working == working + " (scored as a fraction of the target, without a baseline)"
    (note,) = [n for n in card.interpretation if n.target == "O1.KR1"]
    assert note.text.startswith("O1.KR1 was scored without a baseline, as a fraction of the target")


def test_a_target_of_zero_to_grow_to_is_not_a_fraction() -> None:
    (result,) = _card("Grow net promoter score to 0", "2026-03-20,O1.KR1,-5,0.7").key_results()
    assert result.score is None


# -- 6. ORG004 catches a parent key result in other words, with the same numbers ---------------------------

PARENT = unit(
    "Acme",
    "company",
    objective("co-1", "Customers never wait for us", "Reduce p95 dashboard load time from 4.2 s to 1.5 s"),
)


def _copies(child_kr: str) -> set[str]:
    team = unit("Web", "team", objective("web-1", "Make the dashboard feel instant", child_kr, parent="co-1"))
    org = load_org_text(example(PARENT, team))
    assert not org.errors, org.errors
    return {f.item or "" for f in review_org(org).findings if f.finding.code == "ORG004"}


@pytest.mark.parametrize(
    ("child", "copied"),
    [
        ("Reduce p95 dashboard load time from 4.2 s to 1.5 s", True),  # word for word (caught before)
        ("Cut p95 dashboard load time from 4.2 s to 1.5 s", True),  # another direction verb
        ("Lower the p95 load time of the dashboard from 4.2 s to 1.5 s", True),
        ("Cut p95 search latency from 4.2 s to 1.5 s", False),  # same numbers, another measure
        ("Cut p95 dashboard load time from 4.2 s to 2.5 s", False),  # the team's own target
        ("Cut dashboard API error rate from 4.2% to 1.5%", False),
    ],
)
def test_a_paraphrased_parent_key_result_is_a_cascade_copy(child: str, copied: bool) -> None:
    found = _copies(child)
    assert (any(item.endswith("web-1.1") for item in found)) is copied, found
