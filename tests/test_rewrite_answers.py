"""`okrcoach rewrite --answers answers.yaml --write`: the team's answers complete the rule path's rewrites,
and a task-like key result is written as the chosen outcome with the task kept as an initiative, in every
format, changing nothing else. Bad answers files are one-line errors (exit 2) and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.cli import main
from coach.config import Config
from coach.parse import load
from coach.rewrite import rewrite_document
from coach.rewrite.answers import Answer, load_answers

YAML = """\
# onboarding team draft
objectives:
  - id: onb
    objective: Get new teams to value faster so they stay with us
    owner: Ana
    key_results:
      - text: Launch the onboarding checklist   # the big one
        owner: Ana
      - text: Raise NPS to 40
        owner: Ana
"""

JSON = """\
{
  "objectives": [
    {
      "id": "onb",
      "objective": "Get new teams to value faster so they stay with us",
      "owner": "Ana",
      "key_results": [
        {"text": "Launch the onboarding checklist", "owner": "Ana"},
        {"text": "Raise NPS to 40", "owner": "Ana"}
      ]
    }
  ]
}
"""

MARKDOWN = """\
# Onboarding OKRs

## Objective: Get new teams to value faster so they stay with us
Owner: Ana

- Launch the onboarding checklist (owner: Ana)
- Raise NPS to 40 (owner: Ana)
"""

CSV = """\
objective,key_result,owner,initiatives
Get new teams to value faster so they stay with us,Launch the onboarding checklist,Ana,
Get new teams to value faster so they stay with us,Raise NPS to 40,Ana,
"""

ACTIVATION = "Increase week-1 activation rate from 30% to 45%"


def _ids(path: Path) -> tuple[str, str]:
    (objective,) = load(str(path)).objectives
    return objective.key_results[0].id, objective.key_results[1].id


def _run(args: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> int:
    for name in ("OKRCOACH_MODEL", "OKRCOACH_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OKRCOACH_CACHE_DIR", str(tmp_path / "cache"))
    return main(["rewrite", *args, "--no-config"])


@pytest.mark.parametrize(
    ("suffix", "source"), [(".yaml", YAML), (".json", JSON), (".md", MARKDOWN), (".csv", CSV)]
)
def test_answers_write_the_outcome_and_keep_the_task_as_an_initiative(
    suffix: str,
    source: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    draft = tmp_path / f"draft{suffix}"
    draft.write_text(source, encoding="utf-8")
    task, nps = _ids(draft)
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        f"{task}: {{metric: week-1 activation rate, baseline: 30%, target: 45%}}\n{nps}: {{baseline: 31}}\n",
        encoding="utf-8",
    )
    assert _run([str(draft), "--answers", str(answers), "--write"], monkeypatch, tmp_path) == 0
    assert "wrote 2 rewrites" in capsys.readouterr().out
    after = load(str(draft))
    (objective,) = after.objectives
    assert [kr.text for kr in objective.key_results] == [ACTIVATION, "Raise NPS from 31 to 40"]
    kept = objective.key_results[0].initiatives if suffix == ".csv" else objective.initiatives
    assert kept == ["Launch the onboarding checklist"]
    assert (tmp_path / f"draft{suffix}.bak").read_text(encoding="utf-8") == source
    # nothing else changed: the only lines that differ hold the two texts and the initiative
    changed = set(draft.read_text(encoding="utf-8").splitlines()) - set(source.splitlines())
    assert all(
        ACTIVATION in line or "31 to 40" in line or "onboarding checklist" in line or "nitiatives" in line
        for line in changed
    ), changed


def test_yaml_keeps_comments_and_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text(YAML, encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text("onb.KR1: {baseline: 30%, target: 45%}\n", encoding="utf-8")
    assert _run([str(draft), "--answers", str(answers), "--write"], monkeypatch, tmp_path) == 0
    written = draft.read_text(encoding="utf-8")
    # the metric defaults to the first candidate
    first = rewrite_document(load(str(tmp_path / "draft.yaml.bak"), "yaml"), Config()).proposals
    (task,) = [p for p in first if p.target == "onb.KR1"]
    expected_text = task.candidates[0].text.replace("from ?", "from 30%").replace("to ?", "to 45%")
    expected_text = expected_text.replace("%%", "%")
    assert written == YAML.replace(
        "    key_results:\n      - text: Launch the onboarding checklist   # the big one",
        "    initiatives:\n      - Launch the onboarding checklist\n    key_results:\n"
        f"      - text: {expected_text}   # the big one",
    )


def test_a_csv_without_an_initiatives_column_is_refused_and_left_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = "objective,key_result,owner\nGet new teams to value faster,Launch the onboarding checklist,Ana\n"
    draft = tmp_path / "draft.csv"
    draft.write_text(source, encoding="utf-8")
    (task, *_) = [kr.id for o in load(str(draft)).objectives for kr in o.key_results]
    answers = tmp_path / "a.yaml"
    answers.write_text(f"{task}: {{baseline: 30%, target: 45%}}\n", encoding="utf-8")
    assert _run([str(draft), "--answers", str(answers), "--write"], monkeypatch, tmp_path) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "initiatives" in err
    assert draft.read_text(encoding="utf-8") == source and not (tmp_path / "draft.csv.bak").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("onb.KR1: {metric: x, baseline: lots}\n", "a.yaml:1: onb.KR1.baseline: 'lots' is not a number"),
        ("onb.KR1:\n  start: 30\n", "a.yaml:2: onb.KR1: unknown key 'start'"),
        ("onb.KR9: {baseline: 3}\n", "answers 'onb.KR9', which is no element id"),
        ("- onb.KR1\n", "a.yaml:1: answers are a mapping"),
        ("onb.KR1: [1, 2]\n", "a.yaml:1: onb.KR1: give a mapping"),
        ("onb.KR1: {baseline: 30\n", "a.yaml:"),
    ],
)
def test_a_bad_answers_file_is_a_one_line_error(
    content: str,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text(YAML, encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _run(["draft.yaml", "--answers", "a.yaml", "--write"], monkeypatch, tmp_path) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err
    assert draft.read_text(encoding="utf-8") == YAML


def test_answers_choose_a_candidate_by_number_id_or_name_or_name_their_own(tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text(YAML, encoding="utf-8")
    doc = load(str(draft))

    def text(answer: Answer) -> str | None:
        report = rewrite_document(doc, Config(), answers={"onb.KR1": answer})
        (p,) = [p for p in report.proposals if p.target == "onb.KR1"]
        assert p.initiative == "Launch the onboarding checklist"
        return p.text

    assert text(Answer(metric="week-1-activation-rate", baseline="30%", target="45%")) == ACTIVATION
    assert text(Answer(metric="Week-1 activation rate", baseline="30%", target="45%")) == ACTIVATION
    report = rewrite_document(doc, Config())
    (p,) = [p for p in report.proposals if p.target == "onb.KR1"]
    second = p.candidates[1].text.split(" from ")[0]
    assert text(Answer(metric="2", baseline="3", target="4")).startswith(second)
    # the team's own measure: its direction read from the numbers
    assert text(Answer(metric="support tickets about setup", baseline="120", target="60")) == (
        "Reduce support tickets about setup from 120 to 60"
    )
    # an answer without numbers leaves them open: never invented
    assert text(Answer(metric="week-1-activation-rate")) == "Increase week-1 activation rate from ?% to ?%"


def test_open_numbers_are_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text(YAML, encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text("onb.KR1: {metric: 1, baseline: 30%}\n", encoding="utf-8")
    assert _run([str(draft), "--answers", str(answers), "--write"], monkeypatch, tmp_path) == 0
    out = capsys.readouterr().out
    assert "still asking for numbers" in out and "onb.KR1" in out and "nothing written" in out
    assert draft.read_text(encoding="utf-8") == YAML


def test_load_answers_reads_json_too(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"kr1": {"baseline": "2.8%", "target": "1.5%"}, "o1": {"text": "Paid on time"}}')
    assert load_answers(path) == {
        "kr1": Answer(baseline="2.8%", target="1.5%"),
        "o1": Answer(text="Paid on time"),
    }


METRICS = Path(__file__).parent / "data" / "metrics"


def test_metrics_fill_open_starts_with_where_they_were_read_and_never_a_mismatched_unit() -> None:
    from coach.baselines.metrics import load_all

    doc = load(str(METRICS / "growth-draft.yaml"))
    files = [str(METRICS / name) for name in ("bi-export.csv", "dashboard-export.csv", "support-eu.csv")]
    report = rewrite_document(doc, Config(), team_metrics=load_all(files))
    by_draft = {p.draft: p for p in report.proposals}
    checkout = by_draft["Raise checkout completion to 65%"]
    assert checkout.text == "Raise checkout completion from 61.2% to 65%"
    assert "row 28 of" in checkout.rationale and "dashboard-export.csv" in checkout.rationale
    assert by_draft["Grow monthly recurring revenue to $140k"].text == (
        "Grow monthly recurring revenue from $132,400 to $140k"
    )
    # a dollar series never starts a share of new ARR; no series matches active users: both stay open
    assert (
        by_draft["Launch the partner portal"].text
        == "Increase share of new ARR sourced by partners from ?% to ?%"
    )
    assert by_draft["Grow active users to 15,000"].text == "Grow active users from ? to 15,000"
    # without the metrics, nothing is filled
    plain = {p.draft: p.text for p in rewrite_document(doc, Config()).proposals}
    assert plain["Raise checkout completion to 65%"] == "Raise checkout completion from ? to 65%"


def test_the_teams_answer_wins_over_its_metrics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "growth.yaml"
    draft.write_text((METRICS / "growth-draft.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (checkout,) = [
        kr.id
        for o in load(str(draft)).objectives
        for kr in o.key_results
        if kr.text == "Raise checkout completion to 65%"
    ]
    answers = tmp_path / "a.yaml"
    answers.write_text(f"{checkout}: {{baseline: 60%}}\n", encoding="utf-8")
    args = [str(draft), "--answers", str(answers), "--format", "json"]
    args += ["--metrics", str(METRICS / "dashboard-export.csv")]
    assert _run(args, monkeypatch, tmp_path) == 0
    import json

    proposals = {p["target"]: p for p in json.loads(capsys.readouterr().out)["proposals"]}
    assert proposals[checkout]["rewrite"] == "Raise checkout completion from 60% to 65%"
    assert proposals[checkout]["from_answers"] is True


def test_interactive_asks_for_the_outcome_then_each_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    draft = tmp_path / "draft.yaml"
    draft.write_text(YAML, encoding="utf-8")
    first = next(p for p in rewrite_document(load(str(draft)), Config()).proposals if p.target == "onb.KR1")
    # the task: outcome 2, its start and end, yes; NPS: its start only (the target is in the draft), yes
    typed = "2\n30%\n45%\ny\n31\ny\n" + "n\n" * 5
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert _run([str(draft), "--interactive"], monkeypatch, tmp_path) == 0
    out = capsys.readouterr().out
    assert "is work to do; it stays as an initiative" in out and "1. " in out and "2. " in out
    (objective,) = load(str(draft)).objectives
    second = (
        first.candidates[1].text.replace("?%", "?").replace("from ?", "from 30%").replace("to ?", "to 45%")
    )
    assert objective.key_results[0].text == second
    assert objective.key_results[1].text == "Raise NPS from 31 to 40"
    assert objective.initiatives == ["Launch the onboarding checklist"]
