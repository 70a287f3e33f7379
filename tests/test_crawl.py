"""A crawl per role: start at `/`, follow only the links (`<a href>`) and GET forms found on
pages, as a person clicking around would, on a world of rich data (avatars, banners, Markdown,
long Vietnamese names, several languages, a call with a juror, applications, conversations,
reports, appeals, a suspended and a deleted neighbour).

What must hold for each role:
- no response is ≥ 500, anywhere, and no link leads to a missing page or a refusal (4xx);
- every download opens (ZIP, CSV, iCalendar, Atom), read to the end as a browser would;
- every GET endpoint the permission matrix allows the role (tests/*/routes.py: status 200)
  is reached from links, except the short list of URLs that only a token or a script opens.
A new page that no link reaches fails here.

Bounded: one visit per path and query-parameter shape, at most PER_ENDPOINT visits of an
endpoint, at most TOTAL pages per role; never follows logout or any POST, never leaves the site.
`pytest -s tests/test_crawl.py` prints the page count per role; CRAWL_VERBOSE=1 lists the pages.
"""

from __future__ import annotations

import csv
import io
import os
import time
import zipfile
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from flask import Flask
from icalendar import Calendar
from werkzeug.exceptions import MethodNotAllowed, NotFound

from app.accounts.models import UserStatus
from app.extensions import db
from tests.conftest import Client
from tests.full_world import FullWorld
from tests.permissions import all_routes

PER_ENDPOINT = 3
TOTAL = 300
ORIGIN = "localhost"

# Matrix role of each crawling role (tests/permissions.py ROLES).
ROLES = {
    "visitor": "anonymous",
    "pending": "pending",
    "suspended": "suspended",
    "designer": "member",
    "designer_full": "member",
    "organiser": "organiser",
    "juror": "juror",
    "moderator": "moderator",
    "admin": "admin",
}

# GET endpoints no link reaches, by design.
NOT_LINKED = {
    "accounts.verify": "the link in the verification email (a signed token)",
    "accounts.reset_with_token": "the link in the password-reset email (a signed token)",
    "accounts.confirm_email_change_page": "the link sent to a new address (a signed token)",
    "account.appeal_with_token": "the link in a suspension email (a signed token)",
    "email_preferences.unsubscribe": "the unsubscribe link of an email (a signed token)",
    "calls.join": "the link in a jury invitation sent to an address without an account (a token)",
    "media.serve": "images by content hash, in <img>/<source>, not <a>",
    "messaging.poll": "fetched by the conversation page's script, not a page",
    "health.healthz": "for the load balancer",
    "health.readyz": "for the load balancer",
    "main.sitemap": "for search engines (named in robots.txt)",
    "main.sitemap_page": "for search engines (listed in the sitemap index past 50,000 pages)",
    "main.robots": "for search engines",
    "opportunities.private_atom": "a private feed address, shown once to its owner (a token)",
    "opportunities.private_ics": "a private calendar address, shown once to its owner (a token)",
}
NOT_LINKED_PREFIXES = ("bench.",)  # only in BENCH_MODE

# GET endpoints the matrix opens to a role but that mean nothing to it: no link is owed.
POINTLESS_FOR: dict[str, dict[str, str]] = {
    "organiser": {"calls.my_submissions": "organisers publish calls; they do not apply"},
}

# Links another branch adds (issue 11, defects 6 and 7), as {role: {endpoint}}: the lead
# empties this after merging (the crawl fails once an entry is reached, to say so). Empty now:
# a juror reaches their calls' submissions through My home → "Juries I am on" (the home, /me,
# is the navigation's first item for everyone logged in).
AWAITING_OTHER_BRANCH: dict[str, set[str]] = {}


# ---------- Reading pages ----------


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    radios: dict[str, str] = field(default_factory=dict)


