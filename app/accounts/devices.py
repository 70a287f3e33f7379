"""Log-in throttling that stops guessing without locking the owner out (OWASP "device cookies").

Only failed log-ins are counted. A browser that logged in to an account before (or completed a
password reset for it) carries a signed, HttpOnly device cookie naming that account; for it,
failures are counted per device instead of per account, so someone guessing an account's
password from elsewhere cannot lock its owner out, and a stolen cookie still only gets a few
guesses. Everyone else shares the per-account counter, which refuses (right password or not)
once it is full.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse
from werkzeug.wrappers import Response

from app.accounts.models import User
from app.extensions import limit_hit, limit_test
from app.security import rate_limit_key

log = logging.getLogger("app.auth")
SALT = "device-cookie"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _limit() -> Any:
    return parse(current_app.config["LOGIN_FAILURE_LIMIT"])


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def trusted_device(user: User | None) -> str | None:
    """The device id from this browser's cookie if it names `user`, else None."""
    raw = request.cookies.get(current_app.config["DEVICE_COOKIE_NAME"])
    if user is None or not raw:
        return None
    try:
        payload = _serializer().loads(raw, max_age=current_app.config["DEVICE_COOKIE_MAX_AGE"])
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("u") != user.id:
        return None
    device = payload.get("d")
    return device if isinstance(device, str) else None


def _keys(email: str, device: str | None) -> tuple[str, ...]:
    return rate_limit_key("login-device", device) if device else rate_limit_key("login", email)


def may_try(email: str, device: str | None) -> bool:
    """Whether another log-in attempt is allowed for this account from this browser."""
    if not _enabled():
        return True
    return limit_test(_limit(), *_keys(email, device))


def record_failure(email: str, device: str | None) -> None:
    if _enabled():
        limit_hit(_limit(), *_keys(email, device))
        if not limit_test(_limit(), *_keys(email, device)):
            log.warning("login failures limit reached (%s)", "device" if device else "account")


def remember_device(response: Response, user: User, device: str | None = None) -> Response:
    """Mark this browser as one the person uses (after a log-in or a completed reset)."""
    config = current_app.config
    value = _serializer().dumps({"u": user.id, "d": device or secrets.token_urlsafe(16)})
    response.set_cookie(
        config["DEVICE_COOKIE_NAME"],
        value,
        max_age=config["DEVICE_COOKIE_MAX_AGE"],
        httponly=True,
        secure=config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
        path="/auth/",
    )
    return response
