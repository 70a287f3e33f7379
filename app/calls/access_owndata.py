"""Access's part of "own your data": the nominations a person received or made, and what
deleting an account removes (their candidacies and the applications their codes opened)."""

from __future__ import annotations

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.accounts.owndata import Cleanup, ExportPart
from app.calls.access_models import AccessGrant, Nomination, Nominator
from app.extensions import db


def export_nominations(user: User) -> ExportPart:
    """Calls the person was nominated for (by whom, when) and the calls they nominate for,
    with the candidates they put forward."""
    received = db.session.scalars(
        select(Nomination)
        .where(Nomination.user_id == user.id)
        .options(
            joinedload(Nomination.call),
            joinedload(Nomination.nominator).joinedload(Nominator.user),
        )
        .order_by(Nomination.id)
    ).all()
    seats = db.session.scalars(
        select(Nominator)
        .where(Nominator.user_id == user.id)
        .options(joinedload(Nominator.call))
        .order_by(Nominator.id)
    ).all()
    made = db.session.scalars(
        select(Nomination)
        .where(Nomination.nominator_id.in_([s.id for s in seats]))
        .options(joinedload(Nomination.user))
        .order_by(Nomination.id)
    ).all()
    return ExportPart(
        "nominations",
        {
            "nominated_for": [
                {
                    "call": n.call.title,
                    "call_url": n.call.path,
                    "by": n.nominator.user.display_name,
                    "at": n.created_at.isoformat(),
                }
                for n in received
            ],
            "nominating_for": [
                {
                    "call": s.call.title,
                    "quota": s.quota,
                    "candidates": [n.candidate for n in made if n.nominator_id == s.id],
                }
                for s in seats
            ],
        },
    )


def erase_access(user: User) -> list[Cleanup]:
    """A deleted person is no longer a candidate (nor an address waiting to sign up), their
    nominators get those places back, and the codes they entered no longer open anything for
    them."""
    mine = or_(Nomination.user_id == user.id, Nomination.email == user.email)
    # Each nominator gets the place back: a university whose candidate left the network puts
    # someone else forward (while the call takes nominations).
    for nominator_id, count in db.session.execute(
        select(Nomination.nominator_id, func.count()).where(mine).group_by(Nomination.nominator_id)
    ).all():
        db.session.execute(
            update(Nominator)
            .where(Nominator.id == nominator_id, Nominator.used >= count)
            .values(used=Nominator.used - count)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(delete(Nomination).where(mine))
    db.session.execute(delete(AccessGrant).where(AccessGrant.user_id == user.id))
    return []
