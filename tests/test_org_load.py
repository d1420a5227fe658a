"""Reading an organisation: folder trees, one shared file, nested units, references, and bad input."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from coach.analysis.kr import analysis_of, forget
from coach.model import Level
from coach.org import OrgReview, load_org, load_org_text, review_org
from coach.org.alignment import depths, objective_parents

ROOT = Path(__file__).resolve().parent.parent
NORTHWIND = ROOT / "tests" / "data" / "org" / "northwind"


def benchmark_module() -> ModuleType:
    """benchmarks/org.py (its generator builds the large organisations)."""
    spec = importlib.util.spec_from_file_location("org_benchmark", ROOT / "benchmarks" / "org.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("org_benchmark", module)
    spec.loader.exec_module(module)
    return module


def test_the_handbook_shaped_organisation() -> None:
    org = load_org([str(NORTHWIND)])
    assert not org.errors and org.files == 20
    levels = {name: team.level for name, team in org.teams.items()}
    assert levels["Northwind"] is Level.COMPANY and levels["Engineering"] is Level.DEPARTMENT
    assert levels["Priya Natarajan"] is Level.INDIVIDUAL
    parents = {name: team.parent for name, team in org.teams.items()}
    assert parents["Engineering"] == "Northwind"
    assert parents["API Gateway"] == parents["SRE"] == "Platform"
    assert parents["Priya Natarajan"] == "SRE"
    # Every format is in the set: YAML, Markdown, CSV and JSON.
    assert {doc.format for doc in org.documents} == {"yaml", "markdown", "csv", "json"}
    # Five levels deep: company → Engineering → Platform → SRE → Priya.
    depth, cycles = depths(org)
    priya = next(o for o in org.objectives() if o.team == "Priya Natarajan")
    assert depth[priya.key] == 5 and not cycles
    chain, key = [], priya.key
    while True:
        chain.append(org.items[key].team)
        above = objective_parents(org, org.items[key])
        if not above:
            break
        key = above[0]
    assert chain == ["Priya Natarajan", "SRE", "Platform", "Engineering", "Northwind"]
    # References by id, qualified id (Platform/plat-1.2, Marketing/O1) and in Markdown "Supports:" lines.
    gateway = next(o for o in org.objectives() if o.id == "gw-1")
    assert [org.items[p].id for p in gateway.parents] == ["plat-1.2"]
    content = next(o for o in org.objectives() if o.team == "Content")
    assert [(org.items[p].team, org.items[p].id) for p in content.parents] == [("Marketing", "O1")]
    assert [(u.reference, u.problem.split()[0]) for u in org.unresolved] == [("co-4.2", "names")]


def test_a_team_is_named_by_its_file_and_a_folder_by_its_index(tmp_path: Path) -> None:
    (tmp_path / "growth").mkdir()
    (tmp_path / "company.yaml").write_text(
        "objectives:\n- id: co-1\n  objective: Win small agencies\n"
        "  key_results: [Grow agency ARR from $1M to $2M]\n",
        encoding="utf-8",
    )
    (tmp_path / "growth" / "index.yaml").write_text(
        "objectives:\n- objective: Make trials convert\n  parent: co-1\n"
        "  key_results: [Raise trial conversion from 6% to 9%]\n",
        encoding="utf-8",
    )
    (tmp_path / "growth" / "seo.md").write_text(
        "## Be found by agencies\n\nSupports: Make trials convert\n\n"
        "- Grow organic sign-ups from 300 to 900\n",
        encoding="utf-8",
    )
    (tmp_path / "README.md").write_text("# Our OKRs\n\nNothing to see.\n", encoding="utf-8")
    org = load_org([str(tmp_path)])
    assert not org.errors
    teams = {name: (team.level, team.level_inferred, team.parent) for name, team in org.teams.items()}
    assert teams == {
        tmp_path.name: (Level.COMPANY, True, None),
        "growth": (Level.DEPARTMENT, True, tmp_path.name),
        "seo": (Level.TEAM, True, "growth"),
    }
    seo = next(o for o in org.objectives() if o.team == "seo")
    assert [org.items[p].text for p in seo.parents] == ["Make trials convert"]  # by its text


def test_one_csv_with_team_level_and_parent_columns() -> None:
    text = (
        "team,level,objective id,objective,parent,key result,owner\n"
        "Acme,company,co-1,Win the mid-market,,Grow mid-market ARR from $4M to $6M,Maya\n"
        "Sales,department,sa-1,Make buyers say yes faster,co-1,Cut the sales cycle from 60 to 40 days,Dana\n"
        "SDR,team,sdr-1,Book better first meetings,Make buyers say yes faster,"
        "Raise meetings held from 40% to 70%,Ines\n"
        "SDR,team,sdr-1,,,Grow mid-market ARR from $4M to $6M,Ines\n"
    )
    org = load_org_text(text, "okrs.csv", "csv")
    assert [(t.name, t.level, t.parent) for t in org.teams.values()] == [
        ("Acme", Level.COMPANY, None),
        ("Sales", Level.DEPARTMENT, "Acme"),
        ("SDR", Level.TEAM, "Sales"),
    ]
    found = {(f.finding.code, f.team) for f in review_org(org).findings if f.finding.code.startswith("ORG")}
    # SDR aligns to Sales (by its objective's text), Sales to the company: the SDR key result that repeats
    # the company's is a cascade copy, even two levels down; nothing is orphaned, nothing unsupported.
    assert found == {("ORG004", "SDR")}


def test_one_file_that_nests_the_units() -> None:
    text = """\
