"""Every POST route refuses a request without a CSRF token; no GET route changes a row."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from tests.conftest import Client
from tests.permissions import Route, all_routes
from tests.test_permission_matrix import build_world

# POST routes that take no CSRF token, and why (each is `csrf.exempt` in its view).
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: a mail client POSTs `List-Unsubscribe=One-Click` to the
    # link of the email's List-Unsubscribe header, with no cookie and no token of ours. The
    # signed token in the URL (salt of its own, names one person and one category, can only
    # turn emails off) stands in for the CSRF token; tests/notifications/test_email_preferences.py
    # checks that a tampered one changes nothing.
    "email_preferences.unsubscribe": "app.notifications.preference_views.unsubscribe",
}
POSTS = [r for r in all_routes() if r.method == "POST" and r.endpoint not in CSRF_EXEMPT]
# Reading a conversation records how far the reader has read: an update of read state on GET,
# as mail clients do. Only those tables may change, and only by updating rows they have.
READ_RECEIPTS = {
    "messaging.conversation": {"conversation_participants"},
    "messaging.poll": {"conversation_participants"},
}
# Opening a project's page counts a view (app/social/viewcount.py): without Redis, the day's
# salt and the visitor's salted hash are added to these tables; nothing else changes.
VIEW_COUNTS = {"portfolios.project": {"view_salts", "project_view_hits"}}
GETS = [r for r in all_routes() if r.method == "GET"]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    db.session.expire_all()
    with db.engine.connect() as conn:
        return {
            table.name: sorted(map(tuple, conn.execute(table.select()).all()), key=repr)
            for table in db.metadata.sorted_tables
        }


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r.endpoint)
def test_post_without_csrf_token_is_refused_and_changes_nothing(app: Flask, route: Route) -> None:
    world = build_world()
    app.test_client_class = Client
    for role in ("anonymous", "member", "admin"):
        client: Client = app.test_client()  # type: ignore[assignment]
        if role != "anonymous":
            client.login_as(world.users[role])
        before = snapshot()
        data = route.data(world) if route.data else {}
        response = client.post(route.path(world), data=data)
        assert response.status_code == 400, f"{role}: {route.method} {route.path(world)}"
        assert snapshot() == before


def test_the_only_views_exempt_from_csrf_are_the_documented_ones(app: Flask) -> None:
    exempt = app.extensions["csrf"]._exempt_views
    assert exempt == set(CSRF_EXEMPT.values())
    assert {
        app.view_functions[e].__module__ + "." + app.view_functions[e].__name__ for e in CSRF_EXEMPT
    } == exempt


@pytest.mark.parametrize("route", GETS, ids=lambda r: r.endpoint)
def test_get_changes_no_rows(app: Flask, route: Route) -> None:
    world = build_world()
    app.test_client_class = Client
    for role in ("anonymous", "member", "organiser", "moderator"):
        client: Client = app.test_client()  # type: ignore[assignment]
        if role != "anonymous":
            client.login_as(world.users[role])
        path = route.path(world)
        before = snapshot()
        client.get(path)
        after = snapshot()
        for table in READ_RECEIPTS.get(route.endpoint, set()):
            assert len(after[table]) == len(before[table]), f"GET {path} added or removed {table}"
            before[table] = after[table]
        for table in VIEW_COUNTS.get(route.endpoint, set()):
            assert set(before[table]) <= set(after[table]), f"GET {path} removed {table} rows"
            before[table] = after[table]
        assert after == before, f"GET {path} as {role} changed rows"
