"""Reading calls and submissions in a constant number of queries, whatever their number."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, String, and_, bindparam, case, cast, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import ColumnElement

from app.accounts.models import User, UserStatus
from app.calls.eligibility import eligible_clause
from app.calls.models import (
    CallCategory,
    CallKind,
    CallStatus,
    Decision,
    Juror,
    JurorStatus,
    OpenCall,
    Review,
    Submission,
    SubmissionStatus,
    call_disciplines,
    category_jurors,
)
from app.db_types import utcnow
from app.extensions import db
from app.pagination import Page, paginate
from app.portfolios.models import Project
from app.profiles.models import DesignerProfile, Discipline
from app.profiles.queries import disciplines_by_id, parse_ids

PER_PAGE = 12


@dataclass
class CallFilters:
    kind: str = ""
    discipline: str = ""
    open_now: bool = False
    closing_soon: bool = False
    eligible: bool = False
    no_fee: bool = False


def _public_calls() -> Select[Any]:
    # A suspended, hidden or deleted organiser's calls leave public view with them.
    return (
        select(OpenCall)
        .join(User, User.id == OpenCall.owner_id)
        .where(
            OpenCall.status.in_([CallStatus.PUBLISHED, CallStatus.CLOSED]),
            OpenCall.hidden_at.is_(None),
            User.status == UserStatus.ACTIVE,
            User.hidden_at.is_(None),
        )
    )


# What a call's card shows and reads (app/calls/cards.py, the Save button): the long texts and
# the rules stay in the database.
CARD_COLUMNS = (
    OpenCall.slug,
    OpenCall.kind,
    OpenCall.title,
    OpenCall.summary,
    OpenCall.timezone,
    OpenCall.opens_at,
    OpenCall.deadline_at,
    OpenCall.no_entry_fee,
    OpenCall.access_mode,
    OpenCall.status,
    OpenCall.hidden_at,
)


def discipline_ids_of_call() -> ColumnElement[str | None]:
    """A call's disciplines' ids, comma-separated (`parse_ids`), in the call's row."""
    return (
        select(func.aggregate_strings(cast(call_disciplines.c.discipline_id, String), ","))
        .where(call_disciplines.c.call_id == OpenCall.id)
        .scalar_subquery()
    )


def list_calls(
    filters: CallFilters, *, page: int, viewer_profile: DesignerProfile | None
) -> Page[OpenCall]:
    """Public calls, the open ones first by nearest deadline, then the closed ones."""
    now = utcnow()
    query = _public_calls()
    if filters.kind in CallKind.__members__.values():
        query = query.where(OpenCall.kind == CallKind(filters.kind))
    if filters.discipline:
        query = query.where(
            OpenCall.id.in_(
                select(call_disciplines.c.call_id)
                .join(Discipline, Discipline.id == call_disciplines.c.discipline_id)
                .where(Discipline.slug == filters.discipline)
            )
        )
    # "Open" is a clock question: published, and the deadline's minute not yet over.
    still_open = and_(
        OpenCall.status == CallStatus.PUBLISHED,
        OpenCall.deadline_at > now - timedelta(minutes=1),
        or_(OpenCall.opens_at.is_(None), OpenCall.opens_at <= now),
    )
    if filters.open_now or filters.closing_soon or filters.eligible:
        query = query.where(still_open)
    if filters.closing_soon:
        query = query.where(OpenCall.deadline_at <= now + timedelta(days=7))
    if filters.no_fee:
        query = query.where(OpenCall.no_entry_fee.is_(True))
    if filters.eligible:
        # The designer's rules (age on each call's deadline day in its zone, country), in SQL.
        profile = viewer_profile
        query = query.where(
            eligible_clause(
                profile.birth_date if profile else None, profile.country if profile else None
            )
        )
    order = (~still_open, OpenCall.deadline_at, OpenCall.id)
    # The page is picked on narrow rows (ids, sort keys and the number of all matching calls,
    # a window count), then only its twelve calls are read, with the columns a card shows:
    # sorting every public call's whole row grew with their number (~4x from 20 to 2,000).
    page = max(page, 1)
    picked = (
        query.with_only_columns(
            OpenCall.id,
            func.count().over().label("total"),
            func.row_number().over(order_by=order).label("position"),
        )
        .order_by(*order)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
        .subquery()
    )
    rows = db.session.execute(
        select(OpenCall, picked.c.total, discipline_ids_of_call())
        .join(picked, picked.c.id == OpenCall.id)
        .order_by(picked.c.position)
        .options(load_only(*CARD_COLUMNS))
    ).all()
    # The disciplines named from the per-process list (no query per page).
    for row in rows:
        set_committed_value(row[0], "disciplines", disciplines_by_id(parse_ids(row[2])))
    if rows:
        total = int(rows[0].total)
    else:  # past the last page (or nothing matches): count, then show the last page
        total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        if total and page > 1:
            return list_calls(
                filters, page=math.ceil(total / PER_PAGE), viewer_profile=viewer_profile
            )
    pages = max(1, math.ceil(total / PER_PAGE))
    return Page(
        [row[0] for row in rows],
        number=page,
        per_page=PER_PAGE,
        has_next=page < pages,
        pages=pages,
        total=total,
    )


