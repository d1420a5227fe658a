"""`okrcoach review` starts without importing the other commands' modules, and the parser it builds
lists them as the whole parser does."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import _COMMANDS, build_parser

ROOT = Path(__file__).resolve().parent.parent


def _commands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def _help_lines(parser: argparse.ArgumentParser) -> list[tuple[str, str | None]]:
    return [(action.dest, action.help) for action in _commands(parser)._choices_actions]


@pytest.mark.parametrize("command", ["", *_COMMANDS])
def test_every_parser_lists_the_commands_as_the_whole_one(command: str) -> None:
    assert _help_lines(build_parser(command)) == _help_lines(build_parser())


@pytest.mark.parametrize("command", list(_COMMANDS))
def test_the_command_given_has_all_its_arguments(command: str) -> None:
    whole = _commands(build_parser()).choices[command]
    lazy = _commands(build_parser(command)).choices[command]
    assert lazy.format_help() == whole.format_help()


def test_review_imports_no_other_command_nor_the_org_checks() -> None:
    code = (
        "import sys; from coach.cli import main; "
        "main(['review', 'examples/team-draft.yaml', '--no-config', '-f', 'json', '-o', sys.argv[1]]); "
        "print(sorted(m for m in sys.modules if m.startswith(('coach.cli', 'coach.org'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, "/dev/null"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    # the package (main, the command table), the options every command shares, and review's own module
    assert out.stdout.strip() == "['coach.cli', 'coach.cli.options', 'coach.cli.review']"


def test_review_without_a_config_file_neither_reads_toml_nor_compiles_rare_patterns(tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text(
        "objectives:\n  - title: Make checkout effortless\n    key_results:\n      - Raise NPS to 40\n"
    )
    code = (
        "import sys; from coach.cli import main; from coach.analysis import start; "
        "main(['review', sys.argv[1], '--no-config', '-o', '/dev/null']); "
        "print('tomllib' in sys.modules, 'search' in vars(start._BASELINE_ALONE))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(draft)], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert out.stdout.split() == ["False", "False"]  # neither loaded nor compiled
