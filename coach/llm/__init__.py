"""Model access: one decider (`resolve_model`), structured output, failures turned into reasons.

Nothing here is imported by `okrcoach review`. langchain and openai are imported only when a model is
actually called. The API key lives in a `Secret` that never prints itself; every reason that leaves this
module is scrubbed of it.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2  # for HTTP 429 and 5xx only: a timeout or a refused connection is not retried
DEFAULT_CONCURRENCY = 8  # requests in flight at once against a hosted or remote server
LOCAL_CONCURRENCY = 1  # against a server on this machine: llama.cpp and friends answer one at a time
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "::"})


class Secret:
    """An API key that shows as *** in every repr, str, log line and error message."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """Which model answers, and how to reach it."""

    provider: str  # openai, or any provider init_chat_model knows
    name: str
    base_url: str | None = None
    api_key: Secret | None = field(default=None, compare=False)
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_RETRIES
    source: str = ""  # where the choice came from (flag, env, config)
    concurrency: int | None = None  # None: by server (see `slots`)
    max_tokens: int | None = None  # None: the job's cap, sized to its answer schema (coach.llm.client.Task)

    @property
    def label(self) -> str:
        """The model as results name it (answered_by)."""
        return self.name if self.base_url else f"{self.provider}:{self.name}"

    @property
    def cache_id(self) -> str:
        return f"{self.provider}:{self.name}@{self.base_url or 'default'}"

    @property
    def local(self) -> bool:
        """The server runs on this machine (loopback): it usually has one slot."""
        if not self.base_url:
            return False
        host = (urlsplit(self.base_url).hostname or "").lower()
        return host in _LOCAL_HOSTS or host.startswith("127.")

    @property
    def slots(self) -> int:
        """Requests in flight at once: the setting, else 1 for a local server and 8 for any other."""
        if self.concurrency is not None:
            return self.concurrency
        return LOCAL_CONCURRENCY if self.local else DEFAULT_CONCURRENCY


class ModelConfigError(Exception):
    """The model settings are contradictory or incomplete (reported, then the rule path answers)."""


def check_base_url(url: str, where: str = "base-url") -> str:
    """The URL of an OpenAI-compatible server, or a ModelConfigError that says what is wrong with it."""
    if not url.strip():
        raise ModelConfigError(
            f"{where} is empty: give the server's URL (http://127.0.0.1:8080/v1) or leave it out"
        )
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ModelConfigError(f"{where} {url!r} is not a valid URL ({exc})") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ModelConfigError(f"{where} {url!r} must start with http:// or https:// and name a host")
    return url.strip()


def _setting(table: dict[str, Any], key: str, value: Any, default: Any, kind: type, low: float) -> Any:
    """A number from a flag (`value`) or the [model] table, checked: a ModelConfigError names the key."""
    raw = value if value is not None else table.get(key, default)
    if raw is None:
        return None
    try:
        if isinstance(raw, bool) or (kind is int and isinstance(raw, float) and not raw.is_integer()):
            raise ValueError
        number = kind(raw)
    except (TypeError, ValueError):
        raise ModelConfigError(f"model {key} must be a number, not {raw!r}") from None
    if number < low:
        raise ModelConfigError(f"model {key} must be at least {low:g}, not {raw!r}")
    return number


def resolve_model(
    config: dict[str, Any] | None = None,
    *,
    model: str | None = None,
    base_url: str | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
    concurrency: int | None = None,
    env: dict[str, str] | None = None,
) -> ModelSpec | None:
    """Decide which model runs: CLI flags, then the environment, then the config's [model] table.

    OKRCOACH_MODEL ("openai:gpt-4o-mini", or a bare name for an OpenAI-compatible server),
    OKRCOACH_BASE_URL, OPENAI_API_KEY (or OKRCOACH_API_KEY). None means no model: the rule path answers.
    An empty --base-url (or base-url in the config) is a mistake, not "the hosted endpoint": it is refused.
    """
    env = dict(os.environ if env is None else env)
    table = dict(config or {})
    if base_url is not None:
        url: str | None = check_base_url(base_url, "--base-url")
    elif env.get("OKRCOACH_BASE_URL"):
        url = check_base_url(env["OKRCOACH_BASE_URL"], "OKRCOACH_BASE_URL")
    elif "base-url" in table:
        url = check_base_url(str(table["base-url"]), "[model] base-url")
    else:
        url = None
    chosen = model or env.get("OKRCOACH_MODEL") or table.get("name")
    source = (
        "--model" if model else "OKRCOACH_MODEL" if env.get("OKRCOACH_MODEL") else "config" if chosen else ""
    )
    if not chosen and url:
        chosen = "default"
        source = (
            "--base-url" if base_url else "OKRCOACH_BASE_URL" if env.get("OKRCOACH_BASE_URL") else "config"
        )
    if not chosen:
        return None
    provider, _, name = str(chosen).partition(":")
    if not name:
        provider, name = "openai", provider
    key = env.get("OKRCOACH_API_KEY") or env.get("OPENAI_API_KEY")
    if not key and table.get("api-key-env"):
        key = env.get(str(table["api-key-env"]))
    if provider == "openai" and not url and not key:
        raise ModelConfigError(f"model {chosen} needs OPENAI_API_KEY (or a --base-url for a local server)")
    spec_timeout = _setting(table, "timeout", timeout, DEFAULT_TIMEOUT, float, 0.001)
    retries = _setting(table, "max-retries", max_retries, DEFAULT_RETRIES, int, 0)
    slots = _setting(table, "concurrency", concurrency, None, int, 1)
    max_tokens = _setting(table, "max-tokens", None, None, int, 16)
    return ModelSpec(
        provider, name, url, Secret(key) if key else None, spec_timeout, retries, source, slots, max_tokens
    )


def chat_model(spec: ModelSpec, max_tokens: int) -> Any:
    """The langchain chat model for a spec: an explicit timeout, a token cap, and no retries of its own.

    The client retries (HTTP 429 and 5xx only) and bounds each attempt itself. The SDK's timeout is a
    second apart from the client's so that the client's, with its plain-words reason, fires first.
    """
    guard_logs(spec)
    if spec.base_url or spec.provider == "openai":
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        return ChatOpenAI(
            model=spec.name,
            base_url=spec.base_url,
            api_key=SecretStr(spec.api_key.reveal() if spec.api_key else "not-needed"),
            timeout=spec.timeout + 1,
            max_retries=0,
            temperature=0,
            max_completion_tokens=max_tokens,  # what OpenAI reads
            # llama.cpp and most OpenAI-compatible servers read max_tokens only; without it a small
            # model writes until its context is full.
            extra_body={"max_tokens": max_tokens} if spec.base_url else None,
        )
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {
        "timeout": spec.timeout + 1,
        "max_retries": 0,
        "temperature": 0,
        "max_tokens": max_tokens,
    }
    if spec.api_key:
        kwargs["api_key"] = spec.api_key.reveal()
    return init_chat_model(f"{spec.provider}:{spec.name}", **kwargs)


# Key shapes: sk-/pk-/rk- tokens at a word start; the same (and key-) glued to a word when long and with a
# digit, as real keys are ("task-specific" and "key-results" stay); Bearer tokens.
_KEYLIKE = re.compile(
    r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-]{6,}|(?:sk|pk|rk|key)-(?=[A-Za-z_\-]*\d)[A-Za-z0-9_\-]{16,}"
)
_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/\-]{16,}=*")  # "bearer bonds" stay
_MIN_SECRET = 8  # a shorter configured "key" (EMPTY, none) is no secret, and replacing it mangles text


def scrub(text: str, spec: ModelSpec | None) -> str:
    """Remove the API key (and anything shaped like one) from a message."""
    if spec is not None and spec.api_key and len(spec.api_key.reveal()) >= _MIN_SECRET:
        text = text.replace(spec.api_key.reveal(), "***")
    return _BEARER.sub(r"\1 ***", _KEYLIKE.sub("***", text))


def scrub_value(value: Any, spec: ModelSpec | None) -> Any:
    """`scrub` through every string of a parsed answer (dicts, lists, strings)."""
    if isinstance(value, str):
        return scrub(value, spec)
    if isinstance(value, dict):
        return {key: scrub_value(item, spec) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub_value(item, spec) for item in value]
    return value


class _ScrubLogs(logging.Filter):
    """Scrubs each record of the loggers that may see the key (the SDK's debug logs show headers)."""

    def __init__(self, spec: ModelSpec) -> None:
        super().__init__("okrcoach-scrub")
        self.spec = spec

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logger's problem, not a reason to leak
            message = str(record.msg)
        record.msg, record.args = scrub(message, self.spec), None
        return True


_LOGGERS = (
    "openai",
    "openai._base_client",
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "langchain_openai",
)


def guard_logs(spec: ModelSpec) -> None:
    """Put the scrubbing filter on the loggers of the model stack (once per key)."""
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, _ScrubLogs)]:
            logger.removeFilter(old)
        logger.addFilter(_ScrubLogs(spec))


