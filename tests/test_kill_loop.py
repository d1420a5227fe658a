"""A small sample of scripts/kill_loop.py: SIGKILL during `baselines --write` never corrupts anything.

The full loop (`python scripts/kill_loop.py --runs 60`) is for people changing coach/io.py; CI runs ten."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "kill_loop.py"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_writes_leave_the_old_or_the_new_draft_and_no_debris() -> None:
    spec = importlib.util.spec_from_file_location("kill_loop", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["kill_loop"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    counts = module.kill_loop(10, seed=7, pad_kb=256)
    assert counts.runs == 10 and counts.old + counts.new == 10, counts.line()
    assert counts.ok, "\n".join([counts.line(), *counts.problems])
