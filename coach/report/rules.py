"""`okrcoach rules`: the catalogue, and one rule's documentation with the passage it cites.

The rules and the passages are imported when a renderer runs, not with this module: `okrcoach review`
builds the `rules` parser (and reads FORMATS here) on its way to its own command."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from coach.model import InputError
from coach.report.words import plural

if TYPE_CHECKING:
    from coach.knowledge import Passage
    from coach.rules import Rule

SECTIONS = ("What it does", "Why it matters", "Example", "Use instead")
# --format: the names render_rules and render_rule each take, in the order `okrcoach rules --help` lists.
FORMATS = ("text", "json", "markdown")


def find_rule(key: str) -> Rule:
    from coach.rules import catalogue

    rules = catalogue()
    wanted = key.strip()
    for rule in rules.values():
        if rule.code == wanted.upper() or rule.name == wanted.lower():
            return rule
    raise InputError(key, "no such rule (run 'okrcoach rules' for the list)")


def rule_dict(rule: Rule) -> dict[str, object]:
    from coach.knowledge import passages

    passage = passages().get(rule.passage)
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "scope": rule.scope,
        "summary": rule.summary,
        "docs": {title: rule.docs.get(title, "") for title in SECTIONS},
        "citation": passage.citation() if passage else {"id": rule.passage},
    }


def render_rules(fmt: str = "text") -> str:
    from coach.rules import catalogue

    rules = catalogue()
    if fmt == "json":
        return json.dumps([rule_dict(r) for r in rules.values()], indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        lines = ["| Code | Name | Severity | What it flags | Cites |", "|---|---|---|---|---|"]
        lines += [
            f"| {r.code} | {r.name} | {r.severity.value} | {r.summary} | {r.passage} |"
            for r in rules.values()
        ]
        return "\n".join(lines) + "\n"
    width = max(len(r.name) for r in rules.values())
    lines = [f"{r.code:<7} {r.name:<{width}}  {r.severity.value:<10} {r.summary}" for r in rules.values()]
    lines.append(f"\n{plural(len(rules), 'rule')}. 'okrcoach rules CODE' explains one.")
    return "\n".join(lines) + "\n"


def render_rule(key: str, fmt: str = "text", related: Sequence[Passage] = ()) -> str:
    """One rule's documentation, its cited passage, and (when given) the closest other passages."""
    from coach.knowledge import passages

    rule = find_rule(key)
    if fmt == "json":
        return json.dumps(rule_dict(rule), indent=2, ensure_ascii=False) + "\n"
    passage = passages().get(rule.passage)
    heading = "## " if fmt == "markdown" else ""
    lines = [f"{heading}{rule.code} {rule.name} ({rule.severity.value})", "", rule.summary, ""]
    for title in SECTIONS:
        body = rule.docs.get(title, "")
        if body:
            lines += [
                f"{'### ' if fmt == 'markdown' else ''}{title}",
                textwrap.indent(body, "" if fmt == "markdown" else "  "),
                "",
            ]
    if passage:
        lines += [
            f"{'### ' if fmt == 'markdown' else ''}Cited guidance: {passage.title} [{passage.id}]",
            f"  Source: {passage.source}",
            "",
        ]
        for paragraph in passage.text.split("\n\n"):
            lines.append(
                textwrap.fill(
                    " ".join(paragraph.split()), width=100, initial_indent="  ", subsequent_indent="  "
                )
            )
            lines.append("")
    if related:
        lines.append(f"{'### ' if fmt == 'markdown' else ''}Related guidance")
        lines += [f"  {p.title} [{p.id}] — {p.source}" for p in related]
    return "\n".join(lines).rstrip() + "\n"
