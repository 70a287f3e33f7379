"""Who may message whom, and who may see a conversation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from app.accounts.models import User, UserStatus
from app.extensions import db
from app.messaging.models import Block, Message, Participant


def can_send_messages(user: Any) -> bool:
    """Active members and organisers with a confirmed email message; pending, rejected and
    suspended people do not."""
    return bool(user.is_authenticated and user.is_member and user.email_verified)


def is_blocked_between(a: User, b: User) -> bool:
    """Whether either person blocked the other (one indexed query)."""
    found = db.session.scalar(
        select(Block.id)
        .where(
            or_(
                (Block.blocker_id == a.id) & (Block.blocked_id == b.id),
                (Block.blocker_id == b.id) & (Block.blocked_id == a.id),
            )
        )
        .limit(1)
    )
    return found is not None


def can_show_message_button(user: Any, recipient: User) -> bool:
    """Active members see "Message" on another active member's page (blocks are told on click)."""
    return can_send_messages(user) and recipient.is_member and recipient.id != user.id


def can_message(user: Any, recipient: User, *, blocked: bool) -> bool:
    """Active members message other active members, unless either blocked the other."""
    return can_show_message_button(user, recipient) and not blocked


def can_view_conversation(user: Any, participant: Participant | None) -> bool:
    """Only the people in a conversation can open it: everyone else gets 404, moderators too."""
    return bool(
        user.is_authenticated and participant is not None and participant.user_id == user.id
    )


def can_report_message(user: Any, message: Message) -> bool:
    """A participant reports what the other person wrote (not their own, not a removed one)."""
    return bool(
        user.is_authenticated and message.sender_id != user.id and message.hidden_at is None
    )


def can_block(user: Any, other: User) -> bool:
    """Any logged-in person can block someone else (pending people too: safety first); a deleted
    account cannot write to anyone, so there is nobody left to block."""
    return bool(
        user.is_authenticated and other.id != user.id and other.status != UserStatus.DELETED
    )
