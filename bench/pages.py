"""The pages the benchmark drives: every page named in issue 7.

`path` gets the generation context (ids, sizes); `login` names a bench account
(`designer-0`, `organiser-0`, `bench-moderator`) or None for a visitor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DIRECTORY_PER_PAGE = 24  # app.portfolios.queries.PER_PAGE
DEEP_PAGE = 200  # app.pagination.MAX_PAGES


@dataclass(frozen=True)
class Page:
    name: str
    path: Callable[[dict[str, Any]], str]
    login: str | None = None


def deep_directory_page(c: dict[str, Any]) -> str:
    """Page 200, or the last page when there are fewer designers than 200 pages hold."""
    last = max(1, -(-int(c["designers"]) // DIRECTORY_PER_PAGE))
    return f"/designers?page={min(DEEP_PAGE, last)}"


PAGES: list[Page] = [
    Page("baseline", lambda _c: "/_bench/baseline"),
    Page("home", lambda _c: "/"),
    Page("directory", lambda _c: "/designers"),
    Page("directory deep page", deep_directory_page),
    Page("portfolio", lambda c: f"/designers/{c['portfolio']}"),
    Page("project", lambda c: str(c["project_path"])),
    Page("search 'poster'", lambda _c: "/search?q=poster"),
    Page("search 'nguyen'", lambda _c: "/search?q=nguyen"),
    Page("search 'ha noi'", lambda _c: "/search?q=ha+noi"),
    Page("calls", lambda _c: "/calls"),
    Page("call", lambda c: f"/calls/{c['call_slug']}"),
    Page("atom feed", lambda _c: "/calls/feed.atom"),
    Page("image", lambda c: f"/media/{c['image_key']}"),
    Page("log-in page", lambda _c: "/auth/login"),
    Page(
        "submissions (500)", lambda c: f"/calls/{c['call_slug']}/submissions", login="organiser-0"
    ),
    Page("inbox", lambda _c: "/messages", login="designer-0"),
    Page("conversation (10k)", lambda c: f"/messages/{c['conversation']}", login="designer-0"),
    Page("moderation", lambda _c: "/moderation", login="bench-moderator"),
]
