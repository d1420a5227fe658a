"""Configuration files: discovery by walking up, pyproject tables, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.config import find_config, load_config
from coach.model import InputError, Severity


def test_found_by_walking_up_and_read(tmp_path: Path) -> None:
    (tmp_path / "okrcoach.toml").write_text(
        'select = ["KR", "OBJ001"]\nignore = ["KR010"]\nfail-on = "warning"\n'
        '[severity]\nKR004 = "warning"\n[thresholds]\nmax-krs-per-objective = 5\n',
        encoding="utf-8",
    )
    nested = tmp_path / "teams" / "payments"
    nested.mkdir(parents=True)
    draft = nested / "draft.yaml"
    draft.write_text("objectives: []\n", encoding="utf-8")
    found = find_config(draft)
    assert found == tmp_path / "okrcoach.toml"
    config = load_config(found)
    assert config.select == ["KR", "OBJ001"] and config.ignore == ["KR010"]
    assert config.fail_on is Severity.WARNING
    assert config.severity == {"KR004": Severity.WARNING}
    assert config.thresholds["max-krs-per-objective"] == 5
    assert config.enabled("KR001") and not config.enabled("KR010") and not config.enabled("SET001")


def test_pyproject_table_is_used_only_when_present(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text('[tool.okrcoach]\nignore = ["KR004"]\n', encoding="utf-8")
    assert load_config(find_config(tmp_path)).ignore == ["KR004"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("selec = ['KR']", "unknown config key 'selec'"),
        ("select = ['ZZ']", "matches no rule code"),
        ("fail-on = 'loud'", "unknown severity"),
        ("[severity]\nKR001 = 'shout'", "unknown severity"),
        ("[severity]\nKR999 = 'error'", "not a rule code"),
        ("[thresholds]\nmax-krs = 3", "unknown threshold"),
        ("[thresholds]\nmax-krs-per-objective = 'four'", "non-negative number"),
        ("select = [", "invalid TOML"),
    ],
)
def test_bad_config_names_file_and_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "okrcoach.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=problem) as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_model_table_is_checked_and_keys_stay_out_of_files(tmp_path: Path) -> None:
    path = tmp_path / "okrcoach.toml"
    path.write_text(
        '[model]\nname = "openai:gpt-4o-mini"\ntimeout = 20\n[cycle]\nstart = 2026-01-01\nend = 2026-03-31\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.model == {"name": "openai:gpt-4o-mini", "timeout": 20}
    assert config.cycle == {"start": "2026-01-01", "end": "2026-03-31"}
    path.write_text('[model]\napi-key = "sk-no"\n', encoding="utf-8")
    with pytest.raises(InputError, match="environment, not in a file"):
        load_config(path)
    path.write_text('[model]\nnmae = "x"\n', encoding="utf-8")
    with pytest.raises(InputError, match="unknown key 'nmae'"):
        load_config(path)


@pytest.mark.parametrize("value", [0, 1.5, 0.0])
def test_a_similarity_threshold_is_a_share_above_zero(tmp_path: Path, value: float) -> None:
    # 0 was accepted and then crashed the duplicate rules with a ZeroDivisionError traceback
    path = tmp_path / "okrcoach.toml"
    path.write_text(f"[thresholds]\nduplicate-similarity = {value}\n")
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert "duplicate-similarity must be a share above 0 and at most 1" in str(caught.value)


def test_the_review_runs_at_the_highest_similarity_threshold(tmp_path: Path) -> None:
    from coach.engine import review

    path = tmp_path / "okrcoach.toml"
    path.write_text("[thresholds]\nduplicate-similarity = 1\ncross-team-duplicate-similarity = 1\n")
    draft = Path(__file__).resolve().parent.parent / "examples" / "team-draft.yaml"
    assert review([str(draft)], load_config(path)).documents
