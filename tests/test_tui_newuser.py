"""What a new user tripped over in the TUI (issue 17, item 6): the tree's marks read like the status line's
(counts per severity), focus goes back to the tree after a rewrite is taken, an inherited owner is shown with
where it comes from, and the palette's screenshot writes a file the user can find."""

from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from coach.model import Severity
from tui.app import OkrCoachApp
from tui.engine import CoachEngine
from tui.screens.help import key_rows
from tui.screens.main import MainScreen
from tui.screens.rewrite import RewriteScreen
from tui.widgets.outline import ROOT as DOCUMENT
from tui.widgets.outline import OutlineTree

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.anyio
LETTERS = ((Severity.ERROR, "E"), (Severity.WARNING, "W"), (Severity.SUGGESTION, "S"))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(ROOT / "examples" / "team-draft.yaml", tmp_path / "team-draft.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_app(path: str | None = "team-draft.yaml") -> OkrCoachApp:
    engine = CoachEngine(today=date(2026, 2, 12), embedding="hashing")
    return OkrCoachApp(engine, path=path, debounce=0.05, autosave_interval=60)


async def wait_for(pilot: Any, condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the UI"
        await pilot.pause(0.02)


def marks(findings: list[Any]) -> str:
    """Counts per severity, worst first, as the status line writes them: "E1 W2 S1"."""
    return " ".join(
        f"{letter}{n}" for severity, letter in LETTERS if (n := sum(f.severity == severity for f in findings))
    )


async def test_tree_marks_count_each_severity_as_the_status_line_does(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        tree = app.main.query_one(OutlineTree)
        findings = app.main.findings
        ids = set(app.draft.ids())
        mixed = 0
        for element_id in [DOCUMENT, *ids]:
            mine = [f for f in findings if (f.target or DOCUMENT) == element_id]
            node = tree.node_for(element_id)
            assert node is not None
            label = str(node.label)
            expected = marks(mine) or "✓"
            assert label.startswith(expected + " "), (element_id, label, expected)
            mixed += len({f.severity for f in mine}) > 1
        assert mixed, "the example has an element with findings of two severities"
        status = str(app.main.query_one("#status").render())
        assert f"findings {marks(findings)}" in status
        legend = [what for where, keys, what in key_rows(app) if keys.startswith("E")]
        assert legend and "per severity" in legend[0] and "as in the status line" in legend[0]


async def test_focus_goes_back_to_the_tree_on_the_element_after_a_rewrite_is_taken(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.main.query_one(OutlineTree)
        tree.select_id("pay-3.KR1")
        await pilot.pause()
        await pilot.press("enter")  # editing the text
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "editor-text"
        await pilot.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, RewriteScreen)
        await wait_for(pilot, lambda: screen.result is not None)
        await pilot.press("tab", *"97%", "enter", *"99.5%", "enter")  # the ? slots, then Enter accepts
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        text = app.draft.element("pay-3.KR1").text  # type: ignore[union-attr]
        assert text == "Improve payout reliability from 97% to 99.5%"
        assert app.focused is tree
        assert app.main.selected_id == "pay-3.KR1"


async def test_a_rejected_rewrite_leaves_the_focus_where_it_was(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.main.query_one(OutlineTree).select_id("pay-3.KR1")
        await pilot.pause()
        await pilot.press("enter", "ctrl+r")
        screen = app.screen
        await wait_for(pilot, lambda: getattr(screen, "result", None) is not None)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "editor-text"


def owner_field(app: OkrCoachApp) -> Input:
    return app.main.query_one("#field-owner", Input)


async def test_an_inherited_owner_is_shown_with_where_it_comes_from(work: Path) -> None:
    (work / "inherits.yaml").write_text(
        "team: Payments\nowner: Dana Reyes\nperiod: 2026-Q3\nobjectives:\n"
        "  - id: o1\n    objective: Make paying us effortless for small businesses\n"
        "    key_results:\n      - Raise checkout completion from 61% to 75%\n"
        "  - id: o2\n    objective: Small businesses get paid faster with us\n    owner: Sam Okafor\n"
        "    key_results:\n      - Cut payout time from 4 days to 2 days\n"
        "      - text: Cut failed card payments from 2.8% to 1.5%\n        owner: Priya Natarajan\n",
        encoding="utf-8",
    )
    app = make_app("inherits.yaml")
    async with app.run_test(size=(120, 40)) as pilot:
        tree = app.main.query_one(OutlineTree)
        shown = {}
        for element_id in ("o1", "o1.KR1", "o2", "o2.KR1", "o2.KR2"):
            tree.select_id(element_id)
            await pilot.pause()
            field = owner_field(app)
            shown[element_id] = (field.value, field.placeholder)
        assert shown["o1"] == ("", "Dana Reyes (from the draft)")
        assert shown["o1.KR1"] == ("", "Dana Reyes (from the draft)")
        assert shown["o2"][0] == "Sam Okafor"
        assert shown["o2.KR1"] == ("", "Sam Okafor (from the objective)")
        assert shown["o2.KR2"][0] == "Priya Natarajan"
        tree.select_id("o2.KR1")
        await pilot.pause()
        screen_text = app.export_screenshot().replace("&#160;", " ")
        assert "Sam Okafor (from the objective)" in screen_text
        # typing an owner states it on the key result
        owner_field(app).focus()
        await pilot.press(*"Lee")
        await pilot.pause(0.2)
        assert app.draft.element("o2.KR1").owner == "Lee"  # type: ignore[union-attr]


async def test_an_element_with_no_owner_anywhere_shows_the_dash(work: Path) -> None:
    (work / "nobody.yaml").write_text(
        "objectives:\n  - objective: Make paying us effortless\n    key_results:\n"
        "      - Raise checkout completion from 61% to 75%\n",
        encoding="utf-8",
    )
    app = make_app("nobody.yaml")
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.main.query_one(OutlineTree)
        for element_id in app.draft.ids():
            tree.select_id(element_id)
            await pilot.pause()
            assert owner_field(app).placeholder == "—"


@pytest.mark.parametrize("path", ["drafts/team-draft.yaml", None], ids=["draft-folder", "new-draft"])
async def test_the_palette_screenshot_is_saved_where_the_user_finds_it(work: Path, path: str | None) -> None:
    if path:
        (work / "drafts").mkdir()
        shutil.copy(work / "team-draft.yaml", work / path)
    folder = work / "drafts" if path else work
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = set(folder.glob("*.svg"))
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"screenshot")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(set(folder.glob("*.svg")) - before) and bool(app._notifications))
        await pilot.pause(0.2)
        (saved,) = set(folder.glob("*.svg")) - before
        assert saved.read_text(encoding="utf-8").lstrip().startswith("<svg")
        notes = [str(n.message) for n in app._notifications]
        assert any(str(saved) in note for note in notes), notes
        assert not any("Failed" in note for note in notes), notes
        assert "Objectives" in saved.read_text(encoding="utf-8")  # the main screen, not the palette