@dataclass(frozen=True, slots=True)
class Failure:
    """A failed model call, in plain words. `kind` is the first word of the reason, for the tallies."""

    kind: str  # timeout | connection | http | invalid JSON | invalid answer | error
    reason: str
    retry: bool = False  # HTTP 429 and 5xx: worth another attempt
    trips: bool = False  # timeout or connection: the server is not answering; ask no more
    retry_after: float | None = None


def _detail(exc: BaseException, spec: ModelSpec | None, limit: int = 160) -> str:
    """The server's own message for an HTTP error, scrubbed first and then cut to `limit` characters."""
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str):
        error = body.get("error") if isinstance(body, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
    text = scrub(" ".join(str(message if isinstance(message, str) else exc).split()), spec)
    text = re.sub(r"^Error code: \d+ - ", "", text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _refused(exc: BaseException) -> bool:
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        if isinstance(link, ConnectionRefusedError) or "refused" in str(link).lower():
            return True
        link = link.__cause__ or link.__context__
    return False


def classify_failure(exc: BaseException, spec: ModelSpec | None) -> Failure:
    """What went wrong with a model call, as a key-free reason in plain words."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    seconds = f"{spec.timeout:g}" if spec is not None else "the allotted"
    if "Timeout" in name or isinstance(exc, TimeoutError):
        return Failure("timeout", f"timeout: the model did not answer in {seconds} s", trips=True)
    if "Connection" in name or isinstance(exc, ConnectionError):
        if _refused(exc):
            return Failure(
                "connection",
                "connection failed: the model server refused the connection (is it running?)",
                trips=True,
            )
        return Failure("connection", "connection failed: the model server could not be reached", trips=True)
    if isinstance(status, int) and status >= 400:
        detail = _detail(exc, spec)
        label = "HTTP 429 (rate limited)" if status == 429 else f"HTTP {status}"
        headers = getattr(getattr(exc, "response", None), "headers", None) or {}
        try:
            retry_after: float | None = float(str(headers.get("retry-after")))
        except (TypeError, ValueError):
            retry_after = None
        return Failure(
            "http",
            f"{label} from the model server: {detail}" if detail else f"{label} from the model server",
            retry=status == 429 or status >= 500,
            retry_after=retry_after,
        )
    if isinstance(exc, json.JSONDecodeError) or any(
        marker in str(exc) for marker in ("Expecting value", "not valid JSON", "Unterminated string")
    ):
        return Failure("invalid JSON", "invalid JSON from the model server (its answer is not JSON)")
    if "Validation" in name:
        return Failure("invalid answer", f"invalid answer: {_schema_problem(exc)}")
    if "OutputParser" in name:
        return Failure("invalid answer", "invalid answer: the model called a tool that was not offered")
    if isinstance(exc, (IndexError, KeyError, TypeError, AttributeError, ValueError)):
        # choices: [], a body that is a list, null or {}: the SDK and langchain trip over it
        return Failure("invalid answer", "invalid answer: the model server's response holds no answer")
    return Failure("error", "the model call failed for an unexpected reason")


def _schema_problem(exc: BaseException) -> str:
    """A pydantic ValidationError as "the answer does not match the schema (missing: text, rationale)"."""
    errors = getattr(exc, "errors", None)
    try:
        items = errors() if callable(errors) else []
    except Exception:
        items = []
    missing = [".".join(str(p) for p in e.get("loc", ())) for e in items if e.get("type") == "missing"]
    wrong = [
        ".".join(str(p) for p in e.get("loc", ())) or "the arguments"
        for e in items
        if e.get("type") != "missing"
    ]
    parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
        [f"wrong type for {', '.join(wrong)}"] if wrong else []
    )
    return "the answer does not match the schema" + (f" ({'; '.join(parts)})" if parts else "")
