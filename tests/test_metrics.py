"""Reading metrics exports: both shapes, every value style, every bad row reported with its line."""

from __future__ import annotations

import codecs
import time
from datetime import date
from pathlib import Path

import pytest

from coach.baselines.metrics import MetricsFile, load_all, load_metrics
from coach.baselines.values import normalise_unit, parse_value, split_header
from coach.model import InputError

DATA = Path(__file__).parent / "data" / "metrics"
LONG, WIDE, EU = DATA / "bi-export.csv", DATA / "dashboard-export.csv", DATA / "support-eu.csv"


@pytest.mark.parametrize(
    ("text", "decimal_comma", "value", "unit"),
    [
        ("61%", False, 61.0, "%"),
        ("61.2 %", False, 61.2, "%"),
        ("$1,200", False, 1200.0, "$"),
        ("1,200.50", False, 1200.5, None),
        ("1.2k", False, 1200.0, None),
        ("132.4k", False, 132400.0, None),
        ("$3.4M", False, 3400000.0, "$"),
        ("2bn", False, 2e9, None),
        ("(120)", False, -120.0, None),
        ("($1,200)", False, -1200.0, "$"),
        ("-$120", False, -120.0, "$"),
        ("−5", False, -5.0, None),  # a typographic minus
        ("300 ms", False, 300.0, "ms"),
        ("2 days", False, 2.0, "days"),
        ("4 hours", False, 4.0, "h"),
        ("1 200", False, 1200.0, None),
        ("0,35", False, 0.35, None),  # a lone decimal comma is read as one
        ("€3,4", True, 3.4, "€"),
        ("3,4 €", True, 3.4, "€"),
        ("1.234,5", True, 1234.5, None),
        ("1.180", True, 1180.0, None),  # thousands in a ;-file
        ("1.5", True, 1.5, None),
        ("$1,200", True, 1.2, "$"),  # in a ;-file the comma is the decimal mark
        ("0", False, 0.0, None),
    ],
)
def test_parse_value(text: str, decimal_comma: bool, value: float, unit: str | None) -> None:
    assert parse_value(text, decimal_comma=decimal_comma) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty value"),
        ("   ", "empty value"),
        ("n/a", "'n/a' is not a number"),
        ("N/A", "'N/A' is not a number"),
        ("#DIV/0!", "'#DIV/0!' is not a number"),
        ("-", "'-' is not a number"),
        ("TBD", "'TBD' is not a number"),
        ("about 40", "'about 40' is not a number"),
        ("1,2,3", "'1,2,3' is not a number"),
        ("12 (est.)", "'12 (est.)' is not a number"),
    ],
)
def test_parse_value_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message.replace('(', '[(]').replace(')', '[)]')}$"):
        parse_value(text)


@pytest.mark.parametrize(
    ("header", "name", "unit"),
    [
        ("Checkout completion (%)", "Checkout completion", "%"),
        ("MRR ($)", "MRR", "$"),
        ("p95 latency ms", "p95 latency", "ms"),
        ("Resolution time [hours]", "Resolution time", "h"),
        ("Revenue in EUR", "Revenue", "€"),
        ("Tickets (count)", "Tickets", None),
        ("Sign-ups", "Sign-ups", None),
        ("Plan B", "Plan B", None),  # single letters are never taken for a unit
    ],
)
def test_split_header(header: str, name: str, unit: str | None) -> None:
    assert split_header(header) == (name, unit)


def test_normalise_unit() -> None:
    assert [normalise_unit(u) for u in ("Percent", "USD", "milliseconds", "count", None, "widgets")] == [
        "%",
        "$",
        "ms",
        None,
        None,
        "widgets",
    ]


# -- the three shipped exports ----------------------------------------------------------------------------


def test_long_export() -> None:
    m = load_metrics(LONG)
    assert m.shapes == {str(LONG): "long"}
    assert set(m.series) == {
        "Registrations [Growth]",
        "Registrations [Partnerships]",  # one metric, two teams: two series
        "Weekly active users",
        "Monthly active users",
        "Retained customers",
        "Median resolution time",
        "Net Promoter Score",
    }
    registrations = m.series["Registrations [Growth]"]
    assert (registrations.metric, registrations.team, registrations.unit) == ("Registrations", "Growth", None)
    assert [p.date for p in registrations.points] == sorted(p.date for p in registrations.points)
    last = registrations.points[-1]
    assert (last.date, last.value, last.line) == (date(2026, 7, 6), 1052.0, 149)
    assert m.series["Retained customers"].unit == "%"
    assert m.series["Median resolution time"].unit == "h"


