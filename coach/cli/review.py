"""`okrcoach review` and `okrcoach rules`: argument handling, writing the report and the exit code. The job
is coach.engine.review; the renderers are coach.report.review and coach.report.rules."""

from __future__ import annotations

import argparse
import codecs
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coach.cli.options import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    add_color,
    add_config,
    add_fail_on,
    add_format,
    add_input_format,
    add_select,
    codes,
    fail_on,
    use_color,
)
from coach.formats import NO_DRAFTS, choices_text, is_draft
from coach.model import InputError
from coach.report.review import FORMATS
from coach.report.rules import FORMATS as RULE_FORMATS


def add_parsers(sub: Any) -> None:
    review = sub.add_parser("review", help="review OKR drafts and report findings")
    review.add_argument("paths", nargs="+", metavar="PATH", help="draft files or folders; '-' reads stdin")
    add_format(review, FORMATS, default="text")
    add_input_format(review, "format of the input (required for stdin; otherwise from the file extension)")
    add_fail_on(review, "exit 1 when a finding at or above this severity is found (default: error)")
    add_config(review)
    add_select(review, "KR,OBJ001")
    review.add_argument(
        "--explain", action="store_true", help="print each finding's passage and the closest other passages"
    )
    review.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE (atomically)")
    add_color(review)
    review.set_defaults(func=run_review)

    rules = sub.add_parser("rules", help="list the rule catalogue, or explain one rule")
    rules.add_argument("code", nargs="?", help="a rule code (KR001) or name (task-like-kr)")
    add_format(rules, RULE_FORMATS, default="text")
    rules.set_defaults(func=run_rules)


def _expand(paths: Sequence[str]) -> list[str]:
    out: list[str] = []
    for path in paths:
        candidate = Path(path)
        if path != "-" and candidate.is_dir():
            found = sorted(str(p) for p in candidate.rglob("*") if is_draft(p.name) and p.is_file())
            if not found:
                raise InputError(path, NO_DRAFTS)
            out.extend(found)
        else:
            out.append(path)
    return out


def run_review(args: argparse.Namespace) -> int:
    from coach.config import ConfigResolver
    from coach.engine import review
    from coach.report.review import render

    paths = _expand(args.paths)
    if "-" in paths and not args.input_format:
        raise InputError("<stdin>", f"reading stdin needs --input-format {choices_text()}")
    config_for = ConfigResolver(
        config_file=args.config,
        no_config=args.no_config,
        select=codes(args.select),
        ignore=codes(args.ignore),
    )
    result = review(paths, config_for, input_format=args.input_format)
    color = use_color(args.color, args.output)
    related: dict[int, list[Any]] = {}
    if args.explain and result.findings:
        from coach.cli.knowledge import related_passages

        related, problem = related_passages(result.findings, args)
        if problem:
            print(f"okrcoach: {problem}", file=sys.stderr)
    errors = _utf8_stdout_errors()
    if args.format == "json" and (args.output or errors):
        # Streamed: a 100,000-KR report is ~250 MB of text, never held whole (see coach.report.json).
        from coach.report.json import json_chunks

        if args.output:
            from coach.io import write_atomic

            write_atomic(Path(args.output), json_chunks(result, related))
        else:
            sys.stdout.flush()
            for chunk in json_chunks(result, related, errors=errors or "strict"):
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
    return EXIT_FINDINGS if result.at_or_above(fail_on(args.fail_on, config_for.cache)) else EXIT_OK


def _utf8_stdout_errors() -> str | None:
    """How stdout encodes what UTF-8 cannot ("strict", or "surrogateescape" under a C.UTF-8 locale) when it
    is UTF-8 text over a byte buffer, so that UTF-8 pieces encoded the same way may go to the buffer; None
    when it is not (the report is then written as text)."""
    binary = getattr(sys.stdout, "buffer", None)
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    if binary is None or codecs.lookup(encoding).name != "utf-8":
        return None
    return getattr(sys.stdout, "errors", None) or "strict"


def run_rules(args: argparse.Namespace) -> int:
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
