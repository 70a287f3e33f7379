"""Permission expectations for the background jobs admin page (admins only)."""

from __future__ import annotations

from app.extensions import db
from app.jobs.files import DELETE_FILES
from app.jobs.models import BackgroundJob, JobStatus
from app.mail.models import EmailStatus, OutgoingEmail
from tests.permissions import Route, World, logged_in


def setup(world: World) -> None:
    job = BackgroundJob(
        kind=DELETE_FILES, payload={"keys": []}, status=JobStatus.FAILED, last_error="OSError: x"
    )
    email = OutgoingEmail(
        to="someone@example.org",
        subject="Hello",
        text_body="Hello",
        status=EmailStatus.FAILED,
        last_error="SMTPServerDisconnected: gone",
    )
    db.session.add_all([job, email])
    db.session.flush()
    world.objects.update(jobs_failed_id=job.id, jobs_email_id=email.id)


def admins(status: int) -> dict[str, int]:
    return logged_in(403, admin=status)


ROUTES = [
    Route("jobs_admin.index", "GET", "/admin/jobs", admins(200)),
    Route(
        "jobs_admin.retry_job",
        "POST",
        lambda w: f"/admin/jobs/{w.objects['jobs_failed_id']}/retry",
        admins(302),
    ),
    Route(
        "jobs_admin.retry_email",
        "POST",
        lambda w: f"/admin/jobs/emails/{w.objects['jobs_email_id']}/retry",
        admins(302),
    ),
]
