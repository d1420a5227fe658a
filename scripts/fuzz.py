"""Fuzz the review path the CLI uses with generated hostile drafts in the four formats.

    python scripts/fuzz.py                       # 10,000 inputs, 10 s limit each, seed 1
    python scripts/fuzz.py -n 500 --seed 7 --limit 5
    python scripts/fuzz.py --save failures/      # keep each crashing or hanging input as a file

Each input is a YAML, Markdown, CSV or JSON draft built from hostile pieces (long digit and bracket runs,
numbers that do not fit, markup, control and astral characters, deep nesting, broken syntax) or a valid
example draft mutated at random. A worker process runs `okrcoach review --no-config FILE --format F` for
text, JSON and SARIF (`coach.cli.main`, in the worker), so parsing, analysis, rules and rendering all run.

Counts: inputs tried; crashes (any exception out of the CLI: an InputError is not one, the CLI turns it into
exit 2); hangs (an input still running after --limit seconds: the worker is killed and replaced); and the
exit codes seen. Exits 1 when there was a crash or a hang. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import multiprocessing
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FORMATS = ("yaml", "markdown", "csv", "json")
SUFFIX = {"yaml": ".yaml", "markdown": ".md", "csv": ".csv", "json": ".json"}
OUTPUTS = ("text", "json", "sarif")

HUGE = "9" * 400
NUMBERS = [
    HUGE,
    "-" + HUGE,
    "1" + "0" * 5000,
    "1e999",
    "-1e999",
    "1e-999",
    "inf",
    "-inf",
    "nan",
    ".inf",
    "-.inf",
    ".nan",
    "Infinity",
    "-Infinity",
    "NaN",
    "0",
    "-0",
    "0x1F",
    "1_000",
    "1,000,000",
    "75%",
    "$2.5M",
    "7/10",
    "",
    "null",
    "true",
    "[]",
    "{}",
    "TBD",
    "1.2.3",
    "٣",
    "½",
]
PIECES = [
    "",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\u2028",
    "\u00a0",
    "\ufeff",
    "\u200b",
    "\u202e",
    "\x7f",
    "\x1b[31m",
    "é",
    "😀",
    "𝔘",
    "**",
    "__",
    "_",
    "*",
    "`",
    "```",
    "~~",
    "[",
    "]",
    "](",
    "[x]",
    "[ ]",
    "(",
    ")",
    "<",
    ">",
    "<!--",
    "-->",
    "<br>",
    "|",
    "#",
    "## ",
    "- ",
    "* ",
    "1. ",
    "a) ",
    "KR1: ",
    "Objective 1: ",
    "(owner: @sam)",
    "(target: 1e999)",
    "(confidence: 9999)",
    "<!-- okrcoach: ignore KR001 -- x -->",
    "okrcoach: ignore ALL",
    ":",
    ": ",
    "'",
    '"',
    "\\",
    "{",
    "}",
    "&a ",
    "*a",
    "!!str ",
    "!!python/object ",
    "%YAML 1.2",
    "---",
    "...",
    "$",
    "€",
    "→",
    "≤",
    "~",
    "from 5 to 10",
    "from 61% to 75%",
    "X%",
    "TBD",
    "by Q3",
    "31 March",
    "v2.0",
    "24/7",
    "Raise NPS",
    "Launch the new page",
    "and",
    ";",
    ",",
    "http://example.com/(a)",
    "Key results:",
]
SHAPE_UNITS = [
    "9",
    "1,",
    "[",
    "[a](",
    "(",
    "**_",
    "a_",
    "1 ms ",
    "from 1 ",
    "1 -> ",
    " - ",
    "a: ",
    "| ",
    "[x] ",
]
FIELDS = ["target", "baseline", "current", "confidence", "unit", "owner", "id", "parent", "level", "ignore"]
SCHEMA = ["objectives", "okrs", "objective", "title", "text", "key_results", "krs", "kr", "description"]


def hostile_text(rng: random.Random, longest: int = 3_000) -> str:
    parts = []
    for _ in range(rng.randint(1, 12)):
        roll = rng.random()
        if roll < 0.5:
            parts.append(rng.choice(PIECES))
        elif roll < 0.7:
            parts.append(rng.choice(SHAPE_UNITS) * rng.randint(1, longest // 2))
        elif roll < 0.85:
            parts.append(rng.choice(NUMBERS))
        else:
            parts.append("".join(_character(rng) for _ in range(rng.randint(1, 30))))
    return "".join(parts)[: longest * 2]


def _character(rng: random.Random) -> str:
    """Any character; a lone surrogate (which no file can hold) only now and then."""
    code = rng.randint(1, 0x2FFFF)
    if 0xD800 <= code <= 0xDFFF and rng.random() < 0.9:
        code -= 0x1000
    return chr(code)


def number_value(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(NUMBERS)
    if roll < 0.5:
        return hostile_text(rng, 50)
    return rng.choice(["42", "0.6", "60%", "7/10", "1,200", "-3", "2.5", "$40k", "TBD", "8"])


def _kr_fields(rng: random.Random) -> dict[str, str]:
    return {name: number_value(rng) for name in rng.sample(FIELDS, rng.randint(0, 5))}


def yaml_draft(rng: random.Random) -> str:
    import yaml

    if rng.random() < 0.5:  # valid YAML with hostile values
        objectives = []
        for _ in range(rng.randint(0, 3)):
            krs: list[object] = []
            for _ in range(rng.randint(0, 4)):
                kr: dict[str, object] = {"text": hostile_text(rng)}
                for name, value in _kr_fields(rng).items():
                    kr[name] = _typed(value)
                krs.append(kr if rng.random() < 0.8 else hostile_text(rng))
            objectives.append({rng.choice(SCHEMA[2:5]): hostile_text(rng, 300), "key_results": krs})
        data: object = {"objectives": objectives} if rng.random() < 0.9 else objectives
        return yaml.safe_dump(data, allow_unicode=rng.random() < 0.5, width=rng.choice([80, 10**9]))
    lines = ["objectives:"]  # hand-written, raw: may well be invalid YAML
    for _ in range(rng.randint(0, 3)):
        lines.append(f"  - objective: {hostile_text(rng, 200)}")
        lines.append("    key_results:")
        for _ in range(rng.randint(0, 4)):
            lines.append(f"      - text: {hostile_text(rng)}")
            lines.extend(f"        {name}: {value}" for name, value in _kr_fields(rng).items())
    if rng.random() < 0.1:
        depth = rng.randint(50, 5000)
        lines.append("deep: " + "[" * depth + "]" * depth)
    return "\n".join(lines) + "\n"


def _typed(value: str) -> object:
    """A number-looking value as the number it reads as (so YAML and JSON write it bare), else the text."""
    for convert in (int, float):
        try:
            return convert(value)
        except (ValueError, OverflowError):
            continue
    return value


def json_draft(rng: random.Random) -> str:
    objectives = []
    for _ in range(rng.randint(0, 3)):
        krs = []
        for _ in range(rng.randint(0, 4)):
            fields = ", ".join(
                f"{json.dumps(name)}: {_json_number(value)}" for name, value in _kr_fields(rng).items()
            )
            krs.append(
                "{"
                + f'"text": {json.dumps(hostile_text(rng), ensure_ascii=False)}'
                + (", " + fields if fields else "")
                + "}"
            )
        objectives.append(
            "{"
            + f'"objective": {json.dumps(hostile_text(rng, 200))}, "key_results": [{", ".join(krs)}]'
            + "}"
        )
    text = '{"objectives": [' + ", ".join(objectives) + "]}"
    if rng.random() < 0.1:
        depth = rng.randint(50, 5000)
        text = "[" * depth + text + "]" * depth
    return text


def _json_number(value: str) -> str:
    """Bare when JSON (or Python's json, which takes NaN and Infinity) reads it as a number, else a string."""
    try:
        json.loads(value)
    except ValueError:
        return json.dumps(value, ensure_ascii=False)
    return value if value.strip() else '""'


def csv_draft(rng: random.Random) -> str:
    header = ["objective", "key result", *rng.sample(FIELDS, rng.randint(0, 6))]
    if rng.random() < 0.2:
        header.append(hostile_text(rng, 20))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=rng.choice([",", ",", ";", "\t"]))
    writer.writerow(header)
    for _ in range(rng.randint(0, 8)):
        row = [hostile_text(rng, 200), hostile_text(rng)] + [number_value(rng) for _ in header[2:]]
        writer.writerow(row[: rng.randint(1, len(row))] if rng.random() < 0.1 else row)
    return buffer.getvalue()


