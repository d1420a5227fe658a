"""The organisation review of the handbook-shaped sample: the findings it must give, the statistics and
quality score, --changed-since scopes, and rewrites of the worst drafts within a call budget."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from stub_openai import OpenAIStub, Reply, openai_stub_fixture  # noqa: F401

from coach.config import Config
from coach.llm import ModelSpec, Secret
from coach.llm.session import ModelSession
from coach.model import InputError
from coach.org import compute, load_org, load_org_text, review_org
from coach.org.changes import changed_files, scope_for
from coach.org.examples import COMPANY, SALES_OK, example, objective, unit
from coach.org.rewrite import rewrite_worst, worst_documents

ROOT = Path(__file__).resolve().parent.parent
NORTHWIND = ROOT / "tests" / "data" / "org" / "northwind"


@pytest.fixture(scope="module")
def northwind() -> object:
    return review_org(load_org([str(NORTHWIND)]))


def org_findings(review: object) -> set[tuple[str, str, str]]:
    org = review.organisation  # type: ignore[attr-defined]
    return {
        (f.finding.code, f.team or "", org.items[f.item].id if f.item else "")
        for f in review.findings  # type: ignore[attr-defined]
        if f.finding.code.startswith("ORG")
    }


def test_the_sample_organisation_gives_the_findings_a_reviewer_would(northwind: object) -> None:
    assert org_findings(northwind) == {
        ("ORG001", "Northwind", "co-3.2"),  # regretted attrition: nobody took it on
        ("ORG002", "Mobile", "O2"),  # the approvals redesign aligns to nothing
        ("ORG002", "API Gateway", "gw-2"),
        ("ORG002", "Marketing", "mkt-brand-2"),
        ("ORG003", "People Operations", "pops-1"),  # last quarter's id, co-4.2
        ("ORG004", "Enterprise Sales", "ent-1"),  # the company objective, pasted
        ("ORG004", "Enterprise Sales", "ent-1.1"),
        ("ORG004", "Enterprise Sales", "ent-1.2"),
        ("ORG004", "Engineering", "eng-1.3"),
        ("ORG004", "Web", "web-1.3"),
        ("ORG010", "Marketing", ""),  # four objectives across index.md and brand.yaml
        ("ORG011", "Support", "sup-1.1"),  # first reply time: 2 hours here, 4 hours in Onboarding
        ("ORG011", "Onboarding", "onb-1.1"),
        ("ORG011", "Mobile", "O1.KR2"),  # week-one activation: 55% vs Marketing's 50%
        ("ORG011", "Web", "web-1.1"),
        ("ORG011", "Marketing", "O2.KR1"),
        ("ORG011", "Sales", "sales-2.2"),  # mid-market logo churn: 1.5% vs SMB's 2%
        ("ORG011", "SMB Sales", "O2.KR2"),
        ("ORG012", "Web", "web-1.1"),  # the same KR as Mobile's, word for word
        ("ORG013", "Sales", ""),  # Dana Reyes owns nine key results
    }


def test_statistics_per_level_and_team(northwind: object) -> None:
    stats = compute(northwind, top=5)  # type: ignore[arg-type]
    assert stats.overall.objectives == 31 and stats.overall.key_results == 68
    assert set(stats.levels) == {"company", "department", "team", "individual"}
    assert sum(s.key_results for s in stats.levels.values()) == 68
    content = stats.teams["Content"]
    assert (content.key_results, content.task_like, content.missing_baseline) == (3, 2, 2)
    assert content.to_dict()["task_like_share"] == pytest.approx(2 / 3, abs=1e-3)
    assert stats.teams["Marketing"].findings["ORG010"] == 1
    assert [northwind.organisation.items[w.key].id for w in stats.worst][:2] == ["O2", "mkt-brand-2"]  # type: ignore[attr-defined]
    assert len(stats.worst) == 5 and stats.worst[0].score == 30


def test_the_quality_score_is_the_mean_of_element_scores() -> None:
    text = example(
        COMPANY,
        SALES_OK,
        unit(
            "Support",
            "team",
            objective("su-1", "Answer customers within the hour", "Cut reply time from 9 h to 1 h"),
        ),
    )
    review = review_org(load_org_text(text), Config(select=["ORG002"]))
    stats = compute(review)
    # 3 objectives and 5 key results; only Support's objective lost points: 25 for one warning (ORG002).
    assert (stats.overall.objectives, stats.overall.key_results) == (3, 5)
    assert stats.overall.score == pytest.approx((7 * 100 + 75) / 8)
    assert stats.teams["Support"].score == pytest.approx((75 + 100) / 2)
    assert stats.teams["Sales"].score == 100
    assert [w.key.rsplit("#", 1)[1] for w in stats.worst] == ["su-1"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_reviews_the_changed_drafts_and_their_alignment(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(NORTHWIND, repo / "drafts")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "drafts")
    support = repo / "drafts" / "customer-success" / "support.yaml"
    support.write_text(support.read_text(encoding="utf-8").replace("71%", "70%"), encoding="utf-8")
    (repo / "drafts" / "people" / "new-team.yaml").write_text(
        "team: Recruiting Ops\nobjectives:\n- objective: Make interviews kind\n  parent: co-3.1\n"
        "  key_results: [Raise candidate NPS from 20 to 50]\n",
        encoding="utf-8",
    )
    changed = changed_files([str(repo / "drafts")], "HEAD")
    assert changed == {str(support.resolve()), str((repo / "drafts" / "people" / "new-team.yaml").resolve())}
    org = load_org([str(repo / "drafts")])
    scope = scope_for(org, changed)
    names = sorted(Path(p).name for p in scope)
    # Support aligns to Customer Success (index.yaml); the new team to the company (company.yaml).
    assert names == ["company.yaml", "index.yaml", "new-team.yaml", "support.yaml"]
    review = review_org(org, scope=scope)
    assert {Path(f.finding.span.file).name for f in review.findings if f.item} <= set(names)
    assert {d.team for d in review.documents()} == {
        "Support",
        "Customer Success",
        "Northwind",
        "Recruiting Ops",
    }


def test_changed_since_outside_git_is_one_clear_message(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("objectives:\n- objective: Win\n  key_results: [Grow ARR to $6M]\n")
    with pytest.raises(InputError, match="needs a git repository"):
        changed_files([str(tmp_path)], "main")


def spec_for(stub: OpenAIStub) -> ModelSpec:
    return ModelSpec("openai", "stub-model", stub.url, Secret("sk-test-0123456789"), 3.0, 0, "test")


def test_rewrites_go_to_the_worst_drafts_first_within_the_budget(
    northwind: object, openai_stub: OpenAIStub, tmp_path: Path
) -> None:
    openai_stub.respond(
        lambda request: Reply.tool_args(
            {"text": "Raise week-one activation from 38% to 55%", "rationale": "x"}
        )
    )
    ordered = worst_documents(northwind)  # type: ignore[arg-type]
    assert Path(ordered[0].path).name == "mobile.md"
    reports, note = rewrite_worst(
        northwind,  # type: ignore[arg-type]
        lambda path: Config(),
        ModelSession(spec_for(openai_stub), cache_dir=tmp_path, max_calls=3, use_cache=False),
    )
    assert openai_stub.count == 3
    assert reports[0].document is ordered[0]
    assert "budget 3 calls" in note and "stub-model: 3 calls" in note
    # Without a model the rules answer, for the worst drafts only, and nothing is called.
    before = openai_stub.count
    reports, note = rewrite_worst(northwind, lambda path: Config(), without_model=2)  # type: ignore[arg-type]
    assert len(reports) == 2 and openai_stub.count == before
    assert {p.answered_by for r in reports for p in r.proposals} == {"rules"}


def test_the_organisation_job_is_headless() -> None:
    """coach/org returns data: it never prints, and knows nothing of terminals (Rich is the CLI's)."""
    for path in sorted((ROOT / "coach" / "org").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert "print(" not in source, path.name
        assert "import rich" not in source and "from rich" not in source and "textual" not in source, (
            path.name
        )
        assert len(source.splitlines()) <= 400, f"{path.name} is over 400 lines"


def test_a_hung_server_costs_one_timeout_for_the_whole_organisation(
    northwind: object, openai_stub: OpenAIStub, tmp_path: Path
) -> None:
    """The breaker holds across drafts: once the model stopped answering, no later draft asks it again."""
    openai_stub.respond(Reply.hang())
    spec = ModelSpec("openai", "stub-model", openai_stub.url, Secret("sk-test-0123456789"), 1.0, 0, "test")
    reports, note = rewrite_worst(
        northwind,  # type: ignore[arg-type]
        lambda path: Config(),
        ModelSession(spec, cache_dir=tmp_path, use_cache=False),
        without_model=4,
    )
    assert len(reports) > 2
    assert openai_stub.count <= spec.slots  # one wave of requests, then the rules for every draft
    later = [p for r in reports[1:] for p in r.proposals]
    assert later and all(p.answered_by == "rules" for p in later)
    assert all("did not answer an earlier item in 1 s" in (p.reason or "") for p in later)
    assert "stopped answering" in note
