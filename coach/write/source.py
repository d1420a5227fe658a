"""The source text of a new element in a YAML or JSON draft, spelt as the draft's own elements are
(coach.write.tree places it)."""

from __future__ import annotations

import json
from typing import Any

from coach.write.elements import number_text
from coach.write.locate import yaml_double, yaml_plain_ok


def json_text(data: Any, step: int | None, inner: int | None) -> str:
    """A new JSON value: its keys `step` under its brace (None: on one line), its list's items `inner`."""
    if step is None or not isinstance(data, dict):
        return json.dumps(data, ensure_ascii=False)
    pad, lines = " " * step, ["{"]
    for index, (key, value) in enumerate(data.items()):
        comma = "," if index < len(data) - 1 else ""
        if isinstance(value, list) and value:
            items = [reindent(json_text(v, inner, None), 2 * step, False) for v in value]
            body = ",\n".join(pad * 2 + item for item in items)
            lines.append(f"{pad}{json.dumps(key)}: [\n{body}\n{pad}]{comma}")
        else:
            lines.append(f"{pad}{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    return "\n".join([*lines, "}"])


def reindent(block: str, delta: int, first: bool) -> str:
    """Shift a block's lines by `delta` columns (`first`: the first line too); blank lines stay blank."""
    if not delta:
        return block
    lines = block.split("\n")
    out = []
    for index, line in enumerate(lines):
        if (index == 0 and not first) or not line.strip():
            out.append(line)
        elif delta > 0:
            out.append(" " * delta + line)
        else:
            cut = min(-delta, len(line) - len(line.lstrip(" ")))
            out.append(line[cut:])
    return "\n".join(out)


def yaml_block(data: Any, offset: int = 4) -> str:
    """A new element as a YAML block list item ("- key: value" and its lines), quoted only as needed; its
    key results' dashes `offset` columns right of its own."""

    def scalar(value: Any) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return number_text(float(value))
        text = str(value)
        return text if yaml_plain_ok(text, False) else yaml_double(text)

    if not isinstance(data, dict):
        return f"- {scalar(data)}\n"
    lines: list[str] = []
    for key, value in data.items():
        prefix = "- " if not lines else "  "
        if isinstance(value, list):
            lines.append(f"{prefix}{key}:")
            for child in value:
                lines += [" " * offset + line for line in yaml_block(child).splitlines()]
        else:
            lines.append(f"{prefix}{key}: {scalar(value)}")
    return "\n".join(lines) + "\n"
