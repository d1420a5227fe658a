"""Asking the model: structured output by function calling, a disk cache, a call budget, bounded concurrency,
and a circuit breaker. Job-agnostic: the job brings its prompt and a `Task` (its system text, its answer
schema, the shape check an answer must pass); the rewrite job's is `coach.rewrite.answer.REWRITE`.

`ModelClient.ask(prompt, task)` never raises for a model failure: it returns an `Answer` with `reason` set,
so the caller can fall back per item. Each request carries a token cap (the task's, or `[model]
max-tokens`) and is bounded by the timeout from the moment it leaves the client's own queue. Only HTTP 429
and 5xx are retried. After a timeout or a refused connection the breaker opens: requests in flight are
cancelled (their connections closed, so a local server stops generating) and every remaining item falls
back at once, saying why. Clients are built by `coach.llm.session.ModelSession`, one per session.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.llm import Failure, ModelSpec, classify_failure, scrub, scrub_value
from coach.prompts import Prompt

_RETRY_PAUSE = 0.5  # seconds before the first retry of a 429/5xx, doubled each time (Retry-After wins)
_RETRY_PAUSE_MAX = 10.0


@dataclass(frozen=True, slots=True)
class Task:
    """What a job asks the model for, beside its prompt. The job owns it (it lives next to the job)."""

    system: str  # the system message: part of the cache key
    schema: Callable[[], Any]  # the pydantic model of the answer, built on first use (not on the rule path)
    max_tokens: int  # the token cap, sized to the schema; `[model] max-tokens` overrides it
    # (fields, API key) -> why the answer cannot be used, or None. Checked before caching: a refused
    # answer is never cached.
    check: Callable[[dict[str, Any], str | None], str | None] | None = None
    verbatim: tuple[str, ...] = ()  # fields refused, not scrubbed, when they repeat the API key


@dataclass(slots=True)
class Answer:
    fields: dict[str, Any] | None = None
    reason: str | None = None  # why there is no usable answer
    cached: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(slots=True)
class Usage:
    calls: int = 0
    cache_hits: int = 0
    failures: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    retries: int = 0
    skipped: int = 0  # items not asked because the breaker was open
    stopped: str | None = None  # why the breaker opened (the model stopped answering), else None


class _BreakerOpen(Exception):
    """Another item's request opened the breaker while this one was in flight."""


