"""The steps of the demo, in order; each domain appends its own (see STEPS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.calls import demo as calls_demo
from app.calls.search import reindex_all_calls
from app.demo import faces, people
from app.messaging import demo as messaging_demo
from app.moderation import demo as moderation_demo
from app.notifications import demo as notifications_demo
from app.portfolios import demo as portfolios_demo

DemoContext = dict[str, Any]


def index_calls(_context: DemoContext) -> dict[str, int]:
    """The demo's calls in the site search, as creating and publishing them would have put them."""
    return {"calls indexed": reindex_all_calls()}


# Each step takes the shared context (people created so far, ...) and returns counts to print.
STEPS: list[Callable[[DemoContext], dict[str, int]]] = [
    people.load,
    portfolios_demo.load,
    calls_demo.load,
    index_calls,
    messaging_demo.load,
    moderation_demo.load,
    notifications_demo.load,
    faces.load,
]


def load_all() -> dict[str, int]:
    """Run every step; the caller commits once."""
    context: DemoContext = {}
    summary: dict[str, int] = {}
    for step in STEPS:
        summary.update(step(context))
    return summary
