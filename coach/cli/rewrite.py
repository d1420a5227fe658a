"""`okrcoach rewrite`: argument handling, printing and writing back. The job itself is coach.rewrite, the
renderers coach.report.rewrite."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from coach.cli.options import add_config, add_embedding, add_format, add_input_format
from coach.model import InputError
from coach.report.rewrite import FORMATS


def add_parser(sub: Any) -> None:
    rw = sub.add_parser("rewrite", help="propose rewrites (LLM when configured, rules otherwise)")
    rw.add_argument("path", help="one draft file; '-' reads stdin (needs --input-format)")
    add_input_format(rw)
    rw.add_argument("--model", help="provider:model (openai:gpt-4o-mini) or a model name on --base-url")
    rw.add_argument("--base-url", help="an OpenAI-compatible server (llama.cpp, vLLM, Ollama...)")
    rw.add_argument("--timeout", type=float, help="seconds per model call (default 30)")
    rw.add_argument("--max-retries", type=int, help="retries per call on HTTP 429/5xx (default 2)")
    rw.add_argument("--max-calls", type=int, help="a budget: at most this many model calls")
    rw.add_argument(
        "--concurrency",
        type=int,
        help="model calls in flight at once (default: [model] concurrency, else 1 on localhost, 8 elsewhere)",
    )
    rw.add_argument("--no-cache", action="store_true", help="ask the model even when the answer is cached")
    rw.add_argument("--write", action="store_true", help="apply the rewrites in place (atomic, .bak kept)")
    rw.add_argument("--interactive", action="store_true", help="ask per rewrite: y(es) / n(o) / e(dit)")
    add_format(rw, FORMATS, default="text")
    add_config(rw, None, None)
    rw.add_argument("--cache-dir", metavar="DIR", help="where the knowledge store and the answer cache live")
    add_embedding(rw)
    rw.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coach.config import config_for_input
    from coach.parse import load
    from coach.rewrite import rewrite_document

    doc = load(args.path, args.input_format)
    config = config_for_input(args.path, config_file=args.config, no_config=args.no_config)
    if args.max_calls is not None and args.max_calls < 0:
        raise InputError("--max-calls", "must be >= 0")
    report = rewrite_document(doc, config, session=model_and_store(args, config))
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
    from coach.parse import detect_format
    from coach.write.edits import Edit, write_edits

    if args.path == "-":
        raise InputError("<stdin>", "--write needs a file, not stdin")
    edits = []
    for p in report.proposals:
        text = p.text
        if args.interactive:
            text = _ask(p)
        elif text and "?" in text:
            continue  # never write an unknown into the draft; answer the questions first
        if text and text != p.draft:
            edits.append(Edit(p.target, p.span, p.draft, text))
    if not edits:
        print("nothing written: no rewrite without open questions (use --interactive to edit them)")
        return 0
    fmt = args.input_format or detect_format(args.path) or "yaml"
    backup = write_edits(args.path, fmt, edits)
    print(f"wrote {len(edits)} rewrite(s) to {args.path} (previous version in {backup})")
    return 0


def _ask(p: Any) -> str | None:
    prompt = f"{p.target}: {p.draft!r} -> {p.text!r} [y/n/e] "
    while True:
        try:
            choice = input(prompt).strip().lower()
        except EOFError:
            return None
        if choice in {"y", "yes"}:
            return str(p.text) if p.text else None
        if choice in {"n", "no", ""}:
            return None
        if choice in {"e", "edit"}:
            edited = input("new text: ").strip()
            return edited or None