def test_wide_export_with_bom_units_and_two_date_formats() -> None:
    m = load_metrics(WIDE)
    assert m.shapes == {str(WIDE): "wide"}
    assert {name: s.unit for name, s in m.series.items()} == {
        "Checkout completion": "%",
        "MRR": "$",
        "p95 latency": "ms",
    }
    mrr = m.series["MRR"].points
    assert (mrr[0].date, mrr[0].value, mrr[0].line) == (date(2026, 1, 5), 100200.0, 2)  # "05/01/2026"
    assert (mrr[1].value, mrr[-1].value) == (101900.0, 132400.0)  # "101.9k", "132.4k"
    assert mrr[-1].date == date(2026, 6, 29)  # ISO in the later rows
    assert len(m.series["Checkout completion"].points) == 26  # the duplicate week counted once


def test_semicolon_export_with_decimal_commas() -> None:
    m = load_metrics(EU)
    tickets, refunds, order = (
        m.series[n].points for n in ("Support tickets", "Refund rate", "Average order value")
    )
    assert (tickets[-1].date, tickets[-1].value) == (date(2026, 6, 29), 1180.0)  # "1.180"
    assert refunds[-1].value == 3.4 and m.series["Refund rate"].unit == "%"  # "3,4"
    assert order[-1].value == 42.45 and m.series["Average order value"].unit == "€"  # "€42,45"
    assert m.problems == []


@pytest.mark.parametrize(
    ("file", "line", "message"),
    [
        (LONG, 11, "'2026-02-30' is not a real date"),
        (LONG, 34, "'n/a' is not a number (Retained customers)"),
        (LONG, 52, "empty value (Weekly active users)"),
        (LONG, 63, "Median resolution time: unit 'min' differs from the series' unit 'h'"),
        (LONG, 101, "Weekly active users on 2026-05-04: row 104 gives another value for the same date"),
        (LONG, 152, "cannot read the date 'Q2 total'"),
        (WIDE, 8, "empty value (p95 latency)"),
        (WIDE, 15, "'n/a' is not a number (MRR)"),
        (WIDE, 26, "Checkout completion on 2026-06-22: row 27 gives another value"),
    ],
)
def test_every_bad_row_is_reported_with_its_line(file: Path, line: int, message: str) -> None:
    m = load_all([LONG, WIDE, EU])
    hits = [p for p in m.problems if p.file == str(file) and p.line == line]
    assert len(hits) == 1 and message in hits[0].message, m.problems
    assert str(hits[0]).startswith(f"{file}:{line}: skipped: ")


def test_bad_rows_are_skipped_and_nothing_else() -> None:
    m = load_all([LONG, WIDE, EU])
    assert len(m.problems) == 9
    wau = {p.date: p for p in m.series["Weekly active users"].points}
    assert wau[date(2026, 5, 4)].value == 10910.0 and wau[date(2026, 5, 4)].line == 104  # the later row
    assert date(2026, 3, 2) not in wau  # the empty one
    resolution = m.series["Median resolution time"].points
    assert all(p.unit == "h" for p in resolution) and len(resolution) == 26  # the minutes row is out
    completion = {p.date: p.value for p in m.series["Checkout completion"].points}
    assert completion[date(2026, 6, 22)] == 61.0


# -- header shapes and synonyms ---------------------------------------------------------------------------


def _write(tmp_path: Path, text: str, name: str = "m.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("header", "row", "shape"),
    [
        ("date,metric,value", "2026-06-30,Sign-ups,120", "long"),
        ("Day,KPI,Amount,Unit,Team", "2026-06-30,Sign-ups,120,,Growth", "long"),
        ("period;measure;val", "2026-06-30;Sign-ups;120", "long"),
        ("Timestamp\tSeries\tCount", "2026-06-30T08:00:00Z\tSign-ups\t120", "long"),
        ("Week,Sign-ups,Notes", "2026-06-30,120,launch week", "wide"),
        ("Month,Sign-ups", "2026-06,120", "wide"),
        ("Report date|Sign-ups", "30 Jun 2026|120", "wide"),
    ],
)
def test_header_shapes_and_synonyms(tmp_path: Path, header: str, row: str, shape: str) -> None:
    m = load_metrics(_write(tmp_path, f"{header}\n{row}\n"))
    assert m.shapes[str(tmp_path / "m.csv")] == shape
    assert m.problems == []
    points = m.series["Sign-ups"].points
    assert [(p.date, p.value, p.line) for p in points] == [(date(2026, 6, 30), 120.0, 2)]


