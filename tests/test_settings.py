"""Typed config sections: [checkin] and [baselines] day-first are checked once, when the config is read, and
the command line and the TUI read the same values (the TUI once read day-first = "false" as true)."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

import pytest

from coach.checkin.state import DEFAULT_STALE_DAYS
from coach.config import BaselineSettings, CheckinSettings, Config, config_from_mapping
from coach.model import InputError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def test_defaults_are_the_jobs_defaults() -> None:
    assert CheckinSettings().stale_days == DEFAULT_STALE_DAYS
    assert Config().checkin_settings == CheckinSettings() and Config().baseline_settings == BaselineSettings()
    config = config_from_mapping({"checkin": {"stale-days": 30, "day-first": False}}, "okrcoach.toml")
    assert config.checkin_settings == CheckinSettings(30, False)
    assert config_from_mapping({"baselines": {"day-first": False}}, "x").baseline_settings.day_first is False


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"checkin": {"day-first": "false"}}, r"\[checkin\] day-first must be true or false"),
        ({"checkin": {"stale-days": "two weeks"}}, r"\[checkin\] stale-days must be a whole number"),
        ({"checkin": {"stale-days": 0}}, r"\[checkin\] stale-days must be a whole number"),
        ({"checkin": {"stale-days": True}}, r"\[checkin\] stale-days must be a whole number"),
        ({"baselines": {"day-first": "false"}}, r"\[baselines\] day-first must be true or false"),
    ],
)
def test_a_bad_setting_is_refused_when_the_config_is_read(table: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        config_from_mapping(table, "okrcoach.toml")
    assert caught.value.file == "okrcoach.toml"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(DATA / "checkins" / "team-draft.yaml", tmp_path / "growth-q1.yaml")
    shutil.copy(DATA / "checkins" / "clean.csv", tmp_path / "checkins.csv")
    monkeypatch.chdir(tmp_path)
    for name in ("OKRCOACH_MODEL", "OKRCOACH_BASE_URL", "OPENAI_API_KEY", "OKRCOACH_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _tui_engine(*argv: str) -> Any:
    from coach.cli import tui as cli_tui

    parser = argparse.ArgumentParser()
    cli_tui.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["tui", "growth-q1.yaml", "--history", "checkins.csv", *argv])
    return cli_tui.build_engine(args)


def test_the_tui_refuses_day_first_false_as_a_string(work: Path) -> None:
    """bool("false") is True: the TUI read dates day-first where the user said not to."""
    (work / "okrcoach.toml").write_text('[checkin]\nday-first = "false"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"\[checkin\] day-first must be true or false"):
        _tui_engine("--date", "2026-02-12")


class _Read(Exception):
    """Raised by the stand-in for read_history: what the caller asked it for."""


def test_the_command_line_and_the_tui_read_the_same_values(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.checkin import history as history_module
    from coach.cli import main
    from coach.parse import load

    (work / "okrcoach.toml").write_text("[checkin]\nday-first = false\nstale-days = 30\n", encoding="utf-8")

    def read_history(path: str, doc: Any, cycle: Any, *, now: Any, day_first: bool) -> Any:
        raise _Read(day_first)

    monkeypatch.setattr(history_module, "read_history", read_history)
    with pytest.raises(_Read) as cli_read:
        main(["checkin", "growth-q1.yaml", "--history", "checkins.csv", "--date", "2026-02-12"])
    engine = _tui_engine("--date", "2026-02-12")
    with pytest.raises(_Read) as tui_read:
        engine.checkin(load("growth-q1.yaml"))
    assert cli_read.value.args == tui_read.value.args == (False,)
    assert engine.config.checkin_settings == CheckinSettings(30, False)
