"""Writing text edits into a workbook's cells (coach.write.xlsx.write_cells through write_edits): only the
edited cells change, every other sheet, style, formula and merged range is kept, the result reads back as
the draft with only the edited texts changed, and what openpyxl would not keep is refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill

from coach.config import Config
from coach.model import Document, InputError
from coach.parse import load
from coach.rewrite import rewrite_document
from coach.rewrite.answers import Answer
from coach.write.edits import Edit, write_edits

OBJECTIVE = "Get new teams to value faster so they stay with us"


def workbook(path: Path, *, merged: bool = True) -> Path:
    """Two sheets: the OKRs (a bold, filled header cell; the objective merged over its two key results'
    rows, or repeated on each) and a sheet of sums with a formula."""
    book = Workbook()
    okrs = book.active
    okrs.title = "Onboarding"
    okrs.append(["Objective", "Key Result", "Owner"])
    okrs.append([OBJECTIVE, "Raise NPS to 40", "Ana"])
    okrs.append([None if merged else OBJECTIVE, "Cut setup time from 3 days to 1 day", "Ana"])
    if merged:
        okrs.merge_cells("A2:A3")
    okrs["A1"].font = Font(bold=True, color="FF0000")
    okrs["A1"].fill = PatternFill("solid", fgColor="FFFF00")
    sums = book.create_sheet("Sums")
    sums.append(["Teams", 12])
    sums.append(["Doubled", "=B1*2"])
    book.save(path)
    return path


def _nps_edit(path: Path) -> tuple[Document, Edit]:
    """The rewrite of "Raise NPS to 40" that the team's baseline completes: a plain text edit."""
    doc = load(str(path))
    report = rewrite_document(doc, Config(), answers={"O1.KR1": Answer(baseline="31")})
    (p,) = [p for p in report.proposals if p.target == "O1.KR1"]
    assert (p.text, p.initiative) == ("Raise NPS from 31 to 40", "")
    return doc, Edit(p.target, p.span, p.draft, p.text)


def _texts(doc: Document) -> list[tuple[str, str]]:
    return [(e.id, e.text) for o in doc.objectives for e in (o, *o.key_results)]


def test_a_rewrite_changes_only_its_cell_and_reads_back(tmp_path: Path) -> None:
    path = workbook(tmp_path / "okrs.xlsx")
    before_bytes = path.read_bytes()
    before, edit = _nps_edit(path)
    backup = write_edits(str(path), "xlsx", [edit])
    assert backup == tmp_path / "okrs.xlsx.bak" and backup.read_bytes() == before_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["okrs.xlsx", "okrs.xlsx.bak"]  # no temporary left
    old, new = load_workbook(io.BytesIO(before_bytes)), load_workbook(path)
    assert new["Onboarding"]["B2"].value == "Raise NPS from 31 to 40"
    assert new.sheetnames == old.sheetnames == ["Onboarding", "Sums"]
    for title in new.sheetnames:
        cells = {c.coordinate: c.value for row in new[title].iter_rows() for c in row}
        was = {c.coordinate: c.value for row in old[title].iter_rows() for c in row}
        changed = {at for at in cells.keys() | was.keys() if cells.get(at) != was.get(at)}
        assert changed == ({"B2"} if title == "Onboarding" else set())
    assert new["Sums"]["B2"].value == "=B1*2"  # still a formula
    header = new["Onboarding"]["A1"]
    assert header.font.b and header.font.color.rgb == "00FF0000" and header.fill.fgColor.rgb == "00FFFF00"
    assert [str(r) for r in new["Onboarding"].merged_cells.ranges] == ["A2:A3"]
    # the round trip: the draft read again differs only in that key result's text
    after = load(str(path))
    nps = "Raise NPS from 31 to 40"
    assert _texts(after) == [(i, nps if i == "O1.KR1" else t) for i, t in _texts(before)]
    before.objectives[0].key_results[0].text = "Raise NPS from 31 to 40"
    assert after == before


@pytest.mark.parametrize("merged", [True, False])
def test_an_objective_is_rewritten_in_its_merged_cell_or_on_each_of_its_rows(
    tmp_path: Path, merged: bool
) -> None:
    path = workbook(tmp_path / "okrs.xlsx", merged=merged)
    doc = load(str(path))
    objective = doc.objectives[0]
    new_text = "Get new teams to their first win in a week"
    write_edits(str(path), "xlsx", [Edit(objective.id, objective.span, objective.text, new_text)])
    sheet = load_workbook(path)["Onboarding"]
    assert (sheet["A2"].value, sheet["A3"].value) == (new_text, None if merged else new_text)
    after = load(str(path))
    assert [o.text for o in after.objectives] == [new_text]
    assert [kr.text for kr in after.key_results()] == [kr.text for kr in doc.key_results()]


