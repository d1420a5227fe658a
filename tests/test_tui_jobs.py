"""The job screens' shared worker (tui.screens.job): a failure ends the wait with its reason, a file that
cannot be read is asked for again, and the progress widget goes once the job has answered."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from coach.model import Document
from tui.app import OkrCoachApp
from tui.engine import CoachEngine, RewriteResult
from tui.screens.checkin import CheckinScreen
from tui.screens.rewrite import RewriteScreen

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.anyio


class BrokenEngine(CoachEngine):
    def rewrite(self, doc: Document, element_id: str, *args: Any, **kwargs: Any) -> RewriteResult:
        raise RuntimeError("the model server went away")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(ROOT / "examples" / "team-draft.yaml", tmp_path / "team-draft.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def wait_for(pilot: Any, condition: Any) -> None:
    for _ in range(500):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out waiting for the UI")


async def test_an_unexpected_failure_of_the_rewrite_ends_the_wait_with_its_reason(work: Path) -> None:
    engine = BrokenEngine(today=date(2026, 2, 12), embedding="hashing")
    app = OkrCoachApp(engine, path="team-draft.yaml", autosave_interval=60)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, RewriteScreen)
        await wait_for(pilot, lambda: screen.result is not None)
        answered = str(screen.query_one("#rewrite-answered").render())
        assert "The coach could not answer: RuntimeError: the model server went away" in answered
        assert not screen.query_one("#rewrite-progress").display
        assert screen.query_one("#rewrite-result").display


async def test_a_history_that_cannot_be_read_is_asked_for_again(work: Path) -> None:
    engine = CoachEngine(today=date(2026, 2, 12), embedding="hashing")
    app = OkrCoachApp(engine, path="team-draft.yaml", autosave_interval=60)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+t")
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        field = screen.query_one("#ci-history", Input)
        assert field.has_focus
        await pilot.press(*"missing.csv", "enter")
        await wait_for(pilot, lambda: "Cannot build the pack" in str(screen.query_one("#ci-note").render()))
        assert field.display and field.has_focus
        assert not screen.query_one("#ci-loading").display
        assert screen.result is None