class Page(HTMLParser):
    """The links and GET forms of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._selected: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "form":
            method = a.get("method", "get").lower()
            self._form = Form(a.get("action", "")) if method == "get" else None
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            self._input(a)
        elif tag == "textarea" and a.get("name"):
            self._form.fields.append((a["name"], "hà nội"))
        elif tag == "select" and a.get("name"):
            self._select, self._selected, self._first_option = a["name"], None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if "selected" in a:
                self._selected = value
            if self._first_option is None and value:
                self._first_option = value

    def _input(self, a: dict[str, str]) -> None:
        assert self._form is not None
        name, kind, value = a["name"], a.get("type", "text").lower(), a.get("value", "")
        if kind in {"submit", "button", "image", "reset", "file", "password"}:
            return
        if kind == "checkbox":
            if "checked" in a:
                self._form.fields.append((name, value or "y"))
        elif kind == "radio":
            if "checked" in a or name not in self._form.radios:
                self._form.radios[name] = value
        elif kind == "hidden":
            self._form.fields.append((name, value))
        else:
            self._form.fields.append((name, value or sample_value(name, kind)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._form is not None and self._select is not None:
            chosen = self._selected if self._selected is not None else self._first_option
            if chosen is not None:
                self._form.fields.append((self._select, chosen))
            self._select = None
        elif tag == "form" and self._form is not None:
            self._form.fields.extend(self._form.radios.items())
            self.forms.append(self._form)
            self._form = None


def sample_value(name: str, kind: str) -> str:
    """A sensible value per field, as a person would type it."""
    if kind == "number":
        return "1"
    if kind == "date":
        return "2026-06-01"
    if kind == "email":
        return "mai@example.org"
    if name in {"q", "query", "search"}:
        return "nguyen"
    return "hà nội"


# ---------- The crawl ----------


@dataclass
class Visit:
    url: str
    status: int
    source: str


@dataclass
class Crawl:
    app: Flask
    client: Client
    visits: list[Visit] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def endpoint(self, path: str) -> str | None:
        adapter = self.app.url_map.bind(ORIGIN)
        try:
            endpoint, _ = adapter.match(path, method="GET")
        except (NotFound, MethodNotAllowed):
            return None
        except Exception:  # a redirect rule (e.g. a missing trailing slash)
            return None
        return str(endpoint)

    def run(self) -> None:
        seen_shapes: set[tuple[str, str, tuple[str, ...]]] = set()
        per_endpoint: dict[str, int] = {}
        queue: deque[tuple[str, str]] = deque([("/", "start")])
        while queue and len(self.visits) < TOTAL:
            url, source = queue.popleft()
            parts = urlsplit(url)
            endpoint = self.endpoint(parts.path)
            if endpoint is None:
                self.broken.append(f"{url} (linked from {source}): no such page")
                continue
            shape = (endpoint, parts.path, _shape(parts.query))
            if shape in seen_shapes or per_endpoint.get(endpoint, 0) >= PER_ENDPOINT:
                continue
            seen_shapes.add(shape)
            per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
            for found in self.visit(url, endpoint, source):
                queue.append((found, url))

    def visit(self, url: str, endpoint: str, source: str) -> Iterator[str]:
        try:
            response = self.client.get(url)
        except Exception as exc:  # a crash is what the crawl looks for
            self.errors.append(f"{url} (from {source}): {type(exc).__name__}: {exc}")
            return
        self.visits.append(Visit(url, response.status_code, source))
        if response.status_code >= 500:
            self.errors.append(f"{url} (from {source}): {response.status_code}")
            return
        if response.status_code >= 400:
            self.refused.append(f"{response.status_code} {url} (from {source})")
        if response.status_code == 200:
            self.reached.add(endpoint)
        if response.status_code in {301, 302, 303, 307, 308}:
            location = response.headers.get("Location", "")
            yield from _same_origin([urljoin(url, location)])
            return
        if response.status_code == 200 and response.mimetype != "text/html":
            problem = unreadable(response.mimetype, response.get_data())
            if problem:
                self.errors.append(f"{url} (from {source}): {problem}")
            return
        if response.status_code != 200:
            return
        page = Page()
        page.feed(response.get_data(as_text=True))
        yield from _same_origin(urljoin(url, href) for href in page.links)
        for form in page.forms:
            action = urljoin(url, form.action or url)
            query = urlencode([(k, v) for k, v in form.fields if k != "csrf_token"])
            yield from _same_origin([f"{urlsplit(action)._replace(query=query).geturl()}"])


def unreadable(mimetype: str, body: bytes) -> str | None:
    """Open a download the way the person's software would; say what is wrong, if anything."""
    try:
        if mimetype == "application/zip":
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                bad = archive.testzip()
                return f"damaged file {bad} in the archive" if bad else None
        if mimetype == "text/csv":
            rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
            return None if rows and rows[0] else "an empty CSV file"
        if mimetype == "text/calendar":
            Calendar.from_ical(body)
        elif mimetype in {"application/atom+xml", "application/xml", "text/xml"}:
            ElementTree.fromstring(body)  # noqa: S314 (our own feed)
    except Exception as exc:  # any failure to open is the finding
        return f"cannot be opened as {mimetype}: {exc}"
    return None


