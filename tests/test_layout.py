"""The layout docs/ARCHITECTURE.md describes holds: no import cycle in coach or tui (imports inside
functions and under TYPE_CHECKING counted, as grimp reads them), no module over 450 lines, and a top level of
coach/ that keeps only the shared vocabulary and plumbing."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 450
TOP_LEVEL = {"__init__", "config", "dates", "engine", "formats", "io", "lexicon", "model", "prompts"}
TOP_LEVEL |= {"resources", "units"}


def _cycles(graph: grimp.ImportGraph, package: str) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & set(modules)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return groups


@pytest.mark.parametrize("package", ["coach", "tui"])
def test_no_import_cycles(package: str) -> None:
    graph = grimp.build_graph(package, cache_dir=None)
    assert _cycles(graph, package) == []


def test_no_module_is_over_450_lines() -> None:
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for folder in ("coach", "tui")
        for path in (ROOT / folder).rglob("*.py")
    }
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}


def test_the_top_level_of_coach_keeps_only_shared_vocabulary_and_plumbing() -> None:
    modules = {path.stem for path in (ROOT / "coach").glob("*.py")}
    assert modules == TOP_LEVEL and len(modules) <= 12