def markdown_draft(rng: random.Random) -> str:
    lines = []
    if rng.random() < 0.3:
        lines += ["---", f"team: {hostile_text(rng, 50)}", f"period: {hostile_text(rng, 20)}", "---"]
    for n in range(rng.randint(0, 3)):
        lines.append(f"{'#' * rng.randint(1, 4)} Objective {n}: {hostile_text(rng, 200)}")
        lines.append(rng.choice(["", "Key results:", "**Key results:**", hostile_text(rng, 100)]))
        for i in range(rng.randint(0, 4)):
            fields = ", ".join(f"{name}: {value}" for name, value in _kr_fields(rng).items())
            prefix = rng.choice(["- ", "* ", f"{i}. ", "- [ ] ", f"- KR{i}: ", "  - ", "| "])
            lines.append(f"{prefix}{hostile_text(rng)}" + (f" ({fields})" if fields else ""))
        if rng.random() < 0.2:
            lines += ["| KR | target | owner |", "|---|---|---|"]
            lines += [f"| {hostile_text(rng, 100)} | {number_value(rng)} | {hostile_text(rng, 20)} |"]
    return "\n".join(lines) + "\n"


def mutated_example(rng: random.Random, fmt: str) -> str:
    text = (ROOT / "examples" / f"team-draft{SUFFIX[fmt]}").read_text(encoding="utf-8")
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(text))
        roll = rng.random()
        if roll < 0.4:
            text = text[:at] + hostile_text(rng, 500) + text[at:]
        elif roll < 0.6:
            text = text[:at] + text[at + rng.randint(1, 200) :]
        elif roll < 0.8:
            end = min(len(text), at + rng.randint(1, 100))
            text = text[:at] + text[at:end] * rng.randint(2, 50) + text[end:]
        else:
            text = text[:at] + rng.choice(NUMBERS) + text[at:]
    return text


