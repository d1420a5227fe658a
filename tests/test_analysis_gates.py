"""The analysis skips a costly pattern when the text lacks every string the pattern cannot match without.
These tests hold each such list to its pattern: whenever the pattern matches, its gate must let it run, so a
gate never changes an analysis. They fail when someone widens a pattern and forgets its list."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis import numbers as n
from coach.analysis import start as s
from coach.analysis import text as t

LABELLED = Path(__file__).parent / "data" / "labelled_krs.jsonl"

# (name, pattern, the strings it needs, searched in: "cleaned" or "lowered", whether non-ASCII opens the gate)
GATES = [
    ("from-to", s._FROM_TO, s._FROM_WORDS, "cleaned", True),
    ("arrow", s._ARROW, s._ARROWS, "cleaned", True),
    ("stated baseline", s._BASELINE_STATED, s._STATED_WORDS, "cleaned", True),
    ("baseline alone", s._BASELINE_ALONE, s._ALONE_WORDS, "cleaned", True),
    ("placeholder", n._PLACEHOLDER, n._PLACEHOLDER_NEEDS, "cleaned", False),
    ("quantifier", n._QUANTIFIER, n._QUANTIFIER_NEEDS, "lowered", False),
    ("cadence", n._CADENCE, n._CADENCE_NEEDS, "lowered", False),
    ("multiple", n._MULTIPLE, n._MULTIPLE_NEEDS, "lowered", False),
    ("number word", n._NUM_WORDS, n._NUM_WORD_NEEDS, "lowered", False),
]


def _gate_open(needs: tuple[str, ...], cleaned: str, where: str, ascii_fallback: bool) -> bool:
    lowered = cleaned.lower()
    if ascii_fallback:
        return s._any_in(needs, lowered)
    return n._has_any(needs, cleaned if where == "cleaned" else lowered)


def _check(cleaned: str) -> None:
    lowered = cleaned.lower()
    for name, pattern, needs, where, fallback in GATES:
        subject = cleaned if where == "cleaned" else lowered
        if pattern.search(subject):
            assert _gate_open(needs, cleaned, where, fallback), f"{name} gate shut on {cleaned!r}"


def _labelled_texts() -> list[str]:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row["kr"] for row in rows]


def test_every_gate_opens_wherever_its_pattern_matches_in_the_labelled_set() -> None:
    texts = _labelled_texts()
    matched = {name: 0 for name, *_ in GATES}
    for raw in texts:
        for variant in (raw, raw.upper(), raw.lower()):
            cleaned = t.clean(variant)
            _check(cleaned)
            for name, pattern, _, where, _fallback in GATES:
                matched[name] += bool(pattern.search(cleaned if where == "cleaned" else cleaned.lower()))
    # the set exercises every pattern, so each gate was really held to it
    assert all(count > 0 for count in matched.values()), matched


# Pieces the patterns are made of, so that generated texts often match them.
PIECES = [
    *sorted({piece for _name, _pattern, needs, _where, _fallback in GATES for piece in needs}),
    "from",
    "to",
    "now",
    "today",
    "(",
    ")",
    ":",
    "Q1",
    "was",
    "50%",
    "$2M",
    "1,150",
    "3",
    "10 ms",
    "?",
    "X",
    "N",
    "x",
    "tbd",
    "TBD",
    "[",
    "]",
    "<",
    ">",
    "n",
    "~",
    "→",
    "->",
    "at least",
    "every week",
    "once a",
    "double",
    "cut",
    "in half",
    "two",
    "dozen",
    "users",
    "all",
    "no",
    "none",
    "last quarter's",
    "vs",
    "currently at",
    "baseline of",
    "starting at",
    "it was",
    "in 2025",
    "as of q1",
    " ",
    " ",
    "-",
    ",",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12), st.sampled_from([" ", "", "  "]))
def test_gates_hold_on_generated_texts(pieces: list[str], joiner: str) -> None:
    _check(t.clean(joiner.join(pieces)))


# One text for each way each pattern can match, each holding as few of the gate's strings as it can.
EXAMPLES = {
    "from-to": ["Raise NPS from 30 to 40", "Cut p95 FROM 800 ms TO 400 ms"],
    "arrow": ["NPS 30 -> 40", "NPS 30 → 40", "NPS 30 => 40", "NPS 30 ⇒ 40", "NPS 30 ➡ 40", "NPS 30 ➝ 40"],
    "stated baseline": [
        "Raise NPS, up from 30",
        "NPS currently at 30",
        "NPS today is 30",
        "NPS, now at 30",
        "NPS baseline of 30",
        "NPS starting at 30",
        "NPS (Q1 was 30)",
        "NPS 40; was 30",
        "NPS 40, last quarter 30",
        "NPS 40 vs 30",
        "NPS 40 versus 30",
        "NPS 40 compared to 30",
        "NPS 40 against 30",
        "NPS 40 (in Q1: 30)",
        "NPS 40, it was 30",
        "NPS ſtarting at 30",  # a long s folds to "s" under IGNORECASE but not under str.lower
    ],
    "baseline alone": [
        "NPS 30 now",
        "NPS 30 today",
        "NPS 30 currently",
        "NPS 30 at present",
        "NPS 30 at the moment",
        "NPS (Q1: 30)",
        "NPS from 30.",
        "NPS above last quarter's 30",
    ],
    "placeholder": [
        "NPS to X%",
        "NPS to x #",
        "MRR to $XX",
        "NPS to €x",
        "NPS to £X",
        "NPS N10 score",
        "NPS to TBD",
        "NPS to tbc",
        "NPS to ??",
        "NPS to [x]",
        "NPS to <n>",
        "NPS to XX",
        "NPS to xx",
        "NPS to Y.",
        "NPS to Z",
        "NPS > X",
        "NPS ~N",
    ],
    "quantifier": [
        "no churn",
        "all teams",
        "every team",
        "each team",
        "any outage",
        "zero outages",
        "never down",
        "eliminate outages",
        "users didn't leave",
    ],
    "cadence": ["weekly demos", "every sprint", "once a month", "twice a week", "per day", "each week"],
    "multiple": [
        "double NPS",
        "triple NPS",
        "quadruple NPS",
        "halve churn",
        "by half",
        "twice as fast",
        "10-fold",
        "an order of magnitude",
    ],
    "number word": [f"{word} customers".replace("thousand", "a thousand") for word in n._NUM_WORD_NEEDS],
}


@pytest.mark.parametrize(
    ("name", "text"), [(name, text) for name, texts in EXAMPLES.items() for text in texts]
)
def test_each_way_a_pattern_matches_opens_its_gate(name: str, text: str) -> None:
    _, pattern, needs, where, fallback = next(gate for gate in GATES if gate[0] == name)
    cleaned = t.clean(text)
    assert pattern.search(cleaned if where == "cleaned" else cleaned.lower()), "the example must match"
    assert _gate_open(needs, cleaned, where, fallback)
    _check(cleaned)


def test_clean_collapses_whitespace_exactly_as_the_regex_did() -> None:
    # str.split() and `\s` agree on every code point, so clean() may use the faster one
    spaces = "".join(chr(c) for c in range(0x3100) if chr(c).isspace())
    text = f"  Raise{spaces}NPS\x1c to\u3000 40  "
    assert t.clean(text) == re.sub(r"\s+", " ", text).strip() == "Raise NPS to 40"
