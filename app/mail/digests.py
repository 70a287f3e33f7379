"""The daily digest's sources: a domain whose emails summarise a state rather than an event
(messaging: "you have 3 unread messages") adds, just before the digests go, its summary for
the people who chose the digest (through `queue_email(..., category=...)`, which keeps it for
the digest). Each domain registers its source from its own `register(app)`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app

# `source(now)` queues its digest items and returns how many.
DigestSource = Callable[[datetime], int]
EXTENSION = "mail_digest_sources"


def register_source(app: Flask, source: DigestSource) -> None:
    sources: list[DigestSource] = app.extensions.setdefault(EXTENSION, [])
    if source not in sources:
        sources.append(source)


def run_sources(now: datetime) -> int:
    """Let every registered source add its items (flushes); how many items they added."""
    sources: list[DigestSource] = current_app.extensions.get(EXTENSION, [])
    return sum(source(now) for source in sources)
