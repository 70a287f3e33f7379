"""Open calls' part of "own your data": a person's applications, and what deletion removes."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.accounts.owndata import Cleanup, ExportPart
from app.calls.decision_models import SharedFeedback
from app.calls.models import (
    Answer,
    CallStatus,
    Juror,
    JurorStatus,
    OpenCall,
    Submission,
    SubmissionStatus,
)
from app.calls.services import BANNER_SLOT
from app.db_types import utcnow
from app.extensions import db
from app.media.deferred import drop_pending
from app.notifications.models import Notification


def export_submissions(user: User) -> ExportPart:
    """Each application with its statement, answers, attached projects and outcome, and the
    jurors' comments the organiser sent with the decision (as the applicant read them: only
    once told, numbered, never a juror's name)."""
    submissions = db.session.scalars(
        select(Submission)
        .where(Submission.applicant_id == user.id)
        .options(
            selectinload(Submission.call),
            selectinload(Submission.category),
            selectinload(Submission.projects),
            selectinload(Submission.answers).selectinload(Answer.question),
        )
        .order_by(Submission.id)
    ).all()
    told = [
        s.id
        for s in submissions
        if s.notified_at is not None and s.status == SubmissionStatus.SUBMITTED
    ]
    feedback: dict[int, list[str]] = {}
    if told:
        for shared in db.session.scalars(
            select(SharedFeedback)
            .where(SharedFeedback.submission_id.in_(told))
            .order_by(SharedFeedback.submission_id, SharedFeedback.position)
        ):
            feedback.setdefault(shared.submission_id, []).append(shared.text)
    return ExportPart(
        "submissions",
        [
            {
                "call": s.call.title,
                "call_url": s.call.path,
                "category": s.category.name if s.category is not None else None,
                "status": str(s.status),
                "decision": str(s.decision) if s.notified_at else None,
                "prize": s.prize if s.notified_at and s.prize else None,
                "results_consent": s.results_consent,
                "results_consent_at": (
                    s.results_consent_at.isoformat() if s.results_consent_at else None
                ),
                "statement": s.statement,
                "answers": [{"question": a.question.label, "answer": a.value} for a in s.answers],
                "projects": [p.slug for p in s.projects],
                "submitted_at": s.submitted_at.isoformat() if s.submitted_at else None,
                "jury_feedback": feedback.get(s.id, []),
            }
            for s in submissions
        ],
    )


def erase_calls(user: User) -> list[Cleanup]:
    """Applications and jury seats go; an organiser's calls close and leave public view, so that
    applicants keep the record of what they applied to."""
    slugs = list(db.session.scalars(select(OpenCall.slug).where(OpenCall.owner_id == user.id)))
    # Jurors' invitations point at calls that now leave public view: they go too.
    for slug in slugs:
        db.session.execute(
            delete(Notification).where(
                (Notification.url == f"/calls/{slug}")
                | Notification.url.startswith(f"/calls/{slug}/", autoescape=True)
            )
        )
    invitations = list(
        db.session.scalars(
            select(Juror.id)
            .join(OpenCall, OpenCall.id == Juror.call_id)
            .where(OpenCall.owner_id == user.id)
        )
    )
    if invitations:
        db.session.execute(
            delete(Notification).where(
                Notification.url.in_([f"/jury/invitations/{i}" for i in invitations])
            )
        )
    # Links sent to addresses without an account stop working with the organiser.
    db.session.execute(
        update(Juror)
        .where(Juror.id.in_(invitations), Juror.status == JurorStatus.INVITED)
        .values(status=JurorStatus.REVOKED, token_hash=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(Submission).where(Submission.applicant_id == user.id))
    db.session.execute(delete(Juror).where(Juror.user_id == user.id))
    db.session.execute(
        update(OpenCall)
        .where(OpenCall.owner_id == user.id, OpenCall.hidden_at.is_(None))
        .values(hidden_at=utcnow())
    )
    # A banner still waiting for its sizes is never resized: its private original goes.
    waiting = select(OpenCall).where(
        OpenCall.owner_id == user.id, OpenCall.banner_original_key.is_not(None)
    )
    for call in db.session.scalars(waiting).all():
        drop_pending(BANNER_SLOT, call)
    db.session.execute(
        update(OpenCall)
        .where(OpenCall.owner_id == user.id, OpenCall.status == CallStatus.PUBLISHED)
        .values(status=CallStatus.CLOSED)
    )
    return []
