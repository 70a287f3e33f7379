"""Email preferences: per category immediately / daily digest / never, the one-click unsubscribe
(RFC 8058) and the daily digest; security emails always go."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import AccountType, StaffRole, User
from app.accounts.owndata import delete_account, export_parts
from app.calls import services as calls
from app.calls.models import CallStatus, Decision
from app.extensions import db
from app.mail.models import Delivery, EmailCategory, EmailPreference, EmailStatus, OutgoingEmail
from app.mail.services import deliver_due, preferences_of, set_delivery, unsubscribe_token
from app.moderation import actions, targets
from app.notifications.models import Notification
from tests.calls.factories import make_call, make_project, make_submission
from tests.conftest import Client
from tests.factories import PASSWORD, make_user

T0 = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
TITLE = "Áo dài 2026"


def _choose(person: User, **choices: str) -> None:
    set_delivery(person.id, {EmailCategory(c): Delivery(d) for c, d in choices.items()})
    db.session.commit()


def _decision(person: User) -> None:
    """An organiser accepts the person's application and tells them (applications)."""
    organiser = make_user(handle="org-person", account_type=AccountType.ORGANISER)
    call = make_call(owner=organiser, title=TITLE, status=CallStatus.CLOSED)
    submission = make_submission(call=call, applicant=person)
    calls.decide(submission, actor=organiser, decision=Decision.ACCEPTED)
    calls.notify_applicants(call, actor=organiser)
    db.session.commit()


def _hide_a_project(person: User) -> None:
    """A moderator hides one of the person's projects (moderation)."""
    staff = db.session.scalar(select(User).where(User.handle == "staff-person"))
    staff = staff or make_user(handle="staff-person", staff_role=StaffRole.ADMIN)
    project = make_project(owner=person, title="Gốm Bát Tràng")
    target = targets.get("project")
    assert target is not None
    actions.hide_content(target=target, obj=project, actor=staff, reason="Đạo nhái.")
    db.session.commit()


def _deliver(app: Flask) -> None:
    with app.app_context():
        deliver_due()


def _body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def _digest_cli(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["notifications", "send-digests"])
    assert result.exit_code == 0, result.output
    return str(result.output)


def _path(url: str) -> str:
    return urlsplit(url).path


# --- The page -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["designer", "pending_designer", "organiser", "moderator", "admin"]
)
def test_every_logged_in_role_chooses_per_category(
    client: Client, request: pytest.FixtureRequest, role: str
) -> None:
    person = client.login_as(request.getfixturevalue(role))
    page = client.get("/account/notifications").get_data(as_text=True)
    for label in ("Applications and decisions", "Calls closing soon", "Jury", "Messages"):
        assert f"<legend>{label}</legend>" in page
    assert "Moderation of your content and your reports" in page
    assert page.count('value="digest"') == len(EmailCategory)
    # Security emails are listed as always sent, with nothing to choose.
    assert "Always sent" in page
    assert "Resetting your password" in page
    assert "A warning from the moderators, a suspension and its lifting" in page
    # Reached from the account page.
    assert "/account/notifications" in client.get("/auth/settings").get_data(as_text=True)
    assert preferences_of(person.id)[EmailCategory.JURY] == Delivery.IMMEDIATELY


def test_a_visitor_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/account/notifications")
    assert response.status_code == 302
    assert "/auth/login" in response.location


def test_choices_are_saved_and_shown_again(client: Client, designer: User) -> None:
    client.login_as(designer)
    data = {c.value: "immediately" for c in EmailCategory}
    data.update(messages="digest", moderation="never")
    response = client.post_form("/account/notifications", data)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Your email preferences are saved." in page
    assert re.search(r'checked[^>]*name="messages"[^>]*value="digest"', page)
    assert re.search(r'checked[^>]*name="moderation"[^>]*value="never"', page)
    assert preferences_of(designer.id)[EmailCategory.MESSAGES] == Delivery.DIGEST
    # The messaging settings page shows the same choice.
    messaging = client.get("/messages/settings").get_data(as_text=True)
    assert re.search(r'checked[^>]*name="digest"[^>]*value="digest"', messaging)


