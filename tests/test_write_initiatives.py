"""A task-like key result rewritten as an outcome, the task kept as an initiative (coach.write.outcome).

For each format: the exact text written (only the key result's text and the added initiative differ from
the draft, byte for byte, line ends and BOM included), and the written file reads back with the
initiative where the format keeps it. Then what is refused, with the reason.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest

from coach.model import Document, KeyResult, Objective, Span
from coach.parse import load, parse_text
from coach.write.outcome import apply_outcome, initiative_home, with_outcome
from coach.write.structure import NotSurgical, apply_structure

TASK = "Launch the onboarding checklist"
OUTCOME = "Increase week-1 activation rate from 30% to 45%"


def outcome(text: str, fmt: str, kr_id: str = "O1.KR1", **options: str) -> str:
    """apply_outcome, and a check that the result reads back with the task as an initiative."""
    out = apply_outcome(text, fmt, kr_id, OUTCOME, name=f"draft.{fmt}", **options)
    back = parse_text(out, f"draft.{fmt}", fmt)
    kr = next(kr for kr in back.key_results() if kr.id == kr_id)
    objective = next(o for o in back.objectives if kr in o.key_results)
    assert kr.text == OUTCOME
    home = kr.initiatives if initiative_home(fmt) == "key_result" else objective.initiatives
    assert home[-1] == options.get("initiative", TASK)
    return out


# -- YAML ---------------------------------------------------------------------------------------------------

YAML_BLOCK = """\
# Growth, Q3 draft
objectives:
  - objective: Make onboarding delightful   # from the offsite
    owner: Dana
    # the measures
    key_results:
      - text: Launch the onboarding checklist
        owner: Sam
      - text: Cut time to first value from 3 days to 1 day

  - objective: Grow revenue
    key_results:
      - Move 300 customers to annual plans
"""


def test_yaml_objective_without_initiatives_gets_a_block_list_before_its_key_results() -> None:
    assert outcome(YAML_BLOCK, "yaml") == YAML_BLOCK.replace(
        "    # the measures\n",
        "    initiatives:\n      - Launch the onboarding checklist\n    # the measures\n",
    ).replace(f"- text: {TASK}", f"- text: {OUTCOME}")


def test_yaml_existing_block_list_gets_an_item_in_its_style() -> None:
    draft = """\
objectives:
- objective: Make onboarding delightful
  initiatives:
  -   Rewrite the welcome email   # keep
  key_results:
  - Launch the onboarding checklist
"""
    assert (
        outcome(draft, "yaml")
        == """\
objectives:
- objective: Make onboarding delightful
  initiatives:
  -   Rewrite the welcome email   # keep
  -   Launch the onboarding checklist
  key_results:
  - Increase week-1 activation rate from 30% to 45%
"""
    )


def test_yaml_flow_list_gets_the_item_inside_quoted_only_where_yaml_needs_it() -> None:
    draft = """\
objectives:
  - objective: Make onboarding delightful
    initiatives: [Rewrite the welcome email, 'Add a tour']
    key_results: [Launch the onboarding checklist]
"""
    out = outcome(draft, "yaml", initiative="Checklist: phase 1, then 2")
    assert out == draft.replace("'Add a tour']", "'Add a tour', 'Checklist: phase 1, then 2']").replace(
        f"[{TASK}]", f"[{OUTCOME}]"
    )
    plain = outcome(draft.replace("'Add a tour'", "Add a tour"), "yaml")
    assert "initiatives: [Rewrite the welcome email, Add a tour, Launch the onboarding checklist]" in plain


def test_yaml_initiatives_as_one_text_get_a_separator_and_the_item() -> None:
    draft = """\
objectives:
  - objective: Make onboarding delightful
    initiatives: Rewrite the welcome email; Add a tour
    key_results:
      - Launch the onboarding checklist
