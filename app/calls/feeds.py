"""Atom entries and iCalendar events of calls, shared by the public feeds (`/calls/feed.atom`,
`/calls/deadlines.ics`) and each person's private ones: every entry carries the deadline (in
the call's own zone and in UTC) and the entry fee."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

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


# Characters XML 1.0 cannot hold at all (the feed library refused them): left out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Element text as XML writes it (& < > escaped)."""
    return escape(_NOT_XML.sub("", value), _TEXT_ENTITIES)


def _attr(value: str) -> str:
    """An attribute's value between double quotes (& < > " escaped, line breaks kept)."""
    return escape(_NOT_XML.sub("", value), _ATTR_ENTITIES)


_TEXT_ENTITIES = {"\r": "&#13;"}


_ATTR_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def atom_feed(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    calls: Sequence[OpenCall],
    with_results: set[int] | None = None,
) -> bytes:
    """An Atom document of calls (newest first), each entry with its deadline and fee.

    Written as text, element by element in the order a feed library writes them (the feed
    library built a tree of some twenty objects an entry, then serialised it); what it says is
    checked by tests/calls/test_atom_feed.py against a parser."""
    updated = max((c.updated_at for c in calls), default=utcnow())
    language = str(get_locale() or "en")
    domain = tag_domain()
    # Each entry's links: built once, then the call's slug in its place.
    detail = public_url("calls.detail", slug=PLACEHOLDER).rpartition(PLACEHOLDER)
    results = public_url("calls.results", slug=PLACEHOLDER).rpartition(PLACEHOLDER)
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>\n",
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{_attr(language)}">\n',
        f"  <id>{_text(feed_id)}</id>\n",
        f"  <title>{_text(title)}</title>\n",
        f"  <updated>{updated.isoformat()}</updated>\n",
        f'  <link href="{_attr(public_url("calls.index"))}" rel="alternate"/>\n',
        f'  <link href="{_attr(self_url)}" rel="self"/>\n',
    ]
    for call in calls:
        slug = quote(call.slug)
        summary = "\n".join(filter(None, [call.summary, deadline_text(call), fee_text(call)]))
        published = call.published_at or call.created_at
        # Stable ids: the call's number never changes, even when its title or slug does.
        out.append(
            "  <entry>\n"
            f"    <id>tag:{domain},2019:call:{call.id}</id>\n"
            f"    <title>{_text(call.title)}</title>\n"
            f"    <updated>{call.updated_at.isoformat()}</updated>\n"
            "    <author>\n"
            f"      <name>{_text(call.owner.display_name)}</name>\n"
            "    </author>\n"
        )
        if with_results and call.id in with_results:
            out.append(
                f'    <link href="{_attr(f"{results[0]}{slug}{results[2]}")}" rel="related"/>\n'
            )
        out.append(
            # No rel: an entry's link is its alternate (as the feed library wrote it).
            f'    <link href="{_attr(f"{detail[0]}{slug}{detail[2]}")}"/>\n'
            f"    <summary>{_text(summary)}</summary>\n"
            f"    <published>{published.isoformat()}</published>\n"
            "  </entry>\n"
        )
    out.append("</feed>\n")
    return "".join(out).encode()


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
