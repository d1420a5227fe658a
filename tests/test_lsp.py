"""`okrcoach lsp` driven through pygls' LSP client over stdio, as an editor drives it: diagnostics on open
and after a change, a broken draft, hover, code actions (the rewrite and the suppression), shutdown and exit.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from coach.lsp.features import SEVERITY
from coach.model import InputError
from coach.parse import parse_text
from coach.rules import catalogue

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 30.0

DRAFT = """\
objectives:
  - objective: Make checkout effortless for small businesses
    owner: Dana Reyes
    key_results:
      - text: Launch the new checkout page
        owner: Dana Reyes
      - text: Reduce p95 latency from 450 ms to 300 ms and error rate from 1% to 0.5%
        owner: Sam Okafor
"""
FIXED = DRAFT.replace("Launch the new checkout page", "Raise checkout completion from 61% to 75%")
TASK_LINE = 4  # 0-based: "      - text: Launch the new checkout page"
COMPOUND_LINE = 6


class Editor:
    """An LSP client over the real server process, keeping what it publishes per document."""

    def __init__(self) -> None:
        self.client = LanguageClient("okrcoach-tests", "1")
        self.published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()
        self.versions: dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            self.published.put_nowait(params)

    async def start(self, tmp_path: Path) -> None:
        await self.client.start_io(sys.executable, "-m", "coach.cli", "lsp", "--debounce-ms", "50", cwd=ROOT)
        result = await asyncio.wait_for(
            self.client.initialize_async(
                types.InitializeParams(
                    capabilities=types.ClientCapabilities(), root_uri=from_fs_path(str(tmp_path))
                )
            ),
            TIMEOUT,
        )
        assert result.server_info is not None and result.server_info.name == "okrcoach"
        self.client.initialized(types.InitializedParams())

    def open(self, path: Path, text: str, language: str = "yaml") -> str:
        uri = from_fs_path(str(path))
        assert uri is not None
        self.versions[uri] = 1
        item = types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        document = types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri])
        whole = types.TextDocumentContentChangeWholeDocument(text=text)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=document, content_changes=[whole])
        )

    async def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        """The diagnostics published for the document's latest version."""
        while True:
            params = await asyncio.wait_for(self.published.get(), TIMEOUT)
            if params.uri == uri and params.version == self.versions[uri]:
                return list(params.diagnostics)

    async def stop(self) -> int | None:
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), TIMEOUT)
        server = self.client._server
        return None if server is None else server.returncode


def run(tmp_path: Path, body: Callable[[Editor], Awaitable[None]]) -> None:
    """Start the server, run `body`, then shut it down and check that it exits cleanly (exit code 0)."""

    async def main() -> None:
        editor = Editor()
        await editor.start(tmp_path)
        try:
            await body(editor)
        finally:
            returncode = await editor.stop()
        assert returncode == 0

    asyncio.run(main())


def test_diagnostics_on_open_then_cleared_when_the_task_becomes_an_outcome(tmp_path: Path) -> None:
    async def body(editor: Editor) -> None:
        uri = editor.open(tmp_path / "draft.yaml", DRAFT)
        found = await editor.diagnostics(uri)
        task = [d for d in found if d.code == "KR001"]
        assert len(task) == 1
        assert task[0].source == "okrcoach"
        assert task[0].severity == SEVERITY[catalogue()["KR001"].severity]
        start = DRAFT.splitlines()[TASK_LINE].index("Launch")
        assert task[0].range == types.Range(
            types.Position(TASK_LINE, start),
            types.Position(TASK_LINE, start + len("Launch the new checkout page")),
        )
        editor.change(uri, FIXED)
        after = await editor.diagnostics(uri)
        assert [d.code for d in after if d.code == "KR001"] == []

    run(tmp_path, body)


