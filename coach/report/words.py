"""Words the renderers share: a count with its noun in the right number ("1 finding", "2 findings")."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None, *, grouped: bool = False) -> str:
    """`count` and `noun`, the noun plural unless the count is exactly 1: `many` where the plural is not
    the noun plus "s" ("1 proposal", "3 proposals", "2 key results", "2 check-ins"). `grouped` writes the
    count with thousands separators (12,400)."""
    number = f"{count:,}" if grouped else str(count)
    return f"{number} {noun if count == 1 else (many or noun + 's')}"
