"""Atom entries and iCalendar events of calls, shared by the public feeds (`/calls/feed.atom`,
`/calls/deadlines.ics`) and each person's private ones: every entry carries the deadline (in
the call's own zone and in UTC) and the entry fee."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlsplit

from feedgen.feed import FeedGenerator
from flask import current_app
from flask_babel import get_locale
from icalendar import Calendar, Event

from app.calls.models import OpenCall
from app.db_types import utcnow
from app.i18n import request_translations, when_in
from app.urls import public_url

PLACEHOLDER = "0slug0"


def _(message: str, **values: str) -> str:
    """`gettext` through the request's catalogue, looked up once (Flask-Babel's own lookup
    costs ~12 µs a string, and a feed of 50 entries translates 100)."""
    text = str(request_translations().ugettext(message))
    return text % values if values else text


def tag_domain() -> str:
    return urlsplit(public_url("main.home")).hostname or "localhost"


def deadline_text(call: OpenCall) -> str:
    """ "Deadline: 1 Dec 2026, 23:59 (Hanoi) — 16:59 UTC", in the request's language."""
    utc = call.deadline_at.astimezone(UTC)
    return _(
        "Deadline: %(local)s — %(utc)s UTC",
        local=when_in(call.deadline_at, call.timezone, "medium"),
        utc=f"{utc:%Y-%m-%d %H:%M}",
    )


def fee_text(call: OpenCall) -> str:
    if call.no_entry_fee:
        return _("No entry fee")
    return _("Entry fee: %(fee)s", fee=call.entry_fee)


def atom_feed(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    calls: Sequence[OpenCall],
    with_results: set[int] | None = None,
) -> bytes:
    """An Atom document of calls (newest first), each entry with its deadline and fee."""
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.link(href=public_url("calls.index"), rel="alternate")
    fg.link(href=self_url, rel="self")
    fg.language(str(get_locale() or "en"))
    fg.updated(max((c.updated_at for c in calls), default=utcnow()))
    domain = tag_domain()
    # Each entry's links: built once, then the call's slug in its place (50 entries a feed).
    detail = public_url("calls.detail", slug=PLACEHOLDER).rpartition(PLACEHOLDER)
    results = public_url("calls.results", slug=PLACEHOLDER).rpartition(PLACEHOLDER)
    for call in reversed(calls):
        entry = fg.add_entry()
        slug = quote(call.slug)
        if with_results and call.id in with_results:
            entry.link(href=f"{results[0]}{slug}{results[2]}", rel="related")
        # Stable ids: the call's number never changes, even when its title or slug does.
        entry.id(f"tag:{domain},2019:call:{call.id}")
        entry.title(call.title)
        entry.link(href=f"{detail[0]}{slug}{detail[2]}")
        entry.summary("\n".join(filter(None, [call.summary, deadline_text(call), fee_text(call)])))
        entry.author({"name": call.owner.display_name})
        entry.published(call.published_at or call.created_at)
        entry.updated(call.updated_at)
    return bytes(fg.atom_str(pretty=True))


def _deadline_event(call: OpenCall, title: str, deadline: datetime, uid: str) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{tag_domain()}")
    event.add("summary", _("Deadline: %(title)s", title=title))
    event.add("dtstart", deadline.astimezone(UTC))
    # "At 23:59" accepts the whole of that minute: the event lasts it.
    event.add("dtend", (deadline + timedelta(minutes=1)).astimezone(UTC))
    event.add("dtstamp", call.updated_at.astimezone(UTC))
    event.add("url", public_url("calls.detail", slug=call.slug))
    event.add("description", "\n".join(filter(None, [call.summary, fee_text(call)])))
    return event


def deadline_calendar(*, name: str, calls: Sequence[OpenCall]) -> bytes:
    """An iCalendar document: one VEVENT per deadline (the call's, and each category's own),
    in UTC (lines end in CRLF and text is escaped by the icalendar library). The calls'
    categories must be loaded."""
    cal = Calendar()
    cal.add("prodid", f"-//{current_app.config['NETWORK_NAME']}//Open calls//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for call in calls:
        cal.add_component(_deadline_event(call, call.title, call.deadline_at, f"call-{call.id}"))
        # A category with a deadline of its own closes earlier: an event of its own.
        for category in call.categories:
            if category.deadline_at is not None and category.deadline_at != call.deadline_at:
                title = f"{call.title} — {category.name}"
                uid = f"call-{call.id}-category-{category.id}"
                cal.add_component(_deadline_event(call, title, category.deadline_at, uid))
    return bytes(cal.to_ical())
