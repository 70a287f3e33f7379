"""Permission expectations for the organisations routes: the organiser's own form (any
organiser, pending too, may describe their organisation) and the public directory."""

from __future__ import annotations

from tests.permissions import Route, everyone, logged_in

ROUTES = [
    Route("organisations.edit", "GET", "/me/organisation", logged_in(403, organiser=200)),
    # A website that is not one: the form comes back with its message (422).
    Route(
        "organisations.edit",
        "POST",
        "/me/organisation",
        logged_in(403, organiser=422),
        data=lambda _w: {"website": "javascript:alert(1)"},
    ),
    Route("organisations.directory", "GET", "/organisations", everyone(200)),
]