"""
    assert outcome(draft, "yaml") == draft.replace("Add a tour", f"Add a tour; {TASK}").replace(
        f"- {TASK}", f"- {OUTCOME}"
    )


def test_yaml_empty_initiatives_key_gets_a_block_list_under_it() -> None:
    draft = f"objectives:\n- objective: O\n  initiatives:   # none yet\n  key_results:\n  - {TASK}\n"
    expected = f"objectives:\n- objective: O\n  initiatives:   # none yet\n  - {TASK}\n"
    assert outcome(draft, "yaml") == expected + f"  key_results:\n  - {OUTCOME}\n"


def test_yaml_flow_mapping_objective_gets_a_flow_pair() -> None:
    draft = f"objectives:\n  - {{objective: Make onboarding delightful, key_results: [{TASK}]}}\n"
    assert outcome(draft, "yaml", initiative="yes") == (
        'objectives:\n  - {objective: Make onboarding delightful, initiatives: ["yes"], '
        f"key_results: [{OUTCOME}]}}\n"
    )


def test_yaml_with_crlf_line_ends_keeps_them(tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_bytes(YAML_BLOCK.replace("\n", "\r\n").encode())
    out = outcome(path.read_bytes().decode(), "yaml")
    path.write_bytes(out.encode())
    expected = outcome(YAML_BLOCK, "yaml").replace("\n", "\r\n")
    assert path.read_bytes() == expected.encode()
    assert load(str(path)).objectives[0].initiatives == [TASK]


# -- JSON ---------------------------------------------------------------------------------------------------


def test_json_compact_object_gets_the_pair_before_key_results_escaped() -> None:
    draft = f'{{"objectives": [{{"objective": "Make onboarding delightful", "key_results": ["{TASK}"]}}]}}'
    task = 'Ship the "welcome" checklist — v2'
    assert outcome(draft, "json", initiative=task) == (
        '{"objectives": [{"objective": "Make onboarding delightful", '
        '"initiatives": ["Ship the \\"welcome\\" checklist — v2"], '
        f'"key_results": ["{OUTCOME}"]}}]}}'
    )


JSON_INDENTED = """\
{
    "objectives": [
        {
            "objective": "Make onboarding delightful",
            "owner": "Dana",
            "key_results": [
                {"text": "Launch the onboarding checklist", "owner": "Sam"}
            ]
        }
    ]
}
"""


def test_json_indented_object_gets_the_pair_in_its_indentation() -> None:
    assert outcome(JSON_INDENTED, "json") == JSON_INDENTED.replace(
        '            "key_results"',
        '            "initiatives": ["Launch the onboarding checklist"],\n            "key_results"',
    ).replace(f'"text": "{TASK}"', f'"text": "{OUTCOME}"')


def test_json_existing_array_gets_the_item_after_its_last() -> None:
    draft = JSON_INDENTED.replace(
        '            "owner": "Dana",\n',
        '            "owner": "Dana",\n'
        '            "initiatives": [\n                "Add a tour"\n            ],\n',
    )
    assert outcome(draft, "json") == draft.replace(
        '"Add a tour"\n', '"Add a tour",\n                "Launch the onboarding checklist"\n'
    ).replace(f'"text": "{TASK}"', f'"text": "{OUTCOME}"')


def test_json_with_bom_and_crlf_keeps_both(tmp_path: Path) -> None:
    path = tmp_path / "draft.json"
    path.write_bytes(b"\xef\xbb\xbf" + JSON_INDENTED.replace("\n", "\r\n").encode())
    path.write_bytes(outcome(path.read_bytes().decode("utf-8"), "json").encode("utf-8"))
    expected = "\ufeff" + outcome(JSON_INDENTED, "json").replace("\n", "\r\n")
    assert path.read_bytes() == expected.encode("utf-8")
    assert load(str(path)).objectives[0].initiatives == [TASK]


# -- Markdown -----------------------------------------------------------------------------------------------

MARKDOWN = """\
# Growth OKRs

## Objective 1: Make onboarding delightful

- Launch the onboarding checklist (owner: Sam)
- Cut time to first value from 3 days to 1 day

## Objective 2: Grow revenue

- Move 300 customers to annual plans
"""


def test_markdown_objective_gets_an_initiatives_list_after_its_key_results() -> None:
    assert outcome(MARKDOWN, "markdown") == MARKDOWN.replace(
        "1 day\n", "1 day\n\nInitiatives:\n- Launch the onboarding checklist\n"
    ).replace(f"- {TASK} (", f"- {OUTCOME} (")


def test_markdown_label_above_the_key_results_is_copied() -> None:
    draft = """\
## Make onboarding delightful

**Key results:**

* Launch the onboarding checklist
* Cut time to first value from 3 days to 1 day
### Risks
- Support load
"""
    assert (
        outcome(draft, "markdown")
        == """\
## Make onboarding delightful

**Key results:**

* Increase week-1 activation rate from 30% to 45%
* Cut time to first value from 3 days to 1 day

**Initiatives:**

* Launch the onboarding checklist

### Risks
- Support load
"""
    )


def test_markdown_existing_initiatives_list_gets_a_bullet_in_its_style() -> None:
    draft = """\
## Make onboarding delightful

