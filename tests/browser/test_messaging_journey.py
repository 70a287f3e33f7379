"""Journey 7: two logged-in people talk — send, see unread, reply, block."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.extensions import db
from tests.browser.conftest import LiveServer, screenshot
from tests.factories import PASSWORD, make_user
from tests.messaging.factories import converse


def _log_in(page: Any, url: str, email: str) -> None:
    page.goto(url + "/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Welcome back").wait_for()


def test_two_members_talk_and_one_blocks_the_other(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    with live_app.app_context():
        mai = make_user(handle="mai", display_name="Nguyễn Thị Mai", email="mai@example.org")
        duc = make_user(handle="duc", display_name="Trần Minh Đức", email="duc@example.org")
        other = make_user(handle="lan", display_name="Đặng Ngọc Lan")
        converse(other, mai, "Chào Mai, hẹn gặp ở Hanoi Creative Design Week nhé!")
        db.session.commit()
        mai_handle, duc_handle = mai.handle, duc.handle
    url = live_server.url

    duc_page = page_factory(1280)
    mai_page = page_factory(390)
    _log_in(duc_page, url, "duc@example.org")
    _log_in(mai_page, url, "mai@example.org")

    # Đức writes to Mai from her page's "Message" link.
    duc_page.goto(f"{url}/messages/new/{mai_handle}")
    duc_page.get_by_role("textbox", name="Message").fill(
        "Chào Mai! Mình thấy series sơn mài của bạn.\nLàm gian hàng chung ở lễ hội không? "
        "https://example.org/duc/moodboard"
    )
    screenshot(duc_page, "messaging-new")
    duc_page.get_by_role("button", name="Send").click()
    duc_page.get_by_text("Your message was sent to Nguyễn Thị Mai.").wait_for()

    # Mai sees two unread conversations in the navigation and her inbox.
    mai_page.goto(f"{url}/messages")
    nav = mai_page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Messages 2 (2 unread)").is_visible()
    assert mai_page.get_by_text("1 unread message").count() == 2
    screenshot(mai_page, "messaging-inbox")

    mai_page.get_by_role("link", name="Trần Minh Đức").click()
    mai_page.get_by_text("Làm gian hàng chung ở lễ hội không?").wait_for()
    assert mai_page.get_by_role("link", name="https://example.org/duc/moodboard").is_visible()
    assert nav.get_by_role("link", name="Messages 1 (1 unread)").is_visible()

    # Mai replies (posted without a reload); Đức's open conversation shows it by polling.
    duc_page.goto(f"{url}/messages")
    duc_page.get_by_role("link", name="Nguyễn Thị Mai").click()
    mai_page.get_by_role("textbox", name="Message").fill(
        "Chào Đức! Nghe hay đó — thứ Bảy cà phê bàn nhé?"
    )
    mai_page.get_by_role("button", name="Send").click()
    mai_page.locator(".msg--mine", has_text="thứ Bảy cà phê").wait_for()
    assert mai_page.get_by_role("textbox", name="Message").input_value() == ""
    duc_page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    duc_page.get_by_text("thứ Bảy cà phê bàn nhé?").wait_for(timeout=15000)
    screenshot(mai_page, "messaging-conversation")
    screenshot(duc_page, "messaging-conversation-other-side")

    # Mai blocks Đức: neither can write now; Đức only reads "you cannot message this member".
    mai_page.get_by_role("button", name="Block Trần Minh Đức").click()
    mai_page.get_by_text("You blocked Trần Minh Đức").first.wait_for()
    assert mai_page.get_by_role("textbox", name="Message").count() == 0
    duc_page.reload()
    duc_page.get_by_text("You cannot message this member.").wait_for()
    assert duc_page.get_by_role("textbox", name="Message").count() == 0
    screenshot(duc_page, "messaging-blocked")

    mai_page.goto(f"{url}/messages/settings")
    screenshot(mai_page, "messaging-settings")
    mai_page.get_by_role("button", name="Unblock Trần Minh Đức").click()
    mai_page.get_by_text("You unblocked Trần Minh Đức.").wait_for()
    assert duc_handle == "duc"


def test_a_conversation_works_without_javascript(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    with live_app.app_context():
        mai = make_user(handle="mai", display_name="Nguyễn Thị Mai", email="mai@example.org")
        duc = make_user(handle="duc", display_name="Trần Minh Đức")
        conversation = converse(duc, mai, *[f"Tin nhắn {i}" for i in range(40)])
        public_id = conversation.public_id
    page = page_factory(390, javascript=False)
    _log_in(page, live_server.url, "mai@example.org")
    page.goto(f"{live_server.url}/messages/{public_id}")
    page.get_by_role("textbox", name="Message").fill("Trả lời không cần JavaScript")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Trả lời không cần JavaScript").wait_for()
    page.get_by_role("link", name="Earlier messages").click()
    page.get_by_text("Tin nhắn 0", exact=True).wait_for()
    screenshot(page, "messaging-earlier-no-js")
