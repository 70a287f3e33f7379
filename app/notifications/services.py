"""Create notifications."""

from __future__ import annotations

from app.accounts.models import User
from app.extensions import db
from app.notifications.models import Notification


def notify(*, user: User, kind: str, text: str, url: str = "") -> Notification:
    """Add a notification for a person (flushes, never commits)."""
    note = Notification(user_id=user.id, kind=kind, text=text[:500], url=url)
    db.session.add(note)
    db.session.flush()
    return note
