"""Messaging in the application: pages, command group, archive and deletion parts, and
messages as (private) moderated content."""

from __future__ import annotations

from flask import Flask

from app.accounts.models import User
from app.accounts.owndata import add_parts
from app.extensions import db
from app.mail import digests
from app.messaging import cli, owndata, services, views
from app.messaging.models import Message
from app.moderation import targets
from app.navigation import register_count


def _message_sender(message: Message) -> User | None:
    return db.session.get(User, message.sender_id) if message.sender_id else None


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(cli.bp)
    register_count(app, "unread_messages", services.unread_total_expression)
    add_parts(exporters=[owndata.export_messages], erasers=[owndata.erase_messaging])
    digests.register_source(app, services.digest_source)
    # Messages are private: reported only through the conversation (which checks that the
    # reporter took part), and moderators see only the text captured in the report.
    targets.register(
        targets.TargetType(
            "message",
            Message,
            owner=_message_sender,
            title=lambda _message: "",
            private=True,
            snapshot=lambda message: message.body,
        )
    )
