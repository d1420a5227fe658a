"""The JSON report is written piece by piece (orjson where installed) and reads exactly as the one
`json.dumps(review_dict(...), indent=2, ensure_ascii=False)` gives, byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.engine import Review, review
from coach.model import Document, Finding, KeyResult, Objective, Severity, Span
from coach.parse.csv import cell_starts
from coach.report import json as report_json
from coach.report.json import json_chunks, render_json, review_dict

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("team-draft.*"))


def _reference(result: Review) -> str:
    return json.dumps(review_dict(result), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("draft", EXAMPLES, ids=lambda p: p.suffix)
def test_examples_read_as_json_dumps_writes_them(draft: Path) -> None:
    result = review([str(draft)])
    assert render_json(result) == _reference(result)


def _odd_review(values: list[object], text: str = "Raise NPS from 30 to 40") -> Review:
    krs = []
    for index, value in enumerate(values):
        kr = KeyResult(f"KR{index}", text, Span("odd.yaml", index + 2, 3), owner="Sam")
        kr.baseline = value  # type: ignore[assignment]
        kr.confidence = 0.7
        krs.append(kr)
    objective = Objective("O1", "Delight — “quoted” \u2028 \x00 \x7f", Span("odd.yaml", 1), key_results=krs)
    doc = Document("odd.yaml", "yaml", [objective], team="Ünïcode 😀")
    finding = Finding("KR001", "task-like-kr", Severity.WARNING, 'say "why"\n\ttab', Span("odd.yaml", 2, 3))
    return Review(documents=[doc, Document("empty.yaml", "yaml")], findings=[finding])


@pytest.mark.parametrize(
    "values",
    [
        [0.1, 1e-4, 0.0, -0.0, 1e16, 1e300, 1 / 3, 100.0, 5, "61%"],
        [1e-5],  # orjson: 0.00001
        [1.5e-7],  # orjson: 1.5e-7
        [float("nan")],  # orjson: null
        [float("inf"), -float("inf")],
        [2**70],  # orjson refuses it
        ["\ud800 a lone surrogate, from a JSON draft's escape"],
    ],
)
def test_values_orjson_writes_differently_go_to_json_dumps(values: list[object]) -> None:
    result = _odd_review(values)
    assert render_json(result) == _reference(result)


def test_without_orjson_the_standard_library_writes_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    result = review([str(ROOT / "examples" / "team-draft.yaml")])
    expected = render_json(result)
    monkeypatch.setattr(report_json, "orjson", None)
    assert render_json(result) == expected == _reference(result)


def test_an_empty_review() -> None:
    assert render_json(Review()) == _reference(Review())


def test_the_report_comes_in_pieces_of_one_objective() -> None:
    result = review([str(ROOT / "examples" / "team-draft.yaml")])
    chunks = list(json_chunks(result))
    objectives = result.documents[0].objectives
    assert len(chunks) > len(objectives) + len(result.findings)
    assert max(len(c) for c in chunks) < len(render_json(result).encode()) / 2


def test_cli_streams_the_same_text(tmp_path: Path) -> None:
    draft = ROOT / "examples" / "team-draft.csv"
    run = subprocess.run(
        [sys.executable, "-m", "coach.cli", "review", str(draft), "--no-config", "-f", "json"],
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    assert run.stdout.decode("utf-8") == render_json(review([str(draft)]))


@pytest.mark.parametrize("record", ["a,b,c", " a, \tb ,  ", "", ",,", "x\r", "\u00a0é,\u2003z", "a;b\tc"])
def test_cell_starts_of_plain_records_as_the_general_path_finds_them(record: str) -> None:
    for delimiter in (",", ";", "\t"):
        plain = cell_starts(record, 3, delimiter)
        # A quoted empty first cell sends the record down the general path; the rest shifts by its width.
        general = cell_starts('""' + delimiter + record, 3, delimiter)[1:]
        assert plain == [(line, col - 2 - len(delimiter)) for line, col in general]


@pytest.mark.parametrize(
    "value",
    [
        {"similarity": 0.3, "share": 1e-5, "nested": [{"x": float("nan")}, (1.5e-7, 2)], "big": 2**80},
        {"text": "«ok» \u2028", "n": [1, 2.5, None, True], "empty": {}, "none": []},
    ],
)
def test_dumps_is_json_dumps_indented(value: object) -> None:
    assert report_json.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_sarif_reads_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.report import sarif

    result = review([str(ROOT / "examples" / "team-draft.md")])
    fast = sarif.render_sarif(result)
    monkeypatch.setattr(sarif, "dumps", lambda value: json.dumps(value, indent=2, ensure_ascii=False))
    assert fast == sarif.render_sarif(result)


def test_a_lone_surrogate_is_refused_by_the_stream_as_stdout_refused_it() -> None:
    result = _odd_review(["\udc80"])
    assert "\udc80" in render_json(result)
    with pytest.raises(UnicodeEncodeError):
        b"".join(json_chunks(result))


def test_cli_writes_the_report_whole_to_a_stdout_of_another_encoding() -> None:
    draft = ROOT / "examples" / "team-draft.yaml"
    run = subprocess.run(
        [sys.executable, "-m", "coach.cli", "review", str(draft), "--no-config", "-f", "json"],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-16"},
        check=False,
    )
    assert run.stdout.decode("utf-16") == render_json(review([str(draft)]))


def test_the_json_report_is_streamed_to_any_utf8_stdout_and_to_o_alike(tmp_path: Path) -> None:
    # Under a C.UTF-8 locale stdout's errors are "surrogateescape": the report is still streamed in UTF-8
    # pieces (a 100,000-KR review peaked at 937 MB when it was built whole instead), with the same bytes.
    import io

    from coach.cli.review import _utf8_stdout_errors

    for errors in ("strict", "surrogateescape"):
        stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors)
        saved, sys.stdout = sys.stdout, stream
        try:
            assert _utf8_stdout_errors() == errors
        finally:
            sys.stdout = saved
    draft = Path(__file__).resolve().parent.parent / "examples" / "team-draft.yaml"
    outputs = []
    for encoding in ("utf-8:strict", "utf-8:surrogateescape"):
        run = subprocess.run(
            [sys.executable, "-m", "coach.cli", "review", str(draft), "-f", "json", "--no-config"],
            capture_output=True,
            env={**os.environ, "PYTHONIOENCODING": encoding},
        )
        outputs.append(run.stdout)
    written = tmp_path / "report.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "coach.cli",
            "review",
            str(draft),
            "-f",
            "json",
            "--no-config",
            "-o",
            str(written),
        ],
        check=False,
    )
    assert outputs[0] == outputs[1] == written.read_bytes()
    assert json.loads(outputs[0])["documents"]
