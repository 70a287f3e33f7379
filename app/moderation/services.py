"""Moderation state changes; each writes its line in the log in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.extensions import db
from app.moderation.models import ActionKind, ModerationAction, Report, ReportReason
from app.savepoints import savepoint


def log_action(
    *,
    kind: ActionKind,
    actor: User | None,
    subject: User | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
    reason: str = "",
    **details: Any,
) -> ModerationAction:
    """Append one entry to the moderation log (flushes, never commits)."""
    action = ModerationAction(
        kind=kind,
        actor_id=actor.id if actor else None,
        subject_id=subject.id if subject else None,
        target_type=target_type or ("user" if subject else None),
        target_id=target_id if target_id is not None else (subject.id if subject else None),
        reason=reason,
        details=details,
    )
    db.session.add(action)
    db.session.flush()
    return action


class DuplicateReport(Exception):
    """This person already reported this target."""


def file_report(
    *,
    reporter: User,
    target_type: str,
    target_id: int,
    subject: User | None,
    reason: ReportReason,
    details: str = "",
    snapshot: str = "",
) -> Report:
    """Add a report to the moderators' queue; one per reporter per target (flushes)."""
    exists = db.session.scalar(
        select(Report.id).where(
            Report.reporter_id == reporter.id,
            Report.target_type == target_type,
            Report.target_id == target_id,
        )
    )
    if exists is not None:
        raise DuplicateReport
    report = Report(
        reporter_id=reporter.id,
        target_type=target_type,
        target_id=target_id,
        subject_id=subject.id if subject else None,
        reason=reason,
        details=details.strip()[:4000],
        snapshot=snapshot[:10000],
    )
    try:
        # One per reporter and target (a unique index): of two racing requests, one files.
        with savepoint():
            db.session.add(report)
    except IntegrityError as exc:
        raise DuplicateReport from exc
    return report
