"""`okrcoach tui`: open a draft (or a new one) in the terminal UI.

okrcoach tui draft.yaml --metrics metrics.csv --history checkins.csv
okrcoach tui                                   # a new draft; ctrl+s asks for a file name
okrcoach tui draft.yaml --serve [--port 8000]  # the same UI in a browser, on this machine only

`--serve` runs textual-serve: each browser tab starts its own `okrcoach tui` (with the same arguments, less
--serve) behind a local web server. It listens on localhost unless --host says otherwise: the UI reads and
writes the draft with your rights, so opening it to the network is a choice to make on purpose.

Textual and the `tui` package are imported inside `run` only, so that `okrcoach review` never loads them;
the import goes through importlib because `coach` must not depend on `tui` (the import-linter contract):
this module is a shell that starts the UI, not part of the engine.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Any

from coach.cli.options import add_config, add_embedding, add_input_format
from coach.model import InputError


def add_parser(sub: Any) -> None:
    tui = sub.add_parser("tui", help="edit a draft in the terminal with the coach beside you")
    tui.add_argument("path", nargs="?", help="the draft to open (a new one when missing or not given)")
    tui.add_argument(
        "--metrics",
        metavar="FILE",
        action="append",
        default=[],
        help="a metrics export for the baselines screen (repeatable)",
    )
    tui.add_argument("--history", metavar="FILE", help="the check-in history CSV for the check-in screen")
    tui.add_argument("--date", metavar="YYYY-MM-DD", help="the check-in date (default: today)")
    tui.add_argument("--model", help="provider:model (openai:gpt-4o-mini) or a model name on --base-url")
    tui.add_argument("--base-url", help="an OpenAI-compatible server (llama.cpp, vLLM, Ollama...)")
    add_input_format(tui)
    add_config(tui)
    add_embedding(tui, "for matching metric names (default auto)")
    tui.add_argument("--serve", action="store_true", help="serve the UI to a browser (textual-serve)")
    tui.add_argument("--port", type=int, default=8000, help="with --serve: the port (default 8000)")
    tui.add_argument(
        "--host", default="localhost", help="with --serve: the address to listen on (default localhost)"
    )
    tui.set_defaults(func=run)


def build_engine(args: argparse.Namespace) -> Any:
    """The engine the app is given, from the command line, the config and the environment."""
    from coach.config import config_for_input
    from coach.dates import DateError, parse_date
    from coach.llm.session import ModelFlags, open_session

    config = config_for_input(args.path, config_file=args.config, no_config=args.no_config)
    # The same session as `okrcoach rewrite` builds: `tui` has no --timeout or --max-retries flags, so
    # the config's (or the defaults) hold.
    session = open_session(config, ModelFlags.from_args(args))
    day = None
    if args.date:
        try:
            day = parse_date(args.date, day_first=None)  # typed by a person: 08/12/2026 is not guessed
        except DateError as error:
            raise InputError("--date", str(error)) from None
    for path in [*args.metrics, *([args.history] if args.history else [])]:
        if not Path(path).is_file():
            raise InputError(path, "no such file")
    engine_module = importlib.import_module("tui.engine")  # plain Python, no Textual
    return engine_module.CoachEngine(
        config=config,
        session=session,
        metrics=list(args.metrics),
        history=args.history,
        today=day,
        embedding=args.embedding,
    )


def serve_command(args: argparse.Namespace) -> str:
    """The command each browser session runs: this same `okrcoach tui`, without the serving flags."""
    import shlex
    import sys

    command = [sys.executable, "-m", "coach.cli", "tui"]
    if args.path:
        command.append(str(Path(args.path).resolve()))
    for metrics in args.metrics:
        command += ["--metrics", str(Path(metrics).resolve())]
    for flag, value in (
        ("--history", args.history and str(Path(args.history).resolve())),
        ("--date", args.date),
        ("--model", args.model),
        ("--base-url", args.base_url),
        ("--input-format", args.input_format),
        ("--config", args.config and str(Path(args.config).resolve())),
        ("--embedding", args.embedding),
    ):
        if value:
            command += [flag, value]
    if args.no_config:
        command.append("--no-config")
    return shlex.join(command)


def _serve(args: argparse.Namespace) -> int:
    import sys

    if not 0 < args.port < 65536:
        raise InputError("--port", "must be between 1 and 65535")
    from textual_serve.server import Server

    server = Server(serve_command(args), host=args.host, port=args.port, title="okrcoach")
    print(f"okrcoach: serving the TUI on http://{args.host}:{args.port} (ctrl+c stops)", file=sys.stderr)
    server.serve()
    return 0


def run(args: argparse.Namespace) -> int:
    from coach.parse import detect_format, load

    if args.serve:
        from coach.resources import require_extra

        require_extra("serve", "tui --serve")
        if args.path and Path(args.path).exists():
            load(args.path, args.input_format)  # a draft that cannot be read is an error now, not per tab
        build_engine(args)  # so are bad flags
        return _serve(args)

    document = None
    if args.path:
        where = Path(args.path)
        if where.exists():
            document = load(args.path, args.input_format)
        elif detect_format(args.path) is None and not args.input_format:
            raise InputError(args.path, "a new draft needs a name ending in .yaml, .json, .md or .csv")
    engine = build_engine(args)
    app_module = importlib.import_module("tui.app")  # Textual loads here, and only here
    app = app_module.OkrCoachApp(engine, path=args.path, document=document)
    result = app.run()
    return int(result or 0)