BUILDERS: dict[str, Callable[[random.Random], str]] = {
    "yaml": yaml_draft,
    "json": json_draft,
    "csv": csv_draft,
    "markdown": markdown_draft,
}


def generate(seed: int, index: int) -> tuple[str, str]:
    """The index-th input of a run: (format, text)."""
    rng = random.Random(f"{seed}:{index}")
    fmt = FORMATS[index % len(FORMATS)]
    text = mutated_example(rng, fmt) if rng.random() < 0.3 else BUILDERS[fmt](rng)
    return fmt, text


# -- running -------------------------------------------------------------------------------------------------


def review_once(text: str, fmt: str) -> tuple[list[int], str | None]:
    """Exit codes of `okrcoach review` for each output format, and the traceback of a crash (or None)."""
    from coach.cli import main

    codes: list[int] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"draft{SUFFIX[fmt]}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        for output in OUTPUTS:
            out = str(Path(folder) / f"report.{output}")
            try:
                with contextlib.redirect_stderr(io.StringIO()):
                    codes.append(main(["review", "--no-config", str(path), "-f", output, "-o", out]))
            except BaseException:  # anything out of the CLI is what we count
                return codes, traceback.format_exc(limit=-6)
    return codes, None


def _worker(connection: multiprocessing.connection.Connection) -> None:
    while True:
        job = connection.recv()
        if job is None:
            return
        connection.send(review_once(*job))


