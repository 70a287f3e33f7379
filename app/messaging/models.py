"""Conversations, their participants and messages, blocks, and when each person was last
emailed about unread messages."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import NEVER_REUSE_IDS, UTCDateTime, utcnow
from app.extensions import Model


def new_public_id() -> str:
    """A random URL-safe id (96 bits): conversation addresses cannot be guessed or counted."""
    return secrets.token_urlsafe(12)


class Conversation(Model):
    """Two people talking; optionally about something (an open call, for an organiser)."""

    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_last_message_at_id", "last_message_at", "id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    # "<lower user id>:<higher user id>[:<topic type>:<topic id>]": one conversation per pair
    # and topic, enforced by the database even when both people start one at the same moment.
    pair_key: Mapped[str] = mapped_column(String(120), unique=True)
    topic_type: Mapped[str | None] = mapped_column(String(32))
    topic_id: Mapped[int | None] = mapped_column()
    topic_label: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Denormalised so that the inbox shows each conversation's last line without a subquery.
    last_message_id: Mapped[int | None] = mapped_column()

    participants: Mapped[list[Participant]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", passive_deletes=True
    )


class Participant(Model):
    """One person's side of a conversation: what they have read and what is waiting for them."""

    __tablename__ = "conversation_participants"
    __table_args__ = (
        UniqueConstraint("conversation_id", "user_id"),
        # The navigation's unread count reads only this index, on every page.
        Index("ix_conversation_participants_user_id_unread", "user_id", "unread_count"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    unread_count: Mapped[int] = mapped_column(default=0)
    last_read_message_id: Mapped[int] = mapped_column(default=0)
    last_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the oldest unread message arrived (None when everything is read): digests wait for it.
    unread_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last message a digest email told this person about, so no message is mailed twice.
    notified_through_id: Mapped[int] = mapped_column(default=0)

    conversation: Mapped[Conversation] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()


class Message(Model):
    """One message: plain text, shown escaped; moderators can hide it."""

    __tablename__ = "messages"
    __table_args__ = (
        # Keyset paging ("earlier messages") walks this index backwards from any id.
        Index("ix_messages_conversation_id_id", "conversation_id", "id"),
        # The token of the form that sent it: a double click sends once.
        UniqueConstraint("sender_id", "idempotency_key"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Block(Model):
    """A person blocked another: no new messages either way while it lasts."""

    __tablename__ = "blocks"
    __table_args__ = (
        UniqueConstraint("blocker_id", "blocked_id"),
        Index("ix_blocks_blocked_id", "blocked_id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    blocked: Mapped[User] = relationship(foreign_keys=[blocked_id])


class MessagingSettings(Model):
    """When a person was last emailed about unread messages (how they want to hear of them is
    the "messages" category of their email preferences, app.mail.models.EmailPreference)."""

    __tablename__ = "messaging_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