def call_exists(view_args: dict[str, Any]) -> bool:
    """Whether the call a page of the calls blueprint is about still exists (notifications ask)."""
    invitation_id = view_args.get("invitation_id")
    if invitation_id is not None:
        return db.session.get(Juror, invitation_id) is not None
    slug = view_args.get("slug")
    if slug is None:
        return True
    return db.session.scalar(select(OpenCall.id).where(OpenCall.slug == slug)) is not None


def load_call(slug: str) -> OpenCall | None:
    """A call with its owner and disciplines (joined: a call has a few), its questions and its
    categories with their juries (one statement each, when it has any)."""
    result = db.session.execute(_load_call_statement(), {"slug": slug})
    return result.unique().scalar_one_or_none()


@cache
def _load_call_statement() -> Select[Any]:
    # Built once (bound: `slug`): its loader options cost more to build than it costs to run.
    return (
        select(OpenCall)
        .where(OpenCall.slug == bindparam("slug"))
        .options(
            joinedload(OpenCall.disciplines),
            selectinload(OpenCall.questions),
            selectinload(OpenCall.categories).selectinload(CallCategory.jurors),
            joinedload(OpenCall.owner),
        )
    )


def _seated() -> ColumnElement[bool]:
    """A seat that lets its person review: accepted, and the person a member — or still
    pending, with a verified organisation's invitation standing in for approval."""
    return and_(
        Juror.status == JurorStatus.ACCEPTED,
        or_(
            User.status == UserStatus.ACTIVE,
            and_(
                User.status == UserStatus.PENDING,
                Juror.approved_by_invitation_at.is_not(None),
            ),
        ),
    )


def seated_clause() -> ColumnElement[bool]:
    """`_seated` for other modules (a juror joined to their user)."""
    return _seated()


def juror_ids(call: OpenCall) -> set[int]:
    """The people who review this call: accepted seats only."""
    return {
        i
        for i in db.session.scalars(
            select(Juror.user_id)
            .join(User, User.id == Juror.user_id)
            .where(Juror.call_id == call.id, _seated())
        )
        if i is not None
    }


def jurors_of(call: OpenCall) -> list[Juror]:
    """Every invitation of the call with its person (if any), oldest first, for its organiser."""
    return list(
        db.session.scalars(
            select(Juror)
            .where(Juror.call_id == call.id)
            .options(joinedload(Juror.user))
            .order_by(Juror.invited_at, Juror.id)
        )
    )


def invitation_of(invitation_id: int, user: User) -> Juror | None:
    """A person's own invitation (anyone else's is none of their business: None)."""
    return db.session.scalar(
        select(Juror)
        .where(Juror.id == invitation_id, Juror.user_id == user.id)
        .options(joinedload(Juror.call).joinedload(OpenCall.owner))
    )


