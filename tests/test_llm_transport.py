"""The model transport against the real loopback stub server: the token cap, cut-off and broken answers
reported in plain words, the circuit breaker, retries only where they help, hanging up on a request the
client gave up on, the queue outside the timeout, and the concurrency per server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from stub_openai import OpenAIStub, Reply, openai_stub_fixture  # noqa: F401

from coach.config import Config, config_from_mapping
from coach.llm import ModelConfigError, ModelSpec, Secret, resolve_model
from coach.llm.session import ModelSession
from coach.parse import parse_text
from coach.rewrite import RULES, rewrite_document
from coach.rewrite.answer import ANSWER_MAX_TOKENS

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-test-TRANSPORT-0123456789abcdef"
ONE = "objectives:\n- objective: Grow revenue\n  key_results:\n  - Improve checkout completion\n"
GOOD = {
    "text": "Raise checkout completion from ? to ?",
    "rationale": "an outcome",
    "questions": ["What is it today?"],
}
# Exception class names and Python's own messages are not reasons a user can act on.
RAW = re.compile(r"[A-Z][a-z]+(?:Error|Exception)\b|Traceback|index out of range|NoneType|object has no")


def many(count: int) -> Any:
    """A draft with `count` key results and `count / 2` objectives, all of which need a rewrite."""
    text = "objectives:\n" + "".join(
        f"- objective: Make paying us effortless for segment {i}\n  key_results:\n"
        f"  - Improve checkout completion in segment {i}\n  - Improve refund speed in segment {i}\n"
        for i in range(count // 2)
    )
    return parse_text(text, "many.yaml", "yaml")


def spec_for(url: str, timeout: float = 2.0, retries: int = 0, **extra: Any) -> ModelSpec:
    return ModelSpec("openai", "stub-model", url, Secret(KEY), timeout, retries, "test", **extra)


def rewrite(spec: ModelSpec, doc: Any = None, **kwargs: Any) -> Any:
    draft = doc if doc is not None else parse_text(ONE, "d.yaml", "yaml")
    return rewrite_document(draft, Config(), session=ModelSession(spec, cache_dir=None, **kwargs))


# -- the token cap and cut-off answers -------------------------------------------------------------------
def test_every_request_carries_a_token_cap_sized_to_the_answer(openai_stub: OpenAIStub) -> None:
    openai_stub.respond(Reply.tool_args(GOOD))
    rewrite(spec_for(openai_stub.url))
    assert 256 <= ANSWER_MAX_TOKENS <= 1024
    assert openai_stub.last.body.get("max_tokens") == ANSWER_MAX_TOKENS
    spec = resolve_model({"base-url": openai_stub.url, "max-tokens": 300}, env={})
    assert spec is not None and spec.max_tokens == 300
    rewrite(spec)
    assert openai_stub.last.body.get("max_tokens") == 300


def test_a_cut_off_answer_is_reported_as_invalid_json_cut_off(openai_stub: OpenAIStub) -> None:
    openai_stub.respond(Reply.raw_arguments('{"text": "Raise checkout completion fr', finish_reason="length"))
    report = rewrite(spec_for(openai_stub.url))
    reason = report.proposals[0].reason or ""
    assert f"invalid JSON from the model (the answer was cut off at {ANSWER_MAX_TOKENS} tokens)" in reason


def test_tool_arguments_that_do_not_parse_are_invalid_json_not_a_missing_call(
    openai_stub: OpenAIStub,
) -> None:
    openai_stub.respond(Reply.raw_arguments('{"text": Raise checkout}'))
    reason = rewrite(spec_for(openai_stub.url)).proposals[0].reason or ""
    assert reason.startswith("invalid JSON from the model") and "no tool call" not in reason


@pytest.mark.parametrize(
    "reply",
    [
        Reply.empty(),
        Reply.garbage_body("[]"),
        Reply.garbage_body("{}"),
        Reply.garbage_body("null"),
        Reply.garbage_body('{"choices": [{}]}'),
        Reply.garbage_body(),
        Reply.raw_arguments('"just a string"'),
        Reply.tool_args({"text": "Raise checkout completion from ? to ?"}),
        Reply.error(500, "boom " * 80),
        Reply.content("Sure! Here is your rewrite."),
    ],
)
def test_every_reason_is_plain_words(openai_stub: OpenAIStub, reply: Reply) -> None:
    openai_stub.respond(reply)
    reason = rewrite(spec_for(openai_stub.url)).proposals[0].reason or ""
    assert reason and not RAW.search(reason), reason
    assert len(reason) <= 240, reason


# -- the circuit breaker ---------------------------------------------------------------------------------
@pytest.mark.parametrize("concurrency", [None, 8])
def test_a_hung_server_costs_about_one_timeout(openai_stub: OpenAIStub, concurrency: int | None) -> None:
    openai_stub.respond(Reply.tool_args(GOOD))
    rewrite(spec_for(openai_stub.url))  # warm up: imports are not the server's time
    openai_stub.reset()
    openai_stub.respond(Reply.hang())
    doc = many(16)  # 24 items
    start = time.monotonic()
    report = rewrite(spec_for(openai_stub.url, timeout=2.0, retries=2), doc, concurrency=concurrency)
    elapsed = time.monotonic() - start
    assert len(report.proposals) == 24 and all(p.answered_by == RULES for p in report.proposals)
    assert elapsed < 3 * 2.0, elapsed  # before the breaker: 24 x 2 s x 3 attempts / concurrency
    reasons = [p.reason or "" for p in report.proposals]
    first = [r for r in reasons if "the model did not answer in 2 s" in r]
    assert first and all(r in first or "did not answer an earlier item in 2 s" in r for r in reasons)
    # No retry of a timeout, no request once the breaker is open: at most one wave of requests.
    assert len(first) <= openai_stub.count <= (concurrency or 1)
    assert report.usage.skipped == 24 - len(first) and report.usage.stopped
    deadline = time.monotonic() + 3
    while openai_stub.hangups < openai_stub.count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert openai_stub.hangups == openai_stub.count  # the client closed each connection it gave up on


def test_a_refused_connection_stops_asking_at_once(unused_port: int) -> None:
    report = rewrite(spec_for(f"http://127.0.0.1:{unused_port}/v1", retries=2), many(10), concurrency=1)
    reasons = [p.reason or "" for p in report.proposals]
    assert "the model server refused the connection" in reasons[0]
    assert all("the model server refused the connection for an earlier item" in r for r in reasons[1:])
    assert report.usage.calls == 1 and report.usage.skipped == len(reasons) - 1 == 14


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- retries, timeouts and the queue ---------------------------------------------------------------------
def test_timeouts_are_not_retried_by_default(openai_stub: OpenAIStub) -> None:
    openai_stub.respond(Reply.tool_args(GOOD, delay=3.0))
    spec = resolve_model({"base-url": openai_stub.url, "timeout": 1}, env={"OPENAI_API_KEY": KEY})
    assert spec is not None and spec.max_retries >= 1
    start = time.monotonic()
    report = rewrite(spec)
    assert time.monotonic() - start < 2.5 and openai_stub.count == 1
    assert "the model did not answer in 1 s" in (report.proposals[0].reason or "")


def test_rate_limits_and_server_errors_are_retried(openai_stub: OpenAIStub) -> None:
    openai_stub.queue(Reply.error(503, "busy"), Reply.error(429, "slow down", retry_after=0))
    openai_stub.respond(Reply.tool_args(GOOD))
    report = rewrite(spec_for(openai_stub.url, retries=2))
    items = len(report.proposals)
    assert openai_stub.count == items + 2 and report.usage.retries == 2 and report.usage.failures == 0
    openai_stub.reset()
    openai_stub.respond(Reply.error(401, "bad key"))
    report = rewrite(spec_for(openai_stub.url, retries=2))
    assert openai_stub.count == items and report.usage.retries == 0  # a 401 is not retried
    assert all("HTTP 401" in (p.reason or "") for p in report.proposals)


def test_time_in_the_clients_own_queue_does_not_count_against_the_timeout(
    openai_stub: OpenAIStub,
) -> None:
    openai_stub.respond(lambda request: Reply.tool_args(GOOD, delay=0.5))
    report = rewrite(spec_for(openai_stub.url, timeout=1.5), many(4), concurrency=1)
    assert openai_stub.max_concurrency == 1 and openai_stub.count == 6  # 3 s in all, 1.5 s each allowed
    reasons = [p.reason or "" for p in report.proposals]
    assert report.usage.failures == 0 and not any("did not answer" in r for r in reasons), reasons


# -- settings --------------------------------------------------------------------------------------------
def test_concurrency_defaults_to_one_for_a_local_server_and_eight_for_hosted() -> None:
    env = {"OPENAI_API_KEY": KEY}
    for url in ("http://localhost:8080/v1", "http://127.0.0.1:8080/v1", "http://[::1]:8080/v1"):
        spec = resolve_model({}, base_url=url, env=env)
        assert spec is not None and spec.slots == 1, url
    hosted = resolve_model({"name": "openai:gpt-4o-mini"}, env=env)
    remote = resolve_model({}, base_url="http://gpu-box:8000/v1", env=env)
    assert hosted is not None and hosted.slots == 8 and remote is not None and remote.slots == 8
    table = resolve_model({"base-url": "http://localhost:8080/v1", "concurrency": 3}, env=env)
    assert table is not None and table.slots == 3
    flag = resolve_model({"concurrency": 3}, base_url="http://localhost:1/v1", concurrency=2, env=env)
    assert flag is not None and flag.slots == 2
    config = config_from_mapping({"model": {"concurrency": 2, "max-tokens": 400}}, "okrcoach.toml")
    assert config.model == {"concurrency": 2, "max-tokens": 400}
    for bad in ({"concurrency": 0}, {"concurrency": "many"}, {"max-tokens": 0}, {"timeout": "soon"}):
        with pytest.raises(ModelConfigError):
            resolve_model({"base-url": "http://localhost:1/v1", **bad}, env=env)


def test_an_empty_or_broken_base_url_is_an_error() -> None:
    with pytest.raises(ModelConfigError, match="empty"):
        resolve_model({}, base_url="", model="m", env={"OPENAI_API_KEY": KEY})
    with pytest.raises(ModelConfigError, match="not a valid URL"):
        resolve_model({}, base_url="http://[::1", env={})
    with pytest.raises(ModelConfigError, match="http"):
        resolve_model({}, base_url="localhost:8080", env={})


def _cli(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OKRCOACH_", "OPENAI_"))}
    clean.update({"PYTHONPATH": str(ROOT), "OKRCOACH_CACHE_DIR": str(tmp_path / "cache"), **env})
    return subprocess.run(
        [sys.executable, "-m", "coach.cli", *args],
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
        timeout=120,
    )


def test_cli_refuses_an_empty_or_broken_base_url_in_one_line(tmp_path: Path) -> None:
    draft = tmp_path / "d.yaml"
    draft.write_text(ONE, encoding="utf-8")
    for url in ("", "http://[::1"):
        proc = _cli(["rewrite", str(draft), "--no-config", "--base-url", url], tmp_path, OPENAI_API_KEY=KEY)
        assert proc.returncode == 2 and proc.stdout == "", proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and "--base-url" in proc.stderr, proc.stderr
    proc = _cli(["rewrite", str(draft), "--no-config", "--concurrency", "0"], tmp_path)
    assert proc.returncode == 2 and "--concurrency" in proc.stderr


def test_doctor_fails_on_a_broken_url_and_on_a_refused_key(openai_stub: OpenAIStub, tmp_path: Path) -> None:
    proc = _cli(["doctor", "--embedding", "hashing", "--base-url", "http://[::1"], tmp_path)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "not a valid URL" in proc.stdout + proc.stderr
    openai_stub.require_key("sk-the-right-one-0123456789")
    proc = _cli(
        ["doctor", "--embedding", "hashing", "--format", "json", "--base-url", openai_stub.url],
        tmp_path,
        OPENAI_API_KEY=KEY,
    )
    info = json.loads(proc.stdout)
    assert proc.returncode == 1 and "401" in info["model"]["reachable"]
    assert any("401" in problem for problem in info["problems"])


def test_cli_against_a_hung_server_says_the_model_stopped_answering(
    openai_stub: OpenAIStub, tmp_path: Path
) -> None:
    openai_stub.respond(Reply.hang())
    draft = tmp_path / "d.yaml"
    draft.write_text(ONE, encoding="utf-8")
    args = ["rewrite", str(draft), "--no-config", "--base-url", openai_stub.url, "--timeout", "1"]
    proc = _cli([*args, "--embedding", "hashing"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "the model stopped answering (timeout: the model did not answer in 1 s)" in proc.stdout
    assert "1 item went to the rules without asking it" in proc.stdout
    proc = _cli([*args, "--embedding", "hashing", "--format", "json"], tmp_path)
    usage = json.loads(proc.stdout)["usage"]
    assert usage["not_asked"] == 1 and usage["stopped_because"].startswith("timeout")
