"""`okrcoach rewrite`: argument handling, printing and writing back. The job itself is coach.rewrite, the
renderers coach.report.rewrite."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coach.cli.options import add_config, add_embedding, add_format, add_input_format, add_model
from coach.model import InputError
from coach.report.rewrite import FORMATS
from coach.report.words import plural


def add_parser(sub: Any) -> None:
    rw = sub.add_parser("rewrite", help="propose rewrites (LLM when configured, rules otherwise)")
    rw.add_argument("path", help="one draft file; '-' reads stdin (needs --input-format)")
    add_input_format(rw)
    add_model(rw)
    rw.add_argument("--max-calls", type=int, help="a budget: at most this many model calls")
    rw.add_argument(
        "--concurrency",
        type=int,
        help="model calls in flight at once (default: [model] concurrency, else 1 on localhost, 8 elsewhere)",
    )
    rw.add_argument(
        "--metrics",
        action="append",
        default=[],
        metavar="FILE",
        help="your metrics exports (CSV, as for `okrcoach baselines`): open starts are filled from them",
    )
    rw.add_argument(
        "--answers",
        metavar="FILE",
        help="what you know per element id (metric, baseline, target, or text): completes the rewrites",
    )
    rw.add_argument(
        "--extra-metrics",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of your own outcome metrics (*.yaml, the catalogue's shape); repeatable",
    )
    rw.add_argument(
        "--write", action="store_true", help="apply the complete rewrites in place (atomic, .bak kept)"
    )
    rw.add_argument(
        "--interactive",
        action="store_true",
        help="ask per rewrite: y(es) / n(o) / e(dit), the outcome to measure and each ? value",
    )
    rw.add_argument(
        "--set",
        action="store_true",
        help="coach the whole set of objectives (too many, misplaced or duplicate KRs, KPIs) instead",
    )
    add_format(rw, {**FORMATS, "markdown": FORMATS["text"]}, default="text")
    add_config(rw, None, None)
    rw.add_argument("--cache-dir", metavar="DIR", help="where the knowledge store and the answer cache live")
    add_embedding(rw)
    rw.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coach.config import config_for_input
    from coach.knowledge.metrics import load_metrics
    from coach.parse import load
    from coach.rewrite import rewrite_document
    from coach.rewrite.answers import load_answers

    if args.set:
        from coach.cli.rewrite_set import run_set

        if args.write or args.interactive or args.answers:
            raise InputError(
                "--set", "reviews the whole set; it does not take --write, --interactive or --answers"
            )
        return run_set(args, model_and_store)
    if args.format == "markdown":
        raise InputError("--format", "markdown is written by --set; a rewrite report is text or json")
    doc = load(args.path, args.input_format)
    config = config_for_input(args.path, config_file=args.config, no_config=args.no_config)
    if args.max_calls is not None and args.max_calls < 0:
        raise InputError("--max-calls", "must be >= 0")
    answers = load_answers(args.answers) if args.answers else {}
    ids = {o.id for o in doc.objectives} | {kr.id for o in doc.objectives for kr in o.key_results}
    unknown = sorted(set(answers) - ids)
    if unknown:
        raise InputError(args.answers, f"answers {unknown[0]!r}, which is no element id of {args.path}")
    catalogue = load_metrics(args.extra_metrics) if args.extra_metrics else None
    team_metrics = None
    if args.metrics:
        from coach.baselines.metrics import load_all

        team_metrics = load_all(args.metrics, day_first=config.baseline_settings.day_first)
    report = rewrite_document(
        doc,
        config,
        session=model_and_store(args, config),
        answers=answers,
        metric_catalogue=catalogue,
        team_metrics=team_metrics,
    )
    sys.stdout.write(FORMATS[args.format](report))
    if args.write or args.interactive:
        return _write(report, args)
    return 0


def model_and_store(args: argparse.Namespace, config: Any) -> Any:
    """The model session (coach.llm.session) from the flags and the config, its knowledge store opened.

    Shared by `rewrite` and `org --rewrite`: a misconfigured model is a reason to answer with the rules,
    but a flag that cannot be right (an empty or broken --base-url, --concurrency 0) is an input error.
    """
    from coach.llm.session import ModelFlags, open_session

    session = open_session(config, ModelFlags.from_args(args))
    if session.spec is not None and session.knowledge_store() is None and session.store_problem:
        print(
            f"okrcoach: knowledge store unavailable ({session.store_problem}); "
            "prompts use the cited passages only",
            file=sys.stderr,
        )
    return session


def _write(report: Any, args: argparse.Namespace) -> int:
    """Write the complete rewrites (no ? left) into the draft: a key result that was a task keeps that task
    as an initiative (coach.write.outcome); every other rewrite replaces just its text. All or nothing."""
    from coach.formats import named
    from coach.io import write_atomic
    from coach.parse import decode, detect_format
    from coach.rewrite.slots import slots
    from coach.write.edits import Edit, apply_edits, write_edits
    from coach.write.outcome import apply_outcome

    if args.path == "-":
        raise InputError("<stdin>", "--write needs a file, not stdin")
    edits, outcomes, open_items = [], [], []
    for p in report.proposals:
        text, initiative = _ask(p) if args.interactive else (p.text, p.initiative)
        if not text or text == p.draft:
            continue
        if slots(text):
            open_items.append(p.target)  # never write an unknown into the draft: answer the questions first
            continue
        if initiative and p.kind == "key_result":
            outcomes.append((p.target, text, initiative))
        else:
            edits.append(Edit(p.target, p.span, p.draft, text))
    if open_items:
        print(
            f"not written, still asking for numbers (give them with --answers or --interactive): "
            f"{', '.join(open_items)}"
        )
    if not edits and not outcomes:
        print("nothing written: no rewrite is complete")
        return 0
    fmt = args.input_format or detect_format(args.path) or "yaml"
    known = named(fmt)
    if known is not None and known.binary and not outcomes:  # a workbook: the edited cells only
        saved = write_edits(args.path, fmt, edits)
        print(f"wrote {plural(len(edits), 'rewrite')} to {args.path} (previous version in {saved})")
        return 0
    try:
        data = Path(args.path).read_bytes()
    except OSError as error:
        raise InputError(args.path, f"cannot read: {error.strerror or error}") from None
    content = apply_edits(decode(data, args.path), fmt, edits, args.path)
    for target, text, initiative in outcomes:
        content = apply_outcome(content, fmt, target, text, args.path, initiative)
    backup = write_atomic(args.path, content, backup=True)
    moved = f", {plural(len(outcomes), 'task')} kept as initiatives" if outcomes else ""
    print(
        f"wrote {plural(len(edits) + len(outcomes), 'rewrite')} to {args.path}{moved} "
        f"(previous version in {backup})"
    )
    return 0


def _ask(p: Any) -> tuple[str | None, str]:
    """Ask about one proposal on the terminal: the outcome to measure (for a task), each ? value, then
    y(es) / n(o) / e(dit). Returns the text to write (None: keep the draft) and the initiative to keep."""
    from coach.rewrite.slots import fill, slots

    text = p.text
    try:
        if p.candidates:
            print(f"{p.target}: '{p.draft}' is work to do; it stays as an initiative. What should it change?")
            for n, candidate in enumerate(p.candidates, start=1):
                print(f"  {n}. {candidate.text}  ({candidate.why})")
            choice = input(
                f"  measure [1-{len(p.candidates)}, your own words, e(dit the whole text), empty: skip] "
            ).strip()
            if not choice:
                return None, p.initiative
            if choice.lower() in {"e", "edit"}:
                return (input("new text: ").strip() or None), p.initiative
            if choice.isdigit() and 1 <= int(choice) <= len(p.candidates):
                text = p.candidates[int(choice) - 1].text
            else:
                text = f"{choice} from ? to ?"
        if text and slots(text):
            values = {}
            for _, _, name in slots(text):
                given = input(f"  {name} for '{text}' (empty: leave ?) ").strip()
                if given:
                    values[name] = given
            text = fill(text, values)
        prompt = f"{p.target}: {p.draft!r} -> {text!r} [y/n/e] "
        while True:
            choice = input(prompt).strip().lower()
            if choice in {"y", "yes"}:
                return (str(text) if text else None), p.initiative
            if choice in {"n", "no", ""}:
                return None, p.initiative
            if choice in {"e", "edit"}:
                edited = input("new text: ").strip()
                return (edited or None), p.initiative
    except EOFError:
        return None, p.initiative
