"""Signed, expiring, single-use links for email verification, password reset and email change.

A link is single-use because it signs a fingerprint of the state it changes: once the password
(or the email, or the verified flag) changes, the fingerprint no longer matches.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.models import User
from app.extensions import db


class TokenError(Exception):
    """A link that is malformed, expired or already used."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired" or "used"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"ydn.{purpose}")


def _fingerprint(user: User, purpose: str) -> str:
    if purpose == "reset":
        state = f"{user.password_hash}|{user.status}"
    elif purpose == "verify":
        state = f"{user.email}|{user.email_verified_at}"
    else:  # email change
        state = f"{user.email}|{user.password_hash}"
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def make_token(user: User, purpose: str, **extra: Any) -> str:
    """A signed token for `purpose` bound to the user's current state."""
    payload = {"uid": user.id, "fp": _fingerprint(user, purpose), **extra}
    return _serializer(purpose).dumps(payload)


def read_token(token: str, purpose: str, max_age: int) -> tuple[User, dict[str, Any]]:
    """The user and payload of a valid token; raises TokenError otherwise."""
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenError("expired") from exc
    except BadSignature as exc:
        raise TokenError("invalid") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        raise TokenError("invalid")
    user = db.session.get(User, payload["uid"])
    if user is None:
        raise TokenError("invalid")
    if payload.get("fp") != _fingerprint(user, purpose):
        raise TokenError("used")
    return user, payload
