"""Every write of a draft or a report: atomic, honest about failures, kind to links, modes and backups.

Tests run as root here and in CI, and root ignores permission bits. So: a read-only *draft* is refused by
its mode bits (no write bit for anyone), which holds for root too; a read-only *folder* is tested by
running the CLI as the user `nobody` (setpriv), and skipped with that reason where that is not possible;
a full disk is a real write failure made with RLIMIT_FSIZE (EFBIG), which stops root as well.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.cli import main as cli
from coach.io import write_atomic
from coach.model import InputError
from coach.write.edits import Edit, write_edits

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "team-draft.yaml"
METRICS = ROOT / "tests" / "data" / "metrics"
GROWTH = METRICS / "growth-draft.yaml"  # `baselines --write` writes five baselines into it
OLD = "team: Payments\nobjectives:\n  - objective: Make paying us effortless\n"


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _baselines_write(draft: Path) -> list[str]:
    files = [METRICS / "bi-export.csv", METRICS / "dashboard-export.csv"]
    metrics = [arg for f in files for arg in ("--metrics", str(f))]
    return ["baselines", str(draft), *metrics, "--embedding", "hashing", "--no-config", "--write"]


def _one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], name: str) -> str:
    code = cli(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert name in err, err
    return err


# -- the defects as reported -----------------------------------------------------------------------------


def test_a_read_only_draft_is_refused_even_for_root(tmp_path: Path) -> None:
    draft = tmp_path / "d.yaml"
    draft.write_text(OLD, encoding="utf-8")
    draft.chmod(0o444)
    with pytest.raises(InputError, match="read-only"):
        write_atomic(draft, "new\n", backup=True)
    assert draft.read_text(encoding="utf-8") == OLD
    assert stat.S_IMODE(draft.stat().st_mode) == 0o444
    assert not (tmp_path / "d.yaml.bak").exists() and not _temps(tmp_path)


def test_baselines_write_refuses_a_read_only_draft_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "growth-draft.yaml"
    shutil.copy(GROWTH, draft)
    draft.chmod(0o444)
    _one_line_exit_2(capsys, _baselines_write(draft), str(draft))
    assert draft.read_bytes() == GROWTH.read_bytes()


def test_a_symlinked_draft_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    real = tmp_path / "real" / "okrs.yaml"
    real.parent.mkdir()
    real.write_text(OLD, encoding="utf-8")
    link = tmp_path / "d.yaml"
    link.symlink_to(real)
    write_atomic(link, "new\n", backup=True)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text(encoding="utf-8") == "new\n"
    assert (tmp_path / "d.yaml.bak").read_text(encoding="utf-8") == OLD
    assert not _temps(tmp_path) and not _temps(real.parent)


def test_a_hard_linked_draft_changes_under_both_names(tmp_path: Path) -> None:
    draft = tmp_path / "d.yaml"
    draft.write_text(OLD, encoding="utf-8")
    other = tmp_path / "other-name.yaml"
    os.link(draft, other)
    write_atomic(draft, "new\n", backup=True)
    assert draft.read_text(encoding="utf-8") == other.read_text(encoding="utf-8") == "new\n"
    assert os.path.samefile(draft, other)
    assert (tmp_path / "d.yaml.bak").read_text(encoding="utf-8") == OLD
    assert not _temps(tmp_path)


def test_a_bak_that_is_a_folder_is_one_line_and_the_draft_is_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "growth-draft.yaml"
    shutil.copy(GROWTH, draft)
    (tmp_path / "growth-draft.yaml.bak").mkdir()
    err = _one_line_exit_2(capsys, _baselines_write(draft), "growth-draft.yaml.bak")
    assert "not changed" in err
    assert draft.read_bytes() == GROWTH.read_bytes() and not _temps(tmp_path)


def test_a_read_only_bak_is_refused(tmp_path: Path) -> None:
    draft = tmp_path / "d.yaml"
    draft.write_text(OLD, encoding="utf-8")
    bak = tmp_path / "d.yaml.bak"
    bak.write_text("an older backup\n", encoding="utf-8")
    bak.chmod(0o444)
    with pytest.raises(InputError, match=r"d\.yaml\.bak: .*read-only"):
        write_atomic(draft, "new\n", backup=True)
    assert draft.read_text(encoding="utf-8") == OLD
    assert bak.read_text(encoding="utf-8") == "an older backup\n" and not _temps(tmp_path)


def test_the_backup_is_written_atomically(tmp_path: Path) -> None:
    """The old `.bak` is replaced by a rename, never truncated in place: an open handle keeps the old one."""
    draft = tmp_path / "d.yaml"
    draft.write_text(OLD, encoding="utf-8")
    bak = tmp_path / "d.yaml.bak"
    bak.write_text("an older backup\n", encoding="utf-8")
    before = bak.stat().st_ino
    write_atomic(draft, "new\n", backup=True)
    assert bak.read_text(encoding="utf-8") == OLD and bak.stat().st_ino != before


def test_a_file_standing_where_a_folder_should_be(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "reports").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "reports" / "review.md"
    _one_line_exit_2(capsys, ["review", str(EXAMPLE), "--no-config", "-o", str(out)], str(out))


def test_a_folder_in_the_way_of_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "review.md"
    out.mkdir()
    _one_line_exit_2(capsys, ["review", str(EXAMPLE), "--no-config", "-o", str(out)], str(out))
    assert out.is_dir() and not _temps(tmp_path)


@pytest.mark.parametrize("command", ["checkin", "org"])
def test_every_writer_turns_a_write_failure_into_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    argv = {
        "checkin": [
            "checkin",
            str(ROOT / "tests/data/checkins/team-draft.yaml"),
            "--history",
            str(ROOT / "tests/data/checkins/clean.csv"),
            "--date",
            "2026-02-12",
        ],
        "org": ["org", str(EXAMPLE), "--jobs", "1"],
    }[command]
    _one_line_exit_2(capsys, [*argv, "--no-config", "-o", str(out)], str(out))


def test_any_exception_removes_the_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = tmp_path / "d.yaml"
    draft.write_text(OLD, encoding="utf-8")

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(draft, "new\n")
    assert draft.read_text(encoding="utf-8") == OLD and not _temps(tmp_path)


def test_a_full_disk_is_one_line_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "d.yaml"
    draft.write_text(OLD, encoding="utf-8")

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InputError, match="No space left on device") as caught:
        write_atomic(draft, "new\n", backup=True)
    assert "\n" not in str(caught.value)
    assert draft.read_text(encoding="utf-8") == OLD and not _temps(tmp_path)


def test_a_real_write_failure_as_root_leaves_the_draft_and_no_temp(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes the write itself fail (EFBIG), for root too: the nearest thing to a full disk."""
    draft = tmp_path / "growth-draft.yaml"
    shutil.copy(GROWTH, draft)
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (256, 256))\n"
        "from coach.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    argv = [sys.executable, "-c", script, *_baselines_write(draft)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    problems = [line for line in done.stderr.splitlines() if line.startswith("okrcoach:")]
    assert len(problems) == 1 and "Traceback" not in done.stderr and str(draft) in problems[0]
    assert draft.read_bytes() == GROWTH.read_bytes() and not _temps(tmp_path)


