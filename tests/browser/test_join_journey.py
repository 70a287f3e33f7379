"""Journey 1 (accounts part): sign up, verify from the emailed link, log in, log out."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.browser.conftest import LiveServer, screenshot
from tests.browser.mailbox import last_link


def test_sign_up_verify_log_in_and_out(live_server: LiveServer, live_app: Flask, page: Any) -> None:
    page.goto(live_server.url + "/auth/signup")
    screenshot(page, "signup")
    page.get_by_label("A designer").check()
    page.get_by_label("Your name").fill("Nguyễn Văn An")
    page.get_by_label("Handle").fill("nguyen-van-an")
    page.get_by_label("Email").fill("an@example.org")
    page.get_by_label("Password").fill("lacquer and silk 2019")
    page.get_by_role("button", name="Create my account").click()
    page.get_by_text("We sent a link to an@example.org").wait_for()
    screenshot(page, "account-settings-unverified")

    page.goto(last_link(live_app, "an@example.org"))
    page.get_by_role("button", name="Confirm my address").click()
    page.get_by_text("your email address is confirmed").wait_for()

    page.get_by_title("Nguyễn Văn An").click()  # opens the account menu
    page.get_by_role("button", name="Log out", exact=True).click()
    page.get_by_text("You are logged out.").wait_for()

    page.goto(live_server.url + "/auth/login")
    page.get_by_label("Email").fill("AN@example.org")
    page.get_by_label("Password").fill("lacquer and silk 2019")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Your profile is waiting for a moderator's approval").wait_for()
    screenshot(page, "home-logged-in-pending")
    page.get_by_title("Nguyễn Văn An").click()
    page.get_by_role("button", name="Log out", exact=True).click()
    assert page.get_by_role("link", name="Log in").is_visible()