@dataclass
class Report:
    tried: int = 0
    crashes: list[tuple[int, str, str]] = field(default_factory=list)  # (index, format, last line)
    hangs: list[tuple[int, str]] = field(default_factory=list)
    codes: Counter[int] = field(default_factory=Counter)
    slowest: tuple[float, int, str] = (0.0, -1, "")
    seconds: float = 0.0

    def summary(self) -> str:
        codes = ", ".join(f"exit {code}: {count}" for code, count in sorted(self.codes.items()))
        return (
            f"inputs tried: {self.tried}; crashes: {len(self.crashes)}; hangs: {len(self.hangs)}; "
            f"slowest: {self.slowest[0]:.2f} s (#{self.slowest[1]}, {self.slowest[2]}); "
            f"total {self.seconds:.0f} s; {codes}"
        )


class _Pool:
    """One worker process; a hang kills it and the next input gets a fresh one."""

    def __init__(self) -> None:
        self.context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
        self.process: multiprocessing.process.BaseProcess | None = None
        self.connection: multiprocessing.connection.Connection | None = None

    def run(self, text: str, fmt: str, limit: float) -> tuple[list[int], str | None] | None:
        if self.process is None or not self.process.is_alive():
            parent, child = self.context.Pipe()
            self.process = self.context.Process(target=_worker, args=(child,), daemon=True)
            self.process.start()
            self.connection = parent
        assert self.connection is not None
        self.connection.send((text, fmt))
        if self.connection.poll(limit):
            try:
                result: tuple[list[int], str | None] = self.connection.recv()
                return result
            except EOFError:  # the worker died (the interpreter itself crashed)
                self.process = None
                return [], "worker process died"
        self.process.kill()
        self.process.join()
        self.process = None
        return None

    def close(self) -> None:
        if self.process is not None and self.process.is_alive() and self.connection is not None:
            self.connection.send(None)
            self.process.join(5)


def fuzz(
    count: int, seed: int = 1, limit: float = 10.0, save: Path | None = None, quiet: bool = True
) -> Report:
    report = Report()
    pool = _Pool()
    started = time.perf_counter()
    try:
        for index in range(count):
            fmt, text = generate(seed, index)
            begun = time.perf_counter()
            outcome = pool.run(text, fmt, limit)
            took = time.perf_counter() - begun
            report.tried += 1
            if took > report.slowest[0]:
                report.slowest = (took, index, fmt)
            if outcome is None:
                report.hangs.append((index, fmt))
                _keep(save, index, fmt, text, f"hang over {limit:g} s")
            else:
                codes, crash = outcome
                report.codes.update(codes)
                if crash is not None:
                    last = crash.strip().splitlines()[-1]
                    report.crashes.append((index, fmt, last))
                    _keep(save, index, fmt, text, crash)
            if not quiet and (index + 1) % 500 == 0:
                print(f"  {index + 1}: {len(report.crashes)} crashes, {len(report.hangs)} hangs", flush=True)
    finally:
        pool.close()
        report.seconds = time.perf_counter() - started
    return report


def _keep(folder: Path | None, index: int, fmt: str, text: str, why: str) -> None:
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"input-{index}{SUFFIX[fmt]}").write_text(text, encoding="utf-8", errors="surrogatepass")
    (folder / f"input-{index}.why.txt").write_text(why, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", "--count", type=int, default=10_000, help="inputs to try (default 10,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=10.0, help="seconds before an input counts as a hang")
    parser.add_argument("--save", type=Path, help="write each crashing or hanging input to this folder")
    args = parser.parse_args()
    report = fuzz(args.count, args.seed, args.limit, args.save, quiet=False)
    print(report.summary())
    for index, fmt, last in report.crashes[:20]:
        print(f"crash #{index} ({fmt}): {last}")
    for index, fmt in report.hangs[:20]:
        print(f"hang #{index} ({fmt})")
    return 1 if report.crashes or report.hangs else 0


if __name__ == "__main__":
    raise SystemExit(main())
