"""The API key is unprintable: a server that echoes it (in 200 answers, 4xx bodies and response headers)
never gets it into stdout, stderr, JSON output, the answer cache, the logs or the written draft."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from stub_openai import KEY_ECHO, OpenAIStub, Reply, StubRequest, openai_stub_fixture  # noqa: F401

from coach.llm import ModelSpec, Secret, classify_failure, scrub

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-proj-LEAKTEST-9f8e7d6c5b4a3210fedcba9876543210"
TAIL = KEY[-12:]  # a fragment that would show a partial leak
DRAFT = """\
objectives:
  - id: pay
    objective: Make paying us effortless for small businesses
    key_results:
      - id: pay.1
        text: Improve checkout completion
      - id: pay.2
        text: Cut failed card payments to 1.5%
      - id: pay.3
        text: Improve refund speed
  - id: rev
    objective: Grow revenue 20%
    key_results:
      - id: rev.1
        text: Raise net revenue retention from 98% to 104%
"""
CLEAN = "Grow revenue from small agencies so that they can pay us without talking to sales"
ANSWERS = {
    "Grow revenue 20%": CLEAN,
    "Improve checkout completion": "Raise checkout completion from ? to ?",
    "Cut failed card payments to 1.5%": "Cut failed card payments from ? to 1.5%",
}


def echo(request: StubRequest) -> Reply:
    """A clean rewrite for the objective and the first key result; the key in the rationale, questions
    and initiative of the others, and in the text of the third key result too. Every answer's headers
    carry it."""
    match = re.search(r"<<<KEY_RESULT\n(.*?)\nKEY_RESULT>>>", request.user_text, re.S) or re.search(
        r"<<<OBJECTIVE\n(.*?)\nOBJECTIVE>>>", request.user_text, re.S
    )
    draft = match.group(1) if match else ""
    text = ANSWERS.get(draft, f"Cut refund time from ? to ? days {KEY_ECHO}")
    headers = {"x-echo-key": KEY_ECHO, "x-request-auth": f"Bearer {KEY_ECHO}"}
    if draft in {"Grow revenue 20%", "Improve checkout completion"}:
        return Reply.tool_args({"text": text, "rationale": "measures the outcome"}).with_headers(headers)
    return Reply.tool_args(
        {
            "text": text,
            "rationale": f"measures the outcome; your key is {KEY_ECHO}",
            "questions": [f"Is {KEY_ECHO} your key?", f"prefix-{KEY_ECHO}-suffix"],
            "initiative": f"glued{KEY_ECHO}",
        }
    ).with_headers(headers)


def test_scrub_knows_the_key_and_common_key_shapes() -> None:
    spec = ModelSpec("openai", "m", None, Secret(KEY))
    assert scrub(f"a{KEY}b", spec) == "a***b"
    for shaped in (
        "sk-abcdefghij0123456789",
        "sk-proj-AbCdEf0123456789_xyz-987",
        "tokensk-abcdefghij0123456789",  # glued to a word character
        "x_sk-proj-AbCdEf0123456789_xyz",
    ):
        assert "0123456789" not in scrub(f"echo {shaped} end", None), shaped
    assert scrub("Authorization: Bearer abc.DEF-123_456~xyz", None) == "Authorization: Bearer ***"
    # Ordinary words that merely contain sk-/key- stay as they are.
    for word in ("task-specific", "risk-adjusted revenue", "key-results", "desk-booking app", "bearer bonds"):
        assert scrub(word, None) == word


class _HTTPError(Exception):
    status_code = 400


def test_a_key_straddling_the_cut_of_an_error_detail_does_not_leak() -> None:
    spec = ModelSpec("openai", "m", None, Secret(KEY))
    for filler in range(100, 200, 3):
        reason = classify_failure(_HTTPError("x" * filler + KEY + " more"), spec).reason
        assert "HTTP 400" in reason
        assert KEY[:10] not in reason and TAIL not in reason and KEY[8:20] not in reason, reason


def _cli(args: list[str], tmp_path: Path, stub: OpenAIStub) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OKRCOACH_", "OPENAI_"))}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "OPENAI_API_KEY": KEY,
            "OKRCOACH_CACHE_DIR": str(tmp_path / "cache"),
            "OPENAI_LOG": "debug",  # the SDK's and httpx's own logs, headers included, go to stderr
        }
    )
    base = ["--base-url", stub.url, "--model", "stub-model", "--embedding", "hashing", "--no-config"]
    return subprocess.run(
        [sys.executable, "-m", "coach.cli", "rewrite", *args, *base],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def _assert_nowhere(tmp_path: Path, *outputs: str) -> None:
    for output in outputs:
        assert KEY not in output and TAIL not in output
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert KEY.encode() not in data and TAIL.encode() not in data, path


def test_an_echoing_server_never_gets_the_key_printed_cached_or_written(
    openai_stub: OpenAIStub, tmp_path: Path
) -> None:
    openai_stub.respond(echo)
    draft = tmp_path / "draft.yaml"
    draft.write_text(DRAFT, encoding="utf-8")
    text = _cli([str(draft), "--write"], tmp_path, openai_stub)
    assert text.returncode == 0, text.stderr
    assert "answered by stub-model" in text.stdout and "why:" in text.stdout and "ask:" in text.stdout
    assert "wrote 1 rewrite " in text.stdout
    assert CLEAN in draft.read_text(encoding="utf-8")
    assert "text repeats the API key" in text.stdout  # the third answer's text carried it: not used
    assert openai_stub.count == 4 and all(r.api_key == KEY for r in openai_stub.requests)
    assert any(KEY in line for line in [openai_stub.requests[0].headers.get("authorization", "")])
    cached = list((tmp_path / "cache").rglob("*.json"))
    assert cached  # answers were cached, scrubbed
    rerun = _cli([str(draft), "--format", "json", "--no-cache"], tmp_path, openai_stub)
    assert rerun.returncode == 0, rerun.stderr
    data = json.loads(rerun.stdout)
    assert {p["answered_by"] for p in data["proposals"]} >= {"stub-model"}
    _assert_nowhere(tmp_path, text.stdout, text.stderr, rerun.stdout, rerun.stderr)
    assert "***" in rerun.stdout  # what was echoed shows as ***


def test_an_echoing_error_body_and_headers_never_leak(openai_stub: OpenAIStub, tmp_path: Path) -> None:
    # The key sits across the point where an error detail used to be cut (160 characters).
    for filler in (100, 115, 130, 145):
        openai_stub.queue(
            Reply.error(400, "x" * filler + f"{KEY_ECHO} rejected", {"x-echo-key": KEY_ECHO}),
            Reply.error(401, f"Incorrect API key provided: {KEY_ECHO}"),
            Reply.error(422, f"glued{KEY_ECHO}glued"),
        )
    openai_stub.respond(Reply.error(403, f"Bearer {KEY_ECHO} may not"))
    draft = tmp_path / "draft.yaml"
    draft.write_text(DRAFT, encoding="utf-8")
    outputs = []
    for _ in range(4):
        proc = _cli([str(draft), "--format", "json", "--no-cache"], tmp_path, openai_stub)
        assert proc.returncode == 0, proc.stderr
        outputs += [proc.stdout, proc.stderr]
        reasons = [p["model_not_used_because"] for p in json.loads(proc.stdout)["proposals"]]
        assert all(reason and "HTTP 4" in reason for reason in reasons), reasons
    _assert_nowhere(tmp_path, *outputs)
