"""Background jobs as rows: run once, retried with back-off, failed for good, and periodic runs
that happen once per slot however many schedulers see them (a frozen clock throughout)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import func, select

from app.calls.models import SubmissionStatus
from app.db_types import utcnow
from app.extensions import db
from app.jobs import periodic, runner
from app.jobs.models import BackgroundJob, JobStatus
from app.mail.models import OutgoingEmail
from tests.calls.factories import make_call, make_submission

pytestmark = pytest.mark.usefixtures("app")
CALLS: list[dict[str, Any]] = []


def _flaky(payload: dict[str, Any]) -> None:
    CALLS.append(payload)
    if payload.get("fail"):
        raise OSError("the disk is away")


def _broken(_payload: dict[str, Any]) -> None:
    raise runner.PermanentFailure("not an image after all")


@pytest.fixture(autouse=True)
def handlers() -> Iterator[None]:
    runner.register_handler("test.flaky", _flaky)
    runner.register_handler("test.broken", _broken)
    CALLS.clear()
    yield
    runner.HANDLERS.pop("test.flaky", None)
    runner.HANDLERS.pop("test.broken", None)


def _job(job_id: int) -> BackgroundJob:
    db.session.expire_all()
    job = db.session.get(BackgroundJob, job_id)
    assert job is not None
    return job


def test_a_job_runs_once_however_often_it_is_woken() -> None:
    job = runner.add_job("test.flaky", {"n": 1})
    assert job is not None
    db.session.commit()

    assert runner.run_job(job.id).ran
    assert not runner.run_job(job.id).ran  # a second wake-up finds it done
    assert runner.run_due() == 0
    assert CALLS == [{"n": 1}]
    assert _job(job.id).status == JobStatus.DONE


def test_a_failing_job_backs_off_then_fails_for_good_with_its_error() -> None:
    with time_machine.travel("2026-03-01 09:00Z", tick=False) as clock:
        job = runner.add_job("test.flaky", {"fail": True}, max_attempts=3)
        assert job is not None
        db.session.commit()

        assert runner.run_due() == 1
        row = _job(job.id)
        assert (row.status, row.attempts) == (JobStatus.PENDING, 1)
        assert row.last_error == "OSError: the disk is away"
        assert row.next_attempt_at == utcnow() + timedelta(minutes=1)
        assert runner.run_due() == 0  # not due again at once

        clock.shift(timedelta(minutes=1))
        assert runner.run_due() == 1
        assert _job(job.id).next_attempt_at == utcnow() + timedelta(minutes=2)  # longer wait

        clock.shift(timedelta(minutes=2))
        assert runner.run_due() == 1
        row = _job(job.id)
        assert (row.status, row.attempts) == (JobStatus.FAILED, 3)
        clock.shift(timedelta(days=1))
        assert runner.run_due() == 0  # failed stays failed until someone retries it
    assert len(CALLS) == 3


def test_a_job_that_can_never_succeed_fails_at_once() -> None:
    job = runner.add_job("test.broken")
    assert job is not None
    db.session.commit()
    runner.run_due()
    row = _job(job.id)
    assert (row.status, row.attempts) == (JobStatus.FAILED, 1)
    assert row.last_error == "PermanentFailure: not an image after all"


def test_a_job_left_running_by_a_dead_worker_is_taken_again_later() -> None:
    with time_machine.travel("2026-03-01 09:00Z", tick=False) as clock:
        job = runner.add_job("test.flaky", {"n": 2})
        assert job is not None
        job.status = JobStatus.RUNNING  # claimed, then the worker was killed
        job.locked_until = utcnow() + timedelta(seconds=runner.LOCK_SECONDS)
        db.session.commit()
        assert runner.run_due() == 0
        clock.shift(timedelta(seconds=runner.LOCK_SECONDS + 1))
        assert runner.run_due() == 1
    assert _job(job.id).status == JobStatus.DONE


def test_a_rolled_back_change_leaves_no_job() -> None:
    runner.add_job("test.flaky", {"n": 3})
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(BackgroundJob)) == 0


def _periodic_rows() -> list[str]:
    db.session.expire_all()
    return sorted(
        str(key)
        for key in db.session.scalars(
            select(BackgroundJob.dedupe_key).where(BackgroundJob.kind == periodic.PERIODIC_KIND)
        )
    )


def test_each_periodic_job_is_scheduled_once_per_slot() -> None:
    with time_machine.travel("2026-03-01 09:02Z", tick=False) as clock:
        first = periodic.schedule_due()
        assert sorted(first) == sorted(p.name for p in periodic.PERIODIC)
        assert periodic.schedule_due() == []  # the same slot, a second tick: nothing
        clock.shift(timedelta(minutes=10))  # 09:12: a new ten-minute slot for message digests
        assert periodic.schedule_due() == ["messages.digests"]
    rows = _periodic_rows()
    assert "periodic:messages.digests:20260301T0900" in rows
    assert "periodic:messages.digests:20260301T0910" in rows
    # The daily digest's slot starts at 00:00 UTC (07:00 in Hanoi).
    assert "periodic:notifications.daily-digests:20260301T0000" in rows
    assert len(rows) == len(periodic.PERIODIC) + 1


@pytest.mark.postgres_only
def test_two_schedulers_at_the_same_moment_add_one_row_per_slot(make_app: Any) -> None:
    app = make_app()
    results: list[list[str]] = []
    start = threading.Barrier(2)

    def scheduler() -> None:
        with app.app_context():
            start.wait()
            results.append(periodic.schedule_due())
            db.session.remove()

    with time_machine.travel("2026-03-01 09:02Z", tick=False):
        threads = [threading.Thread(target=scheduler) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    with app.app_context():
        assert len(_periodic_rows()) == len(periodic.PERIODIC)
        db.session.remove()
    # Each name was scheduled by exactly one of the two.
    names = sorted(name for found in results for name in found)
    assert names == sorted(p.name for p in periodic.PERIODIC)


def test_a_periodic_run_twice_sends_its_reminder_once(organiser: Any, designer: Any) -> None:
    with time_machine.travel("2026-03-01 09:02Z", tick=False):
        call = make_call(owner=organiser, deadline_at=utcnow() + timedelta(hours=30))
        make_submission(call=call, applicant=designer, status=SubmissionStatus.DRAFT)
        db.session.commit()
        periodic.schedule_due()
        assert runner.run_due() == len(periodic.PERIODIC)
        # An hour later a new slot runs the same reminders again: nothing new to send.
    with time_machine.travel("2026-03-01 10:02Z", tick=False):
        assert "calls.reminders" in periodic.schedule_due()
        runner.run_due()
        # And the same slot's row run by hand a second time does nothing either.
        again = runner.add_job(periodic.PERIODIC_KIND, {"name": "calls.reminders"})
        assert again is not None
        db.session.commit()
        assert runner.run_job(again.id).ran
    reminders = db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.to == designer.email)
    ).all()
    assert len(reminders) == 1
    assert "still a draft" in reminders[0].subject
    statuses = set(db.session.scalars(select(BackgroundJob.status)))
    assert statuses == {JobStatus.DONE}
