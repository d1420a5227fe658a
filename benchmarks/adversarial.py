"""Hostile input through the review path the CLI uses: seconds per MB for each shape, format and size.

    python benchmarks/adversarial.py                        # every shape, 1 and 4 MB, the four formats
    python benchmarks/adversarial.py --sizes 1 5 20         # up to the 20 MB input limit
    python benchmarks/adversarial.py --shapes digits brackets --formats markdown
    python benchmarks/adversarial.py --sizes 0.05 0.2 --timeout 60  # on an older version, say

Each shape is a text that once made a regular expression or a loop super-linear (8,000 digits took 40 s,
80,000 "[" took 20 s). It is written three ways: as one key result of the whole size ("line"), as many key
results of 2,000 characters ("many"), and as the title of one objective ("objective"). Each file goes
through `okrcoach review --format json` in this process (`coach.cli.main`), so parsing, analysis, rules and
rendering are all timed. Seconds per MB should stay flat as the size grows: a figure that grows with the
size is a super-linear pass. With --timeout, each file runs in a child process and a file that runs out of
time prints ">N" (at least N seconds per MB).

The generators are shared with tests/test_adversarial.py and scripts/fuzz.py.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MB = 1_000_000
CHUNK = 2_000  # characters per key result in the "many" layout

# Each shape: a function of the length it must fill (it may return a little more; callers cut it).
SHAPES: dict[str, Callable[[int], str]] = {
    "digits": lambda n: "Raise sign-ups to " + "9" * n,
    "digit-groups": lambda n: "Raise revenue from " + "1," * (n // 2),
    "numbers": lambda n: "Cut p95 " + "1 ms and 2% " * (n // 12),
    "brackets": lambda n: "[" * n,
    "links": lambda n: "[a](" * (n // 4),
    "parens": lambda n: "(" * n,
    "clauses": lambda n: "Reduce churn from 5% to 3% and " * (n // 31),
    "long-word": lambda n: "Raise " + "a" * n,
    "emphasis": lambda n: "**_" * (n // 6) + "x" + "_**" * (n // 6),
    "underscores": lambda n: "a_" * (n // 2),
    "spaces": lambda n: "Raise" + " \t" * (n // 2) + "NPS",
    "placeholders": lambda n: "[x] " * (n // 4),
    "from-to": lambda n: "from 1 " * (n // 7),
    "arrows": lambda n: "1 -> " * (n // 5),
    "dashes": lambda n: " - " * (n // 3),
    "colons": lambda n: "a: " * (n // 3),
    "html": lambda n: "<!-- " * (n // 5),
    "pipes": lambda n: "| " * (n // 2),
}

FORMATS = ("yaml", "markdown", "csv", "json")
SUFFIX = {"yaml": ".yaml", "markdown": ".md", "csv": ".csv", "json": ".json"}


def payload(shape: str, length: int) -> str:
    """`length` characters of a shape, on one line."""
    text = SHAPES[shape](length)
    return (text * (length // max(1, len(text)) + 1))[:length].replace("\n", " ")


def key_results(shape: str, size: int, layout: str) -> list[str]:
    """Key result texts that add up to about `size` characters."""
    if layout == "objective":
        return ["Raise checkout completion from 61% to 75%"]
    if layout == "line":
        return [payload(shape, size)]
    count = max(1, size // CHUNK)
    return [payload(shape, CHUNK)] * count


def document(fmt: str, krs: list[str], objectives: int = 1, title: str | None = None) -> str:
    """A draft in `fmt` holding these key results under `objectives` objectives (the first one's title is
    `title` when given)."""
    per = max(1, -(-len(krs) // objectives))
    groups = [krs[i : i + per] for i in range(0, len(krs), per)] or [[]]
    if title is not None:
        return _document(fmt, groups, [title] + [f"Make paying effortless {n}" for n in range(2, 99)])
    return _document(fmt, groups, [f"Make paying effortless {n}" for n in range(1, len(groups) + 1)])


def _document(fmt: str, groups: list[list[str]], titles: list[str]) -> str:
    if fmt == "json":
        data = {
            "objectives": [
                {"objective": title, "key_results": [{"text": kr} for kr in group]}
                for title, group in zip(titles, groups, strict=False)
            ]
        }
        return json.dumps(data, ensure_ascii=False)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["objective", "key result"])
        for title, group in zip(titles, groups, strict=False):
            for kr in group:
                writer.writerow([title, kr])
        return buffer.getvalue()
    if fmt == "markdown":
        parts = []
        for n, (title, group) in enumerate(zip(titles, groups, strict=False), 1):
            parts.append(f"## Objective {n}: {title}\n\n")
            parts.extend(f"- KR{i}: {kr}\n" for i, kr in enumerate(group, 1))
            parts.append("\n")
        return "".join(parts)
    parts = ["objectives:\n"]
    for title, group in zip(titles, groups, strict=False):
        parts.append(f"  - objective: |-\n      {title}\n    key_results:\n")
        # A block scalar keeps the text as written: brackets, colons and quotes need no escaping there.
        parts.extend(f"      - text: |-\n          {kr}\n" for kr in group)
    return "".join(parts)


def review_file(path: Path, output_format: str = "json") -> int:
    """`okrcoach review --no-config PATH --format F` in this process; returns the exit code."""
    from coach.cli import main

    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stderr(io.StringIO()):
        out = str(Path(folder) / "report")
        return main(["review", "--no-config", str(path), "--format", output_format, "--output", out])


def review_text(text: str, fmt: str, output_format: str = "json") -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"draft{SUFFIX[fmt]}"
        path.write_text(text, encoding="utf-8")
        return review_file(path, output_format)


def measure(shape: str, fmt: str, layout: str, megabytes: float) -> tuple[float, float, int]:
    """(seconds, MB actually written, exit code) for one file."""
    size = int(megabytes * MB)
    title = payload(shape, size) if layout == "objective" else None
    text = document(fmt, key_results(shape, size, layout), objectives=3, title=title)
    size = len(text.encode("utf-8")) / MB
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"draft{SUFFIX[fmt]}"
        path.write_text(text, encoding="utf-8")
        del text
        start = time.perf_counter()
        code = review_file(path)
        return time.perf_counter() - start, size, code


def measure_within(
    shape: str, fmt: str, layout: str, megabytes: float, timeout: float | None
) -> tuple[float, float, int] | None:
    """measure() in a child process killed after `timeout` seconds (None: it ran out of time)."""
    if timeout is None:
        return measure(shape, fmt, layout, megabytes)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        send.send(measure(shape, fmt, layout, megabytes))

    process = context.Process(target=child, daemon=True)
    process.start()
    ready = receive.poll(timeout)
    result: tuple[float, float, int] | None = receive.recv() if ready else None
    process.kill()
    process.join()
    return result


LAYOUTS = ("line", "many", "objective")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=float, nargs="+", default=[1.0, 4.0], help="file sizes in MB")
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=sorted(SHAPES))
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--layouts", nargs="+", choices=LAYOUTS, default=list(LAYOUTS))
    parser.add_argument("--timeout", type=float, help="give up on one file after this many seconds")
    args = parser.parse_args()
    for fmt in FORMATS:  # load every module once here, not in each child process's timing
        measure("clauses", fmt, "many", 0.001)
    sizes = sorted(args.sizes)
    header = f"{'shape':14} {'format':9} {'layout':9} " + " ".join(f"{f'{s:g} MB s/MB':>12}" for s in sizes)
    print(header + "  exit codes")
    worst = 0.0
    for shape in args.shapes:
        for fmt in args.formats:
            for layout in args.layouts:
                cells, codes = [], []
                for megabytes in sizes:
                    measured = measure_within(shape, fmt, layout, megabytes, args.timeout)
                    if measured is None:  # ran out of time: at least timeout / size
                        cells.append(f"{'>' + format(args.timeout / megabytes, '.1f'):>12}")
                        codes.append("-")
                        worst = float("inf")
                        break
                    seconds, size, code = measured
                    per_mb = seconds / size
                    worst = max(worst, per_mb)
                    cells.append(f"{per_mb:12.2f}")
                    codes.append(str(code))
                row = f"{shape:14} {fmt:9} {layout:9} " + " ".join(cells) + "  " + ",".join(codes)
                print(row, flush=True)
    print(f"worst: {worst:.2f} s/MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
