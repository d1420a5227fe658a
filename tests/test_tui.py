"""The terminal UI, driven headless with Textual's Pilot: every flow of issue 8 from the keyboard.

Type and watch the findings change, rewrite (no model, the loopback stub model, a failing model), accept /
edit / reject, baselines, the check-in pack, add / delete / reorder with undo / redo, save in the file's own
format, autosave and recovery (including a process killed mid-edit), quitting with unsaved changes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from stub_openai import OpenAIStub, Reply, StubRequest, openai_stub_fixture  # noqa: F401
from textual import events
from textual.widgets import DataTable, Input, Markdown

from coach.llm import ModelSpec, Secret
from coach.llm.session import ModelSession
from coach.parse import load
from tui import storage
from tui.app import OkrCoachApp
from tui.engine import CoachEngine
from tui.screens.baselines import BaselinesScreen
from tui.screens.checkin import CheckinScreen
from tui.screens.dialogs import ChoiceDialog, PathDialog
from tui.screens.help import HelpScreen, key_rows
from tui.screens.main import MainScreen
from tui.screens.rewrite import RewriteScreen
from tui.widgets.editor import DraftText
from tui.widgets.findings import FindingsList

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
DAY = date(2026, 2, 12)
DEBOUNCE = 0.05  # short in tests; the real app waits 0.3 s
pytestmark = pytest.mark.anyio  # async tests run on anyio's pytest plugin, with asyncio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# -- helpers ----------------------------------------------------------------------------------------------


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the example draft, metrics exports and a check-in history; the current directory."""
    shutil.copy(ROOT / "examples" / "team-draft.yaml", tmp_path / "team-draft.yaml")
    shutil.copy(DATA / "metrics" / "growth-draft.yaml", tmp_path / "growth-draft.yaml")
    for name in ("bi-export.csv", "dashboard-export.csv"):
        shutil.copy(DATA / "metrics" / name, tmp_path / name)
    shutil.copy(DATA / "checkins" / "team-draft.yaml", tmp_path / "growth-q1.yaml")
    shutil.copy(DATA / "checkins" / "clean.csv", tmp_path / "checkins.csv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def engine(**kwargs: Any) -> CoachEngine:
    kwargs.setdefault("today", DAY)
    kwargs.setdefault("embedding", "hashing")
    return CoachEngine(**kwargs)


def make_app(path: str | None = "team-draft.yaml", **kwargs: Any) -> OkrCoachApp:
    eng = kwargs.pop("engine", None) or engine()
    kwargs.setdefault("debounce", DEBOUNCE)
    kwargs.setdefault("autosave_interval", 60)
    return OkrCoachApp(eng, path=path, **kwargs)


def spec_for(stub: OpenAIStub, timeout: float = 5.0) -> ModelSpec:
    return ModelSpec("openai", "stub-model", stub.url, Secret("sk-test-0123456789abcdef"), timeout, 0, "test")


async def settle(pilot: Any, seconds: float = DEBOUNCE * 2) -> None:
    await pilot.pause(seconds)
    await pilot.pause()


async def wait_for(pilot: Any, condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the UI")
        await pilot.pause(0.02)


async def select(pilot: Any, app: OkrCoachApp, element_id: str) -> None:
    app.main.query_one("#outline").select_id(element_id)  # type: ignore[attr-defined]
    await pilot.pause()
    assert app.main.selected_id == element_id


def codes(app: OkrCoachApp) -> list[str]:
    return [f.code for f in app.main.query_one(FindingsList).findings]


def editor_text(app: OkrCoachApp) -> str:
    return app.main.query_one(DraftText).text


async def paste(pilot: Any, app: OkrCoachApp, text: str) -> None:
    """Long texts arrive as a paste (typing them key by key is slow under Pilot)."""
    assert app.focused is not None
    app.post_message(events.Paste(text))  # as the terminal sends it: the app passes it to the focused widget
    await pilot.pause()


async def append_text(pilot: Any, app: OkrCoachApp, text: str) -> None:
    await pilot.press("enter")  # from the tree: edit the text, cursor at its end
    await paste(pilot, app, text)


async def replace_text(pilot: Any, app: OkrCoachApp, text: str) -> None:
    await pilot.press("enter", "ctrl+a")  # edit the text, select all of it
    await paste(pilot, app, text)


# -- layout, help, palette --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_opens_a_draft_with_tree_editor_findings_passage_and_footer(
    work: Path, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        tree = app.main.query_one("#outline")
        assert tree.region.width >= 26 and tree.region.height > 10
        await select(pilot, app, "pay-1.KR4")
        assert editor_text(app) == "Publish 4 help-centre articles"
        assert codes(app) == ["KR002"]
        passage = str(app.main.query_one("#passage").render())
        assert "kr-output-counts" in passage
        status = str(app.main.query_one("#status").render())
        assert "team-draft.yaml" in status and "saved" in status and "model: rules only" in status
        assert "W5 S2" in status
        for widget in ("#editor", "#findings", "#passage-box", "#status"):
            region = app.main.query_one(widget).region
            assert region.right <= size[0] and region.bottom <= size[1], widget


async def test_help_lists_every_key_and_the_palette_offers_every_action(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = key_rows(app)
        shown = {row[1] for row in rows}
        for binding in OkrCoachApp.BINDINGS:
            key = binding.key  # type: ignore[union-attr]
            assert app.get_key_display(type(binding)(key, "")) in shown, key  # type: ignore[arg-type]
        assert app.screen.query_one(DataTable).row_count == len(rows)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("question_mark")  # ? works from the tree (typing it in the editor types it)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        actions = {b.action for b in OkrCoachApp.BINDINGS} | {"delete_element", "save_as"}  # type: ignore[union-attr]
        titles = {c.title: c for c in app.get_system_commands(app.screen)}
        offered = {getattr(c.callback, "__name__", "").removeprefix("action_") for c in titles.values()}
        assert actions <= offered, actions - offered
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"check")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CheckinScreen))


