"""The Atom feed of calls, written as text: it parses, says what the feed library's document
said (ids, titles, dates, authors, links, summaries with deadline and fee), escapes what XML
needs escaping, and shows a fixed number of the newest calls."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from feedgen.feed import FeedGenerator
from flask import Flask
from flask.testing import FlaskClient

from app.accounts.models import User
from app.calls import feeds
from app.calls.models import OpenCall
from app.calls.views import FEED_ENTRIES
from app.db_types import utcnow
from app.extensions import db
from app.urls import public_url
from tests.calls.factories import make_call

ATOM = "{http://www.w3.org/2005/Atom}"


def _library_feed(calls: list[OpenCall], with_results: set[int]) -> bytes:
    """The document the feed library (feedgen) wrote before, for the same calls."""
    fg = FeedGenerator()
    fg.id("tag:test,2019:calls")
    fg.title("Open calls & more")
    fg.link(href="http://localhost/calls", rel="alternate")
    fg.link(href="http://localhost/calls/feed.atom", rel="self")
    fg.language("en")
    fg.updated(max(c.updated_at for c in calls))
    for call in reversed(calls):
        entry = fg.add_entry()
        if call.id in with_results:
            entry.link(href=public_url("calls.results", slug=call.slug), rel="related")
        entry.id(f"tag:{feeds.tag_domain()},2019:call:{call.id}")
        entry.title(call.title)
        entry.link(href=public_url("calls.detail", slug=call.slug))
        entry.summary(
            "\n".join(filter(None, [call.summary, feeds.deadline_text(call), feeds.fee_text(call)]))
        )
        entry.author({"name": call.owner.display_name})
        entry.published(call.published_at or call.created_at)
        entry.updated(call.updated_at)
    return bytes(fg.atom_str(pretty=True))


def _parse(document: bytes) -> ET.Element:
    return ET.fromstring(document)  # noqa: S314 (our own feed)


def _fields(document: bytes) -> list[dict[str, object]]:
    root = _parse(document)
    entries: list[dict[str, object]] = []
    for entry in root.iter(f"{ATOM}entry"):
        entries.append(
            {
                "id": entry.findtext(f"{ATOM}id"),
                "title": entry.findtext(f"{ATOM}title"),
                "updated": entry.findtext(f"{ATOM}updated"),
                "published": entry.findtext(f"{ATOM}published"),
                "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
                "summary": entry.findtext(f"{ATOM}summary"),
                "links": sorted(link.get("href", "") for link in entry.iter(f"{ATOM}link")),
            }
        )
    return entries


@pytest.mark.usefixtures("app")
def test_the_feed_says_what_the_feed_library_said(app: Flask, organiser: User) -> None:
    organiser.display_name = 'Studio "Tre" & <Co>'
    calls = [
        make_call(
            owner=organiser,
            title='Posters & <prints> "2030"',
            summary="Fees: 10 < 20 > 5 & more\nline two",
            no_entry_fee=False,
            entry_fee="200.000 ₫ & up",
            published_at=utcnow() - timedelta(hours=n),
            timezone=zone,
        )
        for n, zone in enumerate(["Asia/Ho_Chi_Minh", "Europe/Paris", "Pacific/Kiritimati"])
    ]
    db.session.commit()
    with_results = {calls[1].id}
    with app.test_request_context("/calls/feed.atom", base_url="http://localhost"):
        ours = feeds.atom_feed(
            feed_id="tag:test,2019:calls",
            title="Open calls & more",
            self_url="http://localhost/calls/feed.atom",
            calls=calls,
            with_results=with_results,
        )
        theirs = _library_feed(calls, with_results)
    root = _parse(ours)
    assert root.findtext(f"{ATOM}title") == "Open calls & more"
    assert root.findtext(f"{ATOM}updated") == _parse(theirs).findtext(f"{ATOM}updated")
    assert _fields(ours) == _fields(theirs)
    # The results' page is a related link (the library dropped the rel), the call's page the
    # entry's alternate.
    entry = next(root.iter(f"{ATOM}entry"))
    assert [link.get("rel") for link in entry.iter(f"{ATOM}link")] == [None]
    second = list(root.iter(f"{ATOM}entry"))[1]
    assert [link.get("rel") for link in second.iter(f"{ATOM}link")] == ["related", None]


def test_the_public_feed_shows_the_newest_calls_only(client: FlaskClient, organiser: User) -> None:
    for n in range(FEED_ENTRIES + 3):
        make_call(
            owner=organiser,
            title=f"Call {n}\x0b",
            published_at=utcnow() - timedelta(hours=n),
        )
    db.session.commit()
    response = client.get("/calls/feed.atom")
    assert response.mimetype == "application/atom+xml"
    root = _parse(response.data)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == [f"Call {n}" for n in range(FEED_ENTRIES)]
