"""Command line: argument parsing only. Calls the jobs, picks a renderer, sets the exit code.

One module per command (review and rules share coach.cli.review); each adds its parser and names its
runner with `set_defaults(func=...)`. Exit codes are in coach.cli.options (re-exported here).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from coach import __version__
from coach.cli.options import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK
from coach.model import InputError

__all__ = ["EXIT_FINDINGS", "EXIT_INPUT", "EXIT_OK", "build_parser", "main"]

# The commands, in `okrcoach --help` order: (module, function adding its parser, help). Only the module of
# the command given is imported (`okrcoach review` starts without the others); the rest get a parser with
# just their help line, as `okrcoach --help` lists them. The help here is the one the module's parser has
# (tests/test_cli_lazy.py compares them).
_COMMANDS: dict[str, tuple[str, str, str]] = {
    "review": ("coach.cli.review", "add_parsers", "review OKR drafts and report findings"),
    "rules": ("coach.cli.review", "add_parsers", "list the rule catalogue, or explain one rule"),
    "knowledge": ("coach.cli.knowledge", "add_parsers", "build or search the practice-guidance store"),
    "doctor": ("coach.cli.knowledge", "add_parsers", "what is installed, configured and built"),
    "ask": ("coach.cli.ask", "add_parser", "answer a question from the practice passages and metrics"),
    "rewrite": ("coach.cli.rewrite", "add_parser", "propose rewrites (LLM when configured, rules otherwise)"),
    "checkin": (
        "coach.cli.checkin",
        "add_parsers",
        "a check-in question pack from the draft and its check-in history",
    ),
    "score": (
        "coach.cli.checkin",
        "add_parsers",
        "end-of-cycle scores 0.0–1.0 with the retrospective questions",
    ),
    "baselines": (
        "coach.cli.baselines",
        "add_parser",
        "propose each key result's baseline from the team's metrics exports",
    ),
    "tui": ("coach.cli.tui", "add_parser", "edit a draft in the terminal with the coach beside you"),
    "org": (
        "coach.cli.org",
        "add_parser",
        "review a whole organisation's drafts together: alignment, ORG checks, report",
    ),
    "lsp": ("coach.cli.lsp", "add_parser", "a language server for editors (stdio): findings as you type"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"okrcoach: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `command`, only that command's arguments (and the others' help lines)."""
    parser = _Parser(prog="okrcoach", description="An offline OKR coach: reviews OKR drafts like a linter.")
    parser.add_argument("--version", action="version", version=f"okrcoach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    added: set[tuple[str, str]] = set()
    wanted = _COMMANDS[command][:2] if command in _COMMANDS else None
    for name, (module, adder, help_line) in _COMMANDS.items():
        if command is None or (module, adder) == wanted:
            if (module, adder) not in added:
                getattr(importlib.import_module(module), adder)(sub)
                added.add((module, adder))
        elif name not in sub.choices:
            sub.add_parser(name, help=help_line)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The command named on the line: the first argument that is not an option (None: none yet)."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    command = _command_in(sys.argv[1:] if argv is None else argv)
    parser = build_parser(command or "")
    args = parser.parse_args(argv)
    try:
        run = getattr(args, "func", None)  # set by the command's parser; none when no command is given
        if run is None:
            parser.print_help()
            return EXIT_INPUT
        return int(run(args))
    except InputError as exc:
        print(f"okrcoach: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        # `okrcoach review ... | head`: the reader went away; that is not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
