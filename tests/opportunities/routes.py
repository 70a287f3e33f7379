"""Permission expectations for saved calls, alerts and private feeds.

The member has an alert (only they open, edit or delete it: 404 for everyone else) and private
feeds whose secret is `feed_token`; `revoked_token` was the admin's, turned off since (404 for
whoever holds it). Saving a call is for anyone logged in.
"""

from __future__ import annotations

from app.opportunities import services
from app.opportunities.services import AlertData
from tests.permissions import Route, World, everyone, logged_in


def setup(world: World) -> None:
    alert = services.create_alert(world.users["member"], AlertData(no_fee=True))
    token = services.new_feed_token(world.users["member"])
    revoked = services.new_feed_token(world.users["admin"])
    services.revoke_feed_token(world.users["admin"])
    world.objects.update(alert_id=alert.id, feed_token=token, revoked_token=revoked)


def _alert(w: World) -> str:
    return f"/account/alerts/{w.objects['alert_id']}"


ROUTES = [
    Route("opportunities.save", "POST", "/calls/matrix-a/save", logged_in(302)),
    # A draft is nobody's to save: 404 for everyone logged in (its organiser included).
    Route("opportunities.save", "POST", "/calls/matrix-draft/save", logged_in(404)),
    Route("opportunities.unsave", "POST", "/calls/matrix-a/unsave", logged_in(302)),
    Route("opportunities.saved", "GET", "/calls/saved", logged_in(200)),
    Route("opportunities.alerts", "GET", "/account/alerts", logged_in(200)),
    # Nothing chosen: refused with the form again.
    Route("opportunities.alerts", "POST", "/account/alerts", logged_in(422)),
    Route("opportunities.edit_alert", "GET", _alert, logged_in(404, member=200)),
    Route("opportunities.edit_alert", "POST", _alert, logged_in(404, member=422)),
    Route(
        "opportunities.delete_alert",
        "POST",
        lambda w: _alert(w) + "/delete",
        logged_in(404, member=302),
    ),
    Route("opportunities.feeds_page", "GET", "/account/feeds", logged_in(200)),
    Route("opportunities.new_feed", "POST", "/account/feeds", logged_in(302)),
    Route("opportunities.revoke_feed", "POST", "/account/feeds/revoke", logged_in(302)),
    Route(
        "opportunities.private_atom",
        "GET",
        lambda w: f"/feeds/{w.objects['feed_token']}/calls.atom",
        everyone(200),
    ),
    Route(
        "opportunities.private_ics",
        "GET",
        lambda w: f"/feeds/{w.objects['feed_token']}/calls.ics",
        everyone(200),
    ),
    Route(
        "opportunities.private_atom",
        "GET",
        lambda w: f"/feeds/{w.objects['revoked_token']}/calls.atom",
        everyone(404),
    ),
    Route(
        "opportunities.private_ics",
        "GET",
        lambda w: f"/feeds/{w.objects['revoked_token']}/calls.ics",
        everyone(404),
    ),
]
