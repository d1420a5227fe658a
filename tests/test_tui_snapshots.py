"""Snapshots of the main screens at 80×24 and 120×40 (pytest-textual-snapshot; SVGs in tests/__snapshots__).

The UI is deterministic for them: a fixed check-in date, no clock, no blinking cursor, relative paths.
Regenerate after a deliberate change with `python -m pytest tests/test_tui_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tui.app import OkrCoachApp
from tui.engine import CoachEngine

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(ROOT / "examples" / "team-draft.yaml", tmp_path / "team-draft.yaml")
    shutil.copy(DATA / "metrics" / "growth-draft.yaml", tmp_path / "growth-draft.yaml")
    shutil.copy(DATA / "metrics" / "dashboard-export.csv", tmp_path / "dashboard-export.csv")
    shutil.copy(DATA / "checkins" / "team-draft.yaml", tmp_path / "growth-q1.yaml")
    shutil.copy(DATA / "checkins" / "clean.csv", tmp_path / "checkins.csv")
    monkeypatch.chdir(tmp_path)
    for name in ("OKRCOACH_MODEL", "OKRCOACH_BASE_URL", "OPENAI_API_KEY", "OKRCOACH_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def app_for(path: str, **engine: Any) -> OkrCoachApp:
    coach = CoachEngine(today=date(2026, 2, 12), embedding="hashing", **engine)
    return OkrCoachApp(coach, path=path, debounce=0.05, autosave_interval=3600)


async def until(pilot: Any, condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)
    await pilot.pause()


async def ready(pilot: Any) -> None:
    """The main screen is composed (run_before can run before it is)."""
    await until(pilot, lambda: bool(pilot.app.screen_stack and pilot.app.main.query("#outline")))


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(work: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        pilot.app.main.query_one("#outline").select_id("pay-1.KR4")
        await pilot.pause()

    assert snap_compare(app_for("team-draft.yaml"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_rewrite_screen(work: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        pilot.app.main.query_one("#outline").select_id("pay-2")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await until(pilot, lambda: getattr(pilot.app.screen, "result", None) is not None)

    assert snap_compare(app_for("team-draft.yaml"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_baselines_screen(work: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: getattr(pilot.app.screen, "report", None) is not None)

    app = app_for("growth-draft.yaml", metrics=["dashboard-export.csv"])
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_checkin_screen(work: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: getattr(pilot.app.screen, "result", None) is not None)

    app = app_for("growth-q1.yaml", history="checkins.csv")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
