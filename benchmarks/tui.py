"""Live coaching in the TUI: how long the findings take to refresh after the typing debounce.

    python benchmarks/tui.py              # a typical 3-objective draft and a 50-objective one
    python benchmarks/tui.py --runs 50

The app runs headless (Textual's run_test, 120×40) on the draft; a key result is selected and its text
edited as typing does. Measured per keystroke, median of the runs:

1. keystroke: the edit reaching the draft, the tree label and the status line, plus the redraw;
2. review + render: what runs when the debounce fires — the rule review of the whole draft, the tree marks,
   the findings list, the cited passage and the status line — plus the redraw of the screen.

The goal (issue 8) is under 50 ms for (2), after the 300 ms debounce; the ratio to that goal is printed.
Figures only: nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.model import Document  # noqa: E402
from coach.parse import load  # noqa: E402
from tui.app import OkrCoachApp  # noqa: E402
from tui.engine import CoachEngine  # noqa: E402
from tui.widgets.editor import ElementEditor  # noqa: E402

GOAL_MS = 50.0


def big_draft(objectives: int) -> Document:
    """`objectives` objectives made from the example's three (about three key results each)."""
    base = load(str(ROOT / "examples" / "team-draft.yaml"))
    doc = copy.deepcopy(base)
    doc.objectives = []
    for index in range(objectives):
        objective = copy.deepcopy(base.objectives[index % len(base.objectives)])
        objective.id = f"o{index + 1}"
        objective.text = f"{objective.text} (team {index + 1})"
        for number, kr in enumerate(objective.key_results, 1):
            kr.id = f"o{index + 1}.{number}"
        doc.objectives.append(objective)
    return doc


async def measure(doc: Document, runs: int) -> tuple[float, float, int]:
    app = OkrCoachApp(CoachEngine(), document=doc, debounce=3600, autosave_interval=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.main
        target = doc.objectives[len(doc.objectives) // 2].key_results[-1]
        main.query_one("#outline").select_id(target.id)  # type: ignore[attr-defined]
        await pilot.pause()
        text = target.text
        keystroke, review = [], []
        for run in range(runs):
            text += "x" if run % 2 else " "
            started = time.perf_counter()
            main._text_edited(ElementEditor.TextEdited(target.id, text))
            app.screen._on_timer_update()  # the redraw, now rather than on the next frame
            keystroke.append((time.perf_counter() - started) * 1000)
            main.cancel_debounce()
            started = time.perf_counter()
            main.coach_now()
            app.screen._on_timer_update()
            review.append((time.perf_counter() - started) * 1000)
            await pilot.pause()
        return statistics.median(keystroke), statistics.median(review), len(doc.key_results())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    drafts = [
        ("typical draft (3 objectives)", load(str(ROOT / "examples" / "team-draft.yaml"))),
        ("large draft (50 objectives)", big_draft(50)),
    ]
    print(f"median of {args.runs} keystrokes, headless 120x40; goal: review + render under {GOAL_MS:.0f} ms")
    for label, doc in drafts:
        key_ms, review_ms, krs = asyncio.run(measure(doc, args.runs))
        print(
            f"{label}, {krs} key results: keystroke {key_ms:.1f} ms; review + render after the debounce "
            f"{review_ms:.1f} ms = {review_ms / GOAL_MS:.2f} of the {GOAL_MS:.0f} ms goal"
        )


if __name__ == "__main__":
    main()
