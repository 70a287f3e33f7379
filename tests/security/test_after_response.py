"""Headers on static files, the key prefix on hand-counted limits, emails after the response."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask

from app.extensions import db, limiter
from app.jobs import after_response
from app.messaging import limits
from tests.conftest import Client
from tests.factories import make_user


def test_the_reset_email_goes_out_only_after_the_answer(
    client: Client, designer: Any, outbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(after_response, "CLOSE_GRACE_SECONDS", 60)  # the close comes first
    token = client.csrf_token()

    response = client.post(
        "/auth/reset", data={"email": designer.email, "csrf_token": token}, buffered=False
    )

    # The page is ready (and the same for any address) while nothing has been sent yet.
    assert "a link to reset its password is on its way" in response.get_data(as_text=True)
    assert outbox == []
    response.close()  # what the server does once the answer has gone out
    assert [m["To"] for m in outbox] == [designer.email]


def _join_watchdogs() -> None:
    for thread in threading.enumerate():
        if thread.name == after_response.WATCHDOG_NAME:
            thread.join(timeout=10)


def test_an_answer_whose_close_never_comes_still_sends_its_email_once(
    client: Client, designer: Any, outbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Werkzeug's server skips the close when the browser resets the connection: the email
    # sat in the outbox until another request queued one. The watchdog sends it.
    monkeypatch.setattr(after_response, "CLOSE_GRACE_SECONDS", 0.01)
    token = client.csrf_token()

    response = client.post(
        "/auth/reset", data={"email": designer.email, "csrf_token": token}, buffered=False
    )
    assert response.status_code == 200
    _join_watchdogs()  # no close: the watchdog delivers
    assert [m["To"] for m in outbox] == [designer.email]

    response.close()  # a late close finds nothing left to send: no second copy
    _join_watchdogs()
    assert [m["To"] for m in outbox] == [designer.email]


def test_static_files_carry_nosniff(client: Client) -> None:
    response = client.get("/static/robots.txt")
    if response.status_code == 404:
        name = next(iter(client.application.extensions["static_manifest"].values()))
        response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers


def test_static_files_carry_hsts_in_production(make_app: Any) -> None:
    app = make_app(HSTS=True)
    name = next(iter(app.extensions["static_manifest"].values()))
    response = app.test_client().get(f"/static/{name}", buffered=True)
    response.close()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_messaging_limits_are_kept_under_the_key_prefix(make_app: Any) -> None:
    app: Flask = make_app(RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX="site-one")
    with app.app_context():
        user = make_user(handle="prefixed")
        db.session.commit()
        limits.record("message", user)
        storage = limiter.storage
        keys = [k for k in getattr(storage, "events", {}) if "messaging" in k]
        assert keys
        assert all(k.startswith("LIMITER/site-one/messaging/") for k in keys)
        db.session.remove()
