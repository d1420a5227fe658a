"""GitHub Actions workflow commands: one annotation a finding, shown on the pull request's changed files.

`::warning file=okrs/team.yaml,line=12,col=9,endLine=12,title=OKR KR001::message [passage]`: errors are
`::error`, warnings `::warning`, suggestions `::notice`; a file that could not be read is an `::error`.
Values are escaped as the Actions toolkit escapes them (`%`, CR and LF everywhere, `:` and `,` too in the
properties), so a message cannot end the command early or start another.
"""

from __future__ import annotations

from pathlib import Path, PurePath

from coach.engine import Review
from coach.model import Finding, InputError, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "notice"}
STDIN = {"<stdin>", "-"}


def ci_path(path: str, root: Path | None = None) -> str | None:
    """The path a CI service shows: relative to `root` (the working directory, where CI checks the
    repository out) when it lies under it, as given otherwise, with `/` separators; None for stdin."""
    if path in STDIN:
        return None
    candidate = Path(path)
    if candidate.is_absolute():
        base = root or Path.cwd()
        for folder in dict.fromkeys((base, base.resolve())):
            if candidate.is_relative_to(folder):
                return candidate.relative_to(folder).as_posix()
    return PurePath(candidate).as_posix()


def escape_data(text: str) -> str:
    """A command's message: `%`, CR and LF escaped (toolkit's escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property's value: escape_data, and `:` and `,`, which end a value (toolkit's escapeProperty)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: list[tuple[str, object]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def _finding(finding: Finding, root: Path | None) -> str:
    span = finding.span
    properties: list[tuple[str, object]] = []
    path = ci_path(span.file, root)
    if path is not None:
        line = max(1, span.line)
        properties += [("file", path), ("line", line), ("col", max(1, span.col))]
        properties.append(("endLine", max(line, span.end_line or line)))
        if span.end_col is not None and (span.end_line or line) == line:
            properties.append(("endColumn", span.end_col))
    properties.append(("title", f"OKR {finding.code}"))
    cite = f" [{finding.passage}]" if finding.passage else ""
    return _command(_COMMAND[finding.severity], properties, f"{finding.message}{cite}")


def _error(error: InputError, root: Path | None) -> str:
    properties: list[tuple[str, object]] = []
    path = ci_path(error.file, root)
    if path is not None:
        properties.append(("file", path))
        if error.line is not None:
            properties.append(("line", error.line))
            if error.col is not None:
                properties.append(("col", error.col))
    properties.append(("title", "okrcoach: cannot read"))
    return _command("error", properties, error.message)


def render_github(review: Review, root: Path | None = None) -> str:
    """One workflow command a line; `root`: what paths are made relative to (default: the working
    directory)."""
    lines = [_finding(finding, root) for finding in review.findings]
    lines += [_error(error, root) for error in review.errors]
    return "".join(line + "\n" for line in lines)
