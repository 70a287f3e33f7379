"""The queue that wakes workers: RQ on Redis (`JOBS_BACKEND=rq`), or this process (`inline`).

Nothing here holds work: the rows do (the email outbox, app/jobs/models.py). An RQ job only
names a row ("run background job 42") or says "deliver the due emails"; if Redis is down or
restarted empty, the rows wait and the scheduler's sweep wakes workers for them again.

`inline` (development and tests, no Redis): what a request woke runs in this process once its
response has gone out (never inside the request); the scheduler and `flask jobs run-due` run
the due rows themselves.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import select

from app.db_types import utcnow
from app.extensions import db
from app.jobs import runner
from app.mail.models import EmailStatus, OutgoingEmail
from app.mail.services import deliver_due

log = logging.getLogger("app.jobs")

RUN_JOB_TASK = "app.jobs.tasks.run_job_task"
DELIVER_MAIL_TASK = "app.jobs.tasks.deliver_mail_task"


def uses_rq() -> bool:
    return current_app.config["JOBS_BACKEND"] == "rq"


def connection() -> Redis:
    """One Redis client per app; a Redis that hangs fails fast (the rows wait, nothing is lost)."""
    conn: Redis | None = current_app.extensions.get("jobs_redis")
    if conn is None:
        conn = Redis.from_url(
            current_app.config["JOBS_REDIS_URL"], socket_connect_timeout=0.5, socket_timeout=2
        )
        current_app.extensions["jobs_redis"] = conn
    return conn


def queue() -> Queue:
    return Queue(current_app.config["JOBS_QUEUE"], connection=connection())


def _job_id(kind: str, *parts: Any) -> str:
    return "-".join([current_app.config["JOBS_QUEUE"], kind, *map(str, parts)])


def enqueue_jobs(job_ids: list[int]) -> bool:
    """Wake RQ workers for these rows; False (logged, rows kept) when Redis does not answer."""
    if not job_ids:
        return True
    try:
        q = queue()
        for job_id in job_ids:
            q.enqueue(RUN_JOB_TASK, job_id, job_id=_job_id("job", job_id), result_ttl=0)
    except RedisError as exc:
        log.warning("Redis unavailable, %s job(s) wait for the sweep: %s", len(job_ids), exc)
        return False
    runner.mark_enqueued(job_ids)
    return True


def enqueue_mail() -> bool:
    """Wake an RQ worker to deliver the due emails; False (logged) when Redis does not answer."""
    try:
        job_id = _job_id("mail", int(utcnow().timestamp()))
        queue().enqueue(DELIVER_MAIL_TASK, job_id=job_id, result_ttl=0)
    except RedisError as exc:
        log.warning("Redis unavailable, emails wait for the sweep: %s", exc)
        return False
    return True


def dispatch(*, mail: bool, job_ids: list[int]) -> None:
    """What a finished request (or command) woke: hand it to RQ, or run it here (inline)."""
    if uses_rq():
        enqueue_jobs(job_ids)
        if mail:
            enqueue_mail()
        return
    if mail and current_app.config["MAIL_SEND_AFTER_REQUEST"]:
        deliver_due()
    for job_id in job_ids:
        runner.run_job(job_id)


def emails_due() -> bool:
    return (
        db.session.scalar(
            select(OutgoingEmail.id)
            .where(
                OutgoingEmail.status == EmailStatus.QUEUED,
                OutgoingEmail.next_attempt_at <= utcnow(),
            )
            .limit(1)
        )
        is not None
    )


def sweep() -> tuple[int, bool]:
    """Wake workers for every due row and the due emails (RQ), or run them here (inline).
    Returns (rows woken or run, whether emails were due)."""
    mail = emails_due()
    if uses_rq():
        ids = runner.due_job_ids(for_wakeup=True)
        enqueue_jobs(ids)
        if mail:
            enqueue_mail()
        return len(ids), mail
    ran = runner.run_due()
    if mail:
        deliver_due()
    return ran, mail
