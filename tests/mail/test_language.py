"""Every email is written in its recipient's language (else the network's default), whoever's
request queued it and whatever language that request was in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.calls import services as calls
from app.calls.models import CallStatus, Decision, SubmissionStatus
from app.extensions import db
from app.mail.models import OutgoingEmail
from app.messaging import services as messaging
from app.moderation import actions, targets
from app.notifications.models import Notification
from tests.calls.factories import make_call, make_project, make_submission
from tests.factories import make_user
from tests.messaging.factories import converse

T0 = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
TITLE = "Áo dài 2026"


def _staff() -> User:
    return make_user(handle="staff-person", staff_role=StaffRole.ADMIN)


def verification(person: User) -> None:
    accounts.send_verification(person)


def reset(person: User) -> None:
    accounts.request_password_reset(person.email)


def approved(person: User) -> None:
    person.status = UserStatus.PENDING
    accounts.approve_user(person, actor=_staff())


def rejected(person: User) -> None:
    person.status = UserStatus.PENDING
    accounts.reject_user(person, actor=_staff(), reason="Hồ sơ còn trống.")


def email_change(person: User) -> None:
    accounts.request_email_change(person, new_email="new-address@example.org", password="x")


def application_received(person: User) -> None:
    organiser = make_user(handle="org-person", account_type=AccountType.ORGANISER)
    call = make_call(owner=organiser, title=TITLE)
    project = make_project(owner=person)
    calls.save_submission(
        call,
        applicant=person,
        statement="Mình muốn tham gia.",
        answers={},
        project_ids=[project.id],
        submit=True,
    )


def decision(person: User) -> None:
    organiser = make_user(handle="org-person", account_type=AccountType.ORGANISER)
    call = make_call(owner=organiser, title=TITLE, status=CallStatus.CLOSED)
    submission = make_submission(call=call, applicant=person)
    calls.decide(submission, actor=organiser, decision=Decision.ACCEPTED)
    calls.notify_applicants(call, actor=organiser)


def reminder(person: User) -> None:
    organiser = make_user(handle="org-person", account_type=AccountType.ORGANISER)
    call = make_call(owner=organiser, title=TITLE, deadline_at=T0 + timedelta(hours=20))
    make_submission(call=call, applicant=person, status=SubmissionStatus.DRAFT)
    calls.send_reminders(now=T0)


def message_digest(person: User) -> None:
    sender = make_user(handle="binh", display_name="Lê Bình")
    with time_machine.travel(T0, tick=False):
        converse(sender, person, "Chào bạn!")
    messaging.send_digests(now=T0 + timedelta(minutes=30))


def moderation_warning(person: User) -> None:
    actions.warn(person=person, actor=_staff(), reason="Ngôn từ thô lỗ.")


def moderation_hide(person: User) -> None:
    project = make_project(owner=person, title=TITLE)
    target = targets.get("project")
    assert target is not None
    actions.hide_content(target=target, obj=project, actor=_staff(), reason="Đạo nhái.")


def moderation_suspension(person: User) -> None:
    actions.suspend(person=person, actor=_staff(), days=7, reason="Gửi thư rác.")


# kind -> (what queues it, the subject in Vietnamese, a line of the body in Vietnamese,
# and that line in English, which must not be there)
VIETNAMESE: dict[str, tuple[Callable[[User], None], str, str, str]] = {
    "verification": (
        verification,
        "Xác nhận địa chỉ email của bạn",
        "Vui lòng xác nhận địa chỉ email",
        "Please confirm your email address",
    ),
    "reset": (
        reset,
        "Đặt lại mật khẩu",
        "Có người đã yêu cầu đặt lại mật khẩu",
        "Someone asked to reset",
    ),
    "approved": (
        approved,
        "Chào mừng: hồ sơ của bạn đã được duyệt",
        "Tin vui: người kiểm duyệt đã duyệt hồ sơ của bạn.",
        "moderator approved",
    ),
    "rejected": (
        rejected,
        "Về đơn đăng ký tham gia mạng lưới của bạn",
        "Người kiểm duyệt chưa duyệt đơn đăng ký của bạn, với lý do:",
        "A moderator did not approve",
    ),
    "email change": (
        email_change,
        "Xác nhận địa chỉ email mới",
        "Mở liên kết này để dùng địa chỉ này cho tài khoản của bạn:",
        "Open this link",
    ),
    "application received": (
        application_received,
        f"Hồ sơ của bạn gửi “{TITLE}” đã được nhận",
        f"Chúng tôi đã nhận hồ sơ của bạn gửi “{TITLE}”.",
        "We received your application",
    ),
    "decision": (
        decision,
        f"Quyết định về hồ sơ của bạn gửi “{TITLE}”",
        f"Chúc mừng: hồ sơ của bạn gửi “{TITLE}” đã được chọn.",
        "Congratulations",
    ),
    "reminder": (
        reminder,
        f"Hồ sơ của bạn gửi “{TITLE}” vẫn là bản nháp",
        "(TP Hồ Chí Minh)",
        "is still a draft",
    ),
    "message digest": (
        message_digest,
        "Bạn có 1 tin nhắn chưa đọc",
        "Bạn có 1 tin nhắn chưa đọc trên",
        "unread message",
    ),
    "moderation warning": (
        moderation_warning,
        "Cảnh cáo từ ban kiểm duyệt",
        "Người kiểm duyệt đã gửi cho bạn một lời cảnh cáo.",
        "A moderator sent you a warning",
    ),
    "moderation hide": (
        moderation_hide,
        "Một phần nội dung của bạn đã bị ẩn",
        f"Người kiểm duyệt đã ẩn “{TITLE}” khỏi công chúng.",
        "A moderator hid",
    ),
    "moderation suspension": (
        moderation_suspension,
        "Tài khoản của bạn bị đình chỉ",
        "Tài khoản của bạn bị đình chỉ đến",
        "Your account is suspended",
    ),
}


@dataclass(frozen=True)
class Email:
    subject: str
    text_body: str
    html_body: str


def _queue_from_a_french_page(app: Flask, kind: str, locale: str | None) -> Email:
    """Queue one email to a person, from a request made in French (someone else's, or theirs)."""
    trigger = VIETNAMESE[kind][0]
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        person = make_user(handle="thu-ha", display_name="Trần Thu Hà")
        person.locale = locale
        db.session.flush()
        trigger(person)
        db.session.flush()
        emails = db.session.scalars(
            select(OutgoingEmail).where(OutgoingEmail.to == person.email)
        ).all()
        if kind == "email change":
            emails = db.session.scalars(
                select(OutgoingEmail).where(OutgoingEmail.to == "new-address@example.org")
            ).all()
        assert len(emails) == 1, [e.subject for e in emails]
        email = Email(emails[0].subject, emails[0].text_body, emails[0].html_body or "")
        db.session.commit()
        return email


@pytest.fixture
def password_is_x(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "verify_password", lambda _hash, _password: True)


@pytest.mark.parametrize("kind", list(VIETNAMESE))
@pytest.mark.usefixtures("password_is_x")
def test_email_is_in_the_recipients_language_not_the_pages(make_app: Any, kind: str) -> None:
    app = make_app(BABEL_DEFAULT_LOCALE="en")
    _trigger, subject, line, english = VIETNAMESE[kind]

    email = _queue_from_a_french_page(app, kind, locale="vi")

    assert email.subject == subject
    for body in (email.text_body, email.html_body):
        assert "Chào Trần Thu Hà," in body
        assert line.replace("“", "&#8220;") in body or line in body
        assert english not in body
        assert "Bonjour" not in body
    assert 'lang="vi"' in email.html_body


@pytest.mark.parametrize("kind", list(VIETNAMESE))
@pytest.mark.usefixtures("password_is_x")
def test_email_to_someone_without_a_language_is_in_the_networks_default(
    make_app: Any, kind: str
) -> None:
    app = make_app(BABEL_DEFAULT_LOCALE="vi")
    _trigger, subject, line, english = VIETNAMESE[kind]

    email = _queue_from_a_french_page(app, kind, locale=None)

    assert email.subject == subject
    assert "Chào Trần Thu Hà," in email.text_body
    assert line in email.text_body
    assert english not in email.text_body


def test_email_in_a_language_the_network_does_not_speak_falls_back_to_the_default(
    make_app: Any,
) -> None:
    app = make_app(BABEL_DEFAULT_LOCALE="vi")
    email = _queue_from_a_french_page(app, "reset", locale="de")
    assert email.subject == "Đặt lại mật khẩu"


def test_french_recipient_reads_french_from_a_vietnamese_page(make_app: Any) -> None:
    app = make_app(BABEL_DEFAULT_LOCALE="en")
    with app.test_request_context("/", headers={"Accept-Language": "vi"}):
        person = make_user(handle="camille", display_name="Camille Martin")
        person.locale = "fr"
        decision(person)
        row = db.session.scalars(
            select(OutgoingEmail).where(OutgoingEmail.to == person.email)
        ).one()
        email = Email(row.subject, row.text_body, row.html_body or "")
        db.session.commit()
    assert email.subject == f"Une décision sur votre candidature à « {TITLE} »"
    assert "Bonjour Camille Martin," in email.text_body
    assert "Félicitations" in email.text_body


def test_reset_asked_from_a_french_page_is_written_in_the_persons_language(
    app: Flask, client: Any, outbox: list[Any]
) -> None:
    with app.app_context():
        person = make_user(handle="thu-ha", display_name="Trần Thu Hà")
        person.locale = "vi"
        email_address = person.email
        db.session.commit()
    client.post_form("/language", {"language": "fr", "next": "/auth/reset"})
    page = client.get("/auth/reset").get_data(as_text=True)
    assert 'lang="fr"' in page

    client.post_form("/auth/reset", {"email": email_address})

    [message] = [m for m in outbox if m["To"] == email_address]
    assert message["Subject"] == "Đặt lại mật khẩu"
    body = message.get_body(("plain",)).get_content()
    assert "Chào Trần Thu Hà," in body
    assert "Có người đã yêu cầu đặt lại mật khẩu" in body


def test_text_of_an_email_is_escaped_in_its_html(app: Flask) -> None:
    with app.test_request_context("/"):
        person = make_user(handle="escape-person")
        organiser = make_user(handle="org-escape", account_type=AccountType.ORGANISER)
        call = make_call(owner=organiser, title='<a href="https://evil.example">Win</a>')
        project = make_project(owner=person)
        calls.save_submission(
            call,
            applicant=person,
            statement="",
            answers={},
            project_ids=[project.id],
            submit=True,
        )
        email = db.session.scalars(
            select(OutgoingEmail).where(OutgoingEmail.to == person.email)
        ).one()
        html = email.html_body or ""
        db.session.rollback()
    assert '<a href="https://evil.example">' not in html
    assert "&lt;a href=" in html


def test_notification_of_a_decision_is_in_the_applicants_language(make_app: Any) -> None:
    app = make_app(BABEL_DEFAULT_LOCALE="en")
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):  # the organiser's
        person = make_user(handle="thu-ha", display_name="Trần Thu Hà")
        person.locale = "vi"
        decision(person)
        texts = db.session.scalars(
            select(Notification.text).where(Notification.user_id == person.id)
        ).all()
        db.session.rollback()
    assert texts == [f"Quyết định về hồ sơ của bạn gửi “{TITLE}”."]
