"""`okrcoach lsp`: the language server for editors, over stdin and stdout (see README "In your editor").

okrcoach lsp                       # started by the editor; each draft's config is found from its folder
okrcoach lsp --config okrcoach.toml

pygls and the server (coach.lsp) are imported inside `run` only, so that no other command loads them.
"""

from __future__ import annotations

import argparse
from typing import Any

from coach.cli.options import EXIT_OK, add_config


def add_parser(sub: Any) -> None:
    lsp = sub.add_parser("lsp", help="a language server for editors (stdio): findings as you type")
    add_config(lsp)
    lsp.add_argument(
        "--debounce-ms",
        type=int,
        default=150,
        metavar="MS",
        help="quiet time after a change before the draft is reviewed again (default: 150)",
    )
    lsp.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coach.lsp.check import Configs
    from coach.lsp.server import serve

    serve(Configs(args.config, args.no_config), max(args.debounce_ms, 0) / 1000)
    return EXIT_OK
