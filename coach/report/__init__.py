"""Renderers: a job's result in, text out. One module per format or per job; none of them decides anything.

Each job's report module has a FORMATS table (format name -> renderer) that its command's --format choices
are built from: coach.report.review for `review`, .baselines, .rewrite, .org, .checkin, .rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.knowledge import Passage


def citations() -> dict[str, Passage]:
    """Passages by id, for the citations each renderer prints."""
    from coach.knowledge import passages

    return passages()
