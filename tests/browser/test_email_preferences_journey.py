"""A member chooses how they get each kind of email, then unsubscribes from another kind with the
link of an email, without logging in."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.accounts.models import User
from app.extensions import db
from app.mail.models import Delivery, EmailCategory
from app.mail.services import deliver_due, preferences_of
from tests.browser.conftest import LiveServer, screenshot
from tests.factories import PASSWORD, make_user
from tests.notifications.test_email_preferences import _decision


def test_a_member_chooses_per_category_and_unsubscribes_from_an_email(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    with live_app.app_context():
        mai = make_user(handle="mai", display_name="Nguyễn Thị Mai", email="mai@example.org")
        db.session.commit()
        mai_id = mai.id
    url = live_server.url

    page = page_factory(390)
    page.goto(url + "/auth/login")
    page.get_by_label("Email").fill("mai@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Welcome back").wait_for()

    page.goto(url + "/auth/settings")
    page.get_by_role("link", name="Email preferences: what we email you, and how often").click()
    page.get_by_role("heading", name="Email preferences").wait_for()
    page.get_by_role("group", name="Messages").get_by_label("In a daily digest").check()
    page.get_by_role("group", name="Jury").get_by_label("Never").check()
    screenshot(page, "email-preferences")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your email preferences are saved.").wait_for()
    assert page.get_by_role("group", name="Messages").get_by_label("In a daily digest").is_checked()
    with live_app.app_context():
        chosen = preferences_of(mai_id)
    assert chosen[EmailCategory.MESSAGES] == Delivery.DIGEST
    assert chosen[EmailCategory.JURY] == Delivery.NEVER

    # A decision arrives by email; its unsubscribe link works in a browser with nobody logged in.
    with live_app.app_context():
        _decision(db.session.get_one(User, mai_id))
        deliver_due()
    [email] = live_app.extensions["mail_backend"].outbox
    link = email["List-Unsubscribe"][1:-1]
    visitor = page_factory(1280)
    visitor.goto(link)
    visitor.get_by_text("Stop the emails about:").wait_for()
    screenshot(visitor, "unsubscribe")
    visitor.get_by_role("button", name="Unsubscribe").click()
    visitor.get_by_role("heading", name="Unsubscribed").wait_for()
    screenshot(visitor, "unsubscribed")
    with live_app.app_context():
        assert preferences_of(mai_id)[EmailCategory.APPLICATIONS] == Delivery.NEVER
