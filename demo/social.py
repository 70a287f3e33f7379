"""Demo following, staff picks and project views: Mai (designer@example.org) follows a few
designers and organisations, and others follow her; a moderator features two projects and a
designer this week; Mai's projects were viewed over the last two weeks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.portfolios.models import Project
from app.social.models import Feature, FeatureKind, Follow, ProjectViewDay

PICK_NOTES = (
    "Một cách nhìn mới về chất liệu truyền thống.",
    "Bố cục rõ ràng, màu sắc táo bạo.",
    "Nhà thiết kế trẻ đáng theo dõi tuần này.",
)


def load(context: dict[str, Any]) -> dict[str, int]:
    rng = context["rng"]
    designers: list[User] = context["designers"]
    organisers: list[User] = context["organisers"]
    moderator: User = context["moderator"]
    mai = designers[0]
    now = utcnow()
    pairs: set[tuple[int, int]] = set()
    for followee in [*designers[1:7], *organisers[:3]]:
        pairs.add((mai.id, followee.id))
    for follower in designers[2:14]:
        pairs.add((follower.id, mai.id))
    for follower in designers[1:20]:
        for followee in rng.sample([*designers, *organisers], 3):
            if followee.id != follower.id:
                pairs.add((follower.id, followee.id))
    db.session.add_all(
        Follow(
            follower_id=a,
            followee_id=b,
            created_at=now - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600)),
        )
        for a, b in sorted(pairs)
    )
    projects = list(
        db.session.scalars(
            select(Project)
            .where(Project.is_published.is_(True), Project.owner_id != mai.id)
            .order_by(Project.published_at.desc(), Project.id)
            .limit(2)
        )
    )
    picks = [
        Feature(
            kind=FeatureKind.PROJECT,
            user_id=p.owner_id,
            project_id=p.id,
            note=note,
            starts_at=now - timedelta(days=2),
            ends_at=now + timedelta(days=5),
            created_by_id=moderator.id,
        )
        for p, note in zip(projects, PICK_NOTES, strict=False)
    ]
    picks.append(
        Feature(
            kind=FeatureKind.DESIGNER,
            user_id=designers[3].id,
            note=PICK_NOTES[2],
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=6),
            created_by_id=moderator.id,
        )
    )
    db.session.add_all(picks)
    days = 0
    for project in db.session.scalars(select(Project).where(Project.owner_id == mai.id)):
        for back in range(1, 15):
            db.session.add(
                ProjectViewDay(
                    project_id=project.id,
                    day=(now - timedelta(days=back)).date(),
                    views=rng.randint(0, 25),
                )
            )
            days += 1
    db.session.flush()
    return {"follows": len(pairs), "staff picks": len(picks), "daily view counts": days}
