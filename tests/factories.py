"""Small factories with keyword overrides."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from app.accounts import services
from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.accounts.passwords import hash_password
from app.db_types import utcnow
from app.extensions import db
from app.profiles.models import DesignerProfile, OrganiserProfile

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_user(
    *,
    handle: str | None = None,
    email: str | None = None,
    display_name: str | None = None,
    password: str = PASSWORD,
    account_type: AccountType = AccountType.DESIGNER,
    status: UserStatus = UserStatus.ACTIVE,
    staff_role: StaffRole = StaffRole.NONE,
    verified: bool = True,
    **profile: Any,
) -> User:
    """A user with a profile; active and verified unless told otherwise. Flushed, not committed."""
    n = next(_seq)
    handle = handle or f"person-{n}"
    now = utcnow()
    user = User(
        email=(email or f"{handle}@example.org").lower(),
        handle=handle,
        display_name=display_name or f"Person {n}",
        password_hash=hash_password(password),
        account_type=account_type,
        status=status,
        staff_role=staff_role,
        email_verified_at=now if verified else None,
        created_at=now - timedelta(days=30),
        approved_at=now - timedelta(days=29) if status == UserStatus.ACTIVE else None,
    )
    if status == UserStatus.SUSPENDED:
        user.status_reason = profile.pop("status_reason", "Spam in messages.")
        user.suspended_until = profile.pop("suspended_until", now + timedelta(days=7))
    if status == UserStatus.REJECTED:
        user.status_reason = profile.pop("status_reason", "The portfolio is empty.")
    db.session.add(user)
    db.session.flush()
    if account_type == AccountType.ORGANISER:
        db.session.add(
            OrganiserProfile(
                user_id=user.id,
                organisation=profile.pop("organisation", f"Studio {n}"),
                verified_at=now if status == UserStatus.ACTIVE else None,
                **profile,
            )
        )
    else:
        db.session.add(DesignerProfile(user_id=user.id, **profile))
    db.session.flush()
    return user


def session_token_for(user: User) -> str:
    """Start a server-side session for a user (as log-in does) and return its token."""
    token = services.start_session(user, user_agent="pytest")
    db.session.commit()
    return token