class ModelClient:
    def __init__(
        self,
        spec: ModelSpec,
        cache_dir: Path | None,
        *,
        max_calls: int | None = None,
        concurrency: int | None = None,
        use_cache: bool = True,
    ) -> None:
        self.spec = spec
        self.cache_dir = cache_dir / "llm" if cache_dir else None
        self.max_calls = max_calls
        self.concurrency = max(1, concurrency if concurrency is not None else spec.slots)
        self.use_cache = use_cache and self.cache_dir is not None
        self.usage = Usage()
        self._lock = threading.Lock()
        self._runnables: dict[Task, Any] = {}
        self._semaphore: asyncio.Semaphore | None = None
        self._open: asyncio.Event | None = None
        self._skip_reason: str | None = None  # what the items after the breaker opened are told

    def begin_run(self) -> None:
        """Get ready for another event loop (the next draft of an organisation): the queue and the breaker's
        event belong to one loop; the usage, the budget and an open breaker carry over."""
        self._semaphore = None
        self._open = None

    # -- cache ------------------------------------------------------------------------------------------
    def cache_key(self, prompt: Prompt, task: Task) -> str:
        digest = hashlib.sha256()
        for part in (self.spec.cache_id, prompt.name, prompt.version, task.system, prompt.text):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def _cache_path(self, key: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / key[:2] / f"{key}.json"

    def _cached(self, key: str) -> dict[str, Any] | None:
        if not self.use_cache:
            return None
        path = self._cache_path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
            return None
        return {"fields": scrub_value(data["fields"], self.spec)}  # an entry from before the scrubbing

    def _store(self, key: str, answer: Answer) -> None:
        if not self.use_cache or answer.fields is None:
            return
        from coach.io import write_atomic

        path = self._cache_path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps({"model": self.spec.cache_id, "fields": answer.fields}))
        except Exception:  # a cache that cannot be written only costs a call next time
            pass

    # -- calls ------------------------------------------------------------------------------------------
    def max_tokens(self, task: Task) -> int:
        return self.spec.max_tokens or task.max_tokens

    def _model(self, task: Task) -> Any:
        if task not in self._runnables:
            from coach.llm import chat_model

            self._runnables[task] = chat_model(self.spec, self.max_tokens(task)).with_structured_output(
                task.schema(), method="function_calling", include_raw=True
            )
        return self._runnables[task]

    def _take_budget(self) -> bool:
        with self._lock:
            if self.max_calls is not None and self.usage.calls >= self.max_calls:
                return False
            self.usage.calls += 1
            return True

    def _fail(self, reason: str, kind: str | None = None) -> Answer:
        with self._lock:
            self.usage.failures += 1
            kind = kind or reason.split(":")[0]
            self.usage.reasons[kind] = self.usage.reasons.get(kind, 0) + 1
        return Answer(reason=reason)

    def _skip(self) -> Answer:
        with self._lock:
            self.usage.skipped += 1
        return Answer(reason=self._skip_reason)

    def _trip(self, failure: Failure) -> None:
        """Open the breaker: cancel what is in flight, and tell every later item why it was not asked."""
        if self._skip_reason is not None:
            return
        seconds = f"{self.spec.timeout:g}"
        self._skip_reason = (
            f"timeout: the model did not answer an earlier item in {seconds} s"
            if failure.kind == "timeout"
            else "connection failed: the model server refused the connection for an earlier item"
            if "refused" in failure.reason
            else "connection failed: the model server could not be reached for an earlier item"
        )
        with self._lock:
            self.usage.stopped = failure.reason
        if self._open is not None:
            self._open.set()

    async def ask(self, prompt: Prompt, task: Task) -> Answer:
        key = self.cache_key(prompt, task)
        hit = self._cached(key)
        if hit is not None:
            with self._lock:
                self.usage.cache_hits += 1
            return Answer(fields=hit["fields"], cached=True)
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.concurrency)
            self._open = asyncio.Event()
        if self._skip_reason is not None:
            return self._skip()
        async with self._semaphore:
            # Only now does this request's time start: waiting in the client's own queue is not the
            # model's fault (the timeout, the SDK's included, bounds each attempt from here on).
            if self._skip_reason is not None:
                return self._skip()
            if not self._take_budget():
                return self._fail(f"call budget spent (--max-calls {self.max_calls})", "budget")
            answer = await self._call(prompt, task)
        if answer.fields is not None:
            self._store(key, answer)
        return answer

    async def _call(self, prompt: Prompt, task: Task) -> Answer:
        from langchain_core.messages import HumanMessage, SystemMessage

        messages = [SystemMessage(task.system), HumanMessage(prompt.text)]
        attempt = 0
        while True:
            try:
                result = await self._attempt(self._model(task), messages)
                break
            except _BreakerOpen:
                return self._skip()
            except Exception as exc:  # every failure of the model path becomes a reason, never a crash
                failure = classify_failure(exc, self.spec)
            if failure.trips:
                self._trip(failure)
                return self._fail(failure.reason, failure.kind)
            if not failure.retry or attempt >= self.spec.max_retries:
                return self._fail(failure.reason, failure.kind)
            pause = failure.retry_after if failure.retry_after is not None else _RETRY_PAUSE * 2**attempt
            attempt += 1
            with self._lock:
                self.usage.retries += 1
            await asyncio.sleep(min(max(pause, 0.0), _RETRY_PAUSE_MAX))
            if self._skip_reason is not None:
                return self._skip()
        return self._read(result, task)

    async def _attempt(self, model: Any, messages: list[Any]) -> Any:
        """One request, bounded by the timeout; cancelled (its connection closed) when the breaker opens.

        A server that trickles bytes forever, or a one-slot server still busy with another client, is cut
        off here even where the SDK's per-read timeout would wait on.
        """
        assert self._open is not None
        call = asyncio.ensure_future(model.ainvoke(messages))
        opened = asyncio.ensure_future(self._open.wait())
        try:
            done, _ = await asyncio.wait(
                {call, opened}, timeout=self.spec.timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            opened.cancel()
            if not call.done():
                # Cancelling closes the HTTP connection: llama.cpp's server stops generating for a
                # client that hung up, instead of finishing an answer nobody will read.
                call.cancel()
                await asyncio.wait({call}, timeout=1.0)
        if call in done:
            return call.result()
        if opened in done:
            raise _BreakerOpen
        raise TimeoutError

    def _read(self, result: Any, task: Task) -> Answer:
        """The fields of a parsed answer, scrubbed of the key before anything else sees them."""
        raw, parsed, error = result.get("raw"), result.get("parsed"), result.get("parsing_error")
        usage = getattr(raw, "usage_metadata", None) or {}
        prompt_tokens = int(usage.get("input_tokens", 0))
        completion_tokens = int(usage.get("output_tokens", 0))
        with self._lock:
            self.usage.prompt_tokens += prompt_tokens
            self.usage.completion_tokens += completion_tokens
        metadata = getattr(raw, "response_metadata", None) or {}
        if metadata.get("finish_reason") == "length":
            return self._fail(
                f"invalid JSON from the model (the answer was cut off at {self.max_tokens(task)} tokens)",
                "invalid JSON",
            )
        if error is not None:
            failure = classify_failure(error, self.spec)
            return self._fail(failure.reason, failure.kind)
        if parsed is None:
            if getattr(raw, "invalid_tool_calls", None):
                return self._fail(
                    "invalid JSON from the model (its tool arguments do not parse)", "invalid JSON"
                )
            return self._fail("invalid answer: no tool call in the answer (the model wrote prose)")
        dumped = parsed.model_dump()
        fields = scrub_value(dumped, self.spec)
        for name in task.verbatim:
            if fields.get(name) != dumped.get(name):
                return self._fail(f"invalid answer: the model's {name} repeats the API key", "invalid answer")
        secret = self.spec.api_key.reveal() if self.spec.api_key else None
        problem = task.check(fields, secret) if task.check is not None else None
        if problem:
            return self._fail(scrub(problem, self.spec))
        return Answer(fields=fields, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
