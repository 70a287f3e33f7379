"""Accounts through the test client, valid and hostile (CSRF is on)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from argon2 import PasswordHasher
from flask import Flask

from app.accounts import passwords, services
from app.accounts.models import StaffRole, User, UserSession, UserStatus
from app.accounts.tokens import make_token
from app.db_types import utcnow
from app.extensions import db
from tests.conftest import CSRF_RE, Client
from tests.factories import PASSWORD, make_user

SIGNUP = {
    "account_type": "designer",
    "display_name": "Nguyễn Thị Mai",
    "handle": "mai-nguyen",
    "email": "Mai@Example.org",
    "password": "lacquer and silk 2019",
}


def link_in(message: Any) -> str:
    body = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://\S+", body)
    assert match, body
    return match.group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def user_by_handle(handle: str) -> User:
    db.session.expire_all()
    user = db.session.scalar(db.select(User).where(User.handle == handle))
    assert user is not None
    return user


# ---------- sign-up ----------


def test_signup_creates_a_pending_account_and_sends_the_verification_link(
    client: Client, outbox: list[Any]
) -> None:
    response = client.post_form("/auth/signup", SIGNUP, follow_redirects=True)
    assert "We sent a link to mai@example.org" in response.get_data(as_text=True)
    user = user_by_handle("mai-nguyen")
    assert user.email == "mai@example.org"
    assert user.status == UserStatus.PENDING
    assert user.designer_profile is not None
    assert user.email_verified_at is None
    assert [m["To"] for m in outbox] == ["mai@example.org"]
    # Links are built from PUBLIC_BASE_URL, never from the request's Host.
    assert link_in(outbox[0]).startswith("https://ydn.example/auth/verify/")


def test_signup_link_uses_public_base_url_whatever_the_host_header(
    client: Client, outbox: list[Any]
) -> None:
    page = client.get("/", base_url="http://evil.example").get_data(as_text=True)
    token = CSRF_RE.search(page)
    assert token
    response = client.post(
        "/auth/signup",
        data={**SIGNUP, "csrf_token": token.group(1) or token.group(2)},
        base_url="http://evil.example",
    )
    assert response.status_code == 302
    assert link_in(outbox[0]).startswith("https://ydn.example/")


def test_signup_as_organiser_creates_an_organiser_profile(client: Client) -> None:
    client.post_form(
        "/auth/signup", {**SIGNUP, "account_type": "organiser", "handle": "design-centre"}
    )
    user = user_by_handle("design-centre")
    assert user.is_organiser
    assert user.organiser_profile is not None


def test_signup_refuses_an_email_taken_in_another_case(client: Client, designer: User) -> None:
    response = client.post_form(
        "/auth/signup", {**SIGNUP, "handle": "other", "email": designer.email.upper()}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "An account already uses this email address" in page
    assert 'value="other"' in page  # what was typed is kept


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("ab", "3 to 30 characters"),
        ("Nguyễn", "Use only lower-case letters"),
        ("-mai", "Use only lower-case letters"),
        ("mai--nguyen", "two hyphens"),
        ("admin", "reserved"),
        ("designers", "reserved"),
        ("<script>", "Use only lower-case letters"),
        ("x" * 31, "3 to 30 characters"),
    ],
)
def test_signup_refuses_bad_handles_with_a_clear_message(
    client: Client, handle: str, message: str
) -> None:
    response = client.post_form("/auth/signup", {**SIGNUP, "handle": handle})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_signup_handle_is_case_insensitively_unique(client: Client, designer: User) -> None:
    response = client.post_form(
        "/auth/signup", {**SIGNUP, "handle": designer.handle.upper(), "email": "x@example.org"}
    )
    assert response.status_code == 422
    assert "This handle is taken" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 10 characters"),
        ("password123", "too common"),
        ("aaaaaaaaaaaa", "too common"),
        ("mai@example.org", "must not contain your email"),
        ("xx-mai-nguyen-xx", "must not contain your handle"),
    ],
)
def test_signup_refuses_weak_passwords(client: Client, password: str, message: str) -> None:
    response = client.post_form("/auth/signup", {**SIGNUP, "password": password})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_signup_with_empty_and_huge_fields_keeps_input_and_writes_nothing(client: Client) -> None:
    response = client.post_form(
        "/auth/signup",
        {
            "account_type": "designer",
            "display_name": "x" * 100_000,
            "handle": "",
            "email": "",
            "password": "",
        },
    )
    assert response.status_code in (413, 422)
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_signup_without_csrf_token_is_refused(client: Client) -> None:
    response = client.post("/auth/signup", data=SIGNUP)
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


# ---------- verification ----------


def test_verification_link_confirms_only_after_the_button(
    client: Client, outbox: list[Any]
) -> None:
    client.post_form("/auth/signup", SIGNUP)
    path = path_of(link_in(outbox[0]))
    page = client.get(path)
    assert "Confirm my address" in page.get_data(as_text=True)
    assert user_by_handle("mai-nguyen").email_verified_at is None  # GET changes nothing
    response = client.post_form(path, follow_redirects=True)
    assert "your email address is confirmed" in response.get_data(as_text=True)
    assert user_by_handle("mai-nguyen").email_verified_at is not None


def test_verification_link_cannot_be_reused(client: Client, outbox: list[Any]) -> None:
    client.post_form("/auth/signup", SIGNUP)
    path = path_of(link_in(outbox[0]))
    client.post_form(path)
    response = client.get(path)
    assert response.status_code == 400
    assert "already used" in response.get_data(as_text=True)


def test_expired_verification_link_says_so(client: Client, designer: User) -> None:
    designer.email_verified_at = None
    db.session.commit()
    token = make_token(designer, "verify")
    with time_machine.travel(utcnow() + timedelta(days=4)):
        response = client.get(f"/auth/verify/{token}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_tampered_token_is_invalid(client: Client) -> None:
    response = client.get("/auth/verify/not-a-token")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


# ---------- log-in and log-out ----------


def login(
    client: Client,
    email: str,
    password: str = PASSWORD,
    follow_redirects: bool = False,
    **extra: Any,
) -> Any:
    return client.post_form(
        "/auth/login",
        {"email": email, "password": password, **extra},
        follow_redirects=follow_redirects,
    )


def test_login_with_email_in_any_case_and_logout_by_post(client: Client, designer: User) -> None:
    response = login(client, designer.email.upper())
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert designer.display_name in page
    assert client.get("/auth/logout").status_code == 405  # no state change on GET
    client.post_form("/auth/logout")
    assert client.get("/auth/settings").status_code == 302


def test_a_hash_made_with_other_costs_is_made_again_at_the_next_log_in(
    client: Client, designer: User
) -> None:
    old = PasswordHasher(time_cost=3, memory_cost=2048, parallelism=1).hash(PASSWORD)
    designer.password_hash = old
    db.session.commit()

    assert login(client, designer.email, "wrong password here").status_code == 401
    db.session.expire_all()
    assert designer.password_hash == old  # a wrong password changes nothing

    assert login(client, designer.email).status_code == 302
    db.session.expire_all()
    assert designer.password_hash != old
    assert "m=1024,t=1,p=1" in designer.password_hash  # the configured costs (tests: 1 MiB, 1)
    client.post_form("/auth/logout")
    assert login(client, designer.email).status_code == 302  # and the new hash lets them in


def test_login_failure_says_the_same_for_unknown_and_known_emails(
    client: Client, designer: User
) -> None:
    wrong = login(client, designer.email, "wrong password here")
    unknown = login(client, "nobody@example.org", "wrong password here")
    assert wrong.status_code == unknown.status_code == 401
    text = "That email and password do not match an account."
    assert text in wrong.get_data(as_text=True)
    assert text in unknown.get_data(as_text=True)
    assert 'value="nobody@example.org"' in unknown.get_data(as_text=True)


@pytest.mark.usefixtures("app")
def test_unknown_email_costs_a_password_hash_too(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str | None] = []
    real = passwords.verify_password

    def spy(password_hash: str | None, password: str) -> bool:
        calls.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(services, "verify_password", spy)
    assert services.authenticate("nobody@example.org", "whatever password") is None
    assert calls == [None]  # verify_password(None, ...) hashes against a dummy hash


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/auth/settings", "/auth/settings"),
        # Anything else lands on the person's home.
        ("https://evil.example/", "/me"),
        ("//evil.example/", "/me"),
        ("/\\evil.example", "/me"),
        ("javascript:alert(1)", "/me"),
    ],
)
def test_login_next_only_redirects_within_the_site(
    client: Client, designer: User, target: str, expected: str
) -> None:
    response = login(client, designer.email, next=target)
    assert response.headers["Location"] == expected


def test_pending_person_logs_in_and_is_told_they_wait_for_approval(
    client: Client, pending_designer: User
) -> None:
    response = login(client, pending_designer.email)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "waiting for a moderator" in page


def test_rejected_person_logs_in_and_sees_the_reason(client: Client) -> None:
    user = make_user(
        handle="rejected-one", status=UserStatus.REJECTED, status_reason="Không có dự án nào."
    )
    db.session.commit()
    response = login(client, user.email, follow_redirects=True)
    assert "Không có dự án nào." in response.get_data(as_text=True)


def test_suspended_person_cannot_log_in_and_sees_why_and_until_when(
    client: Client, suspended_designer: User
) -> None:
    response = login(client, suspended_designer.email)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Your account is suspended" in page
    assert "Spam in messages." in page
    assert "You cannot log in until" in page
    # The date is in the person's zone, and says which zone (no suspended person is left guessing).
    assert "(Ho Chi Minh City)" in page
    assert client.get("/auth/settings").status_code == 302


def test_suspension_that_has_ended_lets_the_person_in(
    client: Client, suspended_designer: User
) -> None:
    with time_machine.travel(utcnow() + timedelta(days=8)):
        response = login(client, suspended_designer.email)
    assert response.status_code == 302
    assert user_by_handle(suspended_designer.handle).status == UserStatus.ACTIVE


def test_suspended_persons_existing_session_is_refused_on_next_request(
    client: Client, designer: User
) -> None:
    client.login_as(designer)
    assert client.get("/auth/settings").status_code == 200
    designer.status = UserStatus.SUSPENDED
    db.session.commit()
    assert client.get("/auth/settings").status_code == 302


def test_copied_cookie_is_refused_after_log_out(app: Flask, designer: User) -> None:
    app.test_client_class = Client
    browser: Client = app.test_client()  # type: ignore[assignment]
    login(browser, designer.email)
    cookie = browser.get_cookie("session")
    assert cookie is not None
    browser.post_form("/auth/logout")
    thief: Client = app.test_client()  # type: ignore[assignment]
    thief.set_cookie("session", cookie.value)
    assert thief.get("/auth/settings").status_code == 302


def test_remember_me_keeps_the_session_after_the_browser_closes(app: Flask, designer: User) -> None:
    app.test_client_class = Client
    browser: Client = app.test_client()  # type: ignore[assignment]
    login(browser, designer.email, remember="y")
    remember = browser.get_cookie("remember_token")
    assert remember is not None
    fresh: Client = app.test_client()  # type: ignore[assignment]
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/auth/settings").status_code == 200


def test_log_out_everywhere_ends_every_session(app: Flask, designer: User) -> None:
    app.test_client_class = Client
    laptop: Client = app.test_client()  # type: ignore[assignment]
    phone: Client = app.test_client()  # type: ignore[assignment]
    login(laptop, designer.email)
    login(phone, designer.email)
    laptop.post_form("/auth/sessions/end-all")
    assert phone.get("/auth/settings").status_code == 302
    assert laptop.get("/auth/settings").status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(UserSession)) == 0


# ---------- password reset ----------


def test_reset_request_says_the_same_for_known_and_unknown_emails(
    client: Client, designer: User, outbox: list[Any]
) -> None:
    known = client.post_form("/auth/reset", {"email": designer.email}).get_data(as_text=True)
    unknown = client.post_form("/auth/reset", {"email": "nobody@example.org"}).get_data(
        as_text=True
    )

    def comparable(page: str, email: str) -> str:
        return CSRF_RE.sub("csrf", page.replace(email, "X"))

    assert comparable(known, designer.email) == comparable(unknown, "nobody@example.org")
    assert [m["To"] for m in outbox] == [designer.email]


def test_reset_sets_a_new_password_ends_sessions_and_the_link_dies(
    app: Flask, designer: User, outbox: list[Any]
) -> None:
    app.test_client_class = Client
    other: Client = app.test_client()  # type: ignore[assignment]
    login(other, designer.email)
    client: Client = app.test_client()  # type: ignore[assignment]
    client.post_form("/auth/reset", {"email": designer.email})
    path = path_of(link_in(outbox[-1]))
    weak = client.post_form(path, {"password": "short", "confirm": "short"})
    assert weak.status_code == 422
    response = client.post_form(
        path, {"password": "a brand new secret", "confirm": "a brand new secret"}
    )
    assert response.headers["Location"] == "/auth/login"
    assert other.get("/auth/settings").status_code == 302  # sessions elsewhere ended
    again = client.get(path)
    assert again.status_code == 400
    assert "already used" in again.get_data(as_text=True)
    assert login(client, designer.email, "a brand new secret").status_code == 302


def test_expired_reset_link_is_refused(client: Client, designer: User) -> None:
    token = make_token(designer, "reset")
    with time_machine.travel(utcnow() + timedelta(hours=2)):
        response = client.get(f"/auth/reset/{token}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


# ---------- settings ----------


def test_change_password_needs_the_current_one_and_logs_out_other_sessions(
    app: Flask, designer: User
) -> None:
    app.test_client_class = Client
    me: Client = app.test_client()  # type: ignore[assignment]
    other: Client = app.test_client()  # type: ignore[assignment]
    login(me, designer.email)
    login(other, designer.email)
    wrong = me.post_form(
        "/auth/settings/password",
        {
            "current_password": "nope nope nope",
            "password": "another good secret",
            "confirm": "another good secret",
        },
    )
    assert wrong.status_code == 422
    assert "Your current password is not correct." in wrong.get_data(as_text=True)
    ok = me.post_form(
        "/auth/settings/password",
        {
            "current_password": PASSWORD,
            "password": "another good secret",
            "confirm": "another good secret",
        },
        follow_redirects=True,
    )
    assert "Your other sessions were logged out" in ok.get_data(as_text=True)
    assert me.get("/auth/settings").status_code == 200
    assert other.get("/auth/settings").status_code == 302


def test_change_email_is_confirmed_from_the_new_address(
    client: Client, designer: User, outbox: list[Any]
) -> None:
    old_email = designer.email
    client.login_as(designer)
    response = client.post_form(
        "/auth/settings/email", {"new_email": "Mai.New@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert user_by_handle(designer.handle).email == old_email  # not yet
    confirm = outbox[-1]
    assert confirm["To"] == "mai.new@example.org"
    path = path_of(link_in(confirm))
    client.post_form(path)
    assert user_by_handle(designer.handle).email == "mai.new@example.org"
    assert outbox[-1]["To"] == old_email  # the old address is told
    assert client.get(path).status_code == 400  # single use


def test_change_email_to_a_taken_address_fails_at_confirmation(
    client: Client, designer: User, organiser: User, outbox: list[Any]
) -> None:
    client.login_as(designer)
    client.post_form("/auth/settings/email", {"new_email": organiser.email, "password": PASSWORD})
    response = client.post_form(path_of(link_in(outbox[-1])))
    assert response.status_code == 409
    assert "Another account already uses this email address." in response.get_data(as_text=True)


def test_preferences_choose_language_and_time_zone(client: Client, designer: User) -> None:
    client.login_as(designer)
    client.post_form(
        "/auth/settings", {"display_name": "Mai", "locale": "fr", "timezone": "Europe/Paris"}
    )
    user = user_by_handle(designer.handle)
    assert (user.locale, user.timezone, user.display_name) == ("fr", "Europe/Paris", "Mai")
    page = client.get("/auth/settings").get_data(as_text=True)
    assert '<html lang="fr">' in page


def test_preferences_refuse_an_unknown_time_zone(client: Client, designer: User) -> None:
    client.login_as(designer)
    response = client.post_form(
        "/auth/settings", {"display_name": "Mai", "locale": "", "timezone": "Mars/Olympus"}
    )
    assert response.status_code == 422
    assert user_by_handle(designer.handle).timezone is None


# ---------- rate limits ----------


def test_login_is_rate_limited_per_account_with_a_friendly_page(make_app: Any) -> None:
    app = make_app(RATELIMIT_ENABLED=True)
    app.test_client_class = Client
    with app.app_context():
        user = make_user(handle="limited")
        db.session.commit()
        email = user.email
    client: Client = app.test_client()  # type: ignore[assignment]
    statuses = [login(client, email, "wrong password here").status_code for _ in range(9)]
    assert statuses[:8] == [401] * 8
    assert statuses[8] == 429
    last = login(client, email, PASSWORD)
    assert last.status_code == 429
    assert "Too many failed log-ins for this account" in last.get_data(as_text=True)


def test_x_forwarded_for_does_not_bypass_the_limit_without_trusted_proxies(make_app: Any) -> None:
    app = make_app(RATELIMIT_ENABLED=True)
    app.test_client_class = Client
    client: Client = app.test_client()  # type: ignore[assignment]
    statuses = [
        client.post_form(
            "/auth/reset",
            {"email": f"x{i}@example.org"},
            headers={"X-Forwarded-For": f"10.0.0.{i}"},
        ).status_code
        for i in range(6)
    ]
    assert statuses[-1] == 429


@pytest.mark.usefixtures("app")
def test_admin_role_is_only_for_active_accounts() -> None:
    user = make_user(handle="ex-admin", staff_role=StaffRole.ADMIN, status=UserStatus.SUSPENDED)
    assert not user.is_admin
    assert not user.is_moderator
