"""write_atomic given UTF-8 pieces (a streamed report) keeps the guarantees it gives for whole text."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.io import write_atomic
from coach.model import InputError


def _pieces(*parts: str) -> Iterator[bytes]:
    for part in parts:
        yield part.encode("utf-8")


def _failing(after: int) -> Iterator[bytes]:
    """Pieces that stop with the UnicodeEncodeError a report with a lone surrogate raises while rendered."""
    for _ in range(after):
        yield b"piece\n"
    "\ud800".encode()


def test_pieces_give_the_same_file_as_the_text(tmp_path: Path) -> None:
    whole, streamed = tmp_path / "whole.json", tmp_path / "streamed.json"
    write_atomic(whole, '{\n  "é": 1\n}\n')
    write_atomic(streamed, _pieces("{\n", '  "é": 1', "\n}\n"))
    assert streamed.read_bytes() == whole.read_bytes()
    assert (streamed.stat().st_mode & 0o777) == (whole.stat().st_mode & 0o777)


def test_a_failing_stream_leaves_the_file_and_no_temporary(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("old\n")
    with pytest.raises(InputError) as caught:
        write_atomic(report, _failing(3))
    assert "cannot be encoded as UTF-8 (surrogates not allowed)" in str(caught.value)
    assert report.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_new_file_is_not_created_by_a_failing_stream(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        write_atomic(tmp_path / "report.json", _failing(1))
    assert list(tmp_path.iterdir()) == []


def test_pieces_through_a_symlink_and_to_a_hard_linked_file(tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(link, _pieces("new", "\n"))
    assert link.is_symlink() and target.read_text() == "new\n"
    other = tmp_path / "other.json"
    os.link(target, other)
    write_atomic(target, _pieces("again", "\n"))
    assert other.read_text() == "again\n"
    with pytest.raises(InputError):
        write_atomic(target, _failing(2))
    assert other.read_text() == "again\n"


def test_a_read_only_file_is_refused_before_the_stream_is_read(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("old\n")
    report.chmod(0o444)
    read: list[int] = []

    def pieces() -> Iterator[bytes]:
        read.append(1)
        yield b"new\n"

    with pytest.raises(InputError, match="read-only"):
        write_atomic(report, pieces())
    assert read == [] and report.read_text() == "old\n"
