"""Create notifications and mark them read."""

from __future__ import annotations

from sqlalchemy import update

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.notifications.models import Notification


def notify(*, user: User, kind: str, text: str, url: str = "") -> Notification:
    """Add a notification for a person (flushes, never commits)."""
    note = Notification(user_id=user.id, kind=kind, text=text[:500], url=url)
    db.session.add(note)
    db.session.flush()
    return note


def mark_read(note: Notification) -> None:
    """Mark one notification read (flushes); reading it again keeps the first time."""
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.flush()


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the person read, in one statement; how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
