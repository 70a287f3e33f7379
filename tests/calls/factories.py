"""Factories for calls, projects, submissions and reviews."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.calls.models import (
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
from app.extensions import db
from app.jobs.runner import run_due
from app.portfolios.models import Project
from app.profiles.models import Discipline
from demo import build
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
    return build.call(
        owner,
        title=title or f"Call number {n}",
        slug=kw.pop("slug", f"call-{n}"),
        description=kw.pop("description", "A **good** call."),
        status=status,
        deadline_at=deadline_at,
        timezone=timezone,
        **kw,
    )


def make_project(*, owner: User, title: str | None = None, **kw: Any) -> Project:
    n = next(_seq)
    return build.project(
        owner, title=title or f"Project {n}", slug=kw.pop("slug", f"project-{n}"), **kw
    )


def make_submission(
    *,
    call: OpenCall,
    applicant: User,
    status: SubmissionStatus = SubmissionStatus.SUBMITTED,
    projects: int = 1,
    **kw: Any,
) -> Submission:
    return build.submission(
        call,
        applicant,
        status=status,
        statement=kw.pop("statement", "I would love to take part."),
        projects=[make_project(owner=applicant) for _ in range(projects)],
        **kw,
    )


def make_juror(*, call: OpenCall, user: User, **kw: Any) -> Juror:
    return build.juror(call, user, **kw)


def make_review(*, submission: Submission, juror: User, score: int = 4, **kw: Any) -> Review:
    return build.review(submission, juror, score=score, **kw)


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
    run_due()  # its sizes are made by a background job, as after an upload's response
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