def _chart(path: Path) -> None:
    book = load_workbook(path)
    sums = book["Sums"]
    chart = BarChart()
    chart.add_data(Reference(sums, min_col=2, min_row=1, max_row=1))
    sums.add_chart(chart, "D2")
    book.save(path)


def _chart_sheet(path: Path) -> None:
    book = load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(book["Sums"], min_col=2, min_row=1, max_row=1))
    book.create_chartsheet("Chart").add_chart(chart)
    book.save(path)


@pytest.mark.parametrize(("add", "says"), [(_chart, "charts"), (_chart_sheet, "chart sheets")])
def test_a_workbook_openpyxl_would_not_keep_whole_is_refused(tmp_path: Path, add: object, says: str) -> None:
    path = workbook(tmp_path / "okrs.xlsx")
    add(path)  # type: ignore[operator]
    before = path.read_bytes()
    _, edit = _nps_edit(path)
    with pytest.raises(InputError) as caught:
        write_edits(str(path), "xlsx", [edit])
    message = str(caught.value)
    assert "\n" not in message and f"openpyxl cannot keep this workbook's {says}" in message
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["okrs.xlsx"]


def test_an_image_part_is_refused(tmp_path: Path) -> None:
    """A drawing part (what an image, a chart or a shape lives in) is refused even where openpyxl reads
    nothing of it (openpyxl needs Pillow to read an image)."""
    path = workbook(tmp_path / "okrs.xlsx")
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for part in source.infolist():
            target.writestr(part, source.read(part.filename))
        target.writestr("xl/drawings/drawing1.xml", "<xdr:wsDr/>")
        target.writestr("xl/media/image1.png", b"\x89PNG")
    path.write_bytes(out.getvalue())
    before = path.read_bytes()
    _, edit = _nps_edit(path)
    with pytest.raises(InputError, match=r"workbook's drawings \(charts, images or shapes\)"):
        write_edits(str(path), "xlsx", [edit])
    assert path.read_bytes() == before and not (tmp_path / "okrs.xlsx.bak").exists()


def test_a_cell_changed_since_it_was_read_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "okrs.xlsx")
    _, edit = _nps_edit(path)
    book = load_workbook(path)
    book["Onboarding"]["B2"] = "Raise NPS to 45"  # someone edited the workbook meanwhile
    book.save(path)
    before = path.read_bytes()
    with pytest.raises(InputError, match="the file changed since it was read"):
        write_edits(str(path), "xlsx", [edit])
    assert path.read_bytes() == before and not (tmp_path / "okrs.xlsx.bak").exists()


def test_a_formula_in_the_edited_cell_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "okrs.xlsx")
    book = load_workbook(path)
    book["Onboarding"]["B3"] = '="Cut setup time"'
    book.save(path)
    # a spreadsheet application saves the formula's value with it: put it into the cell's XML
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                start = text.index('<c r="B3"')
                end = text.index("</c>", start)
                cell = text[start:end].replace('<c r="B3"', '<c r="B3" t="str"').replace("<v />", "")
                data = (text[:start] + cell + "<v>Cut setup time</v>" + text[end:]).encode("utf-8")
            target.writestr(part, data)
    path.write_bytes(out.getvalue())
    kr = load(str(path)).key_results()[1]
    assert kr.text == "Cut setup time"
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"O1\.KR2: Onboarding!B3 holds a formula"):
        write_edits(str(path), "xlsx", [Edit(kr.id, kr.span, kr.text, "Cut setup time from 3 days to 1 day")])
    assert path.read_bytes() == before


def test_no_edits_leave_the_workbook_untouched(tmp_path: Path) -> None:
    path = workbook(tmp_path / "okrs.xlsx")
    before = path.read_bytes()
    write_edits(str(path), "xlsx", [])
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["okrs.xlsx"]


def test_rewrite_write_puts_the_answered_text_in_its_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from coach.cli import main

    for name in ("OKRCOACH_MODEL", "OKRCOACH_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OKRCOACH_CACHE_DIR", str(tmp_path / "cache"))
    path = workbook(tmp_path / "okrs.xlsx")
    answers = tmp_path / "answers.yaml"
    answers.write_text("O1.KR1: {baseline: 31}\n", encoding="utf-8")
    assert main(["rewrite", str(path), "--answers", str(answers), "--write", "--no-config"]) == 0
    assert "wrote 1 rewrite to" in capsys.readouterr().out
    assert load_workbook(path)["Onboarding"]["B2"].value == "Raise NPS from 31 to 40"
    assert load_workbook(path)["Sums"]["B2"].value == "=B1*2"
