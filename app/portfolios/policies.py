"""Who may see and change portfolios. Templates use the same functions (see views.init)."""

from __future__ import annotations

from typing import Any

from app.accounts.models import User, UserStatus
from app.portfolios.models import Project


def _user(viewer: Any) -> User | None:
    return viewer if getattr(viewer, "is_authenticated", False) else None


def is_public_designer(user: User) -> bool:
    """Only active, visible designers have public pages."""
    return user.is_designer and user.is_member and user.hidden_at is None


def can_view_portfolio(viewer: Any, user: User) -> bool:
    """Everyone sees a public designer; the owner and moderators see the others too."""
    me = _user(viewer)
    return is_public_designer(user) or (
        me is not None and (me.id == user.id or me.is_moderator) and user.is_designer
    )


def can_view_project(viewer: Any, project: Project) -> bool:
    """Everyone sees a public project; its owner and moderators see it in every state."""
    me = _user(viewer)
    if me is not None and (me.id == project.owner_id or me.is_moderator):
        return True
    return project.is_public


def can_edit_profile(viewer: Any) -> bool:
    """Designers (pending ones too, while they wait) edit their own profile."""
    me = _user(viewer)
    return (
        me is not None and me.is_designer and me.status in (UserStatus.PENDING, UserStatus.ACTIVE)
    )


def can_create_project(viewer: Any) -> bool:
    """Designers, pending ones included, build projects; organisers publish calls instead."""
    return can_edit_profile(viewer)


def can_edit_project(viewer: Any, project: Project) -> bool:
    """Only the owner edits a project (others get 404, not a hint that it exists)."""
    me = _user(viewer)
    return me is not None and me.id == project.owner_id and can_create_project(me)


def can_publish_project(viewer: Any, project: Project) -> bool:
    """Only approved members publish; pending people prepare their projects meanwhile."""
    me = _user(viewer)
    return can_edit_project(me, project) and me is not None and me.is_member


def can_appreciate(viewer: Any, project: Project) -> bool:
    """Members appreciate other people's public projects (not their own)."""
    me = _user(viewer)
    return me is not None and me.is_member and me.id != project.owner_id and project.is_public


POLICIES = {
    "can_view_portfolio": can_view_portfolio,
    "can_view_project": can_view_project,
    "can_edit_profile": can_edit_profile,
    "can_create_project": can_create_project,
    "can_edit_project": can_edit_project,
    "can_publish_project": can_publish_project,
    "can_appreciate": can_appreciate,
}
