"""What a call's public page needs besides the call, in one statement.

The organiser's profile, whether results were published, whether the viewer holds a seat on the
jury, the viewer's designer profile (for eligibility) and the viewer's own application were five
round trips; a call page then passed the 8-statement budget for a logged-in designer. One row
answers them all (the viewer's columns are empty for visitors and organisers).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, exists, literal, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.calls.models import Juror, OpenCall, Submission
from app.calls.queries import seated_clause
from app.extensions import db
from app.profiles.models import DesignerProfile, OrganiserProfile


@dataclass(frozen=True)
class CallPageFacts:
    organisation: OrganiserProfile | None
    has_results: bool
    # The viewer's seat as a set of ids, the shape policies.apply_refusal/is_juror read: {viewer}
    # when they hold an accepted seat on this call's jury, else empty.
    jurors: set[int]
    profile: DesignerProfile | None
    # The designer's application to this call (any status), None if they have none.
    submission: Submission | None


# Aliased once: aliasing builds a proxy of every column of users, each time it is done.
_OWNER = aliased(User, name="owner")


def call_page_facts(call: OpenCall, viewer_id: int | None, *, designer: bool) -> CallPageFacts:
    mine = designer and viewer_id is not None
    params: dict[str, Any] = {"call": call.id, "owner": call.owner_id}
    if viewer_id is not None:
        params["viewer"] = viewer_id
    row = db.session.execute(_statement(viewer_id is not None, mine), params).one()
    return CallPageFacts(
        organisation=row[0],
        has_results=bool(row[1]),
        jurors={viewer_id} if viewer_id is not None and row[2] else set(),
        profile=row[3] if mine else None,
        submission=row[4] if mine else None,
    )


@cache
def _statement(logged_in: bool, designer: bool) -> Any:
    """Built once per kind of viewer (bound: `call`, `owner`, and `viewer` when logged in)."""
    owner = _OWNER
    call_id: Any = bindparam("call")
    viewer: Any = bindparam("viewer")
    results = exists().where(Submission.call_id == call_id, Submission.notified_at.is_not(None))
    seated: Any = literal(False)
    if logged_in:
        seated = (
            select(Juror.id)
            .join(User, User.id == Juror.user_id)
            .where(Juror.call_id == call_id, Juror.user_id == viewer, seated_clause())
            .exists()
        )
    stmt = (
        select(OrganiserProfile, results.label("has_results"), seated.label("seated"))
        .select_from(owner)
        .outerjoin(OrganiserProfile, OrganiserProfile.user_id == owner.id)
        .where(owner.id == bindparam("owner"))
    )
    if designer:
        stmt = (
            stmt.add_columns(DesignerProfile, Submission)
            .outerjoin(DesignerProfile, DesignerProfile.user_id == viewer)
            # One application per designer and call (a unique constraint): at most one row.
            .outerjoin(
                Submission,
                and_(Submission.call_id == call_id, Submission.applicant_id == viewer),
            )
        )
    return stmt
