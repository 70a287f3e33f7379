"""Messaging's part of "own your data": the messages a person sent, and what deletion removes."""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from app.accounts.models import User
from app.accounts.owndata import Cleanup, ExportPart
from app.extensions import db
from app.messaging.models import Block, Conversation, Message, MessagingSettings


def export_messages(user: User) -> ExportPart:
    """Every message the person sent, with its conversation and time (not the others' words)."""
    rows = db.session.execute(
        select(Message.body, Message.created_at, Conversation.public_id, Conversation.topic_label)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.sender_id == user.id)
        .order_by(Message.id)
    ).all()
    return ExportPart(
        "messages_sent",
        [
            {
                "conversation": public_id,
                "about": topic or None,
                "sent_at": created.isoformat(),
                "text": body,
            }
            for body, created, public_id, topic in rows
        ],
    )


def erase_messaging(user: User) -> list[Cleanup]:
    """Blocks and settings go; sent messages stay for the other person, from a former member."""
    db.session.execute(
        delete(Block).where(or_(Block.blocker_id == user.id, Block.blocked_id == user.id))
    )
    db.session.execute(delete(MessagingSettings).where(MessagingSettings.user_id == user.id))
    return []
