"""`okrcoach review --format github` (workflow annotations) and `--format gitlab` (Code Quality JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.cli import main
from coach.engine import Review, review
from coach.model import Finding, InputError, Severity, Span
from coach.report.github import ci_path, escape_data, escape_property, render_github
from coach.report.gitlab import render_gitlab
from coach.report.review import FORMATS

DRAFT = """\
owner: Dana
objectives:
  - objective: Make paying us effortless for small businesses
    key_results:
      - Launch Apple Pay
      - text: Raise checkout completion from 61% to 75%
        confidence: 7 of 10
  - objective: Grow revenue 20%
"""

GITHUB = """\
::warning file=okrs/team.yaml,line=5,col=9,endLine=5,title=OKR KR001::names work to do ('launch'), not the \
result it should produce: measure the outcome and list the work as an initiative (read as: head verb \
'launch' names work to do) [kr-outcome-not-task]
::error file=okrs/team.yaml,line=7,col=21,endLine=7,title=OKR KR016::confidence '7 of 10' is not a number \
(use 0–1, a percentage like 70%25, or 1–10) [kr-confidence]
::warning file=okrs/team.yaml,line=8,col=16,endLine=8,title=OKR OBJ001::contains a number ('20%25'): keep \
the objective qualitative; put the number in a key result [obj-qualitative-inspiring]
::notice file=okrs/team.yaml,line=8,col=16,endLine=8,title=OKR OBJ004::does not say why it matters: add the \
value, e.g. '… so that <who> can <what>' or a description [obj-verb-what-why]
::error file=okrs/team.yaml,line=8,col=16,endLine=8,title=OKR OBJ007::has no key results: add two to four \
that would show it is happening [kr-count-per-objective]
"""


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """okrs/team.yaml in a checkout that is the working directory, as in a CI job."""
    (tmp_path / "okrs").mkdir()
    path = tmp_path / "okrs" / "team.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return path


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_both_formats_are_in_the_review_table_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert list(FORMATS)[-2:] == ["github", "gitlab"]
    with pytest.raises(SystemExit):
        main(["review", "--help"])
    assert "{text,json,sarif,markdown,github,gitlab}" in capsys.readouterr().out


# -- github -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("given", ["okrs/team.yaml", "ABSOLUTE"])
def test_github_annotations_exactly(given: str, team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(team) if given == "ABSOLUTE" else given
    code, out, err = _run(
        ["review", path, "--no-config", "--select", "KR,OBJ", "-f", "github", "--fail-on", "warning"], capsys
    )
    assert out == GITHUB
    assert code == 1 and err == ""


def test_github_escapes_message_and_properties() -> None:
    message = "cut churn 100%, then: more\r\nnext"
    finding = Finding(
        "KR001", "task-like-kr", Severity.WARNING, message, Span("okrs/a,b:c.yaml", 3, 5, 4), "kr-x"
    )
    suggestion = Finding("OBJ004", "why", Severity.SUGGESTION, "why: 50%", Span("-", 2, 1), None)
    unreadable = InputError("okrs/broken.yaml", "bad YAML: mapping values are not allowed here", line=7)
    out = render_github(Review(findings=[finding, suggestion], errors=[unreadable]))
    assert out.splitlines() == [
        "::warning file=okrs/a%2Cb%3Ac.yaml,line=3,col=5,endLine=4,title=OKR KR001::"
        "cut churn 100%25, then: more%0D%0Anext [kr-x]",
        "::notice title=OKR OBJ004::why: 50%25",  # stdin: no file to point at
        "::error file=okrs/broken.yaml,line=7,title=okrcoach%3A cannot read::"
        "bad YAML: mapping values are not allowed here",
    ]


def test_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    assert escape_data("%0A") == "%250A"  # an escape in the text stays text


def test_paths_are_relative_to_the_working_directory(tmp_path: Path) -> None:
    assert ci_path(str(tmp_path / "okrs" / "a.yaml"), tmp_path) == "okrs/a.yaml"
    assert ci_path("okrs/a.yaml", tmp_path) == "okrs/a.yaml"
    assert ci_path("/elsewhere/a.yaml", tmp_path) == "/elsewhere/a.yaml"
    assert ci_path("<stdin>", tmp_path) is None and ci_path("-", tmp_path) is None


def test_a_clean_draft_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "clean.yaml"
    clean.write_text(
        "owner: Dana\nobjectives:\n  - objective: Make paying us effortless for small businesses\n"
        "    key_results:\n      - Raise checkout completion from 61% to 75%\n"
        "      - Cut failed card payments from 2.8% to 1.5%\n",
        encoding="utf-8",
    )
    code, out, _ = _run(["review", str(clean), "--no-config", "--select", "KR", "-f", "github"], capsys)
    assert (code, out) == (0, "")


# -- gitlab -------------------------------------------------------------------------------------------------
def _gitlab(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    code, out, _ = _run(["review", "okrs/team.yaml", "--no-config", "-f", "gitlab", *args], capsys)
    assert code in {0, 1}  # 1: an error-level finding, as --fail-on error says
    issues = json.loads(out)
    assert isinstance(issues, list)
    return issues


def test_gitlab_code_quality_report(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    issues = _gitlab(capsys, "--select", "KR,OBJ")
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("KR001", "minor", {"path": "okrs/team.yaml", "lines": {"begin": 5}}),
        ("KR016", "major", {"path": "okrs/team.yaml", "lines": {"begin": 7}}),
        ("OBJ001", "minor", {"path": "okrs/team.yaml", "lines": {"begin": 8}}),
        ("OBJ004", "info", {"path": "okrs/team.yaml", "lines": {"begin": 8}}),
        ("OBJ007", "major", {"path": "okrs/team.yaml", "lines": {"begin": 8}}),
    ]
    assert set(issues[0]) == {"description", "check_name", "fingerprint", "severity", "location"}
    assert issues[0]["description"].startswith("KR001 names work to do ('launch')")  # type: ignore[union-attr]
    assert issues[0]["description"].endswith("[kr-outcome-not-task]")  # type: ignore[union-attr]
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)
    assert all(isinstance(f, str) and len(f) == 64 for f in fingerprints)


def _fingerprints(capsys: pytest.CaptureFixture[str]) -> dict[tuple[object, str], object]:
    issues = _gitlab(capsys, "--select", "KR001")
    return {(i["check_name"], str(i["description"])): i["fingerprint"] for i in issues}


def test_fingerprints_survive_moving_a_key_result(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _fingerprints(capsys)
    lines_before = [i["location"] for i in _gitlab(capsys, "--select", "KR001")]
    # Down by one line: a comment above it.
    team.write_text(
        DRAFT.replace("      - Launch Apple Pay", "      # wallets first\n      - Launch Apple Pay")
    )
    assert _fingerprints(capsys) == before
    assert [i["location"] for i in _gitlab(capsys, "--select", "KR001")] != lines_before
    # Down by one place: its id (pay-1.KR1 -> KR2) changes, its text does not.
    lines = DRAFT.splitlines(keepends=True)
    swapped = lines[:4] + lines[5:7] + [lines[4]] + lines[7:]
    team.write_text("".join(swapped), encoding="utf-8")
    assert _fingerprints(capsys) == before


def test_identical_findings_get_different_fingerprints(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team.write_text(
        DRAFT.replace("      - Launch Apple Pay", "      - Launch Apple Pay\n      - Launch Apple Pay")
    )
    issues = _gitlab(capsys, "--select", "KR001")
    assert len(issues) == 2
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


def test_gitlab_changes_fingerprint_when_the_text_or_code_changes(tmp_path: Path) -> None:
    def one(code: str, text: str) -> str:
        draft = tmp_path / "d.yaml"
        draft.write_text(DRAFT.replace("Launch Apple Pay", text), encoding="utf-8")
        result = review([str(draft)])
        result.findings = [f for f in result.findings if f.code == "KR001"]
        for finding in result.findings:
            finding.code = code
        return str(json.loads(render_gitlab(result, tmp_path))[0]["fingerprint"])

    assert one("KR001", "Launch Apple Pay") == one("KR001", "Launch Apple Pay")
    assert one("KR001", "Launch Apple Pay") != one("KR001", "Launch Google Pay")
    assert one("KR001", "Launch Apple Pay") != one("KR999", "Launch Apple Pay")


def test_gitlab_reports_an_unreadable_file_as_a_blocker(tmp_path: Path) -> None:
    error = InputError(str(tmp_path / "okrs" / "bad.yaml"), "bad YAML", line=4)
    (issue,) = json.loads(render_gitlab(Review(errors=[error]), tmp_path))
    assert issue["severity"] == "blocker" and issue["check_name"] == "input-error"
    assert issue["location"] == {"path": "okrs/bad.yaml", "lines": {"begin": 4}}
