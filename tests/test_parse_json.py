"""JSON drafts: the YAML schema, JSON's own error positions, and spans for every element."""

from __future__ import annotations

import json

import pytest

from coach.model import Document, InputError, Span
from coach.parse import parse_bytes, parse_text


def parse(text: str) -> Document:
    return parse_text(text, "draft.json", "json")


def outline(doc: Document) -> list[tuple[str, list[str]]]:
    return [(o.text, [kr.text for kr in o.key_results]) for o in doc.objectives]


DRAFT = """{
  "team": "Payments",
  "period": "2026-Q3",
  "ignore": "OBJ002: legacy names",
  "objectives": [
    {
      "id": "pay-1",
      "objective": "Make paying us effortless",
      "key_results": [
        "Raise checkout completion from 61% to 75%",
        {"text": "Cut failed card payments below 1.5%", "owner": "Sam", "baseline": 2.8,
         "target": 1.5, "current": "2,4", "confidence": "60%", "colour": "blue",
         "ignore": [{"code": "KR004", "reason": "baseline from the survey"}]}
      ]
    },
    {"title": "Keep customers longer", "krs": []}
  ]
}
"""


def test_schema_values_and_spans() -> None:
    doc = parse(DRAFT)
    assert outline(doc) == [
        (
            "Make paying us effortless",
            ["Raise checkout completion from 61% to 75%", "Cut failed card payments below 1.5%"],
        ),
        ("Keep customers longer", []),
    ]
    assert (doc.team, doc.period, doc.format) == ("Payments", "2026-Q3", "json")
    assert [(s.code, s.reason) for s in doc.suppressions] == [("OBJ002", "legacy names")]
    first = doc.objectives[0]
    assert first.span == Span("draft.json", 8, 21)  # the first character inside the quotes
    plain, detailed = first.key_results
    assert (plain.id, detailed.id, doc.objectives[1].id) == ("pay-1.KR1", "pay-1.KR2", "O2")
    assert plain.span == Span("draft.json", 10, 10)
    assert detailed.span == Span("draft.json", 11, 19)
    assert (detailed.owner, detailed.baseline, detailed.target, detailed.current, detailed.confidence) == (
        "Sam",
        2.8,
        1.5,
        "2,4",
        0.6,
    )
    assert [(s.code, s.reason, s.span.line) for s in detailed.suppressions] == [
        ("KR004", "baseline from the survey", 13)
    ]
    (unknown,) = doc.diagnostics
    assert (unknown.code, unknown.message, unknown.span.line, unknown.span.col) == (
        "DOC001",
        "unknown field 'colour' (ignored)",
        12,
        65,
    )


def test_top_level_list_single_objective_and_unicode() -> None:
    listed = parse(
        '[{"objective": "Faire payer sans effort \\u00e9", "key_results": ["Réduire les échecs"]}]'
    )
    assert outline(listed) == [("Faire payer sans effort é", ["Réduire les échecs"])]
    single = parse('{"objective": "Make refunds painless", "keyResults": ["Cut refund time to 2 days"]}')
    assert outline(single) == [("Make refunds painless", ["Cut refund time to 2 days"])]


def test_same_document_as_yaml() -> None:
    data = json.loads(DRAFT)
    as_yaml = parse_text(json.dumps(data, indent=1), "draft.yaml", "yaml")
    as_json = parse(DRAFT)
    assert outline(as_yaml) == outline(as_json)
    assert [kr.confidence for kr in as_yaml.key_results()] == [kr.confidence for kr in as_json.key_results()]


def test_numbers_literals_and_duplicates() -> None:
    doc = parse(
        '{"objectives": [{"objective": "O", "key_results": [{"text": "K", "target": 1e3, '
        '"baseline": -0.5, "current": "n/a", "confidence": 7, "owner": "A", "owner": "B"}]}]}'
    )
    kr = doc.key_results()[0]
    assert (kr.target, kr.baseline, kr.current, kr.confidence, kr.owner) == (1000.0, -0.5, "n/a", 0.7, "B")


def test_crlf_and_bom() -> None:
    data = b'\xef\xbb\xbf{"objectives": [\r\n  {"objective": "O",\r\n   "key_results": ["K"]}]}'
    doc = parse_bytes(data, "draft.json", "json")
    assert doc.objectives[0].span == Span("draft.json", 2, 18)
    assert doc.key_results()[0].span == Span("draft.json", 3, 21)


MALFORMED = [
    ('{"objectives": [,]}', 1, 17, "invalid JSON: Expecting value"),
    ('{\n  "objectives": [\n    {"objective": "A",}\n  ]\n}', 3, 23, "invalid JSON"),
    ('{"objectives": []', 1, 18, "invalid JSON"),
    ("{'objectives': []}", 1, 2, "invalid JSON: Expecting property name enclosed in double quotes"),
    ('{"a": 1} {"b": 2}', 1, 10, "invalid JSON: Extra data"),
]


@pytest.mark.parametrize(("text", "line", "col", "message"), MALFORMED)
def test_malformed_json_uses_json_positions(text: str, line: int, col: int, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse(text)
    assert (caught.value.line, caught.value.col) == (line, col)
    assert caught.value.message.startswith(message)
    assert str(caught.value).startswith(f"draft.json:{line}:{col}: invalid JSON")


STRUCTURE = [
    (
        '{"objectives": [{"objective": "A",\n "key_results": "oops"}]}',
        2,
        "key_results must be a list, got a string",
    ),
    ('{"objectives": [{"objective": ""}]}', 1, "objective has no text"),
    ('{"objectives": [{"objective": "A", "key_results": [{"owner": "x"}]}]}', 1, "key result has no text"),
    ('{"objectives": [42.5, null]}', 1, "objective has no text"),
    ('{"objectives": []}', None, "no objectives found"),
    ('{"team": "x"}', 1, "no objectives found"),
    ("[]", None, "no objectives found"),
    ("null", None, "no objectives found"),
    ('"text"', 1, "got a string"),
    ("3", 1, "got a number"),
]


@pytest.mark.parametrize(("text", "line", "message"), STRUCTURE)
def test_structure_errors(text: str, line: int | None, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse(text)
    assert message in caught.value.message
    assert caught.value.line == line


def test_deep_nesting_and_huge_numbers_are_input_errors() -> None:
    for text in ("[" * 150 + "]" * 150, "[" * 100_000 + "]" * 100_000, '{"a": ' + "9" * 5000 + "}"):
        with pytest.raises(InputError) as caught:
            parse(text)
        assert str(caught.value).startswith("draft.json")


@pytest.mark.parametrize(
    ("escape", "column"),
    [("\\ud800", 19), ("\\uDFFF", 19), ("\\ud83d", 19), ("x\\udc00", 20)],
)
def test_an_escaped_half_surrogate_is_an_input_error_at_its_place(escape: str, column: int) -> None:
    # json.loads accepts it; a report holding it could not be written (a traceback, exit 1, before)
    text = (
        '{"objectives": [\n  {"title": "Grow ' + escape + ' revenue", "key_results": ["Raise NPS to 40"]}]}'
    )
    with pytest.raises(InputError) as error:
        parse_text(text, "okrs.json", "json")
    assert (error.value.line, error.value.col) == (2, column)
    assert "half of a surrogate pair" in error.value.message


def test_surrogate_pairs_and_escaped_backslashes_read_as_written() -> None:
    text = (
        '{"objectives": [{"title": "Grow \\ud83d\\ude00 revenue \\\\ud800", "key_results": ["Raise NPS"]}]}'
    )
    assert parse_text(text, "okrs.json", "json").objectives[0].text == "Grow 😀 revenue \\ud800"
