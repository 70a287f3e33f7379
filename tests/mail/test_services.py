"""The outbox: queued in the transaction, retried with back-off, never silently dropped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from flask import Flask

from app.db_types import utcnow
from app.extensions import db
from app.mail.backends import MemoryBackend
from app.mail.models import EmailStatus, OutgoingEmail
from app.mail.services import deliver_due, once_key, queue_email
from tests.factories import make_user


def queue(user: Any, **kw: Any) -> OutgoingEmail | None:
    return queue_email(
        to=user.email,
        subject="Hello",
        template="approved",
        user=user,
        link="https://ydn.example/",
        **kw,
    )


@pytest.mark.usefixtures("app")
def test_queued_email_is_rendered_in_the_persons_language() -> None:
    user = make_user(handle="vi-person")
    email = queue(user, locale="vi")
    assert email is not None
    assert "Tin vui: người kiểm duyệt đã duyệt hồ sơ của bạn." in email.text_body
    assert email.html_body
    assert 'lang="vi"' in email.html_body


def test_failed_delivery_is_retried_with_back_off_then_sent(app: Flask, outbox: list[Any]) -> None:
    backend = app.extensions["mail_backend"]
    assert isinstance(backend, MemoryBackend)
    user = make_user(handle="retry-person")
    queue(user)
    db.session.commit()
    backend.fail_next = 1
    assert deliver_due() == (0, 1)
    email = db.session.scalars(db.select(OutgoingEmail)).one()
    assert email.status == EmailStatus.QUEUED
    assert email.attempts == 1
    assert "simulated delivery failure" in (email.last_error or "")
    assert deliver_due() == (0, 0)  # not due yet
    with time_machine.travel(utcnow() + timedelta(minutes=2)):
        assert deliver_due() == (1, 0)
    assert [m["To"] for m in outbox] == [user.email]


def test_email_that_keeps_failing_is_marked_failed_not_lost(make_app: Any) -> None:
    app = make_app(MAIL_MAX_ATTEMPTS=2)
    with app.app_context():
        backend = app.extensions["mail_backend"]
        user = make_user(handle="fail-person")
        queue(user)
        db.session.commit()
        backend.fail_next = 5
        deliver_due()
        with time_machine.travel(utcnow() + timedelta(hours=1)):
            deliver_due()
        email = db.session.scalars(db.select(OutgoingEmail)).one()
        assert email.status == EmailStatus.FAILED
        assert email.attempts == 2


@pytest.mark.usefixtures("app")
def test_dedupe_key_sends_once() -> None:
    user = make_user(handle="dedupe-person")
    assert queue(user, dedupe_key="decision:1") is not None
    assert queue(user, dedupe_key="decision:1") is None
    assert db.session.scalar(db.select(db.func.count()).select_from(OutgoingEmail)) == 1


def test_once_keys_name_a_rows_lifetime_not_only_its_id() -> None:
    @dataclass
    class Row:
        id: int
        created_at: datetime

    first = Row(7, datetime(2026, 5, 1, 9, 30, 0, 123456, tzinfo=UTC))
    same_id_later = Row(7, datetime(2026, 5, 2, 9, 30, 0, 123457, tzinfo=UTC))
    same_moment_elsewhere = Row(7, first.created_at.astimezone(timezone(timedelta(hours=7))))

    assert once_key("call-decision", first) != once_key("call-decision", same_id_later)
    assert once_key("call-decision", first) == once_key("call-decision", same_moment_elsewhere)
    assert once_key("digest", first, extra=42).endswith(":42")
