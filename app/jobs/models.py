"""Background work as rows: the database is the source of truth, the queue only wakes workers.

A row is written in the same transaction as the change that needs it (an upload to resize, files
to remove after a deletion, a periodic run of the digests), so it exists exactly when that change
committed. Workers claim a row before running it; a failure waits with back-off and, after
`max_attempts`, stays FAILED with its error for the admin page (/admin/jobs) to retry.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import NEVER_REUSE_IDS, UTCDateTime, str_enum, utcnow
from app.extensions import Model


class JobStatus(enum.StrEnum):
    PENDING = "pending"  # waits for its time (next_attempt_at), then for a worker
    RUNNING = "running"  # claimed by a worker until locked_until (then due again)
    DONE = "done"
    FAILED = "failed"  # gave up after max_attempts, or could never succeed; retried by an admin


class BackgroundJob(Model):
    __tablename__ = "background_jobs"
    __table_args__ = (
        Index("ix_background_jobs_status_next_attempt_at", "status", "next_attempt_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What to do: a handler registered under this name (app/jobs/runner.py).
    kind: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # "Do this once": a periodic run names its name and time slot here (unique when set), so two
    # schedulers, or one run twice, add one row.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus), default=JobStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=5)
    last_error: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When a worker was last woken for it (the sweep wakes again only long after).
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A worker that died mid-run leaves RUNNING: due again once this has passed.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