1. Launch the onboarding checklist
2. Cut time to first value from 3 days to 1 day

### Initiatives

1. Rewrite the welcome email
2. Add a tour

## Grow revenue

- Move 300 customers to annual plans
"""
    assert outcome(draft, "markdown") == draft.replace(
        "2. Add a tour\n", f"2. Add a tour\n3. {TASK}\n"
    ).replace(f"1. {TASK}", f"1. {OUTCOME}")


def test_markdown_initiative_notes_get_a_note_and_keep_their_hard_breaks() -> None:
    draft = (
        "## Objective 1: Make onboarding delightful\n\n"
        "Owner: Dana  \n"  # a hard break: the notes' lines end in two spaces, the last one not
        "Initiative: Rewrite the welcome email\n\n"
        "**Key results:**\n\n"
        f"- {TASK}\n"
    )
    assert outcome(draft, "markdown") == draft.replace(
        "Initiative: Rewrite the welcome email\n",
        f"Initiative: Rewrite the welcome email  \nInitiative: {TASK}\n",
    ).replace(f"- {TASK}", f"- {OUTCOME}")


def test_markdown_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    path.write_bytes(b"\xef\xbb\xbf" + MARKDOWN.replace("\n", "\r\n").encode())
    path.write_bytes(outcome(path.read_bytes().decode("utf-8"), "markdown").encode("utf-8"))
    expected = "\ufeff" + outcome(MARKDOWN, "markdown").replace("\n", "\r\n")
    assert path.read_bytes() == expected.encode("utf-8")
    assert load(str(path)).objectives[0].initiatives == [TASK]


def test_markdown_table_is_refused() -> None:
    draft = """\
## Make onboarding delightful

| Key result | Owner |
|---|---|
| Launch the onboarding checklist | Sam |
"""
    with pytest.raises(NotSurgical, match="not a list item"):
        apply_outcome(draft, "markdown", "O1.KR1", OUTCOME)


# -- CSV ----------------------------------------------------------------------------------------------------

CSV = """\
objective,key result,owner,initiatives
Make onboarding delightful,Launch the onboarding checklist,Sam,
,Cut time to first value from 3 days to 1 day,Dana,"Add a tour; Rewrite the welcome email"
"""


def test_csv_initiatives_column_gets_the_task_in_the_key_results_row() -> None:
    assert outcome(CSV, "csv") == CSV.replace(f"{TASK},Sam,\n", f"{OUTCOME},Sam,{TASK}\n")


def test_csv_cell_with_initiatives_is_joined_like_them_and_kept_quoted() -> None:
    out = apply_outcome(CSV, "csv", "O1.KR2", OUTCOME)
    assert out == (
        "objective,key result,owner,initiatives\n"
        "Make onboarding delightful,Launch the onboarding checklist,Sam,\n"
        f',{OUTCOME},Dana,"Add a tour; Rewrite the welcome email; '
        'Cut time to first value from 3 days to 1 day"\n'
    )
    assert parse_text(out, "d.csv", "csv").key_results()[1].initiatives == [
        "Add a tour",
        "Rewrite the welcome email",
        "Cut time to first value from 3 days to 1 day",
    ]


def test_csv_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "draft.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CSV.replace("\n", "\r\n").encode())
    path.write_bytes(outcome(path.read_bytes().decode("utf-8"), "csv").encode("utf-8"))
    expected = "\ufeff" + outcome(CSV, "csv").replace("\n", "\r\n")
    assert path.read_bytes() == expected.encode("utf-8")
    assert load(str(path)).key_results()[0].initiatives == [TASK]


def test_csv_without_an_initiatives_column_is_refused() -> None:
    draft = "objective,key result\nMake onboarding delightful,Launch the onboarding checklist\n"
    with pytest.raises(NotSurgical, match="no initiatives column"):
        apply_outcome(draft, "csv", "O1.KR1", OUTCOME)


def test_csv_objective_initiative_is_refused() -> None:
    doc = parse_text(CSV, "d.csv", "csv")
    wanted = copy.deepcopy(doc)
    wanted.objectives[0].initiatives.append(TASK)
    with pytest.raises(NotSurgical, match="not an objective's"):
        apply_structure(CSV, "csv", wanted, "d.csv")


def test_csv_initiative_holding_a_separator_is_refused() -> None:
    with pytest.raises(NotSurgical, match="one cell"):
        apply_outcome(CSV, "csv", "O1.KR1", OUTCOME, initiative="Tour; email")


# -- the helper and apply_structure -------------------------------------------------------------------------


def test_an_initiative_already_there_is_not_added_twice() -> None:
    draft = YAML_BLOCK.replace(
        "    owner: Dana\n", "    owner: Dana\n    initiatives: [Launch the onboarding checklist]\n"
    )
    assert outcome(draft, "yaml") == draft.replace(f"- text: {TASK}", f"- text: {OUTCOME}")


def test_with_outcome_leaves_the_document_it_is_given() -> None:
    doc = parse_text(YAML_BLOCK, "d.yaml", "yaml")
    wanted = with_outcome(doc, "O1.KR1", OUTCOME)
    assert doc.objectives[0].key_results[0].text == TASK and doc.objectives[0].initiatives == []
    assert wanted.objectives[0].key_results[0].text == OUTCOME
    assert wanted.objectives[0].initiatives == [TASK]


def test_key_result_initiatives_are_appended_too() -> None:
    """apply_structure writes a key result's new initiative where the format has a place for it."""
    yaml_draft = "objectives:\n  - objective: O\n    key_results:\n      - text: K\n        owner: Sam\n"
    assert _kr_initiative(yaml_draft, "yaml") == yaml_draft + "        initiatives:\n          - Task\n"
    md_draft = "## O\n\n- K\n  - Owner: Sam\n- L\n"
    assert _kr_initiative(md_draft, "markdown") == "## O\n\n- K\n  - Owner: Sam\n  - Initiative: Task\n- L\n"


