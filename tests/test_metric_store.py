"""The metric catalogue in the knowledge store: its own Chroma collection (real, in tmp_path) beside the
passages', rebuilt when the catalogue or a team's metric folders change, searched by `retrieve_metrics`
and `okrcoach knowledge search --metrics`; a team's metric file with a mistake is one line and exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.knowledge.metrics import load_metrics, metrics
from coach.knowledge.store import KnowledgeStore, StoreSettings
from coach.model import InputError

ROOT = Path(__file__).resolve().parent.parent
TEAM_METRIC = """\
domain: platform
metrics:
  - id: build-queue-wait-p90
    name: Build queue wait (p90)
    definition: Ninetieth-percentile minutes a CI build waits for a runner before it starts, over the week.
    direction: decrease
    unit: minutes
    moved_by: [adding CI runners, autoscaling build agents, caching dependencies]
    pitfalls: [cancelling queued builds hides the wait]
    source: Platform team handbook
"""


def team_folder(tmp_path: Path, text: str = TEAM_METRIC, name: str = "platform.yaml") -> Path:
    folder = tmp_path / "our-metrics"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def store(tmp_path: Path) -> KnowledgeStore:
    return KnowledgeStore(StoreSettings(cache_dir=tmp_path / "cache", embedding="hashing"))


def test_build_indexes_the_catalogue_once_beside_the_passages(store: KnowledgeStore) -> None:
    report = store.build()
    assert report.built and report.metrics_built and report.metrics == len(metrics())
    assert report.metric_collection != report.collection
    names = {c if isinstance(c, str) else c.name for c in store.client().list_collections()}
    assert {report.collection, report.metric_collection} <= names
    again = KnowledgeStore(store.settings).build()
    assert not again.built and not again.metrics_built
    assert again.metric_collection == report.metric_collection
    assert store.status()["built"] is True and store.status()["metrics"] == len(metrics())


def test_retrieve_metrics_scores_dedupes_and_filters(store: KnowledgeStore) -> None:
    found = store.retrieve_metrics("cut the time customers wait for a first reply from support", 5)
    ids = [m.id for m in found]
    assert len(ids) == len(set(ids)) == 5
    assert all(m.score is not None for m in found)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)  # type: ignore[misc]
    assert found[0].domain == "support" and found[0].source
    only = store.retrieve_metrics("cut the time customers wait", 3, domains=["engineering"])
    assert only and all(m.domain == "engineering" for m in only)
    assert store.retrieve_metrics("   ", 3) == []
    assert found[0].id not in {m.id for m in store.retrieve_metrics(found[0].name, 5, exclude={found[0].id})}


def test_a_team_metric_is_retrievable_after_build_and_changes_the_collection(
    tmp_path: Path, store: KnowledgeStore
) -> None:
    shipped = store.build()
    settings = StoreSettings(
        cache_dir=tmp_path / "cache", embedding="hashing", extra_metric_dirs=(str(team_folder(tmp_path)),)
    )
    report = KnowledgeStore(settings).build()
    assert not report.built  # the passages did not change
    assert report.metrics_built and report.metric_collection != shipped.metric_collection
    assert report.metrics == len(metrics()) + 1
    found = KnowledgeStore(settings).retrieve_metrics("add more CI runners so builds start sooner", 3)
    assert found[0].id == "build-queue-wait-p90"
    assert (
        found[0].origin == "extra"
        and found[0].domain == "platform"
        and found[0].path.endswith("platform.yaml")
    )


def test_the_store_recall_on_task_krs_is_sane(store: KnowledgeStore) -> None:
    rows = [
        json.loads(line) for line in (ROOT / "tests/data/task_metrics.jsonl").read_text().splitlines() if line
    ]
    hits = sum(
        bool(
            {m.id for m in store.retrieve_metrics(f"{row['kr']} {row.get('objective', '')}", 3)}
            & set(row["metrics"])
        )
        for row in rows
    )
    assert hits / len(rows) >= 0.8  # the hashing store; benchmarks/metric_retrieval.py reports the figures


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("domain: x\nmetrics: [\n", "invalid YAML"),
        ("metrics: []\n", "holds `domain:`"),
        (TEAM_METRIC.replace("direction: decrease", "direction: sideways"), "direction must be one of"),
        (TEAM_METRIC.replace("    source: Platform team handbook\n", ""), "missing source"),
        (TEAM_METRIC.replace("id: build-queue-wait-p90", "id: Build Queue!"), "an id is lower-case"),
        (TEAM_METRIC.replace("id: build-queue-wait-p90", "id: deployment-frequency"), "given twice"),
    ],
)
def test_a_team_metric_file_with_a_mistake_is_an_input_error(tmp_path: Path, text: str, message: str) -> None:
    folder = team_folder(tmp_path, text)
    with pytest.raises(InputError, match=message) as info:
        load_metrics([folder])
    assert "platform.yaml" in str(info.value)


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OKRCOACH_", "OPENAI_"))}
    env.update({"PYTHONPATH": str(ROOT), "OKRCOACH_CACHE_DIR": str(cwd / "cache")})
    return subprocess.run(
        [sys.executable, "-m", "coach.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def test_cli_build_with_extra_metrics_then_search_metrics(tmp_path: Path) -> None:
    folder = team_folder(tmp_path)
    build = _cli(["knowledge", "build", "--embedding", "hashing", "--extra-metrics", str(folder)], tmp_path)
    assert build.returncode == 0, build.stderr
    assert f"{len(metrics()) + 1} metrics" in build.stdout
    query = ["knowledge", "search", "more CI runners so builds start sooner", "--metrics", "-k", "2"]
    search = _cli([*query, "--embedding", "hashing", "--extra-metrics", str(folder), "-f", "json"], tmp_path)
    assert search.returncode == 0, search.stderr
    rows = json.loads(search.stdout)
    assert rows[0]["id"] == "build-queue-wait-p90" and rows[0]["origin"] == "extra"
    assert {"domain", "direction", "unit", "source", "score"} <= set(rows[0])
    text = _cli([*query, "--embedding", "hashing", "--extra-metrics", str(folder)], tmp_path)
    assert "build-queue-wait-p90" in text.stdout and "platform; decrease; unit: minutes" in text.stdout
    assert "Platform team handbook" in text.stdout


def test_cli_reads_extra_metrics_from_the_config(tmp_path: Path) -> None:
    team_folder(tmp_path)
    (tmp_path / "okrcoach.toml").write_text(
        '[knowledge]\nembedding = "hashing"\nextra-metrics = ["our-metrics"]\n', encoding="utf-8"
    )
    search = _cli(["knowledge", "search", "more CI runners", "--metrics", "-k", "1", "-f", "json"], tmp_path)
    assert search.returncode == 0, search.stderr
    assert json.loads(search.stdout)[0]["id"] == "build-queue-wait-p90"


def test_cli_extra_metrics_with_a_bad_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    folder = team_folder(tmp_path, TEAM_METRIC.replace("direction: decrease", "direction: sideways"))
    build = _cli(["knowledge", "build", "--embedding", "hashing", "--extra-metrics", str(folder)], tmp_path)
    assert build.returncode == 2
    assert len(build.stderr.strip().splitlines()) == 1 and "Traceback" not in build.stderr
    assert "platform.yaml" in build.stderr and "direction must be one of" in build.stderr
    missing = _cli(["knowledge", "build", "--embedding", "hashing", "--extra-metrics", "nowhere"], tmp_path)
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert "nowhere" in missing.stderr
