"""Reading a person's notifications: one page, the unread count, one of their own."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.sql import ColumnElement

from app.accounts.models import User
from app.extensions import db
from app.notifications.models import Notification
from app.pagination import keyset_page


def page_for(user: User, *, before: int | None, limit: int) -> tuple[list[Notification], bool]:
    """The person's newest `limit` notifications (before a notification id, for "older"), and
    whether older ones remain: keyset on id (ids are never reused), one query, never OFFSET."""
    query = select(Notification).where(Notification.user_id == user.id)
    if before is not None:
        query = query.where(Notification.id < before)
    rows = db.session.scalars(query.order_by(Notification.id.desc()).limit(limit + 1))
    return keyset_page(list(rows), limit=limit)


def unread_count_expression(user: User) -> ColumnElement[int]:
    """Unread notifications as a scalar subquery (the nav's badge), on the user/read_at index."""
    return (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def get(notification_id: int) -> Notification | None:
    return db.session.get(Notification, notification_id)
