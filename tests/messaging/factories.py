"""Messaging factories: conversations with many messages, inserted quickly."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, update

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.messaging import services
from app.messaging.models import Conversation, Message, Participant


def converse(sender: User, recipient: User, *texts: str) -> Conversation:
    """A conversation where `sender` sent each text to `recipient`. Committed."""
    sent = services.start_conversation(sender=sender, recipient=recipient, text=texts[0])
    for body in texts[1:]:
        services.send_message(
            sender=sender, conversation=sent.conversation, recipient=recipient, text=body
        )
    db.session.commit()
    return sent.conversation


def bulk_messages(conversation: Conversation, a: User, b: User, count: int) -> None:
    """Add `count` alternating messages in one statement; the recipient has them unread."""
    start = utcnow() - timedelta(days=30)
    db.session.execute(
        insert(Message),
        [
            {
                "conversation_id": conversation.id,
                "sender_id": (a if i % 2 else b).id,
                "body": f"Tin nhắn số {i}\nmessage {i} https://example.org/{i}",
                "created_at": start + timedelta(seconds=i),
            }
            for i in range(count)
        ],
    )
    last = db.session.scalars(
        Message.__table__.select()
        .with_only_columns(Message.id)
        .where(Message.conversation_id == conversation.id)
        .order_by(Message.id.desc())
        .limit(1)
    ).one()
    conversation.last_message_id = last
    conversation.last_message_at = start + timedelta(seconds=count)
    db.session.execute(
        update(Participant)
        .where(Participant.conversation_id == conversation.id, Participant.user_id == b.id)
        .values(unread_count=count // 2, unread_since=start)
    )
    db.session.commit()
