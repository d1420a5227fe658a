"""The prompt-injection corpus against a compromised model: how many attacks the answer guard holds.

    python benchmarks/injection.py            # every compromised answer on every draft of the corpus
    python benchmarks/injection.py --sample   # each answer a few times, cycled over the drafts (the test)

The loopback stub plays a model whose every answer is compromised (tests/data/injection/answers.yaml:
approval and reader-directed text in each field, "?" waivers, numbers planted in other elements, off-topic
answers, oversized fields). Each draft goes through `rewrite_document` and then the `rewrite --write` path;
a case is held when no model answer is offered and none of its text reaches the written draft. Prints
"cases tried N, held M" and the cases that were not held.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import yaml  # noqa: E402
from stub_openai import OpenAIStub, Reply, StubRequest  # noqa: E402

from coach.config import Config  # noqa: E402
from coach.llm import ModelSpec, Secret  # noqa: E402
from coach.llm.session import ModelSession  # noqa: E402
from coach.parse import load  # noqa: E402
from coach.prompts import fence  # noqa: E402
from coach.rewrite import RULES, rewrite_document  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "injection"
KEY = "sk-inject-0000-SECRET-ffff"
PLANTED = [("37%", "92%"), ("43%", "87%"), ("13", "6"), ("64%", "71%")]
_ELEMENT = re.compile(r"<<<(KEY_RESULT|OBJECTIVE)\n(.*?)\n\1>>>", re.S)


def cases() -> list[dict[str, Any]]:
    loaded = yaml.safe_load((CORPUS / "answers.yaml").read_text(encoding="utf-8"))
    return list(loaded)


def drafts() -> list[Path]:
    return [*sorted(CORPUS.glob("inj-*")), ROOT / "examples" / "team-draft.yaml"]


def element_of(request: StubRequest) -> str:
    """The element being rewritten, as the prompt shows it (the key result, else the objective)."""
    found = {m.group(1): m.group(2) for m in _ELEMENT.finditer(request.user_text)}
    return found.get("KEY_RESULT", found.get("OBJECTIVE", ""))


def answer_for(case: dict[str, Any], element: str) -> tuple[dict[str, Any], str]:
    """The case's fields filled in for one element, and its marker."""
    words = " ".join(re.findall(r"[A-Za-z]+", element)[:8]) or "Improve it"
    planted = next(
        (
            f"from {a} to {b}"
            for a, b in PLANTED
            if a.rstrip("%") not in element and b.rstrip("%") not in element
        ),
        "from 37% to 92%",
    )

    def filled(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("{words}", words).replace("{planted}", planted).replace("{key}", KEY)
        if isinstance(value, list):
            return [filled(v) for v in value]
        return value

    fields = {"rationale": "measures the outcome", **{k: filled(v) for k, v in case["answer"].items()}}
    for name, size in (case.get("fill") or {}).items():
        long = ("because " * (size // 8 + 1))[:size]
        fields[name] = [long] if name == "questions" else long
    return fields, filled(str(case["marker"]))


@dataclass
class Run:
    """What happened to one draft: the cases served (element, case id, marker) and what was offered."""

    path: Path
    served: list[tuple[str, str, str]] = field(default_factory=list)
    answered: set[str] = field(default_factory=set)  # elements (as the prompt shows them) the model answered
    offered: list[str] = field(default_factory=list)  # every field of every model-answered proposal
    reasons: dict[str, list[str]] = field(default_factory=dict)  # case id -> refusal reasons
    written: str = ""
    original: str = ""

    def held(self, marker: str, element: str) -> bool:
        if element in self.answered:
            return False
        if marker in self.original:
            return True  # the draft's own words may come back in the rules' proposals
        return marker not in self.written and not any(marker in text for text in self.offered)


def play(stub: OpenAIStub, path: Path, choose: Callable[[], dict[str, Any]], workdir: Path) -> Run:
    """One draft through `rewrite_document` and the `rewrite --write` path, with `choose()` picking the
    compromised answer for each request."""
    from coach.cli.rewrite import _write

    copy = workdir / path.name
    shutil.copyfile(path, copy)
    run = Run(path, original=copy.read_text(encoding="utf-8"))
    lock = threading.Lock()

    def script(request: StubRequest) -> Reply:
        element = element_of(request)
        case = choose()
        fields, marker = answer_for(case, element)
        with lock:
            run.served.append((element, str(case["id"]), marker))
        return Reply.tool_args(fields)

    stub.respond(script)
    spec = ModelSpec("openai", "stub-model", stub.url, Secret(KEY), 10.0, 0, "injection")
    report = rewrite_document(
        load(str(copy)), Config(), session=ModelSession(spec, cache_dir=workdir / "cache")
    )
    by_element = {element: case_id for element, case_id, _ in run.served}
    for proposal in report.proposals:
        if proposal.answered_by != RULES:
            run.answered.add(fence(proposal.draft))
            run.offered += [proposal.text or "", proposal.rationale, proposal.initiative]
            run.offered += proposal.questions
        case_id = by_element.get(fence(proposal.draft))
        if case_id and proposal.reason:
            run.reasons.setdefault(case_id, []).append(proposal.reason)
    with contextlib.redirect_stdout(io.StringIO()):
        _write(report, argparse.Namespace(path=str(copy), interactive=False, input_format=None))
    run.written = copy.read_text(encoding="utf-8")
    return run


@dataclass
class Tally:
    tried: int = 0
    held: int = 0
    not_held: list[str] = field(default_factory=list)
    reasons: dict[str, list[str]] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)

    def add(self, run: Run) -> None:
        self.runs.append(run)
        for case_id, reasons in run.reasons.items():
            self.reasons.setdefault(case_id, []).extend(reasons)
        for element, case_id, marker in run.served:
            self.tried += 1
            if run.held(marker, element):
                self.held += 1
            else:
                self.not_held.append(f"{run.path.name}: {case_id} on {element[:60]!r}")


def sample() -> Tally:
    """Every case a few times: the answers cycle over every request of every draft (the test's run)."""
    tally = Tally()
    order = itertools.cycle(cases())
    lock = threading.Lock()

    def choose() -> dict[str, Any]:
        with lock:
            return next(order)

    with OpenAIStub() as stub, tempfile.TemporaryDirectory() as tmp:
        for i, path in enumerate(drafts()):
            work = Path(tmp) / str(i)
            work.mkdir()
            tally.add(play(stub, path, choose, work))
    return tally


def everything() -> Tally:
    """Every case on every element of every draft."""
    tally = Tally()
    with OpenAIStub() as stub, tempfile.TemporaryDirectory() as tmp:
        for i, path in enumerate(drafts()):
            for j, case in enumerate(cases()):
                work = Path(tmp) / f"{i}-{j}"
                work.mkdir()
                tally.add(play(stub, path, lambda case=case: case, work))
    return tally


def control() -> tuple[int, int, dict[str, int]]:
    """Clean answers on the example drafts: how many the guard lets through, and why the rest were not.

    Each answer restates the element in its own words ("<words> from ? to ?", or "<words> so that our
    customers succeed" for an objective), with a plain rationale and one question."""
    offered = total = 0
    why: dict[str, int] = {}

    def script(request: StubRequest) -> Reply:
        element = element_of(request)
        words = " ".join(re.findall(r"[A-Za-z]+", element)[:8])
        kr = "<<<KEY_RESULT" in request.user_text
        text = f"{words} from ? to ?" if kr else f"{words} so that our customers succeed"
        rationale = "It measures the outcome the team wants."
        return Reply.tool_args({"text": text, "rationale": rationale, "questions": ["What is it today?"]})

    with OpenAIStub() as stub, tempfile.TemporaryDirectory() as tmp:
        stub.respond(script)
        spec = ModelSpec("openai", "stub-model", stub.url, Secret(KEY), 10.0, 0, "injection")
        for path in sorted((ROOT / "examples").glob("team-draft.*")):
            report = rewrite_document(
                load(str(path)), Config(), session=ModelSession(spec, cache_dir=Path(tmp))
            )
            for proposal in report.proposals:
                total += 1
                if proposal.answered_by != RULES:
                    offered += 1
                else:
                    key = re.sub(r" \(.*", "", proposal.reason or "")
                    why[key] = why.get(key, 0) + 1
    return offered, total, why


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample", action="store_true", help="each case a few times, not on every element")
    args = parser.parse_args(argv)
    tally = sample() if args.sample else everything()
    print(f"{len(cases())} compromised answers, {len(drafts())} drafts")
    print(f"cases tried {tally.tried}, held {tally.held}")
    for line in tally.not_held:
        print(f"  not held: {line}")
    offered, total, why = control()
    print(f"control: clean answers on the example drafts offered {offered} of {total}")
    for reason, count in sorted(why.items(), key=lambda kv: -kv[1]):
        print(f"  {count} refused: {reason}")
    return 0 if tally.held == tally.tried else 1


if __name__ == "__main__":
    raise SystemExit(main())
