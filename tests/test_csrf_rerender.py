"""An expired form (CSRF) shows the same page again, with a message and what was typed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.calls.models import Submission
from app.extensions import db
from app.messaging.models import Message
from app.portfolios.models import Project
from tests.calls.factories import make_call, make_project
from tests.conftest import Client
from tests.portfolios.factories import make_project as make_portfolio_project

KEPT = "This form had expired, so nothing was saved."


@pytest.mark.usefixtures("app")
def test_an_expired_application_is_shown_again_with_the_typed_statement(
    client: Client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Lantern posters")
    project = make_project(owner=designer)
    db.session.commit()
    client.login_as(designer)
    response = client.post(
        f"/calls/{call.slug}/apply",
        data={
            "csrf_token": "expired-token",
            "statement": "Tôi vẽ đèn lồng bằng giấy dó suốt mười năm.",
            "projects": [str(project.id)],
            "submit": "1",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert KEPT in page
    assert "Tôi vẽ đèn lồng bằng giấy dó suốt mười năm." in page
    assert 'name="csrf_token"' in page
    assert db.session.scalar(select(func.count(Submission.id))) == 0
    # The message was shown once, not again on the next page.
    assert KEPT not in client.get(f"/calls/{call.slug}").get_data(as_text=True)


@pytest.mark.usefixtures("app")
def test_the_fresh_token_on_the_page_sends_the_form(
    client: Client, organiser: User, designer: User
) -> None:
    client.login_as(designer)
    refused = client.post(
        f"/messages/new/{organiser.handle}",
        data={"csrf_token": "expired-token", "body": "Chào anh, em muốn hỏi về giải thưởng."},
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert KEPT in page
    assert "Chào anh, em muốn hỏi về giải thưởng." in page
    assert db.session.scalar(select(func.count(Message.id))) == 0
    sent = client.post_form(
        f"/messages/new/{organiser.handle}", {"body": "Chào anh, em muốn hỏi về giải thưởng."}
    )
    assert sent.status_code == 302
    assert db.session.scalar(select(func.count(Message.id))) == 1


@pytest.mark.usefixtures("app")
def test_a_form_without_a_page_of_its_own_explains_the_expiry(
    client: Client, designer: User
) -> None:
    client.login_as(designer)
    response = client.post("/auth/logout", data={"csrf_token": "expired-token"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The form expired or was sent from elsewhere" in page
    assert KEPT not in page


@pytest.mark.usefixtures("app")
def test_an_expired_image_list_shows_the_editor_again_with_the_typed_alt_text(
    client: Client, designer: User
) -> None:
    project = make_portfolio_project(designer, title="Đèn lồng", images=1, published=False)
    db.session.commit()
    image = project.images[0].id
    client.login_as(designer)
    response = client.post(
        f"/me/projects/{project.id}/images/manage",
        data={
            "csrf_token": "expired-token",
            "title": "Đèn lồng phố cổ",
            f"alt-{image}": "Giấy dó và tre",
            "action": "save",
        },
        headers={"Referer": f"http://localhost/me/projects/{project.id}"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert KEPT in page
    assert 'value="Giấy dó và tre"' in page
    assert 'value="Đèn lồng phố cổ"' in page
    db.session.expire_all()
    assert db.session.get(Project, project.id).title == "Đèn lồng"  # type: ignore[union-attr]
