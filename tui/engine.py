"""The engine the app is given: one object that holds the settings and calls the jobs in `coach`.

The app never imports the jobs itself; tests build a `CoachEngine` with a stub model spec, a fixed date and
test data, and pass it to the app's constructor (harlequin / posting style). Nothing here imports Textual.

Every method is plain and blocking. `review` takes a few milliseconds and runs on the UI thread after the
typing debounce; `rewrite`, `objective_set`, `baselines`, `checkin` and `ask` run in thread workers.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from coach.config import Config
from coach.engine import review_document
from coach.knowledge import Passage, passages
from coach.llm import ModelSpec
from coach.llm.session import ModelSession
from coach.model import Document, Finding, InputError, KeyResult, Objective
from coach.rewrite import REWRITE_OBJ, Proposal, rewrite_document

if TYPE_CHECKING:
    from coach.ask import AskResult
    from coach.knowledge.settings import StoreSettings
    from coach.rewrite.objective_set import SetReport

RULES_ONLY = "rules only"


@dataclass(slots=True)
class RewriteResult:
    proposal: Proposal | None  # None: the coach has nothing to change in this element
    note: str  # who answered, in a sentence
    findings: list[Finding]  # the element's findings on the draft, for the "resolves" list


@dataclass(slots=True)
class CheckinResult:
    markdown: str
    pack: Any  # coach.checkin.pack.CheckinPack
    problems: list[str]  # history rows not used, rendered


@dataclass
class CoachEngine:
    """Settings plus the jobs: review, rewrite one element, baselines, check-in pack, passages."""

    config: Config = field(default_factory=Config)
    # The model (coach.llm.session.open_session); without one the rules answer (deterministic rewrites).
    session: ModelSession = field(default_factory=ModelSession)
    metrics: list[str] = field(default_factory=list)  # metrics exports for baselines
    history: str | None = None  # the check-in history CSV
    today: date | None = None  # the check-in date (None: the real today)
    embedding: str | None = None  # for matching metric names and the knowledge store (auto | onnx | hashing)
    # The knowledge store `ask` reads; None: the config's [knowledge] table with `embedding` (as the CLI's).
    store: StoreSettings | None = None

    @property
    def spec(self) -> ModelSpec | None:
        return self.session.spec

    @property
    def model_label(self) -> str:
        return self.spec.label if self.spec is not None else RULES_ONLY

    def day(self) -> date:
        from coach.dates import today

        return self.today or today()

    # -- review --------------------------------------------------------------------------------------------

    def review(self, doc: Document) -> list[Finding]:
        return review_document(doc, self.config)

    def passage(self, passage_id: str | None) -> Passage | None:
        return passages().get(passage_id) if passage_id else None

    # -- rewrite --------------------------------------------------------------------------------------------

    def rewrite(self, doc: Document, element_id: str) -> RewriteResult:
        """A proposal for one objective or key result (blocking: run it in a worker).

        The job proposes for every element with findings; asking it about a copy of the draft that holds
        only the selected element (and, for a key result, its objective's text) keeps it to one model call.
        """
        scoped, config = self._scope(doc, element_id)
        findings = [f for f in self.review(doc) if f.target == element_id]
        # Each rewrite has its own budget and breaker; the model, the answer cache and the store are shared.
        report = rewrite_document(scoped, config, session=self.session.fork(max_calls=2, concurrency=1))
        proposal = next((p for p in report.proposals if p.target == element_id), None)
        return RewriteResult(proposal, report.note, findings)

    def _scope(self, doc: Document, element_id: str) -> tuple[Document, Config]:
        for objective in doc.objectives:
            if objective.id == element_id:
                # The objective and its key results (the prompt shows them); key result rules are off.
                clone = copy.deepcopy(objective)
                return _with(doc, clone), dataclasses.replace(self.config, ignore=[*self.config.ignore, "KR"])
            for kr in objective.key_results:
                if kr.id == element_id:
                    clone = copy.deepcopy(objective)
                    clone.key_results = [k for k in clone.key_results if k.id == element_id]
                    ignored = [*self.config.ignore, *sorted(REWRITE_OBJ)]
                    return _with(doc, clone), dataclasses.replace(self.config, ignore=ignored)
        raise InputError(doc.path, f"no objective or key result {element_id!r}")

    # -- the objective set ---------------------------------------------------------------------------------

    def objective_set(self, doc: Document) -> SetReport:
        """The review of the draft's whole set of objectives (blocking: run it in a worker). The model, when
        there is one, is asked with a session of its own (its own budget and breaker), as a rewrite is."""
        from coach.rewrite.objective_set import coach_set

        return coach_set(
            copy.deepcopy(doc), self.config, session=self.session.fork(max_calls=2, concurrency=1)
        )

    # -- baselines and check-ins ---------------------------------------------------------------------------

    def baselines(self, doc: Document, metrics: list[str] | None = None) -> Any:
        """The draft's baselines as it is now (a BaselineReport; InputError for an unreadable file)."""
        from coach.baselines.metrics import load_all
        from coach.baselines.suggest import suggest_baselines

        paths = metrics if metrics is not None else self.metrics
        if not paths:
            raise InputError("--metrics", "no metrics file given")
        loaded = load_all(paths, day_first=self.config.baseline_settings.day_first)
        return suggest_baselines(doc, loaded, self.config, embedding=self.embedding)

    def checkin(self, doc: Document, history: str | None = None) -> CheckinResult:
        """The manager's question pack for `day()` (InputError when the history or the cycle is missing)."""
        from coach.checkin.history import read_history
        from coach.checkin.pack import checkin_pack
        from coach.dates import DateError, resolve_cycle
        from coach.report.checkin import render_pack_markdown

        path = history or self.history
        if not path:
            raise InputError("--history", "no check-in history given")
        try:
            cycle = resolve_cycle(self.config.cycle.get("start"), self.config.cycle.get("end"), doc.period)
        except DateError as error:
            raise InputError(self.config.source or doc.path, str(error)) from None
        if cycle is None:
            raise InputError(
                doc.path or "<new draft>",
                "no OKR cycle known: set a period such as 2026-Q3 in the draft, or [cycle] in okrcoach.toml",
            )
        settings = self.config.checkin_settings  # checked when the config was read, as the CLI's are
        now = self.day()
        found = read_history(path, doc, cycle, now=now, day_first=settings.day_first)
        pack = checkin_pack(doc, found, cycle, now, stale_days=settings.stale_days)
        problems = [problem.render(found.path) for problem in found.problems]
        return CheckinResult(render_pack_markdown(pack), pack, problems)

    # -- asking the coach -----------------------------------------------------------------------------------

    def store_settings(self) -> StoreSettings:
        """The knowledge store's settings: `store`, else the config's [knowledge] table and `embedding`."""
        from coach.knowledge.settings import StoreSettings

        if self.store is not None:
            return self.store
        try:
            return StoreSettings.from_config(self.config.knowledge, embedding=self.embedding)
        except TypeError as error:
            raise InputError(self.config.source or "okrcoach.toml", f"[knowledge]: {error}") from None

    def ask(self, question: str) -> AskResult:
        """A question answered from the passages and the metric catalogue (blocking: run it in a worker):
        the model's guarded answer, asked with a session of its own as a rewrite is, or the retrieved sources
        with the reason. An empty or over-long question, or an embedding that cannot run, is an InputError."""
        from coach.ask import ask
        from coach.knowledge.embed import EmbeddingUnavailable

        settings = self.store_settings()
        try:
            return ask(question, settings, self.session.fork(max_calls=1, concurrency=1))
        except (EmbeddingUnavailable, ValueError) as error:  # select_embedder: missing or unknown embedder
            raise InputError("embedding", str(error)) from None


def _with(doc: Document, objective: Objective) -> Document:
    return dataclasses.replace(doc, objectives=[objective], diagnostics=[])


def element_kind(element: Objective | KeyResult) -> str:
    return "key result" if isinstance(element, KeyResult) else "objective"
