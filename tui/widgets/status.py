"""The status line above the key bindings: file and save state, model in use, finding counts.

`team-draft.yaml · modified │ model: rules only │ findings W6 S2 │ recovery copy kept`: the most important
parts come first, so a narrow terminal cuts only the details at the end.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from coach.model import Finding, Severity

# One convention for the status line and the tree's marks (tui.widgets.outline): a letter per severity and
# its count, worst first, zero counts left out ("E1 W2 S1").
LETTER = {Severity.ERROR: "E", Severity.WARNING: "W", Severity.SUGGESTION: "S"}
ORDER = (Severity.ERROR, Severity.WARNING, Severity.SUGGESTION)
_STYLE = {
    Severity.ERROR: "bold $text-error",
    Severity.WARNING: "bold $text-warning",
    Severity.SUGGESTION: "bold $text-primary",
}


def counts(findings: list[Finding]) -> dict[Severity, int]:
    out = dict.fromkeys(Severity, 0)
    for finding in findings:
        out[finding.severity] += 1
    return out


def counts_text(findings: list[Finding]) -> str:
    found = counts(findings)
    parts = [
        f"{found[s]} {s.value}{'s' if found[s] != 1 else ''}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.SUGGESTION)
        if found[s]
    ]
    return ", ".join(parts) if parts else "no findings"


class StatusBar(Static):
    def show(
        self, file: str, state: str, dirty: bool, model: str, findings: list[Finding], details: list[str]
    ) -> None:
        found = counts(findings)
        badges: list[tuple[str, str] | str] = []
        for severity in ORDER:
            if found[severity]:
                badges += [" ", (f"{LETTER[severity]}{found[severity]}", _STYLE[severity])]
        if not badges:
            badges = [" ", ("✓ none", "$text-success")]
        parts: list[tuple[str, str] | str] = [
            (file, "bold"),
            " · ",
            (state, "bold $text-warning" if dirty else "$text-success"),
            " │ model: ",
            (model, "bold"),
            " │ findings",
            *badges,
        ]
        for detail in details:
            parts += [" │ ", (detail, "$text-muted")]
        self.update(Content.assemble(*parts), layout=False)  # one line, fixed size: no layout pass
        self.tooltip = f"{counts_text(findings)}; " + "; ".join([state, *details])
