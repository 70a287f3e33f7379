"""Micro-caching of public pages for logged-out visitors."""

from __future__ import annotations

from typing import Any

from app.accounts.models import AccountType
from app.calls.models import OpenCall
from app.extensions import db
from tests.calls.factories import make_call
from tests.conftest import CSRF_RE, Client
from tests.factories import make_user


def client_for(app: Any) -> Client:
    app.test_client_class = Client
    return app.test_client()  # type: ignore[no-any-return]


def test_visitors_get_the_kept_page_with_their_own_csrf_token(make_app: Any) -> None:
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        owner = make_user(handle="cache-org", account_type=AccountType.ORGANISER)
        call = make_call(owner=owner, title="Triển lãm mùa thu")
        db.session.commit()
        first, second = client_for(app), client_for(app)
        page_a = first.get("/calls").get_data(as_text=True)
        assert "Triển lãm mùa thu" in page_a
        db.session.execute(
            db.update(OpenCall).where(OpenCall.id == call.id).values(title="Đổi tên")
        )
        db.session.commit()
        page_b = second.get("/calls").get_data(as_text=True)
        assert "Triển lãm mùa thu" in page_b  # the kept page, a few seconds old
        token_a, token_b = CSRF_RE.search(page_a), CSRF_RE.search(page_b)
        assert token_a
        assert token_b
        assert token_a.group(0) != token_b.group(0)
        switched = second.post_form("/language", {"language": "fr", "next": "/calls"})
        assert switched.status_code == 302  # the visitor's own token works
        # A successful POST clears the kept pages: the change shows at once.
        assert "Đổi tên" in first.get("/calls").get_data(as_text=True)


def test_logged_in_people_and_flashed_messages_are_never_cached(make_app: Any) -> None:
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        person = make_user(handle="cache-person")
        db.session.commit()
        client_for(app).get("/")
        member = client_for(app)
        member.login_as(person)
        assert person.display_name in member.get("/").get_data(as_text=True)
        member.post_form("/auth/logout")
        assert "You are logged out." in member.get("/").get_data(as_text=True)
        assert "You are logged out." not in client_for(app).get("/").get_data(as_text=True)