def test_day_first_and_month_first(tmp_path: Path) -> None:
    path = _write(tmp_path, "date,Sign-ups\n02/03/2026,1\n13/03/2026,2\n")
    assert [p.date for p in load_metrics(path).series["Sign-ups"].points] == [
        date(2026, 3, 2),
        date(2026, 3, 13),
    ]
    month_first = load_metrics(path, day_first=False).series["Sign-ups"].points
    assert [p.date for p in month_first] == [date(2026, 2, 3), date(2026, 3, 13)]


def test_same_value_twice_is_not_a_problem_and_majority_unit_wins(tmp_path: Path) -> None:
    text = "date,metric,value,unit\n2026-06-01,Latency,300,ms\n2026-06-01,Latency,300,ms\n"
    text += "2026-06-08,Latency,0.31,s\n2026-06-15,Latency,290,ms\n# a comment row\n2026-06-22,Latency,280,\n"
    m = load_metrics(_write(tmp_path, text))
    assert [str(p) for p in m.problems] == [
        f"{tmp_path / 'm.csv'}:4: skipped: Latency: unit 's' differs from the series' unit 'ms'"
    ]
    assert [p.value for p in m.series["Latency"].points] == [300.0, 290.0, 280.0]


def test_several_files_merge_and_the_later_file_wins(tmp_path: Path) -> None:
    first = _write(tmp_path, "date,Sign-ups\n2026-06-01,100\n2026-06-08,110\n", "a.csv")
    second = _write(
        tmp_path, "date,metric,value\n2026-06-08,Sign-ups,112\n2026-06-15,Sign-ups,118\n", "b.csv"
    )
    m = load_all([first, second])
    assert [p.value for p in m.series["Sign-ups"].points] == [100.0, 112.0, 118.0]
    assert len(m.problems) == 1 and m.problems[0].file == str(first) and m.problems[0].line == 3
    assert f"row 2 of {second}" in m.problems[0].message
    assert m.files == [str(first), str(second)]


# -- files that cannot be read at all ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"", None, "metrics file is empty"),
        (b"  \n\n", None, "metrics file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "binary file"),
        (codecs.BOM_UTF16_LE + "date,value\n".encode("utf-16-le"), None, "UTF-16"),
        ("date,Umsatz (€)\n2026-06-30,12\n".encode("cp1252"), 1, "not UTF-8"),
        (b"metric,value\nSign-ups,12\n", 1, "no date column"),
        (b"# exported 2026-07-01\n\nname,amount\nSign-ups,12\n", 3, "no date column"),
        (b"date,metric\n2026-06-30,Sign-ups\n", 1, "no value column"),
        (b"date,notes\n2026-06-30,hello\n", 1, "no value columns"),
        (b"# only a comment\n", None, "no header row"),
    ],
)
def test_unreadable_files_are_one_clear_error(
    tmp_path: Path, content: bytes, line: int | None, message: str
) -> None:
    path = tmp_path / "metrics.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        load_metrics(path)
    assert caught.value.file == str(path)
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(str(path))


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_metrics(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="directory"):
        load_metrics(tmp_path)


def test_bad_bytes_far_into_a_streamed_file_name_their_line(tmp_path: Path) -> None:
    rows = "".join(f"2026-06-{1 + i % 28:02d},m{i % 50},{i}\n" for i in range(5000))
    data = b"date,metric,value\n" + rows.encode() + "2026-06-30,Umsatz,12 €\n".encode("cp1252")
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        load_metrics(path)
    assert caught.value.line == 5002 and "not UTF-8" in caught.value.message


def test_a_large_export_streams(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("date,metric,value,unit\n")
        for day in range(365):
            stamp = date.fromordinal(date(2025, 7, 1).toordinal() + day).isoformat()
            handle.writelines(f"{stamp},metric {k},{day + k}.5,%\n" for k in range(300))
    started = time.perf_counter()
    m: MetricsFile = load_metrics(path)
    elapsed = time.perf_counter() - started
    assert m.rows == 365 * 300 and len(m.series) == 300 and not m.problems
    assert m.series["metric 7"].points[-1].value == 371.5
    assert elapsed < 30  # generous: a guard against quadratic work, not a benchmark
