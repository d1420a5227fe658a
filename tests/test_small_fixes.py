"""What a new user tripped over (issue 17, item 6): plurals, an empty search query, where invalid TOML is
wrong, doctor's model flags, and --explain printing each cited passage once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main
from coach.config import config_from_mapping, load_config
from coach.engine import review
from coach.model import InputError, Severity, Span
from coach.report.text import render_text, summary_line
from coach.report.words import plural

ROOT = Path(__file__).resolve().parent.parent
ONE_TASK = """\
owner: Dana
objectives:
  - objective: Make paying us effortless for small businesses
    key_results:
      - Launch Apple Pay
"""
TWO_TASKS = """\
owner: Dana
objectives:
  - objective: Make paying us effortless for small businesses
    key_results:
      - Launch Apple Pay
      - Launch Google Pay
      - Launch the new checkout
"""


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"OKRCOACH_MODEL", "OKRCOACH_BASE_URL"}}
    env.update(PYTHONPATH=str(ROOT), OKRCOACH_CACHE_DIR=str(cwd / "cache"))
    return subprocess.run(
        [sys.executable, "-m", "coach.cli", *args], capture_output=True, text=True, env=env, cwd=cwd
    )


# -- plurals -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("count", "noun", "many", "expected"),
    [
        (0, "finding", None, "0 findings"),
        (1, "finding", None, "1 finding"),
        (2, "finding", None, "2 findings"),
        (1, "key result", None, "1 key result"),
        (3, "key result", None, "3 key results"),
        (1, "check-in", None, "1 check-in"),
        (1, "proposal", None, "1 proposal"),
        (1, "objective", None, "1 objective"),
        (2, "baseline", None, "2 baselines"),
        (2, "is", "are", "2 are"),
    ],
)
def test_plural(count: int, noun: str, many: str | None, expected: str) -> None:
    assert plural(count, noun, many) == expected


def test_plural_groups_thousands_when_asked() -> None:
    assert plural(12400, "finding", grouped=True) == "12,400 findings"
    assert plural(1, "team", grouped=True) == "1 team"


def test_review_summary_says_1_finding_and_1_key_result(tmp_path: Path) -> None:
    draft = tmp_path / "one.yaml"
    draft.write_text(ONE_TASK, encoding="utf-8")
    result = review([str(draft)], config_from_mapping({"select": ["KR"]}, "test"))
    assert [f.code for f in result.findings] == ["KR001"]
    assert summary_line(result) == "1 finding (0 errors, 1 warning, 0 suggestions) in 1 file, 1 key result"


def test_review_summary_counts_several(tmp_path: Path) -> None:
    draft = tmp_path / "three.yaml"
    draft.write_text(TWO_TASKS, encoding="utf-8")
    line = summary_line(review([str(draft)]))
    assert line.startswith(f"{len(review([str(draft)]).findings)} findings (")
    assert line.endswith("in 1 file, 3 key results")


def test_rewrite_summary_says_1_proposal(tmp_path: Path) -> None:
    draft = tmp_path / "one.yaml"
    draft.write_text(ONE_TASK, encoding="utf-8")
    proc = _cli(["rewrite", str(draft), "--no-config"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1].startswith("1 proposal; ")


def test_org_summaries_use_singulars() -> None:
    from coach.report import org_markdown, org_text

    for module in (org_text, org_markdown):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert "} findings" not in source and "} teams" not in source and "} objectives" not in source
        assert "plural(" in source


# -- knowledge search "" -------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_query_is_a_usage_error(
    query: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["knowledge", "search", query, "--embedding", "hashing", "--cache-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "empty" in err
    assert not (tmp_path / "chroma").exists()  # refused before any store is opened or built


# -- invalid TOML --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["okrcoach.toml", "pyproject.toml"])
def test_invalid_toml_names_line_and_column(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text('[tool.okrcoach]\nfail-on = "warning"\nselect = ["KR" "OBJ"]\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_config(path)
    assert (info.value.line, info.value.col) == (3, 16)
    assert str(info.value) == f"{path}:3:16: invalid TOML: Unclosed array"


def test_invalid_toml_on_the_command_line_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "okrcoach.toml").write_text("select = [\n", encoding="utf-8")
    draft = tmp_path / "one.yaml"
    draft.write_text(ONE_TASK, encoding="utf-8")
    proc = _cli(["review", str(draft)], tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"okrcoach: {tmp_path / 'okrcoach.toml'}:2:1: invalid TOML: Invalid value"
    ]  # tomllib's "(at end of document)": where the text ends


# -- doctor --model / --base-url -----------------------------------------------------------------------------
def test_doctor_takes_the_model_flags_rewrite_takes(tmp_path: Path) -> None:
    from coach.cli import build_parser

    doctor = build_parser("doctor").parse_args(
        ["doctor", "--model", "tiny", "--base-url", "http://127.0.0.1:9/v1", "--timeout", "2"]
    )
    rewrite = build_parser("rewrite").parse_args(["rewrite", "x.yaml"])
    for flag in ("model", "base_url", "timeout", "max_retries"):
        assert hasattr(doctor, flag) and hasattr(rewrite, flag)
    assert (doctor.model, doctor.base_url, doctor.timeout) == ("tiny", "http://127.0.0.1:9/v1", 2.0)


def test_doctor_reports_on_the_model_it_was_given(tmp_path: Path) -> None:
    proc = _cli(
        [
            "doctor",
            "--embedding",
            "hashing",
            "-f",
            "json",
            "--model",
            "tiny-model",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--timeout",
            "2",
            "--max-retries",
            "0",
        ],
        tmp_path,
    )
    info = json.loads(proc.stdout)
    model = info["model"]
    assert model["model"] == "tiny-model" and model["from"] == "--model"
    assert model["timeout_s"] == 2.0 and model["max_retries"] == 0
    assert model["reachable"] == "no"
    assert any("127.0.0.1:9" in p and "unreachable" in p for p in info["problems"])


# -- review --explain: each passage once ---------------------------------------------------------------------
def test_explain_prints_each_cited_passage_once(tmp_path: Path) -> None:
    draft = tmp_path / "tasks.yaml"
    draft.write_text(TWO_TASKS, encoding="utf-8")
    result = review([str(draft)])
    kr001 = [f for f in result.findings if f.code == "KR001"]
    assert len(kr001) == 3
    text = render_text(result, explain=True)
    passage = kr001[0].passage
    assert text.count(f"[{passage}] — ") == 1  # the title line, once
    assert text.count(f"    (passage [{passage}] above)") == 2  # later findings point back to it
    lines = text.splitlines()
    first = lines.index(next(line for line in lines if "KR001" in line))
    assert f"[{passage}] — " in lines[first + 1]


def test_explain_text_with_one_finding_per_passage_is_unchanged(tmp_path: Path) -> None:
    draft = tmp_path / "one.yaml"
    draft.write_text(ONE_TASK, encoding="utf-8")
    text = render_text(review([str(draft)]), explain=True)
    assert "above)" not in text and text.count("— ") >= 1


def test_summary_line_with_unreadable_files(tmp_path: Path) -> None:
    result = review([str(tmp_path / "missing.yaml")])
    assert summary_line(result).endswith("; 1 file could not be read")
    assert summary_line(result).startswith("0 findings (0 errors, 0 warnings, 0 suggestions) in 0 files")


def test_span_and_severity_are_what_the_reports_use() -> None:
    # The CI renderers and the text renderer read the same Span and Severity vocabulary.
    assert str(Span("a.yaml", 3, 5)) == "a.yaml:3:5"
    assert [s.value for s in Severity] == ["suggestion", "warning", "error"]


def test_a_broken_pyproject_with_our_table_is_reported_not_passed_by(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.okrcoach]\nselect = ["KR"\n', encoding="utf-8")
    draft = tmp_path / "one.yaml"
    draft.write_text(ONE_TASK, encoding="utf-8")
    proc = _cli(["review", str(draft)], tmp_path)
    assert proc.returncode == 2
    assert f"{tmp_path / 'pyproject.toml'}:3:1: invalid TOML" in proc.stderr


def test_a_broken_pyproject_of_someone_else_is_passed_by(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x\n', encoding="utf-8")
    draft = tmp_path / "one.yaml"
    draft.write_text(ONE_TASK, encoding="utf-8")
    assert _cli(["review", str(draft)], tmp_path).returncode == 0
