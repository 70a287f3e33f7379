"""Saving calls: from the card and the page, back where one was; /calls/saved in the viewer's
zone, paginated in constant queries; reminders a week and 48 hours before, once each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import AccountType, User, UserStatus
from app.calls.models import CallKind, CallStatus
from app.calls.services import CallData, create_call
from app.extensions import db
from app.mail.models import Delivery, EmailCategory, EmailStatus, OutgoingEmail
from app.mail.services import set_delivery
from app.notifications.models import Notification
from app.opportunities import services
from app.opportunities.models import SavedCall
from tests.calls.factories import make_call
from tests.conftest import Client
from tests.factories import make_user

DEADLINE = datetime(2030, 6, 30, 16, 59, tzinfo=UTC)  # 23:59 in Hanoi, 18:59 in Paris


def _saved_count(user: User) -> int:
    return int(
        db.session.scalar(select(func.count(SavedCall.id)).where(SavedCall.user_id == user.id)) or 0
    )


def _page(client: Client, url: str) -> str:
    return str(client.get(url).get_data(as_text=True))


@pytest.fixture
def paris_designer(app: Flask) -> User:  # noqa: ARG001 (the database of that app)
    user = make_user(handle="linh-paris", display_name="Trần Linh", country="FR")
    user.timezone = "Europe/Paris"
    db.session.commit()
    return user


def test_save_from_the_list_comes_back_to_it_and_lists_in_my_zone(
    client: Client, organiser: User, paris_designer: User
) -> None:
    call = make_call(owner=organiser, title="Lantern poster", deadline_at=DEADLINE)
    db.session.commit()
    client.login_as(paris_designer)
    listing = _page(client, "/calls?kind=competition")
    assert f'action="/calls/{call.slug}/save"' in listing
    response = client.post_form(f"/calls/{call.slug}/save", {"next": "/calls?kind=competition"})
    assert response.status_code == 302
    assert response.location == "/calls?kind=competition"
    after = _page(client, "/calls?kind=competition")
    assert "We will remind you a week and 48 hours before" in after
    assert f'action="/calls/{call.slug}/unsave"' in after
    assert 'aria-pressed="true"' in after
    saved = _page(client, "/calls/saved")
    assert "Lantern poster" in saved
    assert "Jun 30, 2030, 6:59" in saved  # the viewer's zone (Paris, summer time)
    assert "11:59" in saved  # and the call's own, named
    assert "(Ho Chi Minh City)" in saved
    # Reached from the person's home.
    assert "/calls/saved" in _page(client, "/me")


def test_save_from_the_page_twice_keeps_one_and_unsave_forgets_it(
    client: Client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Riverside residency")
    db.session.commit()
    client.login_as(designer)
    page = _page(client, f"/calls/{call.slug}")
    assert f'action="/calls/{call.slug}/save"' in page
    for _ in range(2):  # a double click
        assert client.post_form(f"/calls/{call.slug}/save").location == f"/calls/{call.slug}"
    assert _saved_count(designer) == 1
    # A `next` elsewhere is not followed.
    response = client.post_form(f"/calls/{call.slug}/unsave", {"next": "https://evil.example/"})
    assert response.location == f"/calls/{call.slug}"
    assert _saved_count(designer) == 0
    assert "You have not saved any call yet" in _page(client, "/calls/saved")


def test_a_visitor_is_invited_to_log_in_to_save(client: Client, organiser: User) -> None:
    call = make_call(owner=organiser, title="Open to all")
    db.session.commit()
    page = _page(client, f"/calls/{call.slug}")
    assert "Log in to save this call" in page
    response = client.post_form(f"/calls/{call.slug}/save")
    assert response.status_code == 302
    assert "/auth/login" in response.location


@pytest.mark.parametrize("how", ["past_deadline", "closed_by_hand", "archived"])
def test_saving_a_closed_call_is_refused_with_a_message(
    client: Client, organiser: User, designer: User, how: str
) -> None:
    call = make_call(owner=organiser, title="Already over")
    if how == "past_deadline":
        call.deadline_at = datetime.now(UTC) - timedelta(hours=1)
    else:
        call.status = CallStatus.CLOSED if how == "closed_by_hand" else CallStatus.ARCHIVED
    db.session.commit()
    client.login_as(designer)
    page = _page(client, f"/calls/{call.slug}")
    assert f'action="/calls/{call.slug}/save"' not in page  # no button offered
    response = client.post_form(f"/calls/{call.slug}/save", follow_redirects=True)
    assert "This call is closed: there is nothing left to save it for." in response.get_data(
        as_text=True
    )
    assert _saved_count(designer) == 0


def test_someone_elses_draft_cannot_be_saved(
    client: Client, organiser: User, designer: User
) -> None:
    draft = make_call(owner=organiser, title="Secret draft", status=CallStatus.DRAFT)
    db.session.commit()
    client.login_as(designer)
    assert client.post_form(f"/calls/{draft.slug}/save").status_code == 404
    assert _saved_count(designer) == 0


def test_a_hidden_call_leaves_the_saved_list(
    client: Client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Soon hidden")
    services.save_call(designer, call)
    call.hidden_at = datetime.now(UTC)
    db.session.commit()
    client.login_as(designer)
    assert "Soon hidden" not in _page(client, "/calls/saved")


def _save_many(person: User, organiser: User, n: int) -> None:
    for i in range(n):
        call = make_call(owner=organiser, title=f"Call to save {i}")
        services.save_call(person, call)
    db.session.commit()


def test_the_saved_list_is_paginated_in_constant_queries(
    client: Client, organiser: User, designer: User, count_queries: Any
) -> None:
    client.login_as(designer)
    _save_many(designer, organiser, 2)
    with count_queries() as small:
        assert client.get("/calls/saved").status_code == 200
    other = make_user(handle="org-two", account_type=AccountType.ORGANISER)
    _save_many(designer, other, 40)
    with count_queries() as large:
        page = _page(client, "/calls/saved")
    assert page.count('class="card call-card') == 20
    assert 'href="/calls/saved?page=2"' in page
    assert small.count == large.count
    assert _page(client, "/calls/saved?page=3").count('class="card call-card') == 2
    assert client.get("/calls/saved?page=abc").status_code == 404


# ---------- Reminders ----------


def _reminders(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["opportunities", "send-reminders"])
    assert result.exit_code == 0, result.output
    return str(result.output)


def _notes(person: User) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.text)
            .where(Notification.user_id == person.id, Notification.kind == "saved_call_reminder")
            .order_by(Notification.id)
        )
    )


def _emails(person: User) -> list[OutgoingEmail]:
    return list(
        db.session.scalars(
            select(OutgoingEmail)
            .where(OutgoingEmail.to == person.email, OutgoingEmail.dedupe_key.like("saved-call%"))
            .order_by(OutgoingEmail.id)
        )
    )


def test_reminders_a_week_and_48_hours_before_once_each(
    app: Flask, organiser: User, designer: User
) -> None:
    with time_machine.travel(DEADLINE - timedelta(days=20), tick=False):
        call = make_call(owner=organiser, title="Hội An lanterns", deadline_at=DEADLINE)
        services.save_call(designer, call)
        db.session.commit()
    with time_machine.travel(DEADLINE - timedelta(days=8), tick=False):
        assert "0 saved-call reminder(s)" in _reminders(app)
    with time_machine.travel(DEADLINE - timedelta(days=6), tick=False):
        assert "1 saved-call reminder(s)" in _reminders(app)
        assert "0 saved-call reminder(s)" in _reminders(app)  # cron ran twice
    assert _notes(designer) == ["Your saved call “Hội An lanterns” closes in a week."]
    week = _emails(designer)
    assert [e.subject for e in week] == ["“Hội An lanterns” closes in a week"]
    assert week[0].category == EmailCategory.REMINDERS
    assert "You saved “Hội An lanterns”. Its deadline:" in week[0].text_body
    assert "11:59" in week[0].text_body  # in the call's own zone, named
    assert "/calls/" in week[0].text_body
    with time_machine.travel(DEADLINE - timedelta(hours=47), tick=False):
        assert "1 saved-call reminder(s)" in _reminders(app)
        assert "0 saved-call reminder(s)" in _reminders(app)
    with time_machine.travel(DEADLINE - timedelta(hours=2), tick=False):
        assert "0 saved-call reminder(s)" in _reminders(app)
    db.session.expire_all()
    assert len(_notes(designer)) == 2
    assert _notes(designer)[1] == "Your saved call “Hội An lanterns” closes in 48 hours."
    assert [e.subject for e in _emails(designer)][1] == "“Hội An lanterns” closes in 48 hours"
    # The dedupe keys name the person and the call for their whole lifetimes.
    keys = [e.dedupe_key or "" for e in _emails(designer)]
    assert all(f"{designer.id}@" in k and f"{call.id}@" in k for k in keys)
    assert len(set(keys)) == 2


def test_a_call_saved_late_gets_only_the_last_reminder(
    app: Flask, organiser: User, designer: User
) -> None:
    with time_machine.travel(DEADLINE - timedelta(hours=30), tick=False):
        call = make_call(owner=organiser, title="Last minute", deadline_at=DEADLINE)
        services.save_call(designer, call)
        db.session.commit()
        assert "1 saved-call reminder(s)" in _reminders(app)
        assert "0 saved-call reminder(s)" in _reminders(app)
    assert _notes(designer) == ["Your saved call “Last minute” closes in 48 hours."]


def test_email_preference_never_keeps_the_notification_only(
    app: Flask, organiser: User, designer: User
) -> None:
    set_delivery(designer.id, {EmailCategory.REMINDERS: Delivery.NEVER})
    with time_machine.travel(DEADLINE - timedelta(days=20), tick=False):
        call = make_call(owner=organiser, title="Quiet please", deadline_at=DEADLINE)
        services.save_call(designer, call)
        db.session.commit()
    with time_machine.travel(DEADLINE - timedelta(days=5), tick=False):
        _reminders(app)
    assert _notes(designer) == ["Your saved call “Quiet please” closes in a week."]
    assert _emails(designer) == []


def test_digest_preference_waits_for_the_digest(
    app: Flask, organiser: User, designer: User
) -> None:
    set_delivery(designer.id, {EmailCategory.REMINDERS: Delivery.DIGEST})
    with time_machine.travel(DEADLINE - timedelta(days=20), tick=False):
        call = make_call(owner=organiser, title="In the digest", deadline_at=DEADLINE)
        services.save_call(designer, call)
        db.session.commit()
    with time_machine.travel(DEADLINE - timedelta(days=5), tick=False):
        _reminders(app)
    assert [e.status for e in _emails(designer)] == [EmailStatus.DIGEST]


def test_no_reminder_for_a_closed_hidden_or_suspended_organisers_call(
    app: Flask, organiser: User, designer: User
) -> None:
    with time_machine.travel(DEADLINE - timedelta(days=20), tick=False):
        closed = make_call(owner=organiser, title="Closed early", deadline_at=DEADLINE)
        hidden = make_call(owner=organiser, title="Hidden", deadline_at=DEADLINE)
        other = make_user(handle="gone-org", account_type=AccountType.ORGANISER)
        theirs = make_call(owner=other, title="Suspended organiser", deadline_at=DEADLINE)
        for call in (closed, hidden, theirs):
            services.save_call(designer, call)
        closed.status = CallStatus.CLOSED
        hidden.hidden_at = datetime.now(UTC)
        other.status = UserStatus.SUSPENDED
        db.session.commit()
    with time_machine.travel(DEADLINE - timedelta(days=5), tick=False):
        assert "0 saved-call reminder(s)" in _reminders(app)
    assert _notes(designer) == []


@pytest.mark.usefixtures("app")
def test_a_call_named_saved_keeps_a_page_of_its_own(organiser: User) -> None:
    call = create_call(
        owner=organiser,
        data=CallData(
            kind=CallKind.COMPETITION,
            title="Saved",
            summary="",
            description="",
            timezone="Asia/Ho_Chi_Minh",
            deadline_at=DEADLINE,
        ),
    )
    assert call.slug == "saved-2"
