"""Pages of the accessibility sweep (tests/browser): the feed, follower lists, staff picks and
the form that features a project."""

from __future__ import annotations

from tests.browser.world import SitePage, submit_empty

A11Y_PAGES: list[SitePage] = [
    SitePage("feed", "/feed", "designer"),
    SitePage("followers", "/people/{designer}/followers"),
    SitePage("own following list", "/people/{designer}/following", "designer"),
    SitePage("staff picks", "/featured"),
    SitePage("staff picks as moderator", "/featured", "moderator"),
    SitePage("feature a project", "/moderation/feature/project/{project_id}", "moderator"),
    SitePage(
        "feature a project errors",
        "/moderation/feature/project/{project_id}",
        "moderator",
        submit_empty,
    ),
]
