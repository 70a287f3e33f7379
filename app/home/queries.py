"""What a person's home shows, each section in a fixed number of queries whatever the data.

Every function reads one section: the designer's applications, portfolio and first steps, the
juror's juries, the organiser's calls. None of them loops over rows with a query inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, ScalarSelect, and_, case, exists, func, select

from app.accounts.models import User
from app.calls import rounds
from app.calls.models import (
    CallStatus,
    Decision,
    Juror,
    OpenCall,
    Review,
    Submission,
    SubmissionStatus,
)
from app.calls.queries import juror_may_see, my_submissions_query, own_seat
from app.extensions import db
from app.portfolios.models import Project
from app.profiles.models import DesignerProfile, OrganiserProfile, designer_disciplines

DECIDED = (Decision.ACCEPTED, Decision.DECLINED)


# ---------- Designer: applications ----------


@dataclass
class ApplicationCounts:
    draft: int = 0
    submitted: int = 0
    decided: int = 0
    withdrawn: int = 0

    @property
    def total(self) -> int:
        return self.draft + self.submitted + self.decided + self.withdrawn


def application_counts(user: User) -> ApplicationCounts:
    """How many of the person's applications are drafts, submitted, decided (one query).

    "Decided" is what the applicant was told: a decision counts once it was sent to them."""
    told = and_(
        Submission.status == SubmissionStatus.SUBMITTED,
        Submission.notified_at.is_not(None),
        Submission.decision.in_(DECIDED),
    )
    state = case(
        (told, "decided"),
        else_=Submission.status,
    )
    counts = ApplicationCounts()
    rows = db.session.execute(
        select(state, func.count(Submission.id))
        .where(Submission.applicant_id == user.id)
        .group_by(state)
    )
    for name, n in rows:
        setattr(counts, str(name), int(n))
    return counts


def applications(user: User, *, limit: int) -> list[Submission]:
    """The person's first `limit` applications with their calls (one query)."""
    return list(db.session.scalars(my_submissions_query(user).limit(limit)))


def applied_call_ids(user: User) -> set[int]:
    return set(
        db.session.scalars(select(Submission.call_id).where(Submission.applicant_id == user.id))
    )


def jury_call_ids(user: User) -> set[int]:
    return set(db.session.scalars(select(Juror.call_id).where(Juror.user_id == user.id)))


# ---------- Designer: portfolio and first steps ----------


@dataclass
class PortfolioState:
    projects: int = 0
    published: int = 0
    hidden: int = 0
    profile_described: bool = False

    @property
    def drafts(self) -> int:
        return self.projects - self.published


def portfolio_state(user: User) -> PortfolioState:
    """The portfolio's counts and whether the profile says who the person is (one query)."""
    counts = (
        select(
            func.count(Project.id),
            func.coalesce(func.sum(case((Project.is_published.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Project.hidden_at.is_not(None), 1), else_=0)), 0),
        )
        .where(Project.owner_id == user.id)
        .subquery()
    )
    described = (
        select(DesignerProfile.id)
        .where(
            DesignerProfile.user_id == user.id,
            func.length(func.trim(DesignerProfile.bio)) > 0,
            exists().where(designer_disciplines.c.profile_id == DesignerProfile.id),
        )
        .exists()
    )
    projects, published, hidden, profile_described = db.session.execute(
        select(counts.c[0], counts.c[1], counts.c[2], described)
    ).one()
    return PortfolioState(
        projects=int(projects or 0),
        published=int(published or 0),
        hidden=int(hidden or 0),
        profile_described=bool(profile_described),
    )


# ---------- Juror ----------


@dataclass
class JurySeat:
    call: OpenCall
    waiting: int
    submitted: int


def jury_seats(user: User, *, limit: int) -> list[JurySeat]:
    """The calls whose jury the person is on, with how many applications wait for their score
    (scored, or set aside for a conflict of interest, counts as done): one query."""
    submitted = and_(
        Submission.call_id == OpenCall.id,
        Submission.status == SubmissionStatus.SUBMITTED,
        juror_may_see(user),  # a category with its own jury counts for its jurors only
    )
    waiting = (
        select(func.count(Submission.id))
        .where(submitted, rounds.open_work(user))  # in the open round, theirs, not done
        .correlate(OpenCall)
        .scalar_subquery()
    )
    total = select(func.count(Submission.id)).where(submitted).correlate(OpenCall).scalar_subquery()
    seat = own_seat(user)  # accepted seats that let the person review
    if seat is None:
        return []
    rows = db.session.execute(
        select(OpenCall, waiting, total)
        .join(Juror, Juror.call_id == OpenCall.id)
        .where(seat)
        .order_by(waiting.desc(), OpenCall.deadline_at.desc(), OpenCall.id)
        .limit(limit)
    )
    return [JurySeat(call, int(w or 0), int(t or 0)) for call, w, t in rows]


# ---------- Organiser ----------


@dataclass
class CallRow:
    call: OpenCall
    submitted: int
    reviews: int
    undecided: int
    to_send: int

    def stage(self, now: datetime) -> str:
        """draft, open, closed (decisions still to make or send) or decided."""
        state = self.call.state(now)
        if state == CallStatus.DRAFT:
            return "draft"
        if state == CallStatus.PUBLISHED:
            return "open"
        if state == CallStatus.ARCHIVED or (
            self.submitted and not self.undecided and not self.to_send
        ):
            return "decided"
        return "closed"


def organiser_calls(user: User, *, limit: int) -> list[CallRow]:
    """The organiser's calls with their numbers of applications, scores and decisions waiting
    to be sent (one query); drafts and open calls first, then by deadline."""
    of_call = and_(
        Submission.call_id == OpenCall.id, Submission.status == SubmissionStatus.SUBMITTED
    )

    def count(*where: ColumnElement[bool]) -> ScalarSelect[int]:
        return (
            select(func.count(Submission.id))
            .where(of_call, *where)
            .correlate(OpenCall)
            .scalar_subquery()
        )

    reviews = (
        select(func.count(Review.id))
        .join(Submission, Submission.id == Review.submission_id)
        .where(of_call, Review.score.is_not(None))
        .correlate(OpenCall)
        .scalar_subquery()
    )
    order = case(
        (OpenCall.status == CallStatus.DRAFT, 0),
        (OpenCall.status == CallStatus.PUBLISHED, 1),
        (OpenCall.status == CallStatus.CLOSED, 2),
        else_=3,
    )
    to_send = count(Submission.decision.in_(DECIDED), Submission.notified_at.is_(None))
    rows = db.session.execute(
        select(OpenCall, count(), reviews, count(Submission.decision.not_in(DECIDED)), to_send)
        .where(OpenCall.owner_id == user.id)
        # Calls with decisions to send first: they wait for the organiser.
        .order_by(
            case((to_send > 0, 0), else_=1),
            order,
            OpenCall.deadline_at.desc(),
            OpenCall.id.desc(),
        )
        .limit(limit)
    )
    return [
        CallRow(call, int(n or 0), int(r or 0), int(u or 0), int(s or 0))
        for call, n, r, u, s in rows
    ]


def organiser_call_count(user: User) -> int:
    return int(
        db.session.scalar(select(func.count(OpenCall.id)).where(OpenCall.owner_id == user.id)) or 0
    )


def organisation_described(user: User) -> bool:
    """Whether the organiser said who their organisation is (a description)."""
    return bool(
        db.session.scalar(
            select(
                select(OrganiserProfile.id)
                .where(
                    OrganiserProfile.user_id == user.id,
                    func.length(func.trim(OrganiserProfile.description)) > 0,
                )
                .exists()
            )
        )
    )
