"""The steps of the demo, in order; each domain has its module in this package (see STEPS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.calls.search import reindex_all_calls
from demo import (
    calls,
    faces,
    messaging,
    moderation,
    notifications,
    opportunities,
    people,
    portfolios,
    social,
)

DemoContext = dict[str, Any]


def index_calls(_context: DemoContext) -> dict[str, int]:
    """The demo's calls in the site search, as creating and publishing them would have put them."""
    return {"calls indexed": reindex_all_calls()}


# Each step takes the shared context (people created so far, ...) and returns counts to print.
STEPS: list[Callable[[DemoContext], dict[str, int]]] = [
    people.load,
    portfolios.load,
    calls.load,
    index_calls,
    messaging.load,
    moderation.load,
    notifications.load,
    social.load,
    opportunities.load,
    faces.load,
]


def load_all() -> dict[str, int]:
    """Run every step; the caller commits once."""
    context: DemoContext = {}
    summary: dict[str, int] = {}
    for step in STEPS:
        summary.update(step(context))
    return summary
