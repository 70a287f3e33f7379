"""Private feeds (Atom and iCalendar, behind a revocable secret) and the public calls feed's
filters, each entry with its deadline and fee."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import Flask
from icalendar import Calendar
from sqlalchemy import select

from app.accounts.models import User, UserStatus
from app.calls.models import CallKind, CallStatus
from app.extensions import db
from app.opportunities import services
from app.opportunities.models import AlertFrequency, AlertMatch
from app.profiles.models import Discipline
from demo import build
from tests.calls.factories import make_call
from tests.conftest import Client

ATOM = "{http://www.w3.org/2005/Atom}"
DEADLINE = datetime(2030, 6, 30, 16, 59, tzinfo=UTC)
EARLY = datetime(2030, 6, 20, 16, 59, tzinfo=UTC)


def _feed_addresses(client: Client) -> tuple[str, str]:
    """Turn the feeds on (or make new addresses) and read the two addresses shown once."""
    assert client.post_form("/account/feeds").status_code == 302
    page = client.get("/account/feeds").get_data(as_text=True)
    atom = re.search(r'id="feed-atom" type="text" readonly value="([^"]+)"', page)
    ics = re.search(r'id="feed-ics" type="text" readonly value="([^"]+)"', page)
    assert atom, "the addresses are shown after they are made"
    assert ics
    # Shown once: not on the next visit.
    assert "feed-atom" not in client.get("/account/feeds").get_data(as_text=True)
    return atom.group(1).replace("https://ydn.example", ""), ics.group(1).replace(
        "https://ydn.example", ""
    )


@pytest.fixture
def world(app: Flask, organiser: User, designer: User) -> dict[str, Any]:  # noqa: ARG001
    saved = make_call(
        owner=organiser,
        title="Saved; with, commas\\ and a semicolon",
        deadline_at=DEADLINE,
        no_entry_fee=False,
        entry_fee="200.000 ₫",
    )
    matched = make_call(owner=organiser, title="Matched by my alert", deadline_at=DEADLINE)
    make_call(owner=organiser, title="Somebody else's interest", deadline_at=DEADLINE)
    draft = make_call(owner=organiser, title="A draft", status=CallStatus.DRAFT)
    build.category(saved, "Student", deadline_at=EARLY)
    build.category(saved, "Open", deadline_at=None)  # the call's deadline: no event of its own
    services.save_call(designer, saved)
    db.session.add(
        AlertMatch(user_id=designer.id, call_id=matched.id, frequency=AlertFrequency.DAILY)
    )
    db.session.add(AlertMatch(user_id=designer.id, call_id=draft.id, frequency="daily"))
    db.session.commit()
    return {"saved": saved, "matched": matched}


@pytest.mark.usefixtures("world")
def test_private_atom_has_my_calls_with_deadline_and_fee_and_nothing_else(
    client: Client, designer: User
) -> None:
    client.login_as(designer)
    atom_url, _ics = _feed_addresses(client)
    client.get("/auth/logout")
    visitor = client.application.test_client()
    response = visitor.get(atom_url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert "no-store" in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    root = ElementTree.fromstring(body)  # noqa: S314 (our own feed)
    titles = sorted(e.findtext(f"{ATOM}title") or "" for e in root.findall(f"{ATOM}entry"))
    assert titles == ["Matched by my alert", "Saved; with, commas\\ and a semicolon"]
    summaries = " ".join(e.findtext(f"{ATOM}summary") or "" for e in root.findall(f"{ATOM}entry"))
    assert "Entry fee: 200.000 ₫" in summaries
    assert "No entry fee" in summaries
    assert "2030-06-30 16:59 UTC" in summaries
    # Nothing about the person: not their name, handle or address.
    for secret in (designer.email, designer.handle, designer.display_name):
        assert secret not in body


@pytest.mark.usefixtures("world")
def test_private_calendar_is_valid_icalendar(client: Client, designer: User) -> None:
    client.login_as(designer)
    _atom, ics_url = _feed_addresses(client)
    response = client.get(ics_url)
    assert response.mimetype == "text/calendar"
    raw = response.get_data()
    lines = raw.split(b"\r\n")
    assert b"\n" not in b"".join(lines)  # every line ends in CRLF
    assert all(len(line) <= 75 for line in lines)  # folded
    assert b"DTSTART:20300630T165900Z" in raw  # UTC
    assert b"Saved\\; with\\, commas\\\\ and a semicolon" in raw.replace(b"\r\n ", b"")
    cal = Calendar.from_ical(raw)
    events = cal.walk("VEVENT")
    # One per deadline: both calls', and the category that closes earlier.
    assert len(events) == 3
    assert sorted(e.decoded("DTSTART") for e in events) == [EARLY, DEADLINE, DEADLINE]
    assert len({str(e["UID"]) for e in events}) == 3
    (early,) = [e for e in events if e.decoded("DTSTART") == EARLY]
    assert str(early["SUMMARY"]).endswith("— Student")


@pytest.mark.usefixtures("world")
def test_new_addresses_retire_the_old_and_turning_off_gives_404(
    client: Client, designer: User
) -> None:
    client.login_as(designer)
    old_atom, old_ics = _feed_addresses(client)
    new_atom, new_ics = _feed_addresses(client)
    assert old_atom != new_atom
    assert client.get(old_atom).status_code == 404
    assert client.get(old_ics).status_code == 404
    assert client.get(new_atom).status_code == 200
    assert client.post_form("/account/feeds/revoke").status_code == 302
    assert "Your private feeds are off." in client.get("/account/feeds").get_data(as_text=True)
    assert client.get(new_atom).status_code == 404
    assert client.get(new_ics).status_code == 404


@pytest.mark.usefixtures("world")
def test_a_suspended_persons_feed_is_gone_and_made_up_tokens_too(
    client: Client, designer: User
) -> None:
    client.login_as(designer)
    atom_url, _ics = _feed_addresses(client)
    for made_up in ("nope", "x" * 500, "%00"):
        assert client.get(f"/feeds/{made_up}/calls.atom").status_code == 404
    db.session.get(User, designer.id).status = UserStatus.SUSPENDED  # type: ignore[union-attr]
    db.session.commit()
    assert client.application.test_client().get(atom_url).status_code == 404


def test_feed_pages_are_reached_from_alerts_and_saved_pages(client: Client, designer: User) -> None:
    client.login_as(designer)
    for page in ("/calls/saved", "/account/alerts", "/me"):
        assert 'href="/account/feeds"' in client.get(page).get_data(as_text=True)


# ---------- The public feed's filters ----------


def _entries(client: Client, url: str) -> list[ElementTree.Element]:
    root = ElementTree.fromstring(client.get(url).get_data())  # noqa: S314
    return root.findall(f"{ATOM}entry")


@pytest.mark.usefixtures("app")
def test_public_feed_filters_by_kind_and_discipline(client: Client, organiser: User) -> None:
    poster, other = db.session.scalars(select(Discipline).order_by(Discipline.id).limit(2))
    residency = make_call(owner=organiser, title="Residency", kind=CallKind.RESIDENCY)
    residency.disciplines = [poster]
    grant = make_call(
        owner=organiser, title="Grant", kind=CallKind.GRANT, no_entry_fee=False, entry_fee="10 €"
    )
    grant.disciplines = [other]
    db.session.commit()
    assert len(_entries(client, "/calls/feed.atom")) == 2
    (entry,) = _entries(client, "/calls/feed.atom?kind=residency")
    assert entry.findtext(f"{ATOM}title") == "Residency"
    assert "No entry fee" in (entry.findtext(f"{ATOM}summary") or "")
    assert "Deadline:" in (entry.findtext(f"{ATOM}summary") or "")
    (entry,) = _entries(client, f"/calls/feed.atom?discipline={other.slug}")
    assert entry.findtext(f"{ATOM}title") == "Grant"
    assert "Entry fee: 10 €" in (entry.findtext(f"{ATOM}summary") or "")
    assert _entries(client, f"/calls/feed.atom?kind=grant&discipline={poster.slug}") == []
    assert _entries(client, "/calls/feed.atom?kind=<script>") == []
    assert _entries(client, "/calls/feed.atom?discipline=nope") == []
    # The feed says where it is, filters included.
    body = client.get("/calls/feed.atom?kind=residency").get_data(as_text=True)
    assert 'href="https://ydn.example/calls/feed.atom?kind=residency"' in body


def test_private_feed_is_constant_in_queries(
    client: Client, organiser: User, designer: User, count_queries: Any
) -> None:
    def save(n: int) -> None:
        for _ in range(n):
            services.save_call(designer, make_call(owner=organiser))
        db.session.commit()

    save(2)
    client.login_as(designer)
    atom_url, ics_url = _feed_addresses(client)
    with count_queries() as small:
        client.get(atom_url)
        client.get(ics_url)
    save(60)
    with count_queries() as large:
        assert len(_entries(client, atom_url)) == 62
        client.get(ics_url)
    assert small.count == large.count
