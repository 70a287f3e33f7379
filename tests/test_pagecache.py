"""Micro-caching of public pages for logged-out visitors, and its generation number shared by
every process and machine (Redis, else the database)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import redis
from flask import Flask, url_for
from sqlalchemy import insert, update

from app import generations
from app.accounts.models import AccountType, StaffRole
from app.calls.models import OpenCall
from app.extensions import db
from app.portfolios.models import Project
from app.social.models import ProjectViewHit
from tests.calls.factories import make_call
from tests.conftest import CSRF_RE, Client
from tests.factories import PASSWORD, make_user
from tests.faults.conftest import closed_port
from tests.portfolios.factories import make_project
from tests.test_production import _redis_ready

REDIS = "redis://127.0.0.1:6379/0"


def client_for(app: Any) -> Client:
    app.test_client_class = Client
    return app.test_client()  # type: ignore[no-any-return]


def rename_behind_the_apps_back(app: Flask, call_id: int, title: str) -> None:
    """A change that does not go through the app (no generation bump): only the time to live
    could make it show, so a page still showing the old title was kept."""
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(db.update(OpenCall).where(OpenCall.id == call_id).values(title=title))


@pytest.fixture
def shared_settings(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """Where the generation lives for this run: the database, or Redis under a fresh prefix
    (removed afterwards)."""
    if request.param == "database":
        yield {"REDIS_URL": ""}
        return
    if not _redis_ready():
        pytest.skip("needs Redis on 127.0.0.1:6379")
    prefix = f"ydn-test-{uuid.uuid4().hex[:12]}"
    yield {"REDIS_URL": REDIS, "RATELIMIT_KEY_PREFIX": prefix}
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_visitors_get_the_kept_page_with_their_own_csrf_token(make_app: Any) -> None:
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        owner = make_user(handle="cache-org", account_type=AccountType.ORGANISER)
        call = make_call(owner=owner, title="Triển lãm mùa thu")
        db.session.commit()
        call_id = call.id
    first, second = client_for(app), client_for(app)
    page_a = first.get("/calls").get_data(as_text=True)
    assert "Triển lãm mùa thu" in page_a
    rename_behind_the_apps_back(app, call_id, "Đổi tên")
    page_b = second.get("/calls").get_data(as_text=True)
    assert "Đổi tên" not in page_b  # the kept page, a few seconds old
    token_a, token_b = CSRF_RE.search(page_a), CSRF_RE.search(page_b)
    assert token_a
    assert token_b
    assert token_a.group(0) != token_b.group(0)
    switched = second.post_form("/language", {"language": "fr", "next": "/calls"})
    assert switched.status_code == 302  # the visitor's own token works
    # A successful POST clears the kept pages: the change shows at once.
    assert "Đổi tên" in first.get("/calls").get_data(as_text=True)


def test_a_change_committed_anywhere_is_seen_at_once(make_app: Any) -> None:
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        owner = make_user(handle="cache-org2", account_type=AccountType.ORGANISER)
        make_call(owner=owner, title="Triển lãm mùa thu")
        db.session.commit()
    visitor = client_for(app)
    assert "Triển lãm mùa thu" in visitor.get("/calls").get_data(as_text=True)
    with app.app_context():
        # A command or a background job: no request, no POST; the commit alone moves it on.
        db.session.execute(db.update(OpenCall).values(title="Ngày hội thiết kế"))
        db.session.commit()
    assert "Ngày hội thiết kế" in visitor.get("/calls").get_data(as_text=True)


def test_an_abandoned_change_keeps_the_pages(make_app: Any) -> None:
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        make_user(handle="cache-org3")
        db.session.commit()
        before = generations.read("pages")
        make_user(handle="never-saved")
        db.session.flush()
        db.session.rollback()
        assert generations.read("pages") == before
        db.session.commit()  # nothing written since: nothing to bump
        assert generations.read("pages") == before


@pytest.mark.parametrize("shared_settings", ["database", "redis"], indirect=True)
def test_two_app_instances_share_the_generation(
    make_app: Any, shared_settings: dict[str, Any]
) -> None:
    """Two web processes (two apps, each with its own kept pages): a change committed by one
    is obeyed by the other on its very next response, not after the time to live."""
    settings = shared_settings
    one = make_app(PAGE_CACHE_SECONDS=60, **settings)
    other = make_app(PAGE_CACHE_SECONDS=60, **settings)
    with one.app_context():
        owner = make_user(handle="cache-org4", account_type=AccountType.ORGANISER)
        call = make_call(owner=owner, title="Triển lãm mùa thu")
        db.session.commit()
        call_id = call.id
    assert "Triển lãm mùa thu" in client_for(other).get("/calls").get_data(as_text=True)
    rename_behind_the_apps_back(one, call_id, "Tên tạm")
    assert "Tên tạm" not in client_for(other).get("/calls").get_data(as_text=True)  # kept
    with one.app_context():
        db.session.execute(
            db.update(OpenCall).where(OpenCall.id == call_id).values(title="Mùa xuân")
        )
        db.session.commit()
    assert "Mùa xuân" in client_for(other).get("/calls").get_data(as_text=True)
    with one.app_context():
        assert generations.read("pages") is not None
    if settings["REDIS_URL"]:
        with one.app_context():
            generations._redis(one).delete(  # type: ignore[union-attr]
                generations._redis_key(one, "pages")
            )
        # Redis restarted empty: the number starts again far above any it handed out.
        rename_behind_the_apps_back(one, call_id, "Sau khi khởi động lại")
        page = client_for(other).get("/calls").get_data(as_text=True)
        assert "Sau khi khởi động lại" in page


def test_pages_are_rendered_afresh_while_redis_is_down(
    make_app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(PAGE_CACHE_SECONDS=60, REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    with app.app_context():
        owner = make_user(handle="cache-org5", account_type=AccountType.ORGANISER)
        call = make_call(owner=owner, title="Triển lãm mùa thu")
        db.session.commit()
        call_id = call.id
    visitor = client_for(app)
    with caplog.at_level(logging.WARNING):
        assert visitor.get("/calls").status_code == 200
        rename_behind_the_apps_back(app, call_id, "Đổi tên")
        # No number to compare with: nothing is served from a copy that might be stale.
        assert "Đổi tên" in visitor.get("/calls").get_data(as_text=True)
    assert "generation pages unknown" in caplog.text


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


def test_visitors_reading_pages_never_move_the_generation(make_app: Any) -> None:
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        person = make_user(handle="cache-reader", display_name="Trần Văn Minh")
        project = make_project(person, title="Gốm Bát Tràng")
        owner = make_user(handle="cache-org6", account_type=AccountType.ORGANISER)
        call = make_call(owner=owner, title="Triển lãm mùa thu")
        db.session.commit()
        with app.test_request_context():
            pages = [
                url_for("main.home"),
                url_for("portfolios.directory"),
                url_for("portfolios.portfolio", handle=person.handle),
                url_for("portfolios.project", handle=person.handle, slug=project.slug),
                url_for("calls.index"),
                url_for("calls.detail", slug=call.slug),
                url_for("calls.organiser", handle=owner.handle),
                url_for("organisations.directory"),
                url_for("search.results", q="gom"),
            ]
        before = generations.read("pages")
    visitor = client_for(app)
    for page in pages:
        assert visitor.get(page, follow_redirects=True).status_code == 200, page
        assert visitor.get(page, follow_redirects=True).status_code == 200, page
    with app.app_context():
        assert generations.read("pages") == before


def test_logging_in_keeps_the_pages_and_a_hide_drops_them(make_app: Any) -> None:
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        person = make_user(handle="cache-login", display_name="Đỗ Minh Châu")
        moderator = make_user(handle="cache-mod", staff_role=StaffRole.MODERATOR)
        project = make_project(person, title="Nón lá")
        db.session.commit()
        email, project_id = person.email, project.id
        before = generations.read("pages")
    browser = client_for(app)
    logged_in = browser.post_form("/auth/login", {"email": email, "password": PASSWORD})
    assert logged_in.status_code == 302
    assert "Đỗ Minh Châu" in browser.get("/me").get_data(as_text=True)
    with app.app_context():
        assert generations.read("pages") == before  # a session row: never on a public page
        staff = client_for(app)
        staff.login_as(db.session.merge(moderator))
    hidden = staff.post_form(
        f"/moderation/targets/project/{project_id}/hide", {"hide-reason": "Copied work."}
    )
    assert hidden.status_code == 302
    with app.app_context():
        assert generations.read("pages") != before


def test_a_write_through_a_table_counts_as_a_write_to_that_table(make_app: Any) -> None:
    """A statement may name a table rather than its class (an INSERT … SELECT of view hits):
    a write to a public table still moves the generation, one to a quiet table still not."""
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        project = make_project(make_user(handle="table-writer"), title="Lụa Hà Đông")
        db.session.commit()
        before = generations.read("pages")
        db.session.execute(
            insert(ProjectViewHit.__table__).values(
                day=date(2026, 11, 30), project_id=project.id, visitor="v"
            )
        )
        db.session.commit()
        assert generations.read("pages") == before
        db.session.execute(
            update(Project.__table__).where(Project.id == project.id).values(title="Lụa mới")
        )
        db.session.commit()
        assert generations.read("pages") != before
