"""Moderation's part of "own your data": the reports a person made and what moderators decided
about them (without the moderators' names)."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.owndata import ExportPart, when
from app.extensions import db
from app.moderation.models import Appeal, ModerationAction, Report


def export_reports(user: User) -> ExportPart:
    rows = db.session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.id)
    )
    return ExportPart(
        "reports",
        [
            {
                "target_type": r.target_type,
                "target_id": r.target_id,
                "reason": str(r.reason),
                "details": r.details,
                "status": str(r.status),
                "created_at": when(r.created_at),
            }
            for r in rows
        ],
    )


def export_moderation(user: User) -> ExportPart:
    # What moderators decided about the person, without the moderators' names.
    rows = db.session.scalars(
        select(ModerationAction)
        .where(ModerationAction.subject_id == user.id)
        .order_by(ModerationAction.id)
    )
    appeals = db.session.scalars(select(Appeal).where(Appeal.user_id == user.id))
    return ExportPart(
        "moderation",
        {
            "actions": [
                {"kind": str(a.kind), "reason": a.reason, "created_at": when(a.created_at)}
                for a in rows
            ],
            "appeals": [
                {
                    "text": a.text,
                    "status": str(a.status),
                    "decision_reason": a.decision_reason,
                    "created_at": when(a.created_at),
                }
                for a in appeals
            ],
        },
    )
