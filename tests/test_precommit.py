""".pre-commit-hooks.yaml: it parses, its entry is a real command with those arguments, and its `files`
pattern picks OKR drafts (in the formats okrcoach reads) and leaves other files alone."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from coach.cli import build_parser
from coach.formats import SUFFIXES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def hook() -> dict[str, Any]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and [h["id"] for h in hooks] == ["okrcoach"]
    return dict(hooks[0])


def test_the_hook_has_what_pre_commit_needs(hook: dict[str, Any]) -> None:
    assert hook["name"] and hook["language"] == "python" and hook["require_serial"] is True
    assert hook["entry"] == "okrcoach review"
    assert "types_or" not in hook or set(hook["types_or"]) <= {"yaml", "markdown", "csv", "tsv", "json"}


def test_its_entry_is_the_installed_command_with_those_args(hook: dict[str, Any]) -> None:
    script, command = shlex.split(hook["entry"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts[script] == "coach.cli:main"
    args = build_parser(command).parse_args([command, *hook.get("args", []), "okrs/team.yaml"])
    assert args.paths == ["okrs/team.yaml"] and args.fail_on == "warning"


def test_its_entry_runs_on_the_files_pre_commit_passes(hook: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "okrs").mkdir()
    (tmp_path / "okrs" / "team.yaml").write_text(
        "owner: Dana\nobjectives:\n  - objective: Make paying us effortless for small businesses\n"
        "    key_results:\n      - Launch Apple Pay\n",
        encoding="utf-8",
    )
    (tmp_path / "okrs" / "clean.md").write_text(
        "# Make paying us effortless for small businesses\n\nOwner: Dana\n\n"
        "- Raise checkout completion from 61% to 75%\n- Cut failed card payments from 2.8% to 1.5%\n",
        encoding="utf-8",
    )
    _, command = shlex.split(hook["entry"])
    argv = [sys.executable, "-m", "coach.cli", command, *hook.get("args", [])]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    dirty = subprocess.run([*argv, "okrs/team.yaml"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert dirty.returncode == 1 and "KR001" in dirty.stdout, dirty.stderr  # a warning fails the commit
    clean = subprocess.run([*argv, "okrs/clean.md"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr


@pytest.mark.parametrize(
    "path",
    [
        "okrs/team.yaml",
        "handbook/okrs.md",
        "okrs.csv",
        "okrs/2026/q3/growth.yml",
        "OKRs/Payments.JSON",
        "planning/team-okrs-2026.tsv",
        "handbook/okr_guide.markdown",
    ],
)
def test_files_matches_okr_drafts(hook: dict[str, Any], path: str) -> None:
    assert re.search(hook["files"], path)  # pre-commit matches with re.search


@pytest.mark.parametrize(
    "path",
    [
        "README.txt",
        "README.md",
        "package.json",
        ".github/workflows/ci.yml",
        "docs/bookrack.md",
        "okrs/notes.txt",
        "okrs/export.xlsx.bak",
    ],
)
def test_files_leaves_other_files_alone(hook: dict[str, Any], path: str) -> None:
    assert not re.search(hook["files"], path)


def test_files_covers_every_suffix_okrcoach_reads(hook: dict[str, Any]) -> None:
    for suffix in SUFFIXES:
        assert re.search(hook["files"], f"okrs/team{suffix}"), suffix
        assert re.search(hook["files"], f"okrs/team{suffix.upper()}"), suffix
