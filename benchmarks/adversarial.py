"""Hostile input through the review path the CLI uses: seconds per MB for each shape, format and size.

    python benchmarks/adversarial.py                        # every shape, 1 and 4 MB, the four formats
    python benchmarks/adversarial.py --sizes 1 5 20         # up to the 20 MB input limit
    python benchmarks/adversarial.py --shapes digits brackets --formats markdown

Each shape is a text that once made a regular expression or a loop super-linear (8,000 digits took 40 s,
80,000 "[" took 20 s). It is written two ways: as one key result of the whole size ("line"), and as many key
results of 2,000 characters ("many"). Each file goes through `okrcoach review --format json` in this process
(`coach.cli.main`), so parsing, analysis, rules and rendering are all timed. Seconds per MB should stay flat
as the size grows: a figure that doubles with the size is a quadratic pass.

The generators are shared with tests/test_adversarial.py and scripts/fuzz.py.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
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
    if layout == "line":
        return [payload(shape, size)]
    count = max(1, size // CHUNK)
    return [payload(shape, CHUNK)] * count


def document(fmt: str, krs: list[str], objectives: int = 1) -> str:
    """A draft in `fmt` holding these key results under `objectives` objectives."""
    per = max(1, -(-len(krs) // objectives))
    groups = [krs[i : i + per] for i in range(0, len(krs), per)] or [[]]
    if fmt == "json":
        data = {
            "objectives": [
                {"objective": f"Make paying effortless {n}", "key_results": [{"text": kr} for kr in group]}
                for n, group in enumerate(groups, 1)
            ]
        }
        return json.dumps(data, ensure_ascii=False)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["objective", "key result"])
        for n, group in enumerate(groups, 1):
            for kr in group:
                writer.writerow([f"Make paying effortless {n}", kr])
        return buffer.getvalue()
    if fmt == "markdown":
        parts = []
        for n, group in enumerate(groups, 1):
            parts.append(f"## Objective {n}: Make paying effortless {n}\n\n")
            parts.extend(f"- KR{i}: {kr}\n" for i, kr in enumerate(group, 1))
            parts.append("\n")
        return "".join(parts)
    parts = ["objectives:\n"]
    for n, group in enumerate(groups, 1):
        parts.append(f"  - objective: Make paying effortless {n}\n    key_results:\n")
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
    text = document(fmt, key_results(shape, int(megabytes * MB), layout), objectives=3)
    size = len(text.encode("utf-8")) / MB
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"draft{SUFFIX[fmt]}"
        path.write_text(text, encoding="utf-8")
        del text
        start = time.perf_counter()
        code = review_file(path)
        return time.perf_counter() - start, size, code


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=float, nargs="+", default=[1.0, 4.0], help="file sizes in MB")
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=sorted(SHAPES))
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--layouts", nargs="+", choices=("line", "many"), default=["line", "many"])
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    header = f"{'shape':14} {'format':9} {'layout':6} " + " ".join(f"{f'{s:g} MB s/MB':>12}" for s in sizes)
    print(header + "  exit codes")
    worst = 0.0
    for shape in args.shapes:
        for fmt in args.formats:
            for layout in args.layouts:
                cells, codes = [], []
                for megabytes in sizes:
                    seconds, size, code = measure(shape, fmt, layout, megabytes)
                    per_mb = seconds / size
                    worst = max(worst, per_mb)
                    cells.append(f"{per_mb:12.2f}")
                    codes.append(str(code))
                row = f"{shape:14} {fmt:9} {layout:6} " + " ".join(cells) + "  " + ",".join(codes)
                print(row, flush=True)
    print(f"worst: {worst:.2f} s/MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
