"""CSV/TSV drafts: header synonyms, delimiters, grouping rows into objectives, spans and diagnostics."""

from __future__ import annotations

import pytest

from coach.model import Document, InputError, Level, Span
from coach.parse import parse_text


def parse(text: str, name: str = "okrs.csv") -> Document:
    return parse_text(text, name, "csv")


def outline(doc: Document) -> list[tuple[str, list[str]]]:
    return [(o.text, [kr.text for kr in o.key_results]) for o in doc.objectives]


HEADERS = [
    ("Objective,Key Result", "plain"),
    ("objective_title,key_result_title", "underscores"),
    ("GOAL,KR", "capitals"),
    ("Objective Title;Key-Result Title", "dashes and semicolons"),
    ("Goal\tMeasure", "tabs"),
    ('"Objective name","Key result name"', "quoted"),
    ("O,Result", "short names"),
]


@pytest.mark.parametrize(("header", "_label"), HEADERS, ids=[label for _, label in HEADERS])
def test_header_synonyms_and_delimiters(header: str, _label: str) -> None:
    delimiter = "\t" if "\t" in header else (";" if ";" in header else ",")
    text = f"{header}\nMake paying effortless{delimiter}Raise checkout completion from 61% to 75%\n"
    assert outline(parse(text)) == [("Make paying effortless", ["Raise checkout completion from 61% to 75%"])]


FIELDS = "\n".join(
    [
        "Team,Goal Level,Objective,Key result,KR Owner,Start value,Target value,Current value,Units,"
        "Confidence level,Aligned to,KR ID,Objective ID,Projects,Quarter,Ignore,Objective owner,Why",
        'Payments,Team,Make paying effortless,Cut failed payments below 1.5%,Sam,2.8,1.5,"2,4",%,'
        "70%,co-2,pay-1.1,pay-1,Retry soft declines; Apple Pay,2026-Q3,KR004: baseline from the survey,"
        "Dana,Trials stall at checkout",
    ]
)


def test_every_field_from_its_column() -> None:
    doc = parse(FIELDS)
    objective = doc.objectives[0]
    kr = objective.key_results[0]
    assert (objective.id, objective.owner, objective.team, objective.level, objective.parents) == (
        "pay-1",
        "Dana",
        "Payments",
        Level.TEAM,
        ["co-2"],
    )
    assert objective.description == "Trials stall at checkout"
    assert (
        kr.id,
        kr.owner,
        kr.team,
        kr.level,
        kr.baseline,
        kr.target,
        kr.current,
        kr.unit,
        kr.confidence,
    ) == ("pay-1.1", "Sam", "Payments", Level.TEAM, 2.8, 1.5, "2,4", "%", 0.7)
    assert kr.initiatives == ["Retry soft declines", "Apple Pay"]
    assert [(s.code, s.reason) for s in kr.suppressions] == [("KR004", "baseline from the survey")]
    assert (doc.team, doc.period, doc.level) == ("Payments", "2026-Q3", Level.TEAM)
    assert doc.diagnostics == []


def test_grouping_blank_cells_and_objective_only_rows() -> None:
    doc = parse(
        "team,objective,key result,owner\n"
        "Payments,Make paying effortless,Raise checkout completion from 61% to 75%,Dana\n"
        ",,Cut failed card payments below 1.5%,Sam\n"
        "Payments,Grow revenue 20%,,Lee\n"
        "Payments,Make paying effortless,Publish 4 help-centre articles,Priya\n"
        "Risk,Make paying effortless,Keep fraud below 0.1%,Ola\n"
        ",,,\n"
    )
    assert outline(doc) == [
        (
            "Make paying effortless",
            [
                "Raise checkout completion from 61% to 75%",
                "Cut failed card payments below 1.5%",
                "Publish 4 help-centre articles",
            ],
        ),
        ("Grow revenue 20%", []),
        ("Make paying effortless", ["Keep fraud below 0.1%"]),
    ]
    payments, growth, risk = doc.objectives
    assert [kr.team for kr in payments.key_results] == ["Payments"] * 3
    assert (growth.owner, risk.team, doc.team) == ("Lee", "Risk", None)
    assert [o.id for o in doc.objectives] == ["O1", "O2", "O3"]
    assert [kr.id for kr in payments.key_results] == ["O1.KR1", "O1.KR2", "O1.KR3"]


