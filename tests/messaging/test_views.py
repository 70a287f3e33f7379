from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask_login import login_user, logout_user
from sqlalchemy import func, select

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.messaging import services
from app.messaging.models import Block, Message
from app.moderation.models import Report
from tests.conftest import Client
from tests.factories import make_user
from tests.messaging.factories import converse

TOKEN_RE = re.compile(r'name="token" type="hidden" value="([^"]+)"')


def _token(page: str) -> str:
    match = TOKEN_RE.search(page)
    assert match, "no idempotency token in the form"
    return match.group(1)


def test_inbox_lists_conversations_latest_first_with_unread_markers(
    client: Client, designer: User
) -> None:
    an = make_user(handle="an", display_name="Trần An")
    binh = make_user(handle="binh", display_name="Lê Bình")
    converse(an, designer, "Chào Mai, dự án gốm thế nào rồi?\nDòng hai")
    converse(binh, designer, "Hello Mai — loved your lacquer series")
    client.login_as(designer)

    page = client.get("/messages").get_data(as_text=True)

    assert page.index("Lê Bình") < page.index("Trần An")
    assert "Chào Mai, dự án gốm thế nào rồi?" in page
    assert "Dòng hai" not in page
    assert page.count("inbox__item--unread") == 2
    assert "1 unread message" in page
    assert 'class="nav-count" data-unread-count>2<' in page


def test_the_nav_count_shows_on_every_page_and_not_for_visitors(
    client: Client, designer: User
) -> None:
    converse(make_user(), designer, "Một", "Hai", "Ba")
    assert "nav-count" not in client.get("/").get_data(as_text=True)
    client.login_as(designer)
    home = client.get("/").get_data(as_text=True)
    assert "data-unread-count>3<" in home
    assert "(3 unread)" in home


def test_opening_a_conversation_shows_it_and_marks_it_read(client: Client, designer: User) -> None:
    an = make_user(handle="an", display_name="Trần An")
    conversation = converse(
        an, designer, "Xin chào <script>alert(1)</script>", "Xem https://example.org/an nhé"
    )
    client.login_as(designer)

    page = client.get(f"/messages/{conversation.public_id}").get_data(as_text=True)

    assert "Trần An" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert 'href="https://example.org/an" rel="nofollow noopener ugc"' in page
    assert page.index("Xin chào") < page.index("Xem ")
    assert "nav-count" not in page  # read now
    assert services.unread_total(designer) == 0


def test_a_reply_appears_and_the_other_person_sees_it_unread(
    client: Client, designer: User
) -> None:
    an = make_user(handle="an")
    conversation = converse(an, designer, "Chào Mai")
    client.login_as(designer)
    form = client.get(f"/messages/{conversation.public_id}").get_data(as_text=True)

    response = client.post_form(
        f"/messages/{conversation.public_id}",
        {"body": "Chào An!\nHẹn cà phê thứ Bảy?", "token": _token(form)},
    )

    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Chào An!<br>\nHẹn cà phê thứ Bảy?" in page
    assert services.unread_total(an) == 1


def test_a_double_click_sends_once(client: Client, designer: User) -> None:
    an = make_user(handle="an")
    conversation = converse(an, designer, "Chào Mai")
    client.login_as(designer)
    token = _token(client.get(f"/messages/{conversation.public_id}").get_data(as_text=True))
    for _ in range(2):
        response = client.post_form(
            f"/messages/{conversation.public_id}", {"body": "Một lần thôi", "token": token}
        )
        assert response.status_code == 302
    assert db.session.scalar(select(func.count()).where(Message.body == "Một lần thôi")) == 1


def test_hostile_text_is_refused_and_kept_in_the_form(client: Client, designer: User) -> None:
    an = make_user(handle="an")
    conversation = converse(an, designer, "Chào Mai")
    client.login_as(designer)
    url = f"/messages/{conversation.public_id}"

    too_long = client.post_form(url, {"body": "x" * 5001, "token": "t1"})
    assert too_long.status_code == 422
    assert "at most 5000 characters; this one has 5001" in too_long.get_data(as_text=True)
    assert "x" * 5001 in too_long.get_data(as_text=True)

    blank = client.post_form(url, {"body": " \n\t \u202e\x01", "token": "t2"})
    assert blank.status_code == 422
    assert "Write a message before sending it." in blank.get_data(as_text=True)

    long_url = client.post_form(url, {"body": "https://example.org/" + "a" * 9980, "token": "t3"})
    assert long_url.status_code == 422

    # NUL is refused by every form, with the field's message (app.forms.Form).
    nul = client.post_form(url, {"body": "a\x00b", "token": "t5"})
    assert nul.status_code == 422
    assert "contains a character that cannot be saved (NUL)" in nul.get_data(as_text=True)

    ok = client.post_form(url, {"body": "ab\x1bc", "token": "t4"})
    assert ok.status_code == 302
    assert db.session.scalar(select(Message.body).order_by(Message.id.desc()).limit(1)) == "abc"


