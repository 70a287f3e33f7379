"""Factories for calls, projects, submissions and reviews."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from app.accounts.models import User
from app.calls.models import (
    CallKind,
    CallStatus,
    Juror,
    OpenCall,
    Review,
    Submission,
    SubmissionStatus,
)
from app.db_types import utcnow
from app.extensions import db
from app.portfolios.models import Project

_seq = itertools.count(1)


def make_call(
    *,
    owner: User,
    title: str | None = None,
    status: CallStatus = CallStatus.PUBLISHED,
    deadline_at: datetime | None = None,
    timezone: str = "Asia/Ho_Chi_Minh",
    **kw: Any,
) -> OpenCall:
    n = next(_seq)
    title = title or f"Call number {n}"
    now = utcnow()
    call = OpenCall(
        owner_id=owner.id,
        slug=kw.pop("slug", f"call-{n}"),
        kind=kw.pop("kind", CallKind.COMPETITION),
        title=title,
        summary=kw.pop("summary", f"The summary of {title}."),
        description=kw.pop("description", "A **good** call."),
        timezone=timezone,
        deadline_at=deadline_at or now + timedelta(days=20),
        status=status,
        published_at=now - timedelta(days=1) if status != CallStatus.DRAFT else None,
        **kw,
    )
    db.session.add(call)
    db.session.flush()
    return call


def make_project(*, owner: User, title: str | None = None, **kw: Any) -> Project:
    n = next(_seq)
    project = Project(
        owner_id=owner.id,
        slug=kw.pop("slug", f"project-{n}"),
        title=title or f"Project {n}",
        is_published=kw.pop("is_published", True),
        **kw,
    )
    db.session.add(project)
    db.session.flush()
    return project


def make_submission(
    *,
    call: OpenCall,
    applicant: User,
    status: SubmissionStatus = SubmissionStatus.SUBMITTED,
    projects: int = 1,
    **kw: Any,
) -> Submission:
    submission = Submission(
        call_id=call.id,
        applicant_id=applicant.id,
        status=status,
        statement=kw.pop("statement", "I would love to take part."),
        submitted_at=utcnow() if status == SubmissionStatus.SUBMITTED else None,
        **kw,
    )
    submission.projects = [make_project(owner=applicant) for _ in range(projects)]
    db.session.add(submission)
    db.session.flush()
    return submission


def make_juror(*, call: OpenCall, user: User) -> Juror:
    juror = Juror(call_id=call.id, user_id=user.id)
    db.session.add(juror)
    db.session.flush()
    return juror


def make_review(*, submission: Submission, juror: User, score: int = 4, **kw: Any) -> Review:
    review = Review(submission_id=submission.id, juror_id=juror.id, score=score, **kw)
    db.session.add(review)
    db.session.flush()
    return review
