"""Kill `okrcoach baselines --write` at random moments and check what is left on disk.

    python scripts/kill_loop.py --runs 60   # prints runs / old / new / corrupt / temp-left / empty-bak

Each run puts the example draft (tests/data/metrics/growth-draft.yaml, which `baselines --write` fills
five baselines into) back to its old text, starts the command and sends it SIGKILL: a third of the runs
after a random delay around the time a full run takes, a third a random 0-4 ms after the `.bak` starts to
change, a third 0-4 ms after a temporary file appears, so that many kills land in the middle of a write.
`--pad-kb` adds a comment block to the draft: a bigger file takes longer to write, which widens the window.

After each run:
- the draft must be the old text or the new one, never anything else (`corrupt`);
- the `.bak`, when there is one, must be the old text: never empty (`empty-bak`) nor other (`bad-bak`);
- temporary files a kill left behind (`temp-after-kill`, expected now and then) must be gone once a later
  write of the same file has finished (`temp-left`), and none may stay after the last run.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "metrics"
DRAFT = DATA / "growth-draft.yaml"
METRICS = (DATA / "bi-export.csv", DATA / "dashboard-export.csv")


@dataclass
class Counts:
    runs: int = 0
    killed: int = 0  # the kill reached a running process (the others had finished)
    old: int = 0
    new: int = 0
    corrupt: int = 0
    temp_after_kill: int = 0
    temp_left: int = 0
    empty_bak: int = 0
    bad_bak: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"runs {self.runs} (killed {self.killed}) / old {self.old} / new {self.new} / "
            f"corrupt {self.corrupt} / temp-left {self.temp_left} / empty-bak {self.empty_bak} / "
            f"bad-bak {self.bad_bak} (temp-after-kill {self.temp_after_kill}, removed by the next write)"
        )

    @property
    def ok(self) -> bool:
        return not (self.corrupt or self.temp_left or self.empty_bak or self.bad_bak)


def _command(draft: Path) -> list[str]:
    metrics = [arg for path in METRICS for arg in ("--metrics", str(path))]
    return [sys.executable, "-m", "coach.cli", "baselines", str(draft), *metrics]


def _temps(folder: Path, draft: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith(f".{draft.name}") and p.name.endswith(".tmp")
    )


def _start(draft: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    argv = [*_command(draft), "--embedding", "hashing", "--no-config", "--write"]
    return subprocess.Popen(
        argv, cwd=draft.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns


def _wait_for(process: subprocess.Popen[bytes], deadline: float, seen: Callable[[], bool]) -> None:
    """Until `seen()` (a temporary file appears, the .bak changes) or the process ends."""
    while process.poll() is None and time.monotonic() < deadline:
        if seen():
            return
        time.sleep(0.0002)


def kill_loop(runs: int, *, seed: int = 0, pad_kb: int = 0, low: float = 0.6, high: float = 1.1) -> Counts:
    """Run the loop in a fresh temporary folder; `low`..`high`: the kill delay as a share of a full run."""
    rng = random.Random(seed)
    counts = Counts()
    with tempfile.TemporaryDirectory(prefix="okrcoach-kill-") as where:
        folder = Path(where)
        draft = folder / DRAFT.name
        bak = folder / (DRAFT.name + ".bak")
        old = DRAFT.read_bytes()
        if pad_kb:
            line = b"# padding to make the write take longer: " + b"x" * 57 + b"\n"
            old += line * (pad_kb * 1024 // len(line))
        env = {**os.environ, "OKRCOACH_CACHE_DIR": str(folder / "cache"), "PYTHONPATH": str(ROOT)}
        durations = []
        for _ in range(3):  # how long a full run takes, and the new text it writes
            draft.write_bytes(old)
            began = time.monotonic()
            done = _start(draft, env)
            _, err = done.communicate(timeout=300)
            if done.returncode != 0:
                raise SystemExit(f"the command failed: {err.decode(errors='replace')}")
            durations.append(time.monotonic() - began)
        new = draft.read_bytes()
        if new == old:
            raise SystemExit("the command wrote nothing: no new text to tell apart")
        full = statistics.median(durations)
        for _ in range(runs):
            if draft.read_bytes() != old:
                draft.write_bytes(old)
            counts.runs += 1
            before = _signature(bak)
            process = _start(draft, env)
            deadline = time.monotonic() + 3 * full
            if counts.runs % 3 == 1:
                time.sleep(rng.uniform(low, high) * full)
            else:
                if counts.runs % 3 == 2:
                    _wait_for(process, deadline, lambda: bool(_temps(folder, draft)))
                else:
                    _wait_for(process, deadline, lambda b=before: _signature(bak) != b)
                time.sleep(rng.uniform(0, 0.004))  # somewhere in the write of the .bak or of the draft
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                counts.killed += 1
            process.communicate(timeout=300)
            finished = process.returncode == 0
            text = draft.read_bytes()
            if text == old:
                counts.old += 1
            elif text == new:
                counts.new += 1
            else:
                counts.corrupt += 1
                counts.problems.append(
                    f"run {counts.runs}: the draft is neither old nor new ({len(text)} bytes)"
                )
            if bak.exists():
                backup = bak.read_bytes()
                if not backup:
                    counts.empty_bak += 1
                    counts.problems.append(f"run {counts.runs}: empty .bak")
                elif backup != old:
                    counts.bad_bak += 1
                    counts.problems.append(f"run {counts.runs}: the .bak is not the old text")
            left = _temps(folder, draft)
            if finished and left:  # a finished write of this file removes what killed runs left behind
                counts.temp_left += 1
                counts.problems.append(f"run {counts.runs}: temporary files after a finished write: {left}")
            elif left:
                counts.temp_after_kill += 1
        draft.write_bytes(old)  # one last full run: nothing may stay behind
        final = _start(draft, env)
        final.communicate(timeout=300)
        left = _temps(folder, draft)
        if final.returncode != 0 or draft.read_bytes() != new or left:
            counts.temp_left += bool(left)
            counts.problems.append(f"the last full run: exit {final.returncode}, temporary files {left}")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pad-kb", type=int, default=0, help="add this many KiB of comments to the draft")
    parser.add_argument("--low", type=float, default=0.6, help="earliest kill, as a share of a full run")
    parser.add_argument("--high", type=float, default=1.1, help="latest kill, as a share of a full run")
    args = parser.parse_args(argv)
    counts = kill_loop(args.runs, seed=args.seed, pad_kb=args.pad_kb, low=args.low, high=args.high)
    print(counts.line())
    for problem in counts.problems:
        print(f"  {problem}")
    return 0 if counts.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
