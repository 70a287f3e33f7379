"""The notification centre as a person sees it: the list, the badge, opening and marking read."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape
from typing import Any

import time_machine
from sqlalchemy import select

from app.accounts.models import User
from app.calls.models import Juror, OpenCall
from app.extensions import db
from app.notifications.models import Notification
from app.notifications.services import notify
from tests.calls.factories import make_call
from tests.factories import make_user

BADGE = re.compile(r"data-unread-notifications>(\d+)<")


def _text(response: Any) -> str:
    return unescape(response.get_data(as_text=True))


def _badge(page: str) -> int:
    found = BADGE.search(page)
    return int(found.group(1)) if found else 0


def _open_action(page: str, text: str) -> str:
    """The "Open" form's action of the notification whose text holds `text`."""
    item = page[page.index(text) :]
    return re.search(r'action="(/notifications/\d+/open)"', item).group(1)  # type: ignore[union-attr]


def test_an_invited_juror_sees_the_invitation_and_opens_it(client: Any, organiser: User) -> None:
    call = make_call(owner=organiser, title="Áp phích Trung thu")
    juror = make_user(handle="juror-lan", display_name="Phạm Lan")
    juror.locale = "en"
    db.session.commit()
    client.login_as(organiser)
    assert (
        client.post_form(f"/calls/{call.slug}/jurors", {"invitee": "@juror-lan"}).status_code == 302
    )

    client.login_as(juror)
    home = _text(client.get("/"))
    assert _badge(home) == 1
    assert "(1 unread notification)" in home
    assert 'href="/notifications"' in home
    page = _text(client.get("/notifications"))
    assert "invites you to the jury of “Áp phích Trung thu”." in page
    assert "notification--unread" in page
    assert ">New<" in page

    opened = client.post_form(_open_action(page, "invites you to the jury"))
    assert opened.status_code == 302
    invitation = db.session.scalars(select(Juror)).one()
    assert opened.headers["Location"] == f"/jury/invitations/{invitation.id}"
    target = client.get(opened.headers["Location"])
    assert target.status_code == 200
    assert "Áp phích Trung thu" in _text(target)
    assert "Accept the invitation" in _text(target)
    after = _text(client.get("/notifications"))
    assert _badge(after) == 0
    assert "notification--unread" not in after
    db.session.expire_all()
    assert db.session.scalars(select(Notification.read_at)).one() is not None


def test_mark_all_as_read_empties_the_badge(client: Any, designer: User) -> None:
    for n in range(3):
        notify(user=designer, kind="test", text=f"Update number {n}", url="/")
    db.session.commit()
    client.login_as(designer)
    page = _text(client.get("/notifications"))
    assert _badge(page) == 3
    assert "(3 unread notifications)" in page
    assert page.index("Update number 2") < page.index("Update number 0")  # newest first
    response = client.post_form("/notifications/read")
    assert response.status_code == 302
    after = _text(client.get(response.headers["Location"]))
    assert "All notifications are marked as read." in after
    assert _badge(after) == 0
    assert "Mark all as read" not in after
    assert "Update number 1" in after


def test_mark_one_as_read(client: Any, designer: User) -> None:
    keep = notify(user=designer, kind="test", text="Still new", url="/")
    done = notify(user=designer, kind="test", text="Read this one", url="/")
    db.session.commit()
    client.login_as(designer)
    client.post_form(f"/notifications/{done.id}/read", {"next": "/notifications"})
    page = _text(client.get("/notifications"))
    assert _badge(page) == 1
    db.session.expire_all()
    assert db.session.get(Notification, keep.id).read_at is None  # type: ignore[union-attr]
    assert db.session.get(Notification, done.id).read_at is not None  # type: ignore[union-attr]


def test_another_persons_notification_is_not_found(client: Any, designer: User) -> None:
    other = make_user(handle="someone-else")
    note = notify(user=other, kind="test", text="Private to someone else", url="/")
    db.session.commit()
    client.login_as(designer)
    for action in ("open", "read"):
        response = client.post_form(f"/notifications/{note.id}/{action}")
        assert response.status_code == 404
        assert "Page not found" in _text(response)
    assert "Private to someone else" not in _text(client.get("/notifications"))
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is None  # type: ignore[union-attr]


