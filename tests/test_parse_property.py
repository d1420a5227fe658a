"""Whatever we are handed, the parsers answer with a Document or an InputError, and nothing else."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.model import Document, InputError
from coach.parse import FORMATS, parse_bytes, parse_text

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCHEMA_WORDS = [
    "objectives",
    "okrs",
    "objective",
    "title",
    "text",
    "name",
    "key_results",
    "krs",
    "kr",
    "owner",
    "team",
    "level",
    "period",
    "parent",
    "parents",
    "id",
    "why",
    "initiatives",
    "ignore",
    "baseline",
    "target",
    "current",
    "unit",
    "confidence",
    "code",
    "reason",
    "<<",
]
COLUMN_WORDS = [
    "Objective",
    "Key Result",
    "KR",
    "Team",
    "Owner",
    "Target",
    "Baseline",
    "Current",
    "Confidence",
    "Level",
    "Type",
    "Parent",
    "Objective ID",
    "KR ID",
    "Initiatives",
    "Ignore",
    "Period",
    "KR1",
    "Notes",
    "",
]
MARKDOWN_PIECES = [
    "# ",
    "## ",
    "### Objective 1: ",
    "#### ",
    "- ",
    "  - ",
    "    - ",
    "* ",
    "1. ",
    "2) ",
    "- [ ] ",
    "- [x] ",
    "**",
    "__",
    "*",
    "_",
    "KR1: ",
    "KR 1.2 - ",
    "Key results:",
    "Objective: ",
    "O2 - ",
    "Initiatives:",
    "Initiative: ",
    "Owner: ",
    "(owner: @dana)",
    "[owner: Sam, confidence: 70%]",
    "(@lee)",
    " — owner: Kim",
    "confidence: 120%",
    "<!-- okrcoach: ignore KR004 -- reason -->",
    "<!-- okrcoach: ignore -->",
    "<!--",
    "-->",
    "{/* okrcoach: ignore OBJ001 */}",
    "{/*",
    "*/}",
    "---",
    "===",
    "```",
    "~~~",
    "| Objective | Key result |",
    "|---|---|",
    "| A | B |",
    "|",
    "> ",
    "import x from 'y'",
    "<Callout>",
    "</Callout>",
    '<TeamMember name="A" />',
    "[link](http://x)",
    "![img](x.png)",
    "`code`",
    "\t",
    "🎯 ",
    "Raise NPS from 30 to 40",
    "Grow revenue 20%",
    "e.g.",
    ":",
    "\\",
    "1.Lead",
    "Why? ",
    "Target: 5",
    "team: x",
    "title: y",
]


def answers(call: Callable[[], Document]) -> None:
    """The call returns a sound Document or raises a one-line InputError; any other outcome fails."""
    try:
        doc = call()
    except InputError as error:
        message = str(error)
        assert message and error.message
        assert "\n" not in message
        assert error.line is None or error.line >= 1
        return
    assert isinstance(doc, Document)
    assert doc.objectives
    seen: set[int] = set()
    for objective in doc.objectives:
        assert objective.text.strip() and objective.id
        assert objective.span.line >= 1 and objective.span.col >= 1
        for kr in objective.key_results:
            assert kr.text.strip() and kr.id
            assert kr.span.line >= 1 and kr.span.col >= 1
            assert kr.confidence is None or 0 <= kr.confidence <= 1
            assert id(kr) not in seen
            seen.add(id(kr))
    for finding in doc.diagnostics:
        assert finding.code and "\n" not in finding.message


@SETTINGS
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(FORMATS))
def test_random_bytes(data: bytes, fmt: str) -> None:
    answers(lambda: parse_bytes(data, "random", fmt))


@SETTINGS
@given(text=st.text(max_size=1500), fmt=st.sampled_from(FORMATS))
def test_random_text(text: str, fmt: str) -> None:
    answers(lambda: parse_text(text, "random", fmt))


_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["60%", "7/10", "1,200", "TBD", "KR004: x", "team", "galaxy"])
)
_keys = st.sampled_from(SCHEMA_WORDS) | st.text(max_size=8)
_trees = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(_keys, children, max_size=6),
    max_leaves=40,
)
_documents = _trees | st.builds(lambda body: {"objectives": body}, _trees)


@SETTINGS
@given(tree=_documents)
def test_random_yaml_structures(tree: object) -> None:
    text = yaml.safe_dump(tree, allow_unicode=True)
    answers(lambda: parse_text(text, "random.yaml", "yaml"))


@SETTINGS
@given(tree=_documents, indent=st.sampled_from([None, 1, 2]))
def test_random_json_structures(tree: object, indent: int | None) -> None:
    text = json.dumps(tree, indent=indent, ensure_ascii=False)
    answers(lambda: parse_text(text, "random.json", "json"))


@SETTINGS
@given(
    header=st.lists(st.sampled_from(COLUMN_WORDS) | st.text(max_size=10), min_size=1, max_size=8),
    rows=st.lists(
        st.lists(st.text(max_size=15) | st.sampled_from(["", "0.6", "KR004: x", "team"]), max_size=9),
        max_size=10,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_random_csv_tables(header: list[str], rows: list[list[str]], delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    answers(lambda: parse_text(text, "random.csv", "csv"))


@SETTINGS
@given(
    lines=st.lists(
        st.lists(st.sampled_from(MARKDOWN_PIECES) | st.text(max_size=12), min_size=0, max_size=5).map(
            "".join
        ),
        max_size=40,
    )
)
def test_random_markdown_line_soups(lines: list[str]) -> None:
    text = "\n".join(lines)
    answers(lambda: parse_text(text, "random.md", "markdown"))
