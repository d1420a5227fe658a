"""Command line: argument parsing only. Calls the jobs, picks a renderer, sets the exit code.

Exit codes (like ruff and Vale): 0 no findings at or above --fail-on, 1 findings at or above it,
2 a usage or input error (a file that cannot be read, a bad config).
"""

from __future__ import annotations

import argparse
import codecs
import importlib
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach import __version__
from coach.model import InputError, Severity

if TYPE_CHECKING:
    from coach.config import Config

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
DRAFT_SUFFIXES = (".yaml", ".yml", ".md", ".markdown", ".mdx", ".csv", ".tsv", ".json")


# The other commands: (module, function adding its parser, function running it, help). Only the module of
# the command given is imported (`okrcoach review` starts without the others); the rest get a parser with
# just their help line, as `okrcoach --help` lists them. The help here is the one the module's parser has
# (tests/test_cli_lazy.py compares them).
_COMMANDS: dict[str, tuple[str, str, str, str]] = {
    "knowledge": (
        "coach.cli.knowledge",
        "add_parsers",
        "run_knowledge",
        "build or search the practice-guidance store",
    ),
    "doctor": ("coach.cli.knowledge", "add_parsers", "run_doctor", "what is installed, configured and built"),
    "rewrite": (
        "coach.cli.rewrite",
        "add_parser",
        "run",
        "propose rewrites (LLM when configured, rules otherwise)",
    ),
    "checkin": (
        "coach.cli.checkin",
        "add_parsers",
        "run_checkin",
        "a check-in question pack from the draft and its check-in history",
    ),
    "score": (
        "coach.cli.checkin",
        "add_parsers",
        "run_score",
        "end-of-cycle scores 0.0–1.0 with the retrospective questions",
    ),
    "baselines": (
        "coach.cli.baselines",
        "add_parser",
        "run",
        "propose each key result's baseline from the team's metrics exports",
    ),
    "tui": ("coach.cli.tui", "add_parser", "run", "edit a draft in the terminal with the coach beside you"),
    "org": (
        "coach.cli.org",
        "add_parser",
        "run",
        "review a whole organisation's drafts together: alignment, ORG checks, report",
    ),
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

    review = sub.add_parser("review", help="review OKR drafts and report findings")
    review.add_argument("paths", nargs="+", metavar="PATH", help="draft files or folders; '-' reads stdin")
    review.add_argument("--format", "-f", choices=("text", "json", "sarif", "markdown"), default="text")
    review.add_argument(
        "--input-format",
        choices=("yaml", "markdown", "csv", "json"),
        help="format of the input (required for stdin; otherwise from the file extension)",
    )
    review.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        help="exit 1 when a finding at or above this severity is found (default: error)",
    )
    review.add_argument("--config", metavar="FILE", help="use this config file instead of searching for one")
    review.add_argument("--no-config", action="store_true", help="ignore config files; use the defaults")
    review.add_argument(
        "--select", metavar="CODES", help="comma-separated codes or prefixes to run (e.g. KR,OBJ001)"
    )
    review.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes to skip")
    review.add_argument(
        "--explain", action="store_true", help="print each finding's passage and the closest other passages"
    )
    review.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE (atomically)")
    review.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    rules = sub.add_parser("rules", help="list the rule catalogue, or explain one rule")
    rules.add_argument("code", nargs="?", help="a rule code (KR001) or name (task-like-kr)")
    rules.add_argument("--format", "-f", choices=("text", "json", "markdown"), default="text")
    added: set[tuple[str, str]] = set()
    wanted = _COMMANDS[command][:2] if command in _COMMANDS else None
    for name, (module, adder, _, help_line) in _COMMANDS.items():
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
        if args.command == "review":
            return _review(args)
        if args.command == "rules":
            return _rules(args)
        if args.command in _COMMANDS:
            module, _, runner, _ = _COMMANDS[args.command]
            return int(getattr(importlib.import_module(module), runner)(args))
        parser.print_help()
        return EXIT_INPUT
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


def _expand(paths: Sequence[str]) -> list[str]:
    out: list[str] = []
    for path in paths:
        candidate = Path(path)
        if path != "-" and candidate.is_dir():
            found = sorted(
                str(p) for p in candidate.rglob("*") if p.suffix.lower() in DRAFT_SUFFIXES and p.is_file()
            )
            if not found:
                raise InputError(path, "folder holds no OKR drafts (.yaml, .md, .csv, .json)")
            out.extend(found)
        else:
            out.append(path)
    return out


def _codes(value: str | None) -> list[str]:
    return [c.strip().upper() for c in (value or "").split(",") if c.strip()]


def _review(args: argparse.Namespace) -> int:
    from coach.config import ConfigResolver
    from coach.engine import review
    from coach.report import render

    paths = _expand(args.paths)
    if "-" in paths and not args.input_format:
        raise InputError("<stdin>", "reading stdin needs --input-format yaml|markdown|csv|json")
    config_for = ConfigResolver(
        config_file=args.config,
        no_config=args.no_config,
        select=_codes(args.select),
        ignore=_codes(args.ignore),
    )
    result = review(paths, config_for, input_format=args.input_format)
    color = _use_color(args.color, args.output)
    related: dict[int, list[Any]] = {}
    if args.explain and result.findings:
        from coach.cli.knowledge import related_passages

        related, problem = related_passages(result.findings, args)
        if problem:
            print(f"okrcoach: {problem}", file=sys.stderr)
    if args.format == "json" and not args.output and _stdout_takes_utf8():
        # Streamed: a 100,000-KR report is ~250 MB of text, never held whole (see coach.report.json).
        from coach.report.json import json_chunks

        sys.stdout.flush()
        for chunk in json_chunks(result, related):
            sys.stdout.buffer.write(chunk)
    else:
        report = render(result, args.format, color=color, explain=args.explain, related=related)
        if args.output:
            from coach.io import write_atomic

            write_atomic(Path(args.output), report)
        else:
            sys.stdout.write(report)
    sys.stdout.flush()
    for error in result.errors:
        print(f"okrcoach: {error}", file=sys.stderr)
    if result.errors:
        return EXIT_INPUT
    fail_on = Severity(args.fail_on) if args.fail_on else _config_fail_on(config_for.cache)
    return EXIT_FINDINGS if result.at_or_above(fail_on) else EXIT_OK


def _stdout_takes_utf8() -> bool:
    """Whether stdout encodes text as strict UTF-8, so that UTF-8 bytes may go to its buffer instead."""
    binary = getattr(sys.stdout, "buffer", None)
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    return (
        binary is not None
        and codecs.lookup(encoding).name == "utf-8"
        and getattr(sys.stdout, "errors", "strict") == "strict"
    )


def _config_fail_on(cache: Mapping[str | None, Config]) -> Severity:
    levels = [c.fail_on for c in cache.values()]
    return min(levels, key=lambda s: s.rank) if levels else Severity.ERROR


def _use_color(mode: str, output: str | None) -> bool:
    if mode == "always":
        return True
    if mode == "never" or output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _rules(args: argparse.Namespace) -> int:
    from coach.report.rules import find_rule, render_rule, render_rules

    if args.code:
        rule = find_rule(args.code)
        related: list[Any] = []
        if args.format != "json":
            from coach.cli.knowledge import related_to_rule

            related, problem = related_to_rule(rule, args)
            if problem:
                print(f"okrcoach: {problem}", file=sys.stderr)
        sys.stdout.write(render_rule(args.code, args.format, related))
    else:
        sys.stdout.write(render_rules(args.format))
    return EXIT_OK