# -- live coaching ----------------------------------------------------------------------------------------


async def test_findings_change_as_you_type(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-3.KR1")
        assert codes(app) == ["KR008"]
        await pilot.press("enter", *" to 99.9%")  # typed key by key
        assert app.draft.element("pay-3.KR1").text == "Improve payout reliability to 99.9%"  # type: ignore[union-attr]
        await settle(pilot)
        assert codes(app) == ["KR004"]  # no longer vague; now it lacks a baseline
        await pilot.press("home", "ctrl+right", "ctrl+right", "ctrl+right")
        await paste(pilot, app, " from 99.2%")
        await settle(pilot)
        assert codes(app) == []
        assert app.draft.dirty
        assert "modified" in str(app.main.query_one("#status").render())
        assert app.main.last_review_ms < 50
        # the tree label follows the text and the findings
        label = str(app.main.query_one("#outline").node_for("pay-3.KR1").label)  # type: ignore[attr-defined]
        assert "99.9%" in label and label.startswith("✓")


async def test_typing_is_debounced_and_never_waits_for_a_model(work: Path, openai_stub: OpenAIStub) -> None:
    openai_stub.respond(Reply.hang())
    app = make_app(engine=engine(session=ModelSession(spec_for(openai_stub))), debounce=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-3.KR1")
        before = list(app.main.findings)
        await pilot.press("enter", *" to 99%")
        assert app.main.findings == before  # not yet: the debounce waits for a pause in typing
        await pilot.pause(0.5)
        assert app.main.findings != before
        assert openai_stub.count == 0  # the rule path never asks the model


async def test_editing_fields_and_a_bad_confidence(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-2.KR3")
        await pilot.press("enter", "enter")  # text -> owner
        assert app.focused is not None and app.focused.id == "field-owner"
        await pilot.press(*"Lee", "tab")
        await paste(pilot, app, "200%")
        await settle(pilot)
        kr = app.draft.element("pay-2.KR3")
        assert kr.owner == "Lee"  # type: ignore[union-attr]
        assert kr.confidence is None  # type: ignore[union-attr]
        assert "confidence" in str(app.main.query_one("#status").render())
        await pilot.press("ctrl+u")
        await paste(pilot, app, "7/10")
        await settle(pilot)
        assert kr.confidence == pytest.approx(0.7)  # type: ignore[union-attr]


# -- rewrite ----------------------------------------------------------------------------------------------


async def test_rewrite_without_a_model_accept_and_undo(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-3.KR1")
        await pilot.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, RewriteScreen)
        await wait_for(pilot, lambda: screen.result is not None)
        proposal = screen.result.proposal  # type: ignore[union-attr]
        assert proposal is not None and proposal.answered_by == "rules"
        assert proposal.text == "Improve payout reliability from ? to ?"
        answered = str(screen.query_one("#rewrite-answered").render())
        assert "Answered by rules" in answered
        details = str(screen.query_one("#rewrite-details").render())
        assert "Resolves" in details and "KR008" in details and "Cites" in details
        assert "[kr-direction-only]" in details
        await pilot.press("a")  # a ? is left: nothing is accepted
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("tab", *"97%", "enter", *"99.5%", "enter")  # the start, then the end: accepted
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        written = "Improve payout reliability from 97% to 99.5%"
        assert app.draft.element("pay-3.KR1").text == written  # type: ignore[union-attr]
        assert "KR008" not in codes(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.draft.element("pay-3.KR1").text == "Improve payout reliability"  # type: ignore[union-attr]
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.draft.element("pay-3.KR1").text == written  # type: ignore[union-attr]


async def test_rewrite_split_keeps_the_task_as_an_initiative_and_edit_replaces_the_question_mark(
    work: Path,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-1.KR4")
        await pilot.press("ctrl+r")
        screen = app.screen
        await wait_for(pilot, lambda: screen.result is not None)
        assert isinstance(screen, RewriteScreen)
        assert "Initiative" in str(screen.query_one("#rewrite-details").render())
        await pilot.press("e")
        field = screen.query_one("#rewrite-edit", Input)
        assert field.has_focus and "?" in field.value
        assert field.cursor_position == field.value.index("?")  # ready to type the number
        await pilot.press("home", "ctrl+k")
        await paste(pilot, app, "Cut support tickets about invoices from 120 to 60 a week")
        await pilot.press("enter")
        await pilot.pause()
        kr = app.draft.element("pay-1.KR4")
        assert kr.text == "Cut support tickets about invoices from 120 to 60 a week"  # type: ignore[union-attr]
        assert kr.initiatives == []  # type: ignore[union-attr]
        # YAML keeps a task under its objective (coach.write.outcome.initiative_home)
        assert app.draft.objective_of("pay-1.KR4").initiatives == ["Publish 4 help-centre articles"]  # type: ignore[union-attr]


async def test_rewrite_reject_changes_nothing(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-2.KR3")
        await pilot.press("ctrl+r")
        screen = app.screen
        await wait_for(pilot, lambda: screen.result is not None)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and not app.draft.dirty


def good_answer(request: StubRequest) -> Reply:
    passage = re.search(r"^\[([a-z0-9-]+)\]", request.user_text, re.M)
    return Reply.tool_args(
        {
            "text": "Small businesses trust us to pay them out on time, every time",
            "rationale": "says what changes, for whom",
            "questions": [],
            "cited_passages": [passage.group(1) if passage else "obj-plain-language"],
            "initiative": "",
        },
        delay=0.5,
    )


async def test_rewrite_with_the_stub_model_shows_progress_and_stays_responsive(
    work: Path, openai_stub: OpenAIStub
) -> None:
    openai_stub.respond(good_answer)
    app = make_app(engine=engine(session=ModelSession(spec_for(openai_stub), cache_dir=work / "cache")))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "model: stub-model" in str(app.main.query_one("#status").render())
        await select(pilot, app, "pay-3")
        await pilot.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, RewriteScreen)
        await pilot.pause(0.25)
        assert screen.result is None  # still asking; the UI keeps drawing meanwhile
        waiting = str(screen.query_one("#rewrite-waiting").render())
        assert "Asking stub-model" in waiting
        await pilot.pause(0.25)
        assert str(screen.query_one("#rewrite-waiting").render()) != waiting  # the elapsed time moves on
        await wait_for(pilot, lambda: screen.result is not None)
        proposal = screen.result.proposal  # type: ignore[union-attr]
        assert proposal is not None and proposal.answered_by == "stub-model", proposal
        assert openai_stub.count == 1  # one element, one call
        assert "Answered by stub-model" in str(screen.query_one("#rewrite-answered").render())
        await pilot.press("a")
        await pilot.pause()
        assert (
            app.draft.element("pay-3").text == "Small businesses trust us to pay them out on time, every time"
        )  # type: ignore[union-attr]


async def test_a_failing_model_shows_the_reason_and_the_rule_proposal(
    work: Path, openai_stub: OpenAIStub
) -> None:
    openai_stub.respond(Reply.error(500, "boom"))
    app = make_app(engine=engine(session=ModelSession(spec_for(openai_stub), cache_dir=work / "cache")))
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-2")
        await pilot.press("ctrl+r")
        screen = app.screen
        await wait_for(pilot, lambda: screen.result is not None)
        assert isinstance(screen, RewriteScreen)
        proposal = screen.result.proposal  # type: ignore[union-attr]
        assert proposal is not None and proposal.answered_by == "rules"
        assert proposal.text is None and proposal.held_back == "the rewrite would add OBJ009"
        answered = str(screen.query_one("#rewrite-answered").render())
        assert "not used" in answered and "HTTP 500" in answered and "rule path" in answered
        assert "0123456789abcdef" not in answered


# -- baselines and check-ins ------------------------------------------------------------------------------


async def test_baselines_from_metrics_write_into_the_draft_and_save(work: Path) -> None:
    metrics = ["bi-export.csv", "dashboard-export.csv"]
    app = make_app("growth-draft.yaml", engine=engine(metrics=metrics))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+b")
        screen = app.screen
        assert isinstance(screen, BaselinesScreen)
        await wait_for(pilot, lambda: screen.report is not None)
        table = screen.query_one(DataTable)
        assert table.row_count == len(screen.report.proposals)
        found = [p for p in screen.report.proposals if p.rewrite]
        assert found
        target = found[0]
        table.move_cursor(row=screen.report.proposals.index(target))
        await pilot.pause()
        assert "Enter writes" in str(screen.query_one("#bl-detail").render())
        await pilot.press("enter")
        await pilot.pause()
        assert target.kr_id in screen.written
        kr = app.draft.element(target.kr_id)
        assert kr.baseline == target.field_value and kr.text == target.kr_text  # type: ignore[union-attr]
        await pilot.press("escape", "ctrl+s")
        await pilot.pause()
        saved = (work / "growth-draft.yaml").read_text()
        assert f"baseline: {target.field_value:g}" in saved and target.rewrite not in saved
        assert saved.startswith("# Growth team at Ledgerline")  # a field edit keeps the comments
        kr = load(str(work / "growth-draft.yaml")).objectives[0].key_results[0]
        assert kr.baseline == target.field_value


async def test_baselines_without_metrics_ask_for_a_file(work: Path) -> None:
    app = make_app("growth-draft.yaml")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+b")
        screen = app.screen
        assert isinstance(screen, BaselinesScreen)
        field = screen.query_one("#bl-metrics", Input)
        assert field.has_focus
        await pilot.press(*"nope.csv", "enter")
        await wait_for(pilot, lambda: "Cannot read" in str(screen.query_one("#bl-note").render()))
        await pilot.press("ctrl+u")
        await paste(pilot, app, "dashboard-export.csv")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.report is not None)
        assert any(p.status == "found" for p in screen.report.proposals)


async def test_checkin_pack_for_the_date_saved_as_markdown(work: Path) -> None:
    from coach.checkin.history import read_history
    from coach.checkin.pack import checkin_pack
    from coach.dates import cycle_from_period
    from coach.report.checkin import render_pack_markdown

    app = make_app("growth-q1.yaml")  # no --history: the screen asks for it
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+t")
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        assert screen.query_one("#ci-history", Input).has_focus
        await paste(pilot, app, "checkins.csv")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.result is not None)
        assert app.checkin_history == "checkins.csv"  # kept for the next time
        assert "2026-02-12" in str(screen.query_one(".dialog-title").render())
        assert screen.query_one(Markdown).source.startswith("# Check-in questions — Growth, 12 February 2026")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        assert app.screen.query_one(Input).value == "growth-q1-checkin-2026-02-12.md"
        await pilot.press("enter")
        await pilot.pause()
        written = (work / "growth-q1-checkin-2026-02-12.md").read_text()
        doc = load("growth-q1.yaml")
        cycle = cycle_from_period(doc.period)
        assert cycle is not None
        history = read_history("checkins.csv", doc, cycle, now=DAY)
        assert written == render_pack_markdown(checkin_pack(doc, history, cycle, DAY))


# -- add, delete, reorder, undo ---------------------------------------------------------------------------


async def test_add_delete_reorder_with_undo_and_redo(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-2.KR1")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert len(app.draft.doc.objectives[1].key_results) == 4
        assert isinstance(app.focused, DraftText)
        await pilot.press(*"Cut")  # types over the selected placeholder
        await paste(pilot, app, " refunds from 3% to 1%")
        await settle(pilot)
        new = app.draft.doc.objectives[1].key_results[1]
        assert new.text == "Cut refunds from 3% to 1%"
        await pilot.press("escape")  # back to the tree
        await pilot.press("alt+up")
        await pilot.pause()
        assert app.draft.doc.objectives[1].key_results[0].text == "Cut refunds from 3% to 1%"
        await pilot.press("delete")
        await pilot.pause()
        assert len(app.draft.doc.objectives[1].key_results) == 3
        await select(pilot, app, "pay-1")
        await pilot.press("o")
        await pilot.pause()
        assert len(app.draft.doc.objectives) == 4 and app.draft.doc.objectives[1].key_results
        edited = app.draft.signature()
        while app.draft.can_undo:  # add objective, delete, move, the typing (one step per pause), add KR
            await pilot.press("ctrl+z")
        await pilot.pause()
        assert [len(o.key_results) for o in app.draft.doc.objectives] == [4, 3, 2]
        assert not app.draft.dirty
        while app.draft.can_redo:
            await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.draft.signature() == edited
        await select(pilot, app, "pay-3")
        await pilot.press("alt+up")
        await pilot.pause()
        assert [o.id for o in app.draft.doc.objectives] == ["pay-1", "O2", "pay-3", "pay-2"]


async def test_the_last_objective_cannot_be_deleted(work: Path) -> None:
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "O1")
        await pilot.press("delete")
        await pilot.pause()
        assert len(app.draft.doc.objectives) == 1


# -- saving, recovery, quitting ---------------------------------------------------------------------------


async def test_text_edits_save_in_place_keeping_comments(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-2.KR3")
        await replace_text(pilot, app, "Cut refund handling time from 6 to 2 days")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = (work / "team-draft.yaml").read_text()
        assert "      - text: Cut refund handling time from 6 to 2 days\n" in text
        assert "# the company objective" in text  # comments kept
        assert not (work / "team-draft.yaml.bak").exists()
        assert not app.draft.dirty and app.last_save is not None and not app.last_save.whole
        assert "saved" in str(app.main.query_one("#status").render())


@pytest.mark.parametrize("name", ["team-draft.yaml", "team-draft.md", "team-draft.csv", "team-draft.json"])
async def test_structural_changes_save_only_what_changed(work: Path, name: str) -> None:
    shutil.copy(ROOT / "examples" / name, work / name)
    app = make_app(name)
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, app.draft.doc.objectives[2].id)
        await pilot.press("alt+up")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceDialog)  # nothing to ask: written in place
        assert app.last_save is not None and not app.last_save.whole
        assert not (work / f"{name}.bak").exists()
        back = load(str(work / name))
        assert back.format == app.draft.doc.format
        assert [o.text for o in back.objectives] == [o.text for o in app.draft.doc.objectives]
        assert [k.text for k in back.key_results()] == [k.text for k in app.draft.doc.key_results()]
        assert back.objectives[1].text.startswith("Leverage synergies")
        assert not app.draft.dirty
        kept = {
            ".yaml": "# the company objective",
            ".md": "<!-- okrcoach: ignore KR004 -- annual plans launch this cycle",
            ".csv": ',"KR004: annual plans launch this cycle',
        }
        assert kept.get(Path(name).suffix, "") in (work / name).read_text()  # comments kept


async def test_a_new_draft_asks_for_a_file_name(work: Path) -> None:
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "new draft" in str(app.main.query_one("#status").render())
        await select(pilot, app, "O1")
        await replace_text(pilot, app, "Small agencies get paid without chasing clients")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        await pilot.press("ctrl+u", *"agency", "enter")
        await pilot.pause()
        saved = load(str(work / "agency.yaml"))
        assert saved.objectives[0].text == "Small agencies get paid without chasing clients"
        assert app.draft.path == "agency.yaml" and not app.draft.dirty


async def test_save_asks_before_overwriting_a_file_changed_on_disk(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-2.KR3")
        await append_text(pilot, app, " soon")
        await settle(pilot)
        (work / "team-draft.yaml").write_text((work / "team-draft.yaml").read_text() + "# someone else\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.draft.dirty and "someone else" in (work / "team-draft.yaml").read_text()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert not app.draft.dirty and "X days soon" in (work / "team-draft.yaml").read_text()


async def test_autosave_keeps_a_recovery_copy_until_saved(work: Path) -> None:
    app = make_app(autosave_interval=0.1)
    recovery = work / "team-draft.yaml.okrcoach-recover.json"
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-2.KR3")
        await append_text(pilot, app, " soon")
        await wait_for(pilot, recovery.exists)
        assert "recovery copy kept" in str(app.main.query_one("#status").render())
        recovered = storage.read_recovery(recovery)
        assert recovered is not None
        assert recovered.doc.objectives[1].key_results[2].text.endswith("X days soon")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not recovery.exists()


async def test_quitting_with_unsaved_changes_asks(work: Path) -> None:
    recovery = work / "team-draft.yaml.okrcoach-recover.json"
    app = make_app(autosave_interval=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-2.KR3")
        await append_text(pilot, app, " soon")
        await wait_for(pilot, recovery.exists)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("escape")  # cancel: still editing
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("d")  # quit without saving
        await pilot.pause()
    assert app.return_value == 0
    assert "soon" not in (work / "team-draft.yaml").read_text() and not recovery.exists()

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-2.KR3")
        await append_text(pilot, app, " soon")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("s")  # save and quit
        await pilot.pause()
    assert "X days soon" in (work / "team-draft.yaml").read_text()


KILL_SCRIPT = """
import asyncio, sys
sys.path.insert(0, {root!r})
from tui.app import OkrCoachApp
from tui.engine import CoachEngine

async def main():
    app = OkrCoachApp(CoachEngine(), path="team-draft.yaml", autosave_interval=0.1, debounce=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        app.main.query_one("#outline").select_id("pay-2.KR3")
        await pilot.pause()
        await pilot.press("enter", *" by Friday")
        print("typed", flush=True)
        await asyncio.sleep(60)  # mid-edit, until killed

asyncio.run(main())
"""


async def test_a_killed_session_is_recovered(work: Path) -> None:
    script = work / "session.py"
    script.write_text(KILL_SCRIPT.format(root=str(ROOT)))
    recovery = work / "team-draft.yaml.okrcoach-recover.json"
    before = (work / "team-draft.yaml").read_text()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, str(script)], cwd=work, env=env, stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == b"typed"
        deadline = time.monotonic() + 20
        while "by Friday" not in (recovery.read_text() if recovery.exists() else ""):
            assert process.poll() is None, "the session ended on its own"
            assert time.monotonic() < deadline, "no recovery copy with the edit was written"
            time.sleep(0.05)
    finally:
        process.kill()  # SIGKILL: no cleanup runs
        process.wait()
    assert (work / "team-draft.yaml").read_text() == before
    assert recovery.exists()

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog) and app.screen.id == "recover"
        await pilot.press("r")
        await pilot.pause()
        assert app.draft.element("pay-2.KR3").text == "Reduce refund handling time to X days by Friday"  # type: ignore[union-attr]
        assert app.draft.dirty
        assert app.main.selected_id == "pay-2.KR3"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert "X days by Friday" in (work / "team-draft.yaml").read_text()
    assert not recovery.exists()


async def test_discarding_the_recovery_copy(work: Path) -> None:
    app = make_app(autosave_interval=0.1)
    recovery = work / "team-draft.yaml.okrcoach-recover.json"
    async with app.run_test(size=(80, 24)) as pilot:
        await select(pilot, app, "pay-2.KR3")
        await append_text(pilot, app, " soon")
        await wait_for(pilot, recovery.exists)
        app.exit()  # ends without the quit dialog, as a crash would
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("d")
        await pilot.pause()
        assert not app.draft.dirty and not recovery.exists()


# -- the whole story, keyboard only ---------------------------------------------------------------------


async def test_a_new_user_from_draft_to_checkin_pack_with_the_keyboard_only(work: Path) -> None:
    """Open, type, watch findings change, take a rewrite, add a baseline, save, produce a check-in pack."""
    (work / "q3-checkins.csv").write_text(
        "date,kr_id,value,confidence,comment\n"
        "2026-07-06,g-1.1,61.5,0.7,\n2026-07-27,g-1.1,61.9,0.5,new checkout page late\n"
        "2026-07-06,g-3.1,31,0.8,\n2026-08-03,g-3.1,33,0.7,\n"
    )
    metrics = ["bi-export.csv", "dashboard-export.csv"]
    app = make_app(
        "growth-draft.yaml",
        engine=engine(metrics=metrics, history="q3-checkins.csv", today=date(2026, 8, 12)),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.main.selected_id == "g-1"  # the first objective, to start with
        await pilot.press("down", "down")
        assert app.main.selected_id == "g-1.2"
        await pilot.press("down", "down", "down", "down", "down", "down")
        assert app.main.selected_id == "g-2.3" and "KR001" in codes(app)
        await pilot.press("enter", "ctrl+a", *"Sign 8 partners")  # typed over the selected text
        await settle(pilot)
        assert app.draft.element("g-2.3").text == "Sign 8 partners"  # type: ignore[union-attr]
        assert "KR001" not in codes(app)
        await pilot.press("escape", "up", "ctrl+r")
        await wait_for(pilot, lambda: getattr(app.screen, "result", None) is not None)
        await pilot.press("tab", *"$250k", "enter")  # the ? of "from ? to $400k", then Enter accepts
        await pilot.pause()
        assert app.draft.element("g-2.2").text == "Raise partner-sourced pipeline from $250k to $400k"  # type: ignore[union-attr]
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: getattr(app.screen, "report", None) is not None)
        await pilot.press("enter")  # the first row: g-1.1, found in the dashboard export
        await pilot.pause()
        await pilot.press("escape")
        assert app.draft.element("g-1.1").baseline == 61.2  # type: ignore[union-attr]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.draft.dirty
        saved = load("growth-draft.yaml")
        assert saved.objectives[0].key_results[0].baseline == 61.2
        assert saved.objectives[1].key_results[2].text == "Sign 8 partners"
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: getattr(app.screen, "result", None) is not None)
        await pilot.press("s", "enter")
        await pilot.pause()
        pack = (work / "growth-draft-checkin-2026-08-12.md").read_text()
        assert pack.startswith("# Check-in questions — Growth, 12 August 2026") and "g-1.1" in pack


# -- the CLI ----------------------------------------------------------------------------------------------


def test_cli_options_and_textual_stays_out_of_review() -> None:
    import argparse

    from coach.cli import tui as cli_tui

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    cli_tui.add_parser(sub)
    flags = ["--date", "2026-02-12", "--model", "m", "--base-url", "http://127.0.0.1:9/v1"]
    args = parser.parse_args(
        ["tui", "d.yaml", "--metrics", "a.csv", "--metrics", "b.csv", "--history", "h.csv", *flags]
    )
    assert args.path == "d.yaml" and args.metrics == ["a.csv", "b.csv"] and args.history == "h.csv"
    assert args.date == "2026-02-12" and args.model == "m" and args.base_url.endswith("/v1")
    code = (
        "import sys, coach.cli, coach.cli.tui; from coach.cli import main; "
        "main(['review', 'examples/team-draft.yaml']); "
        "assert 'textual' not in sys.modules and 'tui' not in sys.modules, 'textual imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    assert "textual imported" not in done.stderr


def test_cli_builds_the_engine_from_flags(work: Path) -> None:
    import argparse

    from coach.cli import tui as cli_tui
    from coach.model import InputError

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    cli_tui.add_parser(sub)
    flags = ["--model", "local", "--base-url", "http://127.0.0.1:9/v1", "--metrics", "bi-export.csv"]
    args = parser.parse_args(
        ["tui", "growth-q1.yaml", "--history", "checkins.csv", "--date", "2026-02-12", "--no-config", *flags]
    )
    built = cli_tui.build_engine(args)
    assert built.today == DAY and built.history == "checkins.csv" and built.metrics == ["bi-export.csv"]
    assert built.model_label == "local"
    args = parser.parse_args(["tui", "--date", "not a date", "--no-config"])
    with pytest.raises(InputError):
        cli_tui.build_engine(args)
    args = parser.parse_args(["tui", "draft.txt", "--no-config"])
    with pytest.raises(InputError):
        cli_tui.run(args)


@pytest.fixture(autouse=True)
def _no_model_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("OKRCOACH_MODEL", "OKRCOACH_BASE_URL", "OPENAI_API_KEY", "OKRCOACH_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    yield
