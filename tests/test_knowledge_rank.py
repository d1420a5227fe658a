"""Knowledge search as a new user meets it (issue 17, item 6): the README's example finds the outcome-vs-task
passage first with either embedding, and scores are on a fixed 0-1 scale."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.cli import main
from coach.knowledge.store import KnowledgeStore, StoreSettings

README_QUERY = "kr is a task"  # README: okrcoach knowledge search "kr is a task"
QUERIES = [
    README_QUERY,
    "how often should we check in on OKRs",
    "Launch the new onboarding flow",
    "KR 2.2 has had no new value for 5 check-ins",
    "zzz qqq",
]


@pytest.fixture(scope="module")
def onnx_store(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeStore:
    store = KnowledgeStore(StoreSettings(cache_dir=tmp_path_factory.mktemp("onnx"), embedding="onnx"))
    store.build()
    return store


@pytest.fixture(scope="module")
def hashing_store(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeStore:
    store = KnowledgeStore(StoreSettings(cache_dir=tmp_path_factory.mktemp("hashing"), embedding="hashing"))
    store.build()
    return store


@pytest.fixture(params=["onnx", "hashing"])
def store(request: pytest.FixtureRequest) -> KnowledgeStore:
    return request.getfixturevalue(f"{request.param}_store")  # type: ignore[no-any-return]


def test_the_readme_example_finds_the_outcome_vs_task_passage_first(store: KnowledgeStore) -> None:
    found = store.retrieve(README_QUERY, 5)
    assert found[0].id == "kr-outcome-not-task", [(p.id, p.score) for p in found]


def test_scores_are_within_0_and_1_best_first(store: KnowledgeStore) -> None:
    for query in QUERIES:
        scores = [p.score for p in store.retrieve(query, 10)]
        assert all(s is not None and 0.0 <= s <= 1.0 for s in scores), (query, scores)
        assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
        metric_scores = [m.score for m in store.retrieve_metrics(query, 5)]
        assert all(s is not None and 0.0 <= s <= 1.0 for s in metric_scores), (query, metric_scores)


def test_a_passage_s_own_title_scores_near_1(store: KnowledgeStore) -> None:
    passage = store.passages["kr-outcome-not-task"]
    best = store.retrieve(f"{passage.title}. {' '.join(passage.tags)}", 1)[0]
    assert best.id == passage.id and best.score is not None and best.score > 0.8


def test_shorthand_is_spelled_out_for_the_dense_model_only_as_a_word() -> None:
    from coach.knowledge.index import dense_query

    assert dense_query("kr is a task") == "key result is a task"
    assert dense_query("Two KRs share one metric; KR 2.2 stalls") == (
        "Two key results share one metric; key result 2.2 stalls"
    )
    assert dense_query("KR001 fires on OKRs") == "KR001 fires on OKRs"  # a code and another word stay


def test_search_help_states_the_score_scale(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["knowledge", "search", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "0-1" in help_text or "0–1" in help_text
    assert "cosine" in help_text


def test_search_prints_the_readme_example_first_with_hashing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["knowledge", "search", README_QUERY, "--embedding", "hashing", "--cache-dir", str(tmp_path)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and "kr-outcome-not-task" in lines[0]
    score = float(lines[0].split()[0])
    assert 0.0 <= score <= 1.0


def test_the_lexical_fallback_scores_on_the_same_0_to_1_scale() -> None:
    from coach.knowledge import passages
    from coach.knowledge.lexical import search_metrics, search_passages
    from coach.knowledge.metrics import metrics

    for query in ("kr is a task", "how do we measure developer experience", "zzz unknown onboarding"):
        found = [*search_passages(query, passages(), 5), *search_metrics(query, metrics(), 5)]
        assert found and all(0.0 < (item.score or 0) <= 1.0 for item in found), query
    # a query word no text holds keeps every score below 1
    assert all((p.score or 0) < 1.0 for p in search_passages("task zzzqqq", passages(), 5))
