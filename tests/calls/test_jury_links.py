"""A juror is told by email and finds their jury work by following links from the home page."""

from __future__ import annotations

import re
from html import unescape

import pytest

from app.accounts.models import AccountType, User
from app.extensions import db
from tests.calls.factories import make_call, make_juror, make_submission
from tests.factories import make_user

HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"[^>]*>(.*?)</a>', re.S)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def _follow(client, page: str, label: str) -> str:  # type: ignore[no-untyped-def]
    """Click the first link whose visible text holds `label`; return the page it opens."""
    for href, inner in HREF.findall(page):
        if label in unescape(re.sub(r"<[^>]+>", "", inner)):
            response = client.get(unescape(href))
            assert response.status_code == 200, href
            return _text(response)
    raise AssertionError(f"no link labelled {label!r}")


@pytest.mark.usefixtures("app")
def test_an_invited_juror_gets_an_email_in_their_language_and_accepts_before_reviewing(
    client, organiser: User, outbox: list
) -> None:
    call = make_call(owner=organiser, title="Áp phích Trung thu")
    juror = make_user(handle="juror-lan", display_name="Phạm Lan")
    juror.locale = "fr"
    db.session.commit()
    client.login_as(organiser)
    response = client.post_form(f"/calls/{call.slug}/jurors", {"invitee": "@juror-lan"})
    assert response.status_code == 302
    assert len(outbox) == 1
    email = outbox[0]
    assert email["To"] == juror.email
    assert email["Subject"] == "Une invitation au jury de « Áp phích Trung thu »"
    body = email.get_body(("plain",)).get_content()
    found = re.search(r"https://ydn\.example(/jury/invitations/\d+)", body)
    assert found, body
    assert "Phạm Lan" in body
    client.login_as(juror)
    # Not yet a juror: the applications stay closed until the invitation is accepted.
    assert client.get(f"/calls/{call.slug}/submissions").status_code == 404
    page = client.get(found.group(1))
    assert page.status_code == 200
    assert "Áp phích Trung thu" in _text(page)
    accepted = client.post_form(f"{found.group(1)}/accept")
    assert accepted.headers["Location"] == f"/calls/{call.slug}/submissions"
    applications = client.get(accepted.headers["Location"])
    assert applications.status_code == 200
    assert "Áp phích Trung thu" in _text(applications)


@pytest.mark.usefixtures("app")
def test_a_juror_reaches_the_review_page_from_the_home_page_by_links(
    client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Lantern posters", blind_review=False)
    juror = make_user(handle="juror-minh", account_type=AccountType.ORGANISER)
    make_juror(call=call, user=juror)
    make_submission(call=call, applicant=designer, statement="Đèn lồng giấy dó")
    db.session.commit()
    client.login_as(juror)
    home = _text(client.get("/"))
    mine = _follow(client, home, "My home")
    assert "1 waits for my score" in mine
    applications = _follow(client, mine, "Lantern posters")
    review = _follow(client, applications, "Nguyễn Thị Mai")
    assert "Đèn lồng giấy dó" in review
    assert 'name="score-' in review


@pytest.mark.usefixtures("app")
def test_a_juror_finds_the_review_work_from_the_call_page(
    client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Lantern posters")
    make_juror(call=call, user=designer)
    db.session.commit()
    client.login_as(designer)
    mine = _text(client.get("/me"))
    assert 'id="applications"' in mine
    assert 'id="jury"' in mine
    page = _text(client.get(f"/calls/{call.slug}"))
    assert "on this call’s jury" in page
    applications = _follow(client, page, "Review the applications")
    assert "Lantern posters" in applications


@pytest.mark.usefixtures("app")
def test_the_jury_link_is_only_for_jurors(client, organiser: User) -> None:
    client.login_as(organiser)
    home = _text(client.get("/"))
    assert ">Jury<" not in home
    assert "My applications" not in home
    mine = _text(client.get("/me"))
    assert "Juries I am on" not in mine
    assert "My applications" not in mine
