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

from coach.model import InputError, Severity

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
TEXT_FINDINGS = 40  # organisation findings printed by the text format; the rest are in JSON / HTML


def add_parser(sub: Any) -> None:
    org = sub.add_parser(
        "org", help="review a whole organisation's drafts together: alignment, ORG checks, report"
    )
    org.add_argument(
        "paths", nargs="+", metavar="PATH", help="a folder of team drafts, or one file holding all teams"
    )
    org.add_argument("--format", "-f", choices=("text", "json", "markdown", "html"), default="text")
    org.add_argument("--output", "-o", metavar="FILE", help="write the --format output to FILE (atomically)")
    org.add_argument("--report", metavar="FILE", help="also write the self-contained HTML report to FILE")
    org.add_argument(
        "--input-format",
        choices=("yaml", "markdown", "csv", "json"),
        help="for files without a known extension",
    )
    org.add_argument(
        "--fail-on", choices=[s.value for s in Severity], help="exit 1 at this severity (default: error)"
    )
    org.add_argument("--config", metavar="FILE", help="use this config file instead of searching for one")
    org.add_argument("--no-config", action="store_true", help="ignore config files; use the defaults")
    org.add_argument(
        "--select", metavar="CODES", help="comma-separated codes or prefixes to run (e.g. ORG,KR001)"
    )
    org.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes to skip")
    org.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        help="worker processes for reading and reviewing (0: one per CPU)",
    )
    org.add_argument("--top", type=int, default=20, help="how many worst items to list (default 20)")
    org.add_argument(
        "--embedding",
        choices=("hashing", "onnx", "auto"),
        help="for duplicates and alignment suggestions (default hashing); with --rewrite, the store's too",
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
    org.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    rewrite = org.add_argument_group("rewrites (--rewrite)")
    rewrite.add_argument("--rewrite", action="store_true", help="propose rewrites for the worst drafts first")
    rewrite.add_argument("--max-calls", type=int, help="a budget: at most this many model calls in all")
    rewrite.add_argument(
        "--concurrency", type=int, help="model calls in flight at once (default 1 on localhost, else 8)"
    )
    rewrite.add_argument("--model", help="provider:model (openai:gpt-4o-mini) or a model name on --base-url")
    rewrite.add_argument("--base-url", help="an OpenAI-compatible server (llama.cpp, vLLM, Ollama...)")
    rewrite.add_argument("--timeout", type=float, help="seconds per model call (default 30)")
    rewrite.add_argument("--max-retries", type=int, help="retries per call (default 2)")
    rewrite.add_argument(
        "--no-cache", action="store_true", help="ask the model even when the answer is cached"
    )
    rewrite.add_argument(
        "--cache-dir", metavar="DIR", help="where the knowledge store and the answer cache live"
    )


def _codes(value: str | None) -> list[str]:
    return [c.strip().upper() for c in (value or "").split(",") if c.strip()]


def _config_for(args: argparse.Namespace) -> tuple[Callable[[str], Any], dict[str | None, Any]]:
    from coach.config import ConfigResolver

    resolver = ConfigResolver(
        config_file=args.config,
        no_config=args.no_config,
        select=_codes(args.select),
        ignore=_codes(args.ignore),
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
    report = _render(review, stats, args.format, _use_color(args.color, args.output))
    from coach.io import write_atomic

    if args.output:
        write_atomic(Path(args.output), report)
    else:
        sys.stdout.write(report)
        sys.stdout.flush()
    if args.report:
        from coach.report.org_html import render_org_html

        write_atomic(Path(args.report), render_org_html(review, stats))
        print(f"okrcoach: report written to {args.report}", file=sys.stderr)
    for error in org.errors:
        print(f"okrcoach: {error}", file=sys.stderr)
    if org.errors:
        return EXIT_INPUT
    levels = [c.fail_on for c in cache.values()] or [Severity.ERROR]
    fail_on = Severity(args.fail_on) if args.fail_on else min(levels, key=lambda s: s.rank)
    return EXIT_FINDINGS if review.at_or_above(fail_on) else EXIT_OK


def _rewrite(args: argparse.Namespace, review: Any, config_for: Callable[[str], Any]) -> None:
    from coach.cli.rewrite import model_and_store
    from coach.org.rewrite import rewrite_worst

    spec, problem, store, cache_dir = model_and_store(args, review.config)
    review.rewrites, review.rewrite_note = rewrite_worst(
        review,
        config_for,
        spec=spec,
        spec_problem=problem,
        store=store,
        cache_dir=cache_dir,
        max_calls=args.max_calls,
        concurrency=args.concurrency,
        use_cache=not args.no_cache,
    )


def _use_color(mode: str, output: str | None) -> bool:
    if mode == "always":
        return True
    if mode == "never" or output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _render(review: Any, stats: Any, fmt: str, color: bool) -> str:
    if fmt == "json":
        from coach.report.org_json import render_org_json

        return render_org_json(review, stats)
    if fmt == "markdown":
        from coach.report.org_markdown import render_org_markdown

        return render_org_markdown(review, stats)
    if fmt == "html":
        from coach.report.org_html import render_org_html

        return render_org_html(review, stats)
    return render_text(review, stats, color)


def render_text(review: Any, stats: Any, color: bool = False) -> str:
    """The terminal summary: totals, the organisation findings, the items to fix first, the lowest teams."""
    bold, dim, reset = ("\033[1m", "\033[2m", "\033[0m") if color else ("", "", "")
    colours = {"error": "\033[31m", "warning": "\033[33m", "suggestion": "\033[36m"} if color else {}
    org, overall, counts = review.organisation, stats.overall, review.counts()
    lines = [
        f"{bold}{org.root}{reset}: quality {overall.score:.0f}/100 · {len(stats.teams):,} teams · "
        f"{overall.objectives:,} objectives · {overall.key_results:,} key results · "
        f"{len(review.findings):,} findings "
        f"({counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
        f"{counts[Severity.SUGGESTION]} suggestions) · {org.files} file{'s' if org.files != 1 else ''}"
    ]
    if review.scope is not None:
        lines.append(f"scope: {len(review.scope)} files changed or aligned to them")
    organisation = [f.finding for f in review.findings if f.finding.code.startswith("ORG")]
    if organisation:
        lines += ["", f"{bold}Organisation findings{reset}"]
        for finding in organisation[:TEXT_FINDINGS]:
            severity = (
                f"{colours.get(finding.severity.value, '')}{finding.severity.value}{reset if color else ''}"
            )
            lines.append(
                f"{finding.span}: {severity} {finding.code} {finding.message} {dim}[{finding.passage}]{reset}"
            )
        if len(organisation) > TEXT_FINDINGS:
            lines.append(
                f"… and {len(organisation) - TEXT_FINDINGS} more (--format json or --report for all)"
            )
    if stats.worst:
        lines += ["", f"{bold}Fix these first{reset}"]
        for rank, worst in enumerate(stats.worst, start=1):
            item = org.items[worst.key]
            codes = ", ".join(sorted({f.finding.code for f in worst.findings}))
            lines.append(
                f"{rank:>3}. {worst.score:>3}/100 {item.team} · {item.id}: {item.text!r} — {codes} "
                f"({item.span})"
            )
    lowest = sorted(stats.teams.values(), key=lambda s: (s.score, s.name))[:10]
    if lowest:
        lines += ["", f"{bold}Lowest teams{reset}: " + ", ".join(f"{s.name} {s.score:.0f}" for s in lowest)]
    if review.rewrites:
        lines += ["", f"{bold}Rewrites{reset}: {review.rewrite_note}"]
        for report in review.rewrites:
            for p in report.proposals:
                if p.text and p.text != p.draft:
                    lines.append(f"  {p.span}: {p.draft!r} -> {p.text!r} ({p.answered_by})")
    if org.errors:
        lines += ["", f"{len(org.errors)} file(s) could not be read (listed on stderr)"]
    return "\n".join(lines) + "\n"
