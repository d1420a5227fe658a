"""The team's answers to the rewrite's questions: what it knows about each element, by id.

    kr1:
      metric: week-1 activation rate   # a candidate's number (1, 2, 3), a catalogue id or name, or your own
      baseline: 30%
      target: 45%
    kr2: {baseline: 31}
    o1: {text: Small businesses get paid the day they invoice}   # the whole text, when you have it

`load_answers(path)` reads such a file (YAML or JSON) with one-line errors naming the file, the line and
what is wrong. `answered(proposal, answer, catalogue)` is the proposal's text with the answers in place: for
a task-like key result the chosen outcome (the first candidate unless `metric` says otherwise), its `?`
filled from `baseline` and `target`. Numbers come only from the answers; a `?` nobody answered stays.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from coach.knowledge.metrics import Metric
from coach.model import InputError
from coach.rewrite.candidates import Candidate, outcome_text
from coach.rewrite.slots import fill

_KEYS = ("metric", "baseline", "target", "text")
_NUMBER = re.compile(r"^[<>~≈]?\s*[-+]?[$€£]?\s*\d[\d,]*(?:\.\d+)?\s*(?:%|[kKmMbB]\b|[a-zA-Z%/ .-]{0,24})$")


@dataclass(frozen=True, slots=True)
class Answer:
    metric: str | None = None
    baseline: str | None = None
    target: str | None = None
    text: str | None = None

    def describe(self) -> str:
        """The answer as the data a model may take numbers from."""
        parts = [f"{key}: {getattr(self, key)}" for key in _KEYS if getattr(self, key)]
        return "The team's answers: " + "; ".join(parts) + "." if parts else ""


def load_answers(path: str | Path) -> dict[str, Answer]:
    """The answers in a YAML or JSON file, by element id."""
    import yaml

    name = str(path)
    try:
        source = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(name, f"cannot read: {getattr(error, 'strerror', None) or error}") from None
    try:
        root = yaml.compose(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise InputError(name, problem, mark.line + 1 if mark else None) from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise InputError(
            name, "answers are a mapping of element ids to what you know", root.start_mark.line + 1
        )
    out: dict[str, Answer] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        element = str(key_node.value)
        if not isinstance(value_node, yaml.MappingNode):
            raise InputError(name, f"{element}: give a mapping of {', '.join(_KEYS)}", line)
        fields: dict[str, str] = {}
        for field_key, field_value in value_node.value:
            at = field_key.start_mark.line + 1
            if field_key.value not in _KEYS:
                raise InputError(
                    name, f"{element}: unknown key {field_key.value!r} (expected {', '.join(_KEYS)})", at
                )
            if not isinstance(field_value, yaml.ScalarNode) or not str(field_value.value).strip():
                raise InputError(name, f"{element}.{field_key.value}: give one value", at)
            value = " ".join(str(field_value.value).split())
            if field_key.value in ("baseline", "target") and not _NUMBER.match(value):
                raise InputError(name, f"{element}.{field_key.value}: {value!r} is not a number", at)
            if len(value) > 400:
                raise InputError(name, f"{element}.{field_key.value}: longer than 400 characters", at)
            fields[str(field_key.value)] = value
        if element in out:
            raise InputError(name, f"{element}: answered twice", line)
        out[element] = Answer(**fields)
    return out


def _choose(
    choice: str | None, found: list[Candidate], catalogue: Mapping[str, Metric]
) -> str | Metric | None:
    """The metric `choice` names: a candidate's number, a catalogue id or name, or the team's own words."""
    if choice is None:
        return found[0].metric or found[0].text if found else None
    wanted = choice.strip().lower()
    if wanted.isdigit() and 1 <= int(wanted) <= len(found):
        candidate = found[int(wanted) - 1]
        return candidate.metric or candidate.text
    for metric in [c.metric for c in found if c.metric] + list(catalogue.values()):
        if wanted in (metric.id, metric.name.lower()):
            return metric
    return choice.strip()


def _own_outcome(metric: str, answer: Answer) -> str:
    """The team's own measure as an outcome KR, its direction read from the answered numbers."""

    def value(text: str | None) -> float | None:
        number = re.search(r"\d[\d,]*(?:\.\d+)?", text or "")
        return float(number.group(0).replace(",", "")) if number else None

    start, end = value(answer.baseline), value(answer.target)
    verb = "Reduce" if start is not None and end is not None and end < start else "Increase"
    return f"{verb} {metric[:1].lower() + metric[1:] if metric[1:2].islower() else metric} from ? to ?"


def answered(
    text: str | None, found: list[Candidate], answer: Answer, catalogue: Mapping[str, Metric]
) -> str | None:
    """The rewrite `text` with the team's answer in place (see the module); None when it gives no text."""
    if answer.text:
        return answer.text
    if found or (answer.metric and text is None):
        chosen = _choose(answer.metric, found, catalogue)
        if isinstance(chosen, Metric):
            text = outcome_text(chosen)
        elif isinstance(chosen, str):
            text = chosen if "?" in chosen else _own_outcome(chosen, answer)
    if text is None:
        return None
    values = {k: v for k, v in (("baseline", answer.baseline), ("target", answer.target)) if v}
    return fill(text, values)
