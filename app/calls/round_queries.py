"""The submissions table of a round, paged, sorted and filtered in SQL on the averages stored
per submission and round, in a constant number of queries whatever the numbers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.calls.models import (
    CallCategory,
    Decision,
    OpenCall,
    Review,
    Submission,
    SubmissionStatus,
    submission_projects,
)
from app.calls.queries import juror_may_see
from app.calls.round_models import (
    AssignmentMode,
    CriterionScore,
    ReviewRound,
    RoundAssignment,
    RoundStatus,
    RoundSubmission,
)
from app.calls.rounds import assigned_to, in_round
from app.extensions import db
from app.pagination import Page

PER_PAGE = 50


def _to_send(call_id: Any) -> ColumnElement[int]:
    """How many decisions of the call `call_id` (a column or a bound parameter) were taken and
    not yet sent to their applicants."""
    return (
        select(func.count(Submission.id))
        .where(
            Submission.call_id == call_id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.decision.in_([Decision.ACCEPTED, Decision.DECLINED]),
            Submission.notified_at.is_(None),
        )
        .scalar_subquery()
    )


@cache
def _table_call_statement() -> Select[OpenCall, int]:
    # Built once, like the rounds' below: building them cost more than running them.
    return (
        select(OpenCall, _to_send(OpenCall.id))
        .where(OpenCall.slug == bindparam("slug", type_=String))
        .options(joinedload(OpenCall.categories))
    )


def load_table_call(slug: str) -> tuple[OpenCall, int] | None:
    """A call with its categories and its decisions waiting to be sent, in one query (what the
    table page needs)."""
    row = db.session.execute(_table_call_statement(), {"slug": slug}).unique().first()
    return None if row is None else (row[0], int(row[1] or 0))


@cache
def _table_rounds_statement() -> Select[Any]:
    return (
        select(ReviewRound)
        .where(ReviewRound.call_id == bindparam("call_id", type_=Integer))
        .order_by(ReviewRound.position, ReviewRound.id)
    )


def table_rounds(call: OpenCall) -> list[ReviewRound]:
    """The call's rounds without their criteria (one query)."""
    return list(db.session.scalars(_table_rounds_statement(), {"call_id": call.id}))


def juror_sees(rounds: Sequence[ReviewRound], user: User) -> ColumnElement[bool]:
    """The submissions a juror reviews in some round under way or done: in the round, and
    assigned to them in a round with assignment."""
    parts: list[ColumnElement[bool]] = []
    for item in rounds:
        if item.status == RoundStatus.DRAFT:
            continue
        part = in_round(item)
        if item.assignment == AssignmentMode.PER_SUBMISSION:
            part = and_(part, assigned_to(item, user))
        parts.append(part)
    return or_(*parts) if parts else false()


def juror_sees_in(item: ReviewRound, user: User) -> ColumnElement[bool]:
    return juror_sees([item], user)


@dataclass
class TableRow:
    submission: Submission
    project_count: int
    review_count: int
    weighted: float | None
    normalised: float | None
    my_review: Review | None = None
    assigned: list[tuple[RoundAssignment, User]] = field(default_factory=list)

    @property
    def average(self) -> float | None:  # the name the bulk-decision and CSV code know
        return self.weighted


SORTS: dict[str, Any] = {
    "submitted": lambda: (Submission.submitted_at,),
    "-submitted": lambda: (Submission.submitted_at.desc(),),
    "weighted": lambda: (func.coalesce(RoundSubmission.weighted, 0).asc(),),
    "-weighted": lambda: (func.coalesce(RoundSubmission.weighted, 0).desc(),),
    "normalised": lambda: (func.coalesce(RoundSubmission.normalised, 0).asc(),),
    "-normalised": lambda: (func.coalesce(RoundSubmission.normalised, 0).desc(),),
    "reviews": lambda: (func.coalesce(RoundSubmission.review_count, 0).asc(),),
    "-reviews": lambda: (func.coalesce(RoundSubmission.review_count, 0).desc(),),
}
SORTS["average"], SORTS["-average"] = SORTS["weighted"], SORTS["-weighted"]


