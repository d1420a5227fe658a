"""Workbooks are read, never written: every way a draft is written (rewrite --write, baselines --write, the
TUI's save) refuses a workbook with one line naming CSV, before anything is written.

Editing cells in place would have to keep every other sheet, style, formula and chart as it was; until that is
done and verified, a refusal is the safe answer.
"""

from __future__ import annotations

from typing import Any, NoReturn

from coach.formats import named
from coach.model import InputError

REFUSAL = "writing .xlsx is not supported: export to CSV"


def refuse(name: str) -> NoReturn:
    """The one-line InputError every write path gives for a workbook."""
    raise InputError(name, REFUSAL)


def refuse_binary(fmt: str, name: str) -> None:
    """Refuse before anything is read or written when `fmt` is a binary format (a workbook)."""
    known = named(fmt)
    if known is not None and known.binary:
        refuse(name)


def locate(lines: Any, targets: Any, name: str, *_: Any) -> NoReturn:
    """The format registry's locator for workbooks: there is no text to edit in place."""
    refuse(name)


def dump(*_: Any, **__: Any) -> NoReturn:
    """The format registry's dumper for workbooks."""
    from coach.write.dump import SerializeError

    raise SerializeError(REFUSAL)
