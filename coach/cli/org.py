"""`okrcoach org`: review a whole organisation's drafts together. Argument handling, progress, printing and
the exit code; the jobs are coach.org (load, review, statistics, rewrites) and the org renderers.

Exit codes like `review`: 0, or 1 when a finding is at or above --fail-on; 2 when a file could not be read
(the rest is still reviewed and reported) or the input is unusable.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coach.cli.options import (
    EMBEDDINGS,
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    add_color,
    add_config,
    add_embedding,
    add_fail_on,
    add_format,
    add_input_format,
    add_model,
    add_select,
    codes,
    emit,
    fail_on,
    use_color,
)
from coach.model import InputError
from coach.report.org import FORMATS, render_org


def add_parser(sub: Any) -> None:
    org = sub.add_parser(
        "org", help="review a whole organisation's drafts together: alignment, ORG checks, report"
    )
    org.add_argument(
        "paths", nargs="+", metavar="PATH", help="a folder of team drafts, or one file holding all teams"
    )
    add_format(org, FORMATS, default="text")
    org.add_argument("--output", "-o", metavar="FILE", help="write the --format output to FILE (atomically)")
    org.add_argument("--report", metavar="FILE", help="also write the self-contained HTML report to FILE")
    add_input_format(org, "for files without a known extension")
    add_fail_on(org, "exit 1 at this severity (default: error)")
    add_config(org)
    add_select(org, "ORG,KR001")
    org.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        help="worker processes for reading and reviewing (0: one per CPU)",
    )
    org.add_argument("--top", type=int, default=20, help="how many worst items to list (default 20)")
    add_embedding(
        org,
        "for duplicates and alignment suggestions (default hashing); with --rewrite, the store's too",
        choices=EMBEDDINGS[::-1],  # its default, hashing, first
    )
    org.add_argument(
        "--changed-since",
        metavar="REV",
        help="review only drafts changed since this git revision, plus their alignment",
    )
    org.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress bar (auto: on a terminal)",
    )
    add_color(org)
    rewrite = org.add_argument_group("rewrites (--rewrite)")
    rewrite.add_argument("--rewrite", action="store_true", help="propose rewrites for the worst drafts first")
    rewrite.add_argument("--max-calls", type=int, help="a budget: at most this many model calls in all")
    rewrite.add_argument(
        "--concurrency", type=int, help="model calls in flight at once (default 1 on localhost, else 8)"
    )
    add_model(rewrite)
    rewrite.add_argument(
        "--cache-dir", metavar="DIR", help="where the knowledge store and the answer cache live"
    )
    org.set_defaults(func=run)


def _config_for(args: argparse.Namespace) -> tuple[Callable[[str], Any], dict[str | None, Any]]:
    from coach.config import ConfigResolver

    resolver = ConfigResolver(
        config_file=args.config,
        no_config=args.no_config,
        select=codes(args.select),
        ignore=codes(args.ignore),
    )
    return resolver, resolver.cache


class _Progress:
    """A Rich progress bar on stderr, shown only once the work has taken more than a second."""

    def __init__(self, mode: str) -> None:
        self.enabled = mode == "always" or (
            mode == "auto" and sys.stderr.isatty() and not os.environ.get("CI")
        )
        self.started = time.monotonic()
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or (self.bar is None and time.monotonic() - self.started < 1.0):
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("{task.description:>10}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run(args: argparse.Namespace) -> int:
    from coach.knowledge.embed import select_embedder
    from coach.org import compute, load_org, review_org

    if (
        args.jobs < 0
        or args.top < 0
        or (args.max_calls is not None and args.max_calls < 0)
        or (args.concurrency is not None and args.concurrency < 1)
    ):
        raise InputError("okrcoach org", "--jobs, --top and --max-calls must be >= 0, --concurrency >= 1")
    jobs = args.jobs or os.cpu_count() or 1
    config_for, cache = _config_for(args)
    progress = _Progress(args.progress)
    try:
        org = load_org(args.paths, args.input_format, jobs=jobs, progress=progress)
        if not org.items and org.errors:
            for error in org.errors:
                print(f"okrcoach: {error}", file=sys.stderr)
            return EXIT_INPUT
        scope = None
        if args.changed_since:
            from coach.org.changes import changed_files, scope_for

            scope = scope_for(org, changed_files(args.paths, args.changed_since))
        embedder = select_embedder(args.embedding or "hashing").embedder
        review = review_org(org, config_for, jobs=jobs, scope=scope, embedder=embedder, progress=progress)
    finally:
        progress.close()
    stats = compute(review, top=args.top)
    if args.rewrite:
        _rewrite(args, review, config_for)
    emit(render_org(review, stats, args.format, color=use_color(args.color, args.output)), args.output)
    if args.report:
        from coach.io import write_atomic

        write_atomic(Path(args.report), render_org(review, stats, "html"))
        print(f"okrcoach: report written to {args.report}", file=sys.stderr)
    for error in org.errors:
        print(f"okrcoach: {error}", file=sys.stderr)
    if org.errors:
        return EXIT_INPUT
    return EXIT_FINDINGS if review.at_or_above(fail_on(args.fail_on, cache)) else EXIT_OK


def _rewrite(args: argparse.Namespace, review: Any, config_for: Callable[[str], Any]) -> None:
    from coach.cli.rewrite import model_and_store
    from coach.org.rewrite import rewrite_worst

    session = model_and_store(args, review.config)
    review.rewrites, review.rewrite_note = rewrite_worst(review, config_for, session)
