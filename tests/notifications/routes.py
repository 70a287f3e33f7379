"""Permission expectations for the notification centre.

The matrix's member has one notification; everybody else asking for it gets 404 (whether a
notification id exists is nobody else's business)."""

from __future__ import annotations

from app.notifications.services import notify
from tests.permissions import Route, World, logged_in


def setup(world: World) -> None:
    note = notify(user=world.users["member"], kind="test", text="Matrix notification", url="/")
    world.objects["notification_id"] = note.id


ROUTES = [
    Route("notifications.index", "GET", "/notifications", logged_in(200)),
    Route(
        "notifications.open_one",
        "POST",
        lambda w: f"/notifications/{w.objects['notification_id']}/open",
        logged_in(404, member=302),
    ),
    Route(
        "notifications.mark_read",
        "POST",
        lambda w: f"/notifications/{w.objects['notification_id']}/read",
        logged_in(404, member=302),
    ),
    Route("notifications.mark_all_read", "POST", "/notifications/read", logged_in(302)),
]
