"""Dates typed on the command line and the cycle as people write it: `cycle: {start: ..., end: ...}`."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from coach.cli import main as cli
from coach.dates import Cycle, DateError, cycle_from_period, parse_date, resolve_cycle
from coach.model import InputError
from coach.parse import load

DATA = Path(__file__).parent / "data" / "checkins"
DRAFT = DATA / "team-draft.yaml"
CLEAN = DATA / "clean.csv"
Q1 = Cycle(date(2026, 1, 1), date(2026, 3, 31))


# -- dates typed by a person: no silent guess between day and month ------------------------------------


@pytest.mark.parametrize("text", ["08/12/2026", "8/12/2026", "08-12-2026", "08.12.26"])
def test_a_date_that_reads_two_ways_is_refused_when_no_convention_is_given(text: str) -> None:
    with pytest.raises(DateError, match="YYYY-MM-DD") as caught:
        parse_date(text, day_first=None)
    assert "\n" not in str(caught.value) and "8 December 2026" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13/08/2026", date(2026, 8, 13)),
        ("08/13/2026", date(2026, 8, 13)),
        ("05/05/2026", date(2026, 5, 5)),
        ("2026-12-08", date(2026, 12, 8)),
        ("2026/12/08", date(2026, 12, 8)),
        ("8 Dec 2026", date(2026, 12, 8)),
    ],
)
def test_unambiguous_dates_are_read(text: str, expected: date) -> None:
    assert parse_date(text, day_first=None) == expected


def test_files_keep_their_day_first_convention() -> None:
    assert parse_date("08/12/2026") == date(2026, 12, 8)
    assert parse_date("08/12/2026", day_first=False) == date(2026, 8, 12)


def test_date_objects_are_taken_as_they_are() -> None:
    assert parse_date(date(2026, 1, 1)) == date(2026, 1, 1)  # type: ignore[arg-type]
    assert parse_date(datetime(2026, 1, 1, 9, 30)) == date(2026, 1, 1)  # type: ignore[arg-type]
    assert resolve_cycle(date(2026, 1, 1), date(2026, 3, 31), None) == Q1  # type: ignore[arg-type]


def test_checkin_date_flag_refuses_a_slash_date_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli(["checkin", str(DRAFT), "--history", str(CLEAN), "--no-config", "--date", "08/12/2026"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "--date" in err and "YYYY-MM-DD" in err and "8 December 2026" in err


def test_cycle_flags_refuse_a_slash_date(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["checkin", str(DRAFT), "--history", str(CLEAN), "--no-config", "--date", "2026-02-12"]
    assert cli([*argv, "--cycle-start", "01/02/2026", "--cycle-end", "2026-03-31"]) == 2
    err = capsys.readouterr().err
    assert "could be 1 February 2026 or 2 January 2026" in err and "YYYY-MM-DD" in err


# -- the cycle written as dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "period", ["2026-01-01 to 2026-03-31", "2026-01-01..2026-03-31", "2026-01-01 – 2026-03-31"]
)
def test_a_period_written_as_two_dates(period: str) -> None:
    assert cycle_from_period(period) == Q1


CYCLE_FORMS = [
    "cycle: {start: 2026-01-01, end: 2026-03-31}",
    "cycle:\n  start: 2026-01-01\n  end: 2026-03-31",
    "cycle: {start: '2026-01-01', end: '2026-03-31'}",
    "period: {from: 2026-01-01, to: 2026-03-31}",
]


def _with_cycle(tmp_path: Path, form: str) -> Path:
    text = DRAFT.read_text(encoding="utf-8")
    assert "period: 2026-Q1\n" in text
    path = tmp_path / "draft.yaml"
    path.write_text(text.replace("period: 2026-Q1\n", form + "\n"), encoding="utf-8")
    return path


@pytest.mark.parametrize("form", CYCLE_FORMS)
def test_a_yaml_draft_may_state_its_cycle_as_dates(tmp_path: Path, form: str) -> None:
    doc = load(str(_with_cycle(tmp_path, form)))
    assert doc.objectives and cycle_from_period(doc.period) == Q1


def test_a_json_draft_may_state_its_cycle_as_dates(tmp_path: Path) -> None:
    path = tmp_path / "draft.json"
    draft = {
        "team": "Payments",
        "cycle": {"start": "2026-01-01", "end": "2026-03-31"},
        "objectives": [
            {"objective": "Make paying effortless", "key_results": ["Raise completion from 4% to 7%"]}
        ],
    }
    path.write_text(json.dumps(draft), encoding="utf-8")
    assert cycle_from_period(load(str(path)).period) == Q1


def test_every_command_accepts_a_cycle_of_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = _with_cycle(tmp_path, CYCLE_FORMS[0])
    assert cli(["review", str(draft), "--no-config"]) in (0, 1)
    assert "could not be read" not in capsys.readouterr().out
    argv = ["checkin", str(draft), "--history", str(CLEAN), "--no-config", "--date", "2026-02-12"]
    assert cli([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cycle"]["start"] == "2026-01-01" and data["cycle"]["end"] == "2026-03-31"


@pytest.mark.parametrize(
    "form",
    ["cycle: {start: 2026-01-01}", "cycle: {start: 2026-01-01, end: 2026-03-31, length: 90}", "cycle: {}"],
)
def test_a_cycle_mapping_without_its_two_dates_is_a_clear_error(tmp_path: Path, form: str) -> None:
    with pytest.raises(InputError, match="start and end"):
        load(str(_with_cycle(tmp_path, form)))


@pytest.mark.parametrize(
    "table", ['start = "2026-01-01"\nend = "2026-03-31"', "start = 2026-01-01\nend = 2026-03-31"]
)
def test_config_cycle_as_toml_dates_or_strings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str
) -> None:
    config = tmp_path / "okrcoach.toml"
    config.write_text(f"[cycle]\n{table}\n", encoding="utf-8")
    argv = ["checkin", str(DRAFT), "--history", str(CLEAN), "--date", "2026-02-12", "--format", "json"]
    assert cli([*argv, "--config", str(config)]) == 0
    assert json.loads(capsys.readouterr().out)["cycle"]["end"] == "2026-03-31"


@pytest.mark.parametrize("text", ["00/05/2026", "05/00/2026", "00/00/2026"])
def test_a_slash_date_with_a_zero_part_is_a_date_error_not_a_crash(text: str) -> None:
    for convention in (None, True, False):
        with pytest.raises(DateError):
            parse_date(text, day_first=convention)
