"""`okrcoach knowledge build|search` and `okrcoach doctor`: argument handling and printing only; the
renderers are in coach.report.knowledge."""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path
from typing import Any

from coach import __version__
from coach.cli.options import add_config, add_embedding, add_format, add_model
from coach.model import Finding, InputError
from coach.report.knowledge import DOCTOR_FORMATS, SEARCH_FORMATS


def add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache-dir", metavar="DIR", help="where the local store lives (default: XDG cache)")
    parser.add_argument("--chroma-url", metavar="URL", help="use a Chroma server (http://host:port) instead")
    add_embedding(parser, "embedding to use (default auto)")
    parser.add_argument(
        "--extra",
        metavar="DIR",
        action="append",
        default=[],
        help="a folder of the team's own passages to index too (repeatable)",
    )
    parser.add_argument(
        "--extra-metrics",
        metavar="DIR",
        action="append",
        default=[],
        help="a folder of the team's own metrics (*.yaml, the catalogue's shape) to index too (repeatable)",
    )
    add_config(parser, "config file (default: found from the current folder)", no_config=False)


def add_parsers(sub: Any) -> None:
    knowledge = sub.add_parser("knowledge", help="build or search the practice-guidance store")
    knowledge.set_defaults(func=run_knowledge)
    ksub = knowledge.add_subparsers(dest="knowledge_command", metavar="ACTION", required=True)
    build = ksub.add_parser(
        "build", help="index knowledge/ and the metric catalogue (and --extra folders) into the vector store"
    )
    build.add_argument("--rebuild", action="store_true", help="rebuild even if the index is current")
    add_store_options(build)
    search = ksub.add_parser(
        "search",
        help="the passages (or --metrics) closest to a question or finding",
        description="The passages (or --metrics) closest to a question or a finding's text, best first. "
        "Scores are on a fixed 0-1 scale: the cosine similarity of the query and the closest chunk "
        "(with the ONNX embedding, the mean of its dense and lexical cosines); 1 is the same text, "
        "unrelated text scores near 0.",
    )
    search.add_argument("query", help="a question or a finding's text")
    search.add_argument("-k", type=int, default=5, help="how many passages or metrics (default 5)")
    search.add_argument("--tag", action="append", default=[], help="only passages with this tag (repeatable)")
    search.add_argument(
        "--metrics", action="store_true", help="search the outcome-metric catalogue instead of the passages"
    )
    search.add_argument(
        "--domain", action="append", default=[], help="with --metrics: only this domain's (repeatable)"
    )
    add_format(search, SEARCH_FORMATS, default="text")
    add_store_options(search)
    doctor = sub.add_parser("doctor", help="what is installed, configured and built")
    doctor.set_defaults(func=run_doctor)
    add_format(doctor, DOCTOR_FORMATS, default="text")
    add_model(
        doctor.add_argument_group("the model to check instead of the configured one (as rewrite takes it)")
    )
    add_store_options(doctor)


def store_settings(args: argparse.Namespace) -> Any:
    from coach.config import config_path_for, load_config
    from coach.knowledge.settings import folders
    from coach.knowledge.store import StoreSettings

    path = config_path_for(None, config_file=getattr(args, "config", None))
    config = load_config(path)
    try:
        extra = folders(config.knowledge, "extra") + tuple(getattr(args, "extra", []) or [])
        extra_metrics = folders(config.knowledge, "extra-metrics")
        extra_metrics += tuple(getattr(args, "extra_metrics", []) or [])
        return StoreSettings.from_config(
            config.knowledge,
            cache_dir=Path(args.cache_dir).expanduser() if getattr(args, "cache_dir", None) else None,
            chroma_url=getattr(args, "chroma_url", None),
            embedding=getattr(args, "embedding", None),
            extra_dirs=extra,
            extra_metric_dirs=extra_metrics,
        )
    except TypeError as exc:
        raise InputError(str(path), f"[knowledge]: {exc}") from None


def _store(args: argparse.Namespace) -> Any:
    from coach.knowledge.embed import EmbeddingUnavailable
    from coach.knowledge.store import KnowledgeStore

    settings = store_settings(args)
    try:
        return KnowledgeStore(settings)
    except (EmbeddingUnavailable, ValueError) as exc:
        raise InputError("--embedding", str(exc)) from None


