"""/admin/jobs: failed background jobs and emails, with their error, and a button to retry."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.forms import ConfirmForm
from app.jobs import runner
from app.jobs.models import BackgroundJob, JobStatus
from app.mail.models import EmailStatus, OutgoingEmail
from app.pagination import page_number, paginate
from app.permissions import admins_only

bp = Blueprint("jobs_admin", __name__, url_prefix="/admin/jobs")
PER_PAGE = 25
SHOWS = ("jobs", "emails")


def _counts() -> dict[str, int]:
    jobs = dict(
        db.session.execute(
            select(BackgroundJob.status, func.count()).group_by(BackgroundJob.status)
        ).all()
    )
    emails = db.session.scalar(
        select(func.count())
        .select_from(OutgoingEmail)
        .where(OutgoingEmail.status == EmailStatus.FAILED)
    )
    waiting = db.session.scalar(
        select(func.count())
        .select_from(OutgoingEmail)
        .where(OutgoingEmail.status == EmailStatus.QUEUED)
    )
    return {
        "pending": int(jobs.get(JobStatus.PENDING, 0)) + int(jobs.get(JobStatus.RUNNING, 0)),
        "failed_jobs": int(jobs.get(JobStatus.FAILED, 0)),
        "failed_emails": int(emails or 0),
        "queued_emails": int(waiting or 0),
    }


@bp.get("")
@admins_only
def index() -> ResponseReturnValue:
    show = request.args.get("show", "jobs")
    if show not in SHOWS:
        show = "jobs"
    number = page_number(request.args)
    if show == "jobs":
        page = paginate(
            select(BackgroundJob)
            .where(BackgroundJob.status == JobStatus.FAILED)
            .order_by(BackgroundJob.finished_at.desc(), BackgroundJob.id.desc()),
            number=number,
            per_page=PER_PAGE,
        )
    else:
        page = paginate(
            select(OutgoingEmail)
            .where(OutgoingEmail.status == EmailStatus.FAILED)
            .order_by(OutgoingEmail.next_attempt_at.desc(), OutgoingEmail.id.desc()),
            number=number,
            per_page=PER_PAGE,
        )
    return render_template(
        "jobs/admin.html", show=show, page=page, counts=_counts(), form=ConfirmForm()
    )


@bp.post("/<int:job_id>/retry")
@admins_only
def retry_job(job_id: int) -> ResponseReturnValue:
    if ConfirmForm().validate_on_submit():
        if runner.retry_job(job_id):
            db.session.commit()
            flash(_("The job will run again shortly."), "success")
        else:
            flash(_("This job is no longer failed: nothing to retry."), "info")
    return redirect(url_for("jobs_admin.index", show="jobs"))


@bp.post("/emails/<int:email_id>/retry")
@admins_only
def retry_email(email_id: int) -> ResponseReturnValue:
    if ConfirmForm().validate_on_submit():
        if runner.retry_email(email_id):
            db.session.commit()
            flash(_("The email will be sent again shortly."), "success")
        else:
            flash(_("This email is no longer failed: nothing to retry."), "info")
    return redirect(url_for("jobs_admin.index", show="emails"))