def _kr_initiative(text: str, fmt: str) -> str:
    doc = parse_text(text, "d", fmt)
    wanted = copy.deepcopy(doc)
    wanted.objectives[0].key_results[0].initiatives.append("Task")
    out = apply_structure(text, fmt, wanted, "d")
    assert parse_text(out, "d", fmt).objectives[0].key_results[0].initiatives == ["Task"]
    return out


def _edited(text: str, fmt: str, edit: Callable[[Document], object]) -> Document:
    wanted = copy.deepcopy(parse_text(text, "d", fmt))
    edit(wanted)
    return wanted


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda d: d.objectives[0].initiatives.pop(), "removed or reordered"),
        (lambda d: d.objectives[0].initiatives.reverse(), "removed or reordered"),
        (lambda d: d.objectives[0].initiatives.insert(0, "First"), "removed or reordered"),
        (lambda d: d.objectives[0].initiatives.append("   "), "blank"),
        (lambda d: setattr(d.objectives[0], "team", "Growth"), "its team changed"),
        (lambda d: d.objectives[0].parents.append("co-1"), "its parents changed"),
    ],
)
def test_changes_other_than_appending_are_refused(edit: Callable[[Document], object], reason: str) -> None:
    draft = YAML_BLOCK.replace(
        "    owner: Dana\n", "    owner: Dana\n    initiatives: [Add a tour, Rewrite email]\n"
    )
    with pytest.raises(NotSurgical, match=reason):
        apply_structure(draft, "yaml", _edited(draft, "yaml", edit), "d")


def test_unknown_key_result_and_new_element_with_initiatives_are_refused() -> None:
    with pytest.raises(NotSurgical, match=r"no key result 'O9\.KR1'"):
        apply_outcome(YAML_BLOCK, "yaml", "O9.KR1", OUTCOME)
    wanted = copy.deepcopy(parse_text(YAML_BLOCK, "d", "yaml"))
    new = Objective(id="O3", text="Cut churn", span=Span("d", 0, 0), initiatives=["Exit survey"])
    new.key_results.append(KeyResult(id="O3.KR1", text="Cut churn from 3% to 2%", span=Span("d", 0, 0)))
    wanted.objectives.append(new)
    with pytest.raises(NotSurgical, match="a new element with fields"):
        apply_structure(YAML_BLOCK, "yaml", wanted, "d")


def test_markdown_formatted_initiative_bullet_gets_a_plain_one_and_a_formatted_note_is_refused() -> None:
    draft = (
        f"## Make onboarding delightful\n\n- {TASK}\n\nInitiatives:\n- **Add** a [tour](https://x.example)\n"
    )
    assert outcome(draft, "markdown") == draft.replace(f"- {TASK}", f"- {OUTCOME}") + f"- {TASK}\n"
    note = f"## Make onboarding delightful\n\nInitiative: **Add** a tour\n\n- {TASK}\n"
    assert parse_text(note, "d", "markdown").objectives[0].initiatives == ["Add a tour"]
    with pytest.raises(NotSurgical, match="not found as a line"):
        apply_outcome(note, "markdown", "O1.KR1", OUTCOME)
