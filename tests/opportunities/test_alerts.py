"""Alerts: a saved search over calls at /account/alerts; a newly published call that matches
is told once, immediately or in the daily batch; the email preference can still turn the
emails off."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import User, UserStatus
from app.calls import services as call_services
from app.calls.models import CallKind, CallStatus, OpenCall
from app.extensions import db
from app.mail.models import Delivery, EmailCategory, OutgoingEmail
from app.mail.services import set_delivery
from app.notifications.models import Notification
from app.opportunities import services
from app.opportunities.models import AlertFrequency, AlertMatch, CallAlert
from app.opportunities.services import AlertData
from app.profiles.models import Discipline
from tests.calls.factories import make_call
from tests.conftest import Client
from tests.factories import make_user


def _page(client: Client, url: str) -> str:
    return str(client.get(url).get_data(as_text=True))


def _alerts(person: User) -> list[CallAlert]:
    return list(
        db.session.scalars(
            select(CallAlert).where(CallAlert.user_id == person.id).order_by(CallAlert.id)
        )
    )


def _told(person: User) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.text)
            .where(Notification.user_id == person.id, Notification.kind == "call_alert")
            .order_by(Notification.id)
        )
    )


def _alert_emails(person: User) -> list[OutgoingEmail]:
    return list(
        db.session.scalars(
            select(OutgoingEmail)
            .where(OutgoingEmail.to == person.email, OutgoingEmail.dedupe_key.like("call-alert%"))
            .order_by(OutgoingEmail.id)
        )
    )


def _publish(organiser: User, title: str, **fields: Any) -> OpenCall:
    """A draft published the way the organiser does it (the alerts' hook runs)."""
    disciplines = fields.pop("disciplines", [])
    draft = make_call(owner=organiser, title=title, status=CallStatus.DRAFT, **fields)
    draft.disciplines = disciplines
    db.session.flush()
    call_services.publish_call(draft, actor=organiser)
    db.session.commit()
    return draft


# ---------- The page ----------


def test_create_edit_and_delete_an_alert(client: Client, designer: User) -> None:
    client.login_as(designer)
    page = _page(client, "/account/alerts")
    assert "No alert yet." in page
    assert "Only calls I am eligible for" in page  # a designer has rules to meet
    response = client.post_form(
        "/account/alerts", {"kind": "residency", "no_fee": "y", "frequency": "daily"}
    )
    assert response.status_code == 302
    page = _page(client, "/account/alerts")
    assert "Your alert is saved" in page
    assert "Residency" in page
    assert "Once a day" in page
    (alert,) = _alerts(designer)
    edit = _page(client, f"/account/alerts/{alert.id}")
    assert '<option selected value="residency">' in edit or 'value="residency" selected' in edit
    response = client.post_form(
        f"/account/alerts/{alert.id}", {"kind": "grant", "frequency": "immediately"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    (alert,) = _alerts(designer)
    assert (alert.kind, alert.no_fee, alert.frequency) == ("grant", False, "immediately")
    assert client.post_form(f"/account/alerts/{alert.id}/delete").status_code == 302
    assert _alerts(designer) == []
    # Reached from the person's home and the calls page.
    assert "/account/alerts" in _page(client, "/me")
    assert "/account/alerts" in _page(client, "/calls")


def test_an_alert_with_no_criteria_is_refused_and_keeps_the_choice(
    client: Client, designer: User
) -> None:
    client.login_as(designer)
    response = client.post_form("/account/alerts", {"frequency": "daily"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose at least one thing to look for" in page
    assert re.search(
        r"<input[^>]*checked[^>]*value=\"daily\"|<input[^>]*value=\"daily\"[^>]*checked", page
    )
    assert _alerts(designer) == []


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "<script>alert(1)</script>", "frequency": "daily"},
        {"discipline": "999999", "frequency": "daily"},
        {"country": "ZZ", "frequency": "daily"},
        {"kind": "grant", "frequency": "hourly"},
        {"kind": "grant\x00", "frequency": "daily"},
    ],
)
def test_hostile_alerts_are_refused(client: Client, designer: User, data: dict[str, str]) -> None:
    client.login_as(designer)
    response = client.post_form("/account/alerts", data)
    assert response.status_code == 422
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert _alerts(designer) == []


def test_someone_elses_alert_is_not_found(client: Client, designer: User) -> None:
    other = make_user(handle="other-one")
    alert = services.create_alert(other, AlertData(kind="job"))
    db.session.commit()
    client.login_as(designer)
    assert client.get(f"/account/alerts/{alert.id}").status_code == 404
    assert client.post_form(f"/account/alerts/{alert.id}", {"kind": "grant"}).status_code == 404
    assert client.post_form(f"/account/alerts/{alert.id}/delete").status_code == 404
    assert len(_alerts(other)) == 1


def test_eligible_for_me_is_only_for_designers(client: Client, organiser: User) -> None:
    client.login_as(organiser)
    assert "Only calls I am eligible for" not in _page(client, "/account/alerts")
    with pytest.raises(services.OpportunityError):
        services.create_alert(organiser, AlertData(eligible_for_me=True))


def test_at_most_twenty_alerts(client: Client, designer: User) -> None:
    countries = ["VN", "TH", "FR", "DE", "JP", "KR", "LA", "KH", "SG", "MY"]
    for i in range(20):
        services.create_alert(designer, AlertData(country=countries[i % 10], no_fee=i < 10))
    db.session.commit()
    client.login_as(designer)
    assert "delete one first" in _page(client, "/account/alerts")
    response = client.post_form("/account/alerts", {"kind": "job", "frequency": "daily"})
    assert response.status_code == 422
    assert len(_alerts(designer)) == 20


# ---------- Matching ----------


@pytest.mark.usefixtures("app")
def test_a_published_call_matching_an_alert_is_told_once(organiser: User, designer: User) -> None:
    poster = db.session.scalar(select(Discipline).order_by(Discipline.id))
    assert poster is not None
    services.create_alert(designer, AlertData(kind="residency", discipline_id=poster.id))
    services.create_alert(designer, AlertData(no_fee=True))  # matches the same call too
    db.session.commit()
    _publish(organiser, "Wrong kind", kind=CallKind.GRANT, disciplines=[poster], no_entry_fee=False)
    assert _told(designer) == []
    call = _publish(organiser, "Riverside residency", kind=CallKind.RESIDENCY, disciplines=[poster])
    assert _told(designer) == ["A new call matches your alert: “Riverside residency”."]
    (email,) = _alert_emails(designer)
    assert email.subject == "New call for you: “Riverside residency”"
    assert email.category == EmailCategory.REMINDERS
    # Matched and told once, whatever happens next.
    assert services.match_published_call(call) == 0
    db.session.commit()
    assert len(_told(designer)) == 1


@pytest.mark.usefixtures("app")
def test_country_and_fee_criteria(organiser: User, designer: User) -> None:
    services.create_alert(designer, AlertData(country="VN", no_fee=True))
    db.session.commit()
    _publish(organiser, "Only French", allowed_countries=["FR"])
    _publish(organiser, "Paid", no_entry_fee=False, entry_fee="200,000 ₫")
    _publish(organiser, "Vietnam welcome", allowed_countries=["VN", "TH"])
    _publish(organiser, "Everyone welcome")
    assert _told(designer) == [
        "A new call matches your alert: “Vietnam welcome”.",
        "A new call matches your alert: “Everyone welcome”.",
    ]


@pytest.mark.usefixtures("app")
def test_eligible_for_me_reads_the_designers_profile(organiser: User) -> None:
    mai = make_user(handle="mai-vn", country="VN")
    services.create_alert(mai, AlertData(eligible_for_me=True))
    db.session.commit()
    _publish(organiser, "Thai designers only", allowed_countries=["TH"])
    _publish(organiser, "For Vietnam", allowed_countries=["VN"])
    assert _told(mai) == ["A new call matches your alert: “For Vietnam”."]


@pytest.mark.usefixtures("app")
def test_email_preference_never_turns_the_alert_emails_off(organiser: User, designer: User) -> None:
    set_delivery(designer.id, {EmailCategory.REMINDERS: Delivery.NEVER})
    services.create_alert(designer, AlertData(kind="competition"))
    db.session.commit()
    _publish(organiser, "Poster contest")
    assert _told(designer) == ["A new call matches your alert: “Poster contest”."]
    assert _alert_emails(designer) == []


def _digest(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["notifications", "send-digests"])
    assert result.exit_code == 0, result.output


def test_daily_alerts_wait_for_the_daily_batch_and_go_once(
    app: Flask, organiser: User, designer: User
) -> None:
    services.create_alert(designer, AlertData(kind="competition", frequency=AlertFrequency.DAILY))
    db.session.commit()
    _publish(organiser, "First contest")
    _publish(organiser, "Second contest")
    assert _told(designer) == []
    assert db.session.scalar(select(func.count(AlertMatch.id))) == 2
    _digest(app)
    db.session.expire_all()
    assert _told(designer) == [
        "2 new calls match your alerts: see them in your feed or on the calls page."
    ]
    (email,) = _alert_emails(designer)
    assert email.subject == "2 new calls match your alerts"
    assert "First contest" in email.text_body
    assert "Second contest" in email.text_body
    _digest(app)  # again: nothing new
    db.session.expire_all()
    assert len(_told(designer)) == 1
    assert len(_alert_emails(designer)) == 1


@pytest.mark.usefixtures("app")
def test_the_organiser_is_not_told_of_their_own_call(organiser: User) -> None:
    services.create_alert(organiser, AlertData(kind="competition"))
    db.session.commit()
    _publish(organiser, "My own contest")
    assert _told(organiser) == []


def test_the_alerts_page_is_constant_in_queries(
    client: Client, designer: User, count_queries: Any
) -> None:
    disciplines = list(db.session.scalars(select(Discipline)))
    services.create_alert(designer, AlertData(discipline_id=disciplines[0].id))
    db.session.commit()
    client.login_as(designer)
    with count_queries() as small:
        assert client.get("/account/alerts").status_code == 200
    for i in range(18):
        services.create_alert(
            designer, AlertData(discipline_id=disciplines[i % len(disciplines)].id, no_fee=True)
        )
    db.session.commit()
    with count_queries() as large:
        page = _page(client, "/account/alerts")
    assert page.count('class="card alert-item"') == 19
    assert small.count == large.count


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("vi", ["Thông báo theo dõi", "Tạo thông báo theo dõi"]),
        ("fr", ["Alertes", "Créer l’alerte"]),
    ],
)
def test_the_pages_speak_the_persons_language(
    client: Client, designer: User, locale: str, words: list[str]
) -> None:
    designer.locale = locale
    db.session.commit()
    client.login_as(designer)
    page = _page(client, "/account/alerts")
    for word in words:
        assert word in page
    saved = _page(client, "/calls/saved")
    assert {"vi": "Cuộc gọi đã lưu", "fr": "Appels suivis"}[locale] in saved


def test_the_same_alert_twice_is_one_alert(client: Client, designer: User) -> None:
    client.login_as(designer)
    data = {"kind": "grant", "country": "VN", "frequency": "daily"}
    assert client.post_form("/account/alerts", data).status_code == 302
    again = client.post_form("/account/alerts", data)  # a double click
    assert again.status_code == 422
    assert "You already have an alert for exactly this." in again.get_data(as_text=True)
    assert len(_alerts(designer)) == 1


@pytest.mark.usefixtures("app")
def test_pending_people_are_told_and_suspended_ones_are_not(organiser: User) -> None:
    waiting = make_user(handle="waiting-one", status=UserStatus.PENDING)
    away = make_user(handle="away-one", status=UserStatus.SUSPENDED)
    for person in (waiting, away):
        services.create_alert(person, AlertData(kind="competition"))
    db.session.commit()
    _publish(organiser, "Open to newcomers")
    assert _told(waiting) == ["A new call matches your alert: “Open to newcomers”."]
    assert _told(away) == []
