"""Many people and follows at once (rows only), for the tests that compare 2 and 2,000."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import insert, select

from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.db_types import utcnow
from app.extensions import db
from app.portfolios.models import Project
from app.social.models import Follow

_batch = itertools.count(1)


def many_designers(n: int, *, projects: int = 0) -> list[int]:
    """`n` active designers (no profile rows: not needed to be followed), each with `projects`
    published projects; their ids."""
    b = next(_batch)
    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"bulk{b}-{i}@example.org",
                "handle": f"bulk{b}-{i}",
                "display_name": f"Người thứ {i}",
                "password_hash": "x",
                "account_type": AccountType.DESIGNER,
                "status": UserStatus.ACTIVE,
                "staff_role": StaffRole.NONE,
                "created_at": now,
                "approved_at": now,
            }
            for i in range(n)
        ],
    )
    ids = list(db.session.scalars(select(User.id).where(User.handle.like(f"bulk{b}-%"))))
    if projects:
        db.session.execute(
            insert(Project),
            [
                {
                    "owner_id": uid,
                    "slug": f"work-{k}",
                    "title": f"Tác phẩm {uid}-{k}",
                    "description": "",
                    "is_published": True,
                    "published_at": now - timedelta(minutes=uid * 3 + k),
                    "tags": [],
                    "credits": "",
                    "appreciation_count": 0,
                }
                for uid in ids
                for k in range(projects)
            ],
        )
    return ids


def follow_all(follower: User, ids: list[int]) -> None:
    now = utcnow()
    db.session.execute(
        insert(Follow),
        [{"follower_id": follower.id, "followee_id": i, "created_at": now} for i in ids],
    )
