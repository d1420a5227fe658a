"""Ask the coach in the TUI (ctrl+l): a question answered from the passages and the metric catalogue, as
`okrcoach ask` answers it. Without a model, or when the model's answer is refused, the retrieved sources,
labelled "retrieved, not a written answer", with the reason; with a model that answers well, its answer and
the sources it cites. A real hashing store in a temp folder, the loopback stub server as the model."""

from __future__ import annotations

import re
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from stub_openai import KEY_ECHO, OpenAIStub, Reply, StubRequest, openai_stub_fixture  # noqa: F401
from textual.widgets import Input

from coach.ask import NO_MODEL
from coach.knowledge.store import KnowledgeStore, StoreSettings
from coach.llm import ModelSpec, Secret
from coach.llm.session import ModelSession
from tui.app import OkrCoachApp
from tui.engine import CoachEngine
from tui.screens.ask import HINT, AskScreen
from tui.screens.main import MainScreen

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.anyio
KEY = "sk-test-TUIASK-0123456789abcdef"
QUESTION = "how do we measure developer experience?"
_LISTED = re.compile(r"^\[([a-z0-9][a-z0-9._-]*)\]", re.M)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> StoreSettings:
    """One hashing store for the module, built once."""
    built = StoreSettings(cache_dir=tmp_path_factory.mktemp("tui-ask-store"), embedding="hashing")
    KnowledgeStore(built).build()
    return built


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(ROOT / "examples" / "team-draft.yaml", tmp_path / "team-draft.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_app(store: StoreSettings, session: ModelSession | None = None) -> OkrCoachApp:
    engine = CoachEngine(
        today=date(2026, 2, 12), embedding="hashing", session=session or ModelSession(), store=store
    )
    return OkrCoachApp(engine, path="team-draft.yaml", debounce=0.05, autosave_interval=3600)


def stub_session(stub: OpenAIStub, where: Path) -> ModelSession:
    spec = ModelSpec("openai", "stub-model", stub.url, Secret(KEY), 5.0, 0, "test")
    return ModelSession(spec, cache_dir=where / "cache", use_cache=False)


def listed(request: StubRequest) -> list[str]:
    """The passage and metric ids the prompt lists, in order (passages first)."""
    return _LISTED.findall(request.user_text)


def grounded(request: StubRequest) -> Reply:
    ids = listed(request)
    text = f"Start from an outcome the team can move [{ids[0]}], and track it with [{ids[-1]}] each cycle."
    return Reply.tool_args({"answer": text, "cited": [ids[0], ids[-1]]})


async def open_ask(pilot: Any, app: OkrCoachApp) -> AskScreen:
    deadline = time.monotonic() + 10
    while not app.main.query("#outline"):
        assert time.monotonic() < deadline
        await pilot.pause(0.02)
    await pilot.press("ctrl+l")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, AskScreen)
    return screen


async def ask(pilot: Any, screen: AskScreen, question: str = QUESTION) -> None:
    field = screen.query_one("#ask-question", Input)
    assert field.has_focus  # the question field has the focus when the screen opens
    field.value = question
    await pilot.press("enter")
    deadline = time.monotonic() + 20
    while screen.result is None and screen.error is None:
        assert time.monotonic() < deadline, "timed out waiting for the answer"
        await pilot.pause(0.05)
    await pilot.pause()


def shown(screen: AskScreen) -> tuple[str, str]:
    lines = [str(line.render()) for line in screen.query(".ask-line")]
    return str(screen.query_one("#ask-note").render()), "\n".join(lines)


async def test_without_a_model_the_retrieved_sources_are_shown_with_the_reason(
    work: Path, store: StoreSettings
) -> None:
    app = make_app(store)
    async with app.run_test(size=(110, 40)) as pilot:
        before = app.draft.signature()
        screen = await open_ask(pilot, app)
        assert str(screen.query_one("#ask-note").render()) == HINT
        await ask(pilot, screen)
        note, body = shown(screen)
        assert note == f"Retrieved, not a written answer: {NO_MODEL}"
        assert f"Question: {QUESTION}" in body and "Answer (" not in body
        result = screen.result
        assert len(result.passages) == 4 and len(result.metrics) == 4
        for p in result.passages:  # id, title, excerpt and source of each
            assert f"[{p.id}] {p.title}" in body and result.excerpts[p.id][:40] in body
            assert f"source: {' '.join(p.source.split())}" in body
        for m in result.metrics:  # name, direction, unit, definition and source of each
            assert f"[{m.id}] {m.name} — {m.direction}; unit: {m.unit}" in body
            assert " ".join(m.definition.split())[:40] in body
        assert "\nPassages\n" in body and "\nMetrics\n" in body
        assert "Found by: hashing-v1-1024 embedding" in body
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.draft.signature() == before and not app.draft.dirty


