"""Views of projects: once per visitor per day, no robots, not the owner, before the page
cache, the same on every web machine, aggregated daily; the owner sees the numbers."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import redis
import time_machine
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.social import viewcount
from app.social.models import ProjectViewDay, ProjectViewHit, ViewSalt
from tests.conftest import Client
from tests.factories import make_user
from tests.portfolios.factories import make_project

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1"
URL = "/designers/mai-nguyen/projects/den-long"


def visit(app: Flask, agent: str, address: str = "203.0.113.7") -> int:
    client = app.test_client()
    response = client.get(URL, headers={"User-Agent": agent}, environ_base={"REMOTE_ADDR": address})
    return int(response.status_code)


def views(project_id: int) -> int:
    db.session.expire_all()
    return viewcount.view_counts([project_id])[project_id]


@pytest.fixture
def project(designer: User) -> int:
    made = make_project(designer, title="Đèn lồng", slug="den-long")
    db.session.commit()
    return made.id


def test_each_visitor_counts_once_a_day_robots_and_the_owner_never(
    app: Flask, designer: User, project: int
) -> None:
    assert visit(app, FIREFOX) == 200
    assert visit(app, FIREFOX) == 200  # the same visitor again: still one
    assert views(project) == 1
    visit(app, SAFARI)  # another browser on the same address is another visitor
    visit(app, FIREFOX, address="198.51.100.20")
    assert views(project) == 3
    for robot in ("Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0", ""):
        visit(app, robot)
    assert views(project) == 3

    owner: Client = app.test_client()  # type: ignore[assignment]
    owner.login_as(designer)
    page = owner.get(URL, headers={"User-Agent": FIREFOX}).get_data(as_text=True)
    assert "3 views" in page
    assert "3 views" in owner.get("/me/projects").get_data(as_text=True)
    assert views(project) == 3
    # Only hashes are kept, never an address or a user agent.
    stored = " ".join(db.session.scalars(select(ProjectViewHit.visitor)))
    assert "203.0.113.7" not in stored
    assert "Firefox" not in stored
    # Visitors do not see the count.
    assert "3 views" not in app.test_client().get(URL).get_data(as_text=True)


def test_drafts_and_missing_projects_are_not_counted(app: Flask, designer: User) -> None:
    make_project(designer, title="Nháp", slug="nhap", published=False)
    db.session.commit()
    app.test_client().get("/designers/mai-nguyen/projects/nhap", headers={"User-Agent": FIREFOX})
    app.test_client().get("/designers/mai-nguyen/projects/none", headers={"User-Agent": FIREFOX})
    assert db.session.scalar(select(func.count()).select_from(ProjectViewHit)) == 0


def test_a_page_served_from_the_page_cache_is_counted(make_app: Any) -> None:
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        owner = make_user(handle="mai-nguyen")
        made = make_project(owner, title="Đèn lồng", slug="den-long")
        db.session.commit()
        visit(app, FIREFOX)
        visit(app, SAFARI)  # served from the cache
        assert views(made.id) == 2


def test_the_daily_aggregation_keeps_counts_and_forgets_visitors_and_the_salt(
    app: Flask, project: int
) -> None:
    visit(app, FIREFOX)
    visit(app, SAFARI)
    assert db.session.scalar(select(func.count()).select_from(ViewSalt)) == 1
    with time_machine.travel(utcnow() + timedelta(days=1)):
        result = app.test_cli_runner().invoke(args=["social", "aggregate-views"])
        assert result.exit_code == 0, result.output
        assert "daily view counts written: 1" in result.output
        assert views(project) == 2
        assert db.session.scalar(select(func.count()).select_from(ProjectViewHit)) == 0
        assert db.session.scalar(select(func.count()).select_from(ViewSalt)) == 0
        # The same visitor on a new day is counted again, with a new salt.
        visit(app, FIREFOX)
        assert views(project) == 3
        again = app.test_cli_runner().invoke(args=["social", "aggregate-views"])
        assert "written: 0" in again.output  # today is not finished: nothing to do
    days = db.session.execute(select(ProjectViewDay.day, ProjectViewDay.views)).all()
    assert [n for _day, n in days] == [2]


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    prefix = f"test-views-{secrets.token_hex(4)}"
    yield prefix
    client = redis.Redis.from_url("redis://127.0.0.1:6379/9")
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_every_web_machine_counts_the_same_with_redis(make_app: Any, redis_prefix: str) -> None:
    settings = {"VIEWS_REDIS_URL": "redis://127.0.0.1:6379/9", "VIEWS_KEY_PREFIX": redis_prefix}
    one, two = make_app(**settings), make_app(**settings)
    with one.app_context():
        owner = make_user(handle="mai-nguyen")
        made = make_project(owner, title="Đèn lồng", slug="den-long")
        db.session.commit()
        visit(one, FIREFOX)
        visit(two, FIREFOX)  # the same visitor reaching the other machine
        visit(two, SAFARI)
        assert views(made.id) == 2
        assert db.session.scalar(select(func.count()).select_from(ProjectViewHit)) == 0
        store = redis.Redis.from_url("redis://127.0.0.1:6379/9")
        with time_machine.travel(utcnow() + timedelta(days=1)):
            result = one.test_cli_runner().invoke(args=["social", "aggregate-views"])
            assert "written: 1" in result.output
            assert views(made.id) == 2
            assert list(store.scan_iter(f"{redis_prefix}:*")) == []  # visitors and salt gone
            # Run again: nothing counted twice.
            one.test_cli_runner().invoke(args=["social", "aggregate-views"])
            assert views(made.id) == 2
        store.close()
    for machine in (one, two):
        machine.extensions["views_redis"].close()


def test_bot_user_agents_are_recognised() -> None:
    assert viewcount.is_bot("Mozilla/5.0 (compatible; bingbot/2.0)")
    assert viewcount.is_bot("facebookexternalhit/1.1")
    assert viewcount.is_bot("python-requests/2.32")
    assert not viewcount.is_bot(FIREFOX)
    assert not viewcount.is_bot(SAFARI)
