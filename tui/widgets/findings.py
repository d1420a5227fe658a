"""The findings for the selected element (severity, code, message) and the passage the highlighted one cites.

Severity is said in words and colour ("warning KR002 ..."): readable without colour, and the colours are
the theme's `text-*` variables, which Textual tints for contrast on light and dark backgrounds.
"""

from __future__ import annotations

import re

from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coach.knowledge import Passage
from coach.model import Finding, Severity

SEVERITY_STYLE = {
    Severity.ERROR: "bold $text-error",
    Severity.WARNING: "bold $text-warning",
    Severity.SUGGESTION: "bold $text-primary",
}


def finding_content(finding: Finding, *, with_passage: bool = False) -> Content:
    parts: list[tuple[str, str] | str] = [
        (f"{finding.severity.value} {finding.code}", SEVERITY_STYLE[finding.severity]),
        " ",
        finding.message,
    ]
    if with_passage and finding.passage:
        parts += [" ", (f"[{finding.passage}]", "$text-muted")]
    return Content.assemble(*parts)


class FindingsList(OptionList):
    """One option per finding; highlighting one shows the passage it cites."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.findings: list[Finding] = []
        self._shown: list[tuple[str, str, str]] | None = None

    def show(self, findings: list[Finding]) -> None:
        keys = [(f.code, f.message, f.severity.value) for f in findings]
        if keys == self._shown:
            self.findings = findings
            return
        previous = self.highlighted
        self.findings, self._shown = findings, keys
        self.clear_options()
        if findings:
            self.add_options(Option(finding_content(f), id=str(i)) for i, f in enumerate(findings))
            self.highlighted = min(previous or 0, len(findings) - 1)
        else:
            self.add_option(
                Option(
                    Content.styled("✓ No findings: the coach has nothing to add here.", "$text-success"),
                    disabled=True,
                )
            )

    @property
    def current(self) -> Finding | None:
        index = self.highlighted
        if index is None or not self.findings or index >= len(self.findings):
            return None
        return self.findings[index]


class PassageView(Static):
    """The knowledge passage a finding cites: id, title, source and text."""

    def show(self, passage: Passage | None, finding: Finding | None = None) -> None:
        if passage is None:
            text = "Highlight a finding to read the practice it is based on." if finding is None else ""
            self.update(Content.styled(text, "$text-muted"))
            return
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", passage.text) if p.strip()]
        body = "\n\n".join(paragraphs)
        self.update(
            Content.assemble(
                (f"[{passage.id}] ", "$text-accent"),
                (passage.title, "bold"),
                "\n",
                (passage.source, "italic $text-muted"),
                "\n\n",
                body,
            )
        )
