from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.messaging.models import Conversation, Message
from tests.conftest import Client
from tests.factories import make_user
from tests.messaging.factories import converse


@pytest.fixture
def limited(make_app: Any) -> Iterator[Flask]:
    application = make_app(RATELIMIT_ENABLED=True)
    application.test_client_class = Client
    with application.app_context():
        yield application
        db.session.remove()


def test_messages_per_minute_keep_the_typed_text(limited: Flask) -> None:
    mai, an = make_user(handle="mai"), make_user(handle="an")
    conversation = converse(an, mai, "Chào")
    client: Client = limited.test_client()  # type: ignore[assignment]
    client.login_as(mai)
    url = f"/messages/{conversation.public_id}"
    for i in range(20):
        assert client.post_form(url, {"body": f"tin {i}", "token": f"k{i}"}).status_code == 302

    refused = client.post_form(url, {"body": "Tin nhắn thứ 21, đừng mất nhé", "token": "k20"})

    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "You are sending messages very quickly" in page
    assert "Tin nhắn thứ 21, đừng mất nhé</textarea>" in page
    assert db.session.scalar(select(func.count()).select_from(Message)) == 21


def test_new_accounts_start_fewer_conversations(limited: Flask) -> None:
    newcomer = make_user(handle="newcomer")
    newcomer.created_at = newcomer.approved_at = utcnow() - timedelta(days=2)
    others = [make_user(handle=f"person-x{i}") for i in range(4)]
    db.session.commit()
    client: Client = limited.test_client()  # type: ignore[assignment]
    client.login_as(newcomer)
    for i, other in enumerate(others[:3]):
        sent = client.post_form(
            f"/messages/new/{other.handle}", {"body": "Chào!", "token": f"n{i}"}
        )
        assert sent.status_code == 302

    refused = client.post_form(
        f"/messages/new/{others[3].handle}", {"body": "Xin chào bạn mới", "token": "n3"}
    )

    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "You have started many conversations in the last hour" in page
    assert "Xin chào bạn mới</textarea>" in page
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 3


def test_older_accounts_have_a_higher_limit(limited: Flask, designer: User) -> None:
    client: Client = limited.test_client()  # type: ignore[assignment]
    client.login_as(designer)
    for i in range(4):
        other = make_user(handle=f"person-y{i}")
        db.session.commit()
        sent = client.post_form(
            f"/messages/new/{other.handle}", {"body": "Chào!", "token": f"o{i}"}
        )
        assert sent.status_code == 302
