"""Message and Report an organiser or a call from their pages, by following the buttons."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.moderation.models import Report
from tests.calls.factories import make_call

HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"[^>]*>(.*?)</a>', re.S)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def _link(page: str, label: str) -> str | None:
    for href, inner in HREF.findall(page):
        if label in unescape(re.sub(r"<[^>]+>", "", inner)):
            return unescape(href)
    return None


@pytest.mark.usefixtures("app")
def test_a_designer_messages_and_reports_an_organiser_from_their_page(
    client, organiser: User, designer: User
) -> None:
    client.login_as(designer)
    page = _text(client.get(f"/organisers/{organiser.handle}"))
    message = _link(page, "Message the organiser")
    assert message == f"/messages/new/{organiser.handle}"
    assert 'name="body"' in _text(client.get(message))
    report = _link(page, "Report")
    assert report is not None
    assert report.startswith(f"/report/profile/{organiser.id}")
    form = client.get(report)
    assert "Hanoi Creative Design Centre" in _text(form) or organiser.display_name in _text(form)
    done = client.post_form(report, {"reason": "scam", "details": "Asks for a fee by bank."})
    assert done.status_code == 302
    assert done.location.endswith(f"/organisers/{organiser.handle}")
    row = db.session.scalar(select(Report))
    assert row is not None
    assert row.target_type == "profile"
    assert row.target_id == organiser.id


@pytest.mark.usefixtures("app")
def test_a_designer_messages_and_reports_a_call_from_its_page(
    client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Lantern posters")
    db.session.commit()
    client.login_as(designer)
    page = _text(client.get(f"/calls/{call.slug}"))
    assert _link(page, "Message the organiser") == f"/messages/new/{organiser.handle}"
    report = _link(page, "Report")
    assert report is not None
    assert report.startswith(f"/report/call/{call.id}")
    assert "Lantern posters" in _text(client.get(report))


@pytest.mark.usefixtures("app")
def test_the_organiser_sees_neither_button_on_their_own_pages(client, organiser: User) -> None:
    call = make_call(owner=organiser)
    db.session.commit()
    client.login_as(organiser)
    for url in (f"/organisers/{organiser.handle}", f"/calls/{call.slug}"):
        page = _text(client.get(url))
        assert _link(page, "Message the organiser") is None
        assert _link(page, "Report") is None
    assert client.get(f"/report/call/{call.id}").status_code == 403


@pytest.mark.usefixtures("app")
def test_a_visitor_is_offered_to_log_in_and_no_report_link(client, organiser: User) -> None:
    page = _text(client.get(f"/organisers/{organiser.handle}"))
    login = _link(page, "Log in to message the organiser")
    assert login is not None
    assert login.startswith("/auth/login?next=")
    assert _link(page, "Report") is None


@pytest.mark.usefixtures("app")
def test_a_pending_designer_may_report_but_not_message(
    client, organiser: User, pending_designer: User
) -> None:
    client.login_as(pending_designer)
    page = _text(client.get(f"/organisers/{organiser.handle}"))
    assert _link(page, "Message the organiser") is None
    assert client.get(f"/messages/new/{organiser.handle}").status_code == 403
    assert _link(page, "Report") is not None
