"""Check-ins: reading the history, the per-KR state, ordering by risk, the question pack, and the CLI."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import pytest

from coach.checkin.history import History, parse_history, read_history
from coach.checkin.pack import checkin_pack
from coach.checkin.state import kr_states
from coach.checkin.values import parse_value, says_done
from coach.cli.checkin import add_parsers, run_checkin, run_score
from coach.dates import Cycle
from coach.knowledge import passages
from coach.model import Document, InputError
from coach.parse import load, parse_text
from coach.report.checkin import pack_dict, render_pack_markdown

DATA = Path(__file__).parent / "data" / "checkins"
DRAFT = DATA / "team-draft.yaml"
CLEAN = DATA / "clean.csv"
MESSY = DATA / "messy-export.csv"
Q1 = Cycle(date(2026, 1, 1), date(2026, 3, 31))
NOW = date(2026, 2, 12)
# A 100-day cycle: on day 50 exactly half of it has gone.
CYCLE100 = Cycle(date(2026, 1, 1), date(2026, 4, 11))
DAY50 = date(2026, 2, 20)

SMALL = """
team: Core
period: 2026-Q1
objectives:
  - id: O1
    objective: Customers finish checkout without friction
    key_results:
      - text: Raise checkout completion from 4% to 7%
      - text: Cut p95 checkout latency from 2400 ms to 1200 ms
      - text: Launch the one-page checkout
      - text: Keep payment disputes below 0.2% of payments
      - text: Improve customer happiness with checkout
      - text: Grow weekly buyers to 500