organisation: Acme
period: 2026-Q3
teams:
  - team: Acme
    objectives:
      - id: co-1
        objective: Win the mid-market
        key_results: [Grow mid-market ARR from $4M to $6M]
    teams:
      - team: Sales
        objectives:
          - objective: Make buyers say yes faster
            parent: co-1
            key_results: [Cut the sales cycle from 60 to 40 days]
        teams:
          - team: SDR
            objectives:
              - objective: Book better first meetings
                parent: Sales/O1
                key_results: [Raise meetings held from 40% to 70%]
          - team: Broken
            objectives: "not a list"
"""
    org = load_org_text(text)
    assert [(t.name, t.level, t.parent) for t in org.teams.values()] == [
        ("Acme", Level.COMPANY, None),
        ("Sales", Level.DEPARTMENT, "Acme"),
        ("SDR", Level.TEAM, "Sales"),
    ]
    assert [str(e) for e in org.errors] == [
        "organisation.yaml:22:25: objectives must be a list, got a string"
    ]
    assert all(doc.period == "2026-Q3" for doc in org.documents)
    as_json = load_org_text(
        json.dumps(
            {
                "teams": [
                    {
                        "team": "Acme",
                        "level": "company",
                        "objectives": [{"objective": "Win", "key_results": ["Grow ARR to $6M"]}],
                    }
                ]
            }
        ),
        "org.json",
        "json",
    )
    assert list(as_json.teams) == ["Acme"] and not as_json.errors


def test_references_ambiguous_or_unknown_are_reported() -> None:
    text = """\
teams:
  - team: A
    level: department
    objectives:
      - objective: Make onboarding painless
        key_results: [Raise week-one activation from 40% to 55%]
  - team: B
    level: department
    objectives:
      - objective: Make billing painless
        key_results: [Cut billing tickets from 90 to 30 a month]
  - team: C
    level: team
    objectives:
      - objective: Make the first invoice easy
        parent: O1
        key_results: [Raise first invoices sent in week one from 30% to 60%]
      - objective: Make invoices clear
        parent: make onboarding  painless!
        key_results: [Cut invoice questions from 80 to 20 a month]
"""
    org = load_org_text(text)
    [problem] = org.unresolved
    assert problem.reference == "O1" and problem.problem.startswith("matches 2 elements (A/O1, B/O1)")
    clear = next(o for o in org.objectives() if o.text == "Make invoices clear")
    assert [org.items[p].team for p in clear.parents] == ["A"]


def test_one_unreadable_file_among_300_does_not_stop_the_review(tmp_path: Path) -> None:
    generate = benchmark_module().generate_org
    written = generate(tmp_path / "org", teams=300, shape=(2, 2))
    assert written == 300
    broken = sorted((tmp_path / "org").rglob("team-*.yaml"))[3]
    broken.write_text("objectives:\n  - objective: [unclosed\n", encoding="utf-8")
    binary = sorted((tmp_path / "org").rglob("team-*.yaml"))[7]
    binary.write_bytes(b"\x00\x01\x02 not text")
    org = load_org([str(tmp_path / "org")], jobs=2)
    assert org.files == 300
    assert sorted(e.file for e in org.errors) == sorted([str(broken), str(binary)])
    assert "invalid YAML" in next(str(e) for e in org.errors if e.file == str(broken))
    assert len({doc.path for doc in org.documents}) == 298
    result = review_org(org, jobs=2)
    assert len(result.documents()) == 298 and result.findings


def test_jobs_give_the_same_review(tmp_path: Path) -> None:
    shutil.copytree(NORTHWIND, tmp_path / "northwind")
    one = review_org(load_org([str(tmp_path / "northwind")]))
    two = review_org(load_org([str(tmp_path / "northwind")], jobs=2), jobs=2)

    def key(review: OrgReview) -> list[tuple[str, str, int, str]]:
        return sorted(
            (f.finding.code, f.finding.span.file, f.finding.span.line, f.finding.message)
            for f in review.findings
        )

    assert key(one) == key(two)
    # the workers' analyses, kept for the parent, are what the parent itself would make
    from_workers = [analysis_of(kr.element) for kr in two.organisation.key_results()]  # type: ignore[arg-type]
    forget()
    fresh = [analysis_of(kr.element) for kr in one.organisation.key_results()]  # type: ignore[arg-type]
    assert from_workers == fresh and len(fresh) > 10


def test_missing_paths_and_empty_folders_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    org = load_org([str(tmp_path / "nope"), str(tmp_path / "empty")])
    assert [e.message for e in org.errors] == [
        "no such file or folder",
        "folder holds no OKR drafts (.yaml, .md, .csv, .json, .xlsx)",
    ]


@pytest.mark.parametrize("name", ["company.yaml", "index.yaml"])
def test_a_root_index_file_is_the_company(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(
        "objectives:\n- objective: Win\n  key_results: [Grow ARR to $6M]\n", encoding="utf-8"
    )
    org = load_org([str(tmp_path)])
    assert [t.level for t in org.teams.values()] == [Level.COMPANY]
