"""`okrcoach checkin` and `okrcoach score`: argument handling, printing and writing. The jobs are
coach.checkin.pack.checkin_pack and coach.checkin.scoring.score_document; renderers are in
coach.report.checkin.

Rows of the history that cannot be used go to stderr as `file:line: skipped: reason` (and into the JSON);
the pack is still produced and the exit code is 0. An unreadable draft, history or config is an InputError,
which the main CLI turns into exit code 2, as is a model flag that cannot be right (--timeout 0, an empty
--base-url). With a model (--model, OKRCOACH_MODEL or [model]) `checkin` asks it per key result; whatever
it cannot use, the rules answer, and the pack says who answered each key result and why.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from coach.cli.options import add_config, add_format, add_input_format, add_model, emit
from coach.model import InputError
from coach.report.checkin import PACK_FORMATS, SCORE_FORMATS

_CYCLE_HELP = (
    "give --cycle-start and --cycle-end, set [cycle] start and end in okrcoach.toml, "
    "or a period such as 2026-Q1 in the draft"
)


def add_parsers(sub: Any) -> None:
    checkin = sub.add_parser(
        "checkin", help="a check-in question pack from the draft and its check-in history"
    )
    checkin.add_argument("path", help="the OKR draft; '-' reads stdin (needs --input-format)")
    checkin.add_argument(
        "--history",
        required=True,
        metavar="FILE",
        help="check-ins CSV: date, kr_id, value, confidence, comment",
    )
    add_format(checkin, PACK_FORMATS, default="markdown")
    checkin.add_argument("--output", "-o", metavar="FILE", help="write the pack to FILE (atomically)")
    _common(checkin)
    add_model(checkin)
    checkin.set_defaults(func=run_checkin)

    score = sub.add_parser("score", help="end-of-cycle scores 0.0–1.0 with the retrospective questions")
    score.add_argument("path", help="the OKR draft; '-' reads stdin (needs --input-format)")
    score.add_argument("--history", metavar="FILE", help="check-ins CSV (else the draft's `current` values)")
    add_format(score, SCORE_FORMATS, default="text")
    score.add_argument("--output", "-o", metavar="FILE", help="write the scores to FILE (atomically)")
    _common(score)
    score.set_defaults(func=run_score)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="the day to report on (default: today)")
    parser.add_argument("--cycle-start", metavar="DATE", help="first day of the cycle (with --cycle-end)")
    parser.add_argument("--cycle-end", metavar="DATE", help="last day of the cycle")
    add_input_format(parser)
    add_config(parser)


def _config(args: argparse.Namespace) -> Any:
    from coach.config import config_for_input

    return config_for_input(args.path, config_file=args.config, no_config=args.no_config)


def _today(args: argparse.Namespace) -> date:
    from coach.dates import DateError, parse_date, today

    if not args.date:
        return today()
    try:
        return parse_date(args.date, day_first=None)  # typed by a person: 08/12/2026 is not guessed
    except DateError as error:
        raise InputError("--date", str(error)) from None


def _cycle(args: argparse.Namespace, config: Any, doc: Any) -> Any:
    from coach.dates import DateError, resolve_cycle

    start = args.cycle_start or (None if args.cycle_end else config.cycle.get("start"))
    end = args.cycle_end or (None if args.cycle_start else config.cycle.get("end"))
    where = "--cycle-start/--cycle-end" if args.cycle_start or args.cycle_end else (config.source or doc.path)
    try:
        cycle = resolve_cycle(start, end, doc.period)
    except DateError as error:
        raise InputError(where, str(error)) from None
    if cycle is None:
        period = f" (its period {doc.period!r} is not one)" if doc.period else ""
        raise InputError(doc.path, f"no OKR cycle known{period}: {_CYCLE_HELP}")
    return cycle


def _report_problems(history: Any) -> None:
    for problem in history.problems:
        print(problem.render(history.path), file=sys.stderr)


def run_checkin(args: argparse.Namespace) -> int:
    from coach.checkin.history import read_history
    from coach.checkin.pack import checkin_pack
    from coach.llm.session import ModelFlags, open_session
    from coach.parse import load

    config = _config(args)
    stale_days, day_first = config.checkin_settings.stale_days, config.checkin_settings.day_first
    session = open_session(config, ModelFlags.from_args(args))  # a bad model flag fails before any work
    doc = load(args.path, args.input_format)
    now = _today(args)
    cycle = _cycle(args, config, doc)
    history = read_history(args.history, doc, cycle, now=now, day_first=day_first)
    pack = checkin_pack(doc, history, cycle, now, stale_days=stale_days, session=session)
    emit(PACK_FORMATS[args.format](pack), args.output)
    _report_problems(history)
    return 0


def run_score(args: argparse.Namespace) -> int:
    from coach.checkin.history import read_history
    from coach.checkin.scoring import score_document
    from coach.parse import load

    config = _config(args)
    day_first = config.checkin_settings.day_first
    doc = load(args.path, args.input_format)
    now = _today(args)
    history = None
    if args.history:
        cycle = _cycle(args, config, doc)
        history = read_history(args.history, doc, cycle, now=now, day_first=day_first)
    card = score_document(doc, history, now=now)
    emit(SCORE_FORMATS[args.format](card), args.output)
    if history is not None:
        _report_problems(history)
    return 0