def test_a_broken_draft_is_one_diagnostic_at_its_line_and_the_server_lives_on(tmp_path: Path) -> None:
    broken = "objectives:\n  - objective: [unclosed\n    key_results: x\n"
    try:
        parse_text(broken, str(tmp_path / "broken.yaml"), "yaml")
    except InputError as error:
        expected = error
    assert expected.line is not None

    async def body(editor: Editor) -> None:
        uri = editor.open(tmp_path / "broken.yaml", broken)
        found = await editor.diagnostics(uri)
        assert len(found) == 1
        assert found[0].severity == types.DiagnosticSeverity.Error
        assert (found[0].range.start.line, found[0].message) == (expected.line - 1, expected.message)
        editor.change(uri, DRAFT)  # the same server reads the repaired draft
        assert "KR001" in [d.code for d in await editor.diagnostics(uri)]

    run(tmp_path, body)


def test_hover_shows_the_rule_docs_and_the_cited_passage(tmp_path: Path) -> None:
    from coach.knowledge import passages

    rule = catalogue()["KR001"]
    passage = passages()[rule.passage]

    async def body(editor: Editor) -> None:
        uri = editor.open(tmp_path / "draft.yaml", DRAFT)
        await editor.diagnostics(uri)
        position = types.Position(TASK_LINE, 20)
        params = types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
        hover = await asyncio.wait_for(editor.client.text_document_hover_async(params), TIMEOUT)
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        text = hover.contents.value
        assert f"KR001 {rule.name}" in text and rule.summary in text
        assert passage.title in text and passage.source in text
        nothing = types.HoverParams(text_document=params.text_document, position=types.Position(0, 0))
        assert await asyncio.wait_for(editor.client.text_document_hover_async(nothing), TIMEOUT) is None

    run(tmp_path, body)


async def _actions(editor: Editor, uri: str, line: int) -> list[types.CodeAction]:
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(types.Position(line, 0), types.Position(line, 0)),
        context=types.CodeActionContext(diagnostics=[]),
    )
    found = await asyncio.wait_for(editor.client.text_document_code_action_async(params), TIMEOUT)
    return [a for a in found or [] if isinstance(a, types.CodeAction)]


def _applied(text: str, action: types.CodeAction, uri: str) -> str:
    assert action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes[uri]
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        return sum(len(line) for line in lines[: position.line]) + position.character

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]


def test_code_actions_offer_the_complete_rewrite_and_a_suppression(tmp_path: Path) -> None:
    async def body(editor: Editor) -> None:
        uri = editor.open(tmp_path / "draft.yaml", DRAFT)
        await editor.diagnostics(uri)
        compound = await _actions(editor, uri, COMPOUND_LINE)
        titles = [a.title for a in compound]
        assert titles[0] == (
            "okrcoach: rewrite as 'Reduce p95 latency from 450 ms to 300 ms' "
            "(then add 'Error rate from 1% to 0.5%' as key results of their own)"
        )
        assert "okrcoach: suppress KR007 here (write the reason)" in titles
        rewritten = _applied(DRAFT, compound[0], uri)
        assert rewritten == DRAFT.replace(" and error rate from 1% to 0.5%", "")

        task = await _actions(editor, uri, TASK_LINE)
        # the task's rule-path rewrite still asks for numbers ('?'): no rewrite, only the suppression
        assert [a.title for a in task] == ["okrcoach: suppress KR001 here (write the reason)"]
        suppressed = _applied(DRAFT, task[0], uri)
        assert 'ignore: ["KR001: reason: ..."]' in suppressed
        editor.change(uri, suppressed)
        codes = [d.code for d in await editor.diagnostics(uri)]
        assert "KR001" not in codes and "DOC002" not in codes

    run(tmp_path, body)


def test_markdown_csv_and_json_drafts_get_diagnostics_too(tmp_path: Path) -> None:
    examples = ROOT / "examples"

    async def body(editor: Editor) -> None:
        for name, language in (
            ("team-draft.md", "markdown"),
            ("team-draft.csv", "csv"),
            ("team-draft.json", "json"),
        ):
            uri = editor.open(tmp_path / name, (examples / name).read_text(encoding="utf-8"), language)
            codes = {d.code for d in await editor.diagnostics(uri)}
            assert {"KR002", "OBJ001"} <= codes, name
        editor.open(tmp_path / "notes.txt", "objectives: []\n", "plaintext")  # not a draft: left alone
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(editor.published.get(), 0.5)

    run(tmp_path, body)