def test_spans_follow_physical_lines_and_cells() -> None:
    doc = parse(
        "objective,key result,owner\n"
        '"Make paying, at last, effortless","Cut failed card payments\n'
        'below 1.5%",Sam\n'
        ",  Raise checkout completion,Dana\n"
    )
    objective = doc.objectives[0]
    first, second = objective.key_results
    assert objective.span == Span("okrs.csv", 2, 2)
    assert first.text == "Cut failed card payments below 1.5%"
    assert first.span == Span("okrs.csv", 2, 37)
    assert second.span == Span("okrs.csv", 4, 4)


def test_title_rows_above_the_header_and_unknown_columns() -> None:
    doc = parse(
        "Payments OKRs — exported 2026-06-01,,,\n"
        "\n"
        "Objective,Key Result,Notes,Mood\n"
        "Make paying effortless,Raise checkout completion,see dashboard,on track\n"
    )
    assert outline(doc) == [("Make paying effortless", ["Raise checkout completion"])]
    # "Notes" is an export column OKR tools add (kept, not warned about); "Mood" is unknown
    assert [(d.code, d.message, d.span.line, d.span.col) for d in doc.diagnostics] == [
        ("DOC001", "unknown column 'Mood' (ignored)", 3, 28),
    ]
    assert doc.key_results()[0].extra == {"Notes": "see dashboard", "Mood": "on track"}


def test_repeated_columns_and_numbered_kr_columns() -> None:
    doc = parse("Objective,Goal,KR1,KR2,KR 3\nMake paying effortless,ignored,Raise A,Cut B,\n")
    assert outline(doc) == [("Make paying effortless", ["Raise A", "Cut B"])]
    (repeated,) = doc.diagnostics
    assert repeated.message == "column 'Goal' repeats the objective column (ignored)"


def test_tsv_files_use_tabs_even_with_commas() -> None:
    doc = parse("Objective\tKey result\nGrow, carefully\tRaise A, then B\n", "okrs.tsv")
    assert outline(doc) == [("Grow, carefully", ["Raise A, then B"])]


def test_ragged_rows_are_read_with_what_is_there() -> None:
    doc = parse("objective,key result,owner,target\nMake X,Raise A\nMake X,Raise B,Sam,5,extra,cells\n")
    assert [(kr.text, kr.owner, kr.target) for kr in doc.key_results()] == [
        ("Raise A", None, None),
        ("Raise B", "Sam", 5.0),
    ]


def test_row_types_unknown_levels_and_confidence_problems() -> None:
    doc = parse(
        "objective,key result,type,confidence\nMake X,Raise A,Key Result,high\nMake X,Raise B,tribe-ish,\n"
    )
    assert [(d.code, d.span.line) for d in doc.diagnostics] == [("KR016", 2), ("DOC005", 3)]


ERRORS = [
    ("a,b,c\n1,2,3\n", 1, "missing an objective column and a key result column; found columns: a, b, c"),
    ("Objective,Owner\nMake X,Sam\n", 1, "missing a key result column; found columns: Objective, Owner"),
    ("KR,Owner\nRaise A,Sam\n", 1, "missing an objective column; found columns: KR, Owner"),
    ("objective,kr\n", None, "no objectives found"),
    ("objective,kr\n,Raise A\n", 2, "key result has no objective"),
    (
        "objective,kr,target\nMake X,,5\n",
        2,
        "key result has no text (the key result cell is empty but 'target'",
    ),
    ('objective,kr\n"Make X,Raise A\n', 2, "invalid CSV"),
    ('objective,kr\n"Make" X,Raise A\n', 2, "invalid CSV"),
    ("objective id,objective,kr\np1,,Raise A\n", 2, "objective has no text"),
]


