"""Redis refusing connections: people still log in, sign up, reset and message; the limits
count in the process meanwhile (with a logged error) and /readyz names Redis."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db, limiter
from app.messaging.models import Message
from tests.conftest import Client
from tests.factories import PASSWORD, make_user
from tests.faults.conftest import closed_port
from tests.messaging.factories import converse
from tests.test_production import _redis_ready


@pytest.fixture
def redis_down(make_app: Any) -> Iterator[Flask]:
    """Limits on, stored in a Redis that refuses every connection."""
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{closed_port()}/0",
        RATELIMIT_KEY_PREFIX="ydn-faults-redis-down",
    )
    app.test_client_class = Client
    with app.app_context():
        yield app
        db.session.remove()
    # The limiter object outlives the app: leave it as the next test expects it.
    app.config["RATELIMIT_ENABLED"] = False
    limiter._storage_dead = False


def test_log_in_works_and_the_outage_is_logged(
    redis_down: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    user = make_user(handle="mai", display_name="Nguyễn Thị Mai")
    db.session.commit()
    client: Client = redis_down.test_client()  # type: ignore[assignment]

    with caplog.at_level(logging.WARNING):
        response = client.post_form(
            "/auth/login", {"email": user.email, "password": PASSWORD}, follow_redirects=True
        )

    assert response.status_code == 200
    assert "Nguyễn Thị Mai" in response.get_data(as_text=True)
    assert "Rate limit storage unreachable" in caplog.text


def test_sign_up_and_reset_work(redis_down: Flask) -> None:
    outbox = redis_down.extensions["mail_backend"].outbox
    client: Client = redis_down.test_client()  # type: ignore[assignment]
    signed_up = client.post_form(
        "/auth/signup",
        {
            "account_type": "designer",
            "display_name": "Trần Văn An",
            "handle": "tran-an",
            "email": "an@example.org",
            "password": "lacquer and silk 2019",
        },
        follow_redirects=True,
    )
    assert "We sent a link to an@example.org" in signed_up.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.handle == "tran-an")) is not None

    other: Client = redis_down.test_client()  # type: ignore[assignment]
    reset = other.post_form("/auth/reset", {"email": "an@example.org"}, follow_redirects=True)
    assert reset.status_code == 200
    assert [m["To"] for m in outbox] == ["an@example.org", "an@example.org"]
    assert "/auth/reset/" in outbox[1].get_body(("plain",)).get_content()


def test_limits_still_hold_in_the_process(redis_down: Flask) -> None:
    """Failing open is not failing off: the log-in limit per address still stops a flood."""
    client: Client = redis_down.test_client()  # type: ignore[assignment]
    codes = [
        client.post_form(
            "/auth/login", {"email": f"x{i}@example.org", "password": "wrong password"}
        ).status_code
        for i in range(21)
    ]
    assert 429 not in codes[:20]
    assert codes[20] == 429


def test_messages_are_sent_and_limited_in_the_process(
    redis_down: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    mai, an = make_user(handle="mai"), make_user(handle="an")
    conversation = converse(an, mai, "Chào")
    client: Client = redis_down.test_client()  # type: ignore[assignment]
    client.login_as(mai)
    url = f"/messages/{conversation.public_id}"

    with caplog.at_level(logging.ERROR, logger="app.ratelimit"):
        for i in range(20):
            sent = client.post_form(url, {"body": f"tin {i}", "token": f"r{i}"})
            assert sent.status_code == 302
    refused = client.post_form(url, {"body": "Tin thứ 21 vẫn còn đây", "token": "r20"})

    assert "rate limit storage unreachable" in caplog.text
    assert "Tin thứ 21 vẫn còn đây</textarea>" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Message)) == 21


def test_readyz_names_redis_and_healthz_stays_up(redis_down: Flask) -> None:
    client = redis_down.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["failing"] == ["redis"]
    assert "redis unavailable" in ready.get_json()["status"]
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_is_ready_with_a_live_redis(make_app: Any) -> None:
    if not _redis_ready():
        pytest.skip("needs Redis on 127.0.0.1:6379")
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
        RATELIMIT_KEY_PREFIX=f"ydn-faults-ready-{uuid.uuid4().hex[:8]}",
    )
    assert app.test_client().get("/readyz").get_json() == {"status": "ok"}
    app.config["RATELIMIT_ENABLED"] = False  # no reset: it would clear every prefix in Redis
