from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from flask import Flask

from app.accounts.models import User
from app.extensions import db
from app.mail.models import Delivery
from app.messaging import services
from tests.factories import make_user
from tests.messaging.factories import converse

T0 = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)


def _run(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["messages", "send-digests"])
    assert result.exit_code == 0, result.output
    return result.output


def _send_three(sender: User, recipient: User) -> None:
    with time_machine.travel(T0, tick=False):
        conversation = converse(sender, recipient, "Chào Mai,")
    for minute, text in ((1, "mình là Bình, bên Studio Gốm."), (2, "Bạn rảnh thứ Bảy không?")):
        with time_machine.travel(T0 + timedelta(minutes=minute), tick=False):
            services.send_message(
                sender=sender, conversation=conversation, recipient=recipient, text=text
            )
            db.session.commit()


def test_three_messages_make_one_email_after_a_quiet_delay(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    binh = make_user(handle="binh", display_name="Lê Bình")
    _send_three(binh, designer)

    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        assert "digests queued: 0" in _run(app)  # still talking: wait
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        assert "digests queued: 1" in _run(app)
    with time_machine.travel(T0 + timedelta(minutes=40), tick=False):
        assert "digests queued: 0" in _run(app)  # nothing new since

    assert len(outbox) == 1
    email = outbox[0]
    assert email["To"] == designer.email
    assert email["Subject"] == "You have 3 unread messages"
    body = email.get_body(("plain",)).get_content()
    assert "3 from Lê Bình" in body
    assert "https://ydn.example/messages/" in body
    assert "/messages/settings" in body
    assert "Bạn rảnh" not in body  # the text stays on the site


def test_a_new_message_after_a_digest_makes_a_second_one(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    binh = make_user(handle="binh")
    _send_three(binh, designer)
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        _run(app)
    with time_machine.travel(T0 + timedelta(minutes=50), tick=False):
        converse(binh, designer, "Một điều nữa…")
    with time_machine.travel(T0 + timedelta(minutes=65), tick=False):
        _run(app)
    assert [m["Subject"] for m in outbox] == [
        "You have 3 unread messages",
        "You have 4 unread messages",
    ]


def test_read_messages_are_not_mailed(app: Flask, designer: User, outbox: list[Any]) -> None:
    binh = make_user(handle="binh")
    _send_three(binh, designer)
    found = services.load_for_participant(
        services.find_conversation(binh, designer).public_id,  # type: ignore[union-attr]
        designer,
    )
    assert found is not None
    services.mark_read(participant=found[1], conversation=found[0])
    db.session.commit()
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        assert "digests queued: 0" in _run(app)
    assert outbox == []


def test_never_means_no_email(app: Flask, designer: User, outbox: list[Any]) -> None:
    services.set_digest(user=designer, choice=Delivery.NEVER)
    db.session.commit()
    _send_three(make_user(handle="binh"), designer)
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        assert "digests queued: 0" in _run(app)
    assert outbox == []


def _run_daily(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["notifications", "send-digests"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_daily_digest_choice_leaves_messages_to_the_daily_digest(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    services.set_digest(user=designer, choice=Delivery.DIGEST)
    db.session.commit()
    binh = make_user(handle="binh", display_name="Lê Bình")
    _send_three(binh, designer)
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        assert "digests queued: 0" in _run(app)  # the 10-minute rhythm leaves them alone
    assert outbox == []
    with time_machine.travel(T0 + timedelta(hours=5), tick=False):
        assert "daily digests queued: 1" in _run_daily(app)
    assert len(outbox) == 1
    assert outbox[0]["Subject"] == "Your daily digest: 1 update"
    body = outbox[0].get_body(("plain",)).get_content()
    assert "You have 3 unread messages" in body
    with time_machine.travel(T0 + timedelta(hours=6), tick=False):
        assert "daily digests queued: 0" in _run_daily(app)  # nothing new since
    with time_machine.travel(T0 + timedelta(hours=7), tick=False):
        converse(binh, designer, "Còn một câu hỏi")
    with time_machine.travel(T0 + timedelta(hours=29), tick=False):
        assert "daily digests queued: 1" in _run_daily(app)
    assert "You have 4 unread messages" in outbox[1].get_body(("plain",)).get_content()


def test_a_conversation_that_never_goes_quiet_is_mailed_within_the_hour(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    binh = make_user(handle="binh")
    with time_machine.travel(T0, tick=False):
        conversation = converse(binh, designer, "0")
    for minute in range(5, 70, 5):
        with time_machine.travel(T0 + timedelta(minutes=minute), tick=False):
            services.send_message(
                sender=binh, conversation=conversation, recipient=designer, text=str(minute)
            )
            db.session.commit()
            _run(app)
    assert len(outbox) == 1


def test_vietnamese_readers_get_a_vietnamese_email(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    designer.locale = "vi"
    db.session.commit()
    _send_three(make_user(handle="binh", display_name="Lê Bình"), designer)
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        _run(app)
    assert "chưa đọc" in outbox[0]["Subject"]
