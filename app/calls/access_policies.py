"""Who may do what with access codes and nominations."""

from __future__ import annotations

from typing import Any

from app.calls.access_models import Nominator


def can_nominate(user: Any, nominator: Nominator) -> bool:
    """Only the named nominator, while their account is active, puts candidates forward."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_member
        and nominator.user_id == user.id
    )


def is_nominator(user: Any) -> bool:
    """An active member (the view also checks that an organiser named them)."""
    return bool(user is not None and user.is_authenticated and user.is_member)
