"""The screens reach the app through tui.host, never by importing tui.app. (No cycles and module sizes:
tests/test_layout.py, for coach and tui alike.)"""

from __future__ import annotations

import grimp


def test_nothing_imports_the_app_back() -> None:
    # grimp counts every import: those inside functions and under TYPE_CHECKING too.
    graph = grimp.build_graph("tui", cache_dir=None)
    modules = sorted(m for m in graph.modules if m.startswith("tui"))
    assert not any(graph.chain_exists(importer=m, imported="tui.app") for m in modules if m != "tui.app")
