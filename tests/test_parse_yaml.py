"""YAML drafts: the accepted shapes, field names, values, spans, suppressions and diagnostics."""

from __future__ import annotations

import textwrap

import pytest

from coach.model import Document, InputError, Level, Span
from coach.parse import parse_text


def parse(text: str) -> Document:
    return parse_text(textwrap.dedent(text), "draft.yaml", "yaml")


def outline(doc: Document) -> list[tuple[str, list[str]]]:
    return [(o.text, [kr.text for kr in o.key_results]) for o in doc.objectives]


SHAPES = [
    (
        "objectives list",
        """
        objectives:
          - objective: Make paying us effortless
            key_results:
              - Raise checkout completion from 61% to 75%
              - text: Cut failed card payments below 1.5%
        """,
        [
            (
                "Make paying us effortless",
                ["Raise checkout completion from 61% to 75%", "Cut failed card payments below 1.5%"],
            )
        ],
    ),
    (
        "top-level list",
        """
        - title: Make onboarding effortless
          krs: [Raise activation from 30% to 45%]
        - title: Keep customers longer
        """,
        [("Make onboarding effortless", ["Raise activation from 30% to 45%"]), ("Keep customers longer", [])],
    ),
    (
        "single objective mapping",
        """
        objective: Make paying us effortless
        key-results:
          - kr: Raise checkout completion from 61% to 75%
        """,
        [("Make paying us effortless", ["Raise checkout completion from 61% to 75%"])],
    ),
    (
        "okrs alias and keyResults",
        """
        okrs:
          - Name: Win the mid-market
            keyResults:
              - Name: Close 12 deals above $50k
        """,
        [("Win the mid-market", ["Close 12 deals above $50k"])],
    ),
    (
        "field names with spaces and capitals",
        """
        Objectives:
          - Objective: Make refunds painless
            Key Results:
              - Key Result: Cut refund handling time from 5 days to 2
        """,
        [("Make refunds painless", ["Cut refund handling time from 5 days to 2"])],
    ),
    (
        "objectives as a mapping from text to key results",
        """
        objectives:
          Make paying us effortless:
            - Raise checkout completion from 61% to 75%
          Keep customers longer: []
        """,
        [
            ("Make paying us effortless", ["Raise checkout completion from 61% to 75%"]),
            ("Keep customers longer", []),
        ],
    ),
    (
        "string objectives and folded text",
        """
        objectives:
          - Make paying us effortless
          - text: >
              Keep customers
              longer
        """,
        [("Make paying us effortless", []), ("Keep customers longer", [])],
    ),
    (
        "text as written, not as YAML typed it",
        """
        objectives:
          - objective: 2026
            key_results: [1.50, yes]
        """,
        [("2026", ["1.50", "yes"])],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_shapes(text: str, expected: list[tuple[str, list[str]]]) -> None:
    assert outline(parse(text)) == expected


def test_document_fields_ids_and_spans() -> None:
    doc = parse("""\
        team: Payments
        level: Squad
        owner: Dana Reyes
        quarter: 2026-Q3
        parents: [co-2, co-3]
        objectives:
          - id: pay-1
            objective: "Make paying us effortless"
            why: Checkout friction costs us a third of trials
            owner: Dana
            parent: co-2
            initiatives: New checkout; Wallets
            key_results:
              - Raise checkout completion from 61% to 75%
              - text: Cut failed card payments below 1.5%
                id: pay-1.2
                owner: [Sam, Lee]
          - objective: Keep customers longer
            key_results:
              - Lift 90-day retention from 80% to 86%
        """)
    assert (doc.team, doc.level, doc.owner, doc.period, doc.parents) == (
        "Payments",
        Level.TEAM,
        "Dana Reyes",
        "2026-Q3",
        ["co-2", "co-3"],
    )
    first, second = doc.objectives
    assert [first.id, second.id] == ["pay-1", "O2"]
    assert [kr.id for kr in first.key_results] == ["pay-1.KR1", "pay-1.2"]
    assert second.key_results[0].id == "O2.KR1"
    assert first.span == Span("draft.yaml", 8, 17)  # inside the quotes
    assert first.key_results[0].span == Span("draft.yaml", 14, 9)
    assert first.key_results[1].span == Span("draft.yaml", 15, 15)
    assert first.description == "Checkout friction costs us a third of trials"
    assert (first.owner, first.parents, first.initiatives) == ("Dana", ["co-2"], ["New checkout", "Wallets"])
    assert first.key_results[1].owner == "Sam, Lee"
    assert doc.diagnostics == []


NUMBERS = [
    ("2.8", 2.8),
    ("75", 75.0),
    ('"1,200"', 1200.0),
    ('"45%"', "45%"),
    ('"$250k"', "$250k"),
    ("TBD", "TBD"),
    ('""', None),
    ("null", None),
]


@pytest.mark.parametrize(("written", "expected"), NUMBERS)
def test_numbers_stay_numbers_or_text(written: str, expected: object) -> None:
    doc = parse(f"objectives:\n- objective: O\n  key_results:\n  - text: K\n    target: {written}\n")
    assert doc.key_results()[0].target == expected


CONFIDENCES = [
    ("0.6", 0.6, None),
    ("1", 1.0, None),
    ('"60%"', 0.6, None),
    ("7", 0.7, None),
    ('"7/10"', 0.7, None),
    ("70", 0.7, None),
    ("0", 0.0, None),
    ("high", None, "confidence 'high' is not a number"),
    ("150", None, "confidence 150 is out of range"),
    ("-0.2", None, "out of range"),
    ("true", None, "must be a number"),
    ("[1, 2]", None, "must be a number"),
]


@pytest.mark.parametrize(("written", "expected", "problem"), CONFIDENCES)
def test_confidence_is_normalised_or_reported(
    written: str, expected: float | None, problem: str | None
) -> None:
    doc = parse(f"objectives:\n- objective: O\n  key_results:\n  - text: K\n    confidence: {written}\n")
    assert doc.key_results()[0].confidence == expected
    if problem is None:
        assert doc.diagnostics == []
    else:
        (finding,) = doc.diagnostics
        assert (finding.code, finding.name) == ("KR016", "invalid-confidence")
        assert problem in finding.message
        assert (finding.span.line, finding.span.col) == (5, 17)


def test_unknown_fields_are_reported_where_they_are() -> None:
    doc = parse("""\
        colour: blue
        objectives:
          - objective: Make paying us effortless
            notes: kept quietly
            tagret: 75
            key_results:
              - text: Raise checkout completion
                ownr: Sam
        """)
    found = [(d.code, d.name, d.message, d.span.line, d.span.col) for d in doc.diagnostics]
    assert found == [
        ("DOC001", "unknown-field", "unknown top-level field 'colour' (ignored)", 1, 1),
        ("DOC001", "unknown-field", "unknown field 'tagret' (ignored)", 5, 5),
        ("DOC001", "unknown-field", "unknown field 'ownr' (ignored)", 8, 9),
    ]
    objective = doc.objectives[0]
    assert objective.extra == {"notes": "kept quietly", "tagret": "75"}
    assert doc.key_results()[0].extra == {"ownr": "Sam"}


def test_unknown_level_is_a_warning_and_synonyms_map() -> None:
    doc = parse("""\
        level: galaxy
        objectives:
          - objective: A
            level: dept
            key_results:
              - text: K
                level: Personal
        """)
    assert doc.level is None
    assert doc.objectives[0].level is Level.DEPARTMENT
    assert doc.key_results()[0].level is Level.INDIVIDUAL
    (finding,) = doc.diagnostics
    assert (finding.code, finding.name, finding.span.line) == ("DOC005", "unknown-level", 1)
    assert "galaxy" in finding.message


SUPPRESSIONS = [
    ('"KR004: baselines come from the Q3 survey"', [("KR004", "baselines come from the Q3 survey")]),
    ('["KR003, KR004: from the survey"]', [("KR003", "from the survey"), ("KR004", "from the survey")]),
    ("[{code: kr004, reason: the survey}]", [("KR004", "the survey")]),
    ("[{codes: [KR003, KR004], because: survey}]", [("KR003", "survey"), ("KR004", "survey")]),
    ("[KR004]", [("KR004", "")]),
    (
        '"KR004 KR003 -- two codes, one reason"',
        [("KR004", "two codes, one reason"), ("KR003", "two codes, one reason")],
    ),
    ('"ALL: legacy objective kept for reference"', [("ALL", "legacy objective kept for reference")]),
]


@pytest.mark.parametrize(("written", "expected"), SUPPRESSIONS)
def test_suppressions(written: str, expected: list[tuple[str, str]]) -> None:
    doc = parse(f"objectives:\n- objective: O\n  key_results:\n  - text: K\n    ignore: {written}\n")
    kr = doc.key_results()[0]
    assert [(s.code, s.reason) for s in kr.suppressions] == expected
    assert all(s.span.line == 5 for s in kr.suppressions)


def test_suppressions_on_every_level_and_unreadable_ones() -> None:
    doc = parse("""\
        ignore: "OBJ002: legacy names"
        objectives:
          - objective: O
            suppress: ["OBJ004: obvious", "because of reasons"]
            key_results: [K]
        """)
    assert [(s.code, s.reason) for s in doc.suppressions] == [("OBJ002", "legacy names")]
    assert [(s.code, s.reason) for s in doc.objectives[0].suppressions] == [("OBJ004", "obvious")]
    (finding,) = doc.diagnostics
    assert (finding.code, finding.span.line) == ("DOC006", 4)


def test_anchors_and_merge_keys() -> None:
    doc = parse("""\
        defaults: &owner {owner: Sam, confidence: 0.5}
        objectives:
          - objective: O
            key_results:
              - <<: *owner
                text: First
              - <<: *owner
                text: Second
                owner: Lee
        """)
    assert [(kr.owner, kr.confidence) for kr in doc.key_results()] == [("Sam", 0.5), ("Lee", 0.5)]


def test_block_scalar_span_points_at_the_text() -> None:
    doc = parse("""\
        objectives:
          - objective: |
              Make paying us effortless
            key_results: [K]
        """)
    assert doc.objectives[0].span == Span("draft.yaml", 3, 7)
    assert doc.objectives[0].text == "Make paying us effortless"


def test_zero_key_results_is_not_an_error() -> None:
    doc = parse("objectives:\n  - objective: Lonely objective\n    key_results:\n")
    assert outline(doc) == [("Lonely objective", [])]


STRUCTURE_ERRORS = [
    ("objectives:\n  - objective: A\n    key_results: nope\n", 3, "key_results must be a list, got a string"),
    ("objectives:\n  - objective: A\n    krs: {a: 1}\n", 3, "krs must be a list, got a mapping"),
    ("objectives: hello\n", 1, "objectives must be a list, got a string"),
    ("objectives:\n  - [a, b]\n", 2, "each objective must be a mapping or a string, got a list"),
    (
        "objectives:\n  - objective: A\n    key_results: [[a]]\n",
        3,
        "each key result must be a mapping or a string",
    ),
    ("objectives:\n  - key_results: [a]\n", 2, "objective has no text"),
    ("objectives:\n  - objective: '  '\n", 2, "objective has no text"),
    ("objectives:\n  - objective: A\n    key_results: [{owner: Sam}]\n", 3, "key result has no text"),
    ("objectives:\n  - objective: A\n    key_results: [~]\n", 3, "key result has no text"),
    ("objectives:\n  - objective: [a]\n", 2, "objective text must be a string, got a list"),
    ("objectives:\n  - objective: A\n    owner: {a: 1}\n", 3, "owner must be text, got a mapping"),
    (
        "objectives:\n  - objective: A\n    key_results:\n      - text: K\n        target: [1]\n",
        5,
        "target must be a number or text, got a list",
    ),
    ("objectives:\n  - objective: A\n    parents: {a: b}\n", 3, "parents must be a list, got a mapping"),
    ("objectives: []\n", None, "no objectives found"),
    ("team: Payments\n", 1, "no objectives found"),
    ("# only a comment\n", None, "no objectives found"),
    ("just a string\n", 1, "expected an 'objectives:' list or a list of objectives; got a string"),
    ("objectives:\n  - objective: A\n---\nobjectives: []\n", 3, "more than one YAML document"),
    ("objectives:\n  - objective: A\n    key_results: [a, b\n", 4, "invalid YAML"),
    ("objectives:\n  - *nowhere\n", 2, "invalid YAML"),
    ("a: &x [*x]\n", 1, "invalid YAML: unknown alias"),
]


@pytest.mark.parametrize(("text", "line", "message"), STRUCTURE_ERRORS)
def test_structure_errors_name_file_and_line(text: str, line: int | None, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_text(text, "draft.yaml", "yaml")
    error = caught.value
    assert message in error.message
    assert error.line == line
    assert str(error).startswith("draft.yaml:" if line else "draft.yaml: ")


def test_deep_nesting_and_alias_bombs_are_refused() -> None:
    deep = "- " * 5000 + "x\n"
    with pytest.raises(InputError, match="nested too deeply"):
        parse_text(deep, "deep.yaml", "yaml")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)},"
        f" *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    with pytest.raises(InputError, match="too large once its aliases are expanded"):
        parse_text(bomb, "bomb.yaml", "yaml")


# Where each element's text starts, as (line, column): each objective's, then its key results'.
# A quoted scalar's text starts past its opening quote, with or without an anchor or a tag before it.
SPANS = [
    (
        "anchored quoted scalar",
        """\
        objectives:
          - objective: Make paying effortless
            key_results:
              - "Cut failed payments"
              - &k2 "Cut failed payments"
              - *k2
        """,
        [(2, 16), (4, 10), (5, 14), (5, 14)],  # an alias is its anchor's value: it points there
    ),
    (
        "tags, anchors and both",
        """\
        objectives:
          - objective: Grow
            key_results:
              - !!str "Tagged quoted"
              - !!str Tagged plain
              - &a !!str Anchored and tagged
              - !!str 42
              - text: &b 'Single quoted'
        """,
        [(2, 16), (4, 16), (5, 15), (6, 18), (7, 15), (8, 19)],
    ),
    (
        "properties, a comment and a line break before the value",
        """\
        objectives:
          - objective: &o !!str  # the title
              # still the title
              "Grow revenue"
            key_results:
              - !!str
                Raise checkout
        """,
        [(4, 8), (7, 9)],
    ),
    (
        "tagged block scalar",
        """\
        objectives:
          - objective: !!str |
              Make paying effortless
            key_results: [&k "Flow anchored", !!str flow tagged]
        """,
        [(3, 7), (4, 23), (4, 45)],
    ),
    (
        "anchored objective key",
        """\
        objectives:
          &g "Grow revenue": [Sign partners]
        """,
        [(2, 7), (2, 23)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [s[1:] for s in SPANS], ids=[s[0] for s in SPANS])
def test_span_is_where_the_text_starts(text: str, expected: list[tuple[int, int]]) -> None:
    doc = parse(text)
    elements = [element for o in doc.objectives for element in (o, *o.key_results)]
    assert [(element.span.line, element.span.col) for element in elements] == expected
    lines = textwrap.dedent(text).split("\n")
    for element in elements:  # the file holds the element's first word right there
        first_word = element.text.split()[0]
        assert lines[element.span.line - 1][element.span.col - 1 :].startswith(first_word)


def test_anchor_before_an_empty_value_is_reported_at_the_anchor() -> None:
    with pytest.raises(InputError, match="key result has no text") as caught:
        parse("objectives:\n  - objective: Grow\n    key_results:\n      - &empty\n      - Raise A\n")
    assert (caught.value.line, caught.value.col) == (4, 9)
