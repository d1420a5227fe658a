"""Knowledge passages: complete front matter, own sources, and every rule cites one that exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.knowledge import load_passages, parse_passage
from coach.model import InputError
from coach.rules import catalogue

ROOT = Path(__file__).resolve().parent.parent


def test_every_rule_cites_an_existing_passage() -> None:
    passages = load_passages()
    missing = {code: r.passage for code, r in catalogue().items() if r.passage not in passages}
    assert not missing


def test_passages_are_complete_and_sourced() -> None:
    passages = load_passages()
    assert len(passages) >= 20
    codes = set(catalogue())
    for passage in passages.values():
        assert passage.source.strip(), passage.id
        assert Path(passage.path).stem == passage.id
        words = len(passage.text.split())
        assert 150 <= words <= 400, (passage.id, words)
        assert set(passage.rules) <= codes, (passage.id, set(passage.rules) - codes)


def test_passages_list_the_rules_that_cite_them() -> None:
    passages = load_passages()
    for code, rule in catalogue().items():
        assert code in passages[rule.passage].rules, f"{rule.passage} should list {code} in its rules"


def test_extra_passages_are_loaded_and_clashes_refused(tmp_path: Path) -> None:
    (tmp_path / "our-checkins.md").write_text(
        "---\nid: our-checkins\ntitle: How we run check-ins\nsource: Team playbook\ntags: [checkins]\n"
        "rules: []\n---\nWe meet on Mondays.\n",
        encoding="utf-8",
    )
    passages = load_passages((str(tmp_path),))
    assert passages["our-checkins"].origin == "extra"
    (tmp_path / "dup.md").write_text("---\nid: kr-binary\ntitle: x\nsource: y\n---\nz\n", encoding="utf-8")
    with pytest.raises(InputError, match="already used"):
        load_passages((str(tmp_path),))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no front matter", "must start"),
        ("---\nid: a\n", "not closed"),
        ("---\nid: a\ntitle: b\n---\nbody", "source"),
        ("---\nid: [a\n---\nbody", "invalid front matter"),
    ],
)
def test_bad_passages_name_the_problem(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        parse_passage(text, "bad.md")
