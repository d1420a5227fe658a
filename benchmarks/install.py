"""The core install against the full one: each built in a fresh virtual environment from this checkout, with
the versions CI pins (constraints.txt); prints each environment's size and install time, and their ratio.

    python benchmarks/install.py [--no-cache-dir] [--keep]

The core is `pip install .` (what the quick start and a pre-commit hook install); the full install is
`pip install ".[all]"` (every extra: the model path, the knowledge store, the browser UI). An empty venv
(pip and setuptools) is measured too, so the packages' own share can be read off. Never asserts: it
measures. Needs the package index (or a local mirror) pip is configured with; takes minutes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"
INSTALLS = {"core": ".", "full": ".[all]"}


def size_mb(folder: Path) -> float:
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath) / name
            if not path.is_symlink():
                total += path.stat().st_size
    return total / 1e6


def build(where: Path, target: str | None, no_cache: bool) -> tuple[float, float, int]:
    """(seconds to install, venv MB, packages) for `pip install <target>` into a new venv at `where`."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    python = where / "bin" / "python"
    seconds = 0.0
    if target is not None:
        command = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        command += ["--no-cache-dir"] if no_cache else []
        command += ["-c", str(CONSTRAINTS)] if CONSTRAINTS.is_file() else []
        command.append(target)
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT)
        seconds = time.perf_counter() - started
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format", "freeze", "--disable-pip-version-check"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return seconds, size_mb(where), len(listed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-cache-dir", action="store_true", help="pip downloads every wheel again")
    parser.add_argument("--keep", action="store_true", help="keep the venvs (their folder is printed)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="okrcoach-install-"))
    results: dict[str, tuple[float, float, int]] = {}
    try:
        results["empty venv"] = build(folder / "empty", None, args.no_cache_dir)
        for name, spec in INSTALLS.items():
            print(f"installing {name} (pip install '{spec}') ...", file=sys.stderr, flush=True)
            results[name] = build(folder / name, str(ROOT) + spec.removeprefix("."), args.no_cache_dir)
    finally:
        if args.keep:
            print(f"venvs kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{'install':<12} {'packages':>9} {'venv MB':>9} {'seconds':>9}")
    for name, (seconds, megabytes, packages) in results.items():
        print(f"{name:<12} {packages:>9} {megabytes:>9.1f} {seconds:>9.1f}")
    (core_s, core_mb, _), (full_s, full_mb, _) = results["core"], results["full"]
    print(
        f"full / core: {full_mb / core_mb:.1f}x the size, {full_s / max(core_s, 1e-9):.1f}x the install time"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
