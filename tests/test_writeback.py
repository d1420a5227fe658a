"""Writing rewrites back into drafts: only the edited texts change, in every format, and nothing half-done."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import pytest

from coach.model import Document, InputError, KeyResult, Objective, Span
from coach.parse import parse_text
from coach.write.edits import Edit, apply_edits, write_edits

YAML_DRAFT = """\
# Payments squad, 2026-Q3 draft: comments stay where they are
team:   Payments        # odd spacing on purpose
period: 2026-Q3

objectives:

  - id: pay-1
    objective: Make paying us effortless for small businesses   # the why is below
    why: Checkout friction is the top reason trials do not convert
    key_results:
      - Raise checkout completion from 61% to 75%
      - text: 'Cut failed card payments below 1.5%'
        owner: Sam Lee
      - text: >   # folded: the line breaks read as spaces
          Publish 4 help-centre articles
          about card payments

        owner: Priya
  - id: pay-2
    objective: "Grow revenue 20%"
    key_results: [Sign 12 new partners, "Lift renewals to 90%"]
"""

YAML_MIXED = """\
# Payments squad, 2026-Q3 draft: comments stay where they are
team:   Payments        # odd spacing on purpose
period: 2026-Q3

objectives:

  - id: pay-1
    objective: Make paying effortless for every small business   # the why is below
    why: Checkout friction is the top reason trials do not convert
    key_results:
      - "Cut refunds: from 6 days to 2"
      - text: 'Keep card failures under 1.5% of attempts'
        owner: Sam Lee
      - text: "*All* help-centre articles reviewed by support"   # folded: the line breaks read as spaces

        owner: Priya
  - id: pay-2
    objective: "Grow revenue 20%"
    key_results: [Sign 12 new partners, "Lift renewals to 90%"]
"""

YAML_FLOW = """\
# Payments squad, 2026-Q3 draft: comments stay where they are
team:   Payments        # odd spacing on purpose
period: 2026-Q3

objectives:

  - id: pay-1
    objective: Make paying us effortless for small businesses   # the why is below
    why: Checkout friction is the top reason trials do not convert
    key_results:
      - "yes"
      - text: 'Cut failed card payments below 1.5%'
        owner: Sam Lee
      - text: >   # folded: the line breaks read as spaces
          Publish 4 help-centre articles
          about card payments

        owner: Priya
  - id: pay-2
    objective: "Grow revenue 25% with \\"annual\\" plans"
    key_results: ["Sign 12 partners, 3 in EMEA", "It's a 'renewal' push # not a comment"]
"""

YAML_KEYED = """\
objectives:
  Make paying effortless:   # keyed by its text
    - Raise checkout
      completion to 75%
    - &cut "Cut failed payments below 1.5%"
"""

YAML_KEYED_EDITED = """\
objectives:
  "Make paying effortless: phase 2":   # keyed by its text
    - Raise checkout completion to 80%
    - &cut "Cut failed payments below 1%"
"""

MARKDOWN_DRAFT = """\
---
team: Payments
period: 2026-Q3
---
<!-- okrcoach: ignore OBJ002 -- five objectives on purpose this quarter -->

# Payments team OKRs — Q3 2026

**Objective 1: Make paying us effortless**

Checkout friction is the top reason trials do not convert.