def test_start_a_conversation_from_a_member_page(client: Client, designer: User) -> None:
    make_user(handle="an", display_name="Trần An")
    client.login_as(designer)
    form = client.get("/messages/new/an").get_data(as_text=True)
    assert "Message Trần An" in form

    response = client.post_form(
        "/messages/new/an", {"body": "Chào An, mình là Mai.", "token": _token(form)}
    )

    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Your message was sent to Trần An." in page
    assert "Chào An, mình là Mai." in page
    # Once there is a conversation, "Message" leads to it.
    assert client.get("/messages/new/an").location == response.location


def test_new_conversation_refusals(client: Client, designer: User, pending_designer: User) -> None:
    client.login_as(designer)
    assert client.get("/messages/new/pending-one").status_code == 404
    assert client.get("/messages/new/nobody").status_code == 404
    assert client.get("/messages/new/mai-nguyen").status_code == 404  # oneself

    client.login_as(pending_designer)
    page = client.get("/messages/new/mai-nguyen")
    assert page.status_code == 403
    assert "once a moderator has approved your profile" in page.get_data(as_text=True)
    assert "once a moderator has approved" in client.get("/messages").get_data(as_text=True)


def test_blocking_from_the_conversation_both_directions(client: Client, designer: User) -> None:
    an = make_user(handle="an", display_name="Trần An")
    conversation = converse(an, designer, "Chào Mai")
    url = f"/messages/{conversation.public_id}"
    client.login_as(designer)

    response = client.post_form(f"/messages/block/an?next={url}", {})
    assert response.location == url
    page = client.get(url).get_data(as_text=True)
    assert "You blocked Trần An" in page
    assert 'name="body"' not in page
    assert client.post_form(url, {"body": "still?", "token": "b1"}).status_code == 403

    client.login_as(an)
    page = client.get(url).get_data(as_text=True)
    assert "You cannot message this member." in page
    assert "blocked" not in page.lower().replace("block trần", "")
    assert 'name="body"' not in page
    sent = client.post_form(url, {"body": "Why?", "token": "b2"})
    assert sent.status_code == 403
    assert "You cannot message this member." in sent.get_data(as_text=True)
    assert "You cannot message this member." in client.get("/messages/new/mai-nguyen").get_data(
        as_text=True
    )

    client.login_as(designer)
    settings = client.get("/messages/settings").get_data(as_text=True)
    assert "Unblock Trần An" in settings
    client.post_form("/messages/unblock/an", {})
    assert db.session.scalar(select(func.count()).select_from(Block)) == 0


def test_others_get_404_for_every_conversation_route(
    client: Client, designer: User, moderator: User
) -> None:
    an = make_user(handle="an")
    conversation = converse(an, designer, "Riêng tư")
    message_id = conversation.last_message_id
    base = f"/messages/{conversation.public_id}"
    for person in (make_user(handle="third"), moderator):
        client.login_as(person)
        assert client.get(base).status_code == 404
        assert client.get(f"{base}/poll").status_code == 404
        assert client.get(f"{base}/report/{message_id}").status_code == 404
        assert client.post_form(base, {"body": "hi", "token": "x"}).status_code == 404
        assert (
            client.post_form(f"{base}/report/{message_id}", {"reason": "spam"}).status_code == 404
        )
    anonymous = client.application.test_client()
    for path in (base, f"{base}/poll", f"{base}/report/{message_id}", "/messages"):
        assert "/auth/login" in anonymous.get(path).location
    client.login_as(designer)
    assert client.get("/messages/AAAAAAAAAAAAAAAA").status_code == 404


