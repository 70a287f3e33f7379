"""Password hashing (Argon2id, memory-hard) and the password rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10
MAX_LENGTH = 200
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@cache
def _hasher(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=1)


def hasher() -> PasswordHasher:
    cfg = current_app.config
    return _hasher(cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    """The Argon2id hash of a password."""
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether a password matches; with no hash, spends the same time and answers no."""
    ph = hasher()
    try:
        return ph.verify(password_hash or dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a hash was made with other costs than the configured ones (upgraded at log-in)."""
    try:
        return bool(hasher().check_needs_rehash(password_hash))
    except InvalidHashError:
        return True


def dummy_hash() -> str:
    """A hash to verify against for unknown emails, so that timing does not reveal accounts."""
    cfg = current_app.config
    key = (cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"])
    cached: dict[tuple[int, int], str] = current_app.extensions.setdefault("dummy_hash", {})
    if key not in cached:
        cached[key] = hasher().hash("not a real password, only spends time")
    return cached[key]


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(
        line.strip().lower() for line in _COMMON_FILE.read_text().splitlines() if line.strip()
    )


def password_problem(password: str, *, email: str = "", handle: str = "") -> str | None:
    """Why a password is refused, in words for the person, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        return str(_l("This password is too common. Choose something harder to guess."))
    email = email.lower()
    local = email.split("@", 1)[0]
    if email and (lowered == email or (len(local) >= 4 and local in lowered)):
        return str(_l("Your password must not contain your email address."))
    if handle and len(handle) >= 4 and handle.lower() in lowered:
        return str(_l("Your password must not contain your handle."))
    return None
