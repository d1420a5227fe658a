"""The input-format registry: every format's parts resolve and agree with one another."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach import formats
from coach.parse import parse_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


# A workbook is read, never written (its reading and its refusals: tests/test_xlsx.py).
@pytest.mark.parametrize("fmt", [f for f in formats.FORMATS if not f.binary], ids=lambda f: f.name)
def test_each_format_reads_dumps_and_reads_back_its_example(fmt: formats.Format) -> None:
    example = next(p for p in EXAMPLES.glob("team-draft.*") if formats.of_path(p.name) is fmt)
    doc = fmt.read()(example.read_text(encoding="utf-8"), str(example))
    assert doc.format == fmt.name and doc.objectives
    text = fmt.dump()(doc, None)
    back = parse_text(text, "back", fmt.name)
    assert [o.text for o in back.objectives] == [o.text for o in doc.objectives]
    assert callable(fmt.locate())


@pytest.mark.parametrize("fmt", formats.FORMATS, ids=lambda f: f.name)
def test_names_aliases_and_suffixes_lead_to_their_format(fmt: formats.Format) -> None:
    for name in (fmt.name, *fmt.aliases, fmt.name.upper()):
        assert formats.named(name) is fmt
    for suffix in fmt.suffixes:
        assert formats.of_path(f"team/draft{suffix.upper()}") is fmt
    assert set(fmt.suffixes) <= formats.SUFFIXES


def test_no_name_or_suffix_is_claimed_twice() -> None:
    names = [n for f in formats.FORMATS for n in (f.name, *f.aliases)]
    suffixes = [s for f in formats.FORMATS for s in f.suffixes]
    assert len(names) == len(set(names)) and len(suffixes) == len(set(suffixes))
    assert formats.named("docx") is None and formats.of_path("notes.txt") is None
    assert formats.choices_text() == "yaml|markdown|csv|json|xlsx"
