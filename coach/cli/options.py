"""What the commands share: exit codes, the options several of them take, and how those are read.

Each option is added by one function here; a command whose help line differs passes its own text, so that
every command's `--help` reads as it always has.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from coach.formats import NAMES
from coach.model import Severity

if TYPE_CHECKING:
    from coach.config import Config

# Like ruff and Vale: 0 no findings at or above --fail-on, 1 findings at or above it, 2 a usage or input
# error (a file that cannot be read, a bad config).
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

CONFIG_HELP = "use this config file instead of searching for one"
NO_CONFIG_HELP = "ignore config files; use the defaults"
EMBEDDINGS = ("auto", "onnx", "hashing")
COLORS = ("auto", "always", "never")


def input_formats() -> tuple[str, ...]:
    """The draft formats --input-format offers (coach.formats): the one place the commands read them from."""
    return NAMES


def add_input_format(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    parser.add_argument("--input-format", choices=input_formats(), help=help)


def add_config(
    parser: argparse.ArgumentParser,
    help: str | None = CONFIG_HELP,
    no_config_help: str | None = NO_CONFIG_HELP,
    *,
    no_config: bool = True,
) -> None:
    """--config FILE and (unless `no_config` is false) --no-config."""
    parser.add_argument("--config", metavar="FILE", help=help)
    if no_config:
        parser.add_argument("--no-config", action="store_true", help=no_config_help)


def add_select(parser: argparse.ArgumentParser, example: str) -> None:
    """--select and --ignore, read by codes(); `example` is what the help line shows for --select."""
    parser.add_argument(
        "--select", metavar="CODES", help=f"comma-separated codes or prefixes to run (e.g. {example})"
    )
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes to skip")


def codes(value: str | None) -> list[str]:
    """A --select or --ignore value as codes: split on commas, trimmed, upper-cased, blanks dropped."""
    return [c.strip().upper() for c in (value or "").split(",") if c.strip()]


def add_fail_on(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--fail-on", choices=[s.value for s in Severity], help=help)


def fail_on(given: str | None, configs: Mapping[str | None, Config]) -> Severity:
    """--fail-on when given, else the strictest `fail-on` of the config files read (default: error)."""
    if given:
        return Severity(given)
    levels = [config.fail_on for config in configs.values()]
    return min(levels, key=lambda s: s.rank) if levels else Severity.ERROR


def add_embedding(
    parser: argparse.ArgumentParser, help: str | None = None, choices: Sequence[str] = EMBEDDINGS
) -> None:
    parser.add_argument("--embedding", choices=tuple(choices), help=help)


def add_color(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--color", choices=COLORS, default="auto")


def use_color(mode: str, output: str | None) -> bool:
    """--color: always, never, or (auto) on a terminal that is not dumb, unless NO_COLOR or --output."""
    if mode == "always":
        return True
    if mode == "never" or output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def add_format(parser: argparse.ArgumentParser, formats: Iterable[str], default: str) -> None:
    """--format/-f, its choices the names of a report module's FORMATS table, in that table's order."""
    parser.add_argument("--format", "-f", choices=tuple(formats), default=default)


def emit(text: str, output: str | None) -> None:
    """The report to --output FILE (atomically), or to stdout."""
    if output:
        from pathlib import Path

        from coach.io import write_atomic

        write_atomic(Path(output), text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def add_model(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """--model, --base-url, --timeout, --max-retries and --no-cache: the model a command may ask, read by
    `coach.llm.session.ModelFlags.from_args` (with the help lines `okrcoach rewrite` has)."""
    parser.add_argument("--model", help="provider:model (openai:gpt-4o-mini) or a model name on --base-url")
    parser.add_argument("--base-url", help="an OpenAI-compatible server (llama.cpp, vLLM, Ollama...)")
    parser.add_argument("--timeout", type=float, help="seconds per model call (default 30)")
    parser.add_argument("--max-retries", type=int, help="retries per call on HTTP 429/5xx (default 2)")
    parser.add_argument(
        "--no-cache", action="store_true", help="ask the model even when the answer is cached"
    )
