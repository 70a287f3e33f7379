"""Factories for calls, projects, submissions and reviews."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.calls.models import (
    CallKind,
    CallQuestion,
    CallStatus,
    Juror,
    OpenCall,
    QuestionKind,
    Review,
    Submission,
    SubmissionStatus,
)
from app.calls.services import set_banner
from app.db_types import utcnow
from app.extensions import db
from app.portfolios.models import Project
from app.profiles.models import Discipline
from tests.portfolios.factories import image_bytes

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


CALL_DESCRIPTION = (
    "Lễ hội mời **các nhà thiết kế trẻ** trưng bày một dự án.\n\n"
    "## Tiêu chí\n\n"
    "- bắt đầu từ _phố phường_ Hà Nội;\n"
    "- một câu chuyện rõ ràng.\n\n"
    "[Về lễ hội](https://example.org/hcdf)"
)


def make_full_call(*, owner: User, title: str | None = None, **kw: Any) -> OpenCall:
    """A call with everything filled: a banner (through the image pipeline), Markdown
    description and prizes, age and country limits, disciplines and one question per kind."""
    call = make_call(
        owner=owner,
        title=title or "Lễ hội Thiết kế Sáng tạo Hà Nội 2026 — Young Designers Showcase",
        description=kw.pop("description", CALL_DESCRIPTION),
        prizes=kw.pop("prizes", "**Giải nhất**: triển lãm tại _Hoàng thành Thăng Long_"),
        max_age=kw.pop("max_age", 35),
        allowed_countries=kw.pop("allowed_countries", ["VN", "TH", "FR"]),
        blind_review=kw.pop("blind_review", True),
        **kw,
    )
    call.disciplines = list(db.session.scalars(select(Discipline).order_by(Discipline.id).limit(2)))
    set_banner(
        call,
        actor=owner,
        data=image_bytes(900, 300, colour=(217, 164, 65)),
        alt="Áp phích lễ hội: vầng tròn đỏ trên nền giấy",
    )
    for position, kind in enumerate(QuestionKind):
        db.session.add(
            CallQuestion(
                call_id=call.id,
                position=position,
                label=f"Câu hỏi {position + 1}: bạn nghĩ gì về Hà Nội?",
                kind=kind,
                options=["Có", "Không"] if kind == QuestionKind.CHOICE else [],
            )
        )
    db.session.flush()
    return call
