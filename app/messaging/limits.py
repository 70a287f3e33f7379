"""Rate limits on messaging, stricter for new accounts (where spam comes from).

The view checks them itself, rather than through a decorator, so that a refused message is
re-rendered in its form with the typed text and an explanation instead of a bare 429 page.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from limits import parse

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import limit_hit, limit_test
from app.security import rate_limit_key

NEW_ACCOUNT_AGE = timedelta(days=7)


def is_new_account(user: User) -> bool:
    created = user.approved_at or user.created_at
    return utcnow() - created < NEW_ACCOUNT_AGE


def conversation_limit(user: User) -> str:
    """New conversations a person may start: fewer while their account is under a week old."""
    return "3 per hour" if is_new_account(user) else "10 per hour"


def message_limit(user: User) -> str:
    """Messages a person may send: fewer while their account is under a week old."""
    return "6 per minute" if is_new_account(user) else "20 per minute"


LIMITS = {"conversation": conversation_limit, "message": message_limit}


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def allowed(kind: str, user: User) -> bool:
    """Whether one more `kind` ("conversation" or "message") is within the person's limit."""
    if not _enabled():
        return True
    keys = rate_limit_key("messaging", kind, str(user.id))
    return limit_test(parse(LIMITS[kind](user)), *keys)


def record(kind: str, user: User) -> None:
    """Count one sent `kind` (only successful sends count)."""
    if _enabled():
        keys = rate_limit_key("messaging", kind, str(user.id))
        limit_hit(parse(LIMITS[kind](user)), *keys)
