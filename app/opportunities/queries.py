"""Reading saved calls, alerts and feeds in a constant number of queries."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.sql import ColumnElement

from app.accounts.models import User, UserStatus
from app.calls.models import CallStatus, OpenCall
from app.db_types import utcnow
from app.extensions import db
from app.opportunities.models import AlertMatch, CallAlert, FeedToken, SavedCall
from app.pagination import Page, paginate

SAVED_PER_PAGE = 20
FEED_LIMIT = 200
MAX_ALERTS = 20
# Who is reminded, told of alerts and served a private feed: members, and those waiting for a
# moderator's approval (they may save calls and keep alerts already); never the suspended,
# refused or deleted.
RECIPIENTS = (UserStatus.ACTIVE, UserStatus.PENDING)


def public_call() -> ColumnElement[bool]:
    """A call anyone may see: not a draft, not hidden, its organiser active and visible (the
    owner must be joined as `User`)."""
    return and_(
        OpenCall.status != CallStatus.DRAFT,
        OpenCall.hidden_at.is_(None),
        User.status == UserStatus.ACTIVE,
        User.hidden_at.is_(None),
    )


def saved_ids(user: Any) -> set[int]:
    """The ids of the calls a person saved (one query; empty for a visitor)."""
    if user is None or not user.is_authenticated:
        return set()
    return set(db.session.scalars(select(SavedCall.call_id).where(SavedCall.user_id == user.id)))


def _saved(user: User) -> Select[Any]:
    now = utcnow()
    still_open = and_(OpenCall.status == CallStatus.PUBLISHED, OpenCall.deadline_at >= now)
    return (
        select(SavedCall)
        .join(OpenCall, OpenCall.id == SavedCall.call_id)
        .join(User, User.id == OpenCall.owner_id)
        .where(SavedCall.user_id == user.id, public_call())
        # The open ones first by nearest deadline, then the closed ones, latest first.
        .order_by(~still_open, OpenCall.deadline_at, SavedCall.id)
        .options(
            contains_eager(SavedCall.call).contains_eager(OpenCall.owner),
            contains_eager(SavedCall.call).selectinload(OpenCall.disciplines),
        )
    )


def saved_page(user: User, *, number: int) -> Page[SavedCall]:
    return paginate(_saved(user), number=number, per_page=SAVED_PER_PAGE)


def alerts_of(user: User) -> list[CallAlert]:
    return list(
        db.session.scalars(
            select(CallAlert)
            .where(CallAlert.user_id == user.id)
            .options(joinedload(CallAlert.discipline))
            .order_by(CallAlert.id)
            .limit(MAX_ALERTS)
        )
    )


def alert_of(user: User, alert_id: int) -> CallAlert | None:
    """One of the person's own alerts (None for someone else's: their pages answer 404)."""
    return db.session.scalar(
        select(CallAlert).where(CallAlert.id == alert_id, CallAlert.user_id == user.id)
    )


def same_alert(alert: CallAlert) -> CallAlert | None:
    """The person's alert with exactly these criteria, if any."""
    return db.session.scalar(
        select(CallAlert).where(
            CallAlert.user_id == alert.user_id,
            _same(CallAlert.kind, alert.kind),
            _same(CallAlert.discipline_id, alert.discipline_id),
            _same(CallAlert.country, alert.country),
            CallAlert.no_fee.is_(alert.no_fee),
            CallAlert.eligible_for_me.is_(alert.eligible_for_me),
        )
    )


def _same(column: Any, value: Any) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def alert_total(user: User) -> int:
    return int(
        db.session.scalar(select(func.count(CallAlert.id)).where(CallAlert.user_id == user.id)) or 0
    )


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def feed_owner(raw: str) -> User | None:
    """The person whose current feed secret this is; None when it was revoked, replaced,
    made up, or its owner was suspended, refused or deleted."""
    if not raw or len(raw) > 100:
        return None
    return db.session.scalar(
        select(User)
        .join(FeedToken, FeedToken.user_id == User.id)
        .where(FeedToken.token_hash == hash_token(raw), User.status.in_(RECIPIENTS))
    )


def has_feed(user: User) -> bool:
    return db.session.get(FeedToken, user.id) is not None


def feed_calls(user: User) -> list[OpenCall]:
    """The person's saved calls and their alerts' matches, public ones only, newest first
    (one query)."""
    mine = or_(
        OpenCall.id.in_(select(SavedCall.call_id).where(SavedCall.user_id == user.id)),
        OpenCall.id.in_(select(AlertMatch.call_id).where(AlertMatch.user_id == user.id)),
    )
    return list(
        db.session.scalars(
            select(OpenCall)
            .join(User, User.id == OpenCall.owner_id)
            .where(mine, public_call())
            .options(contains_eager(OpenCall.owner), selectinload(OpenCall.categories))
            .order_by(OpenCall.published_at.desc(), OpenCall.id.desc())
            .limit(FEED_LIMIT)
        )
    )


def matches_waiting(limit: int = 5000) -> list[AlertMatch]:
    """Daily-alert matches not told yet, with their person and call (one query)."""
    return list(
        db.session.scalars(
            select(AlertMatch)
            .where(AlertMatch.notified_at.is_(None))
            .options(
                joinedload(AlertMatch.user),
                joinedload(AlertMatch.call).joinedload(OpenCall.owner),
            )
            .order_by(AlertMatch.user_id, AlertMatch.id)
            .limit(limit)
        )
    )