"""


def small() -> Document:
    return parse_text(SMALL, "small.yaml", "yaml")


def history(
    rows: list[str],
    doc: Document | None = None,
    *,
    header: str = "date,kr_id,value,confidence",
    cycle: Cycle = Q1,
    now: date | None = NOW,
) -> History:
    lines = [(line + "\n").encode() for line in [header, *rows]]
    return parse_history(lines, "h.csv", doc or small(), cycle, now=now)


# -- reading the history ---------------------------------------------------------------------------------
GOOD = "2026-01-05,O1.KR1,4.2,0.7"


@pytest.mark.parametrize(
    ("row", "kind", "skipped"),
    [
        ("2026-01-10,O1.KR9,5,0.7", "unknown-kr", True),
        ("2025-12-20,O1.KR1,5,0.7", "outside-cycle", True),
        ("2026-04-02,O1.KR1,5,0.7", "outside-cycle", True),
        ("2026-02-20,O1.KR1,5,0.7", "after-date", True),
        ("soon,O1.KR1,5,0.7", "bad-date", True),
        (",O1.KR1,5,0.7", "bad-date", True),
        ("2026-01-10,,5,0.7", "no-kr", True),
        ("2026-01-10,O1.KR1,n/a,0.7", "no-value", True),
        ("2026-01-10,O1.KR1,,0.7", "no-value", True),
        ("2026-01-10,O1.KR1,lots,0.7", "bad-value", True),
        ("2026-01-10,O1.KR1,-3,0.7", "negative", True),
        ("2026-01-10,O1.KR2,2.1 s,0.7", "mixed-unit", True),
        ("2026-01-10,O1.KR3,maybe,0.7", "bad-value", True),
        ("2026-01-10,O1.KR1,5,loads", "bad-confidence", False),
        ("2026-01-10,O1.KR1,5,150", "bad-confidence", False),
    ],
)
def test_each_bad_row_is_reported_with_its_line(row: str, kind: str, skipped: bool) -> None:
    result = history([GOOD, row, GOOD.replace("01-05", "01-20")])
    assert [(p.line, p.kind, p.skipped) for p in result.problems] == [(3, kind, skipped)]
    assert result.rows == 3
    assert result.kept == (3 if not skipped else 2)
    assert result.problems[0].render("h.csv").startswith("h.csv:3: " + ("skipped" if skipped else "note"))


def test_unknown_ids_get_the_nearest_known_id_as_a_hint() -> None:
    result = history(["2026-01-10,O1.KR9,5,0.7", "2026-01-11,01.KR2,5,0.7", "2026-01-12,zzz,5,0.7"])
    assert result.unknown_ids["01.kr2"] == "O1.KR2"
    assert result.unknown_ids["zzz"] is None
    assert "did you mean O1.KR2?" in result.problems[1].message


def test_duplicate_date_and_kr_keeps_the_later_row_and_reports_the_earlier() -> None:
    result = history([GOOD, "2026-01-05,O1.KR1,4.4,0.6", "2026-01-12,O1.KR1,4.8,0.6"])
    assert [(p.line, p.kind) for p in result.problems] == [(2, "duplicate")]
    assert "again at line 3" in result.problems[0].message
    assert [c.value for c in result.checkins["O1.KR1"]] == [4.4, 4.8]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0.7", 0.7), ("70%", 0.7), ("7", 0.7), ("7/10", 0.7), ("70", 0.7), ("1", 1.0), ("10", 1.0), ("", None)],
)
def test_confidence_is_normalised_to_0_1(raw: str, expected: float | None) -> None:
    result = history([f"2026-01-05,O1.KR1,4.2,{raw}"])
    assert result.checkins["O1.KR1"][0].confidence == expected


@pytest.mark.parametrize(
    "header",
    [
        "Date,KR,Progress,Conf,Notes",
        "day;key result id;actual;confidence level;comment",
        "DATE\tKey_Result\tCurrent\tConfidence",
        "date,Key Result,value",
    ],
)
def test_header_synonyms_and_sniffed_delimiters(header: str) -> None:
    delimiter = ";" if ";" in header else "\t" if "\t" in header else ","
    row = delimiter.join(["2026-01-05", "O1.KR1", "4.2", "0.7", "note"][: header.count(delimiter) + 1])
    result = history([row], header=header)
    assert result.kept == 1 and result.problems == []
    assert result.delimiter == delimiter


def test_a_kr_can_be_named_by_its_text() -> None:
    result = history(["2026-01-05,raise checkout completion from 4% to 7%,4.2,0.7"])
    assert list(result.checkins) == ["O1.KR1"]


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "empty", None),
        (b"\n  \n", "empty", None),
        (b"date,kr,value\x00\x01\x02", "binary", 1),
        ("date,kr_id,value\n2026-01-05,O1.KR1,caf\u00e9\n".encode("latin-1"), "not valid UTF-8", 2),
        ("date,kr_id,value\n".encode("utf-16"), "UTF-16", 1),
        (b"when,which,how much\n2026-01-05,O1.KR1,4\n", "missing column", 1),
        (b"date,kr_id,confidence\n2026-01-05,O1.KR1,0.7\n", "value", 1),
    ],
)
def test_unreadable_histories_are_input_errors(data: bytes, message: str, line: int | None) -> None:
    with pytest.raises(InputError) as raised:
        parse_history(data.splitlines(keepends=True), "h.csv", small(), Q1)
    assert message in str(raised.value)
    assert raised.value.file == "h.csv" and raised.value.line == line


def test_missing_history_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_history(tmp_path / "nope.csv", small(), Q1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", (42.0, None)),
        ("5,4 %", (5.4, "%")),
        ("4.3%", (4.3, "%")),
        ("1,350", (1350.0, None)),
        ("2300 ms", (2300.0, "ms")),
        ("$12k", (12000.0, "$")),
        ("-3", (-3.0, None)),
        ("n/a", None),
        ("lots", None),
        ("3 teams", None),
    ],
)
def test_values_as_teams_write_them(text: str, expected: tuple[float, str | None] | None) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize(
    ("text", "done"),
    [
        ("done", True),
        ("Shipped on 3 March", True),
        ("no blockers, shipped on Tuesday", True),
        ("not shipped yet", False),
        ("in progress", False),
        ("not started", False),
        ("waiting on legal", None),
        ("", None),
    ],
)
def test_says_done(text: str, done: bool | None) -> None:
    assert says_done(text) is done


def test_the_messy_export() -> None:
    doc = load(str(DRAFT))
    result = read_history(MESSY, doc, Q1, now=NOW)
    assert result.delimiter == ";"
    assert [(p.line, p.kind) for p in result.problems] == [
        (6, "mixed-unit"),
        (11, "outside-cycle"),
        (12, "unknown-kr"),
        (13, "duplicate"),
        (15, "negative"),
        (16, "no-value"),
        (17, "bad-confidence"),
        (21, "outside-cycle"),
        (22, "unknown-kr"),
    ]
    kr1 = result.checkins["G1.KR1"]
    assert [(c.date, c.value, c.confidence) for c in kr1] == [
        (date(2026, 1, 5), 4.0, 0.7),
        (date(2026, 1, 12), 4.3, 0.7),
        (date(2026, 1, 19), 4.7, 0.7),
    ]
    assert [c.value for c in result.checkins["G1.KR3"]] == [1210, 1350, 1650]  # by text; "1,650"
    reminders = result.checkins["G2.KR1"]
    assert reminders[0].comment == "design signed off, copy\r\nreview next week" and reminders[0].line == 8
    assert [c.value for c in reminders] == [0.0, 1.0]
    assert result.checkins["G1.KR2"][-1].confidence is None  # "high": kept without it
    assert "G2.KR2" not in result.checkins


# -- state -----------------------------------------------------------------------------------------------
def state_of(kr: str, rows: list[str], *, now: date = DAY50, cycle: Cycle = CYCLE100, stale: int = 14):  # type: ignore[no-untyped-def]
    doc = small()
    states = kr_states(doc, history(rows, doc, cycle=cycle, now=now), cycle, now, stale_days=stale)
    return next(s for s in states if s.kr_id == kr)


@pytest.mark.parametrize(
    ("kr", "latest", "progress"),
    [
        ("O1.KR1", "5.5", 0.5),  # 4 -> 7
        ("O1.KR1", "8", 1.0),  # capped
        ("O1.KR1", "3", 0.0),
        ("O1.KR2", "1800", 0.5),  # 2400 -> 1200: a decrease
        ("O1.KR2", "1000", 1.0),
        ("O1.KR2", "2600", 0.0),
    ],
)
def test_progress_is_direction_aware_and_capped(kr: str, latest: str, progress: float) -> None:
    state = state_of(kr, [f"2026-02-15,{kr},{latest},0.7"])
    assert state.progress == pytest.approx(progress)
    assert state.expected == pytest.approx(0.5)
    assert state.gap == pytest.approx(progress - 0.5)


@pytest.mark.parametrize(
    ("kr", "value", "status"),
    [
        ("O1.KR1", "5.5", "on-track"),
        ("O1.KR1", "4.6", "behind"),
        ("O1.KR1", "6.8", "ahead"),
        ("O1.KR2", "2100", "behind"),
        ("O1.KR2", "1700", "on-track"),
        ("O1.KR3", "in progress", "open"),
        ("O1.KR3", "done", "done"),
        ("O1.KR4", "0.1%", "on-track"),  # keep below 0.2%
        ("O1.KR4", "0.3%", "behind"),
        ("O1.KR5", "8", "no-target"),
        ("O1.KR6", "300", "no-baseline"),  # "to 500" with one check-in: nothing to measure from yet
    ],
)
def test_status(kr: str, value: str, status: str) -> None:
    assert state_of(kr, [f"2026-02-15,{kr},{value},0.7"]).status == status


def test_no_checkins_and_no_target_rank_first() -> None:
    state = state_of("O1.KR5", [])
    assert state.status == "no-data" and state.reasons[:2] == ["no check-ins", "no target"]


def test_stale_after_the_configured_days() -> None:
    rows = ["2026-01-31,O1.KR1,5.5,0.7"]
    state = state_of("O1.KR1", rows)
    assert (state.days_since, state.stale) == (20, True)
    assert "stale" in state.reasons
    assert state_of("O1.KR1", rows, stale=30).stale is False


@pytest.mark.parametrize(
    ("values", "dates", "stalled"),
    [
        (["5", "5", "5"], ["02-10", "02-13", "02-17"], True),  # three in a row
        (["4.5", "5", "5"], ["01-20", "01-25", "02-19"], True),  # 26 days unchanged
        (["4.5", "5", "5"], ["02-10", "02-13", "02-17"], False),
        (["5", "5", "5.1"], ["02-10", "02-13", "02-17"], False),
    ],
)
def test_stalled(values: list[str], dates: list[str], stalled: bool) -> None:
    rows = [f"2026-{d},O1.KR1,{v},0.7" for d, v in zip(dates, values, strict=True)]
    assert state_of("O1.KR1", rows).stalled is stalled


@pytest.mark.parametrize(
    ("confidences", "trend", "start"),
    [
        (["0.7", "0.6", "0.4"], "falling", 0.7),
        (["0.9", "0.7", "0.6", "0.4"], "falling", 0.7),  # the last three
        (["0.5", "0.5", "0.6"], "steady", 0.5),
        (["4/10", "60%", "7"], "rising", 0.4),
        (["0.7"], None, None),
    ],
)
def test_confidence_trend(confidences: list[str], trend: str | None, start: float | None) -> None:
    rows = [f"2026-02-0{i + 1},O1.KR1,5,{c}" for i, c in enumerate(confidences)]
    state = state_of("O1.KR1", rows)
    assert (state.confidence_trend, state.confidence_from) == (trend, start)


def test_forecast_is_linear_from_the_checkins() -> None:
    # 4.0 on day 10, 4.5 on day 20: 0.05 a day, so 8.5 on day 100.
    state = state_of("O1.KR1", ["2026-01-11,O1.KR1,4.0,0.7", "2026-01-21,O1.KR1,4.5,0.7"])
    assert state.forecast == pytest.approx(8.5)
    assert state.forecast_progress == 1.0
    one = state_of("O1.KR1", ["2026-01-11,O1.KR1,4.0,0.7"])
    assert one.forecast is None and one.forecast_note == "not enough points (1 check-in)"


def test_baseline_from_the_first_checkin_when_the_draft_has_none() -> None:
    state = state_of("O1.KR6", ["2026-01-05,O1.KR6,300,0.7", "2026-02-15,O1.KR6,400,0.7"])
    assert (state.baseline, state.baseline_from, state.progress) == (300, "first check-in", 0.5)


def test_ordering_by_risk() -> None:
    doc = load(str(DRAFT))
    clean = kr_states(doc, read_history(CLEAN, doc, Q1, now=NOW), Q1, NOW)
    assert [s.kr_id for s in clean] == ["G1.KR2", "G2.KR1", "G2.KR2", "G1.KR3", "G2.KR3", "G1.KR1"]
    assert clean[0].reasons[:3] == ["behind pace", "falling confidence", "stalled"]
    assert [s.risk for s in clean] == sorted((s.risk for s in clean), reverse=True)
    messy = kr_states(doc, read_history(MESSY, doc, Q1, now=NOW), Q1, NOW)
    assert messy[0].kr_id == "G2.KR2" and messy[0].status == "no-data"


# -- the pack --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def clean_pack():  # type: ignore[no-untyped-def]
    doc = load(str(DRAFT))
    return checkin_pack(doc, read_history(CLEAN, doc, Q1, now=NOW), Q1, NOW)


def test_markdown_pack_states_the_facts(clean_pack) -> None:  # type: ignore[no-untyped-def]
    text = render_pack_markdown(clean_pack)
    assert text.startswith("# Check-in questions — Growth, 12 February 2026\n")
    assert "Cycle 2026-Q1: 2026-01-01 to 2026-03-31, day 42 of 89 (47% gone)" in text
    assert "**4 of 6 key results need attention**" in text
    for fact in [
        "confidence fell from 0.6 to 0.4 in two check-ins",
        "24 days since the last check-in",
        "8% of the way from 2,400 ms to 1,200 ms at 47% of the cycle",
        "98% of the way from 1,200 to 1,800 at 47% of the cycle",
        "unchanged at 2,300 ms for the last 4 check-ins (24 days)",
        "last note: “bundle split blocked”",
    ]:
        assert fact in text
    assert text.index("## 1. G1.KR2") < text.index("## 6. G1.KR1")


def test_every_cited_passage_exists_and_is_listed(clean_pack) -> None:  # type: ignore[no-untyped-def]
    import re

    text = render_pack_markdown(clean_pack)
    body, sources = text.split("## Sources cited")
    cited = set(re.findall(r"\[([a-z0-9-]+)\]\n", body + "\n"))
    known = passages()
    assert cited and cited <= set(known)
    for passage_id in cited:
        assert f"**[{passage_id}]** {known[passage_id].title}" in sources


def test_questions_vary_with_the_state(clean_pack) -> None:  # type: ignore[no-untyped-def]
    by_kr = {item.state.kr_id: item for item in clean_pack.items}
    first = {kr: item.questions[0] for kr, item in by_kr.items()}
    assert first["G1.KR2"].topic == "cause" and "What is causing the gap" in first["G1.KR2"].text
    assert first["G1.KR3"].passage == "targets-ambition-sandbagging"  # ahead: was the target too low?
    assert first["G2.KR2"].topic == "target"  # no target
    assert first["G2.KR1"].topic == "plan"  # an open task
    assert any(q.passage == "checkin-cadence" for q in by_kr["G2.KR1"].questions)  # stale
    assert any(q.topic == "confidence" for q in by_kr["G2.KR3"].questions)
    texts = [tuple(q.text for q in item.questions) for item in clean_pack.items]
    assert len(set(texts)) == len(texts)
    for item in clean_pack.items:
        assert 1 <= len(item.questions) <= 5
        assert len({q.topic for q in item.questions}) == len(item.questions)


def test_no_data_questions() -> None:
    doc = small()
    pack = checkin_pack(doc, history([], doc), Q1, NOW)
    item = pack.items[0]
    assert item.state.status == "no-data"
    assert "Nobody has reported on this key result in the 42 days" in item.questions[0].text


def test_no_baseline_asks_where_the_number_started() -> None:
    doc = small()
    pack = checkin_pack(doc, history(["2026-02-01,O1.KR6,300,0.7"], doc), Q1, NOW)
    item = next(i for i in pack.items if i.state.kr_id == "O1.KR6")
    assert item.headline.startswith("no baseline to measure from")
    assert item.questions[0].passage == "baselines-finding-the-start"


def test_json_pack(clean_pack) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(pack_dict(clean_pack)))
    assert data["schema"] == "okrcoach.checkin-pack/1"
    assert data["date"] == "2026-02-12" and data["cycle"]["start"] == "2026-01-01"
    assert data["answered_by"] == "rules"
    assert data["summary"]["need_attention"] == ["G1.KR2", "G2.KR1", "G2.KR2", "G1.KR3"]
    known = passages()
    for kr in data["key_results"]:
        assert {"kr_id", "status", "progress", "expected", "gap", "risk", "facts", "questions"} <= set(kr)
        for question in kr["questions"]:
            assert question["passage"] in known and "?" in question["text"]
    assert {c["id"] for c in data["citations"]} <= set(known)


@pytest.mark.parametrize(
    ("now", "status", "says"),
    [
        (date(2026, 4, 20), "ended", "The cycle ended on 31 March 2026, 20 days before this check-in"),
        (date(2025, 12, 20), "not-started", "The cycle starts on 1 January 2026, in 12 days"),
        (NOW, "running", None),
    ],
)
def test_the_pack_says_when_it_is_made_outside_the_cycle(now: date, status: str, says: str | None) -> None:
    doc = load(str(DRAFT))
    pack = checkin_pack(doc, read_history(CLEAN, doc, Q1, now=now), Q1, now)
    text = render_pack_markdown(pack)
    data = json.loads(json.dumps(pack_dict(pack)))
    assert data["cycle"]["status"] == status and data["cycle"]["note"] == says
    if says is None:
        assert "The cycle ended" not in text and "The cycle starts" not in text
    else:
        assert f"**{says}**" in text.split("## 1.")[0]  # said at the top, before the questions


def test_cli_pack_after_the_cycle(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["checkin", str(DRAFT), "--history", str(CLEAN), "--no-config", "--date", "2026-06-30"]
    assert cli(argv) == 0
    assert "The cycle ended on 31 March 2026, 91 days before this check-in" in capsys.readouterr().out


def test_the_pack_is_deterministic() -> None:
    doc = load(str(DRAFT))
    runs = [
        render_pack_markdown(checkin_pack(doc, read_history(MESSY, doc, Q1, now=NOW), Q1, NOW))
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


# -- the CLI ---------------------------------------------------------------------------------------------
def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return run_checkin(args) if args.command == "checkin" else run_score(args)


def test_cli_checkin_markdown_with_problems_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli(["checkin", str(DRAFT), "--history", str(MESSY), "--date", "2026-02-12", "--no-config"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.startswith("# Check-in questions — Growth")
    assert f"{MESSY}:12: skipped: unknown key result 'G1.KR5'" in err
    assert f"{MESSY}:17: note: G1.KR2: confidence 'high'" in err
    assert len(err.splitlines()) == 9


def test_cli_checkin_json_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "pack.json"
    argv = ["checkin", str(DRAFT), "--history", str(MESSY), "--date", "2026-02-12", "--no-config"]
    assert cli([*argv, "--format", "json", "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [p["line"] for p in data["history"]["problems"]] == [6, 11, 12, 13, 15, 16, 17, 21, 22]
    assert data["history"]["unknown_ids"] == {"g1.kr5": "G1.KR3", "checkout conversion": None}


def test_cli_cycle_from_flags_and_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "okrcoach.toml"
    config.write_text('[cycle]\nstart = "2026-01-05"\nend = "2026-03-27"\n[checkin]\nstale-days = 30\n')
    base = ["checkin", str(DRAFT), "--history", str(CLEAN), "--date", "2026-02-12", "--format", "json"]
    assert cli([*base, "--config", str(config)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cycle"]["start"] == "2026-01-05"
    assert not any(kr["stale"] for kr in data["key_results"])  # 24 days is not stale at 30
    assert cli([*base, "--no-config", "--cycle-start", "2026-01-01", "--cycle-end", "2026-06-30"]) == 0
    assert json.loads(capsys.readouterr().out)["cycle"]["end"] == "2026-06-30"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--cycle-start", "2026-01-01"], "give both the cycle start and end"),
        (["--date", "someday"], "cannot read the date"),
        (["--cycle-start", "2026-03-01", "--cycle-end", "2026-01-01"], "before it starts"),
    ],
)
def test_cli_input_errors(extra: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        cli(["checkin", str(DRAFT), "--history", str(CLEAN), "--no-config", *extra])


@pytest.mark.parametrize("setting", ["stale-days = 0", 'stale-days = "two weeks"', 'day-first = "yes"'])
def test_cli_bad_checkin_settings(tmp_path: Path, setting: str) -> None:
    config = tmp_path / "okrcoach.toml"
    config.write_text(f"[checkin]\n{setting}\n")
    with pytest.raises(InputError, match=r"\[checkin\]"):
        cli(["checkin", str(DRAFT), "--history", str(CLEAN), "--config", str(config)])


def test_cli_needs_a_cycle(tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text(DRAFT.read_text(encoding="utf-8").replace("period: 2026-Q1\n", ""), encoding="utf-8")
    with pytest.raises(InputError, match="--cycle-start and --cycle-end"):
        cli(["checkin", str(draft), "--history", str(CLEAN), "--no-config"])


def test_cli_score(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["score", str(DRAFT), "--history", str(CLEAN), "--date", "2026-03-31", "--no-config"]
    assert cli(argv) == 0
    text = capsys.readouterr().out
    assert "G1.KR2  0.08" in text and "Overall 0.47 (low)" in text and "[retrospective]" in text
    assert cli([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "okrcoach.scorecard/1" and data["overall"] == 0.47
    assert cli([*argv, "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("# Scores — Growth, 2026-Q1")
