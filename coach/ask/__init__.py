"""`okrcoach ask`: a question answered from the practice passages and the outcome-metric catalogue.

    ask(question, settings, session) -> AskResult

The passages and metrics closest to the question come from the knowledge store (ONNX or hashing
embedding); a store that cannot be opened gives way to a lexical search over the same files, and the result
says so. With a model, it writes an answer from those sources (prompts/ask.j2) that the guard in
`coach.ask.answer` must pass: cited ids among the retrieved, no number the sources and the question do not
state, size limits, no key. Without one, or when the model fails or its answer is refused, the result is
the retrieved sources, labelled as such, with the reason in plain words. Deterministic without a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coach.knowledge.lexical import search_metrics, search_passages, words
from coach.knowledge.metrics import Metric, load_metrics
from coach.knowledge.passages import Passage, load_passages
from coach.knowledge.settings import KnowledgeError, StoreSettings
from coach.model import InputError

if TYPE_CHECKING:
    from coach.llm.session import ModelSession

RETRIEVAL = "retrieval"  # answered_by when no model wrote the answer
DEFAULT_K = 4
MAX_QUESTION = 2000  # characters
EXCERPT_CHARS = 240
NO_MODEL = "no model configured (set OKRCOACH_MODEL, or give --model / --base-url)"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(slots=True)
class AskResult:
    question: str
    passages: list[Passage]  # best first, each with its score
    metrics: list[Metric]  # best first, each with its score
    excerpts: dict[str, str]  # passage id -> the part of its text closest to the question
    retrieval: str  # how the sources were found: "<embedder> embedding" or "lexical"
    retrieval_note: str | None = None  # why the store was not used, when it was not
    answer: str | None = None  # the model's answer, once the guard passed it
    cited: list[str] = field(default_factory=list)  # the retrieved ids the answer rests on
    answered_by: str = RETRIEVAL  # the model's label, or "retrieval"
    reason: str | None = None  # why no model answered (none configured, it failed, its answer refused)

    @property
    def ids(self) -> set[str]:
        return {p.id for p in self.passages} | {m.id for m in self.metrics}


def excerpt(text: str, question: str, limit: int = EXCERPT_CHARS) -> str:
    """The sentences of `text` from the one sharing the most words with the question (the first such),
    up to about `limit` characters, cut at a word."""
    sentences = [s for s in _SENTENCE.split(" ".join(text.split())) if s]
    if not sentences:
        return ""
    wanted = words(question)
    start = max(range(len(sentences)), key=lambda i: (len(words(sentences[i]) & wanted), -i))
    out = sentences[start]
    for sentence in sentences[start + 1 :]:
        if len(out) + 1 + len(sentence) > limit:
            break
        out += " " + sentence
    if len(out) > limit:
        out = out[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return out


def retrieve(
    question: str, settings: StoreSettings, k: int
) -> tuple[list[Passage], list[Metric], str, str | None]:
    """(passages, metrics, how they were found, why the store was not used): the store first, a lexical
    search over the same files when it cannot be opened. A team's folder with a mistake is an InputError."""
    from coach.knowledge.store import KnowledgeStore
    from coach.resources import extra_reason

    try:
        missing = extra_reason("knowledge")
        if missing:
            raise KnowledgeError(missing)
        store = KnowledgeStore(settings)
        passages = store.retrieve(question, k)
        metrics = store.retrieve_metrics(question, k)
        return passages, metrics, f"{store.embedder.id} embedding", None
    except (KnowledgeError, ImportError) as exc:
        note = f"knowledge store unavailable ({' '.join(str(exc).split())[:300]}): lexical search instead"
    passages = search_passages(question, load_passages(settings.extra_dirs), k)
    metrics = search_metrics(question, load_metrics(settings.extra_metric_dirs), k)
    return passages, metrics, "lexical", note


def ask(
    question: str,
    settings: StoreSettings | None = None,
    session: ModelSession | None = None,
    k: int = DEFAULT_K,
) -> AskResult:
    """Answer `question` from the passages and the metric catalogue: the model's guarded answer when a
    session with a model is given and it answers well, else the retrieved sources with the reason."""
    question = " ".join(question.split())
    if not question:
        raise InputError("question", "is empty: ask a question in words")
    if len(question) > MAX_QUESTION:
        raise InputError("question", f"is {len(question)} characters long (at most {MAX_QUESTION})")
    if k < 1:
        raise InputError("-k", "must be at least 1")
    passages, metrics, how, note = retrieve(question, settings or StoreSettings(), k)
    result = AskResult(
        question,
        passages,
        metrics,
        {p.id: excerpt(p.text, question) for p in passages},
        how,
        note,
    )
    if session is None or session.client is None:
        result.reason = f"no model used: {session.problem}" if session and session.problem else NO_MODEL
        return result
    if not passages and not metrics:
        result.reason = "nothing was retrieved for this question, so the model was not asked"
        return result
    _ask_model(result, session)
    return result


def _ask_model(result: AskResult, session: ModelSession) -> None:
    import asyncio

    from coach.ask.answer import Grounds, prompt, refusal, task

    client = session.client
    assert client is not None and session.spec is not None
    texts = [result.question]
    texts += [f"{p.title} {p.source} {p.text}" for p in result.passages]
    texts += [
        f"{m.name} {m.definition} {m.unit} {m.source} {' '.join(m.moved_by)} {' '.join(m.pitfalls)}"
        for m in result.metrics
    ]
    grounds = Grounds.of(result.ids, texts)
    asked = prompt(result.question, result.passages, result.metrics)
    client.begin_run()
    answer = asyncio.run(client.ask(asked, task(grounds)))
    if answer.fields is None:
        why = answer.reason or "no answer"
        if why.startswith("refused: "):
            result.reason = f"the model's answer was refused: {why.removeprefix('refused: ')}"
        else:
            result.reason = f"the model did not answer: {why}"
        return
    refused = refusal(answer.fields, grounds)  # a cached answer is checked again: the guard decides each time
    if refused:
        result.reason = f"the model's answer was refused: {refused}"
        return
    result.answer = answer.fields["answer"].strip()
    cited = [c.strip() for c in answer.fields["cited"]]
    cited += re.findall(r"\[([a-z0-9][a-z0-9._-]{0,63})\]", result.answer)
    result.cited = list(dict.fromkeys(cited))
    result.answered_by = session.spec.label
