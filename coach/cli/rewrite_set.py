"""`okrcoach rewrite --set`: coach the draft's whole set of objectives. It reads the arguments `okrcoach
rewrite` parsed (path, --input-format, the model flags, --format, --config); the job is
coach.rewrite.objective_set, the renderers coach.report.objective_set.

`coach.cli.rewrite` calls `run_set(args, model_and_store)`: the session is built by its function, passed in
rather than imported, so that the two command modules do not import each other (tests/test_layout.py
holds the package to no import cycle).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from coach.model import InputError
from coach.report.objective_set import FORMATS


def run_set(args: argparse.Namespace, open_model: Callable[[argparse.Namespace, Any], Any]) -> int:
    """Print the objective-set report; 0 when it was made (its observations are advice, not a failure)."""
    from coach.config import config_for_input
    from coach.parse import load
    from coach.rewrite.objective_set import coach_set

    fmt = getattr(args, "format", None) or "text"
    if fmt not in FORMATS:
        raise InputError("--format", f"--set writes {', '.join(FORMATS)}, not {fmt!r}")
    if getattr(args, "max_calls", None) is not None and args.max_calls < 0:
        raise InputError("--max-calls", "must be >= 0")
    doc = load(args.path, getattr(args, "input_format", None))
    config = config_for_input(
        args.path, config_file=getattr(args, "config", None), no_config=getattr(args, "no_config", False)
    )
    session = open_model(args, config)
    sys.stdout.write(FORMATS[fmt](coach_set(doc, config, session=session)))
    return 0
