"""Adding, claiming, running, retrying and sweeping background jobs (this module commits).

`add_job` writes a row in the caller's transaction (never commits) and asks for a wake-up once
the response has gone out (app/jobs/after_response.py). `run_job` is what a worker does: claim
the row (one winner, on SQLite and PostgreSQL alike), run its handler, commit; a failure is
retried with back-off (1, 2, 4... minutes) and after `max_attempts` the row is FAILED with its
error. Every handler is idempotent: a row run twice (a worker killed after its work, before its
commit) does nothing wrong the second time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app, g, has_app_context
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.db_types import utcnow
from app.extensions import db
from app.jobs.models import BackgroundJob, JobStatus
from app.mail.models import EmailStatus, OutgoingEmail
from app.savepoints import savepoint

log = logging.getLogger("app.jobs")

Handler = Callable[[dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}

# A claimed row is given this long before another worker may take it again (a worker killed
# mid-run): longer than any job takes.
LOCK_SECONDS = 15 * 60
# The sweep wakes a worker again for a row still waiting this long after its last wake-up
# (Redis restarted empty, or was down at the first one).
REQUEUE_AFTER = timedelta(minutes=5)


class PermanentFailure(Exception):
    """A job that can never succeed (an original that is not an image after all): FAILED now,
    with this error, without further attempts."""


def register_handler(kind: str, handler: Handler) -> None:
    """A domain names what runs a kind of job (from its `register(app)`)."""
    HANDLERS[kind] = handler


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: 1, 2, 4, ... minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def add_job(
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    dedupe_key: str | None = None,
    max_attempts: int | None = None,
    wake: bool = True,
) -> BackgroundJob | None:
    """Write a job row in the current transaction (flushes) and wake a worker for it after the
    response (or the command; `wake=False`: the caller's sweep does). None when a job with the
    same dedupe_key exists already."""
    if kind not in HANDLERS:
        raise KeyError(f"no handler for background job {kind!r}")
    if dedupe_key is not None:
        found = db.session.scalar(
            select(BackgroundJob.id).where(BackgroundJob.dedupe_key == dedupe_key)
        )
        if found is not None:
            return None
    job = BackgroundJob(
        kind=kind,
        payload=payload or {},
        dedupe_key=dedupe_key,
        max_attempts=max_attempts or int(current_app.config["JOBS_MAX_ATTEMPTS"]),
    )
    db.session.add(job)
    db.session.flush()
    if wake:
        wake_job(job.id)
    return job


def add_job_once(
    kind: str, payload: dict[str, Any], *, dedupe_key: str, wake: bool = True
) -> BackgroundJob | None:
    """`add_job` that is safe against a concurrent caller with the same key (a second scheduler):
    the loser's insert is undone by a savepoint and it gets None."""
    try:
        with savepoint():
            return add_job(kind, payload, dedupe_key=dedupe_key, wake=wake)
    except IntegrityError:
        return None


def wake_job(job_id: int) -> None:
    """Ask for a worker for this row once the current response (or command) is done."""
    if has_app_context():
        woken: list[int] = g.setdefault("jobs_woken", [])
        woken.append(job_id)


def wake_mail() -> None:
    """Ask for email delivery once the current response (or command) is done."""
    if has_app_context():
        g.mail_queued = True


def _due_clause() -> Any:
    now = utcnow()
    return or_(
        and_(BackgroundJob.status == JobStatus.PENDING, BackgroundJob.next_attempt_at <= now),
        and_(BackgroundJob.status == JobStatus.RUNNING, BackgroundJob.locked_until < now),
    )


@dataclass
class Outcome:
    ran: bool
    error: str | None = None


def run_job(job_id: int) -> Outcome:
    """Claim one row and run it; commits. Not due, already taken or gone: ran=False."""
    now = utcnow()
    claimed = db.session.execute(
        update(BackgroundJob)
        .where(BackgroundJob.id == job_id, _due_clause())
        .values(
            status=JobStatus.RUNNING,
            attempts=BackgroundJob.attempts + 1,
            locked_until=now + timedelta(seconds=LOCK_SECONDS),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if not getattr(claimed, "rowcount", 0):
        return Outcome(ran=False)
    job = db.session.get(BackgroundJob, job_id)
    if job is None:  # pragma: no cover - deleted between the claim and the read
        return Outcome(ran=False)
    kind, payload = job.kind, dict(job.payload or {})
    handler = HANDLERS.get(kind)
    try:
        if handler is None:
            raise PermanentFailure(f"no handler for {kind!r}")
        handler(payload)
        db.session.commit()
    except Exception as exc:  # any failure is kept on the row, never lost
        db.session.rollback()
        return _failed(job_id, exc)
    db.session.execute(
        update(BackgroundJob)
        .where(BackgroundJob.id == job_id)
        .values(status=JobStatus.DONE, finished_at=utcnow(), locked_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return Outcome(ran=True)


def _failed(job_id: int, exc: Exception) -> Outcome:
    job = db.session.get(BackgroundJob, job_id)
    error = f"{type(exc).__name__}: {exc}"[:1000]
    if job is None:  # pragma: no cover - deleted meanwhile
        return Outcome(ran=True, error=error)
    job.last_error = error
    job.locked_until = None
    if isinstance(exc, PermanentFailure) or job.attempts >= job.max_attempts:
        job.status = JobStatus.FAILED
        job.finished_at = utcnow()
        log.error("background job %s (%s) failed for good: %s", job.id, job.kind, error)
    else:
        job.status = JobStatus.PENDING
        job.next_attempt_at = utcnow() + retry_delay(job.attempts)
        job.enqueued_at = None  # the sweep wakes a worker again once it is due
        log.warning("background job %s (%s) failed, will retry: %s", job.id, job.kind, error)
    db.session.commit()
    return Outcome(ran=True, error=error)


def due_job_ids(*, limit: int = 200, for_wakeup: bool = False) -> list[int]:
    """Rows whose time has come, oldest first; `for_wakeup`: only those no worker was woken for
    lately (the sweep)."""
    query = select(BackgroundJob.id).where(_due_clause())
    if for_wakeup:
        query = query.where(
            or_(
                BackgroundJob.enqueued_at.is_(None),
                BackgroundJob.enqueued_at < utcnow() - REQUEUE_AFTER,
            )
        )
    return list(db.session.scalars(query.order_by(BackgroundJob.id).limit(limit)))


def run_due(*, limit: int = 200) -> int:
    """Run every due row in this process (tests, `flask jobs run-due`); how many ran."""
    ran = 0
    for job_id in due_job_ids(limit=limit):
        ran += run_job(job_id).ran
    return ran


def mark_enqueued(job_ids: list[int]) -> None:
    """Note that a worker was woken for these rows (commits)."""
    if job_ids:
        db.session.execute(
            update(BackgroundJob)
            .where(BackgroundJob.id.in_(job_ids))
            .values(enqueued_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


def retry_job(job_id: int) -> bool:
    """An admin tries a FAILED row again from the start (flushes); False if it is not failed."""
    done = db.session.execute(
        update(BackgroundJob)
        .where(BackgroundJob.id == job_id, BackgroundJob.status == JobStatus.FAILED)
        .values(
            status=JobStatus.PENDING,
            attempts=0,
            next_attempt_at=utcnow(),
            enqueued_at=None,
            finished_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0):
        wake_job(job_id)
        return True
    return False


def retry_email(email_id: int) -> bool:
    """An admin sends a FAILED email again (flushes); False if it is not failed (or has lost its
    recipient: a deleted account's emails are never sent)."""
    done = db.session.execute(
        update(OutgoingEmail)
        .where(
            OutgoingEmail.id == email_id,
            OutgoingEmail.status == EmailStatus.FAILED,
            OutgoingEmail.to != "",
        )
        .values(status=EmailStatus.QUEUED, attempts=0, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0):
        wake_mail()
        return True
    return False
