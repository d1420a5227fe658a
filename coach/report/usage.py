"""What a job's model calls cost, as every JSON report writes it (`usage`): None when no model was asked."""

from __future__ import annotations

from typing import Any


def usage_dict(usage: Any) -> dict[str, Any] | None:
    """coach.llm.client.Usage as JSON-ready data."""
    if usage is None:
        return None
    return {
        "calls": usage.calls,
        "cache_hits": usage.cache_hits,
        "failures": usage.failures,
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "failure_reasons": usage.reasons,
        "retries": usage.retries,
        "not_asked": usage.skipped,
        "stopped_because": usage.stopped,
    }
