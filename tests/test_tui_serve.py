"""`okrcoach tui --serve`: the TUI in a browser through textual-serve, on localhost by default."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from coach.cli import build_parser, main
from coach.cli.tui import serve_command

ROOT = Path(__file__).resolve().parent.parent
DRAFT = ROOT / "examples" / "team-draft.yaml"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_each_browser_session_runs_the_same_tui_without_the_serving_flags(tmp_path: Path) -> None:
    args = build_parser("tui").parse_args(
        ["tui", str(DRAFT), "--serve", "--port", "9001", "--metrics", "m.csv", "--no-config"]
    )
    command = shlex.split(serve_command(args))
    assert command[:4] == [sys.executable, "-m", "coach.cli", "tui"]
    assert command[4] == str(DRAFT) and "--serve" not in command and "--port" not in command
    assert command[command.index("--metrics") + 1] == str(Path("m.csv").resolve())
    assert command[-1] == "--no-config"


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_port_out_of_range_is_a_one_line_error(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tui", str(DRAFT), "--serve", "--port", port, "--no-config"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--port" in err


def test_the_page_is_served_on_localhost(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "OKRCOACH_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "coach.cli", "tui", str(DRAFT), "--serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--no-config"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        page, deadline = "", time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://localhost:{port}/", timeout=5) as response:
                    assert response.status == 200
                    page = response.read().decode("utf-8")
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.3)
        assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
        assert "okrcoach" in page and "<html" in page.lower()
        # it listens on localhost only: not on the machine's other addresses
        with socket.socket() as sock:
            sock.settimeout(2)
            outside = socket.gethostbyname(socket.gethostname())
            if not outside.startswith("127."):
                assert sock.connect_ex((outside, port)) != 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
