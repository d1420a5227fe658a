"""The rewrite screen as a coach's choice: a task-like key result comes back with outcome candidates; the
user picks one (1-3), types its baseline and target, and accepts. The task is kept as an initiative where the
draft's format keeps it (YAML: its objective; CSV: the key result's row), and saving writes both. A text
with a ? left is never accepted (the TUI never writes an unknown into the draft)."""

from __future__ import annotations

import csv
import re
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from coach.model import Document, Span
from coach.parse import load
from coach.rewrite import Proposal
from coach.rewrite.candidates import Candidate
from tui.app import OkrCoachApp
from tui.engine import CoachEngine, RewriteResult
from tui.screens.main import MainScreen
from tui.screens.rewrite import RewriteScreen

ROOT = Path(__file__).resolve().parent.parent
TASK = "Publish 4 help-centre articles"  # pay-1.KR4 of the example draft: a task, not an outcome
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("team-draft.yaml", "team-draft.csv"):
        shutil.copy(ROOT / "examples" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_app(path: str, coach: CoachEngine | None = None) -> OkrCoachApp:
    coach = coach or CoachEngine(today=date(2026, 2, 12), embedding="hashing")
    return OkrCoachApp(coach, path=path, debounce=0.05, autosave_interval=3600)


async def wait_for(pilot: Any, condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the UI"
        await pilot.pause(0.02)
    await pilot.pause()


async def open_rewrite(pilot: Any, app: OkrCoachApp, element_id: str) -> RewriteScreen:
    await wait_for(pilot, lambda: bool(app.main.query("#outline")))
    app.main.query_one("#outline").select_id(element_id)  # type: ignore[attr-defined]
    await pilot.pause()
    await pilot.press("ctrl+r")
    screen = app.screen
    assert isinstance(screen, RewriteScreen)
    await wait_for(pilot, lambda: screen.result is not None)
    return screen


def rendered(screen: RewriteScreen, selector: str) -> str:
    """The text shown by a Static, or by the Statics inside a container."""
    widget = screen.query_one(selector)
    inside = [str(w.render()) for w in widget.query(Static) if w.display]
    return "\n".join(inside) if inside else str(widget.render())


def with_numbers(candidate: str) -> str:
    """The candidate as it reads with 30% and 45% typed for its ?."""
    assert re.search(r"from \?%? to \?%?", candidate), candidate
    return re.sub(r"from \?%? to \?%?", "from 30% to 45%", candidate)


async def choose_and_type(pilot: Any, screen: RewriteScreen) -> str:
    """Choose the coach's first outcome that increases, type 30% and 45%, press Enter: the text written."""
    proposal = screen.result.proposal  # type: ignore[union-attr]
    assert proposal is not None and proposal.candidates
    key = next(n for n, c in enumerate(proposal.candidates[:3], start=1) if c.text.startswith("Increase "))
    expected = with_numbers(proposal.candidates[key - 1].text)
    await pilot.press(str(key))  # the baseline field takes the focus
    assert screen.focused is screen.query_one("#rewrite-baseline")
    await pilot.press(*"30%", "enter", *"45%")
    await pilot.pause()
    assert screen.text_to_write() == expected
    assert "Will write" in rendered(screen, "#diff-new-title")
    await pilot.press("enter")
    await pilot.pause()
    return expected


async def test_a_chosen_outcome_with_its_numbers_is_written_and_the_task_kept_under_its_objective(
    work: Path,
) -> None:
    app = make_app("team-draft.yaml")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_rewrite(pilot, app, "pay-1.KR4")
        options = rendered(screen, "#rewrite-options")
        assert f"“{TASK}” is work to do" in options and "initiative of objective pay-1" in options
        for n, candidate in enumerate(screen.result.proposal.candidates, start=1):  # type: ignore[union-attr]
            assert f"{n}. {candidate.text}" in options and candidate.why in options
        assert "To accept, type the baseline and the target" in rendered(screen, "#rewrite-missing")
        expected = await choose_and_type(pilot, screen)
        assert isinstance(app.screen, MainScreen)
        assert re.fullmatch(r"Increase .+ from 30% to 45%", expected)
        kr = app.draft.element("pay-1.KR4")
        assert kr is not None and kr.text == expected and kr.initiatives == []
        assert app.draft.doc.objectives[0].initiatives == [TASK]

        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        saved = (work / "team-draft.yaml").read_text()
        assert saved.startswith("# Payments team at Ledgerline")  # written surgically: comments kept
        doc = load(str(work / "team-draft.yaml"))
        assert doc.objectives[0].initiatives == [TASK]
        assert doc.objectives[0].key_results[3].text == expected
        assert "?" not in doc.objectives[0].key_results[3].text

        await pilot.press("ctrl+z")  # one undo takes back the text and the initiative
        await pilot.pause()
        assert app.draft.element("pay-1.KR4").text == TASK  # type: ignore[union-attr]
        assert app.draft.doc.objectives[0].initiatives == []


async def test_in_a_csv_draft_the_task_goes_to_the_key_results_row(work: Path) -> None:
    app = make_app("team-draft.csv")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_rewrite(pilot, app, "pay-1.KR4")
        assert "initiatives cell" in rendered(screen, "#rewrite-options")
        expected = await choose_and_type(pilot, screen)
        kr = app.draft.element("pay-1.KR4")
        assert kr is not None and kr.text == expected and kr.initiatives == [TASK]
        assert app.draft.doc.objectives[0].initiatives == []
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
    with (work / "team-draft.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    row = next(r for r in rows if r["key result"] == expected)
    assert row["initiatives"] == TASK
    assert not any(r["key result"] == TASK for r in rows)
    assert len(rows) == 9  # no row added, none lost


async def test_accept_is_refused_while_a_question_mark_is_left(work: Path) -> None:
    app = make_app("team-draft.yaml")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_rewrite(pilot, app, "pay-1.KR4")
        assert screen.check_action("accept", ()) is None  # shown, dimmed
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is screen and not app.draft.dirty

        await pilot.press("1", *"30%", "escape")  # the baseline only; Escape leaves the field, not the screen
        await pilot.pause()
        assert app.screen is screen and "?" in (screen.text_to_write() or "")
        assert "type the target" in rendered(screen, "#rewrite-missing")
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is screen and not app.draft.dirty
        screen.query_one("#rewrite-baseline").focus()
        await pilot.press("enter")  # Enter in a number field accepts only a complete text
        await pilot.pause()
        assert app.screen is screen and not app.draft.dirty
        assert screen.focused is screen.query_one("#rewrite-target")  # taken to what is missing

        await pilot.press("escape", "e")  # the whole text, its ? still in it: Enter refuses it too
        field = screen.query_one("#rewrite-edit")
        assert field.has_focus and "?" in field.value  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and not app.draft.dirty
        assert any("Not accepted" in (n.title or "") for n in app._notifications)  # told why

        await pilot.press("escape")  # leaves the edit
        screen.query_one("#rewrite-target").focus()
        await pilot.press(*"45%", "escape", "a")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.draft.element("pay-1.KR4").text.endswith("from 30% to 45%")  # type: ignore[union-attr]


class Scripted(CoachEngine):
    """An engine whose rewrite is the proposal the test gives."""

    def __init__(self, proposal: Proposal) -> None:
        super().__init__(today=date(2026, 2, 12), embedding="hashing")
        self.proposal = proposal

    def rewrite(self, doc: Document, element_id: str) -> RewriteResult:
        return RewriteResult(self.proposal, "the rules answered", [])


def proposal(target: str, draft: str, text: str | None, **fields: Any) -> Proposal:
    return Proposal(
        target, "key_result", "rewrite_kr", Span("team-draft.yaml", 1, 1), draft, text, "", "rules", **fields
    )


async def test_held_back_shows_why_and_the_questions_and_accepts_nothing(work: Path) -> None:
    held = proposal(
        "pay-3.KR1", "Improve payout reliability", None,
        held_back="the rewrite would add KR009", questions=["How is payout reliability measured?"],
    )  # fmt: skip
    app = make_app("team-draft.yaml", Scripted(held))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_rewrite(pilot, app, "pay-3.KR1")
        assert "No rewrite text: the rewrite would add KR009" in rendered(screen, "#rewrite-answered")
        assert "Ask: How is payout reliability measured?" in rendered(screen, "#rewrite-details")
        assert screen.check_action("accept", ()) is False and screen.check_action("edit", ()) is True
        assert not screen.query_one("#rewrite-options").display
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is screen and not app.draft.dirty


async def test_numbers_the_draft_states_are_filled_in(work: Path) -> None:
    # pay-1.KR1 states baseline 61% and target 75%: a proposal asking for them gets them, ready to accept.
    asked = proposal(
        "pay-1.KR1",
        "Raise checkout completion from 61% to 75%",
        "Increase checkout completion rate from ?% to ?%",
    )
    app = make_app("team-draft.yaml", Scripted(asked))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_rewrite(pilot, app, "pay-1.KR1")
        assert screen.query_one("#rewrite-baseline").value == "61%"  # type: ignore[attr-defined]
        assert screen.query_one("#rewrite-target").value == "75%"  # type: ignore[attr-defined]
        assert screen.check_action("accept", ()) is True
        await pilot.press("a")
        await pilot.pause()
        assert app.draft.element("pay-1.KR1").text == "Increase checkout completion rate from 61% to 75%"  # type: ignore[union-attr]


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


CANDIDATES = [
    Candidate(
        None, "Increase self-service resolution rate from ?% to ?%", "help articles answer questions", True
    ),
    Candidate(
        None,
        "Reduce support tickets about invoices from ? to ? a week",
        "fewer questions reach support",
        True,
    ),
    Candidate(
        None, "Increase help-centre search success rate from ?% to ?%", "readers find the answer", False
    ),
]


@pytest.mark.parametrize("size", SIZES)
def test_choice_screen_snapshot(work: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    """Three outcomes offered for a task, the second chosen, its baseline typed, the target still asked for.
    (A scripted proposal: the snapshot does not move with the metric catalogue.)"""
    offered = proposal(
        "pay-1.KR4", TASK, CANDIDATES[0].text, candidates=CANDIDATES, initiative=TASK,
        questions=["What is that number today, and where is it recorded?"],
    )  # fmt: skip

    async def run_before(pilot: Any) -> None:
        screen = await open_rewrite(pilot, pilot.app, "pay-1.KR4")
        await pilot.press("2", *"120")
        await wait_for(pilot, lambda: "type the target" in rendered(screen, "#rewrite-missing"))

    app = make_app("team-draft.yaml", Scripted(offered))
    assert snap_compare(app, terminal_size=size, run_before=run_before)