async def test_an_empty_question_does_nothing(
    work: Path, store: StoreSettings, openai_stub: OpenAIStub
) -> None:
    openai_stub.respond(grounded)
    app = make_app(store, stub_session(openai_stub, work))
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_ask(pilot, app)
        for question in ("", "   "):
            screen.query_one("#ask-question", Input).value = question
            await pilot.press("enter")
            await pilot.pause(0.1)
            assert not screen.workers and screen.asking is None
            assert screen.result is None and screen.error is None
            assert str(screen.query_one("#ask-note").render()) == HINT
            assert not screen.query(".ask-line") and isinstance(app.screen, AskScreen)
        assert openai_stub.count == 0


async def test_a_grounded_answer_is_shown_with_its_citations(
    work: Path, store: StoreSettings, openai_stub: OpenAIStub
) -> None:
    openai_stub.respond(grounded)
    app = make_app(store, stub_session(openai_stub, work))
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_ask(pilot, app)
        await ask(pilot, screen)
        note, body = shown(screen)
        result = screen.result
        first, last = result.cited
        assert note == "Answered by stub-model, from the sources below."
        assert "Answer (stub-model)" in body
        assert f"Start from an outcome the team can move [{first}], and track it with [{last}]" in body
        assert "Passages cited" in body and "Metrics cited" in body
        cited_passage = next(p for p in result.passages if p.id == first)
        cited_metric = next(m for m in result.metrics if m.id == last)
        assert f"[{first}] {cited_passage.title}" in body and f"[{last}] {cited_metric.name}" in body
        others = [i.id for i in [*result.passages, *result.metrics] if i.id not in {first, last}]
        assert f"Also retrieved: {', '.join(others)}" in body
        assert openai_stub.count == 1 and not app.draft.dirty


async def test_a_refused_answer_leaves_the_retrieved_sources_and_says_why(
    work: Path, store: StoreSettings, openai_stub: OpenAIStub
) -> None:
    def made_up(request: StubRequest) -> Reply:
        return Reply.tool_args({"answer": "Track [made-up-id] weekly.", "cited": ["made-up-id"]})

    openai_stub.respond(made_up)
    app = make_app(store, stub_session(openai_stub, work))
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_ask(pilot, app)
        await ask(pilot, screen)
        note, body = shown(screen)
        assert note.startswith("Retrieved, not a written answer: the model's answer was refused: ")
        assert "cites 'made-up-id', not among" in note
        assert "Answer (" not in body and "made-up-id" not in body
        assert "\nPassages\n" in body and "\nMetrics\n" in body
        assert all(f"[{p.id}]" in body for p in screen.result.passages)


async def test_the_api_key_never_appears_on_screen(
    work: Path, store: StoreSettings, openai_stub: OpenAIStub
) -> None:
    def echo(request: StubRequest) -> Reply:
        ids = listed(request)
        answer = f"Track [{ids[0]}]; the key is {KEY_ECHO}."
        return Reply.tool_args({"answer": answer, "cited": [ids[0]]}).with_headers({"x-key": KEY_ECHO})

    openai_stub.respond(echo)
    app = make_app(store, stub_session(openai_stub, work))
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_ask(pilot, app)
        await ask(pilot, screen)
        assert openai_stub.last.api_key == KEY  # the key was sent, and echoed back
        note, body = shown(screen)
        assert note.startswith("Retrieved, not a written answer: the model did not answer: ")
        assert "repeats the API key" in note and screen.result.answer is None
        screenshot = app.export_screenshot()
        for text in (note, body, screenshot):
            assert KEY not in text and KEY[-12:] not in text


async def test_the_palette_and_the_help_list_it(work: Path, store: StoreSettings) -> None:
    app = make_app(store)
    async with app.run_test(size=(110, 40)) as pilot:
        await open_ask(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert commands["Ask the coach"].endswith("(ctrl+l)")
        await pilot.press("f1")
        await pilot.pause()
        from tui.screens.help import key_rows

        rows = key_rows(app)
        assert ("everywhere", "^l", "Ask the coach") in rows and ("ask", "esc", "Close") in rows