def invitations_waiting(user: User) -> list[Juror]:
    """The jury invitations a person has not answered yet, newest first."""
    return list(
        db.session.scalars(
            select(Juror)
            .where(Juror.user_id == user.id, Juror.status == JurorStatus.INVITED)
            .options(joinedload(Juror.call))
            .order_by(Juror.invited_at.desc(), Juror.id.desc())
        )
    )


def approvals_by_invitation(*, page: int) -> Page[Juror]:
    """Seats an organisation's invitation approved, newest first (the moderators' list)."""
    query = (
        select(Juror)
        .where(Juror.approved_by_invitation_at.is_not(None))
        .options(joinedload(Juror.user), joinedload(Juror.call).joinedload(OpenCall.owner))
        .order_by(Juror.approved_by_invitation_at.desc(), Juror.id.desc())
    )
    return paginate(query, number=page, per_page=PER_PAGE)


def juror_may_see(user: User) -> ColumnElement[bool]:
    """The submissions a juror of the call reviews: those without a category, those in a
    category without a jury of its own, and those in a category whose own jury they sit on."""
    own_jury = select(category_jurors.c.category_id).where(
        category_jurors.c.category_id == Submission.category_id
    )
    on_it = (
        select(category_jurors.c.category_id)
        .join(Juror, Juror.id == category_jurors.c.juror_id)
        .where(category_jurors.c.category_id == Submission.category_id, Juror.user_id == user.id)
    )
    return or_(Submission.category_id.is_(None), ~own_jury.exists(), on_it.exists())


def load_submission(
    call: OpenCall,
    submission_id: int,
    *,
    juror: User | None = None,
    also: ColumnElement[bool] | None = None,
) -> Submission | None:
    """A submitted application of the call; for a juror (not the owner), only one they review
    (`also`: the rounds' condition, in a round and assigned to them)."""
    query = select(Submission).where(
        Submission.id == submission_id,
        Submission.call_id == call.id,
        Submission.status == SubmissionStatus.SUBMITTED,
    )
    if juror is not None:
        query = query.where(juror_may_see(juror))
    if also is not None:
        query = query.where(also)
    return db.session.scalar(
        query.options(
            joinedload(Submission.applicant),
            selectinload(Submission.projects),
            selectinload(Submission.answers),
            selectinload(Submission.reviews).joinedload(Review.juror),
        )
    )


RESULTS_PER_PAGE = 24


def results_page(call: OpenCall, *, number: int) -> Page[Submission]:
    """The call's public results: accepted works, sent to their applicants, shown with their
    agreement, of visible active designers; prizes first. Three queries whatever the number."""
    stmt = (
        select(Submission)
        .join(User, User.id == Submission.applicant_id)
        .where(
            Submission.call_id == call.id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.decision == Decision.ACCEPTED,
            Submission.notified_at.is_not(None),
            Submission.results_consent.is_(True),
            User.status == UserStatus.ACTIVE,
            User.hidden_at.is_(None),
        )
        .options(
            contains_eager(Submission.applicant),
            selectinload(Submission.projects).selectinload(Project.images),
        )
        .order_by((Submission.prize == "").asc(), Submission.decided_at, Submission.id)
    )
    return paginate(stmt, number=number, per_page=RESULTS_PER_PAGE)


def calls_with_results(call_ids: list[int]) -> set[int]:
    """Which of these calls sent decisions (one query, for lists and the feed)."""
    if not call_ids:
        return set()
    return set(
        db.session.scalars(
            select(Submission.call_id)
            .where(Submission.call_id.in_(call_ids), Submission.notified_at.is_not(None))
            .distinct()
        )
    )


