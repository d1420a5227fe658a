"""The TUI's baselines screen writes a found baseline by the rule `okrcoach baselines --write` follows
(issue 17, item 6): the `baseline:` field where the draft's format has one, the text as it was; the text form
elsewhere. One undo step takes it back; the detail line says which will be written."""

from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from coach.parse import load
from coach.write.dump import dump
from tui.app import OkrCoachApp
from tui.engine import CoachEngine
from tui.screens.baselines import BaselinesScreen

DATA = Path(__file__).resolve().parent / "data" / "metrics"
METRICS = ["bi-export.csv", "dashboard-export.csv"]
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("growth-draft.yaml", *METRICS):
        shutil.copy(DATA / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_app(path: str) -> OkrCoachApp:
    engine = CoachEngine(today=date(2026, 2, 12), embedding="hashing", metrics=METRICS)
    return OkrCoachApp(engine, path=path, debounce=0.05, autosave_interval=60)


async def wait_for(pilot: Any, condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the UI")
        await pilot.pause(0.02)


async def open_on_first_found(pilot: Any, app: OkrCoachApp) -> tuple[BaselinesScreen, Any]:
    await pilot.press("ctrl+b")
    screen = app.screen
    assert isinstance(screen, BaselinesScreen)
    await wait_for(pilot, lambda: screen.report is not None)
    target = next(p for p in screen.report.proposals if p.rewrite)
    screen.query_one(DataTable).move_cursor(row=screen.report.proposals.index(target))
    await pilot.pause()
    return screen, target


def detail(screen: BaselinesScreen) -> str:
    return str(screen.query_one("#bl-detail").render())


async def test_yaml_draft_gets_the_baseline_field_and_keeps_its_text(work: Path) -> None:
    before = (work / "growth-draft.yaml").read_text()
    app = make_app("growth-draft.yaml")
    async with app.run_test(size=(100, 32)) as pilot:
        screen, target = await open_on_first_found(pilot, app)
        assert target.kr_id == "g-1.1" and target.field_value == 61.2
        assert f"Enter writes: baseline: {target.value_text}" in detail(screen)
        assert target.rewrite not in detail(screen)
        await pilot.press("enter")
        await pilot.pause()
        kr = app.draft.element("g-1.1")
        assert kr is not None and kr.text == "Raise checkout completion to 65%"
        assert kr.baseline == 61.2  # type: ignore[union-attr]
        assert f"Written: baseline: {target.value_text}" in detail(screen)
        await pilot.press("escape", "ctrl+z")  # one step takes it back
        await pilot.pause()
        kr = app.draft.element("g-1.1")
        assert kr.baseline is None and kr.text == "Raise checkout completion to 65%"  # type: ignore[union-attr]
        assert not app.draft.dirty
        await pilot.press("ctrl+y", "ctrl+s")
        await pilot.pause()
        assert not app.draft.dirty
    saved = (work / "growth-draft.yaml").read_text()
    assert "        text: Raise checkout completion to 65%\n" in saved  # the text line as it was
    assert "baseline: 61.2" in saved and "from 61.2%" not in saved
    assert saved.startswith("# Growth team at Ledgerline")  # comments kept: a surgical edit
    added = [line for line in saved.splitlines() if line not in before.splitlines()]
    assert [line.strip() for line in added] == ["baseline: 61.2"]
    kr = load(str(work / "growth-draft.yaml")).objectives[0].key_results[0]
    assert kr.baseline == 61.2 and kr.text == "Raise checkout completion to 65%"


async def test_markdown_draft_keeps_the_text_form(work: Path) -> None:
    doc = load(str(work / "growth-draft.yaml"))
    (work / "growth-draft.md").write_text(dump(doc, "markdown"))
    app = make_app("growth-draft.md")
    async with app.run_test(size=(100, 32)) as pilot:
        screen, target = await open_on_first_found(pilot, app)
        assert f"Enter writes: {target.rewrite}" in detail(screen)
        await pilot.press("enter")
        await pilot.pause()
        kr = app.draft.element(target.kr_id)
        assert kr is not None and kr.text == target.rewrite
        assert kr.baseline is None  # type: ignore[union-attr]
        await pilot.press("escape", "ctrl+s")
        await pilot.pause()
    assert target.rewrite in (work / "growth-draft.md").read_text()
