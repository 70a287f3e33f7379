"""The main journeys with JavaScript turned off: sign up, a project with images, apply to a
call, reply to a message, approve a member, change the language on the same page."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.extensions import db
from demo.artworks import draw
from tests.browser.conftest import LiveServer
from tests.browser.test_join_journey import last_link
from tests.calls.factories import make_call, make_project
from tests.factories import PASSWORD, make_user
from tests.messaging.factories import converse


def log_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/auth/login" not in page.url


def test_the_journeys_work_without_javascript(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    base = live_server.url
    organiser = make_user(
        handle="hcdc", account_type=AccountType.ORGANISER, organisation="Trung tâm Thiết kế"
    )
    mai = make_user(handle="mai", email="mai@example.org", display_name="Nguyễn Thị Mai")
    duc = make_user(handle="duc", display_name="Trần Minh Đức")
    make_project(owner=mai, title="Bộ poster Hồ Gươm", year=2024)
    make_call(owner=organiser, title="Young Designers Showcase", slug="showcase", max_projects=2)
    converse(duc, mai, "Chào Mai, hẹn gặp ở lễ hội nhé!")
    make_user(handle="mod", email="moderator@example.org", staff_role=StaffRole.MODERATOR)
    db.session.commit()

    newcomer = page_factory(390, javascript=False)
    newcomer.goto(base + "/auth/signup")
    newcomer.get_by_label("A designer").check()
    newcomer.get_by_label("Your name").fill("Trương Thị Bích")
    newcomer.get_by_label("Handle").fill("bich")
    newcomer.get_by_label("Email").fill("bich@example.org")
    newcomer.get_by_label("Password").fill("lacquer and silk 2019")
    newcomer.get_by_role("button", name="Create my account").click()
    newcomer.get_by_text("We sent a link to bich@example.org").wait_for()
    # A confirmed address comes before approval.
    newcomer.goto(last_link(live_app, "bich@example.org"))
    newcomer.get_by_role("button", name="Confirm my address").click()
    newcomer.get_by_text("your email address is confirmed").wait_for()

    page = page_factory(390, javascript=False)
    log_in(page, base, "mai@example.org")
    page.goto(base + "/me/projects/new")
    page.get_by_label("Title").fill("Gạch bông phố cổ")
    page.get_by_label("Images").set_input_files(
        [
            {
                "name": "one.png",
                "mimeType": "image/png",
                "buffer": draw("truchet", 0, seed=1, size=(600, 450))[0],
            }
        ]
    )
    page.get_by_role("button", name="Create the project").click()
    page.get_by_text("1 image still needs a description").wait_for()

    page.goto(base + "/calls/showcase/apply")
    page.get_by_label("Statement").fill("Tôi muốn kể câu chuyện về Hồ Gươm.")
    page.get_by_label("Bộ poster Hồ Gươm").check()
    page.get_by_role("button", name="Submit my application").click()
    page.get_by_text("Your application is submitted").wait_for()

    page.goto(base + "/messages")
    page.get_by_role("link", name="Trần Minh Đức").first.click()
    page.get_by_role("textbox", name="Message").fill("Chào Đức, hẹn gặp nhé!")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Chào Đức, hẹn gặp nhé!").first.wait_for()

    # The language switcher's button submits without JavaScript and keeps the page.
    conversation_url = page.url.split("#")[0]
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.url == conversation_url
    assert page.locator("html").get_attribute("lang") == "fr"

    mod = page_factory(1280, javascript=False)
    log_in(mod, base, "moderator@example.org")
    mod.goto(base + "/moderation/members")
    card = mod.get_by_role("listitem").filter(has_text="Trương Thị Bích")
    card.get_by_role("button", name="Approve").click()
    mod.get_by_text("Approved. The person was told by email.").wait_for()
    db.session.expire_all()
    bich = db.session.scalar(select(User).where(User.handle == "bich"))
    assert bich is not None
    assert bich.status == UserStatus.ACTIVE
