"""Permission expectations for following, the feed and staff picks."""

from __future__ import annotations

from datetime import timedelta

from app.db_types import utcnow
from app.extensions import db
from app.social.models import Feature, FeatureKind
from tests.factories import make_user
from tests.permissions import Route, World, everyone, logged_in
from tests.portfolios.factories import make_project


def setup(world: World) -> None:
    person = make_user(handle="w-soc-designer", display_name="Lê Văn Khoa")
    project = make_project(person, title="Đèn lồng giấy")
    now = utcnow()
    pick = Feature(
        kind=FeatureKind.PROJECT,
        user_id=person.id,
        project_id=project.id,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=6),
        note="",
    )

    db.session.add(pick)
    db.session.flush()
    world.objects["soc_project_id"] = project.id
    world.objects["soc_feature_id"] = pick.id


STAFF = logged_in(403, moderator=200, admin=200)

ROUTES = [
    # Anyone may press Follow: visitors are sent to log in, members are sent back with a message
    # (pending people are told they may follow once approved).
    Route("social.follow", "POST", "/people/w-soc-designer/follow", everyone(302)),
    Route("social.unfollow", "POST", "/people/w-soc-designer/unfollow", everyone(302)),
    Route("social.followers", "GET", "/people/w-soc-designer/followers", everyone(200)),
    Route("social.following", "GET", "/people/w-soc-designer/following", everyone(200)),
    Route("social.lists_setting", "POST", "/me/follow-lists", everyone(302)),
    Route("social.feed", "GET", "/feed", logged_in(200)),
    Route("social.featured", "GET", "/featured", everyone(200)),
    Route(
        "social.feature",
        "GET",
        lambda w: f"/moderation/feature/project/{w.objects['soc_project_id']}",
        STAFF,
    ),
    Route(
        "social.feature",
        "POST",
        lambda w: f"/moderation/feature/project/{w.objects['soc_project_id']}",
        logged_in(403, moderator=422, admin=422),
    ),
    Route(
        "social.end_feature",
        "POST",
        lambda w: f"/moderation/features/{w.objects['soc_feature_id']}/end",
        logged_in(403, moderator=302, admin=302),
    ),
]
