"""The email outbox, and what each person wants by email per category."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import NEVER_REUSE_IDS, UTCDateTime, str_enum, utcnow
from app.extensions import Model


class EmailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS; shown by `flask mail status`
    CANCELLED = "cancelled"  # its recipient deleted their account before it went out
    DIGEST = "digest"  # waits for the recipient's daily digest (`flask notifications send-digests`)
    DIGESTED = "digested"  # went out inside a daily digest


class EmailCategory(enum.StrEnum):
    """What an email is about, for the person's choice of how to get it. An email queued
    without a category (verification, reset, email change, account decisions, warnings,
    suspension and its lifting) is about the account's safety: it always goes."""

    APPLICATIONS = "applications"  # applications received, decisions
    REMINDERS = "reminders"  # calls closing soon: drafts to finish, call alerts
    JURY = "jury"  # jury invitations and work
    MESSAGES = "messages"  # unread messages
    MODERATION = "moderation"  # about your content, your appeals, your reports' outcomes


class Delivery(enum.StrEnum):
    IMMEDIATELY = "immediately"
    DIGEST = "digest"  # gathered into one email a day
    NEVER = "never"


class EmailPreference(Model):
    """One person's choice for one category; no row means "immediately"."""

    __tablename__ = "email_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[EmailCategory] = mapped_column(str_enum(EmailCategory), primary_key=True)
    delivery: Mapped[Delivery] = mapped_column(str_enum(Delivery), default=Delivery.IMMEDIATELY)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OutgoingEmail(Model):
    __tablename__ = "outgoing_emails"
    __table_args__ = (
        Index("ix_outgoing_emails_status_next_attempt_at", "status", "next_attempt_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    # A key that makes "send this once" idempotent (e.g. a call decision); unique when set.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[EmailStatus] = mapped_column(
        str_enum(EmailStatus),
        default=EmailStatus.QUEUED,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set for emails with a category (the ones a person may turn off): whose it is, which
    # category, the page it is about (listed in the daily digest) and the one-click
    # unsubscribe link of its List-Unsubscribe header (RFC 8058).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    category: Mapped[EmailCategory | None] = mapped_column(str_enum(EmailCategory))
    link: Mapped[str | None] = mapped_column(String(500))
    list_unsubscribe: Mapped[str | None] = mapped_column(String(500))
