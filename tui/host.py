"""What the screens need of the app, as a protocol: screens import this module, never tui.app.

tui.app.OkrCoachApp is the one host; the screens reach it as `self.app` and read it through this type, so
that the app may import every screen without the screens importing the app back.
"""

from __future__ import annotations

from typing import Protocol

from tui.engine import CoachEngine
from tui.state import Draft


class CoachHost(Protocol):
    engine: CoachEngine
    draft: Draft
    debounce: float  # seconds of quiet typing before the rules run again
    checkin_history: str | None  # the history the check-in screen last read, offered again next time

    def initial_selection(self) -> str | None: ...

    def file_label(self) -> str: ...

    def save_state(self) -> tuple[str, list[str]]: ...

    def begin_burst(self, element_id: str, field: str) -> None: ...

    def end_burst(self) -> None: ...

    def changed(self) -> None: ...

    def apply_text(self, element_id: str, text: str, *, expected: str | None = None) -> bool: ...