def _project_count() -> Any:
    return (
        select(func.count())
        .select_from(submission_projects)
        .where(submission_projects.c.submission_id == Submission.id)
        .scalar_subquery()
    )


def _table_select(
    columns: Sequence[Any],
    call: OpenCall,
    item: ReviewRound | None,
    *,
    decision: str = "",
    juror: User | None = None,
    category_id: int | None = None,
) -> Any:
    """`columns` of the call's submitted applications (in the round when there is one), joined
    to their averages in the round, filtered in SQL."""
    round_id = item.id if item is not None else -1
    query = (
        select(*columns)
        .select_from(Submission)
        .outerjoin(
            RoundSubmission,
            and_(
                RoundSubmission.submission_id == Submission.id,
                RoundSubmission.round_id == round_id,
            ),
        )
        .where(Submission.call_id == call.id, Submission.status == SubmissionStatus.SUBMITTED)
    )
    if item is not None:
        query = query.where(in_round(item))
    if category_id is not None:
        query = query.where(Submission.category_id == category_id)
    if juror is not None:
        query = query.where(juror_may_see(juror))
        query = query.where(juror_sees_in(item, juror) if item is not None else false())
    if decision in Decision.__members__.values():
        query = query.where(Submission.decision == Decision(decision))
    return query


def _table_columns() -> tuple[Any, ...]:
    return (
        Submission,
        _project_count().label("project_count"),
        RoundSubmission.review_count,
        RoundSubmission.weighted,
        RoundSubmission.normalised,
    )


def _table_order(sort: str) -> tuple[Any, ...]:
    return (*SORTS.get(sort, SORTS["-weighted"])(), Submission.submitted_at, Submission.id)


def table_query(
    call: OpenCall,
    item: ReviewRound | None,
    *,
    sort: str = "-weighted",
    decision: str = "",
    juror: User | None = None,
    category_id: int | None = None,
) -> Any:
    """The submitted applications of the call (in the round when there is one), with their
    averages in the round, sorted and filtered in SQL."""
    query = _table_select(
        _table_columns(), call, item, decision=decision, juror=juror, category_id=category_id
    )
    return query.options(
        joinedload(Submission.applicant), joinedload(Submission.category)
    ).order_by(*_table_order(sort))


class TableSubmission(NamedTuple):
    """What a row of the table shows of an application: read as columns, not as objects."""

    id: int
    submitted_at: datetime | None
    decision: Decision
    notified_at: datetime | None
    applicant_name: str
    category_name: str | None


@dataclass
class PageRow:
    """A row of the submissions table's page."""

    submission: TableSubmission
    project_count: int
    review_count: int
    weighted: float | None
    normalised: float | None
    my_review: Review | None = None
    assigned: list[tuple[RoundAssignment, User]] = field(default_factory=list)


