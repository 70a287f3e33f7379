"""The pages the benchmark drives: every page named in issue 7.

`path` gets the generation context (ids, sizes); `login` names the bench account a page needs
(`organiser-0`, `bench-moderator`, or `designer-0`, the default for the uncached measure: the
page cache never applies to logged-in people); `visitor_only` pages (the yardstick, the log-in
page, the feed, an image) are measured as a visitor for both. `cached` pages are the ones
app/pagecache.py keeps for visitors: they are measured a second time as a visitor, cache on.
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
    cached: bool = False
    visitor_only: bool = False

    @property
    def uncached_login(self) -> str | None:
        """Who the uncached render is measured as: a logged-in designer unless the page says."""
        if self.visitor_only:
            return None
        return self.login or "designer-0"


def deep_directory_page(c: dict[str, Any]) -> str:
    """Page 200, or the last page when there are fewer designers than 200 pages hold."""
    last = max(1, -(-int(c["designers"]) // DIRECTORY_PER_PAGE))
    return f"/designers?page={min(DEEP_PAGE, last)}"


PAGES: list[Page] = [
    Page("baseline", lambda _c: "/_bench/baseline", visitor_only=True),
    Page("home", lambda _c: "/", cached=True),
    Page("directory", lambda _c: "/designers", cached=True),
    Page("directory deep page", deep_directory_page, cached=True),
    Page("portfolio", lambda c: f"/designers/{c['portfolio']}", cached=True),
    Page("project", lambda c: str(c["project_path"]), cached=True),
    Page("search 'poster'", lambda _c: "/search?q=poster", cached=True),
    Page("search 'nguyen'", lambda _c: "/search?q=nguyen", cached=True),
    Page("search 'ha noi'", lambda _c: "/search?q=ha+noi", cached=True),
    Page("calls", lambda _c: "/calls", cached=True),
    Page("call", lambda c: f"/calls/{c['call_slug']}", cached=True),
    Page("atom feed", lambda _c: "/calls/feed.atom", visitor_only=True),
    Page("image", lambda c: f"/media/{c['image_key']}", visitor_only=True),
    Page("log-in page", lambda _c: "/auth/login", visitor_only=True),
    Page(
        "submissions (500)", lambda c: f"/calls/{c['call_slug']}/submissions", login="organiser-0"
    ),
    Page("inbox", lambda _c: "/messages", login="designer-0"),
    Page("conversation (10k)", lambda c: f"/messages/{c['conversation']}", login="designer-0"),
    Page("moderation", lambda _c: "/moderation", login="bench-moderator"),
]
