"""The language server's diagnostics latency after a keystroke, for a 50-KR draft.

    python benchmarks/lsp.py              # 60 keystrokes, 50 key results
    python benchmarks/lsp.py --keystrokes 200 --krs 100

`okrcoach lsp` runs as an editor starts it (a subprocess over stdio, driven by pygls' LSP client). Each
keystroke is a didChange (one character typed into a key result's text, the whole document sent) and is
timed until the publishDiagnostics for that version arrives, one keystroke at a time:

1. debounce excluded: the server started with `--debounce-ms 0` — IPC, parsing, the rule review and the
   diagnostics' conversion, what a keystroke costs once the debounce fires;
2. debounce included: the default 150 ms debounce — what the user waits after their last keystroke.

The goal (issue 17) is under 50 ms for (1); the ratio to that goal is printed. Figures only: nothing here
is asserted by the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 50.0

KRS = [
    "Raise checkout completion from 61% to 75%",
    "Launch the new invoicing page",
    "Cut failed card payments from 2.8% to 1.5% of attempts",
    "Improve payout reliability",
    "Publish 4 help-centre articles",
]


def draft(krs: int) -> str:
    """`krs` key results, four to an objective, a mix of clean ones and ones the rules flag."""
    lines = ["team: Payments", "period: 2026-Q3", "objectives:"]
    for index in range(krs):
        if index % 4 == 0:
            lines += [f"  - objective: Make paying us effortless for segment {index // 4 + 1}",
                      "    owner: Dana Reyes", "    key_results:"]  # fmt: skip
        lines += [f"      - text: {KRS[index % len(KRS)]} in region {index}", "        owner: Sam Okafor"]
    return "\n".join(lines) + "\n"


async def measure(debounce_ms: int, keystrokes: int, krs: int) -> tuple[list[float], int]:
    client = LanguageClient("okrcoach-benchmark", "1")
    published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_published(params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait(params)

    async def wait_for(version: int) -> types.PublishDiagnosticsParams:
        while True:
            params = await asyncio.wait_for(published.get(), 30)
            if params.version == version:
                return params

    command = ["-m", "coach.cli", "lsp", "--no-config", "--debounce-ms", str(debounce_ms)]
    await client.start_io(sys.executable, *command, cwd=ROOT)
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
    client.initialized(types.InitializedParams())
    with tempfile.TemporaryDirectory() as folder:
        uri = from_fs_path(str(Path(folder) / "draft.yaml")) or ""
        text = draft(krs)
        item = types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
        first = await wait_for(1)
        anchor = text.index("in region 0") + len("in region 0")
        times: list[float] = []
        for version in range(2, keystrokes + 2):
            text = text[:anchor] + "x" + text[anchor:]  # one more character typed
            anchor += 1
            document = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
            change = types.TextDocumentContentChangeWholeDocument(text=text)
            started = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(text_document=document, content_changes=[change])
            )
            await wait_for(version)
            times.append((time.perf_counter() - started) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return times, len(first.diagnostics)


def report(label: str, times: list[float], goal: bool) -> None:
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    line = f"{label:<24} median {median:7.1f} ms   p95 {p95:7.1f} ms"
    if goal:
        line += f"   {median / GOAL_MS:.2f}x the {GOAL_MS:.0f} ms goal"
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keystrokes", type=int, default=60)
    parser.add_argument("--krs", type=int, default=50)
    args = parser.parse_args()
    excluded, found = asyncio.run(measure(0, args.keystrokes, args.krs))
    included, _ = asyncio.run(measure(150, max(args.keystrokes // 3, 5), args.krs))
    print(
        f"didChange -> publishDiagnostics, {args.krs} key results ({found} findings), one keystroke at a time"
    )
    report("debounce excluded", excluded, goal=True)
    report("debounce (150 ms) incl.", included, goal=False)


if __name__ == "__main__":
    main()