def applications_order(now: datetime) -> tuple[Any, ...]:
    """A person's applications (joined to their calls): drafts of calls still open first, the
    nearest deadline first; then the others, the most recently changed first."""
    closing = case(
        (
            and_(
                Submission.status == SubmissionStatus.DRAFT,
                OpenCall.status == CallStatus.PUBLISHED,
                OpenCall.deadline_at > now,
            ),
            0,
        ),
        else_=1,
    )
    return (
        closing,
        case((closing == 0, OpenCall.deadline_at), else_=None),
        Submission.updated_at.desc(),
        Submission.id.desc(),
    )


def my_submissions_query(user: User) -> Select[Submission]:
    return (
        select(Submission)
        .join(OpenCall, OpenCall.id == Submission.call_id)
        .where(Submission.applicant_id == user.id)
        .options(contains_eager(Submission.call))
        .order_by(*applications_order(utcnow()))
    )


def my_submissions(user: User, *, number: int, per_page: int = 20) -> Page[Submission]:
    """One page of the person's applications with their calls (one query)."""
    page: Page[Submission] = paginate(my_submissions_query(user), number=number, per_page=per_page)
    return page


def calls_of(owner: User, *, include_drafts: bool) -> list[OpenCall]:
    query = select(OpenCall).where(OpenCall.owner_id == owner.id)
    if not include_drafts:
        query = query.where(OpenCall.status != CallStatus.DRAFT, OpenCall.hidden_at.is_(None))
    return list(
        db.session.scalars(
            query.options(selectinload(OpenCall.disciplines)).order_by(OpenCall.deadline_at.desc())
        )
    )


ORGANISER_PAST_PER_PAGE = 12
ORGANISER_OPEN_LIMIT = 60


def _organiser_calls(owner: User) -> Select[Any]:
    return (
        select(OpenCall)
        .where(OpenCall.owner_id == owner.id)
        .options(selectinload(OpenCall.disciplines))
    )


def organiser_open_calls(owner: User, *, include_drafts: bool) -> list[OpenCall]:
    """An organisation's calls still taking entries (and, for the organiser, its drafts), the
    nearest deadline first."""
    cutoff = utcnow() - timedelta(minutes=1)  # a call accepts the whole minute of its deadline
    open_now = and_(OpenCall.status == CallStatus.PUBLISHED, OpenCall.deadline_at >= cutoff)
    shown = or_(open_now, OpenCall.status == CallStatus.DRAFT) if include_drafts else open_now
    query = _organiser_calls(owner).where(shown)
    if not include_drafts:
        query = query.where(OpenCall.hidden_at.is_(None))
    order = (OpenCall.status == CallStatus.DRAFT, OpenCall.deadline_at, OpenCall.id)
    return list(db.session.scalars(query.order_by(*order).limit(ORGANISER_OPEN_LIMIT)))


def organiser_past_calls(owner: User, *, include_archived: bool) -> Select[Any]:
    """An organisation's closed calls, the latest deadline first (a query to paginate)."""
    cutoff = utcnow() - timedelta(minutes=1)
    statuses = [CallStatus.CLOSED, CallStatus.ARCHIVED] if include_archived else [CallStatus.CLOSED]
    past = or_(
        OpenCall.status.in_(statuses),
        and_(OpenCall.status == CallStatus.PUBLISHED, OpenCall.deadline_at < cutoff),
    )
    query = _organiser_calls(owner).where(past)
    if not include_archived:
        query = query.where(OpenCall.hidden_at.is_(None))
    return query.order_by(OpenCall.deadline_at.desc(), OpenCall.id.desc())


def own_seat(user: User) -> ColumnElement[bool] | None:
    """This person's accepted seats that let them review (see `_seated`), without a join;
    None when none can (a rejected, suspended or deleted person)."""
    seat = and_(Juror.user_id == user.id, Juror.status == JurorStatus.ACCEPTED)
    if user.status == UserStatus.ACTIVE:
        return seat
    if user.status == UserStatus.PENDING:
        return and_(seat, Juror.approved_by_invitation_at.is_not(None))
    return None


