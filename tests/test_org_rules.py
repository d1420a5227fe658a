"""The ORG rules: in the catalogue like every rule, their own examples (organisation files) must and must not
trigger them, configuration and inline suppressions apply, and the single-draft engine never runs them."""

from __future__ import annotations

import re

import pytest

from coach.config import Config, config_from_mapping
from coach.engine import review_document
from coach.model import Severity
from coach.org import checks, checks_overlap, checks_structure, load_org_text, review_org  # noqa: F401  (registers the ORG rules)
from coach.org.examples import COMPANY, SALES_OK, example, objective, unit
from coach.parse import parse_text
from coach.report.rules import find_rule, render_rule, render_rules
from coach.rules import DEFAULT_THRESHOLDS, catalogue

ORG_RULES = {code: rule for code, rule in catalogue().items() if rule.scope == "organisation"}
CASES = [
    (code, kind, ex)
    for code, r in ORG_RULES.items()
    for kind in ("triggers", "passes")
    for ex in getattr(r, kind)
]


def codes(text: str, config: Config | None = None) -> set[str]:
    org = load_org_text(text)
    assert not org.errors, org.errors
    return {f.finding.code for f in review_org(org, config).findings}


@pytest.mark.parametrize(
    ("code", "kind", "example"), CASES, ids=[f"{c}-{k}-{i}" for i, (c, k, _) in enumerate(CASES)]
)
def test_org_rule_examples(code: str, kind: str, example: str) -> None:
    found = codes(example)
    if kind == "triggers":
        assert code in found, f"{code} should flag its example; got {sorted(found)}"
    else:
        assert code not in found, f"{code} should not flag {example!r}"


def test_the_org_rules_are_catalogue_rules() -> None:
    assert sorted(ORG_RULES) == [f"ORG{n:03d}" for n in range(1, 15)]
    names = [r.name for r in catalogue().values()]
    assert len(names) == len(set(names))
    for code, rule in ORG_RULES.items():
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.name)
        assert rule.severity in set(Severity)
        assert rule.triggers and rule.passes, code
        for section in ("What it does", "Why it matters", "Example", "Use instead"):
            assert rule.docs.get(section), f"{code} lacks '{section}'"
        assert rule.passage in {
            "alignment-gaps",
            "alignment-not-cascade",
            "cascading-theatre",
            "bottom-up-share",
            "number-of-objectives",
            "kr-duplicates",
            "kr-ownership",
            "company-okrs-first",
        }


def test_okrcoach_rules_lists_and_explains_them() -> None:
    listing = render_rules()
    for code, rule in ORG_RULES.items():
        assert f"{code:<7} {rule.name}" in listing
    explained = render_rule("ORG004")
    assert "cascading-theatre" in explained and "What it does" in explained and "Use instead" in explained
    assert find_rule("orphan-objective").code == "ORG002"


def test_the_single_draft_engine_never_runs_them() -> None:
    # A draft whose objective names a parent that does not exist: an ORG003 for the organisation review,
    # nothing for `okrcoach review`.
    text = "team: Sales\nparent: co-9\nobjectives:\n- objective: Win the mid-market\n  key_results:\n"
    text += "  - Grow mid-market ARR from $4M to $6M\n  - Cut the sales cycle from 60 to 40 days\n"
    found = {f.code for f in review_document(parse_text(text, "sales.yaml", "yaml"))}
    assert not {c for c in found if c.startswith("ORG")}


def test_thresholds_and_severities_are_configurable() -> None:
    fan_out = ORG_RULES["ORG007"].triggers[0]
    assert "ORG007" in codes(fan_out)
    relaxed = Config(thresholds={**DEFAULT_THRESHOLDS, "max-fan-out": 20})
    assert "ORG007" not in codes(fan_out, relaxed)
    config = config_from_mapping(
        {"severity": {"ORG002": "error"}, "thresholds": {"max-krs-per-owner": 2}}, "t"
    )
    org = load_org_text(ORG_RULES["ORG002"].triggers[0])
    levels = {f.finding.code: f.finding.severity for f in review_org(org, config).findings}
    assert levels["ORG002"] is Severity.ERROR
    ignored = config_from_mapping({"ignore": ["ORG"]}, "t")
    assert not {c for c in codes(ORG_RULES["ORG002"].triggers[0], ignored) if c.startswith("ORG")}


SUPPRESSED = example(
    COMPANY,
    SALES_OK,
    unit(
        "Support",
        "team",
        objective("su-1", "Answer customers within the hour", "Cut first reply time from 9 h to 1 h")
        + '    ignore: ["ORG002: a local priority the VP agreed to"]\n',
    ),
)


def test_inline_suppressions_apply_and_unused_ones_are_reported() -> None:
    found = codes(SUPPRESSED)
    assert "ORG002" not in found and "DOC004" not in found
    # The same suppression on an objective that aligns: it silences nothing.
    unused = SUPPRESSED.replace(
        "Answer customers within the hour\n", "Answer customers within the hour\n    parent: co-1\n"
    )
    org = load_org_text(unused)
    findings = review_org(org).findings
    assert [f.finding.message for f in findings if f.finding.code == "DOC004"] == [
        "suppression of ORG002 silences nothing here: remove it"
    ]
    # The single-draft review leaves ORG suppressions to the organisation review (no DOC004 there).
    draft = "team: Support\nobjectives:\n- objective: Answer customers within the hour\n"
    draft += "  ignore: ['ORG002: ok']\n"
    draft += "  key_results: [Cut first reply time from 9 h to 1 h, Keep CSAT above 90%]\n"
    assert "DOC004" not in {f.code for f in review_document(parse_text(draft, "s.yaml", "yaml"))}


def test_orphans_get_the_closest_element_above_as_a_suggestion() -> None:
    text = example(
        COMPANY,
        unit(
            "Sales",
            "team",
            objective(
                "sa-1", "Grow mid-market ARR with partners", "Grow mid-market partner ARR from $1M to $2M"
            ),
        ),
    )
    org = load_org_text(text)
    message = next(f.finding.message for f in review_org(org).findings if f.finding.code == "ORG002")
    assert "closest above: Acme/co-1" in message
