"""Saved calls, alerts (saved searches over calls), what matched them, and feed tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.calls.models import OpenCall
from app.db_types import NEVER_REUSE_IDS, UTCDateTime, str_enum, utcnow
from app.extensions import Model
from app.profiles.models import Discipline


class SavedCall(Model):
    """A call a person keeps an eye on; reminded 7 days and 48 hours before it closes."""

    __tablename__ = "saved_calls"
    __table_args__ = (UniqueConstraint("user_id", "call_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    call_id: Mapped[int] = mapped_column(
        ForeignKey("open_calls.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Each reminder once: set by the one run that sends it (a conditional UPDATE).
    week_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    final_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    call: Mapped[OpenCall] = relationship()


class AlertFrequency(enum.StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"


class CallAlert(Model):
    """A saved search over calls: every criterion set must hold (at least one is set)."""

    __tablename__ = "call_alerts"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str | None] = mapped_column(String(16))
    discipline_id: Mapped[int | None] = mapped_column(
        ForeignKey("disciplines.id", ondelete="SET NULL"), index=True
    )
    # An ISO country code: calls open to designers from there (no country rule, or it is listed).
    country: Mapped[str | None] = mapped_column(String(2))
    no_fee: Mapped[bool] = mapped_column(default=False)
    eligible_for_me: Mapped[bool] = mapped_column(default=False)
    frequency: Mapped[AlertFrequency] = mapped_column(
        str_enum(AlertFrequency), default=AlertFrequency.IMMEDIATELY
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    discipline: Mapped[Discipline | None] = relationship()


class AlertMatch(Model):
    """A published call that matched one of a person's alerts: one row per person and call,
    so that two alerts matching the same call tell it once. `notified_at` is set by the one
    run that tells it (at publication, or in the daily batch)."""

    __tablename__ = "alert_matches"
    __table_args__ = (UniqueConstraint("user_id", "call_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    call_id: Mapped[int] = mapped_column(
        ForeignKey("open_calls.id", ondelete="CASCADE"), index=True
    )
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("call_alerts.id", ondelete="SET NULL"), index=True
    )
    frequency: Mapped[AlertFrequency] = mapped_column(str_enum(AlertFrequency))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    call: Mapped[OpenCall] = relationship()


class FeedToken(Model):
    """The secret of a person's private feeds: only its SHA-256 is kept. Revoking deletes the
    row (the old address answers 404); making a new one replaces it."""

    __tablename__ = "feed_tokens"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()
