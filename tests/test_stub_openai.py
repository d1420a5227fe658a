"""The OpenAI stub server works, over real HTTP, with urllib, the openai SDK and langchain-openai.

These tests also pin down what the client stack (langchain-openai 1.7.3, openai 3.54.0) does with each
failure the stub can play, so the LLM client code knows what it must catch:

- delay past the client timeout: raises ``openai.APITimeoutError`` (langchain's ``OpenAITimeoutError``
  subclass, which is also a ``langchain_core.exceptions.ModelTimeoutError``);
- error 500 / 429 / 401 once retries are spent: ``openai.InternalServerError`` / ``openai.RateLimitError`` /
  ``openai.AuthenticationError`` (langchain subclasses of them);
- tool arguments that are not JSON: does NOT raise; returns None (the call lands in ``invalid_tool_calls``);
- plain content and no tool call: does NOT raise; returns None;
- arguments that violate the schema: ``pydantic.ValidationError``;
- a tool call naming another tool: ``langchain_core.exceptions.OutputParserException``;
- a 200 body that is not JSON: ``json.JSONDecodeError`` (a ``ValueError``);
- ``choices: []``: ``IndexError``.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from stub_openai import OpenAIStub, Reply, StubRequest, args_from_schema, openai_stub_fixture  # noqa: F401

openai = pytest.importorskip("openai")
langchain_openai = pytest.importorskip("langchain_openai")
pydantic = pytest.importorskip("pydantic")

from langchain_core.exceptions import OutputParserException  # noqa: E402
from pydantic import BaseModel, Field  # noqa: E402

INJECTION = Path(__file__).parent / "data" / "injection"


class Rewrite(BaseModel):
    """A rewritten key result."""

    text: str = Field(description="the key result, rewritten as a measurable outcome")
    baseline: str | None = Field(default=None, description="the starting value, if the draft gives one")
    target: str
    confidence: float = 0.5
    reasons: list[str]


GOOD = {"text": "Raise checkout completion from 61% to 75%", "target": "75%", "reasons": ["has a target"]}


def structured(stub: OpenAIStub, *, timeout: float = 2, max_retries: int = 0, **kwargs: Any) -> Any:
    model = langchain_openai.ChatOpenAI(
        model="stub-model", base_url=stub.url, api_key="sk-test-123", timeout=timeout, max_retries=max_retries
    )
    return model.with_structured_output(Rewrite, method="function_calling", **kwargs)


def post(url: str, body: Any, *, timeout: float = 5) -> tuple[int, dict[str, str], bytes]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


TOOL = {
    "type": "function",
    "function": {
        "name": "Rewrite",
        "description": "A rewritten key result.",
        "parameters": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
    },
}


# ---- raw HTTP


def test_urllib_post_gets_a_tool_call_and_is_recorded(openai_stub: OpenAIStub) -> None:
    openai_stub.respond(lambda request: Reply.tool_args({"text": "seen: " + request.user_text}))
    body = {
        "model": "stub-model",
        "messages": [
            {"role": "system", "content": "You are a coach."},
            {"role": "user", "content": [{"type": "text", "text": "Launch the page"}]},
        ],
        "tools": [TOOL],
        "tool_choice": {"type": "function", "function": {"name": "Rewrite"}},
        "temperature": 0,
    }
    status, _, raw = post(openai_stub.url + "/chat/completions", body)
    assert status == 200
    reply = json.loads(raw)
    assert reply["object"] == "chat.completion"
    assert reply["id"] == "chatcmpl-stub-1"
    assert reply["model"] == "stub-model"
    choice = reply["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    call = choice["message"]["tool_calls"][0]
    assert choice["message"]["content"] is None
    assert call["id"] == "call_1" and call["type"] == "function"
    assert call["function"]["name"] == "Rewrite"
    arguments = call["function"]["arguments"]
    assert json.loads(arguments) == {"text": "seen: You are a coach.\nLaunch the page"}
    usage = reply["usage"]
    assert usage["prompt_tokens"] == len("You are a coach.\nLaunch the page") // 4
    assert usage["completion_tokens"] == len(arguments) // 4
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]

    assert openai_stub.count == 1
    seen = openai_stub.requests[0]
    assert isinstance(seen, StubRequest)
    assert seen.path == "/v1/chat/completions"
    assert seen.tool_name == "Rewrite"
    assert seen.tool_schema == TOOL["function"]["parameters"]  # type: ignore[index]
    assert seen.system_text == "You are a coach."
    assert seen.headers["content-type"] == "application/json"
    assert seen.body["temperature"] == 0


def test_routes_content_stream_models_and_the_loud_default(openai_stub: OpenAIStub) -> None:
    base = openai_stub.url
    chat = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}

    status, _, raw = post(base + "/chat/completions", chat)  # nothing scripted: a loud 500
    assert status == 500 and "no script" in json.loads(raw)["error"]["message"]

    openai_stub.respond(Reply.tool_args({"a": 1}))  # no tools in the request: the JSON comes as content
    status, _, raw = post(base.removesuffix("/v1") + "/chat/completions", chat)
    choice = json.loads(raw)["choices"][0]
    assert status == 200 and choice["finish_reason"] == "stop"
    assert choice["message"]["content"] == '{"a": 1}' and "tool_calls" not in choice["message"]

    status, _, raw = post(base + "/chat/completions", {**chat, "stream": True})
    assert status == 400 and json.loads(raw)["error"]["type"] == "invalid_request_error"
    status, _, raw = post(base + "/chat/completions", b"{oops")
    assert status == 400
    status, _, raw = post(base + "/embeddings", chat)
    assert status == 404 and "error" in json.loads(raw)

    with urllib.request.urlopen(base + "/models", timeout=5) as response:
        assert json.loads(response.read()) == {
            "object": "list",
            "data": [{"id": "stub-model", "object": "model"}],
        }
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(base + "/nothing", timeout=5)
    assert missing.value.code == 404


def test_queue_before_script_reset_and_script_errors(openai_stub: OpenAIStub) -> None:
    url = openai_stub.url + "/chat/completions"
    chat = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "tools": [TOOL]}
    openai_stub.queue(Reply.error(429, "slow down", retry_after=3), Reply.content("first"))
    openai_stub.respond(lambda request: {"text": "from the script"})  # a dict is Reply.tool_args(dict)

    status, headers, raw = post(url, chat)
    assert status == 429 and headers["retry-after"] == "3"
    assert json.loads(raw)["error"] == {
        "message": "slow down",
        "type": "rate_limit_error",
        "param": None,
        "code": "rate_limit_exceeded",
    }
    assert json.loads(post(url, chat)[2])["choices"][0]["message"]["content"] == "first"
    arguments = json.loads(post(url, chat)[2])["choices"][0]["message"]["tool_calls"][0]["function"]
    assert json.loads(arguments["arguments"]) == {"text": "from the script"}

    status, _, raw = post(url, {**chat, "tools": []})
    assert status == 200
    openai_stub.queue(Reply.empty(), Reply.garbage_body("<html>"), Reply.raw_arguments("{not json"))
    assert json.loads(post(url, chat)[2])["choices"] == []
    assert post(url, chat)[2] == b"<html>"
    assert json.loads(post(url, chat)[2])["choices"][0]["message"]["tool_calls"][0]["function"] == {
        "name": "Rewrite",
        "arguments": "{not json",
    }

    def broken(request: StubRequest) -> Reply:
        raise KeyError("oops")

    openai_stub.respond(broken)
    status, _, raw = post(url, chat)
    assert status == 500 and "KeyError" in json.loads(raw)["error"]["message"]
    assert isinstance(openai_stub.errors[0], KeyError)

    openai_stub.reset()
    assert openai_stub.count == 0 and openai_stub.errors == []
    assert post(url, chat)[0] == 500  # the default is loud again


# ---- the real client stack


def test_structured_output_parses_the_tool_call(openai_stub: OpenAIStub) -> None:
    openai_stub.respond(lambda request: Reply.tool_args(args_from_schema(request.tool_schema, GOOD)))
    result = structured(openai_stub).invoke("Rewrite: Launch the new invoicing page")
    assert result == Rewrite(**GOOD)  # type: ignore[arg-type]
    seen = openai_stub.last
    assert seen.tool_name == "Rewrite"
    assert seen.tool_schema is not None
    assert set(seen.tool_schema["required"]) == {"text", "target", "reasons"}
    assert seen.tool_schema["properties"]["baseline"]["anyOf"] == [{"type": "string"}, {"type": "null"}]
    assert seen.body["tool_choice"] == {"type": "function", "function": {"name": "Rewrite"}}
    assert seen.body["stream"] is False
    assert seen.headers["authorization"] == "Bearer sk-test-123"
    assert "Launch the new invoicing page" in seen.user_text


def test_a_500_then_a_good_answer_succeeds_with_one_retry(openai_stub: OpenAIStub) -> None:
    openai_stub.queue(Reply.error(500, "the model fell over"))
    openai_stub.respond(Reply.tool_args(GOOD))
    assert structured(openai_stub, max_retries=1).invoke("x") == Rewrite(**GOOD)  # type: ignore[arg-type]
    assert openai_stub.count == 2
    assert [r.headers.get("x-stainless-retry-count") for r in openai_stub.requests] == ["0", "1"]


def test_a_429_with_retry_after_then_a_good_answer_succeeds(openai_stub: OpenAIStub) -> None:
    # openai 3.54 ignores "retry-after: 0" (it honours 0 < delay <= 120) and backs off ~0.5 s instead.
    openai_stub.queue(Reply.error(429, "rate limited", retry_after=0))
    openai_stub.respond(Reply.tool_args(GOOD))
    assert structured(openai_stub, max_retries=1).invoke("x") == Rewrite(**GOOD)  # type: ignore[arg-type]
    assert openai_stub.count == 2


def test_errors_once_the_retries_are_spent(openai_stub: OpenAIStub) -> None:
    openai_stub.respond(Reply.error(500))
    with pytest.raises(openai.InternalServerError) as server_error:
        structured(openai_stub).invoke("x")
    assert server_error.value.status_code == 500
    openai_stub.respond(Reply.error(429, retry_after=0))
    with pytest.raises(openai.RateLimitError):
        structured(openai_stub).invoke("x")
    openai_stub.respond(Reply.error(401, "bad key"))
    with pytest.raises(openai.AuthenticationError):
        structured(openai_stub).invoke("x")
    assert openai_stub.count == 3


def test_a_slow_answer_times_out(openai_stub: OpenAIStub) -> None:
    openai_stub.respond(Reply.tool_args(GOOD).after(1.5))
    started = time.monotonic()
    # langchain-openai raises its OpenAITimeoutError, a subclass of openai.APITimeoutError (and of
    # langchain_core.exceptions.ModelTimeoutError).
    with pytest.raises(openai.APITimeoutError):
        structured(openai_stub, timeout=0.5).invoke("x")
    assert time.monotonic() - started < 5
    assert openai_stub.count == 1


def test_unparseable_arguments_and_no_tool_call_give_none(openai_stub: OpenAIStub) -> None:
    # Observed with langchain-openai 1.7.3: arguments that are not JSON do NOT raise. The call goes to
    # AIMessage.invalid_tool_calls and the first-tool-only parser returns None, so client code must treat
    # None as a failure (or use include_raw=True and look at the raw message).
    openai_stub.respond(Reply.raw_arguments("{not json"))
    assert structured(openai_stub).invoke("x") is None
    raw = structured(openai_stub, include_raw=True).invoke("x")
    assert raw["parsed"] is None and raw["parsing_error"] is None
    assert raw["raw"].tool_calls == []
    assert raw["raw"].invalid_tool_calls[0]["args"] == "{not json"

    openai_stub.respond(Reply.content("I would rather not call the tool."))
    assert structured(openai_stub).invoke("x") is None


def test_schema_violations_and_broken_bodies_raise(openai_stub: OpenAIStub) -> None:
    openai_stub.respond(Reply.tool_args({"text": 3}))
    with pytest.raises(pydantic.ValidationError):
        structured(openai_stub).invoke("x")
    openai_stub.respond(Reply.tool_args(GOOD, name="SomethingElse"))
    with pytest.raises(OutputParserException):
        structured(openai_stub).invoke("x")
    openai_stub.respond(Reply.garbage_body("<html>bad gateway</html>"))
    with pytest.raises(json.JSONDecodeError):
        structured(openai_stub).invoke("x")
    openai_stub.respond(Reply.empty())
    with pytest.raises(IndexError):
        structured(openai_stub).invoke("x")


def test_concurrent_requests_are_served_in_parallel(openai_stub: OpenAIStub) -> None:
    openai_stub.respond(Reply.tool_args(GOOD).after(0.3))
    runnable = structured(openai_stub)
    results: list[Any] = []
    failures: list[BaseException] = []

    def call() -> None:
        try:
            results.append(runnable.invoke("x"))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=call) for _ in range(8)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    elapsed = time.monotonic() - started
    assert failures == []
    assert results == [Rewrite(**GOOD)] * 8  # type: ignore[arg-type]
    assert elapsed < 1.5
    assert openai_stub.max_concurrency >= 4
    assert openai_stub.in_flight == 0


def test_stop_is_prompt_while_a_request_hangs() -> None:
    stub = OpenAIStub().start()
    stub.respond(Reply.hang())
    outcome: list[object] = []

    def call() -> None:
        try:
            outcome.append(post(stub.url + "/chat/completions", {"model": "m", "messages": []}, timeout=10))
        except Exception as error:  # the stub drops the connection: the client sees an error
            outcome.append(error)

    client = threading.Thread(target=call)
    client.start()
    deadline = time.monotonic() + 2
    while stub.in_flight == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stub.in_flight == 1
    started = time.monotonic()
    stub.stop()
    assert time.monotonic() - started < 2
    client.join(timeout=2)
    assert not client.is_alive()
    assert outcome and isinstance(outcome[0], Exception)
    stub.stop()  # twice is fine
    with pytest.raises(OSError):
        post(stub.url + "/chat/completions", {"model": "m", "messages": []}, timeout=1)


def test_context_manager_and_openai_sdk() -> None:
    with OpenAIStub() as stub:
        stub.respond(Reply.content("hello"))
        client = openai.OpenAI(base_url=stub.url, api_key="sk-raw", max_retries=0, timeout=2)
        answer = client.chat.completions.create(
            model="stub-model", messages=[{"role": "user", "content": "hi"}], max_completion_tokens=50
        )
        assert answer.choices[0].message.content == "hello"
        assert [m.id for m in client.models.list()] == ["stub-model"]
        assert stub.last.body["max_completion_tokens"] == 50
    assert stub.in_flight == 0


# ---- args_from_schema


def test_args_from_schema_builds_minimal_valid_arguments() -> None:
    class Finding(BaseModel):
        code: str
        severity: int = Field(ge=1)

    class Kind(BaseModel):
        label: str
        level: str = Field(json_schema_extra={"enum": ["team", "company"]})

    class Answer(BaseModel):
        finding: Finding
        kinds: list[Kind] = Field(min_length=1)
        note: str | None
        done: bool
        score: float
        optional: str = "kept out"

    schema = Answer.model_json_schema()
    assert "$defs" in schema
    built = args_from_schema(schema, {"done": True})
    assert built == {
        "finding": {"code": "", "severity": 1},
        "kinds": [{"label": "", "level": "team"}],
        "note": None,
        "done": True,
        "score": 0,
    }
    Answer.model_validate(built)
    assert args_from_schema(None, {"a": 1}) == {"a": 1}
    assert args_from_schema({"type": "object", "properties": {"s": {"type": "string", "minLength": 2}},
                             "required": ["s"]}) == {"s": "xx"}  # fmt: skip
    assert args_from_schema(Rewrite.model_json_schema(), GOOD) == GOOD


# ---- the prompt-injection corpus


def test_injection_corpus_parses_with_weak_key_results() -> None:
    from coach.parse import load

    files = sorted(p for p in INJECTION.iterdir() if p.name.startswith("inj-"))
    assert len(files) >= 22
    readme = (INJECTION / "README.md").read_text(encoding="utf-8")
    for path in files:
        document = load(str(path))
        assert document.key_results(), path.name
        assert path.name in readme, f"{path.name} is not described in README.md"
