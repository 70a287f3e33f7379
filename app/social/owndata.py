"""Following's part of "own your data": whom a person follows, and what deletion removes."""

from __future__ import annotations

from sqlalchemy import delete, func, or_, select

from app.accounts.models import User
from app.accounts.owndata import Cleanup, ExportPart, when
from app.extensions import db
from app.social.models import Follow, FollowSettings


def export_follows(user: User) -> ExportPart:
    """The people and organisations the person follows, since when, and their list setting
    (who follows them is the others' choice: only the number is given)."""
    rows = db.session.execute(
        select(User.handle, User.display_name, Follow.created_at)
        .join(User, User.id == Follow.followee_id)
        .where(Follow.follower_id == user.id)
        .order_by(Follow.id)
    ).all()
    followers = db.session.scalar(
        select(func.count(Follow.id)).where(Follow.followee_id == user.id)
    )
    settings = db.session.get(FollowSettings, user.id)
    return ExportPart(
        "following",
        {
            "following": [
                {"handle": handle, "name": name, "since": when(since)}
                for handle, name, since in rows
            ],
            "followers_count": int(followers or 0),
            "lists_hidden": bool(settings and settings.hide_lists),
        },
    )


def erase_follows(user: User) -> list[Cleanup]:
    """Whom the person follows and who follows them both go with the account."""
    db.session.execute(
        delete(Follow).where(or_(Follow.follower_id == user.id, Follow.followee_id == user.id))
    )
    db.session.execute(delete(FollowSettings).where(FollowSettings.user_id == user.id))
    return []
