"""`okrcoach lsp`: a language server over stdio (pygls) for Markdown, YAML, CSV and JSON drafts.

- Diagnostics: the rules' findings (never a model), published on open and save at once and after each
  change once the document has been quiet for the debounce (150 ms); a draft that cannot be read is one
  diagnostic at its line.
- Hover: on a line with findings, each rule's documentation and the passage it cites.
- Code actions: the rule-path rewrite of the element when it is complete (no `?` left), and an inline
  suppression with a reason to fill in.

Only this package speaks LSP; the engine does the judging.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from coach import __version__
from coach.lsp import features
from coach.lsp.check import Checked, Configs, check, format_of

if TYPE_CHECKING:
    from coach.rewrite import Proposal

DEBOUNCE_S = 0.15


class CoachServer(LanguageServer):
    """The server and what it knows of each open draft: the last check, the pending one, its rewrites."""

    def __init__(self, configs: Configs, debounce_s: float = DEBOUNCE_S) -> None:
        super().__init__(
            "okrcoach", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.configs = configs
        self.debounce_s = debounce_s
        self.checked: dict[str, Checked] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.rewrites: dict[tuple[str, int | None], list[Proposal]] = {}
        self.languages: dict[str, str] = {}

    def current(self, uri: str) -> Checked | None:
        """The draft checked at its latest version (checked now when a debounced check is still pending)."""
        document = self.workspace.get_text_document(uri)
        fmt = format_of(document.path or uri, self.languages.get(uri))
        if fmt is None:
            return None
        known = self.checked.get(uri)
        if known is not None and known.version == document.version and known.text == document.source:
            return known
        known = check(document.source, _path(uri), fmt, document.version, self.configs)
        self.checked[uri] = known
        return known

    def publish(self, uri: str) -> None:
        checked = self.current(uri)
        if checked is None:
            return
        diagnostics = features.diagnostics(checked, self.workspace.position_codec)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=checked.version)
        )

    def schedule(self, uri: str, delay: float) -> None:
        """Publish after `delay` seconds of quiet: a newer change cancels the wait."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        if delay <= 0:
            self.publish(uri)
            return
        self.pending[uri] = asyncio.get_running_loop().create_task(self._later(uri, delay))

    async def _later(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        self.pending.pop(uri, None)
        self.publish(uri)

    def proposals(self, checked: Checked, uri: str) -> list[Proposal]:
        """The rule path's rewrites of this version (computed on the first code action asked for it)."""
        key = (uri, checked.version)
        if key not in self.rewrites:
            from coach.rewrite import rewrite_document

            assert checked.doc is not None
            self.rewrites = {k: v for k, v in self.rewrites.items() if k[0] != uri}
            self.rewrites[key] = rewrite_document(checked.doc, checked.config).proposals
        return self.rewrites[key]


def _path(uri: str) -> str:
    return to_fs_path(uri) or uri


def build(configs: Configs | None = None, debounce_s: float = DEBOUNCE_S) -> CoachServer:
    server = CoachServer(configs or Configs(), debounce_s)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CoachServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.languages[params.text_document.uri] = params.text_document.language_id
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CoachServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce_s)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CoachServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CoachServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        waiting = ls.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        for store in (ls.checked, ls.languages):
            store.pop(uri, None)
        ls.rewrites = {k: v for k, v in ls.rewrites.items() if k[0] != uri}
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: CoachServer, params: types.HoverParams) -> types.Hover | None:
        checked = ls.current(params.text_document.uri)
        return None if checked is None else features.hover(checked, params.position.line)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: CoachServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        checked = ls.current(uri)
        if checked is None or checked.doc is None:
            return None
        first, last = params.range.start.line, params.range.end.line
        if not features.on_lines(checked, first, last):
            return None
        codec = ls.workspace.position_codec
        return features.code_actions(checked, uri, first, last, codec, ls.proposals(checked, uri)) or None

    return server


def serve(configs: Configs | None = None, debounce_s: float = DEBOUNCE_S) -> None:
    """Run the server on stdin and stdout until the client says exit."""
    build(configs, debounce_s).start_io()
