"""Structural edits written in place (coach.write.structure): add, delete, reorder, field set and clear.

For each format and each edit: the file reads back as the edited draft, and every line outside the edited
element is kept byte for byte (comments, key names, unknown fields such as links and tags, value spellings
such as `confidence: 7` and an unreadable `150%`).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from difflib import SequenceMatcher

import pytest

from coach.engine import review_document
from coach.model import Document, KeyResult, Objective, Span
from coach.parse import parse_text
from coach.write.structure import NotSurgical, apply_structure

YAML = """\
# Payments, first draft (a comment the save must keep)
team: Payments
objectives:
  - id: pay-1
    objective: Make paying us effortless   # the company asked for this
    owner: Dana
    key_results:
      - key_result: Raise checkout completion from 61% to 75%
        owner: Dana
        links: [https://dash.example/checkout]
        tags: [checkout, q3]
        confidence: 7
      - key_result: 'Cut failed card payments from 2.8% to 1.5%'
        confidence: 150%   # out of range, left as written
        target: 1.5

  - id: pay-2
    objective: Grow revenue 20%
    key_results:
      - key_result: Increase net revenue retention from 98% to 104%
        owner: Marco
      # a note about the next one
      - key_result: Move 300 monthly customers to annual plans
"""

JSON = """\
{
  "team": "Payments",
  "objectives": [
    {
      "id": "pay-1",
      "objective": "Make paying us effortless",
      "owner": "Dana",
      "key_results": [
        {"key_result": "Raise checkout completion from 61% to 75%", "owner": "Dana",
         "links": ["https://dash.example/checkout"], "tags": ["checkout"], "confidence": 7},
        {"key_result": "Cut failed card payments from 2.8% to 1.5%", "confidence": "150%", "target": 1.5}
      ]
    },
    {
      "id": "pay-2",
      "objective": "Grow revenue 20%",
      "key_results": [
        {"key_result": "Increase net revenue retention from 98% to 104%", "owner": "Marco"},
        {"key_result": "Move 300 monthly customers to annual plans"}
      ]
    }
  ]
}
"""

CSV = """\
team,objective id,objective,objective owner,key result,owner,target,unit,confidence,links
Payments,pay-1,Make paying us effortless,Dana,Raise checkout completion from 61% to 75%,Dana,,,7,https://dash.example/checkout
Payments,pay-1,,,"Cut failed card payments from 2.8% to 1.5%",,1.5,,150%,
Payments,pay-2,Grow revenue 20%,,Increase net revenue retention from 98% to 104%,Marco,,,,
Payments,pay-2,,,Move 300 monthly customers to annual plans,,,,,
"""

MARKDOWN = """\
---
team: Payments
---

# Payments OKRs

<!-- a comment the save must keep -->

## Objective 1: Make paying us effortless (owner: Dana)

- Raise checkout completion from 61% to 75% (owner: Dana)
  - Links: https://dash.example/checkout
  - Confidence: 7
- Cut failed card payments from 2.8% to 1.5%
  - Confidence: 150%
  - Target: 1.5

## Objective 2: Grow revenue 20%

- Increase net revenue retention from 98% to 104% (owner: Marco)
<!-- okrcoach: ignore KR004 -- a note about the next one -->
- Move 300 monthly customers to annual plans

## Not this quarter

- Crypto payouts
"""

SOURCES = {"yaml": YAML, "json": JSON, "csv": CSV, "markdown": MARKDOWN}
FORMATS = ["yaml", "json", "csv", "markdown"]
KEPT = {  # spellings that must survive every edit that does not touch them
    "yaml": [
        "# Payments, first draft",
        "# the company asked for this",
        "key_result:",
        "links:",
        "tags:",
        "confidence: 7",
        "confidence: 150%   # out of range",
        "# a note about the next one",
    ],
    "json": ['"key_result"', '"links"', '"tags"', '"confidence": 7', '"confidence": "150%"'],
    "csv": [",7,https://dash.example/checkout", ",150%,", '"Cut failed card payments from 2.8% to 1.5%"'],
    "markdown": [
        "<!-- a comment the save must keep -->",
        "  - Links: https://dash.example/checkout",
        "  - Confidence: 7",
        "  - Confidence: 150%",
        "<!-- okrcoach: ignore KR004",
        "## Not this",
    ],
}


def new(text: str, **fields: object) -> KeyResult:
    return KeyResult("new", text, Span("<new>", 0, 0), **fields)  # type: ignore[arg-type]


def changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed from `before` and the lines added in `after`."""
    a, b = before.splitlines(), after.splitlines()
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def edited(fmt: str, edit: Callable[[Document], None]) -> tuple[str, Document]:
    source = SOURCES[fmt]
    wanted = copy.deepcopy(parse_text(source, f"draft.{fmt}", fmt))
    edit(wanted)
    result = apply_structure(source, fmt, wanted, f"draft.{fmt}")
    back = parse_text(result, f"draft.{fmt}", fmt)
    assert [o.text for o in back.objectives] == [o.text for o in wanted.objectives]
    assert [[k.text for k in o.key_results] for o in back.objectives] == [
        [k.text for k in o.key_results] for o in wanted.objectives
    ]
    return result, back


def kept_spellings(fmt: str, result: str, unless: str = "") -> None:
    for spelling in KEPT[fmt]:
        if unless and unless in spelling:
            continue
        assert spelling in result, spelling


# -- add a key result, add an objective ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_adding_a_key_result_only_adds_its_lines(fmt: str) -> None:
    def add(doc: Document) -> None:
        doc.objectives[0].key_results.insert(1, new("Reduce refunds from 4% to 2%", owner="Ana", target=2.0))

    result, back = edited(fmt, add)
    removed, added = changes(SOURCES[fmt], result)
    assert removed == []
    assert added and all("Reduce refunds" in line or "Ana" in line or "2" in line for line in added)
    assert back.objectives[0].key_results[1].owner == "Ana" and back.objectives[0].key_results[1].target == 2
    kept_spellings(fmt, result)
    if fmt == "yaml":  # the siblings' key name and indentation
        assert "      - key_result: Reduce refunds from 4% to 2%\n        owner: Ana\n" in result
    if fmt == "json":
        assert '{"key_result": "Reduce refunds from 4% to 2%", "owner": "Ana", "target": 2}' in result


@pytest.mark.parametrize("fmt", FORMATS)
def test_adding_an_objective_only_adds_its_lines(fmt: str) -> None:
    def add(doc: Document) -> None:
        objective = Objective("new", "Customers love our invoices", Span("<new>", 0, 0), owner="Kim")
        objective.key_results.append(new("Raise invoice NPS from 20 to 40"))
        doc.objectives.append(objective)

    result, back = edited(fmt, add)
    removed, added = changes(SOURCES[fmt], result)
    assert all(line.strip() in ("}", "},", "]") for line in removed)  # JSON: the comma after the last one
    assert any("Customers love our invoices" in line for line in added)
    assert back.objectives[2].owner == "Kim"
    kept_spellings(fmt, result)


# -- delete, reorder -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_deleting_a_key_result_removes_only_its_extent(fmt: str) -> None:
    def delete(doc: Document) -> None:
        del doc.objectives[1].key_results[0]

    result, back = edited(fmt, delete)
    removed, added = changes(SOURCES[fmt], result)
    assert any("Increase net revenue retention" in line for line in removed)
    assert all("Increase net revenue" in line or "Marco" in line or "pay-2" in line for line in removed)
    if fmt == "csv":  # the next row now carries the objective's cells
        assert added == ["Payments,pay-2,Grow revenue 20%,,Move 300 monthly customers to annual plans,,,,,"]
    else:
        assert all(line.strip() in ("{", "}", "]") for line in added)
    kept_spellings(fmt, result)


@pytest.mark.parametrize("fmt", FORMATS)
def test_deleting_an_objective_removes_only_its_extent(fmt: str) -> None:
    def delete(doc: Document) -> None:
        del doc.objectives[1]

    result, _ = edited(fmt, delete)
    removed, _ = changes(SOURCES[fmt], result)
    assert not any("Raise checkout" in line for line in removed)
    kept_spellings(fmt, result, unless="# a note" if fmt == "yaml" else "KR004")  # objective 2's own


@pytest.mark.parametrize("fmt", FORMATS)
def test_reordering_swaps_extents_and_keeps_every_byte(fmt: str) -> None:
    def move(doc: Document) -> None:
        doc.objectives.reverse()
        doc.objectives[1].key_results.reverse()

    result, back = edited(fmt, move)
    removed, added = changes(SOURCES[fmt], result)
    if fmt == "yaml":  # the same lines, in another order
        assert Counter(removed) == Counter(added)
    assert back.objectives[1].key_results[1].extra.get("links") or fmt in ("csv", "markdown")
    kept_spellings(fmt, result)
    assert back.objectives[1].key_results[0].confidence is None  # 150% still unreadable, still there


# -- fields --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_setting_a_field_replaces_only_its_value(fmt: str) -> None:
    def set_owner(doc: Document) -> None:
        doc.objectives[0].key_results[0].owner = "Priya"

    result, back = edited(fmt, set_owner)
    removed, added = changes(SOURCES[fmt], result)
    assert len(removed) == len(added) == 1
    if fmt == "csv":
        assert added[0] == removed[0].replace("75%,Dana,", "75%,Priya,")
    else:
        assert added[0] == removed[0].replace('"owner": "Dana"', '"owner": "Priya"').replace(
            ": Dana", ": Priya"
        )
    assert back.objectives[0].key_results[0].owner == "Priya"
    kept_spellings(fmt, result)


@pytest.mark.parametrize("fmt", FORMATS)
def test_adding_a_field_touches_only_that_element(fmt: str) -> None:
    def set_unit(doc: Document) -> None:
        doc.objectives[1].key_results[0].unit = "points"
        doc.objectives[1].key_results[0].target = 104.0

    result, back = edited(fmt, set_unit)
    removed, added = changes(SOURCES[fmt], result)
    assert all("Marco" in line or "Increase net revenue" in line for line in removed)
    assert back.objectives[1].key_results[0].unit == "points"
    kept_spellings(fmt, result)


def test_a_field_missing_from_the_table_is_refused_before_writing() -> None:
    wanted = copy.deepcopy(parse_text(CSV, "draft.csv", "csv"))
    wanted.objectives[0].key_results[0].current = 66.0
    with pytest.raises(NotSurgical, match="no current column"):
        apply_structure(CSV, "csv", wanted, "draft.csv")


@pytest.mark.parametrize("fmt", FORMATS)
def test_clearing_a_field_removes_only_it(fmt: str) -> None:
    def clear(doc: Document) -> None:
        doc.objectives[1].key_results[0].owner = None

    result, back = edited(fmt, clear)
    removed, added = changes(SOURCES[fmt], result)
    assert back.objectives[1].key_results[0].owner is None
    assert all("Marco" in line for line in removed)
    kept_spellings(fmt, result)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_edited_confidence_keeps_the_way_it_was_written(fmt: str) -> None:
    def set_confidence(doc: Document) -> None:
        doc.objectives[0].key_results[0].confidence = 0.8

    result, back = edited(fmt, set_confidence)
    assert back.objectives[0].key_results[0].confidence == pytest.approx(0.8)
    spelled = {"yaml": "confidence: 8", "json": '"confidence": 8', "csv": ",8,", "markdown": "Confidence: 8"}
    assert spelled[fmt] in result
    assert "150%" in result


def test_line_ends_and_a_bom_are_kept() -> None:
    source = "\ufeff" + YAML.replace("\n", "\r\n")
    wanted = copy.deepcopy(parse_text(YAML, "draft.yaml", "yaml"))
    wanted.objectives[0].key_results.append(new("Reduce refunds from 4% to 2%"))
    result = apply_structure(source, "yaml", wanted, "draft.yaml")
    assert result.startswith("\ufeff") and "\n" not in result.replace("\r\n", "")
    assert "- key_result: Reduce refunds from 4% to 2%\r\n" in result


def test_a_markdown_shape_not_written_in_place_is_refused_before_writing() -> None:
    source = "## Make paying us effortless\n\n| Key result | Owner |\n|---|---|\n"
    source += "| Raise checkout completion from 61% to 75% | Dana |\n"
    wanted = copy.deepcopy(parse_text(source, "draft.md", "markdown"))
    wanted.objectives[0].key_results.append(new("Reduce refunds from 4% to 2%"))
    with pytest.raises(NotSurgical, match="Markdown"):
        apply_structure(source, "markdown", wanted, "draft.md")


# -- findings have targets ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unreadable_confidence_is_a_finding_on_its_key_result(fmt: str) -> None:
    doc = parse_text(SOURCES[fmt], f"draft.{fmt}", fmt)
    found = [f for f in review_document(doc) if f.code == "KR016"]
    assert [f.target for f in found] == [doc.objectives[0].key_results[1].id]


def test_a_parser_finding_about_an_element_targets_it() -> None:
    source = "objectives:\n- objective: Make paying us effortless\n  colour: red\n  key_results:\n"
    source += "  - text: Raise checkout completion from 61% to 75%\n    level: galaxy\n    wibble: 1\n"
    found = {(f.code, f.target) for f in review_document(parse_text(source, "draft.yaml", "yaml"))}
    assert {("DOC001", "O1"), ("DOC001", "O1.KR1"), ("DOC005", "O1.KR1")} <= found


SHAPES = {
    "indentless lists": [
        "objectives:",
        "- objective: Pay",
        "  key_results:",
        "  - text: Raise checkout completion from 61% to 75%",
        "    owner: A",
        "  - Cut failed payments from 3% to 1%",
        "- objective: Grow",
        "  key_results:",
        "  - text: Raise NRR from 98% to 104%",
        "",
    ],
    "flow lists": [
        "objectives:",
        "  - objective: Pay",
        "    key_results: [Raise checkout completion from 61% to 75%, 'Cut failed payments from 3% to 1%']",
        "  - {objective: Grow, key_results: [{text: Raise NRR from 98% to 104%}]}",
        "",
    ],
    "a list at the root": [
        "- objective: Pay",
        "  key_results:",
        "    - text: Raise checkout completion from 61% to 75%",
        "    - text: Cut failed payments from 3% to 1%",
        "- objective: Grow",
        "  key_results:",
        "    - text: Raise NRR from 98% to 104%",
        "",
    ],
    "no newline at the end": [
        "objectives:",
        "  - objective: Pay",
        "    key_results:",
        "      - text: Raise checkout completion from 61% to 75%",
        "      - Cut failed payments from 3% to 1%",
    ],
    "block scalars": [
        "objectives:",
        "  - objective: >",
        "      Pay us",
        "      easily",
        "    key_results:",
        "      - text: |",
        "          Raise checkout completion from 61% to 75%",
        "        owner: A   # c",
        "      - text: Cut failed payments from 3% to 1%",
        "",
    ],
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("change", ["add", "reverse", "delete", "objective", "fields"])
def test_yaml_shapes_take_structural_edits(shape: str, change: str) -> None:
    source = "\n".join(SHAPES[shape])
    wanted = copy.deepcopy(parse_text(source, "draft.yaml", "yaml"))
    first = wanted.objectives[0]
    if change == "add":
        first.key_results.insert(1, new("Reduce refunds from 4% to 2%", owner="Ana"))
    elif change == "reverse":
        first.key_results.reverse()
    elif change == "delete":
        del first.key_results[0]
    elif change == "objective":
        objective = Objective("new", "Customers love our invoices", Span("<new>", 0, 0))
        objective.key_results.append(new("Raise invoice NPS from 20 to 40"))
        wanted.objectives.append(objective)
    else:
        first.text, first.key_results[1].text = "Pay us fast", "Cut failed payments from 3% to 0.5%"
        first.key_results[0].target, first.key_results[1].owner = 80.0, "Kim"  # a string gets a field
    result = apply_structure(source, "yaml", wanted, "draft.yaml")  # read back and compared inside
    if change == "reverse":
        assert sorted(result.splitlines()) == sorted(source.splitlines()) or shape == "flow lists"
    assert result.endswith("\n") == source.endswith("\n")


MARKDOWN_SHAPES = {
    "numbered": "# OKRs\n\n## O1: Pay\n\n1. Raise checkout completion from 61% to 75%\n"
    "2. Cut failed payments from 3% to 1%\n\n## O2: Grow\n\n1. Raise NRR from 98% to 104%\n",
    "checkboxes and sub-items": "## Objective: Pay\n\n"
    "* [ ] Raise checkout completion from 61% to 75% [owner: Ana]\n"
    "* [x] Cut failed payments from 3% to 1%\n    * Target: 1%\n",
    "blank lines between items": "## Objective 1: Pay\n\n- Raise checkout completion from 61% to 75%\n\n"
    "- Cut failed payments from 3% to 1%\n",
}


@pytest.mark.parametrize("shape", MARKDOWN_SHAPES)
@pytest.mark.parametrize("change", ["add", "reverse", "delete", "objective", "fields"])
def test_markdown_shapes_take_structural_edits(shape: str, change: str) -> None:
    source = MARKDOWN_SHAPES[shape]
    wanted = copy.deepcopy(parse_text(source, "draft.md", "markdown"))
    first = wanted.objectives[0]
    if change == "add":
        first.key_results.insert(1, new("Reduce refunds from 4% to 2%", owner="Ana"))
    elif change == "reverse":
        first.key_results.reverse()
    elif change == "delete":
        del first.key_results[0]
    elif change == "objective":
        objective = Objective("new", "Customers love our invoices", Span("<new>", 0, 0), owner="Kim")
        objective.key_results.append(new("Raise invoice NPS from 20 to 40"))
        wanted.objectives.append(objective)
    else:
        first.text, first.key_results[0].owner, first.key_results[1].target = "Pay us fast", "Zed", 0.5
    result = apply_structure(source, "markdown", wanted, "draft.md")  # read back and compared inside
    if change == "reverse":
        assert sorted(result.splitlines()) == sorted(source.splitlines())


@pytest.mark.parametrize(
    "source",
    [
        "## Objective 1: Pay\n\n### KR1: Raise checkout completion from 61% to 75%\n",
        "- Objective: Pay\n  - KR: Raise checkout completion from 61% to 75%\n",
    ],
)
def test_markdown_shapes_not_written_in_place_are_refused(source: str) -> None:
    wanted = copy.deepcopy(parse_text(source, "draft.md", "markdown"))
    wanted.objectives[0].key_results.append(new("Reduce refunds from 4% to 2%"))
    with pytest.raises(NotSurgical, match="Markdown"):
        apply_structure(source, "markdown", wanted, "draft.md")
