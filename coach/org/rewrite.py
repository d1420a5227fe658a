"""`--rewrite`: rewrites for the worst drafts first, within the model-call budget.

Each draft goes through `coach.rewrite.rewrite_document` with one model session (`coach.llm.session`): the
same answer cache, concurrency and fallbacks as `okrcoach rewrite`, and one budget, so what one draft's
calls used is taken from the budget before the next.
Without a model the rules answer (no calls), for the `without_model` worst drafts only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from coach.config import Config
from coach.llm.session import ModelSession
from coach.model import Document
from coach.org.review import OrgReview
from coach.org.stats import PENALTY


def worst_documents(review: OrgReview) -> list[Document]:
    """The review's team documents, the most points lost first."""
    lost: Counter[int] = Counter()
    docs = review.documents()
    index = {id(doc): doc for doc in docs}
    for located in review.findings:
        if located.item in review.organisation.items:
            doc = review.organisation.items[located.item].document
            lost[id(doc)] += PENALTY[located.finding.severity]
    return [index[key] for key, _ in lost.most_common() if key in index]


def rewrite_worst(
    review: OrgReview,
    config_for: Callable[[str], Config],
    session: ModelSession | None = None,
    *,
    without_model: int = 10,
) -> tuple[list[Any], str]:
    """Rewrite reports for the worst drafts, and a sentence saying what was done.

    One session for every draft: one budget, and once the model stops answering (a timeout, a refused
    connection) the breaker stays open, so a hung server costs one timeout for the whole organisation.
    """
    from coach.rewrite import rewrite_document

    session = session or ModelSession()
    client = session.client
    max_calls = session.max_calls
    reports: list[Any] = []
    ordered = worst_documents(review)
    for doc in ordered:
        if client is None and len(reports) >= without_model:
            break
        if client is not None and max_calls is not None and client.usage.calls >= max_calls:
            break
        report = rewrite_document(doc, config_for(doc.path), session=session)
        if report.proposals:
            reports.append(report)
    if client is None:
        who = "the rules answered (no model configured)"
    else:
        who = f"{client.spec.label}: {client.usage.calls} calls, {client.usage.cache_hits} from cache"
        if client.usage.stopped:
            who += f"; the model stopped answering ({client.usage.stopped}), the rules answered the rest"
    budget = "" if max_calls is None else f", budget {max_calls} calls"
    note = f"rewrites for the {len(reports)} worst of {len(ordered)} drafts with findings; {who}{budget}"
    return reports, note