def jury_calls(user: User) -> list[OpenCall]:
    """The calls whose jury the person sits on (accepted seats only)."""
    seat = own_seat(user)
    if seat is None:
        return []
    return list(
        db.session.scalars(
            select(OpenCall)
            .join(Juror, Juror.call_id == OpenCall.id)
            .where(seat)
            .order_by(OpenCall.deadline_at.desc())
        )
    )


def _in_discipline(slug: Any) -> ColumnElement[bool]:
    return OpenCall.id.in_(
        select(call_disciplines.c.call_id)
        .join(Discipline, Discipline.id == call_disciplines.c.discipline_id)
        .where(Discipline.slug == slug)
    )


FEED_COLUMNS = (
    OpenCall.slug,
    OpenCall.title,
    OpenCall.summary,
    OpenCall.timezone,
    OpenCall.deadline_at,
    OpenCall.no_entry_fee,
    OpenCall.entry_fee,
    OpenCall.published_at,
    OpenCall.created_at,
    OpenCall.updated_at,
)


def feed_calls(
    limit: int = 50, *, kind: str = "", discipline: str = "", categories: bool = False
) -> list[OpenCall]:
    """The newest published public calls, of one kind and discipline (a slug) when given; with
    their categories for a calendar (`categories`: a category may have its own deadline)."""
    params: dict[str, Any] = {"limit": limit}
    if kind:
        # An unknown kind matches nothing (a feed URL with a typo is empty, not everything).
        if kind not in set(CallKind):
            return []
        params["kind"] = CallKind(kind)
    if discipline:
        params["discipline"] = discipline
    statement = _feed_statement(bool(kind), bool(discipline), categories)
    return list(db.session.scalars(statement, params).unique())


@cache
def _feed_statement(by_kind: bool, by_discipline: bool, categories: bool) -> Select[Any]:
    """Built once per shape (bound: `limit`, and `kind`, `discipline` when given)."""
    query = _public_calls().where(OpenCall.published_at.is_not(None))
    if by_kind:
        query = query.where(OpenCall.kind == bindparam("kind", type_=OpenCall.kind.type))
    if by_discipline:
        query = query.where(_in_discipline(bindparam("discipline")))
    # What an entry or event shows (app/calls/feeds.py), and the organiser's name.
    query = query.options(
        load_only(*FEED_COLUMNS), contains_eager(OpenCall.owner).load_only(User.display_name)
    )
    if categories:
        query = query.options(selectinload(OpenCall.categories))
    return query.order_by(OpenCall.published_at.desc(), OpenCall.id.desc()).limit(
        bindparam("limit")
    )


def submitted_count(call: OpenCall) -> int:
    return int(
        db.session.scalar(
            select(func.count(Submission.id)).where(
                Submission.call_id == call.id, Submission.status == SubmissionStatus.SUBMITTED
            )
        )
        or 0
    )


def applicant_topic(organiser: User, applicant: User, slug: str) -> OpenCall | None:
    """The call an organiser may write to an applicant about: its own, one they applied to."""
    call = db.session.scalar(
        select(OpenCall)
        .join(Submission, Submission.call_id == OpenCall.id)
        .where(
            OpenCall.slug == slug,
            OpenCall.owner_id == organiser.id,
            Submission.applicant_id == applicant.id,
        )
    )
    return call


def closing_soon(limit: int = 4) -> list[OpenCall]:
    """Open public calls by nearest deadline, for the home page (one query: the disciplines
    named from the per-process list)."""
    now = utcnow()
    rows = db.session.execute(
        _public_calls()
        .add_columns(discipline_ids_of_call())
        .where(
            OpenCall.status == CallStatus.PUBLISHED,
            OpenCall.deadline_at > now,
            or_(OpenCall.opens_at.is_(None), OpenCall.opens_at <= now),
        )
        .options(load_only(*CARD_COLUMNS))
        .order_by(OpenCall.deadline_at, OpenCall.id)
        .limit(limit)
    ).all()
    for call, ids in rows:
        set_committed_value(call, "disciplines", disciplines_by_id(parse_ids(ids)))
    return [call for call, _ids in rows]
