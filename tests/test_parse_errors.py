"""Every way a user can hand us something unreadable ends in one clear InputError, never a traceback."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

import coach.parse
from coach.formats import named
from coach.model import InputError
from coach.parse import FORMATS, detect_format, load, parse_bytes, parse_text

GOOD_YAML = b"objectives:\n  - objective: Make paying effortless\n    key_results: [Raise checkout to 75%]\n"


def error_of(call: object, *args: object, **kwargs: object) -> InputError:
    assert callable(call)
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.yaml", "yaml"),
        ("a.YML", "yaml"),
        ("a.md", "markdown"),
        ("a.markdown", "markdown"),
        ("objectives.mdx", "markdown"),
        ("a.csv", "csv"),
        ("a.tsv", "csv"),
        ("a.json", "json"),
        ("a.txt", None),
        ("README", None),
        ("dir.d/okrs", None),
    ],
)
def test_detect_format(name: str, expected: str | None) -> None:
    assert detect_format(name) == expected
    assert expected is None or expected in FORMATS


def test_file_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    assert str(error_of(load, str(missing))) == f"{missing}: no such file"
    assert str(error_of(load, str(tmp_path))) == f"{tmp_path}: is a directory, not a file"
    notes = tmp_path / "notes.txt"
    notes.write_bytes(GOOD_YAML)
    message = str(error_of(load, str(notes)))
    choices = "yaml|markdown|csv|json|xlsx"
    assert message == f"{notes}: cannot tell the format of {notes}; use --input-format {choices}"
    assert load(str(notes), "yaml").objectives[0].text == "Make paying effortless"
    assert load(str(notes), "YML").format == "yaml"
    assert "unknown input format 'docx'" in str(error_of(load, str(notes), "docx"))


TEXT_FORMATS = [fmt for fmt in FORMATS if not named(fmt).binary]  # a workbook's bad bytes: tests/test_xlsx.py
BAD_BYTES = [
    (b"", None, "file is empty"),
    (b"  \n\t\n", None, "file is empty"),
    (b"objectives:\n  - A\x00B\n", None, "looks like a binary file"),
    ("objectives: [A]\n".encode("utf-16"), None, "is UTF-16 text; save it as UTF-8"),
    (b"objectives:\n  - A\n  - caf\xe9\n", 3, "not valid UTF-8 at line 3 (byte 0xe9)"),
    (b"\xff\xfe\xfd", 1, "not valid UTF-8 at line 1 (byte 0xff)"),
    (b"\xef\xbb\xbf", None, "file is empty"),
]


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize(("data", "line", "message"), BAD_BYTES)
def test_bad_bytes(tmp_path: Path, fmt: str, data: bytes, line: int | None, message: str) -> None:
    error = error_of(parse_bytes, data, "draft", fmt)
    assert message in error.message
    assert error.line == line
    path = tmp_path / "draft.any"
    path.write_bytes(data)
    assert str(error_of(load, str(path), fmt)).startswith(str(path))


def test_bom_and_crlf_are_accepted() -> None:
    doc = parse_bytes(b"\xef\xbb\xbf" + GOOD_YAML.replace(b"\n", b"\r\n"), "draft.yaml", "yaml")
    assert doc.objectives[0].span.line == 2


def test_text_api_refuses_what_bytes_api_refuses() -> None:
    assert error_of(parse_text, "", "t.md", "markdown").message == "file is empty"
    assert "binary" in error_of(parse_text, "a\x00b", "t.md", "markdown").message
    assert "not valid Unicode at line 2" in error_of(parse_text, "a\n\udc80", "t.md", "markdown").message
    assert "unknown input format" in error_of(parse_text, "x", "t", "toml").message


def test_size_limit_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "huge.yaml"
    with open(big, "wb") as handle:  # a sparse 50 MB file: nothing is written but its size
        handle.truncate(50 * 1024 * 1024)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    with monkeypatch.context() as patch:
        patch.setattr(coach.parse, "open", no_reading, raising=False)
        error = error_of(load, str(big))
    assert str(error) == f"{big}: file is too large (50 MiB; the limit is 20 MiB)"
    small = tmp_path / "small.yaml"
    small.write_bytes(GOOD_YAML)
    assert "file is too large" in str(error_of(load, str(small), max_bytes=10))


def test_special_files_are_read_up_to_the_limit() -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    error = error_of(load, "/dev/zero", "yaml", max_bytes=1024)
    assert "over the 1 KiB limit" in error.message


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(GOOD_YAML))
    doc = load("-", "yaml")
    assert (doc.path, doc.objectives[0].span.file) == ("<stdin>", "<stdin>")
    assert (
        str(error_of(load, "-"))
        == "<stdin>: reading standard input needs --input-format yaml|markdown|csv|json|xlsx"
    )
    monkeypatch.setattr(sys, "stdin", _Stdin(b"x" * 101))
    assert (
        str(error_of(load, "-", "yaml", max_bytes=100)) == "<stdin>: input is larger than the 100 bytes limit"
    )
    monkeypatch.setattr(sys, "stdin", _Stdin(b"objectives: [\n"))
    assert str(error_of(load, "-", "yaml")).startswith("<stdin>:2:1: invalid YAML")


# One of each mistake in each format, read from a real file: the message names the file and the line.
MISTAKES = [
    ("bad.yaml", b"objectives:\n  - objective: A\n    key_results: [a\n", "bad.yaml:4:1: invalid YAML"),
    ("bad.json", b'{"objectives": [\n  {"objective": "A",}\n]}', "bad.json:2:21: invalid JSON"),
    (
        "shape.yaml",
        b"objectives:\n  - objective: A\n    key_results: nope\n",
        "shape.yaml:3:18: key_results must be a list, got a string",
    ),
    (
        "shape.json",
        b'{"objectives": {"A": "nope"}}',
        "shape.json:1:22: the key results of 'A' must be a list",
    ),
    (
        "cols.csv",
        b"Goal,Owner,Due\nA,B,C\n",
        "cols.csv:1: missing a key result column; found columns: Goal, Owner, Due",
    ),
    ("quote.csv", b'objective,kr\nA,"unclosed\n', "quote.csv:2: invalid CSV"),
    ("none.md", b"# Notes\n\nNothing here yet.\n", "none.md: no objectives found"),
    ("none.yaml", b"objectives: []\n", "none.yaml: no objectives found"),
    ("notext.yaml", b"objectives:\n  - owner: Sam\n", "notext.yaml:2:5: objective has no text"),
    ("notext.md", b"## O1: Grow\n- KR1:\n", "notext.md:2:3: key result has no text"),
    ("notext.csv", b"objective,kr\n,B\n", "notext.csv:2:1: key result has no objective"),
]


@pytest.mark.parametrize(("name", "data", "expected"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_mistakes_in_files(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    message = str(error_of(load, str(path)))
    assert message.startswith(str(tmp_path / expected.split(":")[0]))
    assert message.removeprefix(str(tmp_path) + os.sep).startswith(expected)
    assert "\n" not in message
