"""The objective-set review in the TUI (ctrl+g, or s in the tree): the coach's observations about the whole
set, with the elements and passages they rest on, and the set it proposes; who answered and, when the rules
did, why not the model. Read-only: the draft does not change."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from stub_openai import OpenAIStub, Reply, openai_stub_fixture  # noqa: F401

from coach.llm import ModelSpec, Secret
from coach.llm.session import ModelSession
from tui.app import OkrCoachApp
from tui.engine import CoachEngine
from tui.screens.main import MainScreen
from tui.screens.objective_set import ObjectiveSetScreen

pytestmark = pytest.mark.anyio
KEY = "sk-test-0123456789abcdef"

# Two objectives that say the same thing (a duplicate), and one that is a health metric.
DRAFT = """\
team: Payments
objectives:
  - id: pay
    objective: Make paying us effortless for small businesses
    owner: Dana
    key_results:
      - id: pay.1
        text: Raise checkout completion from 61% to 75%
        owner: Dana
      - id: pay.2
        text: Cut failed card payments from 2.8% to 1.5%
        owner: Dana
  - id: pay2
    objective: Make paying us effortless for small businesses!
    owner: Dana
    key_results:
      - id: pay2.1
        text: Raise checkout completion from 61% to 75%.
        owner: Dana
      - id: pay2.2
        text: Cut refund requests from 90 to 30 a week
        owner: Dana
  - id: ops
    objective: Maintain platform stability
    owner: Dana
    key_results:
      - id: ops.1
        text: Keep uptime at 99.9%
        owner: Dana
      - id: ops.2
        text: Keep p95 latency under 300 ms
        owner: Dana
"""
GOOD = {
    "objectives": [
        {
            "text": "Make paying us effortless for small businesses",
            "from_objectives": ["pay", "pay2"],
            "key_results": ["pay.1", "pay.2", "pay2.2"],
        }
    ],
    "health_metrics": ["ops"],
    "rationale": "The two payment objectives are one; stability is watched, not changed.",
    "cited_passages": ["kr-duplicates"],
    "questions": ["Who answers for refunds?"],
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "set.yaml").write_text(DRAFT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_app(session: ModelSession | None = None) -> OkrCoachApp:
    coach = CoachEngine(today=date(2026, 2, 12), embedding="hashing", session=session or ModelSession())
    return OkrCoachApp(coach, path="set.yaml", debounce=0.05, autosave_interval=3600)


def stub_session(stub: OpenAIStub, where: Path) -> ModelSession:
    spec = ModelSpec("openai", "stub-model", stub.url, Secret(KEY), 5.0, 0, "test")
    return ModelSession(spec, cache_dir=where / "cache", use_cache=False)


async def open_review(pilot: Any, app: OkrCoachApp, *keys: str) -> ObjectiveSetScreen:
    deadline = time.monotonic() + 10
    while not app.main.query("#outline"):
        assert time.monotonic() < deadline
        await pilot.pause(0.02)
    await pilot.press(*(keys or ("ctrl+g",)))
    screen = app.screen
    assert isinstance(screen, ObjectiveSetScreen)
    while screen.report is None and screen.error is None:
        assert time.monotonic() < deadline + 10, "timed out waiting for the review"
        await pilot.pause(0.05)
    await pilot.pause()
    return screen


def shown(screen: ObjectiveSetScreen) -> tuple[str, str]:
    lines = [str(line.render()) for line in screen.query(".set-line")]
    return str(screen.query_one("#set-note").render()), "\n".join(lines)


async def test_without_a_model_the_rules_review_the_set_and_nothing_changes(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        before = app.draft.signature()
        screen = await open_review(pilot, app)
        note, body = shown(screen)
        assert "Who answered: no model configured: the rules answered" in note and "Read-only" in note
        assert "duplicate-objective:" in body
        assert "pay2 Make paying us effortless for small businesses!" in body  # the element: id and text
        assert "cites [kr-duplicates]" in body  # the passage each observation rests on
        assert "Proposed set (rules)" in body and "pay — merge" in body
        assert "health metrics, not objectives:\nops Maintain platform stability" in body
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.draft.signature() == before and not app.draft.dirty


async def test_s_in_the_tree_opens_it_and_the_palette_lists_it(work: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.main.query_one("#outline").focus()
        screen = await open_review(pilot, app, "s")
        assert screen.report is not None
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Objective set" in titles


async def test_a_model_that_answers_well_gives_the_set(work: Path, openai_stub: OpenAIStub) -> None:
    openai_stub.respond(Reply.tool_args(GOOD))
    app = make_app(stub_session(openai_stub, work))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot, app)
        note, body = shown(screen)
        assert "Who answered: stub-model answered; its set passed the checks" in note
        assert "Proposed set (stub-model)" in body and "pay — merge" in body
        assert "stability is watched, not changed" in body and "ask: Who answers for refunds?" in body
        assert openai_stub.count == 1
        assert not app.draft.dirty


async def test_a_failing_model_leaves_the_rules_set_and_says_why(work: Path, openai_stub: OpenAIStub) -> None:
    openai_stub.respond(Reply.error(500, "boom"))
    app = make_app(stub_session(openai_stub, work))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot, app)
        note, body = shown(screen)
        assert "stub-model's set was not used" in note and "the rules answered" in note
        assert "The model's set was not used" in body and "HTTP 500" in body
        assert KEY not in note + body


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_set_screen_snapshot(work: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await open_review(pilot, pilot.app)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
