"""Opportunities' part of "own your data": saved calls and alerts go in the archive (never
the feed secret: only its hash is kept); all of it goes with the account."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.accounts.owndata import Cleanup, ExportPart
from app.extensions import db
from app.opportunities.models import AlertMatch, CallAlert, FeedToken, SavedCall


def export_opportunities(user: User) -> ExportPart:
    saved = db.session.scalars(
        select(SavedCall)
        .where(SavedCall.user_id == user.id)
        .options(joinedload(SavedCall.call))
        .order_by(SavedCall.id)
    )
    alerts = db.session.scalars(
        select(CallAlert)
        .where(CallAlert.user_id == user.id)
        .options(joinedload(CallAlert.discipline))
        .order_by(CallAlert.id)
    )
    return ExportPart(
        "saved_calls_and_alerts",
        {
            "saved_calls": [
                {"call": s.call.title, "url": s.call.path, "saved_at": s.created_at.isoformat()}
                for s in saved
            ],
            "alerts": [
                {
                    "kind": a.kind,
                    "discipline": a.discipline.slug if a.discipline else None,
                    "country": a.country,
                    "no_entry_fee": a.no_fee,
                    "eligible_for_me": a.eligible_for_me,
                    "frequency": str(a.frequency),
                    "created_at": a.created_at.isoformat(),
                }
                for a in alerts
            ],
            "private_feed": db.session.get(FeedToken, user.id) is not None,
        },
    )


def erase_opportunities(user: User) -> list[Cleanup]:
    for model in (AlertMatch, CallAlert, SavedCall, FeedToken):
        db.session.execute(delete(model).where(model.user_id == user.id))
    return []
