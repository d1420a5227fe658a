"""What the language server answers, from a checked draft (coach.lsp.check): the diagnostics, the hover
text of a line and the code actions on a range, as lsprotocol types.

Positions: a finding's span is 1-based (line, column in characters); LSP's are 0-based and counted in the
client's units (UTF-16 unless it chose otherwise), which the workspace's position codec converts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from coach.lsp.check import Checked
from coach.lsp.suppress import with_suppression
from coach.model import Finding, Severity
from coach.rules.suppressions import UNSUPPRESSIBLE

if TYPE_CHECKING:
    from coach.rewrite import Proposal

SOURCE = "okrcoach"
SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.SUGGESTION: types.DiagnosticSeverity.Information,
}


def _lines(text: str) -> list[str]:
    return text.split("\n")


def finding_range(checked: Checked, finding: Finding) -> types.Range:
    """The finding's range in characters: from its span to the end of its element's text where the text
    sits there on one line, else to the end of the line."""
    lines = _lines(checked.text)
    span = finding.span
    line = min(max(span.line - 1, 0), len(lines) - 1)
    source = lines[line].rstrip("\r")
    start = min(max(span.col - 1, 0), len(source))
    if span.end_line is not None and span.end_col is not None:
        return types.Range(types.Position(line, start), types.Position(span.end_line - 1, span.end_col - 1))
    end = len(source)
    text = _element_text(checked, finding.target)
    if text and source.startswith(text, start):
        end = start + len(text)
    if end <= start:  # a span at the end of its line: the whole line
        start = 0
    return types.Range(types.Position(line, start), types.Position(line, end))


def _element_text(checked: Checked, target: str | None) -> str | None:
    if checked.doc is None or target is None:
        return None
    for objective in checked.doc.objectives:
        if objective.id == target:
            return objective.text
        for kr in objective.key_results:
            if kr.id == target:
                return kr.text
    return None


def to_client(codec: PositionCodec, text: str, range_: types.Range) -> types.Range:
    converted: types.Range = codec.range_to_client_units(_lines(text), range_)
    return converted


def diagnostics(checked: Checked, codec: PositionCodec) -> list[types.Diagnostic]:
    if checked.error is not None:
        return [_error(checked, codec)]
    return [
        types.Diagnostic(
            range=to_client(codec, checked.text, finding_range(checked, finding)),
            message=finding.message,
            severity=SEVERITY[finding.severity],
            code=finding.code,
            source=SOURCE,
        )
        for finding in checked.findings
    ]


def _error(checked: Checked, codec: PositionCodec) -> types.Diagnostic:
    """The one diagnostic of a draft that cannot be read: at its line (the draft's), else the first."""
    error = checked.error
    assert error is not None
    lines = _lines(checked.text)
    ours = error.file == checked.path
    line = min(max((error.line or 1) - 1, 0), len(lines) - 1) if ours else 0
    message = error.message if ours else str(error)  # a config file's error names that file
    range_ = types.Range(types.Position(line, 0), types.Position(line, len(lines[line].rstrip("\r"))))
    return types.Diagnostic(
        range=to_client(codec, checked.text, range_),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )


def on_lines(checked: Checked, first: int, last: int) -> list[Finding]:
    """The findings whose range touches the 0-based lines first..last."""
    out = []
    for finding in checked.findings:
        range_ = finding_range(checked, finding)
        if range_.start.line <= last and range_.end.line >= first:
            out.append(finding)
    return out


def hover(checked: Checked, line: int) -> types.Hover | None:
    """Each finding on the line: its message, the rule's documentation and the passage it cites."""
    from coach.report.rules import render_rule

    found = on_lines(checked, line, line)
    if not found:
        return None
    parts: list[str] = []
    explained: set[str] = set()
    for finding in found:
        parts.append(f"**{finding.code}** ({finding.severity.value}): {finding.message}")
    for finding in found:
        if finding.code in explained:
            continue
        explained.add(finding.code)
        try:
            parts.append(render_rule(finding.code, "markdown"))
        except Exception:  # a parser's diagnostic without a rule of its own: its message says it all
            continue
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts))
    )


def code_actions(
    checked: Checked,
    uri: str,
    first: int,
    last: int,
    codec: PositionCodec,
    proposals: Sequence[Proposal],
) -> list[types.CodeAction]:
    """The rule-path rewrite of each element with a finding on the lines (when it is complete), then a
    suppression with a reason to fill in for each finding."""
    if checked.doc is None:
        return []
    found = on_lines(checked, first, last)
    actions: list[types.CodeAction] = []
    done: set[str] = set()
    for finding in found:
        if finding.target is None or finding.target in done:
            continue
        done.add(finding.target)
        rewrite = _rewrite(checked, finding.target, proposals)
        if rewrite is not None:
            title, new_text, codes = rewrite
            fixed = [
                _diagnostic(checked, f, codec)
                for f in found
                if f.target == finding.target and f.code in codes
            ]
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=fixed or None,
                    is_preferred=True,
                    edit=_edit(uri, checked.text, new_text, codec),
                )
            )
    for finding in found:
        if finding.code in UNSUPPRESSIBLE:
            continue
        suppressed = with_suppression(checked.text, checked.fmt, finding, checked.doc, checked.config)
        if suppressed is None:
            continue
        actions.append(
            types.CodeAction(
                title=f"okrcoach: suppress {finding.code} here (write the reason)",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[_diagnostic(checked, finding, codec)],
                edit=_edit(uri, checked.text, suppressed, codec),
            )
        )
    return actions


def _diagnostic(checked: Checked, finding: Finding, codec: PositionCodec) -> types.Diagnostic:
    return types.Diagnostic(
        range=to_client(codec, checked.text, finding_range(checked, finding)),
        message=finding.message,
        severity=SEVERITY[finding.severity],
        code=finding.code,
        source=SOURCE,
    )


def _rewrite(
    checked: Checked, target: str, proposals: Sequence[Proposal]
) -> tuple[str, str, list[str]] | None:
    """(title, the draft's new text, the codes it resolves) of the element's complete rule-path rewrite."""
    from coach.model import InputError
    from coach.rewrite.slots import slots
    from coach.write.edits import Edit, apply_edits

    proposal = next((p for p in proposals if p.target == target), None)
    text = proposal.text if proposal is not None else None
    if proposal is None or not text or slots(text) or text == proposal.draft:
        return None
    edit = Edit(target, proposal.span, proposal.draft, text)
    try:
        new_text = apply_edits(checked.text, checked.fmt, [edit], checked.path)
    except InputError:
        return None
    title = f"okrcoach: rewrite as '{text}'"
    extra = proposal.extra_key_results
    if extra:
        title += " (then add " + ", ".join(f"'{kr}'" for kr in extra) + " as key results of their own)"
    return title, new_text, list(proposal.before)


def _edit(uri: str, old: str, new: str, codec: PositionCodec) -> types.WorkspaceEdit:
    """The smallest one-range edit that turns `old` into `new` (their common start and end kept)."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    range_ = to_client(codec, old, types.Range(_position(old, start), _position(old, end_old)))
    # `changes` rather than versioned `documentChanges`: every client applies it
    return types.WorkspaceEdit(changes={uri: [types.TextEdit(range=range_, new_text=new[start:end_new])]})


def _position(text: str, offset: int) -> types.Position:
    line = text.count("\n", 0, offset)
    return types.Position(line, offset - (text.rfind("\n", 0, offset) + 1))
