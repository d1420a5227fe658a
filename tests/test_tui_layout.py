"""The TUI's layout holds: no import cycle among its modules (the screens reach the app through tui.host,
never by importing tui.app), and every module stays under 450 lines."""

from __future__ import annotations

import itertools
from pathlib import Path

import grimp

TUI = Path(__file__).resolve().parent.parent / "tui"


def test_no_tui_module_imports_back_what_imports_it() -> None:
    # grimp counts every import: those inside functions and under TYPE_CHECKING too.
    graph = grimp.build_graph("tui", cache_dir=None)
    modules = sorted(m for m in graph.modules if m.startswith("tui"))
    cycles = [
        (a, b)
        for a, b in itertools.combinations(modules, 2)
        if graph.chain_exists(importer=a, imported=b) and graph.chain_exists(importer=b, imported=a)
    ]
    assert cycles == []
    assert not any(graph.chain_exists(importer=m, imported="tui.app") for m in modules if m != "tui.app")


def test_every_tui_module_is_under_450_lines() -> None:
    lengths = {str(path.relative_to(TUI)): len(path.read_text().splitlines()) for path in TUI.rglob("*.py")}
    assert {name: n for name, n in lengths.items() if n >= 450} == {}