def _lexical_search(args: argparse.Namespace, reason: str) -> int:
    """`knowledge search` without the [knowledge] extra: the same files searched by their words."""
    from coach.knowledge.lexical import search_metrics, search_passages
    from coach.knowledge.metrics import load_metrics
    from coach.knowledge.passages import load_passages

    settings = store_settings(args)
    print(f"okrcoach: {reason}: lexical search instead", file=sys.stderr)
    if args.metrics:
        from coach.report.ask import METRIC_FORMATS

        domains = set(args.domain or ())
        catalogue = load_metrics(settings.extra_metric_dirs)
        wanted = {key: m for key, m in catalogue.items() if not domains or m.domain in domains}
        sys.stdout.write(METRIC_FORMATS[args.format](search_metrics(args.query, wanted, args.k)))
        return 0
    tags = set(args.tag or ())
    passages = load_passages(settings.extra_dirs)
    wanted_passages = {key: p for key, p in passages.items() if not tags or tags & set(p.tags)}
    sys.stdout.write(SEARCH_FORMATS[args.format](search_passages(args.query, wanted_passages, args.k)))
    return 0


def run_knowledge(args: argparse.Namespace) -> int:
    from coach.knowledge.store import KnowledgeError
    from coach.resources import extra_reason, require_extra

    if args.knowledge_command == "search" and not args.query.strip():
        raise InputError("knowledge search", "the query is empty: give a question or a finding's text")
    if args.knowledge_command == "build":
        require_extra("knowledge", "knowledge build")
    elif args.k < 1:
        raise InputError("-k", "must be at least 1")
    missing = extra_reason("knowledge")
    if missing:
        return _lexical_search(args, missing)
    store = _store(args)
    try:
        if args.knowledge_command == "build":
            report = store.build(rebuild=args.rebuild)
            state = "built" if report.built else "already current"
            print(
                f"{report.collection}: {state} — {report.passages} passages, {report.chunks} chunks, "
                f"{report.embedder} embedding, {report.seconds:.2f} s, at {report.location}"
            )
            state = "built" if report.metrics_built else "already current"
            print(f"{report.metric_collection}: {state} — {report.metrics} metrics")
            print(f"embedding: {store.selection.reason}")
            return 0
        if args.metrics:
            from coach.report.ask import METRIC_FORMATS

            metrics = store.retrieve_metrics(args.query, args.k, domains=args.domain or None)
            sys.stdout.write(METRIC_FORMATS[args.format](metrics))
            return 0
        found = store.retrieve(args.query, args.k, tags=args.tag or None)
    except KnowledgeError as exc:
        raise InputError("knowledge", str(exc)) from None
    sys.stdout.write(SEARCH_FORMATS[args.format](found))
    return 0


def related_passages(
    findings: list[Finding], args: argparse.Namespace
) -> tuple[dict[int, list[Any]], str | None]:
    """For --explain: each finding's closest passages besides the one it cites (or why there are none).
    Without the [knowledge] extra they come from a lexical search of the same files."""
    from coach.knowledge.embed import EmbeddingUnavailable
    from coach.knowledge.store import KnowledgeError, store_for
    from coach.resources import extra_reason

    missing = extra_reason("knowledge")
    if missing:
        from coach.knowledge.lexical import search_passages
        from coach.knowledge.passages import load_passages

        passages = load_passages(store_settings(args).extra_dirs)
        found = {
            (f.code, f.message): search_passages(
                f.message, {k: p for k, p in passages.items() if k != f.passage}, 2
            )
            for f in findings
        }
        lexical = {index: found[(f.code, f.message)] for index, f in enumerate(findings)}
        return lexical, f"closest passages by lexical search: {missing}"
    try:
        store = store_for(store_settings(args))
        related: dict[int, list[Any]] = {}
        cache: dict[tuple[str, str], list[Any]] = {}
        for index, finding in enumerate(findings):
            key = (finding.code, finding.message)
            if key not in cache:
                cache[key] = store.retrieve(finding.message, 2, exclude={finding.passage or ""})
            related[index] = cache[key]
        return related, None
    except (KnowledgeError, EmbeddingUnavailable, ImportError) as exc:
        return {}, f"closest passages unavailable: {exc}"


