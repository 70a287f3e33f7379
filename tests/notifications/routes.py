"""Permission expectations for the notification centre and the email preferences.

The matrix's member has one notification; everybody else asking for it gets 404 (whether a
notification id exists is nobody else's business). The unsubscribe link is the member's: it
needs no log-in, so everybody holding it gets the same page."""

from __future__ import annotations

from app.mail.models import EmailCategory
from app.mail.services import unsubscribe_token
from app.notifications.services import notify
from tests.permissions import Route, World, everyone, logged_in


def setup(world: World) -> None:
    note = notify(user=world.users["member"], kind="test", text="Matrix notification", url="/")
    world.objects["notification_id"] = note.id
    world.objects["unsubscribe_token"] = unsubscribe_token(
        world.users["member"], EmailCategory.MODERATION.value
    )


def _unsubscribe(world: World) -> str:
    return f"/unsubscribe/{world.objects['unsubscribe_token']}"


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
    Route("email_preferences.edit", "GET", "/account/notifications", logged_in(200)),
    Route(
        "email_preferences.edit",
        "POST",
        "/account/notifications",
        logged_in(302),
        data=lambda _w: {c.value: "digest" for c in EmailCategory},
    ),
    Route("email_preferences.unsubscribe", "GET", _unsubscribe, everyone(200)),
    Route("email_preferences.unsubscribe", "POST", _unsubscribe, everyone(200)),
]