def table_page(
    call: OpenCall,
    item: ReviewRound | None,
    *,
    number: int,
    sort: str = "-weighted",
    decision: str = "",
    juror: User | None = None,
    category_id: int | None = None,
) -> Page[PageRow]:
    """One page (50 rows) of the table; one query more for the juror's own reviews or the
    organiser's assignments in a round with assignment.

    The page is picked on narrow rows (ids and sort keys), then only its rows are read whole
    with their applicants and counted projects: sorting every submission's wide row (the
    applicant joined) cost ~100 ms at 5,000 submissions. The rows are read as the columns the
    table shows: 50 applications and applicants loaded as objects cost ~2 ms more a page."""
    order = _table_order(sort)
    picked = (
        _table_select(
            [Submission.id], call, item, decision=decision, juror=juror, category_id=category_id
        )
        .order_by(*order)
        .limit(PER_PAGE + 1)
        .offset((number - 1) * PER_PAGE)
        .subquery()
    )
    round_id = item.id if item is not None else -1
    query = (
        select(
            Submission.id,
            Submission.submitted_at,
            Submission.decision,
            Submission.notified_at,
            User.display_name,
            CallCategory.name,
            _project_count(),
            RoundSubmission.review_count,
            RoundSubmission.weighted,
            RoundSubmission.normalised,
        )
        .select_from(Submission)
        .join(picked, picked.c.id == Submission.id)
        .join(User, User.id == Submission.applicant_id)
        .outerjoin(CallCategory, CallCategory.id == Submission.category_id)
        .outerjoin(
            RoundSubmission,
            and_(
                RoundSubmission.submission_id == Submission.id,
                RoundSubmission.round_id == round_id,
            ),
        )
        .order_by(*order)
    )
    found = db.session.execute(query).all()
    rows = [
        PageRow(TableSubmission(*r[:6]), int(r[6] or 0), int(r[7] or 0), r[8], r[9])
        for r in found[:PER_PAGE]
    ]
    ids = [r.submission.id for r in rows]
    if item is not None and ids and juror is not None:
        mine = {
            r.submission_id: r
            for r in db.session.scalars(
                select(Review).where(
                    Review.round_id == item.id,
                    Review.juror_id == juror.id,
                    Review.submission_id.in_(ids),
                )
            )
        }
        for row in rows:
            row.my_review = mine.get(row.submission.id)
    elif item is not None and ids and item.assignment == AssignmentMode.PER_SUBMISSION:
        found_assigned: dict[int, list[tuple[RoundAssignment, User]]] = defaultdict(list)
        for a, person in db.session.execute(
            select(RoundAssignment, User)
            .join(User, User.id == RoundAssignment.juror_id)
            .where(RoundAssignment.round_id == item.id, RoundAssignment.submission_id.in_(ids))
            .order_by(RoundAssignment.id)
        ):
            found_assigned[a.submission_id].append((a, person))
        for row in rows:
            row.assigned = found_assigned[row.submission.id]
    return Page(rows, number=number, per_page=PER_PAGE, has_next=len(found) > PER_PAGE)


@dataclass
class ExportData:
    rounds: list[ReviewRound]
    rows: list[TableRow]
    # (round id, submission id) → (weighted, normalised)
    averages: dict[tuple[int, int], tuple[float | None, float | None]]
    # (criterion id, submission id) → mean score of the jurors
    criteria: dict[tuple[int, int], float]
    reviews: dict[int, list[Review]]


def export_data(call: OpenCall) -> ExportData:
    """Everything the CSV holds, in a fixed number of queries."""
    rounds = list(
        db.session.scalars(
            select(ReviewRound)
            .where(ReviewRound.call_id == call.id)
            .options(selectinload(ReviewRound.criteria))
            .order_by(ReviewRound.position, ReviewRound.id)
        )
    )
    query = table_query(call, None, sort="submitted").options(
        selectinload(Submission.projects),
        selectinload(Submission.answers),
    )
    rows = [
        TableRow(s, int(p or 0), 0, None, None) for s, p, _n, _w, _z in db.session.execute(query)
    ]
    ids = [r.submission.id for r in rows]
    averages = {
        (rid, sid): (w, z)
        for rid, sid, w, z in db.session.execute(
            select(
                RoundSubmission.round_id,
                RoundSubmission.submission_id,
                RoundSubmission.weighted,
                RoundSubmission.normalised,
            ).where(RoundSubmission.submission_id.in_(ids))
        )
    }
    criteria = {
        (cid, sid): float(mean)
        for cid, sid, mean in db.session.execute(
            select(
                CriterionScore.criterion_id, Review.submission_id, func.avg(CriterionScore.score)
            )
            .join(Review, Review.id == CriterionScore.review_id)
            .where(Review.submission_id.in_(ids))
            .group_by(CriterionScore.criterion_id, Review.submission_id)
        )
    }
    reviews: dict[int, list[Review]] = defaultdict(list)
    for review in db.session.scalars(
        select(Review)
        .where(Review.submission_id.in_(ids), Review.score.is_not(None))
        .options(joinedload(Review.juror))
        .order_by(Review.round_id, Review.id)
    ):
        reviews[review.submission_id].append(review)
    return ExportData(rounds, rows, averages, criteria, reviews)
