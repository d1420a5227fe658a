"""A scriptable OpenAI-compatible chat server on loopback that plays the model in tests.

It speaks just enough of the Chat Completions API for the OpenAI Python SDK (and so langchain-openai's
``ChatOpenAI(...).with_structured_output(Schema, method="function_calling")``) to work against it:

- ``POST /v1/chat/completions`` (and ``/chat/completions``): answers with a tool call, plain content or an
  error, as scripted;
- ``GET /v1/models`` (and ``/models``): one model, ``stub-model``;
- anything else: a 404 with an OpenAI-style error body;
- every route: a 401 when ``stub.require_key(key)`` was called and the request carries another key.

Scripting::

    def test_something(openai_stub: OpenAIStub) -> None:
        openai_stub.queue(Reply.error(429, retry_after=0))            # first request
        openai_stub.respond(lambda req: Reply.tool_args({"ok": True}))  # every later one
        ... point the client at openai_stub.url ...
        assert openai_stub.count == 2

Test modules get the fixture with ``from stub_openai import openai_stub_fixture  # noqa: F401`` (or
``import openai_stub``, the same fixture); the test parameter is ``openai_stub``.

Echoing the API key (to prove the client never shows it): ``KEY_ECHO`` anywhere in a reply's arguments,
text or header values is replaced by the key the request carried (its ``Authorization: Bearer`` value);
``StubRequest.api_key`` gives the same value to a script. ``stub.hangups`` counts the delayed or hung
requests whose client closed the connection before the answer (a client that gives up must hang up).

Only the standard library is used for the server: a ``ThreadingHTTPServer`` bound to 127.0.0.1 on a free
port, served from a daemon thread. Delayed and hung replies wait on an event that ``stop()`` sets, so
stopping never waits on them for long.
"""

from __future__ import annotations

import copy
import itertools
import json
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import pytest

__all__ = [
    "HANG_SECONDS",
    "KEY_ECHO",
    "MODEL_ID",
    "OpenAIStub",
    "Reply",
    "StubRequest",
    "args_from_schema",
    "openai_stub",
    "openai_stub_fixture",
]

MODEL_ID = "stub-model"
HANG_SECONDS = 30.0  # how long a hung reply holds its request, unless the stub stops first
KEY_ECHO = "%API_KEY%"  # in a reply: replaced by the API key the request carried

_CHAT_PATHS = frozenset({"/v1/chat/completions", "/chat/completions"})
_MODEL_PATHS = frozenset({"/v1/models", "/models"})
_ERROR_TYPES = {
    400: ("invalid_request_error", "invalid_request"),
    401: ("authentication_error", "invalid_api_key"),
    403: ("permission_error", "permission_denied"),
    404: ("invalid_request_error", "not_found"),
    408: ("timeout_error", "timeout"),
    409: ("conflict_error", "conflict"),
    422: ("invalid_request_error", "unprocessable_entity"),
    429: ("rate_limit_error", "rate_limit_exceeded"),
}


# --------------------------------------------------------------------------------------------------------
# What the stub received