# -- modes -------------------------------------------------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_new_files_get_the_umask_mode(tmp_path: Path, umask_022: None) -> None:
    out = tmp_path / "report.md"
    write_atomic(out, "shared\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_review_output_can_be_read_by_the_team(
    tmp_path: Path, umask_022: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "review.md"
    cli(["review", str(EXAMPLE), "--no-config", "-f", "markdown", "-o", str(out)])
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_existing_files_keep_their_mode_and_the_backup_gets_the_drafts(
    tmp_path: Path, umask_022: None
) -> None:
    draft = tmp_path / "d.yaml"
    draft.write_text(OLD, encoding="utf-8")
    draft.chmod(0o640)
    write_atomic(draft, "new\n", backup=True)
    assert stat.S_IMODE(draft.stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "d.yaml.bak").stat().st_mode) == 0o640


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_root_keeps_the_owner_of_a_file_it_rewrites(tmp_path: Path) -> None:
    draft = tmp_path / "d.yaml"
    draft.write_text(OLD, encoding="utf-8")
    os.chown(draft, 65534, 65534)
    write_atomic(draft, "new\n")
    assert (draft.stat().st_uid, draft.stat().st_gid) == (65534, 65534)


def test_a_symlink_loop_is_one_line(tmp_path: Path) -> None:
    loop = tmp_path / "d.yaml"
    loop.symlink_to(tmp_path / "d.yaml")
    with pytest.raises(InputError, match=r"d\.yaml: cannot write"):
        write_atomic(loop, "new\n")


# -- temporary files left by a killed run ----------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temps_of_a_killed_run_are_removed_by_the_next_write(tmp_path: Path) -> None:
    draft = tmp_path / "d.yaml"
    draft.write_text(OLD, encoding="utf-8")
    dead = tmp_path / f".d.yaml.{_dead_pid()}.abcd1234.tmp"
    dead.write_text("half", encoding="utf-8")
    dead_bak = tmp_path / f".d.yaml.bak.{_dead_pid()}.zz_x9y8w.tmp"
    dead_bak.write_text("", encoding="utf-8")
    alive = tmp_path / f".d.yaml.{os.getppid()}.qwer5678.tmp"  # a writer that is still running
    alive.write_text("in progress", encoding="utf-8")
    unrelated = tmp_path / ".other.yaml.1.abcd1234.tmp"
    unrelated.write_text("not ours", encoding="utf-8")
    write_atomic(draft, "new\n", backup=True)
    assert _temps(tmp_path) == sorted([alive.name, unrelated.name])


