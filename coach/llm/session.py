"""One model session: which model answers, where its answers are cached, the knowledge store its prompts are
grounded in, how many calls it may make and how many at once, and the circuit breaker that stops asking
once the server stopped answering.

`open_session(config, flags)` is the one place a session is built from the config, the environment and the
command line; `rewrite`, `org --rewrite`, the TUI and `doctor` all go through it. Every job that asks the
model takes a session, never a spec and its settings one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.llm import ModelConfigError, ModelSpec, check_base_url, resolve_model
from coach.model import InputError

if TYPE_CHECKING:
    from coach.config import Config
    from coach.llm.client import ModelClient, Usage


@dataclass(frozen=True, slots=True)
class ModelFlags:
    """What the command line says about the model; None: not given (the environment, the config or the
    default decides). A command without a flag leaves it None."""

    model: str | None = None
    base_url: str | None = None
    timeout: float | None = None
    max_retries: int | None = None
    concurrency: int | None = None
    max_calls: int | None = None  # a budget for the whole session
    use_cache: bool = True
    cache_dir: str | None = None  # where the knowledge store and the answer cache live
    embedding: str | None = None  # the knowledge store's

    @classmethod
    def from_args(cls, args: Any) -> ModelFlags:
        """From a parsed command line (an argparse namespace); flags the command lacks stay None."""
        return cls(
            model=getattr(args, "model", None),
            base_url=getattr(args, "base_url", None),
            timeout=getattr(args, "timeout", None),
            max_retries=getattr(args, "max_retries", None),
            concurrency=getattr(args, "concurrency", None),
            max_calls=getattr(args, "max_calls", None),
            use_cache=not getattr(args, "no_cache", False),
            cache_dir=getattr(args, "cache_dir", None),
            embedding=getattr(args, "embedding", None),
        )

    def check(self) -> None:
        """Each flag as given, checked on its own: an InputError (one line, exit 2) names it."""
        if self.base_url is not None:
            try:
                check_base_url(self.base_url, "the server URL")
            except ModelConfigError as exc:
                raise InputError("--base-url", str(exc)) from None
        for name, value, low in (
            ("--timeout", self.timeout, 0.001),
            ("--max-retries", self.max_retries, 0),
            ("--concurrency", self.concurrency, 1),
        ):
            if value is not None and value < low:
                raise InputError(name, f"must be at least {low:g}")


class _Once:
    """The knowledge store, built on first use and shared by a session and its forks; a store that cannot
    be built is None (grounding falls back to the passages the findings cite) and says why."""

    def __init__(self, factory: Callable[[], Any] | None) -> None:
        self.factory = factory
        self.value: Any = None
        self.problem: str | None = None
        self.tried = False

    def get(self) -> Any:
        if not self.tried and self.factory is not None:
            self.tried = True
            try:
                self.value = self.factory()
            except Exception as exc:  # the store only enriches prompts
                self.problem = str(exc)
        return self.value


@dataclass(slots=True)
class ModelSession:
    """A model and everything that goes with asking it (the spec carries the timeout and the retries).
    `ModelSession()` is the rules only.

    One session, one client: its call budget, its answer cache and its breaker hold across every draft the
    session is used for (an organisation's drafts share one). `fork` gives a session with the same model,
    cache and store but its own budget and breaker (the TUI's per-rewrite session).
    """

    spec: ModelSpec | None = None  # None: the rules answer
    problem: str | None = None  # why no model is used although one was asked for
    cache_dir: Path | None = None  # the answer cache lives under cache_dir/llm; None: no cache
    max_calls: int | None = None  # None: no budget
    concurrency: int | None = None  # None: the spec's (1 for a local server, else 8)
    use_cache: bool = True
    store_factory: Callable[[], Any] | None = None  # the knowledge store, built on first use
    _store: _Once = field(init=False, repr=False)
    _client: ModelClient | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._store = _Once(self.store_factory)

    @property
    def client(self) -> ModelClient | None:
        """The session's one client (built on first use), or None without a model."""
        if self.spec is None:
            return None
        if self._client is None:
            from coach.llm.client import ModelClient

            self._client = ModelClient(
                self.spec,
                self.cache_dir,
                max_calls=self.max_calls,
                concurrency=self.concurrency,
                use_cache=self.use_cache,
            )
        return self._client

    @property
    def usage(self) -> Usage | None:
        return self._client.usage if self._client is not None else None

    def knowledge_store(self) -> Any:
        """The knowledge store (built on first use), or None: no model, or it cannot be built."""
        return self._store.get() if self.spec is not None else None

    @property
    def store_problem(self) -> str | None:
        """Why the knowledge store could not be built (once it was tried)."""
        return self._store.problem

    def fork(self, *, max_calls: int | None = None, concurrency: int | None = None) -> ModelSession:
        """The same model, cache and store, with a budget and a breaker of its own."""
        forked = ModelSession(
            self.spec,
            self.problem,
            self.cache_dir,
            max_calls=max_calls,
            concurrency=concurrency,
            use_cache=self.use_cache,
            store_factory=self.store_factory,
        )
        forked._store = self._store
        return forked


def open_session(
    config: Config,
    flags: ModelFlags | None = None,
    *,
    check_flags: bool = True,
    env: dict[str, str] | None = None,
) -> ModelSession:
    """The session for a command: the flags, then the environment, then the config's [model] table.

    A flag that cannot be right (an empty or broken --base-url, --concurrency 0) is an InputError, unless
    `check_flags` is off (doctor reports it as a problem instead); a misconfigured model is a reason
    (`problem`) to answer with the rules. The knowledge store's settings are read here and the store itself
    is built on first use (`knowledge_store()`).
    """
    flags = flags or ModelFlags()
    if check_flags:
        flags.check()
    try:
        spec = resolve_model(
            config.model,
            model=flags.model,
            base_url=flags.base_url,
            timeout=flags.timeout,
            max_retries=flags.max_retries,
            concurrency=flags.concurrency,
            env=env,
        )
    except ModelConfigError as exc:
        return ModelSession(problem=str(exc))
    if spec is None:
        return ModelSession()
    from coach.resources import extra_reason

    missing = extra_reason("llm")
    if missing:  # a model asked for without the libraries that reach it: the rules answer, saying why
        return ModelSession(problem=missing)
    from coach.knowledge.store import KnowledgeStore, StoreSettings

    cache_dir = Path(flags.cache_dir).expanduser() if flags.cache_dir else None
    settings = StoreSettings.from_config(config.knowledge, cache_dir=cache_dir, embedding=flags.embedding)
    no_store = extra_reason("knowledge")

    def store() -> Any:
        if no_store:  # grounding falls back to the passages the findings cite
            raise RuntimeError(no_store)
        return KnowledgeStore(settings)

    return ModelSession(
        spec,
        cache_dir=settings.cache_dir,
        max_calls=flags.max_calls,
        concurrency=flags.concurrency,
        use_cache=flags.use_cache,
        store_factory=store,
    )
