"""Guessing a password is stopped, but a stranger cannot lock the owner out of their account.

Failures only are counted (per account). A browser that logged in to the account before, or
that completed a password reset for it, carries a signed device cookie and has its own
failure counter instead. The per-address limit still applies to everyone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from app.accounts.models import User
from app.extensions import db
from tests.accounts.test_views import link_in, login, path_of
from tests.conftest import Client
from tests.factories import PASSWORD, make_user

WRONG = "not the right password"
LOCKED = "Too many failed log-ins for this account"


@pytest.fixture
def limited(make_app: Any) -> Iterator[Flask]:
    application = make_app(RATELIMIT_ENABLED=True)
    application.test_client_class = Client
    with application.app_context():
        yield application
        db.session.remove()


@pytest.fixture
def owner(limited: Flask) -> User:  # noqa: ARG001  (made in the rate-limited app's context)
    user = make_user(handle="owner", email="owner@example.org")
    db.session.commit()
    return user


def new_client(app: Flask) -> Client:
    return app.test_client()  # type: ignore[return-value]


def exhaust(client: Client, email: str) -> list[int]:
    return [login(client, email, WRONG).status_code for _ in range(9)]


def test_successful_log_ins_are_not_counted(limited: Flask, owner: User) -> None:
    client = new_client(limited)
    for _ in range(10):
        assert login(client, owner.email).status_code == 302
        client.post_form("/auth/logout")
    assert login(client, owner.email).status_code == 302


def test_the_right_password_is_refused_once_strangers_failed_too_often(
    limited: Flask, owner: User
) -> None:
    attacker = new_client(limited)
    assert exhaust(attacker, owner.email) == [401] * 8 + [429]

    refused = login(attacker, owner.email, PASSWORD)

    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert LOCKED in page
    assert 'value="owner@example.org"' in page  # what the person typed stays
    assert "Welcome back" not in page


def test_the_owner_on_a_device_they_used_before_still_gets_in(limited: Flask, owner: User) -> None:
    phone = new_client(limited)
    assert login(phone, owner.email).status_code == 302
    cookie = phone.get_cookie("ydn_device", path="/auth/")
    assert cookie is not None
    assert cookie.http_only
    phone.post_form("/auth/logout")

    attacker = new_client(limited)
    assert exhaust(attacker, owner.email)[-1] == 429

    welcome = login(phone, owner.email, follow_redirects=True)
    assert "Welcome back, " in welcome.get_data(as_text=True)
    assert login(attacker, owner.email, PASSWORD).status_code == 429


def test_a_device_cookie_counts_its_own_failures(limited: Flask, owner: User) -> None:
    phone = new_client(limited)
    login(phone, owner.email)
    phone.post_form("/auth/logout")

    assert exhaust(phone, owner.email) == [401] * 8 + [429]
    assert login(phone, owner.email).status_code == 429
    # The account's own counter was not used up by the device: a fresh browser may still try.
    assert login(new_client(limited), owner.email).status_code == 302


def test_a_device_cookie_for_another_account_or_forged_does_not_help(
    limited: Flask, owner: User
) -> None:
    other = make_user(handle="other", email="other@example.org")
    db.session.commit()
    browser = new_client(limited)
    login(browser, other.email)
    browser.post_form("/auth/logout")
    assert exhaust(browser, owner.email)[-1] == 429
    assert login(browser, owner.email).status_code == 429

    forged = new_client(limited)
    forged.set_cookie("ydn_device", "eyJ1IjoxLCJkIjoieCJ9.forged.sig", path="/auth/")
    assert login(forged, owner.email).status_code == 429


def test_a_completed_reset_lets_the_owner_in_and_the_attacker_stays_out(
    limited: Flask, owner: User
) -> None:
    outbox = limited.extensions["mail_backend"].outbox
    attacker = new_client(limited)
    assert exhaust(attacker, owner.email)[-1] == 429

    laptop = new_client(limited)
    assert login(laptop, owner.email).status_code == 429
    laptop.post_form("/auth/reset", {"email": owner.email})
    path = path_of(link_in(outbox[-1]))
    done = laptop.post_form(
        path, {"password": "a brand new secret", "confirm": "a brand new secret"}
    )
    assert done.headers["Location"] == "/auth/login"

    welcome = login(laptop, owner.email, "a brand new secret", follow_redirects=True)
    assert "Welcome back, " in welcome.get_data(as_text=True)
    assert login(attacker, owner.email, "a brand new secret").status_code == 429


def test_the_per_address_limit_still_applies(limited: Flask, owner: User) -> None:
    client = new_client(limited)
    statuses = [login(client, f"someone{i}@example.org", WRONG).status_code for i in range(21)]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429
    # From that address, even the owner with the right password waits.
    assert login(client, owner.email).status_code == 429
