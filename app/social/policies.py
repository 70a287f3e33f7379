"""Who may follow whom, see a person's follower lists, and choose staff picks."""

from __future__ import annotations

from typing import Any

from app.accounts.models import AccountType, User, UserStatus

FOLLOWABLE = (AccountType.DESIGNER, AccountType.ORGANISER)


def can_follow_anyone(user: Any) -> bool:
    """Active members follow designers and organisations (pending people not yet)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_member)


def is_followable(person: User) -> bool:
    """A visible, active designer or organisation."""
    return (
        person.account_type in FOLLOWABLE
        and person.status == UserStatus.ACTIVE
        and person.hidden_at is None
    )


def can_show_follow_button(user: Any, person: User) -> bool:
    """The Follow / Following button, on another followable person's page or card."""
    return can_follow_anyone(user) and user.id != person.id and is_followable(person)


def can_see_lists(user: Any, person: User, *, hidden: bool) -> bool:
    """A person's follower lists are public unless they hid them: then only they and moderators
    see them (the counts stay public)."""
    if not hidden:
        return True
    return bool(
        getattr(user, "is_authenticated", False) and (user.id == person.id or user.is_moderator)
    )


def can_feature(user: Any) -> bool:
    """Moderators and admins choose the staff picks."""
    return bool(getattr(user, "is_authenticated", False) and user.is_moderator)


POLICIES = {
    "can_show_follow_button": can_show_follow_button,
    "can_feature": can_feature,
}
