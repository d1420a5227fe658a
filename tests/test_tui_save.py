"""Issue 13, part 7: the TUI saves only what changed, driven with Pilot.

Add a key result (ctrl+n) to a YAML draft and save: comments, key names, links, tags, `confidence: 7` and an
unreadable `confidence: 150%` survive; KR016 shows on its key result; ctrl+a selects all in the Save as
dialog; a new draft's placeholders are never saved as content; a save that must rewrite the whole file
asks first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Input

from coach.parse import load
from tui.app import OkrCoachApp
from tui.engine import CoachEngine
from tui.screens.dialogs import ChoiceDialog, PathDialog
from tui.state import NEW_KEY_RESULT, NEW_OBJECTIVE
from tui.widgets.findings import FindingsList

pytestmark = pytest.mark.anyio
DEBOUNCE = 0.05

DRAFT = """\
# Payments, first draft: keep this comment
team: Payments
objectives:
  - id: pay-1
    objective: Make paying us effortless   # the company asked for this
    key_results:
      - key_result: Raise checkout completion from 61% to 75%
        links: [https://dash.example/checkout]
        tags: [checkout, q3]
        confidence: 7
      - key_result: Cut failed card payments from 2.8% to 1.5%
        confidence: 150%
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "draft.yaml").write_text(DRAFT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_app(path: str | None = "draft.yaml") -> OkrCoachApp:
    engine = CoachEngine(embedding="hashing")
    return OkrCoachApp(engine, path=path, debounce=DEBOUNCE, autosave_interval=60)


async def select(pilot: Any, app: OkrCoachApp, element_id: str | None) -> None:
    app.main.query_one("#outline").select_id(element_id)  # type: ignore[attr-defined]
    await pilot.pause()


async def paste(pilot: Any, app: OkrCoachApp, text: str) -> None:
    app.post_message(events.Paste(text))
    await pilot.pause()


async def test_adding_a_key_result_keeps_comments_key_names_unknown_fields_and_spellings(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await select(pilot, app, "pay-1.KR1")
        await pilot.press("ctrl+n")  # a new key result after the selected one, its placeholder selected
        await paste(pilot, app, "Reduce refund handling time from 6 to 2 days")
        await pilot.pause(DEBOUNCE * 2)
        assert "whole file" not in str(app.main.query_one("#status").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceDialog)  # nothing to ask: written in place
        text = (work / "draft.yaml").read_text()
        assert text == DRAFT.replace(
            "        confidence: 7\n",
            "        confidence: 7\n      - key_result: Reduce refund handling time from 6 to 2 days\n",
        )
        assert not (work / "draft.yaml.bak").exists()
        assert app.last_save is not None and not app.last_save.whole and not app.draft.dirty
        assert [kr.text for kr in load("draft.yaml").key_results()][1].startswith("Reduce refund")


async def test_an_unreadable_confidence_shows_on_its_key_result(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(DEBOUNCE * 4)
        await select(pilot, app, "pay-1.KR2")
        codes = [f.code for f in app.main.query_one(FindingsList).findings]
        assert "KR016" in codes
        await select(pilot, app, None)  # the whole draft: not there
        assert "KR016" not in [f.code for f in app.main.query_one(FindingsList).findings]


async def test_ctrl_a_selects_all_in_the_save_as_dialog(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.action_save_as()
        await pilot.pause()
        assert isinstance(app.screen, PathDialog)
        await pilot.press("ctrl+a", *"copy")
        assert app.screen.query_one(Input).value == "copy"  # typed over, not appended to the old name
        await pilot.press("enter")
        await pilot.pause()
        assert (work / "copy.yaml").exists() and not list(work.glob("draft.yamlcopy*"))


async def test_a_new_drafts_placeholders_are_never_saved(work: Path) -> None:
    app = make_app(None)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.draft.doc.objectives[0].text == NEW_OBJECTIVE
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+u", *"agency", "enter")
        await pilot.pause()
        assert not (work / "agency.yaml").exists()  # the objective is still the placeholder: refused
        await select(pilot, app, "O1")
        await pilot.press("enter", "ctrl+a")
        await paste(pilot, app, "Small agencies get paid without chasing clients")
        await pilot.pause(DEBOUNCE * 2)
        await pilot.press("escape", "ctrl+s")
        await pilot.pause()
        if isinstance(app.screen, PathDialog):
            await pilot.press("ctrl+u", *"agency", "enter")
            await pilot.pause()
        text = (work / "agency.yaml").read_text()
        assert NEW_KEY_RESULT not in text and NEW_OBJECTIVE not in text
        assert "Small agencies get paid without chasing clients" in text
        assert app.draft.doc.key_results() == [] and not app.draft.dirty


async def test_a_save_that_must_rewrite_the_whole_file_asks_first(work: Path) -> None:
    source = "# notes\n\n## Make paying us effortless\n\n| Key result | Owner |\n|---|---|\n"
    source += "| Raise checkout completion from 61% to 75% | Dana |\n"  # a table: not edited in place
    (work / "draft.md").write_text(source)
    app = make_app("draft.md")
    async with app.run_test(size=(100, 30)) as pilot:
        await select(pilot, app, "O1.KR1")
        await pilot.press("ctrl+n")
        await paste(pilot, app, "Cut failed card payments from 2.8% to 1.5%")
        await pilot.pause(DEBOUNCE * 2)
        app.main.update_status()
        assert "saving rewrites the whole file (it will ask first)" in str(
            app.main.query_one("#status").render()
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog) and app.screen.id == "rewrite-whole"
        assert (work / "draft.md").read_text() == source  # asked before writing
        await pilot.press("escape")
        await pilot.pause()
        assert (work / "draft.md").read_text() == source and app.draft.dirty