def test_clean_stale_temps_is_quiet_when_the_folder_is_gone(tmp_path: Path) -> None:
    from coach.io import clean_stale_temps

    assert clean_stale_temps(tmp_path / "gone" / "d.yaml") == 0


# -- through the writers ---------------------------------------------------------------------------------


def test_write_edits_follows_a_symlink_and_names_the_backup(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    shutil.copy(EXAMPLE, real)
    link = tmp_path / "team-draft.yaml"
    link.symlink_to(real)
    old = "Make paying us effortless for small businesses"
    edit = Edit("pay-1", _span_of(real, "pay-1"), old, "Pay us fast")
    backup = write_edits(str(link), "yaml", [edit])
    assert link.is_symlink() and "Pay us fast" in real.read_text(encoding="utf-8")
    assert backup == tmp_path / "team-draft.yaml.bak" and backup.read_bytes() == EXAMPLE.read_bytes()


def _span_of(path: Path, element: str):  # type: ignore[no-untyped-def]
    from coach.parse import load

    doc = load(str(path))
    for objective in doc.objectives:
        if objective.id == element:
            return objective.span
    raise AssertionError(element)


# -- a read-only folder: needs a user that permission bits stop ------------------------------------------


def _unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("running as root without setpriv: a read-only folder cannot stop root")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder every user can reach (pytest's tmp_path is private to root)."""
    base = Path(tempfile.mkdtemp(prefix="okrcoach-ro-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        for folder in [base, *base.rglob("*")]:
            if folder.is_dir():
                folder.chmod(0o755)
        shutil.rmtree(base)


@pytest.mark.parametrize("how", ["review -o", "baselines --write"])
def test_a_read_only_folder_is_one_line_and_exit_2(shared_folder: Path, how: str) -> None:
    prefix = _unprivileged()
    folder = shared_folder / "ro"
    folder.mkdir()
    draft = folder / "growth-draft.yaml"
    shutil.copy(GROWTH, draft)
    draft.chmod(0o666)  # the file is writable; only its folder is not
    folder.chmod(0o555)
    if how == "review -o":
        args, name = ["review", str(draft), "--no-config", "-o", str(folder / "out.md")], "out.md"
    else:
        args, name = _baselines_write(draft), "growth-draft.yaml"
    env = {**os.environ, "HOME": str(shared_folder), "OKRCOACH_CACHE_DIR": str(shared_folder / "cache")}
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "coach.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=shared_folder,
        env=env,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    problems = [line for line in done.stderr.splitlines() if line.startswith("okrcoach:")]
    assert len(problems) == 1 and name in problems[0], done.stderr
    assert draft.read_bytes() == GROWTH.read_bytes() and not _temps(folder)


# -- the TUI's save ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("whole", [False, True])
def test_tui_save_refuses_a_read_only_draft(tmp_path: Path, whole: bool) -> None:
    from coach.parse import load
    from coach.write.dump import stated_ids
    from tui import storage
    from tui.state import Draft

    path = tmp_path / "team-draft.yaml"
    shutil.copy(EXAMPLE, path)
    doc = load(str(path))
    draft = Draft(doc, str(path), stated_ids(doc))
    draft.set_text("pay-1", "Small businesses pay us without thinking about it")
    path.chmod(0o444)
    with pytest.raises(InputError, match="read-only"):
        storage.save_draft(draft, path, "yaml", whole=whole)
    assert path.read_bytes() == EXAMPLE.read_bytes() and not _temps(tmp_path)


def test_tui_save_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    from coach.parse import load
    from coach.write.dump import stated_ids
    from tui import storage
    from tui.state import Draft

    real = tmp_path / "real.yaml"
    shutil.copy(EXAMPLE, real)
    link = tmp_path / "team-draft.yaml"
    link.symlink_to(real)
    doc = load(str(link))
    draft = Draft(doc, str(link), stated_ids(doc))
    for whole, owner in ((False, "Kim"), (True, "Sam")):
        draft.set_field("pay-1.KR1", "owner", owner)
        result = storage.save_draft(draft, link, "yaml", whole=whole)
        assert link.is_symlink() and load(str(real)).objectives[0].key_results[0].owner == owner
    assert result.backup == tmp_path / "team-draft.yaml.bak" and result.backup.is_file()


def test_tui_save_onto_a_folder_is_an_input_error(tmp_path: Path) -> None:
    from coach.parse import load
    from coach.write.dump import stated_ids
    from tui import storage
    from tui.state import Draft

    doc = load(str(EXAMPLE))
    draft = Draft(doc, str(EXAMPLE), stated_ids(doc))
    (tmp_path / "new.yaml").mkdir()
    with pytest.raises(InputError, match=r"new\.yaml"):
        storage.save_draft(draft, tmp_path / "new.yaml", "yaml", whole=True)
