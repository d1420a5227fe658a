"""The TUI's plain-Python parts, without Textual: the serializer, saving, recovery, the draft's edits and
undo, and the engine adapter (one model call per rewrite)."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest
from stub_openai import OpenAIStub, Reply, StubRequest, openai_stub_fixture  # noqa: F401

from coach.engine import review_document
from coach.llm import ModelSpec, Secret
from coach.llm.session import ModelSession
from coach.model import InputError
from coach.parse import load, parse_text
from coach.write.dump import SerializeError, dump, stated_ids
from coach.write.recovery import state_dict, state_from_dict
from tui import storage
from tui.engine import CoachEngine
from tui.state import Draft

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["team-draft.yaml", "team-draft.md", "team-draft.csv", "team-draft.json"]
FORMATS = ["yaml", "json", "markdown", "csv"]
DRAFTS = [ROOT / "examples" / name for name in EXAMPLES] + [
    ROOT / "tests" / "data" / "metrics" / "growth-draft.yaml",
    ROOT / "tests" / "data" / "checkins" / "team-draft.yaml",
]


def findings(doc: object) -> list[tuple[str, str | None]]:
    return sorted((f.code, f.target) for f in review_document(doc))  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("source", DRAFTS, ids=lambda p: p.name)
def test_every_draft_writes_back_in_every_format_and_reads_the_same(source: Path, fmt: str) -> None:
    doc = load(str(source))
    text = dump(doc, fmt, stated_ids(doc))
    back = parse_text(text, f"back.{fmt}", fmt)
    assert [o.id for o in back.objectives] == [o.id for o in doc.objectives]
    assert [k.id for k in back.key_results()] == [k.id for k in doc.key_results()]
    assert [(k.text, k.owner, k.baseline, k.target, k.unit) for k in back.key_results()] == [
        (k.text, k.owner, k.baseline, k.target, k.unit) for k in doc.key_results()
    ]
    assert findings(back) == findings(doc)  # suppressions and fields came through too


def test_markdown_escapes_what_would_turn_into_markup() -> None:
    doc = load(str(ROOT / "examples" / "team-draft.yaml"))
    doc.objectives[0].text = "Make paying us [effortless] for small_businesses | <now> # ~ \\ &"
    doc.objectives[0].key_results[0].text = "1. Raise checkout completion from 61% to 75%"
    doc.objectives[1].key_results[0].text = "- Increase net revenue retention from 98% to 104%"
    back = parse_text(dump(doc, "markdown"), "x.md", "markdown")
    assert back.objectives[0].text == doc.objectives[0].text
    assert back.objectives[0].key_results[0].text == doc.objectives[0].key_results[0].text
    assert back.objectives[1].key_results[0].text == doc.objectives[1].key_results[0].text


@pytest.mark.parametrize(
    "text",
    ["Initiative: not a key result any more", "Make *paying* effortless", "Ship the `checkout` page"],
)
def test_a_draft_that_would_not_read_back_is_refused(text: str) -> None:
    doc = load(str(ROOT / "examples" / "team-draft.yaml"))
    doc.objectives[0].key_results[0].text = text
    with pytest.raises(SerializeError, match="read back"):
        dump(doc, "markdown")


def test_recovery_state_round_trips_everything() -> None:
    doc = load(str(ROOT / "examples" / "team-draft.md"))
    again = state_from_dict(state_dict(doc))
    assert state_dict(again) == state_dict(doc)
    assert findings(again) == findings(doc)


# -- saving -----------------------------------------------------------------------------------------------


@pytest.fixture
def yaml_draft(tmp_path: Path) -> Path:
    path = tmp_path / "team-draft.yaml"
    shutil.copy(ROOT / "examples" / "team-draft.yaml", path)
    return path


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    a, b = before.splitlines(), after.splitlines()
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed, added = removed + a[i1:i2], added + b[j1:j2]
    return removed, added


def draft_of(path: Path) -> Draft:
    doc = load(str(path))
    return Draft(doc, str(path), stated_ids(doc))


def test_text_edits_keep_everything_else(yaml_draft: Path) -> None:
    before = yaml_draft.read_text()
    draft = draft_of(yaml_draft)
    draft.set_text("pay-2.KR3", "Cut refund handling time from 6 to 2 days")
    result = storage.save_draft(draft, yaml_draft, "yaml")
    assert not result.whole and result.backup is None
    after = yaml_draft.read_text()
    assert after == before.replace(
        "Reduce refund handling time to X days", "Cut refund handling time from 6 to 2 days"
    )


def test_structural_changes_are_edits_in_place(yaml_draft: Path) -> None:
    before = yaml_draft.read_text()
    draft = draft_of(yaml_draft)
    new = draft.add_key_result("pay-3", "Keep payout disputes below 0.1% of payouts")
    assert new == "pay-3.KR3"
    draft.set_field("pay-1.KR1", "owner", "Sam")
    plan = storage.plan_save(draft, yaml_draft, "yaml")
    assert not plan.whole and not plan.loses_layout
    result = storage.write_plan(draft, plan)
    assert not result.whole and result.backup is None
    removed, added = _changed_lines(before, yaml_draft.read_text())  # the rest is kept byte for byte
    assert removed == ["        owner: Dana Reyes"]
    assert added == ["        owner: Sam", "      - text: Keep payout disputes below 0.1% of payouts"]
    back = load(str(yaml_draft))
    assert back.objectives[2].key_results[-1].text == "Keep payout disputes below 0.1% of payouts"
    assert back.objectives[0].key_results[0].owner == "Sam"
    storage.reload_positions(draft, yaml_draft, "yaml")
    assert draft.doc.objectives[2].key_results[-1].id == "pay-3.KR3"
    assert draft.doc.objectives[2].key_results[-1].span.line > 0


def test_a_whole_file_save_keeps_a_backup_and_says_so(yaml_draft: Path) -> None:
    before = yaml_draft.read_text()
    draft = draft_of(yaml_draft)
    draft.add_key_result("pay-3", "Keep payout disputes below 0.1% of payouts")
    result = storage.save_draft(draft, yaml_draft, "yaml", whole=True)
    assert result.whole and result.backup is not None and result.backup.read_text() == before
    assert "comments and layout were not kept" in result.note


def test_empty_texts_are_not_saved(yaml_draft: Path) -> None:
    draft = draft_of(yaml_draft)
    draft.doc.objectives[0].key_results[0].text = ""
    with pytest.raises(InputError, match="no text"):
        storage.save_draft(draft, yaml_draft, "yaml")


def test_recovery_files(tmp_path: Path, yaml_draft: Path) -> None:
    draft = draft_of(yaml_draft)
    draft.set_text("pay-1", "Small businesses pay us without thinking about it")
    where = storage.recovery_path(str(yaml_draft))
    assert where.name == "team-draft.yaml.okrcoach-recover.json"
    assert storage.recovery_path(None, tmp_path / "cache").parent == tmp_path / "cache"
    storage.write_recovery(where, draft, "pay-1")
    assert storage.recovery_is_newer(where, str(yaml_draft))
    recovered = storage.read_recovery(where)
    assert recovered is not None and recovered.selected == "pay-1"
    assert recovered.doc.objectives[0].text == "Small businesses pay us without thinking about it"
    where.write_text("{not json")
    assert storage.read_recovery(where) is None
    storage.remove_recovery(where)
    storage.remove_recovery(where)
    assert not storage.recovery_is_newer(where, str(yaml_draft))


# -- the draft's edits and undo ---------------------------------------------------------------------------


def test_add_delete_move_and_undo(yaml_draft: Path) -> None:
    draft = draft_of(yaml_draft)
    assert not draft.dirty
    draft.checkpoint("pay-1")
    objective = draft.add_objective("pay-1")
    assert draft.doc.objectives[1].id == objective and draft.doc.objectives[1].key_results
    draft.checkpoint(objective)
    assert draft.move("pay-1.KR4", +1)  # over the edge: to the top of the next objective
    assert draft.doc.objectives[1].key_results[0].text == "Publish 4 help-centre articles"
    draft.checkpoint("pay-1.KR4")
    assert draft.delete("pay-3") == "pay-2"
    assert draft.dirty
    assert draft.undo(None) == "pay-1.KR4" and len(draft.doc.objectives) == 4
    assert draft.undo(None) == objective
    assert draft.undo(None) == "pay-1" and not draft.dirty
    assert draft.undo(None) is None
    assert draft.redo(None) is not None and len(draft.doc.objectives) == 4
    assert not draft.move("pay-1", -1)
    only = Draft(parse_text("objectives:\n  - objective: One\n", "x.yaml", "yaml"), None)
    assert only.delete("O1") is None


def test_fields_read_what_is_typed(yaml_draft: Path) -> None:
    draft = draft_of(yaml_draft)
    assert draft.set_field("pay-2.KR3", "baseline", "6") is None
    assert draft.set_field("pay-2.KR3", "unit", "days") is None
    kr = draft.element("pay-2.KR3")
    assert kr.baseline == 6.0 and kr.unit == "days"  # type: ignore[union-attr]
    problem = draft.set_field("pay-2.KR3", "confidence", "200%")
    assert problem is not None and kr.confidence is None  # type: ignore[union-attr]
    assert draft.set_field("pay-2.KR3", "confidence", "7/10") is None
    assert kr.confidence == pytest.approx(0.7)  # type: ignore[union-attr]


# -- the engine adapter -----------------------------------------------------------------------------------


def test_rewrite_asks_about_one_element_only(openai_stub: OpenAIStub, tmp_path: Path) -> None:
    def answer(request: StubRequest) -> Reply:
        passage = re.search(r"^\[([a-z0-9-]+)\]", request.user_text, re.M)
        return Reply.tool_args(
            {
                "text": "Grow revenue from small agencies so that they can pay us without talking to sales",
                "rationale": "says why it matters",
                "questions": [],
                "cited_passages": [passage.group(1) if passage else "obj-qualitative-inspiring"],
                "initiative": "",
            }
        )

    openai_stub.respond(answer)
    spec = ModelSpec("openai", "stub-model", openai_stub.url, Secret("sk-test-0123456789abcdef"), 5.0, 0, "t")
    engine = CoachEngine(session=ModelSession(spec, cache_dir=tmp_path))
    doc = load(str(ROOT / "examples" / "team-draft.yaml"))
    result = engine.rewrite(doc, "pay-2")
    assert openai_stub.count == 1  # the objective only, not its key results
    assert result.proposal is not None and result.proposal.answered_by == "stub-model", result.proposal
    assert result.proposal.text.startswith("Grow revenue from small agencies")
    assert [f.code for f in result.findings] == ["OBJ001", "OBJ004"]
    assert "<<<OBJECTIVE" in openai_stub.requests[0].user_text
    assert engine.rewrite(doc, "pay-1.KR1").proposal is None  # nothing to fix there: no call
    assert openai_stub.count == 1
    with pytest.raises(InputError):
        engine.rewrite(doc, "nope")


def test_undo_after_a_save_is_saved_against_the_file_as_written(yaml_draft: Path) -> None:
    """Undo brings back elements as they were before the save: they must be found where the save put them,
    not where they stood in the file before it (or another element's unknown fields would be lost)."""
    original = yaml_draft.read_text()
    draft = draft_of(yaml_draft)
    draft.checkpoint("pay-1.KR1")
    draft.add_key_result("pay-1.KR1", "Reduce refunds from 4% to 2%")
    storage.save_draft(draft, yaml_draft, "yaml")
    storage.reload_positions(draft, yaml_draft, "yaml")
    draft.undo(None)  # the new key result goes again
    result = storage.save_draft(draft, yaml_draft, "yaml")
    assert not result.whole
    assert yaml_draft.read_text() == original


def test_new_key_results_left_as_placeholders_or_empty_are_left_out(yaml_draft: Path) -> None:
    before = yaml_draft.read_text()
    draft = draft_of(yaml_draft)
    draft.add_key_result("pay-1.KR1")  # still the placeholder
    empty = draft.add_key_result("pay-2.KR1")
    assert empty is not None
    draft.set_text(empty, "")
    result = storage.save_draft(draft, yaml_draft, "yaml")
    assert "2 empty new key result(s) left out" in result.note
    assert yaml_draft.read_text() == before and len(draft.doc.key_results()) == 9
    draft.add_objective("pay-1")
    with pytest.raises(InputError, match="placeholder"):
        storage.save_draft(draft, yaml_draft, "yaml")
