"""Who sees an organiser's page, as a table: viewer × the organiser's state → allowed."""

from __future__ import annotations

from typing import Any

import pytest
from flask_login import AnonymousUserMixin

from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.calls.policies import can_view_organiser
from app.db_types import utcnow
from app.extensions import db
from tests.factories import make_user

STATES: dict[str, dict[str, Any]] = {
    "active": {},
    "pending": {"status": UserStatus.PENDING},
    "suspended": {"status": UserStatus.SUSPENDED},
    "hidden": {"hidden": True},
}


def organiser_in(state: str) -> User:
    options = dict(STATES[state])
    hidden = options.pop("hidden", False)
    person = make_user(handle="the-organiser", account_type=AccountType.ORGANISER, **options)
    if hidden:
        person.hidden_at = utcnow()
    return person


def viewer(role: str, organiser: User) -> Any:
    if role == "anonymous":
        return AnonymousUserMixin()
    if role == "the organiser":
        return organiser
    staff = StaffRole.MODERATOR if role == "moderator" else StaffRole.NONE
    return make_user(handle=role.replace(" ", "-"), staff_role=staff)


@pytest.mark.parametrize(
    ("role", "active", "pending", "suspended", "hidden"),
    [
        ("anonymous", True, False, False, False),
        ("the organiser", True, True, False, True),  # a suspended account is logged out
        ("other member", True, False, False, False),
        ("moderator", True, False, False, False),
    ],
)
@pytest.mark.usefixtures("app")
def test_who_sees_an_organisers_page(
    role: str, active: bool, pending: bool, suspended: bool, hidden: bool
) -> None:
    expected = {"active": active, "pending": pending, "suspended": suspended, "hidden": hidden}
    for state, allowed in expected.items():
        organiser = organiser_in(state)
        db.session.flush()
        assert can_view_organiser(viewer(role, organiser), organiser) is allowed, state
        db.session.rollback()
