"""The wheel ships the data folders, and the engine finds them from inside a zip (importlib.resources)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_knowledge_and_prompts_and_runs_from_a_zip(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("okrcoach-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {Path(n).name for n in names if n.startswith("coach/_data/knowledge/")}
    assert {p.name for p in (ROOT / "knowledge").glob("*.md")} <= shipped
    assert any(n.startswith("coach/_data/prompts/") for n in names)
    assert "tui/__init__.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "okrcoach = coach.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    # Import straight from the wheel (a zip): the knowledge must come from inside it, not the checkout.
    code = "from coach.knowledge import passages; p = passages(); print(len(p), p['kr-binary'].path)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(wheel)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    count, path = run.stdout.split()
    assert int(count) == len(list((ROOT / "knowledge").glob("*.md")))
    assert path.startswith(str(wheel)), path  # read from inside the wheel
