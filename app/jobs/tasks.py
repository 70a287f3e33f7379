"""What RQ runs (`flask jobs worker` runs them inside the application's context)."""

from __future__ import annotations

from app.extensions import db
from app.jobs import runner
from app.mail.services import deliver_due


def run_job_task(job_id: int) -> bool:
    """Run one background job row (claimed first: a duplicate wake-up does nothing)."""
    try:
        return runner.run_job(job_id).ran
    finally:
        db.session.remove()


def deliver_mail_task() -> tuple[int, int]:
    """Send the due emails of the outbox (row-locked: two workers never send one twice)."""
    try:
        return deliver_due()
    finally:
        db.session.remove()
