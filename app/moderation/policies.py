"""Who may moderate, report and appeal; the same functions hide buttons and refuse requests."""

from __future__ import annotations

from typing import Any

from app.accounts.models import StaffRole, User, UserStatus
from app.moderation.models import APPEALABLE, Appeal, ModerationAction


def can_moderate(user: Any) -> bool:
    """Moderators and admins with an active account."""
    return bool(getattr(user, "is_authenticated", False) and user.is_moderator)


def can_administer(user: Any) -> bool:
    """Admins only: roles, disciplines, rejection reasons, statistics."""
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def can_act_on(actor: Any, person: User) -> bool:
    """A moderator acts on other people; only admins act on staff, and nobody on themselves."""
    if not can_moderate(actor) or actor.id == person.id:
        return False
    if person.status == UserStatus.DELETED:
        return False
    return person.staff_role == StaffRole.NONE or actor.is_admin


def can_report(user: Any, owner: User | None) -> bool:
    """Anyone logged in may report content that is not their own."""
    if not getattr(user, "is_authenticated", False):
        return False
    return owner is None or owner.id != user.id


def can_appeal(user: Any, action: ModerationAction, already: bool) -> bool:
    """The person an appealable action was about, once per action."""
    return bool(
        getattr(user, "is_authenticated", False)
        and action.subject_id == user.id
        and action.kind in APPEALABLE
        and not already
    )


def can_decide_appeal(user: Any, appeal: Appeal) -> bool:
    """Moderators who may act on the person, but not on their own decision (admins may)."""
    if not can_moderate(user):
        return False
    if appeal.action.actor_id == user.id and not user.is_admin:
        return False
    return appeal.user is None or can_act_on(user, appeal.user)


POLICIES = {
    "can_moderate": can_moderate,
    "can_administer": can_administer,
    "can_act_on": can_act_on,
    "can_report": can_report,
    "can_appeal": can_appeal,
    "can_decide_appeal": can_decide_appeal,
}