def test_a_deleted_subject_shows_as_no_longer_available(
    client: Any, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Gone call")
    notify(user=designer, kind="test", text="About a call", url=f"/calls/{call.slug}/apply")
    notify(user=designer, kind="test", text="About a page gone", url="/no-such-page/anywhere")
    db.session.delete(db.session.get(OpenCall, call.id))
    db.session.commit()
    client.login_as(designer)
    page = _text(client.get("/notifications"))
    assert page.count("What this was about is no longer available.") == 1
    # The call's page still routes; opening it asks the calls domain, which says it is gone.
    opened = client.post_form(_open_action(page, "About a call"))
    assert opened.headers["Location"] == "/notifications"
    after = _text(client.get(opened.headers["Location"]))
    assert "What this notification was about is no longer available." in after


def test_an_absolute_link_of_this_site_opens_as_a_path(client: Any, designer: User) -> None:
    note = notify(
        user=designer, kind="test", text="Moderation", url="https://ydn.example/account/moderation"
    )
    notify(user=designer, kind="test", text="Elsewhere", url="https://evil.example/x")
    db.session.commit()
    client.login_as(designer)
    response = client.post_form(f"/notifications/{note.id}/open")
    assert response.headers["Location"] == "/account/moderation"
    page = _text(client.get("/notifications"))
    assert page.count("What this was about is no longer available.") == 1


def test_older_notifications_are_reached_through_the_pager(client: Any, designer: User) -> None:
    for n in range(45):
        notify(user=designer, kind="test", text=f"Note {n:02d}.", url="/")
    db.session.commit()
    client.login_as(designer)
    first = _text(client.get("/notifications"))
    assert "Note 44." in first
    assert "Note 25." in first
    assert "Note 24." not in first
    older = re.search(r'href="([^"]+)">Older notifications', first).group(1)  # type: ignore[union-attr]
    second = _text(client.get(older))
    assert "Note 24." in second
    assert "Note 05." in second
    assert "Note 25." not in second
    assert "Page 2" in second
    assert "Newest notifications" in second
    third = _text(
        client.get(re.search(r'href="([^"]+)">Older notifications', second).group(1))  # type: ignore[union-attr]
    )
    assert "Note 04." in third
    assert "Note 00." in third
    assert "Older notifications" not in third


def test_the_page_and_badge_take_the_same_queries_for_2_and_200(
    client: Any, designer: User, count_queries: Any
) -> None:
    def measure(n: int) -> int:
        db.session.query(Notification).delete()
        for i in range(n):
            notify(user=designer, kind="test", text=f"Note {i}", url=f"/calls/c{i}/apply")
        db.session.commit()
        client.login_as(designer)
        with count_queries() as q:
            assert client.get("/notifications").status_code == 200
        return len(q.statements)

    few, many = measure(2), measure(200)
    print(f"\n/notifications: {few} queries with 2 notifications, {many} with 200")
    assert few == many


def test_the_page_reads_in_vietnamese_and_french(client: Any, designer: User) -> None:
    notify(user=designer, kind="test", text="x", url="/")
    db.session.commit()
    client.login_as(designer)
    for locale, words in (
        ("vi", ["Thông báo", "Đánh dấu tất cả là đã đọc", "Mới"]),
        ("fr", ["Notifications", "Tout marquer comme lu", "Nouveau"]),
    ):
        designer.locale = locale
        db.session.commit()
        page = _text(client.get("/notifications"))
        for word in words:
            assert word in page, (locale, word)


def test_a_notification_time_is_to_the_minute_in_the_readers_zone(
    client: Any, designer: User
) -> None:
    with time_machine.travel(datetime(2026, 3, 10, 2, 5, 37, tzinfo=UTC), tick=False):
        notify(user=designer, kind="test", text="Timed note", url="/")
        db.session.commit()
    client.login_as(designer)

    page = _text(client.get("/notifications"))

    assert "9:05" in page  # 02:05 UTC is 09:05 in Hồ Chí Minh City, the network's zone
    assert "9:05:37" not in page
