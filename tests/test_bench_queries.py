"""Every page the benchmark drives costs the same number of SQL statements, at most 8, whether
the network has a few designers or ten times as many (issue 18).

The data is the benchmark's own (bench/data.py), generated twice into the test database; each
page is opened as the benchmark opens it uncached (a logged-in designer unless the page needs
another account; the log-in page, the feed and an image as a visitor) and as a visitor.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from bench.data import generate
from bench.pages import PAGES
from tests.conftest import clean_tables

MAX_QUERIES = 8
# A page over the budget would be named here with its count, so that it cannot grow unnoticed;
# none is (issue 18: home was 15, the project and call pages 9).
OVER_BUDGET: dict[str, int] = {}


def statements_per_page(app: Flask, count_queries: Any, designers: int) -> dict[str, int]:
    clean_tables(app)
    with app.app_context():
        ctx = generate(designers)
        accounts = dict(db.session.execute(select(User.handle, User.id)).all())
    counts: dict[str, int] = {}
    for page in PAGES:
        if page.name == "baseline":  # served in bench mode only
            continue
        for who in {page.uncached_login, None} if page.cached else {page.uncached_login}:
            client = app.test_client()
            if who:
                with app.app_context():
                    client.login_as(db.session.get(User, accounts[who]))  # type: ignore[attr-defined]
            path = page.path(ctx)
            client.get(path).close()  # a first visit may write the session's last-seen time
            with count_queries() as q:
                response = client.get(path)
                body = response.get_data()
            assert response.status_code == 200, (path, who, response.status_code)
            assert body
            counts[f"{page.name} as {who or 'visitor'}"] = q.count
    return counts


def test_statements_per_page_stay_flat_and_small(app: Flask, count_queries: Any) -> None:
    small = statements_per_page(app, count_queries, 50)
    large = statements_per_page(app, count_queries, 500)
    clean_tables(app)
    assert large == small
    over = {name: n for name, n in small.items() if n > OVER_BUDGET.get(name, MAX_QUERIES)}
    assert not over, over