@pytest.mark.parametrize(("text", "line", "message"), ERRORS)
def test_errors_name_the_line(text: str, line: int | None, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse(text)
    assert message in caught.value.message
    assert caught.value.line == line
    assert str(caught.value).startswith("okrs.csv")


# Where each element's text starts, as (line, column): each objective's, then its key results'.
SPANS = [
    (
        "a cell after a multi-line quoted cell",
        'team,objective,key result,owner\nPayments,"Make paying\n effortless",Raise checkout to 75%,Dana\n',
        [(2, 11), (3, 14)],
    ),
    (
        "rows after a multi-line record",
        'objective,key result\n"Make paying\neffortless","Cut failed\npayments"\n,Raise checkout to 75%\n',
        [(2, 2), (3, 14), (5, 2)],
    ),
    (
        "cells after quoted cells with delimiters and quotes",
        'objective,key result,owner\n"Make, paying","Cut, ""failed"" payments",Sam\n',
        [(2, 2), (2, 17)],
    ),
    (
        "a quote after a space is text, not a quoted cell",
        'objective,key result\nGrow, "Sign partners"\n',
        [(2, 1), (2, 7)],
    ),
    (
        "a quoted cell starting with a line break and spaces",
        'objective,key result\n"\n  Grow revenue",  Sign partners\n',
        [(3, 3), (3, 19)],
    ),
    (
        "numbered key result columns after a multi-line cell (TSV)",
        'objective\tkey result\tKR1\tKR2\nGrow\t\t"Raise\ncheckout"\t  Cut failed payments\n',
        [(2, 1), (2, 8), (3, 13)],
    ),
    (
        "semicolons and a multi-line header",
        'objective;"key\nresult"\nGrow;"  Raise\ncheckout"\n',
        [(3, 1), (3, 9)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [s[1:] for s in SPANS], ids=[s[0] for s in SPANS])
def test_span_is_where_the_text_starts(text: str, expected: list[tuple[int, int]]) -> None:
    doc = parse(text, "okrs.tsv" if "\t" in text else "okrs.csv")
    elements = [element for o in doc.objectives for element in (o, *o.key_results)]
    assert [(element.span.line, element.span.col) for element in elements] == expected
    lines = text.split("\n")
    for element in elements:  # the file holds the element's first word right there
        first_word = element.text.split()[0]
        assert lines[element.span.line - 1][element.span.col - 1 :].startswith(first_word)


def test_diagnostics_after_a_multi_line_header_cell_point_at_their_cell() -> None:
    doc = parse('objective;"key\nresult";vibes;"odd\ncolumn"\nGrow;Raise A;n;o\n')
    assert [(d.message, d.span.line, d.span.col) for d in doc.diagnostics] == [
        ("unknown column 'vibes' (ignored)", 2, 9),
        ("unknown column 'odd column' (ignored)", 2, 16),
    ]


POSITIONED_ERRORS = [
    ('objective,key result,target\n"Grow\nmore",,5\n', 3, 7, "key result has no text"),
    ('objective,key result,target\nGrow,"\n  ",5\n', 2, 7, "key result has no text"),
    ('objective,key result\n"Make, X","Raise\nA"\n,"Cut B"\n"x\ny",\n,\n', None, None, ""),
    ('objective id,"a\nb",objective,kr\np1,"c\nd",,Raise A\n', 4, 4, "objective has no text"),
]


@pytest.mark.parametrize(("text", "line", "col", "message"), POSITIONED_ERRORS)
def test_errors_after_multi_line_cells_name_line_and_column(
    text: str, line: int | None, col: int | None, message: str
) -> None:
    if not message:  # a control: the same shapes, read without error
        assert parse(text).objectives
        return
    with pytest.raises(InputError) as caught:
        parse(text)
    assert message in caught.value.message
    assert (caught.value.line, caught.value.col) == (line, col)


def test_a_wide_record_of_multi_line_cells_is_read_in_linear_time() -> None:
    # Counting line breaks from the record's start for every cell would be quadratic: minutes, not a second.
    width = 50_000
    header = "objective,key result," + ",".join(f"note {n}" for n in range(width))
    doc = parse(header + '\nGrow,"Raise\nA",' + ",".join(['"a\nb"'] * width) + "\n")
    assert doc.key_results()[0].span == Span("okrs.csv", 2, 7)
    assert doc.diagnostics[-1].span.col == len(header) - len(f"note {width - 1}") + 1
