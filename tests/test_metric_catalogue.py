"""The outcome-metric catalogue (knowledge/metrics/): its size and shape, a team's own metrics, and the
errors a malformed file gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.knowledge.metrics import DIRECTIONS, load_metrics, metrics
from coach.model import InputError


def test_the_catalogue_covers_at_least_235_outcome_metrics_in_18_domains() -> None:
    catalogue = metrics()
    assert len(catalogue) >= 235
    assert len({m.domain for m in catalogue.values()}) >= 18
    for metric in catalogue.values():
        assert metric.direction in DIRECTIONS
        assert len(metric.moved_by) >= 2 and metric.pitfalls and metric.source.strip()
        assert "http" not in metric.source  # a named source, never an invented link
        assert metric.name.lower() in metric.text().lower()


def test_a_teams_own_metrics_join_the_catalogue(tmp_path: Path) -> None:
    (tmp_path / "ours.yaml").write_text(
        "domain: logistics\nmetrics:\n"
        "  - id: on-time-delivery-rate\n    name: On-time delivery rate\n"
        "    definition: Share of orders delivered within the promised window.\n"
        "    direction: increase\n    unit: '%'\n    moved_by: [route planning, new carrier]\n"
        "    pitfalls: [promising wider windows makes it easy]\n    source: common practice (logistics)\n",
        encoding="utf-8",
    )
    catalogue = load_metrics([tmp_path])
    assert catalogue["on-time-delivery-rate"].domain == "logistics"
    assert len(catalogue) == len(metrics()) + 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("domain: x\n", "a metric file holds `domain:` and a `metrics:` list"),
        ("domain: x\nmetrics:\n  - id: a\n    name: A\n", "a: missing definition, direction"),
        (
            "domain: x\nmetrics:\n  - {id: a, name: A, definition: d, direction: up, unit: '%', "
            "moved_by: [w], pitfalls: [p], source: s}\n",
            "a: direction must be one of",
        ),
        ("domain: [\n", "invalid YAML"),
    ],
)
def test_a_malformed_file_is_an_input_error_naming_it(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_metrics([tmp_path])
    assert caught.value.file.endswith("bad.yaml") and problem in caught.value.message


def test_an_id_given_twice_is_an_error(tmp_path: Path) -> None:
    taken = next(iter(metrics()))
    (tmp_path / "dup.yaml").write_text(
        f"domain: x\nmetrics:\n  - {{id: {taken}, name: A, definition: d, direction: increase, unit: '%', "
        "moved_by: [w, v], pitfalls: [p], source: s}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_metrics([tmp_path])
    assert "given twice" in caught.value.message


def test_the_task_to_metric_set_names_only_catalogue_metrics() -> None:
    # tests/data/task_metrics.jsonl: task-like KRs and the catalogue metrics a coach would accept for them
    # (benchmarks/metric_retrieval.py measures recall@k on it)
    import json

    rows = [
        json.loads(line)
        for line in (Path(__file__).parent / "data" / "task_metrics.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    catalogue = metrics()
    assert len(rows) >= 100 and len({row["id"] for row in rows}) == len(rows)
    assert len({row["domain"] for row in rows}) >= 12
    assert all(1 <= len(row["metrics"]) <= 4 and set(row["metrics"]) <= set(catalogue) for row in rows)