def test_a_bad_choice_is_refused_and_the_others_kept(client: Client, designer: User) -> None:
    client.login_as(designer)
    data = {c.value: "never" for c in EmailCategory}
    data["jury"] = "weekly<script>"
    response = client.post_form("/account/notifications", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please correct the highlighted fields." in page
    assert "<script>" not in page
    assert re.search(r'checked[^>]*name="messages"[^>]*value="never"', page)
    assert preferences_of(designer.id)[EmailCategory.MESSAGES] == Delivery.IMMEDIATELY


# --- What each choice does ------------------------------------------------------------------


def test_immediately_sends_an_email_with_one_click_unsubscribe(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    _decision(designer)
    _deliver(app)
    [email] = outbox
    assert email["Subject"] == f"A decision on your application to “{TITLE}”"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = email["List-Unsubscribe"]
    assert re.fullmatch(r"<https://ydn\.example/unsubscribe/[\w.-]+>", header)
    body = _body(email)
    assert f"Unsubscribe from these emails: {header[1:-1]}" in body
    assert "https://ydn.example/account/notifications" in body
    html = email.get_body(("html",))
    assert html is not None
    assert header[1:-1] in html.get_content()


def test_never_sends_no_email_but_the_notification_still_appears(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    _choose(designer, applications="never")
    _decision(designer)
    _deliver(app)
    assert outbox == []
    assert db.session.scalar(select(OutgoingEmail.id)) is None
    note = db.session.scalars(select(Notification).where(Notification.user_id == designer.id))
    assert [n.text for n in note] == [f"A decision on your application to “{TITLE}”."]


def test_the_daily_digest_gathers_the_days_items_into_one_email(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    _choose(designer, applications="digest", moderation="digest")
    with time_machine.travel(T0, tick=False):
        _decision(designer)
        _hide_a_project(designer)
        _deliver(app)
    assert outbox == []  # waiting for the digest
    with time_machine.travel(T0 + timedelta(hours=20), tick=False):
        assert "daily digests queued: 1" in _digest_cli(app)
        _deliver(app)
    [email] = outbox
    assert email["To"] == designer.email
    assert email["Subject"] == "Your daily digest: 2 updates"
    body = _body(email)
    assert "Applications and decisions" in body
    assert f"- A decision on your application to “{TITLE}”: https://ydn.example/me/applications" in body
    assert "Moderation of your content and your reports" in body
    assert "- Some of your content was hidden" in body
    assert email["List-Unsubscribe"].startswith("<https://ydn.example/unsubscribe/")
    # Nothing new: nothing sent.
    with time_machine.travel(T0 + timedelta(hours=44), tick=False):
        assert "daily digests queued: 0" in _digest_cli(app)
    statuses = db.session.scalars(
        select(OutgoingEmail.status).where(OutgoingEmail.category.is_not(None))
    ).all()
    assert sorted(statuses) == [EmailStatus.DIGESTED, EmailStatus.DIGESTED]


@pytest.mark.parametrize(
    "trigger",
    [
        lambda person: accounts.request_password_reset(person.email),
        accounts.send_verification,
        lambda person: actions.suspend(
            person=person,
            actor=make_user(handle="staff", staff_role=StaffRole.ADMIN),
            days=7,
            reason="Gửi thư rác.",
        ),
        lambda person: actions.warn(
            person=person,
            actor=make_user(handle="staff", staff_role=StaffRole.ADMIN),
            reason="Ngôn từ thô lỗ.",
        ),
    ],
    ids=["reset", "verification", "suspension", "warning"],
)
def test_security_emails_ignore_never_and_carry_no_unsubscribe(
    app: Flask, designer: User, outbox: list[Any], trigger: Any
) -> None:
    _choose(designer, **dict.fromkeys((c.value for c in EmailCategory), "never"))
    trigger(designer)
    db.session.commit()
    _deliver(app)
    [email] = outbox
    assert email["List-Unsubscribe"] is None
    assert email["List-Unsubscribe-Post"] is None
    assert "/unsubscribe/" not in _body(email)


# --- One-click unsubscribe ------------------------------------------------------------------


def _unsubscribe_link(app: Flask, outbox: list[Any], person: User) -> str:
    _hide_a_project(person)
    _deliver(app)
    return _path(outbox[-1]["List-Unsubscribe"][1:-1])


def test_a_mail_clients_one_click_post_unsubscribes_without_csrf(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    link = _unsubscribe_link(app, outbox, designer)
    client = app.test_client()  # no session, no cookie, no CSRF token: a mail client
    response = client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Unsubscribed" in page
    assert "Moderation of your content and your reports" in page
    choices = preferences_of(designer.id)
    assert choices[EmailCategory.MODERATION] == Delivery.NEVER
    assert choices[EmailCategory.APPLICATIONS] == Delivery.IMMEDIATELY
    # The next moderation email is not sent; the notification still appears.
    outbox.clear()
    _hide_a_project(designer)
    _deliver(app)
    assert outbox == []
    hidden = db.session.scalars(
        select(Notification.text).where(Notification.kind == "moderation.hide")
    ).all()
    assert hidden == ["A moderator hid “Gốm Bát Tràng” from the public."] * 2


def test_opening_the_link_asks_first_and_changes_nothing(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    link = _unsubscribe_link(app, outbox, designer)
    response = app.test_client().get(link)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Stop the emails about:" in page
    assert f'<form method="post" action="{link}">' in page
    assert db.session.scalar(select(EmailPreference.user_id)) is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_refused_and_changes_nothing(
    app: Flask, designer: User, outbox: list[Any], method: str
) -> None:
    link = _unsubscribe_link(app, outbox, designer)
    # The same token for another category: the signature no longer matches.
    token = link.rsplit("/", 1)[1]
    payload, rest = token.split(".", 1)
    tampered = (
        f"/unsubscribe/{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{rest}"
    )
    response = getattr(app.test_client(), method)(tampered)
    assert response.status_code == 400
    assert "This unsubscribe link does not work" in response.get_data(as_text=True)
    assert db.session.scalar(select(EmailPreference.user_id)) is None


def test_another_signed_link_of_the_site_is_no_unsubscribe_link(app: Flask, designer: User) -> None:
    with app.test_request_context():
        reset_token = accounts.make_token(designer, "reset")
    response = app.test_client().post(f"/unsubscribe/{reset_token}")
    assert response.status_code == 400
    assert db.session.scalar(select(EmailPreference.user_id)) is None


def test_an_expired_link_is_refused(app: Flask, designer: User) -> None:
    with time_machine.travel(T0, tick=False), app.test_request_context():
        token = unsubscribe_token(designer, "jury")
    with time_machine.travel(T0 + timedelta(days=400), tick=False):
        response = app.test_client().post(f"/unsubscribe/{token}")
    assert response.status_code == 400
    assert "The link is too old. Nothing was changed." in response.get_data(as_text=True)
    assert db.session.scalar(select(EmailPreference.user_id)) is None


def test_the_digests_link_turns_off_what_came_in_the_digest(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    _choose(designer, applications="digest", moderation="digest")
    _decision(designer)
    _digest_cli(app)
    _deliver(app)
    [digest] = outbox
    link = _path(digest["List-Unsubscribe"][1:-1])
    page = app.test_client().get(link).get_data(as_text=True)
    assert "Applications and decisions" in page
    assert "Moderation of your content and your reports" in page
    assert "Jury" not in page
    app.test_client().post(link)
    choices = preferences_of(designer.id)
    assert choices[EmailCategory.APPLICATIONS] == Delivery.NEVER
    assert choices[EmailCategory.MODERATION] == Delivery.NEVER
    assert choices[EmailCategory.JURY] == Delivery.IMMEDIATELY


# --- Own your data --------------------------------------------------------------------------


def test_preferences_are_in_the_archive_and_go_with_the_account(app: Flask, designer: User) -> None:
    _choose(designer, jury="digest", messages="never")
    with app.test_request_context():
        parts = {part.name: part.data for part in export_parts(designer)}
    assert parts["email_preferences"] == {
        "applications": "immediately",
        "reminders": "immediately",
        "jury": "digest",
        "messages": "never",
        "moderation": "immediately",
    }
    _choose(designer, applications="digest")
    _decision(designer)  # waits for a digest that will never go
    with app.test_request_context():
        delete_account(user=designer, password=PASSWORD)
        db.session.commit()
    assert db.session.scalar(select(EmailPreference.user_id)) is None
    waiting = db.session.scalars(
        select(OutgoingEmail.status).where(OutgoingEmail.category.is_not(None))
    ).all()
    assert waiting == [EmailStatus.CANCELLED]
    assert "daily digests queued: 0" in _digest_cli(app)


# --- Languages ------------------------------------------------------------------------------


def test_the_page_reads_in_vietnamese_and_french(client: Client, designer: User) -> None:
    client.login_as(designer)
    for locale, words in (
        ("vi", ["Tuỳ chọn email", "Đơn ứng tuyển và quyết định", "Luôn được gửi", "Ngay lập tức"]),
        ("fr", ["Préférences d’e-mail", "Candidatures et décisions", "Toujours envoyés"]),
    ):
        designer.locale = locale
        db.session.commit()
        page = client.get("/account/notifications").get_data(as_text=True)
        for word in words:
            assert word in page, (locale, word)


def test_a_vietnamese_reader_gets_a_vietnamese_digest(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    designer.locale = "vi"
    _choose(designer, applications="digest", moderation="digest")
    _decision(designer)
    _hide_a_project(designer)
    _digest_cli(app)
    _deliver(app)
    [email] = outbox
    assert email["Subject"] == "Bản tin hằng ngày của bạn: 2 cập nhật"
    body = _body(email)
    assert "Đơn ứng tuyển và quyết định" in body
    assert f"Quyết định về hồ sơ của bạn gửi “{TITLE}”" in body
    assert "Huỷ đăng ký những email này:" in body


def test_an_oversized_unsubscribe_post_is_refused(app: Flask, designer: User) -> None:
    with app.test_request_context():
        token = unsubscribe_token(designer, "jury")
    response = app.test_client().post(f"/unsubscribe/{token}", data={"x": "a" * 20_000})
    assert response.status_code == 413
    assert db.session.scalar(select(EmailPreference.user_id)) is None
