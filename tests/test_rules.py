"""The rule catalogue: every rule's own examples must and must not trigger it (proselint-style tables)."""

from __future__ import annotations

import re

import pytest

from coach.engine import review_document
from coach.model import Document, KeyResult, Objective, Span
from coach.parse import parse_text
from coach.rules import DEFAULT_THRESHOLDS, catalogue

RULES = catalogue()
SUPPORTING_KRS = ("Cut failed card payments from 2.8% to 1.5%", "Grow repeat purchases from 22% to 30%")


def _doc_for(rule_scope: str, example: str) -> Document:
    """Wrap an example in a draft that is otherwise clean, so only the rule under test speaks."""
    if "objectives:" in example:
        return parse_text(example, "example.yaml", "yaml")
    span = Span("example.yaml", 3, 5)
    if rule_scope == "objective":
        krs = [KeyResult(f"O1.KR{i}", text, span, owner="Sam") for i, text in enumerate(SUPPORTING_KRS, 1)]
        return Document(
            "example.yaml", "yaml", [Objective("O1", example, span, owner="Sam", key_results=krs)]
        )
    krs = [KeyResult("O1.KR1", example, span)]
    krs += [KeyResult(f"O1.KR{i}", text, span, owner="Sam") for i, text in enumerate(SUPPORTING_KRS, 2)]
    objective = Objective("O1", "Make paying us effortless for small businesses", span, key_results=krs)
    return Document("example.yaml", "yaml", [objective])


def _codes(doc: Document) -> set[str]:
    return {f.code for f in review_document(doc)}


# Organisation rules (ORG…) take organisation files as examples: tests/test_org_rules.py runs those.
DRAFT_RULES = {code: r for code, r in RULES.items() if r.scope != "organisation"}
CASES = [(code, "triggers", ex) for code, r in DRAFT_RULES.items() for ex in r.triggers] + [
    (code, "passes", ex) for code, r in DRAFT_RULES.items() for ex in r.passes
]


@pytest.mark.parametrize(
    ("code", "kind", "example"), CASES, ids=[f"{c}-{k}-{i}" for i, (c, k, _) in enumerate(CASES)]
)
def test_rule_examples(code: str, kind: str, example: str) -> None:
    rule = RULES[code]
    found = _codes(_doc_for(rule.scope, example))
    if kind == "triggers":
        assert code in found, f"{code} should flag {example!r}; got {sorted(found)}"
    else:
        assert code not in found, f"{code} should not flag {example!r}"


def test_catalogue_shape() -> None:
    assert len(RULES) >= 25
    families = {r.family for r in RULES.values()}
    assert {"OBJ", "KR", "SET", "DOC"} <= families
    for code, rule in RULES.items():
        assert re.fullmatch(r"(OBJ|KR|SET|DOC|ORG)\d{3}", code)
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.name), rule.name
        assert rule.scope in {"kr", "objective", "document", "organisation"}
        for section in ("What it does", "Why it matters", "Example", "Use instead"):
            assert rule.docs.get(section), f"{code} lacks '{section}'"
        assert rule.triggers or rule.parser_only, f"{code} has no examples that trigger it"
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))


def test_every_rule_has_examples_both_ways() -> None:
    lacking = [c for c, r in RULES.items() if not r.passes]
    assert not lacking, f"rules without 'passes' examples: {lacking}"


def test_thresholds_change_behaviour() -> None:
    from coach.config import Config

    text = "objectives:\n- objective: Make paying us effortless\n  key_results:\n" + "".join(
        f"  - Raise metric {i} from {i}% to {i + 10}%\n" for i in range(5)
    )
    doc = parse_text(text, "t.yaml", "yaml")
    assert "SET001" in {f.code for f in review_document(doc)}
    relaxed = Config(thresholds={**DEFAULT_THRESHOLDS, "max-krs-per-objective": 6})
    assert "SET001" not in {f.code for f in review_document(doc, relaxed)}


def test_too_many_objectives_is_an_error_past_the_hard_limit() -> None:
    from coach.config import Config

    text = "objectives:\n" + "".join(
        f"- objective: Goal {w} for our customers\n  key_results: [Raise NPS from 30 to 4{i}]\n"
        for i, w in enumerate(["one", "two", "three", "four", "five", "six"])
    )
    findings = [f for f in review_document(parse_text(text, "t.yaml", "yaml")) if f.code == "SET003"]
    assert len(findings) == 1 and "more than 5" in findings[0].message
    strict = Config(severity={"SET003": __import__("coach.model").model.Severity.ERROR})
    assert [
        f.severity.value
        for f in review_document(parse_text(text, "t.yaml", "yaml"), strict)
        if f.code == "SET003"
    ] == ["error"]
