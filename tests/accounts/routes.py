"""Permission expectations for the accounts routes."""

from __future__ import annotations

import itertools

from app.accounts.tokens import make_token
from tests.permissions import Route, World, everyone, logged_in

_n = itertools.count()


def _token(world: World, purpose: str, **extra: object) -> str:
    return make_token(world.users["member"], purpose, **extra)


def _email_token(world: World) -> str:
    return _token(world, "email", new_email=f"new-{next(_n)}@example.org")


ROUTES = [
    # Own your data.
    Route("account_data.data", "GET", "/account/data", logged_in(200)),
    Route("account_data.export", "GET", "/account/data/export.zip", logged_in(200)),
    Route("account_data.delete", "POST", "/account/delete", logged_in(422)),
    # Logged-in people are sent home from the sign-up and log-in pages.
    Route("accounts.signup", "GET", "/auth/signup", everyone(302, anonymous=200, suspended=200)),
    Route("accounts.signup", "POST", "/auth/signup", everyone(302, anonymous=422, suspended=422)),
    Route("accounts.login", "GET", "/auth/login", everyone(302, anonymous=200, suspended=200)),
    Route("accounts.login", "POST", "/auth/login", everyone(302, anonymous=422, suspended=422)),
    Route("accounts.logout", "POST", "/auth/logout", everyone(302)),
    Route("accounts.verify", "GET", lambda w: f"/auth/verify/{_token(w, 'verify')}", everyone(200)),
    Route(
        "accounts.verify_confirm",
        "POST",
        lambda w: f"/auth/verify/{_token(w, 'verify')}",
        everyone(302),
    ),
    Route("accounts.resend_verification", "POST", "/auth/verify/resend", logged_in(302)),
    Route("accounts.reset", "GET", "/auth/reset", everyone(200)),
    Route("accounts.reset", "POST", "/auth/reset", everyone(422)),
    Route(
        "accounts.reset_with_token",
        "GET",
        lambda w: f"/auth/reset/{_token(w, 'reset')}",
        everyone(200),
    ),
    Route(
        "accounts.reset_with_token",
        "POST",
        lambda w: f"/auth/reset/{_token(w, 'reset')}",
        everyone(422),
    ),
    Route("accounts.settings", "GET", "/auth/settings", logged_in(200)),
    Route("accounts.settings", "POST", "/auth/settings", logged_in(422)),
    Route("accounts.change_email", "POST", "/auth/settings/email", logged_in(422)),
    Route("accounts.change_password", "POST", "/auth/settings/password", logged_in(422)),
    Route(
        "accounts.confirm_email_change_page",
        "GET",
        lambda w: f"/auth/email/{_email_token(w)}",
        everyone(200),
    ),
    Route(
        "accounts.confirm_email_change",
        "POST",
        lambda w: f"/auth/email/{_email_token(w)}",
        everyone(302),
    ),
    Route("accounts.end_all_sessions", "POST", "/auth/sessions/end-all", logged_in(302)),
]
