"""`okrcoach org` on the command line: formats, the HTML report, exit codes, bad input, progress, rewrites."""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

import pytest
from stub_openai import OpenAIStub, Reply, openai_stub_fixture  # noqa: F401

from coach.cli import org as cli_org
from coach.model import InputError

ROOT = Path(__file__).resolve().parent.parent
NORTHWIND = ROOT / "tests" / "data" / "org" / "northwind"


def okrcoach(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `okrcoach org ...` in-process: through coach.cli once it is wired there, else directly."""
    from coach.cli import build_parser, main

    subcommands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    if "org" in subcommands.choices:
        code = main(["org", *argv])
    else:
        parser = argparse.ArgumentParser(prog="okrcoach")
        cli_org.add_parser(parser.add_subparsers(dest="command"))
        try:
            code = cli_org.run(parser.parse_args(["org", *argv]))
        except InputError as exc:
            print(f"okrcoach: {exc}", file=__import__("sys").stderr)
            code = 2
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    shutil.copytree(NORTHWIND, tmp_path / "northwind")
    return tmp_path / "northwind"


def test_text_summary_and_exit_codes(drafts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = okrcoach([str(drafts), "--no-config", "--progress", "never"], capsys)
    assert code == 0 and not err
    assert re.search(r"quality 90/100 · 19 teams · 31 objectives · 68 key results · \d+ findings", out)
    assert "ORG001 no team names this company key result" in out and "Fix these first" in out
    assert okrcoach([str(drafts), "--no-config", "--fail-on", "warning"], capsys)[0] == 1
    code, out, _ = okrcoach(
        [str(drafts), "--no-config", "--select", "ORG001", "--fail-on", "warning"], capsys
    )
    assert code == 1 and "ORG004" not in out


def test_the_html_report_and_the_formats(
    drafts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.html"
    code, _, err = okrcoach([str(drafts), "--no-config", "--report", str(report), "--format", "json"], capsys)
    assert code == 0 and "report written" in err
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, out, _ = okrcoach([str(drafts), "--no-config", "--format", "json", "--jobs", "2"], capsys)
    data = json.loads(out)
    assert data["summary"]["teams"] == 19 and data["errors"] == []
    code, out, _ = okrcoach(
        [str(drafts), "--no-config", "--format", "markdown", "-o", str(tmp_path / "r.md")], capsys
    )
    assert code == 0 and out == "" and (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# OKR")
    assert okrcoach([str(drafts), "--no-config", "--format", "html"], capsys)[1].startswith("<!DOCTYPE html>")


def test_one_unreadable_file_is_reported_and_the_rest_goes_on(
    drafts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (drafts / "sales" / "broken.yaml").write_text("objectives: [unclosed\n", encoding="utf-8")
    code, out, err = okrcoach([str(drafts), "--no-config", "--format", "json"], capsys)
    assert code == 2
    assert re.search(r"okrcoach: .*broken\.yaml:\d+:\d+: invalid YAML", err)
    data = json.loads(out)
    assert data["summary"]["unreadable_files"] == 1 and data["summary"]["teams"] == 19


def test_input_problems_are_one_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = okrcoach([str(tmp_path / "missing")], capsys)
    assert code == 2 and "no such file or folder" in err
    (tmp_path / "a.yaml").write_text("objectives:\n- objective: Win\n  key_results: [Grow ARR to $6M]\n")
    code, _, err = okrcoach([str(tmp_path), "--changed-since", "main"], capsys)
    assert code == 2 and "needs a git repository" in err
    code, _, err = okrcoach([str(tmp_path), "--select", "ORG999"], capsys)
    assert code == 2 and "matches no rule code" in err


def test_progress_bar_only_after_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    progress = cli_org._Progress("always")
    progress("reading", 1, 10)
    assert progress.bar is None  # under a second: no bar
    monkeypatch.setattr(cli_org.time, "monotonic", lambda: progress.started + 2.0)
    progress("reading", 2, 10)
    assert progress.bar is not None and progress.tasks["reading"] is not None
    progress.close()
    assert not cli_org._Progress("auto").enabled  # not a terminal here


def test_rewrite_within_a_budget(
    drafts: Path, openai_stub: OpenAIStub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openai_stub.respond(
        lambda request: Reply.tool_args(
            {"text": "Raise payments approved in the app from 22% to 45%", "rationale": "x"}
        )
    )
    argv = [str(drafts), "--no-config", "--rewrite", "--max-calls", "2", "--base-url", openai_stub.url]
    argv += ["--model", "stub-model", "--cache-dir", str(tmp_path / "cache"), "--format", "json"]
    argv += ["--embedding", "hashing"]  # a store built in a second, not the ONNX one
    code, out, _ = okrcoach(argv, capsys)
    data = json.loads(out)
    assert openai_stub.count == 2
    assert "budget 2 calls" in data["rewrite_note"]
    assert Path(data["rewrites"][0]["file"]).name == "mobile.md"
    code, out, _ = okrcoach([str(drafts), "--no-config", "--rewrite"], capsys)
    assert "Rewrites: rewrites for the 10 worst" in out and "the rules answered" in out