@dataclass(frozen=True)
class StubRequest:
    """One request the stub received (chat completions only)."""

    body: dict[str, Any]
    path: str
    headers: dict[str, str]  # lower-case names

    @property
    def messages(self) -> list[dict[str, Any]]:
        messages = self.body.get("messages")
        return [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []

    @property
    def tools(self) -> list[dict[str, Any]]:
        tools = self.body.get("tools")
        return [t for t in tools if isinstance(t, dict)] if isinstance(tools, list) else []

    @property
    def tool_name(self) -> str | None:
        """The function the request forces (``tool_choice``), else the first tool's name, else None."""
        choice = self.body.get("tool_choice")
        if isinstance(choice, dict):
            function = choice.get("function")
            name = function.get("name") if isinstance(function, dict) else choice.get("name")
            if isinstance(name, str):
                return name
        for tool in self.tools:
            name = _function_of(tool).get("name")
            if isinstance(name, str):
                return name
        return None

    @property
    def tool_schema(self) -> dict[str, Any] | None:
        """The JSON schema (``parameters``) of the tool named by ``tool_name``, or None."""
        name = self.tool_name
        for tool in self.tools:
            function = _function_of(tool)
            if function.get("name") == name:
                parameters = function.get("parameters")
                return parameters if isinstance(parameters, dict) else None
        return None

    @property
    def user_text(self) -> str:
        """Every message's text (string contents and text parts), joined by newlines."""
        return "\n".join(_message_text(m) for m in self.messages)

    @property
    def system_text(self) -> str:
        """The text of the system (and developer) messages only."""
        return "\n".join(_message_text(m) for m in self.messages if m.get("role") in {"system", "developer"})

    @property
    def api_key(self) -> str:
        """The key the client sent (``Authorization: Bearer <key>``), or ""."""
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""

    @property
    def model(self) -> str:
        model = self.body.get("model")
        return model if isinstance(model, str) and model else MODEL_ID


def _function_of(tool: dict[str, Any]) -> dict[str, Any]:
    function = tool.get("function")
    return function if isinstance(function, dict) else {}


def _message_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        return "\n".join(parts)
    return ""


# --------------------------------------------------------------------------------------------------------
# What the stub answers


@dataclass(frozen=True)
class Reply:
    """One scripted answer. Build it with the classmethods; ``.after(seconds)`` delays it."""

    kind: str  # tool_args | raw_arguments | content | error | garbage_body | empty | hang
    arguments: str = ""  # tool-call arguments, exactly as sent
    text: str = ""  # message content, error message or raw body
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    name: str | None = None  # tool name to answer with; None: the one the request asked for
    finish_reason: str | None = None  # None: "tool_calls" for tool calls, "stop" for content

    @classmethod
    def tool_args(cls, args: dict[str, Any], *, name: str | None = None, delay: float = 0.0) -> Reply:
        """A tool call with arguments ``json.dumps(args)`` (plain content when the request has no tools)."""
        return cls("tool_args", arguments=json.dumps(args), name=name, delay=delay)

    @classmethod
    def raw_arguments(
        cls, text: str, *, name: str | None = None, delay: float = 0.0, finish_reason: str | None = None
    ) -> Reply:
        """A tool call whose arguments string is exactly ``text`` (e.g. ``"{not json"``).

        ``finish_reason="length"`` plays a model cut off by the request's ``max_tokens``.
        """
        return cls("raw_arguments", arguments=text, name=name, delay=delay, finish_reason=finish_reason)

    @classmethod
    def content(cls, text: str, *, delay: float = 0.0, finish_reason: str = "stop") -> Reply:
        """Plain message content and no tool call, even when the request offered tools."""
        return cls("content", text=text, delay=delay, finish_reason=finish_reason)

    @classmethod
    def error(
        cls,
        status: int,
        message: str = "stub error",
        headers: dict[str, str] | None = None,
        *,
        retry_after: float | None = None,
        delay: float = 0.0,
    ) -> Reply:
        """An OpenAI-style ``{"error": {...}}`` body with HTTP ``status``; ``retry_after`` sets that header.

        The ``type``/``code`` follow OpenAI's (429: rate_limit_error/rate_limit_exceeded, 5xx: server_error).
        """
        all_headers = dict(headers or {})
        if retry_after is not None:
            all_headers["retry-after"] = _number(retry_after)
        return cls("error", text=message, status=status, headers=all_headers, delay=delay)

    @classmethod
    def garbage_body(cls, text: str = "<html>502 Bad Gateway</html>", *, status: int = 200) -> Reply:
        """A response whose body is ``text``, not JSON (status 200 unless told)."""
        return cls("garbage_body", text=text, status=status)

    @classmethod
    def empty(cls, *, delay: float = 0.0) -> Reply:
        """A 200 completion with ``choices: []``."""
        return cls("empty", delay=delay)

    @classmethod
    def hang(cls) -> Reply:
        """Never answers: holds the request for HANG_SECONDS, or until the stub stops, then drops it."""
        return cls("hang")

    def after(self, seconds: float) -> Reply:
        """The same reply, sent ``seconds`` later."""
        return replace(self, delay=seconds)

    def with_headers(self, headers: dict[str, str]) -> Reply:
        """The same reply with these response headers added (values may hold ``KEY_ECHO``)."""
        return replace(self, headers={**self.headers, **headers})

    def echoing(self, key: str) -> Reply:
        """The reply with every ``KEY_ECHO`` in its arguments, text and header values replaced by ``key``."""
        return replace(
            self,
            arguments=self.arguments.replace(KEY_ECHO, key),
            text=self.text.replace(KEY_ECHO, key),
            headers={name: value.replace(KEY_ECHO, key) for name, value in self.headers.items()},
        )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


Script = Callable[[StubRequest], "Reply | dict[str, Any]"]


def _no_script(request: StubRequest) -> Reply:
    return Reply.error(500, "okrcoach stub: no script; call stub.respond(...) or stub.queue(...) first")


# --------------------------------------------------------------------------------------------------------
# The server


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, stub: OpenAIStub) -> None:
        self.stub = stub
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"  # one request per connection: nothing lingers after stop()
    server_version = "okrcoach-stub/1"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        path = self._path()
        if not self._authorized():
            return
        if path in _MODEL_PATHS:
            self._send_json(200, {"object": "list", "data": [{"id": MODEL_ID, "object": "model"}]})
        else:
            self._send_json(404, _error_body(404, f"no route for GET {path}"))

    def do_POST(self) -> None:
        path = self._path()
        raw = self._read_body()
        if path not in _CHAT_PATHS:
            self._send_json(404, _error_body(404, f"no route for POST {path}"))
            return
        if not self._authorized():
            return
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            self._send_json(400, _error_body(400, f"request body is not JSON: {error}"))
            return
        if not isinstance(body, dict):
            self._send_json(400, _error_body(400, "request body must be a JSON object"))
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.server.stub._handle(self, StubRequest(body=body, path=path, headers=headers))

    def do_PUT(self) -> None:
        self._not_found()

    def do_DELETE(self) -> None:
        self._not_found()

    def do_PATCH(self) -> None:
        self._not_found()

    def _not_found(self) -> None:
        self._read_body()
        self._send_json(404, _error_body(404, f"no route for {self.command} {self._path()}"))

    def _authorized(self) -> bool:
        """False (after a 401) when the stub requires a key and the request does not carry it."""
        required = self.server.stub.required_key
        scheme, _, token = (self.headers.get("authorization") or "").partition(" ")
        if required is None or (scheme.lower() == "bearer" and token.strip() == required):
            return True
        self._send_json(401, _error_body(401, "Incorrect API key provided"))
        return False

    def _path(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/") or "/"

    def _read_body(self) -> bytes:
        try:
            length = int(self.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        return self.rfile.read(length) if length > 0 else b""

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload).encode("utf-8"), "application/json", headers)

    def _send(
        self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
            pass  # the client gave up (its timeout): nothing to tell it


def _error_body(status: int, message: str) -> dict[str, Any]:
    kind, code = _ERROR_TYPES.get(
        status, ("server_error" if status >= 500 else "invalid_request_error", None)
    )
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def _tokens(text: str) -> int:
    return len(text) // 4


def _hung_up(connection: socket.socket) -> bool:
    """The client closed its end: the socket reads as end-of-file (the request was already read)."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


class OpenAIStub:
    """An OpenAI-compatible chat server on 127.0.0.1 that answers as scripted. See the module docstring."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._queue: list[Reply] = []
        self._script: Script | Reply = _no_script
        self._requests: list[StubRequest] = []
        self._errors: list[BaseException] = []
        self._in_flight = 0
        self._max_concurrency = 0
        self._hangups = 0
        self.required_key: str | None = None  # set by require_key
        self._ids = itertools.count(1)
        self._server = _Server(self)
        self._thread: threading.Thread | None = None
        self._stopped = False

    # ---- lifecycle

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The base URL to give a client: ``http://127.0.0.1:<port>/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> OpenAIStub:
        if self._stopped:
            raise RuntimeError("this stub was stopped; make a new one")
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"openai-stub-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; delayed and hung requests are dropped. Safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self._stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=1.0)
        self._server.server_close()

    def __enter__(self) -> OpenAIStub:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # ---- scripting

    def respond(self, script: Script | Reply) -> None:
        """Answer every request (once the queue is empty) with ``script(request)``, or with a fixed Reply.

        The function may return a Reply, or a dict as a shorthand for ``Reply.tool_args(dict)``.
        """
        with self._lock:
            self._script = script

    def require_key(self, key: str | None) -> None:
        """Answer every route with 401 unless the request carries ``Authorization: Bearer <key>``."""
        self.required_key = key

    def queue(self, *replies: Reply) -> None:
        """One-shot replies, used in order before falling back to ``respond``'s script."""
        with self._lock:
            self._queue.extend(replies)

    def reset(self) -> None:
        """Forget the queue, the requests, the errors and the script (back to the loud 500 "no script")."""
        with self._lock:
            self._queue.clear()
            self._requests.clear()
            self._errors.clear()
            self._script = _no_script
            self._max_concurrency = self._in_flight

    # ---- what happened

    @property
    def requests(self) -> list[StubRequest]:
        """A copy of the chat-completion requests received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._requests)

    @property
    def last(self) -> StubRequest:
        with self._lock:
            if not self._requests:
                raise AssertionError("the stub received no request")
            return self._requests[-1]

    @property
    def errors(self) -> list[BaseException]:
        """Exceptions raised by the script (each was answered with a 500)."""
        with self._lock:
            return list(self._errors)

    @property
    def max_concurrency(self) -> int:
        """The most chat-completion requests handled at the same time."""
        with self._lock:
            return self._max_concurrency

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    @property
    def hangups(self) -> int:
        """Delayed or hung requests whose client closed the connection before the answer was sent."""
        with self._lock:
            return self._hangups

    # ---- serving (called on the handler's thread)

    def _handle(self, handler: _Handler, request: StubRequest) -> None:
        with self._lock:
            self._requests.append(request)
            self._in_flight += 1
            self._max_concurrency = max(self._max_concurrency, self._in_flight)
            number = next(self._ids)
        try:
            send = self._answer(request, number, handler)
        finally:
            with self._lock:  # done before the answer goes out, so a client that has it sees in_flight drop
                self._in_flight -= 1
        if send is not None:
            send(handler)

    def _next_reply(self, request: StubRequest) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.pop(0)
            script = self._script
        if isinstance(script, Reply):
            return script
        try:
            reply = script(request)
        except Exception as error:  # a broken script must be loud, not a hang
            with self._lock:
                self._errors.append(error)
            return Reply.error(500, f"okrcoach stub: the script raised {type(error).__name__}: {error}")
        if isinstance(reply, dict):
            return Reply.tool_args(reply)
        if not isinstance(reply, Reply):
            return Reply.error(500, f"okrcoach stub: the script returned {type(reply).__name__}, not a Reply")
        return reply

    def _answer(
        self, request: StubRequest, number: int, handler: _Handler
    ) -> Callable[[_Handler], None] | None:
        """Wait as the reply says, then return what sends it (None: drop the connection unanswered)."""
        if request.body.get("stream") is True:
            return lambda h: h._send_json(400, _error_body(400, "okrcoach stub: streaming is not supported"))
        reply = self._next_reply(request).echoing(request.api_key)
        if reply.kind == "hang":
            self._wait(handler, HANG_SECONDS)
            return None
        if reply.delay > 0 and not self._wait(handler, reply.delay):
            return None  # stopped, or the client hung up, while waiting
        if reply.kind == "error":
            body = _error_body(reply.status, reply.text)
            return lambda h: h._send_json(reply.status, body, reply.headers)
        if reply.kind == "garbage_body":
            data = reply.text.encode("utf-8")
            return lambda h: h._send(reply.status, data, "application/json", reply.headers)
        completion = self._completion(request, reply, number)
        return lambda h: h._send_json(200, completion, reply.headers)

    def _wait(self, handler: _Handler, seconds: float) -> bool:
        """Wait ``seconds``; False as soon as the stub stops or the client closes the connection."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self._stopping.wait(min(left, 0.02)):
                return False
            if _hung_up(handler.connection):
                with self._lock:
                    self._hangups += 1
                return False
        return True

    def _completion(self, request: StubRequest, reply: Reply, number: int) -> dict[str, Any]:
        prompt_tokens = _tokens(request.user_text)
        choices: list[dict[str, Any]] = []
        completion_tokens = 0
        if reply.kind != "empty":
            tool_name = reply.name or request.tool_name
            if reply.kind in {"tool_args", "raw_arguments"} and tool_name is not None and request.tools:
                message: dict[str, Any] = {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": f"call_{number}",
                            "type": "function",
                            "function": {"name": tool_name, "arguments": reply.arguments},
                        }
                    ],
                }
                finish = reply.finish_reason or "tool_calls"
                completion_tokens = _tokens(reply.arguments)
            else:
                text = reply.arguments if reply.kind in {"tool_args", "raw_arguments"} else reply.text
                message = {"role": "assistant", "content": text}
                finish = reply.finish_reason or "stop"
                completion_tokens = _tokens(text)
            choices.append({"index": 0, "message": message, "logprobs": None, "finish_reason": finish})
        return {
            "id": f"chatcmpl-stub-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.model,
            "choices": choices,
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }


