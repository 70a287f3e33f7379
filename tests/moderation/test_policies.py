from __future__ import annotations

import pytest

from app.accounts.models import StaffRole, User
from app.moderation.models import ActionKind, Appeal, ModerationAction
from app.moderation.policies import can_decide_appeal
from tests.factories import make_user

ROLES = {
    "designer": StaffRole.NONE,
    "moderator": StaffRole.MODERATOR,
    "admin": StaffRole.ADMIN,
}


def _appeal(*, decided_by: User | None, appellant: User) -> Appeal:
    action = ModerationAction(
        kind=ActionKind.HIDE,
        actor_id=decided_by.id if decided_by else None,
        subject_id=appellant.id,
    )
    return Appeal(action=action, user=appellant, text="It was my own photo.")


@pytest.mark.parametrize(
    ("role", "decided_by", "allowed"),
    [
        ("designer", "someone else", False),
        ("designer", "the system", False),
        ("moderator", "themselves", False),
        ("moderator", "someone else", True),
        ("moderator", "the system", True),
        ("admin", "themselves", True),
        ("admin", "someone else", True),
        ("admin", "the system", True),
    ],
)
@pytest.mark.usefixtures("app")
def test_who_judges_an_appeal(role: str, decided_by: str, allowed: bool) -> None:
    judge = make_user(handle="judge", staff_role=ROLES[role])
    other = make_user(handle="other-mod", staff_role=StaffRole.MODERATOR)
    appellant = make_user(handle="appellant")
    actor = {"themselves": judge, "someone else": other, "the system": None}[decided_by]
    appeal = _appeal(decided_by=actor, appellant=appellant)
    assert can_decide_appeal(judge, appeal) is allowed


@pytest.mark.parametrize(("role", "allowed"), [("moderator", False), ("admin", True)])
@pytest.mark.usefixtures("app")
def test_only_admins_judge_a_staff_members_appeal(role: str, allowed: bool) -> None:
    judge = make_user(handle="judge", staff_role=ROLES[role])
    other = make_user(handle="other-mod", staff_role=StaffRole.ADMIN)
    appellant = make_user(handle="staff-appellant", staff_role=StaffRole.MODERATOR)
    appeal = _appeal(decided_by=other, appellant=appellant)
    assert can_decide_appeal(judge, appeal) is allowed
