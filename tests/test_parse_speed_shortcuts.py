"""The parsers' shortcuts for speed give what the long way gives: lazily worked-out CSV places, values read
once per table, the trailing-field gate of Markdown, and the YAML composer's resolved-value cache."""

from __future__ import annotations

import pytest

from coach.model import InputError, Level
from coach.parse import parse_text
from coach.parse.csv import _PlainPlaces, cell_starts
from coach.parse.markdown_text import _FIELD_WORD, _TRAILING_FIELD


@pytest.mark.parametrize(
    "record", ["a,b,c", " a, \tb ,  ", "", ",,", "\u00a0é,\u2003z", "a;b\tc", "x;;  y;z"]
)
def test_plain_places_are_cell_starts(record: str) -> None:
    for delimiter in (",", ";", "\t"):
        cells = record.split(delimiter)
        places = _PlainPlaces(cells, 7, len(delimiter))
        assert len(places) == len(cells)
        assert [places[position] for position in range(len(cells))] == cell_starts(record, 7, delimiter)


def test_repeated_cells_give_each_row_its_own_diagnostic_and_place() -> None:
    text = (
        "objective,key result,confidence,level,target\n"
        "Grow,Raise a to 5,150,squad,5\n"
        "Grow,Raise b to 6,150,squad,5\n"
        "Grow,Raise c to 7, 150 ,nonsense,5\n"
        "Grow,Raise d to 8,,nonsense,5\n"
    )
    doc = parse_text(text, "okrs.csv", "csv")
    found = [(d.code, d.target, d.span.line, d.span.col) for d in doc.diagnostics]
    assert found == [  # a row's unknown level names no element (as before these shortcuts)
        ("KR016", "O1.KR1", 2, 19),
        ("KR016", "O1.KR2", 3, 19),
        ("DOC005", None, 4, 25),
        ("KR016", "O1.KR3", 4, 20),
        ("DOC005", None, 5, 20),
    ]
    got = [(kr.target, kr.level) for kr in doc.objectives[0].key_results]
    assert got == [(5.0, Level.TEAM), (5.0, Level.TEAM), (5.0, None), (5.0, None)]


def test_a_bad_number_seen_after_good_ones_is_still_refused_where_it_is() -> None:
    text = "objective,key result,target,baseline\nGrow,Raise a,5,1\nGrow,Raise b,5,1\nGrow,Raise c,1e999,1\n"
    with pytest.raises(InputError, match="too large") as caught:
        parse_text(text, "okrs.csv", "csv")
    assert (caught.value.line, caught.value.col) == (4, 14)


@pytest.mark.parametrize(
    "text",
    [
        "Raise x — owner: Sam",
        "Raise x | OWNER: Sam",
        "Raise x, confidence: 70%",
        "Raise x conf: 8/10",
        "Raise x dri @sam",
        "Raise x - Assignee: Bo",
        "Raise x — ownerſ: Sam",  # a long s, which IGNORECASE reads as 's'
        "Raise x — oWnEr: Sam",
        "Raise x — \u212aowner: Sam",  # a Kelvin sign before the word
        "Raise x to 5",
    ],
)
def test_the_field_word_gate_passes_every_trailing_field(text: str) -> None:
    if _TRAILING_FIELD.search(text) is not None:
        assert _FIELD_WORD.search(text) is not None


def test_yaml_values_repeated_under_different_tags_keep_their_own_reading() -> None:
    text = (
        "objectives:\n"
        "  - objective: Grow\n"
        "    key_results:\n"
        "      - {text: a, target: 5, baseline: '5', current: !!str 5}\n"
        "      - {text: b, target: 5, baseline: '5', current: !!str 5}\n"
        "      - {text: c, target: yes, baseline: <<}\n"
    )
    doc = parse_text(text, "okrs.yaml", "yaml")
    got = [(kr.target, kr.baseline, kr.current) for kr in doc.objectives[0].key_results]
    assert got == [(5.0, 5.0, 5.0), (5.0, 5.0, 5.0), ("yes", "<<", None)]