def _shape(query: str) -> tuple[str, ...]:
    return tuple(sorted({k for k, _ in parse_qsl(query, keep_blank_values=True)}))


def _same_origin(urls: Any) -> Iterator[str]:
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in {"", "http"} or parts.netloc not in {"", ORIGIN}:
            continue
        if parts.path.startswith("/static/") or "logout" in parts.path:
            continue
        yield parts._replace(scheme="", netloc="", fragment="").geturl()


def required_endpoints(role: str) -> set[str]:
    """GET endpoints the permission matrix opens (200) to this role."""
    matrix_role = ROLES[role]
    found = set()
    for route in all_routes():
        if route.method == "GET" and route.statuses()[matrix_role] == 200:
            found.add(route.endpoint)
    return {
        e
        for e in found
        if e not in NOT_LINKED
        and not e.startswith(NOT_LINKED_PREFIXES)
        and e not in AWAITING_OTHER_BRANCH.get(role, set())
        and e not in POINTLESS_FOR.get(role, {})
    }


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_a_role_is_reached_from_links_and_none_fails(
    app: Flask, client: Client, full_world: FullWorld, role: str
) -> None:
    world = full_world
    if role == "suspended":
        # A suspension that starts while the person is logged in (their session was started).
        person = world.users[role]
        person.status = UserStatus.ACTIVE
        db.session.commit()
        client.login_as(person)
        person.status = UserStatus.SUSPENDED
        db.session.commit()
    elif role != "visitor":
        client.login_as(world.users[role])

    started = time.perf_counter()
    crawl = Crawl(app, client)
    crawl.run()
    seconds = time.perf_counter() - started
    print(f"\ncrawl {role}: {len(crawl.visits)} pages in {seconds:.1f} s")
    if crawl.refused:
        print("refused:\n" + "\n".join(crawl.refused))
    if os.environ.get("CRAWL_VERBOSE"):
        print("\n".join(f"{v.status} {v.url}  <- {v.source}" for v in crawl.visits))

    assert not crawl.errors, "server errors:\n" + "\n".join(crawl.errors)
    landed = AWAITING_OTHER_BRANCH.get(role, set()) & crawl.reached
    assert not landed, f"now linked: remove {sorted(landed)} from AWAITING_OTHER_BRANCH"
    missing = required_endpoints(role) - crawl.reached
    assert not missing, f"{role}: pages the matrix allows but no link reaches: {sorted(missing)}"
    assert not crawl.broken, "links to no page:\n" + "\n".join(crawl.broken)
    # A link shown to a person must open for them (a report link on one's own profile did not).
    assert not crawl.refused, "links that refuse the person:\n" + "\n".join(crawl.refused)
    assert len(crawl.visits) < TOTAL, "the crawl hit its cap: raise it or narrow the shapes"
