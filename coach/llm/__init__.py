"""Model access: one decider (`resolve_model`), structured output, failures turned into reasons.

Nothing here is imported by `okrcoach review`. langchain and openai are imported only when a model is
actually called. The API key lives in a `Secret` that never prints itself; every reason that leaves this
module is scrubbed of it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2


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

    @property
    def label(self) -> str:
        """The model as results name it (answered_by)."""
        return self.name if self.base_url else f"{self.provider}:{self.name}"

    @property
    def cache_id(self) -> str:
        return f"{self.provider}:{self.name}@{self.base_url or 'default'}"


class ModelConfigError(Exception):
    """The model settings are contradictory or incomplete (reported, then the rule path answers)."""


def resolve_model(
    config: dict[str, Any] | None = None,
    *,
    model: str | None = None,
    base_url: str | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
    env: dict[str, str] | None = None,
) -> ModelSpec | None:
    """Decide which model runs: CLI flags, then the environment, then the config's [model] table.

    OKRCOACH_MODEL ("openai:gpt-4o-mini", or a bare name for an OpenAI-compatible server),
    OKRCOACH_BASE_URL, OPENAI_API_KEY (or OKRCOACH_API_KEY). None means no model: the rule path answers.
    """
    env = dict(os.environ if env is None else env)
    table = dict(config or {})
    chosen = model or env.get("OKRCOACH_MODEL") or table.get("name")
    url = base_url or env.get("OKRCOACH_BASE_URL") or table.get("base-url")
    source = (
        "--model" if model else "OKRCOACH_MODEL" if env.get("OKRCOACH_MODEL") else "config" if chosen else ""
    )
    if not chosen and url:
        chosen, source = "default", "--base-url" if base_url else "OKRCOACH_BASE_URL"
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
    spec_timeout = float(timeout if timeout is not None else table.get("timeout", DEFAULT_TIMEOUT))
    retries = int(max_retries if max_retries is not None else table.get("max-retries", DEFAULT_RETRIES))
    if spec_timeout <= 0 or retries < 0:
        raise ModelConfigError("model timeout must be positive and max-retries not negative")
    return ModelSpec(provider, name, url, Secret(key) if key else None, spec_timeout, retries, source)


def chat_model(spec: ModelSpec) -> Any:
    """The langchain chat model for a spec, always with an explicit timeout and bounded retries."""
    if spec.base_url or spec.provider == "openai":
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        return ChatOpenAI(
            model=spec.name,
            base_url=spec.base_url,
            api_key=SecretStr(spec.api_key.reveal() if spec.api_key else "not-needed"),
            timeout=spec.timeout,
            max_retries=spec.max_retries,
            temperature=0,
        )
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {"timeout": spec.timeout, "max_retries": spec.max_retries, "temperature": 0}
    if spec.api_key:
        kwargs["api_key"] = spec.api_key.reveal()
    return init_chat_model(f"{spec.provider}:{spec.name}", **kwargs)


_KEYLIKE = re.compile(r"\b(?:sk|pk|rk|key)-[A-Za-z0-9_\-]{6,}")


def scrub(text: str, spec: ModelSpec | None) -> str:
    """Remove the API key (and anything shaped like one) from a message."""
    if spec is not None and spec.api_key and spec.api_key.reveal():
        text = text.replace(spec.api_key.reveal(), "***")
    return _KEYLIKE.sub("***", text)


def failure_reason(exc: BaseException, spec: ModelSpec | None) -> str:
    """A short, key-free reason for a failed call: timeout, connection, HTTP 429/5xx, invalid output."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    if "Timeout" in name or isinstance(exc, TimeoutError):
        reason = "timeout"
    elif "Connection" in name:
        reason = "connection failed (is the server running?)"
    elif status == 429 or "RateLimit" in name:
        reason = "rate limited (HTTP 429)"
    elif status is not None and status >= 400:
        reason = f"HTTP {status}"
    elif (
        isinstance(exc, json.JSONDecodeError)
        or "OutputParser" in name
        or "JSON" in name
        or any(marker in str(exc) for marker in ("Expecting value", "not valid JSON", "Unterminated string"))
    ):
        reason = "invalid JSON from the model"
    elif "Validation" in name:
        reason = "answer does not match the schema"
    else:
        reason = name
    detail = " ".join(str(exc).split())[:160]
    return scrub(f"{reason}: {detail}" if detail and reason != detail else reason, spec)
