"""Every periodic job, in one list: add a line here to schedule a new one.

`flask jobs scheduler` (one process; a second one is harmless) only enqueues: every tick it
writes one row per periodic job whose time slot has come (its dedupe key is the name and the
slot, so a slot runs once however many schedulers or ticks see it), then sweeps: wakes workers
for every due row and the due emails. The work itself runs on the workers.

Targets are named by import path, as RQ names its functions: this shared module imports no
domain (tests/test_layering.py), and each target is the same service function its command runs
(`flask calls send-reminders` ...). Each is idempotent: emails carry dedupe keys, digests mark
what they sent, so a slot run twice sends nothing twice.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app

from app.db_types import utcnow
from app.extensions import db
from app.jobs import runner

PERIODIC_KIND = "periodic"


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    target: str  # "package.module:function", called with no argument
    # Renders emails with links and translations: run in a request context on the public address.
    needs_request: bool = True
    # Where in its period a slot starts (daily at 00:00 UTC = 07:00 in Hanoi by default).
    offset: timedelta = timedelta(0)


PERIODIC: tuple[Periodic, ...] = (
    # Unread messages of people who want them "immediately", once their conversations are quiet.
    Periodic("messages.digests", timedelta(minutes=10), "app.messaging.services:send_digests"),
    # Drafts to finish 48 hours before a call's deadline (each reminder has a dedupe key).
    Periodic("calls.reminders", timedelta(minutes=15), "app.calls.services:send_reminders"),
    # Saved calls closing in a week or in 48 hours (each reminder goes once: a conditional
    # update claims it).
    Periodic(
        "opportunities.reminders",
        timedelta(minutes=30),
        "app.opportunities.services:send_saved_reminders",
    ),
    # Yesterday's project visitors turned into daily counts, and the day's salt forgotten
    # (00:30 UTC, once the day is over everywhere the web machines count it).
    Periodic(
        "social.aggregate-views",
        timedelta(days=1),
        "app.social.viewcount:aggregate",
        needs_request=False,
        offset=timedelta(minutes=30),
    ),
    # The daily digest, at 07:00 in Hanoi.
    Periodic(
        "notifications.daily-digests",
        timedelta(days=1),
        "app.notifications.email_preferences:send_daily_digests",
    ),
    # The search index rebuilt from the rows every night (changes are indexed as they happen;
    # this repairs anything a crash or a restore left behind), at 02:00 in Hanoi.
    Periodic(
        "search.reindex",
        timedelta(days=1),
        "app.search.services:reindex_all",
        needs_request=False,
        offset=timedelta(hours=19),
    ),
)

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def by_name(name: str) -> Periodic | None:
    return next((p for p in PERIODIC if p.name == name), None)


def slot_start(periodic: Periodic, now: datetime) -> datetime:
    """The start of the slot `now` falls in."""
    since = now - EPOCH - periodic.offset
    return now - (since % periodic.every)


def schedule_due(now: datetime | None = None) -> list[str]:
    """Write one row per periodic job whose current slot has none yet (commits each); safe to
    call twice or from two schedulers at once. Returns the names scheduled now. Wakes no
    worker: the sweep that follows in the scheduler's round does."""
    now = now or utcnow()
    added = []
    for periodic in PERIODIC:
        slot = slot_start(periodic, now)
        key = f"{PERIODIC_KIND}:{periodic.name}:{slot:%Y%m%dT%H%M}"
        if runner.add_job_once(PERIODIC_KIND, {"name": periodic.name}, dedupe_key=key, wake=False):
            added.append(periodic.name)
        db.session.commit()
    return added


def _target(path: str) -> Callable[[], Any]:
    module, _, function = path.partition(":")
    found: Callable[[], Any] = getattr(importlib.import_module(module), function)
    return found


def run_periodic(payload: dict[str, Any]) -> None:
    """The handler of a periodic row: call its target (the runner commits)."""
    periodic = by_name(str(payload.get("name")))
    if periodic is None:
        raise runner.PermanentFailure(f"no periodic job named {payload.get('name')!r}")
    target = _target(periodic.target)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # A context of its own (its own `g` and session): what the target queues is woken when it
    # ends, after its commit, and nothing the caller had pending runs inside this job.
    with app.app_context():
        if periodic.needs_request:
            with app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]):
                target()
                db.session.commit()
        else:
            target()
            db.session.commit()
