"""Who may edit an organisation and who sees its logo."""

from __future__ import annotations

from typing import Any

from app.accounts.models import User, UserStatus


def can_edit_organisation(user: Any) -> bool:
    """An organiser (pending too: moderators verify what they wrote) describes their own."""
    return bool(user is not None and user.is_authenticated and user.is_organiser and user.is_active)


def is_public_organiser(person: User) -> bool:
    """Shown to everyone while the account is active and no moderator hid it."""
    return bool(person.status == UserStatus.ACTIVE and person.hidden_at is None)


def can_see_organisation(user: Any, person: User) -> bool:
    """The public, the organiser themself, and moderators (who verify it)."""
    if is_public_organiser(person):
        return True
    if user is None or not user.is_authenticated:
        return False
    return bool(user.id == person.id or user.is_moderator)


POLICIES = {"can_edit_organisation": can_edit_organisation}