- KR1: Raise checkout completion from 61% to 75% (owner: Dana)
- KR2: Cut failed card payments below **1.5%** — owner: Sam Lee, confidence: 60%
- [ ] Publish 4 [help-centre](https://help.example.com) articles <!-- okrcoach: ignore KR001 -- outcome -->

## Objective 2: Grow revenue   ##

1. Sign 12 new partners
2.  Lift renewals to 90%
"""

MARKDOWN_EDITED = """\
---
team: Payments
period: 2026-Q3
---
<!-- okrcoach: ignore OBJ002 -- five objectives on purpose this quarter -->

# Payments team OKRs — Q3 2026

**Objective 1: Make paying effortless for every small business**

Checkout friction is the top reason trials do not convert.

- KR1: Raise checkout completion from 61% to 80% (owner: Dana)
- KR2: Cut failed card payments below 1% — owner: Sam Lee, confidence: 60%
- [ ] Publish 6 help-centre articles in Spanish <!-- okrcoach: ignore KR001 -- outcome -->

## Objective 2: Grow revenue   ##

1. Sign 12 new partners
2.  Lift renewals to 92% of annual plans
"""

MARKDOWN_TABLE = """\
# Platform OKRs

| Team | Objective   | Key result                          | Owner |
|------|-------------|-------------------------------------|-------|
| Web  | Ship faster | Cut lead time from 9 days to 2 days | Jo    |
| Web  | Ship faster | Deploy 10x a day \\| weekdays        | Al    |
| Web  |             | Halve incidents                     | Al    |
| Web  | ship faster | Automate 90% of rollbacks           | Kim   |
| App  | Ship faster | Release weekly                      | Lu    |
"""

MARKDOWN_TABLE_EDITED = """\
# Platform OKRs

| Team | Objective   | Key result                          | Owner |
|------|-------------|-------------------------------------|-------|
| Web  | Ship safely and often | Cut lead time from 9 days to 2 days | Jo    |
| Web  | Ship safely and often | Deploy 20x a day \\| all week        | Al    |
| Web  |             | Halve incidents                     | Al    |
| Web  | Ship safely and often | Automate 95% of rollbacks           | Kim   |
| App  | Ship faster | Release weekly                      | Lu    |
"""

CSV_DRAFT = (
    "Quarterly OKR export,,,,\r\n"
    "Team,Objective,Key result,Owner,Why\r\n"
    "Payments,Make paying us effortless,Raise checkout completion from 61% to 75%,Dana,"
    '"Checkout friction is the top\r\nreason trials do not convert"\r\n'
    'Payments,Make paying us effortless,"Cut failed card payments below 1.5%",Sam,\r\n'
    "\r\n"
    "Payments, Make paying us effortless ,Publish 4 help-centre articles,Priya,\r\n"
    'Payments,Grow revenue,"Sign 12 new partners, 3 in EMEA",Marco,"a ""quoted"" note"\r\n'
)

CSV_EDITED = (
    "Quarterly OKR export,,,,\r\n"
    "Team,Objective,Key result,Owner,Why\r\n"
    'Payments,"Make paying effortless, even on a phone",Raise checkout completion from 61% to 75%,Dana,'
    '"Checkout friction is the top\r\nreason trials do not convert"\r\n'
    'Payments,"Make paying effortless, even on a phone","Cut failed card payments below 1%",Sam,\r\n'
    "\r\n"
    'Payments,"Make paying effortless, even on a phone",Publish 4 help-centre articles,Priya,\r\n'
    'Payments,Grow revenue,"Sign 15 partners with a ""premium"" tier",Marco,"a ""quoted"" note"\r\n'
)

TSV_DRAFT = 'Objective\tKey result\tOwner\n"Grow revenue\nin EMEA"\tSign 12 new partners\tMarco\n'
TSV_EDITED = 'Objective\tKey result\tOwner\n"Grow EMEA revenue 20%"\tSign 15 new partners\tMarco\n'

JSON_DRAFT = """\
{
  "team": "Zahlungen",
  "objectives": [
    {
      "id": "zah-1",
      "objective": "Bezahlen für kleine Betriebe mühelos machen",
      "key_results": [
        "Checkout-Abschluss von 61 % auf 75 % steigern",
        {"text": "Fehlgeschlagene Kartenzahlungen unter 1,5 % senken", "owner": "Sam"},
        {"text": "4 Hilfeartikel veröffentlichen"}
      ]
    }
  ]
}
"""

JSON_EDITED = """\
{
  "team": "Zahlungen",
  "objectives": [
    {
      "id": "zah-1",
      "objective": "Bezahlen in ganz Europa „mühelos“ machen",
      "key_results": [
        "Checkout-Abschluss von 61 % auf 80 % steigern",
        {"text": "Fehlgeschlagene \\"Kartenzahlungen\\" unter 1 % senken", "owner": "Sam"},
        {"text": "4 Hilfeartikel veröffentlichen"}
      ]
    }
  ]
}
"""


@dataclass(frozen=True)
class Case:
    id: str
    fmt: str
    name: str
    draft: str
    changes: dict[str, str]  # element id -> new text
    expected: str
    changed_lines: frozenset[int]  # the draft's lines the edits may touch (1-based)


CASES = [
    Case(
        "yaml-plain-quoted-folded",
        "yaml",
        "okrs.yaml",
        YAML_DRAFT,
        {
            "pay-1": "Make paying effortless for every small business",
            "pay-1.KR1": "Cut refunds: from 6 days to 2",
            "pay-1.KR2": "Keep card failures under 1.5% of attempts",
            "pay-1.KR3": "*All* help-centre articles reviewed by support",
        },
        YAML_MIXED,
        frozenset({8, 11, 12, 14, 15, 16}),
    ),
    Case(
        "yaml-flow-and-scalars-yaml-would-retype",
        "yaml",
        "okrs.yaml",
        YAML_DRAFT,
        {
            "pay-2": 'Grow revenue 25% with "annual" plans',
            "pay-1.KR1": "yes",
            "pay-2.KR1": "Sign 12 partners, 3 in EMEA",
            "pay-2.KR2": "It's a 'renewal' push # not a comment",
        },
        YAML_FLOW,
        frozenset({11, 20, 21}),
    ),
    Case(
        "yaml-keyed-objective-multiline-plain-anchor",
        "yaml",
        "okrs.yaml",
        YAML_KEYED,
        {
            "O1": "Make paying effortless: phase 2",
            "O1.KR1": "Raise checkout completion to 80%",
            "O1.KR2": "Cut failed payments below 1%",
        },
        YAML_KEYED_EDITED,
        frozenset({2, 3, 4, 5}),
    ),
    Case(
        "markdown-bullets-and-headings",
        "markdown",
        "okrs.md",
        MARKDOWN_DRAFT,
        {
            "O1": "Make paying effortless for every small business",
            "O1.KR1": "Raise checkout completion from 61% to 80%",
            "O1.KR2": "Cut failed card payments below 1%",
            "O1.KR3": "Publish 6 help-centre articles in Spanish",
            "O2.KR2": "Lift renewals to 92% of annual plans",
        },
        MARKDOWN_EDITED,
        frozenset({9, 13, 14, 15, 20}),
    ),
    Case(
        "markdown-table-objective-on-several-rows",
        "markdown",
        "okrs.md",
        MARKDOWN_TABLE,
        {
            "O1": "Ship safely and often",
            "O1.KR2": "Deploy 20x a day | all week",
            "O1.KR4": "Automate 95% of rollbacks",
        },
        MARKDOWN_TABLE_EDITED,
        frozenset({5, 6, 8}),
    ),
    Case(
        "csv-crlf-repeated-objective-multiline-cell",
        "csv",
        "okrs.csv",
        CSV_DRAFT,
        {
            "O1": "Make paying effortless, even on a phone",
            "O1.KR2": "Cut failed card payments below 1%",
            "O2.KR1": 'Sign 15 partners with a "premium" tier',
        },
        CSV_EDITED,
        frozenset({3, 5, 7, 8}),
    ),
    Case(
        "tsv-multiline-objective-cell",
        "csv",
        "okrs.tsv",
        TSV_DRAFT,
        {"O1": "Grow EMEA revenue 20%", "O1.KR1": "Sign 15 new partners"},
        TSV_EDITED,
        frozenset({2, 3}),
    ),
    Case(
        "json-nested-non-ascii",
        "json",
        "okrs.json",
        JSON_DRAFT,
        {
            "zah-1": "Bezahlen in ganz Europa „mühelos“ machen",
            "zah-1.KR1": "Checkout-Abschluss von 61 % auf 80 % steigern",
            "zah-1.KR2": 'Fehlgeschlagene "Kartenzahlungen" unter 1 % senken',
        },
        JSON_EDITED,
        frozenset({6, 8, 9}),
    ),
]


def parse(case: Case, text: str) -> Document:
    return parse_text(text, case.name, case.fmt)


def elements(doc: Document) -> dict[str, Objective | KeyResult]:
    found: dict[str, Objective | KeyResult] = {}
    for objective in doc.objectives:
        found[objective.id] = objective
        found.update((kr.id, kr) for kr in objective.key_results)
    return found


def texts(doc: Document) -> dict[str, str]:
    return {key: element.text for key, element in elements(doc).items()}


def edits_for(doc: Document, changes: dict[str, str]) -> list[Edit]:
    found = elements(doc)
    return [Edit(key, found[key].span, found[key].text, new) for key, new in changes.items()]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_rewrites_only_the_edited_texts(case: Case) -> None:
    before = parse(case, case.draft)
    result = apply_edits(case.draft, case.fmt, edits_for(before, case.changes), case.name)
    assert result == case.expected
    after = parse(case, result)
    assert texts(after) == {**texts(before), **case.changes}
    assert [len(o.key_results) for o in after.objectives] == [len(o.key_results) for o in before.objectives]
    old_lines, new_lines = case.draft.splitlines(True), result.splitlines(True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    touched = {n + 1 for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal" for n in range(i1, i2)}
    assert touched <= case.changed_lines


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_edits_given_in_any_order_give_the_same_file(case: Case) -> None:
    edits = edits_for(parse(case, case.draft), case.changes)
    assert apply_edits(case.draft, case.fmt, edits[::-1], case.name) == case.expected


LF_CASES = [case for case in CASES if "\r" not in case.draft]


@pytest.mark.parametrize("case", LF_CASES, ids=[case.id for case in LF_CASES])
def test_crlf_files_stay_crlf(case: Case) -> None:
    draft = case.draft.replace("\n", "\r\n")
    result = apply_edits(draft, case.fmt, edits_for(parse(case, draft), case.changes), case.name)
    assert result == case.expected.replace("\n", "\r\n")


def test_yaml_alias_of_an_edited_text_is_refused() -> None:
    draft = (
        "objectives:\n"
        "  - objective: Grow revenue\n    krs: [&kr Sign 12 partners]\n"
        "  - objective: Expand to LATAM\n    krs: [*kr]\n"
    )
    doc = parse_text(draft, "okrs.yaml", "yaml")
    with pytest.raises(InputError, match=r"would also change O2\.KR1"):
        apply_edits(draft, "yaml", edits_for(doc, {"O1.KR1": "Sign 15 partners"}))


def test_byte_order_mark_and_unedited_files_are_kept() -> None:
    draft = "\ufeffobjectives:\n  - objective: Grow revenue\n    krs: [Sign 12 partners]\n"
    doc = parse_text(draft, "okrs.yaml", "yaml")
    result = apply_edits(draft, "yaml", edits_for(doc, {"O1": "Grow revenue 20%"}))
    assert result == "\ufeffobjectives:\n  - objective: Grow revenue 20%\n    krs: [Sign 12 partners]\n"
    assert apply_edits(draft, "yaml", []) == draft


def test_new_text_is_one_line() -> None:
    case = CASES[0]
    edits = edits_for(parse(case, case.draft), {"pay-1.KR1": "Raise checkout\ncompletion  to 80%\r\n"})
    result = apply_edits(case.draft, "yaml", edits, case.name)
    assert "      - Raise checkout completion to 80%\n" in result


def test_markdown_table_span_after_wide_padding_still_found() -> None:
    # The parser collapses runs of 17+ spaces before computing columns, so this KR's span column is short.
    draft = (
        "| Objective                        | Key result              |\n"
        "|----------------------------------|-------------------------|\n"
        "| Ship faster                      | Cut lead time to 2 days |\n"
    )
    doc = parse_text(draft, "okrs.md", "markdown")
    result = apply_edits(draft, "markdown", edits_for(doc, {"O1.KR1": "Cut lead time to 1 day"}))
    assert result.splitlines()[2] == "| Ship faster                      | Cut lead time to 1 day |"


STALE = [
    ("yaml", "okrs.yaml", YAML_DRAFT, "pay-1.KR1", "Raise checkout completion from 61% to 75%"),
    ("markdown", "okrs.md", MARKDOWN_DRAFT, "O1.KR1", "Raise checkout completion from 61% to 75%"),
    ("csv", "okrs.csv", CSV_DRAFT, "O1.KR2", "Cut failed card payments below 1.5%"),
    ("json", "okrs.json", JSON_DRAFT, "zah-1.KR1", "Checkout-Abschluss von 61 % auf 75 % steigern"),
]


@pytest.mark.parametrize(("fmt", "name", "draft", "target", "old"), STALE, ids=[s[0] for s in STALE])
def test_stale_edit_is_refused_and_the_file_is_untouched(
    tmp_path: Path, fmt: str, name: str, draft: str, target: str, old: str
) -> None:
    edit = edits_for(parse_text(draft, name, fmt), {target: "Lift NPS from 30 to 45"})[0]
    changed = draft.replace(old, "Reach 99.9% checkout uptime")  # someone edited the file since
    path = tmp_path / name
    path.write_bytes(changed.encode("utf-8"))
    with pytest.raises(InputError, match="no longer at line") as caught:
        write_edits(str(path), fmt, [edit])
    assert caught.value.line == edit.span.line
    assert path.read_bytes() == changed.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    moved = Edit(target, Span(name, edit.span.line + 1, edit.span.col), edit.old, edit.new)
    with pytest.raises(InputError):
        apply_edits(draft, fmt, [moved], name)
    with pytest.raises(InputError):
        apply_edits(draft, fmt, [Edit(target, edit.span, "Grow revenue 20%", edit.new)], name)


def test_write_edits_keeps_a_backup_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    case = next(case for case in CASES if case.name == "okrs.csv")
    path = tmp_path / case.name
    path.write_bytes(case.draft.encode("utf-8"))
    edits = edits_for(parse(case, case.draft), case.changes)
    backup = write_edits(str(path), "csv", edits)
    assert backup == tmp_path / "okrs.csv.bak"
    assert backup.read_bytes() == case.draft.encode("utf-8")
    assert path.read_bytes() == case.expected.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["okrs.csv", "okrs.csv.bak"]


REFUSED = [
    ("markdown", "okrs.md", MARKDOWN_DRAFT, {"O1.KR3": "Publish 6 articles (owner: Bob)"}, "read back as"),
    ("markdown", "okrs.md", MARKDOWN_DRAFT, {"O2.KR2": "Lift *all* renewals"}, "read back as 'Lift all"),
    ("yaml", "okrs.yaml", YAML_DRAFT, {"pay-1.KR1": " \n "}, "new text is empty"),
]


@pytest.mark.parametrize(
    ("fmt", "name", "draft", "changes", "message"), REFUSED, ids=["inline-field", "emphasis", "empty"]
)
def test_rewrite_that_would_not_read_back_is_refused(
    tmp_path: Path, fmt: str, name: str, draft: str, changes: dict[str, str], message: str
) -> None:
    path = tmp_path / name
    path.write_text(draft, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        write_edits(str(path), fmt, edits_for(parse_text(draft, name, fmt), changes))
    assert path.read_text(encoding="utf-8") == draft
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_the_same_element_edited_twice_is_refused() -> None:
    case = CASES[0]
    edits = edits_for(parse(case, case.draft), {"pay-1": "Grow revenue"}) * 2
    with pytest.raises(InputError, match="edited twice"):
        apply_edits(case.draft, "yaml", edits, case.name)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        write_edits(str(tmp_path / "gone.yaml"), "yaml", [])