def test_polling_returns_new_messages_and_marks_them_read(client: Client, designer: User) -> None:
    an = make_user(handle="an")
    conversation = converse(an, designer, "Một")
    client.login_as(designer)
    first = client.get(f"/messages/{conversation.public_id}/poll?after=0").get_json()
    assert "Một" in first["html"]
    services.send_message(sender=an, conversation=conversation, recipient=designer, text="Hai")
    db.session.commit()
    data = client.get(
        f"/messages/{conversation.public_id}/poll?after={first['last_id']}"
    ).get_json()
    assert "Hai" in data["html"]
    assert "Một" not in data["html"]
    assert data["unread"] == 0
    empty = client.get(
        f"/messages/{conversation.public_id}/poll?after={data['last_id']}"
    ).get_json()
    assert empty["html"] == ""


def test_reply_with_javascript_gets_json(client: Client, designer: User) -> None:
    an = make_user(handle="an")
    conversation = converse(an, designer, "Một")
    client.login_as(designer)
    response = client.post_form(
        f"/messages/{conversation.public_id}",
        {"body": "Qua fetch", "token": "js-1"},
        headers={"Accept": "application/json"},
    )
    data = response.get_json()
    assert "Qua fetch" in data["html"]
    assert data["token"] != "js-1"
    bad = client.post_form(
        f"/messages/{conversation.public_id}",
        {"body": " ", "token": "js-2"},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 422
    assert bad.get_json()["errors"]["body"] == ["Write a message before sending it."]


def test_report_a_message(client: Client, designer: User) -> None:
    an = make_user(handle="an")
    conversation = converse(an, designer, "Gửi tiền cho mình nhé")
    url = f"/messages/{conversation.public_id}/report/{conversation.last_message_id}"
    client.login_as(designer)
    assert "Gửi tiền cho mình nhé" in client.get(url).get_data(as_text=True)
    response = client.post_form(url, {"reason": "scam", "details": "Asks for money"})
    assert "The moderators will look" in client.get(response.location).get_data(as_text=True)
    again = client.post_form(url, {"reason": "spam"})
    assert "already reported" in client.get(again.location).get_data(as_text=True)
    report = db.session.scalars(select(Report)).one()
    assert report.snapshot == "Gửi tiền cho mình nhé"
    assert report.details == "Asks for money"
    # One's own messages cannot be reported.
    client.login_as(an)
    assert client.get(url).status_code == 404


def test_hidden_messages_show_a_placeholder(client: Client, designer: User) -> None:
    an = make_user(handle="an")
    conversation = converse(an, designer, "Nội dung xấu")
    message = db.session.get_one(Message, conversation.last_message_id)

    message.hidden_at = utcnow()
    db.session.commit()
    client.login_as(designer)
    page = client.get(f"/messages/{conversation.public_id}").get_data(as_text=True)
    assert "Nội dung xấu" not in page
    assert "removed by a moderator" in page
    assert "Nội dung xấu" not in client.get("/messages").get_data(as_text=True)


def test_digest_setting_is_saved(client: Client, designer: User) -> None:
    client.login_as(designer)
    response = client.post_form("/messages/settings", {"digest": "never"})
    page = client.get(response.location).get_data(as_text=True)
    assert "Your email settings are saved." in page
    assert re.search(r'value="never"[^>]*checked|checked[^>]*value="never"', page)
    # The same choice as the "messages" category of the email preferences.
    prefs = client.get("/account/notifications").get_data(as_text=True)
    assert re.search(r'checked[^>]*name="messages"[^>]*value="never"', prefs)
    assert client.post_form("/messages/settings", {"digest": "weekly"}).status_code == 422


@pytest.mark.usefixtures("client")
def test_message_button_partial(app: Flask, designer: User) -> None:
    other = make_user(handle="an")
    template = app.jinja_env.get_template("messaging/_message_button.html")

    def render(viewer: Any, recipient: User) -> str:
        with app.test_request_context():
            if viewer is None:
                logout_user()
            else:
                login_user(viewer)
            return template.render(recipient=recipient, **_policies(app))

    assert "/messages/new/an" in render(designer, other)
    assert render(None, other).strip() == ""
    assert render(other, other).strip() == ""


def _policies(app: Flask) -> dict[str, Any]:
    ctx: dict[str, Any] = {}
    app.update_template_context(ctx)
    return ctx