def related_to_rule(rule: Any, args: argparse.Namespace) -> tuple[list[Any], str | None]:
    """For `okrcoach rules CODE`: the passages closest to what the rule is about, besides the one it cites."""
    from coach.knowledge.embed import EmbeddingUnavailable
    from coach.knowledge.store import KnowledgeError, store_for
    from coach.resources import extra_reason

    query = f"{rule.summary} {rule.docs.get('Why it matters', '')}"
    missing = extra_reason("knowledge")
    if missing:
        from coach.knowledge.lexical import search_passages
        from coach.knowledge.passages import load_passages

        passages = load_passages(store_settings(args).extra_dirs)
        found = search_passages(query, {k: p for k, p in passages.items() if k != rule.passage}, 3)
        return found, f"related passages by lexical search: {missing}"
    try:
        return store_for(store_settings(args)).retrieve(query, 3, exclude={rule.passage}), None
    except (KnowledgeError, EmbeddingUnavailable, ImportError) as exc:
        return [], f"related passages unavailable: {exc}"


def _model_status(
    config_path: Path | None, problems: list[str], args: argparse.Namespace | None = None
) -> dict[str, Any] | str:
    """Which model `okrcoach rewrite` would use, and whether an OpenAI-compatible server answers it."""
    from coach.config import load_config
    from coach.llm import scrub
    from coach.llm.session import ModelFlags, open_session

    # The session `rewrite` would open; doctor reports a broken flag as a problem instead of stopping.
    flags = ModelFlags.from_args(args) if args is not None else ModelFlags()
    session = open_session(load_config(config_path), flags, check_flags=False)
    spec = session.spec
    if session.problem is not None:
        problems.append(f"model: {session.problem}")
        return f"misconfigured: {session.problem}"
    if spec is None:
        return "none configured: rules only (set OKRCOACH_MODEL, or give --model / --base-url)"
    status: dict[str, Any] = {
        "model": spec.label,
        "from": spec.source,
        "timeout_s": spec.timeout,
        "max_retries": spec.max_retries,
        "concurrency": spec.slots,
        "api_key": "set" if spec.api_key else "not set",
    }
    if not spec.base_url:
        status["reachable"] = "not checked (hosted provider)"
        return status
    import httpx

    headers = {"Authorization": f"Bearer {spec.api_key.reveal()}"} if spec.api_key else {}
    try:
        response = httpx.get(f"{spec.base_url.rstrip('/')}/models", headers=headers, timeout=3.0)
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        status["reachable"] = "no"
        why = "timed out" if isinstance(exc, httpx.TimeoutException) else "could not connect"
        problems.append(scrub(f"model server {spec.base_url} unreachable: {why}", spec))
        return status
    code = response.status_code
    if code < 400:
        status["reachable"] = f"yes (HTTP {code})"
    else:
        hint = " (check the API key)" if code in {401, 403} else ""
        status["reachable"] = f"no: it answers HTTP {code}{hint}"
        problems.append(scrub(f"model server {spec.base_url} answers HTTP {code}{hint}", spec))
    return status


def run_doctor(args: argparse.Namespace) -> int:
    from coach.config import find_config

    info: dict[str, Any] = {"okrcoach": __version__, "python": platform.python_version()}
    config_path = Path(args.config) if args.config else find_config(Path.cwd())
    info["config"] = str(config_path) if config_path else "none (defaults)"
    problems: list[str] = []
    try:
        import chromadb

        info["chromadb"] = chromadb.__version__
    except ImportError:
        from coach.resources import install_hint

        info["chromadb"] = "not installed"
        problems.append(
            "the [knowledge] extra is not installed: the knowledge store cannot be built "
            f"({install_hint('knowledge')})"
        )
    try:
        store = _store(args)
        info["embedding"] = {
            "active": store.embedder.id,
            "requested": store.selection.requested,
            "why": store.selection.reason,
        }
        if info["chromadb"] != "not installed":
            info["store"] = store.status()
            if not info["store"]["built"]:
                problems.append(
                    "the knowledge store is not built for the current passages "
                    "(run 'okrcoach knowledge build'; review --explain builds it on first use)"
                )
    except Exception as exc:  # doctor reports every failure instead of stopping at the first
        problems.append(f"knowledge store: {exc}")
    from coach.rules import catalogue

    info["rules"] = len(catalogue())
    info["model"] = _model_status(config_path, problems, args)
    info["problems"] = problems
    sys.stdout.write(DOCTOR_FORMATS[args.format](info))
    if args.format != "json":  # JSON holds them; the text lists them on stderr
        for problem in problems:
            print(f"problem    {problem}", file=sys.stderr)
    return 1 if problems else 0
