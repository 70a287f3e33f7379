from __future__ import annotations

import pytest

from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.db_types import utcnow
from app.extensions import db
from app.portfolios.policies import (
    can_appreciate,
    can_create_project,
    can_edit_profile,
    can_edit_project,
    can_publish_project,
    can_view_project,
)
from tests.factories import make_user
from tests.portfolios.factories import make_project

ROLES = {
    "owner": {},
    "pending owner": {"status": UserStatus.PENDING},
    "other member": {},
    "organiser": {"account_type": AccountType.ORGANISER},
    "moderator": {"staff_role": StaffRole.MODERATOR},
}


def person(role: str) -> User:
    return make_user(handle=role.replace(" ", "-"), **ROLES[role])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("role", "create", "edit", "publish", "appreciate", "view_draft"),
    [
        ("owner", True, True, True, False, True),
        ("pending owner", True, True, False, False, True),
        ("other member", True, False, False, True, False),
        ("organiser", False, False, False, True, False),
        ("moderator", True, False, False, True, True),
    ],
)
@pytest.mark.usefixtures("app")
def test_project_policies(
    role: str,
    create: bool,
    edit: bool,
    publish: bool,
    appreciate: bool,
    view_draft: bool,
) -> None:
    actor = person(role)
    owner = actor if "owner" in role else make_user(handle="the-owner")
    public = make_project(owner, title="Public")
    draft = make_project(owner, title="Draft", published=False)
    db.session.commit()
    assert can_create_project(actor) is create
    assert can_edit_project(actor, public) is edit
    assert can_publish_project(actor, draft) is publish
    assert can_appreciate(actor, public) is (appreciate and owner.is_member)
    assert can_view_project(actor, draft) is view_draft


@pytest.mark.usefixtures("app")
def test_hidden_project_is_not_public() -> None:
    owner = make_user(handle="owner")
    project = make_project(owner)
    assert project.is_public
    project.hidden_at = utcnow()
    assert not project.is_public
    assert not can_view_project(None, project)


@pytest.mark.parametrize(
    ("account_type", "active", "pending", "rejected", "suspended"),
    [
        (AccountType.DESIGNER, True, True, False, False),
        (AccountType.ORGANISER, False, False, False, False),
    ],
)
@pytest.mark.usefixtures("app")
def test_who_edits_a_designer_profile(
    account_type: AccountType,
    active: bool,
    pending: bool,
    rejected: bool,
    suspended: bool,
) -> None:
    """A designer edits their profile while active or waiting for approval, never after."""
    expected = {
        UserStatus.ACTIVE: active,
        UserStatus.PENDING: pending,
        UserStatus.REJECTED: rejected,
        UserStatus.SUSPENDED: suspended,
    }
    for status, allowed in expected.items():
        user = make_user(handle=f"p-{status}", account_type=account_type, status=status)
        assert can_edit_profile(user) is allowed, status
