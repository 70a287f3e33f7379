"""Permission expectations for the site-wide routes."""

from __future__ import annotations

from tests.permissions import Route, everyone

ROUTES = [
    Route("main.home", "GET", "/", everyone(200)),
    Route(
        "main.set_language",
        "POST",
        "/language",
        everyone(302),
        data=lambda _w: {"language": "fr", "next": "/"},
    ),
    Route("health.healthz", "GET", "/healthz", everyone(200)),
    Route("health.readyz", "GET", "/readyz", everyone(200)),
]
