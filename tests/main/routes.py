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
    Route("main.about", "GET", "/about", everyone(200)),
    Route("main.guidelines", "GET", "/guidelines", everyone(200)),
    Route("main.sitemap", "GET", "/sitemap.xml", everyone(200)),
    Route("main.sitemap_page", "GET", "/sitemap-1.xml", everyone(200)),
    Route("main.robots", "GET", "/robots.txt", everyone(200)),
    Route("health.healthz", "GET", "/healthz", everyone(200)),
    Route("health.readyz", "GET", "/readyz", everyone(200)),
]
