"""Permission expectations for the decision emails' pages (blueprint `call_decisions`).

They use call A of tests/calls/routes.py (the matrix organiser's, with an application by
someone else): only its organiser writes its emails or chooses the feedback; everyone else
gets 404, as for the call's submissions.
"""

from __future__ import annotations

from tests.permissions import Route, World, logged_in

OWNER_ONLY_GET = logged_in(404, organiser=200)
TEMPLATE = "/calls/matrix-a/decisions/templates/accepted/vi"


def _feedback(w: World) -> str:
    return f"/calls/matrix-a/submissions/{w.objects['submission'].id}/feedback"


ROUTES = [
    Route(
        "call_decisions.template_list",
        "GET",
        "/calls/matrix-a/decisions/templates",
        OWNER_ONLY_GET,
    ),
    Route("call_decisions.edit_template", "GET", TEMPLATE, OWNER_ONLY_GET),
    # Nothing typed: refused with a message.
    Route("call_decisions.edit_template", "POST", TEMPLATE, logged_in(404, organiser=422)),
    Route(
        "call_decisions.reset_template",
        "POST",
        TEMPLATE + "/reset",
        logged_in(404, organiser=302),
    ),
    # Nothing ticked: no juror comment goes.
    Route("call_decisions.share_feedback", "POST", _feedback, logged_in(404, organiser=302)),
]
