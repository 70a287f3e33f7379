"""Permission expectations for the disciplines admin."""

from __future__ import annotations

from app.extensions import db
from app.profiles.models import Discipline
from tests.permissions import Route, World, logged_in


def setup(world: World) -> None:
    world.objects["discipline"] = db.session.query(Discipline).first()


def admins(status: int) -> dict[str, int]:
    return logged_in(403, admin=status)


ROUTES = [
    Route("disciplines.index", "GET", "/admin/disciplines", admins(200)),
    Route("disciplines.add", "POST", "/admin/disciplines", admins(422)),
    Route(
        "disciplines.edit",
        "POST",
        lambda w: f"/admin/disciplines/{w.objects['discipline'].id}",
        admins(422),
    ),
]
