"""Speed of the organisation review on a generated organisation, printed as figures (never asserted).

    python benchmarks/org.py                       # 500 teams, ~10,000 KRs, jobs 1 and 2
    python benchmarks/org.py --teams 100 --jobs 1  # quicker

Generates a folder tree shaped like a real cascade (company → 12 departments → groups → teams, mixed
YAML / Markdown / CSV / JSON, most teams naming the key result they support, some copying it, some
aligned to nothing, a few stale references), then measures, with the analysis cache cleared each time:

1. the single-file engine: `review_document` over one draft holding every generated key result (µs/KR);
2. reading the tree (`load_org`), the per-draft reviews and the ORG checks (`review_org`), for each
   `--jobs`; the per-KR cost of the rules (reviews + ORG checks) as a ratio to (1);
3. the same with the analysis cache warm (a second review in one process, as the TUI does);
4. peak memory (max RSS) of this process and of its workers;
5. `okrcoach org ROOT` cold, in a child process (the whole command: start, reading, reviews, ORG checks and
   the report), for each `--jobs` and `--format text` and `json`; with `--base DIR` (an older checkout, e.g.
   `git worktree add /tmp/base <commit>`) the same for that tree, printed as before -> after.

Wall times suffer when other work shares the CPUs; the CPU seconds printed beside them do not.

`generate_org(root, teams=..., seed=...)` is also used by the tests (300 files, one unreadable).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

METRICS = [
    ("checkout completion", "%"),
    ("weekly active teams", ""),
    ("p95 API latency", " ms"),
    ("trial-to-paid conversion", "%"),
    ("NPS", ""),
    ("first reply time", " h"),
    ("week-one activation", "%"),
    ("support tickets per account", ""),
    ("failed card payments", "%"),
    ("organic sign-ups", ""),
    ("time to first value", " days"),
    ("net revenue retention", "%"),
    ("open P1 bugs", ""),
    ("deploy frequency", " a week"),
    ("cost per 1,000 events", " $"),
    ("bank-feed connection failures", "%"),
    ("invoices auto-matched", "%"),
    ("onboarding calls in week one", "%"),
]
SEGMENTS = ["mid-market", "SMB", "enterprise", "EMEA", "US", "APAC", "partner", "self-serve", "annual-plan"]
TASKS = [
    "Launch the {thing}",
    "Ship the {thing} to all {segment} customers",
    "Publish {n} {segment} case studies",
    "Migrate the {thing} to the new platform",
    "Run {n} {segment} customer workshops",
]
THINGS = [
    "invoicing page",
    "partner portal",
    "approvals screen",
    "billing service",
    "onboarding flow",
    "audit log",
]
AREAS = [
    "ledger",
    "bank-feed",
    "approvals",
    "payroll",
    "expense",
    "invoice",
    "tax",
    "audit",
    "payout",
    "card",
    "forecast",
    "budget",
]
AREAS_B = [
    "export",
    "import",
    "sync",
    "search",
    "alerts",
    "rules",
    "reports",
    "api",
    "mobile",
    "web",
    "admin",
    "billing",
    "sso",
    "onboarding",
]
VERBS_UP = ["Raise", "Grow", "Increase", "Lift"]
VERBS_DOWN = ["Cut", "Reduce", "Lower"]
OBJECTIVES = [
    "Make {segment} customers successful in their first month",
    "Give {segment} finance teams a reason to stay",
    "Make the {thing} the fast, dull part of the product",
    "Win {segment} deals on value, not discounts",
    "Turn {segment} trials into habits in the first week",
    "Make {segment} incidents rare, short and boring",
]
FIRST = [
    "Dana",
    "Sam",
    "Priya",
    "Marco",
    "Lena",
    "Aiko",
    "Chen",
    "Ines",
    "Noor",
    "Femi",
    "Jo",
    "Ravi",
    "Sofia",
]
LAST = ["Reyes", "Okafor", "Natarajan", "Bellini", "Vogt", "Tanaka", "Wei", "Duarte", "Haddad", "Adeyemi"]


def _kr(rng: random.Random, team: int, number: int) -> str:
    if rng.random() < 0.15:
        return rng.choice(TASKS).format(
            thing=rng.choice(THINGS), segment=rng.choice(SEGMENTS), n=rng.randint(2, 9)
        )
    metric, unit = rng.choice(METRICS)
    a, b = rng.randint(5, 90), rng.randint(5, 90)
    # A fifth of key results use a metric several teams share, mostly with the agreed target; the rest
    # measure the team's own product area.
    if rng.random() < 0.2:
        segment = rng.choice(SEGMENTS)
        where = f"{segment} {metric}"
        agreed = sum(map(ord, where))
        if rng.random() < 0.85:
            b = 5 + agreed % 86
        a = rng.randint(1, b) if agreed % 2 else rng.randint(b, 99)  # each shared metric has one direction
    else:
        combos = len(AREAS) * len(AREAS_B)
        version = f" v{team // combos + 1}" if team >= combos else ""
        where = f"{AREAS[team % len(AREAS)]} {AREAS_B[team // len(AREAS) % len(AREAS_B)]}{version} {metric}"
    verb = rng.choice(VERBS_UP if b > a else VERBS_DOWN)
    if rng.random() < 0.3:
        return f"{verb} {where} to {b}{unit} in squad {team}-{number}"
    return f"{verb} {where} from {a}{unit} to {b}{unit} for cohort {team}-{number}"


def _objective(rng: random.Random) -> str:
    return rng.choice(OBJECTIVES).format(segment=rng.choice(SEGMENTS), thing=rng.choice(THINGS))


def _unit(
    rng: random.Random,
    name: str,
    level: str,
    ident: str,
    parents: list[str],
    shape: tuple[int, int],
    number: int = 0,
) -> dict:
    """One unit's draft as data (the `number`-th unit): objectives aligned to one of `parents` (or to
    nothing), key results."""
    objectives = []
    for o in range(1, rng.randint(max(1, shape[0] - 1), shape[0] + 1) + 1):
        roll = rng.random()
        parent = None if not parents or roll < 0.08 else ("co-99" if roll < 0.1 else rng.choice(parents))
        krs = []
        for k in range(1, shape[1] + rng.randint(-1, 1) + 1):
            krs.append(
                {
                    "id": f"{ident}-{o}.{k}",
                    "text": _kr(rng, number, o * 10 + k),
                    "owner": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                }
            )
        objectives.append(
            {"id": f"{ident}-{o}", "objective": _objective(rng), "parent": parent, "key_results": krs}
        )
    return {"team": name, "level": level, "period": "2026-Q3", "objectives": objectives}


def _write(path: Path, unit: dict, fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path.with_suffix(".json").write_text(json.dumps(unit, indent=1), encoding="utf-8")
    elif fmt == "csv":
        rows = ["team,level,objective id,objective,parent,id,key result,owner"]
        for o in unit["objectives"]:
            for kr in o["key_results"]:
                cells = [
                    unit["team"],
                    unit["level"],
                    o["id"],
                    o["objective"],
                    o["parent"] or "",
                    kr["id"],
                    kr["text"],
                    kr["owner"],
                ]
                rows.append(",".join(f'"{c}"' for c in cells))
        path.with_suffix(".csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    elif fmt == "md":
        lines = ["---", f"team: {unit['team']}", f"level: {unit['level']}", "period: 2026-Q3", "---", ""]
        for o in unit["objectives"]:
            lines += [f"## {o['objective']}", "", f"- Id: {o['id']}"] + (
                [f"- Supports: {o['parent']}"] if o["parent"] else []
            )
            lines += ["", "Key results:", ""]
            for kr in o["key_results"]:
                lines += [f"- {kr['text']} (owner: {kr['owner']})", f"  - Id: {kr['id']}"]
            lines.append("")
        path.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")
    else:
        lines = [f"team: {unit['team']}", f"level: {unit['level']}", "period: 2026-Q3", "objectives:"]
        for o in unit["objectives"]:
            lines += [f"  - id: {o['id']}", f"    objective: {o['objective']}"]
            lines += [f"    parent: {o['parent']}"] if o["parent"] else []
            lines.append("    key_results:")
            for kr in o["key_results"]:
                lines += [
                    f"      - id: {kr['id']}",
                    f"        text: {json.dumps(kr['text'])}",
                    f"        owner: {kr['owner']}",
                ]
        path.with_suffix(".yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate_org(root: Path, teams: int = 500, seed: int = 7, shape: tuple[int, int] = (4, 6)) -> int:
    """Write a company, 12 departments, 3 groups each and `teams` units in all; returns files written.

    `shape`: (objectives, key results) per team, give or take one key result.
    """
    rng = random.Random(seed)
    company = _unit(rng, "Company", "company", "co", [], (3, 4), 0)
    _write(root / "company", company, "yaml")
    company_krs = [kr["id"] for o in company["objectives"] for kr in o["key_results"]]
    written, departments = 1, 12
    groups_per = 3
    remaining = max(0, teams - 1 - departments - departments * groups_per)
    for d in range(departments):
        dept = _unit(rng, f"Department {d}", "department", f"d{d}", company_krs, (2, 3), written)
        _write(root / f"dept-{d}" / "index", dept, "yaml")
        written += 1
        dept_krs = [kr["id"] for o in dept["objectives"] for kr in o["key_results"]]
        for g in range(groups_per):
            group = _unit(rng, f"Group {d}.{g}", "department", f"g{d}-{g}", dept_krs, (2, 3), written)
            _write(root / f"dept-{d}" / f"group-{g}" / "index", group, "yaml")
            written += 1
            group_krs = [kr["id"] for o in group["objectives"] for kr in o["key_results"]]
            share = remaining // (departments * groups_per) + (
                1 if (d * groups_per + g) < remaining % (departments * groups_per) else 0
            )
            for t in range(share):
                ident = f"t{d}-{g}-{t}"
                team = _unit(rng, f"Team {ident}", "team", ident, group_krs, shape, written)
                if (
                    rng.random() < 0.05
                    and team["objectives"]
                    and team["objectives"][0]["parent"] in group_krs
                ):
                    parent_text = next(
                        kr["text"]
                        for o in group["objectives"]
                        for kr in o["key_results"]
                        if kr["id"] == team["objectives"][0]["parent"]
                    )
                    team["objectives"][0]["key_results"][0]["text"] = parent_text  # cascading theatre
                fmt = rng.choices(["yaml", "md", "csv", "json"], [70, 15, 10, 5])[0]
                _write(root / f"dept-{d}" / f"group-{g}" / f"team-{t}", team, fmt)
                written += 1
    return written


def _rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished workers (not disturbed by other load)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _median(rows: list[tuple[float, ...]]) -> tuple[float, ...]:
    return sorted(rows)[len(rows) // 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3, help="runs per setting; the median is printed")
    parser.add_argument("--base", type=Path, help="an older checkout whose `okrcoach org` is timed beside")
    parser.add_argument("--cli-only", action="store_true", help="only (5), the command's cold wall time")
    args = parser.parse_args(argv)
    if args.cli_only:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder) / "org"
            generate_org(root, args.teams)
            _cli(root, args)
        return 0

    from coach import engine
    from coach.analysis import kr as analysis_kr
    from coach.model import Document
    from coach.org import load_org, review_org

    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load average {load:.2f} at the start (other work slows wall times)")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "org"
        files = generate_org(root, args.teams)
        org = load_org([str(root)])
        n = len(org.key_results())
        distinct = len({i.text for i in org.key_results()})
        print(
            f"generated: {files} files, {len(org.teams)} teams, {len(org.objectives())} objectives, "
            f"{n:,} KRs ({distinct:,} distinct texts)"
        )
        single = Document("one.yaml", "yaml", [o.objective for o in org.objectives()])
        rows = []
        for _ in range(args.runs):
            analysis_kr.forget()
            wall, cpu = time.perf_counter(), _cpu()
            engine.review_document(single, None)
            rows.append((time.perf_counter() - wall, _cpu() - cpu))
        base, base_cpu = _median(rows)
        print(
            f"single-file engine (one draft, all {n:,} KRs, cold cache): {base:.2f} s wall, "
            f"{base_cpu:.2f} s CPU = {base / n * 1e6:.0f} µs/KR"
        )
        for jobs in args.jobs:
            rows = []
            for _ in range(args.runs):
                analysis_kr.forget()
                start = time.perf_counter()
                org = load_org([str(root)], jobs=jobs)
                read = time.perf_counter() - start
                analysis_kr.forget()
                wall, cpu = time.perf_counter(), _cpu()
                result = review_org(org, jobs=jobs)
                rows.append(
                    (
                        time.perf_counter() - wall,
                        _cpu() - cpu,
                        read,
                        result.timings["documents"],
                        result.timings["organisation"],
                        len(result.findings),
                    )
                )
            rules, cpu, read, docs, orgs, found = _median(rows)
            print(
                f"--jobs {jobs}, cold cache: rules {rules:.2f} s wall ({cpu:.2f} s CPU; drafts {docs:.2f} s, "
                f"then ORG checks {orgs:.2f} s) = {rules / n * 1e6:.0f} µs/KR, {rules / base:.2f}x the "
                f"single-file engine per KR; reading {read:.2f} s; {int(found):,} findings"
            )
            if jobs == 1:
                wall = time.perf_counter()
                review_org(
                    org
                )  # the analysis cache is warm now, as when drafts are re-reviewed in one process
                warm = time.perf_counter() - wall
                print(f"--jobs 1, warm cache: rules {warm:.2f} s = {warm / n * 1e6:.0f} µs/KR")
        own, children = _rss_mb()
        print(f"peak memory: this process {own:.0f} MB, largest worker {children:.0f} MB")
        _cli(root, args)
    return 0


def _cli(root: Path, args: argparse.Namespace) -> None:
    """`okrcoach org ROOT` in a child, cold: the median wall time per tree, --jobs and --format."""
    import statistics
    import subprocess

    trees = [args.base, ROOT] if args.base else [ROOT]
    for jobs in args.jobs:
        for fmt in ("text", "json"):
            times: list[list[float]] = [[] for _ in trees]
            for _ in range(args.runs):
                for tree, runs in zip(trees, times, strict=True):
                    cmd = [sys.executable, "-m", "coach.cli", "org", str(root), "--no-config"]
                    cmd += ["-f", fmt, "-j", str(jobs), "--progress", "never"]
                    start = time.perf_counter()
                    subprocess.run(
                        cmd,
                        cwd=tree,
                        env={**os.environ, "PYTHONPATH": str(tree)},
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        check=False,
                    )
                    runs.append(time.perf_counter() - start)
            medians = [statistics.median(runs) for runs in times]
            change = f" ({medians[0] / medians[1]:.2f}x faster)" if len(medians) > 1 else ""
            print(
                f"okrcoach org (cold, --jobs {jobs}, -f {fmt}): "
                + " -> ".join(f"{m:.2f} s" for m in medians)
                + f"{change} (goal <= 2 s)"
            )


if __name__ == "__main__":
    raise SystemExit(main())
