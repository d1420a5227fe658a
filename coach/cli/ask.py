"""`okrcoach ask "question"`: argument handling and printing only. The job is coach.ask, the renderers
coach.report.ask."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from coach.cli.knowledge import add_store_options, store_settings
from coach.cli.options import add_format
from coach.model import InputError
from coach.report.ask import FORMATS


def add_parser(sub: Any) -> None:
    ask = sub.add_parser("ask", help="answer a question from the practice passages and metrics")
    ask.add_argument("question", help='a question in words ("how do we measure developer experience?")')
    ask.add_argument("-k", type=int, default=4, help="how many passages and metrics to retrieve (default 4)")
    ask.add_argument("--model", help="provider:model (openai:gpt-4o-mini) or a model name on --base-url")
    ask.add_argument("--base-url", help="an OpenAI-compatible server (llama.cpp, vLLM, Ollama...)")
    ask.add_argument("--timeout", type=float, help="seconds for the model's answer (default 30)")
    ask.add_argument("--max-retries", type=int, help="retries on HTTP 429/5xx (default 2)")
    ask.add_argument("--no-cache", action="store_true", help="ask the model even when the answer is cached")
    add_format(ask, FORMATS, default="text")
    add_store_options(ask)
    ask.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coach.ask import ask
    from coach.config import config_path_for, load_config
    from coach.knowledge.embed import EmbeddingUnavailable, select_embedder
    from coach.llm.session import ModelFlags, open_session

    if not args.question.strip():
        raise InputError("question", "is empty: ask a question in words")
    if args.k < 1:
        raise InputError("-k", "must be at least 1")
    settings = store_settings(args)
    try:
        select_embedder(settings.embedding)  # an embedding asked for by name must be there
    except (EmbeddingUnavailable, ValueError) as exc:
        raise InputError("--embedding", str(exc)) from None
    config = load_config(config_path_for(None, config_file=args.config))
    session = open_session(config, ModelFlags.from_args(args))
    result = ask(args.question, settings, session, k=args.k)
    sys.stdout.write(FORMATS[args.format](result))
    return 0
