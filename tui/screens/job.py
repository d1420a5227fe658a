"""The base of the screens that run one job of the engine: the rewrite, the baselines and the check-in.

The job runs in a thread worker (a model call or a large export can take seconds) and posts Ready back to the
screen, which shows its progress widget meanwhile and stays responsive. A screen whose job needs a file asks
for it in a path field; a file that cannot be read asks again, with the reason.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from coach.model import InputError

ResultT = TypeVar("ResultT")


class JobScreen(ModalScreen[ResultT]):
    """Subclasses name their worker group and progress widget, and define job() and job_done()."""

    JOB: ClassVar[str]  # the worker group: a new job cancels the one still running
    PROGRESS: ClassVar[str]  # the selector of what shows while the job runs
    FAILURES: ClassVar[tuple[type[Exception], ...]] = (InputError,)  # what ends the job with a reason
    NOTE: ClassVar[str] = ""  # the selector of the Static that says what is going on
    PATH_INPUT: ClassVar[str] = ""  # the id of the path field, for a screen whose job needs a file

    class Ready(Message):
        """The job's result, or why there is none."""

        def __init__(self, result: Any, error: str | None) -> None:
            super().__init__()
            self.result = result
            self.error = error

    def job(self, *args: Any) -> Any:
        """The work itself; runs in the worker thread, so it reads only what the screen copied."""
        raise NotImplementedError

    async def job_done(self, result: Any, error: str | None) -> None:
        """Show the result, or the error (the progress widget is already hidden)."""
        raise NotImplementedError

    def failure(self, error: Exception) -> str:
        return str(error)

    def run_job(self, *args: Any) -> None:
        self.query_one(self.PROGRESS).display = True
        self.run_worker(partial(self._run, *args), name=self.JOB, group=self.JOB, exclusive=True, thread=True)

    def _run(self, *args: Any) -> None:
        try:
            result = self.job(*args)
        except self.FAILURES as error:
            self.post_message(self.Ready(None, self.failure(error)))
            return
        self.post_message(self.Ready(result, None))

    @on(Ready)
    async def _job_ready(self, message: Ready) -> None:
        self.query_one(self.PROGRESS).display = False
        await self.job_done(message.result, message.error)

    # -- asking for a file --------------------------------------------------------------------------------

    def ask_for_path(self, note: str) -> None:
        self.query_one(self.NOTE, Static).update(note)
        field = self.query_one(f"#{self.PATH_INPUT}", Input)
        field.display = True
        if self.app.is_headless:
            field.cursor_blink = False
        field.focus()

    def path_given(self, value: str) -> None:
        """The path field's text, once Enter is pressed in it."""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.PATH_INPUT and event.input.id == self.PATH_INPUT:
            event.stop()
            self.path_given(event.value)
