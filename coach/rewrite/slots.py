"""The `?` a rule-path rewrite leaves where the team must give a number, and the rewrite as it reads once
they are given.

    slots(text) -> [(start, end, name), ...]   name: "baseline" after "from", else "target"
    probes(text) -> [text, ...]                 the rewrite with its ? answered, rising and falling
    fill(text, values) -> str                   the ? replaced by the team's answers, by slot name
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

_SLOT = re.compile(r"(?<![\w?])\?(?![\w?])")
_FROM = re.compile(r"\bfrom\s*$", re.IGNORECASE)


def slots(text: str) -> list[tuple[int, int, str]]:
    """Each `?` standing for a number, with the value it asks for."""
    out = []
    for m in _SLOT.finditer(text):
        before = text[: m.start()]
        out.append((m.start(), m.end(), "baseline" if _FROM.search(before) else "target"))
    return out


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each `?` whose slot has a value replaced by it ("?%" takes "30%" once, not "30%%")."""
    out, last = [], 0
    for start, end, name in slots(text):
        value = values.get(name)
        if value is None:
            continue
        follows_percent = text[end : end + 1] == "%"
        written = value[:-1].rstrip() if follows_percent and value.endswith("%") else value
        out += [text[last:start], written]
        last = end
    return "".join([*out, text[last:]])


def probes(text: str) -> Iterator[str]:
    """The rewrite with its ? given sample numbers, rising then falling: the re-check reads the key result
    the team will have once it answers, not the question marks (a ? is a question, not a defect)."""
    found = slots(text)
    if not found:
        yield text
        return
    for values in ((10, 20, 30, 40), (40, 30, 20, 10)):
        out, last = [], 0
        for (start, end, _), value in zip(found, values, strict=False):
            out += [text[last:start], str(value)]
            last = end
        yield "".join([*out, text[last:]])