@pytest.fixture(name="openai_stub")
def openai_stub_fixture() -> Iterator[OpenAIStub]:
    """A started OpenAIStub, stopped after the test.

    Test modules import it under either name; the test parameter is ``openai_stub`` both ways:

    - ``from stub_openai import openai_stub_fixture  # noqa: F401`` (ruff-clean), or
    - ``from stub_openai import openai_stub  # noqa: F401`` (ruff then reports F811 at each test that takes
      ``openai_stub``; add F811 to that noqa's reach or use the first form).
    """
    stub = OpenAIStub().start()
    try:
        yield stub
    finally:
        stub.stop()


openai_stub = openai_stub_fixture


# --------------------------------------------------------------------------------------------------------
# Answering "whatever schema the client asked for"


def args_from_schema(
    schema: dict[str, Any] | None, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A minimal valid arguments object for a JSON schema, with ``overrides`` applied on top (shallowly).

    Objects get their required properties only; strings are "" (or padded to ``minLength``), numbers 0
    (or ``minimum``), arrays [] (or ``minItems`` minimal items), booleans False, enums and ``const`` their
    value, nullable types (``anyOf`` with null, ``type: [..., "null"]``) None. ``$ref`` into ``$defs`` or
    ``definitions`` is resolved; ``allOf`` is merged.
    """
    root = schema or {}
    value = _minimal(root, root, 0)
    result = value if isinstance(value, dict) else {}
    result.update(overrides or {})
    return result


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while isinstance(node.get("$ref"), str) and seen < 32:
        ref: str = node["$ref"]
        if not ref.startswith("#"):
            raise ValueError(f"args_from_schema: only local $ref is supported, got {ref!r}")
        target: Any = root
        for part in filter(None, ref[1:].split("/")):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        extra = {k: v for k, v in node.items() if k != "$ref"}
        node = {**target, **extra}
        seen += 1
    return node


def _minimal(node: Any, root: dict[str, Any], depth: int) -> Any:
    if not isinstance(node, dict) or depth > 32:
        return None
    node = _resolve(node, root)
    if "const" in node:
        return copy.deepcopy(node["const"])
    if isinstance(node.get("enum"), list) and node["enum"]:
        return copy.deepcopy(node["enum"][0])
    if isinstance(node.get("allOf"), list) and node["allOf"]:
        merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
        for part in node["allOf"]:
            part = _resolve(part, root) if isinstance(part, dict) else {}
            merged.setdefault("properties", {}).update(part.get("properties", {}))
            merged["required"] = [*merged.get("required", []), *part.get("required", [])]
            for key, value in part.items():
                if key not in {"properties", "required"}:
                    merged.setdefault(key, value)
        return _minimal(merged, root, depth + 1)
    for key in ("anyOf", "oneOf"):
        options = node.get(key)
        if isinstance(options, list) and options:
            resolved = [_resolve(o, root) if isinstance(o, dict) else {} for o in options]
            if any(o.get("type") == "null" for o in resolved):
                return None
            return _minimal(resolved[0], root, depth + 1)
    kind = node.get("type")
    if isinstance(kind, list):
        if "null" in kind:
            return None
        kind = kind[0] if kind else None
    if kind is None:
        kind = "object" if "properties" in node else "array" if "items" in node else None
    if kind == "object":
        properties = node.get("properties") or {}
        required = node.get("required") or []
        return {name: _minimal(properties.get(name, {}), root, depth + 1) for name in required}
    if kind == "array":
        count = int(node.get("minItems") or 0)
        items = node.get("items") if isinstance(node.get("items"), dict) else {}
        return [_minimal(items, root, depth + 1) for _ in range(count)]
    if kind == "string":
        return "x" * int(node.get("minLength") or 0)
    if kind in {"number", "integer"}:
        low = node.get("minimum")
        if low is None and node.get("exclusiveMinimum") is not None:
            low = node["exclusiveMinimum"] + 1
        high = node.get("maximum")
        value = low if low is not None and low > 0 else high if high is not None and high < 0 else 0
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return False
    return None
